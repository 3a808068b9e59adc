"""The moment-matched autoencoder section's conclusions: whether the codes are jointly N(0, I) (per-axis moments
say nothing about correlations between axes), whether N(0, I) samples land nearer the data than the plain
autoencoder's, and what the moment losses cost in reconstruction, each against its noise."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import chi2

ALPHA = 0.05  # Bartlett's test rejects independent axes below this p
Z = 2.0  # a difference counts beyond Z standard errors


def independence(codes: np.ndarray) -> dict:
    """Bartlett's test of sphericity on the codes' correlation matrix: are the axes uncorrelated, as N(0, I)
    requires? Also the mean and largest |correlation| between axes, the effect size the test does not give."""
    n, d = codes.shape
    r = np.corrcoef(codes, rowvar=False)
    off = np.abs(r[~np.eye(d, dtype=bool)])
    stat = -(n - 1 - (2 * d + 5) / 6) * np.linalg.slogdet(r)[1]
    p = float(chi2.sf(stat, d * (d - 1) / 2))
    return {"n": n, "axes": d, "mean_abs_corr": float(off.mean()), "max_abs_corr": float(off.max()),
            "independent_mean_abs_corr": math.sqrt(2 / (math.pi * n)),  # E|r| for independent axes at this n
            "p": p, "verdict": "uncorrelated" if p >= ALPHA else "correlated"}


def paired(a: np.ndarray, b: np.ndarray) -> dict:
    """Mean of a − b over the same items with its standard error: "higher", "lower" or "no clear difference"."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    mean, se = float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(len(diff)))
    verdict = "no clear difference" if abs(mean) <= Z * se else ("higher" if mean > 0 else "lower")
    return {"mean": mean, "se": se, "n": len(diff), "verdict": verdict}


def nearer_the_data(moments_median: float, moments_se: float, plain_median: float, plain_se: float) -> dict:
    """Do the moment AE's N(0, I) samples lie nearer the training set (median distance) than the plain AE's?"""
    delta, se = moments_median - plain_median, math.hypot(moments_se, plain_se)
    verdict = "no clear difference" if abs(delta) <= Z * se else ("nearer" if delta < 0 else "farther")
    return {"delta": delta, "se": se, "verdict": verdict}
