"""Bit-exact integer reference of the firmware's forward pass (docs/model-format.md).

NumPy int64 arithmetic over a batch of sequences; every rounding and saturation is the firmware's.
"""
import numpy as np

from . import fixedpoint as fx


def quantize_input(model, x):
    """Training units (N×T×C float) -> int16 counts, exactly as the desktop runner does it."""
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        n, t, c = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"input is not finite at sequence {n}, step {t}, channel {c}")
    scale = model.input_scale.astype(np.float64)
    zero = model.input_zero.astype(np.float64)
    counts = np.floor(x / scale + zero + 0.5)
    return np.clip(counts, fx.INT16_MIN, fx.INT16_MAX).astype(np.int64)


def lstm_step(model, x, h, c):
    """One LSTM step for a batch. x [N,C], h [N,H] Q0.15, c [N,H] Q.cf -> (pre, gates, c', h').

    PyTorch: i, f, g, o = σ, σ, tanh, σ (W_i* x + b_i* + W_h* h + b_h*)
             c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
    """
    layer, hidden, cf = model.layer, model.hidden_size, model.cell_frac_bits
    accx = x @ layer.wx.astype(np.int64).T                         # [N, R] int32-exact
    acch = h @ layer.wh.astype(np.int64).T
    pre = fx.sat16(fx.rescale(accx, layer.mx, layer.sx) + fx.rescale(acch, layer.mh, layer.sh)
                   + layer.bias.astype(np.int64))                   # Q3.12
    gi, gf, gg, go = (pre[:, g * hidden:(g + 1) * hidden] for g in range(4))
    i, f, g, o = fx.sigmoid(gi), fx.sigmoid(gf), fx.tanh(gg), fx.sigmoid(go)   # Q0.15
    c_new = fx.sat16(fx.rshr(f * c, 15) + fx.rshr(i * g, 30 - cf))            # Q.cf
    h_new = fx.rshr(o * fx.tanh(fx.to_q3_12(c_new, cf)), 15)                  # Q0.15
    return pre, np.concatenate([i, f, g, o], axis=1), c_new, h_new


def head(model, h):
    """Linear head: q = sat32(rescale(W h) + bias) per class."""
    acc = h @ model.head.w.astype(np.int64).T
    return fx.sat32(fx.rescale(acc, model.head.m, model.head.s) + model.head.bias.astype(np.int64))


def run(model, x_int):
    """Run sequences x_int [N,T,C] (int16 counts) from zero state.

    Returns a dict of int64 arrays: pre and gates [N,T,4H], cell and hidden [N,T,H], q [N,K].
    """
    x_int = np.asarray(x_int, dtype=np.int64)
    n, steps, _ = x_int.shape
    hidden = model.hidden_size
    h = np.zeros((n, hidden), dtype=np.int64)
    c = np.zeros((n, hidden), dtype=np.int64)
    stages = {name: np.zeros((n, steps, width), dtype=np.int64)
              for name, width in (("pre", model.rows), ("gates", model.rows),
                                  ("cell", hidden), ("hidden", hidden))}
    for t in range(steps):
        pre, gates, c, h = lstm_step(model, x_int[:, t, :], h, c)
        stages["pre"][:, t], stages["gates"][:, t] = pre, gates
        stages["cell"][:, t], stages["hidden"][:, t] = c, h
    stages["q"] = head(model, h)
    return stages


def logits(model, q):
    return np.asarray(q, dtype=np.float64) * np.float64(np.float32(model.output_scale))


def argmax(q):
    """First maximum per row, as the firmware's ArgMax."""
    return np.argmax(q, axis=1)


def csv_text(model, q):
    """The CSV that `quantize.py reference` and the desktop `infer` both write."""
    k = model.class_count
    header = ["pred"] + [f"q{i}" for i in range(k)] + [f"logit{i}" for i in range(k)]
    lines = [",".join(header)]
    lg = logits(model, q)
    for row, pred in enumerate(argmax(q)):
        lines.append(",".join([str(int(pred))] + [str(int(v)) for v in q[row]]
                              + [f"{v:.6f}" for v in lg[row]]))
    return "\n".join(lines) + "\n"
