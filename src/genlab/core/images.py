"""The one image convention: float in [0, 1] for computing, uint8 for storing and showing."""

from __future__ import annotations

import torch


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Float images in [0, 1] → uint8 on the CPU (clamped and rounded, not truncated; NaN from a diverged
    net shows as black rather than as whatever the cast makes of it)."""
    return (images.detach().nan_to_num(0).clamp(0, 1) * 255).round().to(torch.uint8).cpu()


def conv_stages(size: int, coarsest: int = 8) -> int:
    """Stride-2 stages until the feature map is at most `coarsest` (or odd): 28 → 14 → 7 is 2, 64 → 8 is 3."""
    stages = 0
    while size > coarsest and size % 2 == 0:
        size //= 2
        stages += 1
    if stages == 0:
        raise ValueError(f"images of side {size} cannot be halved by a stride-2 conv stage; expected e.g. 28 or 64")
    return stages


MIN_SIDE = 16  # the domain classifier's two 5×5 conv + 2×2 pool stages leave nothing of a smaller image
