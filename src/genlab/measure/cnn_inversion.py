"""What the CNN feature inversions measured, summarised: per-layer means over the images, over depth, and per swept
layer what lowering λ_TV did (the verdicts on these are findings.cnn_inversion's)."""

from __future__ import annotations

import pandas as pd

MEASURES = ["feature_error", "psnr", "ssim", "high_freq"]


def _means(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.groupby(by, sort=False)[MEASURES].mean()


def _kind(frame: pd.DataFrame, natural: list[str]) -> pd.Series:
    return frame["image"].map(lambda name: "natural" if name in natural else "dataset")


def layer_facts(frame: pd.DataFrame, layers: list[str], natural: list[str], lambda_tv: dict[str, float]) -> dict:
    """Per-layer means and how fidelity changes with depth (layers ordered shallow → deep); pool against conv
    layers, on the steps where λ_TV stays the same, is findings.cnn_inversion.layer_verdicts'."""
    per = _means(frame, "layer").loc[layers]
    change = per["psnr"].diff().iloc[1:]  # PSNR gained entering each layer from the one before
    drop_at = change.idxmin()
    before = dict(zip(layers[1:], layers[:-1], strict=True))
    by_kind = {}
    for k, rows in frame.groupby(_kind(frame, natural)):
        first = float(rows[rows["layer"] == layers[0]]["psnr"].mean())
        last = float(rows[rows["layer"] == layers[-1]]["psnr"].mean())
        by_kind[k] = {"psnr_first": first, "psnr_last": last, "drop": first - last,
                      "n_images": int(rows["image"].nunique())}
    worst = per["feature_error"].idxmax()
    return {
        "layers": {name: {m: float(per.loc[name, m]) for m in MEASURES} for name in layers},
        "order": layers,  # facts.json sorts its keys; this keeps shallow → deep
        "first": layers[0], "last": layers[-1],
        # over the whole stack, λ_TV rising with depth included: context only, the verdict is within blocks
        "psnr_depth_spearman": float(pd.Series(range(len(layers))).corr(per["psnr"].reset_index(drop=True),
                                                                          method="spearman")),
        "largest_drop": {"to": drop_at, "from": before[drop_at], "psnr": float(-change[drop_at]),
                         "lambda_from": lambda_tv[before[drop_at]], "lambda_to": lambda_tv[drop_at]},
        "max_feature_error": {"layer": worst, "value": float(per.loc[worst, "feature_error"])},
        "median_feature_error": float(per["feature_error"].median()),
        "by_kind": by_kind,
    }


def tv_facts(frame: pd.DataFrame) -> dict:
    """Per layer: what lowering λ_TV from the sweep's largest to its smallest value does to each measure."""
    original_hf = float(frame.groupby("image")["original_high_freq"].first().mean())
    layers = {}
    for layer, rows in frame.groupby("layer", sort=False):
        per = _means(rows, "lambda_tv").sort_index()  # λ ascending
        low, high = per.index[0], per.index[-1]
        layers[layer] = {
            "lambda_low": float(low), "lambda_high": float(high),
            "low": {m: float(per.loc[low, m]) for m in MEASURES},
            "high": {m: float(per.loc[high, m]) for m in MEASURES},
            "hf_ratio": float(per.loc[low, "high_freq"] / max(per.loc[high, "high_freq"], 1e-12)),
            "error_ratio": float(per.loc[low, "feature_error"] / max(per.loc[high, "feature_error"], 1e-12)),
            "hf_lambda_spearman": float(pd.Series(per.index).corr(per["high_freq"].reset_index(drop=True),
                                                                  method="spearman")),
            "best_psnr_lambda": float(per["psnr"].idxmax()), "best_psnr": float(per["psnr"].max()),
            "hf_over_original_low": float(per.loc[low, "high_freq"] / max(original_hf, 1e-12)),
        }
    lambdas = sorted(frame["lambda_tv"].unique())
    return {"layers": layers, "order": list(layers), "lambdas": [float(v) for v in lambdas],
            "span": float(lambdas[-1] / lambdas[0]), "original_high_freq": original_hf}
