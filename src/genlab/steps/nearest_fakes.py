"""Rule nearest_fakes: the memorisation check for a trained generator.

Draws a set S of fakes; for seeded real training images (per class where labels exist) finds the nearest fakes in
S; and runs the three-sample data-copying test (Meehan et al. 2020) of the fakes against held-out real images, both
measured to their nearest image in the training split.
"""

from __future__ import annotations

import json

import numpy as np
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import Dataset, load_dataset, pick_images
from genlab.core.images import to_uint8
from genlab.core.io import write_json
from genlab.findings.mlp_gan import DUPLICATE, cells_for, copying, coverage
from genlab.models.generate import sample
from genlab.models.nets import from_spec
from genlab.plots.mlp_gan import plot_distance_histograms, plot_nearest
from genlab.probes.memorisation import class_coverage, distance_summary, three_sample
from genlab.probes.neighbours import nearest_neighbours


def run(data: str, ckpt: str, params: dict, device: str, threads: int, figure: str, histogram: str, facts: str) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    gen = from_spec(checkpoint.load(ckpt)["gen"], dev)
    fakes = sample(gen, params["n_fakes"], seed=params["seed"])  # (S, C, H, W) in [0, 1]
    out = check(ds, fakes, params, figure, histogram)
    write_json(facts, out)
    print(json.dumps(out, indent=1))


def check(ds: Dataset, fakes: torch.Tensor, params: dict, figure: str, histogram: str) -> dict:
    """The figures and facts for these fakes (on their device): what run() does after sampling G."""
    dev = fakes.device
    # real training images -> their k nearest fakes in S
    queries = pick_images(ds.labels, ds.train_idx, params["n_unlabelled"], params["seed"],
                          per_class=params["per_class"])
    real = torch.from_numpy(ds.images[queries]).to(dev).float() / 255
    dist, idx = nearest_neighbours(real, fakes, k=params["k"])
    labels = [f"class {ds.labels[i]}" if ds.has_labels else f"#{i}" for i in queries]
    nearest = to_uint8(fakes[idx.flatten()]).cpu().numpy().reshape(len(queries), params["k"], *fakes.shape[1:])
    plot_nearest(to_uint8(real).cpu().numpy(), nearest, dist.cpu().numpy(), labels, figure)

    # T: the whole training split (a copier copies from anywhere in it) unless reference_limit caps it
    rng = np.random.default_rng(params["seed"])
    train_idx = ds.train_idx
    if params["reference_limit"] and len(train_idx) > params["reference_limit"]:
        train_idx = np.sort(rng.choice(train_idx, params["reference_limit"], replace=False))
    test_idx = ds.test_idx
    if len(test_idx) > params["n_test"]:
        test_idx = np.sort(rng.choice(test_idx, params["n_test"], replace=False))
    train = torch.from_numpy(ds.images[train_idx]).to(dev).float() / 255
    test = torch.from_numpy(ds.images[test_idx]).to(dev).float() / 255
    k = cells_for(len(test), len(fakes), params["cells"])
    measured = three_sample(train, test, fakes, k, params["seed"], DUPLICATE)
    fake_d, test_d = measured["fake_d"], measured["held_d"]
    plot_distance_histograms({"fakes": fake_d, "held-out real": test_d}, histogram,
                             xlabel="Euclidean distance to the nearest training image (pixels in [0, 1])")

    out = {
        "n_fakes": len(fakes), "n_reference": len(train_idx), "n_test": len(test_idx), "k": params["k"],
        "n_queries": len(queries), "query_distance_median": float(dist[:, 0].median()),
        **distance_summary(fake_d, test_d),
        "copying": {"cells": measured["cells"],
                    **copying(measured["cells"], len(fakes), len(test_idx), len(train_idx), measured["distinct"])},
    }
    if ds.has_labels:
        out["coverage"] = class_coverage(ds.labels[train_idx][measured["fake_nn"]], int(ds.labels.max()) + 1)
        out["coverage"]["findings"] = coverage(out["coverage"]["share"], len(fakes))
    return out


if __name__ == "__main__":
    cli.main(run)
