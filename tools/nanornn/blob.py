"""The `.nrnn` blob: an in-memory model, its writer and its reader (format version 1).

docs/model-format.md is the field-by-field description; the offsets below are the same table.
"""
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass

import numpy as np

MAGIC = b"NRNN"
FORMAT_VERSION = 1
HEADER_BYTES = 32
CELL_LSTM = 1
HEAD_LINEAR_LAST = 1
MAX_DIM = 512
CELL_FRAC_MIN, CELL_FRAC_MAX = 4, 15
GATES = {CELL_LSTM: 4}

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


# magic, version, header_bytes, total_bytes, cell, layers, head, reserved,
# C, H, K, cell_frac_bits, reserved, output_scale, sample_rate_hz, reserved
_HEADER = struct.Struct("<4sHHIBBBBHHHBBfHH")
assert _HEADER.size == HEADER_BYTES


class BlobError(ValueError):
    """A blob that is not a valid NanoRnn model; the message names the field."""


@dataclass
class Layer:
    """One recurrent layer. R = gates * H rows, row r = gate * H + j (PyTorch gate order)."""
    wx_row_scale: np.ndarray   # float32 [R]
    wh_row_scale: np.ndarray   # float32 [R]
    bias: np.ndarray           # int32 [R], Q3.12
    mx: np.ndarray             # int32 [R]
    mh: np.ndarray             # int32 [R]
    sx: np.ndarray             # uint8 [R]
    sh: np.ndarray             # uint8 [R]
    wx: np.ndarray             # int8 [R, C]
    wh: np.ndarray             # int8 [R, H]


@dataclass
class Head:
    """Linear head on the last hidden state; q = W h rescaled + bias, logit = q * output_scale."""
    w_row_scale: np.ndarray    # float32 [K]
    bias: np.ndarray           # int32 [K]
    m: np.ndarray              # int32 [K]
    s: np.ndarray              # uint8 [K]
    w: np.ndarray              # int8 [K, H]


@dataclass
class Model:
    cell_type: int
    input_channels: int
    hidden_size: int
    class_count: int
    cell_frac_bits: int
    output_scale: float
    input_scale: np.ndarray    # float32 [C]: training units per count
    input_zero: np.ndarray     # float32 [C]: counts that mean 0 in training units
    layer: Layer
    head: Head
    channel_source: np.ndarray = None   # uint8 [C]: CHANNEL_SOURCES code per channel, 0 = unspecified
    sample_rate_hz: int = 0             # the rate the model was trained at, 0 = not recorded

    @property
    def rows(self):
        return GATES[self.cell_type] * self.hidden_size


def expected_size(c, h, k, gates=4):
    r = gates * h
    return HEADER_BYTES + 9 * c + r * (8 + 12 + 2 + c + h) + k * (4 + 8 + 1 + h) + 4


# Sections after the header, in blob order: (name, little-endian dtype).
SECTIONS = [
    ("input_scale", "<f4"), ("input_zero", "<f4"), ("channel_source", "u1"),
    ("wx_row_scale", "<f4"), ("wh_row_scale", "<f4"), ("bias", "<i4"), ("mx", "<i4"), ("mh", "<i4"),
    ("sx", "u1"), ("sh", "u1"), ("wx", "i1"), ("wh", "i1"),
    ("head_w_row_scale", "<f4"), ("head_bias", "<i4"), ("head_m", "<i4"), ("head_s", "u1"),
    ("head_w", "i1"),
]


def _section_arrays(model):
    layer, head = model.layer, model.head
    return {
        "input_scale": model.input_scale, "input_zero": model.input_zero,
        "channel_source": (model.channel_source if model.channel_source is not None
                           else np.zeros(model.input_channels, np.uint8)),
        "wx_row_scale": layer.wx_row_scale, "wh_row_scale": layer.wh_row_scale,
        "bias": layer.bias, "mx": layer.mx, "mh": layer.mh, "sx": layer.sx, "sh": layer.sh,
        "wx": layer.wx, "wh": layer.wh,
        "head_w_row_scale": head.w_row_scale, "head_bias": head.bias, "head_m": head.m,
        "head_s": head.s, "head_w": head.w,
    }


def to_bytes(model):
    arrays = _section_arrays(model)
    body = b"".join(np.ascontiguousarray(arrays[name], dtype=dt).tobytes() for name, dt in SECTIONS)
    total = HEADER_BYTES + len(body) + 4
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, HEADER_BYTES, total, model.cell_type, 1,
                          HEAD_LINEAR_LAST, 0, model.input_channels, model.hidden_size,
                          model.class_count, model.cell_frac_bits, 0, model.output_scale,
                          model.sample_rate_hz, 0)
    data = header + body
    return data + struct.pack("<I", zlib.crc32(data))


def from_bytes(data):
    """Parse and validate a blob, in the order docs/model-format.md gives; raises BlobError."""
    data = bytes(data)
    if len(data) < HEADER_BYTES:
        raise BlobError(f"blob is {len(data)} bytes, shorter than the {HEADER_BYTES}-byte header")
    (magic, version, header_bytes, total, cell, layers, head_type, reserved0, c, h, k, cf,
     reserved1, output_scale, sample_rate, reserved2) = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise BlobError(f"not a NanoRnn model: magic is {magic!r}, expected {MAGIC!r}")
    if version != FORMAT_VERSION:
        raise BlobError(f"format_version {version} is not supported (this tool reads {FORMAT_VERSION})")
    if header_bytes != HEADER_BYTES:
        raise BlobError(f"header_bytes is {header_bytes}, expected {HEADER_BYTES}")
    if total != len(data):
        raise BlobError(f"total_bytes says {total} bytes but the blob has {len(data)}")
    stored_crc = struct.unpack_from("<I", data, total - 4)[0]
    actual_crc = zlib.crc32(data[:total - 4])
    if stored_crc != actual_crc:
        raise BlobError(f"CRC-32 mismatch: stored 0x{stored_crc:08X}, computed 0x{actual_crc:08X}")
    if cell != CELL_LSTM:
        raise BlobError(f"cell_type {cell} is not supported (1 = LSTM)")
    if layers != 1:
        raise BlobError(f"layer_count {layers} is not supported (1)")
    if head_type != HEAD_LINEAR_LAST:
        raise BlobError(f"head_type {head_type} is not supported (1 = linear on the last step)")
    if reserved0 or reserved1 or reserved2:
        raise BlobError("reserved header fields are not zero")
    for name, value in (("input_channels", c), ("hidden_size", h), ("class_count", k)):
        if not 1 <= value <= MAX_DIM:
            raise BlobError(f"{name} {value} is outside 1..{MAX_DIM}")
    if not CELL_FRAC_MIN <= cf <= CELL_FRAC_MAX:
        raise BlobError(f"cell_frac_bits {cf} is outside {CELL_FRAC_MIN}..{CELL_FRAC_MAX}")
    if expected_size(c, h, k) != total:
        raise BlobError(f"total_bytes {total} does not match C={c}, H={h}, K={k} "
                        f"(expected {expected_size(c, h, k)})")
    if not (np.isfinite(output_scale) and output_scale > 0):
        raise BlobError(f"output_scale {output_scale} is not finite and positive")

    r = 4 * h
    shapes = {"input_scale": c, "input_zero": c, "channel_source": c, "wx_row_scale": r, "wh_row_scale": r, "bias": r,
              "mx": r, "mh": r, "sx": r, "sh": r, "wx": (r, c), "wh": (r, h),
              "head_w_row_scale": k, "head_bias": k, "head_m": k, "head_s": k, "head_w": (k, h)}
    offset = HEADER_BYTES
    arrays = {}
    for name, dtype in SECTIONS:
        count = int(np.prod(shapes[name]))
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shapes[name])
        offset += count * np.dtype(dtype).itemsize
    for name, positive in (("input_scale", True), ("input_zero", False)):
        values = arrays[name]
        bad = np.flatnonzero(~np.isfinite(values) | ((values <= 0) if positive else False))
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] {values[bad[0]]} is not finite{' and positive' if positive else ''}")
    bad = [i for i, code in enumerate(arrays["channel_source"]) if not valid_channel_code(code)]
    if bad:
        raise BlobError(f"channel_source[{bad[0]}] = {arrays['channel_source'][bad[0]]} is not a known source")
    for name in ("sx", "sh", "head_s"):
        bad = np.flatnonzero((arrays[name] < 1) | (arrays[name] > 62))
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name].flat[bad[0]]} is outside 1..62")
    for name in ("mx", "mh", "head_m"):
        bad = np.flatnonzero(arrays[name] < 0)
        if bad.size:
            raise BlobError(f"{name}[{bad[0]}] = {arrays[name][bad[0]]} is negative")
    for name in ("wx", "wh", "head_w"):
        bad = np.flatnonzero(arrays[name] == -128)
        if bad.size:
            raise BlobError(f"{name} element {bad[0]} is -128 (weights are symmetric, -127..127)")
    layer = Layer(arrays["wx_row_scale"], arrays["wh_row_scale"], arrays["bias"], arrays["mx"],
                  arrays["mh"], arrays["sx"], arrays["sh"], arrays["wx"], arrays["wh"])
    head = Head(arrays["head_w_row_scale"], arrays["head_bias"], arrays["head_m"], arrays["head_s"],
                arrays["head_w"])
    return Model(cell, c, h, k, cf, float(output_scale), arrays["input_scale"], arrays["input_zero"],
                 layer, head, arrays["channel_source"], sample_rate)


def read(path):
    with open(path, "rb") as f:
        return from_bytes(f.read())


def write_atomic(path, data):
    """Write bytes to path via a temporary file in the same folder, so no partial file is left."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
