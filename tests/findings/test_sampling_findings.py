"""Every verdict of the moment-matched autoencoder section."""

from __future__ import annotations

import numpy as np
import pytest

from genlab.findings.sampling import MATTERS, across_seeds, as_intended, coverage, independence, recon_cost


def exactly_correlated(n: int, d: int, rho: float, seed: int = 0) -> np.ndarray:
    """n codes on d axes whose sample correlation is exactly rho between axes 0 and 1 and exactly 0 elsewhere."""
    z = np.random.default_rng(seed).standard_normal((n, d))
    z -= z.mean(0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)  # whitened: sample covariance I
    target = np.eye(d)
    target[0, 1] = target[1, 0] = rho
    return z @ np.linalg.cholesky(target).T


def test_independent_axes_pass_and_correlated_axes_fail():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((500, 10))
    assert independence(z)["verdict"] == "uncorrelated"
    z[:, 1] = 0.6 * z[:, 0] + 0.8 * z[:, 1]  # still N(0, 1) per axis: moments alone cannot see this
    found = independence(z)
    assert found["verdict"] == "correlated" and found["max_abs_corr"] == pytest.approx(0.6, abs=0.08)


@pytest.mark.parametrize("rho, verdict", [(MATTERS + 0.01, "correlated"), (MATTERS - 0.01, "weakly_correlated")])
def test_a_correlation_just_above_and_just_below_the_size_that_matters(rho, verdict):
    """At n = 5,000 a correlation of 0.19 is far beyond what independent axes give (0.05), yet too small to matter."""
    found = independence(exactly_correlated(5000, 10, rho))
    assert found["verdict"] == verdict and found["line"] < 0.06


@pytest.mark.parametrize("shift, verdict", [(0.005, "correlated"), (-0.005, "uncorrelated")])
def test_a_correlation_just_outside_and_just_inside_what_independent_axes_give(shift, verdict):
    line = independence(np.random.default_rng(0).standard_normal((60, 10)))["line"]  # 0.52 at n = 60, 45 pairs
    assert line > MATTERS
    assert independence(exactly_correlated(60, 10, line + shift))["verdict"] == verdict


@pytest.mark.parametrize("shift, verdict", [(0.05, "higher"), (-0.05, "lower"), (0.0, "no clear difference")])
def test_coverage_over_draws(shift, verdict):
    rng = np.random.default_rng(1)
    plain = 0.6 + 0.01 * rng.standard_normal(20)
    found = coverage(plain + shift + 0.01 * rng.standard_normal(20), plain)
    assert found["verdict"] == verdict and found["df"] == 19
    assert coverage(plain[:2] + 0.5, plain[:2])["verdict"] == "too_few_to_tell"


def test_one_training_seed_is_too_few_to_tell_whether_the_moment_losses_work():
    one = across_seeds(np.array([0.2]))
    assert one["verdict"] == "too_few_to_tell"
    assert not as_intended(one, {"verdict": "uncorrelated"})
    three = across_seeds(np.array([0.2, 0.21, 0.19]))
    assert three["verdict"] == "higher" and as_intended(three, {"verdict": "uncorrelated"})
    assert as_intended(three, {"verdict": "weakly_correlated"}) and not as_intended(three, {"verdict": "correlated"})


def test_the_reconstruction_cost_is_a_paired_t_over_held_out_images():
    rng = np.random.default_rng(0)
    plain = rng.normal(0.02, 0.005, 40)
    assert recon_cost(plain + 0.01, plain)["verdict"] == "higher"  # the moment losses cost reconstruction
    assert recon_cost(plain + rng.normal(0, 1e-4, 40), plain)["verdict"] == "no clear difference"
    assert recon_cost(plain[:2] + 0.01, plain[:2])["verdict"] == "too few to tell"
