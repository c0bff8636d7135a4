"""Golden vectors: small models spanning the arithmetic's corners, run through the reference.

Every model and input comes from NumPy's seeded generator (stable across versions), so the
generated files are reproducible byte for byte.
"""
import os

import numpy as np

from . import blob, codegen, export, reference


def lstm_state(rng, channels, hidden, classes, weight_std=0.4, bias_std=0.3):
    r = 4 * hidden
    return {
        "lstm.weight_ih_l0": rng.normal(0, weight_std, (r, channels)),
        "lstm.weight_hh_l0": rng.normal(0, weight_std, (r, hidden)),
        "lstm.bias_ih_l0": rng.normal(0, bias_std, r),
        "lstm.bias_hh_l0": rng.normal(0, bias_std, r),
        "fc.weight": rng.normal(0, weight_std, (classes, hidden)),
        "fc.bias": rng.normal(0, bias_std, classes),
    }


def _case(name, seed, channels, hidden, classes, steps, sequences=2, weight_std=0.4, bias_std=0.3,
          input_std=1.0, calibrate=True, overrides=None, norm=None, input_gain=1.0, channel_names=None,
          sample_rate=0):
    """One golden case: (name, quantised model, int16 inputs [N,T,C])."""
    rng = np.random.default_rng(seed)
    state = lstm_state(rng, channels, hidden, classes, weight_std, bias_std)
    state.update(overrides(state) if overrides else {})
    x = rng.normal(0, input_std, (sequences, steps, channels))
    calibration = x if calibrate else None
    mean, std = norm if norm else (None, None)
    model = export.quantize(state, calibration, mean, std, channel_names, sample_rate).model
    x_int = reference.quantize_input(model, x * input_gain)
    return name, model, x_int


def cases():
    zero_input = lambda s: {"lstm.weight_ih_l0": np.zeros_like(s["lstm.weight_ih_l0"]),  # noqa: E731
                            "fc.bias": np.zeros_like(s["fc.bias"])}
    zero_rows = lambda s: {"lstm.weight_hh_l0": np.where(np.arange(s["lstm.weight_hh_l0"].shape[0])[:, None] % 3 == 0,  # noqa: E731
                                                          0.0, s["lstm.weight_hh_l0"])}
    return [
        _case("lstm_c6_h13_k4", 1, 6, 13, 4, steps=9, channel_names="ax ay az gx gy gz".split(),
              sample_rate=50),
        _case("lstm_c1_h5_k2", 2, 1, 5, 2, steps=12),
        _case("lstm_c16_h7_k3", 3, 16, 7, 3, steps=8),
        _case("lstm_c3_h9_k5_zero_weights", 4, 3, 9, 5, steps=7, overrides=zero_input),
        _case("lstm_c4_h6_k3_zero_rows_no_calibration", 5, 4, 6, 3, steps=8, calibrate=False,
              overrides=zero_rows),
        _case("lstm_c4_h10_k3_extreme", 6, 4, 10, 3, steps=10, weight_std=6.0, bias_std=4.0),
        _case("lstm_c2_h4_k2_saturating_input", 7, 2, 4, 2, steps=10, input_gain=50.0),
        _case("lstm_c3_h11_k4_raw_counts", 8, 3, 11, 4, steps=9, input_std=1.5, calibrate=False,
              norm=([100.0, -2000.0, 16384.0], [3000.0, 2500.0, 4000.0]), channel_names=["az", "gx", "in2"],
              sample_rate=100),
        _case("lstm_c6_h33_k6_long", 9, 6, 33, 6, steps=40, sequences=1, weight_std=0.25),
    ]


def method_name(name):
    return "".join(part.capitalize() if i == 0 else "_" + part for i, part in enumerate(name.split("_")))


def write_all(folder):
    os.makedirs(folder, exist_ok=True)
    written, methods = [], []
    for name, model, x_int in cases():
        stages = reference.run(model, x_int)
        method = method_name(name)
        text = codegen.golden_case_cs(method, name, x_int.shape[0], x_int.shape[1],
                                      np.frombuffer(blob.to_bytes(model), dtype=np.uint8), stages, x_int)
        path = os.path.join(folder, f"{method}.g.cs")
        blob.write_atomic(path, text.encode())
        written.append(path)
        methods.append(method)
    path = os.path.join(folder, "GoldenIndex.g.cs")
    blob.write_atomic(path, codegen.golden_index_cs(methods).encode())
    return written + [path]
