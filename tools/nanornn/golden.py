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


ROWS = {"lstm": 4, "gru": 3, "rnn": 1}


def rnn_state(rng, cell, channels, hidden, classes, layers=1, bias=True, mlp=0, weight_std=0.4, bias_std=0.3):
    """A state_dict of nn.LSTM / nn.GRU / nn.RNN (`cell`) with `layers` layers and a Linear head,
    or an MLP head (Linear(H, mlp) -> ReLU -> Linear(mlp, K)) when mlp > 0."""
    r = ROWS[cell] * hidden
    state = {}
    for l in range(layers):
        state[f"{cell}.weight_ih_l{l}"] = rng.normal(0, weight_std, (r, channels if l == 0 else hidden))
        state[f"{cell}.weight_hh_l{l}"] = rng.normal(0, weight_std, (r, hidden))
        if bias:
            state[f"{cell}.bias_ih_l{l}"] = rng.normal(0, bias_std, r)
            state[f"{cell}.bias_hh_l{l}"] = rng.normal(0, bias_std, r)
    width = hidden
    if mlp:
        state["head.0.weight"] = rng.normal(0, weight_std, (mlp, hidden))
        state["head.0.bias"] = rng.normal(0, bias_std, mlp)
        width = mlp
    state["head.2.weight" if mlp else "fc.weight"] = rng.normal(0, weight_std, (classes, width))
    state["head.2.bias" if mlp else "fc.bias"] = rng.normal(0, bias_std, classes)
    return state


class Case(tuple):
    """(name, quantised model, int16 inputs [N,T,C]) plus what made it, for measuring the model on
    more data: state, export (quantize's keyword arguments), input_std, input_gain, steps, seed."""


def _case(name, seed, channels, hidden, classes, steps, sequences=2, weight_std=0.4, bias_std=0.3,
          input_std=1.0, calibrate=True, overrides=None, norm=None, input_gain=1.0, channel_names=None,
          sample_rate=0, cell=None, layers=1, bias=True, mlp=0, nonlinearity=None, every_step=False,
          class_names=None, check_steps=0):
    """One golden case: (name, quantised model, int16 inputs [N,T,C]).

    cell None: the single-layer LSTM state; else rnn_state's. class_names or
    check_steps make it a format-3 blob, with the check sequence export stores for the boot check."""
    rng = np.random.default_rng(seed)
    if cell is None:
        state = lstm_state(rng, channels, hidden, classes, weight_std, bias_std)
    else:
        state = rnn_state(rng, cell, channels, hidden, classes, layers, bias, mlp, weight_std, bias_std)
    state.update(overrides(state) if overrides else {})
    x = rng.normal(0, input_std, (sequences, steps, channels))
    calibration = x if calibrate else None
    mean, std = norm if norm else (None, None)
    options = {"calibration": calibration, "input_mean": mean, "input_std": std,
               "channel_names": channel_names, "sample_rate": sample_rate,
               "nonlinearity": nonlinearity, "every_step": every_step, "class_names": class_names,
               "check_steps": check_steps}
    model = export.quantize(state, **options).model
    x_int = reference.quantize_input(model, x * input_gain)
    case = Case((name, model, x_int))
    case.state, case.export, case.input_std, case.input_gain, case.steps, case.seed = (
        state, options, input_std, input_gain, steps, seed)
    return case


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
        # The other cells, stacks, bias=False, MLP and every-step heads.
        _case("gru_c5_h7_k3", 10, 5, 7, 3, steps=9, cell="gru"),
        _case("gru_c3_h9_k4_extreme", 11, 3, 9, 4, steps=10, cell="gru", weight_std=6.0, bias_std=4.0),
        _case("gru_c2_h5_k2_saturating_input_no_calibration", 12, 2, 5, 2, steps=8, cell="gru",
              calibrate=False, input_gain=50.0),
        _case("rnn_tanh_c4_h7_k3", 13, 4, 7, 3, steps=9, cell="rnn"),
        _case("rnn_tanh_c3_h6_k2_extreme", 14, 3, 6, 2, steps=8, cell="rnn", weight_std=6.0, bias_std=4.0),
        _case("rnn_relu_c3_h5_k3", 15, 3, 5, 3, steps=10, cell="rnn", nonlinearity="relu",
              weight_std=0.3),
        _case("rnn_relu_c2_h6_k2_saturating_no_calibration", 16, 2, 6, 2, steps=10, cell="rnn",
              nonlinearity="relu", calibrate=False, weight_std=1.5),
        _case("lstm2_c6_h13_k4", 17, 6, 13, 4, steps=8, cell="lstm", layers=2,
              channel_names="ax ay az gx gy gz".split(), sample_rate=50, class_names=["rest", "wave", "tap", "turn"],
              check_steps=4),
        _case("lstm3_c3_h5_k2_no_bias", 18, 3, 5, 2, steps=7, cell="lstm", layers=3, bias=False),
        _case("gru4_c2_h6_k3", 19, 2, 6, 3, steps=6, cell="gru", layers=4, check_steps=6),
        _case("gru2_c3_h11_k3_raw_counts_no_bias", 20, 3, 11, 3, steps=7, cell="gru", layers=2, bias=False,
              input_std=1.5, calibrate=False, norm=([100.0, -2000.0, 16384.0], [3000.0, 2500.0, 4000.0])),
        _case("rnn_relu3_c4_h7_k3", 21, 4, 7, 3, steps=8, cell="rnn", layers=3, nonlinearity="relu",
              weight_std=0.3),
        _case("rnn_tanh2_c4_h9_k2", 22, 4, 9, 2, steps=8, cell="rnn", layers=2),
        _case("lstm_c4_h10_k3_mlp6", 23, 4, 10, 3, steps=8, cell="lstm", mlp=6),
        _case("gru2_c3_h7_k5_mlp9_every_step", 24, 3, 7, 5, steps=7, cell="gru", layers=2, mlp=9,
              every_step=True),
        # Format version 3 without calibration data: the check sequence is export's deterministic sweep.
        _case("rnn_tanh_c4_h6_k3_named_no_calibration", 27, 4, 6, 3, steps=8, cell="rnn", calibrate=False,
              class_names=["low", "mid", "high"], check_steps=64),
        _case("lstm_c3_h6_k4_every_step", 25, 3, 6, 4, steps=9, cell="lstm", every_step=True),
        _case("rnn_relu_c2_h5_k3_mlp7_no_calibration", 26, 2, 5, 3, steps=8, cell="rnn", nonlinearity="relu",
              mlp=7, calibrate=False),
    ]


def method_name(name):
    return "".join(part.capitalize() if i == 0 else "_" + part for i, part in enumerate(name.split("_")))


# A nanoFramework .pe indexes its signature table, where array initialisers are kept, with 16 bits:
# 64 KiB per assembly. The vectors are spread over PARTS assemblies of at most PART_BUDGET bytes
# of array data each, which leaves room for the rest of the table (tests/NanoRnn.HostTests,
# PeTableTests, measures what the compiled parts hold).
PARTS = 4
PART_BUDGET = 44 * 1024
INDEX = os.path.join("NanoRnn.Tests", "Golden", "GoldenIndex.g.cs")


def part_folder(part):
    return os.path.join("NanoRnn.Tests.Golden", f"Part{part}")


def assign_parts(sizes, parts=PARTS, budget=PART_BUDGET, grow="tests/NanoRnn.Tests.Golden"):
    """Part (1 .. parts) of each item of `sizes` bytes: first fit, largest first, so the result depends
    only on the sizes. `grow` names the folder that would take another part."""
    free = [budget] * parts
    assigned = [0] * len(sizes)
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        fit = next((p for p in range(parts) if free[p] >= sizes[i]), None)
        if fit is None:
            raise ValueError(f"{sizes[i]} bytes do not fit in {parts} parts of {budget} bytes; "
                             f"add {grow}/Part{parts + 1} and raise the number of parts")
        free[fit] -= sizes[i]
        assigned[i] = fit + 1
    return assigned


def write_all(tests_folder):
    """Writes every case into its part under `tests_folder` (the repository's tests/) and the index;
    returns the paths written. Stale case files of the parts are removed."""
    classes, arrays = [], []
    for name, model, x_int in cases():
        stages = reference.run(model, x_int)
        classes.append((method_name(name), name, x_int.shape[0], x_int.shape[1]))
        arrays.append(codegen.golden_arrays(np.frombuffer(blob.to_bytes(model), dtype=np.uint8), stages, x_int))
    parts = assign_parts([codegen.golden_data_bytes(a) for a in arrays])
    written = []
    for part in range(1, PARTS + 1):
        folder = os.path.join(tests_folder, part_folder(part))
        os.makedirs(folder, exist_ok=True)
        for stale in os.listdir(folder):
            if stale.endswith(".g.cs"):
                os.remove(os.path.join(folder, stale))
    for (cls, name, sequences, steps), case_arrays, part in zip(classes, arrays, parts):
        path = os.path.join(tests_folder, part_folder(part), f"{cls}.g.cs")
        blob.write_atomic(path, codegen.golden_case_cs(cls, name, sequences, steps, case_arrays, part).encode())
        written.append(path)
    path = os.path.join(tests_folder, INDEX)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    blob.write_atomic(path, codegen.golden_index_cs([c[0] for c in classes]).encode())
    return written + [path]
