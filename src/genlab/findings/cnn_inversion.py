"""The CNN-inversion verdicts: trends over depth and over λ_TV (the per-layer numbers are measure/cnn_inversion's).

The config raises λ_TV with depth (1 → 10 → 100 over three blocks of layers), so a fall of PSNR across the whole
stack is the regulariser's as much as the features'. The depth trend is therefore measured only within the runs of
consecutive layers that share one λ_TV (no extra inversions, unlike a fixed-λ control), and kinds of image are
compared by how much PSNR each loses from the first layer to the last, not by its level (a flat image scores high
at every layer). Every verdict is a Student's t test over the images and says "too few to tell" below MIN_N.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from genlab.findings.noise import (
    MIN_N,
    TOO_FEW,
    Decision,
    Paired,
    corrected_z,
    critical,
    declared,
    detectable,
    difference,
    named,
    paired,
)

DepthVerdict = Literal["not_comparable", "rises", "falls", "no_clear_trend", "too_few_to_tell"]
PoolVsConvVerdict = Literal["not_comparable", "conv_loses_more", "pool_loses_more", "no_clear_difference",
                            "too_few_to_tell"]
MatchVerdict = Literal["too_few_to_tell", "matched", "loose", "no_clear_verdict"]
ByKindVerdict = Literal["too_few_to_tell", "dataset_kept_more", "natural_kept_more", "no_clear_difference"]
Summary = Literal["all", "some", "none", "too_few_to_tell"]  # how many of the swept layers show a claim
VERDICTS = declared(
    depth=DepthVerdict, pool_vs_conv=PoolVsConvVerdict, match=MatchVerdict, by_kind=ByKindVerdict,  # layer_verdicts
    hf_slope=Paired, error_low_vs_high=Paired, hf=Summary, fit=Summary, peak=Summary,  # tv_verdicts
)

MATCHED = 0.05  # the features are matched when the normalised feature error is below this at every layer


def constant_lambda_blocks(layers: list[str], lambda_tv: dict[str, float]) -> list[list[str]]:
    """The runs of consecutive layers (shallow → deep) that share one λ_TV: within a run, depth is the only change."""
    blocks: list[list[str]] = []
    for name in layers:
        if blocks and lambda_tv[name] == lambda_tv[blocks[-1][-1]]:
            blocks[-1].append(name)
        else:
            blocks.append([name])
    return blocks


def within_block_slopes(psnr: pd.DataFrame, blocks: list[list[str]]) -> pd.Series:
    """Per image (rows of `psnr`, one column per layer): the least-squares slope of PSNR on depth, in dB per layer,
    with one intercept per constant-λ block, so that a step of λ_TV between blocks adds nothing to it."""
    num, den = np.zeros(len(psnr)), 0.0
    for block in blocks:
        if len(block) < 2:
            continue
        depth = np.arange(len(block)) - (len(block) - 1) / 2
        values = psnr[block].to_numpy(dtype=float)
        num += ((values - values.mean(axis=1, keepdims=True)) * depth).sum(axis=1)
        den += float((depth**2).sum())
    return pd.Series(num / den if den else math.nan, index=psnr.index)


def depth_trend(psnr: pd.DataFrame, blocks: list[list[str]]) -> Decision[DepthVerdict]:
    """Does PSNR fall with depth while λ_TV stays the same? The within-block slope, paired t over the images."""
    if not any(len(block) > 1 for block in blocks):
        return {"verdict": "not_comparable", "blocks": blocks}
    slope = within_block_slopes(psnr, blocks)
    found = named(paired(slope, np.zeros(len(slope))), "rises", "falls", "no_clear_trend")
    return {**found, "blocks": blocks, "n_within": sum(len(b) - 1 for b in blocks if len(b) > 1)}


def feature_match(error: pd.DataFrame) -> Decision[MatchVerdict]:
    """Is the normalised feature error below MATCHED at every layer (each layer tested at Z: a claim about all of them
    holds at the level of one), or above it at some (Z corrected for the layers looked at)? Student's t over the
    images at each layer, all layers at once (one critical value each way)."""
    layers, n = list(error.columns), len(error)
    above_z = corrected_z(len(layers))
    gap = error.mean() - MATCHED
    se = error.std(ddof=1) / math.sqrt(n) if n > 1 else pd.Series(math.inf, index=layers)
    found = {"matched_below": MATCHED, "above_z": above_z, "n": n, "min_n": MIN_N,
             "above_layers": [name for name in layers if gap[name] > 0],
             "worst": gap.idxmax(), "worst_value": float(gap.max() + MATCHED)}
    if n < MIN_N:
        return {**found, "loose_layers": [], "detectable": math.inf, "verdict": "too_few_to_tell"}
    loose = [name for name in layers if gap[name] > critical(n - 1, above_z) * se[name]]  # clearly above the line
    found = {**found, "loose_layers": loose, "detectable": detectable(float(se.max()), n - 1)}
    if (gap < -critical(n - 1) * se).all():
        return {**found, "verdict": "matched"}
    return {**found, "verdict": "loose" if loose else "no_clear_verdict"}


def kinds_by_drop(drop: pd.Series, is_natural: np.ndarray) -> Decision[ByKindVerdict]:
    """Do the dataset's images lose less PSNR from the first layer to the last than the natural ones? Welch's t on
    the per-image drops (first − last, dB), "too few to tell" below MIN_N images of either kind."""
    nat, data = drop[is_natural], drop[~is_natural]
    counts = {"n_natural": len(nat), "n_dataset": len(data), "min_n": MIN_N}
    if min(len(nat), len(data)) < MIN_N:
        return {**counts, "verdict": "too_few_to_tell"}
    found = difference(float(nat.mean()), float(nat.std(ddof=1) / math.sqrt(len(nat))),
                       float(data.mean()), float(data.std(ddof=1) / math.sqrt(len(data))),
                       a_df=len(nat) - 1, b_df=len(data) - 1)  # natural − dataset drop: higher = dataset keeps more
    return {**counts, **named(found, "dataset_kept_more", "natural_kept_more", "no_clear_difference")}


def layer_verdicts(frame: pd.DataFrame, layers: list[str], natural: list[str], lambda_tv: dict[str, float]) -> dict:
    """The depth trend at constant λ_TV, pool against conv layers, the feature match and the kinds of image, each
    with its noise over the images (every image is inverted at every layer, so comparisons are paired by image)."""
    psnr = frame.pivot(index="image", columns="layer", values="psnr")[layers]
    found = {"depth": depth_trend(psnr, constant_lambda_blocks(layers, lambda_tv))}
    change = psnr.diff(axis=1).iloc[:, 1:]  # per image: PSNR gained entering each layer
    before = dict(zip(layers[1:], layers[:-1], strict=True))
    steady = [name for name in change.columns if lambda_tv[name] == lambda_tv[before[name]]]
    pools = [name for name in steady if name.startswith("pool")]
    convs = [name for name in steady if name.startswith("conv")]
    if pools and convs:
        kinds = paired(change[pools].mean(axis=1), change[convs].mean(axis=1))  # pool − conv change, per image
        # a pool's output is a function of its input: PSNR rising into pool layers is the optimisation, not information
        into_pools = paired(change[pools].mean(axis=1), np.zeros(len(change)))
        found["pool_vs_conv"] = {**named(kinds, "conv_loses_more", "pool_loses_more", "no_clear_difference"),
                                 "into_pools": into_pools, "pools_gain": into_pools["verdict"] == "higher",
                                 "pools_change": float(change[pools].to_numpy().mean()),  # dB per layer, mean image
                                 "convs_change": float(change[convs].to_numpy().mean()),
                                 "n_pools": len(pools), "n_convs": len(convs)}
    else:
        found["pool_vs_conv"] = {"verdict": "not_comparable"}
    found["match"] = feature_match(frame.pivot(index="image", columns="layer", values="feature_error")[layers])
    drop = psnr[layers[0]] - psnr[layers[-1]]
    found["by_kind"] = kinds_by_drop(drop, drop.index.isin(natural))
    return found


# each per-layer claim of the sweep, the test behind it, and the summary's name for it
CLAIMS = {"hf_falls": ("hf_slope", "hf"), "fits_better_low": ("error_low_vs_high", "fit"),
          "peaks_above_lowest": ("peak_vs_lowest", "peak")}


def _summary(layers: dict, claim: str) -> dict:
    """all / some / none of the layers with at least MIN_N images show `claim`; too_few_to_tell when none has."""
    test, name = CLAIMS[claim]
    tested = [v for v in layers.values() if v[test]["verdict"] != TOO_FEW]
    count = sum(v[claim] for v in tested)
    word: Summary = ("all" if count == len(tested) else ("some" if count else "none")) if tested else "too_few_to_tell"
    return {name: word, f"n_{claim}": count, f"n_tested_{name}": len(tested)}


def decades_per_decade(high_freq: pd.DataFrame) -> pd.Series:
    """Per image (rows; one column per λ_TV): the least-squares slope of log10 high-frequency energy on log10 λ_TV. A
    continuous effect size whose noise is near normal, where a rank correlation over a few λs is so coarse that a t
    test over three images passes noise too often."""
    x = np.log10(high_freq.columns.to_numpy(dtype=float))
    x = x - x.mean()
    y = np.log10(np.maximum(high_freq.to_numpy(dtype=float), 1e-30))
    return pd.Series((y - y.mean(axis=1, keepdims=True)) @ x / (x @ x), index=high_freq.index)


MEASURES = ("feature_error", "psnr", "high_freq")  # per image and λ_TV, in the sweep's table


def tv_verdicts(frame: pd.DataFrame) -> dict:
    """Per swept layer, with the noise over its images: does high-frequency energy fall as λ_TV grows (per-image slope
    on log–log axes), does the smallest λ fit the features better than the largest (paired), and does PSNR peak
    above the smallest λ (the best λ's PSNR against the smallest's, paired, at a Z corrected for the λs the best
    was picked from)? Each is Student's t over the images, "too few to tell" below MIN_N."""
    layers = {}
    peak_looks = max(frame["lambda_tv"].nunique() - 1, 1)  # the λs above the smallest, the best picked among them
    peak_z = corrected_z(peak_looks)
    for layer, rows in frame.groupby("layer", sort=False):
        table = rows.pivot(index="image", columns="lambda_tv", values=list(MEASURES))  # one pivot: the costly part
        wide = {m: table[m] for m in MEASURES}
        low, high = min(rows["lambda_tv"]), max(rows["lambda_tv"])
        best = wide["psnr"].mean().idxmax()
        slope = decades_per_decade(wide["high_freq"])
        hf = paired(slope, np.zeros(len(slope)))
        error = paired(wide["feature_error"][low], wide["feature_error"][high])
        peak = paired(wide["psnr"][best], wide["psnr"][low], peak_z)
        layers[layer] = {
            "hf_slope": hf, "hf_falls": hf["verdict"] == "lower",
            "error_low_vs_high": error, "fits_better_low": error["verdict"] == "lower",
            "best_lambda": float(best), "peak_vs_lowest": peak, "peaks_above_lowest": peak["verdict"] == "higher",
        }
    found = {"layers": layers, "n_layers": len(layers), "peak_z": peak_z, "peak_looks": peak_looks, "min_n": MIN_N,
             "too_few_images": frame["image"].nunique() < MIN_N}
    for claim in CLAIMS:
        found.update(_summary(layers, claim))
    return found
