/*
 * NanoRnn native kernels (nanornn_kernels.h): the integer reference's arithmetic, line by line.
 * Each kernel quotes its equation; the C# twin of each is named beside it.
 */
#include "nanornn_kernels.h"
#include "nanornn_tables.h"

/* C99 leaves the right shift of a negative value to the compiler; rshr needs it arithmetic (toward
 * minus infinity), as C#'s >> and NumPy's are. A compiler that shifts otherwise fails here. */
typedef char nanornn_needs_arithmetic_right_shift[((-3 >> 1) == -2) ? 1 : -1];

#define GATE_FRAC_BITS 12         /* pre-activations are Q3.12 */
#define STATE_FRAC_BITS 15        /* gates and h are Q0.15 */
#define INT16_MAX_VALUE 32767
#define INT16_MIN_VALUE (-32768)

/* Activation.cs: a table step is 1/32 = 2^7 units of Q3.12; pre + TABLE_ORIGIN indexes the tables. */
#define STEP_SHIFT 7
#define STEP_MASK ((1 << STEP_SHIFT) - 1)
#define STEP_HALF (1 << (STEP_SHIFT - 1))
#define TABLE_ORIGIN 32768

/* Columns (and shifts) per block of the inner loops: see dot4_s8_s16. */
#define DOT_BLOCK 16

/* ---- Integer helpers (FixedPoint.cs, tools/nanornn/fixedpoint.py) ---- */

/* The int32 whose two's complement is v: what C#'s unchecked int arithmetic leaves. */
static int32_t wrap32(uint32_t v)
{
    return v <= (uint32_t)INT32_MAX ? (int32_t)v : -(int32_t)~v - 1;
}

static int64_t wrap64(uint64_t v)
{
    return v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)~v - 1;
}

/* rshr(v, n) = (v + 2^(n-1)) >> n, n >= 1: v * 2^-n rounded half up. Callers keep v + 2^(n-1) in int32. */
static int32_t rshr32(int32_t v, int32_t n)
{
    return (v + ((int32_t)1 << (n - 1))) >> n;
}

static int16_t sat16(int64_t v)
{
    return (int16_t)(v > INT16_MAX_VALUE ? INT16_MAX_VALUE : v < INT16_MIN_VALUE ? INT16_MIN_VALUE : v);
}

static int32_t sat32(int64_t v)
{
    return (int32_t)(v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v);
}

/* to_q3_12(v, n): a Q(15-n).n value in Q3.12, n > 12 ? rshr(v, n - 12) : n == 12 ? v : sat16(v << (12 - n)).
 * The left shift is a multiplication: C99 leaves shifting a negative value left undefined. */
static int16_t to_q3_12(int16_t v, int32_t frac_bits)
{
    if (frac_bits > GATE_FRAC_BITS) {
        return (int16_t)rshr32(v, frac_bits - GATE_FRAC_BITS);
    }
    if (frac_bits == GATE_FRAC_BITS) {
        return v;
    }
    return sat16((int32_t)v * ((int32_t)1 << (GATE_FRAC_BITS - frac_bits)));
}

/* act(v) = T[k] + rshr(D[k] * t, 7), u = v + 32768, k = u >> 7 (0..511), t = u & 127. The result lies
 * between T[k] and T[k+1], so it is an int16. */
static int16_t interpolate(const int16_t *table, const int16_t *slope, int16_t pre_q3_12)
{
    int32_t u = (int32_t)pre_q3_12 + TABLE_ORIGIN;
    int32_t k = u >> STEP_SHIFT;
    return (int16_t)(table[k] + ((slope[k] * (u & STEP_MASK) + STEP_HALF) >> STEP_SHIFT));
}

int16_t nanornn_sigmoid_q15(int16_t pre_q3_12)
{
    return interpolate(nanornn_sigmoid_table, nanornn_sigmoid_slope, pre_q3_12);
}

int16_t nanornn_tanh_q15(int16_t pre_q3_12)
{
    return interpolate(nanornn_tanh_table, nanornn_tanh_slope, pre_q3_12);
}

/* sum_c w[c] * v[c] for c < n, as an int32. Exact for weights -127..127 and n <= 512
 * (|sum| <= 512 * 127 * 32768 < 2^31); summed unsigned so that any other weight wraps as C# does. */
static int32_t dot_s8_s16(const int8_t *w, const int16_t *v, int32_t n)
{
    uint32_t acc = 0;
    int32_t c;
    for (c = 0; c < n; c++) {
        acc += (uint32_t)((int32_t)w[c] * v[c]);
    }
    return wrap32(acc);
}

/* ---- Argument checks: scalars and pointers first, then the shift array; nothing else is read ---- */

static int size_ok(int32_t n, int32_t max)
{
    return n >= 1 && n <= max;
}

/* Every shift in 1..62: shift - 1 <= 61 unsigned. Blocks of DOT_BLOCK, as the dot products, so that
 * a compiler can test a block with a few vector instructions. */
static int32_t check_shifts(const uint8_t *shift, int32_t rows)
{
    uint32_t bad = 0;
    int32_t r = 0, k;
    for (; r + DOT_BLOCK <= rows; r += DOT_BLOCK) {
        const uint8_t *block = shift + r;
        for (k = 0; k < DOT_BLOCK; k++) {
            bad |= (uint8_t)(block[k] - NANORNN_MIN_SHIFT) > NANORNN_MAX_SHIFT - NANORNN_MIN_SHIFT;
        }
    }
    for (; r < rows; r++) {
        bad |= (uint8_t)(shift[r] - NANORNN_MIN_SHIFT) > NANORNN_MAX_SHIFT - NANORNN_MIN_SHIFT;
    }
    return bad ? NANORNN_ERROR_SHIFT : NANORNN_OK;
}

static int32_t check_rows(int32_t inputs, int32_t hidden, int32_t rows, const int8_t *wx, const int8_t *wh,
                          const int32_t *mx, const int32_t *mh, const uint8_t *shift, const int32_t *bias,
                          const int16_t *x, const int16_t *h, const int16_t *pre)
{
    if (!size_ok(inputs, NANORNN_MAX_DIM) || !size_ok(hidden, NANORNN_MAX_DIM) || !size_ok(rows, NANORNN_MAX_ROWS)) {
        return NANORNN_ERROR_SIZE;
    }
    if (!wx || !wh || !mx || !mh || !shift || !bias || !x || !h || !pre) {
        return NANORNN_ERROR_NULL;
    }
    return check_shifts(shift, rows);
}

static int32_t check_dense(int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
                           const int32_t *bias, const int16_t *v, const void *out)
{
    if (!size_ok(rows, NANORNN_MAX_DIM) || !size_ok(columns, NANORNN_MAX_DIM)) {
        return NANORNN_ERROR_SIZE;
    }
    if (!w || !m || !shift || !bias || !v || !out) {
        return NANORNN_ERROR_NULL;
    }
    return check_shifts(shift, rows);
}

static int32_t rows_per_unit(int32_t cell_type)
{
    return cell_type == NANORNN_CELL_LSTM || cell_type == NANORNN_CELL_GRU ? 4 : 1;
}

static int cell_type_ok(int32_t cell_type)
{
    return cell_type == NANORNN_CELL_LSTM || cell_type == NANORNN_CELL_GRU
        || cell_type == NANORNN_CELL_RNN_TANH || cell_type == NANORNN_CELL_RNN_RELU;
}

static int cell_frac_ok(int32_t cell_frac_bits)
{
    return cell_frac_bits >= NANORNN_MIN_CELL_FRAC_BITS && cell_frac_bits <= NANORNN_MAX_CELL_FRAC_BITS;
}

/* ---- Kernels, unchecked; the public entry points below check first ---- */

/* RowReference.cs:  pre[r] = sat16(rescale_sum(accx, mx'[r], acch, mh'[r], s[r]) + bias[r])
 * PyTorch: W_ih x + b_ih + W_hh h + b_hh, one gate block of rows each.
 * |accx * mx| <= 2^62, so each product fits an int64; their sum with the rounding half is taken
 * modulo 2^64 (the loader refuses any row where it could leave int64, BlobChecker.CheckRescaleRange). */
/* Four dot products at once, rows w + k·n for k = 0..3, against the same v: each v[c] is loaded once
 * for the four rows. Columns go in blocks of DOT_BLOCK, whose inner loop has a constant trip count:
 * a compiler with SIMD instructions turns each block into a few vector multiply-adds even at -O2
 * (gcc 12 on x86-64: SSE2 pmaddwd, 1.2 instructions per MAC, tools/NanoRnn.Bench/native_cost.py),
 * and one without runs it as the plain loop it is. The last n mod DOT_BLOCK columns go two at a
 * time. Sums as dot_s8_s16's (wrapping uint32), so every result is the same in any order. */
static void dot4_s8_s16(const int8_t *w, const int16_t *v, int32_t n, int32_t *sums)
{
    const int8_t *w0 = w, *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int32_t c = 0, k;
    for (; c + DOT_BLOCK <= n; c += DOT_BLOCK) {
        const int8_t *b0 = w0 + c, *b1 = w1 + c, *b2 = w2 + c, *b3 = w3 + c;
        const int16_t *vb = v + c;
        for (k = 0; k < DOT_BLOCK; k++) {
            int32_t vk = vb[k];
            a0 += (uint32_t)(b0[k] * vk);
            a1 += (uint32_t)(b1[k] * vk);
            a2 += (uint32_t)(b2[k] * vk);
            a3 += (uint32_t)(b3[k] * vk);
        }
    }
    for (; c + 2 <= n; c += 2) {
        int32_t v0 = v[c], v1 = v[c + 1];
        a0 += (uint32_t)(w0[c] * v0 + w0[c + 1] * v1);
        a1 += (uint32_t)(w1[c] * v0 + w1[c + 1] * v1);
        a2 += (uint32_t)(w2[c] * v0 + w2[c + 1] * v1);
        a3 += (uint32_t)(w3[c] * v0 + w3[c + 1] * v1);
    }
    if (c < n) {
        int32_t v0 = v[c];
        a0 += (uint32_t)(w0[c] * v0);
        a1 += (uint32_t)(w1[c] * v0);
        a2 += (uint32_t)(w2[c] * v0);
        a3 += (uint32_t)(w3[c] * v0);
    }
    sums[0] = wrap32(a0);
    sums[1] = wrap32(a1);
    sums[2] = wrap32(a2);
    sums[3] = wrap32(a3);
}

/* pre[r] from the row's two sums (RowReference.cs). */
static int16_t row_pre(int32_t accx, int32_t acch, int32_t mx, int32_t mh, int32_t s, int32_t bias)
{
    uint64_t sum = (uint64_t)((int64_t)accx * mx) + (uint64_t)((int64_t)acch * mh) + ((uint64_t)1 << (s - 1));
    return sat16((wrap64(sum) >> s) + bias);
}

/* sums[r] = sum_c w[r*n + c] * v[c] for r < rows: four rows at a time (dot4_s8_s16), the last rows
 * mod 4 one at a time. One call per chunk of rows, so that the dot products need no call each. */
static void dot_rows_s8_s16(const int8_t *w, const int16_t *v, int32_t n, int32_t rows, int32_t *sums)
{
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        dot4_s8_s16(w + (size_t)r * (size_t)n, v, n, sums + r);
    }
    for (; r < rows; r++) {
        sums[r] = dot_s8_s16(w + (size_t)r * (size_t)n, v, n);
    }
}

/* Rows in chunks of ROW_CHUNK: the chunk's input and recurrent sums (dot_rows_s8_s16), then each
 * row's rescale. The sums live on the stack, 2 * ROW_CHUNK int32. */
#define ROW_CHUNK 64

static void pre_activations(int32_t inputs, int32_t hidden, int32_t rows, const int8_t *wx, const int8_t *wh,
                            const int32_t *mx, const int32_t *mh, const uint8_t *shift, const int32_t *bias,
                            const int16_t *x, const int16_t *h, int16_t *pre)
{
    int32_t accx[ROW_CHUNK], acch[ROW_CHUNK];
    int32_t first, r;
    for (first = 0; first < rows; first += ROW_CHUNK) {
        int32_t count = rows - first < ROW_CHUNK ? rows - first : ROW_CHUNK;
        dot_rows_s8_s16(wx + (size_t)first * (size_t)inputs, x, inputs, count, accx);
        dot_rows_s8_s16(wh + (size_t)first * (size_t)hidden, h, hidden, count, acch);
        for (r = 0; r < count; r++) {
            pre[first + r] = row_pre(accx[r], acch[r], mx[first + r], mh[first + r], shift[first + r], bias[first + r]);
        }
    }
}

/* LstmReference.cs. PyTorch:  i, f, g, o = sigma, sigma, tanh, sigma (W_i* x + b_i* + W_h* h + b_h*)
 *                             c' = f * c + i * g;   h' = o * tanh(c')
 * Products of two Q0.15 (or Q0.15 and Q.cf) stay below 2^30 in magnitude: no int32 overflow. */
static void lstm_cell(int32_t hidden, int32_t cf, const int16_t *pre, int16_t *gates, int16_t *cell, int16_t *h)
{
    int32_t j;
    for (j = 0; j < hidden; j++) {
        int16_t i = nanornn_sigmoid_q15(pre[j]);                          /* i = sigma(z_i) */
        int16_t f = nanornn_sigmoid_q15(pre[hidden + j]);                 /* f = sigma(z_f) */
        int16_t g = nanornn_tanh_q15(pre[2 * hidden + j]);                /* g = tanh(z_g) */
        int16_t o = nanornn_sigmoid_q15(pre[3 * hidden + j]);             /* o = sigma(z_o) */
        int16_t c_new = sat16((int64_t)rshr32((int32_t)f * cell[j], STATE_FRAC_BITS)
                              + rshr32((int32_t)i * g, 2 * STATE_FRAC_BITS - cf));     /* c' = f c + i g */
        int16_t h_new = (int16_t)rshr32((int32_t)o * nanornn_tanh_q15(to_q3_12(c_new, cf)),
                                        STATE_FRAC_BITS);                   /* h' = o tanh(c') */
        gates[j] = i;
        gates[hidden + j] = f;
        gates[2 * hidden + j] = g;
        gates[3 * hidden + j] = o;
        cell[j] = c_new;
        h[j] = h_new;
    }
}

/* GruReference.cs. PyTorch:  r = sigma(W_ir x + b_ir + W_hr h + b_hr)   z = sigma(W_iz x + b_iz + W_hz h + b_hz)
 *                            n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *                            h' = (1 - z) * n + z * h = n + z * (h - n)
 * |z * (h - n)| <= 32757 * 65535 < 2^31 - 2^14: rshr stays in int32. h' lies between n and h. */
static void gru_cell(int32_t hidden, const int16_t *pre, int16_t *gates, int16_t *h)
{
    int32_t j;
    for (j = 0; j < hidden; j++) {
        int16_t r = nanornn_sigmoid_q15(pre[j]);                                         /* r = sigma(z_r) */
        int16_t z = nanornn_sigmoid_q15(pre[hidden + j]);                                /* z = sigma(z_z) */
        int16_t gated = (int16_t)rshr32((int32_t)r * pre[3 * hidden + j], STATE_FRAC_BITS); /* r * n_h, Q3.12 */
        int16_t n = nanornn_tanh_q15(sat16((int32_t)pre[2 * hidden + j] + gated));        /* n = tanh(n_x + r n_h) */
        gates[j] = r;
        gates[hidden + j] = z;
        gates[2 * hidden + j] = n;
        gates[3 * hidden + j] = gated;
        h[j] = (int16_t)(n + rshr32((int32_t)z * ((int32_t)h[j] - n), STATE_FRAC_BITS));  /* h' = n + z (h - n) */
    }
}

/* RnnReference.cs. PyTorch:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   (nonlinearity "tanh") */
static void rnn_tanh_cell(int32_t hidden, const int16_t *pre, int16_t *h)
{
    int32_t j;
    for (j = 0; j < hidden; j++) {
        h[j] = nanornn_tanh_q15(pre[j]);
    }
}

/* RnnReference.cs. PyTorch:  h' = relu(W_ih x + b_ih + W_hh h + b_hh)   (nonlinearity "relu") */
static void rnn_relu_cell(int32_t hidden, const int16_t *pre, int16_t *h)
{
    int32_t j;
    for (j = 0; j < hidden; j++) {
        h[j] = pre[j] > 0 ? pre[j] : 0;
    }
}

/* HeadReference.cs: rescale(acc, m, s) + bias = ((acc * m + 2^(s-1)) >> s) + bias, in int64;
 * |acc * m| <= 2^62, so nothing here leaves int64. */
static int64_t dense_row(int32_t columns, const int8_t *w, int32_t m, int32_t s, int32_t bias, const int16_t *v)
{
    int64_t acc = dot_s8_s16(w, v, columns);
    return ((acc * m + ((int64_t)1 << (s - 1))) >> s) + bias;
}

/* One Linear of the head, checked, into exactly one of u and q:
 *   u = relu(W1 h + b1)   the MLP's hidden units, sat16, in units of mlp_scale
 *   q = W v + b           the scores, sat32, in units of output_scale */
static int32_t dense(int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
                     const int32_t *bias, const int16_t *v, int16_t *u, int32_t *q)
{
    int32_t k;
    int32_t status = check_dense(rows, columns, w, m, shift, bias, v, u ? (const void *)u : (const void *)q);
    if (status != NANORNN_OK) {
        return status;
    }
    for (k = 0; k < rows; k++) {
        int64_t value = dense_row(columns, w + (size_t)k * (size_t)columns, m[k], shift[k], bias[k], v);
        if (u) {
            int16_t unit = sat16(value);
            u[k] = unit > 0 ? unit : 0;
        } else {
            q[k] = sat32(value);
        }
    }
    return NANORNN_OK;
}

/* ---- Public entry points ---- */

int32_t nanornn_pre_activations_s8_s16(
    int32_t inputs, int32_t hidden, int32_t rows,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x, const int16_t *h,
    int16_t *pre)
{
    int32_t status = check_rows(inputs, hidden, rows, wx, wh, mx, mh, shift, bias, x, h, pre);
    if (status != NANORNN_OK) {
        return status;
    }
    pre_activations(inputs, hidden, rows, wx, wh, mx, mh, shift, bias, x, h, pre);
    return NANORNN_OK;
}

int32_t nanornn_lstm_cell_s16(
    int32_t hidden, int32_t cell_frac_bits, const int16_t *pre,
    int16_t *gates, int16_t *cell, int16_t *h)
{
    if (!size_ok(hidden, NANORNN_MAX_DIM)) {
        return NANORNN_ERROR_SIZE;
    }
    if (!cell_frac_ok(cell_frac_bits)) {
        return NANORNN_ERROR_CELL_FRAC;
    }
    if (!pre || !gates || !cell || !h) {
        return NANORNN_ERROR_NULL;
    }
    lstm_cell(hidden, cell_frac_bits, pre, gates, cell, h);
    return NANORNN_OK;
}

int32_t nanornn_gru_cell_s16(int32_t hidden, const int16_t *pre, int16_t *gates, int16_t *h)
{
    if (!size_ok(hidden, NANORNN_MAX_DIM)) {
        return NANORNN_ERROR_SIZE;
    }
    if (!pre || !gates || !h) {
        return NANORNN_ERROR_NULL;
    }
    gru_cell(hidden, pre, gates, h);
    return NANORNN_OK;
}

/* Either plain RNN cell, checked. */
static int32_t rnn_cell(int32_t cell_type, int32_t hidden, const int16_t *pre, int16_t *h)
{
    if (!size_ok(hidden, NANORNN_MAX_DIM)) {
        return NANORNN_ERROR_SIZE;
    }
    if (!pre || !h) {
        return NANORNN_ERROR_NULL;
    }
    if (cell_type == NANORNN_CELL_RNN_TANH) {
        rnn_tanh_cell(hidden, pre, h);
    } else {
        rnn_relu_cell(hidden, pre, h);
    }
    return NANORNN_OK;
}

int32_t nanornn_rnn_tanh_cell_s16(int32_t hidden, const int16_t *pre, int16_t *h)
{
    return rnn_cell(NANORNN_CELL_RNN_TANH, hidden, pre, h);
}

int32_t nanornn_rnn_relu_cell_s16(int32_t hidden, const int16_t *pre, int16_t *h)
{
    return rnn_cell(NANORNN_CELL_RNN_RELU, hidden, pre, h);
}

int32_t nanornn_layer_check_s8_s16(
    int32_t cell_type, int32_t inputs, int32_t hidden, int32_t rows, int32_t cell_frac_bits,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x,
    const int16_t *pre, const int16_t *gates, const int16_t *cell, const int16_t *h)
{
    if (!cell_type_ok(cell_type)) {
        return NANORNN_ERROR_CELL_TYPE;
    }
    if (!size_ok(inputs, NANORNN_MAX_DIM) || !size_ok(hidden, NANORNN_MAX_DIM)) {
        return NANORNN_ERROR_SIZE;
    }
    if (rows != rows_per_unit(cell_type) * hidden) {
        return NANORNN_ERROR_ROWS;
    }
    if (cell_type == NANORNN_CELL_LSTM && !cell_frac_ok(cell_frac_bits)) {
        return NANORNN_ERROR_CELL_FRAC;
    }
    if ((cell_type == NANORNN_CELL_LSTM || cell_type == NANORNN_CELL_GRU) && !gates) {
        return NANORNN_ERROR_NULL;
    }
    if (cell_type == NANORNN_CELL_LSTM && !cell) {
        return NANORNN_ERROR_NULL;
    }
    return check_rows(inputs, hidden, rows, wx, wh, mx, mh, shift, bias, x, h, pre);
}

int32_t nanornn_layer_step_s8_s16(
    int32_t cell_type, int32_t inputs, int32_t hidden, int32_t rows, int32_t cell_frac_bits,
    const int8_t *wx, const int8_t *wh, const int32_t *mx, const int32_t *mh, const uint8_t *shift,
    const int32_t *bias, const int16_t *x,
    int16_t *pre, int16_t *gates, int16_t *cell, int16_t *h)
{
    int32_t status = nanornn_layer_check_s8_s16(cell_type, inputs, hidden, rows, cell_frac_bits,
                                                wx, wh, mx, mh, shift, bias, x, pre, gates, cell, h);
    if (status != NANORNN_OK) {
        return status;
    }

    /* pre = W_ih x + b_ih + W_hh h + b_hh, from the old h; the cell then overwrites h. */
    pre_activations(inputs, hidden, rows, wx, wh, mx, mh, shift, bias, x, h, pre);
    switch (cell_type) {
    case NANORNN_CELL_LSTM:
        lstm_cell(hidden, cell_frac_bits, pre, gates, cell, h);
        break;
    case NANORNN_CELL_GRU:
        gru_cell(hidden, pre, gates, h);
        break;
    case NANORNN_CELL_RNN_TANH:
        rnn_tanh_cell(hidden, pre, h);
        break;
    default:
        rnn_relu_cell(hidden, pre, h);
        break;
    }
    return NANORNN_OK;
}

int32_t nanornn_dense_relu_s8_s16(
    int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
    const int32_t *bias, const int16_t *v,
    int16_t *u)
{
    return dense(rows, columns, w, m, shift, bias, v, u, NULL);
}

int32_t nanornn_dense_s8_s32(
    int32_t rows, int32_t columns, const int8_t *w, const int32_t *m, const uint8_t *shift,
    const int32_t *bias, const int16_t *v,
    int32_t *q)
{
    return dense(rows, columns, w, m, shift, bias, v, NULL, q);
}
