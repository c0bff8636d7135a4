#!/usr/bin/env python3
"""Makes the cost harness's extra models: untrained PyTorch LSTMs, a GRU, a plain RNN and a stacked
LSTM with fixed seeds, exported with `--check-steps 0` (the harness measures the arithmetic, not the boot check) by
tools/quantize.py. Same seed, same torch, same blob, byte for byte; the harness calls this itself when
a blob is missing (into tools/NanoRnn.Bench/obj/bench-models/, never committed).

    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR
    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR --lstm-hidden 132   # only lstm-6-132
    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR --cs [--cs-root FOLDER]

The second form makes one more single-layer LSTM 6→H, 5 classes (seed H), for `il --model`. The third
also writes the models and the default one as C# data for the nanoCLR cost runner (NanoCost/: its index
and the Models/Part* assemblies; nanoFramework has no file system to read them from, and a .pe holds
at most 64 KiB of constant data, hence the parts).

Untrained weights are fine here: the cost of a step depends on the shapes, not on the values (apart
from a few saturation branches). Needs Debian's python3-torch and python3-numpy.
"""
import argparse
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
QUANTIZE = os.path.join(HERE, "..", "quantize.py")
sys.path.insert(0, os.path.join(HERE, ".."))

from nanornn.demo import build_module  # noqa: E402  (one nn.LSTM + Linear head on the last step)
from nanornn.structures import Recurrent  # noqa: E402  (the other cells and stacks)
from nanornn import blob as blobs, codegen, golden  # noqa: E402

DEFAULT_MODEL = os.path.join(HERE, "..", "..", "models", "default", "model.nrnn")
COST_PARTS = 2
COST_PART_BUDGET = 44 * 1024

# name, cell, layers, input channels, hidden units, classes, seed
MODELS = [
    ("lstm-6-32", "lstm", 1, 6, 32, 5, 32),
    ("lstm-6-64", "lstm", 1, 6, 64, 5, 64),
    ("gru-6-32", "gru", 1, 6, 32, 5, 132),
    ("rnn-6-32", "rnn", 1, 6, 32, 5, 232),
    ("lstm2-6-32", "lstm", 2, 6, 32, 5, 332),
    ("lstm2-3-16", "lstm", 2, 3, 16, 5, 316),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, help="folder for NAME.pt and NAME.nrnn")
    parser.add_argument("--lstm-hidden", type=int, metavar="H",
                        help="make only an LSTM 6->H with 5 classes, lstm-6-H (1..512)")
    parser.add_argument("--cs", action="store_true",
                        help="also write the models and the default one as the nanoCLR cost runner's C# data")
    parser.add_argument("--cs-root", default=os.path.join(HERE, "NanoCost"),
                        help="where the cost runner is (default: NanoCost beside this script)")
    args = parser.parse_args()
    if args.cs and args.lstm_hidden is not None:
        parser.error("--cs writes the fixed model set; leave out --lstm-hidden")
    if args.lstm_hidden is not None and not 1 <= args.lstm_hidden <= 512:
        parser.error(f"--lstm-hidden {args.lstm_hidden} is outside 1..512")
    models = MODELS if args.lstm_hidden is None else [
        (f"lstm-6-{args.lstm_hidden}", "lstm", 1, 6, args.lstm_hidden, 5, args.lstm_hidden)]
    os.makedirs(args.output, exist_ok=True)
    for name, cell, layers, channels, hidden, classes, seed in models:
        torch.manual_seed(seed)
        module = (build_module(channels, hidden, classes) if cell == "lstm" and layers == 1
                  else Recurrent(cell, channels, hidden, classes, layers))
        pt = os.path.join(args.output, name + ".pt")
        blob = os.path.join(args.output, name + ".nrnn")
        torch.save(module.state_dict(), pt)
        result = subprocess.run([sys.executable, QUANTIZE, "export", pt, "-o", blob, "--check-steps", "0"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"make_models.py: exporting {name} failed")
        summary = next((line for line in result.stdout.splitlines() if line.startswith("blob ")), "")
        print(f"{name}: {cell.upper()} x{layers} {channels}->{hidden}, {classes} classes, seed {seed}; {summary.strip()}")
    if args.cs:
        named = [(name, os.path.join(args.output, name + ".nrnn")) for name, *_ in models] + [("default", DEFAULT_MODEL)]
        for path in write_cost_sources(named, args.cs_root):
            print(f"wrote {path}")


def class_name(name):
    return name.replace("-", "_").capitalize()


def write_cost_sources(named_blobs, root):
    """The cost runner's data: Models/PartN/CLASS.g.cs and CostModelIndex.g.cs under `root`."""
    data = [(class_name(name), name, open(path, "rb").read()) for name, path in named_blobs]
    parts = golden.assign_parts([len(b) for _, _, b in data], COST_PARTS, COST_PART_BUDGET,
                                "tools/NanoRnn.Bench/NanoCost/Models")
    written = []
    for part in range(1, COST_PARTS + 1):
        folder = os.path.join(root, "Models", f"Part{part}")
        os.makedirs(folder, exist_ok=True)
        for stale in os.listdir(folder):
            if stale.endswith(".g.cs"):
                os.remove(os.path.join(folder, stale))
    for (cls, name, blob), part in zip(data, parts):
        path = os.path.join(root, "Models", f"Part{part}", cls + ".g.cs")
        blobs.write_atomic(path, codegen.cost_model_cs(cls, name, list(blob), part).encode())
        written.append(path)
    path = os.path.join(root, "CostModelIndex.g.cs")
    blobs.write_atomic(path, codegen.cost_model_index_cs([cls for cls, _, _ in data]).encode())
    return written + [path]


if __name__ == "__main__":
    main()
