"""Every command README.md shows, and the pages that take over its topics (docs/accuracy.md, docs/nanoclr.md),
run as written, so that a broken example fails the tests.

The commands are read from the pages themselves: fenced `sh` blocks, and inline code that starts with
a program (python3, dotnet, bash, …), a tool command (`quantize.py …`, `simulate …`), an option
with its value (`--board m5stickc-plus`) or a Python statement the page tells the reader to run
(`torch.save(…)`, `np.savez(…)`). Each must have an entry in HOW, which says how it runs here or
why it cannot; a command a page gains without an entry fails `test_every_readme_command_is_covered`.
They run in a folder that links the repository's files beside the user's (model.pt, X.npy, …), as
from the repository's root. Two things differ from the text: "…" stands for what the README leaves
out and is dropped, and `dotnet run --project tools/…` is given the project's real path (MSBuild
would restore it afresh under a linked path).
"""
import importlib.util
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from conftest import REPO
from nanornn import blob, generated, goal, structures

README = os.path.join(REPO, "README.md")
PAGES = [README] + [os.path.join(REPO, "docs", name) for name in ("accuracy.md", "nanoclr.md")]
STARTS = ("python3 ", "quantize.py ", "dotnet ", "bash ", "simulate", "soak ", "sudo ", ".ci/", "cmake ", "nuget ",
          "msbuild ", "nanoclr ", "NANOCLR=", "torch.save(", "torch.jit.script(", "np.savez(")
DESKTOP = "dotnet run --project tools/NanoRnn.Desktop --"


def readme_commands():
    """Commands in README.md and the PAGES, in order, each once."""
    return list(dict.fromkeys(command for page in PAGES for command in page_commands(page)))


def page_commands(page):
    """Commands in one page, in order."""
    text = open(page, encoding="utf-8").read()
    found = []
    for kind, body in re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S):
        if kind == "sh":
            joined = re.sub(r"\\\n\s*", "", body)
            found += [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`\n]+)`", prose):
        if span.startswith(STARTS) or re.match(r"--[a-z-]+ \S", span):
            found.append(span)
    return found


def shell(command):
    """As written, with the Python the tests run under, "…" dropped and dotnet projects by their real path."""
    command = re.sub(r",?…", "", command).strip()
    command = command.replace("--project tools/", f"--project {REPO}/tools/")
    return re.sub(r"^python3 ", f"{sys.executable} ", command)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder that holds the repository's files (linked) and the files the README's commands name."""
    folder = tmp_path_factory.mktemp("readme")
    for name in os.listdir(REPO):
        if name != ".git":
            os.symlink(os.path.join(REPO, name), folder / name)
    rng = np.random.default_rng(5)
    np.save(folder / "calib.npy", rng.normal(0, 1, (32, 20, 6)).astype(np.float32))
    np.save(folder / "X.npy", rng.normal(0, 1, (40, 20, 6)).astype(np.float32))
    np.save(folder / "y.npy", rng.integers(0, 5, 40))
    counts, _ = __import__("nanornn.demo", fromlist=["demo"]).synthesize(3, rng)
    lines = ["t_us,ax,ay,az,gx,gy,gz"] + [f"{i * 20000}," + ",".join(str(int(v)) for v in row)
                                          for i, row in enumerate(counts.reshape(-1, 6))]
    (folder / "R.csv").write_text("\n".join(lines) + "\n")
    # The README's model, from its own code block, as a module (torch.jit.script reads its source).
    code = re.search(r"```python\n(.*?)```", open(README, encoding="utf-8").read(), flags=re.S)[1]
    (folder / "readme_model.py").write_text("import torch\nfrom torch import nn\n\n\n" + textwrap.dedent(code))
    spec = importlib.util.spec_from_file_location("readme_model", folder / "readme_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    namespace = {"nn": torch.nn, "torch": torch, "np": np}
    torch.manual_seed(5)
    namespace["model"] = module.SimpleLSTM()
    namespace["sequences"] = [rng.normal(0, 1, (t, 6)).astype(np.float32) for t in (5, 9, 3)]
    namespace["lengths"] = np.array([5, 9, 3])
    namespace["padded"] = np.zeros((3, 9, 6), np.float32)
    return folder, namespace


def run(folder, command, code=0):
    result = subprocess.run(shell(command), shell=True, cwd=folder, capture_output=True, text=True)
    assert result.returncode == code, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def python(folder, namespace, statement):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        exec(statement, namespace)
    finally:
        os.chdir(cwd)


EXPORT = ("python3 tools/quantize.py export model.pt -o model.nrnn --calibration calib.npy --input-mean "
          "-226.2,22.9,15529.2,8.2,1.2,-27.6 --input-std 5299.1,3162.3,3139.2,4165.2,8727.7,5560.5")
REPORT = "python3 tools/quantize.py report model.pt --data X.npy --labels y.npy --calibration calib.npy --out report"
RNN_STATE_DICT = """
class Rnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(6, 8, nonlinearity="relu")
        self.fc = nn.Linear(8, 5)
torch.save(Rnn().state_dict(), "rnn.pt")
"""


def desktop(folder, options):
    """A desktop command, through the runner the first `dotnet run` built."""
    return run(folder, f"dotnet run --no-build --project tools/NanoRnn.Desktop -- {options}")


def quantize(folder, options):
    return run(folder, f"python3 tools/quantize.py {options}")


HOW = {}       # README command -> how it runs here (a function of the workspace), or why it cannot (a string)


def covers(*commands):
    def register(function):
        for command in commands:
            HOW[command] = function
        return function
    return register


def cannot(reason, *commands):
    for command in commands:
        HOW[command] = reason


# In the order they run: later ones use what earlier ones wrote.
@covers(f"{DESKTOP} simulate", "simulate")
def simulate(folder, namespace):
    """As written, building the runner; prints the README's first and closing lines."""
    shown = re.search(r"prints, for example:\n\n```\n(.*?)```", open(README, encoding="utf-8").read(), flags=re.S)[1]
    shown = [line for line in shown.splitlines() if line and line != "…"]
    lines = run(folder, f"{DESKTOP} simulate").stdout.splitlines()
    assert lines[0] == shown[0] and lines[-2:] == shown[-2:], lines


@covers("simulate --recording R.csv", "--board m5stickc-plus", "--decisions OUT.csv", "--faults nack@2,unplug@6,plug@8,…",
        "--sensor mpu6500")
def simulate_options(folder, namespace):
    mpu6500 = desktop(folder, "simulate --sensor mpu6500 --windows 2").stdout
    assert "with an MPU-6500" in mpu6500 and "sensor: MPU-6500 (WHO_AM_I 0x70) at 0x68 on I2C1, FIFO 512 bytes" in mpu6500
    assert "samples 150, dropped 0" in desktop(folder, "simulate --recording R.csv").stdout
    assert "board m5stickc-plus" in desktop(folder, "simulate --board m5stickc-plus --windows 2").stdout
    desktop(folder, "simulate --windows 2 --decisions OUT.csv")
    assert len((folder / "OUT.csv").read_text().splitlines()) == 3
    assert "sensor: MPU-6050, fifo overflows" in desktop(folder, "simulate --faults nack@2,unplug@6,plug@8").stdout


@covers('torch.save(model.state_dict(), "model.pt")', EXPORT)
def export(folder, namespace):
    python(folder, namespace, 'torch.save(model.state_dict(), "model.pt")')
    assert "wrote model.nrnn" in run(folder, EXPORT).stdout


@covers("--class-names idle,shake,circle,flick,tilt")
def class_names(folder, namespace):
    run(folder, EXPORT.replace("model.nrnn", "named.nrnn") + " --class-names idle,shake,circle,flick,tilt")
    named = blob.read(folder / "named.nrnn")
    assert named.class_names == ["idle", "shake", "circle", "flick", "tilt"] and named.check_inputs.shape == (4, 6)


@covers("--state-dict-key KEY")
def checkpoint(folder, namespace):
    python(folder, namespace, 'torch.save({"epoch": 3, "model": model.state_dict(), "best": model.state_dict()}, "ckpt.pt")')
    assert "checkpoint: took its 'model'" in quantize(folder, "export ckpt.pt -o k.nrnn --state-dict-key model").stdout


@covers('torch.jit.script(model).save("model.pt")')
def torchscript(folder, namespace):
    python(folder, namespace, 'torch.jit.script(model).save("script.pt")')
    assert "checked: the forward of script.pt" in quantize(folder, "export script.pt -o s.nrnn").stdout


@covers("--rnn-nonlinearity relu")
def rnn_relu(folder, namespace):
    python(folder, namespace, RNN_STATE_DICT)
    quantize(folder, "export rnn.pt -o r.nrnn --rnn-nonlinearity relu")
    assert blob.read(folder / "r.nrnn").cell_type == blob.CELL_RNN_RELU


@covers("--channels ax,ay,az,gx,gy,gz --sample-rate 50")
def for_the_pipeline(folder, namespace):
    run(folder, EXPORT.replace("model.nrnn", "pipeline.nrnn") + " --channels ax,ay,az,gx,gy,gz --sample-rate 50")
    assert "decisions 2" in desktop(folder, "simulate --model pipeline.nrnn --windows 2").stdout


@covers(REPORT, "quantize.py report model.pt --data X.npy …")
def report(folder, namespace):
    line = run(folder, REPORT).stdout.strip()
    assert re.fullmatch(r"report: sequences=40 .* goal=(met|missed) worst_stage=\S+ checked=no", line), line
    assert (folder / "report" / "report.md").exists()


@covers("quantize.py reference model.nrnn X.npy -o ref.csv", f"{DESKTOP} infer --model model.nrnn --input X.npy --output cs.csv")
def reference_and_infer(folder, namespace):
    quantize(folder, "reference model.nrnn X.npy -o ref.csv")
    desktop(folder, "infer --model model.nrnn --input X.npy --output cs.csv")
    assert (folder / "cs.csv").read_bytes() == (folder / "ref.csv").read_bytes()


@covers('np.savez("X.npz", *sequences)', 'np.savez("X.npz", x=padded, lengths=lengths)')
def npz(folder, namespace):
    for statement in ('np.savez("X.npz", *sequences)', 'np.savez("X.npz", x=padded, lengths=lengths)'):
        python(folder, namespace, statement)
        quantize(folder, "reference model.nrnn X.npz -o npz-ref.csv")
        desktop(folder, "infer --model model.nrnn --input X.npz --output npz-cs.csv")
        assert (folder / "npz-cs.csv").read_bytes() == (folder / "npz-ref.csv").read_bytes()
        assert len((folder / "npz-cs.csv").read_text().splitlines()) == 4


@covers("--input-units counts", "soak --input X.npy")
def counts(folder, namespace):
    np.save(folder / "counts.npy", np.full((2, 20, 6), 1000, np.int16))
    quantize(folder, "reference model.nrnn counts.npy -o c.csv --input-units counts")
    desktop(folder, "infer --model model.nrnn --input counts.npy --output c-cs.csv --input-units counts")
    assert (folder / "c-cs.csv").read_bytes() == (folder / "c.csv").read_bytes()
    quantize(folder, "soak model.nrnn -o soak.csv --input X.npy --steps 40 --every 20")
    assert len((folder / "soak.csv").read_text().splitlines()) == 1 + 40 * 2


@covers("python3 tools/quantize.py demo")
def demo_model(folder, namespace):
    """As written it retrains the committed default model in place: here one epoch, into a folder of its own."""
    quantize(folder, "demo --epochs 1 --out demo")
    assert blob.read(folder / "demo" / "model.nrnn").class_count == 5


@covers("python3 tools/quantize.py goal --output docs/accuracy.md", "python3 tools/quantize.py structures --output docs/accuracy.md")
def tables_of_the_accuracy_page(folder, namespace):
    """Each writes its region of docs/accuracy.md: here into a copy (docs/ is the repository's own), whose
    tables must be the committed ones, figure for figure (both commands are seeded)."""
    committed = open(os.path.join(REPO, "docs", "accuracy.md"), encoding="utf-8").read()
    (folder / "accuracy.md").write_text(committed, encoding="utf-8")
    for command, region in (("goal", goal.REGION), ("structures", structures.REGION)):
        assert "wrote the" in quantize(folder, f"{command} --output accuracy.md").stdout
        now = generated.region((folder / "accuracy.md").read_text(encoding="utf-8"), region)
        assert generated.tables(now) == generated.tables(generated.region(committed, region)), \
            f"docs/accuracy.md does not show what `quantize.py {command}` measures now: run it with --output docs/accuracy.md"


@covers("bash tests/run-on-nanoclr.sh", "--parse FILE")
def nanoclr_script(folder, namespace):
    """Without nanoCLR it says what to install (exit 3); with it, what it ran. --parse counts a saved output."""
    result = subprocess.run("bash tests/run-on-nanoclr.sh", shell=True, cwd=folder, capture_output=True, text=True)
    assert result.returncode in (0, 1, 3, 4), result.stdout + result.stderr
    (folder / "nanoclr.txt").write_text("Test passed,NanoRnn.Tests.A.One,10\nTest passed,NanoRnn.Tests.A.Two,12\n")
    parsed = run(folder, "bash tests/run-on-nanoclr.sh --parse nanoclr.txt")
    assert parsed.stdout.strip().endswith("nanoCLR: 2 passed, 0 failed, 0 skipped")


@covers("sudo apt-get install -y python3-torch python3-numpy python3-pytest python3-matplotlib gcc libc6-dev")
def packages(folder, namespace):
    """What it installs is what these tests run on."""
    run(folder, "python3 -c 'import torch, numpy, pytest, matplotlib'")
    run(folder, "command -v gcc")


cannot("installs packages, then runs bash tests/run-all.sh, which runs this test", ".ci/run")
cannot("runs this test", "bash tests/run-all.sh")
cannot("Windows, Visual Studio's nanoFramework extension", "nuget restore nf.proj.sln", "msbuild nf.proj.sln",
       "msbuild nf.proj.sln -p:Configuration=Release",
       "nuget pack firmware/NanoRnn.nuspec -Version 1.0.0 -OutputDirectory C:\\nuget-local")
cannot("the NuGet copy here serves no nanoclr tool", "dotnet tool install -g nanoclr")
cannot("what run-on-nanoclr.sh calls once nanoCLR is installed",
       "nanoclr run --assemblies mscorlib.pe nanoFramework.UnitTestLauncher.pe nanoFramework.TestFramework.pe … NFUnitTest.pe")
cannot("needs nanoCLR's POSIX build and .pe files built with the nanoFramework build",
       "NANOCLR=…/nanoFramework.nanoCLR.test bash tests/run-on-nanoclr.sh --pe-folder FOLDER")


def test_every_readme_command_is_covered():
    commands = readme_commands()
    missing = [c for c in commands if c not in HOW]
    stale = [c for c in HOW if c not in commands]
    assert not missing, f"README commands with no entry in tests/python/test_readme.py HOW: {missing}"
    assert not stale, f"entries in HOW that README.md no longer shows: {stale}"


def test_every_readme_command_runs(workspace):
    folder, namespace = workspace
    done = set()
    for how in HOW.values():
        if callable(how) and how not in done:
            how(folder, namespace)
            done.add(how)
