"""Recognising a model's structure from its parameter names and shapes, before anything is quantised.

Recognised: one unidirectional `nn.LSTM`, `nn.GRU` or `nn.RNN` (tanh or relu) of 1 to 4 layers
under any attribute name, then a head of one `nn.Linear`, or two (`Linear -> ReLU -> Linear`, an
MLP). Anything else is refused by name. A state_dict does not say whether an `nn.RNN` uses tanh or
relu: PyTorch's default, tanh, is assumed unless told (`nonlinearity`); a whole module says it
itself (modelfile.py reads it, verify.py checks it against the forward).
"""
import numpy as np

from . import blob
from .errors import ExportError


class RecurrentLayer:
    """One layer of the recognised recurrent module, in PyTorch's own terms and gate order
    (LSTM i f g o, GRU r z n): float64 arrays as the state_dict holds them."""

    def __init__(self, cell, w_ih, w_hh, b_ih, b_hh, prefix):
        self.cell = cell          # blob.CELL_*
        self.w_ih = w_ih          # [gates * H, in]
        self.w_hh = w_hh          # [gates * H, H]
        self.b_ih = b_ih          # [gates * H] (zeros for bias=False)
        self.b_hh = b_hh          # [gates * H]
        self.prefix = prefix      # the module's parameter prefix, e.g. "lstm."

    @property
    def hidden(self):
        return self.w_hh.shape[1]


class Structure:
    """What find_structure recognised: recurrent layers, then one or two head Linears."""

    def __init__(self, layers, head, head_names):
        self.layers = layers          # [RecurrentLayer]
        self.head = head              # [(weight [out, in], bias [out])], 1 = linear, 2 = MLP
        self.head_names = head_names  # their weight names

    @property
    def channels(self):
        return self.layers[0].w_ih.shape[1]

    @property
    def classes(self):
        return self.head[-1][0].shape[0]


_CELL_BY_GATES = {4: blob.CELL_LSTM, 3: blob.CELL_GRU, 1: blob.CELL_RNN_TANH}


def find_structure(state, nonlinearity=None):
    """Locate the recurrent layers and the head in a state_dict; refuse anything else by name.

    nonlinearity: 'tanh' or 'relu' for an nn.RNN (None: tanh, PyTorch's default), or a dict
    {module prefix: nonlinearity} as modelfile.ModelFile.nonlinearity holds it.
    """
    prefixes = [k[:-len("weight_ih_l0")] for k in state if k.endswith("weight_ih_l0")]
    if not prefixes:
        raise ExportError("no recurrent layer found (no parameter named *weight_ih_l0)")
    if len(prefixes) > 1:
        raise ExportError(f"{len(prefixes)} recurrent modules found ({', '.join(p.rstrip('.') for p in prefixes)}); one is supported")
    p = prefixes[0]
    for name in state:
        if name.startswith(p) and name.endswith("_reverse"):
            raise ExportError(f"{name}: bidirectional=True cannot stream (the reverse direction needs the "
                              "whole sequence first); train with bidirectional=False")
        if name.startswith(p) and "weight_hr_l" in name:
            raise ExportError(f"{name}: LSTM proj_size is not supported; train with proj_size=0 "
                              "(or add an nn.Linear head of that size instead)")
    if isinstance(nonlinearity, dict):
        nonlinearity = nonlinearity.get(p)
    if nonlinearity not in (None, "tanh", "relu"):
        raise ExportError(f"RNN nonlinearity {nonlinearity!r} is not tanh or relu")

    layers, used = [], set()
    while p + f"weight_ih_l{len(layers)}" in state:
        index = len(layers)
        if index == blob.MAX_LAYERS:
            raise ExportError(f"{p}weight_ih_l{index}: num_layers > {blob.MAX_LAYERS} is not supported; "
                              f"use num_layers <= {blob.MAX_LAYERS}")
        names = [p + f"{n}_l{index}" for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        w_ih, w_hh = state[names[0]], state.get(names[1])
        if w_hh is None or w_ih.ndim != 2 or w_hh.ndim != 2:
            raise ExportError(f"{names[1]} is missing or {names[0]} is not a matrix")
        hidden = w_hh.shape[1]
        gates = w_hh.shape[0] // hidden if hidden else 0
        if gates not in _CELL_BY_GATES or gates * hidden != w_hh.shape[0] or w_ih.shape[0] != w_hh.shape[0]:
            raise ExportError(f"{names[0]} {w_ih.shape} and {names[1]} {w_hh.shape} are not the shapes "
                              "of an LSTM, GRU or RNN layer")
        cell = _CELL_BY_GATES[gates]
        if cell == blob.CELL_RNN_TANH and nonlinearity == "relu":
            cell = blob.CELL_RNN_RELU
        if layers and (cell != layers[0].cell or w_ih.shape[1] != layers[-1].hidden):
            raise ExportError(f"{names[0]} has shape {w_ih.shape}; layer {index} of this module needs "
                              f"({gates * hidden}, {layers[-1].hidden})")
        biases = []
        for name in names[2:]:
            b = state.get(name, np.zeros(gates * hidden))
            if b.shape != (gates * hidden,):
                raise ExportError(f"{name} has shape {b.shape}, expected ({gates * hidden},)")
            biases.append(b)
        layers.append(RecurrentLayer(cell, w_ih, w_hh, biases[0], biases[1], p))
        used.update(names)
    for name in state:
        if name.startswith(p) and name not in used:
            raise ExportError(f"parameter {name} {tuple(state[name].shape)} is not understood "
                              f"(layers are numbered from 0 without gaps)")

    hidden = layers[-1].hidden
    rest = [k for k in state if k not in used]
    weights = [k for k in rest if k.endswith("weight") and state[k].ndim == 2]
    if not weights:
        raise ExportError("no linear head found (a 2-D *weight after the recurrent layers)")
    if len(weights) > 2:
        raise ExportError(f"{weights[2]}: a head of one Linear, or two with a ReLU between them, is "
                          f"supported (found {', '.join(weights)})")
    head, width = [], hidden
    for name in weights:
        w = state[name]
        if w.shape[1] != width:
            what = "a head on the last hidden state" if width == hidden and not head else "the second Linear"
            raise ExportError(f"{name} has shape {w.shape}; {what} needs {width} columns")
        hp = name[:-len("weight")]
        b = state.get(hp + "bias", np.zeros(w.shape[0]))
        if b.shape != (w.shape[0],):
            raise ExportError(f"{hp}bias has shape {b.shape}, expected ({w.shape[0]},)")
        head.append((w, b))
        used.update((name, hp + "bias"))
        width = w.shape[0]
    extra = [k for k in rest if k not in used]
    if extra:
        raise ExportError(f"parameter {extra[0]} {tuple(state[extra[0]].shape)} is not understood "
                          "(NanoRnn takes one LSTM, GRU or RNN module and a Linear or "
                          "Linear-ReLU-Linear head)")
    return Structure(layers, head, weights)


def describe(structure, every_step=False):
    """One phrase for what was recognised: 'LSTM 6→24, then Linear 24→5 on the last step'."""
    layers = structure.layers
    sizes = "→".join([str(structure.channels)] + [str(layer.hidden) for layer in layers])
    head = " → ReLU → ".join(f"Linear {w.shape[1]}→{w.shape[0]}" for w, _ in structure.head)
    return (f"{blob.CELL_NAMES[layers[0].cell]} {sizes}, then {head} "
            f"{'on every step' if every_step else 'on the last step'}")


def fold_head(state, structure):
    """The state with a head of two Linears that have nothing between them made one Linear:
    W2 (W1 h + b1) + b2 = (W2 W1) h + (W2 b1 + b2), under the second Linear's names."""
    (w1, b1), (w2, b2) = structure.head
    first, second = structure.head_names
    folded = {k: v for k, v in state.items() if k not in (first, first[:-len("weight")] + "bias")}
    folded[second] = w2 @ w1
    folded[second[:-len("weight")] + "bias"] = w2 @ b1 + b2
    return folded
