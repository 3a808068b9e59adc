"""The moment-matched autoencoder section's figures: the codes' moments per axis."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genlab.plots.base import plt, save_figure


def plot_latent_moments(moments: dict[str, dict[str, list[float]]], path: str | Path) -> None:
    """Per-axis mean, variance and kurtosis of held-out codes for each autoencoder, with N(0, I)'s values."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.0))
    for ax, (key, target, title) in zip(axes, (("mean", 0, "mean"), ("var", 1, "variance"), ("kurt", 3, "kurtosis")),
                                        strict=True):
        width = 0.8 / len(moments)
        for i, (name, m) in enumerate(moments.items()):
            axis = np.arange(len(m[key]))
            ax.bar(axis + i * width, m[key], width=width, label=name)
        ax.axhline(target, color="black", linestyle="--", linewidth=1)
        ax.set_title(f"{title} per latent axis (N(0, I): {target})", fontsize=9)
        ax.set_xlabel("latent axis")
        if key == "var":
            ax.set_yscale("log")
    axes[0].legend(fontsize=8)
    save_figure(fig, path)
