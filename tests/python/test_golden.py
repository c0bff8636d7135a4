"""Generated sources are reproducible: what is committed is what the tool writes now."""
import filecmp
import os

from conftest import REPO, run_quantize

GOLDEN = os.path.join(REPO, "tests", "NanoRnn.Tests", "Golden")


def test_golden_vectors_are_up_to_date(tmp_path):
    result = run_quantize("golden", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    generated = sorted(os.listdir(tmp_path))
    assert generated == sorted(f for f in os.listdir(GOLDEN) if f.endswith(".g.cs"))
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, GOLDEN, generated, shallow=False)
    assert not mismatch and not errors, f"regenerate with quantize.py golden: {mismatch + errors}"


def test_activation_tables_are_up_to_date():
    result = run_quantize("tables", "--check")
    assert result.returncode == 0, result.stderr
