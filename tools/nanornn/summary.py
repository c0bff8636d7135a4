"""What `quantize.py export` prints about an export: structure, blob size, formats per layer, input
mapping, ESP32 heap, each tensor's worst round-trip error and the calibration notes."""
import numpy as np

from . import blob, device


def text(result, size):
    """The lines for result (an export.Export) written as a blob of size bytes."""
    m = result.model
    cells = blob.CELL_NAMES[m.cell_type] + (f" ×{len(m.layers)}" if len(m.layers) > 1 else "")
    sizes = " -> ".join(str(layer.hidden_size) for layer in m.layers)
    head = f"MLP {m.mlp.w.shape[0]} -> " if m.mlp is not None else ""
    lines = [
        f"{cells}  input {m.input_channels} -> hidden {sizes} -> {head}classes {m.class_count}"
        + ("   (head on every step)" if m.every_step else ""),
        f"blob  {size} bytes, format version {m.format_version} (float32 parameters: {4 * _param_count(m)} bytes)",
    ]
    for index, layer in enumerate(m.layers):
        state = (f"cell Q{15 - layer.cell_frac_bits}.{layer.cell_frac_bits}   gates Q3.12   hidden Q0.15"
                 if layer.cell_type == blob.CELL_LSTM else
                 f"hidden scale {layer.hidden_scale:.4g} per count" if layer.cell_type == blob.CELL_RNN_RELU else
                 "gates Q3.12   hidden Q0.15")
        lines.append(f"{'layer ' + str(index) + ' ' if len(m.layers) > 1 else ''}{state}"
                     + (f"   output_scale {m.output_scale:.6g}" if index == 0 else ""))
    lines += [
        "channels " + " ".join(blob.channel_name(c) for c in m.channel_source)
        + (f"   at {m.sample_rate_hz} Hz" if m.sample_rate_hz else ""),
        "input scale " + " ".join(f"{s:.4g}" for s in m.input_scale)
        + ("   zero " + " ".join(f"{z:.6g}" for z in m.input_zero) if np.any(m.input_zero) else ""),
    ]
    lines.append(device.heap_line(m, size))
    lines += [f"worst round-trip error  {name}: {err:.3g}" for name, err in result.errors.items()]
    lines += result.notes
    return "\n".join(lines)


def _param_count(m):
    """Float parameters of the PyTorch model (GRU: 3H rows per matrix, both biases)."""
    count = 0
    for layer in m.layers:
        rows = 3 * layer.hidden_size if layer.cell_type == blob.CELL_GRU else layer.rows
        count += rows * (layer.input_size + layer.hidden_size) + 2 * rows
    for dense in ([m.mlp] if m.mlp is not None else []) + [m.head]:
        count += dense.w.size + dense.w.shape[0]
    return count
