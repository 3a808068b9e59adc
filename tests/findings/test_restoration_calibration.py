"""Calibration of the restoration section's verdicts by simulation, at the configs' sizes: 30 held-out images in
config/quick.yaml and 50 in config.yaml, each degraded by the 4 masks of config.yaml (2 scattered, 2 blocks)."""

from __future__ import annotations

import numpy as np
import pytest
from calibration import null_bound, power_bound, rate

from genlab.findings.restoration import restoration_findings

pytestmark = pytest.mark.simulation

SIZES = [30, 50]
KINDS = {"random50": "random", "random80": "random", "center": "center", "bottom": "half"}


def per_image(rng, n: int, gains: dict[str, float], sd: float = 2.0) -> dict:
    """Per-image PSNRs (dB) of G's fill and the baselines; an image's difficulty is shared by every mask and method,
    G's gain over the mean fill is gains[mask] plus per-image noise of s.d. `sd`."""
    difficulty = 20 + 3 * rng.standard_normal(n)
    return {name: {"kind": kind, "mean": difficulty, "nearest": difficulty + sd * rng.standard_normal(n),
                   "generator": difficulty + gains[name] + sd * rng.standard_normal(n)}
            for name, kind in KINDS.items()}


@pytest.mark.parametrize("n", SIZES)
def test_no_mask_is_called_a_gain_or_a_loss_when_g_equals_the_mean_fill(n):
    def fires(rng):
        masks = restoration_findings(per_image(rng, n, dict.fromkeys(KINDS, 0.0)))["masks"]
        return any(m["vs_mean"]["verdict"] != "no clear difference" for m in masks.values())
    assert rate(fires) <= null_bound()


@pytest.mark.parametrize("n", SIZES)
def test_equal_gains_do_not_separate_scattered_from_blocks(n):
    def fires(rng):
        return restoration_findings(per_image(rng, n, dict.fromkeys(KINDS, 1.0)))["shape"]["verdict"] in (
            "scattered_easier", "overlap")
    assert rate(fires) <= null_bound()


@pytest.mark.parametrize("n", SIZES)
def test_a_loss_of_the_detectable_size_is_found(n):
    """One mask loses by the minimum detectable effect the section quotes (per-image s.d. 2 dB of the gain)."""
    probe = restoration_findings(per_image(np.random.default_rng(99), n, dict.fromkeys(KINDS, 0.0)))
    loss = probe["masks"]["center"]["vs_mean"]["detectable"]
    def fires(rng):
        return "center" in restoration_findings(per_image(rng, n, {**dict.fromkeys(KINDS, 0.0),
                                                                   "center": -loss}))["loses_to_mean"]
    assert rate(fires) >= power_bound(0.8) - 0.05  # the quoted size is one sample's estimate of it


def test_scattered_masks_well_ahead_are_found_easier():
    """Scattered masks 2.5 dB ahead of the blocks (per-image s.d. of a pair's difference 2√2 dB, 30 images): each of
    the 4 pairs must pass the corrected Z, so 2 dB is found only ~64% of the time."""
    gains = {"random50": 3.5, "random80": 3.5, "center": 1.0, "bottom": 1.0}
    fired = rate(lambda rng: restoration_findings(per_image(rng, 30, gains))["shape"]["verdict"] == "scattered_easier")
    assert fired >= power_bound(0.8)
