"""Autoencoder training: reconstruction loss, plus per-axis moment losses that push the codes towards N(0, I).

Same conventions as the GAN loop: data on the device as one uint8 tensor, index-gather batches, a resume
state every `checkpoint_every` steps in a path no rule declares.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from genlab.core import checkpoint
from genlab.models.nets import to_spec
from genlab.train.losses import moment_losses

RECONSTRUCTION = {"mse": F.mse_loss, "bce": F.binary_cross_entropy}


@dataclass
class AETrainConfig:
    """config.yaml's `ae.train` plus the run's seed and moment weights (no defaults: the config file sets them)."""

    steps: int
    batch_size: int
    lr: float
    recon: str  # mse | bce: the decoder ends in a sigmoid, so both see probabilities
    moment_weights: dict[str, float]  # {mean, var, kurt}; all 0 for the plain variant
    log_every: int
    checkpoint_every: int
    seed: int


def train_autoencoder(
    ae: nn.Module, images: torch.Tensor, cfg: AETrainConfig, resume_path: str | Path, progress: bool = True
) -> tuple[pd.DataFrame, float]:
    """Train `ae` in place on `images` (uint8 N×C×H×W on the device); returns the history and wall seconds."""
    device = images.device
    opt = torch.optim.Adam(ae.parameters(), lr=cfg.lr, fused=device.type == "cuda")
    rng = torch.Generator(device=device).manual_seed(cfg.seed)
    recon_loss = RECONSTRUCTION[cfg.recon]
    start, history, wall_before = 0, [], 0.0
    resume_path = Path(resume_path)
    state = checkpoint.load_resume(resume_path, device, asdict(cfg))
    if state is not None:
        ae.load_state_dict(state["ae"]["state_dict"])
        opt.load_state_dict(state["opt"])
        rng.set_state(state["rng"].cpu())
        start, history, wall_before = state["step"], state["history"], state["wall_s"]
        print(f"resumed from {resume_path} at step {start}")

    ae.train()
    t0 = time.perf_counter()
    for step in tqdm(range(start + 1, cfg.steps + 1), initial=start, total=cfg.steps, disable=not progress,
                     mininterval=2):
        idx = torch.randint(len(images), (cfg.batch_size,), device=device, generator=rng)
        x = images.index_select(0, idx).float().div_(255)
        z, x_hat = ae(x)  # (B, Z), (B, C, H, W)
        rec = recon_loss(x_hat, x)
        moments = moment_losses(z)
        loss = rec + sum(cfg.moment_weights[k] * moments[k] for k in moments)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % cfg.log_every == 0 or step in (1, cfg.steps):
            values = torch.stack([loss, rec, *moments.values()]).tolist()  # one device-to-host copy
            history.append(dict(zip(["step", "loss", "recon", *(f"moment_{k}" for k in moments)], [step, *values],
                                    strict=True)))
        if step % cfg.checkpoint_every == 0 and step < cfg.steps:
            checkpoint.save(resume_path, {"ae": to_spec(ae), "opt": opt.state_dict(), "rng": rng.get_state(),
                                          "step": step, "history": history, "config": asdict(cfg),
                                          "device_type": device.type,
                                          "wall_s": wall_before + time.perf_counter() - t0})
    ae.eval()
    return pd.DataFrame(history), wall_before + time.perf_counter() - t0


@torch.no_grad()
def encode(ae: nn.Module, images: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Codes of uint8 images (N, C, H, W) in eval mode, in batches."""
    ae.eval()
    return torch.cat([ae.encoder(chunk.float() / 255) for chunk in images.split(batch_size)])
