"""`quantize.py report`: files written, figures consistent with `quantize.py reference`, stages and
the goal verdict, reproducible plots, and one clear error for bad input."""
import os

import numpy as np
import pytest
import torch

from conftest import run_quantize
from nanornn import compare, demo, goal, golden, report

PLOTS = sorted(report.PLOTS.values())


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small model, its data and labels, and the report the CLI made of them."""
    folder = tmp_path_factory.mktemp("report")
    torch.manual_seed(11)
    module = demo.build_module(4, 10, 3)
    torch.save(module.state_dict(), folder / "m.pt")
    rng = np.random.default_rng(11)
    x = rng.normal(0, 1, (120, 15, 4)).astype(np.float32)
    np.save(folder / "x.npy", x)
    np.save(folder / "cal.npy", rng.normal(0, 1, (40, 15, 4)).astype(np.float32))
    np.save(folder / "y.npy", rng.integers(0, 3, 120))
    result = run_quantize("report", folder / "m.pt", "--data", folder / "x.npy", "--labels", folder / "y.npy",
                          "--calibration", folder / "cal.npy", "--out", folder / "out")
    return folder, module, x, result


def line_figures(stdout):
    lines = stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("report: "), stdout
    return dict(part.split("=") for part in lines[0][len("report: "):].split())


def test_report_writes_its_files_and_one_summary_line(small):
    folder, _, _, result = small
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(folder / "out")) == sorted(["model.nrnn", "report.md"] + PLOTS)
    for name in PLOTS:
        data = (folder / "out" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 100_000
    text = (folder / "out" / "report.md").read_text()
    for section in ("## Against float PyTorch", "## Weights: round-trip error per tensor",
                    "## Activations: error per stage", "## Calibration", "layer 0 cell", "Goal met"):
        assert section in text
    assert "report:" in result.stderr                          # progress goes to stderr
    assert line_figures(result.stdout)["goal"] == "met"


def test_report_figures_match_the_reference_csv_and_float_torch(small):
    folder, module, x, result = small
    figures = line_figures(result.stdout)
    ref = run_quantize("reference", folder / "out" / "model.nrnn", folder / "x.npy", "-o", folder / "ref.csv")
    assert ref.returncode == 0, ref.stderr
    rows = [line.split(",") for line in (folder / "ref.csv").read_text().splitlines()[1:]]
    logits = np.array([[float(v) for v in row[4:]] for row in rows])
    preds = np.array([int(row[0]) for row in rows])
    float_logits = compare.float_logits(module, x)
    agreement = np.mean(preds == np.argmax(float_logits, axis=1))
    delta = np.abs(logits - float_logits)
    assert float(figures["agreement"]) == pytest.approx(agreement, abs=1e-4)
    # The CSV prints 6 decimals: its logits are within 5e-7 of the report's.
    assert float(figures["max_dlogit"]) == pytest.approx(np.max(delta), abs=1e-6)
    assert float(figures["mean_dlogit"]) == pytest.approx(np.mean(delta), abs=1e-6)
    labels = np.load(folder / "y.npy")
    assert float(figures["accuracy"]) == pytest.approx(np.mean(preds == labels), abs=1e-4)
    dynamic = compare.dynamic_logits(module, x)
    assert float(figures["dynamic_max_dlogit"]) == pytest.approx(np.max(np.abs(dynamic - float_logits)), abs=1e-6)


def test_report_blob_is_what_export_writes(small):
    folder, _, _, _ = small
    exported = run_quantize("export", folder / "m.pt", "-o", folder / "e.nrnn", "--calibration", folder / "cal.npy")
    assert exported.returncode == 0, exported.stderr
    assert (folder / "e.nrnn").read_bytes() == (folder / "out" / "model.nrnn").read_bytes()


def test_stage_errors_stay_small_and_follow_the_forward_order(small):
    """Against float64 with the same weights: int8 weights and 16-bit states keep every stage's
    relative error near the weights' own (1/254 of a row's range); 0.02 leaves room for growth
    over 15 steps. A wrong dequantisation (e.g. the cell's 2^cf) would be off by a factor of two or more."""
    folder, _, x, _ = small
    state = {k: v.detach().double().numpy() for k, v in small[1].state_dict().items()}
    r = report.build(state, x, calib=np.load(folder / "cal.npy").astype(np.float64), measure_choices=False)
    labels = [row[0] for row in r["stages"]]
    assert labels == ["input", "layer 0 pre", "layer 0 gates", "layer 0 cell", "layer 0 hidden",
                      "logits (head after every step)"]
    for label, _, _, error in r["stages"]:
        assert error["relative"] < 0.02, (label, error)


def test_saturated_input_misses_the_goal_and_the_report_names_the_input_stage(tmp_path):
    """Calibrated on N(0, 1), run on 50 × that: NanoRnn clips its int16 inputs, dynamic int8 does not."""
    torch.manual_seed(12)
    module = demo.build_module(2, 6, 3)
    state = {k: v.detach().double().numpy() for k, v in module.state_dict().items()}
    rng = np.random.default_rng(12)
    calib, x = rng.normal(0, 1, (40, 12, 2)), 50 * rng.normal(0, 1, (200, 12, 2))
    r = report.build(state, x, calib=calib, module=module, measure_choices=False)
    assert not r["goal_met"] and r["worst_stage"] == "input"
    assert "Goal missed" in report.markdown(r, "t") and "**input**" in report.markdown(r, "t")
    assert "goal=missed worst_stage=input" in report.summary_line(r)


def test_plots_are_reproducible_byte_for_byte(small, tmp_path):
    folder, module, x, _ = small
    state = {k: v.detach().double().numpy() for k, v in module.state_dict().items()}
    calib = np.load(folder / "cal.npy").astype(np.float64)
    for out in ("a", "b"):
        report.write(report.build(state, x, calib=calib), tmp_path / out, "t")
    for name in PLOTS + ["report.md"]:
        first, second = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert first == second, name
        assert b"Software" not in first and b"CreationDate" not in first


@pytest.mark.parametrize("change,message", [
    (lambda f: {"model": f / "none.pt"}, "none.pt: no such file"),
    (lambda f: {"data": f / "none.npy"}, "none.npy: no such file"),
    (lambda f: {"data": save(f / "bad.npy", np.zeros((5, 15, 3), np.float32))}, "has 3 channels, the model takes 4"),
    (lambda f: {"data": save(f / "bad.npy", np.zeros((5, 4), np.float32))}, "is not N×T×C"),
    (lambda f: {"labels": save(f / "bad.npy", np.zeros(7, np.int64))}, "expected 120 integer labels"),
    (lambda f: {"labels": save(f / "bad.npy", np.full(120, 3))}, "label 3 is outside 0..2"),
    (lambda f: {"calibration": save(f / "bad.npy", np.zeros((2, 5, 6), np.float32))}, "calibration data has 6 channels"),
])
def test_bad_input_gives_one_error_and_writes_nothing(small, tmp_path, change, message):
    folder = small[0]
    args = {"model": folder / "m.pt", "data": folder / "x.npy", "labels": folder / "y.npy",
            "calibration": folder / "cal.npy"}
    args.update(change(tmp_path))
    out = tmp_path / "out"
    result = run_quantize("report", args["model"], "--data", args["data"], "--labels", args["labels"],
                          "--calibration", args["calibration"], "--out", out)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error")]) == 1
    assert result.stdout == "" and not out.exists()


def save(path, array):
    np.save(path, array)
    return path


def test_goal_table_covers_every_golden_model_and_the_default_model():
    """The README's goal table: every golden model and the default model are measured; where the goal
    is missed the row names a stage. The one miss is the golden case fed 50 × its calibration range,
    which the int16 input clips by design (dynamic int8 keeps float inputs)."""
    rows = goal.measure()
    labels = [label for label, _ in rows]
    golden_labels = [label for label in labels if label.startswith("golden ") and "recalibrated" not in label]
    assert golden_labels == [f"golden {c[0]}" for c in golden.cases()]
    assert sum(label.startswith("default model") for label in labels) == 2
    missed = {label: r["worst_stage"] for label, r in rows if not r["goal_met"]}
    assert missed == {"golden lstm_c2_h4_k2_saturating_input": "input"}
    assert dict(rows)["golden lstm_c2_h4_k2_saturating_input, recalibrated on its inputs"]["goal_met"]
    table = goal.markdown(rows)
    assert table.count("\n") == len(rows) + 1 and "**missed**" in table
