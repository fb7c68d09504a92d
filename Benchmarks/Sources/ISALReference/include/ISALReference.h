#ifndef ISAL_REFERENCE_H
#define ISAL_REFERENCE_H

/* ISA-L called directly from C, as the benchmarks' reference: the same Cauchy matrix Cairn
 * uses, tables built once, one ec_encode_data call over the whole length. */

/* Fills tables (32 * k * m bytes) for encoding k data shards into m parity shards. */
void isal_reference_encode_tables(int k, int m, unsigned char *tables);

/* Fills tables (32 * k * rows bytes) to rebuild the shards listed in `wanted` (rows of them)
 * from the k shards listed in `present`. Returns 0, or -1 if the matrix is singular. */
int isal_reference_decode_tables(int k, int m, const int *present, const int *wanted, int rows,
                                 unsigned char *tables);

/* outputs[i] = sum over j of coefficient(i, j) * inputs[j], over len bytes. */
void isal_reference_apply(int len, int k, int rows, unsigned char *tables, unsigned char **inputs,
                          unsigned char **outputs);

#endif
