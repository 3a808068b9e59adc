"""The MLP GAN section's figures: training curves, grids over training, nearest fakes, distances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from genlab.plots.base import plt, save_figure, show_image


def plot_gan_history(history: pd.DataFrame, path: str | Path, smooth: int = 5) -> None:
    """Losses and mean discriminator outputs over training (rolling mean over `smooth` log points)."""
    h = history.set_index("step").rolling(smooth, min_periods=1).mean()
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.4))
    a.plot(h.index, h["d_loss"], label="D loss")
    a.plot(h.index, h["g_loss"], label="G loss")
    a.set_xlabel("generator step")
    a.set_title("losses")
    a.legend()
    b.plot(h.index, h["d_real"], label="mean D(x)")
    b.plot(h.index, h["d_fake"], label="mean D(G(z))")
    b.set_ylim(0, 1)
    b.set_xlabel("generator step")
    b.set_title("discriminator outputs")
    b.legend()
    for ax in (a, b):
        ax.grid(alpha=0.3)
    save_figure(fig, path)


def plot_grids_over_training(grids: dict[int, np.ndarray], path: str | Path, cols: int = 5) -> None:
    """Every saved fixed-z sample grid (H×W×3 images), in step order: the exercise asks for one every 1,000 steps."""
    steps = sorted(grids)
    cols = min(cols, len(steps))
    rows = -(-len(steps) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.35 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, step in zip(axes.flat, steps, strict=False):  # more axes than grids in a part-filled last row
        ax.imshow(grids[step])
        ax.set_title(f"step {step:,}", fontsize=9)
    save_figure(fig, path)


def plot_nearest(
    queries: np.ndarray, neighbours: np.ndarray, distances: np.ndarray, row_labels: list[str], path: str | Path,
    blocks: int = 2,
) -> None:
    """One row per query: the query, then its nearest neighbours with their distances; `blocks` side by side."""
    n, k = neighbours.shape[:2]
    rows = -(-n // blocks)
    width = k + 2  # query, k neighbours, a spacer column between blocks
    fig, axes = plt.subplots(rows, blocks * width, figsize=(1.0 * blocks * width, 1.1 * rows), squeeze=False,
                             gridspec_kw={"width_ratios": ([1] * (k + 1) + [0.35]) * blocks})
    for ax in axes.flat:
        ax.axis("off")
    for q in range(n):
        r, c = q % rows, (q // rows) * width
        cells = [axes[r, c + j] for j in range(k + 1)]
        for ax in cells:
            ax.axis("on")
        show_image(cells[0], queries[q])
        cells[0].set_ylabel(row_labels[q], fontsize=7, rotation=0, ha="right", va="center")
        for j in range(k):
            show_image(cells[j + 1], neighbours[q, j])
            cells[j + 1].set_title(f"{distances[q, j]:.2f}", fontsize=7, pad=2)
        if r == 0:
            cells[0].set_title("real", fontsize=8, pad=2)
    fig.subplots_adjust(wspace=0.06, hspace=0.3)
    save_figure(fig, path)


def plot_distance_histograms(samples: dict[str, np.ndarray], path: str | Path, xlabel: str) -> None:
    """Overlaid density histograms with each sample's median marked."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    bins = np.histogram_bin_edges(np.concatenate(list(samples.values())), bins=50)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for (name, values), color in zip(samples.items(), colors, strict=False):
        label = f"{name} (median {np.median(values):.2f})"
        ax.hist(values, bins=bins, density=True, alpha=0.5, color=color, label=label)
        ax.axvline(np.median(values), color=color, linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    ax.legend(fontsize=8)
    save_figure(fig, path)
