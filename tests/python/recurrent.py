"""Small PyTorch models of every recognised structure, for the parity and end-to-end tests."""
import torch


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
