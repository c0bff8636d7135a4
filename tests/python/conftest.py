import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(REPO, "tools")
sys.path.insert(0, TOOLS)

QUANTIZE = os.path.join(TOOLS, "quantize.py")


def run_quantize(*args):
    """Run the CLI as a user would; returns the CompletedProcess (text mode)."""
    return subprocess.run([sys.executable, QUANTIZE, *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="session")
def desktop():
    """A callable running the desktop runner built from tools/NanoRnn.Desktop (built once)."""
    out = os.path.join(REPO, "tools", "NanoRnn.Desktop", "bin", "pytest")
    build = subprocess.run(["dotnet", "build", os.path.join(REPO, "tools", "NanoRnn.Desktop"),
                            "--nologo", "-v", "q", "-o", out], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    dll = os.path.join(out, "NanoRnn.Desktop.dll")

    def run(*args):
        return subprocess.run(["dotnet", dll, *map(str, args)], capture_output=True, text=True)
    return run
