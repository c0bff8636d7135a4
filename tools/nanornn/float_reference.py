"""The float reference: a recognised model (recognise.Structure) evaluated in float64 with PyTorch's
semantics, step by step, keeping every stage. Export calibrates on it, calibration and verify
measure against it, trace and report compare the integer reference's stages with it.

Per layer, with the blocks laid out as the integer reference lays out its stages (reference.py):

    LSTM   pre    W_ih x + b_ih + W_hh h + b_hh, blocks i f g o
           gates  i, f, o = σ(pre_i, pre_f, pre_o), g = tanh(pre_g)
           cell   c' = f ⊙ c + i ⊙ g
           hidden h' = o ⊙ tanh(c')
    GRU    pre    r, z: W_i* x + b_i* + W_h* h + b_h*; n_x = W_in x + b_in; n_h = W_hn h + b_hn
           gates  r, z = σ(pre_r, pre_z), n = tanh(n_x + r ⊙ n_h), and r ⊙ n_h
           hidden h' = (1 - z) ⊙ n + z ⊙ h
    RNN    pre    W_ih x + b_ih + W_hh h + b_hh
           hidden h' = tanh(pre) or relu(pre)
    head   Linear, or Linear -> ReLU -> Linear, on the last layer's h
"""
import numpy as np

from . import blob


def sigmoid(v):
    """1 / (1 + e^-v); e^-v overflows to inf for v below about -709, which gives the right 0."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-v))


def step(layer, x, h, c):
    """One step of a recognise.RecurrentLayer on x [N,in] from (h, c) [N,H]: ({stage: [N,width]}, h', c')."""
    if layer.cell == blob.CELL_LSTM:
        pre = x @ layer.w_ih.T + layer.b_ih + h @ layer.w_hh.T + layer.b_hh
        zi, zf, zg, zo = np.split(pre, 4, axis=1)
        i, f, g, o = sigmoid(zi), sigmoid(zf), np.tanh(zg), sigmoid(zo)
        c = f * c + i * g
        h = o * np.tanh(c)
        return {"pre": pre, "gates": np.concatenate([i, f, g, o], axis=1), "cell": c, "hidden": h}, h, c
    if layer.cell == blob.CELL_GRU:
        gx = x @ layer.w_ih.T + layer.b_ih
        gh = h @ layer.w_hh.T + layer.b_hh
        (rx, zx, nx), (rh, zh, nh) = np.split(gx, 3, axis=1), np.split(gh, 3, axis=1)
        r, z = sigmoid(rx + rh), sigmoid(zx + zh)
        n = np.tanh(nx + r * nh)
        h = (1 - z) * n + z * h
        return {"pre": np.concatenate([rx + rh, zx + zh, nx, nh], axis=1),
                "gates": np.concatenate([r, z, n, r * nh], axis=1), "hidden": h}, h, c
    pre = x @ layer.w_ih.T + layer.b_ih + h @ layer.w_hh.T + layer.b_hh
    h = np.tanh(pre) if layer.cell == blob.CELL_RNN_TANH else np.maximum(pre, 0.0)
    return {"pre": pre, "hidden": h}, h, c


def run_layer(layer, x):
    """One layer over x [N,T,in] from the zero state: {stage: [N,T,width]}."""
    n, steps = x.shape[0], x.shape[1]
    h, c = np.zeros((n, layer.hidden)), np.zeros((n, layer.hidden))
    out = {}
    for t in range(steps):
        values, h, c = step(layer, x[:, t], h, c)
        for name, value in values.items():
            out.setdefault(name, np.zeros((n, steps, value.shape[1])))[:, t] = value
    return out


def head(structure, h):
    """The head on h [..., H]: logits [..., K] (ReLU between an MLP's two Linears)."""
    for w, b in structure.head[:-1]:
        h = np.maximum(h @ w.T + b, 0.0)
    w, b = structure.head[-1]
    return h @ w.T + b


def run(structure, x):
    """The whole model on x [N,T,C]: ([{stage: [N,T,width]} per layer], logits after every step [N,T,K])."""
    v = np.asarray(x, dtype=np.float64)
    layers = []
    for layer in structure.layers:
        layers.append(run_layer(layer, v))
        v = layers[-1]["hidden"]
    return layers, head(structure, v)
