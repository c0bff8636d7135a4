"""Stage by stage: the float model evaluated step by step beside the integer reference.

Both sides are traced on the same float inputs; the integer side's stages are dequantised into
real units so each stage can be compared with its float twin (per layer, PyTorch semantics):

    LSTM   pre    W_i* x + b_i* + W_h* h + b_h*, gates i f g o   pre / 2^12 (Q3.12)
           gates  σ σ tanh σ (pre)                               gates / 2^15 (Q0.15)
           cell   c' = f ⊙ c + i ⊙ g                             cell / 2^cf
    GRU    pre    r, z sums as above; n_x = W_in x + b_in; n_h = W_hn h + b_hn   / 2^12
           gates  r, z, n = tanh(n_x + r ⊙ n_h) (/ 2^15), r ⊙ n_h (/ 2^12)
    RNN    pre    W_ih x + b_ih + W_hh h + b_hh                  / 2^12, relu: × hidden scale
    all    hidden h'                                             × the layer's hidden scale
    logits the head on the last layer's h after every step       q_t · output_scale

Q3.12 saturates pre-activations at ±8 by design (σ and tanh are flat there), so float
pre-activations are clipped to the range their integer twins can hold before comparing: what
remains is the error the activations see. Traces are lists with one entry per layer.
"""
import numpy as np

from . import blob, export, reference
from . import fixedpoint as fx

PRE_RANGE = 2.0 ** (15 - fx.GATE_FRAC_BITS)     # Q3.12 holds -8 .. 8
Q0_15, Q3_12 = 2.0 ** -fx.STATE_FRAC_BITS, 2.0 ** -fx.GATE_FRAC_BITS


class FloatModel:
    """The float parameters of a state_dict as the exporter reads them (export.find_structure)."""

    def __init__(self, state, nonlinearity=None):
        structure = export.find_structure(state, nonlinearity)
        self.layers = structure.layers     # [export.RecurrentLayer]
        self.dense = structure.head        # [(W, b)]: a Linear, or an MLP's two (ReLU between)

    def head(self, h):
        for w, b in self.dense[:-1]:
            h = np.maximum(h @ w.T + b, 0.0)
        w, b = self.dense[-1]
        return h @ w.T + b


def _float_step(layer, x, h, c):
    """One float step: ({stage: value}, h', c') with the blocks laid out as the reference's."""
    if layer.cell == blob.CELL_LSTM:
        pre = x @ layer.w_ih.T + layer.b_ih + h @ layer.w_hh.T + layer.b_hh
        zi, zf, zg, zo = np.split(pre, 4, axis=1)
        i, f, g, o = export.sigmoid(zi), export.sigmoid(zf), np.tanh(zg), export.sigmoid(zo)
        c = f * c + i * g
        h = o * np.tanh(c)
        return {"pre": pre, "gates": np.concatenate([i, f, g, o], axis=1), "cell": c, "hidden": h}, h, c
    if layer.cell == blob.CELL_GRU:
        gx = x @ layer.w_ih.T + layer.b_ih
        gh = h @ layer.w_hh.T + layer.b_hh
        (rx, zx, nx), (rh, zh, nh) = np.split(gx, 3, axis=1), np.split(gh, 3, axis=1)
        r, z = export.sigmoid(rx + rh), export.sigmoid(zx + zh)
        n = np.tanh(nx + r * nh)
        h = (1 - z) * n + z * h
        return {"pre": np.concatenate([rx + rh, zx + zh, nx, nh], axis=1),
                "gates": np.concatenate([r, z, n, r * nh], axis=1), "hidden": h}, h, c
    pre = x @ layer.w_ih.T + layer.b_ih + h @ layer.w_hh.T + layer.b_hh
    h = np.tanh(pre) if layer.cell == blob.CELL_RNN_TANH else np.maximum(pre, 0.0)
    return {"pre": pre, "hidden": h}, h, c


def float_trace(fm, x):
    """Float64 evaluation of x [N,T,C]: ([{stage: [N,T,width]} per layer], logits per step [N,T,K])."""
    x = np.asarray(x, dtype=np.float64)
    n, steps, _ = x.shape
    layers, v = [], x
    for layer in fm.layers:
        h, c = np.zeros((n, layer.hidden)), np.zeros((n, layer.hidden))
        out = {}
        for t in range(steps):
            values, h, c = _float_step(layer, v[:, t], h, c)
            for name, value in values.items():
                out.setdefault(name, np.zeros((n, steps, value.shape[1])))[:, t] = value
        layers.append(out)
        v = out["hidden"]
    return layers, fm.head(v)


def _dequantised_layers(model, stages):
    """Split the reference's side-by-side stages per layer and express them in real units."""
    layers, offsets = [], {"pre": 0, "gates": 0, "cell": 0, "hidden": 0}

    def take(name, width):
        start = offsets[name]
        offsets[name] += width
        return stages[name][:, :, start:start + width].astype(np.float64)
    for layer in model.layers:
        h, rows = layer.hidden_size, layer.rows
        pre, gates = take("pre", rows), take("gates", rows)
        relu = layer.cell_type == blob.CELL_RNN_RELU
        out = {"pre": pre * (layer.hidden_scale if relu else Q3_12)}
        if layer.cell_type == blob.CELL_LSTM:
            out["gates"] = gates * Q0_15
            out["cell"] = take("cell", h) * 2.0 ** -layer.cell_frac_bits
        elif layer.cell_type == blob.CELL_GRU:
            out["gates"] = np.concatenate([gates[:, :, :3 * h] * Q0_15, gates[:, :, 3 * h:] * Q3_12], axis=2)
        out["hidden"] = take("hidden", h) * layer.hidden_scale
        layers.append(out)
    return layers


def integer_trace(model, x):
    """The reference on x [N,T,C] (training units), dequantised: (input, [stages per layer], logits per step)."""
    x_int = reference.quantize_input(model, x)
    stages = reference.run(model, x_int)
    inputs = (x_int - model.input_zero.astype(np.float64)) * model.input_scale.astype(np.float64)
    return inputs, _dequantised_layers(model, stages), reference.logits(model, stages["q_steps"])


def stage_error(integer, floating):
    """{max, mean, rms, relative (rms error / rms float)} of integer - float over all elements."""
    delta = np.abs(np.asarray(integer, np.float64) - floating)
    if not delta.size:
        return {"max": 0.0, "mean": 0.0, "rms": 0.0, "relative": 0.0}
    rms_float = float(np.sqrt(np.mean(np.square(floating))))
    rms = float(np.sqrt(np.mean(np.square(delta))))
    return {"max": float(np.max(delta)), "mean": float(np.mean(delta)), "rms": rms,
            "relative": rms / rms_float if rms_float > 0 else 0.0}


def stage_errors(model, x, integer, floating):
    """Every stage's error, in forward order: [(label, stage key, layer index or None, error dict)].

    integer: integer_trace(model, x); floating: float_trace(fm, x).
    """
    inputs, int_layers, int_logits = integer
    float_layers, float_logits = floating
    rows = [("input", "input", None, stage_error(inputs, x))]
    for index, (layer, q, f) in enumerate(zip(model.layers, int_layers, float_layers)):
        held = 32768 * layer.hidden_scale if layer.cell_type == blob.CELL_RNN_RELU else PRE_RANGE
        clipped = dict(f, pre=np.clip(f["pre"], -held, held))
        rows += [(f"layer {index} {name}", name, index, stage_error(q[name], clipped[name])) for name in q]
    rows.append(("logits (head after every step)", "logits", None, stage_error(int_logits, float_logits)))
    return rows
