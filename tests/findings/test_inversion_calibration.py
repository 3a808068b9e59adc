"""Calibration of the GAN inversion section's verdicts by simulation, at the configs' sizes: 64 held-out images in
config/quick.yaml and 100 in config.yaml, the same number from each of 10 classes where labelled."""

from __future__ import annotations

import numpy as np
import pytest
from calibration import null_bound, power_bound, rate

from genlab.findings.inversion import (
    RESTARTS_MATTER,
    by_class,
    code_norm,
    kruskal_detectable,
    restarts,
    scale,
    spearman,
)
from genlab.findings.noise import NO_CLEAR

pytestmark = pytest.mark.simulation

SIZES = [64, 100]


def _mse(rng, n):
    """Per-image MSE with the right skew: log-normal."""
    return np.exp(-4 + 0.5 * rng.standard_normal(n))


@pytest.mark.parametrize("n", SIZES)
def test_classes_with_one_error_distribution_are_not_called_different(n):
    labels = np.arange(n) % 10
    assert rate(lambda rng: by_class(_mse(rng, n), labels)["verdict"] == "classes_differ") <= null_bound()


@pytest.mark.parametrize("n", SIZES)
def test_one_class_off_by_the_detectable_shift_is_found(n):
    """The section's stated detectable shift (normal errors, one class off the rest) is found at 80% power."""
    labels = np.arange(n) % 10
    shift = kruskal_detectable(tuple(np.bincount(labels)))  # errors of s.d. 1: the shift in s.d. units
    fired = rate(lambda rng: by_class(rng.standard_normal(n) + shift * (labels == 0), labels)["verdict"]
                 == "classes_differ")
    assert fired >= power_bound(0.8)


@pytest.mark.parametrize("n", SIZES)
def test_a_structureless_error_is_not_called_finer_or_coarser(n):
    def fires(rng):
        shuffled = 0.92 + 0.02 * rng.standard_normal(n)
        return scale(0.92 + 0.02 * rng.standard_normal(n), shuffled)["verdict"] != NO_CLEAR
    assert rate(fires) <= null_bound()


def test_a_finer_error_is_found():
    n = 64
    def fires(rng):  # shares 0.02 apart per image, spread 0.03: 2.8 × the s.e. over 64 images' paired difference
        shuffled = 0.92 + 0.02 * rng.standard_normal(n)
        return scale(shuffled + 0.02 + 0.03 * rng.standard_normal(n), shuffled)["verdict"] == "finer_than_shuffled"
    assert rate(fires) >= power_bound(0.8)


@pytest.mark.parametrize("n", SIZES)
def test_independent_attributes_show_no_correlation(n):
    def fires(rng):
        from scipy.stats import spearmanr
        return spearman(float(spearmanr(_mse(rng, n), rng.random(n))[0]), n)["verdict"] != NO_CLEAR
    assert rate(fires) <= null_bound()


@pytest.mark.parametrize("n", SIZES)
def test_codes_at_the_quantile_are_not_called_outside(n):
    from scipy.stats import chi
    edge = chi.ppf(0.99, 10)
    fired = rate(lambda rng: code_norm(edge + 0.3 * rng.standard_normal(n), 10)["verdict"] != NO_CLEAR, seed=n + 1)
    assert fired <= null_bound()


@pytest.mark.parametrize("n", SIZES)
def test_restarts_at_the_threshold_are_not_called_either_way(n):
    def fires(rng):
        return restarts(RESTARTS_MATTER * np.exp(0.2 * rng.standard_normal(n)))["verdict"] != NO_CLEAR
    assert rate(fires, seed=n + 2) <= null_bound()


def test_the_median_start_grows_less_with_the_number_of_restarts_than_the_worst():
    """Why the median: over R equally good starts the worst-over-best ratio drifts up with R much faster."""
    rng = np.random.default_rng(0)
    ratios = {}
    for r in (4, 32):
        logs = np.log(np.exp(0.1 * rng.standard_normal((r, 2000))))
        ratios[r] = ((logs.max(0) - logs.min(0)).mean(), (np.median(logs, 0) - logs.min(0)).mean())
    worst_growth, median_growth = (ratios[32][i] - ratios[4][i] for i in range(2))
    assert median_growth < worst_growth
