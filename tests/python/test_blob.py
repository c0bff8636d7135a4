"""Blob writer and reader: layout, round trip, and one precise error per kind of damage."""
import struct
import zlib

import numpy as np
import pytest

from nanornn import blob, export, golden


@pytest.fixture(scope="module")
def model():
    state = golden.lstm_state(np.random.default_rng(11), 5, 7, 3)
    return export.quantize(state, channel_names=["ax", "ay", "gz", "in0", "in31"], sample_rate=100).model


def recrc(data):
    data = bytearray(data)
    struct.pack_into("<I", data, len(data) - 4, zlib.crc32(bytes(data[:-4])))
    return bytes(data)


def patched(data, offset, fmt, value):
    data = bytearray(data)
    struct.pack_into(fmt, data, offset, value)
    return recrc(data)


def test_round_trip_and_documented_size(model):
    data = blob.to_bytes(model)
    c, h, k, r = 5, 7, 3, 28
    assert len(data) == 32 + 9 * c + 8 + r * (22 + c + h) + k * (13 + h) + 4   # docs/model-format.md, no records
    assert data[:4] == b"NRNN" and struct.unpack_from("<HHI", data, 4) == (3, 32, len(data))
    back = blob.from_bytes(data)
    assert blob.to_bytes(back) == data
    assert np.array_equal(back.layer.wx, model.layer.wx) and back.cell_frac_bits == model.cell_frac_bits
    assert list(back.channel_source) == [1, 2, 6, 32, 63] and back.sample_rate_hz == 100


@pytest.mark.parametrize("damage,message", [
    (lambda d: d[:20], "shorter than the 32-byte header"),
    (lambda d: b"NRNX" + d[4:], "not a NanoRnn model"),
    (lambda d: patched(d, 4, "<H", 4), "format_version 4 is not supported"),
    (lambda d: patched(d, 4, "<H", 1), "format_version 1 is not read by this version of NanoRnn .*export the model again"),
    (lambda d: patched(d, 4, "<H", 2), "format_version 2 is not read .*tools/quantize.py export"),
    (lambda d: d[:-1], "total_bytes says"),
    (lambda d: d + b"\0", "total_bytes says"),
    (lambda d: d[:100] + bytes([d[100] ^ 1]) + d[101:], "CRC-32 mismatch"),
    (lambda d: patched(d, 32 + 45, "<B", 2), "layer 0 cell_frac_bits .* is not 0"),
    (lambda d: patched(d, 13, "<B", 5), "layer_count 5"),
    (lambda d: patched(d, 16, "<H", 0), "input_channels 0 is outside 1..512"),
    (lambda d: patched(d, 32 + 45 + 2, "<H", 513), "layer 0 hidden_size 513 is outside 1..512"),
    (lambda d: patched(d, 20, "<H", 40), r"total_bytes .* does not match the layers and head \(expected at least"),
    (lambda d: patched(d, 32 + 45 + 1, "<B", 3), "cell_frac_bits 3"),
    (lambda d: patched(d, 24, "<f", -1.0), "output_scale"),
    (lambda d: patched(d, 24, "<f", float("inf")), "output_scale"),
])
def test_damaged_blob_is_refused_with_one_precise_error(model, damage, message):
    with pytest.raises(blob.BlobError, match=message):
        blob.from_bytes(damage(blob.to_bytes(model)))


def section_offset(model, name):
    """Offset of a section of a one-layer blob with a linear head, walked from layout.py's tables."""
    arrays = [(s, d, getattr(model, s)) for s, d, _, _ in blob.INPUT_SECTIONS if s != "channel_source"]
    arrays.append(("channel_source", "u1", np.zeros(model.input_channels)))
    arrays.append(("layer header", "u1", np.zeros(blob.LAYER_HEADER_BYTES)))
    arrays += [(s, d, getattr(model.layer, s)) for s, d, _, _ in blob.LAYER_SECTIONS]
    arrays += [("head_" + s, d, getattr(model.head, s)) for s, d, _, _ in blob.DENSE_SECTIONS]
    offset = blob.HEADER_BYTES
    for section, dtype, values in arrays:
        if section == name:
            return offset
        offset += np.asarray(values).size * np.dtype(dtype).itemsize
    raise KeyError(name)


@pytest.mark.parametrize("section,fmt,value,message", [
    ("input_scale", "<f", float("nan"), r"input_scale\[0\] nan is not finite and positive"),
    ("input_scale", "<f", 0.0, r"input_scale\[0\] 0.0 is not finite and positive"),
    ("input_zero", "<f", float("inf"), r"input_zero\[0\] inf is not finite"),
    ("channel_source", "<B", 8, r"channel_source\[0\] = 8 is not a known source"),
    ("sx", "<B", 0, r"sx\[0\] = 0 is outside 1..62"),
    ("head_s", "<B", 63, r"head_s\[0\] = 63 is outside 1..62"),
    ("mh", "<i", -5, r"mh\[0\] = -5 is negative"),
    ("wh", "<b", -128, r"wh\[0, 0\] is -128"),
])
def test_values_that_could_make_the_arithmetic_wrap_are_refused(model, section, fmt, value, message):
    data = patched(blob.to_bytes(model), section_offset(model, section), fmt, value)
    with pytest.raises(blob.BlobError, match=message):
        blob.from_bytes(data)


@pytest.fixture(scope="module")
def stacked():
    """GRU 3 -> 7 -> 7, MLP head of 9 units, 5 classes, trained on every step (a golden case)."""
    return next(m for name, m, _ in golden.cases() if name == "gru2_c3_h7_k5_mlp9_every_step")


def test_every_golden_model_round_trips_in_the_one_format_version():
    for name, model, _ in golden.cases():
        data = blob.to_bytes(model)
        assert struct.unpack_from("<H", data, 4)[0] == model.format_version == blob.FORMAT_VERSION == 3
        assert blob.to_bytes(blob.from_bytes(data)) == data, name


def layer_header(data, index):
    """Offset of layer `index`'s header in a blob, walked as docs/model-format.md says."""
    c = struct.unpack_from("<H", data, 16)[0]
    offset, width = 32 + 9 * c, c
    for _ in range(index):
        cell, _, h, _ = struct.unpack_from("<BBHf", data, offset)
        rows = (4 if cell in (1, 2) else 1) * h
        offset += 8 + rows * (22 + width + h)
        width = h
    return offset


@pytest.mark.parametrize("damage,message", [
    (lambda d: patched(d, 13, "<B", 0), "layer_count 0 is outside 1..4"),
    (lambda d: patched(d, 13, "<B", 5), "layer_count 5 is outside 1..4"),
    (lambda d: patched(d, 14, "<B", 3), "head_type 3 is not supported"),
    (lambda d: patched(d, 15, "<B", 2), "head_steps 2"),
    (lambda d: patched(d, 12, "<B", 1), "reserved header field at offset 12 is 1, expected 0"),
    (lambda d: patched(d, 18, "<H", 0), "mlp_hidden 0 is outside 1..512"),
    (lambda d: patched(d, 14, "<B", 1), "mlp_hidden 9 is not 0 for a linear head"),
    (lambda d: patched(d, 18, "<H", 10), "total_bytes .* does not match the layers and head"),
    (lambda d: patched(d, layer_header(d, 1), "<B", 5), "layer 1 cell_type 5"),
    (lambda d: patched(d, layer_header(d, 1) + 1, "<B", 12), "layer 1 cell_frac_bits 12 is not 0"),
    (lambda d: patched(d, layer_header(d, 1), "<B", 1), r"layer 1 cell_frac_bits 0 is outside 4..15"),
    (lambda d: patched(d, layer_header(d, 1) + 2, "<H", 0), "layer 1 hidden_size 0 is outside 1..512"),
    (lambda d: patched(d, layer_header(d, 1) + 4, "<f", float("nan")), "layer 1 hidden_scale"),
    (lambda d: patched(d, layer_header(d, 1) + 8 + 20 * 28 + 3, "<B", 0), r"layer 1 sx\[3\] = 0 is outside 1..62"),
    (lambda d: patched(d, layer_header(d, 1) + 8 + 12 * 28 + 8, "<i", -1), r"layer 1 mx\[2\] = -1 is negative"),
    (lambda d: patched(d, layer_header(d, 2), "<f", 0.0), "mlp_scale 0.0 is not finite and positive"),
    (lambda d: patched(d, layer_header(d, 2) + 4 + 12 * 9, "<B", 0), r"mlp_s\[0\] = 0"),
    (lambda d: patched(d, layer_header(d, 2) + 4 + 9 * 20 + 13 * 5 + 10, "<b", -128), r"head_w\[1, 1\] is -128"),
])
def test_damaged_stacked_blob_is_refused_with_one_precise_error(stacked, damage, message):
    with pytest.raises(blob.BlobError, match=message):
        blob.from_bytes(damage(blob.to_bytes(stacked)))
