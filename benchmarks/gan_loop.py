"""Training-step throughput: a conventional reference GAN loop against genlab's, in one process.

The reference is the loop most GAN code is written as: a DataLoader over a float TensorDataset on the CPU,
each batch copied to the device, Python driving every step. genlab's loop keeps uint8 data on the device and
gathers random batches there. Both train the same nets (genlab.models.nets, sized from config.yaml as the rules
size them) with the same loss and Adam settings, on the same synthetic images, on the same device, so the ratio
isolates the loop. Prints one JSON object; the speed issue's targets are the `target_ratio`s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import yaml
from torch.utils.data import DataLoader, TensorDataset

from genlab.core import runtime
from genlab.models.nets import build_gan
from genlab.train.gan import GANTrainConfig, train_gans
from genlab.train.losses import LOSSES

# nets and training settings read from config.yaml, as the rules give them to train_mlp_gan and train_gan
CONFIG = yaml.safe_load((Path(__file__).resolve().parents[1] / "config.yaml").read_text())
MLP = {"arch": "mlp", "net": CONFIG["mlp_gan"]["net"], "train": CONFIG["mlp_gan"]["train"]}
CONV = {"arch": "conv", "net": CONFIG["gan"]["net"], "train": {**CONFIG["gan"]["train"], "seed": 0}}
# the rows; anchor: H100, torch 2.11, 2000 steps (conventional / whole step in one CUDA graph)
ROWS = {
    "mlp_gan": {**MLP, "shape": (1, 28, 28), "batch_size": 64, "target": 15.0, "anchor_it_s": [216, 3715]},
    "conv_gan_28": {**CONV, "shape": (1, 28, 28), "batch_size": 64, "target": 6.0, "anchor_it_s": [143, 1289]},
    "conv_gan_64": {**CONV, "shape": (3, 64, 64), "batch_size": 128, "target": 6.0, "anchor_it_s": [69, 433]},
}
LOSS = "nonsaturating"


def blobs(n: int, shape: tuple[int, int, int], seed: int = 0) -> torch.Tensor:
    """n uint8 images (n, C, H, W): one smooth Gaussian blob each on a tinted background, not noise."""
    rng = np.random.default_rng(seed)
    c, h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / max(h - 1, 1)
    cy, cx = (rng.uniform(0.25, 0.75, (n, 1, 1)).astype(np.float32) for _ in range(2))
    r = rng.uniform(0.1, 0.3, (n, 1, 1)).astype(np.float32)
    blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r**2))[:, None]  # (n, 1, H, W)
    base, gain = (rng.uniform(lo, hi, (n, c, 1, 1)).astype(np.float32) for lo, hi in ((0.0, 0.3), (0.5, 0.7)))
    return torch.from_numpy(np.clip(255 * (base + gain * blob), 0, 255).astype(np.uint8))


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def reference_it_s(row: dict, images: torch.Tensor, device: torch.device, steps: int, warmup: int) -> float:
    """The conventional loop's steady-state steps/s: DataLoader batches copied to `device`, one D and one G step."""
    gen, disc = (m.to(device) for m in build_gan(row["arch"], row["net"], row["shape"]))
    t = row["train"]
    opt_g = torch.optim.Adam(gen.parameters(), lr=t["lr"], betas=(t["beta1"], t["beta2"]))
    opt_d = torch.optim.Adam(disc.parameters(), lr=t["lr"], betas=(t["beta1"], t["beta2"]))
    loss = LOSSES[LOSS]
    data = TensorDataset(images.float() / 255)  # float images on the CPU, as torchvision's transforms leave them
    loader = DataLoader(data, batch_size=row["batch_size"], shuffle=True, drop_last=True)

    def batches():
        while True:
            yield from loader

    it = batches()
    for step in range(warmup + steps):
        if step == warmup:
            _sync(device)
            t0 = time.perf_counter()
        (real,) = next(it)
        real = real.to(device)
        z = torch.randn(len(real), gen.latent_dim, device=device)
        fake = gen(z)
        d_loss = loss.d(real_logits=disc(real), fake_logits=disc(fake.detach()))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = loss.g(fake_logits=disc(fake))
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
    _sync(device)
    return steps / (time.perf_counter() - t0)


def genlab_it_s(row: dict, images: torch.Tensor, device: torch.device, steps: int, warmup: int) -> tuple[float, float]:
    """genlab.train.gan.train_gans' steps/s for one run: (steady state, whole call).

    train_gans builds its optimisers (and whatever else it sets up) per call, so steady state is measured as
    the difference of two calls, `warmup` and `warmup + steps` steps long, after an untimed warm-up call; the
    whole-call figure (setup included, as one rule pays it) is the longer call's. Logging, grids and resume
    checkpoints are pushed out to the first and last step.
    """
    data = images.to(device)
    gen, disc = (m.to(device) for m in build_gan(row["arch"], row["net"], row["shape"]))
    big = 10**9
    with tempfile.TemporaryDirectory() as tmp:

        def timed(n: int) -> float:
            cfg = GANTrainConfig(**{**row["train"], "steps": n, "batch_size": row["batch_size"], "loss": LOSS,
                                    "d_steps": 1, "log_every": big, "grid_every": big, "checkpoint_every": big})
            resume = Path(tmp) / "resume.pt"
            resume.unlink(missing_ok=True)  # never resume: each call trains from its own step 1
            _sync(device)
            t0 = time.perf_counter()
            train_gans([gen], [disc], data, [cfg], resume_path=resume, progress=False)
            _sync(device)
            return time.perf_counter() - t0

        timed(warmup)
        short, long = timed(warmup), timed(warmup + steps)
    return steps / max(long - short, 1e-9), (warmup + steps) / long


def main(name: str, argv: list[str] | None = None) -> dict:
    row = ROWS[name]
    p = argparse.ArgumentParser(description=f"{name}: conventional GAN loop vs genlab's, steps/s as JSON")
    p.add_argument("--device", default="auto", help="auto (CUDA when present) | cpu | cuda[:N]")
    p.add_argument("--steps", type=int, default=2000, help="timed steps per loop (the anchor used 2000)")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps before the clock starts")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--images", type=int, default=5000, help="synthetic training images")
    p.add_argument("--repeats", type=int, default=1, help="alternate the two loops this often; medians are reported")
    a = p.parse_args(argv)
    device = runtime.pick_device(a.device)
    runtime.configure(a.threads, 0, device)
    images = blobs(a.images, row["shape"])
    load = os.getloadavg()[0]  # other work on the machine skews CPU numbers: say how much there was
    refs, ours = [], []
    for _ in range(a.repeats):  # alternated, so that a change in the machine's load hits both loops alike
        refs.append(reference_it_s(row, images, device, a.steps, a.warmup))
        ours.append(genlab_it_s(row, images, device, a.steps, a.warmup))
    ref, ours_s, call = (statistics.median(v) for v in (refs, [o[0] for o in ours], [o[1] for o in ours]))
    out = {
        "row": name, "device": runtime.describe(device), "torch": torch.__version__, "steps": a.steps,
        "warmup": a.warmup, "repeats": a.repeats, "batch_size": row["batch_size"], "image_shape": list(row["shape"]),
        "reference_it_s": round(ref, 1), "genlab_it_s": round(ours_s, 1), "genlab_call_it_s": round(call, 1),
        "ratio": round(ours_s / ref, 2), "target_ratio": row["target"],
        "meets_target": ours_s / ref >= row["target"] if device.type == "cuda" else None,  # targets are GPU-only
        "load_avg_1min": [round(load, 2), round(os.getloadavg()[0], 2)],  # at start, at end
        "anchor_h100_it_s": dict(zip(["conventional", "cuda_graph"], row["anchor_it_s"], strict=True)),
    }
    print(json.dumps(out))
    return out
