#include "CSHA256.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define CAIRN_X86 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t INITIAL[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    while (blocks--) {
        for (int t = 0; t < 16; t++) {
            w[t] = (uint32_t)data[4 * t] << 24 | (uint32_t)data[4 * t + 1] << 16 | (uint32_t)data[4 * t + 2] << 8 |
                   (uint32_t)data[4 * t + 3];
        }
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        data += 64;
    }
}

#ifdef CAIRN_X86
/* The SHA-NI round structure (Intel's SHA extensions): state kept as ABEF/CDGH, four rounds per
 * group, the message schedule advanced with sha256msg1/msg2 four words at a time. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i shuffle = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);          /* CDAB */
    state1 = _mm_shuffle_epi32(state1, 0x1B);    /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0); /* CDGH */

    while (blocks--) {
        const __m128i abef = state0, cdgh = state1;
        __m128i msg[4];
#pragma clang loop unroll(full)
        for (int g = 0; g < 16; g++) {
            __m128i *cur = &msg[g & 3], *next = &msg[(g + 1) & 3], *prev = &msg[(g + 3) & 3];
            if (g < 4) *cur = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * g)), shuffle);
            __m128i m = _mm_add_epi32(*cur, _mm_loadu_si128((const __m128i *)&K[4 * g]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, m);
            if (g >= 3 && g <= 14) {
                __m128i t = _mm_alignr_epi8(*cur, *prev, 4);
                *next = _mm_add_epi32(*next, t);
                *next = _mm_sha256msg2_epu32(*next, *cur);
            }
            m = _mm_shuffle_epi32(m, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, m);
            if (g >= 1 && g <= 12) *prev = _mm_sha256msg1_epu32(*prev, *cur);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);       /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);    /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

static int cpu_has_sha(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    if (!((b >> 29) & 1)) return 0; /* SHA */
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return ((c >> 19) & 1) && ((c >> 9) & 1); /* SSE4.1, SSSE3 */
}
#endif

typedef void (*compress_fn)(uint32_t state[8], const uint8_t *data, size_t blocks);

static compress_fn select_compress(void) {
#ifdef CAIRN_X86
    if (cpu_has_sha()) return compress_shani;
#endif
    return compress_portable;
}

/* Chosen once; a race would store the same value twice. */
static compress_fn compress_impl;

static inline void compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    compress_fn fn = __atomic_load_n(&compress_impl, __ATOMIC_RELAXED);
    if (!fn) {
        fn = select_compress();
        __atomic_store_n(&compress_impl, fn, __ATOMIC_RELAXED);
    }
    fn(state, data, blocks);
}

int cairn_sha256_accelerated(void) {
#ifdef CAIRN_X86
    return select_compress() == compress_shani;
#else
    return 0;
#endif
}

/* Hashes head (0 or 1 byte) followed by data, compressing data in place where it is block-aligned
 * in the message, so only the first and last blocks are copied. */
static void sha256_with_head_using(compress_fn compress, const uint8_t *head, size_t head_len, const uint8_t *data,
                                  size_t len, uint8_t out[32]) {
    uint32_t state[8];
    memcpy(state, INITIAL, sizeof state);
    uint8_t block[128];
    const size_t total = head_len + len;
    size_t consumed = 0; /* bytes of data compressed so far */
    size_t fill = 0;     /* bytes waiting in block */
    if (head_len) {
        if (len >= 63) {
            block[0] = head[0];
            memcpy(block + 1, data, 63);
            compress(state, block, 1);
            consumed = 63;
        } else {
            block[fill++] = head[0];
        }
    }
    if (fill == 0) {
        size_t full = (len - consumed) / 64;
        if (full) compress(state, data + consumed, full);
        consumed += full * 64;
    }
    const size_t rest = len - consumed;
    memcpy(block + fill, data + consumed, rest);
    fill += rest;
    block[fill++] = 0x80;
    const size_t padded = fill <= 56 ? 64 : 128;
    memset(block + fill, 0, padded - 8 - fill);
    const uint64_t bits = (uint64_t)total * 8;
    for (int i = 0; i < 8; i++) block[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress(state, block, padded / 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(state[i] >> 8);
        out[4 * i + 3] = (uint8_t)state[i];
    }
}

static void compress_selected(uint32_t state[8], const uint8_t *data, size_t blocks) { compress(state, data, blocks); }

static void sha256_with_head(const uint8_t *head, size_t head_len, const uint8_t *data, size_t len, uint8_t out[32]) {
    sha256_with_head_using(compress_selected, head, head_len, data, len, out);
}

void cairn_sha256_portable(const uint8_t *data, size_t len, uint8_t out[32]) {
    sha256_with_head_using(compress_portable, NULL, 0, data, len, out);
}

void cairn_sha256(const uint8_t *data, size_t len, uint8_t out[32]) { sha256_with_head(NULL, 0, data, len, out); }

void cairn_sha256_prefixed(uint8_t prefix, const uint8_t *data, size_t len, uint8_t out[32]) {
    sha256_with_head(&prefix, 1, data, len, out);
}

void cairn_merkle_leaf_hashes(const uint8_t *content, size_t count, size_t leaf_size, uint8_t *out) {
    for (size_t i = 0; i < count; i++) cairn_sha256_prefixed(0x00, content + i * leaf_size, leaf_size, out + 32 * i);
}

void cairn_merkle_node(const uint8_t left[32], const uint8_t right[32], uint8_t out[32]) {
    uint8_t pair[64];
    memcpy(pair, left, 32);
    memcpy(pair + 32, right, 32);
    cairn_sha256_prefixed(0x01, pair, 64, out);
}

size_t cairn_merkle_level(const uint8_t *in, size_t count, uint8_t *out) {
    size_t j = 0;
    for (size_t i = 0; i + 1 < count; i += 2, j++) cairn_merkle_node(in + 32 * i, in + 32 * (i + 1), out + 32 * j);
    if (count & 1) {
        memmove(out + 32 * j, in + 32 * (count - 1), 32);
        j++;
    }
    return j;
}
