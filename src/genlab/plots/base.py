"""Figures for the report: PNG, 150 dpi, written atomically. Images come in as uint8 N×C×H×W."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from genlab.core.io import atomic_path  # noqa: E402

DPI = 150


def tile(images: torch.Tensor, nrow: int = 8, padding: int = 2, pad_value: float = 1.0) -> torch.Tensor:
    """Images (N, C, H, W) in [0, 1] as one RGB grid (3, H', W'), `nrow` a row: torchvision's make_grid layout,
    written out because importing torchvision pulls in torch._dynamo, seconds of start-up in every step that draws
    a grid (tests/plots/test_base.py holds the two equal)."""
    n, channels, h, w = images.shape
    if channels == 1:
        images = images.expand(n, 3, h, w)
    cols = min(nrow, n)
    rows = math.ceil(n / cols)
    grid = images.new_full((3, rows * (h + padding) + padding, cols * (w + padding) + padding), pad_value)
    for i, image in enumerate(images):
        row, col = divmod(i, cols)
        top, left = padding + row * (h + padding), padding + col * (w + padding)
        grid[:, top:top + h, left:left + w] = image
    return grid


def save_grid(images: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """A sample grid (uint8 images) as the image itself, no axes."""
    rgb = tile(images.float() / 255, nrow).mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to(torch.uint8)
    with atomic_path(path) as tmp:
        Image.fromarray(rgb.cpu().numpy()).save(tmp, format="PNG")


def save_figure(fig: plt.Figure, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def show_image(ax: plt.Axes, image: np.ndarray) -> None:
    """One C×H×W uint8 image on an axis, grey for one channel."""
    if image.shape[0] == 1:
        ax.imshow(image[0], cmap="gray", vmin=0, vmax=255)
    else:
        ax.imshow(np.transpose(image, (1, 2, 0)))
    ax.set_xticks([])
    ax.set_yticks([])


def plot_sample_panels(samples: dict[str, torch.Tensor], path: str | Path) -> None:
    """Sample grids side by side, one panel per source (images in [0, 1])."""
    fig, axes = plt.subplots(1, len(samples), figsize=(3.3 * len(samples), 3.5), squeeze=False)
    for ax, (name, images) in zip(axes[0], samples.items(), strict=True):
        grid = tile(images.clamp(0, 1).cpu(), nrow=8, padding=1)
        ax.imshow(grid.permute(1, 2, 0).numpy())
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    save_figure(fig, path)
