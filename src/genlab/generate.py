"""Drawing images from a trained generator, seeded and in batches."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def sample(gen: nn.Module, n: int, seed: int, batch_size: int = 1000) -> torch.Tensor:
    """n images in [0, 1] (n, C, H, W) on the generator's device; z is drawn on the CPU so that the
    same seed gives the same latent points on every device."""
    device = next(gen.parameters()).device
    z = torch.randn(n, gen.latent_dim, generator=torch.Generator().manual_seed(seed))
    gen.eval()
    return torch.cat([gen(zb.to(device)) for zb in z.split(batch_size)])
