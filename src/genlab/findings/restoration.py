"""The image-restoration section's conclusions. PSNR on the hole depends on how much stroke the hole holds (the
mean-image fill, with no z at all, ranks the masks the same way), so masks are ranked by G's per-image gain over the
mean fill, and G is said to win or lose against each baseline only beyond the noise of the mean gain over images."""

from __future__ import annotations

from typing import Literal

import numpy as np

from genlab.findings.noise import TOO_FEW, Decision, Z, corrected_z, declared, named, paired

GainVerdict = Literal["gain", "loss", "no clear difference", "too_few_to_tell"]  # G against one baseline, on one mask
ShapeVerdict = Literal["one_kind", "too_few_to_tell", "overlap", "scattered_easier", "no_clear_difference"]
Verdict = Literal["too_few_to_tell", "loses_somewhere", "ties_somewhere", "gains_everywhere"]  # G against the mean fill
VERDICTS = declared(verdict=Verdict, shape=ShapeVerdict, vs_mean=GainVerdict, vs_nearest=GainVerdict)


def mean_gain(gains: np.ndarray, z: float = Z) -> Decision[GainVerdict]:
    """Mean per-image gain (dB) with its standard error (paired t over the images), and "gain", "loss" or "no clear
    difference"."""
    found = paired(gains, np.zeros(len(gains)), z)
    return named(found, "gain", "loss")


def shape_effect(per_image: dict[str, dict]) -> Decision[ShapeVerdict]:
    """Did every scattered-pixel mask (kind random) gain more over the mean fill than every block hole?

    Each (scattered, block) pair is a paired t over the same images, all held to the Z corrected for the number of
    pairs: "scattered_easier" needs every pair higher, "overlap" one pair lower, so neither claim rests on a pair
    picked after looking (the least-gaining scattered mask against the most-gaining block)."""
    gain = {name: np.asarray(m["generator"]) - np.asarray(m["mean"]) for name, m in per_image.items()}
    scattered = [name for name, m in per_image.items() if m["kind"] == "random"]
    blocks = [name for name, m in per_image.items() if m["kind"] != "random"]
    if not scattered or not blocks:
        return {"verdict": "one_kind"}
    z = corrected_z(len(scattered) * len(blocks))
    pairs = [{"scattered": s, "block": b, **paired(gain[s], gain[b], z)} for s in scattered for b in blocks]
    closest = min(pairs, key=lambda p: p["mean"])
    found = {**closest, "z": z, "pairs": len(pairs)}
    if closest["verdict"] == TOO_FEW:
        return {**found, "verdict": "too_few_to_tell"}
    if any(p["verdict"] == "lower" for p in pairs):
        return {**found, "verdict": "overlap"}  # some block hole gained more than some scattered mask
    if all(p["verdict"] == "higher" for p in pairs):
        return {**found, "verdict": "scattered_easier"}
    return {**found, "verdict": "no_clear_difference"}


def restoration_findings(per_image: dict[str, dict]) -> Decision[Verdict]:
    """per_image: {mask: {"kind", "generator", "mean", "nearest"}} with per-image PSNR (dB) on the missing pixels.
    "G loses somewhere" is a claim about any of the masks, so each mask's verdict is held to the Z corrected for
    the number of masks."""
    z = corrected_z(len(per_image))
    masks = {name: {"kind": m["kind"],
                    "vs_mean": mean_gain(np.asarray(m["generator"]) - np.asarray(m["mean"]), z),
                    "vs_nearest": mean_gain(np.asarray(m["generator"]) - np.asarray(m["nearest"]), z)}
             for name, m in per_image.items()}
    order = sorted(masks, key=lambda name: -masks[name]["vs_mean"]["mean"])
    loses = [name for name in order if masks[name]["vs_mean"]["verdict"] == "loss"]
    ties = [name for name in order if masks[name]["vs_mean"]["verdict"] == "no clear difference"]
    too_few = any(m["vs_mean"]["verdict"] == "too_few_to_tell" for m in masks.values())
    verdict: Verdict = ("too_few_to_tell" if too_few else "loses_somewhere" if loses else "ties_somewhere" if ties
               else "gains_everywhere")
    return {"masks": masks, "order": order, "loses_to_mean": loses, "ties_with_mean": ties, "verdict": verdict,
            "z": z, "shape": shape_effect(per_image)}
