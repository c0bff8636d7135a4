"""torch model -> export -> desktop runner (the nano-compiled firmware assembly on .NET).

The desktop CSV must equal the Python reference's byte for byte, and its argmax must match
float torch on at least 99% of a few hundred random sequences.
"""
import os

import numpy as np
import pytest
import torch

from conftest import REPO, run_quantize
from nanornn import compare, demo


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
