"""The MLP GAN section's memorisation and mode-coverage conclusions.

Memorisation is Meehan, Chaudhuri & Dasgupta's (AISTATS 2020) three-sample data-copying test. Per k-means cell π of
the training set T, Z_U(π) compares the fakes' distances to T with held-out images' (probes/memorisation.py); cells
holding fewer than TAU fakes are dropped, and C_T = Σ P_n(π) Z_U(π) / Σ P_n(π) over the rest, P_n(π) being the
held-out share of the cell. Under the null (fakes as far from T as unseen data) each Z_U has mean 0 and variance 1,
independently across cells, so C_T has standard deviation √Σw² with the normalised weights w. Strongly negative
means copying; strongly positive, fakes farther from T than unseen data (underfitting, e.g. blur). An equal-sized
subset comparison (the check this replaced) cannot find a copier: its source is in the subset only by chance.
"""

from __future__ import annotations

import math
from typing import Literal

from genlab.findings.noise import POWER, Decision, binomial_se, corrected_z, critical, declared, detectable

TAU = 20  # a cell counts when it holds at least this many fakes (Meehan et al.'s τ = 20/m of the m fakes)
HELD_OUT_PER_CELL = 25  # k is chosen so that a cell holds about this many held-out images on average
MIN_FAKES = 3 * TAU  # fewer fakes than this (or held-out images than MIN_HELD_OUT): "too few to tell"
MIN_HELD_OUT = 2 * HELD_OUT_PER_CELL
DUPLICATE = 0.5  # images closer than this share of the held-out images' median distance to T are one image
MIN_DISTINCT = 0.5  # n fakes forming fewer distinct images than this share of what n held-out images form are not
# independent draws (a collapsed G: noisy copies of a few images, central ones that sit near T without copying it)
MIN_CELLS = 3  # the fakes must fill this many cells (or all k, if fewer) for a copying verdict
COVERED = 0.01  # a class counts as covered when more than this share of fakes resembles it
UNEVEN = 2.0  # the most frequent class above UNEVEN × the balanced share (beyond its noise) is an uneven spread

CopyingVerdict = Literal["too_few_to_tell", "collapsed", "copies", "underfits", "no_clear_difference"]
CoverageVerdict = Literal["classes_missing", "uneven", "even"]
VERDICTS = declared(copying=CopyingVerdict, coverage=CoverageVerdict)


def cells_for(n_held_out: int, n_fakes: int, most: int) -> int:
    """k for the test: at most `most`, about HELD_OUT_PER_CELL held-out images and room for TAU fakes twice over
    per cell, at least one."""
    return max(1, min(most, n_held_out // HELD_OUT_PER_CELL, n_fakes // (2 * TAU)))


def copying(cells: list[dict], n_fakes: int, n_held_out: int, n_train: int,
            distinct: dict) -> Decision[CopyingVerdict]:
    """C_T over the cells that hold at least TAU fakes (and any held-out image), its null s.d., and the verdict:
    "copies", "underfits", "no_clear_difference", "collapsed" (the fakes form too few distinct images, or fill too
    few cells, to be independent draws) or "too_few_to_tell". `distinct` is three_sample's count of distinct images
    among as many fakes as held-out images."""
    kept = [c for c in cells if c["fakes"] >= TAU and c["held_out"] > 0]
    share = distinct["fakes"] / distinct["held_out"] if distinct["held_out"] else 0.0
    found = {"n_fakes": n_fakes, "n_held_out": n_held_out, "n_train": n_train, "distinct": distinct,
             "distinct_share": share, "k": len(cells), "kept": len(kept),
             "tau": TAU, "min_distinct": MIN_DISTINCT, "min_cells": min(MIN_CELLS, len(cells)),
             "fakes_in_kept": sum(c["fakes"] for c in kept), "held_out_in_kept": sum(c["held_out"] for c in kept),
             "critical": critical(), "power": POWER}
    if kept:
        total = sum(c["held_out"] for c in kept)
        w = [c["held_out"] / total for c in kept]
        ct = sum(wi * c["z"] for wi, c in zip(w, kept, strict=True))
        sd = math.sqrt(sum(wi**2 for wi in w))
        # the chance that a fake lies nearer T than a held-out image of its cell (½ under the null), and the shift in
        # it that C_T detects at POWER: E[Z_U] = δ √(12 mn/(m + n + 1)) for a shift δ in every cell
        nearer = sum(wi * (1 - c["u"] / (c["fakes"] * c["held_out"])) for wi, c in zip(w, kept, strict=True))
        gain = sum(wi * math.sqrt(12 * c["fakes"] * c["held_out"] / (c["fakes"] + c["held_out"] + 1))
                   for wi, c in zip(w, kept, strict=True))
        found |= {"c_t": ct, "null_sd": sd, "nearer": nearer, "detectable": detectable(sd),
                  "detectable_nearer": detectable(sd) / gain}
    else:
        found |= {"c_t": None, "null_sd": None, "nearer": None, "detectable": None, "detectable_nearer": None}
    verdict: CopyingVerdict
    if n_fakes < MIN_FAKES or n_held_out < MIN_HELD_OUT:
        verdict = "too_few_to_tell"
    elif found["distinct_share"] < MIN_DISTINCT or len(kept) < found["min_cells"]:
        verdict = "collapsed"
    elif found["c_t"] < -found["critical"] * found["null_sd"]:
        verdict = "copies"
    elif found["c_t"] > found["critical"] * found["null_sd"]:
        verdict = "underfits"
    else:
        verdict = "no_clear_difference"
    return {**found, "min_fakes": MIN_FAKES, "min_held_out": MIN_HELD_OUT, "verdict": verdict}


def coverage(share: list[float], n_fakes: int) -> Decision[CoverageVerdict]:
    """Whether the fakes' nearest-training-image classes spread evenly: every class covered, and the largest share
    not clearly above UNEVEN × the balanced share. The largest is picked from all classes, so it is held to the
    one-sided level spread over them (corrected_z)."""
    balanced = 1 / len(share)
    largest = max(share)
    se = binomial_se(largest, n_fakes)
    z = corrected_z(len(share))
    covered = sum(s > COVERED for s in share)
    verdict: CoverageVerdict
    if covered < len(share):
        verdict = "classes_missing"
    elif largest - z * se > UNEVEN * balanced:
        verdict = "uneven"
    else:
        verdict = "even"
    # the largest share this n calls uneven with probability POWER: line + (z + z_β) s.e. at that share itself
    found = UNEVEN * balanced
    for _ in range(4):
        found = UNEVEN * balanced + detectable(binomial_se(found, n_fakes), z=z)
    return {"covered": covered, "n_classes": len(share), "balanced": balanced, "largest_se": se, "z": z,
            "covered_above": COVERED, "uneven_factor": UNEVEN, "detectable": found, "verdict": verdict}

