"""Calibration of the interpolation section's verdicts by simulation (DESIGN §3), at the number of pairs
config.yaml and config/quick.yaml walk (across + within): no effect fires at most the nominal rate, an effect at the
quoted minimum detectable size is found at the power the paired t test has at that n."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from calibration import null_bound, power_bound, rate
from conftest import CONFIG, REPO
from scipy.stats import nct

from genlab.findings.interpolation import interpolation_findings
from genlab.findings.noise import MIN_N, critical, detectable

pytestmark = pytest.mark.simulation

QUICK = yaml.safe_load((REPO / "config/quick.yaml").read_text())["ae"].get("interpolation", {})
FULL = CONFIG["ae"]["interpolation"]
N_PAIRS = sorted({FULL["across"] + FULL["within"],
                  QUICK.get("across", FULL["across"]) + QUICK.get("within", FULL["within"]), MIN_N})
SD = 0.1  # per-pair spread of each measure's GAN − AE difference


def _frame(rng: np.random.Generator, n: int, gain: float = 0.0) -> pd.DataFrame:
    """n pairs, each with its own level (pairs differ more than models), the GAN's confidence `gain` above the AE's."""
    rows = []
    for pair in range(n):
        level = rng.uniform(0.4, 0.8)
        for model, shift in (("AE", 0.0), ("GAN", gain)):
            noise = rng.normal(0, SD / math.sqrt(2), 3)
            rows.append({"pair": pair, "model": model, "nn_distance": 6 + level + noise[0],
                         "length_ratio": 1.3 + level + noise[1], "confidence": level + shift + noise[2]})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", N_PAIRS)
def test_no_difference_between_the_models_fires_at_most_the_nominal_rate(n):
    def fires(rng):
        found = interpolation_findings(_frame(rng, n))
        return [found["verdict"] != "no_clear_difference", found["crossfade"]["verdict"] in ("higher", "lower"),
                found["nn_distance"]["verdict"] in ("higher", "lower")]

    results = np.array([fires(np.random.default_rng(seed)) for seed in range(400)])
    assert (results.mean(axis=0) <= null_bound(400)).all()


@pytest.mark.parametrize("n", N_PAIRS)
def test_a_confidence_gain_at_its_detectable_size_is_found_at_the_power_of_the_paired_t(n):
    se = SD / math.sqrt(n)
    gain = detectable(se, n - 1)
    power = float(nct.sf(critical(n - 1), n - 1, gain / se))
    assert power > 0.75
    assert rate(lambda rng: interpolation_findings(_frame(rng, n, gain))["verdict"] == "gan_more_plausible") >= \
        power_bound(power)


def test_two_pairs_are_too_few_to_tell():
    assert interpolation_findings(_frame(np.random.default_rng(0), MIN_N - 1, 5.0))["verdict"] == "too_few_to_tell"
