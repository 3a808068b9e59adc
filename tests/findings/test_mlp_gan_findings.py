"""Every verdict of the MLP GAN section's memorisation and coverage checks."""

from __future__ import annotations

import pytest

from genlab.findings.mlp_gan import coverage, memorisation


@pytest.mark.parametrize("share, verdict", [
    (0.9, "copies"), (0.54, "slightly_closer_to_train"), (0.52, "no_clear_difference"), (0.38, "closer_to_held_out"),
])
def test_memorisation_against_a_half(share, verdict):
    assert memorisation(share, n=2000)["verdict"] == verdict  # s.e. 0.011 at n = 2,000


def test_a_small_sample_leaves_a_large_share_unclear():
    assert memorisation(0.6, n=20)["verdict"] == "no_clear_difference"


@pytest.mark.parametrize("share, verdict", [
    ([0.1] * 10, "even"),
    ([0.3] + [0.7 / 9] * 9, "uneven"),
    ([0.105] * 9 + [0.005], "classes_missing"),
    ([0.21] + [0.79 / 9] * 9, "even"),  # 0.21 is above 2 × 0.1, but not beyond its noise at n = 200
])
def test_coverage(share, verdict):
    assert coverage(share, n_fakes=200)["verdict"] == verdict
