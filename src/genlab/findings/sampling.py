"""The moment-matched autoencoder section's conclusions: whether the codes are jointly N(0, I) (per-axis moments
say nothing about correlations between axes), whether N(0, I) samples from the moment AE land on the data more
often than the plain AE's, and what the moment losses cost in reconstruction, each against its noise.

"On the data" is improved precision and recall (Kynkäänniemi et al. 2019) in the domain classifier's feature space,
as the evaluation section measures them, not the L2 distance to the nearest training image, which favours blur (a
blurred blend sits near many images at once). Correlation between axes is judged by its size, the largest |r|,
against what independent axes reach at this n: Bartlett's p at n = 500 calls correlations too small to matter
"correlated". One training seed per autoencoder says what these two runs did; that the moment losses do it needs
the comparison repeated over seeds.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

import numpy as np

from genlab.findings.noise import MIN_N, POWER, Decision, Paired, corrected_z, critical, declared, named, paired

MATTERS = 0.2  # |r| between two axes that matters for sampling from N(0, I): 4% of their variance shared

IndependenceVerdict = Literal["too_few_to_tell", "uncorrelated", "correlated", "weakly_correlated"]
CoverageVerdict = Literal["higher", "lower", "no clear difference", "too_few_to_tell"]  # coverage(), across_seeds()
VERDICTS = declared(
    independence=IndependenceVerdict, precision=CoverageVerdict, recall=CoverageVerdict, seeds=CoverageVerdict,
    recon_cost=Paired,
)


def independence(codes: np.ndarray) -> Decision[IndependenceVerdict]:
    """Are the codes' axes uncorrelated, as N(0, I) requires? The largest |correlation| over the d(d − 1)/2 pairs of
    axes against `line`, what independent axes stay below at this n (Student's t for r, Z corrected for the pairs
    looked at): beyond it and above MATTERS, "correlated"; beyond it but smaller, "weakly_correlated"; within it,
    "uncorrelated", with the correlation this n finds at 80% power (`detectable`)."""
    n, d = codes.shape
    r = np.corrcoef(codes, rowvar=False)
    off = np.abs(r[~np.eye(d, dtype=bool)])
    z = corrected_z(d * (d - 1) // 2)
    t = critical(max(n - 2, 1), z)  # r √(n − 2) / √(1 − r²) is Student's t on n − 2 df for independent normal axes
    line = t / math.sqrt(max(n - 2, 1) + t**2)
    scale = math.sqrt(max(n - 3, 1))  # Fisher's atanh(r) has s.d. 1 / √(n − 3): the power for a correlated pair
    found = {"n": n, "axes": d, "pairs": d * (d - 1) // 2, "mean_abs_corr": float(off.mean()),
             "max_abs_corr": float(off.max()), "line": line, "matters": MATTERS, "min_n": MIN_N,
             "independent_mean_abs_corr": math.sqrt(2 / (math.pi * n)),  # E|r| for independent axes at this n
             "detectable": math.tanh((z + NormalDist().inv_cdf(POWER)) / scale)}
    if n <= 3:  # Fisher's z has no spread below four items
        return {**found, "verdict": "too_few_to_tell"}
    if found["max_abs_corr"] <= line:
        return {**found, "verdict": "uncorrelated"}
    return {**found, "verdict": "correlated" if found["max_abs_corr"] > MATTERS else "weakly_correlated"}


def recon_cost(moments: np.ndarray, plain: np.ndarray) -> Decision[Paired]:
    """moments − plain reconstruction MSE per held-out image: what the moment losses cost in reconstruction,
    Student's t over the images."""
    return paired(moments, plain)


def coverage(moments: np.ndarray, plain: np.ndarray) -> Decision[CoverageVerdict]:
    """moments − plain of one of precision or recall over replicate draws (each draw: fresh z, shared by both
    decoders, and a fresh real reference): Student's t over the draws, the sampling noise of these two runs."""
    return named(paired(moments, plain), "higher", "lower")


def across_seeds(differences: np.ndarray) -> Decision[CoverageVerdict]:
    """moments − plain precision, one mean per training seed (pairs of runs with the same seed): Student's t over
    the seeds, the question whether the moment losses themselves raise precision. One seed: too few to tell."""
    return named(paired(differences, np.zeros(len(differences))), "higher", "lower")


def as_intended(seeds: dict, axes: dict) -> bool:
    """Matching the moments does what it is for only when precision rises beyond the seed-to-seed noise and the
    codes' axes are not correlated beyond what matters (else N(0, I) covers directions the codes never fill)."""
    return seeds["verdict"] == "higher" and axes["verdict"] in ("uncorrelated", "weakly_correlated")
