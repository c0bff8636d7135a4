"""The measured tables of docs/accuracy.md and docs/performance.md are the ones their commands write now.

Each table sits in a region of its page (`<!-- BEGIN name -->` … `<!-- END name -->`) that one command
rewrites, starting with a provenance line (tools/nanornn/generated.py). These tests fail when a
committed table is stale in shape: a row its command makes today is missing or one it no longer makes
is there, a column header differs, or the provenance line is gone. Nothing here depends on timing:
the accuracy tables are checked by their rows (test_readme.py runs both commands and compares the
figures too, as they are seeded), the IL tables figure for figure (IL counts are exact and `il` takes
seconds once built), the callgrind table by its rows only (its figures need a nanoCLR, and vary by
build).
"""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from nanornn import generated, goal, structures

ACCURACY = os.path.join(REPO, "docs", "accuracy.md")
PERFORMANCE = os.path.join(REPO, "docs", "performance.md")
BENCH = os.path.join(REPO, "tools", "NanoRnn.Bench")
sys.path.insert(0, BENCH)
import nanoclr_cost  # noqa: E402


def page(path):
    return open(path, encoding="utf-8").read()


def committed(path, name, command):
    """The region `name` of the page, after checking that it opens with its provenance line for `command`."""
    body = generated.region(page(path), name)
    assert body is not None, f"{path} has no {generated.begin(name)} … {generated.end(name)} region"
    first = body.splitlines()[0]
    match = generated.PROVENANCE.match(first)
    assert match, f"{path}, region {name}: the first line is not a provenance line: {first!r}"
    assert match["command"] == command, f"{path}, region {name}: written by {match['command']!r}, not {command!r}"
    return body


def only_table(body):
    found = generated.tables(body)
    assert len(found) == 1, f"{len(found)} tables where one was expected"
    return found[0]


def labels(table):
    return [generated.cells(line)[0] for line in table[2:]]


def test_the_goal_table_has_a_row_for_every_golden_model_and_the_default_model():
    table = only_table(committed(ACCURACY, goal.REGION, "python3 tools/quantize.py goal --output docs/accuracy.md"))
    assert table[0] == goal.HEADER
    rows = labels(table)
    assert [r for r in rows if not r.endswith(goal.RECALIBRATED)] == goal.row_labels(), \
        "the goal table's models differ from golden.cases() and the default model's runs: run quantize.py goal --output docs/accuracy.md"
    missed = {generated.cells(line)[0] for line in table[2:] if generated.cells(line)[5] == "**missed**"}
    # A golden model that misses is measured again, calibrated like its inputs, in the row below; no other is.
    expected = []
    for row in goal.row_labels():
        expected += [row, row + goal.RECALIBRATED] if row in missed and row.startswith("golden ") else [row]
    assert rows == expected, "the rows measured again are not the golden models that miss the goal"


def test_the_structures_table_has_a_row_for_every_structure():
    table = only_table(committed(ACCURACY, structures.REGION,
                                 "python3 tools/quantize.py structures --output docs/accuracy.md"))
    assert table[0] == structures.HEADER
    assert labels(table) == [structures.describe(i) for i in range(len(structures.STRUCTURES))], \
        "run quantize.py structures --output docs/accuracy.md"


IL_COMMAND = "dotnet run -c Release --project tools/NanoRnn.Bench -- il --output docs/performance.md"


def test_the_il_tables_are_what_il_counts_now(tmp_path):
    """`il --output` into a copy of the page: its il region must hold the committed tables, figure for figure,
    and the page around the region must be left as it was."""
    body = committed(PERFORMANCE, "il", IL_COMMAND)
    copy = tmp_path / "performance.md"
    shutil.copy(PERFORMANCE, copy)
    result = subprocess.run(["dotnet", "run", "-c", "Release", "--project", BENCH, "--", "il", "--output", str(copy)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"wrote the il region of {copy}" in result.stderr
    written = copy.read_text(encoding="utf-8")
    now = generated.region(written, "il")
    assert generated.PROVENANCE.match(now.splitlines()[0])
    assert generated.tables(now) == generated.tables(body), \
        f"docs/performance.md's IL tables are not what il counts now: run {IL_COMMAND}"
    assert generated.replace(written, "il", "") == generated.replace(page(PERFORMANCE), "il", "")
    assert generated.tables(result.stdout) == generated.tables(now)


def runner_kernels():
    """The kernels the nanoCLR cost runner steps, in its order (NanoCost/Program.cs, `Kernels`)."""
    source = page(os.path.join(BENCH, "NanoCost", "Program.cs"))
    return re.findall(r'"([^"]+)"', re.search(r"string\[\] Kernels =\s*\{(.*?)\};", source, re.S)[1])


def runner_models():
    """The models the cost runner holds: make_models.py's, then the default one (test_nanoclr_cost.py keeps
    NanoCost/ equal to what make_models.py writes)."""
    import make_models
    return [m[0] for m in make_models.MODELS] + ["default"]


def nanoclr_shape_problems(body, models, kernels):
    """Why the callgrind region is not the shape a run over `models` × `kernels` writes: [] when it is."""
    table = only_table(body)
    if table[0] not in (nanoclr_cost.HEADER, nanoclr_cost.IL_HEADER):
        return [f"header {table[0]!r}"]
    rows, model = [], None
    for line in table[2:]:
        cells = generated.cells(line)
        model = cells[0] or model
        rows.append((model, cells[2]))
    skipped = [tuple(m.groups()) for m in re.finditer(r"^(\S+), (.+?): .+\.$", body, re.M)]
    planned = [(m, k) for m in models for k in kernels]
    problems = [f"{m}, {k}: neither measured nor skipped" for m, k in planned if (m, k) not in rows + skipped]
    problems += [f"{m}, {k}: not a model and kernel of the runner" for m, k in rows + skipped if (m, k) not in planned]
    problems += [f"{m}, {k}: twice" for m, k in set(rows + skipped) if (rows + skipped).count((m, k)) > 1]
    if [r for r in planned if r in rows] != [r for r in rows if r in planned]:
        problems.append("the rows are not in the runner's order")
    return problems


def test_the_nanoclr_table_has_every_model_and_kernel_the_cost_runner_steps():
    body = committed(PERFORMANCE, nanoclr_cost.REGION, "python3 tools/NanoRnn.Bench/nanoclr_cost.py --nanoclr NANOCLR "
                     "--pe-folder DIR --il-report IL.md --output docs/performance.md")
    problems = nanoclr_shape_problems(body, runner_models(), runner_kernels())
    assert not problems, ("docs/performance.md's callgrind table is stale; run nanoclr_cost.py --output "
                          f"docs/performance.md (docs/performance.md says how): {problems}")


PAGE = """# A page

It quotes its markers: `<!-- BEGIN t -->` … `<!-- END t -->`.

<!-- BEGIN t -->
old
<!-- END t -->

Prose after.
"""


def test_a_region_is_rewritten_with_its_provenance_line_and_the_prose_is_kept(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    assert generated.write(str(path), "t", "a command", "| x |\n|---|\n| 1 |\n") == f"the t region of {path}"
    text = path.read_text(encoding="utf-8")
    body = generated.region(text, "t")
    assert generated.PROVENANCE.match(body.splitlines()[0])["command"] == "a command"
    assert generated.tables(body) == [["| x |", "|---|", "| 1 |"]]
    assert generated.replace(text, "t", "old") == PAGE


def test_a_page_without_the_region_is_written_whole_and_a_region_is_needed_to_replace(tmp_path):
    path = tmp_path / "new.md"
    assert generated.write(str(path), "t", "a command", "| x |\n") == str(path)
    assert generated.PROVENANCE.match(path.read_text(encoding="utf-8").splitlines()[0])
    with pytest.raises(ValueError, match="no <!-- BEGIN t -->"):
        generated.replace("`<!-- BEGIN t -->` only quoted `<!-- END t -->`", "t", "x")


def test_the_nanoclr_table_writer_on_fake_counts(tmp_path):
    """What nanoclr_cost.py writes, from counts as its runner would give them: the shape check accepts it, and
    rejects it without a kernel, with one too many or out of order."""
    rows = [("m1", "packed", 100, 2500.0), ("m1", "compact", 100, 5000.0), ("m2", "packed", 50, 1300.0)]
    skipped = [("m2", "compact", "the kernel does not apply")]
    path = tmp_path / "performance.md"
    path.write_text(f"{generated.begin('nanoclr')}\n{generated.end('nanoclr')}\n", encoding="utf-8")
    for il in (None, {("m1", "packed"): 50.0, ("m1", "compact"): 120.0}):
        generated.write(str(path), "nanoclr", nanoclr_cost.command(str(path), il is not None),
                        nanoclr_cost.markdown(rows, skipped, il))
        body = generated.region(path.read_text(encoding="utf-8"), "nanoclr")
        assert nanoclr_shape_problems(body, ["m1", "m2"], ["packed", "compact"]) == []
        assert only_table(body)[0] == (nanoclr_cost.IL_HEADER if il else nanoclr_cost.HEADER)
    assert "| m1 | 100 | packed | 2500 | 25.0 | 50 | 50.0 |" in body and "| m2 | 50 | packed | 1300 | 26.0 | – | – |" in body
    assert nanoclr_shape_problems(body, ["m1", "m2"], ["packed", "compact", "streamed"]) == [
        "m1, streamed: neither measured nor skipped", "m2, streamed: neither measured nor skipped"]
    assert nanoclr_shape_problems(body, ["m1"], ["packed", "compact"]) == [
        "m2, packed: not a model and kernel of the runner", "m2, compact: not a model and kernel of the runner"]
    assert nanoclr_shape_problems(body, ["m1", "m2"], ["compact", "packed"]) == ["the rows are not in the runner's order"]
