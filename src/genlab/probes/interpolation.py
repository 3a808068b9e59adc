"""Latent interpolation: pick image pairs, walk the straight line between their codes, and measure the path."""

from __future__ import annotations

import numpy as np
import torch

from genlab.probes.neighbours import nearest_neighbours


def pick_pairs(labels: np.ndarray, n_across: int, n_within: int, seed: int) -> list[tuple[int, int, str]]:
    """(i, j, kind) positions into `labels`: pairs of different classes, then pairs within one class.
    Without labels every pair is 'random'."""
    rng = np.random.default_rng(seed)
    n = len(labels)
    if (labels < 0).any():
        return [(*map(int, rng.choice(n, 2, replace=False)), "random") for _ in range(n_across + n_within)]
    pairs = []
    while len([p for p in pairs if p[2] == "across"]) < n_across:
        i, j = rng.choice(n, 2, replace=False)
        if labels[i] != labels[j]:
            pairs.append((int(i), int(j), "across"))
    classes = [c for c in np.unique(labels) if (labels == c).sum() >= 2]
    for c in rng.choice(classes, n_within, replace=len(classes) < n_within):
        i, j = rng.choice(np.flatnonzero(labels == c), 2, replace=False)
        pairs.append((int(i), int(j), "within"))
    return pairs


def line(z1: torch.Tensor, z2: torch.Tensor, alphas: torch.Tensor) -> torch.Tensor:
    """(1 − a)·z1 + a·z2 for every a: (A, Z); a = 0 gives z1 exactly, a = 1 gives z2."""
    a = alphas[:, None]
    return (1 - a) * z1[None] + a * z2[None]


def classifier_measures(logits: torch.Tensor) -> dict[str, float]:
    """Along a path's interior: the domain classifier's mean top-class probability and mean entropy (nats).
    A plausible path stays confident; a blend of two digits looks like neither and raises the entropy."""
    p = torch.softmax(logits[1:-1].double(), dim=1)
    entropy = -(p * p.clamp_min(1e-12).log()).sum(1)
    return {"confidence": float(p.max(1).values.mean()), "entropy": float(entropy.mean())}


def path_measures(path: torch.Tensor, train: torch.Tensor) -> dict[str, float]:
    """A decoded path (A, C, H, W): how far its interior images are from the nearest training image, and
    its length in pixel space over the distance between its ends (1 = a straight, evenly moving path)."""
    steps = (path[1:] - path[:-1]).flatten(1).norm(dim=1)
    ends = (path[-1] - path[0]).norm().clamp_min(1e-8)
    nn_d, _ = nearest_neighbours(path[1:-1], train, k=1)
    return {"nn_distance": float(nn_d.mean()), "length_ratio": float(steps.sum() / ends),
            "max_jump_share": float(steps.max() / steps.sum().clamp_min(1e-8))}
