/*
 * NanoRnn native kernels: one step of an LSTM, GRU or plain RNN layer and the head, over int8 weights
 * and int16 activations, bit for bit the integer reference (tools/nanornn/reference.py, and
 * firmware/NanoRnn/Reference/ in C#): the same products, roundings and saturations.
 *
 * Number formats (docs/model-format.md):
 *   pre-activations  Q3.12 int16 (RNN-relu: units of the layer's hidden_scale)
 *   gates, h         Q0.15 int16 (RNN-relu h: units of hidden_scale)
 *   LSTM cell        Q(15-cf).cf int16, cf = cell_frac_bits, 4..15
 *   multiplier m, shift s: the real factor m * 2^-s; s always counts right shifts.
 *
 * Rows of a layer, PyTorch's gate order, row r = block * H + j for hidden unit j:
 *   LSTM  4H  i | f | g | o
 *   GRU   4H  r | z | n_x | n_h   (n_x: input weights only, n_h: recurrent weights only)
 *   RNN   H   the single pre-activation
 *
 * Every entry point checks its arguments before it reads or writes any array and returns
 * NANORNN_OK or one of the NANORNN_ERROR_* codes below. The checks, in this order:
 *   1. a cell type that is not one of NANORNN_CELL_*          NANORNN_ERROR_CELL_TYPE
 *   2. a size (inputs, hidden, a head's rows and columns) outside 1..NANORNN_MAX_DIM, or a
 *      layer's rows outside 1..NANORNN_MAX_ROWS                NANORNN_ERROR_SIZE
 *   3. rows other than 4H (LSTM, GRU) or H (RNN)               NANORNN_ERROR_ROWS
 *   4. LSTM cell_frac_bits outside 4..15                       NANORNN_ERROR_CELL_FRAC
 *   5. a NULL array that the call needs                        NANORNN_ERROR_NULL
 *   6. then, reading only shift[0 .. rows-1]: a shift outside 1..62   NANORNN_ERROR_SHIFT
 * On an error nothing has been written. What no check can see is the length of an array: each must
 * hold at least the number of elements given beside it, which the caller (the interop glue, from
 * the managed arrays' lengths) makes sure of.
 *
 * Weights are -127..127, as the blob loader enforces; then every int32 dot product of at most 512
 * terms is exact. Any other value is still defined behaviour: sums wrap modulo 2^32 (and the int64
 * row sum modulo 2^64), as C#'s unchecked arithmetic does, so the results stay those of the C#
 * kernels. No array may overlap another one of the same call.
 *
 * Plain C99: no allocation, no floating point, nothing from libc but <stdint.h> and <stddef.h>.
 * Needs signed right shifts to be arithmetic, as gcc and clang make them (checked when compiled).
 */
#ifndef NANORNN_KERNELS_H
#define NANORNN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define NANORNN_OK 0
#define NANORNN_ERROR_NULL (-1)        /* an array the call needs is NULL */
#define NANORNN_ERROR_SIZE (-2)        /* a size outside 1..NANORNN_MAX_DIM (rows: 1..NANORNN_MAX_ROWS) */
#define NANORNN_ERROR_ROWS (-3)        /* rows is not what the cell type has for hidden */
#define NANORNN_ERROR_CELL_TYPE (-4)   /* not one of NANORNN_CELL_* */
#define NANORNN_ERROR_CELL_FRAC (-5)   /* LSTM cell_frac_bits outside 4..15 */
#define NANORNN_ERROR_SHIFT (-6)       /* a row's shift outside 1..62 */

/* Cell types, the blob's codes (tools/nanornn/layout.py, RnnModel.CellType*). */
#define NANORNN_CELL_LSTM 1
#define NANORNN_CELL_GRU 2
#define NANORNN_CELL_RNN_TANH 3
#define NANORNN_CELL_RNN_RELU 4

/* Limits, the blob's (layout.py MAX_DIM, SHIFT_MIN/MAX, CELL_FRAC_MIN/MAX). */
#define NANORNN_MAX_DIM 512
#define NANORNN_MAX_LAYERS 4
#define NANORNN_MAX_ROWS (4 * NANORNN_MAX_DIM)
#define NANORNN_MIN_SHIFT 1
#define NANORNN_MAX_SHIFT 62
#define NANORNN_MIN_CELL_FRAC_BITS 4
#define NANORNN_MAX_CELL_FRAC_BITS 15

/*
 * Sigmoid and tanh of a Q3.12 value, in Q0.15: table interpolation, firmware/NanoRnn/Activation.cs.
 *   u = v + 32768, k = u >> 7, t = u & 127, act(v) = T[k] + ((D[k] * t + 64) >> 7)
 * Every int16 is valid; never fails.
 */
int16_t nanornn_sigmoid_q15(int16_t pre_q3_12);
int16_t nanornn_tanh_q15(int16_t pre_q3_12);

/*
 * The row pre-activations of any layer, R = rows:
 *   accx[r] = sum_c wx[r*inputs + c] * x[c]                 int32
 *   acch[r] = sum_k wh[r*hidden + k] * h[k]                 int32
 *   pre[r]  = sat16(((accx*mx[r] + acch*mh[r] + 2^(s[r]-1)) >> s[r]) + bias[r])      in int64
 * mx, mh, shift: each row's two multipliers at its one shift, as RnnLayer.CommonShift combines them
 * (fixedpoint.common_shift); bias: pre-activation units.
 *
 * Arrays: wx [rows*inputs], wh [rows*hidden], mx, mh, shift, bias [rows], x [inputs], h [hidden];
 * out: pre [rows]. inputs and hidden 1..512, rows 1..2048, every shift 1..62.
 */
int32_t nanornn_pre_activations_s8_s16(
    int32_t inputs, int32_t hidden, int32_t rows,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x, const int16_t *h,
    int16_t *pre);

/*
 * LSTM cell update of H = hidden units from pre [4H] (i | f | g | o, Q3.12):
 *   i = sigmoid(pre[j])  f = sigmoid(pre[H+j])  g = tanh(pre[2H+j])  o = sigmoid(pre[3H+j])
 *   c' = sat16(rshr(f*c, 15) + rshr(i*g, 30 - cf))                         Q(15-cf).cf
 *   h' = rshr(o * tanh(to_q3_12(c', cf)), 15)                               Q0.15
 * Out: gates [4H] = i | f | g | o; in and out: cell [H], h [H]. hidden 1..512, cf 4..15.
 */
int32_t nanornn_lstm_cell_s16(
    int32_t hidden, int32_t cell_frac_bits, const int16_t *pre,
    int16_t *gates, int16_t *cell, int16_t *h);

/*
 * GRU cell update of H units from pre [4H] (r | z | n_x | n_h, Q3.12):
 *   r = sigmoid(pre[j])  z = sigmoid(pre[H+j])
 *   gated = rshr(r * pre[3H+j], 15)                 Q3.12
 *   n = tanh(sat16(pre[2H+j] + gated))              Q0.15
 *   h' = n + rshr(z * (h - n), 15)
 * Out: gates [4H] = r | z | n | gated; in and out: h [H]. hidden 1..512.
 */
int32_t nanornn_gru_cell_s16(int32_t hidden, const int16_t *pre, int16_t *gates, int16_t *h);

/* RNN-tanh: h'[j] = tanh(pre[j]). Out: h [H]; hidden 1..512. */
int32_t nanornn_rnn_tanh_cell_s16(int32_t hidden, const int16_t *pre, int16_t *h);

/* RNN-relu: h'[j] = max(pre[j], 0), both in units of hidden_scale. Out: h [H]; hidden 1..512. */
int32_t nanornn_rnn_relu_cell_s16(int32_t hidden, const int16_t *pre, int16_t *h);

/*
 * One whole step of a layer: nanornn_pre_activations_s8_s16 over (x, h), then the cell update of
 * cell_type, which overwrites h (and cell). Arrays as there, and:
 *   LSTM  gates [4H], cell [H] in and out, cell_frac_bits 4..15
 *   GRU   gates [4H]; cell unused (may be NULL); cell_frac_bits ignored
 *   RNN   gates and cell unused (may be NULL): the stage after pre is h itself; cell_frac_bits ignored
 * rows must be 4H for LSTM and GRU, H for RNN.
 */
int32_t nanornn_layer_step_s8_s16(
    int32_t cell_type, int32_t inputs, int32_t hidden, int32_t rows, int32_t cell_frac_bits,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x,
    int16_t *pre, int16_t *gates, int16_t *cell, int16_t *h);

/*
 * The checks of nanornn_layer_step_s8_s16 on the same arguments, and nothing else: NANORNN_OK when
 * it would step, else the code it would return. Reads no array but shift. A caller that steps
 * several layers in turn checks them all first, so that a refused layer leaves every layer as it was.
 */
int32_t nanornn_layer_check_s8_s16(
    int32_t cell_type, int32_t inputs, int32_t hidden, int32_t rows, int32_t cell_frac_bits,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x,
    const int16_t *pre, const int16_t *gates, const int16_t *cell, const int16_t *h);

/*
 * The MLP head's hidden Linear + ReLU, K = rows over v [columns]:
 *   acc[k] = sum_j w[k*columns + j] * v[j]                                          int32
 *   u[k]   = max(0, sat16(((acc[k]*m[k] + 2^(s[k]-1)) >> s[k]) + bias[k]))        in int64
 * Arrays: w [rows*columns], m, shift, bias [rows], v [columns]; out: u [rows].
 * rows and columns 1..512, every shift 1..62.
 */
int32_t nanornn_dense_relu_s8_s16(
    int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
    const int32_t *bias, const int16_t *v,
    int16_t *u);

/*
 * The output Linear, the scores of K = rows classes over v [columns]:
 *   acc[k] = sum_j w[k*columns + j] * v[j]                                          int32
 *   q[k]   = sat32(((acc[k]*m[k] + 2^(s[k]-1)) >> s[k]) + bias[k])                 in int64
 * Arrays: w [rows*columns], m, shift, bias [rows], v [columns]; out: q [rows].
 * rows and columns 1..512, every shift 1..62.
 */
int32_t nanornn_dense_s8_s32(
    int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
    const int32_t *bias, const int16_t *v,
    int32_t *q);

#ifdef __cplusplus
}
#endif

#endif /* NANORNN_KERNELS_H */
