"""Soak: long runs of adversarial int16 inputs through the integer reference, with checkpoints.

Any model the reference runs (stacks, GRU, RNN, MLP heads): the checkpoints hold the head's
scores and the last layer's h and, for an LSTM, c. The desktop `soak` command (tools/NanoRnn.Desktop/Robustness/SoakCommand.cs) runs the firmware's
RnnNetwork on the same inputs and writes the same CSV; the two files must be identical.

Inputs come from one 64-bit LCG per stream (Knuth's MMIX constants), advanced once per channel per
step; with r = the top 16 bits of the new state, the step's mode ((t >> 10) + stream) % 4 makes
  0 full scale:  32767 if r >= 32768 else -32768
  1 square wave: 32767 if (t // (4 + channel)) is odd else -32768
  2 noise:       r - 32768
  3 quiet:       (r & 63) - 32
Stream s starts from state seed * 1000003 + s.

Given inputs instead (`--input`: sequences as int16 counts), stream s replays sequence s over and
over, step t taking its step t mod its length.
"""
import numpy as np

from . import blob, reference
from .progress import silent

LCG_MULTIPLIER = np.uint64(6364136223846793005)
LCG_INCREMENT = np.uint64(1442695040888963407)
MODE_SHIFT = 10
SEED_STRIDE = 1000003
DEFAULT_STREAMS = 4
PROGRESS_STEPS = 100     # steps between progress reports


def initial_states(seed, streams):
    return (np.arange(streams, dtype=np.uint64) + np.uint64(seed) * np.uint64(SEED_STRIDE)).astype(np.uint64)


def samples(states, t, channels):
    """The inputs of step t for every stream: (int64 [S, C], advanced states)."""
    streams = states.shape[0]
    x = np.zeros((streams, channels), dtype=np.int64)
    mode = ((t >> MODE_SHIFT) + np.arange(streams)) % 4
    for ch in range(channels):
        states = states * LCG_MULTIPLIER + LCG_INCREMENT
        r = (states >> np.uint64(48)).astype(np.int64)
        square = 32767 if (t // (4 + ch)) % 2 == 1 else -32768
        x[:, ch] = np.select([mode == 0, mode == 1, mode == 2],
                             [np.where(r >= 32768, 32767, -32768), square, r - 32768],
                             (r & 63) - 32)
    return x, states


def run(model, streams, steps, every, seed, inputs=None, lengths=None, progress=silent):
    """CSV text: one row per stream and checkpoint (every `every` steps): q, then the last layer's
    h, then its c (LSTM only). inputs: int16 counts [S,T,C] to replay instead of the generator (S
    streams), each sequence its first lengths[s] steps (all T without lengths). progress: told the
    step every PROGRESS_STEPS steps."""
    if inputs is not None:
        streams = inputs.shape[0]
        lengths = np.full(streams, inputs.shape[1]) if lengths is None else np.asarray(lengths)
    states = initial_states(seed, streams)
    state = [(np.zeros((streams, layer.hidden_size), dtype=np.int64),
              np.zeros((streams, layer.hidden_size if layer.cell_type == blob.CELL_LSTM else 0), dtype=np.int64))
             for layer in model.layers]
    rows = {}
    for t in range(steps):
        if t % PROGRESS_STEPS == 0:
            progress(f"step {t} of {steps}, {streams} streams")
        if inputs is None:
            v, states = samples(states, t, model.input_channels)
        else:
            v = inputs[np.arange(streams), t % lengths]
        for index, layer in enumerate(model.layers):
            h, c = state[index]
            _, _, c, h = reference.layer_step(layer, v, h, c)
            state[index] = (h, c)
            v = h
        if (t + 1) % every == 0:
            q = reference.head(model, v)
            h, c = state[-1]
            for s in range(streams):
                rows[(s, t + 1)] = [s, t + 1] + list(q[s]) + list(h[s]) + list(c[s])
    return csv_text(model.class_count, state[-1][0].shape[1], state[-1][1].shape[1],
                    [rows[key] for key in sorted(rows)])


def csv_text(classes, hidden, cells, rows):
    header = (["stream", "step"] + [f"q{i}" for i in range(classes)] + [f"h{j}" for j in range(hidden)]
              + [f"c{j}" for j in range(cells)])
    return "\n".join([",".join(header)] + [",".join(str(int(v)) for v in row) for row in rows]) + "\n"
