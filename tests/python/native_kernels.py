"""The native kernels (firmware/NanoRnn.Native/native) built with the host's gcc, called through
ctypes, and the checks that hold them to the integer reference (tools/nanornn/reference.py).

test_native_kernels.py runs the checks in-process on a plain build and, through `main`, in a fresh
Python on a build with AddressSanitizer and UBSan: `python3 native_kernels.py LIBRARY`.
Every comparison is exact equality: the kernels claim the reference's arithmetic bit for bit.
"""
import ctypes
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))

from nanornn import blob, golden, layout, reference  # noqa: E402
from nanornn import fixedpoint as fx  # noqa: E402

NATIVE = os.path.join(REPO, "firmware", "NanoRnn.Native", "native")
HEADER = os.path.join(NATIVE, "nanornn_kernels.h")
SOURCES = [os.path.join(NATIVE, name) for name in ("nanornn_kernels.c", "nanornn_tables.c")]
WARNINGS = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-O2"]
SANITIZERS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"]
GCC_MISSING = ("gcc is not on PATH: the native kernels are tested by compiling them with the host's gcc "
               "(apt-get install gcc libc6-dev; .ci/run installs them when missing)")


def build(folder, name, extra=()):
    """Compiles the kernels into folder/name (a shared library); returns its path."""
    gcc = shutil.which("gcc")
    assert gcc is not None, GCC_MISSING
    path = os.path.join(folder, name)
    command = [gcc, *WARNINGS, *extra, "-fPIC", "-shared", "-o", path, *SOURCES]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}{result.stderr}"
    return path


def header_constants():
    """{NAME: value} of every `#define NANORNN_… number` in the header."""
    with open(HEADER, encoding="utf-8") as f:
        return {name: int(value) for name, value in
                re.findall(r"^#define (NANORNN_\w+) \(?(-?\d+)\)?(?:\s*/\*.*\*/)?$", f.read(), flags=re.M)}


C = header_constants()
OK = C["NANORNN_OK"]
INT16, INT32, POINTER = ctypes.c_int16, ctypes.c_int32, ctypes.c_void_p
SIGNATURES = {
    "nanornn_sigmoid_q15": (INT16, [INT16]),
    "nanornn_tanh_q15": (INT16, [INT16]),
    "nanornn_pre_activations_s8_s16": (INT32, [INT32] * 3 + [POINTER] * 9),
    "nanornn_lstm_cell_s16": (INT32, [INT32] * 2 + [POINTER] * 4),
    "nanornn_gru_cell_s16": (INT32, [INT32] + [POINTER] * 3),
    "nanornn_rnn_tanh_cell_s16": (INT32, [INT32] + [POINTER] * 2),
    "nanornn_rnn_relu_cell_s16": (INT32, [INT32] + [POINTER] * 2),
    "nanornn_layer_step_s8_s16": (INT32, [INT32] * 5 + [POINTER] * 11),
    "nanornn_layer_check_s8_s16": (INT32, [INT32] * 5 + [POINTER] * 11),
    "nanornn_dense_relu_s8_s16": (INT32, [INT32] * 2 + [POINTER] * 6),
    "nanornn_dense_s8_s32": (INT32, [INT32] * 2 + [POINTER] * 6),
}
CELL_FUNCTIONS = {blob.CELL_LSTM: "nanornn_lstm_cell_s16", blob.CELL_GRU: "nanornn_gru_cell_s16",
                  blob.CELL_RNN_TANH: "nanornn_rnn_tanh_cell_s16", blob.CELL_RNN_RELU: "nanornn_rnn_relu_cell_s16"}


def load(path):
    """The library with every entry point's signature set."""
    lib = ctypes.CDLL(path)
    for name, (result, arguments) in SIGNATURES.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    return lib


def ptr(array):
    """The address of a C-contiguous NumPy array, or None (NULL)."""
    if array is None:
        return None
    assert array.flags["C_CONTIGUOUS"]
    return array.ctypes.data


class NativeLayer:
    """A blob layer as the C API takes it: flat int8 rows and each row's combined (mx', mh', s)."""

    def __init__(self, layer):
        mx, mh, shift = fx.common_shift(layer.mx, layer.sx, layer.mh, layer.sh)
        self.cell_type, self.cell_frac_bits = layer.cell_type, layer.cell_frac_bits
        self.inputs, self.hidden, self.rows = layer.input_size, layer.hidden_size, layer.rows
        self.wx = np.ascontiguousarray(layer.wx, np.int8).ravel()
        self.wh = np.ascontiguousarray(layer.wh, np.int8).ravel()
        self.mx, self.mh = mx.astype(np.int32), mh.astype(np.int32)
        self.shift, self.bias = shift.astype(np.uint8), np.ascontiguousarray(layer.bias, np.int32)

    def weights(self):
        return [ptr(a) for a in (self.wx, self.wh, self.mx, self.mh, self.shift, self.bias)]

    def step(self, lib, x, h, cell):
        """nanornn_layer_step_s8_s16 on h and cell in place; returns (status, pre, gates)."""
        pre = np.zeros(self.rows, np.int16)
        gates = np.zeros(self.rows if self.cell_type in (blob.CELL_LSTM, blob.CELL_GRU) else 0, np.int16)
        status = lib.nanornn_layer_step_s8_s16(
            self.cell_type, self.inputs, self.hidden, self.rows, self.cell_frac_bits, *self.weights(), ptr(x),
            ptr(pre), ptr(gates) if gates.size else None, ptr(cell) if cell.size else None, ptr(h))
        return status, pre, gates

    def step_in_parts(self, lib, x, h, cell):
        """The same step through nanornn_pre_activations_s8_s16 and the cell's own entry point."""
        pre = np.zeros(self.rows, np.int16)
        gates = np.zeros(self.rows, np.int16)
        status = lib.nanornn_pre_activations_s8_s16(self.inputs, self.hidden, self.rows, *self.weights(),
                                                    ptr(x), ptr(h), ptr(pre))
        assert status == OK, f"nanornn_pre_activations_s8_s16 returned {status}"
        function = getattr(lib, CELL_FUNCTIONS[self.cell_type])
        if self.cell_type == blob.CELL_LSTM:
            status = function(self.hidden, self.cell_frac_bits, ptr(pre), ptr(gates), ptr(cell), ptr(h))
        elif self.cell_type == blob.CELL_GRU:
            status = function(self.hidden, ptr(pre), ptr(gates), ptr(h))
        else:
            status = function(self.hidden, ptr(pre), ptr(h))
            gates = h.copy()
        assert status == OK, f"{CELL_FUNCTIONS[self.cell_type]} returned {status}"
        return pre, gates


class NativeDense:
    def __init__(self, dense):
        self.rows, self.columns = dense.w.shape
        self.w = np.ascontiguousarray(dense.w, np.int8).ravel()
        self.m, self.shift = dense.m.astype(np.int32), dense.s.astype(np.uint8)
        self.bias = np.ascontiguousarray(dense.bias, np.int32)

    def run(self, function, v, out):
        status = function(self.rows, self.columns, ptr(self.w), ptr(self.m), ptr(self.shift), ptr(self.bias),
                          ptr(v), ptr(out))
        assert status == OK, f"dense kernel returned {status}"
        return out


def head(lib, model, h):
    """The head's scores q [K] for the last layer's h: Linear, or Linear + ReLU then Linear."""
    v = h
    if model.mlp is not None:
        mlp = NativeDense(model.mlp)
        v = mlp.run(lib.nanornn_dense_relu_s8_s16, h, np.zeros(mlp.rows, np.int16))
    out = NativeDense(model.head)
    return out.run(lib.nanornn_dense_s8_s32, v, np.zeros(out.rows, np.int32))


class Tally:
    """Counts what was compared: stage arrays and the values in them."""

    def __init__(self):
        self.arrays, self.values = 0, 0

    def equal(self, native, expected, where):
        native, expected = np.asarray(native, np.int64), np.asarray(expected, np.int64)
        assert native.shape == expected.shape, f"{where}: shape {native.shape}, reference {expected.shape}"
        differ = np.flatnonzero(native != expected)
        assert differ.size == 0, (f"{where}: {differ.size} of {native.size} values differ, first at {differ[0]}: "
                                  f"native {native[differ[0]]}, reference {expected[differ[0]]}")
        self.arrays += 1
        self.values += native.size


def check_case(lib, name, model, x_int, tally):
    """Steps every sequence of a golden case through the kernels, from zero state, and compares every
    stage of every layer at every step (pre, gates, cell, hidden) and the head's scores with the
    reference's, both through the layer step and through the separate entry points."""
    stages = reference.run(model, x_int)
    layers = [NativeLayer(layer) for layer in model.layers]
    sequences, steps, _ = x_int.shape
    for n in range(sequences):
        state = [(np.zeros(layer.hidden, np.int16),
                  np.zeros(layer.hidden if layer.cell_type == blob.CELL_LSTM else 0, np.int16)) for layer in layers]
        for t in range(steps):
            v = np.ascontiguousarray(x_int[n, t], np.int16)
            at = {"pre": 0, "gates": 0, "cell": 0, "hidden": 0}
            for index, layer in enumerate(layers):
                h, cell = state[index]
                h_parts, cell_parts = h.copy(), cell.copy()
                status, pre, gates = layer.step(lib, v, h, cell)
                assert status == OK, f"{name}: nanornn_layer_step_s8_s16 returned {status}"
                pre_parts, gates_parts = layer.step_in_parts(lib, v, h_parts, cell_parts)
                if layer.cell_type not in (blob.CELL_LSTM, blob.CELL_GRU):
                    gates = h
                for stage, native, parts in (("pre", pre, pre_parts), ("gates", gates, gates_parts),
                                             ("cell", cell, cell_parts), ("hidden", h, h_parts)):
                    if native.size == 0:
                        continue                                        # the cell of a GRU or RNN
                    expected = stages[stage][n, t, at[stage]:at[stage] + native.size]
                    where = f"{name} sequence {n} step {t} layer {index} {stage}"
                    tally.equal(native, expected, where)
                    tally.equal(parts, expected, where + " (separate entry points)")
                    at[stage] += native.size
                v = h
            tally.equal(head(lib, model, v), stages["q_steps"][n, t], f"{name} sequence {n} step {t} head")


def check_golden(lib, tally):
    count = 0
    for name, model, x_int in golden.cases():
        check_case(lib, name, model, x_int, tally)
        count += 1
    return count


def check_activations(lib, tally):
    """nanornn_sigmoid_q15 and nanornn_tanh_q15 at every int16 input."""
    v = np.arange(fx.INT16_MIN, fx.INT16_MAX + 1)
    for function, table in ((lib.nanornn_sigmoid_q15, fx.sigmoid), (lib.nanornn_tanh_q15, fx.tanh)):
        tally.equal([function(int(x)) for x in v], table(v), function.__name__)


def rows_of(cell_type, hidden):
    """R: 4H for LSTM and GRU, H for a plain RNN (the header's rows)."""
    return (4 if cell_type in (blob.CELL_LSTM, blob.CELL_GRU) else 1) * hidden


def identity_layer(cell_type, hidden, cell_frac_bits):
    """A layer whose pre-activations are its input, pre = x (Wx = I, x · 2^30 · 2^-30, no Wh, no bias):
    through it the reference and the kernels compute the cell update of any pre-activation."""
    rows = rows_of(cell_type, hidden)
    zeros = np.zeros(rows, np.int32)
    return blob.Layer(np.ones(rows, np.float32), np.ones(rows, np.float32), zeros, np.full(rows, 1 << 30, np.int32),
                      zeros, np.full(rows, 30, np.uint8), np.full(rows, 30, np.uint8), np.eye(rows, dtype=np.int8),
                      np.zeros((rows, hidden), np.int8), cell_type, cell_frac_bits)


def check_cells_on_extremes(lib, tally):
    """Every cell, and an LSTM at every cell_frac_bits 4..15, on pre-activations, states and cells
    drawn from all of int16 (its ends included): the corners the golden models rarely reach."""
    rng = np.random.default_rng(17)
    cells = [(blob.CELL_LSTM, cf) for cf in range(layout.CELL_FRAC_MIN, layout.CELL_FRAC_MAX + 1)]
    cells += [(blob.CELL_GRU, 0), (blob.CELL_RNN_TANH, 0), (blob.CELL_RNN_RELU, 0)]
    ends = np.array([fx.INT16_MIN, fx.INT16_MIN + 1, -1, 0, 1, fx.INT16_MAX - 1, fx.INT16_MAX])
    for cell_type, cf in cells:
        layer = identity_layer(cell_type, 64, cf)
        native = NativeLayer(layer)
        for _ in range(4):
            x = rng.integers(fx.INT16_MIN, fx.INT16_MAX + 1, (1, layer.rows))
            x[0, :ends.size] = ends
            h = rng.integers(fx.INT16_MIN, fx.INT16_MAX + 1, (1, layer.hidden_size))
            c = rng.integers(fx.INT16_MIN, fx.INT16_MAX + 1, (1, layer.hidden_size if cell_type == blob.CELL_LSTM else 0))
            h[0, -ends.size:] = ends
            pre, gates, c_new, h_new = reference.layer_step(layer, x, h, c)
            h_native, c_native = h[0].astype(np.int16), c[0].astype(np.int16)
            status, pre_native, gates_native = native.step(lib, x[0].astype(np.int16), h_native, c_native)
            assert status == OK
            where = f"{blob.CELL_NAMES[cell_type]} cf {cf} on extremes"
            tally.equal(pre_native, pre[0], where + " pre")
            tally.equal(gates_native if gates_native.size else h_native, gates[0], where + " gates")
            tally.equal(c_native, c_new[0], where + " cell")
            tally.equal(h_native, h_new[0], where + " hidden")


def check_largest(lib, tally):
    """An LSTM layer and a head at 512 inputs, 512 units (2048 rows) with full-scale weights, inputs
    and the largest multipliers the loader accepts: the int32 sums and int64 rescales at their widest."""
    rng = np.random.default_rng(512)
    d = layout.MAX_DIM
    rows = 4 * d
    wx = rng.integers(-127, 128, (rows, d)).astype(np.int8)
    wh = rng.integers(-127, 128, (rows, d)).astype(np.int8)
    wx[0], wh[0], wx[1], wh[1] = 127, -127, -127, 127                  # rows 0, 1: the widest sums of both signs
    mx = rng.integers(0, 1 << 31, rows).astype(np.int32)
    mh = rng.integers(0, 1 << 31, rows).astype(np.int32)
    mx[:2], mh[:2] = (1 << 31) - 1, (1 << 31) - 1
    mx[2:4], mh[2:4] = 1 << 20, 1 << 21
    shift = rng.integers(layout.SHIFT_MIN, 58, rows).astype(np.uint8)   # up to 57: inside int64 for any multiplier
    shift[:2], shift[2:4] = 31, layout.SHIFT_MAX
    bias = rng.integers(-(1 << 31), 1 << 31, rows).astype(np.int32)
    layer = blob.Layer(np.ones(rows, np.float32), np.ones(rows, np.float32), bias, mx, mh, shift, shift, wx, wh,
                       blob.CELL_LSTM, 12)
    blob._check_rescale_range(layer, "")                                # what the loader accepts
    x = np.full((1, d), fx.INT16_MAX)
    h = np.full((1, d), fx.INT16_MIN)
    c = rng.integers(fx.INT16_MIN, fx.INT16_MAX + 1, (1, d))
    pre, gates, c_new, h_new = reference.layer_step(layer, x, h, c)
    native = NativeLayer(layer)
    h_native, c_native = h[0].astype(np.int16), c[0].astype(np.int16)
    status, pre_native, gates_native = native.step(lib, x[0].astype(np.int16), h_native, c_native)
    assert status == OK
    for stage, value, expected in (("pre", pre_native, pre), ("gates", gates_native, gates), ("cell", c_native, c_new),
                                   ("hidden", h_native, h_new)):
        tally.equal(value, expected[0], f"512 x 512 LSTM {stage}")
    dense = blob.Dense(np.ones(d, np.float32), bias[:d], mx[:d], shift[:d], wx[:d])
    v = h_new[0].astype(np.int16)
    tally.equal(NativeDense(dense).run(lib.nanornn_dense_s8_s32, v, np.zeros(d, np.int32)),
                fx.sat32(reference.dense(dense, h_new))[0], "512 x 512 output Linear")
    tally.equal(NativeDense(dense).run(lib.nanornn_dense_relu_s8_s16, v, np.zeros(d, np.int16)),
                np.maximum(fx.sat16(reference.dense(dense, h_new)), 0)[0], "512 x 512 MLP Linear + ReLU")


def wrap(value, bits):
    """value modulo 2^bits, as a signed two's complement number."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def check_wrapping(lib, tally):
    """What the loader refuses, -128 weights and negative multipliers, still is defined behaviour: the
    sums wrap modulo 2^32 and 2^64 as in C#'s unchecked arithmetic (the sanitizer run holds it to that)."""
    d = layout.MAX_DIM
    w = np.full(d, -128, np.int8)
    v = np.full(d, fx.INT16_MIN, np.int16)
    m = np.array([-(1 << 31)], np.int32)
    shift, bias = np.array([1], np.uint8), np.array([5], np.int32)
    pre = np.zeros(1, np.int16)
    status = lib.nanornn_pre_activations_s8_s16(d, d, 1, ptr(w), ptr(w), ptr(m), ptr(m), ptr(shift), ptr(bias),
                                                ptr(v), ptr(v), ptr(pre))
    assert status == OK
    acc = wrap(d * 128 * 32768, 32)                                 # 2^31 wraps to -2^31
    total = wrap(acc * int(m[0]) * 2 + 1, 64)                       # 2^63 + 1 wraps to -2^63 + 1
    tally.equal(pre, [int(fx.sat16((total >> 1) + 5))], "wrapping pre-activation")
    q = np.zeros(1, np.int32)
    status = lib.nanornn_dense_s8_s32(1, d, ptr(w), ptr(m), ptr(shift), ptr(bias), ptr(v), ptr(q))
    assert status == OK
    tally.equal(q, [int(fx.sat32(((acc * int(m[0]) + 1) >> 1) + 5))], "wrapping output Linear")


# ---- Hostile arguments ----

def arguments(function, hidden=3, inputs=2, cell_type=blob.CELL_LSTM):
    """Valid arguments of an entry point, {name: value} in the C signature's order, with arrays of the
    sizes the header asks for; outputs start as 0x5A5A."""
    rows = rows_of(cell_type, hidden)
    def a(dtype, n, fill=1):
        return np.full(n, fill, dtype)
    weights = {"wx": a(np.int8, rows * inputs), "wh": a(np.int8, rows * hidden), "mx": a(np.int32, rows, 1 << 30),
               "mh": a(np.int32, rows, 1 << 30), "shift": a(np.uint8, rows, 30), "bias": a(np.int32, rows)}
    dense = {"rows": hidden, "columns": inputs, "w": a(np.int8, hidden * inputs), "m": a(np.int32, hidden, 1 << 30),
             "shift": a(np.uint8, hidden, 30), "bias": a(np.int32, hidden), "v": a(np.int16, inputs)}
    sentinel = 0x5A5A
    table = {
        "nanornn_pre_activations_s8_s16": {"inputs": inputs, "hidden": hidden, "rows": rows, **weights,
                                           "x": a(np.int16, inputs), "h": a(np.int16, hidden),
                                           "pre": a(np.int16, rows, sentinel)},
        "nanornn_lstm_cell_s16": {"hidden": hidden, "cell_frac_bits": 12, "pre": a(np.int16, 4 * hidden),
                                  "gates": a(np.int16, 4 * hidden, sentinel), "cell": a(np.int16, hidden, sentinel),
                                  "h": a(np.int16, hidden, sentinel)},
        "nanornn_gru_cell_s16": {"hidden": hidden, "pre": a(np.int16, 4 * hidden),
                                 "gates": a(np.int16, 4 * hidden, sentinel), "h": a(np.int16, hidden, sentinel)},
        "nanornn_rnn_tanh_cell_s16": {"hidden": hidden, "pre": a(np.int16, hidden), "h": a(np.int16, hidden, sentinel)},
        "nanornn_rnn_relu_cell_s16": {"hidden": hidden, "pre": a(np.int16, hidden), "h": a(np.int16, hidden, sentinel)},
        "nanornn_layer_step_s8_s16": {"cell_type": cell_type, "inputs": inputs, "hidden": hidden, "rows": rows,
                                      "cell_frac_bits": 12, **weights, "x": a(np.int16, inputs),
                                      "pre": a(np.int16, rows, sentinel), "gates": a(np.int16, rows, sentinel),
                                      "cell": a(np.int16, hidden, sentinel), "h": a(np.int16, hidden, sentinel)},
        "nanornn_dense_relu_s8_s16": {**dense, "u": a(np.int16, hidden, sentinel)},
        "nanornn_dense_s8_s32": {**dense, "q": a(np.int32, hidden, sentinel)},
    }
    return table[function]


def call(lib, function, args):
    values = [ptr(v) if isinstance(v, np.ndarray) or v is None else v for v in args.values()]
    return getattr(lib, function)(*values)


def tiny(args):
    """The same arguments with every array cut to one element."""
    return {k: v[:1].copy() if isinstance(v, np.ndarray) else v for k, v in args.items()}


def nulls(args):
    """The same arguments with every array NULL."""
    return {k: None if isinstance(v, np.ndarray) else v for k, v in args.items()}


HUGE = [0, -1, layout.MAX_DIM + 1, 1 << 16, (1 << 31) - 1, -(1 << 31)]
ROWS_HUGE = [0, -1, 4 * layout.MAX_DIM + 1, 1 << 16, (1 << 31) - 1, -(1 << 31)]


def hostile_calls():
    """(description, function, arguments, expected code) for every refusal the header promises."""
    calls = []
    for function in SIGNATURES:
        if not function.endswith(("_s16", "_s32")) or function == "nanornn_layer_check_s8_s16":
            continue                                                    # the check: the step's calls, below
        valid = arguments(function)
        sizes = [k for k in ("inputs", "hidden", "rows", "columns") if k in valid]
        for size in sizes:
            for value in HUGE if size != "rows" else ROWS_HUGE:
                if function == "nanornn_layer_step_s8_s16" and size == "rows":
                    continue
                for shape, make in (("NULL arrays", nulls), ("one-element arrays", tiny)):
                    args = make(dict(valid, **{size: value}))
                    calls.append((f"{function} {size} {value} with {shape}", function, args, C["NANORNN_ERROR_SIZE"]))
        for name, value in valid.items():
            if isinstance(value, np.ndarray):
                calls.append((f"{function} {name} NULL", function, dict(arguments(function), **{name: None}),
                              C["NANORNN_ERROR_NULL"]))
        if "shift" in valid:
            for bad in (0, 63, 255):
                args = arguments(function)
                args["shift"][-1] = bad                                 # the last row: all are checked before any write
                calls.append((f"{function} last shift {bad}", function, args, C["NANORNN_ERROR_SHIFT"]))
        if "cell_frac_bits" in valid:
            for bad in (-1, 0, 3, 16, 1 << 20):
                calls.append((f"{function} cell_frac_bits {bad}", function,
                              tiny(dict(valid, cell_frac_bits=bad)), C["NANORNN_ERROR_CELL_FRAC"]))
    step = "nanornn_layer_step_s8_s16"
    for cell_type in (-1, 0, 5, 1 << 30):
        calls.append((f"{step} cell type {cell_type}", step, nulls(arguments(step, cell_type=blob.CELL_LSTM)) | {
            "cell_type": cell_type}, C["NANORNN_ERROR_CELL_TYPE"]))
    for cell_type in (blob.CELL_LSTM, blob.CELL_GRU, blob.CELL_RNN_TANH, blob.CELL_RNN_RELU):
        valid = arguments(step, cell_type=cell_type)
        right = valid["rows"]
        for rows in sorted({right - 1, right + 1, valid["hidden"], 4 * valid["hidden"], 2 * valid["hidden"], 0,
                            -right, (1 << 31) - 1} - {right}):
            calls.append((f"{step} {blob.CELL_NAMES[cell_type]} rows {rows} for hidden {valid['hidden']}", step,
                          tiny(dict(valid, rows=rows)), C["NANORNN_ERROR_ROWS"]))
    calls.append((f"{step} hidden 513 and rows 2052", step, nulls(dict(arguments(step), hidden=513, rows=2052)),
                  C["NANORNN_ERROR_SIZE"]))
    check = "nanornn_layer_check_s8_s16"                                # the same checks, without the step
    calls += [(what.replace(step, check, 1), check, copy(args), code) for what, function, args, code in calls
              if function == step]
    return calls


def copy(args):
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in args.items()}


def check_hostile(lib):
    """Each hostile call returns its code and writes nothing; NULL and one-element arrays with huge
    sizes show that nothing was read either (a read would fault, or ASan would report it)."""
    calls = hostile_calls()
    for what, function, args, code in calls:
        before = {name: value.copy() for name, value in args.items() if isinstance(value, np.ndarray)}
        status = call(lib, function, args)
        assert status == code, f"{what}: returned {status}, expected {code}"
        written = [name for name, value in before.items() if not np.array_equal(value, args[name])]
        assert not written, f"{what}: {', '.join(written)} written"
    for cell_type in (blob.CELL_GRU, blob.CELL_RNN_TANH, blob.CELL_RNN_RELU):
        args = arguments("nanornn_layer_step_s8_s16", cell_type=cell_type)
        args["cell"] = None
        if cell_type != blob.CELL_GRU:
            args["gates"] = None
        assert call(lib, "nanornn_layer_step_s8_s16", args) == OK, f"{blob.CELL_NAMES[cell_type]} without unused arrays"
    for cell_type in (blob.CELL_LSTM, blob.CELL_GRU, blob.CELL_RNN_TANH, blob.CELL_RNN_RELU):
        args = arguments("nanornn_layer_step_s8_s16", cell_type=cell_type)
        before = copy(args)
        assert call(lib, "nanornn_layer_check_s8_s16", args) == OK, f"{blob.CELL_NAMES[cell_type]} check"
        assert all(np.array_equal(v, args[k]) for k, v in before.items() if isinstance(v, np.ndarray)), \
            f"{blob.CELL_NAMES[cell_type]}: nanornn_layer_check_s8_s16 wrote"
    return len(calls)


def check_all(path):
    """Every check on the library at path; returns a one-line summary."""
    lib = load(path)
    tally = Tally()
    cases = check_golden(lib, tally)
    golden_arrays, golden_values = tally.arrays, tally.values
    check_activations(lib, tally)
    check_cells_on_extremes(lib, tally)
    check_largest(lib, tally)
    check_wrapping(lib, tally)
    refused = check_hostile(lib)
    return (f"{cases} golden cases: {golden_arrays} stage arrays, {golden_values} values equal; "
            f"all checks: {tally.arrays} arrays, {tally.values} values equal; {refused} hostile calls refused")


def main(argv):
    if len(argv) != 2:
        print("usage: native_kernels.py LIBRARY", file=sys.stderr)
        return 2
    print(check_all(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
