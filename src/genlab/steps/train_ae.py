"""Rule train_ae: a conv autoencoder (plain, or with moment losses on its codes) on a dataset's train split."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import compact_rows, load_dataset
from genlab.core.io import write_csv, write_json
from genlab.models.nets import ConvAutoencoder, latent_size, to_spec
from genlab.train.ae import AETrainConfig, encode, train_autoencoder
from genlab.train.losses import axis_moments


def run(data: str, params: dict, device: str, threads: int, resume: str, ckpt: str, history: str,
        summary: str) -> None:
    cfg = AETrainConfig(**params["train"])
    dev = runtime.pick_device(device)
    runtime.configure(threads, cfg.seed, dev)
    ds = load_dataset(data)
    test = torch.from_numpy(ds.images[ds.test_idx]).to(dev)  # taken first: the training split is gathered in place
    images = torch.from_numpy(compact_rows(ds.images, ds.train_idx)).to(dev)
    shape = tuple(images.shape[1:])
    ae = ConvAutoencoder(latent_size(params["net"], shape), shape, params["net"]["base_filters"]).to(dev)

    frame, wall_s = train_autoencoder(ae, images, cfg, resume)

    with torch.no_grad():
        test_mse = float(torch.cat([(ae(x)[1] - x).pow(2).flatten(1).mean(1)
                                    for x in (test.float() / 255).split(500)]).mean())
    moments = {k: v.cpu().tolist() for k, v in axis_moments(encode(ae, test)).items()}  # per axis, held out
    write_csv(history, frame)
    checkpoint.save(ckpt, {"ae": to_spec(ae.cpu()), "config": {"variant": params["variant"], "train": asdict(cfg)}})
    write_json(summary, {"variant": params["variant"], "seed": cfg.seed, "test_mse": test_mse,
                         "test_moments": moments, "device": runtime.describe(dev), "wall_s": wall_s,
                         "steps": cfg.steps, "config": {"net": params["net"], "train": asdict(cfg)}})
    Path(resume).unlink(missing_ok=True)
    print(f"{params['variant']}: test MSE {test_mse:.4f} in {wall_s:.1f} s")


if __name__ == "__main__":
    cli.main(run)
