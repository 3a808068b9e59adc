"""Calibration of the training-history verdicts by simulation, at the quick and full configs' sizes: 10,000 steps
logged every 50 (a tail window of 20 log points) and a grid every 1,000 steps (10 grids, 5 in the second half)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from calibration import null_bound, power_bound, rate
from conftest import CONFIG

from genlab.findings.noise import POWER, Z
from genlab.findings.training import AHEAD, AS_VARIED, COLLAPSED, SEPARATES, balance, diversity

pytestmark = pytest.mark.simulation

TRAIN = CONFIG["mlp_gan"]["train"]
TAIL = int((TRAIN["steps"] // TRAIN["log_every"] + 1) * 0.1)  # training_facts' tail window: 10% of the log points
GRIDS = TRAIN["steps"] // TRAIN["grid_every"]
RHO = 0.3  # lag-1 autocorrelation between log points 50 steps apart: the networks drift slowly
SPREAD = 0.05  # s.d. of one log point's gap D(x) − D(G(z))


def _ar1(rng: np.random.Generator, n: int, rho: float = RHO) -> np.ndarray:
    x = np.empty(n)
    x[0] = rng.standard_normal()
    for i in range(1, n):
        x[i] = rho * x[i - 1] + math.sqrt(1 - rho**2) * rng.standard_normal()
    return x


def _tail(rng: np.random.Generator, gap: float) -> pd.DataFrame:
    return pd.DataFrame({"d_real": 0.5 + gap + SPREAD * _ar1(rng, TAIL), "d_fake": np.full(TAIL, 0.5)})


def test_the_config_sizes():
    assert TAIL == 20 and GRIDS == 10


def test_an_se_over_correlated_log_points_over_fires_and_batch_means_do_not():
    def per_point(rng):  # the s.e. this replaced: over the log points as if independent, normal Z
        gap = _tail(rng, AHEAD)
        g = gap["d_real"] - gap["d_fake"]
        return abs(g.mean() - AHEAD) > Z * g.std(ddof=1) / math.sqrt(len(g))
    assert rate(per_point) > 0.12  # about 16%
    assert rate(lambda rng: balance(_tail(rng, AHEAD))["verdict"] != "borderline") <= null_bound()


def test_batch_means_stay_near_the_level_at_stronger_correlation():
    """At lag-1 correlation 0.5 four batches of five points keep some correlation: about 6.7% against the per-point
    s.e.'s 27%."""
    assert rate(lambda rng: balance(pd.DataFrame({"d_real": 0.5 + AHEAD + SPREAD * _ar1(rng, TAIL, 0.5),
                                                  "d_fake": np.full(TAIL, 0.5)}))["verdict"] != "borderline") <= 0.1


def test_a_gap_at_the_separation_line_is_rarely_called_separating():
    assert rate(lambda rng: balance(_tail(rng, SEPARATES))["verdict"] == "d_separates") <= null_bound()


def test_balance_finds_a_gap_clearly_above_the_line():
    """A gap 0.15 above the AHEAD line (three times a log point's s.d.) is found at the stated power."""
    assert rate(lambda rng: balance(_tail(rng, AHEAD + 0.15))["verdict"] == "d_ahead") >= power_bound(POWER)


def _grids(rng: np.random.Generator, end: float, real: float = 10.0, noise: float = 0.5) -> list[list[float]]:
    return [[1000 * (i + 1), end * real + noise * rng.standard_normal()] for i in range(GRIDS)]


def test_diversity_at_the_as_varied_line_fires_at_most_at_its_level():
    assert rate(lambda rng: diversity(_grids(rng, AS_VARIED), 10.0)["verdict"] != "unclear") <= null_bound()


def test_diversity_at_the_collapse_line_fires_at_most_at_its_level():
    assert rate(lambda rng: diversity(_grids(rng, COLLAPSED), 10.0)["verdict"] == "collapsed") <= null_bound()
    assert rate(lambda rng: diversity(_grids(rng, COLLAPSED), 10.0)["collapsed"]) <= null_bound()  # the lowest


def test_diversity_finds_a_collapse_and_a_partial_one():
    """Spread 17% of the real one (the collapse the issue saw) is a collapse; 60% is a partial one."""
    assert rate(lambda rng: diversity(_grids(rng, 0.17), 10.0)["verdict"] == "collapsed") >= power_bound(POWER)
    assert rate(lambda rng: diversity(_grids(rng, 0.6), 10.0)["verdict"] == "less_varied") >= power_bound(POWER)
