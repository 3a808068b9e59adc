"""The numbers the CNN-inversion prose is rendered from: trends over depth and over λ_TV."""

from __future__ import annotations

import numpy as np
import pandas as pd

from genlab.findings.noise import Z, corrected_z, difference, named, paired

MEASURES = ["feature_error", "psnr", "ssim", "high_freq"]


def _means(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.groupby(by, sort=False)[MEASURES].mean()


def layer_facts(frame: pd.DataFrame, layers: list[str], natural: list[str], lambda_tv: dict[str, float]) -> dict:
    """Per-layer means and how fidelity changes with depth (layers ordered shallow → deep).

    Pool and conv layers are compared only on steps where λ_TV stays the same, so that a change of the
    regulariser is not charged to the layer.
    """
    per = _means(frame, "layer").loc[layers]
    change = per["psnr"].diff().iloc[1:]  # PSNR gained entering each layer from the one before
    drop_at = change.idxmin()
    before = dict(zip(layers[1:], layers[:-1], strict=True))
    steady = [name for name in change.index if lambda_tv[name] == lambda_tv[before[name]]]
    pools = [name for name in steady if name.startswith("pool")]
    convs = [name for name in steady if name.startswith("conv")]
    kind = frame["image"].map(lambda name: "natural" if name in natural else "dataset")
    by_kind = {k: {"psnr_first": float(rows[rows["layer"] == layers[0]]["psnr"].mean()),
                   "psnr_last": float(rows[rows["layer"] == layers[-1]]["psnr"].mean()),
                   "n_images": int(rows["image"].nunique())}
               for k, rows in frame.groupby(kind)}
    worst = per["feature_error"].idxmax()
    return {
        "layers": {name: {m: float(per.loc[name, m]) for m in MEASURES} for name in layers},
        "order": layers,  # facts.json sorts its keys; this keeps shallow → deep
        "first": layers[0], "last": layers[-1],
        "psnr_depth_spearman": float(pd.Series(range(len(layers))).corr(per["psnr"].reset_index(drop=True),
                                                                          method="spearman")),
        "largest_drop": {"to": drop_at, "from": before[drop_at], "psnr": float(-change[drop_at]),
                         "lambda_from": lambda_tv[before[drop_at]], "lambda_to": lambda_tv[drop_at]},
        "mean_change_at_pools": float(change[pools].mean()) if pools else None,  # same-λ steps only
        "mean_change_at_convs": float(change[convs].mean()) if convs else None,
        "n_steady": {"pools": len(pools), "convs": len(convs)},
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


STEADY = 0.5  # a per-image rank correlation between depth and PSNR below −STEADY is a steady fall
MATCHED = 0.05  # the features are matched when the normalised feature error is below this at every layer


def _per_image_spearman(frame: pd.DataFrame, layers: list[str]) -> pd.Series:
    depth = {name: i for i, name in enumerate(layers)}
    return frame.assign(depth=frame["layer"].map(depth)).groupby("image").apply(
        lambda rows: rows["depth"].corr(rows["psnr"], method="spearman"), include_groups=False)


def layer_verdicts(frame: pd.DataFrame, layers: list[str], natural: list[str], lambda_tv: dict[str, float]) -> dict:
    """The depth trend, pool against conv layers, the feature match and the kinds of image, each with its noise over
    the images (every image is inverted at every layer, so comparisons are paired by image)."""
    rho = _per_image_spearman(frame, layers)
    trend = paired(rho, np.zeros(len(rho)))
    if trend["verdict"] == "lower" and trend["mean"] + Z * trend["se"] < -STEADY:
        depth = "steady_fall"
    elif trend["verdict"] == "lower":
        depth = "falls"
    else:
        depth = "no_clear_trend"
    psnr = frame.pivot(index="image", columns="layer", values="psnr")[layers]
    change = psnr.diff(axis=1).iloc[:, 1:]  # per image: PSNR gained entering each layer
    before = dict(zip(layers[1:], layers[:-1], strict=True))
    steady = [name for name in change.columns if lambda_tv[name] == lambda_tv[before[name]]]
    pools = [name for name in steady if name.startswith("pool")]
    convs = [name for name in steady if name.startswith("conv")]
    found = {"depth": {**trend, "mean_rho": trend["mean"], "steady_below": -STEADY, "verdict": depth}}
    if pools and convs:
        kinds = paired(change[pools].mean(axis=1), change[convs].mean(axis=1))  # pool − conv change, per image
        # a pool's output is a function of its input: PSNR rising into pool layers is the optimisation, not information
        into_pools = paired(change[pools].mean(axis=1), np.zeros(len(change)))
        found["pool_vs_conv"] = {**named(kinds, "conv_loses_more", "pool_loses_more", "no_clear_difference"),
                                 "into_pools": into_pools, "pools_gain": into_pools["verdict"] == "higher"}
    else:
        found["pool_vs_conv"] = {"verdict": "not_comparable"}
    error = frame.pivot(index="image", columns="layer", values="feature_error")[layers]
    n = len(error)
    upper = error.mean() + Z * error.std(ddof=1).fillna(0) / np.sqrt(n)
    lower = error.mean() - Z * error.std(ddof=1).fillna(0) / np.sqrt(n)
    match = "matched" if (upper < MATCHED).all() else ("loose" if (lower > MATCHED).any() else "no_clear_verdict")
    loose = [name for name in layers if lower[name] > MATCHED]  # clearly above the line
    above = [name for name in layers if error[name].mean() > MATCHED]
    found["match"] = {"verdict": match, "matched_below": MATCHED, "loose_layers": loose, "above_layers": above,
                      "worst": error.mean().idxmax(), "worst_value": float(error.mean().max())}
    last = psnr[layers[-1]]
    is_natural = last.index.isin(natural)
    if is_natural.any() and (~is_natural).any() and min(is_natural.sum(), (~is_natural).sum()) > 1:
        nat, data = last[is_natural], last[~is_natural]
        kinds = difference(float(data.mean()), float(data.std(ddof=1) / np.sqrt(len(data))),
                           float(nat.mean()), float(nat.std(ddof=1) / np.sqrt(len(nat))))
        found["by_kind"] = named(kinds, "dataset_kept_more", "natural_kept_more", "no_clear_difference")
    else:
        found["by_kind"] = {"verdict": "too_few_images"}
    return found


def tv_verdicts(frame: pd.DataFrame) -> dict:
    """Per swept layer, with the noise over its images: does high-frequency energy fall as λ_TV grows (per-image rank
    correlation), does the smallest λ fit the features better than the largest (paired), and does PSNR peak
    above the smallest λ (the best λ's PSNR against the smallest's, paired, at a Z corrected for the λs the best
    was picked from)?"""
    layers = {}
    peak_looks = max(frame["lambda_tv"].nunique() - 1, 1)  # the λs above the smallest, the best picked among them
    peak_z = corrected_z(peak_looks)
    for layer, rows in frame.groupby("layer", sort=False):
        rho = rows.groupby("image").apply(lambda r: r["lambda_tv"].corr(r["high_freq"], method="spearman"),
                                          include_groups=False)
        wide = {m: rows.pivot(index="image", columns="lambda_tv", values=m) for m in ("feature_error", "psnr")}
        low, high = min(rows["lambda_tv"]), max(rows["lambda_tv"])
        best = wide["psnr"].mean().idxmax()
        hf = paired(rho, np.zeros(len(rho)))
        error = paired(wide["feature_error"][low], wide["feature_error"][high])
        peak = paired(wide["psnr"][best], wide["psnr"][low], peak_z)
        layers[layer] = {
            "hf_rho": hf, "hf_falls": hf["verdict"] == "lower",
            "error_low_vs_high": error, "fits_better_low": error["verdict"] == "lower",
            "best_lambda": float(best), "peak_vs_lowest": peak, "peaks_above_lowest": peak["verdict"] == "higher",
        }
    count = {key: sum(v[key] for v in layers.values()) for key in ("hf_falls", "fits_better_low", "peaks_above_lowest")}
    n = len(layers)
    return {"layers": layers, "n_layers": n, **{f"n_{k}": c for k, c in count.items()}, "peak_z": peak_z,
            "peak_looks": peak_looks,
            "hf": "all" if count["hf_falls"] == n else ("some" if count["hf_falls"] else "none"),
            "fit": "all" if count["fits_better_low"] == n else ("some" if count["fits_better_low"] else "none"),
            "peak": "all" if count["peaks_above_lowest"] == n else ("some" if count["peaks_above_lowest"] else "none")}
