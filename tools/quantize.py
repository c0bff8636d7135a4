#!/usr/bin/env python3
"""NanoRnn model tool: PyTorch LSTM/GRU/RNN -> int8 `.nrnn` blob, and its bit-exact integer reference.

  quantize.py export MODEL.pt -o MODEL.nrnn [--calibration X.npy] [--input-mean ..  --input-std ..]
                     [--channels ax,ay,az,gx,gy,gz] [--sample-rate HZ]
                     [--rnn-nonlinearity tanh|relu] [--every-step] [--state-dict-key KEY]
  quantize.py reference MODEL.nrnn X.npy|X.npz -o OUT.csv [--every-step] [--input-units training|counts]
  quantize.py report MODEL.pt --data X.npy [--labels y.npy] [--out DIR] [--calibration C.npy]
                     [--input-units training|counts] [export options]
  quantize.py goal [--output docs/accuracy.md]
  quantize.py tables [--check]
  quantize.py golden --out TESTS_FOLDER [--blobs]
  quantize.py structures [--output docs/accuracy.md]
  quantize.py soak MODEL.nrnn -o OUT.csv [--streams S | --input X.npy|X.npz [--input-units ..]]
                     [--steps T] [--every N] [--seed X]
  quantize.py demo [--out DIR]
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The modules that import torch (about 1.3 s) are imported inside the commands that run a torch
# model, so that reference, soak, tables, golden and --help start at once.
from nanornn import blob, codegen, export, fixedpoint, golden, inputs, recognise, reference, soak, summary  # noqa: E402
from nanornn import calibration as cal  # noqa: E402
from nanornn.errors import ExportError  # noqa: E402
from nanornn.progress import Progress  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class UsageError(Exception):
    pass


def float_list(text):
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers")


def warn(message):
    print(f"warning: {message}", file=sys.stderr)


def interpret(args, calibration):
    """The model file read and checked against its own code (verify.py); prints nothing."""
    from nanornn import modelfile, verify
    model_file = modelfile.load(args.model, args.state_dict_key)
    return verify.interpret(model_file, calibration, args.every_step, args.rnn_nonlinearity)


def cmd_export(args):
    calibration = inputs.load_calibration(args.calibration) if args.calibration else None
    seen = interpret(args, calibration)
    names = class_names(args)
    with Progress("export") as progress:
        result = export.quantize(seen.state, calibration, args.input_mean, args.input_std,
                                 args.channels, args.sample_rate, seen.nonlinearity, seen.every_step,
                                 class_names=names, check_steps=args.check_steps, progress=progress)
    data = export.to_blob(result)
    blob.write_atomic(args.output, data)
    print(summary.text(result, len(data)))
    for note in seen.notes:
        print(note)
    print(seen.line)
    for message in result.warnings:
        warn(message)
    print(f"wrote {args.output}")


def class_names(args):
    """--class-names, else MODEL.labels beside the model (one name a line), else None."""
    if args.class_names is not None:
        return args.class_names
    path = os.path.splitext(args.model)[0] + ".labels"
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    print(f"class names: from {path}")
    return names


def input_counts(model, path, units):
    """The sequences of path as int16 counts (reference.to_counts), warning about saturated values:
    (counts [N,T,C], lengths or None)."""
    x, lengths = inputs.load_sequences(path, model.input_channels)
    counts, saturated = reference.to_counts(model, x, units, lengths)
    total = model.input_channels * (int(np.sum(lengths)) if lengths is not None else x.shape[0] * x.shape[1])
    message = reference.saturation_warning(path, model, saturated, total, units)
    if message:
        warn(message)
    return counts, lengths


def cmd_reference(args):
    model = blob.read(args.model)
    counts, lengths = input_counts(model, args.input, args.input_units)
    stages = reference.run(model, counts, lengths)
    if args.every_step or model.every_step:
        text = reference.csv_text_every_step(model, stages["q_steps"], lengths)
    else:
        text = reference.csv_text(model, stages["q"])
    blob.write_atomic(args.output, text.encode())


def cmd_report(args):
    from nanornn import report
    calibration = inputs.load_calibration(args.calibration) if args.calibration else None
    seen = interpret(args, calibration)
    structure = recognise.find_structure(seen.state, seen.nonlinearity)
    channels, classes = structure.channels, structure.classes
    x, lengths = inputs.load_sequences(args.data, channels)
    if lengths is not None:
        raise UsageError(f"{args.data}: report takes sequences of one length (an N×T×C .npy)")
    labels = None
    if args.labels:
        labels = inputs.load_labels(args.labels)
        shape = x.shape[:2] if seen.every_step else x.shape[:1]
        if labels.dtype.kind not in "iu" or labels.shape != shape:
            raise UsageError(f"{args.labels}: {labels.dtype} array of shape {labels.shape}, expected integer "
                             f"labels of shape {shape} (one per {'step' if seen.every_step else 'sequence'} of {args.data})")
        if labels.min() < 0 or labels.max() >= classes:
            raise UsageError(f"{args.labels}: label {labels.max() if labels.max() >= classes else labels.min()} "
                             f"is outside 0..{classes - 1}")
    for note in seen.notes:
        print(f"report: {note}", file=sys.stderr)
    print(f"report: {seen.line}", file=sys.stderr)
    if calibration is None and args.input_mean is None:
        print(f"report: no --calibration: the blob's input range assumes standardised inputs (|x| <= "
              f"{cal.DEFAULT_INPUT_RANGE:g} per channel) and clips anything beyond; for other data give "
              f"--calibration with inputs like {args.data}", file=sys.stderr)
    with Progress("report") as progress:
        r = report.build(seen.state, x, labels, calibration, args.input_mean, args.input_std, args.channels,
                         args.sample_rate, progress=progress, nonlinearity=seen.nonlinearity,
                         every_step=seen.every_step, units=args.input_units)
        progress("writing report.md and the plots")
        written = report.write(r, args.out, f"Quantisation report: {os.path.basename(args.model)}", preamble(args, x, seen))
    _, saturated = reference.to_counts(r["model"], x, args.input_units)
    message = reference.saturation_warning(args.data, r["model"], saturated, x.size, args.input_units)
    for message in r["export"].warnings + ([message] if message else []):
        warn(message)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(report.summary_line(r) + f" checked={'yes' if seen.checked else 'no'}")


def preamble(args, x, seen):
    """report.md's opening: what it was made from, and what was checked or assumed."""
    return (f"Made by `quantize.py report` on {x.shape[0]} sequences of `{os.path.basename(args.data)}`"
            f"{' (raw counts)' if args.input_units == 'counts' else ''}.\n\n{seen.line}")


def cmd_goal(args):
    from nanornn import goal
    with Progress("goal") as progress:
        rows = goal.measure(log=progress)
    if args.output:
        print(f"wrote {goal.write(rows, args.output, generating_command('goal', args.output))}")
    else:
        print(goal.markdown(rows))


def generating_command(subcommand, output):
    """The command line that writes `output` again, as the provenance line of a generated table shows it."""
    where = os.path.relpath(os.path.abspath(output), REPO)
    return f"python3 tools/quantize.py {subcommand} --output {output if where.startswith('..') else where}"


def cmd_structures(args):
    from nanornn import structures
    with Progress("structures") as progress:
        if args.output:
            print(f"wrote {structures.write(args.output, generating_command('structures', args.output), progress)}")
        else:
            print(structures.markdown(progress))


def cmd_tables(args):
    files = codegen.generated_files(REPO)
    if args.check:
        for path, text in files:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    raise UsageError(f"{os.path.relpath(path, REPO)} differs from what `quantize.py tables` generates")
        sig, tan = fixedpoint.activation_errors()
        print(f"{', '.join(os.path.relpath(path, REPO) for path, _ in files)}: each is up to date; worst error over all "
              f"Q3.12 inputs: sigmoid {sig:.3g}, tanh {tan:.3g}")
        return
    for path, text in files:
        blob.write_atomic(path, text.encode())
        print(f"wrote {os.path.relpath(path, REPO)}")


def cmd_golden(args):
    if args.blobs:
        os.makedirs(args.out, exist_ok=True)
        for name, model, _ in golden.cases():
            path = os.path.join(args.out, f"{name}.nrnn")
            blob.write_atomic(path, blob.to_bytes(model))
            print(f"wrote {path}")
        return
    for path in golden.write_all(args.out):
        print(f"wrote {path}")


def cmd_soak(args):
    model = blob.read(args.model)
    for name in ("streams", "steps", "every"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            raise UsageError(f"--{name} must be at least 1")
    sequences = lengths = None
    if args.input:
        if args.streams is not None:
            raise UsageError("--streams and --input go separately: with --input each sequence is one stream")
        sequences, lengths = input_counts(model, args.input, args.input_units)
    elif args.input_units != "training":
        raise UsageError("--input-units describes --input")
    streams = sequences.shape[0] if sequences is not None else args.streams or soak.DEFAULT_STREAMS
    with Progress("soak") as progress:
        text = soak.run(model, streams, args.steps, args.every, args.seed, sequences, lengths, progress)
    blob.write_atomic(args.output, text.encode())
    print(f"wrote {args.output}: {streams} streams x {args.steps} steps, a checkpoint every {args.every}")


def cmd_demo(args):
    from nanornn import demo
    demo.run(args.out, epochs=args.epochs)
    print(f"wrote {args.out}")


def generated_output(p, region):
    p.add_argument("--output", metavar="PAGE.md", help=f"write the table into PAGE.md's <!-- BEGIN {region} --> … "
                   f"<!-- END {region} --> region, with a provenance line (a page without it is written whole); "
                   "default: print it")


def export_options(p):
    p.add_argument("--calibration", help="X.npy, float N×T×C representative inputs in training units")
    p.add_argument("--input-mean", type=float_list, help="per-channel mean used to normalise at training time")
    p.add_argument("--input-std", type=float_list, help="per-channel std used to normalise at training time")
    p.add_argument("--channels", type=lambda t: t.split(","),
                   help="where each input comes from, in order: ax,ay,az,gx,gy,gz,temp,in0..in31")
    p.add_argument("--sample-rate", type=int, default=0, help="the sample rate the model was trained at, Hz")
    p.add_argument("--rnn-nonlinearity", choices=["tanh", "relu"],
                   help="an nn.RNN's nonlinearity when MODEL.pt is a state_dict (which does not record it; default tanh)")
    p.add_argument("--every-step", action="store_true",
                   help="the head was trained on every step (sequence labelling); recorded in the blob")
    p.add_argument("--state-dict-key", metavar="KEY",
                   help="MODEL.pt is a checkpoint dict: the entry that holds the model (default: the one that does)")


def units_option(p, what):
    p.add_argument("--input-units", choices=reference.UNITS, default="training",
                   help=f"{what} in training units (default) or as int16 counts, as the firmware is fed them "
                        "(raw sensor counts for a blob exported with --input-mean/--input-std)")


def output_path(text):
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty")
    return text


def parser():
    p = argparse.ArgumentParser(prog="quantize.py", description=__doc__.strip().splitlines()[0])
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    e = sub.add_parser("export", help="quantise a torch.save file into a .nrnn blob")
    e.add_argument("model", help="MODEL.pt: a state_dict, a checkpoint dict, a whole module, a TorchScript "
                                 "file, or a folder of one tensor per parameter")
    e.add_argument("-o", "--output", required=True, type=output_path, help="the .nrnn file to write")
    export_options(e)
    e.add_argument("--class-names", type=lambda t: t.split(","), metavar="A,B,…",
                   help="the classes' names, stored in the blob (default: MODEL.labels beside the model, one a line)")
    e.add_argument("--check-steps", type=int, default=4, metavar="N",
                   help="steps of the check sequence the board runs at boot against the reference's scores "
                        "(0..64, default 4; 0 stores none)")
    e.set_defaults(run=cmd_export)

    q = sub.add_parser("report", help="float torch vs the blob vs torch dynamic int8 on your data: report.md and plots")
    q.add_argument("model", help="MODEL.pt: as export takes it")
    q.add_argument("--data", required=True, help="X.npy, N×T×C inputs in training units (or --input-units counts)")
    q.add_argument("--labels", help="y.npy, integer class labels (N, or N×T with --every-step): adds accuracy")
    q.add_argument("--out", default="report", help="folder for report.md, the plots and model.nrnn (default: report)")
    export_options(q)
    units_option(q, "--data is")
    q.set_defaults(run=cmd_report)
    a = sub.add_parser("goal", help="the accuracy goal on every golden model and the default model (docs/accuracy.md)")
    generated_output(a, "goal")
    a.set_defaults(run=cmd_goal)

    r = sub.add_parser("reference", help="run a blob with the bit-exact integer reference")
    r.add_argument("model", help="MODEL.nrnn")
    r.add_argument("input", help="X.npy, float N×T×C in training units; or X.npz of variable-length "
                                 "sequences (arr_0, arr_1, … each T×C, or an N×T×C array and `lengths`)")
    r.add_argument("-o", "--output", required=True, type=output_path, help="the CSV to write")
    r.add_argument("--every-step", action="store_true",
                   help="one row per sequence and step, seq,step,pred,q…,logit… (the default for a blob "
                        "whose head was trained on every step)")
    units_option(r, "the input is")
    r.set_defaults(run=cmd_reference)

    t = sub.add_parser("tables", help="generate firmware/NanoRnn/ActivationTables.cs, NanoRnn.Native/native/nanornn_tables.c, BlobLayout.g.cs and the layout tables of docs/model-format.md")
    t.add_argument("--check", action="store_true", help="verify the committed file instead of writing it")
    t.set_defaults(run=cmd_tables)

    g = sub.add_parser("golden", help="generate per-stage golden vectors as C# sources")
    g.add_argument("--out", required=True, help="the tests folder: writes NanoRnn.Tests/Golden/GoldenIndex.g.cs and "
                   "NanoRnn.Tests.Golden/Part*/*.g.cs (with --blobs: the folder for the .nrnn files)")
    g.add_argument("--blobs", action="store_true", help="write each golden model as NAME.nrnn instead")
    g.set_defaults(run=cmd_golden)
    c = sub.add_parser("structures", help="float vs NanoRnn vs dynamic int8 on every recognised structure (docs/accuracy.md)")
    generated_output(c, "structures")
    c.set_defaults(run=cmd_structures)

    s = sub.add_parser("soak", help="checkpoints of long adversarial runs through the integer reference")
    s.add_argument("model", help="MODEL.nrnn")
    s.add_argument("-o", "--output", required=True, type=output_path, help="the CSV to write")
    s.add_argument("--streams", type=int, help="independent streams, each from zero state (default 4)")
    s.add_argument("--input", help="X.npy or X.npz: replay these sequences instead, one stream each, "
                                   "each over and over")
    units_option(s, "--input is")
    s.add_argument("--steps", type=int, default=5000, help="steps per stream")
    s.add_argument("--every", type=int, default=1000, help="steps between checkpoints")
    s.add_argument("--seed", type=int, default=1)
    s.set_defaults(run=cmd_soak)

    d = sub.add_parser("demo", help="train and export the default synthetic IMU gesture model")
    d.add_argument("--out", default=os.path.join(REPO, "models", "default"), help="output folder")
    d.add_argument("--epochs", type=int, default=30)
    d.set_defaults(run=cmd_demo)
    return p


NUMBER_LIST = re.compile(r"^-[0-9.]+(e[-+]?[0-9]+)?(,[-+]?[0-9.]+(e[-+]?[0-9]+)?)*$", re.IGNORECASE)
LIST_OPTIONS = ("--input-mean", "--input-std")


def join_negative_lists(argv):
    """`--input-mean -226.2,22.9` as `--input-mean=-226.2,22.9`: argparse reads a value that starts
    with '-' and is not one plain number as an option."""
    out = []
    for item in argv:
        if out and out[-1] in LIST_OPTIONS and NUMBER_LIST.match(item):
            out[-1] = f"{out[-1]}={item}"
        else:
            out.append(item)
    return out


def main(argv=None):
    args = parser().parse_args(join_negative_lists(sys.argv[1:] if argv is None else list(argv)))
    try:
        args.run(args)
    except (UsageError, ExportError, blob.BlobError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
