"""Calibration by replay: each candidate range is exported, the calibration data is run through the
bit-exact integer reference, and the candidate whose logits stay closest to the float model's wins.

Input range (per channel, |x| that maps to 32767): INPUT_HEADROOM times the max of |x| or one of
its high percentiles. The max lets one outlier coarsen a channel's step for every other sample;
a percentile clips that outlier instead. Which costs less depends on the model, so it is measured:
the largest |Δlogit| against float over the calibration data decides, and a percentile replaces the
max only when it lowers that error by at least PERCENTILE_GAIN (so noise-level differences keep the
plain, clip-free max). A percentile of a few samples is itself noise, so one is a candidate only
when at least MIN_TAIL samples per channel lie above it.

Cell format and gate format are not searched here: `measure_cell_formats` and the report measure
them (see the report's calibration section).
"""
import numpy as np

from . import blob, export, reference, trace

INPUT_STATISTICS = (("max", 100.0), ("p99.99", 99.99), ("p99.9", 99.9), ("p99", 99.0))
PERCENTILE_GAIN = 0.5    # a percentile must halve the worst |Δlogit| to replace the max
MIN_TAIL = 10            # a percentile is a candidate only with this many samples above it


def input_ranges(calibration):
    """[(name, |x| per channel mapped to 32767)] for each statistic in INPUT_STATISTICS that the
    data can estimate: a percentile needs MIN_TAIL samples per channel above it, or it is noise."""
    magnitude = np.abs(np.asarray(calibration, np.float64)).reshape(-1, calibration.shape[2])
    ranges = []
    for name, q in INPUT_STATISTICS:
        if q < 100.0 and (1 - q / 100.0) * magnitude.shape[0] < MIN_TAIL:
            continue
        stat = np.max(magnitude, axis=0) if q == 100.0 else np.percentile(magnitude, q, axis=0)
        peak = export.INPUT_HEADROOM * stat
        ranges.append((name, np.where(peak > 0, peak, 1.0)))
    return ranges


def logit_error(fm, model, x):
    """(max, mean) |Δlogit| of the integer reference against the float64 model on x [N,T,C]: on
    the last step, or on every step for a head trained on every step."""
    q = reference.run(model, reference.quantize_input(model, x))["q_steps"]
    _, float_logits = trace.float_trace(fm, x)
    delta = np.abs(reference.logits(model, q) - float_logits)
    delta = delta if model.every_step else delta[:, -1]
    return float(np.max(delta)), float(np.mean(delta))


def measure_input_ranges(state, calibration, build, x=None, nonlinearity=None):
    """[(name, range, error on calibration, error on x or None)]; build(range) -> blob.Model."""
    fm = trace.FloatModel(state, nonlinearity)
    rows = []
    for name, peak in input_ranges(calibration):
        model = build(peak)
        rows.append((name, peak, logit_error(fm, model, calibration),
                     logit_error(fm, model, x) if x is not None else None))
    return rows


def choose(rows):
    """Index of the chosen row of measure_*: the first, unless another lowers its max error enough."""
    best = 0
    for index, row in enumerate(rows):
        if row[2][0] < (1 - PERCENTILE_GAIN) * rows[0][2][0] and row[2][0] < rows[best][2][0]:
            best = index
    return best


def choose_input_range(state, calibration, build, nonlinearity=None):
    """(range per channel, note) chosen on the calibration data."""
    rows = measure_input_ranges(state, calibration, build, nonlinearity=nonlinearity)
    name, peak, (worst, _), _ = rows[choose(rows)]
    plain = rows[0][2][0]
    return peak, (f"input: per-channel scale = {export.INPUT_HEADROOM:g} × {name} |x| / 32767, chosen by "
                  f"replaying the calibration data (max |Δlogit| {worst:.4g}; with max |x|: {plain:.4g})")


def measure_cell_formats(state, calibration, build, x=None, nonlinearity=None):
    """[(label, [cf per layer], error on calibration, error on x or None)] for the cell headroom
    alternatives; [] without an LSTM layer.

    build([cf per layer]) -> blob.Model. The exporter's format is CELL_HEADROOM's; the others show
    what a tighter or looser range would have cost.
    """
    fm = trace.FloatModel(state, nonlinearity)
    max_c, v = [], calibration
    for layer in fm.layers:
        v, peak = export.float_layer(layer, v)
        max_c.append(peak if layer.cell == blob.CELL_LSTM else None)
    if all(m is None for m in max_c):
        return []
    rows, seen = [], set()
    for headroom in (1.0, export.CELL_HEADROOM, 2.0, 4.0):
        cfs = tuple(export.cell_format(m, headroom) if m is not None else 0 for m in max_c)
        if cfs in seen:
            continue
        seen.add(cfs)
        model = build(list(cfs))
        formats = ", ".join(f"Q{15 - cf}.{cf}" for cf, m in zip(cfs, max_c) if m is not None)
        rows.append((f"headroom {headroom:g} ({formats})", list(cfs), logit_error(fm, model, calibration),
                     logit_error(fm, model, x) if x is not None else None))
    return rows
