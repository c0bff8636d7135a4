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
    assert len(data) == blob.expected_size(5, 7, 3)
    assert data[:4] == b"NRNN" and struct.unpack_from("<HHI", data, 4) == (1, 32, len(data))
    back = blob.from_bytes(data)
    assert blob.to_bytes(back) == data
    assert np.array_equal(back.layer.wx, model.layer.wx) and back.cell_frac_bits == model.cell_frac_bits
    assert list(back.channel_source) == [1, 2, 6, 32, 63] and back.sample_rate_hz == 100


@pytest.mark.parametrize("damage,message", [
    (lambda d: d[:20], "shorter than the 32-byte header"),
    (lambda d: b"NRNX" + d[4:], "not a NanoRnn model"),
    (lambda d: patched(d, 4, "<H", 3), "format_version 3 is not supported"),
    (lambda d: d[:-1], "total_bytes says"),
    (lambda d: d + b"\0", "total_bytes says"),
    (lambda d: d[:100] + bytes([d[100] ^ 1]) + d[101:], "CRC-32 mismatch"),
    (lambda d: patched(d, 12, "<B", 2), "cell_type 2"),
    (lambda d: patched(d, 13, "<B", 2), "layer_count 2"),
    (lambda d: patched(d, 16, "<H", 0), "input_channels 0 is outside 1..512"),
    (lambda d: patched(d, 18, "<H", 513), "hidden_size 513 is outside 1..512"),
    (lambda d: patched(d, 20, "<H", 4), "total_bytes .* does not match"),
    (lambda d: patched(d, 22, "<B", 3), "cell_frac_bits 3"),
    (lambda d: patched(d, 24, "<f", -1.0), "output_scale"),
    (lambda d: patched(d, 24, "<f", float("inf")), "output_scale"),
])
def test_damaged_blob_is_refused_with_one_precise_error(model, damage, message):
    with pytest.raises(blob.BlobError, match=message):
        blob.from_bytes(damage(blob.to_bytes(model)))


def section_offset(model, name):
    arrays = blob._section_arrays(model)
    offset = blob.HEADER_BYTES
    for section, dtype in blob.SECTIONS:
        if section == name:
            return offset
        offset += np.asarray(arrays[section]).size * np.dtype(dtype).itemsize
    raise KeyError(name)


@pytest.mark.parametrize("section,fmt,value,message", [
    ("input_scale", "<f", float("nan"), r"input_scale\[0\] nan is not finite and positive"),
    ("input_scale", "<f", 0.0, r"input_scale\[0\] 0.0 is not finite and positive"),
    ("input_zero", "<f", float("inf"), r"input_zero\[0\] inf is not finite"),
    ("channel_source", "<B", 8, r"channel_source\[0\] = 8 is not a known source"),
    ("sx", "<B", 0, r"sx\[0\] = 0 is outside 1..62"),
    ("head_s", "<B", 63, r"head_s\[0\] = 63 is outside 1..62"),
    ("mh", "<i", -5, r"mh\[0\] = -5 is negative"),
    ("wh", "<b", -128, "wh element 0 is -128"),
])
def test_values_that_could_make_the_arithmetic_wrap_are_refused(model, section, fmt, value, message):
    data = patched(blob.to_bytes(model), section_offset(model, section), fmt, value)
    with pytest.raises(blob.BlobError, match=message):
        blob.from_bytes(data)
