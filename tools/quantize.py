#!/usr/bin/env python3
"""NanoRnn model tool: PyTorch LSTM -> int8 `.nrnn` blob, and its bit-exact integer reference.

  quantize.py export MODEL.pt -o MODEL.nrnn [--calibration X.npy] [--input-mean ..  --input-std ..]
                     [--channels ax,ay,az,gx,gy,gz] [--sample-rate HZ]
  quantize.py reference MODEL.nrnn X.npy -o OUT.csv
  quantize.py tables [--check]
  quantize.py golden --out DIR
  quantize.py demo [--out DIR]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nanornn import blob  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES_CS = os.path.join(REPO, "firmware", "NanoRnn", "ActivationTables.cs")


class UsageError(Exception):
    pass


def float_list(text):
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers")


def cmd_export(args):
    from nanornn import export
    state, nonlinearity = export.load_model(args.model)
    calibration = export.load_calibration(args.calibration) if args.calibration else None
    result = export.quantize(state, calibration, args.input_mean, args.input_std,
                             args.channels, args.sample_rate,
                             args.rnn_nonlinearity or nonlinearity or None, args.every_step)
    data = blob.to_bytes(result.model)
    blob.write_atomic(args.output, data)
    print(export.summary(result, len(data)))
    print(f"wrote {args.output}")


def load_input(path, channels):
    import numpy as np
    try:
        x = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file")
    except Exception as e:
        raise UsageError(f"{path}: not a .npy array ({e})")
    if x.dtype.kind != "f":
        raise UsageError(f"{path}: dtype {x.dtype}, expected float32 or float64")
    if x.ndim != 3:
        raise UsageError(f"{path}: shape {x.shape} is not N×T×C")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise UsageError(f"{path}: is empty (shape {x.shape})")
    if x.shape[2] != channels:
        raise UsageError(f"{path}: has {x.shape[2]} channels, the model takes {channels}")
    return x


def cmd_reference(args):
    from nanornn import reference
    model = blob.read(args.model)
    x = load_input(args.input, model.input_channels)
    stages = reference.run(model, reference.quantize_input(model, x))
    blob.write_atomic(args.output, reference.csv_text(model, stages["q"]).encode())


def cmd_tables(args):
    from nanornn import codegen, fixedpoint
    text = codegen.activation_tables_cs()
    if args.check:
        with open(TABLES_CS, encoding="utf-8") as f:
            if f.read() != text:
                raise UsageError(f"{TABLES_CS} differs from what `quantize.py tables` generates")
        sig, tan = fixedpoint.activation_errors()
        print(f"{TABLES_CS} is up to date; worst error over all Q3.12 inputs: "
              f"sigmoid {sig:.3g}, tanh {tan:.3g}")
        return
    blob.write_atomic(TABLES_CS, text.encode())
    print(f"wrote {TABLES_CS}")


def cmd_golden(args):
    from nanornn import golden
    for path in golden.write_all(args.out):
        print(f"wrote {path}")


def cmd_demo(args):
    from nanornn import demo
    demo.run(args.out, epochs=args.epochs)
    print(f"wrote {args.out}")


def parser():
    p = argparse.ArgumentParser(prog="quantize.py", description=__doc__.strip().splitlines()[0])
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    e = sub.add_parser("export", help="quantise a torch.save file into a .nrnn blob")
    e.add_argument("model", help="MODEL.pt: a state_dict or a whole module")
    e.add_argument("-o", "--output", required=True, help="the .nrnn file to write")
    e.add_argument("--calibration", help="X.npy, float N×T×C representative inputs in training units")
    e.add_argument("--input-mean", type=float_list, help="per-channel mean used to normalise at training time")
    e.add_argument("--input-std", type=float_list, help="per-channel std used to normalise at training time")
    e.add_argument("--channels", type=lambda t: t.split(","),
                   help="where each input comes from, in order: ax,ay,az,gx,gy,gz,temp,in0..in31")
    e.add_argument("--sample-rate", type=int, default=0, help="the sample rate the model was trained at, Hz")
    e.add_argument("--rnn-nonlinearity", choices=["tanh", "relu"],
                   help="an nn.RNN's nonlinearity when MODEL.pt is a state_dict (which does not record it; default tanh)")
    e.add_argument("--every-step", action="store_true",
                   help="the head was trained on every step (sequence labelling); recorded in the blob")
    e.set_defaults(run=cmd_export)

    r = sub.add_parser("reference", help="run a blob with the bit-exact integer reference")
    r.add_argument("model", help="MODEL.nrnn")
    r.add_argument("input", help="X.npy, float N×T×C in training units")
    r.add_argument("-o", "--output", required=True, help="the CSV to write")
    r.set_defaults(run=cmd_reference)

    t = sub.add_parser("tables", help="generate firmware/NanoRnn/ActivationTables.cs")
    t.add_argument("--check", action="store_true", help="verify the committed file instead of writing it")
    t.set_defaults(run=cmd_tables)

    g = sub.add_parser("golden", help="generate per-stage golden vectors as C# sources")
    g.add_argument("--out", required=True, help="folder for the generated .cs files")
    g.set_defaults(run=cmd_golden)
    d = sub.add_parser("demo", help="train and export the default synthetic IMU gesture model")
    d.add_argument("--out", default=os.path.join(REPO, "models", "default"), help="output folder")
    d.add_argument("--epochs", type=int, default=30)
    d.set_defaults(run=cmd_demo)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    from nanornn.export import ExportError
    try:
        args.run(args)
    except (UsageError, ExportError, blob.BlobError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
