"""The conv GAN sweep trained serially (one run after another, in one process) and stacked (one model per k),
the same runs for the same steps, alternated; prints one JSON object with the sweep's wall time each way, the
run-steps per second and their ratio.

Both sides call genlab.train.gan.train_gans, as rule train_gan does: serially with a group of one per call (what
the pipeline did before stacking: one job per run), stacked with every run of one k in one call. The runs are
config.yaml's sweep (losses × k × seeds), nets and training settings, on synthetic images of the chosen size.
`--vmap` adds a third side, alternated with the others: the stacked sweep with the conv nets' written-out grouped
call (genlab.train.grouped) switched off, so that `torch.func.vmap` stacks them, as for any other net. `--profile`
then runs each side once more under torch.profiler and adds the ops with the most self time (device time on CUDA):
what bounds each side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import torch
from gan_loop import CONFIG, blobs
from torch.profiler import ProfilerActivity, profile

from genlab.core import runtime
from genlab.models.nets import build_gans
from genlab.train import grouped
from genlab.train.gan import GANTrainConfig, train_gans


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def sweep_s(groups: dict[int, list[GANTrainConfig]], images: torch.Tensor, shape: tuple, stacked: bool) -> float:
    """Wall time of training every run of `groups` (k -> configs), stacked per k or one run per call."""
    device = images.device
    with tempfile.TemporaryDirectory() as tmp:
        _sync(device)
        t0 = time.perf_counter()
        for k, cfgs in groups.items():
            calls = [cfgs] if stacked else [[cfg] for cfg in cfgs]
            for i, call in enumerate(calls):
                nets = build_gans("conv", CONFIG["gan"]["net"], shape, [cfg.seed for cfg in call])
                train_gans([g.to(device) for g, _ in nets], [d.to(device) for _, d in nets], images, call,
                           Path(tmp) / f"k{k}_{i}.pt", progress=False)
        _sync(device)
        return time.perf_counter() - t0


def vmap_only():
    """Within it, Stack finds no grouped call for any net and stacks every one under vmap."""
    return mock.patch.dict(grouped.FORWARDS, clear=True)


def top_ops(groups: dict[int, list[GANTrainConfig]], images: torch.Tensor, shape: tuple, stacked: bool,
            n: int = 8) -> dict:
    """One sweep under the profiler: its `n` ops with the most self time, [name, ms, calls], and the total."""
    cuda = images.device.type == "cuda"
    with profile(activities=[ProfilerActivity.CPU, *([ProfilerActivity.CUDA] if cuda else [])]) as prof:
        sweep_s(groups, images, shape, stacked)
    events = prof.key_averages()
    self_us = (lambda e: e.self_device_time_total) if cuda else (lambda e: e.self_cpu_time_total)
    top = sorted(events, key=self_us, reverse=True)[:n]
    return {"total_ms": round(sum(self_us(e) for e in events) / 1e3, 1),
            "top": [[e.key, round(self_us(e) / 1e3, 1), e.count] for e in top]}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="auto", help="auto (CUDA when present) | cpu | cuda[:N]")
    p.add_argument("--steps", type=int, default=200, help="generator steps per run (config.yaml trains 5000)")
    p.add_argument("--size", type=int, default=28, choices=[28, 64], help="28: 28x28x1 (MNIST); 64: 64x64x3 (CelebA64)")
    p.add_argument("--seeds", type=int, default=len(CONFIG["gan"]["seeds"]), help="seeds per (loss, k)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--repeats", type=int, default=1, help="alternate serial and stacked this often; medians reported")
    p.add_argument("--vmap", action="store_true", help="also time the stacked sweep under vmap (no grouped call)")
    p.add_argument("--profile", action="store_true", help="add each side's ops with the most self time")
    a = p.parse_args(argv)
    device = runtime.pick_device(a.device)
    runtime.configure(a.threads, 0, device)
    shape = (1, 28, 28) if a.size == 28 else (3, 64, 64)
    images = blobs(5000, shape).to(device)
    gan = CONFIG["gan"]
    train = {**gan["train"], "steps": a.steps, "log_every": 25, "grid_every": a.steps, "checkpoint_every": a.steps}
    groups = {k: [GANTrainConfig(**train, loss=loss, d_steps=k, seed=seed)
                  for loss in gan["losses"] for seed in range(a.seeds)] for k in gan["k"]}
    runs = sum(len(cfgs) for cfgs in groups.values())
    sweep_s(groups, images, shape, stacked=True)  # warm-up: kernels, cuDNN plans, allocator
    if a.vmap:
        with vmap_only():
            sweep_s(groups, images, shape, stacked=True)  # vmap's own first-call costs too
    load = os.getloadavg()[0]
    serial, stacked, vmapped = [], [], []
    for _ in range(a.repeats):
        serial.append(sweep_s(groups, images, shape, stacked=False))
        stacked.append(sweep_s(groups, images, shape, stacked=True))
        if a.vmap:
            with vmap_only():
                vmapped.append(sweep_s(groups, images, shape, stacked=True))
    serial_s, stacked_s = statistics.median(serial), statistics.median(stacked)
    out = {
        "row": f"sweep_{a.size}", "device": runtime.describe(device), "torch": torch.__version__,
        "runs": runs, "groups": {f"k{k}": len(cfgs) for k, cfgs in groups.items()}, "steps": a.steps,
        "batch_size": train["batch_size"], "image_shape": list(shape), "repeats": a.repeats,
        "serial_s": round(serial_s, 2), "stacked_s": round(stacked_s, 2),
        # generator steps per second summed over runs (one run's it/s, times the runs that advance together)
        "serial_run_it_s": round(runs * a.steps / serial_s, 1),
        "stacked_run_it_s": round(runs * a.steps / stacked_s, 1),
        "ratio": round(serial_s / stacked_s, 2),
        "target_ratio": 10.0 if device.type == "cuda" else 1.3,
        "serial_all_s": [round(s, 2) for s in serial], "stacked_all_s": [round(s, 2) for s in stacked],
        "load_avg_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
    }
    if vmapped:
        vmap_s = statistics.median(vmapped)
        out |= {"stacked_vmap_s": round(vmap_s, 2), "ratio_vmap": round(serial_s / vmap_s, 2),
                "stacked_vmap_all_s": [round(s, 2) for s in vmapped]}
    if a.profile:
        out["profile"] = {"serial": top_ops(groups, images, shape, stacked=False),
                          "stacked": top_ops(groups, images, shape, stacked=True)}
        if a.vmap:
            with vmap_only():
                out["profile"]["stacked_vmap"] = top_ops(groups, images, shape, stacked=True)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
