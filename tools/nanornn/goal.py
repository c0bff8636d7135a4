"""The accuracy goal, measured: on every golden model, on the default model and on a recording,
NanoRnn's argmax agreement with float must be at least torch dynamic int8's and its max |Δlogit|
no larger. `quantize.py goal --output docs/accuracy.md` writes the table into docs/accuracy.md.
"""
import os

import numpy as np
import torch

from . import demo, generated, golden, modelfile, report

GOLDEN_SEQUENCES = 300     # fresh inputs per golden model, drawn as its golden inputs were
RECALIBRATED = ", calibrated on 64 sequences like its inputs"    # the label of a missed golden model measured again
DEFAULT_LABELS = ("default model, 600 test windows", "default model, recording sample-input.npy (24 windows)")
HEADER = ("| model, data | NanoRnn agreement | dynamic agreement | NanoRnn max \\|Δlogit\\| | dynamic max \\|Δlogit\\| "
          "| goal | stage with the largest relative error |")
REGION = "goal"            # the region of docs/accuracy.md the table goes into
DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "models", "default")


def golden_label(name):
    return f"golden {name}"


def row_labels():
    """The rows measure() always makes, in order, without measuring: every golden model, then the default model's
    runs. A row that misses the goal is followed by its RECALIBRATED row."""
    return [golden_label(case[0]) for case in golden.cases()] + list(DEFAULT_LABELS)


def golden_runs():
    """(label, state, x, labels, export options, options recalibrated) per golden case: fresh data from
    the case's own input distribution; the second options calibrate on 64 other such sequences."""
    for case in golden.cases():
        name, model, _ = case
        rng = np.random.default_rng(1000 + case.seed)
        draw = lambda n: rng.normal(0, case.input_std, (n, case.steps, model.input_channels)) * case.input_gain  # noqa: E731
        x = draw(GOLDEN_SEQUENCES)
        yield golden_label(name), case.state, x, None, case.export, dict(case.export, calibration=draw(64))


def default_runs():
    """The default model on its 600 test windows and on the recording stand-in sample-input.npy."""
    state = modelfile.load(os.path.join(DEFAULT, "model.pt")).state
    train, _, test, labels, mean, std = demo.datasets(np.random.default_rng(demo.SEED))
    options = {"calibration": (train[:512] - mean) / std, "input_mean": list(mean), "input_std": list(std),
               "channel_names": demo.CHANNELS, "sample_rate": demo.RATE_HZ}
    yield DEFAULT_LABELS[0], state, (test - mean) / std, labels, options, None
    sample = np.load(os.path.join(DEFAULT, "sample-input.npy")).astype(np.float64)
    yield (DEFAULT_LABELS[1], state, sample,
           np.load(os.path.join(DEFAULT, "sample-labels.npy")), options, None)


def _build(state, x, labels, options):
    return report.build(state, x, labels, options["calibration"], options["input_mean"], options["input_std"],
                        options["channel_names"], options["sample_rate"], measure_choices=False,
                        nonlinearity=options.get("nonlinearity"), every_step=options.get("every_step", False))


def measure(log=lambda _: None):
    """[(label, report dict)] for every run; a golden model that misses the goal is measured again
    calibrated on inputs like its own, which separates calibration from arithmetic."""
    torch.manual_seed(0)
    rows = []
    for label, state, x, labels, options, recalibrated in list(golden_runs()) + list(default_runs()):
        log(label)
        rows.append((label, _build(state, x, labels, options)))
        if recalibrated is not None and not rows[-1][1]["goal_met"]:
            rows.append((label + RECALIBRATED, _build(state, x, labels, recalibrated)))
    return rows


def markdown(rows):
    lines = [HEADER, "|---|--:|--:|--:|--:|---|---|"]
    for label, r in rows:
        f = r["figures"]
        lines.append(f"| {label} | {f['nanornn_agreement']:.2%} | {f['dynamic_agreement']:.2%} | "
                     f"{f['nanornn_max_dlogit']:.4f} | {f['dynamic_max_dlogit']:.4f} | "
                     f"{'met' if r['goal_met'] else '**missed**'} | {r['worst_stage']} |")
    return "\n".join(lines)


def write(rows, path, command):
    """The table of `rows` into `path`'s goal region (or as the whole file) with its provenance line."""
    return generated.write(path, REGION, command, markdown(rows))
