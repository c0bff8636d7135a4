"""Sensor recordings: CSV of raw counts with timestamps (docs/recording-format.md)."""
import numpy as np

from . import blob

MOTION = ["ax", "ay", "az", "gx", "gy", "gz"]


def write(path, counts, rate_hz, digital=None):
    """counts [S, 6] raw int16 in sensor axes; digital [S, n] levels 0/1 or None."""
    counts = np.asarray(counts, dtype=np.int64)
    columns = ["t_us"] + MOTION
    if digital is not None:
        columns += [f"in{n}" for n in range(digital.shape[1])]
    lines = [",".join(columns)]
    period = 1_000_000 // rate_hz
    for i, row in enumerate(counts):
        values = [i * period] + list(row)
        if digital is not None:
            values += list(digital[i])
        lines.append(",".join(str(int(v)) for v in values))
    blob.write_atomic(path, ("\n".join(lines) + "\n").encode())


def windows(counts, length):
    """Split [S, 6] into whole windows [S // length, length, 6]."""
    counts = np.asarray(counts)
    n = len(counts) // length
    return counts[:n * length].reshape(n, length, counts.shape[1])
