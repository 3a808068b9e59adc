"""How a findings module decides that two measured numbers differ: beyond Z standard errors of their difference.
One rule for every section, so "no clear difference" means the same thing everywhere in the report."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

Z = 2.0  # an effect counts when it exceeds Z standard errors of the difference (about 95% two-sided for a normal)
NO_CLEAR = "no clear difference"


def verdict(delta: float, se: float, z: float = Z) -> str:
    return NO_CLEAR if abs(delta) <= z * se else ("higher" if delta > 0 else "lower")


def difference(a: float, a_se: float, b: float, b_se: float, z: float = Z) -> dict:
    """a − b for two independent estimates, with its standard error and "higher", "lower" or "no clear difference"."""
    delta, se = a - b, math.hypot(a_se, b_se)
    return {"delta": delta, "se": se, "verdict": verdict(delta, se, z)}


def corrected_z(comparisons: int) -> float:
    """Z for `comparisons` looks at once (Bonferroni): the chance that any of them passes by noise alone stays
    that of one comparison at Z, so a section that asks "beyond noise anywhere?" is held to the same rule."""
    one_sided = 1 - NormalDist().cdf(Z)
    return NormalDist().inv_cdf(1 - one_sided / comparisons)


def paired(a, b, z: float = Z) -> dict:
    """The mean of a − b over the same items (images, pairs), with its standard error over them."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    mean = float(diff.mean())
    se = float(diff.std(ddof=1) / math.sqrt(len(diff))) if len(diff) > 1 else math.inf
    return {"mean": mean, "se": se, "n": len(diff), "verdict": verdict(mean, se, z)}


def named(found: dict, higher: str, lower: str, neither: str = NO_CLEAR) -> dict:
    """A comparison from difference() or paired() with its verdict in the section's own words."""
    return {**found, "verdict": {"higher": higher, "lower": lower}.get(found["verdict"], neither)}


def binomial_se(p: float, n: int) -> float:
    """Standard error of a share p measured on n independent items."""
    return math.sqrt(max(p * (1 - p), 0.0) / n)
