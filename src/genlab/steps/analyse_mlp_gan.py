"""Rule analyse_mlp_gan: the MLP GAN section's figures and its facts.json (everything its prose uses)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from genlab.core import cli
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths
from genlab.findings.training import diversity, training_facts
from genlab.plots.mlp_gan import plot_gan_history, plot_grids_over_training


def _read_grids(folder: str) -> dict[int, np.ndarray]:
    """The saved step_XXXXXX.png grids, keyed by step."""
    grids = {}
    for path in sorted(Path(folder).glob("step_*.png")):
        grids[int(path.stem.split("_")[1])] = np.asarray(Image.open(path).convert("RGB"))
    return grids


def run(data_summary: str, history: str, training: str, memorisation: str, grids: str,
        nearest_figure: str, memorisation_figure: str, curves: str, grids_figure: str, facts: str) -> None:
    hist = pd.read_csv(history)
    plot_gan_history(hist, curves)
    saved = _read_grids(grids)
    plot_grids_over_training(saved, grids_figure)
    summary = read_json(training)
    memorisation_facts = read_json(memorisation)
    write_facts(facts, {
        "training": summary,
        "diversity": diversity(summary["grid_diversity"], summary["real_diversity"]),
        "history": training_facts(hist),
        "memorisation": memorisation_facts,
        "grid_steps": sorted(saved),  # every saved grid is in the figure
        "figures": relative_paths(facts, {"curves": curves, "grids": grids_figure, "nearest": nearest_figure,
                                          "memorisation": memorisation_figure}),
    }, data_summary=data_summary, device=summary["device"], n=memorisation_facts["n_fakes"], params=summary["config"])


if __name__ == "__main__":
    cli.main(run)
