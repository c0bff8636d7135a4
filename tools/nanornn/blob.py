"""The `.nrnn` blob: an in-memory model, its writer and its reader (format version 3).

A blob holds a stack of one to four LSTM, GRU or plain RNN layers, a linear or MLP head, and
tagged records (class names, a check sequence with the scores the integer reference computes for
it). layout.py is the table of its fields; docs/model-format.md describes them.
"""
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass, field

import numpy as np

from . import fixedpoint as fx

from .layout import (CELL_FRAC_MAX, CELL_FRAC_MIN, CELL_GRU, CELL_LSTM, CELL_RNN_RELU, CELL_RNN_TANH,  # noqa: F401
                     DENSE_SECTIONS, FORMAT_VERSION, HEAD_LINEAR, HEAD_MLP, HEADER_BYTES, INPUT_SECTIONS,
                     LAYER_HEADER_BYTES, LAYER_SECTIONS, MAGIC, MAX_CHECK_STEPS, MAX_DIM, MAX_LAYERS,
                     MAX_NAME_BYTES, SHIFT_MAX, SHIFT_MIN, TAG_CHECK_SEQUENCE, TAG_CLASS_NAMES)
from .layout import HEADER_STRUCT as _HEADER
from .layout import LAYER_HEADER_STRUCT as _LAYER_HEADER
from .layout import RECORD_HEADER_STRUCT as RECORD_HEADER

CELL_NAMES = {CELL_LSTM: "LSTM", CELL_GRU: "GRU", CELL_RNN_TANH: "RNN-tanh", CELL_RNN_RELU: "RNN-relu"}
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
        return FORMAT_VERSION


def _channel_sources(model):
    return (model.channel_source if model.channel_source is not None
            else np.zeros(model.input_channels, np.uint8))


def _pack(obj, sections):
    return b"".join(np.ascontiguousarray(getattr(obj, name) if not isinstance(obj, dict) else obj[name],
                                         dtype=dtype).tobytes() for name, dtype, _, _ in sections)


def to_bytes(model):
    parts = [_pack({"input_scale": model.input_scale, "input_zero": model.input_zero,
                    "channel_source": _channel_sources(model)}, INPUT_SECTIONS)]
    for layer in model.layers:
        parts.append(_LAYER_HEADER.pack(layer.cell_type, layer.cell_frac_bits, layer.hidden_size, layer.hidden_scale))
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
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, HEADER_BYTES, total, 0, len(model.layers),
                          head_type, int(model.every_step), model.input_channels, mlp_units,
                          model.class_count, 0, 0, model.output_scale, model.sample_rate_hz, 0)
    data = header + body
    return data + struct.pack("<I", zlib.crc32(data))


def _record(tag, payload):
    return RECORD_HEADER.pack(tag, 0, len(payload)) + payload


def _records(model):
    """The records (b"" for a model without names or a check sequence)."""
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
                for name, dtype, _, _ in sections}


def _check_identity(data):
    if len(data) < HEADER_BYTES:
        raise BlobError(f"blob is {len(data)} bytes, shorter than the {HEADER_BYTES}-byte header")
    fields = _HEADER.unpack_from(data)
    magic, version, header_bytes, total = fields[:4]
    if magic != MAGIC:
        raise BlobError(f"not a NanoRnn model: magic is {magic!r}, expected {MAGIC!r}")
    if version != FORMAT_VERSION:
        raise BlobError(unsupported_version(version))
    if header_bytes != HEADER_BYTES:
        raise BlobError(f"header_bytes is {header_bytes}, expected {HEADER_BYTES}")
    if total != len(data):
        raise BlobError(f"total_bytes says {total} bytes but the blob has {len(data)}")
    stored_crc = struct.unpack_from("<I", data, total - 4)[0]
    actual_crc = zlib.crc32(data[:total - 4])
    if stored_crc != actual_crc:
        raise BlobError(f"CRC-32 mismatch: stored 0x{stored_crc:08X}, computed 0x{actual_crc:08X}")
    return fields


def unsupported_version(version):
    """The loader's sentence for a blob of another format version (the firmware's is the same)."""
    if version in (1, 2):
        return (f"format_version {version} is not read by this version of NanoRnn (it reads {FORMAT_VERSION}): "
                f"export the model again with `python3 tools/quantize.py export`")
    return f"format_version {version} is not supported (this version of NanoRnn reads {FORMAT_VERSION})"


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
        bad = np.flatnonzero((arrays[name] < SHIFT_MIN) | (arrays[name] > SHIFT_MAX))
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name].flat[bad[0]]} is outside {SHIFT_MIN}..{SHIFT_MAX}")
    for name in multipliers:
        bad = np.flatnonzero(arrays[name] < 0)
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name][bad[0]]} is negative")
    for name in weights:
        bad = np.argwhere(arrays[name] == -128)
        if bad.size:
            raise BlobError(f"{name}[{bad[0][0]}, {bad[0][1]}] is -128 (weights are symmetric, -127..127)")


def _check_rescale_range(layer, prefix):
    """The firmware's BlobChecker.CheckRescaleRange: rescale_sum of every row stays inside int64."""
    mx, mh, s = fx.common_shift(layer.mx, layer.sx, layer.mh, layer.sh)
    product = 127 * 32768
    for r in range(layer.rows):
        worst = (layer.input_size * int(mx[r]) + layer.hidden_size * int(mh[r])) * product + (1 << (int(s[r]) - 1))
        if worst > (1 << 63) - 1:
            raise BlobError(f"{prefix}row {r}: mx' {int(mx[r])} and mh' {int(mh[r])} at shift {int(s[r])} could take "
                            f"the sum of the input ({layer.input_size} columns) and recurrent ({layer.hidden_size} "
                            f"columns) products past int64")


def _layer_from(arrays, **kwargs):
    return Layer(*(arrays[name] for name, _, _, _ in LAYER_SECTIONS), **kwargs)


def _dense_from(arrays):
    return Dense(*(arrays[name] for name, _, _, _ in DENSE_SECTIONS))


def from_bytes(data):
    """Parse and validate a blob, in the order docs/model-format.md gives; raises BlobError."""
    data = bytes(data)
    fields = _check_identity(data)
    (_, _, _, total, reserved0, layer_count, head_type, head_steps, c, m, k, reserved1,
     reserved2, output_scale, sample_rate, reserved3) = fields
    if not 1 <= layer_count <= MAX_LAYERS:
        raise BlobError(f"layer_count {layer_count} is outside 1..{MAX_LAYERS}")
    if head_type not in (HEAD_LINEAR, HEAD_MLP):
        raise BlobError(f"head_type {head_type} is not supported (1 = linear, 2 = MLP)")
    if head_steps not in (0, 1):
        raise BlobError(f"head_steps {head_steps} is not 0 (last step) or 1 (every step)")
    for offset, value in ((12, reserved0), (22, reserved1), (23, reserved2), (30, reserved3)):
        if value:
            raise BlobError(f"reserved header field at offset {offset} is {value}, expected 0")
    _check_dims((("input_channels", c), ("class_count", k)))
    if head_type == HEAD_MLP:
        _check_dims((("mlp_hidden", m),))
    elif m != 0:
        raise BlobError(f"mlp_hidden {m} is not 0 for a linear head")
    _check_structure(data, total, layer_count, c, k, m)
    if not (np.isfinite(output_scale) and output_scale > 0):
        raise BlobError(f"output_scale {output_scale} is not finite and positive")

    reader = _Reader(data, total - 4)
    inputs = reader.sections(INPUT_SECTIONS, {"input_scale": c, "input_zero": c, "channel_source": c}, "")
    layers = []
    width = c
    for index in range(layer_count):
        prefix = f"layer {index} "
        raw = reader.take(LAYER_HEADER_BYTES, "u1", prefix + "header").tobytes()
        cell, cf, h, hidden_scale = _LAYER_HEADER.unpack(raw)     # checked by _check_structure
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
    records_at = reader.offset
    # Step 5: the sections, once the sizes are known to add up.
    _check_input(inputs)
    for index, layer in enumerate(layers):
        prefix = f"layer {index} "
        named = {prefix + name: getattr(layer, name) for name, _, _, _ in LAYER_SECTIONS}
        _check_integers(named, (prefix + "sx", prefix + "sh"), (prefix + "mx", prefix + "mh"),
                        (prefix + "wx", prefix + "wh"))
    if mlp is not None:
        if not (np.isfinite(mlp_scale) and mlp_scale > 0):
            raise BlobError(f"mlp_scale {mlp_scale} is not finite and positive")
        _check_dense(mlp, "mlp_")
        mlp = _dense_from(mlp)
    _check_dense(head, "head_")
    names, check_inputs, check_scores = _read_records(data, records_at, total - 4, c, k)
    for index, layer in enumerate(layers):
        _check_rescale_range(layer, f"layer {index} ")
    return Model(c, k, float(output_scale), inputs["input_scale"], inputs["input_zero"], layers, _dense_from(head),
                 inputs["channel_source"], sample_rate, bool(head_steps), mlp, mlp_scale,
                 names, check_inputs, check_scores)


def _check_structure(data, total, layer_count, c, k, m):
    """Step 4's walk, before any section is read: each layer header in turn, then the layers and the
    head must end at or before the CRC (the firmware's BlobChecker.CheckStructure, message for message)."""
    offset, width, end = HEADER_BYTES + 9 * c, c, total - 4
    for index in range(layer_count):
        prefix = f"layer {index} "
        if offset + LAYER_HEADER_BYTES > end:
            raise BlobError(f"total_bytes {total} does not match the layers and head ({prefix}header runs past the end)")
        cell, cf, h, hidden_scale = _LAYER_HEADER.unpack_from(data, offset)
        if cell not in CELL_NAMES:
            raise BlobError(f"{prefix}cell_type {cell} is not supported (1 LSTM, 2 GRU, 3 RNN-tanh, 4 RNN-relu)")
        if cell == CELL_LSTM:
            _check_cf(cf, prefix)
        elif cf != 0:
            raise BlobError(f"{prefix}cell_frac_bits {cf} is not 0 for a layer without cell state")
        _check_dims(((prefix + "hidden_size", h),))
        if not (np.isfinite(hidden_scale) and hidden_scale > 0):
            raise BlobError(f"{prefix}hidden_scale {hidden_scale} is not finite and positive")
        offset += LAYER_HEADER_BYTES + GATES[cell] * h * (22 + width + h)
        width = h
    if m:
        offset += 4 + m * (13 + width)
        width = m
    offset += k * (13 + width)
    if offset > end:
        raise BlobError(f"total_bytes {total} does not match the layers and head (expected at least {offset + 4})")


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
