"""The loss-saturation section's figures: loss shapes, the sweep's curves and samples, fix G / retrain D."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from genlab.plots.base import plt, save_figure

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


def plot_retrain_d(frame: pd.DataFrame, generator_seed: int, path: str | Path) -> None:
    """Fix G, retrain D for one generator seed and its first D seed (every replicate would bury the shapes), one line
    style per frozen G: each generator loss's ‖∇G‖ and the minimax D's outputs as D trains from scratch, both on log
    scales (the decay and D(G(z)) ≪ 0.01 span orders of magnitude)."""
    frame = frame[frame["generator_seed"] == generator_seed]
    frame = frame[frame["d_seed"] == frame["d_seed"].min()]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10.5, 4.6))
    styles = ["-", "--", ":", "-."]
    for i, (stage, part) in enumerate(frame.groupby("stage", sort=True)):
        style = styles[i % len(styles)]
        for j, (loss, label) in enumerate(LOSS_LABELS.items()):
            a.plot(part["d_step"], part[f"grad_{loss}"], style, color=f"C{j}", label=f"{label}, G at step {stage:,}")
        b.plot(part["d_step"], part["d_fake"], style, color="C3", label=f"D(G(z)), G at step {stage:,}")
        b.plot(part["d_step"], 1 - part["d_real"], style, color="C7", label=f"1 − D(x), G at step {stage:,}")
    a.set_yscale("log")
    a.set_ylabel("‖∇θ L_G‖ on a fixed batch")
    b.set_yscale("log")
    b.set_ylabel("minimax D's errors (mean)")
    for ax in (a, b):
        ax.set_xlabel("discriminator steps (G frozen)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6, ncol=2 if ax is b else 3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    save_figure(fig, path)
