"""Restoring masked images: composites, generator-free baselines, and metrics on the missing region."""

from __future__ import annotations

import torch

from genlab.measure.image_metrics import psnr, ssim


def composite(targets: torch.Tensor, masks: torch.Tensor, fill: torch.Tensor) -> torch.Tensor:
    """Keep the visible pixels, take the missing ones from `fill`: M⊙I + (1 − M)⊙fill."""
    return masks * targets + (1 - masks) * fill


def nearest_visible(targets: torch.Tensor, masks: torch.Tensor, train: torch.Tensor) -> torch.Tensor:
    """For each target, the training image nearest on the target's visible pixels only.

    ‖M⊙(T − I)‖² = M·T² − 2(M⊙I)·T + M·I², expanded over all training images T as two matrix products.
    """
    m = masks.expand_as(targets).flatten(1)  # (N, D)
    t = train.flatten(1)  # (R, D)
    dist = m @ t.pow(2).T - 2 * (m * targets.flatten(1)) @ t.T  # (N, R), up to a per-row constant
    return train[dist.argmin(1)]


def region_scores(pred: torch.Tensor, targets: torch.Tensor, masks: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per-image PSNR and SSIM on the missing pixels and on the whole image."""
    missing = 1 - masks
    return {"psnr_missing": psnr(pred, targets, missing), "ssim_missing": ssim(pred, targets, missing),
            "psnr_whole": psnr(pred, targets), "ssim_whole": ssim(pred, targets)}
