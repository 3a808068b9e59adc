"""Every verdict of the GAN inversion section, from hand-made per-image measurements."""

from __future__ import annotations

import numpy as np
import pytest

from genlab.findings.inversion import by_class, code_norm, inversion_findings, restarts, spearman

RNG = np.random.default_rng(0)
JITTER = 0.01 * RNG.standard_normal(40)


@pytest.mark.parametrize("norm, verdict", [(5.0, "outside"), (3.0, "inside"), (4.11, "no clear difference")])
def test_code_norm(norm, verdict):
    assert code_norm(norm + JITTER, dim=10)["verdict"] == verdict  # 1.3 × √10 = 4.11


@pytest.mark.parametrize("rho, verdict", [(0.6, "worse"), (-0.6, "better"), (0.2, "no clear difference")])
def test_spearman(rho, verdict):
    assert spearman(rho, n=60)["verdict"] == verdict  # s.e. 0.14


@pytest.mark.parametrize("spread, verdict", [(2.0, "matter"), (1.01, "hardly"), (1.2, "no clear difference")])
def test_restarts(spread, verdict):
    assert restarts(spread * np.exp(JITTER))["verdict"] == verdict


def test_by_class():
    labels = np.repeat([0, 1], 20)
    assert by_class(np.where(labels == 0, 0.02, 0.06) + 0.001 * JITTER, labels)["verdict"] == "different"
    assert by_class(0.04 + JITTER, labels)["verdict"] == "no clear difference"


@pytest.mark.parametrize("fine, coarse, verdict", [
    (0.03, 0.01, "fine_dominates"), (0.01, 0.03, "coarse_dominates"), (0.02, 0.02, "no clear difference"),
])
def test_scale(fine, coarse, verdict):
    base = np.full(40, 0.02)
    images = {"no_prior_mse": base + 0.001 * JITTER, "prior_mse": base * 1.1, "nearest_mse": base * 2,
              "z_norm_no_prior": 3 + JITTER, "restart_spread": np.full(40, 1.1), "coarse": coarse + 0.001 * JITTER,
              "fine": fine + 0.001 * RNG.standard_normal(40), "error_share": 0.6 + JITTER,
              "area_share": np.full(40, 0.13), "ink": RNG.random(40), "high_freq": RNG.random(40)}
    found = inversion_findings(images, dim=10, labels=None)
    assert found["scale"]["verdict"] == verdict
    assert (found["prior_cost"]["verdict"], found["against_nearest"]["verdict"], found["location"]["verdict"]) == (
        "costs", "gan_better", "concentrated")
