#!/usr/bin/env python3
"""Makes the cost harness's extra models: untrained PyTorch LSTMs with fixed seeds, exported with
tools/quantize.py. Same seed, same torch, same blob, byte for byte; the harness calls this itself when
a blob is missing (into tools/NanoRnn.Bench/obj/bench-models/, never committed).

    /usr/bin/python3 tools/NanoRnn.Bench/make_models.py --output DIR

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

from nanornn.demo import build_module  # noqa: E402  (the supported shape: nn.LSTM + Linear head on the last step)

# name, input channels, hidden units, classes, seed
MODELS = [
    ("lstm-6-32", 6, 32, 5, 32),
    ("lstm-6-64", 6, 64, 5, 64),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, help="folder for NAME.pt and NAME.nrnn")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    for name, channels, hidden, classes, seed in MODELS:
        torch.manual_seed(seed)
        module = build_module(channels, hidden, classes)
        pt = os.path.join(args.output, name + ".pt")
        blob = os.path.join(args.output, name + ".nrnn")
        torch.save(module.state_dict(), pt)
        result = subprocess.run([sys.executable, QUANTIZE, "export", pt, "-o", blob],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"make_models.py: exporting {name} failed")
        summary = next((line for line in result.stdout.splitlines() if line.startswith("blob ")), "")
        print(f"{name}: LSTM {channels}->{hidden}, {classes} classes, seed {seed}; {summary.strip()}")


if __name__ == "__main__":
    main()
