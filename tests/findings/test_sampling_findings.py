"""Every verdict of the moment-matched autoencoder section."""

from __future__ import annotations

import numpy as np
import pytest

from genlab.findings.noise import paired
from genlab.findings.sampling import independence, nearer_the_data


def test_independent_axes_pass_and_correlated_axes_fail():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((500, 10))
    assert independence(z)["verdict"] == "uncorrelated"
    z[:, 1] = 0.6 * z[:, 0] + 0.8 * z[:, 1]  # still N(0, 1) per axis: moments alone cannot see this
    found = independence(z)
    assert found["verdict"] == "correlated" and found["max_abs_corr"] == pytest.approx(0.6, abs=0.08)


@pytest.mark.parametrize("shift, verdict", [(0.5, "higher"), (-0.5, "lower"), (0.0, "no clear difference")])
def test_paired(shift, verdict):
    rng = np.random.default_rng(1)
    b = rng.random(200)
    assert paired(b + shift + 0.01 * rng.standard_normal(200), b)["verdict"] == verdict


@pytest.mark.parametrize("moments, verdict", [(5.0, "nearer"), (7.0, "farther"), (6.05, "no clear difference")])
def test_nearer_the_data(moments, verdict):
    assert nearer_the_data(moments, 0.1, 6.0, 0.1)["verdict"] == verdict
