"""Integer helpers and activation tables shared by the exporter and the reference.

Every function here has a twin in `firmware/NanoRnn/` with the same rounding; docs/model-format.md
states the rules. Array arguments are NumPy integer arrays and are computed in int64.
"""
import math

import numpy as np

INT16_MIN, INT16_MAX = -32768, 32767
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1

GATE_FRAC_BITS = 12      # gate pre-activations are Q3.12
STATE_FRAC_BITS = 15     # activations and hidden state are Q0.15

TABLE_SIZE = 513         # entries at x_k = (k - 256) / 32, k = 0..512
TABLE_STEP_SHIFT = 7     # one table step is 2^7 Q3.12 units (1/32)


def rshr(v, n):
    """Rounding (half up) arithmetic shift right by n >= 1."""
    return (v + (1 << (n - 1))) >> n


def rescale(acc, multiplier, shift):
    """acc * multiplier * 2^-shift, rounded half up; shift counts right shifts (1..62)."""
    acc = np.asarray(acc, dtype=np.int64)
    multiplier = np.asarray(multiplier, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    return (acc * multiplier + (np.int64(1) << (shift - 1))) >> shift


def common_shift(mx, sx, mh, sh):
    """The single rescale of a gate row: (mx', mh', s) with s = min(sx, sh) and each multiplier
    whose shift is larger rounded down to s, mx' = rshr(mx, sx - s) (unchanged when sx = s).

    The real factors stay those of the blob to within half a unit of mx' · 2^-s, far below a Q3.12
    step for any multiplier the exporter writes (docs/model-format.md, "Row pre-activations").
    """
    mx, sx = np.asarray(mx, dtype=np.int64), np.asarray(sx, dtype=np.int64)
    mh, sh = np.asarray(mh, dtype=np.int64), np.asarray(sh, dtype=np.int64)
    s = np.minimum(sx, sh)

    def narrow(m, shift):
        d = shift - s
        return np.where(d > 0, (m + (np.int64(1) << np.maximum(d - 1, 0))) >> d, m)

    return narrow(mx, sx), narrow(mh, sh), s


def rescale_sum(accx, mx, acch, mh, shift):
    """(accx · mx + acch · mh + 2^(shift-1)) >> shift in int64: both products of a gate row, one rounding."""
    accx, acch = np.asarray(accx, dtype=np.int64), np.asarray(acch, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    return (accx * np.asarray(mx, dtype=np.int64) + acch * np.asarray(mh, dtype=np.int64)
            + (np.int64(1) << (shift - 1))) >> shift


def sat16(v):
    return np.clip(v, INT16_MIN, INT16_MAX)


def sat32(v):
    return np.clip(v, INT32_MIN, INT32_MAX)


def quantize_multiplier(real):
    """Split a non-negative real factor into (multiplier, shift) with factor = multiplier * 2^-shift.

    The multiplier is normalised into [2^30, 2^31) where the shift allows it; factors too small for
    shift 62 lose precision gracefully (down to multiplier 0). Raises ValueError for a factor of
    2^30 or more, which no sane model produces.
    """
    real = float(real)
    if not math.isfinite(real) or real < 0:
        raise ValueError(f"multiplier {real!r} is not a finite non-negative number")
    if real == 0.0:
        return 0, 31
    mantissa, exponent = math.frexp(real)          # real = mantissa * 2^exponent, mantissa in [0.5, 1)
    multiplier = int(round(mantissa * (1 << 31)))
    if multiplier == 1 << 31:
        multiplier //= 2
        exponent += 1
    shift = 31 - exponent
    if shift < 1:
        raise ValueError(f"multiplier {real!r} is too large (at most 2^30)")
    if shift > 62:
        multiplier = int(round(real * (1 << 62)))
        shift = 62
    return multiplier, shift


def _table_points():
    return (np.arange(TABLE_SIZE, dtype=np.float64) - 256.0) / 32.0


def sigmoid_table():
    x = _table_points()
    values = np.floor(32768.0 / (1.0 + np.exp(-x)) + 0.5)
    return np.minimum(values, INT16_MAX).astype(np.int64)


def tanh_table():
    x = _table_points()
    values = np.floor(32768.0 * np.tanh(x) + 0.5)
    return np.clip(values, INT16_MIN, INT16_MAX).astype(np.int64)


SIGMOID = sigmoid_table()
TANH = tanh_table()


def activate(table, pre_q3_12):
    """Table lookup with linear interpolation; Q3.12 int16 in, Q0.15 int16 out."""
    u = np.asarray(pre_q3_12, dtype=np.int64) + 32768
    k = u >> TABLE_STEP_SHIFT
    t = u & ((1 << TABLE_STEP_SHIFT) - 1)
    low = table[k]
    return low + rshr((table[k + 1] - low) * t, TABLE_STEP_SHIFT)


def sigmoid(pre_q3_12):
    return activate(SIGMOID, pre_q3_12)


def tanh(pre_q3_12):
    return activate(TANH, pre_q3_12)


def to_q3_12(value, frac_bits):
    """Re-express a Q(15-frac_bits).frac_bits int16 in Q3.12, saturating."""
    if frac_bits > GATE_FRAC_BITS:
        return rshr(value, frac_bits - GATE_FRAC_BITS)
    if frac_bits == GATE_FRAC_BITS:
        return value
    return sat16(value << (GATE_FRAC_BITS - frac_bits))


def activation_errors():
    """Worst |table activation - float| over every int16 input, in real units: (sigmoid, tanh)."""
    v = np.arange(INT16_MIN, INT16_MAX + 1, dtype=np.int64)
    x = v / 4096.0
    sig = np.max(np.abs(sigmoid(v) / 32768.0 - 1.0 / (1.0 + np.exp(-x))))
    tan = np.max(np.abs(tanh(v) / 32768.0 - np.tanh(x)))
    return float(sig), float(tan)
