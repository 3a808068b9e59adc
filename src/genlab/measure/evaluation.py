"""The evaluation's rows: every metric of one set of images against the real reference, the trivial ceiling it is
read against, the truncation rows' paired spread, and the per-model summary over seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from genlab.measure.metrics import (
    bootstrap_std,
    classifier_score,
    frechet_distance,
    kernel_distance,
    precision_recall,
    precision_recall_bootstrap,
)

METRICS = ["fid", "kid", "precision", "recall", "classifier_score"]


def model_group(model: dict) -> str:
    """The table's name for a model's group (its seeds pooled): a record of the evaluation rule's `models`."""
    if model["experiment"] == "mlp_gan":
        return "MLP GAN"
    if model["experiment"] == "gan":
        return f"conv GAN, {model['loss'].replace('_', ' ')}, k = {model['k']}"
    return f"{model['variant']} AE from N(0, I)"


def score_row(real: torch.Tensor, fake: torch.Tensor, logits: torch.Tensor, params: dict) -> dict:
    """FID (and its bootstrap s.d.), KID, precision/recall and the classifier score of `fake` features against the
    `real` ones, with the evaluation config's subsets, k, draws and seed."""
    kid, kid_std = kernel_distance(real, fake, params["kid_subsets"], params["kid_subset_size"], params["seed"])
    precision, recall = precision_recall(real, fake, params["k"])
    return {"fid": frechet_distance(real, fake),
            "fid_boot_std": bootstrap_std(frechet_distance, real, fake, params["bootstrap"], params["seed"]),
            "kid": kid, "kid_std": kid_std, "precision": precision, "recall": recall,
            "classifier_score": classifier_score(logits)}


def pixel_ceiling(train: torch.Tensor, n: int, gen: torch.Generator) -> torch.Tensor:
    """n images of the trivial generator every model should beat: the training images' per-pixel mean plus
    Gaussian noise of their per-pixel s.d., in [0, 1] (`train`: uint8)."""
    mean, std = train.float().mean(0) / 255, train.float().std(0) / 255
    return (mean + std * torch.randn(n, *mean.shape, generator=gen)).clamp(0, 1)


def change_se_vs_last(real: torch.Tensor, fakes: list[torch.Tensor], params: dict) -> np.ndarray:
    """Per fake set, the s.e. of its (precision, recall) minus the last set's, (sets, 2): a paired bootstrap, the
    i-th sample of every set drawn together (they share the i-th latent point), the real reference held fixed."""
    boot = precision_recall_bootstrap(real, fakes, params["k"], params["bootstrap"], params["seed"])
    return (boot - boot[-1]).std(1, ddof=1)


def by_model(table: pd.DataFrame) -> list[dict]:
    """One record per model, in table order: each metric's mean and s.d. over its seeds (s.d. None for one seed)
    and the mean bootstrap s.d. of its FID."""
    grouped = table.groupby("model", sort=False)[[*METRICS, "fid_boot_std"]].agg(["mean", "std"])

    def summary(model: str, column: str) -> dict:
        std = grouped.loc[model, (column, "std")]
        return {"mean": float(grouped.loc[model, (column, "mean")]), "std": None if pd.isna(std) else float(std)}

    return [{"model": m, "n_seeds": int((table["model"] == m).sum()),
             "fid_boot_std": float(grouped.loc[m, ("fid_boot_std", "mean")]),
             **{c: summary(m, c) for c in METRICS}}
            for m in grouped.index]
