"""The image-restoration section's conclusions. PSNR on the hole depends on how much stroke the hole holds (the
mean-image fill, with no z at all, ranks the masks the same way), so masks are ranked by G's per-image gain over the
mean fill, and G is said to win or lose against each baseline only beyond the noise of the mean gain over images."""

from __future__ import annotations

import numpy as np

from genlab.findings.noise import difference, named, paired


def mean_gain(gains: np.ndarray) -> dict:
    """Mean per-image gain (dB) with its standard error, and "gain", "loss" or "no clear difference"."""
    found = paired(gains, np.zeros(len(gains)))
    return named(found, "gain", "loss")


def shape_effect(masks: dict[str, dict]) -> dict:
    """Do scattered-pixel masks (kind random) gain more over the mean fill than block holes, every one of them?"""
    scattered = [m["vs_mean"] for m in masks.values() if m["kind"] == "random"]
    blocks = [m["vs_mean"] for m in masks.values() if m["kind"] != "random"]
    if not scattered or not blocks:
        return {"verdict": "one_kind"}
    low, high = min(scattered, key=lambda g: g["mean"]), max(blocks, key=lambda g: g["mean"])
    # "overlap": some block hole gained more than some scattered mask
    return named(difference(low["mean"], low["se"], high["mean"], high["se"]), "scattered_easier", "overlap",
                 "no_clear_difference")


def restoration_findings(per_image: dict[str, dict]) -> dict:
    """per_image: {mask: {"kind", "generator", "mean", "nearest"}} with per-image PSNR (dB) on the missing pixels."""
    masks = {name: {"kind": m["kind"],
                    "vs_mean": mean_gain(np.asarray(m["generator"]) - np.asarray(m["mean"])),
                    "vs_nearest": mean_gain(np.asarray(m["generator"]) - np.asarray(m["nearest"]))}
             for name, m in per_image.items()}
    order = sorted(masks, key=lambda name: -masks[name]["vs_mean"]["mean"])
    loses = [name for name in order if masks[name]["vs_mean"]["verdict"] == "loss"]
    ties = [name for name in order if masks[name]["vs_mean"]["verdict"] == "no clear difference"]
    verdict = "loses_somewhere" if loses else ("ties_somewhere" if ties else "gains_everywhere")
    return {"masks": masks, "order": order, "loses_to_mean": loses, "ties_with_mean": ties, "verdict": verdict,
            "shape": shape_effect(masks)}
