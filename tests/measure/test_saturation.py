from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from genlab.measure.saturation import loss_shapes, saturation
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
