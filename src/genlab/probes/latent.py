"""Latent optimisation on a frozen generator: find z with G(z) ≈ I on the visible pixels.

One batched problem over every image × restart (× mask): the per-sample losses are summed, so each code
gets exactly its own gradient, and Adam's per-coordinate scaling keeps the problems independent. G runs in
eval mode so that batch norm uses its running statistics and no sample influences another.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from genlab.measure.image_metrics import masked_mse

# the fastest chunk of codes on a CPU, by benchmarks/latent.py (benchmarks/README.md, "Latent optimisation")
CPU_MAX_BATCH = 256


@dataclass
class LatentFit:
    z: torch.Tensor  # (N, Z) the best restart's code per target
    images: torch.Tensor  # (N, C, H, W) G(z)
    loss: torch.Tensor  # (N,) MSE on the visible pixels at z
    restart_losses: torch.Tensor  # (R, N) every restart's final MSE
    curve: list[tuple[int, float]]  # (step, mean over targets of the best restart's loss at that step)


def fit_latents(
    gen: nn.Module, targets: torch.Tensor, masks: torch.Tensor | None = None, *, restarts: int = 8, steps: int = 500,
    lr: float = 0.05, prior_weight: float = 0.0, seed: int = 0, log_every: int = 25, max_batch: int | None = None,
) -> LatentFit:
    """min_z ‖M ⊙ (G(z) − I)‖² / |M| + prior_weight·‖z‖², for all targets and restarts at once.

    `max_batch` solves the R·N codes in chunks of at most that many, one chunk after another: the same answer
    (Adam works per coordinate, the loss per code). None: one batch on a GPU, where that pays, and chunks of
    CPU_MAX_BATCH on a CPU, where a batch of hundreds of 64×64×3 images runs slower per image.
    """
    device = targets.device
    max_batch = max_batch or (CPU_MAX_BATCH if device.type == "cpu" else None)
    gen.eval().requires_grad_(False)
    n = len(targets)
    masks = torch.ones_like(targets[:, :1]) if masks is None else masks
    tgt = targets.repeat(restarts, 1, 1, 1)  # (R·N, C, H, W), restart-major: row r·N + i
    msk = masks.repeat(restarts, 1, 1, 1)
    z = torch.randn(restarts * n, gen.latent_dim, generator=torch.Generator().manual_seed(seed)).to(device)
    logged = [step for step in range(1, steps + 1) if step % log_every == 0 or step == steps]
    history = torch.empty(len(logged), restarts * n, device=device)  # the data term at each logged step
    chunk = max_batch or len(z)
    for start in range(0, len(z), chunk):
        part = slice(start, start + chunk)
        zc = z[part].clone().requires_grad_(True)
        opt = torch.optim.Adam([zc], lr=lr)
        for step in range(1, steps + 1):
            data = masked_mse(gen(zc), tgt[part], msk[part])  # (B,)
            objective = data + prior_weight * zc.pow(2).sum(1)
            opt.zero_grad(set_to_none=True)
            objective.sum().backward()  # a sum, not a mean: each code's gradient is its own problem's
            opt.step()
            if step % log_every == 0 or step == steps:
                history[logged.index(step), part] = data.detach()
        z[part] = zc.detach()
    best_so_far = history.view(len(logged), restarts, n).min(1).values.mean(1).tolist()  # one host transfer
    curve = list(zip(logged, best_so_far, strict=True))
    with torch.no_grad():
        images = gen(z)
        final = masked_mse(images, tgt, msk).view(restarts, n)  # (R, N)
        best = final.argmin(0)  # (N,)
        rows = best * n + torch.arange(n, device=device)
    return LatentFit(z[rows], images[rows], final.min(0).values, final, curve)
