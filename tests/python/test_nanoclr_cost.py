"""The nanoCLR cost run's pieces that need no nanoCLR: its generated models and how its counts are read."""
import filecmp
import os
import subprocess
import sys

import pytest

from conftest import REPO

BENCH = os.path.join(REPO, "tools", "NanoRnn.Bench")
sys.path.insert(0, BENCH)
import nanoclr_cost  # noqa: E402


def sources(root):
    found = ["CostModelIndex.g.cs"]
    for part in sorted(os.listdir(os.path.join(root, "Models"))):
        folder = os.path.join(root, "Models", part)
        found += [os.path.join("Models", part, f) for f in sorted(os.listdir(folder)) if f.endswith(".g.cs")]
    return found


def test_cost_models_are_up_to_date(tmp_path):
    root = tmp_path / "NanoCost"
    result = subprocess.run([sys.executable, os.path.join(BENCH, "make_models.py"), "--output", str(tmp_path / "models"),
                             "--cs", "--cs-root", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    committed = os.path.join(BENCH, "NanoCost")
    assert sources(root) == sources(committed)
    _, mismatch, errors = filecmp.cmpfiles(root, committed, sources(root), shallow=False)
    assert not mismatch and not errors, f"regenerate with make_models.py --output DIR --cs: {mismatch + errors}"


def program(*configs):
    lines = []
    for model, kernel, macs in configs:
        lines += [f"cost {model}|{kernel}|{macs}|2|6", ".", ".", "."]
    return lines + ["skip m|streamed all, resource|no reader", "cost run done"]


def test_a_step_is_the_difference_of_the_two_parts_over_four_steps():
    lines = program(("m", "packed", 100), ("m", "compact", 100))
    # part i + 1 ends before line i: parts 3 and 4 hold 2 and 6 steps of the first kernel (plus a dot each).
    parts = {i + 1: 0 for i in range(len(lines))}
    parts.update({3: 50 + 2 * 1000, 4: 50 + 6 * 1000, 7: 70 + 2 * 3000, 8: 70 + 6 * 3000})
    rows, skipped = nanoclr_cost.per_step(lines, parts)
    assert rows == [("m", "packed", 100, 1000.0), ("m", "compact", 100, 3000.0)]
    assert skipped == [("m", "streamed all, resource", "no reader")]


def test_a_config_without_its_three_dots_is_refused():
    lines = ["cost m|packed|100|2|6", ".", "cost run done"]
    with pytest.raises(nanoclr_cost.Failure, match="three dots"):
        nanoclr_cost.per_step(lines, {i + 1: 0 for i in range(len(lines))})


def test_the_il_table_is_read_with_default_marks(tmp_path):
    report = tmp_path / "il.md"
    report.write_text("### Step: x\n\n| model | gate MACs | kernel | IL / step | IL / MAC |\n|---|--:|---|--:|--:|\n"
                      "| lstm-6-32 (LSTM 6→32, 5 classes) | 4864 | reference | 173127 | 35.59 |\n"
                      "|  |  | packed (default) | 28948 | 5.95 |\n"
                      "| default (LSTM 6→24, 5 classes) | 2880 | compact | 41202.5 | 14.3 |\n"
                      "### ComputeOutput\n| lstm-6-32 | 160 | reference | 5153 | 32.21 |\n")
    assert nanoclr_cost.il_per_step(str(report)) == {
        ("lstm-6-32", "reference"): 173127, ("lstm-6-32", "packed"): 28948, ("default", "compact"): 41202.5}


def test_bad_arguments_get_one_error_line(tmp_path):
    result = subprocess.run([sys.executable, os.path.join(BENCH, "nanoclr_cost.py"), "--nanoclr", str(tmp_path / "none"),
                             "--pe-folder", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "is not an executable file" in result.stderr
    assert "Traceback" not in result.stderr
