"""PyTorch model -> quantized `blob.Model`. All float work happens here, none in the firmware.

Recognised structure: one unidirectional `nn.LSTM`, `nn.GRU` or `nn.RNN` (tanh or relu) of 1 to 4
layers under any attribute name, then a head of one `nn.Linear`, or two (`Linear -> ReLU -> Linear`,
an MLP), given as a state_dict or as a whole pickled module (whose class need not be importable
here). A state_dict does not say whether an `nn.RNN` uses tanh or relu: PyTorch's default, tanh, is
assumed unless told (`nonlinearity`); a whole module says it itself.
"""
import math

import numpy as np

from . import blob, device, reference
from . import fixedpoint as fx
from .errors import ExportError  # noqa: F401 (re-exported: callers catch export.ExportError)

DEFAULT_INPUT_RANGE = 8.0     # without calibration data: inputs standardised to about ±8
DEFAULT_CELL_FRAC_BITS = 11   # without calibration data: cell state in Q4.11 (±16)
CELL_HEADROOM = 1.5           # calibrated cell range = observed max |c| times this
INPUT_HEADROOM = 2.0          # calibrated input range = observed max |x| times this: 16 bits leave
                              # room, and inputs beyond the calibration data then do not clip
RELU_HEADROOM = 1.5           # calibrated RNN-relu range (and MLP intermediate) = observed max times this
STANDARDISED_LIMIT = 50.0     # no standardised input reaches this many standard deviations
DEFAULT_RELU_RANGE = 8.0      # without calibration data: RNN-relu hidden state saturates at 8
MAX_LAYERS = blob.MAX_LAYERS
HEAD_Q_BOUND = 32000          # largest |q| the head can produce, kept below 32767 for rounding


def load_model(path, key=None):
    """Read what torch.save (or torch.jit.save) wrote: a modelfile.ModelFile (modelfile.py)."""
    from . import modelfile
    return modelfile.load(path, key)


def load_state_dict(path):
    """Read what torch.save wrote (state_dict or whole module) as {name: float64 ndarray}."""
    return load_model(path).state


class RecurrentLayer:
    """One layer of the recognised recurrent module, in PyTorch's own terms."""

    def __init__(self, cell, w_ih, w_hh, b_ih, b_hh, prefix):
        self.cell, self.w_ih, self.w_hh, self.b_ih, self.b_hh = cell, w_ih, w_hh, b_ih, b_hh
        self.prefix = prefix      # the module's parameter prefix, e.g. "lstm."

    @property
    def hidden(self):
        return self.w_hh.shape[1]


class Structure:
    """What find_structure recognised: recurrent layers, then one or two head Linears."""

    def __init__(self, layers, head, head_names):
        self.layers = layers          # [RecurrentLayer]
        self.head = head              # [(weight [out, in], bias [out])], 1 = linear, 2 = MLP
        self.head_names = head_names  # their weight names


_CELL_BY_GATES = {4: blob.CELL_LSTM, 3: blob.CELL_GRU, 1: blob.CELL_RNN_TANH}


def find_structure(state, nonlinearity=None):
    """Locate the recurrent layers and the head in a state_dict; refuse anything else by name.

    nonlinearity: 'tanh' or 'relu' for an nn.RNN (None: tanh, PyTorch's default), or a dict
    {module prefix: nonlinearity} as load_model returns it.
    """
    prefixes = [k[:-len("weight_ih_l0")] for k in state if k.endswith("weight_ih_l0")]
    if not prefixes:
        raise ExportError("no recurrent layer found (no parameter named *weight_ih_l0)")
    if len(prefixes) > 1:
        raise ExportError(f"{len(prefixes)} recurrent modules found ({', '.join(p.rstrip('.') for p in prefixes)}); one is supported")
    p = prefixes[0]
    for name in state:
        if name.startswith(p) and name.endswith("_reverse"):
            raise ExportError(f"{name}: bidirectional=True cannot stream (the reverse direction needs the "
                              "whole sequence first); train with bidirectional=False")
        if name.startswith(p) and "weight_hr_l" in name:
            raise ExportError(f"{name}: LSTM proj_size is not supported; train with proj_size=0 "
                              "(or add an nn.Linear head of that size instead)")
    if isinstance(nonlinearity, dict):
        nonlinearity = nonlinearity.get(p)
    if nonlinearity not in (None, "tanh", "relu"):
        raise ExportError(f"RNN nonlinearity {nonlinearity!r} is not tanh or relu")

    layers, used = [], set()
    while p + f"weight_ih_l{len(layers)}" in state:
        index = len(layers)
        if index == MAX_LAYERS:
            raise ExportError(f"{p}weight_ih_l{index}: num_layers > {MAX_LAYERS} is not supported; "
                              f"use num_layers <= {MAX_LAYERS}")
        names = [p + f"{n}_l{index}" for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        w_ih, w_hh = state[names[0]], state.get(names[1])
        if w_hh is None or w_ih.ndim != 2 or w_hh.ndim != 2:
            raise ExportError(f"{names[1]} is missing or {names[0]} is not a matrix")
        hidden = w_hh.shape[1]
        gates = w_hh.shape[0] // hidden if hidden else 0
        if gates not in _CELL_BY_GATES or gates * hidden != w_hh.shape[0] or w_ih.shape[0] != w_hh.shape[0]:
            raise ExportError(f"{names[0]} {w_ih.shape} and {names[1]} {w_hh.shape} are not the shapes "
                              "of an LSTM, GRU or RNN layer")
        cell = _CELL_BY_GATES[gates]
        if cell == blob.CELL_RNN_TANH and nonlinearity == "relu":
            cell = blob.CELL_RNN_RELU
        if layers and (cell != layers[0].cell or w_ih.shape[1] != layers[-1].hidden):
            raise ExportError(f"{names[0]} has shape {w_ih.shape}; layer {index} of this module needs "
                              f"({gates * hidden}, {layers[-1].hidden})")
        biases = []
        for name in names[2:]:
            b = state.get(name, np.zeros(gates * hidden))
            if b.shape != (gates * hidden,):
                raise ExportError(f"{name} has shape {b.shape}, expected ({gates * hidden},)")
            biases.append(b)
        layers.append(RecurrentLayer(cell, w_ih, w_hh, biases[0], biases[1], p))
        used.update(names)
    for name in state:
        if name.startswith(p) and name not in used:
            raise ExportError(f"parameter {name} {tuple(state[name].shape)} is not understood "
                              f"(layers are numbered from 0 without gaps)")

    hidden = layers[-1].hidden
    rest = [k for k in state if k not in used]
    weights = [k for k in rest if k.endswith("weight") and state[k].ndim == 2]
    if not weights:
        raise ExportError("no linear head found (a 2-D *weight after the recurrent layers)")
    if len(weights) > 2:
        raise ExportError(f"{weights[2]}: a head of one Linear, or two with a ReLU between them, is "
                          f"supported (found {', '.join(weights)})")
    head, width = [], hidden
    for name in weights:
        w = state[name]
        if w.shape[1] != width:
            what = "a head on the last hidden state" if width == hidden and not head else "the second Linear"
            raise ExportError(f"{name} has shape {w.shape}; {what} needs {width} columns")
        hp = name[:-len("weight")]
        b = state.get(hp + "bias", np.zeros(w.shape[0]))
        if b.shape != (w.shape[0],):
            raise ExportError(f"{hp}bias has shape {b.shape}, expected ({w.shape[0]},)")
        head.append((w, b))
        used.update((name, hp + "bias"))
        width = w.shape[0]
    extra = [k for k in rest if k not in used]
    if extra:
        raise ExportError(f"parameter {extra[0]} {tuple(state[extra[0]].shape)} is not understood "
                          "(NanoRnn takes one LSTM, GRU or RNN module and a Linear or "
                          "Linear-ReLU-Linear head)")
    return Structure(layers, head, weights)


def describe(structure, every_step=False):
    """One phrase for what was recognised: 'LSTM 6→24, then Linear 24→5 on the last step'."""
    layers = structure.layers
    sizes = "→".join([str(layers[0].w_ih.shape[1])] + [str(layer.hidden) for layer in layers])
    head = " → ReLU → ".join(f"Linear {w.shape[1]}→{w.shape[0]}" for w, _ in structure.head)
    return (f"{blob.CELL_NAMES[layers[0].cell]} {sizes}, then {head} "
            f"{'on every step' if every_step else 'on the last step'}")


def fold_head(state, structure):
    """The state with a head of two Linears that have nothing between them made one Linear:
    W2 (W1 h + b1) + b2 = (W2 W1) h + (W2 b1 + b2), under the second Linear's names."""
    (w1, b1), (w2, b2) = structure.head
    first, second = structure.head_names
    folded = {k: v for k, v in state.items() if k not in (first, first[:-len("weight")] + "bias")}
    folded[second] = w2 @ w1
    folded[second[:-len("weight")] + "bias"] = w2 @ b1 + b2
    return folded


def load_calibration(path):
    """Read calibration inputs: a numeric .npy of shape N×T×C in training units."""
    try:
        x = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file")
    except IsADirectoryError:
        raise ExportError(f"{path}: is a folder, not a .npy file")
    except Exception as e:
        raise ExportError(f"{path}: not a .npy array ({e})")
    if isinstance(x, np.lib.npyio.NpzFile):
        names = ", ".join(x.files) or "nothing"
        x.close()
        raise ExportError(f"{path}: is an .npz archive (of {names}); calibration takes one N×T×C .npy array "
                          "(np.save(path, x))")
    if x.dtype.kind not in "fiu":
        raise ExportError(f"{path}: dtype {x.dtype} is not numeric")
    if x.ndim != 3:
        raise ExportError(f"{path}: shape {x.shape} is not N×T×C")
    if x.size == 0:
        raise ExportError(f"{path}: is empty (shape {x.shape})")
    x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ExportError(f"{path}: has NaN or infinite values")
    return x


# ---------------------------------------------------------------- float model

def sigmoid(v):
    """1 / (1 + e^-v); e^-v overflows to inf for v below about -709, which gives the right 0."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-v))


def float_layer(layer, x):
    """Float64 PyTorch semantics of one layer over x [N,T,in]; returns (h [N,T,H], max |c|)."""
    n, steps = x.shape[0], x.shape[1]
    hidden = layer.hidden
    h = np.zeros((n, hidden))
    c = np.zeros((n, hidden))
    out = np.zeros((n, steps, hidden))
    max_c = 0.0
    bias = layer.b_ih + layer.b_hh
    for t in range(steps):
        if layer.cell == blob.CELL_LSTM:
            z = x[:, t] @ layer.w_ih.T + h @ layer.w_hh.T + bias
            i, f, g, o = np.split(z, 4, axis=1)
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            max_c = max(max_c, float(np.max(np.abs(c))) if c.size else 0.0)
        elif layer.cell == blob.CELL_GRU:
            gi = x[:, t] @ layer.w_ih.T + layer.b_ih
            gh = h @ layer.w_hh.T + layer.b_hh
            ri, zi, ni = np.split(gi, 3, axis=1)
            rh, zh, nh = np.split(gh, 3, axis=1)
            r, z = sigmoid(ri + rh), sigmoid(zi + zh)
            cand = np.tanh(ni + r * nh)
            h = (1 - z) * cand + z * h
        else:
            v = x[:, t] @ layer.w_ih.T + layer.b_ih + h @ layer.w_hh.T + layer.b_hh
            h = np.tanh(v) if layer.cell == blob.CELL_RNN_TANH else np.maximum(v, 0.0)
        out[:, t] = h
    return out, max_c


def float_lstm(w_ih, w_hh, bias, x):
    """Float64 LSTM over x [N,T,C]; returns (h_last [N,H], max |c| over all steps)."""
    layer = RecurrentLayer(blob.CELL_LSTM, w_ih, w_hh, bias, np.zeros_like(bias), "lstm.")
    out, max_c = float_layer(layer, x)
    return out[:, -1], max_c


# ---------------------------------------------------------------- quantisation

def cell_format(max_c, headroom=CELL_HEADROOM):
    """Fractional bits of the cell state for an observed max |c|: 15 - ceil(log2(headroom max |c|))."""
    if max_c <= 0:
        return blob.CELL_FRAC_MAX
    int_bits = max(0, math.ceil(math.log2(headroom * max_c)))
    return min(blob.CELL_FRAC_MAX, max(blob.CELL_FRAC_MIN, 15 - int_bits))


def quantize_rows(w):
    """Symmetric int8 per output row: returns (int8 [R,N], float64 scale [R], max round-trip error)."""
    scale = np.max(np.abs(w), axis=1) / 127.0 if w.shape[1] else np.zeros(w.shape[0])
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.round(w / safe[:, None]), -127, 127)
    err = float(np.max(np.abs(q * scale[:, None] - w))) if w.size else 0.0
    return q.astype(np.int8), scale, err


def multipliers(reals, what="multiplier"):
    try:
        pairs = [fx.quantize_multiplier(r) for r in reals]
    except ValueError as e:
        raise ExportError(f"{what}: {e} (a calibrated range is too small for these weights; "
                          "check the calibration data)")
    return (np.array([m for m, _ in pairs], dtype=np.int32),
            np.array([s for _, s in pairs], dtype=np.uint8))


def to_int32(values):
    return np.clip(np.round(values), fx.INT32_MIN, fx.INT32_MAX).astype(np.int32)


class Export:
    """The result of quantising a model: the blob model plus what the summary reports."""

    def __init__(self, model, errors, notes, warnings=()):
        self.model = model
        self.errors = errors    # {tensor name: worst |w - dequantised w|}
        self.notes = notes      # lines describing the choices made
        self.warnings = list(warnings)   # what the user should act on (export still succeeds)


def _input_mapping(channels, calibration, input_mean, input_std, digital, notes, input_range=None, choose=None):
    """Training units = (counts - zero) * scale: returns (scale, zero) as float32.

    input_range: |x| per channel that maps to 32767, given; otherwise choose() -> (range, note)
    picks it from the calibration data (calibration.choose_input_range).
    """
    if input_mean is not None or input_std is not None:
        if input_mean is None or input_std is None:
            raise ExportError("--input-mean and --input-std go together")
        mean, std = np.asarray(input_mean, float), np.asarray(input_std, float)
        if mean.shape != (channels,) or std.shape != (channels,):
            raise ExportError(f"--input-mean/--input-std need {channels} values each, got {mean.size} and {std.size}")
        if not np.all(std > 0):
            raise ExportError("--input-std values must be positive")
        in_scale, in_zero = 1.0 / std, mean
        notes.append("input: raw counts, normalisation (x - mean) / std folded into the first layer")
    else:
        if input_range is not None:
            peak = np.asarray(input_range, dtype=np.float64)
        elif calibration is not None:
            peak, note = choose()
            notes.append(note)
        else:
            peak = np.full(channels, DEFAULT_INPUT_RANGE)
            notes.append(f"input: no calibration data, assuming |x| <= {DEFAULT_INPUT_RANGE:g} (standardised inputs)")
        in_scale, in_zero = peak / fx.INT16_MAX, np.zeros(channels)
        in_scale[digital] = 1.0     # a digital line is fed as its level, 0 or 1
        if digital.any():
            notes.append("input: digital channels are fed as levels 0 and 1 (scale 1)")
    return in_scale.astype(np.float32), in_zero.astype(np.float32)


def _kernel_rows(layer, w_eff, offset):
    """PyTorch's weights and biases in the blob's row blocks: (Wx, Wh, bias), real units.

    offset: what the input's zero point adds to each input product (folded into the bias).
    A GRU's n gate becomes two blocks: n_x = W_in x + b_in and n_h = W_hn h + b_hn, because
    r multiplies only the second.
    """
    b_x = layer.b_ih + offset
    if layer.cell != blob.CELL_GRU:
        return w_eff, layer.w_hh, layer.b_ih + layer.b_hh + offset
    h, width = layer.hidden, w_eff.shape[1]
    wx = np.concatenate([w_eff, np.zeros((h, width))])
    wh = np.concatenate([layer.w_hh[:2 * h], np.zeros((h, h)), layer.w_hh[2 * h:]])
    bias = np.concatenate([b_x[:2 * h] + layer.b_hh[:2 * h], b_x[2 * h:], layer.b_hh[2 * h:]])
    return wx, wh, bias


def _calibrated_scale(observed, fallback, what, notes):
    """Real value of one count for a non-negative int16 quantity whose calibrated max is observed."""
    if observed is not None and observed > 0:
        notes.append(f"{what}: max {observed:.3f} on the calibration data, range {RELU_HEADROOM:g} times that")
        return float(np.float32(RELU_HEADROOM * observed / fx.INT16_MAX))
    notes.append(f"{what}: range {fallback:.3f} ({'no calibration data' if observed is None else 'never positive on the calibration data'})")
    return float(np.float32(fallback / fx.INT16_MAX))


def _quantize_dense(w, b, v_scale, out_scale, name):
    """One head Linear over int16 v of scale v_scale: (blob.Dense, round-trip error)."""
    wq, row_scale, err = quantize_rows(w)
    m, s = multipliers(row_scale * v_scale / out_scale, name)
    return blob.Dense(row_scale.astype(np.float32), to_int32(b / out_scale), m, s, wq), err


def _dense_bound(w, b, v_max):
    """The largest |W v + b| over |v| <= v_max, after int8 rounding of W."""
    wq, row_scale, _ = quantize_rows(w)
    return float(np.max(row_scale * np.sum(np.abs(wq.astype(np.float64)), axis=1) * v_max + np.abs(b)))


def quantize(state, calibration=None, input_mean=None, input_std=None, channel_names=None, sample_rate=0,
             nonlinearity=None, every_step=False, input_range=None, cell_frac_bits=None, class_names=None,
             check_steps=0):
    """Quantise a state_dict. channels: source names per input (ax.. gz, temp, in0..in31).

    class_names and a check sequence of check_steps steps (check_sequence) are stored in the blob
    (format 3) when given; the board runs the check at boot and compares it with the reference.

    input_range (|x| per channel that maps to 32767) and cell_frac_bits (for every LSTM layer, or
    one value per layer) override what the calibration data would choose; calibration.py uses them to measure the
    alternatives.
    """
    structure = find_structure(state, nonlinearity)
    rnn = structure.layers
    channels, classes = rnn[0].w_ih.shape[1], structure.head[-1][0].shape[0]
    dims = [("input channels", channels), ("classes", classes)]
    dims += [(f"hidden size of layer {i}", layer.hidden) for i, layer in enumerate(rnn)]
    if len(structure.head) == 2:
        dims.append(("MLP head hidden units", structure.head[0][0].shape[0]))
    for name, value in dims:
        if not 1 <= value <= blob.MAX_DIM:
            raise ExportError(f"{name} {value} is outside 1..{blob.MAX_DIM}")
    if channel_names is not None and len(channel_names) != channels:
        raise ExportError(f"--channels names {len(channel_names)} channels, the model takes {channels}")
    try:
        sources = np.array([blob.channel_code(n) for n in channel_names] if channel_names
                           else [0] * channels, dtype=np.uint8)
    except ValueError as e:
        raise ExportError(f"--channels: {e}")
    rates = device.sample_rates()
    if sample_rate and sample_rate not in rates:
        raise ExportError(f"--sample-rate {sample_rate}: the MPU-6050 and MPU-6886 sample exactly at "
                          f"{', '.join(map(str, rates))} Hz (their 1 kHz output rate divided by 1 to 256)")
    digital = sources >= blob.DIGITAL_INPUT_BASE
    if calibration is not None and calibration.shape[2] != channels:
        raise ExportError(f"calibration data has {calibration.shape[2]} channels, the model takes {channels}")
    notes, warnings = [], []
    boards = device.digital_input_warning(channel_names)
    if boards:
        warnings.append(boards)
    if calibration is not None:
        _check_calibration(calibration, input_mean is not None, digital, channel_names, warnings)
    if any(layer.cell in (blob.CELL_RNN_TANH, blob.CELL_RNN_RELU) for layer in rnn):
        if nonlinearity is None or (isinstance(nonlinearity, dict) and not nonlinearity):
            notes.append("RNN nonlinearity: tanh, PyTorch's default (a state_dict does not record it; "
                         "--rnn-nonlinearity relu for relu)")

    def choose():
        from . import calibration as cal
        return cal.choose_input_range(state, calibration, lambda r: quantize(
            state, calibration, channel_names=channel_names, nonlinearity=nonlinearity, every_step=every_step,
            input_range=r).model, nonlinearity)
    in_scale32, in_zero32 = _input_mapping(channels, calibration, input_mean, input_std, digital, notes,
                                           input_range, choose)
    s64, z64 = in_scale32.astype(np.float64), in_zero32.astype(np.float64)

    # Calibration: the float model layer by layer (cell ranges, RNN-relu ranges, the MLP's).
    activity = []
    if calibration is not None:
        v = calibration
        for layer in rnn:
            v, max_c = float_layer(layer, v)
            activity.append((max_c, float(np.max(v)) if v.size else 0.0))

    layers, errors = [], {}
    in_per_count, offset = s64, -(rnn[0].w_ih @ (z64 * s64))
    for index, layer in enumerate(rnn):
        cf = 0
        hidden_scale = blob.STATE_SCALE_Q0_15
        if layer.cell == blob.CELL_LSTM:
            if cell_frac_bits is not None:
                cf = cell_frac_bits if np.isscalar(cell_frac_bits) else cell_frac_bits[index]
            elif calibration is not None:
                max_c = activity[index][0]
                cf = cell_format(max_c)
                notes.append(f"cell{'' if len(rnn) == 1 else f' (layer {index})'}: max |c| {max_c:.3f} "
                             f"on the calibration data -> Q{15 - cf}.{cf}")
            else:
                cf = DEFAULT_CELL_FRAC_BITS
                notes.append(f"cell{'' if len(rnn) == 1 else f' (layer {index})'}: no calibration data, Q{15 - cf}.{cf}")
        elif layer.cell == blob.CELL_RNN_RELU:
            hidden_scale = _calibrated_scale(activity[index][1] if activity else None, DEFAULT_RELU_RANGE,
                                             f"relu hidden state (layer {index})", notes)
        pre_unit = hidden_scale if layer.cell == blob.CELL_RNN_RELU else 2.0 ** -fx.GATE_FRAC_BITS
        w_eff = layer.w_ih * (in_per_count[None, :] if index == 0 else in_per_count)
        wx_f, wh_f, bias_f = _kernel_rows(layer, w_eff, offset)
        wx, sx_scale, err_x = quantize_rows(wx_f)
        wh, sh_scale, err_h = quantize_rows(wh_f)
        mx, sx = multipliers(sx_scale / pre_unit, f"{layer.prefix}weight_ih_l{index}")
        mh, sh = multipliers(sh_scale * hidden_scale / pre_unit, f"{layer.prefix}weight_hh_l{index}")
        layers.append(blob.Layer(sx_scale.astype(np.float32), sh_scale.astype(np.float32),
                                 to_int32(bias_f / pre_unit), mx, mh, sx, sh, wx, wh,
                                 layer.cell, cf, hidden_scale))
        errors[f"{layer.prefix}weight_ih_l{index}{' (input scale folded)' if index == 0 else ''}"] = err_x
        errors[f"{layer.prefix}weight_hh_l{index}"] = err_h
        in_per_count, offset = hidden_scale, np.zeros(layer.w_ih.shape[0])

    # Head: int16 v of scale v_scale, |v| <= v_max.
    v_scale = layers[-1].hidden_scale
    v_max = v_scale * 32768.0
    mlp, mlp_scale = None, 0.0
    if len(structure.head) == 2:
        (w1, b1), _ = structure.head
        observed = None
        if calibration is not None:
            last = calibration
            for layer in rnn:
                last, _ = float_layer(layer, last)
            observed = float(np.max(last @ w1.T + b1))
        worst = _dense_bound(w1, b1, v_max)
        mlp_scale = _calibrated_scale(min(observed, worst / RELU_HEADROOM) if observed is not None else None,
                                      worst, "MLP head intermediate", notes)
        mlp, errors[structure.head_names[0]] = _quantize_dense(w1, b1, v_scale, mlp_scale, structure.head_names[0])
        v_scale, v_max = mlp_scale, mlp_scale * fx.INT16_MAX
    w_fc, b_fc = structure.head[-1]
    bound = _dense_bound(w_fc, b_fc, v_max)
    out_scale = float(np.float32(bound / HEAD_Q_BOUND if bound > 0 else 1.0))
    head, errors[structure.head_names[-1]] = \
        _quantize_dense(w_fc, b_fc, v_scale, out_scale, structure.head_names[-1])
    if every_step:
        notes.append("head: trained on every step (sequence labelling)")
    if not sample_rate or channel_names is None:
        missing = " and ".join(n for n, given in (("--channels", channel_names is not None),
                                                 ("--sample-rate", bool(sample_rate))) if not given)
        notes.append(f"pipeline: no {missing}: reference and infer run the blob; simulate and the ESP32 "
                     f"application also need {'them' if ' and ' in missing else 'it'} "
                     f"(rates: {', '.join(map(str, rates))} Hz)")

    model = blob.Model(channels, classes, out_scale, in_scale32, in_zero32, layers, head, sources,
                       sample_rate, every_step, mlp, mlp_scale)
    if class_names is not None:
        problem = blob.check_class_names(class_names, classes)
        if problem:
            raise ExportError(f"--class-names: {problem}")
        model.class_names = list(class_names)
    if not 0 <= check_steps <= blob.MAX_CHECK_STEPS:
        raise ExportError(f"--check-steps {check_steps} is outside 0..{blob.MAX_CHECK_STEPS}")
    if check_steps:
        model.check_inputs, model.check_scores = check_sequence(model, calibration, check_steps)
    return Export(model, errors, notes, warnings)


def check_sequence(model, calibration, steps):
    """The boot check: `steps` inputs in counts (int16 [steps, C]) and the scores the integer
    reference computes after each of them from the reset state (int32 [steps, K]).

    The inputs are the first steps of the calibration data, sequence after sequence, as the firmware
    would be fed them; without calibration data, a deterministic sweep of each channel across ±2 of
    its training units (digital inputs alternate 0 and 1), so every gate and the head see values
    away from zero."""
    c = model.input_channels
    if calibration is not None:
        flat = np.asarray(calibration, np.float64).reshape(-1, c)
        rows = flat[np.arange(steps) % flat.shape[0]]
    else:
        t = np.arange(steps)[:, None]
        rows = 2.0 * np.sin(1.3 * t + 0.7 * np.arange(c)[None, :] + 0.4)
    counts = reference.to_counts(model, rows[None])[0][0]
    digital = model.channel_source >= blob.DIGITAL_INPUT_BASE
    counts[:, digital] = (np.arange(steps)[:, None] + np.flatnonzero(digital)[None, :]) % 2
    scores = reference.run(model, counts[None])["q_steps"][0]
    return counts.astype(np.int16), scores.astype(np.int32)


def _check_calibration(x, standardised, digital, channel_names, warnings):
    """Refuse calibration data that says nothing; warn about data that cannot be in training units."""
    peak = np.max(np.abs(x), axis=(0, 1))
    if not np.any(peak):
        raise ExportError("calibration data is zero everywhere; give representative inputs in training units")
    name = lambda c: f"{c} ({channel_names[c]})" if channel_names else str(c)  # noqa: E731
    silent = [name(c) for c in np.flatnonzero((peak == 0) & ~digital)]
    if silent:
        warnings.append(f"calibration data is zero throughout on channel{'s' if len(silent) > 1 else ''} "
                        f"{', '.join(silent)}: {'their' if len(silent) > 1 else 'its'} input range falls back to ±1")
    if standardised and peak.max() > STANDARDISED_LIMIT:
        c = int(np.argmax(peak))
        warnings.append(f"calibration data reaches |x| = {peak[c]:.6g} on channel {name(c)}, which cannot be in "
                        f"training units: with --input-mean/--input-std they are (counts - mean) / std, within a "
                        f"few units; standardise raw counts before calibrating with them")


def to_blob(result):
    """The blob's bytes, read back through the firmware loader's checks (blob.from_bytes mirrors
    them), so an exported blob is never one the device refuses; warns when it will not fit an ESP32."""
    data = blob.to_bytes(result.model)
    try:
        back = blob.from_bytes(data)
    except blob.BlobError as e:
        raise ExportError(f"the model cannot be written as a blob the firmware loads: {e}")
    if back.check_inputs is not None:
        again = reference.run(back, back.check_inputs.astype(np.int64)[None])["q_steps"][0]
        if not np.array_equal(again, back.check_scores):
            raise ExportError("the blob's check scores are not what the integer reference computes for its check inputs")
    warning = device.heap_warning(result.model, len(data))
    if warning and warning not in result.warnings:
        result.warnings.append(warning)
    return data


def summary(result, size):
    m = result.model
    cells = blob.CELL_NAMES[m.cell_type] + (f" ×{len(m.layers)}" if len(m.layers) > 1 else "")
    sizes = " -> ".join(str(layer.hidden_size) for layer in m.layers)
    head = f"MLP {m.mlp.w.shape[0]} -> " if m.mlp is not None else ""
    lines = [
        f"{cells}  input {m.input_channels} -> hidden {sizes} -> {head}classes {m.class_count}"
        + ("   (head on every step)" if m.every_step else ""),
        f"blob  {size} bytes, format version {m.format_version} (float32 parameters: {4 * _param_count(m)} bytes)",
    ]
    for index, layer in enumerate(m.layers):
        state = (f"cell Q{15 - layer.cell_frac_bits}.{layer.cell_frac_bits}   gates Q3.12   hidden Q0.15"
                 if layer.cell_type == blob.CELL_LSTM else
                 f"hidden scale {layer.hidden_scale:.4g} per count" if layer.cell_type == blob.CELL_RNN_RELU else
                 "gates Q3.12   hidden Q0.15")
        lines.append(f"{'layer ' + str(index) + ' ' if len(m.layers) > 1 else ''}{state}"
                     + (f"   output_scale {m.output_scale:.6g}" if index == 0 else ""))
    lines += [
        "channels " + " ".join(blob.channel_name(c) for c in m.channel_source)
        + (f"   at {m.sample_rate_hz} Hz" if m.sample_rate_hz else ""),
        "input scale " + " ".join(f"{s:.4g}" for s in m.input_scale)
        + ("   zero " + " ".join(f"{z:.6g}" for z in m.input_zero) if np.any(m.input_zero) else ""),
    ]
    lines.append(device.heap_line(m, size))
    lines += [f"worst round-trip error  {name}: {err:.3g}" for name, err in result.errors.items()]
    lines += result.notes
    return "\n".join(lines)


def _param_count(m):
    """Float parameters of the PyTorch model (GRU: 3H rows per matrix, both biases)."""
    count = 0
    for layer in m.layers:
        rows = 3 * layer.hidden_size if layer.cell_type == blob.CELL_GRU else layer.rows
        count += rows * (layer.input_size + layer.hidden_size) + 2 * rows
    for dense in ([m.mlp] if m.mlp is not None else []) + [m.head]:
        count += dense.w.size + dense.w.shape[0]
    return count
