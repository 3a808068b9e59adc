"""Does the generator copy its training set? Distances to the training set, measured for the three-sample
data-copying test of Meehan, Chaudhuri & Dasgupta (AISTATS 2020), and the nearest fakes to real images.

The test's idea: unseen real images (held-out, P_n) show how far a sample from the data distribution lies from the
training set T. A copying generator puts its fakes (Q_m) closer than that; a blurry or underfitting one farther.
Comparing the two distance samples globally would let a generator that copies in one region and underfits in
another cancel out, so T is cut into k-means cells and each cell gets its own Mann–Whitney comparison.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.cluster.vq import kmeans2
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.stats import rankdata

from genlab.probes.neighbours import nearest_neighbours


def distance_summary(fake_d: np.ndarray, test_d: np.ndarray) -> dict:
    """Fakes against held-out real images, both measured to their nearest training image (descriptive; the test is
    `three_sample`)."""
    test_p5 = float(np.percentile(test_d, 5))
    return {
        "median_fake": float(np.median(fake_d)),
        "median_test": float(np.median(test_d)),
        "median_ratio": float(np.median(fake_d) / np.median(test_d)),
        "min_fake": float(fake_d.min()),
        "min_test": float(test_d.min()),
        "test_p5": test_p5,
        "frac_fakes_below_test_p5": float((fake_d < test_p5).mean()),
    }


def class_coverage(fake_nn_labels: np.ndarray, n_classes: int) -> dict:
    """Which classes the fakes resemble, through their nearest training image's label (a mode-coverage proxy)."""
    share = np.bincount(fake_nn_labels, minlength=n_classes) / len(fake_nn_labels)
    return {
        "share": [float(s) for s in share],
        "covered": int((share > 0.01).sum()),
        "largest_class": int(share.argmax()),
        "largest_share": float(share.max()),
        "smallest_class": int(share.argmin()),
        "smallest_share": float(share.min()),
    }


def nearest_training_distances(images: torch.Tensor, train: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Distance from every image to its nearest training image, and that image's index in `train`."""
    d, i = nearest_neighbours(images, train, k=1)
    return d[:, 0].cpu().numpy(), i[:, 0].cpu().numpy()


def kmeans_cells(train: torch.Tensor, k: int, seed: int) -> torch.Tensor:
    """k centroids of the training images (seeded k-means++, then Lloyd), on the training images' device."""
    flat = train.flatten(1).float().cpu().numpy()
    centroids, _ = kmeans2(flat, k, iter=20, minit="++", missing="warn", rng=np.random.default_rng(seed))
    return torch.from_numpy(centroids).to(train.device)


def nearest_cell(images: torch.Tensor, centroids: torch.Tensor) -> np.ndarray:
    return nearest_neighbours(images, centroids, k=1)[1][:, 0].cpu().numpy()


def mann_whitney(fake_d: np.ndarray, held_d: np.ndarray) -> dict:
    """U = the (fake, held-out) pairs in which the fake lies farther from the training set (ties count ½), and
    Z_U = (U − mn/2) / √(mn(m + n + 1)/12): mean 0 and variance 1 when both come from one distribution, negative
    when the fakes sit closer (copying)."""
    m, n = len(fake_d), len(held_d)
    if not m or not n:
        return {"fakes": m, "held_out": n, "u": None, "z": None}
    ranks = rankdata(np.concatenate([fake_d, held_d]))
    u = float(ranks[:m].sum() - m * (m + 1) / 2)
    return {"fakes": m, "held_out": n, "u": u, "z": (u - m * n / 2) / math.sqrt(m * n * (m + n + 1) / 12)}


def distinct_images(images: torch.Tensor, within: float, chunk: int = 1024) -> int:
    """How many groups of near-duplicates `images` form: images closer than `within` are joined, transitively.
    A collapsed generator's fakes are a few images drawn many times, not independent draws."""
    flat = images.flatten(1).float()
    rows, cols = [], []
    for start in range(0, len(flat), chunk):
        close = (torch.cdist(flat[start : start + chunk], flat) < within).nonzero().cpu().numpy()
        rows.append(close[:, 0] + start)
        cols.append(close[:, 1])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(flat), len(flat)))
    return int(connected_components(graph, directed=False)[0])


def three_sample(train: torch.Tensor, held_out: torch.Tensor, fakes: torch.Tensor, k: int, seed: int,
                 duplicate: float) -> dict:
    """Everything the data-copying test C_T measures: per k-means cell of T, the fakes' and the held-out images'
    distances to their nearest training image compared by Mann–Whitney; and how many distinct images (groups of
    near-duplicates, closer than `duplicate` × the held-out images' median distance to T) the fakes form, against
    as many held-out images (real data has near-duplicates of its own, so the fakes are judged against them).

    Distances go to the nearest image in the whole of T, not only in the cell (as Meehan et al. do): a point near a
    cell's border may have its nearest training image across it, and a copy is a copy wherever its source lies.
    Under the null (fakes as far from T as unseen data) fake and held-out distances within a cell are still
    exchangeable, so the test keeps its level; the cells only localise the comparison.
    """
    fake_d, fake_nn = nearest_training_distances(fakes, train)
    held_d, _ = nearest_training_distances(held_out, train)
    centroids = kmeans_cells(train, k, seed)
    fake_cell, held_cell = nearest_cell(fakes, centroids), nearest_cell(held_out, centroids)
    train_cell = nearest_cell(train, centroids)
    cells = [{"cell": c, "train": int((train_cell == c).sum()),
              **mann_whitney(fake_d[fake_cell == c], held_d[held_cell == c])} for c in range(k)]
    within = duplicate * float(np.median(held_d))
    n = min(len(fakes), len(held_out))  # fakes are independent draws: the first n are a random n
    distinct = {"within": within, "compared": n, "fakes": distinct_images(fakes[:n], within),
                "held_out": distinct_images(held_out[:n], within), "all_fakes": distinct_images(fakes, within)}
    return {"cells": cells, "distinct": distinct, "fake_d": fake_d, "held_d": held_d, "fake_nn": fake_nn,
            "n_fakes": len(fakes), "n_held_out": len(held_out), "n_train": len(train)}
