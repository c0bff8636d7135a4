"""torch model -> export -> desktop runner (the nano-compiled firmware assembly on .NET).

The desktop CSV must equal the Python reference's byte for byte, and its argmax must match
float torch on at least 99% of a few hundred random sequences.
"""
import os
import struct
import zlib

import numpy as np
import pytest
import torch

from conftest import REPO, run_quantize
from nanornn import blob, compare, demo, structures


@pytest.mark.parametrize("channels,hidden,classes,seed", [(6, 32, 5, 1), (1, 7, 3, 2), (16, 19, 4, 3)])
def test_desktop_infer_equals_reference_and_tracks_float(tmp_path, desktop, channels, hidden, classes, seed):
    torch.manual_seed(seed)
    module = demo.GestureLstm(channels, hidden, classes)
    torch.save(module, tmp_path / "model.pt")                         # a whole module this time
    rng = np.random.default_rng(seed)
    np.save(tmp_path / "cal.npy", rng.normal(0, 1, (64, 30, channels)).astype(np.float32))
    x = rng.normal(0, 1, (300, 30, channels)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    exported = run_quantize("export", tmp_path / "model.pt", "-o", tmp_path / "m.nrnn",
                            "--calibration", tmp_path / "cal.npy")
    assert exported.returncode == 0, exported.stderr
    ref = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "x.npy", "-o", tmp_path / "ref.csv")
    assert ref.returncode == 0, ref.stderr
    run = desktop("infer", "--model", tmp_path / "m.nrnn", "--input", tmp_path / "x.npy",
                  "--output", tmp_path / "cs.csv")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "cs.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()

    rows = [line.split(",") for line in (tmp_path / "cs.csv").read_text().splitlines()[1:]]
    predicted = np.array([int(r[0]) for r in rows])
    agreement = np.mean(predicted == np.argmax(compare.float_logits(module, x), axis=1))
    assert agreement >= 0.99, agreement


def test_default_model_on_its_sample_input(tmp_path, desktop):
    folder = os.path.join(REPO, "models", "default")
    run = desktop("infer", "--model", os.path.join(folder, "model.nrnn"),
                  "--input", os.path.join(folder, "sample-input.npy"), "--output", tmp_path / "cs.csv")
    assert run.returncode == 0, run.stderr
    ref = run_quantize("reference", os.path.join(folder, "model.nrnn"),
                       os.path.join(folder, "sample-input.npy"), "-o", tmp_path / "ref.csv")
    assert ref.returncode == 0, ref.stderr
    assert (tmp_path / "cs.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()
    predicted = [int(line.split(",")[0]) for line in (tmp_path / "cs.csv").read_text().splitlines()[1:]]
    assert predicted == list(np.load(os.path.join(folder, "sample-labels.npy")))


@pytest.mark.parametrize("cell,layers,mlp,nonlinearity,seed", [
    ("gru", 1, 0, "tanh", 4), ("lstm", 3, 0, "tanh", 5), ("gru", 2, 8, "tanh", 6), ("rnn", 2, 0, "relu", 7),
    ("rnn", 1, 0, "tanh", 8),
])
def test_other_structures_desktop_equals_reference(tmp_path, desktop, cell, layers, mlp, nonlinearity, seed):
    """GRU, RNN, stacks and an MLP head: desktop == reference for whole sequences, every step, and
    variable-length .npz inputs in both forms; argmax tracks float torch on the whole sequences."""
    torch.manual_seed(seed)
    module = structures.Recurrent(cell, 5, 11, 4, layers, mlp, nonlinearity=nonlinearity)
    torch.save(module, tmp_path / "model.pt")
    rng = np.random.default_rng(seed)
    np.save(tmp_path / "cal.npy", rng.normal(0, 1, (64, 30, 5)).astype(np.float32))
    x = rng.normal(0, 1, (300, 30, 5)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    exported = run_quantize("export", tmp_path / "model.pt", "-o", tmp_path / "m.nrnn",
                            "--calibration", tmp_path / "cal.npy")
    assert exported.returncode == 0, exported.stderr

    lengths = rng.integers(1, 31, 40)
    np.savez(tmp_path / "list.npz", *[x[i, :lengths[i]] for i in range(40)])
    padded = np.where(np.arange(30)[None, :, None] < lengths[:, None, None], x[:40], np.nan).astype(np.float32)
    np.savez(tmp_path / "padded.npz", x=padded, lengths=lengths)
    runs = [("x.npy",), ("x.npy", "--every-step"), ("list.npz",), ("padded.npz", "--every-step")]
    for name, *flags in runs:
        ref = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / name, "-o", tmp_path / "ref.csv", *flags)
        assert ref.returncode == 0, ref.stderr
        run = desktop("infer", "--model", tmp_path / "m.nrnn", "--input", tmp_path / name,
                      "--output", tmp_path / "cs.csv", *flags)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / "cs.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes(), (name, flags)
        if name == "x.npy" and not flags:
            rows = [line.split(",") for line in (tmp_path / "cs.csv").read_text().splitlines()[1:]]
            agreement = np.mean(np.array([int(r[0]) for r in rows]) == np.argmax(compare.float_logits(module, x), 1))
            assert agreement >= 0.99, agreement

    # pack_padded_sequence semantics: the row of sequence n is the output after its last valid step.
    ref = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "list.npz", "-o", tmp_path / "last.csv")
    every = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "list.npz", "-o", tmp_path / "every.csv",
                         "--every-step")
    assert ref.returncode == 0 and every.returncode == 0
    last = (tmp_path / "last.csv").read_text().splitlines()
    steps = [line.split(",", 2) for line in (tmp_path / "every.csv").read_text().splitlines()[1:]]
    assert len(steps) == lengths.sum()
    ends = [row[2] for row in steps if int(row[1]) == lengths[int(row[0])] - 1]
    assert ends == last[1:]
    with torch.no_grad():
        packed = torch.nn.utils.rnn.pack_padded_sequence(torch.as_tensor(np.nan_to_num(padded)), torch.as_tensor(lengths),
                                                         batch_first=True, enforce_sorted=False)
        _, h_n = module.rnn(packed)
        h_last = (h_n[0] if cell == "lstm" else h_n)[-1]
        expected = module.head(h_last).argmax(1).numpy()
    predicted = np.array([int(line.split(",")[0]) for line in last[1:]])
    assert np.mean(predicted == expected) >= 0.95   # 40 sequences: at most two near-ties may flip


def test_bad_npz_inputs_are_refused_by_both(tmp_path, desktop):
    torch.manual_seed(9)
    torch.save(demo.build_module(2, 4, 3).state_dict(), tmp_path / "m.pt")
    assert run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn").returncode == 0
    np.savez(tmp_path / "zero.npz", x=np.zeros((2, 5, 2), np.float32), lengths=np.array([3, 0]))
    np.savez(tmp_path / "channels.npz", np.zeros((4, 2), np.float32), np.zeros((4, 3), np.float32))
    np.savez(tmp_path / "names.npz", a=np.zeros((4, 2), np.float32))
    for name, message in (("zero.npz", "lengths[1] = 0 is outside 1..5"),
                          ("channels.npz", "[arr_1]: has 3 channels, the model takes 2"),
                          ("names.npz", "expected arrays arr_0, arr_1")):
        ref = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / name, "-o", tmp_path / "r.csv")
        assert ref.returncode == 1 and message in ref.stderr, (name, ref.stderr)
        run = desktop("infer", "--model", tmp_path / "m.nrnn", "--input", tmp_path / name, "--output", tmp_path / "c.csv")
        assert run.returncode != 0 and message in run.stderr, (name, run.stderr)
        assert not (tmp_path / "r.csv").exists() and not (tmp_path / "c.csv").exists()


@pytest.mark.parametrize("shift,refused", [(58, True), (57, False)])
def test_a_rescale_that_could_leave_int64_is_refused_by_both(tmp_path, desktop, shift, refused):
    """C = H = 512 with the largest multipliers: (512 + 512) · 127 · 32768 · (2^31 - 1) + 2^(s-1)
    passes 2^63 at s = 58 and not at s = 57 (docs/model-format.md, "Limits")."""
    c, h, k = 512, 512, 2
    r = 4 * h
    full = np.full(r, 2**31 - 1, np.int32)
    layer = blob.Layer(np.ones(r, np.float32), np.ones(r, np.float32), np.zeros(r, np.int32), full, full.copy(),
                       np.full(r, shift, np.uint8), np.full(r, shift, np.uint8), np.zeros((r, c), np.int8),
                       np.zeros((r, h), np.int8), cell_frac_bits=12)
    head = blob.Dense(np.ones(k, np.float32), np.zeros(k, np.int32), np.full(k, 1 << 30, np.int32),
                      np.full(k, 31, np.uint8), np.zeros((k, h), np.int8))
    model = blob.Model(c, k, 1.0, np.ones(c, np.float32), np.zeros(c, np.float32), [layer], head,
                       np.zeros(c, np.uint8))
    data = blob.to_bytes(model)
    (tmp_path / "m.nrnn").write_bytes(data)
    np.save(tmp_path / "x.npy", np.zeros((1, 1, c), np.float32))
    message = f"row 0: mx' {2**31 - 1} and mh' {2**31 - 1} at shift {shift} could take"
    run = desktop("infer", "--model", tmp_path / "m.nrnn", "--input", tmp_path / "x.npy", "--output", tmp_path / "c.csv")
    if refused:
        with pytest.raises(blob.BlobError, match="past int64"):
            blob.from_bytes(data)
        assert run.returncode != 0 and message in run.stderr and "past int64" in run.stderr, run.stderr
        assert not (tmp_path / "c.csv").exists()
    else:
        blob.from_bytes(data)
        assert run.returncode == 0, run.stderr


def test_a_damaged_blob_gets_the_same_sentence_from_the_tool_and_the_firmware(tmp_path, desktop):
    """blob.py and the firmware's BlobChecker make the same checks in the same order: for damage to
    the header, the layer headers, the sizes and the sections, both name the same field the same way."""
    torch.manual_seed(5)
    torch.save(demo.build_module(2, 4, 3).state_dict(), tmp_path / "m.pt")
    assert run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn").returncode == 0
    valid = (tmp_path / "m.nrnn").read_bytes()
    layer = 32 + 9 * 2
    wx = layer + 8 + 16 * 22

    def patched(offset, fmt, value, data=valid):
        data = bytearray(data)
        struct.pack_into(fmt, data, offset, value)
        struct.pack_into("<I", data, len(data) - 4, zlib.crc32(bytes(data[:-4])))
        return bytes(data)

    np.save(tmp_path / "x.npy", np.zeros((1, 1, 2), np.float32))
    for name, data in {"version 1": patched(4, "<H", 1), "version 2": patched(4, "<H", 2), "version 9": patched(4, "<H", 9),
                       "reserved 22": patched(22, "<B", 7), "layers 5": patched(13, "<B", 5),
                       "layer header past the end": patched(16, "<H", 200), "classes": patched(20, "<H", 60),
                       "cell type": patched(layer, "<B", 9), "cf": patched(layer + 1, "<B", 2),
                       "hidden": patched(layer + 2, "<H", 0), "weight": patched(wx + 5, "<b", -128),
                       "mlp without MLP": patched(18, "<H", 3)}.items():
        with pytest.raises(blob.BlobError) as python:
            blob.from_bytes(data)
        (tmp_path / "d.nrnn").write_bytes(data)
        run = desktop("infer", "--model", tmp_path / "d.nrnn", "--input", tmp_path / "x.npy", "--output", tmp_path / "c.csv")
        assert run.returncode == 1, (name, run.stderr)
        assert str(python.value) in run.stderr, (name, str(python.value), run.stderr)
