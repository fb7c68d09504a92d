#include "ISALReference.h"

#include <isa-l/erasure_code.h>
#include <stdlib.h>
#include <string.h>

void isal_reference_encode_tables(int k, int m, unsigned char *tables) {
    unsigned char *matrix = malloc((size_t)(k + m) * k);
    gf_gen_cauchy1_matrix(matrix, k + m, k);
    ec_init_tables(k, m, matrix + k * k, tables);
    free(matrix);
}

int isal_reference_decode_tables(int k, int m, const int *present, const int *wanted, int rows,
                                 unsigned char *tables) {
    int total = k + m;
    unsigned char *matrix = malloc((size_t)total * k);
    unsigned char *selected = malloc((size_t)k * k);
    unsigned char *inverse = malloc((size_t)k * k);
    unsigned char *decode = malloc((size_t)rows * k);
    gf_gen_cauchy1_matrix(matrix, total, k);
    for (int i = 0; i < k; i++) memcpy(selected + i * k, matrix + present[i] * k, k);
    if (gf_invert_matrix(selected, inverse, k) != 0) {
        free(matrix); free(selected); free(inverse); free(decode);
        return -1;
    }
    for (int r = 0; r < rows; r++) {
        if (wanted[r] < k) {
            memcpy(decode + r * k, inverse + wanted[r] * k, k);
        } else {
            for (int c = 0; c < k; c++) {
                unsigned char sum = 0;
                for (int i = 0; i < k; i++) sum ^= gf_mul(matrix[wanted[r] * k + i], inverse[i * k + c]);
                decode[r * k + c] = sum;
            }
        }
    }
    ec_init_tables(k, rows, decode, tables);
    free(matrix); free(selected); free(inverse); free(decode);
    return 0;
}

void isal_reference_apply(int len, int k, int rows, unsigned char *tables, unsigned char **inputs,
                          unsigned char **outputs) {
    ec_encode_data(len, k, rows, tables, inputs, outputs);
}
