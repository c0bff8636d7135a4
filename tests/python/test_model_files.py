"""The ways people save models, and the check of what the tool recognised against the model's own code.

A file that carries code (TorchScript, or a pickled module whose class imports) is run and compared
with the float model recognised from its parameters: what agrees is exported, what does not is
refused with how far apart the two are. A state_dict has no code: the tool says what it assumed.
"""
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import torch

from conftest import run_quantize
from nanornn import blob, compare, demo, export, modelfile, recognise, reference, structures, verify
from nanornn.errors import ExportError

X = np.random.default_rng(5).normal(0, 1, (200, 15, 3))


class Rnn(torch.nn.Module):
    def __init__(self, nonlinearity="relu"):
        super().__init__()
        self.rnn = torch.nn.RNN(3, 8, nonlinearity=nonlinearity, batch_first=True)
        self.fc = torch.nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1])


class Head(torch.nn.Module):
    """An LSTM and a head of two Linears with `between` (modules, in a Sequential) between them."""

    def __init__(self, *between):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 8, batch_first=True)
        self.head = torch.nn.Sequential(torch.nn.Linear(8, 6), *between, torch.nn.Linear(6, 2))

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


class Attributes(torch.nn.Module):
    """Two head Linears as attributes, with relu from nn.functional or nothing: no module says which."""

    def __init__(self, relu):
        super().__init__()
        self.relu = relu
        self.lstm = torch.nn.LSTM(3, 8, batch_first=True)
        self.fc1 = torch.nn.Linear(8, 6)
        self.fc2 = torch.nn.Linear(6, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        v = self.fc1(out[:, -1])
        return self.fc2(torch.relu(v) if self.relu else v)


class Pooled(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 8, batch_first=True)
        self.fc = torch.nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out.mean(1))


class TimeFirstEveryStep(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(3, 8)
        self.fc = torch.nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out)


def saved(tmp_path, module, how, name="model.pt"):
    torch.manual_seed(3)
    path = tmp_path / name
    module.eval()
    if how == "script":
        torch.jit.script(module).save(str(path))
    elif how == "trace":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # torch's TracerWarning about the shape checks it records
            torch.jit.trace(module, torch.zeros(2, 5, 3)).save(str(path))
    else:
        torch.save(module if how == "module" else module.state_dict(), path)
    return path


def integer_logits(seen, x):
    """The blob exported from an interpretation, through the integer reference, as logits."""
    model = export.quantize(seen.state, x[:64], nonlinearity=seen.nonlinearity, every_step=seen.every_step).model
    stages = reference.run(model, reference.quantize_input(model, x))
    return reference.logits(model, stages["q_steps" if seen.every_step else "q"])


def interpret(path, **options):
    return verify.interpret(modelfile.load(str(path)), **options)


@pytest.mark.parametrize("how", ["script", "trace"])
def test_torchscript_rnn_relu_is_exported_as_relu_and_matches_its_forward(tmp_path, how):
    torch.manual_seed(1)
    module = Rnn("relu")
    path = saved(tmp_path, module, how)
    np.save(tmp_path / "cal.npy", X[:64])
    result = run_quantize("export", path, "-o", tmp_path / "m.nrnn", "--calibration", tmp_path / "cal.npy")
    assert result.returncode == 0, result.stderr
    assert blob.read(tmp_path / "m.nrnn").cell_type == blob.CELL_RNN_RELU
    assert "checked: the forward of model.pt (TorchScript)" in result.stdout
    # Against the file's own forward, not against the tool's idea of it.
    np.save(tmp_path / "x.npy", X)
    ref = run_quantize("reference", tmp_path / "m.nrnn", tmp_path / "x.npy", "-o", tmp_path / "r.csv")
    assert ref.returncode == 0, ref.stderr
    rows = [line.split(",") for line in (tmp_path / "r.csv").read_text().splitlines()[1:]]
    logits = np.array([[float(v) for v in row[3:]] for row in rows])
    forward = compare.float_logits(torch.jit.load(str(path)), X)
    assert np.mean(np.argmax(logits, 1) == np.argmax(forward, 1)) >= 0.98
    assert np.max(np.abs(logits - forward)) < 0.02


@pytest.mark.parametrize("between,kind", [((torch.nn.Tanh(),), "Tanh"), ((torch.nn.Sigmoid(),), "Sigmoid"),
                                          ((torch.nn.GELU(),), "GELU")])
@pytest.mark.parametrize("how", ["script", "module"])
def test_other_head_activations_are_refused_by_name(tmp_path, between, kind, how):
    path = saved(tmp_path, Head(*between), how)
    with pytest.raises(ExportError, match=f"head.1 is an nn.{kind}; NanoRnn's head is one nn.Linear, or two with "
                                          f"nn.ReLU or nothing between them: {kind} is not supported"):
        interpret(path)


def test_torchscript_tanh_head_is_refused_by_the_cli_and_report(tmp_path):
    path = saved(tmp_path, Head(torch.nn.Tanh()), "script")
    np.save(tmp_path / "x.npy", X[:20])
    for args in (["export", path, "-o", tmp_path / "m.nrnn"],
                 ["report", path, "--data", tmp_path / "x.npy", "--out", tmp_path / "report"]):
        result = run_quantize(*args)
        assert result.returncode == 1 and result.stderr.startswith("error: ") and "nn.Tanh" in result.stderr
        assert "goal=" not in result.stdout
    assert not (tmp_path / "m.nrnn").exists() and not (tmp_path / "report").exists()


def test_a_state_dict_says_what_was_assumed(tmp_path):
    result = run_quantize("export", saved(tmp_path, Head(torch.nn.Tanh()), "state_dict"), "-o", tmp_path / "m.nrnn")
    assert result.returncode == 0, result.stderr
    assert ("state_dict: assumed LSTM 3→8, then Linear 8→6 → ReLU → Linear 6→2 on the last step (ReLU between "
            "the head's Linears); pass the whole module or a TorchScript file to have it checked") in result.stdout
    seen = interpret(saved(tmp_path, Rnn("relu"), "state_dict", "rnn.pt"))
    assert "nn.RNN nonlinearity tanh, PyTorch's default (--rnn-nonlinearity relu for relu)" in seen.line
    assert not seen.checked


@pytest.mark.parametrize("make,folded", [
    (lambda: Head(), True),                                  # nothing between, in a Sequential
    (lambda: Head(torch.nn.Dropout(0.3)), True),             # Dropout does nothing in eval mode
    (lambda: Head(torch.nn.ReLU()), False),
    (lambda: Attributes(relu=False), True),                  # no module says: the forward decides
    (lambda: Attributes(relu=True), False),
])
def test_two_linears_are_read_from_the_module_and_its_forward(tmp_path, make, folded):
    torch.manual_seed(2)
    module = make()
    seen = interpret(saved(tmp_path, module, "module"), calibration=X[:64])
    assert seen.checked
    structure = recognise.find_structure(seen.state)
    assert len(structure.head) == (1 if folded else 2)
    assert ("folded" in " ".join(seen.notes)) == folded
    forward = compare.float_logits(module, X)
    assert np.max(np.abs(integer_logits(seen, X) - forward)) < 0.02


def test_a_forward_that_pools_the_steps_is_refused_with_the_distance(tmp_path):
    path = saved(tmp_path, Pooled(), "script")
    np.save(tmp_path / "x.npy", X[:20])
    result = run_quantize("export", path, "-o", tmp_path / "m.nrnn")
    assert result.returncode == 1 and not (tmp_path / "m.nrnn").exists()
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith(f"error: {path}: its forward does not compute")
    assert "(LSTM 3→8, then Linear 8→2 on the last step)" in message and "max |Δlogit|" in message
    assert "supported: one nn.LSTM, nn.GRU or nn.RNN" in message
    report = run_quantize("report", path, "--data", tmp_path / "x.npy", "--out", tmp_path / "report")
    assert report.returncode == 1 and "goal=met" not in report.stdout


def test_every_step_and_time_first_forwards_are_recognised(tmp_path):
    torch.manual_seed(4)
    module = TimeFirstEveryStep()
    seen = interpret(saved(tmp_path, module, "script"))
    assert seen.checked and seen.every_step
    assert "head: the forward returns logits for every step, so it is exported as --every-step" in seen.notes
    forward = compare.float_logits(module, X[:40].transpose(1, 0, 2)).transpose(1, 0, 2)
    assert np.max(np.abs(integer_logits(seen, X[:40]) - forward)) < 0.02


def test_the_nonlinearity_flag_cannot_contradict_the_module(tmp_path):
    with pytest.raises(ExportError, match=r"--rnn-nonlinearity tanh, but its nn.RNN \(rnn\) says relu"):
        interpret(saved(tmp_path, Rnn("relu"), "script"), rnn_nonlinearity="tanh")


def test_a_class_beside_the_model_is_imported_and_checked(tmp_path):
    """The model's folder is searched for the module that defines its class."""
    (tmp_path / "mynet.py").write_text(textwrap.dedent("""
        import torch
        class MyNet(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = torch.nn.LSTM(3, 4, batch_first=True)
                self.out = torch.nn.Linear(4, 2)
            def forward(self, x):
                return self.out(self.lstm(x)[0][:, -1])
    """))
    save = "import sys, torch, mynet; torch.save(mynet.MyNet(), sys.argv[1])"
    subprocess.run([sys.executable, "-c", save, str(tmp_path / "m.pt")], check=True, cwd=tmp_path)
    result = run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn")
    assert result.returncode == 0, result.stderr
    assert "checked: the forward of m.pt (module)" in result.stdout


def test_checkpoint_dicts(tmp_path):
    state = demo.build_module(3, 5, 2).state_dict()
    other = demo.build_module(3, 5, 2).state_dict()
    torch.save({"epoch": 7, "model_state_dict": state, "optimizer_state_dict": {"state": {}, "param_groups": []}},
               tmp_path / "ckpt.pt")
    one = modelfile.load(str(tmp_path / "ckpt.pt"))
    assert one.kind == "checkpoint" and set(one.state) == set(state)
    assert one.notes == ["checkpoint: took its 'model_state_dict' (entries: 'epoch', 'model_state_dict', "
                         "'optimizer_state_dict')"]
    torch.save({"model": state, "ema": other}, tmp_path / "two.pt")
    with pytest.raises(ExportError, match=r"the checkpoint holds 2 models \('model', 'ema'\); pick one with --state-dict-key KEY"):
        modelfile.load(str(tmp_path / "two.pt"))
    picked = modelfile.load(str(tmp_path / "two.pt"), "ema")
    assert np.array_equal(picked.state["fc.weight"], other["fc.weight"].double().numpy())
    with pytest.raises(ExportError, match=r"has no entry 'best' \(it has 'model', 'ema'\)"):
        modelfile.load(str(tmp_path / "two.pt"), "best")
    torch.save({"epoch": 7, "loss": 0.5}, tmp_path / "none.pt")
    with pytest.raises(ExportError, match=r"holds a dict \('epoch', 'loss'\) with no state_dict of a recurrent model"):
        modelfile.load(str(tmp_path / "none.pt"))
    torch.save({"epoch": 1, "model": demo.build_module(3, 5, 2)}, tmp_path / "whole.pt")
    assert modelfile.load(str(tmp_path / "whole.pt")).module is not None
    result = run_quantize("export", tmp_path / "two.pt", "-o", tmp_path / "m.nrnn", "--state-dict-key", "model")
    assert result.returncode == 0, result.stderr
    assert "checkpoint: took its 'model'" in result.stdout


@pytest.mark.parametrize("nested", [False, True])
def test_a_folder_of_one_tensor_per_parameter(tmp_path, nested):
    module = demo.build_module(3, 5, 2)
    folder = tmp_path / "weights"
    for name, tensor in module.state_dict().items():
        path = folder / (name.replace(".", os.sep, 1) if nested else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(tensor, f"{path}.pt")
    result = run_quantize("export", folder, "-o", tmp_path / "m.nrnn")
    assert result.returncode == 0, result.stderr
    assert "folder: 6 parameter tensors, named after their files" in result.stdout
    direct = export.quantize(modelfile.load(str(folder)).state, check_steps=4).model
    assert blob.to_bytes(blob.read(tmp_path / "m.nrnn")) == blob.to_bytes(direct)


def test_folders_that_hold_no_parameters_say_what_to_do(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ExportError, match="is a folder with no .pt files; pass a torch.save file, or a folder of one tensor"):
        modelfile.load(str(tmp_path / "empty"))
    (tmp_path / "one").mkdir()
    torch.save(demo.build_module(3, 5, 2).state_dict(), tmp_path / "one" / "model.pt")
    with pytest.raises(ExportError, match="model.pt: holds a whole state_dict, not one parameter tensor; pass that file itself"):
        modelfile.load(str(tmp_path / "one"))


def test_structures_saved_whole_are_checked():
    """Every recognised structure, as the tool's own test modules save them, agrees with its forward."""
    for index, (cell, c, h, k, layers, mlp, every, nl) in enumerate(structures.STRUCTURES):
        torch.manual_seed(index)
        module = structures.Recurrent(cell, c, h, k, layers, mlp, every, nl)
        file = modelfile.ModelFile("m.pt", {n: v.detach().double().numpy() for n, v in module.state_dict().items()},
                                   "module", module)
        seen = verify.interpret(file, every_step=False)
        assert seen.checked and seen.every_step == every, structures.describe(index)
