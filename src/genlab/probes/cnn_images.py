"""The images whose CNN features are inverted: natural images that ship inside scikit-image, and held-out
images of the dataset, all square, at one size, in the backbone's channels (float [0, 1], N×C×H×W)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from genlab.core.data import Dataset, load_dataset
from genlab.models.vgg import load_backbone
from genlab.probes.cnn_inversion import InversionConfig, image_norm

LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601 weights: colour → grey for a backbone trained on grey data


def fit_image(image: torch.Tensor, size: int, channels: int) -> torch.Tensor:
    """One float image (C, H, W) in [0, 1] → centre-cropped square, resized (antialiased), in `channels`."""
    _, h, w = image.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = image[:, top:top + side, left:left + side][None]  # (1, C, side, side)
    resized = F.interpolate(square, size=(size, size), mode="bilinear", align_corners=False, antialias=True)[0]
    if resized.shape[0] == channels:
        return resized.clamp(0, 1)
    if channels == 1:
        return (resized * torch.tensor(LUMA).view(3, 1, 1)).sum(0, keepdim=True).clamp(0, 1)
    return resized.expand(channels, -1, -1).clamp(0, 1)


def natural_images(names: list[str], size: int, channels: int) -> torch.Tensor:
    """scikit-image's bundled test images (astronaut, coffee, ...), no download: (N, C, size, size)."""
    import skimage.data  # only this step needs scikit-image

    images = []
    for name in names:
        array = np.asarray(getattr(skimage.data, name)())
        array = array[..., None] if array.ndim == 2 else array[..., :3]  # grey → one channel; drop alpha
        images.append(fit_image(torch.from_numpy(array).permute(2, 0, 1).float() / 255, size, channels))
    return torch.stack(images)


def dataset_images(ds: Dataset, n: int, size: int, channels: int, seed: int) -> tuple[torch.Tensor, np.ndarray]:
    """`n` seeded held-out images of the dataset, fitted like the natural ones; returns (images, indices)."""
    chosen = np.sort(np.random.default_rng(seed).choice(ds.test_idx, size=min(n, len(ds.test_idx)), replace=False))
    raw = torch.from_numpy(ds.images[chosen]).float() / 255  # (n, C, H, W)
    return torch.stack([fit_image(image, size, channels) for image in raw]), chosen


def inversion_targets(ds: Dataset, name: str, params: dict, channels: int) -> tuple[torch.Tensor, list[str]]:
    """Config cnn_inversion.images → (images (N, C, S, S), one name per image)."""
    size = params["size"]
    natural = natural_images(params["natural"], size, channels) if params["natural"] else None
    own, indices = dataset_images(ds, params["dataset"], size, channels, params["seed"])
    names = list(params["natural"]) + [f"{name} #{i}" for i in indices]
    images = torch.cat([natural, own]) if natural is not None else own
    return images, names


def load_cnn_probe(data: str, backbone_path: str, params: dict, device: torch.device):
    """(backbone, target images on `device`, their names, σ0 over all of them, the optimiser's config) for one
    inversion rule: every rule gets the same σ0, whichever of the images it inverts."""
    backbone = load_backbone(backbone_path, device)
    images, names = inversion_targets(load_dataset(data), Path(data).stem, params["images"], backbone.channels)
    images = images.to(device)
    return backbone, images, names, image_norm(backbone, images), InversionConfig(**params["optimisation"])
