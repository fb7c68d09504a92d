#ifndef CAIRN_CSHA256_H
#define CAIRN_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4) for many small messages: Merkle leaves and nodes, challenge derivation.
 * Uses the SHA-NI instructions when the CPU has them, portable C otherwise. No allocation,
 * no per-call setup beyond 32 bytes of state: what a library hasher spends per call is most of
 * the cost of hashing 1 KiB. */

/* 1 if the SHA-NI path is in use. */
int cairn_sha256_accelerated(void);

/* out = SHA-256(data[0..len)). */
void cairn_sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/* The same with the portable C rounds whatever the CPU, so tests check both paths. */
void cairn_sha256_portable(const uint8_t *data, size_t len, uint8_t out[32]);

/* out = SHA-256(prefix || data[0..len)), without copying data more than a block at a time. */
void cairn_sha256_prefixed(uint8_t prefix, const uint8_t *data, size_t len, uint8_t out[32]);

/* out[i*32..] = SHA-256(0x00 || content[i*leaf_size .. (i+1)*leaf_size)) for i < count. */
void cairn_merkle_leaf_hashes(const uint8_t *content, size_t count, size_t leaf_size, uint8_t *out);

/* One level up: out[j*32..] = SHA-256(0x01 || in[2j] || in[2j+1]) for each pair; a lone last
 * hash is copied unchanged. Returns the number of hashes written, (count + 1) / 2. */
size_t cairn_merkle_level(const uint8_t *in, size_t count, uint8_t *out);

/* out = SHA-256(0x01 || left || right). */
void cairn_merkle_node(const uint8_t left[32], const uint8_t right[32], uint8_t out[32]);

#endif
