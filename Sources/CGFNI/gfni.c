#include "CGFNI.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

static uint8_t gf_mul_slow(uint8_t a, uint8_t b) {
    uint8_t product = 0;
    while (b) {
        if (b & 1) product ^= a;
        uint8_t carry = a & 0x80;
        a <<= 1;
        if (carry) a ^= 0x1d;
        b >>= 1;
    }
    return product;
}

uint64_t cairn_gfni_matrix(uint8_t c) {
    /* Output bit i is the parity of (row i AND x); row i sits in byte 7 - i of the qword. */
    uint8_t images[8];
    for (int j = 0; j < 8; j++) images[j] = gf_mul_slow(c, (uint8_t)(1u << j));
    uint64_t matrix = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t row = 0;
        for (int j = 0; j < 8; j++) row |= (uint8_t)(((images[j] >> i) & 1u) << j);
        matrix |= (uint64_t)row << (8 * (7 - i));
    }
    return matrix;
}

int cairn_gfni_available(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!((c >> 27) & 1)) return 0; /* OSXSAVE */
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0xE6) != 0xE6) return 0; /* XMM, YMM, opmask, ZMM state enabled */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, gfni = (c >> 8) & 1;
    return avx512f && avx512bw && gfni;
}

/* Up to GROUP outputs are accumulated per pass over the inputs, so each 64-byte input vector is
 * loaded once per group; the matrices are broadcast from memory inside the multiply. One kernel per
 * group size, so the accumulators are a fixed number of registers (a variable count would spill
 * them to the stack on every product). */
#define GROUP 8

#define DEFINE_KERNEL(ROWS)                                                                                        \
    __attribute__((target("avx512f,avx512bw,gfni"))) static void apply_##ROWS(                                    \
        size_t len, int k, const uint64_t *matrices, const uint8_t *const *inputs, uint8_t *const *outputs,         \
        int stream) {                                                                                              \
        size_t t = 0;                                                                                              \
        for (; t + 64 <= len; t += 64) {                                                                           \
            __m512i acc[ROWS];                                                                                     \
            for (int r = 0; r < ROWS; r++) acc[r] = _mm512_setzero_si512();                                        \
            for (int j = 0; j < k; j++) {                                                                          \
                __m512i x = _mm512_loadu_si512((const void *)(inputs[j] + t));                                     \
                for (int r = 0; r < ROWS; r++)                                                                     \
                    acc[r] = _mm512_xor_si512(                                                                     \
                        acc[r], _mm512_gf2p8affine_epi64_epi8(x, _mm512_set1_epi64((long long)matrices[r * k + j]), 0)); \
            }                                                                                                      \
            if (stream) {                                                                                          \
                for (int r = 0; r < ROWS; r++) _mm512_stream_si512((void *)(outputs[r] + t), acc[r]);             \
            } else {                                                                                               \
                for (int r = 0; r < ROWS; r++) _mm512_storeu_si512((void *)(outputs[r] + t), acc[r]);             \
            }                                                                                                      \
        }                                                                                                          \
        if (stream) _mm_sfence();                                                                                  \
        if (t < len) {                                                                                             \
            __mmask64 mask = (1ULL << (len - t)) - 1; /* len - t < 64 */                                          \
            __m512i acc[ROWS];                                                                                     \
            for (int r = 0; r < ROWS; r++) acc[r] = _mm512_setzero_si512();                                        \
            for (int j = 0; j < k; j++) {                                                                          \
                __m512i x = _mm512_maskz_loadu_epi8(mask, (const void *)(inputs[j] + t));                          \
                for (int r = 0; r < ROWS; r++)                                                                     \
                    acc[r] = _mm512_xor_si512(                                                                     \
                        acc[r], _mm512_gf2p8affine_epi64_epi8(x, _mm512_set1_epi64((long long)matrices[r * k + j]), 0)); \
            }                                                                                                      \
            for (int r = 0; r < ROWS; r++) _mm512_mask_storeu_epi8((void *)(outputs[r] + t), mask, acc[r]);       \
        }                                                                                                          \
    }

DEFINE_KERNEL(1)
DEFINE_KERNEL(2)
DEFINE_KERNEL(3)
DEFINE_KERNEL(4)
DEFINE_KERNEL(5)
DEFINE_KERNEL(6)
DEFINE_KERNEL(7)
DEFINE_KERNEL(8)

typedef void (*kernel_fn)(size_t, int, const uint64_t *, const uint8_t *const *, uint8_t *const *, int);
static const kernel_fn kernels[GROUP + 1] = {0, apply_1, apply_2, apply_3, apply_4, apply_5, apply_6, apply_7, apply_8};

void cairn_gfni_apply(size_t len, int k, int rows, const uint64_t *matrices, const uint8_t *const *inputs,
                      uint8_t *const *outputs) {
    /* Outputs are written once and not read back here: when every output is 64-byte aligned,
     * non-temporal stores skip the read-for-ownership of each line. */
    int stream = 1;
    for (int r = 0; r < rows; r++) stream &= ((uintptr_t)outputs[r] & 63) == 0;
    for (int first = 0; first < rows; first += GROUP) {
        int count = rows - first < GROUP ? rows - first : GROUP;
        kernels[count](len, k, matrices + (size_t)first * k, inputs, outputs + first, stream);
    }
}

#else
int cairn_gfni_available(void) { return 0; }
uint64_t cairn_gfni_matrix(uint8_t c) { (void)c; return 0; }
void cairn_gfni_apply(size_t len, int k, int rows, const uint64_t *matrices, const uint8_t *const *inputs,
                      uint8_t *const *outputs) {
    (void)len; (void)k; (void)rows; (void)matrices; (void)inputs; (void)outputs;
}
#endif
