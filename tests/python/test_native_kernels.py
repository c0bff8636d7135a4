"""The native kernels (firmware/NanoRnn.Native/native), compiled with the host's gcc, against the
integer reference: every golden case at every stage, exactly equal, as the C# kernels are held to it.

Built twice into pytest's temporary folder: warnings as errors (-std=c99 -pedantic -Wall -Wextra
-Werror -O2), and with AddressSanitizer and UBSan, whose run happens in a fresh Python that loads
ASan first (LD_PRELOAD) and fails on the first report. Without gcc the tests fail: CI installs it.
"""
import os
import subprocess
import sys

import pytest

import native_kernels as nk
from nanornn import blob, golden, layout
from nanornn import fixedpoint as fx

CASES = golden.cases()


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    return nk.load(nk.build(str(tmp_path_factory.mktemp("native")), "libnanornn.so"))


def test_header_constants_are_the_blob_formats():
    c = nk.C
    assert (c["NANORNN_CELL_LSTM"], c["NANORNN_CELL_GRU"], c["NANORNN_CELL_RNN_TANH"], c["NANORNN_CELL_RNN_RELU"]) == (
        blob.CELL_LSTM, blob.CELL_GRU, blob.CELL_RNN_TANH, blob.CELL_RNN_RELU)
    assert c["NANORNN_MAX_DIM"] == layout.MAX_DIM
    assert c["NANORNN_MAX_LAYERS"] == layout.MAX_LAYERS
    assert (c["NANORNN_MIN_SHIFT"], c["NANORNN_MAX_SHIFT"]) == (layout.SHIFT_MIN, layout.SHIFT_MAX)
    assert (c["NANORNN_MIN_CELL_FRAC_BITS"], c["NANORNN_MAX_CELL_FRAC_BITS"]) == (layout.CELL_FRAC_MIN,
                                                                                  layout.CELL_FRAC_MAX)
    codes = [value for name, value in c.items() if name.startswith("NANORNN_ERROR_")]
    assert c["NANORNN_OK"] == 0 and len(set(codes)) == len(codes) and all(code < 0 for code in codes)


@pytest.mark.parametrize("name,model,x_int", CASES, ids=[case[0] for case in CASES])
def test_golden_case_every_stage_bit_for_bit(lib, name, model, x_int):
    tally = nk.Tally()
    nk.check_case(lib, name, model, x_int, tally)
    # Per step: the head, and per layer pre, gates, hidden (and an LSTM's cell), each by both paths.
    sequences, steps, _ = x_int.shape
    per_step = 1 + sum(2 * (4 if layer.cell_type == blob.CELL_LSTM else 3) for layer in model.layers)
    assert tally.arrays == sequences * steps * per_step


def test_activations_at_every_int16(lib):
    tally = nk.Tally()
    nk.check_activations(lib, tally)
    assert tally.values == 2 * (fx.INT16_MAX - fx.INT16_MIN + 1)


def test_cells_on_extreme_states_and_every_cell_frac_bits(lib):
    nk.check_cells_on_extremes(lib, nk.Tally())


def test_largest_dimensions_and_multipliers(lib):
    nk.check_largest(lib, nk.Tally())


def test_refused_inputs_wrap_as_csharp_does(lib):
    nk.check_wrapping(lib, nk.Tally())


def test_hostile_arguments_refused_before_any_access(lib):
    assert nk.check_hostile(lib) > 200


def test_sanitizers_find_nothing(tmp_path):
    """Every check above again, on a build with -fsanitize=address,undefined -fno-sanitize-recover=all."""
    path = nk.build(str(tmp_path), "libnanornn-asan.so", nk.SANITIZERS)
    asan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    assert os.path.isabs(asan) and os.path.exists(asan), f"gcc does not know libasan.so ({asan!r}): install libasan"
    env = dict(os.environ, LD_PRELOAD=asan, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=99",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98")
    result = subprocess.run(["/usr/bin/python3", nk.__file__, path], capture_output=True, text=True, env=env,
                            cwd=str(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for report in ("AddressSanitizer", "runtime error", "UndefinedBehaviorSanitizer", "LeakSanitizer"):
        assert report not in output, output
    assert "golden cases" in result.stdout, output
    print(result.stdout.strip())
