"""PyTorch model -> quantized `blob.Model`. All float work happens here, none in the firmware.

Recognised structure (format version 1): one single-layer, unidirectional `nn.LSTM` under any
attribute name and one `nn.Linear` head on the last hidden state, given as a state_dict or as a
whole pickled module (whose class need not be importable here).
"""
import inspect
import math
import re
import sys
import types

import numpy as np

from . import blob
from . import fixedpoint as fx

DEFAULT_INPUT_RANGE = 8.0     # without calibration data: inputs standardised to about ±8
DEFAULT_CELL_FRAC_BITS = 11   # without calibration data: cell state in Q4.11 (±16)
CELL_HEADROOM = 1.5           # calibrated cell range = observed max |c| times this
INPUT_HEADROOM = 2.0          # calibrated input range = observed max |x| times this: 16 bits leave
                              # room, and inputs beyond the calibration data then do not clip
HEAD_Q_BOUND = 32000          # largest |q| the head can produce, kept below 32767 for rounding


class ExportError(ValueError):
    """The model cannot be exported; the message names the parameter or file at fault."""


# ---------------------------------------------------------------- loading

_MISSING_ATTRIBUTE = re.compile(r"Can't get attribute '(\w+)' on <module '([\w.]+)'")


def _torch_load(path):
    """torch.load that also reads a whole module whose class cannot be imported here.

    Pickled modules name their classes; a user's own class (often in the training script's
    __main__) is missing in this process. Its state -- parameters and submodules -- is all the
    exporter needs, so each missing class is stood in for by an empty nn.Module subclass for the
    duration of the load. (torch 1.13 ignores a custom pickle_module, hence this route.)
    """
    import torch
    kwargs = {"map_location": "cpu"}
    if "weights_only" in inspect.signature(torch.load).parameters:
        kwargs["weights_only"] = False
    added = []   # (module, attribute or None for a whole module)
    try:
        for _ in range(64):
            try:
                return torch.load(path, **kwargs)
            except ModuleNotFoundError as e:
                if not e.name or e.name in sys.modules:
                    raise
                sys.modules[e.name] = types.ModuleType(e.name)
                added.append((e.name, None))
            except AttributeError as e:
                match = _MISSING_ATTRIBUTE.search(str(e))
                if not match or match[2] not in sys.modules:
                    raise
                name, module = match[1], match[2]
                setattr(sys.modules[module], name, type(name, (torch.nn.Module,), {"__module__": module}))
                added.append((module, name))
        raise ExportError(f"{path}: names too many classes that cannot be imported")
    finally:
        for module, name in reversed(added):
            if name is None:
                del sys.modules[module]
            else:
                delattr(sys.modules[module], name)


def load_state_dict(path):
    """Read what torch.save wrote (state_dict or whole module) as {name: float64 ndarray}."""
    import torch
    try:
        obj = _torch_load(path)
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file")
    except Exception as e:  # torch raises many types for a file that is not a torch save
        raise ExportError(f"{path}: not a PyTorch save file ({type(e).__name__}: {e})")
    if isinstance(obj, torch.nn.Module):
        obj = obj.state_dict()
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise ExportError(f"{path}: holds a {type(obj).__name__}, expected a state_dict or an nn.Module")
    state = {}
    for name, tensor in obj.items():
        array = tensor.detach().cpu().double().numpy()
        if not np.all(np.isfinite(array)):
            raise ExportError(f"parameter {name} has NaN or infinite values")
        state[name] = array
    return state


def find_structure(state):
    """Locate the LSTM and the head in a state_dict.

    Returns (w_ih [4H,C], w_hh [4H,H], b [4H] = b_ih + b_hh, w_fc [K,H], b_fc [K]).
    """
    prefixes = [k[:-len("weight_ih_l0")] for k in state if k.endswith("weight_ih_l0")]
    if not prefixes:
        raise ExportError("no recurrent layer found (no parameter named *weight_ih_l0)")
    if len(prefixes) > 1:
        raise ExportError(f"{len(prefixes)} recurrent modules found ({', '.join(p.rstrip('.') for p in prefixes)}); one is supported")
    p = prefixes[0]
    for name in state:
        if name.startswith(p) and name.endswith("_reverse"):
            raise ExportError(f"{name}: bidirectional=True cannot stream; train with bidirectional=False")
        if name.startswith(p) and "weight_hr_l" in name:
            raise ExportError(f"{name}: LSTM proj_size is not supported by format version 1; use proj_size=0")
        if name.startswith(p) and name.endswith("_l1"):
            raise ExportError(f"{name}: num_layers > 1 is not supported by format version 1; use num_layers=1")
    w_ih, w_hh = state[p + "weight_ih_l0"], state[p + "weight_hh_l0"] if p + "weight_hh_l0" in state else None
    if w_hh is None or w_ih.ndim != 2 or w_hh.ndim != 2:
        raise ExportError(f"{p}weight_hh_l0 is missing or {p}weight_ih_l0 is not a matrix")
    hidden = w_hh.shape[1]
    gates = w_ih.shape[0] // hidden if hidden else 0
    if w_hh.shape[0] != w_ih.shape[0] or gates * hidden != w_ih.shape[0] or gates != 4:
        kind = {3: "GRU", 1: "RNN"}.get(gates)
        if kind and w_hh.shape[0] == w_ih.shape[0]:
            raise ExportError(f"{p}weight_ih_l0: a {kind} cell is not supported by format version 1 (LSTM only)")
        raise ExportError(f"{p}weight_ih_l0 {w_ih.shape} and weight_hh_l0 {w_hh.shape} are not an LSTM's shapes")
    bias = np.zeros(4 * hidden)
    for name in (p + "bias_ih_l0", p + "bias_hh_l0"):
        if name in state:
            if state[name].shape != (4 * hidden,):
                raise ExportError(f"{name} has shape {state[name].shape}, expected ({4 * hidden},)")
            bias = bias + state[name]
    used = {p + n for n in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")}
    rest = [k for k in state if k not in used]
    weights = [k for k in rest if k.endswith("weight") and state[k].ndim == 2]
    if len(weights) != 1:
        if not weights:
            raise ExportError("no linear head found (a 2-D *weight after the LSTM)")
        raise ExportError(f"{weights[1]}: one linear head is supported (found {', '.join(weights)})")
    w_fc = state[weights[0]]
    hp = weights[0][:-len("weight")]
    if w_fc.shape[1] != hidden:
        raise ExportError(f"{weights[0]} has shape {w_fc.shape}; a head on the last hidden state needs {hidden} columns")
    b_fc = state.get(hp + "bias", np.zeros(w_fc.shape[0]))
    if b_fc.shape != (w_fc.shape[0],):
        raise ExportError(f"{hp}bias has shape {b_fc.shape}, expected ({w_fc.shape[0]},)")
    extra = [k for k in rest if k not in (weights[0], hp + "bias")]
    if extra:
        raise ExportError(f"parameter {extra[0]} {tuple(state[extra[0]].shape)} is not understood "
                          "(format version 1 takes one LSTM and one Linear head)")
    return w_ih, w_hh, bias, w_fc, b_fc


def load_calibration(path):
    """Read calibration inputs: a float .npy of shape N×T×C in training units."""
    try:
        x = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file")
    except Exception as e:
        raise ExportError(f"{path}: not a .npy array ({e})")
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

def float_lstm(w_ih, w_hh, bias, x):
    """Float64 LSTM over x [N,T,C]; returns (h_last [N,H], max |c| over all steps)."""
    n = x.shape[0]
    hidden = w_hh.shape[1]
    h = np.zeros((n, hidden))
    c = np.zeros((n, hidden))
    max_c = 0.0
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    for t in range(x.shape[1]):
        z = x[:, t] @ w_ih.T + h @ w_hh.T + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        max_c = max(max_c, float(np.max(np.abs(c))) if c.size else 0.0)
    return h, max_c


# ---------------------------------------------------------------- quantisation

def quantize_rows(w):
    """Symmetric int8 per output row: returns (int8 [R,N], float64 scale [R], max round-trip error)."""
    scale = np.max(np.abs(w), axis=1) / 127.0 if w.shape[1] else np.zeros(w.shape[0])
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.round(w / safe[:, None]), -127, 127)
    err = float(np.max(np.abs(q * scale[:, None] - w))) if w.size else 0.0
    return q.astype(np.int8), scale, err


def multipliers(reals):
    pairs = [fx.quantize_multiplier(r) for r in reals]
    return (np.array([m for m, _ in pairs], dtype=np.int32),
            np.array([s for _, s in pairs], dtype=np.uint8))


def to_int32(values):
    return np.clip(np.round(values), fx.INT32_MIN, fx.INT32_MAX).astype(np.int32)


class Export:
    """The result of quantising a model: the blob model plus what the summary reports."""

    def __init__(self, model, errors, notes):
        self.model = model
        self.errors = errors    # {tensor name: worst |w - dequantised w|}
        self.notes = notes      # lines describing the choices made


def quantize(state, calibration=None, input_mean=None, input_std=None, channel_names=None, sample_rate=0):
    """Quantise a state_dict. channels: source names per input (ax.. gz, temp, in0..in31)."""
    w_ih, w_hh, bias, w_fc, b_fc = find_structure(state)
    hidden, channels, classes = w_hh.shape[1], w_ih.shape[1], w_fc.shape[0]
    for name, value in (("input channels", channels), ("hidden size", hidden), ("classes", classes)):
        if not 1 <= value <= blob.MAX_DIM:
            raise ExportError(f"{name} {value} is outside 1..{blob.MAX_DIM}")
    if channel_names is not None and len(channel_names) != channels:
        raise ExportError(f"--channels names {len(channel_names)} channels, the model takes {channels}")
    try:
        sources = np.array([blob.channel_code(n) for n in channel_names] if channel_names
                           else [0] * channels, dtype=np.uint8)
    except ValueError as e:
        raise ExportError(f"--channels: {e}")
    if not 0 <= sample_rate <= 65535:
        raise ExportError(f"--sample-rate {sample_rate} is outside 0..65535")
    digital = sources >= blob.DIGITAL_INPUT_BASE
    if calibration is not None and calibration.shape[2] != channels:
        raise ExportError(f"calibration data has {calibration.shape[2]} channels, the model takes {channels}")
    notes = []

    # Input mapping: training units = (counts - zero) * scale.
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
        if calibration is not None:
            peak = INPUT_HEADROOM * np.max(np.abs(calibration), axis=(0, 1))
            peak = np.where(peak > 0, peak, 1.0)
            notes.append(f"input: per-channel scale = {INPUT_HEADROOM:g} max |x| / 32767 from the calibration data")
        else:
            peak = np.full(channels, DEFAULT_INPUT_RANGE)
            notes.append(f"input: no calibration data, assuming |x| <= {DEFAULT_INPUT_RANGE:g} (standardised inputs)")
        in_scale, in_zero = peak / fx.INT16_MAX, np.zeros(channels)
        in_scale[digital] = 1.0     # a digital line is fed as its level, 0 or 1
        if digital.any():
            notes.append("input: digital channels are fed as levels 0 and 1 (scale 1)")
    in_scale32, in_zero32 = in_scale.astype(np.float32), in_zero.astype(np.float32)
    s64, z64 = in_scale32.astype(np.float64), in_zero32.astype(np.float64)

    # Fold the input mapping into the first layer.
    w_eff = w_ih * s64[None, :]
    b_eff = bias - w_ih @ (z64 * s64)

    if calibration is not None:
        _, max_c = float_lstm(w_ih, w_hh, bias, calibration)
        if max_c > 0:
            int_bits = max(0, math.ceil(math.log2(CELL_HEADROOM * max_c)))
            cf = min(blob.CELL_FRAC_MAX, max(blob.CELL_FRAC_MIN, 15 - int_bits))
        else:
            cf = blob.CELL_FRAC_MAX
        notes.append(f"cell: max |c| {max_c:.3f} on the calibration data -> Q{15 - cf}.{cf}")
    else:
        cf = DEFAULT_CELL_FRAC_BITS
        notes.append(f"cell: no calibration data, Q{15 - cf}.{cf}")

    wx, sx_scale, err_x = quantize_rows(w_eff)
    wh, sh_scale, err_h = quantize_rows(w_hh)
    mx, sx = multipliers(sx_scale * 2.0 ** fx.GATE_FRAC_BITS)
    mh, sh = multipliers(sh_scale * 2.0 ** (fx.GATE_FRAC_BITS - fx.STATE_FRAC_BITS))
    layer = blob.Layer(sx_scale.astype(np.float32), sh_scale.astype(np.float32),
                       to_int32(b_eff * 2.0 ** fx.GATE_FRAC_BITS), mx, mh, sx, sh, wx, wh)

    wf, sf_scale, err_f = quantize_rows(w_fc)
    bound = np.max(sf_scale * np.sum(np.abs(wf.astype(np.float64)), axis=1) + np.abs(b_fc))
    out_scale = float(np.float32(bound / HEAD_Q_BOUND if bound > 0 else 1.0))
    mf, sf = multipliers(sf_scale * 2.0 ** -fx.STATE_FRAC_BITS / out_scale)
    head = blob.Head(sf_scale.astype(np.float32), to_int32(b_fc / out_scale), mf, sf, wf)

    model = blob.Model(blob.CELL_LSTM, channels, hidden, classes, cf, out_scale,
                       in_scale32, in_zero32, layer, head, sources, sample_rate)
    errors = {"lstm.weight_ih (input scale folded)": err_x, "lstm.weight_hh": err_h, "head.weight": err_f}
    return Export(model, errors, notes)


def summary(result, size):
    m = result.model
    lines = [
        f"LSTM  input {m.input_channels} -> hidden {m.hidden_size} -> classes {m.class_count}",
        f"blob  {size} bytes (float32 parameters: {4 * _param_count(m)} bytes)",
        f"cell  Q{15 - m.cell_frac_bits}.{m.cell_frac_bits}   gates Q3.12   hidden Q0.15   "
        f"output_scale {m.output_scale:.6g}",
        "channels " + " ".join(blob.channel_name(c) for c in m.channel_source)
        + (f"   at {m.sample_rate_hz} Hz" if m.sample_rate_hz else ""),
        "input scale " + " ".join(f"{s:.4g}" for s in m.input_scale)
        + ("   zero " + " ".join(f"{z:.6g}" for z in m.input_zero) if np.any(m.input_zero) else ""),
    ]
    lines += [f"worst round-trip error  {name}: {err:.3g}" for name, err in result.errors.items()]
    lines += result.notes
    return "\n".join(lines)


def _param_count(m):
    r, c, h, k = m.rows, m.input_channels, m.hidden_size, m.class_count
    return r * c + r * h + 2 * r + k * h + k
