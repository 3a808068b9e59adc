"""The GAN training loop: k discriminator steps per generator step, logged, gridded and resumable.

Data stays on the training device as one uint8 tensor; a batch is a random index gather. A run saves its
whole state every `checkpoint_every` steps to a resume file that no Snakemake rule declares, and picks it
up when restarted.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import torch
from torch import nn
from tqdm import tqdm

from genlab.core import checkpoint
from genlab.core.images import to_uint8
from genlab.models.nets import to_spec
from genlab.train.losses import LOSSES


@dataclass
class GANTrainConfig:
    """config.yaml's `mlp_gan.train` (or `gan.train` plus the run's loss, k and seed); no defaults here, so the
    config file stays the one place a value is set."""

    steps: int  # generator steps
    batch_size: int
    lr: float
    beta1: float
    beta2: float
    loss: str  # a key of genlab.train.losses.LOSSES
    d_steps: int  # k: discriminator steps per generator step
    log_every: int  # history.csv resolution
    grid_every: int  # a sample grid from the fixed z every this many steps
    grid_size: int  # images per grid
    checkpoint_every: int  # resume-state interval: at most this many steps are lost to a kill
    seed: int


@dataclass
class TrainResult:
    history: pd.DataFrame
    grids: dict[int, torch.Tensor]  # step -> uint8 (grid_size, C, H, W)
    wall_s: float
    diverged_at: int | None  # first logged step with a non-finite loss


def _grad_norm(module: nn.Module, device: torch.device) -> torch.Tensor:
    """‖∇‖ over `module`'s parameters, a 0-d tensor on `device` (0 when none has a gradient)."""
    norms = [p.grad.norm() for p in module.parameters() if p.grad is not None]
    return torch.linalg.vector_norm(torch.stack(norms)) if norms else torch.zeros((), device=device)


def _logit_grad(loss_g, fake_logits: torch.Tensor) -> torch.Tensor:
    """Mean |∂ℓ/∂logit| of G's per-sample loss ℓ on the fakes: the signal that reaches G through D (0-d tensor)."""
    logits = fake_logits.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_g(fake_logits=logits) * len(logits), logits)  # undo the batch mean
    return grad.abs().mean()


def train_gan(
    gen: nn.Module,
    disc: nn.Module,
    images: torch.Tensor,
    cfg: GANTrainConfig,
    resume_path: str | Path,
    progress: bool = True,
) -> TrainResult:
    """Train `gen` and `disc` in place on `images` (uint8, N×C×H×W, already on the training device)."""
    device = images.device
    loss = LOSSES[cfg.loss]
    fused = device.type == "cuda"
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=fused)
    opt_d = torch.optim.Adam(disc.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=fused)
    rng = torch.Generator(device=device).manual_seed(cfg.seed)
    # the grid's z is drawn on the CPU so that every device shows the same latent points
    fixed_z = torch.randn(cfg.grid_size, gen.latent_dim, generator=torch.Generator().manual_seed(cfg.seed + 1))
    fixed_z = fixed_z.to(device)

    start, history, grids, wall_before = 0, [], {}, 0.0
    resume_path = Path(resume_path)
    if resume_path.exists():
        state = checkpoint.load(resume_path, device)
        gen.load_state_dict(state["gen"]["state_dict"])
        disc.load_state_dict(state["disc"]["state_dict"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        rng.set_state(state["rng"].cpu())
        start, history, grids, wall_before = state["step"], state["history"], state["grids"], state["wall_s"]
        print(f"resumed from {resume_path} at step {start}")

    n = images.shape[0]

    def batch() -> tuple[torch.Tensor, torch.Tensor]:
        idx = torch.randint(n, (cfg.batch_size,), device=device, generator=rng)
        # (B, C, H, W) in [0, 1]; index_select, not images[idx]: the same gather, ~20x faster for uint8 on the CPU
        real = images.index_select(0, idx).float().div_(255)
        z = torch.randn(cfg.batch_size, gen.latent_dim, device=device, generator=rng)
        return real, z

    t0 = time.perf_counter()
    diverged_at = None
    bar = tqdm(range(start + 1, cfg.steps + 1), initial=start, total=cfg.steps, disable=not progress, mininterval=2)
    for step in bar:
        disc.requires_grad_(True)
        for i in range(cfg.d_steps):
            real, z = batch()
            last = i == cfg.d_steps - 1
            with torch.set_grad_enabled(last):
                fake = gen(z)  # the last D step's fakes also serve G's step, as in the reference DCGAN loop
            real_logits, fake_logits = disc(real), disc(fake.detach())
            d_loss = loss.d(real_logits=real_logits, fake_logits=fake_logits)
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()

        disc.requires_grad_(False)  # G's step needs gradients through D, not for D's weights
        g_logits = disc(fake)
        g_loss = loss.g(fake_logits=g_logits)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()

        if step % cfg.log_every == 0 or step in (1, cfg.steps):  # step 1: the gradients before D has learnt
            values = {  # 0-d tensors, fetched below in one device-to-host copy instead of one sync each
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": loss.output(real_logits).mean(),
                "d_fake": loss.output(fake_logits).mean(),
                "fake_logit": fake_logits.mean(),
                "g_grad_norm": _grad_norm(gen, device),
                "logit_grad": _logit_grad(loss.g, g_logits),
            }
            row = {"step": step, **dict(zip(values, torch.stack(list(values.values())).tolist(), strict=True))}
            history.append(row)
            if not (math.isfinite(row["d_loss"]) and math.isfinite(row["g_loss"])):
                diverged_at = step
                print(f"diverged: non-finite loss at step {step}; stopping this run")
                with torch.no_grad():
                    grids[step] = to_uint8(gen(fixed_z))  # what G made when it stopped: the report shows it
                break
        opt_g.step()

        if step % cfg.grid_every == 0 or step == cfg.steps:
            with torch.no_grad():
                grids[step] = to_uint8(gen(fixed_z))
        if step % cfg.checkpoint_every == 0 and step < cfg.steps:
            checkpoint.save(resume_path, {
                "gen": to_spec(gen), "disc": to_spec(disc), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
                "rng": rng.get_state(), "step": step, "history": history, "grids": grids,
                "wall_s": wall_before + time.perf_counter() - t0, "config": asdict(cfg),
            })
    bar.close()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return TrainResult(pd.DataFrame(history), grids, wall_before + time.perf_counter() - t0, diverged_at)
