"""Bit-exact integer reference of the firmware's forward pass (docs/model-format.md).

NumPy int64 arithmetic over a batch of sequences; every rounding and saturation is the firmware's.
"""
import numpy as np

from . import blob
from . import fixedpoint as fx


UNITS = ("training", "counts")


def quantize_input(model, x):
    """Training units (N×T×C float) -> int16 counts, exactly as the desktop runner does it."""
    return to_counts(model, x)[0]


def to_counts(model, x, units="training", lengths=None):
    """Inputs -> (int16 counts as int64 [N,T,C], how many values saturated per channel [C]).

    units "training": count = floor(x / scale + zero + 0.5); "counts": x already is what the firmware
    is fed (raw sensor counts for a blob with the normalisation folded in), count = floor(x + 0.5).
    Either way clamped to int16, as the desktop runner does it. Only the first lengths[n] steps of
    sequence n count towards saturation (the rest is padding).
    """
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        n, t, c = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"input is not finite at sequence {n}, step {t}, channel {c}")
    if units == "counts":
        counts = np.floor(x + 0.5)
    else:
        scale = model.input_scale.astype(np.float64)
        zero = model.input_zero.astype(np.float64)
        counts = np.floor(x / scale + zero + 0.5)
    outside = (counts < fx.INT16_MIN) | (counts > fx.INT16_MAX)
    if lengths is not None:
        outside &= np.arange(x.shape[1])[None, :, None] < np.asarray(lengths)[:, None, None]
    return np.clip(counts, fx.INT16_MIN, fx.INT16_MAX).astype(np.int64), outside.sum(axis=(0, 1))


def from_counts(model, counts):
    """Counts -> the training units they stand for: (counts - zero) * scale."""
    return ((np.asarray(counts, np.float64) - model.input_zero.astype(np.float64))
            * model.input_scale.astype(np.float64))


def saturation_warning(name, model, saturated, total, units="training"):
    """None, or one sentence on inputs that saturated int16 (desktop InferCommand.SaturationWarning
    writes the same words)."""
    count = int(np.sum(saturated))
    if count == 0:
        return None
    channels = ", ".join(
        f"{c}{'' if model.channel_source[c] == 0 else ' (' + blob.channel_name(model.channel_source[c]) + ')'} "
        f"{int(saturated[c])}" for c in np.flatnonzero(saturated))
    if units == "counts":
        cause = ("with --input-units counts they must be int16 counts, -32768..32767: in training units? "
                 "leave out --input-units counts")
    elif np.any(model.input_zero != 0):
        cause = ("the blob takes training units, (counts - mean) / std with the mean and std folded in at "
                 "export: raw sensor counts? pass --input-units counts")
    else:
        cause = ("they lie beyond the input range the blob was calibrated for (without --calibration at export: "
                 "standardised inputs, |x| <= 8): other units or a wider range? export with --calibration on "
                 "data like these")
    return f"{name}: {count} of {total} input values saturated the int16 input (per channel: {channels}); {cause}"


def pre_activations(layer, x, h):
    """pre[r] = sat16(rescale_sum(Wx x, mx', Wh h, mh', s) + bias), every row of a layer (mx', mh', s: common_shift)."""
    accx = x @ layer.wx.astype(np.int64).T                         # [N, R] int32-exact
    acch = h @ layer.wh.astype(np.int64).T
    mx, mh, shift = fx.common_shift(layer.mx, layer.sx, layer.mh, layer.sh)
    return fx.sat16(fx.rescale_sum(accx, mx, acch, mh, shift) + layer.bias.astype(np.int64))


def lstm_step(layer, x, h, c):
    """One LSTM step for a batch. x [N,in], h [N,H] Q0.15, c [N,H] Q.cf -> (pre, gates, c', h').

    PyTorch: i, f, g, o = σ, σ, tanh, σ (W_i* x + b_i* + W_h* h + b_h*)
             c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
    """
    hidden, cf = layer.hidden_size, layer.cell_frac_bits
    pre = pre_activations(layer, x, h)                              # Q3.12
    gi, gf, gg, go = (pre[:, g * hidden:(g + 1) * hidden] for g in range(4))
    i, f, g, o = fx.sigmoid(gi), fx.sigmoid(gf), fx.tanh(gg), fx.sigmoid(go)   # Q0.15
    c_new = fx.sat16(fx.rshr(f * c, 15) + fx.rshr(i * g, 30 - cf))            # Q.cf
    h_new = fx.rshr(o * fx.tanh(fx.to_q3_12(c_new, cf)), 15)                  # Q0.15
    return pre, np.concatenate([i, f, g, o], axis=1), c_new, h_new


def gru_step(layer, x, h):
    """One GRU step. Rows r, z, n_x, n_h -> (pre, gates [r, z, n, r ⊙ n_h], h').

    PyTorch: r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
             n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
             h' = (1 - z) ⊙ n + z ⊙ h = n + z ⊙ (h - n)
    """
    hidden = layer.hidden_size
    pre = pre_activations(layer, x, h)                              # Q3.12
    r = fx.sigmoid(pre[:, :hidden])                                 # Q0.15
    z = fx.sigmoid(pre[:, hidden:2 * hidden])
    gated = fx.rshr(r * pre[:, 3 * hidden:], 15)                    # Q3.12
    n = fx.tanh(fx.sat16(pre[:, 2 * hidden:3 * hidden] + gated))    # Q0.15
    h_new = n + fx.rshr(z * (h - n), 15)                            # Q0.15, between n and h
    return pre, np.concatenate([r, z, n, gated], axis=1), h_new


def rnn_step(layer, x, h):
    """One plain RNN step: h' = tanh(pre) (Q3.12 -> Q0.15) or max(pre, 0) (pre in h's own scale)."""
    pre = pre_activations(layer, x, h)
    h_new = fx.tanh(pre) if layer.cell_type == blob.CELL_RNN_TANH else np.maximum(pre, 0)
    return pre, h_new, h_new


def layer_step(layer, x, h, c):
    """One step of any layer: (pre, gates, c', h'); c is LSTM-only ([N, 0] otherwise)."""
    if layer.cell_type == blob.CELL_LSTM:
        return lstm_step(layer, x, h, c)
    if layer.cell_type == blob.CELL_GRU:
        pre, gates, h_new = gru_step(layer, x, h)
    else:
        pre, gates, h_new = rnn_step(layer, x, h)
    return pre, gates, c, h_new


def dense(d, v):
    """q = rescale(W v, m, s) + bias per row, int64 (saturated by the caller)."""
    acc = v @ d.w.astype(np.int64).T
    return fx.rescale(acc, d.m, d.s) + d.bias.astype(np.int64)


def head(model, h):
    """Linear head q = sat32(rescale(W h) + bias); MLP: u = max(0, sat16(rescale(W1 h) + b1)) first."""
    if model.mlp is not None:
        h = np.maximum(fx.sat16(dense(model.mlp, h)), 0)
    return fx.sat32(dense(model.head, h))


def run(model, x_int, lengths=None):
    """Run sequences x_int [N,T,C] (int16 counts) from zero state.

    Returns a dict of int64 arrays. pre, gates [N,T,ΣR], cell [N,T,Σ H of LSTM layers] and hidden
    [N,T,ΣH] hold every layer's stage side by side, layer 0 first; q_steps [N,T,K] the head after
    every step; q [N,K] the head after the last valid step (lengths[n] - 1, or T - 1).
    """
    x_int = np.asarray(x_int, dtype=np.int64)
    n, steps, _ = x_int.shape
    state = [(np.zeros((n, layer.hidden_size), dtype=np.int64),
              np.zeros((n, layer.hidden_size if layer.cell_type == blob.CELL_LSTM else 0), dtype=np.int64))
             for layer in model.layers]
    widths = {"pre": sum(layer.rows for layer in model.layers),
              "gates": sum(layer.rows for layer in model.layers),
              "cell": sum(c.shape[1] for _, c in state),
              "hidden": sum(layer.hidden_size for layer in model.layers)}
    stages = {name: np.zeros((n, steps, width), dtype=np.int64) for name, width in widths.items()}
    stages["q_steps"] = np.zeros((n, steps, model.class_count), dtype=np.int64)
    for t in range(steps):
        v = x_int[:, t, :]
        parts = {name: [] for name in widths}
        for index, layer in enumerate(model.layers):
            h, c = state[index]
            pre, gates, c, h = layer_step(layer, v, h, c)
            state[index] = (h, c)
            for name, value in (("pre", pre), ("gates", gates), ("cell", c), ("hidden", h)):
                parts[name].append(value)
            v = h
        for name in widths:
            stages[name][:, t] = np.concatenate(parts[name], axis=1)
        stages["q_steps"][:, t] = head(model, v)
    last = np.full(n, steps - 1) if lengths is None else np.asarray(lengths) - 1
    stages["q"] = stages["q_steps"][np.arange(n), last] if steps else head(model, state[-1][0])
    return stages


def logits(model, q):
    return np.asarray(q, dtype=np.float64) * np.float64(np.float32(model.output_scale))


def argmax(q):
    """First maximum per row, as the firmware's ArgMax."""
    return np.argmax(q, axis=-1)


def _row(model, q):
    return ([str(int(argmax(q)))] + [str(int(v)) for v in q]
            + [f"{v:.6f}" for v in logits(model, q)])


def csv_text(model, q):
    """The CSV that `quantize.py reference` and the desktop `infer` both write: one row per sequence."""
    k = model.class_count
    header = ["pred"] + [f"q{i}" for i in range(k)] + [f"logit{i}" for i in range(k)]
    lines = [",".join(header)] + [",".join(_row(model, row)) for row in q]
    return "\n".join(lines) + "\n"


def csv_text_every_step(model, q_steps, lengths=None):
    """`--every-step`: one row per sequence and valid step, `seq,step,pred,q…,logit…`."""
    k = model.class_count
    header = ["seq", "step", "pred"] + [f"q{i}" for i in range(k)] + [f"logit{i}" for i in range(k)]
    lines = [",".join(header)]
    for n in range(q_steps.shape[0]):
        for t in range(q_steps.shape[1] if lengths is None else int(lengths[n])):
            lines.append(",".join([str(n), str(t)] + _row(model, q_steps[n, t])))
    return "\n".join(lines) + "\n"
