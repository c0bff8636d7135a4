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


def warn(message):
    print(f"warning: {message}", file=sys.stderr)


def interpret(args, calibration):
    """The model file read and checked against its own code (verify.py); prints nothing."""
    from nanornn import export, verify
    model_file = export.load_model(args.model, args.state_dict_key)
    return verify.interpret(model_file, calibration, args.every_step, args.rnn_nonlinearity)


def cmd_export(args):
    from nanornn import export
    calibration = export.load_calibration(args.calibration) if args.calibration else None
    seen = interpret(args, calibration)
    result = export.quantize(seen.state, calibration, args.input_mean, args.input_std,
                             args.channels, args.sample_rate, seen.nonlinearity, seen.every_step,
                             class_names=class_names(args), check_steps=args.check_steps)
    data = export.to_blob(result)
    blob.write_atomic(args.output, data)
    print(export.summary(result, len(data)))
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


def _check_dtype(x, name):
    """Both this tool and the desktop runner read float16/32/64 and 8- to 64-bit integers."""
    if x.dtype.kind not in "fiu" or (x.dtype.kind == "f" and x.dtype.itemsize > 8):
        raise UsageError(f"{name}: dtype '{x.dtype.str}' is not supported; save float16, float32, float64 or integers")


def load_input(path, channels):
    """Sequences from X.npy (N×T×C, all of length T) or X.npz (variable lengths).

    .npz: either arrays arr_0, arr_1, … of shape T_i×C (np.savez(path, *sequences)), or one N×T×C
    array plus `lengths` (N integers, 1..T): sequence n is its first lengths[n] steps.
    Returns (x [N,T,C] zero-padded, lengths [N] or None).
    """
    import numpy as np
    try:
        loaded = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file")
    except Exception as e:
        raise UsageError(f"{path}: not a .npy or .npz file ({e})")
    lengths = None
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            names = list(loaded.files)
            if "lengths" in names:
                others = [n for n in names if n != "lengths"]
                if len(others) != 1:
                    raise UsageError(f"{path}: with `lengths`, exactly one other array is expected (found {', '.join(others) or 'none'})")
                x, lengths = loaded[others[0]], loaded["lengths"]
                name = f"{path}[{others[0]}]"
                if lengths.dtype.kind not in "iu" or lengths.ndim != 1:
                    raise UsageError(f"{path}[lengths]: expected a 1-D integer array, got {lengths.dtype} {lengths.shape}")
            else:
                expected = [f"arr_{i}" for i in range(len(names))]
                if sorted(names, key=lambda n: (len(n), n)) != expected or not names:
                    raise UsageError(f"{path}: expected arrays arr_0, arr_1, … (np.savez(path, *sequences)) "
                                     f"or an array plus `lengths`, found {', '.join(names) or 'nothing'}")
                sequences = [loaded[n] for n in expected]
                for n, seq in zip(expected, sequences):
                    _check_dtype(seq, f"{path}[{n}]")
                    if seq.ndim != 2 or seq.shape[0] == 0:
                        raise UsageError(f"{path}[{n}]: shape {seq.shape} is not T×C with T >= 1")
                    if seq.shape[1] != channels:
                        raise UsageError(f"{path}[{n}]: has {seq.shape[1]} channels, the model takes {channels}")
                lengths = np.array([len(seq) for seq in sequences])
                x = np.zeros((len(sequences), int(lengths.max()), channels))
                for i, seq in enumerate(sequences):
                    seq = seq.astype(np.float64)
                    x[i, :len(seq)] = seq
                name = path
    else:
        x, name = loaded, path
    _check_dtype(x, name)
    if x.ndim != 3:
        raise UsageError(f"{name}: shape {x.shape} is not N×T×C")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise UsageError(f"{name}: is empty (shape {x.shape})")
    if x.shape[2] != channels:
        raise UsageError(f"{name}: has {x.shape[2]} channels, the model takes {channels}")
    if lengths is not None:
        if lengths.shape != (x.shape[0],):
            raise UsageError(f"{path}[lengths]: has {lengths.size} entries for {x.shape[0]} sequences")
        bad = np.flatnonzero((lengths < 1) | (lengths > x.shape[1]))
        if bad.size:
            raise UsageError(f"{path}[lengths]: lengths[{bad[0]}] = {lengths[bad[0]]} is outside 1..{x.shape[1]}")
        # Steps past a sequence's length are never read; zero them so NaN padding is harmless.
        x = np.where(np.arange(x.shape[1])[None, :, None] < lengths[:, None, None], x, 0.0)
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        n, t, c = np.argwhere(~np.isfinite(x))[0]
        raise UsageError(f"{name}: input is not finite at sequence {n}, step {t}, channel {c}")
    return x, lengths


def input_counts(model, path, units):
    """The sequences of path as int16 counts (reference.to_counts), warning about saturated values:
    (counts [N,T,C], lengths or None)."""
    import numpy as np
    from nanornn import reference
    x, lengths = load_input(path, model.input_channels)
    counts, saturated = reference.to_counts(model, x, units, lengths)
    total = model.input_channels * (int(np.sum(lengths)) if lengths is not None else x.shape[0] * x.shape[1])
    message = reference.saturation_warning(path, model, saturated, total, units)
    if message:
        warn(message)
    return counts, lengths


def cmd_reference(args):
    from nanornn import reference
    model = blob.read(args.model)
    counts, lengths = input_counts(model, args.input, args.input_units)
    stages = reference.run(model, counts, lengths)
    if args.every_step or model.every_step:
        text = reference.csv_text_every_step(model, stages["q_steps"], lengths)
    else:
        text = reference.csv_text(model, stages["q"])
    blob.write_atomic(args.output, text.encode())


def cmd_report(args):
    from nanornn import export, report, reference
    calibration = export.load_calibration(args.calibration) if args.calibration else None
    seen = interpret(args, calibration)
    structure = export.find_structure(seen.state, seen.nonlinearity)
    channels, classes = structure.layers[0].w_ih.shape[1], structure.head[-1][0].shape[0]
    x, lengths = load_input(args.data, channels)
    if lengths is not None:
        raise UsageError(f"{args.data}: report takes sequences of one length (an N×T×C .npy)")
    labels = None
    if args.labels:
        labels = load_array(args.labels)
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
              f"{export.DEFAULT_INPUT_RANGE:g} per channel) and clips anything beyond; for other data give "
              f"--calibration with inputs like {args.data}", file=sys.stderr)
    r = report.build(seen.state, x, labels, calibration, args.input_mean, args.input_std, args.channels,
                     args.sample_rate, log=report.Progress(), nonlinearity=seen.nonlinearity,
                     every_step=seen.every_step, units=args.input_units)
    _, saturated = reference.to_counts(r["model"], x, args.input_units)
    message = reference.saturation_warning(args.data, r["model"], saturated, x.size, args.input_units)
    for message in r["export"].warnings + ([message] if message else []):
        warn(message)
    preamble = (f"Made by `quantize.py report` on {x.shape[0]} sequences of `{os.path.basename(args.data)}`"
                f"{' (raw counts)' if args.input_units == 'counts' else ''}.\n\n{seen.line}")
    for path in report.write(r, args.out, f"Quantisation report: {os.path.basename(args.model)}", preamble):
        print(f"wrote {path}", file=sys.stderr)
    print(report.summary_line(r) + f" checked={'yes' if seen.checked else 'no'}")


def cmd_goal(args):
    from nanornn import goal
    rows = goal.measure(log=lambda label: print(f"goal: {label}", file=sys.stderr, flush=True))
    if args.output:
        print(f"wrote {goal.write(rows, args.output, generating_command('goal', args.output))}")
    else:
        print(goal.markdown(rows))


def generating_command(subcommand, output):
    """The command line that writes `output` again, as the provenance line of a generated table shows it."""
    where = os.path.relpath(os.path.abspath(output), REPO)
    return f"python3 tools/quantize.py {subcommand} --output {output if where.startswith('..') else where}"


def load_array(path):
    import numpy as np
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file")
    except Exception as e:
        raise UsageError(f"{path}: not a .npy array ({e})")


def cmd_structures(args):
    from nanornn import structures
    if args.output:
        print(f"wrote {structures.write(args.output, generating_command('structures', args.output))}")
    else:
        print(structures.markdown())


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
    from nanornn import soak
    model = blob.read(args.model)
    for name in ("streams", "steps", "every"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            raise UsageError(f"--{name} must be at least 1")
    inputs = lengths = None
    if args.input:
        if args.streams is not None:
            raise UsageError("--streams and --input go separately: with --input each sequence is one stream")
        inputs, lengths = input_counts(model, args.input, args.input_units)
    elif args.input_units != "training":
        raise UsageError("--input-units describes --input")
    streams = inputs.shape[0] if inputs is not None else args.streams or soak.DEFAULT_STREAMS
    text = soak.run(model, streams, args.steps, args.every, args.seed, inputs, lengths)
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
    p.add_argument("--input-units", choices=reference_units(), default="training",
                   help=f"{what} in training units (default) or as int16 counts, as the firmware is fed them "
                        "(raw sensor counts for a blob exported with --input-mean/--input-std)")


def reference_units():
    from nanornn import reference
    return reference.UNITS


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

    t = sub.add_parser("tables", help="generate firmware/NanoRnn/ActivationTables.cs")
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
    from nanornn.export import ExportError
    try:
        args.run(args)
    except (UsageError, ExportError, blob.BlobError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
