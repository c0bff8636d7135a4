"""The integer helpers and tables the firmware mirrors (docs/model-format.md)."""
from fractions import Fraction

import numpy as np
import pytest

from nanornn import fixedpoint as fx


def test_rshr_rounds_half_up_for_both_signs():
    assert [int(fx.rshr(v, 1)) for v in (-3, -2, -1, 0, 1, 2, 3)] == [-1, -1, 0, 0, 1, 1, 2]
    assert int(fx.rshr(-6, 2)) == -1   # -1.5 -> -1 (half up)
    assert int(fx.rshr(10, 2)) == 3    # 2.5 -> 3


@pytest.mark.parametrize("acc,real", [(123456789, 0.000731), (-2**31, 0.99), (2**31 - 1, 3.7e-9),
                                      (-77, 1234.5), (0, 0.5)])
def test_rescale_matches_exact_rational_rounding(acc, real):
    m, s = fx.quantize_multiplier(real)
    exact = Fraction(acc) * Fraction(m, 2**s) + Fraction(1, 2)
    assert int(fx.rescale(acc, m, s)) == exact.numerator // exact.denominator
    assert abs(m / 2**s - real) <= real * 2**-30


@pytest.mark.parametrize("accx,realx,acch,realh", [
    (123456789, 0.000731, -98765432, 3.1e-5),
    (-2**31 + 1, 2.5e-4, 2**31 - 1, 2.5e-4),       # equal shifts: nothing narrowed
    (7, 1234.5, -3, 1e-9),                          # shifts far apart
    (-1000, 0.5, 999, 0.25),
    (0, 0.0, 5, 0.001),                             # an all-zero row (multiplier 0, shift 31)
])
def test_rescale_sum_is_one_rounding_of_both_products(accx, realx, acch, realh):
    """One rounding (half up) of accx·mx'·2^-s + acch·mh'·2^-s, and mx'·2^-s within half a unit
    at 2^-s of the blob's mx·2^-sx (the same for h)."""
    mx, sx = fx.quantize_multiplier(realx)
    mh, sh = fx.quantize_multiplier(realh)
    mx2, mh2, s = (int(v) for v in fx.common_shift(mx, sx, mh, sh))
    assert s == min(sx, sh)
    for m, shift, m2 in ((mx, sx, mx2), (mh, sh, mh2)):
        assert abs(Fraction(m2, 2**s) - Fraction(m, 2**shift)) <= Fraction(1, 2**(s + 1))
    exact = (Fraction(accx * mx2) + Fraction(acch * mh2)) / 2**s + Fraction(1, 2)
    assert int(fx.rescale_sum(accx, mx2, acch, mh2, s)) == exact.numerator // exact.denominator


def test_quantize_multiplier_normalises_and_bounds():
    for real in (1e-12, 1e-6, 0.25, 0.9999999999, 1.0, 1000.0, 2.0**29):
        m, s = fx.quantize_multiplier(real)
        assert 1 <= s <= 62 and 0 <= m < 2**31
        if s < 62:
            assert m >= 2**30
    assert fx.quantize_multiplier(0.0) == (0, 31)
    with pytest.raises(ValueError, match="too large"):
        fx.quantize_multiplier(2.0**31)
    with pytest.raises(ValueError):
        fx.quantize_multiplier(float("nan"))


def test_tables_are_monotonic_and_bounded():
    for table in (fx.SIGMOID, fx.TANH):
        assert len(table) == fx.TABLE_SIZE
        assert np.all(np.diff(table) >= 0)
        assert table.min() >= -32768 and table.max() <= 32767
    assert fx.SIGMOID[256] == 16384 and fx.TANH[256] == 0


def test_activation_error_over_every_input():
    # Measured 3.86e-5 (sigmoid) and 1.16e-4 (tanh); the bounds leave a little room, no more.
    sig, tan = fx.activation_errors()
    assert sig < 4e-5 and tan < 1.2e-4


def test_interpolation_is_exact_on_grid_points():
    k = np.arange(0, 512)
    v = (k << 7) - 32768
    assert np.array_equal(fx.sigmoid(v), fx.SIGMOID[k])
    assert np.array_equal(fx.tanh(v), fx.TANH[k])


def test_cell_to_q3_12():
    assert int(fx.to_q3_12(np.int64(3 << 13), 13)) == 3 << 12
    assert int(fx.to_q3_12(np.int64(-(5 << 9)), 9)) == -(5 << 12)
    assert int(fx.to_q3_12(np.int64(20000), 9)) == 32767       # 39.06 saturates at +8
    assert int(fx.to_q3_12(np.int64(-20000), 9)) == -32768
