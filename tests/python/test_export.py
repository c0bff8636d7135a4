"""Export from real torch.save files: what is recognised, what is refused, and how."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from conftest import run_quantize
from nanornn import blob, demo, reference


def save(tmp_path, obj, name="model.pt"):
    path = tmp_path / name
    torch.save(obj, path)
    return path


@pytest.fixture()
def module():
    torch.manual_seed(0)
    return demo.build_module(channels=3, hidden=6, classes=2)


def test_state_dict_exports_with_summary(tmp_path, module):
    out = tmp_path / "m.nrnn"
    result = run_quantize("export", save(tmp_path, module.state_dict()), "-o", out)
    assert result.returncode == 0, result.stderr
    model = blob.read(out)
    assert (model.input_channels, model.hidden_size, model.class_count) == (3, 6, 2)
    for line in ("LSTM  input 3 -> hidden 6 -> classes 2", f"blob  {os.path.getsize(out)} bytes",
                 "worst round-trip error  lstm.weight_hh", "output_scale"):
        assert line in result.stdout


def test_whole_module_whose_class_is_not_importable(tmp_path):
    # The class lives only in the saving process's __main__, as in a user's training script.
    script = textwrap.dedent("""
        import sys, torch
        class MyNet(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = torch.nn.LSTM(4, 5, batch_first=True)
                self.classifier = torch.nn.Linear(5, 3)
        torch.save(MyNet(), sys.argv[1])
    """)
    path = tmp_path / "whole.pt"
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    result = run_quantize("export", path, "-o", tmp_path / "w.nrnn")
    assert result.returncode == 0, result.stderr
    assert blob.read(tmp_path / "w.nrnn").class_count == 3
    # Its parameters are there, its forward is not: the tool says it could not check it.
    assert ("module whole.pt: its class MyNet cannot be imported here, so its forward cannot run; assumed "
            "LSTM 4→5, then Linear 5→3 on the last step; pass a TorchScript file") in result.stdout


def test_bias_false_lstm_exports(tmp_path):
    class NoBias(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(2, 3, bias=False)
            self.fc = torch.nn.Linear(3, 2)
    result = run_quantize("export", save(tmp_path, NoBias().state_dict()), "-o", tmp_path / "b.nrnn")
    assert result.returncode == 0, result.stderr
    assert not blob.read(tmp_path / "b.nrnn").layer.bias.any()


class Custom(torch.nn.Module):
    def __init__(self, rnn, head_in=6):
        super().__init__()
        self.lstm = rnn
        self.fc = torch.nn.Linear(head_in, 2)


class Mlp(torch.nn.Module):
    def __init__(self, rnn, hidden, units, classes=2, depth=2):
        super().__init__()
        self.rnn = rnn
        layers = [torch.nn.Linear(hidden, units), torch.nn.ReLU()]
        for _ in range(depth - 2):
            layers += [torch.nn.Linear(units, units), torch.nn.ReLU()]
        self.head = torch.nn.Sequential(*layers, torch.nn.Linear(units, classes))


@pytest.mark.parametrize("make,message", [
    (lambda: Custom(torch.nn.LSTM(3, 6, num_layers=5)), "lstm.weight_ih_l4: num_layers > 4 is not supported; use num_layers <= 4"),
    (lambda: Custom(torch.nn.GRU(3, 6, bidirectional=True), 12), "bidirectional=True cannot stream"),
    (lambda: Custom(torch.nn.LSTM(3, 6, proj_size=2), 2), "weight_hr_l0: LSTM proj_size is not supported; train with proj_size=0"),
    (lambda: Custom(torch.nn.LSTM(3, 6), 5), "fc.weight has shape (2, 5); a head on the last hidden state needs 6 columns"),
    (lambda: Mlp(torch.nn.GRU(3, 6), 6, 4, depth=3), "head.4.weight: a head of one Linear, or two with a ReLU"),
])
def test_unsupported_structures_are_refused_by_name(tmp_path, make, message):
    out = tmp_path / "x.nrnn"
    result = run_quantize("export", save(tmp_path, make().state_dict()), "-o", out)
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.startswith("error: ")
    assert not out.exists()


@pytest.mark.parametrize("make,cells,hidden,mlp", [
    (lambda: Custom(torch.nn.GRU(3, 6)), [blob.CELL_GRU], [6], 0),
    (lambda: Custom(torch.nn.RNN(3, 6)), [blob.CELL_RNN_TANH], [6], 0),
    (lambda: Custom(torch.nn.LSTM(3, 6, num_layers=4, batch_first=True)), [blob.CELL_LSTM] * 4, [6] * 4, 0),
    (lambda: Custom(torch.nn.GRU(3, 6, num_layers=2, bias=False)), [blob.CELL_GRU] * 2, [6] * 2, 0),
    (lambda: Mlp(torch.nn.LSTM(3, 5, num_layers=2), 5, 9), [blob.CELL_LSTM] * 2, [5, 5], 9),
])
def test_gru_rnn_stacks_and_mlp_heads_are_recognised(tmp_path, make, cells, hidden, mlp):
    out = tmp_path / "m.nrnn"
    result = run_quantize("export", save(tmp_path, make().state_dict()), "-o", out)
    assert result.returncode == 0, result.stderr
    model = blob.read(out)
    assert [layer.cell_type for layer in model.layers] == cells
    assert [layer.hidden_size for layer in model.layers] == hidden
    assert (model.mlp.w.shape[0] if model.mlp is not None else 0) == mlp
    assert model.format_version == 3 and "format version 3" in result.stdout   # with its boot check
    assert model.check_inputs.shape == (4, 3) and model.class_names is None


def test_rnn_nonlinearity_from_a_whole_module_or_the_command_line(tmp_path):
    module = Custom(torch.nn.RNN(3, 6, nonlinearity="relu"))
    whole = run_quantize("export", save(tmp_path, module), "-o", tmp_path / "w.nrnn")
    assert whole.returncode == 0, whole.stderr
    assert blob.read(tmp_path / "w.nrnn").cell_type == blob.CELL_RNN_RELU
    state = save(tmp_path, module.state_dict(), "s.pt")
    assumed = run_quantize("export", state, "-o", tmp_path / "s.nrnn")
    assert blob.read(tmp_path / "s.nrnn").cell_type == blob.CELL_RNN_TANH
    assert "RNN nonlinearity: tanh, PyTorch's default" in assumed.stdout
    told = run_quantize("export", state, "-o", tmp_path / "r.nrnn", "--rnn-nonlinearity", "relu")
    assert told.returncode == 0, told.stderr
    assert blob.read(tmp_path / "r.nrnn").cell_type == blob.CELL_RNN_RELU


def test_every_step_flag_is_recorded(tmp_path, module):
    out = tmp_path / "e.nrnn"
    assert run_quantize("export", save(tmp_path, module.state_dict()), "-o", out, "--every-step").returncode == 0
    model = blob.read(out)
    assert model.every_step and model.format_version == 3
    x = np.random.default_rng(2).normal(0, 1, (2, 4, 3)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    assert run_quantize("reference", out, tmp_path / "x.npy", "-o", tmp_path / "r.csv").returncode == 0
    lines = (tmp_path / "r.csv").read_text().splitlines()
    assert lines[0].startswith("seq,step,pred,q0,q1,logit0") and len(lines) == 1 + 2 * 4   # every step by default
    assert [line.split(",")[:2] for line in lines[1:3]] == [["0", "0"], ["0", "1"]]


def test_a_model_without_records_is_format_version_3_too(tmp_path, module):
    out = tmp_path / "plain.nrnn"
    assert run_quantize("export", save(tmp_path, module.state_dict()), "-o", out, "--check-steps", "0").returncode == 0
    model = blob.read(out)
    assert out.read_bytes()[4:6] == b"\x03\x00" and model.check_inputs is None and model.class_names is None


def test_names_and_a_check_make_format_3_and_the_check_is_the_references(tmp_path, module):
    calibration = np.random.default_rng(4).normal(0, 1, (3, 5, 3)).astype(np.float32)
    np.save(tmp_path / "c.npy", calibration)
    (tmp_path / "m.labels").write_text("low\nhigh\n")
    pt = save(tmp_path, module.state_dict(), "m.pt")
    result = run_quantize("export", pt, "-o", tmp_path / "m.nrnn", "--calibration", tmp_path / "c.npy", "--check-steps", "7")
    assert result.returncode == 0, result.stderr
    assert f"class names: from {tmp_path / 'm.labels'}" in result.stdout
    model = blob.read(tmp_path / "m.nrnn")
    assert model.format_version == 3 and model.class_names == ["low", "high"]
    # The first 7 calibration steps, sequence after sequence, in counts; the reference's scores after each.
    rows = calibration.reshape(-1, 3)[:7]
    assert np.array_equal(model.check_inputs, reference.quantize_input(model, rows[None])[0])
    assert np.array_equal(model.check_scores, reference.run(model, model.check_inputs.astype(np.int64)[None])["q_steps"][0])


@pytest.mark.parametrize("options,message", [
    (["--class-names", "a"], "--class-names: 1 class names for 2 classes"),
    (["--class-names", "a,b\tc"], "not printable ASCII"),
    (["--check-steps", "65"], "--check-steps 65 is outside 0..64"),
])
def test_bad_names_or_check_steps_are_refused(tmp_path, module, options, message):
    result = run_quantize("export", save(tmp_path, module.state_dict()), "-o", tmp_path / "m.nrnn", *options)
    assert result.returncode == 1 and message in result.stderr and not (tmp_path / "m.nrnn").exists()


def test_extra_parameter_is_named(tmp_path, module):
    state = module.state_dict()
    state["norm.weight"] = torch.ones(6)
    result = run_quantize("export", save(tmp_path, state), "-o", tmp_path / "x.nrnn")
    assert result.returncode == 1 and "parameter norm.weight (6,) is not understood" in result.stderr


def test_nan_weight_is_refused(tmp_path, module):
    state = module.state_dict()
    state["lstm.weight_hh_l0"][2, 1] = float("nan")
    result = run_quantize("export", save(tmp_path, state), "-o", tmp_path / "x.nrnn")
    assert result.returncode == 1 and "lstm.weight_hh_l0 has NaN" in result.stderr


def test_not_a_torch_file_and_missing_file(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"hello, not a model")
    assert "not a PyTorch save file" in run_quantize("export", junk, "-o", tmp_path / "x.nrnn").stderr
    assert "no such file" in run_quantize("export", tmp_path / "none.pt", "-o", tmp_path / "x.nrnn").stderr


@pytest.mark.parametrize("array,message", [
    (np.zeros((0, 5, 3), np.float32), "is empty"),
    (np.zeros((4, 3), np.float32), "is not N×T×C"),
    (np.zeros((2, 5, 4), np.float32), "has 4 channels, the model takes 3"),
    (np.full((2, 5, 3), np.inf, np.float32), "input is not finite at sequence 0, step 0, channel 0"),
])
def test_bad_calibration_files(tmp_path, module, array, message):
    np.save(tmp_path / "cal.npy", array)
    out = tmp_path / "x.nrnn"
    result = run_quantize("export", save(tmp_path, module.state_dict()), "-o", out,
                          "--calibration", tmp_path / "cal.npy")
    assert result.returncode == 1 and message in result.stderr and not out.exists()


def test_wrong_cli_arguments(tmp_path, module):
    pt = save(tmp_path, module.state_dict())
    assert run_quantize("export", pt).returncode == 2                    # missing -o
    assert run_quantize("frobnicate").returncode == 2
    bad = run_quantize("export", pt, "-o", tmp_path / "x.nrnn", "--input-mean", "1,2,3")
    assert bad.returncode == 1 and "--input-mean and --input-std go together" in bad.stderr
    bad = run_quantize("export", pt, "-o", tmp_path / "x.nrnn", "--input-mean", "1,2", "--input-std", "1,1")
    assert bad.returncode == 1 and "need 3 values each" in bad.stderr
    assert "not a comma-separated list" in run_quantize("export", pt, "-o", "x", "--input-std", "a,b").stderr


def test_channel_names_and_sample_rate(tmp_path, module):
    pt = save(tmp_path, module.state_dict())
    np.save(tmp_path / "cal.npy", np.random.default_rng(1).normal(0, 3, (8, 10, 3)).astype(np.float32))
    out = tmp_path / "m.nrnn"
    ok = run_quantize("export", pt, "-o", out, "--channels", "gx,ay,in4", "--sample-rate", "100",
                      "--calibration", tmp_path / "cal.npy")
    assert ok.returncode == 0, ok.stderr
    model = blob.read(out)
    assert list(model.channel_source) == [4, 2, 36] and model.sample_rate_hz == 100
    assert model.input_scale[2] == 1.0 and model.input_scale[0] != 1.0   # a digital line is fed as 0/1
    bad = run_quantize("export", pt, "-o", out, "--channels", "ax,ay")
    assert bad.returncode == 1 and "--channels names 2 channels, the model takes 3" in bad.stderr
    bad = run_quantize("export", pt, "-o", out, "--channels", "ax,ay,bz")
    assert bad.returncode == 1 and "unknown channel 'bz'" in bad.stderr


def test_calibration_sets_input_scale_and_cell_format(tmp_path, module):
    x = np.random.default_rng(0).normal(0, 2.0, (16, 20, 3)).astype(np.float32)
    np.save(tmp_path / "cal.npy", x)
    out = tmp_path / "m.nrnn"
    assert run_quantize("export", save(tmp_path, module.state_dict()), "-o", out,
                        "--calibration", tmp_path / "cal.npy").returncode == 0
    model = blob.read(out)
    peak = np.abs(x).max(axis=(0, 1))
    assert np.allclose(model.input_scale, 2 * peak / 32767, rtol=1e-6)   # 2: documented headroom
    assert 4 <= model.cell_frac_bits <= 15


@pytest.mark.parametrize("name,index,value,message", [
    ("lstm.weight_ih_l0", (0, 0), float("inf"), "lstm.weight_ih_l0 has NaN or infinite"),
    ("fc.bias", (1,), float("-inf"), "fc.bias has NaN or infinite"),
])
def test_infinite_weights_are_refused(tmp_path, module, name, index, value, message):
    state = module.state_dict()
    state[name][index] = value
    out = tmp_path / "x.nrnn"
    result = run_quantize("export", save(tmp_path, state), "-o", out)
    assert result.returncode == 1 and message in result.stderr and not out.exists()


@pytest.mark.parametrize("name,shape,message", [
    ("lstm.bias_ih_l0", (5,), "lstm.bias_ih_l0 has shape (5,), expected (24,)"),
    ("lstm.weight_hh_l0", (24, 5), "are not the shapes of an LSTM, GRU or RNN layer"),
    ("fc.bias", (3,), "fc.bias has shape (3,), expected (2,)"),
])
def test_mismatched_shapes_are_refused(tmp_path, module, name, shape, message):
    state = module.state_dict()
    state[name] = torch.zeros(shape)
    out = tmp_path / "x.nrnn"
    result = run_quantize("export", save(tmp_path, state), "-o", out)
    assert result.returncode == 1 and message in result.stderr and not out.exists()


def test_torch_save_of_something_else_is_refused(tmp_path):
    path = tmp_path / "list.pt"
    torch.save([1, 2, 3], path)
    result = run_quantize("export", path, "-o", tmp_path / "x.nrnn")
    assert result.returncode == 1 and "holds a list, expected a state_dict or an nn.Module" in result.stderr


def test_failed_export_leaves_an_existing_output_untouched(tmp_path, module):
    out = tmp_path / "x.nrnn"
    out.write_bytes(b"previous")
    state = module.state_dict()
    state["fc.weight"][0, 0] = float("nan")
    assert run_quantize("export", save(tmp_path, state), "-o", out).returncode == 1
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []
