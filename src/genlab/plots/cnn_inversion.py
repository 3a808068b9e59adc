"""Figures for CNN feature inversion: reconstructions by layer and by λ_TV, and their metrics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch

from genlab.plots.base import plt, save_figure
from genlab.plots.latent import plot_image_rows

METRICS = {"feature_error": "‖Φ(x) − Φ0‖² / ‖Φ0‖²", "psnr": "PSNR (dB)", "ssim": "SSIM",
           "high_freq": "high-frequency energy"}


def plot_reconstruction_table(originals: torch.Tensor, names: list[str], columns: dict[str, torch.Tensor],
                              path: str | Path) -> None:
    """Rows = images, columns = the original then one reconstruction set (N, C, H, W) per column title."""
    rows = {name: torch.stack([originals[i]] + [recon[i] for recon in columns.values()])
            for i, name in enumerate(names)}
    plot_image_rows(rows, path, n_show=len(columns) + 1, column_titles=["original", *columns])


def plot_depth_metrics(frame: pd.DataFrame, layers: list[str], path: str | Path) -> None:
    """Feature error, PSNR and SSIM against depth: a thin line per image, the mean in bold."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")
    for ax, metric in zip(axes, ("feature_error", "psnr", "ssim"), strict=True):
        table = frame.pivot_table(index="layer", columns="image", values=metric).loc[layers]
        ax.plot(range(len(layers)), table.to_numpy(), color="tab:blue", alpha=0.3, linewidth=0.8)
        ax.plot(range(len(layers)), table.mean(1).to_numpy(), color="black", linewidth=2, label="mean")
        ax.set_xticks(range(len(layers)), layers, rotation=70, fontsize=7)
        ax.set_title(METRICS[metric], fontsize=9)
        ax.grid(alpha=0.3)
    axes[0].set_yscale("log")
    axes[0].legend(fontsize=7)
    save_figure(fig, path)


def plot_tv_metrics(frame: pd.DataFrame, path: str | Path) -> None:
    """Every metric against λ_TV (log scale), one line per layer (mean over images); the originals' energy dashed."""
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.4), layout="constrained")
    means = (frame.groupby(["layer", "lambda_tv"], sort=False).mean(numeric_only=True).reset_index()
             .sort_values("lambda_tv", kind="stable"))  # λ ascending within each layer, whatever the config's order
    for ax, metric in zip(axes, METRICS, strict=True):
        for layer, rows in means.groupby("layer", sort=False):
            ax.plot(rows["lambda_tv"], rows[metric], marker="o", markersize=3, label=layer)
        ax.set_xscale("log")
        ax.set_xlabel("λ_TV")
        ax.set_title(METRICS[metric], fontsize=9)
        ax.grid(alpha=0.3)
    axes[3].axhline(frame.groupby("image")["original_high_freq"].first().mean(), color="gray", linestyle="--",
                    label="originals")
    axes[0].set_yscale("log")
    axes[3].set_yscale("log")
    axes[3].legend(fontsize=7)
    save_figure(fig, path)
