from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from genlab.measure.saturation import fall, loss_shapes, saturation
from genlab.train.losses import LOSSES

CRITERION = {"grad_ratio": 0.01, "d_fake_below": 0.05, "min_steps": 100, "early_steps": 50}


def history(grad: list[float], d_fake: list[float], every: int = 25) -> pd.DataFrame:
    return pd.DataFrame({"step": np.arange(1, len(grad) + 1) * every, "g_grad_norm": grad, "d_fake": d_fake})


def test_a_run_whose_gradient_dies_while_d_wins_saturates_from_the_first_step_of_the_stretch():
    grad = [1.0, 2.0, 0.5, 0.005, 0.004, 0.003, 0.002, 0.001, 0.001]
    d_fake = [0.5, 0.3, 0.1, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]
    result = saturation(history(grad, d_fake), **CRITERION)
    assert result["saturated"] and result["from_step"] == 100 and result["early_grad_norm"] == 2.0


def test_small_gradients_while_g_fools_d_are_not_saturation():
    grad = [1.0, 2.0, 0.005, 0.005, 0.005, 0.005, 0.005, 0.005]
    result = saturation(history(grad, [0.5] * 8), **CRITERION)
    assert not result["saturated"] and result["from_step"] is None


def test_a_stretch_shorter_than_min_steps_does_not_count():
    grad = [2.0, 2.0, 0.001, 0.001, 0.001, 1.0] + [0.001] * 6
    d_fake = [0.01] * 12
    result = saturation(history(grad, d_fake), **CRITERION)
    assert result["saturated"] and result["from_step"] == 175  # the first stretch (75..125) spans only 50 steps
    assert result["flagged_fraction"] == 0.75


def test_analytic_derivatives_match_autograd_of_the_implemented_losses():
    d = np.array([0.01, 0.2, 0.5, 0.9])
    shapes = loss_shapes(d)
    logits = torch.logit(torch.tensor(d)).requires_grad_(True)
    for loss in ("saturating", "nonsaturating"):
        (grad,) = torch.autograd.grad(LOSSES[loss].g(fake_logits=logits) * len(d), logits)
        np.testing.assert_allclose(grad.numpy(), shapes[loss][1], rtol=1e-6)
        np.testing.assert_allclose(LOSSES[loss].g(fake_logits=logits).item(), shapes[loss][0].mean(), rtol=1e-6)
    scores = torch.tensor(d).requires_grad_(True)  # least squares works on the raw score
    (grad,) = torch.autograd.grad(LOSSES["least_squares"].g(fake_logits=scores) * len(d), scores)
    np.testing.assert_allclose(grad.numpy(), shapes["least_squares"][1], rtol=1e-6)


def test_fall_is_tail_window_median_against_peak_window_median():
    values = np.r_[[0.1], np.full(9, 1.0), np.full(10, 0.01)]
    found = fall(values, window=0.25)  # windows of 5 points
    assert found["window"] == 5 and found["peak"] == 1.0 and found["tail"] == 0.01
    assert found["decades"] == -2.0 and found["rose"]  # 1.0 against 0.1 from the untrained D


def test_fall_of_a_flat_noisy_series_is_near_zero():
    """The biased measure this replaces (largest of 200 noisy points against the last) reads about half a decade
    of "fall" in a flat series with this noise; window medians read a small fraction of that."""
    rng = np.random.default_rng(0)
    flat = [fall(np.exp(rng.normal(0, 0.5, 200)))["decades"] for _ in range(200)]
    old = [np.log10(v[-1] / v.max()) for v in (np.exp(rng.normal(0, 0.5, 200)) for _ in range(200))]
    assert -0.25 < np.mean(flat) <= 0 and np.mean(old) < -0.5
