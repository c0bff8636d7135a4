"""What people save from PyTorch, read as parameters plus what the file says about itself.

Accepted: a state_dict; a checkpoint dict that holds one (or a whole module) among other entries;
a whole pickled module, whose class need not be importable here; a TorchScript file (scripted or
traced); a folder of one `torch.save`d tensor per parameter, named after it.

A file that carries code which can run here (TorchScript, or a pickled module whose classes import)
keeps its module, so that the exporter can run its forward and check what it recognised
(verify.py). A pickled module whose class is missing is read through stand-in classes: its
parameters and submodules are there, its forward is not.
"""
import contextlib
import inspect
import os
import re
import sys
import types
import warnings
import zipfile

import numpy as np
import torch

from .errors import ExportError

RECURRENT_TYPES = ("LSTM", "GRU", "RNN")
ACTIVATION_TYPES = ("ReLU", "Tanh", "Sigmoid", "GELU", "ELU", "SELU", "CELU", "LeakyReLU", "PReLU", "ReLU6",
                    "RReLU", "SiLU", "Mish", "Hardtanh", "Hardsigmoid", "Hardswish", "Softplus", "Softsign",
                    "Tanhshrink", "Softshrink", "Hardshrink", "Threshold", "LogSigmoid", "Softmax",
                    "LogSoftmax", "Softmin", "Softmax2d", "GLU")
# Leaves that change nothing in eval mode (or are not part of the forward at all, like a loss).
NEUTRAL_TYPES = ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
                 "Identity", "Flatten")

_MISSING_ATTRIBUTE = re.compile(r"Can't get attribute '(\w+)' on <module '([\w.]+)'")
MAX_STAND_INS = 64


class ModelFile:
    """One model file as read: parameters, and what its modules say when it holds modules."""

    def __init__(self, path, state, kind, module=None, runnable=None, notes=()):
        self.path = path
        self.state = state            # {parameter name: float64 ndarray}
        self.kind = kind              # "state_dict", "checkpoint", "module", "TorchScript", "folder"
        self.module = module          # the nn.Module (None for a state_dict)
        self.runnable = runnable      # None when its forward can run here, else why not
        self.notes = list(notes)      # how the file was read, one line each
        self.nonlinearity = {}        # {recurrent module's parameter prefix: "tanh" | "relu"}
        self.leaves = []              # [(module path, type name)] of every leaf module
        if module is not None:
            self._read_modules()

    @property
    def has_code(self):
        return self.module is not None and self.runnable is None

    def _read_modules(self):
        for name, sub in self.module.named_modules():
            kind = type_name(sub)
            if kind == "RNN":
                self.nonlinearity[name + "." if name else ""] = _rnn_nonlinearity(sub)
            if not any(True for _ in sub.children()):
                self.leaves.append((name, kind))


def type_name(module):
    """The class name a module was written with (a TorchScript module keeps it as original_name)."""
    return getattr(module, "original_name", None) or type(module).__name__


def _rnn_nonlinearity(sub):
    value = getattr(sub, "nonlinearity", None)
    if value in ("tanh", "relu"):
        return value
    # A traced nn.RNN keeps no attributes, but its code calls the kernel by name.
    try:
        code = sub.code
    except Exception:
        return None
    for name in ("relu", "tanh"):
        if f"rnn_{name}" in code:
            return name
    return None


@contextlib.contextmanager
def quiet():
    """torch.load warns about TorchScript zips, changed sources and the like; the tool says what matters itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _is_torchscript(path):
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.endswith("/constants.pkl") or name == "constants.pkl" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _torch_load(path):
    """torch.load that also reads a whole module whose class cannot be imported here.

    Returns (object, stand-in classes). Pickled modules name their classes; a user's own class
    (often in the training script's __main__) is missing in this process. Its state -- parameters
    and submodules -- is what the exporter needs, so each missing class is stood in for by an empty
    nn.Module subclass for the duration of the load. (torch 1.13 ignores a custom pickle_module,
    hence this route.) The model's folder and the working folder are searched too, so a class
    defined in a module beside the model imports, and its forward can be checked.
    """
    kwargs = {"map_location": "cpu"}
    if "weights_only" in inspect.signature(torch.load).parameters:
        kwargs["weights_only"] = False
    added, stand_ins = [], set()   # added: (module object, attribute) or (module name, None) for a whole module
    extra_paths = [p for p in (os.path.dirname(os.path.abspath(path)), os.getcwd()) if p not in sys.path]
    sys.path.extend(extra_paths)
    try:
        for _ in range(MAX_STAND_INS):
            try:
                return torch.load(path, **kwargs), stand_ins
            except ModuleNotFoundError as e:
                if not e.name or e.name in sys.modules:
                    raise
                sys.modules[e.name] = types.ModuleType(e.name)
                added.append((e.name, None))
            except AttributeError as e:
                match = _MISSING_ATTRIBUTE.search(str(e))
                target = _loaded_module(match[2]) if match else None
                if target is None:
                    raise
                name = match[1]
                stand_in = type(name, (torch.nn.Module,), {"__module__": target.__name__})
                setattr(target, name, stand_in)
                stand_ins.add(stand_in)
                added.append((target, name))
        raise ExportError(f"{path}: names too many classes that cannot be imported")
    finally:
        for path_entry in extra_paths:
            sys.path.remove(path_entry)
        for module, name in reversed(added):
            if name is None:
                del sys.modules[module]
            else:
                delattr(module, name)


def _loaded_module(shown):
    """The module an unpickling error names: by its name, or (for a script run as `python -m`, whose
    __main__ shows its spec name) by that spec name."""
    if shown in sys.modules:
        return sys.modules[shown]
    for module in list(sys.modules.values()):
        if getattr(getattr(module, "__spec__", None), "name", None) == shown:
            return module
    return None


def _arrays(tensors, path):
    state = {}
    for name, tensor in tensors.items():
        array = tensor.detach().cpu().double().numpy()
        if not np.all(np.isfinite(array)):
            raise ExportError(f"{path}: parameter {name} has NaN or infinite values")
        state[name] = array
    return state


def _is_state_dict(obj):
    return isinstance(obj, dict) and bool(obj) and all(isinstance(v, torch.Tensor) for v in obj.values())


def _from_checkpoint(obj, path, key):
    """The model inside a checkpoint dict: (state_dict or module, note)."""
    keys = ", ".join(repr(k) for k in obj)
    if key is not None:
        if key not in obj:
            raise ExportError(f"{path}: the checkpoint has no entry {key!r} (it has {keys})")
        value = obj[key]
        if not (_is_state_dict(value) or isinstance(value, torch.nn.Module)):
            raise ExportError(f"{path}: checkpoint entry {key!r} holds a {type(value).__name__}, "
                              "not a state_dict or an nn.Module")
        return value, f"checkpoint: took its {key!r}"
    found = [k for k, v in obj.items() if isinstance(v, torch.nn.Module)
             or (_is_state_dict(v) and any(name.endswith("weight_ih_l0") for name in v))]
    if len(found) == 1:
        return obj[found[0]], f"checkpoint: took its {found[0]!r} (entries: {keys})"
    if found:
        raise ExportError(f"{path}: the checkpoint holds {len(found)} models ({', '.join(map(repr, found))}); "
                          "pick one with --state-dict-key KEY")
    raise ExportError(f"{path}: holds a dict ({keys}) with no state_dict of a recurrent model among its "
                      "values; pass the model's state_dict (torch.save(model.state_dict(), path)), or name its "
                      "entry with --state-dict-key KEY")


def _load_folder(path):
    """A folder of one tensor per parameter: lstm.weight_ih_l0.pt, … (or lstm/weight_ih_l0.pt, …)."""
    files = []
    for root, _, names in os.walk(path):
        for name in names:
            if name.endswith((".pt", ".pth")):
                files.append(os.path.join(root, name))
    if not files:
        raise ExportError(f"{path}: is a folder with no .pt files; pass a torch.save file, or a folder of "
                          "one tensor per parameter (lstm.weight_ih_l0.pt, …)")
    tensors = {}
    for file in sorted(files):
        relative = os.path.relpath(file, path)
        name = os.path.splitext(relative)[0].replace(os.sep, ".")
        try:
            with quiet():
                value = torch.load(file, map_location="cpu")
        except Exception as e:  # torch raises many types for a file that is not a torch save
            raise ExportError(f"{file}: not a PyTorch save file ({type(e).__name__}: {e})")
        if not isinstance(value, torch.Tensor):
            what = "a whole state_dict" if _is_state_dict(value) else f"a {type(value).__name__}"
            hint = "; pass that file itself" if len(files) == 1 else " (a folder holds one tensor per parameter)"
            raise ExportError(f"{file}: holds {what}, not one parameter tensor{hint}")
        tensors[name] = value
    return ModelFile(path, _arrays(tensors, path), "folder",
                     notes=[f"folder: {len(tensors)} parameter tensors, named after their files"])


def load(path, key=None):
    """Read a model file (see the module docstring); ExportError names what is wrong."""
    if os.path.isdir(path):
        if key is not None:
            raise ExportError(f"{path}: --state-dict-key is for a checkpoint file, not a folder")
        return _load_folder(path)
    if not os.path.exists(path):
        raise ExportError(f"{path}: no such file")
    try:
        with quiet():
            if _is_torchscript(path):
                obj, stand_ins, kind = torch.jit.load(path, map_location="cpu"), set(), "TorchScript"
            else:
                (obj, stand_ins), kind = _torch_load(path), None
    except ExportError:
        raise
    except Exception as e:  # torch raises many types for a file that is not a torch save
        raise ExportError(f"{path}: not a PyTorch save file ({type(e).__name__}: {e})")
    notes = []
    if isinstance(obj, dict) and not _is_state_dict(obj):
        obj, note = _from_checkpoint(obj, path, key)
        notes.append(note)
        kind = "checkpoint"
    elif key is not None:
        raise ExportError(f"{path}: --state-dict-key {key!r} is for a checkpoint dict; this file holds a "
                          f"{'module' if isinstance(obj, torch.nn.Module) else type(obj).__name__}")
    if isinstance(obj, torch.nn.Module):
        runnable = None
        missing = sorted({type_name(m) for m in obj.modules() if type(m) in stand_ins})
        if missing:
            runnable = (f"its class{'es' if len(missing) > 1 else ''} {', '.join(missing)} cannot be imported "
                        "here, so its forward cannot run")
        obj.eval()
        state = {k: v for k, v in obj.state_dict().items()}
        return ModelFile(path, _arrays(state, path), kind or "module", obj, runnable, notes)
    if not _is_state_dict(obj):
        raise ExportError(f"{path}: holds a {type(obj).__name__}, expected a state_dict or an nn.Module")
    return ModelFile(path, _arrays(obj, path), kind or "state_dict", notes=notes)
