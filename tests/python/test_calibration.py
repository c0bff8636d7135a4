"""Calibration choices, each tested for its effect on the measured |Δlogit| against float.

The error is the integer reference's last-step logits against a float64 run of the same weights
(calibration.logit_error); no expected value below comes from the code under test.
"""
import numpy as np
import pytest
import torch

from nanornn import calibration, demo, export, recognise


def state_of(seed, channels=4, hidden=12, classes=3):
    torch.manual_seed(seed)
    module = demo.build_module(channels, hidden, classes)
    return {k: v.detach().double().numpy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_outliers_get_a_percentile_scale_with_lower_error_than_plain_max(seed):
    state = state_of(seed)
    rng = np.random.default_rng(seed)
    calib = rng.normal(0, 1, (64, 20, 4))
    calib[5, 3, 1], calib[40, 11, 1] = 300.0, -250.0          # two glitches in channel 1
    x = rng.normal(0, 1, (200, 20, 4))                          # held-out data without glitches
    chosen = export.quantize(state, calib).model
    plain_range = calibration.INPUT_HEADROOM * np.max(np.abs(calib), axis=(0, 1))
    plain = export.quantize(state, calib, input_range=plain_range).model
    assert chosen.input_scale[1] < plain.input_scale[1] / 10   # a percentile, not the glitch, sets it
    structure = recognise.find_structure(state)
    chosen_error, plain_error = (calibration.logit_error(structure, chosen, x),
                                 calibration.logit_error(structure, plain, x))
    assert chosen_error[0] < plain_error[0] / 2 and chosen_error[1] < plain_error[1] / 2, (chosen_error, plain_error)


def test_clean_calibration_data_keeps_the_clip_free_max():
    state = state_of(4)
    calib = np.random.default_rng(4).normal(0, 1, (64, 20, 4))
    model = export.quantize(state, calib).model
    expected = calibration.INPUT_HEADROOM * np.max(np.abs(calib), axis=(0, 1)) / 32767
    assert np.allclose(model.input_scale, expected, rtol=1e-6)


@pytest.mark.parametrize("seed", [1, 2])   # models whose max |c| lies in (1/1.5, 1): headroom changes cf
def test_cell_headroom_protects_longer_and_stronger_inputs(seed):
    """Calibrated on short, quiet sequences (max |c| < 1), run on longer, louder ones: without
    headroom the cell saturates at ±1; with the exporter's headroom it does not, at no cost on the
    calibration data. The input range is fixed wide so that only the cell format differs."""
    state = state_of(seed)
    rng = np.random.default_rng(seed)
    calib, x = rng.normal(0, 0.5, (32, 10, 4)), rng.normal(0, 1.5, (200, 30, 4))
    rows = calibration.measure_cell_formats(recognise.find_structure(state), calib, lambda cf: export.quantize(
        state, calib, input_range=np.full(4, 16.0), cell_frac_bits=cf).model, x)
    tight = rows[0]
    chosen = next(row for row in rows if row[1] == [export.quantize(state, calib).model.cell_frac_bits])
    assert tight[1] == [15] and chosen[1][0] < 15               # Q0.15 without headroom
    assert chosen[3][0] < tight[3][0] / 2                       # held-out worst error at least halved
    assert chosen[2][0] <= tight[2][0] * 1.2                    # calibration data: no real cost
