"""Calibration: the real ranges the integer formats cover, chosen from representative inputs.

What the float reference reaches on the calibration data sets the ranges: the cell state's Q-format
(CELL_HEADROOM times the largest |c|), an RNN-relu layer's hidden scale and an MLP head's
intermediate scale (RELU_HEADROOM times their largest value). Without calibration data the
DEFAULT_* ranges stand in, for inputs standardised at training time.

The input range (per channel, |x| that maps to 32767) is chosen by replay: each candidate is
exported, the calibration data is run through the bit-exact integer reference, and the candidate
whose logits stay closest to the float reference's wins. Candidates are INPUT_HEADROOM times the max
of |x| or one of its high percentiles. The max lets one outlier coarsen a channel's step for every
other sample; a percentile clips that outlier instead. Which costs less depends on the model, so it
is measured: the largest |Δlogit| over the calibration data decides, and a percentile replaces the
max only when it lowers that error by at least PERCENTILE_GAIN (so noise-level differences keep the
plain, clip-free max). A percentile of a few samples is itself noise, so one is a candidate only
when at least MIN_TAIL samples per channel lie above it.

The cell format is not searched: `measure_cell_formats` and the report measure its alternatives.
"""
import math

import numpy as np

from . import blob, float_reference, reference
from . import fixedpoint as fx
from .errors import ExportError
from .progress import silent

DEFAULT_INPUT_RANGE = 8.0     # without calibration data: inputs standardised to about ±8
DEFAULT_CELL_FRAC_BITS = 11   # without calibration data: cell state in Q4.11 (±16)
DEFAULT_RELU_RANGE = 8.0      # without calibration data: RNN-relu hidden state saturates at 8
CELL_HEADROOM = 1.5           # calibrated cell range = observed max |c| times this
INPUT_HEADROOM = 2.0          # calibrated input range = observed max |x| times this: 16 bits leave
                              # room, and inputs beyond the calibration data then do not clip
RELU_HEADROOM = 1.5           # calibrated RNN-relu range (and MLP intermediate) = observed max times this
STANDARDISED_LIMIT = 50.0     # no standardised input reaches this many standard deviations

INPUT_STATISTICS = (("max", 100.0), ("p99.99", 99.99), ("p99.9", 99.9), ("p99", 99.0))
PERCENTILE_GAIN = 0.5    # a percentile must halve the worst |Δlogit| to replace the max
MIN_TAIL = 10            # a percentile is a candidate only with this many samples above it


def check_data(x, standardised, digital, channel_names, warnings):
    """Refuse calibration data that says nothing; warn about data that cannot be in training units."""
    peak = np.max(np.abs(x), axis=(0, 1))
    if not np.any(peak):
        raise ExportError("calibration data is zero everywhere; give representative inputs in training units")
    name = lambda c: f"{c} ({channel_names[c]})" if channel_names else str(c)  # noqa: E731
    silent_channels = [name(c) for c in np.flatnonzero((peak == 0) & ~digital)]
    if silent_channels:
        plural = len(silent_channels) > 1
        warnings.append(f"calibration data is zero throughout on channel{'s' if plural else ''} "
                        f"{', '.join(silent_channels)}: {'their' if plural else 'its'} input range falls back to ±1")
    if standardised and peak.max() > STANDARDISED_LIMIT:
        c = int(np.argmax(peak))
        warnings.append(f"calibration data reaches |x| = {peak[c]:.6g} on channel {name(c)}, which cannot be in "
                        f"training units: with --input-mean/--input-std they are (counts - mean) / std, within a "
                        f"few units; standardise raw counts before calibrating with them")


def observed(structure, x):
    """What the float reference reaches on x [N,T,C]: ([(max |c| or None, max h) per layer], the
    largest output of an MLP head's first Linear before its ReLU, or None for a one-Linear head)."""
    layers, v = [], np.asarray(x, dtype=np.float64)
    for layer in structure.layers:
        stages = float_reference.run_layer(layer, v)
        v = stages["hidden"]
        layers.append((float(np.max(np.abs(stages["cell"]))) if "cell" in stages else None, float(np.max(v))))
    if len(structure.head) == 1:
        return layers, None
    w1, b1 = structure.head[0]
    return layers, float(np.max(v @ w1.T + b1))


def cell_format(max_c, headroom=CELL_HEADROOM):
    """Fractional bits of the cell state for an observed max |c|: 15 - ceil(log2(headroom max |c|))."""
    if max_c <= 0:
        return blob.CELL_FRAC_MAX
    int_bits = max(0, math.ceil(math.log2(headroom * max_c)))
    return min(blob.CELL_FRAC_MAX, max(blob.CELL_FRAC_MIN, 15 - int_bits))


def relu_scale(observed_max, fallback, what, notes):
    """Real value of one count for a non-negative int16 quantity (RNN-relu h, an MLP's intermediate)
    whose calibrated max is observed_max (None: no calibration data); fallback is the range without it."""
    if observed_max is not None and observed_max > 0:
        notes.append(f"{what}: max {observed_max:.3f} on the calibration data, range {RELU_HEADROOM:g} times that")
        return float(np.float32(RELU_HEADROOM * observed_max / fx.INT16_MAX))
    notes.append(f"{what}: range {fallback:.3f} "
                 f"({'no calibration data' if observed_max is None else 'never positive on the calibration data'})")
    return float(np.float32(fallback / fx.INT16_MAX))


def input_ranges(calibration):
    """[(name, |x| per channel mapped to 32767)] for each statistic in INPUT_STATISTICS that the
    data can estimate: a percentile needs MIN_TAIL samples per channel above it, or it is noise."""
    magnitude = np.abs(np.asarray(calibration, np.float64)).reshape(-1, calibration.shape[2])
    ranges = []
    for name, q in INPUT_STATISTICS:
        if q < 100.0 and (1 - q / 100.0) * magnitude.shape[0] < MIN_TAIL:
            continue
        stat = np.max(magnitude, axis=0) if q == 100.0 else np.percentile(magnitude, q, axis=0)
        peak = INPUT_HEADROOM * stat
        ranges.append((name, np.where(peak > 0, peak, 1.0)))
    return ranges


def logit_error(structure, model, x):
    """(max, mean) |Δlogit| of the integer reference against the float reference on x [N,T,C]: on
    the last step, or on every step for a head trained on every step."""
    q = reference.run(model, reference.quantize_input(model, x))["q_steps"]
    _, float_logits = float_reference.run(structure, x)
    delta = np.abs(reference.logits(model, q) - float_logits)
    delta = delta if model.every_step else delta[:, -1]
    return float(np.max(delta)), float(np.mean(delta))


def measure_input_ranges(structure, calibration, build, x=None, progress=silent):
    """[(name, range, error on calibration, error on x or None)]; build(range) -> blob.Model."""
    rows, candidates = [], input_ranges(calibration)
    for index, (name, peak) in enumerate(candidates):
        progress(f"replaying {calibration.shape[0]} calibration sequences: input range {name} "
                 f"({index + 1} of {len(candidates)})")
        model = build(peak)
        rows.append((name, peak, logit_error(structure, model, calibration),
                     logit_error(structure, model, x) if x is not None else None))
    return rows


def choose(rows):
    """Index of the chosen row of measure_*: the first, unless another lowers its max error enough."""
    best = 0
    for index, row in enumerate(rows):
        if row[2][0] < (1 - PERCENTILE_GAIN) * rows[0][2][0] and row[2][0] < rows[best][2][0]:
            best = index
    return best


def choose_input_range(structure, calibration, build, progress=silent):
    """(range per channel, note) chosen on the calibration data."""
    rows = measure_input_ranges(structure, calibration, build, progress=progress)
    name, peak, (worst, _), _ = rows[choose(rows)]
    plain = rows[0][2][0]
    return peak, (f"input: per-channel scale = {INPUT_HEADROOM:g} × {name} |x| / 32767, chosen by "
                  f"replaying the calibration data (max |Δlogit| {worst:.4g}; with max |x|: {plain:.4g})")


def measure_cell_formats(structure, calibration, build, x=None):
    """[(label, [cf per layer], error on calibration, error on x or None)] for the cell headroom
    alternatives; [] without an LSTM layer.

    build([cf per layer]) -> blob.Model. The exporter's format is CELL_HEADROOM's; the others show
    what a tighter or looser range would have cost.
    """
    max_c = [layer[0] for layer in observed(structure, calibration)[0]]
    if all(m is None for m in max_c):
        return []
    rows, seen = [], set()
    for headroom in (1.0, CELL_HEADROOM, 2.0, 4.0):
        cfs = tuple(cell_format(m, headroom) if m is not None else 0 for m in max_c)
        if cfs in seen:
            continue
        seen.add(cfs)
        model = build(list(cfs))
        formats = ", ".join(f"Q{15 - cf}.{cf}" for cf, m in zip(cfs, max_c) if m is not None)
        rows.append((f"headroom {headroom:g} ({formats})", list(cfs), logit_error(structure, model, calibration),
                     logit_error(structure, model, x) if x is not None else None))
    return rows
