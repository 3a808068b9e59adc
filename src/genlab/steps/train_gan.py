"""Rules train_mlp_gan and train_gan: train one GAN (MLP or conv) on a dataset's train split."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_train_images
from genlab.core.io import atomic_dir, write_csv, write_json
from genlab.models.nets import build_gan, to_spec
from genlab.plots.base import save_grid
from genlab.probes.neighbours import mean_pairwise_distance
from genlab.train.gan import GANTrainConfig, train_gan


def run(
    data: str, params: dict, device: str, threads: int, resume: str,
    ckpt: str, history: str, grids: str, summary: str,
) -> None:
    """Train, then write the checkpoint, history.csv, the grids folder (step_XXXXXX.png) and a summary."""
    arch, net, cfg = params["arch"], params["net"], GANTrainConfig(**params["train"])
    dev = runtime.pick_device(device)
    runtime.configure(threads, cfg.seed, dev)
    ds, train = load_train_images(data)
    images = torch.from_numpy(train).to(dev)  # (N, C, H, W) uint8, resident on the device
    shape = tuple(images.shape[1:])
    gen, disc = (net_.to(dev) for net_ in build_gan(arch, net, shape))

    result = train_gan(gen, disc, images, cfg, resume)

    with atomic_dir(grids) as tmp:
        for step, grid in result.grids.items():
            save_grid(grid, tmp / f"step_{step:06d}.png")
    write_csv(history, result.history)
    steps_done = int(result.history["step"].iloc[-1])
    config = {"arch": arch, "net": net, "train": asdict(cfg)}
    checkpoint.save(ckpt, {"gen": to_spec(gen.cpu()), "disc": to_spec(disc.cpu()), "step": steps_done,
                           "config": config})
    # diversity of the fixed-z samples over training, against as many real training images
    pick = torch.randperm(len(images), generator=torch.Generator().manual_seed(cfg.seed))[: cfg.grid_size]
    reals = images[pick.to(dev)].cpu()
    write_json(summary, {
        "grid_diversity": [[step, mean_pairwise_distance(grid / 255)] for step, grid in sorted(result.grids.items())],
        "real_diversity": mean_pairwise_distance(reals / 255),
        "device": runtime.describe(dev),
        "steps": steps_done,
        "wall_s": result.wall_s,
        "steps_per_s": steps_done / result.wall_s,
        "diverged_at": result.diverged_at,
        "n_train": len(ds.train_idx),
        "image_shape": list(shape),
        "config": config,
    })
    Path(resume).unlink(missing_ok=True)  # the final outputs are complete: the resume state has served
    print(f"trained {steps_done} steps in {result.wall_s:.1f} s ({steps_done / result.wall_s:.0f} steps/s)")


def main(argv: list[str] | None = None) -> None:
    a, out = cli.parse(__doc__, ["data"], ["ckpt", "history", "grids", "summary"],
                       params='{"arch": "mlp" | "conv", "net", "train"}', text_args=["resume"], argv=argv)
    run(a.data, a.params, a.device, a.threads, a.resume, out["ckpt"], out["history"], out["grids"], out["summary"])


if __name__ == "__main__":
    main()
