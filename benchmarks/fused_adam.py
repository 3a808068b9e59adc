"""Adam fused or not on the CPU, on whole genlab training runs (train_gans): MLP GAN, conv GAN 28 alone and a
stack of 6, 1 thread; medians of alternating repeats in one process. `python benchmarks/fused_adam.py`"""
import statistics
import tempfile
import time
from pathlib import Path

import torch
import yaml

import genlab.train.gan as tg
from genlab.models.nets import build_gans

torch.set_num_threads(1)
CONFIG = yaml.safe_load((Path(__file__).resolve().parents[1] / "config.yaml").read_text())
ORIG = torch.optim.Adam

def one(arch, fused, steps, size):
    tg.torch.optim.Adam = lambda *a, **k: ORIG(*a, **{**k, "fused": fused})
    images = torch.randint(0, 256, (2000, 1, 28, 28), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    key = "mlp_gan" if arch == "mlp" else "gan"
    train = {**CONFIG[key]["train"], "steps": steps, "log_every": 50, "grid_every": 10**6, "checkpoint_every": 10**6,
             "grid_size": 4}
    cfgs = [tg.GANTrainConfig(**{**train, "loss": "nonsaturating", "seed": s, "d_steps": 1}) for s in range(size)]
    nets = build_gans(arch, CONFIG[key]["net"], (1, 28, 28), list(range(size)))
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        res = tg.train_gans([g for g, _ in nets], [d for _, d in nets], images, cfgs, f"{tmp}/r.pt", progress=False)
    return time.perf_counter() - t, res[0].history["g_loss"].iloc[-1]

for arch, steps, size in (("mlp", 600, 1), ("conv", 60, 1), ("conv", 30, 6)):
    times = {False: [], True: []}
    for _ in range(3):
        for fused in (False, True):
            t, _loss = one(arch, fused, steps, size)
            times[fused].append(t)
    a, b = statistics.median(times[False]), statistics.median(times[True])
    print(f"{arch} M={size} {steps} steps: foreach {a:.2f} s, fused {b:.2f} s, ratio {a / b:.2f}", flush=True)
