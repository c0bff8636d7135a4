"""Every recognised structure on random untrained models: float PyTorch vs the NanoRnn integer
reference vs PyTorch dynamic int8 (`quantize.py structures --output docs/accuracy.md` writes the table;
the tests use the same models and seeds)."""
import numpy as np
import torch

from . import compare, export, generated
from .progress import silent

HEADER = ("| model (random weights) | NanoRnn agreement | NanoRnn max \\|Δlogit\\| | dynamic agreement "
          "| dynamic max \\|Δlogit\\| |")
REGION = "structures"      # the region of docs/accuracy.md the table goes into


class Recurrent(torch.nn.Module):
    """nn.LSTM / nn.GRU / nn.RNN (`cell`), `layers` deep, then a Linear or an MLP head (`mlp` units),
    on the last step or on every step."""

    def __init__(self, cell, channels, hidden, classes, layers=1, mlp=0, every_step=False,
                 nonlinearity="tanh", bias=True):
        super().__init__()
        kwargs = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        make = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell]
        self.rnn = make(channels, hidden, num_layers=layers, batch_first=True, bias=bias, **kwargs)
        self.head = (torch.nn.Sequential(torch.nn.Linear(hidden, mlp), torch.nn.ReLU(), torch.nn.Linear(mlp, classes))
                     if mlp else torch.nn.Linear(hidden, classes))
        self.every_step = every_step

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out if self.every_step else out[:, -1])


# cell, channels, hidden, classes, layers, MLP units, every step, nonlinearity
STRUCTURES = [
    ("gru", 6, 32, 5, 1, 0, False, "tanh"),
    ("gru", 3, 13, 4, 2, 0, False, "tanh"),
    ("gru", 4, 16, 3, 4, 0, False, "tanh"),
    ("rnn", 6, 30, 5, 1, 0, False, "tanh"),
    ("rnn", 6, 24, 5, 1, 0, False, "relu"),
    ("rnn", 4, 19, 3, 2, 0, False, "relu"),
    ("lstm", 6, 20, 4, 3, 0, False, "tanh"),
    ("lstm", 6, 24, 5, 1, 12, False, "tanh"),
    ("gru", 6, 24, 5, 2, 0, True, "tanh"),
    ("lstm", 3, 10, 4, 2, 7, True, "tanh"),
]


def measure(index):
    """Figures (compare.compare) of STRUCTURES[index]: seed = index, 300 random sequences of 25 steps."""
    cell, channels, hidden, classes, layers, mlp, every_step, nonlinearity = STRUCTURES[index]
    torch.manual_seed(index)
    module = Recurrent(cell, channels, hidden, classes, layers, mlp, every_step, nonlinearity)
    rng = np.random.default_rng(index)
    x = rng.normal(0, 1, (300, 25, channels))
    calibration = rng.normal(0, 1, (64, 25, channels))
    state = {k: v.detach().double().numpy() for k, v in module.state_dict().items()}
    model = export.quantize(state, calibration, nonlinearity=nonlinearity, every_step=every_step).model
    return compare.compare(module, model, x, every_step=every_step)


def describe(index):
    cell, channels, hidden, classes, layers, mlp, every_step, nonlinearity = STRUCTURES[index]
    name = {"lstm": "LSTM", "gru": "GRU", "rnn": f"RNN-{nonlinearity}"}[cell]
    return (f"{name} {channels}→{hidden}" + (f" ×{layers}" if layers > 1 else "")
            + (f", MLP {mlp}" if mlp else "") + f", {classes} classes" + (", every step" if every_step else ""))


def markdown(progress=silent):
    lines = [HEADER, "|---|--:|--:|--:|--:|"]
    for index in range(len(STRUCTURES)):
        progress(f"{describe(index)} ({index + 1} of {len(STRUCTURES)})")
        f = measure(index)
        dynamic = "" if STRUCTURES[index][0] != "rnn" else " (RNN left float)"
        lines.append(f"| {describe(index)} | {f['nanornn_agreement']:.2%} | {f['nanornn_max_dlogit']:.4f} | "
                     f"{f['dynamic_agreement']:.2%}{dynamic} | {f['dynamic_max_dlogit']:.4f} |")
    return "\n".join(lines)


def write(path, command, progress=silent):
    """The table into `path`'s structures region (or as the whole file) with its provenance line."""
    return generated.write(path, REGION, command, markdown(progress))
