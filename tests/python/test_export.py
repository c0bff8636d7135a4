"""Export from real torch.save files: what is recognised, what is refused, and how."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from conftest import run_quantize
from nanornn import blob, demo


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


@pytest.mark.parametrize("make,message", [
    (lambda: Custom(torch.nn.LSTM(3, 6, num_layers=2)), "lstm.weight_ih_l1: num_layers > 1"),
    (lambda: Custom(torch.nn.LSTM(3, 6, bidirectional=True), 12), "bidirectional=True"),
    (lambda: Custom(torch.nn.LSTM(3, 6, proj_size=2), 2), "proj_size"),
    (lambda: Custom(torch.nn.GRU(3, 6)), "a GRU cell is not supported"),
    (lambda: Custom(torch.nn.RNN(3, 6)), "a RNN cell is not supported"),
    (lambda: Custom(torch.nn.LSTM(3, 6), 5), "fc.weight has shape"),
])
def test_unsupported_structures_are_refused_by_name(tmp_path, make, message):
    out = tmp_path / "x.nrnn"
    result = run_quantize("export", save(tmp_path, make().state_dict()), "-o", out)
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.startswith("error: ")
    assert not out.exists()


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
    (np.full((2, 5, 3), np.inf, np.float32), "NaN or infinite"),
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
