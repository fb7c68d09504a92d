#ifndef CAIRN_CGFNI_H
#define CAIRN_CGFNI_H

#include <stddef.h>
#include <stdint.h>

/* GF(2^8) matrix–vector products (Reed–Solomon encode and decode) with the GFNI instructions on
 * AVX-512: each coefficient c becomes the 8x8 bit matrix of x -> c*x (polynomial 0x11d, ISA-L's
 * field), applied to 64 bytes at a time by vgf2p8affineqb. Debian's ISA-L 2.30 has no GFNI path;
 * this one is bit-identical to it (tests compare them). */

/* 1 if the CPU and OS support GFNI with AVX-512 (F, BW) and ZMM state. */
int cairn_gfni_available(void);

/* The affine matrix for multiplication by c. */
uint64_t cairn_gfni_matrix(uint8_t c);

/* outputs[r][t] = XOR over j < k of coefficient(r, j) * inputs[j][t], for t < len, where
 * matrices[r * k + j] = cairn_gfni_matrix(coefficient(r, j)). Requires cairn_gfni_available(). */
void cairn_gfni_apply(size_t len, int k, int rows, const uint64_t *matrices, const uint8_t *const *inputs,
                      uint8_t *const *outputs);

#endif
