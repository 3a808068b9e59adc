"""The GAN inversion section's conclusions, each from per-image measurements with its noise over the images.

"The coarse layout is reproduced" used to be read off where the error falls (stroke pixels), which is almost always
true on MNIST; it is now measured: the error of a low-pass version of the inversion against the target's (coarse)
and of the high-pass residual (fine).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import spearmanr

from genlab.findings.noise import NO_CLEAR, Z, named, paired

OUTSIDE = 1.3  # inverted codes whose mean norm exceeds OUTSIDE × √d (the prior's typical norm) left G's region
RESTARTS_MATTER = 1.2  # restarts matter when the worst start ends above this multiple of the best one's loss


def code_norm(norms: np.ndarray, dim: int) -> dict:
    """Mean ‖z‖ of the inverted codes against OUTSIDE × √dim."""
    expected = math.sqrt(dim)
    found = paired(norms, np.full(len(norms), OUTSIDE * expected))
    return {**named(found, "outside", "inside"), "expected": expected, "outside_above": OUTSIDE,
            "mean_norm": float(np.mean(norms))}


def spearman(rho: float, n: int) -> dict:
    """A rank correlation with its standard error (≈ 1.06 / √(n − 3), Fieller et al. 1957)."""
    se = 1.06 / math.sqrt(max(n - 3, 1))
    verdict = NO_CLEAR if abs(rho) <= Z * se else ("worse" if rho > 0 else "better")
    return {"rho": rho, "se": se, "verdict": verdict}


def restarts(spread: np.ndarray) -> dict:
    """Worst-over-best restart loss per image: its geometric mean against RESTARTS_MATTER."""
    logs = np.log(np.asarray(spread, dtype=float))
    found = paired(logs, np.full(len(logs), math.log(RESTARTS_MATTER)))
    return {**named(found, "matter", "hardly"), "geometric_mean": float(np.exp(logs.mean())),
            "matter_above": RESTARTS_MATTER}


def by_class(mse: np.ndarray, labels: np.ndarray) -> dict:
    """The best- and worst-reconstructed classes, and whether they differ beyond the per-class noise."""
    classes = np.unique(labels)
    means = {int(c): float(mse[labels == c].mean()) for c in classes}
    ses = {int(c): float(mse[labels == c].std(ddof=1) / math.sqrt((labels == c).sum())) for c in classes}
    best, worst = min(means, key=means.get), max(means, key=means.get)
    delta, se = means[worst] - means[best], math.hypot(ses[worst], ses[best])
    return {"mse": {str(c): m for c, m in means.items()}, "best": best, "worst": worst,
            "worst_over_best": means[worst] / means[best], "delta": delta, "se": se,
            "n_per_class": int(min((labels == c).sum() for c in classes)),
            "verdict": "different" if delta > Z * se else NO_CLEAR}


def inversion_findings(images: dict[str, np.ndarray], dim: int, labels: np.ndarray | None) -> dict:
    """images: per-image arrays — no_prior_mse, prior_mse, nearest_mse, z_norm_no_prior, restart_spread, coarse,
    fine, error_share, area_share, ink, high_freq."""
    n = len(images["no_prior_mse"])
    found = {
        "code_norm": code_norm(images["z_norm_no_prior"], dim),
        # prior − no prior: "costs" when the prior's MSE is higher
        "prior_cost": named(paired(images["prior_mse"], images["no_prior_mse"]), "costs", "helps"),
        # nearest − G: higher means G's inversion is the closer reconstruction
        "against_nearest": named(paired(images["nearest_mse"], images["no_prior_mse"]), "gan_better",
                                   "nearest_better"),
        "restarts": restarts(images["restart_spread"]),
        # fine − coarse error per image: which part of the image G misses
        "scale": named(paired(images["fine"], images["coarse"]), "fine_dominates", "coarse_dominates"),
        "location": named(paired(images["error_share"], images["area_share"]), "concentrated", "outside"),
        "spearman": {attr: spearman(float(spearmanr(images["no_prior_mse"], images[attr])[0]), n)
                     for attr in ("ink", "high_freq")},
        "prior_mse_ratio": float(np.mean(images["prior_mse"]) / np.mean(images["no_prior_mse"])),
    }
    if labels is not None:
        found["by_class"] = by_class(np.asarray(images["no_prior_mse"]), np.asarray(labels))
    return found

