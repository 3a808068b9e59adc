"""Every verdict of the GAN inversion section, from hand-made per-image measurements."""

from __future__ import annotations

import numpy as np
import pytest

from genlab.findings.inversion import by_class, code_norm, inversion_findings, restarts, spearman

RNG = np.random.default_rng(0)
JITTER = 0.01 * RNG.standard_normal(40)


@pytest.mark.parametrize("norm, verdict", [(5.5, "outside"), (3.0, "inside"), (4.82, "no clear difference")])
def test_code_norm(norm, verdict):
    found = code_norm(norm + JITTER, dim=10)
    assert found["outside_norm"] == pytest.approx(4.82, abs=0.01)  # χ_10's 99th percentile, not 1.3 × √10 = 4.11
    assert found["verdict"] == verdict


@pytest.mark.parametrize("rho, verdict", [(0.6, "worse"), (-0.6, "better"), (0.2, "no clear difference")])
def test_spearman(rho, verdict):
    found = spearman(rho, n=60)  # s.e. 0.14
    assert found["verdict"] == verdict and found["detectable"] == pytest.approx(2.84 * 0.1404, abs=0.01)


def test_spearman_below_the_minimum_is_too_few_to_tell():
    assert spearman(0.99, n=3)["verdict"] == "too_few_to_tell" and spearman(0.99, n=4)["verdict"] != "too_few_to_tell"


@pytest.mark.parametrize("spread, verdict", [(2.0, "matter"), (1.01, "hardly"), (1.2, "no clear difference")])
def test_restarts(spread, verdict):
    assert restarts(spread * np.exp(JITTER))["verdict"] == verdict


def test_by_class_is_kruskal_wallis_over_all_classes():
    labels = np.repeat(np.arange(10), 6)
    rng = np.random.default_rng(1)
    noise = 0.01 * rng.standard_normal(60)
    found = by_class(np.where(labels == 3, 0.08, 0.04) + noise, labels)
    assert found["verdict"] == "classes_differ" and found["worst"] == 3 and found["p"] < 0.01
    found = by_class(0.04 + noise, labels)
    assert found["verdict"] == "no clear difference" and 0 < found["detectable"] < 0.1


@pytest.mark.parametrize("per_class, verdict", [(2, "too_few_to_tell"), (3, "classes_differ")])
def test_by_class_at_the_minimum_n(per_class, verdict):
    labels = np.repeat([0, 1, 2], per_class)
    mse = np.where(labels == 0, 0.01, np.where(labels == 1, 0.05, 0.09)) + 0.001 * np.arange(len(labels)) % 3
    assert by_class(mse, labels)["verdict"] == verdict


@pytest.mark.parametrize("share, verdict", [
    (0.97, "finer_than_shuffled"), (0.80, "coarser_than_shuffled"), (0.92, "no clear difference"),
])
def test_scale_is_judged_against_the_shuffled_error(share, verdict):
    base = np.full(40, 0.02)
    images = {"no_prior_mse": base + 0.001 * JITTER, "prior_mse": base * 1.1, "nearest_mse": base * 2,
              "z_norm_no_prior": 3 + JITTER, "restart_spread": np.full(40, 1.1),
              "fine_share": share + JITTER, "shuffled_fine_share": 0.92 + 0.01 * RNG.standard_normal(40),
              "error_share": 0.6 + JITTER, "area_share": np.full(40, 0.13), "ink": RNG.random(40),
              "high_freq": RNG.random(40)}
    found = inversion_findings(images, dim=10, labels=None)
    assert found["scale"]["verdict"] == verdict
    assert (found["prior_cost"]["verdict"], found["against_nearest"]["verdict"], found["location"]["verdict"]) == (
        "costs", "gan_better", "concentrated")
