"""The integer reference against float PyTorch and against PyTorch's own dynamic int8.

Tolerance against float is stated, not bit-exact: int8 weights (worst round-trip error half a
step, 1/254 of a row's largest weight), 16-bit states and 513-entry activation tables each add
error. Bit-exactness is required only between the reference and the firmware (golden tests).
"""
import numpy as np
import pytest
import torch

from nanornn import compare, demo, export, reference, structures

MAX_DLOGIT = 0.01     # measured at most 0.0014 on these models


def state_of(module):
    return {k: v.detach().double().numpy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("channels,hidden,classes", [(1, 5, 2), (3, 13, 4), (6, 32, 5), (16, 20, 3),
                                                     (6, 64, 6)])
def test_parity_with_float_torch_beats_dynamic_quantization(channels, hidden, classes):
    torch.manual_seed(channels * 100 + hidden)
    module = demo.build_module(channels, hidden, classes)
    rng = np.random.default_rng(hidden)
    x = rng.normal(0, 1, (300, 25, channels))
    calibration = rng.normal(0, 1, (64, 25, channels))
    model = export.quantize(state_of(module), calibration).model
    figures = compare.compare(module, model, x)
    assert figures["nanornn_agreement"] >= 0.99
    assert figures["nanornn_max_dlogit"] <= MAX_DLOGIT
    assert figures["nanornn_agreement"] >= figures["dynamic_agreement"]
    assert figures["nanornn_max_dlogit"] <= figures["dynamic_max_dlogit"]


def test_per_stage_states_follow_float():
    """Hidden and cell state at every step stay near float torch's (same tolerance reasoning)."""
    torch.manual_seed(5)
    module = demo.build_module(4, 12, 3)
    x = np.random.default_rng(5).normal(0, 1, (40, 30, 4))
    model = export.quantize(state_of(module), x).model
    stages = reference.run(model, reference.quantize_input(model, x))
    with torch.no_grad():
        out, _ = module.lstm(torch.as_tensor(x, dtype=torch.float32))
    h_err = np.max(np.abs(stages["hidden"] / 32768.0 - out.double().numpy()))
    assert h_err < 0.01, h_err
    logits = compare.float_logits(module, x)
    assert np.max(np.abs(reference.logits(model, stages["q"]) - logits)) < MAX_DLOGIT


def test_normalisation_folded_into_the_first_layer():
    """Raw counts into the blob give what normalised floats give in torch."""
    torch.manual_seed(6)
    module = demo.build_module(3, 8, 2)
    rng = np.random.default_rng(6)
    mean, std = np.array([100.0, -2000.0, 16384.0]), np.array([3000.0, 2500.0, 4000.0])
    counts = np.round(mean + std * rng.normal(0, 1, (200, 20, 3)))
    normalised = (counts - mean) / std
    model = export.quantize(state_of(module), normalised, list(mean), list(std)).model
    assert np.array_equal(reference.quantize_input(model, normalised), counts)
    figures = compare.compare(module, model, normalised)
    assert figures["nanornn_agreement"] >= 0.99 and figures["nanornn_max_dlogit"] <= MAX_DLOGIT


def test_reference_cli_writes_the_csv(tmp_path):
    from conftest import run_quantize
    torch.manual_seed(7)
    module = demo.build_module(2, 4, 3)
    torch.save(module.state_dict(), tmp_path / "m.pt")
    assert run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn").returncode == 0
    x = np.random.default_rng(7).normal(0, 1, (5, 6, 2)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    result = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "x.npy", "-o", tmp_path / "o.csv")
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "o.csv").read_text().splitlines()
    assert lines[0] == "pred,q0,q1,q2,logit0,logit1,logit2" and len(lines) == 6
    row = lines[1].split(",")
    q = [int(v) for v in row[1:4]]
    assert int(row[0]) == int(np.argmax(q))
    bad = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "x.npy", "-o", tmp_path / "o2.csv")
    np.save(tmp_path / "bad.npy", np.zeros((5, 6, 3), np.float32))
    bad = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "bad.npy", "-o", tmp_path / "o3.csv")
    assert bad.returncode == 1 and "has 3 channels, the model takes 2" in bad.stderr
    assert not (tmp_path / "o3.csv").exists()


@pytest.mark.parametrize("index", range(len(structures.STRUCTURES)), ids=structures.describe)
def test_every_structure_tracks_float_torch(index):
    """Same tolerance reasoning as for one LSTM layer; each stacked layer adds its own 16-bit rounding.

    quantize_dynamic quantises LSTM, GRU and Linear; it leaves nn.RNN in float (it has no dynamic
    nn.RNN), so for RNN models it only quantises the head and is not a like-for-like comparison.
    """
    figures = structures.measure(index)
    assert figures["nanornn_agreement"] >= 0.99, figures
    assert figures["nanornn_max_dlogit"] <= MAX_DLOGIT, figures
    if structures.STRUCTURES[index][0] != "rnn":
        assert figures["nanornn_max_dlogit"] <= figures["dynamic_max_dlogit"], figures


@pytest.mark.parametrize("cell,nonlinearity", [("gru", "tanh"), ("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh")])
def test_every_layer_hidden_state_follows_float(cell, nonlinearity):
    """Each layer's h at every step, against torch's, for a 2-layer stack (tolerance as above;
    a relu layer's h is compared relative to its calibrated range)."""
    torch.manual_seed(8)
    module = structures.Recurrent(cell, 4, 12, 3, layers=2, nonlinearity=nonlinearity)
    x = np.random.default_rng(8).normal(0, 1, (40, 30, 4))
    model = export.quantize(state_of(module), x, nonlinearity=nonlinearity).model
    stages = reference.run(model, reference.quantize_input(model, x))
    v = torch.as_tensor(x, dtype=torch.float32)
    with torch.no_grad():
        for index, layer in enumerate(model.layers):
            single = type(module.rnn)(v.shape[-1], 12, batch_first=True,
                                      **({"nonlinearity": nonlinearity} if cell == "rnn" else {}))
            single.load_state_dict({name[:-1] + "0": value for name, value in module.rnn.state_dict().items()
                                    if name.endswith(str(index))})
            v, _ = single(v)
            ours = stages["hidden"][:, :, 12 * index:12 * (index + 1)] * layer.hidden_scale
            scale = 1.0 if cell != "rnn" or nonlinearity == "tanh" else layer.hidden_scale * 32767
            err = np.max(np.abs(ours - v.double().numpy())) / scale
            assert err < 0.01, (index, err)


DEFAULT_MODEL = __import__("os").path.join(__import__("conftest").REPO, "models", "default", "model.nrnn")


@pytest.mark.parametrize("write,message", [
    (lambda p: np.save(p, np.zeros((0, 4, 6), np.float32)), "is empty"),
    (lambda p: np.save(p, np.zeros((2, 0, 6), np.float32)), "is empty"),
    (lambda p: np.save(p, np.array([["a"] * 6] * 3)), "is not supported; save float16, float32, float64 or integers"),
    (lambda p: p.write_text("1,2,3,4,5,6\n"), "not a .npy or .npz file"),
    (lambda p: np.save(p, np.zeros((4, 6), np.float32)), "is not N×T×C"),
    (lambda p: np.save(p, np.zeros((1, 2, 4, 6), np.float32)), "is not N×T×C"),
    (lambda p: np.save(p, np.zeros((2, 4, 5), np.float32)), "has 5 channels, the model takes 6"),
    (lambda p: np.save(p, np.full((1, 2, 6), np.nan, np.float32)), "not finite at sequence 0, step 0, channel 0"),
])
def test_reference_cli_bad_inputs_are_one_error_and_leave_the_output_alone(tmp_path, write, message):
    from conftest import run_quantize
    x = tmp_path / "x.npy"
    write(x)
    out = tmp_path / "o.csv"
    out.write_text("previous\n")
    result = run_quantize("reference", DEFAULT_MODEL, x, "-o", out)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert out.read_text() == "previous\n"
