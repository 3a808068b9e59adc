"""The one image convention: float in [0, 1] for computing, uint8 for storing and showing."""

from __future__ import annotations

import torch


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Float images in [0, 1] → uint8 on the CPU (clamped and rounded, not truncated; NaN from a diverged
    net shows as black rather than as whatever the cast makes of it)."""
    return (images.detach().nan_to_num(0).clamp(0, 1) * 255).round().to(torch.uint8).cpu()
