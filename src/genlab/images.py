"""The one image convention: float in [0, 1] for computing, uint8 for storing and showing."""

from __future__ import annotations

import torch


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Float images in [0, 1] → uint8 on the CPU (clamped and rounded, not truncated)."""
    return (images.detach().clamp(0, 1) * 255).round().to(torch.uint8).cpu()
