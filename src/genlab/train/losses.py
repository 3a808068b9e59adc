"""GAN losses as small pure functions of the discriminator's logits.

Arguments are keyword-only: real and fake swapped by position is a silent, classic bug.
log D = -softplus(-l) and log(1 - D) = -softplus(l) keep every loss finite for any logit l.
Each averages over the last axis: logits (B,) give one loss, a stack's logits (M, B) one loss per member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F


def d_minimax(*, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """D maximises log D(x) + log(1 - D(G(z))); we minimise its negative."""
    return F.softplus(-real_logits).mean(-1) + F.softplus(fake_logits).mean(-1)


def g_saturating(*, fake_logits: torch.Tensor) -> torch.Tensor:
    """The original minimax G: minimise log(1 - D(G(z))). Its gradient vanishes as D(G(z)) → 0."""
    return -F.softplus(fake_logits).mean(-1)


def g_nonsaturating(*, fake_logits: torch.Tensor) -> torch.Tensor:
    """Maximise log D(G(z)): strong gradients exactly where the saturating loss has none."""
    return F.softplus(-fake_logits).mean(-1)


def d_least_squares(*, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """LSGAN on D's raw score (no sigmoid): (D(x) - 1)² + D(G(z))²."""
    return (real_logits - 1).pow(2).mean(-1) + fake_logits.pow(2).mean(-1)


def g_least_squares(*, fake_logits: torch.Tensor) -> torch.Tensor:
    return (fake_logits - 1).pow(2).mean(-1)


def axis_moments(z: torch.Tensor, eps: float = 1e-8) -> dict[str, torch.Tensor]:
    """Mean, variance and kurtosis of every latent axis over the batch: z (B, D) -> three (D,) tensors.

    Per axis, not over the flattened B×D tensor: a code can be standard normal overall and far from it on
    every single axis.
    """
    mean = z.mean(0)
    centred = z - mean
    var = centred.pow(2).mean(0)
    return {"mean": mean, "var": var, "kurt": centred.pow(4).mean(0) / (var.pow(2) + eps)}


def moment_losses(z: torch.Tensor) -> dict[str, torch.Tensor]:
    """(mean)², (variance − 1)² and (kurtosis − 3)², each averaged over the latent axes."""
    m = axis_moments(z)
    return {"mean": m["mean"].pow(2).mean(), "var": (m["var"] - 1).pow(2).mean(), "kurt": (m["kurt"] - 3).pow(2).mean()}


@dataclass(frozen=True)
class GANLoss:
    d: Callable[..., torch.Tensor]
    g: Callable[..., torch.Tensor]
    output: Callable[[torch.Tensor], torch.Tensor]  # what "D(x)" means for this loss: probability or raw score


LOSSES = {
    "saturating": GANLoss(d_minimax, g_saturating, torch.sigmoid),
    "nonsaturating": GANLoss(d_minimax, g_nonsaturating, torch.sigmoid),
    "least_squares": GANLoss(d_least_squares, g_least_squares, lambda logits: logits),
}
