"""GAN losses as small pure functions of the discriminator's logits.

Arguments are keyword-only: real and fake swapped by position is a silent, classic bug.
log D = -softplus(-l) and log(1 - D) = -softplus(l) keep every loss finite for any logit l.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F


def d_minimax(*, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """D maximises log D(x) + log(1 - D(G(z))); we minimise its negative."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_saturating(*, fake_logits: torch.Tensor) -> torch.Tensor:
    """The original minimax G: minimise log(1 - D(G(z))). Its gradient vanishes as D(G(z)) → 0."""
    return -F.softplus(fake_logits).mean()


def g_nonsaturating(*, fake_logits: torch.Tensor) -> torch.Tensor:
    """Maximise log D(G(z)): strong gradients exactly where the saturating loss has none."""
    return F.softplus(-fake_logits).mean()


def d_least_squares(*, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """LSGAN on D's raw score (no sigmoid): (D(x) - 1)² + D(G(z))²."""
    return (real_logits - 1).pow(2).mean() + fake_logits.pow(2).mean()


def g_least_squares(*, fake_logits: torch.Tensor) -> torch.Tensor:
    return (fake_logits - 1).pow(2).mean()


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
