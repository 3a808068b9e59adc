"""Drawing images from a trained generator, seeded and in batches."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def sample(gen: nn.Module, n: int, seed: int, batch_size: int = 1000, truncation: float | None = None) -> torch.Tensor:
    """n images in [0, 1] (n, C, H, W) on the generator's device; z is drawn on the CPU so that the
    same seed gives the same latent points on every device. `truncation` t redraws every |z_j| > t
    (BigGAN's truncation trick): z from N(0, I) truncated to [−t, t] per axis."""
    device = next(gen.parameters()).device
    z = torch.randn(n, gen.latent_dim, generator=torch.Generator().manual_seed(seed))
    if truncation is not None:
        z = torch.nn.init.trunc_normal_(z, 0.0, 1.0, -truncation, truncation,
                                        generator=torch.Generator().manual_seed(seed))
    gen.eval()
    return torch.cat([gen(zb.to(device)) for zb in z.split(batch_size)])
