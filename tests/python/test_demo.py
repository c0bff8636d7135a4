"""The default model: reproducible from `quantize.py demo`, and as accurate as PyTorch's own int8."""
import filecmp
import os

import pytest

from conftest import REPO
from nanornn import blob, demo, report


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Train and export the default model afresh, as `quantize.py demo` does (about 40 s)."""
    out = tmp_path_factory.mktemp("demo")
    return out, demo.run(str(out), log=lambda _: None)


def test_trained_model_quantises_at_least_as_well_as_dynamic_int8(trained):
    _, figures = trained
    assert figures["float_accuracy"] > 0.95                      # the model learnt the gestures
    assert figures["nanornn_agreement"] >= 0.99
    assert figures["nanornn_agreement"] >= figures["dynamic_agreement"]
    assert figures["nanornn_max_dlogit"] <= figures["dynamic_max_dlogit"]
    assert figures["nanornn_accuracy"] >= figures["dynamic_accuracy"]


def test_committed_default_model_is_what_demo_makes(trained):
    out, _ = trained
    committed = os.path.join(REPO, "models", "default")
    # The plots too: matplotlib writes the same PNG bytes for the same figure (plots.py), as torch
    # trains the same weights, given the same Debian packages.
    names = ["model.nrnn", "model.labels", "sample-input.npy", "sample-labels.npy", "report.md",
             *report.PLOTS.values()]
    assert sorted(os.listdir(out)) == sorted(names + ["model.pt"])
    _, mismatch, errors = filecmp.cmpfiles(out, committed, names, shallow=False)
    assert not mismatch and not errors, f"run `python3 tools/quantize.py demo`: {mismatch + errors}"
    for name in report.PLOTS.values():
        assert os.path.getsize(os.path.join(committed, name)) < 100_000, name
    model = blob.read(os.path.join(committed, "model.nrnn"))
    assert (model.input_channels, model.class_count) == (6, len(demo.CLASSES))
