"""Export refuses what the device would refuse, and says what the device needs: the sample rates the
sensors produce (the firmware's list, as `simulate` prints it), the loader's checks, and the managed
heap each kernel takes (held against the cost harness's measurement)."""
import os
import re
import subprocess

import numpy as np
import pytest
import torch

from conftest import REPO, run_quantize
from nanornn import blob, demo, device, export, structures
from nanornn.errors import ExportError

DEFAULT = os.path.join(REPO, "models", "default", "model.nrnn")


def state_of(module):
    return {k: v.detach().double().numpy() for k, v in module.state_dict().items()}


def test_export_refuses_rates_the_sensors_cannot_produce(tmp_path):
    torch.manual_seed(1)
    torch.save(demo.build_module(6, 4, 2).state_dict(), tmp_path / "m.pt")
    result = run_quantize("export", tmp_path / "m.pt", "-o", tmp_path / "m.nrnn", "--sample-rate", 30)
    assert result.returncode == 1 and not (tmp_path / "m.nrnn").exists()
    assert result.stderr == ("error: --sample-rate 30: the MPU-6050 and MPU-6886 sample exactly at 4, 5, 8, 10, 20, "
                             "25, 40, 50, 100, 125, 200, 250, 500, 1000 Hz (their 1 kHz output rate divided by 1 to 256)\n")
    state = state_of(demo.build_module(6, 4, 2))
    for rate in (60, 3, 7, 999, 65535, 2000):
        with pytest.raises(ExportError, match=f"--sample-rate {rate}: "):
            export.quantize(state, sample_rate=rate)
    for rate in device.sample_rates():
        assert export.quantize(state, sample_rate=rate).model.sample_rate_hz == rate


@pytest.mark.parametrize("rate", [30, 65535])
def test_simulate_refuses_a_rate_in_one_line_with_the_firmwares_list(tmp_path, desktop, rate):
    """A blob written past export (as an older tool might have): simulate says why, no stack trace.
    Its list of rates comes from SensorSampler.RateDivider; it must be export's."""
    model = blob.read(DEFAULT)
    model.sample_rate_hz = rate
    (tmp_path / "m.nrnn").write_bytes(blob.to_bytes(model))
    run = desktop("simulate", "--model", tmp_path / "m.nrnn")
    assert run.returncode == 1 and "Unhandled" not in run.stderr and "   at " not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'm.nrnn'}: records a sample rate of {rate} Hz")
    listed = re.search(r"samples exactly at ([0-9, ]+) Hz", lines[0])[1]
    assert [int(v) for v in listed.split(", ")] == device.sample_rates()


def test_a_blob_the_loader_would_refuse_is_never_written():
    result = export.quantize(state_of(demo.build_module(3, 4, 2)))
    result.model.layers[0].wx[0, 0] = -128        # the loader refuses -128 (weights are symmetric)
    with pytest.raises(ExportError, match=r"cannot be written as a blob the firmware loads: .*-128"):
        export.to_blob(result)


HARNESS_COLUMNS = re.compile(r"^\| (\S+) \| \d+ \| \d+ / \d+ \| (\d+) / (\d+) / (\d+) / \d+ \| (\d+) / \d+ / (\d+) \|")


def test_heap_figures_are_the_harness_measurement(tmp_path):
    """tools/NanoRnn.Bench counts what RnnModel.Load and each RnnNetwork constructor allocate, in
    nanoCLR's layout; device.py's arithmetic must give the same bytes for every structure."""
    models = {}
    for name, args in {"gru2-mlp": ("gru", 5, 12, 3, 2, 7, False, "tanh"), "rnn3-odd": ("rnn", 4, 9, 3, 3, 0, True, "relu"),
                       "lstm2-mlp": ("lstm", 3, 10, 4, 2, 6, False, "tanh"), "lstm": ("lstm", 6, 20, 5, 1, 0, False, "tanh")}.items():
        torch.manual_seed(len(models))
        records = {"class_names": ["rest", "a-much-longer-name", "x"], "check_steps": 5} if name == "gru2-mlp" else {}
        model = export.quantize(state_of(structures.Recurrent(*args)), nonlinearity=args[-1], every_step=args[-2],
                                **records).model
        (tmp_path / f"{name}.nrnn").write_bytes(blob.to_bytes(model))
        models[name] = model
    command = ["dotnet", "run", "-c", "Release", "--project", os.path.join(REPO, "tools", "NanoRnn.Bench"), "--",
               "il", "--steps", "2", "--warmup", "1"]
    for name in models:
        command += ["--model", str(tmp_path / f"{name}.nrnn")]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    measured = {m[1]: [int(v) for v in m.groups()[1:]] for m in map(HARNESS_COLUMNS.match, run.stdout.splitlines()) if m}
    assert sorted(measured) == sorted(models)
    for name, model in models.items():
        figures = device.heap_figures(model, len(blob.to_bytes(model)))
        predicted = [figures["compact"][0], figures["packed"][0], figures["streamed"][0],
                     figures["compact"][1], figures["streamed"][1]]
        assert predicted == measured[name], name


def test_a_model_too_large_for_the_heap_is_warned_about_with_every_kernel(tmp_path):
    torch.manual_seed(2)
    torch.save(demo.build_module(6, 128, 5).state_dict(), tmp_path / "big.pt")
    result = run_quantize("export", tmp_path / "big.pt", "-o", tmp_path / "big.nrnn")
    assert result.returncode == 0, result.stderr
    model = blob.read(tmp_path / "big.nrnn")
    figures = device.heap_figures(model, os.path.getsize(tmp_path / "big.nrnn"))
    assert max(figures["compact"]) > device.ESP32_HEAP_BYTES > max(figures["streamed"]) + device.STATIC_TABLES_HEAP
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1, result.stderr
    for kernel, (steady, peak) in figures.items():
        assert f"{kernel} {steady / 1000:.1f} KB (peak while loading {peak / 1000:.1f} KB)" in warning[0]
    assert warning[0].endswith("only streamed fits (the ESP32 application streams a blob over 32 KB from flash)")
    assert "ESP32 heap  compact" in result.stdout
    small = blob.read(DEFAULT)
    assert device.heap_warning(small, os.path.getsize(DEFAULT)) is None


def test_the_boards_digital_inputs_are_what_simulate_accepts(tmp_path, desktop):
    boards = device.board_digital_inputs()
    assert sorted(boards) == ["esp32-devkitc-gy521", "m5stickc-plus"]
    model = blob.read(DEFAULT)
    for board, count in boards.items():
        for index, accepted in ((count - 1, True), (count, False)):
            if index < 0:
                continue
            model.channel_source = np.array(list(model.channel_source[:5]) + [blob.channel_code(f"in{index}")], np.uint8)
            (tmp_path / "m.nrnn").write_bytes(blob.to_bytes(model))
            run = desktop("simulate", "--model", tmp_path / "m.nrnn", "--board", board, "--windows", 1)
            assert (run.returncode == 0) == accepted, (board, index, run.stderr)
            assert accepted or f"reads digital input {index} but the board has {count}" in run.stderr
    names = ["ax", "ay", "az", "gx", "gy", f"in{max(boards.values())}"]
    assert "no board in boards/ has" in device.digital_input_warning(names)
    assert device.digital_input_warning(names[:5] + ["in0"]) is None
