#!/usr/bin/env python3
"""Where the native kernel's instructions go: the C of firmware/NanoRnn.Native/native, compiled with
gcc -O2 as the firmware compiles it, one layer stepped under valgrind's callgrind, per function.

    python3 tools/NanoRnn.Bench/native_cost.py

Prints, per step of each cost model's layer shape, the host instructions of the dot products, the
rows' rescale and saturation, the cell update and the argument checks. Twice: as gcc -O2 compiles it
for the host, which turns the dot products' 16-column blocks into SIMD multiply-adds, and with
-fno-tree-vectorize, the same C run as scalar loops, as on a core without SIMD (the ESP32's LX6). The whole step on nanoCLR,
with the interop call and the managed Step, is the `native` row of docs/performance.md
(nanoclr_cost.py); the difference is what the call and its marshalling cost.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.path.join(HERE, "..", "..", "firmware", "NanoRnn.Native", "native")
SHAPES = [("lstm-6-32", 1, 6, 32), ("lstm-6-64", 1, 6, 64), ("gru-6-32", 2, 6, 32), ("rnn-6-32", 3, 6, 32)]
PARTS = [("dot products", ("dot4_s8_s16", "dot_s8_s16", "dot_rows_s8_s16")), ("rescale", ("pre_activations",)),
         ("cell update", ("lstm_cell", "gru_cell", "rnn_tanh_cell", "rnn_relu_cell", "nanornn_sigmoid_q15",
                          "nanornn_tanh_q15")),
         ("checks", ("check_rows", "check_shifts", "nanornn_layer_check_s8_s16"))]
BUILDS = [("gcc -O2 (SIMD where the compiler finds it)", []),
          ("gcc -O2 -fno-tree-vectorize (scalar)", ["-fno-tree-vectorize"])]


def self_costs(out):
    """{function: self instructions} from callgrind_annotate."""
    text = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True, check=True).stdout
    costs = {}
    for match in re.finditer(r"^\s*([\d,]+) \([^)]*\)\s+\S*:(\w+)", text, re.M):
        costs[match[2]] = costs.get(match[2], 0) + int(match[1].replace(",", ""))
    return costs


def main():
    with tempfile.TemporaryDirectory() as work:
        driver = os.path.join(work, "driver")
        sources = [os.path.join(HERE, "NativeCost", "driver.c")] + [
            os.path.join(NATIVE, name) for name in ("nanornn_kernels.c", "nanornn_tables.c")]
        for build, flags in BUILDS:
            subprocess.run(["gcc", "-std=c99", "-O2", "-g"] + flags + ["-I", NATIVE, "-o", driver] + sources, check=True)
            print(f"\n{build}:\n")
            table(work, driver)


def table(work, driver):
    """The markdown table of every shape for the driver as built."""
    print("| shape | " + " | ".join(name for name, _ in PARTS) + " | C total |")
    print("|---|" + "--:|" * (len(PARTS) + 1))
    for name, cell, inputs, hidden in SHAPES:
        runs = []
        for steps in (1, 11):
            out = os.path.join(work, f"{name}.{steps}")
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", driver, str(cell),
                            str(inputs), str(hidden), str(steps)], capture_output=True, check=True)
            runs.append(self_costs(out))
        per_step = {f: (runs[1].get(f, 0) - runs[0].get(f, 0)) / 10 for f in runs[1]}
        parts = [sum(per_step.get(f, 0) for f in functions) for _, functions in PARTS]
        total = sum(v for f, v in per_step.items() if f != "main")
        print(f"| {name} | " + " | ".join(f"{p:,.0f}" for p in parts) + f" | {total:,.0f} |")


if __name__ == "__main__":
    try:
        main()
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"native_cost.py: {e}", file=sys.stderr)
        sys.exit(1)
