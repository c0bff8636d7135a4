"""Input arrays from .npy and .npz files: sequences to run, calibration data and labels.

Every array is read by `_open` and every sequence array checked by `_checked`, so a bad file gets
the same sentence whichever command reads it (the desktop runner's InputUnits.cs words the same
facts alike). Errors are ExportError, naming the file.
"""
import numpy as np

from .errors import ExportError


def _open(path, what):
    """np.load without pickles: an ndarray, or an NpzFile for an .npz archive."""
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file")
    except IsADirectoryError:
        raise ExportError(f"{path}: is a folder, not a {what}")
    except Exception as e:  # np.load raises many types for a file that is not an array
        raise ExportError(f"{path}: not a {what} ({e})")


def _check_dtype(x, name):
    """Both this tool and the desktop runner read float16/32/64 and 8- to 64-bit integers."""
    if x.dtype.kind not in "fiu" or (x.dtype.kind == "f" and x.dtype.itemsize > 8):
        raise ExportError(f"{name}: dtype '{x.dtype.str}' is not supported; save float16, float32, float64 or integers")


def _checked(x, name, channels=None):
    """x as float64 N×T×C, refused unless it is a non-empty numeric N×T×C array of `channels`
    channels (any number when None)."""
    _check_dtype(x, name)
    if x.ndim != 3:
        raise ExportError(f"{name}: shape {x.shape} is not N×T×C")
    if x.shape[0] == 0 or x.shape[1] == 0 or (channels is None and x.shape[2] == 0):
        raise ExportError(f"{name}: is empty (shape {x.shape})")
    if channels is not None and x.shape[2] != channels:
        raise ExportError(f"{name}: has {x.shape[2]} channels, the model takes {channels}")
    return np.asarray(x, dtype=np.float64)


def _check_finite(x, name):
    if not np.all(np.isfinite(x)):
        n, t, c = np.argwhere(~np.isfinite(x))[0]
        raise ExportError(f"{name}: input is not finite at sequence {n}, step {t}, channel {c}")


def load_sequences(path, channels):
    """Sequences from X.npy (N×T×C, all of length T) or X.npz (variable lengths).

    .npz: either arrays arr_0, arr_1, … of shape T_i×C (np.savez(path, *sequences)), or one N×T×C
    array plus `lengths` (N integers, 1..T): sequence n is its first lengths[n] steps.
    Returns (x [N,T,C] float64 zero-padded, lengths [N] or None).
    """
    loaded = _open(path, ".npy or .npz file")
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        x = _checked(loaded, path, channels)
        _check_finite(x, path)
        return x, None
    with loaded:
        names = list(loaded.files)
        if "lengths" in names:
            others = [n for n in names if n != "lengths"]
            if len(others) != 1:
                raise ExportError(f"{path}: with `lengths`, exactly one other array is expected "
                                  f"(found {', '.join(others) or 'none'})")
            name = f"{path}[{others[0]}]"
            x, lengths = _checked(loaded[others[0]], name, channels), loaded["lengths"]
            if lengths.dtype.kind not in "iu" or lengths.ndim != 1:
                raise ExportError(f"{path}[lengths]: expected a 1-D integer array, got {lengths.dtype} {lengths.shape}")
            if lengths.shape != (x.shape[0],):
                raise ExportError(f"{path}[lengths]: has {lengths.size} entries for {x.shape[0]} sequences")
            bad = np.flatnonzero((lengths < 1) | (lengths > x.shape[1]))
            if bad.size:
                raise ExportError(f"{path}[lengths]: lengths[{bad[0]}] = {lengths[bad[0]]} is outside 1..{x.shape[1]}")
            # Steps past a sequence's length are never read; zero them so NaN padding is harmless.
            x = np.where(np.arange(x.shape[1])[None, :, None] < lengths[:, None, None], x, 0.0)
        else:
            expected = [f"arr_{i}" for i in range(len(names))]
            if sorted(names, key=lambda n: (len(n), n)) != expected or not names:
                raise ExportError(f"{path}: expected arrays arr_0, arr_1, … (np.savez(path, *sequences)) "
                                  f"or an array plus `lengths`, found {', '.join(names) or 'nothing'}")
            sequences = [loaded[n] for n in expected]
            for n, seq in zip(expected, sequences):
                _check_dtype(seq, f"{path}[{n}]")
                if seq.ndim != 2 or seq.shape[0] == 0:
                    raise ExportError(f"{path}[{n}]: shape {seq.shape} is not T×C with T >= 1")
                if seq.shape[1] != channels:
                    raise ExportError(f"{path}[{n}]: has {seq.shape[1]} channels, the model takes {channels}")
            lengths = np.array([len(seq) for seq in sequences])
            x = np.zeros((len(sequences), int(lengths.max()), channels))
            for i, seq in enumerate(sequences):
                x[i, :len(seq)] = seq.astype(np.float64)
            name = path
    _check_finite(x, name)
    return x, lengths


def load_calibration(path):
    """Calibration inputs: one numeric .npy of shape N×T×C in training units, as float64."""
    loaded = _open(path, ".npy array")
    if isinstance(loaded, np.lib.npyio.NpzFile):
        names = ", ".join(loaded.files) or "nothing"
        loaded.close()
        raise ExportError(f"{path}: is an .npz archive (of {names}); calibration takes one N×T×C .npy array "
                          "(np.save(path, x))")
    x = _checked(loaded, path)
    _check_finite(x, path)
    return x


def load_labels(path):
    """Integer labels: one .npy array (its shape is checked against the data by the caller)."""
    loaded = _open(path, ".npy array")
    if isinstance(loaded, np.lib.npyio.NpzFile):
        loaded.close()
        raise ExportError(f"{path}: is an .npz archive; labels are one .npy array (np.save(path, y))")
    return loaded
