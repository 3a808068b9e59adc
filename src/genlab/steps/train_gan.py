"""Rules train_mlp_gan and train_gan: train a group of GANs (one MLP GAN; or the conv sweep's runs of one k) on a
dataset's train split, as one stacked model, and write every run's files as if it had trained alone."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_train_images
from genlab.core.io import atomic_dir, write_csv, write_json
from genlab.models.nets import build_gans, to_spec
from genlab.plots.base import save_grid
from genlab.probes.neighbours import mean_pairwise_distance
from genlab.train.gan import GANTrainConfig, train_gans


def run(data: str, params: dict, device: str, threads: int, resume: str, ckpt: list[str], history: list[str],
        grids: list[str], summary: list[str]) -> None:
    """Train, then write each run's checkpoint, history.csv, grids folder (step_XXXXXX.png) and summary: the file
    lists hold one path per run of params["runs"]."""
    arch, net = params["arch"], params["net"]
    cfgs = [GANTrainConfig(**{**params["train"], **r}) for r in params["runs"]]
    if not len(cfgs) == len(ckpt) == len(history) == len(grids) == len(summary):
        raise ValueError(f"{len(cfgs)} runs but {len(ckpt)} checkpoints, {len(history)} histories, "
                         f"{len(grids)} grid folders and {len(summary)} summaries")
    dev = runtime.pick_device(device)
    runtime.configure(threads, cfgs[0].seed, dev)
    ds, train = load_train_images(data)
    images = torch.from_numpy(train).to(dev)  # (N, C, H, W) uint8, resident on the device
    shape = tuple(images.shape[1:])
    nets = build_gans(arch, net, shape, [cfg.seed for cfg in cfgs])
    results = train_gans([g.to(dev) for g, _ in nets], [d.to(dev) for _, d in nets], images, cfgs, resume)

    for cfg, result, ckpt_path, history_path, grid_dir, summary_path in zip(cfgs, results, ckpt, history, grids,
                                                                            summary, strict=True):
        with atomic_dir(grid_dir) as tmp:
            for step, grid in result.grids.items():
                save_grid(grid, tmp / f"step_{step:06d}.png")
        write_csv(history_path, result.history)
        steps_done = int(result.history["step"].iloc[-1])
        config = {"arch": arch, "net": net, "train": asdict(cfg)}
        checkpoint.save(ckpt_path, {"gen": to_spec(result.gen), "disc": to_spec(result.disc), "step": steps_done,
                               "snapshots": result.snapshots, "config": config})
        # diversity of the fixed-z samples over training, against as many real training images
        pick = torch.randperm(len(images), generator=torch.Generator().manual_seed(cfg.seed))[: cfg.grid_size]
        reals = images[pick.to(dev)].cpu()
        write_json(summary_path, {
            "grid_diversity": [[step, mean_pairwise_distance(grid / 255)]
                               for step, grid in sorted(result.grids.items())],
            "real_diversity": mean_pairwise_distance(reals / 255),
            "device": runtime.describe(dev),
            "steps": steps_done,
            "wall_s": result.wall_s,
            "group_size": len(cfgs),  # runs trained together in wall_s
            "steps_per_s": steps_done / result.wall_s,
            "diverged_at": result.diverged_at,
            "n_train": len(ds.train_idx),
            "image_shape": list(shape),
            "config": config,
        })
        print(f"{cfg.loss}, seed {cfg.seed}: {steps_done} steps")
    Path(resume).unlink(missing_ok=True)  # the final outputs are complete: the resume state has served
    wall = results[0].wall_s
    print(f"trained {len(cfgs)} run(s) of {cfgs[0].steps} steps in {wall:.1f} s "
          f"({cfgs[0].steps / wall:.0f} steps/s each, {len(cfgs) * cfgs[0].steps / wall:.0f} run-steps/s)")


if __name__ == "__main__":
    cli.main(run)
