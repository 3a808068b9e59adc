"""The shared decision rule: Student's t where the standard error is estimated, "too few to tell" below MIN_N, the
minimum detectable effect, and the calibration of each by simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from calibration import DRAWS, null_bound, power_bound, rate

from genlab.findings.noise import (
    ALPHA,
    MIN_N,
    NO_CLEAR,
    POWER,
    TOO_FEW,
    Z,
    critical,
    detectable,
    difference,
    named,
    paired,
    welch_df,
)


def test_the_critical_value_is_students_t_for_an_estimated_se_and_z_for_a_known_one():
    assert critical() == Z
    assert critical(1) == pytest.approx(13.97, abs=0.01)  # t at the two-sided level of Z = 2, one degree of freedom
    assert critical(4) == pytest.approx(2.869, abs=0.001)
    assert critical(10_000) == pytest.approx(Z, abs=1e-3)
    assert ALPHA == pytest.approx(0.0455, abs=1e-4)


def test_below_the_minimum_n_a_paired_comparison_is_too_few_to_tell():
    found = paired([10.0] * (MIN_N - 1), [0.0, 0.1][: MIN_N - 1])
    assert found["verdict"] == TOO_FEW and found["n"] == MIN_N - 1
    assert named(found, "up", "down")["verdict"] == "too_few_to_tell"
    assert paired([10.0, 10.1, 9.9], [0, 0, 0])["verdict"] == "higher"  # at MIN_N a large effect is found


@pytest.mark.parametrize("n", [3, 5])
def test_a_paired_mean_just_inside_and_just_outside_its_t_line(n):
    spread = np.array([-1.0, 1.0, 0.0, -0.5, 0.5][:n])
    spread = spread - spread.mean()
    se = spread.std(ddof=1) / math.sqrt(n)
    line = critical(n - 1) * se
    assert paired(spread + line * 1.01, np.zeros(n))["verdict"] == "higher"
    assert paired(spread + line * 0.99, np.zeros(n))["verdict"] == NO_CLEAR
    assert paired(spread - line * 1.01, np.zeros(n))["verdict"] == "lower"


def test_welch_degrees_of_freedom():
    assert welch_df(1, math.inf, 1, math.inf) == math.inf
    assert welch_df(1, 4, 1, 4) == pytest.approx(8)  # equal errors: the dfs add
    assert welch_df(1, 2, 0, math.inf) == pytest.approx(2)  # a known-zero error adds nothing
    found = difference(10, 1, 0, 1, a_df=1, b_df=1)  # two estimates of one df each: the difference has two
    assert found["df"] == pytest.approx(2) and found["critical"] == pytest.approx(critical(2))


@pytest.mark.parametrize("n", [3, 4, 5, 8, 30])
def test_a_paired_mean_under_the_null_passes_at_most_the_nominal_rate(n):
    """At every n the configs use, no-effect data passes ≤ 5% (+ MC error); a normal Z = 2 gave 17% at n = 3."""
    fp = rate(lambda rng: paired(rng.normal(size=n), np.zeros(n))["verdict"] != NO_CLEAR)
    assert fp <= null_bound()


def test_the_old_normal_z_at_small_n_fails_the_same_calibration():
    """The check can fail: |mean| > 2 s.e. at n = 3 passes noise far more often than 5%."""
    def z_rule(rng):
        x = rng.normal(size=3)
        return abs(x.mean()) > Z * x.std(ddof=1) / math.sqrt(3)
    assert rate(z_rule) > null_bound()


def test_two_seed_means_under_the_null_pass_at_most_the_nominal_rate():
    def fires(rng):
        a, b = rng.normal(size=3), rng.normal(size=4)
        return difference(a.mean(), a.std(ddof=1) / math.sqrt(3), b.mean(), b.std(ddof=1) / math.sqrt(4),
                          a_df=2, b_df=3)["verdict"] != NO_CLEAR
    assert rate(fires) <= null_bound()


@pytest.mark.parametrize("n", [5, 30])
def test_an_effect_of_the_minimum_detectable_size_is_found_at_its_power(n):
    """The MDE is what it says: a planted effect of that size (σ known to the planter) is found POWER of the time."""
    mde = detectable(1 / math.sqrt(n), n - 1)
    found = rate(lambda rng: paired(rng.normal(mde, 1, size=n), np.zeros(n))["verdict"] == "higher")
    assert power_bound(POWER) <= found <= 2 * POWER - power_bound(POWER)


def test_the_minimum_detectable_effect_of_a_known_se():
    assert detectable(1.0) == pytest.approx(Z + 0.8416, abs=0.01)  # the textbook z_α/2 + z_β
    assert detectable(math.inf) == math.inf and detectable(0.5, 4) > detectable(0.5)


def test_draws_are_never_zero():
    assert DRAWS >= 50
