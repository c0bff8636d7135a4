"""The `.nrnn` blob: an in-memory model, its writer and its reader (format versions 1 to 3).

docs/model-format.md is the field-by-field description; the offsets below are the same tables.
Version 1 holds one LSTM layer and a linear head on the last step; version 2 holds a stack of up
to four LSTM, GRU or plain RNN layers and a linear or MLP head; version 3 is version 2 followed by
tagged records: the class names and a check sequence with the scores the integer reference computes
for it. The writer uses version 3 for a model that carries either, else version 1 for every model it
can express and version 2 for the rest.
"""
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass, field

import numpy as np

from . import fixedpoint as fx

MAGIC = b"NRNN"
FORMAT_VERSION = 1            # the version of a single-layer LSTM with a linear head on the last step
FORMAT_VERSION_STACK = 2      # everything else
FORMAT_VERSION_RECORDS = 3    # version 2 followed by tagged records
SUPPORTED_VERSIONS = (FORMAT_VERSION, FORMAT_VERSION_STACK, FORMAT_VERSION_RECORDS)
# Records: tag u16, flags u16 (0), payload_bytes u32, payload. Unknown tags are skipped.
RECORD_HEADER = struct.Struct("<HHI")
TAG_CLASS_NAMES = 1           # class_count names, each u8 length (1..63) + printable ASCII
TAG_CHECK_SEQUENCE = 2        # u16 steps (1..64), u16 0, int16 inputs [steps, C], int32 scores [steps, K]
MAX_NAME_BYTES = 63
MAX_CHECK_STEPS = 64
HEADER_BYTES = 32
LAYER_HEADER_BYTES = 8
CELL_LSTM, CELL_GRU, CELL_RNN_TANH, CELL_RNN_RELU = 1, 2, 3, 4
CELL_NAMES = {CELL_LSTM: "LSTM", CELL_GRU: "GRU", CELL_RNN_TANH: "RNN-tanh", CELL_RNN_RELU: "RNN-relu"}
HEAD_LINEAR_LAST = 1          # version 1's only head_type
HEAD_LINEAR, HEAD_MLP = 1, 2  # version 2 head_type
MAX_DIM = 512
MAX_LAYERS = 4
CELL_FRAC_MIN, CELL_FRAC_MAX = 4, 15
# Rows per hidden unit. A GRU keeps n's input part and recurrent part in separate row blocks
# (r, z, n_x, n_h): the n_x rows have zero recurrent weights and the n_h rows zero input weights.
GATES = {CELL_LSTM: 4, CELL_GRU: 4, CELL_RNN_TANH: 1, CELL_RNN_RELU: 1}
STATE_SCALE_Q0_15 = 2.0 ** -15

# Where each input channel comes from, so the firmware can assemble the feature vector.
CHANNEL_SOURCES = {"?": 0, "ax": 1, "ay": 2, "az": 3, "gx": 4, "gy": 5, "gz": 6, "temp": 7}
DIGITAL_INPUT_BASE = 32     # 32 + n: the board's digital input n (level 0 or 1), n = 0..31
DIGITAL_INPUT_COUNT = 32


def channel_code(name):
    """'ax' -> 1, 'in3' -> 35; raises ValueError for an unknown name."""
    if name in CHANNEL_SOURCES:
        return CHANNEL_SOURCES[name]
    if name.startswith("in") and name[2:].isdigit() and int(name[2:]) < DIGITAL_INPUT_COUNT:
        return DIGITAL_INPUT_BASE + int(name[2:])
    raise ValueError(f"unknown channel {name!r} (ax ay az gx gy gz temp in0..in31)")


def channel_name(code):
    for name, value in CHANNEL_SOURCES.items():
        if value == code:
            return name
    return f"in{code - DIGITAL_INPUT_BASE}"


def valid_channel_code(code):
    return code in CHANNEL_SOURCES.values() or DIGITAL_INPUT_BASE <= code < DIGITAL_INPUT_BASE + DIGITAL_INPUT_COUNT


# Version 1: magic, version, header_bytes, total_bytes, cell, layers, head, reserved,
#            C, H, K, cell_frac_bits, reserved, output_scale, sample_rate_hz, reserved
# Version 2: magic, version, header_bytes, total_bytes, reserved, layers, head_type, head_steps,
#            C, M (MLP hidden units, 0 for a linear head), K, reserved, reserved, output_scale,
#            sample_rate_hz, reserved
_HEADER = struct.Struct("<4sHHIBBBBHHHBBfHH")
assert _HEADER.size == HEADER_BYTES
# cell_type, cell_frac_bits, hidden_size, hidden_scale
_LAYER_HEADER = struct.Struct("<BBHf")
assert _LAYER_HEADER.size == LAYER_HEADER_BYTES


class BlobError(ValueError):
    """A blob that is not a valid NanoRnn model; the message names the field."""


@dataclass
class Layer:
    """One recurrent layer. R = GATES[cell] * H rows, row r = block * H + j (PyTorch gate order)."""
    wx_row_scale: np.ndarray   # float32 [R]
    wh_row_scale: np.ndarray   # float32 [R]
    bias: np.ndarray           # int32 [R], in pre-activation units
    mx: np.ndarray             # int32 [R]
    mh: np.ndarray             # int32 [R]
    sx: np.ndarray             # uint8 [R]
    sh: np.ndarray             # uint8 [R]
    wx: np.ndarray             # int8 [R, input size]
    wh: np.ndarray             # int8 [R, H]
    cell_type: int = CELL_LSTM
    cell_frac_bits: int = 0    # LSTM: the cell state is Q(15-cf).cf; 0 for the other cells
    hidden_scale: float = STATE_SCALE_Q0_15   # real value of one count of h (Q0.15 but for RNN-relu)

    @property
    def hidden_size(self):
        return self.wh.shape[1]

    @property
    def input_size(self):
        return self.wx.shape[1]

    @property
    def rows(self):
        return self.wh.shape[0]


@dataclass
class Dense:
    """One head layer: q = rescale(W v) + bias, per output row."""
    w_row_scale: np.ndarray    # float32 [K]
    bias: np.ndarray           # int32 [K]
    m: np.ndarray              # int32 [K]
    s: np.ndarray              # uint8 [K]
    w: np.ndarray              # int8 [K, inputs]


# Version 1 spelled the linear head `Head`.
Head = Dense


@dataclass
class Model:
    input_channels: int
    class_count: int
    output_scale: float
    input_scale: np.ndarray    # float32 [C]: training units per count
    input_zero: np.ndarray     # float32 [C]: counts that mean 0 in training units
    layers: list               # [Layer], layer 0 reads the input, layer l > 0 reads h of layer l-1
    head: Dense                # the output layer (of the MLP when mlp is set)
    channel_source: np.ndarray = None   # uint8 [C]: CHANNEL_SOURCES code per channel, 0 = unspecified
    sample_rate_hz: int = 0             # the rate the model was trained at, 0 = not recorded
    every_step: bool = False            # the head was trained on every step (sequence labelling)
    mlp: Dense = None                   # MLP head: the first Linear, followed by ReLU
    mlp_scale: float = 0.0              # MLP head: real value of one count of the intermediate
    class_names: list = None            # format 3: one name per class
    check_inputs: np.ndarray = None     # format 3: int16 [steps, C], what RnnNetwork.Step is fed from reset
    check_scores: np.ndarray = None     # format 3: int32 [steps, K], the reference's scores after each step

    @property
    def layer(self):
        return self.layers[0]

    @property
    def hidden_size(self):
        return self.layers[-1].hidden_size

    @property
    def cell_type(self):
        return self.layers[0].cell_type

    @property
    def cell_frac_bits(self):
        return self.layers[0].cell_frac_bits

    @property
    def rows(self):
        return self.layers[0].rows

    @property
    def format_version(self):
        if self.class_names is not None or self.check_inputs is not None:
            return FORMAT_VERSION_RECORDS
        single_lstm = len(self.layers) == 1 and self.layers[0].cell_type == CELL_LSTM
        return FORMAT_VERSION if single_lstm and self.mlp is None and not self.every_step else FORMAT_VERSION_STACK


def expected_size(c, h, k, gates=4):
    """Size of a version-1 blob."""
    r = gates * h
    return HEADER_BYTES + 9 * c + r * (8 + 12 + 2 + c + h) + k * (4 + 8 + 1 + h) + 4


# Version 1: sections after the header, in blob order: (name, little-endian dtype).
SECTIONS = [
    ("input_scale", "<f4"), ("input_zero", "<f4"), ("channel_source", "u1"),
    ("wx_row_scale", "<f4"), ("wh_row_scale", "<f4"), ("bias", "<i4"), ("mx", "<i4"), ("mh", "<i4"),
    ("sx", "u1"), ("sh", "u1"), ("wx", "i1"), ("wh", "i1"),
    ("head_w_row_scale", "<f4"), ("head_bias", "<i4"), ("head_m", "<i4"), ("head_s", "u1"),
    ("head_w", "i1"),
]
INPUT_SECTIONS = [("input_scale", "<f4"), ("input_zero", "<f4"), ("channel_source", "u1")]
LAYER_SECTIONS = [("wx_row_scale", "<f4"), ("wh_row_scale", "<f4"), ("bias", "<i4"), ("mx", "<i4"),
                  ("mh", "<i4"), ("sx", "u1"), ("sh", "u1"), ("wx", "i1"), ("wh", "i1")]
DENSE_SECTIONS = [("w_row_scale", "<f4"), ("bias", "<i4"), ("m", "<i4"), ("s", "u1"), ("w", "i1")]


def _channel_sources(model):
    return (model.channel_source if model.channel_source is not None
            else np.zeros(model.input_channels, np.uint8))


def _section_arrays(model):
    """Version 1's sections by name."""
    layer, head = model.layer, model.head
    return {
        "input_scale": model.input_scale, "input_zero": model.input_zero,
        "channel_source": _channel_sources(model),
        "wx_row_scale": layer.wx_row_scale, "wh_row_scale": layer.wh_row_scale,
        "bias": layer.bias, "mx": layer.mx, "mh": layer.mh, "sx": layer.sx, "sh": layer.sh,
        "wx": layer.wx, "wh": layer.wh,
        "head_w_row_scale": head.w_row_scale, "head_bias": head.bias, "head_m": head.m,
        "head_s": head.s, "head_w": head.w,
    }


def _pack(obj, sections):
    return b"".join(np.ascontiguousarray(getattr(obj, name) if not isinstance(obj, dict) else obj[name],
                                         dtype=dt).tobytes() for name, dt in sections)


def to_bytes(model):
    if model.format_version == FORMAT_VERSION:
        arrays = _section_arrays(model)
        body = _pack(arrays, SECTIONS)
        total = HEADER_BYTES + len(body) + 4
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, HEADER_BYTES, total, model.cell_type, 1,
                              HEAD_LINEAR_LAST, 0, model.input_channels, model.hidden_size,
                              model.class_count, model.cell_frac_bits, 0, model.output_scale,
                              model.sample_rate_hz, 0)
    else:
        parts = [_pack({"input_scale": model.input_scale, "input_zero": model.input_zero,
                        "channel_source": _channel_sources(model)}, INPUT_SECTIONS)]
        for layer in model.layers:
            parts.append(_LAYER_HEADER.pack(layer.cell_type, layer.cell_frac_bits, layer.hidden_size,
                                            layer.hidden_scale))
            parts.append(_pack(layer, LAYER_SECTIONS))
        if model.mlp is not None:
            parts.append(struct.pack("<f", model.mlp_scale))
            parts.append(_pack(model.mlp, DENSE_SECTIONS))
        parts.append(_pack(model.head, DENSE_SECTIONS))
        parts.append(_records(model))
        body = b"".join(parts)
        total = HEADER_BYTES + len(body) + 4
        head_type = HEAD_MLP if model.mlp is not None else HEAD_LINEAR
        mlp_units = model.mlp.w.shape[0] if model.mlp is not None else 0
        header = _HEADER.pack(MAGIC, model.format_version, HEADER_BYTES, total, 0, len(model.layers),
                              head_type, int(model.every_step), model.input_channels, mlp_units,
                              model.class_count, 0, 0, model.output_scale, model.sample_rate_hz, 0)
    data = header + body
    return data + struct.pack("<I", zlib.crc32(data))


def _record(tag, payload):
    return RECORD_HEADER.pack(tag, 0, len(payload)) + payload


def _records(model):
    """Version 3's records (b"" for a model without names or a check sequence)."""
    out = b""
    if model.class_names is not None:
        names = [name.encode("ascii") for name in model.class_names]
        out += _record(TAG_CLASS_NAMES, b"".join(bytes([len(n)]) + n for n in names))
    if model.check_inputs is not None:
        steps = model.check_inputs.shape[0]
        out += _record(TAG_CHECK_SEQUENCE, struct.pack("<HH", steps, 0)
                       + np.ascontiguousarray(model.check_inputs, "<i2").tobytes()
                       + np.ascontiguousarray(model.check_scores, "<i4").tobytes())
    return out


def check_class_names(names, classes):
    """None, or why these names cannot be stored (the loader's rule: printable ASCII, 1..63 bytes)."""
    if len(names) != classes:
        return f"{len(names)} class names for {classes} classes"
    for index, name in enumerate(names):
        if not 1 <= len(name) <= MAX_NAME_BYTES:
            return f"class name {index} {name!r} is not 1..{MAX_NAME_BYTES} characters"
        bad = [ch for ch in name if not " " <= ch <= "~"]
        if bad:
            return f"class name {index} {name!r} holds {bad[0]!r}, not printable ASCII"
    return None


def _read_records(data, offset, end, c, k):
    """(class names or None, check inputs or None, check scores or None) from the records in data[offset:end]."""
    names = inputs = scores = None
    seen = set()
    index = 0
    while offset < end:
        at = f"record {index} (at byte {offset})"
        if end - offset < RECORD_HEADER.size:
            raise BlobError(f"{at}: its 8-byte header runs past the end ({end - offset} bytes before the CRC)")
        tag, flags, length = RECORD_HEADER.unpack_from(data, offset)
        if flags != 0:
            raise BlobError(f"{at}: flags {flags} is not 0")
        if length > end - offset - RECORD_HEADER.size:
            raise BlobError(f"{at}: payload_bytes {length} runs past the end "
                            f"({end - offset - RECORD_HEADER.size} bytes before the CRC)")
        payload = data[offset + RECORD_HEADER.size:offset + RECORD_HEADER.size + length]
        if tag in seen and tag in (TAG_CLASS_NAMES, TAG_CHECK_SEQUENCE):
            raise BlobError(f"{at}: a second record of tag {tag}")
        seen.add(tag)
        if tag == TAG_CLASS_NAMES:
            names = _read_names(payload, k)
        elif tag == TAG_CHECK_SEQUENCE:
            inputs, scores = _read_check(payload, c, k)
        offset += RECORD_HEADER.size + length
        index += 1
    return names, inputs, scores


def _read_names(payload, k):
    names, at = [], 0
    for index in range(k):
        if at >= len(payload):
            raise BlobError(f"class names: the record holds {index} names, class_count is {k}")
        length = payload[at]
        if not 1 <= length <= MAX_NAME_BYTES:
            raise BlobError(f"class name {index}: length {length} is outside 1..{MAX_NAME_BYTES}")
        if at + 1 + length > len(payload):
            raise BlobError(f"class name {index}: runs past its record")
        raw = payload[at + 1:at + 1 + length]
        bad = [i for i, b in enumerate(raw) if not 0x20 <= b <= 0x7E]
        if bad:
            raise BlobError(f"class name {index}: byte {bad[0]} is 0x{raw[bad[0]]:02X}, not printable ASCII")
        names.append(raw.decode("ascii"))
        at += 1 + length
    if at != len(payload):
        raise BlobError(f"class names: {len(payload) - at} bytes after the {k} names of class_count")
    return names


def _read_check(payload, c, k):
    if len(payload) < 4:
        raise BlobError(f"check sequence: payload_bytes {len(payload)} is too short for its 4-byte header")
    steps, reserved = struct.unpack_from("<HH", payload)
    if reserved != 0:
        raise BlobError(f"check sequence: reserved field is {reserved}, expected 0")
    if not 1 <= steps <= MAX_CHECK_STEPS:
        raise BlobError(f"check sequence: steps {steps} is outside 1..{MAX_CHECK_STEPS}")
    expected = 4 + 2 * steps * c + 4 * steps * k
    if len(payload) != expected:
        raise BlobError(f"check sequence: payload_bytes {len(payload)} does not match {steps} steps of {c} inputs "
                        f"and {k} scores (expected {expected})")
    inputs = np.frombuffer(payload, "<i2", steps * c, 4).reshape(steps, c)
    scores = np.frombuffer(payload, "<i4", steps * k, 4 + 2 * steps * c).reshape(steps, k)
    return inputs, scores


class _Reader:
    """Reads sections in order; a section that would run past the CRC is a size error."""

    def __init__(self, data, end):
        self.data, self.offset, self.end = data, HEADER_BYTES, end

    def take(self, count, dtype, what):
        size = count * np.dtype(dtype).itemsize
        if self.offset + size > self.end:
            raise BlobError(f"total_bytes {self.end + 4} is too small: {what} runs past the end")
        array = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += size
        return array

    def sections(self, sections, shapes, prefix):
        return {name: self.take(int(np.prod(shapes[name])), dtype, prefix + name).reshape(shapes[name])
                for name, dtype in sections}


def _check_identity(data):
    if len(data) < HEADER_BYTES:
        raise BlobError(f"blob is {len(data)} bytes, shorter than the {HEADER_BYTES}-byte header")
    fields = _HEADER.unpack_from(data)
    magic, version, header_bytes, total = fields[:4]
    if magic != MAGIC:
        raise BlobError(f"not a NanoRnn model: magic is {magic!r}, expected {MAGIC!r}")
    if version not in SUPPORTED_VERSIONS:
        raise BlobError(f"format_version {version} is not supported (this tool reads 1, 2 and 3)")
    if header_bytes != HEADER_BYTES:
        raise BlobError(f"header_bytes is {header_bytes}, expected {HEADER_BYTES}")
    if total != len(data):
        raise BlobError(f"total_bytes says {total} bytes but the blob has {len(data)}")
    stored_crc = struct.unpack_from("<I", data, total - 4)[0]
    actual_crc = zlib.crc32(data[:total - 4])
    if stored_crc != actual_crc:
        raise BlobError(f"CRC-32 mismatch: stored 0x{stored_crc:08X}, computed 0x{actual_crc:08X}")
    return fields


def _check_dims(pairs):
    for name, value in pairs:
        if not 1 <= value <= MAX_DIM:
            raise BlobError(f"{name} {value} is outside 1..{MAX_DIM}")


def _check_cf(cf, prefix=""):
    if not CELL_FRAC_MIN <= cf <= CELL_FRAC_MAX:
        raise BlobError(f"{prefix}cell_frac_bits {cf} is outside {CELL_FRAC_MIN}..{CELL_FRAC_MAX}")


def _check_input(arrays):
    for name, positive in (("input_scale", True), ("input_zero", False)):
        values = arrays[name]
        bad = np.flatnonzero(~np.isfinite(values) | ((values <= 0) if positive else False))
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] {values[bad[0]]} is not finite{' and positive' if positive else ''}")
    bad = [i for i, code in enumerate(arrays["channel_source"]) if not valid_channel_code(code)]
    if bad:
        raise BlobError(f"channel_source[{bad[0]}] = {arrays['channel_source'][bad[0]]} is not a known source")


def _check_integers(arrays, shifts, multipliers, weights):
    for name in shifts:
        bad = np.flatnonzero((arrays[name] < 1) | (arrays[name] > 62))
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name].flat[bad[0]]} is outside 1..62")
    for name in multipliers:
        bad = np.flatnonzero(arrays[name] < 0)
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name][bad[0]]} is negative")
    for name in weights:
        bad = np.flatnonzero(arrays[name] == -128)
        if bad.size:
            raise BlobError(f"{name} element {bad[0]} is -128 (weights are symmetric, -127..127)")


def _check_rescale_range(layer, prefix):
    """The firmware's RnnLayer.CheckRescaleRange: rescale_sum of every row stays inside int64."""
    mx, mh, s = fx.common_shift(layer.mx, layer.sx, layer.mh, layer.sh)
    product = 127 * 32768
    for r in range(layer.rows):
        worst = (layer.input_size * int(mx[r]) + layer.hidden_size * int(mh[r])) * product + (1 << (int(s[r]) - 1))
        if worst > (1 << 63) - 1:
            raise BlobError(f"{prefix}row {r}: mx' {int(mx[r])} and mh' {int(mh[r])} at shift {int(s[r])} could take "
                            f"the sum of the input ({layer.input_size} columns) and recurrent ({layer.hidden_size} "
                            f"columns) products past int64")


def _layer_from(arrays, **kwargs):
    return Layer(*(arrays[name] for name, _ in LAYER_SECTIONS), **kwargs)


def _dense_from(arrays):
    return Dense(*(arrays[name] for name, _ in DENSE_SECTIONS))


def from_bytes(data):
    """Parse and validate a blob, in the order docs/model-format.md gives; raises BlobError."""
    data = bytes(data)
    fields = _check_identity(data)
    if fields[1] == FORMAT_VERSION:
        return _from_v1(data, fields)
    return _from_v2(data, fields)


def _from_v1(data, fields):
    (_, _, _, total, cell, layers, head_type, reserved0, c, h, k, cf,
     reserved1, output_scale, sample_rate, reserved2) = fields
    if cell != CELL_LSTM:
        raise BlobError(f"cell_type {cell} is not supported by format version 1 (1 = LSTM)")
    if layers != 1:
        raise BlobError(f"layer_count {layers} is not supported by format version 1 (1)")
    if head_type != HEAD_LINEAR_LAST:
        raise BlobError(f"head_type {head_type} is not supported (1 = linear on the last step)")
    if reserved0 or reserved1 or reserved2:
        raise BlobError("reserved header fields are not zero")
    _check_dims((("input_channels", c), ("hidden_size", h), ("class_count", k)))
    _check_cf(cf)
    if expected_size(c, h, k) != total:
        raise BlobError(f"total_bytes {total} does not match C={c}, H={h}, K={k} "
                        f"(expected {expected_size(c, h, k)})")
    if not (np.isfinite(output_scale) and output_scale > 0):
        raise BlobError(f"output_scale {output_scale} is not finite and positive")

    r = 4 * h
    shapes = {"input_scale": c, "input_zero": c, "channel_source": c, "wx_row_scale": r, "wh_row_scale": r, "bias": r,
              "mx": r, "mh": r, "sx": r, "sh": r, "wx": (r, c), "wh": (r, h),
              "head_w_row_scale": k, "head_bias": k, "head_m": k, "head_s": k, "head_w": (k, h)}
    arrays = _Reader(data, total - 4).sections(SECTIONS, shapes, "")
    _check_input(arrays)
    _check_integers(arrays, ("sx", "sh", "head_s"), ("mx", "mh", "head_m"), ("wx", "wh", "head_w"))
    layer = _layer_from(arrays, cell_type=CELL_LSTM, cell_frac_bits=cf)
    _check_rescale_range(layer, "")
    head = Dense(arrays["head_w_row_scale"], arrays["head_bias"], arrays["head_m"], arrays["head_s"],
                 arrays["head_w"])
    return Model(c, k, float(output_scale), arrays["input_scale"], arrays["input_zero"], [layer], head,
                 arrays["channel_source"], sample_rate)


def _from_v2(data, fields):
    (_, _, _, total, reserved0, layer_count, head_type, head_steps, c, m, k, reserved1,
     reserved2, output_scale, sample_rate, reserved3) = fields
    if not 1 <= layer_count <= MAX_LAYERS:
        raise BlobError(f"layer_count {layer_count} is outside 1..{MAX_LAYERS}")
    if head_type not in (HEAD_LINEAR, HEAD_MLP):
        raise BlobError(f"head_type {head_type} is not supported (1 = linear, 2 = MLP)")
    if head_steps not in (0, 1):
        raise BlobError(f"head_steps {head_steps} is not 0 (last step) or 1 (every step)")
    if reserved0 or reserved1 or reserved2 or reserved3:
        raise BlobError("reserved header fields are not zero")
    _check_dims((("input_channels", c), ("class_count", k)))
    if head_type == HEAD_MLP:
        _check_dims((("mlp_hidden", m),))
    elif m != 0:
        raise BlobError(f"mlp_hidden {m} is not 0 for a linear head")
    if not (np.isfinite(output_scale) and output_scale > 0):
        raise BlobError(f"output_scale {output_scale} is not finite and positive")

    reader = _Reader(data, total - 4)
    inputs = reader.sections(INPUT_SECTIONS, {"input_scale": c, "input_zero": c, "channel_source": c}, "")
    layers = []
    width = c
    for index in range(layer_count):
        prefix = f"layer {index} "
        raw = reader.take(LAYER_HEADER_BYTES, "u1", prefix + "header").tobytes()
        cell, cf, h, hidden_scale = _LAYER_HEADER.unpack(raw)
        if cell not in CELL_NAMES:
            raise BlobError(f"{prefix}cell_type {cell} is not supported (1 LSTM, 2 GRU, 3 RNN-tanh, 4 RNN-relu)")
        if cell == CELL_LSTM:
            _check_cf(cf, prefix)
        elif cf != 0:
            raise BlobError(f"{prefix}cell_frac_bits {cf} is not 0 for a {CELL_NAMES[cell]} layer")
        _check_dims(((prefix + "hidden_size", h),))
        if not (np.isfinite(hidden_scale) and hidden_scale > 0):
            raise BlobError(f"{prefix}hidden_scale {hidden_scale} is not finite and positive")
        r = GATES[cell] * h
        shapes = {"wx_row_scale": r, "wh_row_scale": r, "bias": r, "mx": r, "mh": r, "sx": r, "sh": r,
                  "wx": (r, width), "wh": (r, h)}
        arrays = reader.sections(LAYER_SECTIONS, shapes, prefix)
        layers.append(_layer_from(arrays, cell_type=cell, cell_frac_bits=cf, hidden_scale=float(hidden_scale)))
        width = h
    mlp, mlp_scale = None, 0.0
    if head_type == HEAD_MLP:
        mlp_scale = float(reader.take(1, "<f4", "mlp_scale")[0])
        mlp = reader.sections(DENSE_SECTIONS, _dense_shapes(m, width), "mlp_")
        width = m
    head = reader.sections(DENSE_SECTIONS, _dense_shapes(k, width), "head_")
    if fields[1] == FORMAT_VERSION_RECORDS:
        records_at = reader.offset
        reader.offset = total - 4
    if reader.offset != total - 4:
        raise BlobError(f"total_bytes {total} does not match the layers and head "
                        f"(expected {reader.offset + 4})")
    # Step 5: the sections, once the sizes are known to add up.
    _check_input(inputs)
    for index, layer in enumerate(layers):
        prefix = f"layer {index} "
        named = {prefix + name: getattr(layer, name) for name, _ in LAYER_SECTIONS}
        _check_integers(named, (prefix + "sx", prefix + "sh"), (prefix + "mx", prefix + "mh"),
                        (prefix + "wx", prefix + "wh"))
    if mlp is not None:
        if not (np.isfinite(mlp_scale) and mlp_scale > 0):
            raise BlobError(f"mlp_scale {mlp_scale} is not finite and positive")
        _check_dense(mlp, "mlp_")
        mlp = _dense_from(mlp)
    _check_dense(head, "head_")
    names = check_inputs = check_scores = None
    if fields[1] == FORMAT_VERSION_RECORDS:
        names, check_inputs, check_scores = _read_records(data, records_at, total - 4, c, k)
    for index, layer in enumerate(layers):
        _check_rescale_range(layer, f"layer {index} ")
    return Model(c, k, float(output_scale), inputs["input_scale"], inputs["input_zero"], layers, _dense_from(head),
                 inputs["channel_source"], sample_rate, bool(head_steps), mlp, mlp_scale,
                 names, check_inputs, check_scores)


def _dense_shapes(rows, columns):
    return {"w_row_scale": rows, "bias": rows, "m": rows, "s": rows, "w": (rows, columns)}


def _check_dense(arrays, prefix):
    _check_integers({prefix + n: v for n, v in arrays.items()}, (prefix + "s",), (prefix + "m",), (prefix + "w",))


def read(path):
    """The model in the .nrnn file at path; BlobError names the file and what is wrong."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise BlobError(f"{path}: no such file")
    except IsADirectoryError:
        raise BlobError(f"{path}: is a folder, not a file")
    except OSError as e:
        raise BlobError(f"{path}: cannot read ({e.strerror or e})")
    try:
        return from_bytes(data)
    except BlobError as e:
        raise BlobError(f"{path}: {e}")


class WriteError(OSError):
    """An output file could not be written; the message names it (never the temporary file)."""


def write_atomic(path, data):
    """Write bytes to path via a temporary file in the same folder, so no partial file is left."""
    if not str(path):
        raise WriteError("the output file name is empty")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise WriteError(f"{path}: cannot write (folder {folder} does not exist)")
    if os.path.isdir(path):
        raise WriteError(f"{path}: is a folder, not a file")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as e:
        raise WriteError(f"{path}: cannot write ({e.strerror or type(e).__name__})")
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
