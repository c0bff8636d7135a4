"""The desktop simulation (drivers, FIFO, pipeline, network on a simulated sensor) against the
Python reference on the same samples: every window's decision must be the reference's, exactly.
"""
import os
import re

import numpy as np

from conftest import REPO
from nanornn import blob, demo, recording, reference

MODEL = os.path.join(REPO, "models", "default", "model.nrnn")


def decisions(path):
    rows = [line.split(",") for line in open(path).read().splitlines()[1:]]
    return [tuple(int(v) for v in row) for row in rows]


def test_recording_replay_matches_the_reference(tmp_path, desktop):
    counts, _ = demo.synthesize(12, np.random.default_rng(42))        # 12 one-second windows
    recording.write(tmp_path / "r.csv", counts.reshape(-1, 6), demo.RATE_HZ)
    run = desktop("simulate", "--model", MODEL, "--recording", tmp_path / "r.csv",
                  "--decisions", tmp_path / "d.csv")
    assert run.returncode == 0, run.stderr
    assert "samples 600, dropped 0, late 0, decisions 12" in run.stdout

    model = blob.read(MODEL)
    q = reference.run(model, counts)["q"]          # raw counts are the firmware's inputs as they are
    expected = []
    for w, scores in enumerate(q):
        best = int(np.argmax(scores))
        runner_up = max(int(s) for k, s in enumerate(scores) if k != best)
        expected.append((w * demo.STEPS + demo.STEPS - 1, best, int(scores[best]), int(scores[best]) - runner_up))
    assert decisions(tmp_path / "d.csv") == expected


def test_synthetic_scene_with_no_arguments(desktop):
    run = desktop("simulate")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "simulated: board esp32-devkitc-gy521 with an MPU-6050, synthetic scene of 10 gestures; model default-model.nrnn"
    assert lines[1] == ("NanoRnn on esp32-devkitc-gy521: 6 channels, 24 hidden, 5 classes (idle, shake, circle, flick, tilt) "
                        "at 50 Hz; packed kernel, weights in RAM")
    assert lines[2] == "model check: identical to the reference, 4 steps"
    assert re.fullmatch(r"step \d+ µs of a 20\.0 ms period \(the desktop clock: an ESP32 is far slower, docs/performance\.md\)", lines[3])
    assert "samples 500, dropped 0, late 0, decisions 10, uncertain 0, resets 10" in run.stdout
    matched = int(lines[-1].split(":")[1].split(" of ")[0])
    assert matched >= 8, run.stdout                    # the C# scene is not the training data's generator


def test_bad_recordings_are_refused_with_the_line(tmp_path, desktop):
    (tmp_path / "gap.csv").write_text("t_us,ax,ay,az,gx,gy,gz\n0,1,2,3,4,5,6\n40000,1,2,3,4,5,6\n")
    run = desktop("simulate", "--recording", tmp_path / "gap.csv")
    assert run.returncode == 1 and "line 3: t_us 40000 is not one period" in run.stderr
    (tmp_path / "big.csv").write_text("t_us,ax,ay,az,gx,gy,gz\n0,1,2,3,4,5,40000\n")
    run = desktop("simulate", "--recording", tmp_path / "big.csv")
    assert run.returncode == 1 and "line 2: gz '40000' is not a whole number in -32768..32767" in run.stderr
    (tmp_path / "cols.csv").write_text("t_us,ax,ay,az,gx,gy\n0,1,2,3,4,5\n")
    run = desktop("simulate", "--recording", tmp_path / "cols.csv")
    assert run.returncode == 1 and "line 1" in run.stderr
    run = desktop("simulate", "--board", "nope")
    assert run.returncode == 2 and "unknown board 'nope'" in run.stderr


def test_each_row_is_timed_from_the_row_before_it(tmp_path, desktop):
    """A recorder 0.1% slow (20 020 µs apart at 50 Hz) drifts a period behind after 1000 rows; each
    row is still one period after the previous one, within a quarter period, so it replays."""
    counts, _ = demo.synthesize(25, np.random.default_rng(7))
    rows = counts.reshape(-1, 6).astype(int)
    lines = ["t_us,ax,ay,az,gx,gy,gz"] + [f"{i * 20020}," + ",".join(map(str, row)) for i, row in enumerate(rows)]
    (tmp_path / "slow.csv").write_text("\n".join(lines) + "\n")
    run = desktop("simulate", "--recording", tmp_path / "slow.csv")
    assert run.returncode == 0, run.stderr
    assert f"samples {len(rows)}, dropped 0, late 0, decisions 25" in run.stdout
    # A row is refused only when it is more than a quarter period off one period after its predecessor.
    for late, accepted in ((5000, True), (5001, False)):
        edited = list(lines)
        edited[501] = f"{499 * 20020 + 20000 + late}," + lines[501].split(",", 1)[1]
        (tmp_path / "late.csv").write_text("\n".join(edited) + "\n")
        run = desktop("simulate", "--recording", tmp_path / "late.csv")
        assert (run.returncode == 0) == accepted, run.stderr
    assert (f"line 502: t_us {499 * 20020 + 25001} is not one period (20000 µs at 50 Hz) after the previous "
            f"sample's {499 * 20020}; expected {499 * 20020 + 20000} ± 5000") in run.stderr
