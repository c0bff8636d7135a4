#!/usr/bin/env python3
"""Host instructions per step on nanoCLR: runs the cost runner (NanoCost/) under valgrind's callgrind
and prints one Markdown table, every cost model with every kernel.

    python3 tools/NanoRnn.Bench/nanoclr_cost.py --nanoclr NANOCLR --pe-folder DIR [--il-report IL.md] [--output PAGE.md]

NANOCLR is a nanoCLR that takes `.pe` files as arguments (nf-interpreter's POSIX build,
nanoFramework.nanoCLR.test; build it optimised, -O2, or the figures mean little). DIR holds the .pe
files of NanoCost/NanoRnn.Bench.NanoCost.nfproj and of everything it references, as the
nanoFramework build writes them. With --il-report (the Markdown of
`dotnet run -c Release --project tools/NanoRnn.Bench -- il --output IL.md`) the table also gives
the IL count of each step and the host instructions per IL instruction, which is how well the IL
count predicts nanoCLR's cost; IL.md may be a page that holds the il command's region
(docs/performance.md). With --output, the table goes into PAGE.md's `<!-- BEGIN nanoclr -->` …
`<!-- END nanoclr -->` region with a provenance line (tools/nanornn/generated.py; a page without the
region is written whole): `--output docs/performance.md` is how that page's table is made.

callgrind counts instructions, not time: the figures are the same on a busy machine. The runner
prints one line before and after each measured part, callgrind dumps its counters before every
line (Debug.WriteLineNative, which Console.WriteLine ends in), and a step is the difference of two
parts of N1 and N2 steps divided by N2 - N1, so loading, building and printing cancel out.
Exit codes: 0 done, 1 the run failed or its output is not what the runner prints, 2 bad arguments.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER = "Library_corlib_native_System_Diagnostics_Debug::WriteLineNative*"
# Load order: each assembly after what it references.
ASSEMBLIES = ["mscorlib", "NanoRnn", "NanoRnn.Bench.StandIns", "NanoRnn.Bench.CostModelsPart1",
              "NanoRnn.Bench.CostModelsPart2", "NanoRnn.Bench.NanoCost"]
# Loaded too when the folder has it: the native kernel, for a nanoCLR built with NanoRnn.Native (docs/native.md).
OPTIONAL_ASSEMBLIES = ["NanoRnn.Native"]
PROGRAM_LINE = re.compile(r"^(cost .*|skip .*|\.|cost run done)$")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from nanornn import generated  # noqa: E402

REGION = "nanoclr"         # the region of docs/performance.md the table goes into
IL_REGION = "il"           # the region the il command writes, when --il-report is such a page
HEADER = "| model | gate MACs | kernel | host instr. / step | host instr. / MAC |"
IL_HEADER = HEADER + " IL / step | host instr. / IL |"


class Failure(Exception):
    pass


def run_callgrind(nanoclr, pe_folder, work):
    pes = [os.path.join(pe_folder, name + ".pe") for name in ASSEMBLIES]
    missing = [p for p in pes if not os.path.isfile(p)]
    if missing:
        raise Failure(f"{missing[0]} is missing: build NanoCost/NanoRnn.Bench.NanoCost.nfproj into {pe_folder}")
    optional = [os.path.join(pe_folder, name + ".pe") for name in OPTIONAL_ASSEMBLIES]
    pes[2:2] = [p for p in optional if os.path.isfile(p)]
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.out",
               f"--dump-before={MARKER}", nanoclr] + pes
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    lines = [line.rstrip("\r") for line in result.stdout.splitlines()]
    program = [line for line in lines if PROGRAM_LINE.match(line)]
    if "cost run done" not in program:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise Failure(f"the cost runner did not finish (exit {result.returncode}); the end of its output:\n{tail}")
    parts = {}
    for path in glob.glob(os.path.join(work, "callgrind.out.*")):
        number = int(path.rsplit(".", 1)[1])
        with open(path) as f:
            match = re.search(r"^summary: (\d+)", f.read(), re.M)
        if match is None:
            raise Failure(f"{path} has no summary line")
        parts[number] = int(match.group(1))
    # One dump before each line the program prints: the part that ends before line i is number i + 1.
    if sorted(parts) != list(range(1, len(program) + 1)):
        raise Failure(f"{len(parts)} callgrind parts for {len(program)} lines of the runner: was another "
                      "Debug.WriteLine or Console.WriteLine called?")
    return program, parts


def per_step(program, parts):
    """(model, kernel, gate MACs, host instructions per step) per measured kernel; skipped kernels with their reason."""
    rows, skipped = [], []
    for i, line in enumerate(program):
        if line.startswith("skip "):
            skipped.append(tuple(line[5:].split("|", 2)))
        if not line.startswith("cost ") or line == "cost run done":
            continue
        model, kernel, macs, n1, n2 = line[5:].split("|")
        if program[i + 1:i + 4] != [".", ".", "."]:
            raise Failure(f"line {i}: three dots should follow '{line}'")
        first, second = parts[i + 3], parts[i + 4]   # the parts ending before the second and third dot
        rows.append((model, kernel, int(macs), (second - first) / (int(n2) - int(n1))))
    return rows, skipped


def il_per_step(path):
    """(model, kernel) -> IL per step, from the Step table of the `il` command's Markdown (its region, in a page that has one)."""
    table, model = {}, None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = generated.region(text, IL_REGION) or text
    for line in text.splitlines():
        if line.startswith("### ") and table:
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.match(r"^\d+(\.\d+)?$", cells[3]):
            continue
        if cells[0]:
            model = cells[0].split(" (")[0]
        kernel = re.sub(r" \((default)\)$", "", cells[2])
        table[(model, kernel)] = float(cells[3])
    if not table:
        raise Failure(f"{path}: no Step table of the il command")
    return table


def markdown(rows, skipped, il):
    """The table: one row per measured (model, kernel), the model's cells on its first row only; then a
    sentence per skipped kernel."""
    out = [IL_HEADER if il else HEADER, "|---|--:|---|--:|--:" + ("|--:|--:|" if il else "|")]
    last = None
    for model, kernel, macs, cost in rows:
        cells = [model if model != last else "", str(macs) if model != last else "", kernel,
                 f"{cost:.0f}", f"{cost / macs:.1f}"]
        if il:
            count = il.get((model, kernel))
            cells += [f"{count:.0f}", f"{cost / count:.1f}"] if count else ["–", "–"]
        out.append("| " + " | ".join(cells) + " |")
        last = model
    for model, kernel, why in skipped:
        out.append(f"\n{model}, {kernel}: {why}.")
    return "\n".join(out) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nanoclr", required=True, help="the nanoCLR executable (takes .pe files as arguments)")
    parser.add_argument("--pe-folder", required=True, help="the .pe files of the cost runner and its references")
    parser.add_argument("--il-report", help="the il command's Markdown, for the IL columns")
    parser.add_argument("--output", help="write the table here instead of stdout")
    args = parser.parse_args(argv)
    if not (os.path.isfile(args.nanoclr) and os.access(args.nanoclr, os.X_OK)):
        parser.error(f"--nanoclr {args.nanoclr} is not an executable file")
    if not os.path.isdir(args.pe_folder):
        parser.error(f"--pe-folder {args.pe_folder} is not a folder")
    if args.il_report and not os.path.isfile(args.il_report):
        parser.error(f"--il-report {args.il_report} is not a file")
    if shutil.which("valgrind") is None:
        sys.exit("error: valgrind is not installed (Debian: apt-get install valgrind)")
    try:
        il = il_per_step(args.il_report) if args.il_report else None
        with tempfile.TemporaryDirectory() as work:
            program, parts = run_callgrind(os.path.abspath(args.nanoclr), os.path.abspath(args.pe_folder), work)
        rows, skipped = per_step(program, parts)
    except (Failure, subprocess.TimeoutExpired, OSError) as e:
        sys.exit(f"error: {e}")
    text = markdown(rows, skipped, il)
    if args.output:
        print(f"wrote {generated.write(args.output, REGION, command(args.output, il is not None), text)}")
    else:
        sys.stdout.write(text)


def command(output, il):
    """The command line of the provenance line: the machine's paths as placeholders, the page as given."""
    where = os.path.relpath(os.path.abspath(output), generated.REPO)
    return ("python3 tools/NanoRnn.Bench/nanoclr_cost.py --nanoclr NANOCLR --pe-folder DIR"
            + (" --il-report IL.md" if il else "") + f" --output {output if where.startswith('..') else where}")


if __name__ == "__main__":
    main(sys.argv[1:])
