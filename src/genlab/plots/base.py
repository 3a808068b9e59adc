"""Figures for the report: PNG, 150 dpi, written atomically. Images come in as uint8 N×C×H×W."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torchvision.utils import make_grid, save_image  # noqa: E402

from genlab.core.io import atomic_path  # noqa: E402

DPI = 150


def save_grid(images: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """A sample grid as the image itself (no axes), via torchvision."""
    with atomic_path(path) as tmp:
        save_image(images.float() / 255, tmp, nrow=nrow, padding=2, pad_value=1.0)


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
        grid = make_grid(images.clamp(0, 1).cpu(), nrow=8, padding=1, pad_value=1.0)
        ax.imshow(grid.permute(1, 2, 0).numpy())
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    save_figure(fig, path)
