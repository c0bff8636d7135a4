"""A recognised model quantised into a `blob.Model`: the prepare half of the project, where all
float work, scale selection and bias folding happen, so the firmware's step is integer-only.

Weights go to int8 per output row with a float32 scale; each row block's real multiplier (weight
scale × input scale / output unit) becomes a Q31 multiplier and a right shift (fixedpoint.py);
biases, with the input's zero point and a GRU's split n gate folded in, become int32 in the
pre-activation's unit. The ranges come from calibration.py, the structure from recognise.py.
"""
import numpy as np

from . import blob, calibration as cal, device, recognise, reference
from . import fixedpoint as fx
from .errors import ExportError
from .progress import silent

HEAD_Q_BOUND = 32000          # largest |q| the head can produce, kept below 32767 for rounding


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
            peak = np.full(channels, cal.DEFAULT_INPUT_RANGE)
            notes.append(f"input: no calibration data, assuming |x| <= {cal.DEFAULT_INPUT_RANGE:g} (standardised inputs)")
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
             check_steps=0, progress=silent):
    """Quantise a state_dict (recognised by recognise.find_structure) into an Export.

    calibration: float64 N×T×C inputs in training units, or None for standardised inputs.
    input_mean/input_std: the normalisation used at training time, folded into the first layer
    (the firmware is then fed raw counts). channel_names: source names per input (ax.. gz, temp,
    in0..in31).

    class_names and a check sequence of check_steps steps (check_sequence) are stored in the blob
    (format 3) when given; the board runs the check at boot and compares it with the reference.

    input_range (|x| per channel that maps to 32767) and cell_frac_bits (for every LSTM layer, or
    one value per layer) override what the calibration data would choose; calibration.py uses them to
    measure the alternatives. progress: told what the input range replay is doing.
    """
    structure = recognise.find_structure(state, nonlinearity)
    rnn = structure.layers
    channels, classes = structure.channels, structure.classes
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
        cal.check_data(calibration, input_mean is not None, digital, channel_names, warnings)
    if any(layer.cell in (blob.CELL_RNN_TANH, blob.CELL_RNN_RELU) for layer in rnn):
        if nonlinearity is None or (isinstance(nonlinearity, dict) and not nonlinearity):
            notes.append("RNN nonlinearity: tanh, PyTorch's default (a state_dict does not record it; "
                         "--rnn-nonlinearity relu for relu)")

    def choose():
        return cal.choose_input_range(structure, calibration, lambda r: quantize(
            state, calibration, channel_names=channel_names, nonlinearity=nonlinearity, every_step=every_step,
            input_range=r).model, progress)
    in_scale32, in_zero32 = _input_mapping(channels, calibration, input_mean, input_std, digital, notes,
                                           input_range, choose)
    s64, z64 = in_scale32.astype(np.float64), in_zero32.astype(np.float64)

    # What the float reference reaches on the calibration data sets the cell, RNN-relu and MLP ranges.
    activity, mlp_observed = cal.observed(structure, calibration) if calibration is not None else (None, None)

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
                cf = cal.cell_format(max_c)
                notes.append(f"cell{'' if len(rnn) == 1 else f' (layer {index})'}: max |c| {max_c:.3f} "
                             f"on the calibration data -> Q{15 - cf}.{cf}")
            else:
                cf = cal.DEFAULT_CELL_FRAC_BITS
                notes.append(f"cell{'' if len(rnn) == 1 else f' (layer {index})'}: no calibration data, Q{15 - cf}.{cf}")
        elif layer.cell == blob.CELL_RNN_RELU:
            hidden_scale = cal.relu_scale(activity[index][1] if activity else None, cal.DEFAULT_RELU_RANGE,
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
        worst = _dense_bound(w1, b1, v_max)
        mlp_scale = cal.relu_scale(min(mlp_observed, worst / cal.RELU_HEADROOM) if mlp_observed is not None else None,
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


