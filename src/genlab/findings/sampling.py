"""The moment-matched autoencoder section's conclusions: whether the codes are jointly N(0, I) (per-axis moments
say nothing about correlations between axes), whether N(0, I) samples land nearer the data than the plain
autoencoder's, and what the moment losses cost in reconstruction, each against its noise."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import chi2

from genlab.findings.noise import difference, named

ALPHA = 0.05  # Bartlett's test rejects independent axes below this p


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


def nearer_the_data(moments_median: float, moments_se: float, plain_median: float, plain_se: float) -> dict:
    """Do the moment AE's N(0, I) samples lie nearer the training set (median distance) than the plain AE's?"""
    found = difference(moments_median, moments_se, plain_median, plain_se)
    return named(found, "farther", "nearer")
