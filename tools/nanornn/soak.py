"""Soak: long runs of adversarial int16 inputs through the integer reference, with checkpoints.

The desktop `soak` command (tools/NanoRnn.Desktop/Robustness/SoakCommand.cs) runs the firmware's
RnnNetwork on the same inputs and writes the same CSV; the two files must be identical.

Inputs come from one 64-bit LCG per stream (Knuth's MMIX constants), advanced once per channel per
step; with r = the top 16 bits of the new state, the step's mode ((t >> 10) + stream) % 4 makes
  0 full scale:  32767 if r >= 32768 else -32768
  1 square wave: 32767 if (t // (4 + channel)) is odd else -32768
  2 noise:       r - 32768
  3 quiet:       (r & 63) - 32
Stream s starts from state seed * 1000003 + s.
"""
import numpy as np

from . import reference

LCG_MULTIPLIER = np.uint64(6364136223846793005)
LCG_INCREMENT = np.uint64(1442695040888963407)
MODE_SHIFT = 10
SEED_STRIDE = 1000003


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


def run(model, streams, steps, every, seed):
    """CSV text: one row per stream and checkpoint (every `every` steps): q, then h, then c."""
    states = initial_states(seed, streams)
    h = np.zeros((streams, model.hidden_size), dtype=np.int64)
    c = np.zeros((streams, model.hidden_size), dtype=np.int64)
    rows = {}
    for t in range(steps):
        x, states = samples(states, t, model.input_channels)
        _, _, c, h = reference.lstm_step(model, x, h, c)
        if (t + 1) % every == 0:
            q = reference.head(model, h)
            for s in range(streams):
                rows[(s, t + 1)] = [s, t + 1] + list(q[s]) + list(h[s]) + list(c[s])
    return csv_text(model, [rows[key] for key in sorted(rows)])


def csv_text(model, rows):
    k, hidden = model.class_count, model.hidden_size
    header = (["stream", "step"] + [f"q{i}" for i in range(k)] + [f"h{j}" for j in range(hidden)]
              + [f"c{j}" for j in range(hidden)])
    return "\n".join([",".join(header)] + [",".join(str(int(v)) for v in row) for row in rows]) + "\n"
