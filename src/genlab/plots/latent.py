"""Figures for the latent-space probes: reconstructions, where the error lives, and restorations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch

from genlab.core.images import to_uint8
from genlab.plots.base import plt, save_figure, show_image


def plot_image_rows(rows: dict[str, torch.Tensor], path: str | Path, n_show: int = 12,
                    column_titles: list[str] | None = None) -> None:
    """One labelled row of images per entry (all rows show the same targets, column by column)."""
    names = list(rows)
    n = min(n_show, len(rows[names[0]]))
    fig, axes = plt.subplots(len(names), n, figsize=(0.85 * n + 1.6, 0.95 * len(names)), squeeze=False)
    for r, name in enumerate(names):
        images = to_uint8(rows[name][:n]).numpy()
        for c in range(n):
            show_image(axes[r, c], images[c])
        axes[r, 0].set_ylabel(name, fontsize=7, rotation=0, ha="right", va="center")
    for c, title in enumerate((column_titles or [])[:n]):
        axes[0, c].set_title(title, fontsize=7)
    fig.subplots_adjust(wspace=0.04, hspace=0.06)
    save_figure(fig, path)


def plot_reconstructions(targets: torch.Tensor, recons: dict[str, torch.Tensor], path: str | Path) -> None:
    plot_image_rows({"original": targets, **recons}, path)


def plot_error_map(targets: torch.Tensor, recon: torch.Tensor, path: str | Path) -> None:
    """The mean target beside the mean squared error per pixel: where in the image the error lives."""
    mean_image = targets.mean(0).permute(1, 2, 0).squeeze(-1).cpu().numpy()
    error = (recon - targets).pow(2).mean((0, 1)).cpu().numpy()
    fig, (a, b) = plt.subplots(1, 2, figsize=(7, 3.2))
    a.imshow(mean_image, cmap="gray" if mean_image.ndim == 2 else None, vmin=0, vmax=1)
    a.set_title("mean target image", fontsize=9)
    im = b.imshow(error, cmap="magma")
    b.set_title("mean squared error per pixel", fontsize=9)
    fig.colorbar(im, ax=b, fraction=0.046)
    for ax in (a, b):
        ax.set_xticks([])
        ax.set_yticks([])
    save_figure(fig, path)


def plot_error_vs_attributes(frame: pd.DataFrame, column: str, path: str | Path) -> None:
    """Per-image reconstruction error against ink amount and high-frequency energy."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for ax, attr, label in zip(axes, ("ink", "high_freq"), ("mean intensity (ink)", "high-frequency energy"),
                               strict=True):
        ax.scatter(frame[attr], frame[column], s=10, alpha=0.7)
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("reconstruction MSE")
    save_figure(fig, path)
