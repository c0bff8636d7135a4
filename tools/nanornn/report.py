"""`quantize.py report`: what int8 cost, on the user's data.

Float PyTorch, the NanoRnn blob (through the bit-exact integer reference) and PyTorch's
`quantize_dynamic` (qint8) run on the same sequences. The report gives the headline figures side by
side, each tensor's weight round-trip error, each stage's activation error against the float
reference's step-by-step evaluation of the same weights (float_reference.py, trace.py), the
calibration choices with their measured effect, the calibrated ranges against the observed ones,
and plots (plots.py).
"""
import os

import numpy as np
import torch

from . import blob, calibration, compare, export, float_reference, plots, recognise, reference, structures
from . import summary, trace
from . import fixedpoint as fx
from .errors import ExportError
from .progress import silent

PLOTS = {"summary": "report-summary.png", "logits": "report-logits.png", "errors": "report-errors.png",
         "stages": "report-stages.png", "ranges": "report-ranges.png"}
GATE_RANGE = trace.PRE_RANGE
FORMAT_MARGIN = 4     # a pre-activation error this many times Q3.12's rounding is not the format's


def torch_module(structure, every_step=False):
    """A recognised model as an nn.Module (structures.Recurrent), for torch and dynamic int8."""
    layers = structure.layers
    if len({layer.hidden for layer in layers}) != 1 or len({layer.cell for layer in layers}) != 1:
        raise ExportError("the recurrent layers differ in size or cell; give the module itself")
    cell = {blob.CELL_LSTM: "lstm", blob.CELL_GRU: "gru"}.get(layers[0].cell, "rnn")
    nonlinearity = "relu" if layers[0].cell == blob.CELL_RNN_RELU else "tanh"
    mlp = structure.head[0][0].shape[0] if len(structure.head) == 2 else 0
    module = structures.Recurrent(cell, structure.channels, layers[0].hidden, structure.classes,
                                  len(layers), mlp, every_step, nonlinearity)
    values = {}
    for index, layer in enumerate(layers):
        for name in ("w_ih", "w_hh", "b_ih", "b_hh"):
            kind = "weight" if name[0] == "w" else "bias"
            values[f"rnn.{kind}_{name[2:]}_l{index}"] = getattr(layer, name)
    names = ["head.0", "head.2"] if mlp else ["head"]
    for name, (w, b) in zip(names, structure.head):
        values[f"{name}.weight"], values[f"{name}.bias"] = w, b
    module.load_state_dict({k: torch.as_tensor(v, dtype=torch.float32) for k, v in values.items()})
    return module.eval()


def _held(layer):
    """(what the pre-activation holds, what h holds) of a layer, real units, as (low, high) pairs."""
    top = 32768 * layer.hidden_scale
    if layer.cell_type == blob.CELL_RNN_RELU:
        return (-top, top), (0.0, top)
    return (-GATE_RANGE, GATE_RANGE), (-1.0, 1.0)


def observed_ranges(model, x, floating):
    """[(quantity, (low, high) the format holds, (min, max) of the float values)], real units."""
    float_layers, float_logits = floating
    scale = model.input_scale.astype(np.float64)
    zero = model.input_zero.astype(np.float64)
    span = lambda v: (float(np.min(v)), float(np.max(v)))  # noqa: E731
    rows = [(f"input {c}" + (f" ({blob.channel_name(model.channel_source[c])})" if model.channel_source[c] else ""),
             ((fx.INT16_MIN - zero[c]) * scale[c], (fx.INT16_MAX - zero[c]) * scale[c]), span(x[:, :, c]))
            for c in range(model.input_channels)]
    for index, (layer, f) in enumerate(zip(model.layers, float_layers)):
        pre, hidden = _held(layer)
        rows.append((f"layer {index} pre-activation", pre, span(f["pre"])))
        if "cell" in f:
            cf = layer.cell_frac_bits
            rows.append((f"layer {index} cell (Q{15 - cf}.{cf})", (-2.0 ** (15 - cf), 2.0 ** (15 - cf)), span(f["cell"])))
        rows.append((f"layer {index} hidden", hidden, span(f["hidden"])))
    bound = export.HEAD_Q_BOUND * float(np.float32(model.output_scale))
    rows.append(("logits (q · output_scale)", (-bound, bound), span(float_logits)))
    return rows


def gate_format(model, floating, stages):
    """Figures that decide whether a per-layer gate format could beat Q3.12, per layer."""
    rows = []
    for index, f in enumerate(floating[0]):
        if model.layers[index].cell_type == blob.CELL_RNN_RELU:
            continue        # its pre-activation is in h's own calibrated scale, not Q3.12
        pre_error = next(e for _, key, layer, e in stages if key == "pre" and layer == index)
        rows.append({"layer": index, "beyond": int(np.sum(np.abs(f["pre"]) > GATE_RANGE)), "count": f["pre"].size,
                     "peak": float(np.max(np.abs(f["pre"]))), "pre_max_error": pre_error["max"],
                     "pre_mean_error": pre_error["mean"]})
    return rows


def build(state, x, labels=None, calib=None, input_mean=None, input_std=None, channel_names=None,
          sample_rate=0, progress=silent, module=None, measure_choices=True, nonlinearity=None, every_step=False,
          units="training", class_names=None, check_steps=4):
    """Everything the report shows, as a dict; x [N,T,C] float in training units, or int16 counts as
    the firmware is fed them (units "counts": the float model sees the training units they stand for).

    labels: [N] (or [N,T] for a head trained on every step). class_names and check_steps go into the
    blob (format 3: the board's boot check). module: the float nn.Module itself
    when at hand; otherwise one is rebuilt from state. measure_choices: also export and measure
    the calibration alternatives (needs calib). progress: told what is being done.
    """
    x = np.asarray(x, dtype=np.float64)
    progress("exporting" + (f" (replaying {calib.shape[0]} calibration sequences)" if calib is not None else ""))
    options = {"input_mean": input_mean, "input_std": input_std, "channel_names": channel_names,
               "sample_rate": sample_rate, "nonlinearity": nonlinearity, "every_step": every_step}
    result = export.quantize(state, calib, **options, class_names=class_names, check_steps=check_steps,
                             progress=progress)
    model, structure = result.model, recognise.find_structure(state, nonlinearity)
    if units == "counts":
        x = reference.from_counts(model, np.floor(x + 0.5))
    module = module if module is not None else torch_module(structure, every_step)
    progress(f"float torch and dynamic int8 on {x.shape[0]} sequences of {x.shape[1]} steps")
    k = model.class_count
    pick = (lambda lg: lg.reshape(-1, k)) if every_step else (lambda lg: lg[:, -1] if lg.ndim == 3 else lg)
    ref = pick(compare.float_logits(module, x))
    dynamic = pick(compare.dynamic_logits(module, x))
    progress("integer reference and float step-by-step trace")
    integer = trace.integer_trace(model, x)
    floating = float_reference.run(structure, x)
    nanornn = pick(integer[2])
    flat_labels = None if labels is None else np.asarray(labels).reshape(-1)
    figures = compare.figures_of(ref, {"nanornn": nanornn, "dynamic": dynamic}, flat_labels)
    figures["sequences"] = int(x.shape[0])
    stages = trace.stage_errors(model, x, integer, floating)
    r = {"export": result, "model": model, "blob": export.to_blob(result), "notes": result.notes, "figures": figures,
         "float": ref, "nanornn": nanornn, "dynamic": dynamic, "every_step": every_step,
         "integer_trace": integer, "float_trace": floating, "stages": stages,
         "weights": list(result.errors.items()), "ranges": observed_ranges(model, x, floating),
         "gate_format": gate_format(model, floating, stages), "input_choices": None, "cell_choices": None}
    if calib is not None and measure_choices:
        if input_mean is None:
            progress("measuring the input range candidates")
            r["input_choices"] = calibration.measure_input_ranges(structure, calib, lambda v: export.quantize(
                state, calib, **dict(options, input_range=v)).model, x, progress)
        progress("measuring the cell format alternatives")
        r["cell_choices"] = calibration.measure_cell_formats(structure, calib, lambda cf: export.quantize(
            state, calib, **dict(options, cell_frac_bits=cf)).model, x) or None
    r["goal_met"] = goal_met(figures)
    r["worst_stage"] = max(stages, key=lambda row: row[3]["relative"])[0]
    return r


def goal_met(figures):
    """Argmax agreement at least dynamic int8's and max |Δlogit| no larger."""
    return (figures["nanornn_agreement"] >= figures["dynamic_agreement"]
            and figures["nanornn_max_dlogit"] <= figures["dynamic_max_dlogit"])


def summary_line(r):
    """The headline figures on one line, for scripts."""
    f = r["figures"]
    parts = [f"sequences={f['sequences']}"]
    for prefix, name in (("", "nanornn"), ("dynamic_", "dynamic")):
        parts += [f"{prefix}agreement={f[name + '_agreement']:.4f}", f"{prefix}max_dlogit={f[name + '_max_dlogit']:.6f}",
                  f"{prefix}mean_dlogit={f[name + '_mean_dlogit']:.6f}"]
        if "float_accuracy" in f:
            parts.append(f"{prefix}accuracy={f[name + '_accuracy']:.4f}")
    if "float_accuracy" in f:
        parts.append(f"float_accuracy={f['float_accuracy']:.4f}")
    parts.append("goal=" + ("met" if r["goal_met"] else "missed"))
    parts.append("worst_stage=" + r["worst_stage"].split(" (")[0].replace(" ", "_"))
    return "report: " + " ".join(parts)


def _choice_table(rows, chosen, what):
    lines = [f"| {what} | calibration data: max / mean \\|Δlogit\\| | report data: max / mean \\|Δlogit\\| |",
             "|---|---|---|"]
    for index, row in enumerate(rows):
        mark = " (chosen)" if index == chosen else ""
        lines.append(f"| {row[0]}{mark} | {row[2][0]:.4f} / {row[2][1]:.5f} | {row[3][0]:.4f} / {row[3][1]:.5f} |")
    return "\n".join(lines)


def markdown(r, title, preamble=""):
    """report.md: title, optional preamble (Markdown), then the measured sections."""
    model, f = r["model"], r["figures"]
    out = [f"# {title}", ""]
    if preamble:
        out += [preamble.rstrip(), ""]
    described = summary.text(r["export"], len(r["blob"])).splitlines()
    out += ["```", *described[:2 + len(model.layers)], "```", "",     # structure, blob, formats per layer
            "## Against float PyTorch", "", compare.markdown_table(f), ""]
    if r["goal_met"]:
        out.append("Goal met: argmax agreement at least dynamic int8's and max |Δlogit| no larger.")
    else:
        worst = next(row for row in r["stages"] if row[0] == r["worst_stage"])
        out.append(f"Goal missed (agreement {f['nanornn_agreement']:.2%} vs {f['dynamic_agreement']:.2%}, "
                   f"max |Δlogit| {f['nanornn_max_dlogit']:.4f} vs {f['dynamic_max_dlogit']:.4f}): "
                   f"the stage that loses most is **{worst[0]}** (relative error {worst[3]['relative']:.3g}).")
    out += ["", f"![headline figures]({PLOTS['summary']})", f"![float vs integer logits]({PLOTS['logits']})", f"![errors]({PLOTS['errors']})", "",
            "## Weights: round-trip error per tensor", "",
            "| tensor | max \\|w − dequantised w\\| |", "|---|---|"]
    out += [f"| {name} | {err:.3g} |" for name, err in r["weights"]]
    out += ["", "## Activations: error per stage against a float step-by-step run", "",
            "Integer stages dequantised (Q3.12 / 2^12, Q0.15 / 2^15, cell / 2^cf) against float64 with the "
            "same weights on the same inputs, every step of every sequence; relative = rms error / rms value.", "",
            "| stage | max \\|Δ\\| | mean \\|Δ\\| | relative |", "|---|---|---|---|"]
    out += [f"| {label} | {e['max']:.4g} | {e['mean']:.4g} | {e['relative']:.3g} |" for label, _, _, e in r["stages"]]
    out += ["", f"![per-stage error]({PLOTS['stages']})", "", "## Calibration", ""]
    out += [f"* {note}" for note in r["notes"]]
    if r["input_choices"] is not None:
        chosen = calibration.choose(r["input_choices"])
        out += ["", "Input range candidates (per channel; the exporter keeps the max unless a percentile halves "
                "the worst |Δlogit| on the calibration data):", "",
                _choice_table(r["input_choices"], chosen, "input range")]
    if r["cell_choices"] is not None:
        chosen = next(i for i, row in enumerate(r["cell_choices"])
                      if all(cf == layer.cell_frac_bits for cf, layer in zip(row[1], model.layers)
                             if layer.cell_type == blob.CELL_LSTM))
        out += ["", f"Cell format alternatives (the exporter uses {calibration.CELL_HEADROOM:g} × max |c| on the "
                "calibration data):", "", _choice_table(r["cell_choices"], chosen, "cell range")]
    out += ["", "Gate pre-activations stay Q3.12 (the firmware's fixed format):", ""]
    rounding = 2.0 ** -(fx.GATE_FRAC_BITS + 1)
    for g in r["gate_format"]:
        verdict = ("so the error comes from the weights and the states, and a finer format would not lower it"
                   if g["pre_mean_error"] > FORMAT_MARGIN * rounding else
                   "a noticeable part of it: a finer per-layer format could help, but the firmware's arithmetic "
                   "is fixed at Q3.12")
        out.append(f"* layer {g['layer']}: {g['beyond']} of {g['count']} float pre-activations lie beyond ±8 (largest "
                   f"{g['peak']:.3g}), where σ and tanh are within 3.4e-4 of their limits, so a wider format would "
                   f"only keep values the activations flatten; the pre-activation error (float clipped to ±8) is "
                   f"{g['pre_max_error']:.3g} max, {g['pre_mean_error']:.3g} mean, against Q3.12's rounding of "
                   f"{rounding:.3g}: {verdict}.")
    out += ["", "| quantity | the format holds | float values seen |", "|---|---|---|"]
    out += [f"| {name} | {low:.4g} .. {high:.4g} | {seen_low:.4g} .. {seen_high:.4g} |"
            for name, (low, high), (seen_low, seen_high) in r["ranges"]]
    out += ["", f"![calibrated vs observed ranges]({PLOTS['ranges']})", ""]
    return "\n".join(out)


def write(r, folder, title, preamble="", blob_name="model.nrnn"):
    """Write report.md, the plots and (when blob_name) the blob into folder; returns the paths."""
    os.makedirs(folder, exist_ok=True)
    written = []
    if blob_name:
        written.append(os.path.join(folder, blob_name))
        blob.write_atomic(written[-1], r["blob"])
    for key, name in PLOTS.items():
        written.append(os.path.join(folder, name))
        blob.write_atomic(written[-1], getattr(plots, key)(r))
    written.append(os.path.join(folder, "report.md"))
    blob.write_atomic(written[-1], markdown(r, title, preamble).encode())
    return written
