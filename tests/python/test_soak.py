"""Soak: adversarial inputs (full scale, square waves, noise) for 20 000 steps per model, the
firmware's RnnNetwork (desktop `soak`) against the integer reference (`quantize.py soak`) at every
checkpoint, bit for bit; the desktop side also checks that stepping allocates nothing. The long
run (10 million steps) is a command in docs/robustness.md."""
import numpy as np
import pytest

from conftest import run_quantize
from nanornn import blob, golden, soak


def golden_blob(tmp_path, name):
    model = next(m for n, m, _ in golden.cases() if n == name)
    path = tmp_path / f"{name}.nrnn"
    path.write_bytes(blob.to_bytes(model))
    return path


@pytest.mark.parametrize("model", ["default", "lstm_c4_h10_k3_extreme", "gru2_c3_h11_k3_raw_counts_no_bias"])
def test_desktop_soak_equals_the_reference_at_every_checkpoint(tmp_path, desktop, model):
    from conftest import REPO
    import os
    path = os.path.join(REPO, "models", "default", "model.nrnn") if model == "default" else golden_blob(tmp_path, model)
    args = ["--streams", 4, "--steps", 5000, "--every", 1000, "--seed", 3]
    py = run_quantize("soak", path, "-o", tmp_path / "py.csv", *args)
    assert py.returncode == 0, py.stderr
    cs = desktop("soak", "--model", path, "--output", tmp_path / "cs.csv", *args)
    assert cs.returncode == 0, cs.stdout + cs.stderr
    assert "bytes allocated while stepping: 0; passed" in cs.stdout
    reference_text = (tmp_path / "py.csv").read_text()
    assert (tmp_path / "cs.csv").read_text() == reference_text
    assert len(reference_text.splitlines()) == 1 + 4 * 5


def test_inputs_cover_full_scale_square_waves_and_noise():
    states = soak.initial_states(1, 4)
    seen = []
    for t in range(4096):
        x, states = soak.samples(states, t, 6)
        seen.append(x)
    x = np.stack(seen)
    assert x.min() == -32768 and x.max() == 32767
    assert (x == 32767).mean() > 0.2 and (x == -32768).mean() > 0.2
    assert len(np.unique(x)) > 10000          # noise, not only the extremes
