/*
 * The activation tables, generated into nanornn_tables.c by `python3 tools/quantize.py tables`
 * from the same values as firmware/NanoRnn/ActivationTables.cs (docs/model-format.md,
 * "Activation tables"): sampled at x_k = (k - 256) / 32, k = 0..512, in Q0.15.
 */
#ifndef NANORNN_TABLES_H
#define NANORNN_TABLES_H

#include <stdint.h>

#define NANORNN_TABLE_SIZE 513

/* sigmoid[k] = min(floor(32768 / (1 + e^-x_k) + 0.5), 32767) */
extern const int16_t nanornn_sigmoid_table[NANORNN_TABLE_SIZE];
/* tanh[k] = clamp(floor(32768 * tanh(x_k) + 0.5), -32768, 32767) */
extern const int16_t nanornn_tanh_table[NANORNN_TABLE_SIZE];
/* The slopes D[k] = T[k + 1] - T[k], k = 0..511: one load fewer per activation. */
extern const int16_t nanornn_sigmoid_slope[NANORNN_TABLE_SIZE - 1];
extern const int16_t nanornn_tanh_slope[NANORNN_TABLE_SIZE - 1];

#endif /* NANORNN_TABLES_H */
