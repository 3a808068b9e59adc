"""The GAN training loop: k discriminator steps per generator step, logged, gridded and resumable, for a group of
runs trained as one stacked model (genlab.train.stack); a single run is a group of one.

Every run keeps its own loss, seed, initialisation, data order, Adam state, history, grids and generator
snapshots; only the step is shared. Data stays on the training device as one uint8 tensor; each run draws its
batch indices and z from its own generator, `RNG_CHUNK` steps at a time, so a run's numbers do not depend on the
group it trains in. A group saves its whole state every `checkpoint_every` steps to a resume file that no
Snakemake rule declares, and picks it up when restarted.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd
import torch
from torch import nn
from tqdm import tqdm

from genlab.core import checkpoint
from genlab.core.images import to_uint8
from genlab.train.losses import LOSSES
from genlab.train.stack import stack

RNG_CHUNK = 50  # steps of indices and z drawn per call (or its gcd with checkpoint_every, so that a resumed run
                # starts on a chunk's first step): two launches per run per chunk instead of two per D step
LOGGED = ("d_loss", "g_loss", "d_real", "d_fake", "fake_logit", "g_grad_norm", "logit_grad")


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
    """One run's outcome: its nets as a run trained alone would have left them, and what it logged."""

    gen: nn.Module
    disc: nn.Module
    history: pd.DataFrame
    grids: dict[int, torch.Tensor]  # step -> uint8 (grid_size, C, H, W)
    snapshots: dict[int, dict[str, torch.Tensor]]  # step -> G's state_dict at each grid step (CPU)
    wall_s: float  # the group's wall time: its runs trained together
    diverged_at: int | None  # first logged step with a non-finite loss


def shared(cfgs: list[GANTrainConfig]) -> GANTrainConfig:
    """The settings a group's runs share (all but loss and seed); runs that differ elsewhere cannot be stacked."""
    first = replace(cfgs[0], loss="", seed=0)
    for cfg in cfgs:
        if replace(cfg, loss="", seed=0) != first:
            raise ValueError(f"runs of one group must share every setting but loss and seed: {cfg} vs {cfgs[0]}")
        if cfg.loss not in LOSSES:
            raise ValueError(f"unknown loss '{cfg.loss}'; expected one of {sorted(LOSSES)}")
    return first


class _Losses:
    """Each member's loss on its own slice of the stacked logits, members of one loss computed in one call."""

    def __init__(self, names: list[str], device: torch.device):
        self.groups = [(LOSSES[name], torch.tensor([m for m, n in enumerate(names) if n == name], device=device))
                       for name in dict.fromkeys(names)]
        order = torch.cat([idx for _, idx in self.groups])
        self.inverse = torch.empty_like(order)
        self.inverse[order] = torch.arange(len(order), device=device)

    def _apply(self, fn, *tensors: torch.Tensor) -> torch.Tensor:
        if len(self.groups) == 1:
            return fn(self.groups[0][0], *tensors)
        return torch.cat([fn(spec, *(t[idx] for t in tensors)) for spec, idx in self.groups])[self.inverse]

    def d(self, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:  # (M,)
        return self._apply(lambda s, r, f: s.d(real_logits=r, fake_logits=f), real, fake)

    def g(self, fake: torch.Tensor) -> torch.Tensor:  # (M,)
        return self._apply(lambda s, f: s.g(fake_logits=f), fake)

    def output(self, logits: torch.Tensor) -> torch.Tensor:  # "D(x)" per member: probability or raw score
        return self._apply(lambda s, x: s.output(x), logits)

    def logit_grad(self, fake: torch.Tensor) -> torch.Tensor:
        """Mean |∂ℓ/∂logit| of each member's per-sample G loss ℓ on its fakes: the signal reaching G through D."""
        logits = fake.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(self.g(logits).sum() * logits.shape[-1], logits)  # undo the batch mean
        return grad.abs().mean(-1)


@dataclass
class GroupState:
    """Everything a killed group needs to go on, and what it has made so far: the stacked nets and optimisers, every
    run's generator, and per run its history, grids, generator snapshots, the nets it diverged with (or None) and
    the step it diverged at (or None). save/restore are the only places that spell the resume file's keys."""

    gen: nn.Module
    disc: nn.Module
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    rngs: list[torch.Generator]
    step: int = 0
    wall_s: float = 0.0  # training seconds before this process
    histories: list[list[dict]] = field(init=False)
    grids: list[dict] = field(init=False)
    snapshots: list[dict] = field(init=False)
    finals: list[dict | None] = field(init=False)
    diverged: list[int | None] = field(init=False)

    MODULES = ("gen", "disc", "opt_g", "opt_d")  # restored through load_state_dict
    RECORDS = ("step", "wall_s", "histories", "grids", "snapshots", "finals", "diverged")

    def __post_init__(self):
        size = len(self.rngs)
        self.histories = [[] for _ in range(size)]
        self.grids, self.snapshots = [{} for _ in range(size)], [{} for _ in range(size)]
        self.finals, self.diverged = [None] * size, [None] * size

    def save(self, path: Path, step: int, elapsed: float, config: dict, device: torch.device) -> None:
        checkpoint.save(path, {
            **{key: getattr(self, key).state_dict() for key in self.MODULES},
            **{key: getattr(self, key) for key in self.RECORDS}, "step": step, "wall_s": self.wall_s + elapsed,
            "rngs": [r.get_state() for r in self.rngs], "config": config, "device_type": device.type,
        })

    def restore(self, state: dict) -> None:
        for key in self.MODULES:
            getattr(self, key).load_state_dict(state[key])
        for rng, rng_state in zip(self.rngs, state["rngs"], strict=True):
            rng.set_state(rng_state.cpu())
        for key in self.RECORDS:
            setattr(self, key, state[key])


def train_gans(
    gens: list[nn.Module],
    discs: list[nn.Module],
    images: torch.Tensor,
    cfgs: list[GANTrainConfig],
    resume_path,
    progress: bool = True,
) -> list[TrainResult]:
    """Train run m's `gens[m]` and `discs[m]` (already on the training device) on `images` (uint8, N×C×H×W, on
    that device) with `cfgs[m]`, all as one stacked model. A group of several does not modify the passed nets; a
    group of one trains its nets in place."""
    cfg = shared(cfgs)
    device, size = images.device, len(gens)
    gen, disc = stack(gens), stack(discs)
    losses = _Losses([c.loss for c in cfgs], device)
    fused = device.type == "cuda"
    opt_g = torch.optim.Adam(gen.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=fused)
    opt_d = torch.optim.Adam(disc.parameters(), lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=fused)
    rngs = [torch.Generator(device=device).manual_seed(c.seed) for c in cfgs]
    latent = gens[0].latent_dim
    # the grids' z are drawn on the CPU so that every device shows the same latent points
    fixed_z = torch.stack([torch.randn(cfg.grid_size, latent, generator=torch.Generator().manual_seed(c.seed + 1))
                           for c in cfgs]).to(device)

    group = GroupState(gen, disc, opt_g, opt_d, rngs)
    resume_path = Path(resume_path)
    runs = {"shared": asdict(cfg), "runs": [(c.loss, c.seed) for c in cfgs]}
    state = checkpoint.load_resume(resume_path, device, runs)
    if state is not None:
        group.restore(state)
        print(f"resumed from {resume_path} at step {group.step}")
    start = group.step
    # the per-run records, filled in place below (they are the group's lists, saved with it)
    histories, grids, snapshots = group.histories, group.grids, group.snapshots
    finals, diverged = group.finals, group.diverged

    n, shape, batch = images.shape[0], tuple(images.shape[1:]), cfg.batch_size
    chunk = math.gcd(RNG_CHUNK, cfg.checkpoint_every)

    def draw(steps: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Every run's batch indices (M, steps, k, B) and z (M, steps, k, B, Z) for the next `steps` steps."""
        idx = [torch.randint(n, (steps, cfg.d_steps, batch), device=device, generator=r) for r in rngs]
        z = [torch.randn(steps, cfg.d_steps, batch, latent, device=device, generator=r) for r in rngs]
        return torch.stack(idx), torch.stack(z)

    def sample_grids(step: int, members: list[int]) -> None:
        """Grids of `members` from the fixed z. G runs in training mode, as it trains, so the call moves BatchNorm's
        running statistics; the other runs' are put back, since a run alone would not have made this call."""
        others = [m for m in range(size) if m not in members]
        kept = {name: b[others].clone() for name, b in gen.buffers.items()}
        with torch.no_grad():
            made = to_uint8(gen(fixed_z).flatten(0, 1)).view(size, cfg.grid_size, *shape)
            for name, value in kept.items():
                gen.buffers[name][others] = value
        for m in members:
            grids[m][step] = made[m].cpu()

    t0 = time.perf_counter()
    bar = tqdm(range(start + 1, cfg.steps + 1), initial=start, total=cfg.steps, disable=not progress, mininterval=2)
    for step in bar:
        j = (step - 1) % chunk
        if j == 0:
            idx_chunk, z_chunk = draw(min(chunk, cfg.steps - step + 1))
        for i in range(cfg.d_steps):
            idx, z = idx_chunk[:, j, i], z_chunk[:, j, i]  # (M, B), (M, B, Z)
            # (M, B, C, H, W) in [0, 1]; index_select, not images[idx]: the same gather, ~20x faster for uint8 on CPU
            real = images.index_select(0, idx.flatten()).view(size, batch, *shape).float().div_(255)
            last = i == cfg.d_steps - 1
            with torch.set_grad_enabled(last):
                fake = gen(z)  # the last D step's fakes also serve G's step, as in the reference DCGAN loop
            real_logits, fake_logits = disc(real), disc(fake.detach())
            d_loss = losses.d(real_logits, fake_logits)  # (M,): summed, each member gets its own gradient
            opt_d.zero_grad(set_to_none=True)
            d_loss.sum().backward()
            opt_d.step()

        g_logits = disc(fake, params=disc.detached())  # gradients through D, not for D's weights
        g_loss = losses.g(g_logits)
        opt_g.zero_grad(set_to_none=True)
        g_loss.sum().backward()

        if step % cfg.log_every == 0 or step in (1, cfg.steps):  # step 1: the gradients before D has learnt
            values = torch.stack([  # (7, M), fetched in one device-to-host copy instead of one sync each
                d_loss, g_loss, losses.output(real_logits).mean(-1), losses.output(fake_logits).mean(-1),
                fake_logits.mean(-1), gen.grad_norms(), losses.logit_grad(g_logits),
            ]).T.tolist()
            for m, row in enumerate(values):
                if diverged[m] is not None:
                    continue
                histories[m].append({"step": step, **dict(zip(LOGGED, row, strict=True))})
                if not (math.isfinite(row[0]) and math.isfinite(row[1])):
                    diverged[m] = step
                    print(f"run {m} ({cfgs[m].loss}, seed {cfgs[m].seed}) diverged: non-finite loss at step {step}")
                    finals[m] = {"gen": gen.member_state(m), "disc": disc.member_state(m)}
                    sample_grids(step, [m])  # what G made when it stopped: the report shows it
            if all(d is not None for d in diverged):
                break
        opt_g.step()

        live = [m for m in range(size) if diverged[m] is None]
        if step % cfg.grid_every == 0 or step == cfg.steps:
            sample_grids(step, live)
            for m in live:
                snapshots[m][step] = gen.member_state(m)
        if step % cfg.checkpoint_every == 0 and step < cfg.steps:
            group.save(resume_path, step, time.perf_counter() - t0, runs, device)
    bar.close()
    if device.type == "cuda":
        torch.cuda.synchronize()
    wall = group.wall_s + time.perf_counter() - t0
    results = []
    for m in range(size):
        g_net, d_net = gen.member(m), disc.member(m)
        if finals[m] is not None:
            g_net.load_state_dict(finals[m]["gen"])
            d_net.load_state_dict(finals[m]["disc"])
        results.append(TrainResult(g_net, d_net, pd.DataFrame(histories[m]), grids[m], snapshots[m], wall,
                                   diverged[m]))
    return results
