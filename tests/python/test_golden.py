"""Generated sources are reproducible: what is committed is what the tool writes now."""
import filecmp
import os

from conftest import REPO, run_quantize

TESTS = os.path.join(REPO, "tests")


def generated_files(tests_folder):
    """The golden sources under a tests folder: the index and every part's case files, relative."""
    found = [os.path.join("NanoRnn.Tests", "Golden", "GoldenIndex.g.cs")]
    parts = os.path.join(tests_folder, "NanoRnn.Tests.Golden")
    for part in sorted(os.listdir(parts)):
        if os.path.isdir(os.path.join(parts, part)):
            found += [os.path.join("NanoRnn.Tests.Golden", part, f)
                      for f in sorted(os.listdir(os.path.join(parts, part))) if f.endswith(".g.cs")]
    return found


def test_golden_vectors_are_up_to_date(tmp_path):
    result = run_quantize("golden", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    generated = generated_files(tmp_path)
    assert generated == generated_files(TESTS)
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, TESTS, generated, shallow=False)
    assert not mismatch and not errors, f"regenerate with quantize.py golden --out tests: {mismatch + errors}"


def test_golden_parts_respect_their_budget():
    from nanornn import golden
    assert golden.assign_parts([golden.PART_BUDGET, 1, golden.PART_BUDGET - 1]) == [1, 2, 2]
    try:
        golden.assign_parts([golden.PART_BUDGET + 1])
    except ValueError as e:
        assert f"Part{golden.PARTS + 1}" in str(e)
    else:
        raise AssertionError("a case larger than a part was placed")


def test_activation_tables_are_up_to_date():
    result = run_quantize("tables", "--check")
    assert result.returncode == 0, result.stderr
