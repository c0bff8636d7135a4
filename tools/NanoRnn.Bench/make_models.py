#!/usr/bin/env python3
"""Makes the cost harness's extra models: untrained PyTorch LSTMs, a GRU, a plain RNN and a stacked
LSTM with fixed seeds, exported with
tools/quantize.py. Same seed, same torch, same blob, byte for byte; the harness calls this itself when
a blob is missing (into tools/NanoRnn.Bench/obj/bench-models/, never committed).

    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR
    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR --lstm-hidden 132   # only lstm-6-132

The second form makes one more single-layer LSTM 6→H, 5 classes (seed H), for `il --model`.

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
    args = parser.parse_args()
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
        result = subprocess.run([sys.executable, QUANTIZE, "export", pt, "-o", blob],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"make_models.py: exporting {name} failed")
        summary = next((line for line in result.stdout.splitlines() if line.startswith("blob ")), "")
        print(f"{name}: {cell.upper()} x{layers} {channels}->{hidden}, {classes} classes, seed {seed}; {summary.strip()}")


if __name__ == "__main__":
    main()
