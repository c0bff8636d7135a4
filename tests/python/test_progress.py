"""Progress of long runs: one self-overwriting line on a terminal, nothing when output is piped."""
import io
import os
import pty
import subprocess
import sys

from conftest import QUANTIZE, run_quantize
from nanornn import blob, golden
from nanornn.progress import Progress


class Stream(io.StringIO):
    """A stream that says whether it is a terminal."""

    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_progress_writes_nothing_when_not_a_terminal():
    stream = Stream(tty=False)
    with Progress("export", stream) as progress:
        progress("replaying 64 calibration sequences: input range max (1 of 4)")
        progress("done")
    assert stream.getvalue() == ""


def test_progress_rewrites_one_line_on_a_terminal_and_clears_it():
    stream = Stream(tty=True)
    with Progress("soak", stream) as progress:
        progress("step 100 of 5000, 4 streams")
        progress("step 200")
    lines = stream.getvalue().split("\r")
    assert len(lines) == 5 and lines[0] == "" and lines[4] == ""      # no newline: one line, rewritten
    assert lines[1].startswith("soak: ") and lines[1].endswith(" s  step 100 of 5000, 4 streams")
    assert lines[2].rstrip().endswith(" s  step 200") and len(lines[2]) == len(lines[1])   # blanks the rest
    assert lines[3] == " " * len(lines[2].rstrip())                  # cleared on leaving


def soak_args(tmp_path):
    name, model, _ = next(iter(golden.cases()))
    path = tmp_path / f"{name}.nrnn"
    path.write_bytes(blob.to_bytes(model))
    return ["soak", path, "-o", tmp_path / "soak.csv", "--steps", 300, "--every", 100]


def test_a_long_command_is_quiet_when_piped(tmp_path):
    result = run_quantize(*soak_args(tmp_path))
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_long_command_shows_progress_on_a_terminal(tmp_path):
    """stderr on a pseudo-terminal: the progress line, rewritten and cleared; stdout unchanged."""
    master, slave = pty.openpty()
    result = subprocess.run([sys.executable, QUANTIZE, *map(str, soak_args(tmp_path))], stdout=subprocess.PIPE,
                            stderr=slave, text=True)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:         # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert result.returncode == 0 and result.stdout.startswith("wrote ")
    text = shown.decode()
    assert "soak: " in text and "step 200 of 300" in text and "\n" not in text.replace("\r\n", "")
    assert text.endswith("\r")
