"""Figures for the report: PNG, 150 dpi, written atomically. Images come in as uint8 N×C×H×W."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
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


def plot_grids_over_training(grids: dict[int, np.ndarray], path: str | Path, show: int = 8) -> None:
    """The fixed-z sample grids (H×W×3 images, as saved) at up to `show` evenly spaced steps."""
    steps = sorted(grids)
    picks = [steps[i] for i in np.unique(np.linspace(0, len(steps) - 1, min(show, len(steps))).round().astype(int))]
    cols = min(4, len(picks))
    rows = -(-len(picks) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.75 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, step in zip(axes.flat, picks, strict=False):  # more axes than picks in a part-filled last row
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


# ---------------------------------------------------------------- conv GAN sweep

LOSS_LABELS = {"saturating": "saturating", "nonsaturating": "non-saturating", "least_squares": "least squares"}


def plot_loss_shapes(shapes: dict[str, tuple[np.ndarray, np.ndarray]], d: np.ndarray, path: str | Path) -> None:
    """Each generator loss and |its derivative w.r.t. D's logit| as functions of D's output on fakes."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.4))
    for name, (value, grad) in shapes.items():
        a.plot(d, value, label=LOSS_LABELS[name])
        b.plot(d, np.abs(grad), label=LOSS_LABELS[name])
    a.set_ylabel("generator loss")
    b.set_ylabel("|∂ loss / ∂ logit|")
    for ax in (a, b):
        ax.set_xlabel("D(G(z))   (least squares: D's raw score s)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_sweep_curves(frame: pd.DataFrame, path: str | Path, smooth: int = 3) -> None:
    """Mean D(G(z)) and ‖∇G‖ over steps per loss, one column per k; lines are seed means, bands span the seeds."""
    ks = sorted(frame["k"].unique())
    fig, axes = plt.subplots(2, len(ks), figsize=(5 * len(ks), 6.4), squeeze=False, sharex=True)
    for col, k in enumerate(ks):
        for loss, color in zip(LOSS_LABELS, plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False):
            runs = frame[(frame["k"] == k) & (frame["loss"] == loss)]
            if runs.empty:
                continue
            for row, metric in enumerate(("d_fake", "g_grad_norm")):
                per_step = runs.pivot_table(index="step", columns="seed", values=metric)
                per_step = per_step.rolling(smooth, min_periods=1).mean()
                ax = axes[row, col]
                ax.plot(per_step.index, per_step.mean(axis=1), color=color, label=LOSS_LABELS[loss])
                ax.fill_between(per_step.index, per_step.min(axis=1), per_step.max(axis=1), color=color, alpha=0.2)
        axes[0, col].set_title(f"k = {k} discriminator step{'s' if k > 1 else ''} per G step")
        axes[0, col].set_ylabel("mean D(G(z))  (least squares: raw score)")
        axes[1, col].set_ylabel("‖∇θ L_G‖")
        axes[1, col].set_yscale("log")
        axes[1, col].set_xlabel("generator step")
        for ax in axes[:, col]:
            ax.grid(alpha=0.3)
        axes[0, col].legend(fontsize=8)
    save_figure(fig, path)


def plot_sample_table(grids: dict[tuple[str, int], np.ndarray], path: str | Path) -> None:
    """Final sample grids: one row per loss, one column per k."""
    losses = [loss for loss in LOSS_LABELS if any(key[0] == loss for key in grids)]
    ks = sorted({k for _, k in grids})
    fig, axes = plt.subplots(len(losses), len(ks), figsize=(3.2 * len(ks), 3.3 * len(losses)), squeeze=False)
    for r, loss in enumerate(losses):
        for c, k in enumerate(ks):
            ax = axes[r, c]
            ax.imshow(grids[(loss, k)])
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{LOSS_LABELS[loss]}, k = {k}", fontsize=9)
    save_figure(fig, path)


def plot_retrain_d(frame: pd.DataFrame, path: str | Path) -> None:
    """Fix G, retrain D: each generator loss's ‖∇G‖ (log) and D's outputs as D trains from scratch."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.4))
    for loss, label in LOSS_LABELS.items():
        a.plot(frame["d_step"], frame[f"grad_{loss}"], label=label)
    a.set_yscale("log")
    a.set_ylabel("‖∇θ L_G‖ on a fixed batch")
    b.plot(frame["d_step"], frame["d_real"], label="mean D(x)")
    b.plot(frame["d_step"], frame["d_fake"], label="mean D(G(z))")
    b.set_ylim(0, 1)
    b.set_ylabel("minimax D's output")
    for ax in (a, b):
        ax.set_xlabel("discriminator steps (G frozen)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    save_figure(fig, path)


# ---------------------------------------------------------------- autoencoders


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


def plot_truncation(frame: pd.DataFrame, path: str | Path) -> None:
    """FID, precision and recall against the truncation threshold ('none' drawn at the right end)."""
    labels = ["none" if pd.isna(t) else f"{t:g}" for t in frame["threshold"]]
    x = np.arange(len(frame))
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.3))
    a.plot(x, frame["fid"], marker="o")
    a.set_ylabel("FID (classifier features)")
    b.plot(x, frame["precision"], marker="o", label="precision")
    b.plot(x, frame["recall"], marker="o", label="recall")
    b.set_ylim(0, 1.02)
    b.legend(fontsize=8)
    for ax in (a, b):
        ax.set_xticks(x, labels)
        ax.set_xlabel("truncation threshold t (|z_j| ≤ t)")
        ax.grid(alpha=0.3)
    save_figure(fig, path)
