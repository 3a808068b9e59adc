"""Every verdict of the interpolation section, from hand-made per-pair tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from genlab.findings.interpolation import interpolation_findings


def _frame(gan_conf: float | None, spread: float = 0.01) -> pd.DataFrame:
    rows = []
    for pair, wobble in enumerate(spread * np.array([-1.0, 1.0, 0.5, -0.5, 0.0]), start=1):
        for model, conf, ratio in (("AE", 0.6, 1.05), ("GAN", gan_conf, 1.6)):
            row = {"pair": pair, "model": model, "nn_distance": 6.0 + wobble, "length_ratio": ratio + wobble}
            if gan_conf is not None:
                row["confidence"] = conf + wobble * (model == "GAN")
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("gan_conf, verdict", [
    (0.9, "gan_more_plausible"), (0.3, "ae_more_plausible"), (0.6, "no_clear_difference"), (None, "no_classifier"),
])
def test_interpolation_findings(gan_conf, verdict):
    found = interpolation_findings(_frame(gan_conf))
    assert found["verdict"] == verdict
    assert found["crossfade"]["verdict"] == "higher"  # the GAN's paths are the less like a cross-fade
    assert found["nn_distance"]["verdict"] == "no clear difference"


def test_below_the_minimum_pairs_every_comparison_is_too_few_to_tell():
    two = _frame(0.9)
    found = interpolation_findings(two[two["pair"] <= 2])
    assert found["verdict"] == "too_few_to_tell"
    assert found["crossfade"]["verdict"] == found["nn_distance"]["verdict"] == "too few to tell"


def test_a_no_clear_difference_carries_its_minimum_detectable_effect():
    found = interpolation_findings(_frame(0.6))
    assert found["verdict"] == "no_clear_difference" and found["confidence"]["detectable"] > 0
