"""Stage by stage: the integer reference's stages in real units beside the float reference's.

Both sides run on the same float inputs (float_reference.run gives the float side); the integer
side's stages are dequantised so each can be compared with its float twin (per layer):

    LSTM   pre    Q3.12 / 2^12       gates  Q0.15 / 2^15       cell  / 2^cf
    GRU    pre    r, z, n_x, n_h / 2^12;  gates r, z, n / 2^15, r ⊙ n_h / 2^12
    RNN    pre    / 2^12, relu: × hidden scale
    all    hidden × the layer's hidden scale
    logits the head on the last layer's h after every step       q_t · output_scale

Q3.12 saturates pre-activations at ±8 by design (σ and tanh are flat there), so float
pre-activations are clipped to the range their integer twins can hold before comparing: what
remains is the error the activations see. Traces are lists with one entry per layer.
"""
import numpy as np

from . import blob, reference
from . import fixedpoint as fx

PRE_RANGE = 2.0 ** (15 - fx.GATE_FRAC_BITS)     # Q3.12 holds -8 .. 8
Q0_15, Q3_12 = 2.0 ** -fx.STATE_FRAC_BITS, 2.0 ** -fx.GATE_FRAC_BITS


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

    integer: integer_trace(model, x); floating: float_reference.run(structure, x).
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
