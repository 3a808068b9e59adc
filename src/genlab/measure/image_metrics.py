"""Per-image reconstruction metrics, optionally restricted to a region (e.g. the missing pixels)."""

from __future__ import annotations

import torch
from torchmetrics.functional.image import structural_similarity_index_measure


def region_mean(values: torch.Tensor, region: torch.Tensor | None = None) -> torch.Tensor:
    """Per-image mean of `values` (N, C, H, W) over the pixels where `region` (N, 1, H, W) is 1 (all if None)."""
    if region is None:
        return values.flatten(1).mean(1)
    weight = region.expand_as(values).to(values.dtype)
    return (values * weight).flatten(1).sum(1) / weight.flatten(1).sum(1).clamp_min(1)


def masked_mse(pred: torch.Tensor, target: torch.Tensor, region: torch.Tensor | None = None) -> torch.Tensor:
    """Per-image mean squared error over `region`: the visible pixels when fitting, the missing ones when scoring."""
    return region_mean((pred - target) ** 2, region)


def psnr(pred: torch.Tensor, target: torch.Tensor, region: torch.Tensor | None = None) -> torch.Tensor:
    """Per-image PSNR in dB for images in [0, 1], over `region` (N, 1, H, W) of ones where given."""
    return 10 * torch.log10(1.0 / masked_mse(pred, target, region).clamp_min(1e-10))


def ssim(pred: torch.Tensor, target: torch.Tensor, region: torch.Tensor | None = None) -> torch.Tensor:
    """Per-image SSIM (Gaussian window, torchmetrics' defaults), averaged over `region` where given."""
    _, full = structural_similarity_index_measure(
        pred.double(), target.double(), data_range=1.0, reduction="none", return_full_image=True
    )  # full: (N, C, H, W) local SSIM map
    return region_mean(full, region).float()


def high_frequency_energy(images: torch.Tensor) -> torch.Tensor:
    """Per-image mean squared Laplacian response: fine detail and sharp edges."""
    kernel = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]], device=images.device)
    c = images.shape[1]
    lap = torch.nn.functional.conv2d(images, kernel.expand(c, 1, 3, 3), padding=1, groups=c)
    return lap.pow(2).flatten(1).mean(1)
