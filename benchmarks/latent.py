"""Latent optimisation throughput: genlab.probes.latent.fit_latents (every image × restart in one batch) against a
conventional loop that fits one image at a time, in one process, in image·steps per second.

An image·step is one Adam step on one code (one target image × one restart). Both sides fit the same
targets with the same generator (genlab.models.nets' conv G, sized as config.yaml's gan net; random weights), the
same objective (per-image MSE + prior_weight·‖z‖²), the same starting codes, learning rate and step count,
so they do the same N × R × S image·steps; `best_loss_max_abs_diff` checks that they solved the same problems.

    python benchmarks/latent.py --size 28 --device cpu --threads 1 --images 20 --steps 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import torch
from gan_loop import CONV, _sync, blobs

from genlab.core import runtime
from genlab.models.nets import build_gan
from genlab.probes.latent import fit_latents

LOG_EVERY = 25  # fit_latents' default: one host sync per this many steps, on both sides


def reference(gen, targets: torch.Tensor, z0: torch.Tensor, steps: int, lr: float, prior_weight: float,
              per_problem: int) -> torch.Tensor:
    """The conventional loop: one image at a time, its restarts `per_problem` at a time (all of them in one
    batch, or 1: one code at a time), a fresh Adam per problem; returns each image's best final MSE (N,)."""
    restarts, n = z0.shape[:2]
    best = []
    for i in range(n):
        finals = []
        for r0 in range(0, restarts, per_problem):
            z = z0[r0:r0 + per_problem, i].clone().requires_grad_(True)  # (B, Z)
            target = targets[i:i + 1].expand(len(z), -1, -1, -1)
            opt = torch.optim.Adam([z], lr=lr)
            for step in range(1, steps + 1):
                mse = (gen(z) - target).pow(2).flatten(1).mean(1)  # (B,)
                opt.zero_grad(set_to_none=True)
                (mse + prior_weight * z.pow(2).sum(1)).sum().backward()
                opt.step()
                if step % LOG_EVERY == 0 or step == steps:
                    mse.min().item()  # the loss a conventional loop logs
            with torch.no_grad():
                finals.append((gen(z) - target).pow(2).flatten(1).mean(1))
        best.append(torch.cat(finals).min())
    return torch.stack(best)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description="latent optimisation: fit_latents vs one image at a time, as JSON")
    p.add_argument("--size", type=int, choices=(28, 64), default=28, help="28: 28×28×1; 64: 64×64×3")
    p.add_argument("--device", default="auto", help="auto (CUDA when present) | cpu | cuda[:N]")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--images", type=int, default=100, help="target images N (config latent.inversion: 100)")
    p.add_argument("--restarts", type=int, default=8, help="restarts R per image (config: 8)")
    p.add_argument("--steps", type=int, default=500, help="Adam steps S per code (config: 500)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--prior-weight", type=float, default=0.0, help="the inversion rule runs 0 and 0.001")
    p.add_argument("--reference", choices=("restarts", "single"), default="restarts",
                   help="restarts: each image's R restarts in one batch; single: one code at a time")
    p.add_argument("--repeats", type=int, default=1, help="alternate the two this often; medians are reported")
    a = p.parse_args(argv)
    device = runtime.pick_device(a.device)
    runtime.configure(a.threads, 0, device)
    shape = (1, 28, 28) if a.size == 28 else (3, 64, 64)
    gen = build_gan("conv", CONV["net"], shape)[0].to(device).eval().requires_grad_(False)
    targets = (blobs(a.images, shape, seed=1).float() / 255).to(device)
    # fit_latents' starting codes, row r·N + i, so that the reference starts every problem where genlab does
    z0 = torch.randn(a.restarts * a.images, gen.latent_dim, generator=torch.Generator().manual_seed(0))
    z0 = z0.to(device).view(a.restarts, a.images, -1)  # (R, N, Z)
    per_problem = a.restarts if a.reference == "restarts" else 1
    kw = {"lr": a.lr, "prior_weight": a.prior_weight}
    work = a.images * a.restarts * a.steps  # image·steps per call, both sides

    def timed(fn):
        _sync(device)
        t0 = time.perf_counter()
        out = fn()
        _sync(device)
        return work / (time.perf_counter() - t0), out

    # untimed warm-up of both (allocator, kernels, autotuning)
    reference(gen, targets[:1], z0[:, :1], min(a.steps, 5), per_problem=per_problem, **kw)
    fit_latents(gen, targets, restarts=a.restarts, steps=min(a.steps, 5), seed=0, log_every=LOG_EVERY, **kw)
    load = os.getloadavg()[0]
    refs, ours = [], []
    for _ in range(a.repeats):  # alternated, so that a change in the machine's load hits both alike
        refs.append(timed(lambda: reference(gen, targets, z0, a.steps, per_problem=per_problem, **kw)))
        ours.append(timed(lambda: fit_latents(gen, targets, restarts=a.restarts, steps=a.steps, seed=0,
                                              log_every=LOG_EVERY, **kw).loss))
    ref, gl = statistics.median(r for r, _ in refs), statistics.median(o for o, _ in ours)
    out = {
        "row": f"latent_{a.size}", "device": runtime.describe(device), "torch": torch.__version__,
        "image_shape": list(shape), "latent_dim": gen.latent_dim, "images": a.images, "restarts": a.restarts,
        "steps": a.steps, "prior_weight": a.prior_weight, "repeats": a.repeats,
        "reference": f"one image at a time, {'its restarts in one batch' if per_problem > 1 else 'one code at a time'}",
        "genlab_batch": a.images * a.restarts, "image_steps_per_call": work,
        "reference_image_steps_s": round(ref, 1), "genlab_image_steps_s": round(gl, 1), "ratio": round(gl / ref, 2),
        "best_loss_max_abs_diff": float((refs[-1][1] - ours[-1][1]).abs().max()),  # same problems solved
        "load_avg_1min": [round(load, 2), round(os.getloadavg()[0], 2)],  # at start, at end
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
