"""Calibration of the sampling section's verdicts by simulation (DESIGN §3), at the configs' n: held-out codes
(n_samples, on the AE's latent sizes), replicate draws behind precision/recall, and training seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import yaml
from calibration import DRAWS, null_bound, power_bound, rate
from conftest import CONFIG, REPO
from scipy.stats import nct

from genlab.findings.noise import critical, detectable
from genlab.findings.sampling import across_seeds, coverage, independence
from genlab.measure.metrics import precision_recall

pytestmark = pytest.mark.simulation

QUICK = yaml.safe_load((REPO / "config/quick.yaml").read_text())["ae"]
SAMPLING = CONFIG["ae"]["sampling"]
N_CODES = sorted({SAMPLING["n_samples"], QUICK["sampling"].get("n_samples", SAMPLING["n_samples"])})
AXES = sorted(set(CONFIG["gan"]["net"]["latent_dim"].values()))  # the AE's code size is the GAN's, by image side
N_DRAWS = QUICK["sampling"].get("draws", SAMPLING["draws"])
assert N_DRAWS == SAMPLING["draws"]


@pytest.mark.parametrize("n", N_CODES)
@pytest.mark.parametrize("d", AXES)
def test_independent_axes_are_called_correlated_at_most_at_the_nominal_rate(n, d):
    """Twice the usual draws: the verdict is a maximum over up to 2,016 pairs, whose Bonferroni line leaves a rate
    near the nominal one (4.5%), where 400 draws of one stream can stray past the bound (seed 0: 7.5% at n = 1,000,
    d = 64; 6.1% over 800)."""
    draws = 2 * DRAWS
    assert rate(lambda rng: independence(rng.standard_normal((n, d)))["verdict"] != "uncorrelated", draws) <= \
        null_bound(draws)


@pytest.mark.parametrize("n", N_CODES)
@pytest.mark.parametrize("d", AXES)
def test_one_pair_correlated_at_the_quoted_detectable_size_is_found_at_80_percent(n, d):
    rho = independence(np.zeros((n, d)) + np.eye(n, d))["detectable"]

    def fires(rng):
        z = rng.standard_normal((n, d))
        z[:, 1] = rho * z[:, 0] + math.sqrt(1 - rho**2) * z[:, 1]
        return independence(z)["verdict"] != "uncorrelated"

    assert rate(fires) >= power_bound(0.8)


def _features(rng: np.random.Generator, n: int, shift: float = 0.0) -> torch.Tensor:
    """n feature vectors of a 16-d 'data' distribution, moved by `shift` along every axis."""
    return torch.from_numpy(rng.standard_normal((n, 16)) + shift)


def _draws(rng: np.random.Generator, shift_plain: float, n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """N_DRAWS replicate draws as the step makes them (fresh samples and a fresh real reference each) of the moment
    AE's and the plain AE's precision, the plain one's samples off the data by `shift_plain`. 100 samples per draw,
    not the configs' 500–1,000: the test unit is the draw, and its count is the configs'."""
    moments, plain = [], []
    for _ in range(N_DRAWS):
        real = _features(rng, n)
        moments.append(precision_recall(real, _features(rng, n), 3)[0])
        plain.append(precision_recall(real, _features(rng, n, shift_plain), 3)[0])
    return np.array(moments), np.array(plain)



def test_two_decoders_with_the_same_samples_distribution_differ_at_most_at_the_nominal_rate(one_thread):
    assert rate(lambda rng: coverage(*_draws(rng, 0.0))["verdict"] != "no clear difference", DRAWS // 2) <= \
        null_bound(DRAWS // 2)


def test_a_plain_decoder_off_the_data_loses_precision_beyond_the_draws_noise(one_thread):
    draws = DRAWS // 8
    assert rate(lambda rng: coverage(*_draws(rng, 0.5))["verdict"] == "higher", draws) >= power_bound(0.8, draws)


def test_a_planted_precision_gain_at_its_detectable_size_is_found_at_the_power_of_its_t_test():
    sd = 0.02  # per-draw spread of the difference
    se = sd / math.sqrt(N_DRAWS)
    gain = detectable(se, N_DRAWS - 1)
    power = float(nct.sf(critical(N_DRAWS - 1), N_DRAWS - 1, gain / se))
    assert power > 0.78
    assert rate(lambda rng: coverage(0.6 + gain + sd * rng.standard_normal(N_DRAWS),
                                     np.full(N_DRAWS, 0.6))["verdict"] == "higher") >= power_bound(power)


@pytest.mark.parametrize("seeds", [1, 3])
def test_seed_to_seed_gains_with_no_effect_pass_at_most_the_nominal_rate(seeds):
    verdicts = [across_seeds(np.random.default_rng(i).normal(0, 0.05, seeds))["verdict"] for i in range(DRAWS)]
    assert (set(verdicts) == {"too_few_to_tell"}) == (seeds < 3)
    assert np.mean([v in ("higher", "lower") for v in verdicts]) <= null_bound()
