"""The domain classifier: the feature space of every sample-quality metric (our analogue of Inception)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def kmeans_labels(images: torch.Tensor, clusters: int, seed: int, iters: int = 25) -> torch.Tensor:
    """Pseudo-labels for unlabelled data: k-means clusters of 8×8 downsampled images (uint8 N×C×H×W)."""
    x = F.adaptive_avg_pool2d(images.float() / 255, 8).flatten(1)  # (N, C·64)
    gen = torch.Generator().manual_seed(seed)
    centres = x[torch.randperm(len(x), generator=gen)[:clusters].to(x.device)]
    for _ in range(iters):  # Lloyd's steps, without a host sync per cluster; an empty cluster keeps its centre
        assign = torch.cdist(x, centres).argmin(1)
        counts = torch.bincount(assign, minlength=clusters)[:, None]
        sums = torch.zeros_like(centres).index_add_(0, assign, x)
        centres = torch.where(counts > 0, sums / counts.clamp_min(1), centres)
    return torch.cdist(x, centres).argmin(1)


def class_labels(ds, images: torch.Tensor, clusters: int, seed: int) -> tuple[torch.Tensor, str]:
    """Labels to train a classifier on (on `images`' device) and what they are: the dataset's classes, or
    k-means pseudo-classes where the data has none (CelebA64)."""
    if ds.has_labels:
        return torch.from_numpy(ds.labels).to(images.device), "the dataset's classes"
    kind = f"{clusters} k-means clusters of 8×8 thumbnails (the data has no labels)"
    return kmeans_labels(images, clusters, seed), kind


@torch.no_grad()
def features_and_logits(
    model: nn.Module, images: torch.Tensor, batch_size: int = 1000
) -> tuple[torch.Tensor, torch.Tensor]:
    """Penultimate features and logits for images in [0, 1] (N, C, H, W)."""
    model.eval()
    feats = [model.features(chunk) for chunk in images.split(batch_size)]
    features = torch.cat(feats)
    return features, model.logits(features)
