/* Steps one layer of the native kernels (firmware/NanoRnn.Native/native) STEPS times, for
 * native_cost.py to count under callgrind: the shapes of the cost models, values that change. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "nanornn_kernels.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: driver CELL INPUTS HIDDEN STEPS\n");
        return 2;
    }
    int32_t cell = atoi(argv[1]), inputs = atoi(argv[2]), hidden = atoi(argv[3]), steps = atoi(argv[4]);
    int32_t rows = (cell == NANORNN_CELL_LSTM || cell == NANORNN_CELL_GRU ? 4 : 1) * hidden;
    int8_t *wx = malloc((size_t)rows * (size_t)inputs), *wh = malloc((size_t)rows * (size_t)hidden);
    int32_t *mx = malloc(4 * (size_t)rows), *mh = malloc(4 * (size_t)rows), *bias = malloc(4 * (size_t)rows);
    uint8_t *shift = malloc((size_t)rows);
    int16_t *x = malloc(2 * (size_t)inputs), *h = calloc((size_t)hidden, 2), *c = calloc((size_t)hidden, 2);
    int16_t *pre = malloc(2 * (size_t)rows), *gates = malloc(2 * (size_t)rows);
    int32_t i, t;
    int64_t sum = 0;
    for (i = 0; i < rows * inputs; i++) wx[i] = (int8_t)(i * 37 % 255 - 127);
    for (i = 0; i < rows * hidden; i++) wh[i] = (int8_t)(i * 53 % 255 - 127);
    for (i = 0; i < rows; i++) {
        mx[i] = 1 << 20;
        mh[i] = 1 << 20;
        bias[i] = i % 7 - 3;
        shift[i] = 36;
    }
    for (t = 0; t < steps; t++) {
        for (i = 0; i < inputs; i++) x[i] = (int16_t)((t * 811 + i * 1999) % 16384 - 8192);
        if (nanornn_layer_step_s8_s16(cell, inputs, hidden, rows, 12, wx, wh, mx, mh, shift, bias, x,
                                      pre, gates, c, h) != NANORNN_OK) {
            return 1;
        }
        sum += h[0];
    }
    printf("%lld\n", (long long)sum);
    return 0;
}
