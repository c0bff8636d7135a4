"""What the exporter recognised in a model file, checked against the model's own code where it can be.

recognise.find_structure recognises a model from its parameter names and shapes. Names and shapes do
not say what the forward does between them, so when the file carries code that runs here (a
TorchScript file, or a pickled module whose classes import) its forward is run on inputs from the
calibration range (or the standardised range) and compared with the float reference
(float_reference.py) of what the tool recognised; beyond float rounding the model is refused,
with what was recognised and how far apart the two are. What the modules say about themselves (an
nn.RNN's nonlinearity, the activation modules around the head) is read first; a head activation
that no module states is tried both ways (nn.functional.relu, or nothing) against the forward.

A state_dict has no code: interpret() then says in one line what it assumed.
"""
import copy
import os

import numpy as np
import torch

from . import blob, float_reference, modelfile, recognise
from .errors import ExportError

CHECK_SEQUENCES = 24        # random sequences across the input range ...
CHECK_STEPS = 20            # ... of this many steps (not CHECK_SEQUENCES: tells a time-first forward apart)
CALIBRATION_SEQUENCES = 8   # and this many calibration sequences, their first CALIBRATION_STEPS steps
CALIBRATION_STEPS = 64
CHECK_SEED = 14
# Largest |forward - recognised| allowed, relative to 1 + the largest |logit|: a float64 forward
# against the float64 model differs only in summation order; a forward that runs only in float32
# (a traced module keeps float32 constants) by float32 rounding over the steps.
TOLERANCE = {"float64": 1e-6, "float32": 1e-3}
SUPPORTED = ("supported: one nn.LSTM, nn.GRU or nn.RNN (tanh or relu) of 1 to 4 layers, then nn.Linear, or "
             "nn.Linear, nn.ReLU (or nothing), nn.Linear, applied to the recurrent output on the last step or "
             "on every step")
SOFTMAX_TYPES = ("Softmax", "LogSoftmax", "Softmin")


class Interpretation:
    """The model export and report work on, and what was checked or assumed to get it."""

    def __init__(self, state, nonlinearity, every_step, line, checked, notes=()):
        self.state = state                  # {name: float64 ndarray}, the head folded if it had to be
        self.nonlinearity = nonlinearity    # for recognise.find_structure
        self.every_step = every_step
        self.line = line                    # one line: checked against the forward, or assumed
        self.checked = checked              # True when the forward was run and agreed
        self.notes = list(notes)


def _refuse_activation(mf, leaf, kind, structure):
    head = " → ".join(f"Linear {w.shape[1]}→{w.shape[0]}" for w, _ in structure.head)
    if kind in SOFTMAX_TYPES:
        raise ExportError(f"{mf.path}: {leaf} is an nn.{kind}; the blob's scores are the last Linear's logits "
                          f"(argmax is the same without it): save the model without the nn.{kind}")
    if kind == "ReLU":
        raise ExportError(f"{mf.path}: {leaf} is an nn.ReLU, but the head is one Linear ({head}); NanoRnn takes "
                          "nn.ReLU only between two head Linears")
    raise ExportError(f"{mf.path}: {leaf} is an nn.{kind}; NanoRnn's head is one nn.Linear, or two with nn.ReLU or "
                      f"nothing between them: {kind} is not supported (train with nn.ReLU)")


def head_activation(mf, structure):
    """What lies between a two-Linear head's Linears: 'relu', 'identity', or None when no module
    says (the forward may call nn.functional.relu, or nothing). Refuses other activations by name."""
    leaves = dict(mf.leaves)
    linears = [name[:-len(".weight")] for name in structure.head_names]
    for leaf, kind in mf.leaves:
        if kind in modelfile.ACTIVATION_TYPES and (kind != "ReLU" or len(linears) == 1):
            _refuse_activation(mf, leaf, kind, structure)
    if len(linears) == 1:
        return None
    parents = {name.rpartition(".")[0] for name in linears}
    first, second = (name.rpartition(".")[2] for name in linears)
    if len(parents) == 1 and first.isdigit() and second.isdigit():
        # Both in one nn.Sequential: its order is the forward's.
        parent = parents.pop()
        prefix = parent + "." if parent else ""
        between = [leaves.get(prefix + str(i)) for i in range(int(first) + 1, int(second))]
        after = [f"{prefix}{i}" for i in range(int(second) + 1, int(second) + 8) if leaves.get(prefix + str(i)) == "ReLU"]
        if after:
            raise ExportError(f"{mf.path}: {after[0]} is an nn.ReLU after the head's last Linear ({linears[1]}); "
                              "NanoRnn takes nn.ReLU only between the two head Linears")
        if "ReLU" in between:
            return "relu"
        if all(kind in modelfile.NEUTRAL_TYPES for kind in between):
            return "identity"
        return None
    return "relu" if "ReLU" in leaves.values() else None


def _unknown_leaves(mf):
    known = modelfile.RECURRENT_TYPES + modelfile.ACTIVATION_TYPES + modelfile.NEUTRAL_TYPES + ("Linear",)
    return [f"{kind} ({leaf})" for leaf, kind in mf.leaves
            if kind not in known and not kind.endswith("Loss")]


def check_inputs(calibration, channels):
    """[x N×T×C]: sequences drawn uniformly across the calibration data's per-channel range (or
    standard normal: standardised inputs) and, with calibration data, a few of its sequences."""
    rng = np.random.default_rng(CHECK_SEED)
    shape = (CHECK_SEQUENCES, CHECK_STEPS, channels)
    if calibration is None:
        return [rng.normal(0.0, 1.0, shape)], "standard normal inputs (the standardised range)"
    low, high = calibration.min(axis=(0, 1)), calibration.max(axis=(0, 1))
    sample = calibration[:CALIBRATION_SEQUENCES, :CALIBRATION_STEPS]
    return [rng.uniform(low, high, shape), sample], "the calibration data's range and its first sequences"


def _forward(module, x, layout, dtype):
    """The module's output on x [N,T,C] fed batch-first or time-first, as float64 numpy."""
    fed = x if layout == "batch" else x.transpose(1, 0, 2)
    with torch.no_grad():
        out = module(torch.as_tensor(np.ascontiguousarray(fed), dtype=dtype))
    if isinstance(out, (tuple, list)) and out:
        out = out[0]
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"forward returned a {type(out).__name__}, not a tensor")
    return out.detach().double().cpu().numpy()


def _as_logits(out, layout, n, steps, classes):
    """(logits [N,K] or [N,T,K], every step?) from a forward's output, or None if its shape is neither."""
    if out.shape == (n, classes):
        return out, False
    if layout == "batch" and out.shape == (n, steps, classes):
        return out, True
    if layout == "time" and out.shape == (steps, n, classes):
        return out.transpose(1, 0, 2), True
    return None


def _later_batch(run, batch, layout, dtype, classes, per_step):
    """The forward on a further batch, the layout and output form settled; NaN where it fails to fit."""
    try:
        shaped = _as_logits(_forward(run, batch, layout, dtype), layout, *batch.shape[:2], classes)
    except Exception:  # user code that ran once and not again: count it as a mismatch
        shaped = None
    if shaped is None or shaped[1] != per_step:
        return np.full((batch.shape[0],) + ((batch.shape[1],) if per_step else ()) + (classes,), np.nan)
    return shaped[0]


def _runs(module):
    """(module, precision, torch dtype) to try: a float64 copy first (exact comparison), then as saved."""
    try:
        yield copy.deepcopy(module).double(), "float64", torch.float64
    except Exception:  # a module that cannot be copied or converted is run as it is
        pass
    yield module, "float32", torch.float32


class _Mismatch:
    def __init__(self):
        self.delta, self.text, self.errors, self.shapes = None, None, [], []

    def record(self, delta, text):
        if self.delta is None or delta < self.delta:
            self.delta, self.text = delta, text


def _compare(candidates, module, batches, classes):
    """Run the forward and find the candidate it matches: (candidate, every step?, delta, precision)
    or (None, _Mismatch)."""
    mismatch = _Mismatch()
    x = batches[0]
    n, steps, _ = x.shape
    for run, precision, dtype in _runs(module):
        for layout in ("batch", "time"):
            try:
                out = _forward(run, x, layout, dtype)
            except Exception as e:  # any failure of user code: report it, try the next way
                mismatch.errors.append(f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}")
                continue
            shaped = _as_logits(out, layout, n, steps, classes)
            if shaped is None:
                mismatch.shapes.append(out.shape)
                continue
            logits, per_step = shaped
            for candidate in candidates:
                worst, scale = 0.0, 1.0
                for index, batch in enumerate(batches):
                    got = logits if index == 0 else _later_batch(run, batch, layout, dtype, classes, per_step)
                    _, expected = float_reference.run(candidate[1], batch)
                    expected = expected if per_step else expected[:, -1]
                    delta = float(np.max(np.abs(got - expected))) if np.all(np.isfinite(got)) else float("inf")
                    worst, scale = max(worst, delta), max(scale, 1.0 + float(np.max(np.abs(expected))))
                if worst <= TOLERANCE[precision] * scale:
                    return candidate, per_step, worst, precision
                mismatch.record(worst, f"max |Δlogit| {worst:.3g} against a largest |logit| of {scale - 1:.3g} "
                                       f"({precision}, {'every step' if per_step else 'last step'}, "
                                       f"{'batch' if layout == 'batch' else 'time'} first)")
        if mismatch.delta is not None:
            break           # it ran in float64: float32 would only add rounding
    return None, mismatch


def _assumptions(structure, nonlinearity, told, mlp):
    parts = []
    if structure.layers[0].cell in (blob.CELL_RNN_TANH, blob.CELL_RNN_RELU):
        parts.append(f"nn.RNN nonlinearity {told}" if told else
                     "nn.RNN nonlinearity tanh, PyTorch's default (--rnn-nonlinearity relu for relu)")
    if mlp:
        parts.append("ReLU between the head's Linears")
    return f" ({'; '.join(parts)})" if parts else ""


def interpret(mf, calibration=None, every_step=False, rnn_nonlinearity=None):
    """Recognise mf (a modelfile.ModelFile), check it against its forward where it has code, and
    say what was checked or assumed. Raises ExportError when the forward disagrees."""
    name = os.path.basename(mf.path.rstrip(os.sep))
    for prefix, stated in mf.nonlinearity.items():
        if rnn_nonlinearity and stated and stated != rnn_nonlinearity:
            raise ExportError(f"{mf.path}: --rnn-nonlinearity {rnn_nonlinearity}, but its nn.RNN "
                              f"({prefix.rstrip('.') or 'the model itself'}) says {stated}")
    stated = {p: v for p, v in mf.nonlinearity.items() if v}
    nonlinearity = rnn_nonlinearity or stated or None
    structure = recognise.find_structure(mf.state, nonlinearity)
    channels = structure.channels
    if calibration is not None and calibration.shape[2] != channels:
        raise ExportError(f"calibration data has {calibration.shape[2]} channels, the model takes {channels}")
    unknown_rnn = (structure.layers[0].cell in (blob.CELL_RNN_TANH, blob.CELL_RNN_RELU)
                   and not nonlinearity and mf.module is not None)
    activation = head_activation(mf, structure) if mf.module is not None and len(structure.head) == 2 else "relu"
    notes = list(mf.notes)
    if mf.module is None:
        what = recognise.describe(structure, every_step) + _assumptions(structure, nonlinearity, rnn_nonlinearity,
                                                                      len(structure.head) == 2)
        line = (f"{mf.kind}: assumed {what}; pass the whole module or a TorchScript file to have it checked")
        return Interpretation(mf.state, nonlinearity, every_step, line, False, notes)

    candidates = []     # (state, its structure, nonlinearity, what lies between the head's Linears)
    for nl in (["tanh", "relu"] if unknown_rnn else [nonlinearity]):
        for act in (["relu", "identity"] if activation is None else [activation]):
            state = mf.state if act == "relu" or len(structure.head) == 1 else recognise.fold_head(mf.state, structure)
            candidates.append((state, recognise.find_structure(state, nl), nl, act))
    folded_note = ("head: its two Linears have nothing between them, so they are one Linear "
                   "(folded: W2·W1, W2·b1 + b2)")
    first_state, first, first_nl, first_act = candidates[0]
    if mf.runnable is not None:
        if first_act == "identity":
            notes.append(folded_note)
        what = recognise.describe(first, every_step) + _assumptions(first, first_nl, rnn_nonlinearity,
                                                                   activation is None and len(structure.head) == 2)
        line = (f"{mf.kind} {name}: {mf.runnable}; assumed {what}; pass a TorchScript file (torch.jit.script or "
                "torch.jit.trace) to have it checked")
        return Interpretation(first_state, first_nl, every_step, line, False, notes)

    batches, where = check_inputs(calibration, channels)
    classes = structure.classes
    with modelfile.quiet():     # torch warns about .grad while converting a TorchScript copy
        found = _compare(candidates, mf.module, batches, classes)
    if found[0] is None:
        mismatch = found[1]
        what = recognise.describe(first, every_step)
        extra = _unknown_leaves(mf)
        holds = f"; the model also holds {', '.join(extra)}, which NanoRnn does not know" if extra else ""
        if mismatch.delta is None and not mismatch.shapes:
            line = (f"{mf.kind} {name}: its forward did not run on a float tensor of shape "
                    f"{CHECK_SEQUENCES}×{CHECK_STEPS}×{channels} ({mismatch.errors[0] if mismatch.errors else 'no output'}), "
                    f"so it is not checked; assumed {what}")
            return Interpretation(first_state, first_nl, every_step, line, False, notes)
        if mismatch.delta is None:
            raise ExportError(f"{mf.path}: its forward returns shape {mismatch.shapes[0]}, expected "
                              f"({CHECK_SEQUENCES}, {classes}) or ({CHECK_SEQUENCES}, {CHECK_STEPS}, {classes}) for "
                              f"{CHECK_SEQUENCES} sequences of {CHECK_STEPS} steps; recognised {what}{holds}; {SUPPORTED}")
        raise ExportError(f"{mf.path}: its forward does not compute the model recognised from its parameters "
                          f"({what}): on {where}, {mismatch.text}{holds}; {SUPPORTED}")
    (state, recognised, nl, act), per_step, delta, precision = found
    if per_step and not every_step:
        notes.append("head: the forward returns logits for every step, so it is exported as --every-step")
    every_step = every_step or per_step
    if act == "identity" and len(structure.head) == 2:
        notes.append(folded_note)
    if unknown_rnn:
        notes.append(f"nn.RNN nonlinearity: {nl}, from what the forward computes")
    line = (f"checked: the forward of {name} ({mf.kind}) on {where} matches "
            f"{recognise.describe(recognised, every_step)} within float rounding (max |Δlogit| {delta:.2g}, {precision})")
    return Interpretation(state, nl, every_step, line, True, notes)
