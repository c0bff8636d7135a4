"""What the device code accepts and what a model costs it, so that export can refuse or warn first.

Sample rates: firmware/NanoRnn.Pipeline/SensorSampler.cs sets the MPU-6050/MPU-6886 sample-rate
divider so that rate = output rate / (1 + divider), divider one byte, with the low-pass filter on
(DLPF_CFG 3, as the ESP32 application and `simulate` set it: a 1 kHz gyroscope output rate). Only
the rates that division gives exactly can be sampled; `simulate` prints the same list from the C#.

Managed heap: the arrays and objects RnnModel.Load and the RnnNetwork constructors allocate
(firmware/NanoRnn), in nanoCLR's layout as tools/NanoRnn.Bench counts it -- an array is its payload
plus a 20-byte header, rounded up to 12-byte blocks; an object is 12 bytes plus 12 per field; a
reference element is 12 bytes. tests/python/test_device.py holds these figures against the
harness's measurement.

Boards: the digital inputs each board in boards/ offers, read from its description
(`DigitalInputPins = new int[] { … }`), so that export can say when a channel names an input no
board has; tests/python/test_device.py holds the list against what `simulate --board` accepts.
"""
import glob
import os
import re

from . import blob

BOARDS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "boards")

SENSOR_OUTPUT_RATE_HZ = 1000   # gyroscope output rate with DLPF_CFG 1..6 (both chips)
MAX_RATE_DIVIDER = 255         # SMPLRT_DIV is one byte

ESP32_HEAP_BYTES = 100_000     # managed heap of a stock ESP32 without PSRAM: roughly 90-110 KB
STATIC_TABLES_HEAP = 5244      # NanoRnn.dll's activation and CRC-32 tables, once per application
STREAM_CHUNK_ROWS = 16         # the App's weight rows per read
LOAD_BUFFER_BYTES = 256        # RnnModel.LoadBufferBytes
READER_LOAD_HEAP = 336         # RnnModel.Load(reader, length) beyond Load(blob, false): buffer, header, state

REFERENCE = 12                 # a reference (or struct) element, as nanoCLR lays it out
OBJECT_FIELDS = {"RnnModel": 17, "RnnLayer": 13, "DenseLayer": 6, "BlobLayout": 12, "BlobSource": 13,
                 "PackedGatePreActivations": 11, "PairRescales": 5, "BlobRecords": 4,
                 "KernelPlan": 8, "PreparedLayer": 8, "RnnStages": 3}
# A class name's string as the harness counts it (an object without fields: 12 bytes), beside the
# char[] it is built from; nanoCLR also stores its text, at most 63 bytes a name, which is not counted.
STRING_HEAP = 12
PASS_PAIRS, BLOCK_COLUMNS, INPUT_BLOCK_COLUMNS = 16, 8, 2   # PackedGatePreActivations' layout


def sample_rates():
    """Every rate the sampler can configure exactly, in Hz, ascending."""
    return [rate for rate in range(1, SENSOR_OUTPUT_RATE_HZ + 1)
            if SENSOR_OUTPUT_RATE_HZ % rate == 0 and SENSOR_OUTPUT_RATE_HZ // rate - 1 <= MAX_RATE_DIVIDER]


def board_digital_inputs():
    """{board name: how many digital inputs it offers}, from boards/*/*.cs."""
    boards = {}
    for path in sorted(glob.glob(os.path.join(BOARDS, "*", "*.cs"))):
        text = open(path, encoding="utf-8").read()
        name = re.search(r'\bName = "([^"]+)"', text)
        pins = re.search(r"\bDigitalInputPins = new int\[(\d*)\]\s*(?:\{([^}]*)\})?", text)
        if name and pins:
            listed = [p for p in (pins[2] or "").split(",") if p.strip()]
            boards[name[1]] = len(listed) if pins[2] is not None else int(pins[1] or 0)
    return boards


def digital_input_warning(channel_names):
    """None, or a sentence when the channels name a digital input no board in boards/ has (the
    sampling pipeline refuses such a model on every one of them)."""
    wanted = [int(n[2:]) for n in channel_names or () if n.startswith("in")]
    boards = board_digital_inputs()
    if not wanted or any(max(wanted) < count for count in boards.values()):
        return None
    offers = "; ".join(f"{board} {'in0' + ('..in' + str(count - 1) if count > 1 else '') if count else 'none'}"
                       for board, count in boards.items())
    return (f"--channels names digital input in{max(wanted)}, which no board in boards/ has, so the sampling "
            f"pipeline refuses the model on all of them (their digital inputs: {offers})")


def array(payload):
    """nanoCLR heap bytes of an array of `payload` bytes."""
    return (payload + 20 + 11) // 12 * 12


def obj(name):
    return 12 + 12 * OBJECT_FIELDS[name]


def _round_up(value, multiple):
    return (value + multiple - 1) // multiple * multiple


def _dense(rows, columns):
    return obj("DenseLayer") + 2 * array(4 * rows) + array(rows) + array(rows * columns)


def model_heap(model, gate_weights=True):
    """What RnnModel.Load allocates (nothing is freed while it runs): the model, and its layout's garbage."""
    count = len(model.layers)
    heap = obj("BlobSource") + obj("RnnModel") + array(9 * model.input_channels) + array(REFERENCE * count)
    heap += obj("BlobLayout") + 6 * array(4 * count)
    for layer in model.layers:
        r = layer.rows
        heap += obj("RnnLayer") + 3 * array(4 * r) + 2 * array(r)          # bias, mx, mh; shift, sh
        if gate_weights:
            heap += array(r * layer.input_size) + array(r * layer.hidden_size)
    width = model.layers[-1].hidden_size
    if model.mlp is not None:
        heap += _dense(model.mlp.w.shape[0], width)
        width = model.mlp.w.shape[0]
    return heap + _dense(model.class_count, width) + _records_heap(model)


def _records_heap(model):
    """The records' object, the check sequence's arrays, the names (each read into a char[])."""
    heap = obj("BlobRecords")
    if model.check_inputs is not None:
        heap += array(2 * model.check_inputs.size) + array(4 * model.check_scores.size)
    if model.class_names is not None:
        heap += array(REFERENCE * len(model.class_names))
        heap += sum(array(2 * len(name)) + STRING_HEAP for name in model.class_names)
    return heap


def _packed_layer(layer):
    r, c, h = layer.rows, layer.input_size, layer.hidden_size
    pairs = _round_up(r // 2, PASS_PAIRS)
    columns = _round_up(c, INPUT_BLOCK_COLUMNS) + _round_up(h, BLOCK_COLUMNS)
    rescales = obj("PairRescales") + 4 * array(8 * (r // 2)) + array(4 * (r // 2))
    return (2 * array(4 * (r // 2))                                       # highRow, lowRow
            + obj("PackedGatePreActivations")
            + array(REFERENCE * (pairs // PASS_PAIRS)) + pairs // PASS_PAIRS * array(REFERENCE * PASS_PAIRS)
            + pairs * array(8 * columns)                                  # the packed rows
            + 2 * rescales + array(2 * columns) + 2 * array(8 * pairs))   # v; SumX, SumH


def network_heap(model, kernel):
    """What an RnnNetwork constructor allocates: kernel 'compact', 'packed' or 'streamed'."""
    count = len(model.layers)
    heap = obj("KernelPlan") + obj("RnnStages") + array(REFERENCE * count) + count * obj("PreparedLayer")
    widest = LOAD_BUFFER_BYTES
    for layer in model.layers:
        r, h = layer.rows, layer.hidden_size
        recurrent_only = layer.cell_type in (blob.CELL_RNN_TANH, blob.CELL_RNN_RELU)
        heap += array(2 * r) + array(2 * h) + (0 if recurrent_only else array(2 * r))
        heap += array(2 * h if layer.cell_type == blob.CELL_LSTM else 0)
        if kernel == "packed" and r % 2 == 0:
            heap += _packed_layer(layer)
        widest = max(widest, min(STREAM_CHUNK_ROWS, r) * (layer.input_size + h))
    if model.mlp is not None:
        heap += array(2 * model.mlp.w.shape[0])
    if kernel == "streamed":
        heap += array(widest)
    return heap


def heap_figures(model, blob_bytes):
    """{kernel: (steady, peak while loading)} in heap bytes, tables excluded. In RAM the blob itself
    is in the heap beside the model while it loads; streamed, the loader reads it from flash."""
    in_ram = model_heap(model)
    without = model_heap(model, gate_weights=False)
    figures = {kernel: (in_ram + network_heap(model, kernel), array(blob_bytes) + in_ram)
               for kernel in ("compact", "packed")}
    figures["streamed"] = (without + network_heap(model, "streamed"), without + READER_LOAD_HEAP)
    return figures


def heap_warning(model, blob_bytes):
    """None when the compact kernel, with the blob loaded into RAM, fits a stock ESP32's heap beside
    the tables; else a sentence with every kernel's figure and which of them fit."""
    figures = heap_figures(model, blob_bytes)
    budget = ESP32_HEAP_BYTES - STATIC_TABLES_HEAP
    if max(figures["compact"]) <= budget:
        return None
    kb = lambda n: f"{n / 1000:.1f} KB"  # noqa: E731
    parts = [f"{kernel} {kb(steady)} (peak while loading {kb(peak)})" for kernel, (steady, peak) in figures.items()]
    fits = [kernel for kernel, pair in figures.items() if max(pair) <= budget]
    advice = (f"only {' and '.join(fits)} fits (the ESP32 application streams a blob over 32 KB from flash)"
              if fits else "no kernel fits: make the model smaller, or use a board with PSRAM")
    return (f"the model needs about {', '.join(parts)} of managed heap, plus {kb(STATIC_TABLES_HEAP)} of tables; "
            f"a stock ESP32 has about {kb(ESP32_HEAP_BYTES)}: {advice}")


def heap_line(model, blob_bytes):
    figures = heap_figures(model, blob_bytes)
    return ("ESP32 heap  " + ", ".join(f"{kernel} {steady / 1000:.1f} KB (loading {peak / 1000:.1f} KB)"
                                       for kernel, (steady, peak) in figures.items())
            + f", plus {STATIC_TABLES_HEAP / 1000:.1f} KB of tables")
