"""Inputs in training units or raw counts, saturation said in the same words by both runners, and one
precise error line for every bad input (naming the file, leaving no file behind)."""
import os

import numpy as np
import pytest
import torch

from conftest import REPO, run_quantize
from nanornn import blob, demo, export, modelfile, reference, report
from nanornn.errors import ExportError

DEFAULT = os.path.join(REPO, "models", "default")
MODEL = os.path.join(DEFAULT, "model.nrnn")


@pytest.fixture(scope="module")
def default():
    model = blob.read(MODEL)
    x = np.load(os.path.join(DEFAULT, "sample-input.npy")).astype(np.float64)
    counts = reference.quantize_input(model, x)
    return model, x, counts


def warnings_of(stderr):
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def test_counts_run_as_the_training_units_they_stand_for_in_both_runners(tmp_path, desktop, default):
    model, x, counts = default
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "counts.npy", counts.astype(np.int16))        # what a recording holds
    runs = {}
    for name, units in (("x.npy", "training"), ("counts.npy", "counts")):
        ref = run_quantize("reference", MODEL, tmp_path / name, "-o", tmp_path / f"ref-{units}.csv",
                           "--input-units", units)
        cs = desktop("infer", "--model", MODEL, "--input", tmp_path / name, "--output", tmp_path / f"cs-{units}.csv",
                     "--input-units", units)
        assert ref.returncode == 0 and cs.returncode == 0, ref.stderr + cs.stderr
        assert ref.stderr == "" and cs.stderr == ""                       # nothing saturated
        runs[units] = (tmp_path / f"ref-{units}.csv").read_bytes()
        assert (tmp_path / f"cs-{units}.csv").read_bytes() == runs[units]
    assert runs["counts"] == runs["training"]


@pytest.mark.parametrize("case", ["raw counts as training units", "counts beyond int16", "beyond the calibrated range"])
def test_saturation_is_counted_and_explained_alike_by_both_runners(tmp_path, desktop, default, case):
    model, x, counts = default
    path = MODEL
    if case == "raw counts as training units":
        data, units, cause = counts.astype(np.float32), "training", "raw sensor counts? pass --input-units counts"
    elif case == "counts beyond int16":
        data, units, cause = counts * 3, "counts", "leave out --input-units counts"
        data[0, 0, 0] = 32767.4                                            # rounds to 32767: not saturated
    else:
        torch.manual_seed(2)
        state = {k: v.double().numpy() for k, v in demo.build_module(6, 5, 3).state_dict().items()}
        path = tmp_path / "plain.nrnn"
        path.write_bytes(blob.to_bytes(export.quantize(state).model))    # standardised: |x| <= 8
        data, units, cause = x * 1e6, "training", "export with --calibration on data like these"
    np.save(tmp_path / "in.npy", data)
    ref = run_quantize("reference", path, tmp_path / "in.npy", "-o", tmp_path / "r.csv", "--input-units", units)
    cs = desktop("infer", "--model", path, "--input", tmp_path / "in.npy", "--output", tmp_path / "c.csv",
                 "--input-units", units)
    assert ref.returncode == 0 and cs.returncode == 0, ref.stderr + cs.stderr
    assert (tmp_path / "r.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()
    assert warnings_of(ref.stderr) == warnings_of(cs.stderr) and len(warnings_of(cs.stderr)) == 1
    line = warnings_of(cs.stderr)[0]
    target = blob.read(path)
    as_counts = np.floor(data + 0.5) if units == "counts" else np.floor(
        data / target.input_scale.astype(np.float64) + target.input_zero.astype(np.float64) + 0.5)
    outside = (as_counts < -32768) | (as_counts > 32767)
    assert f"{tmp_path / 'in.npy'}: {outside.sum()} of {data.size} input values saturated the int16 input" in line
    per_channel = outside.sum(axis=(0, 1))
    assert f"0{' (ax)' if target.channel_source[0] else ''} {per_channel[0]}" in line
    assert line.endswith(cause)


def test_report_in_counts_measures_the_same_as_in_training_units(default):
    model, x, counts = default
    state = modelfile.load(os.path.join(DEFAULT, "model.pt")).state
    options = dict(input_mean=[float(v) for v in model.input_zero], input_std=[float(1 / s) for s in model.input_scale],
                   measure_choices=False)
    training = report.build(state, reference.from_counts(model, counts), **options)
    raw = report.build(state, counts.astype(np.float64), units="counts", **options)
    assert raw["figures"] == training["figures"]
    assert np.array_equal(raw["nanornn"], training["nanornn"])


def test_report_without_calibration_says_what_it_assumed(tmp_path):
    """IMU data in m/s² against a blob that assumes standardised inputs: say so, and how many clip."""
    torch.manual_seed(3)
    torch.save(demo.build_module(3, 6, 2).state_dict(), tmp_path / "m.pt")
    x = np.random.default_rng(3).normal(0, 1, (30, 10, 3))
    x[:, :, 2] += 9.81
    np.save(tmp_path / "imu.npy", x)
    result = run_quantize("report", tmp_path / "m.pt", "--data", tmp_path / "imu.npy", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert ("report: no --calibration: the blob's input range assumes standardised inputs (|x| <= 8 per channel) "
            "and clips anything beyond") in result.stderr
    exported = blob.read(tmp_path / "out" / "model.nrnn")
    as_counts = np.floor(x / exported.input_scale.astype(np.float64) + 0.5)
    clipped = int(np.sum((as_counts > 32767) | (as_counts < -32768)))
    assert clipped > 0
    assert f"warning: {tmp_path / 'imu.npy'}: {clipped} of {x.size} input values saturated" in result.stderr
    assert result.stdout.rstrip().endswith(" checked=no")
    assert "state_dict: assumed LSTM 3→6" in (tmp_path / "out" / "report.md").read_text()


def test_calibration_data_that_cannot_be_in_training_units(tmp_path):
    torch.manual_seed(4)
    state = {k: v.double().numpy() for k, v in demo.build_module(3, 6, 2).state_dict().items()}
    counts = np.random.default_rng(4).normal(15000, 2000, (8, 10, 3))
    standardised = dict(input_mean=[15000.0] * 3, input_std=[2000.0] * 3)
    raw = export.quantize(state, counts, **standardised)
    assert any("calibration data reaches |x| = " in w and "cannot be in training units" in w for w in raw.warnings)
    assert not export.quantize(state, (counts - 15000) / 2000, **standardised).warnings
    silent = counts.copy()
    silent[:, :, 1] = 0
    assert any("zero throughout on channel 1: its input range falls back to ±1" in w
               for w in export.quantize(state, silent).warnings)
    with pytest.raises(ExportError, match="calibration data is zero everywhere"):
        export.quantize(state, np.zeros((4, 5, 3)))


def test_export_prints_warnings_and_no_numpy_noise(tmp_path):
    torch.manual_seed(5)
    module = demo.build_module(3, 6, 2)
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(400.0)                  # exp overflows in the float model's sigmoid
    torch.save(module.state_dict(), tmp_path / "m.pt")
    np.save(tmp_path / "cal.npy", np.random.default_rng(5).normal(16000, 3000, (8, 10, 3)))
    result = run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn", "--calibration", tmp_path / "cal.npy",
                          "--input-mean", "16000,16000,16000", "--input-std", "3000,3000,3000")
    assert result.returncode == 0, result.stderr
    assert "RuntimeWarning" not in result.stderr and "overflow" not in result.stderr
    assert [line[:40] for line in warnings_of(result.stderr)] == ["warning: calibration data reaches |x| = "]


def test_soak_replays_given_sequences_alike_in_both_runners(tmp_path, desktop, default):
    model, _, counts = default
    np.save(tmp_path / "counts.npy", counts[:3].astype(np.int16))
    args = ["--steps", 700, "--every", 100, "--input", tmp_path / "counts.npy", "--input-units", "counts"]
    py = run_quantize("soak", MODEL, "-o", tmp_path / "py.csv", *args)
    cs = desktop("soak", "--model", MODEL, "--output", tmp_path / "cs.csv", *args)
    assert py.returncode == 0 and cs.returncode == 0, py.stderr + cs.stdout + cs.stderr
    assert "bytes allocated while stepping: 0; passed" in cs.stdout
    text = (tmp_path / "py.csv").read_text()
    assert (tmp_path / "cs.csv").read_text() == text and len(text.splitlines()) == 1 + 3 * 7
    # Step 100 of stream 0 replays its 50-step sequence twice: the state then is the state after its 50th step.
    twice = reference.run(model, np.concatenate([counts[:1], counts[:1]], axis=1))["q"][0]
    assert text.splitlines()[1].split(",")[2:2 + len(twice)] == [str(int(v)) for v in twice]
    bad = run_quantize("soak", MODEL, "-o", tmp_path / "x.csv", "--streams", 2, "--input", tmp_path / "counts.npy")
    assert bad.returncode == 1 and "--streams and --input go separately" in bad.stderr


@pytest.mark.parametrize("dtype", [np.float16, np.int16, np.uint8, ">f4"])
def test_other_dtypes_are_read_alike_by_both_runners(tmp_path, desktop, default, dtype):
    _, x, counts = default
    data = (counts if np.dtype(dtype).kind in "iu" else x).astype(dtype)
    data = np.clip(data, 0, 255).astype(dtype) if np.dtype(dtype) == np.uint8 else data
    np.save(tmp_path / "in.npy", data)
    units = "counts" if np.dtype(dtype).kind in "iu" else "training"
    ref = run_quantize("reference", MODEL, tmp_path / "in.npy", "-o", tmp_path / "r.csv", "--input-units", units)
    cs = desktop("infer", "--model", MODEL, "--input", tmp_path / "in.npy", "--output", tmp_path / "c.csv",
                 "--input-units", units)
    assert ref.returncode == 0 and cs.returncode == 0, ref.stderr + cs.stderr
    assert (tmp_path / "r.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()


def one_error(result, code=1):
    assert result.returncode == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_errors_name_the_file_and_never_a_temporary_one(tmp_path, desktop, default):
    _, x, _ = default
    np.save(tmp_path / "x.npy", x)
    (tmp_path / "bad.nrnn").write_bytes(b"NRNN" + bytes(40))
    assert one_error(run_quantize("reference", tmp_path / "bad.nrnn", tmp_path / "x.npy", "-o", tmp_path / "r.csv")) \
        .startswith(f"error: {tmp_path / 'bad.nrnn'}: ")
    assert one_error(run_quantize("reference", tmp_path / "none.nrnn", tmp_path / "x.npy", "-o", tmp_path / "r.csv")) \
        == f"error: {tmp_path / 'none.nrnn'}: no such file"
    message = one_error(run_quantize("reference", MODEL, tmp_path / "x.npy", "-o", tmp_path / "no" / "r.csv"))
    assert message == f"error: {tmp_path / 'no' / 'r.csv'}: cannot write (folder {tmp_path / 'no'} does not exist)"
    (tmp_path / "dir.csv").mkdir()
    assert ".tmp" not in one_error(run_quantize("reference", MODEL, tmp_path / "x.npy", "-o", tmp_path / "dir.csv"))
    assert "the file name is empty" in run_quantize("reference", MODEL, tmp_path / "x.npy", "-o", "").stderr
    assert "--output needs a value, not an empty one" in one_error(
        desktop("infer", "--model", MODEL, "--input", tmp_path / "x.npy", "--output", ""), code=2)
    nan = x.copy()
    nan[1, 2, 3] = np.inf
    np.save(tmp_path / "nan.npy", nan)
    assert one_error(run_quantize("report", os.path.join(DEFAULT, "model.pt"), "--data", tmp_path / "nan.npy",
                                  "--out", tmp_path / "rep")) \
        == f"error: {tmp_path / 'nan.npy'}: input is not finite at sequence 1, step 2, channel 3"
    np.savez(tmp_path / "cal.npz", x=x)
    assert "is an .npz archive (of x); calibration takes one N×T×C .npy array" in one_error(
        run_quantize("export", os.path.join(DEFAULT, "model.pt"), "-o", tmp_path / "m.nrnn",
                     "--calibration", tmp_path / "cal.npz"))
    assert sorted(os.listdir(tmp_path)) == ["bad.nrnn", "cal.npz", "dir.csv", "nan.npy", "x.npy"]
