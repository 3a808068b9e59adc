"""The measuring section's figures: the truncation trick's trade-off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from genlab.plots.base import plt, save_figure


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
