"""The GAN inversion section's conclusions, each from per-image measurements with its noise over the images.

"The coarse layout is reproduced" used to be read off where the error falls (stroke pixels), which is almost always
true on MNIST; it is now measured against a null: the high-pass share of the inversion's error against the same share
of that error with its pixels shuffled within the image (the low-pass band keeps ~100 of 784 dimensions, so any
error, white noise included, puts most of its energy in the fine part).
"""

from __future__ import annotations

import functools
import math
from typing import Literal

import numpy as np
from scipy.stats import chi, kruskal, spearmanr

from genlab.findings.noise import ALPHA, MIN_N, NO_CLEAR, POWER, Decision, Z, declared, detectable, named, paired

OUTSIDE_QUANTILE = 0.99  # inverted codes whose mean norm exceeds this quantile of ‖z‖, z ~ N(0, I_d) (a χ_d), left
# the region G was trained on: 99% of the codes G saw in training were nearer the origin
RESTARTS_MATTER = 1.2  # restarts matter when the median start ends above this multiple of the best one's loss

# each paired comparison in the section's words (noise.named): its two directions, no clear difference, too few to tell
CodeNormVerdict = Literal["outside", "inside", "no clear difference", "too_few_to_tell"]
PriorCostVerdict = Literal["costs", "helps", "no clear difference", "too_few_to_tell"]
AgainstNearestVerdict = Literal["gan_better", "nearest_better", "no clear difference", "too_few_to_tell"]
RestartsVerdict = Literal["matter", "hardly", "no clear difference", "too_few_to_tell"]
ScaleVerdict = Literal["finer_than_shuffled", "coarser_than_shuffled", "no clear difference", "too_few_to_tell"]
LocationVerdict = Literal["concentrated", "outside", "no clear difference", "too_few_to_tell"]
SpearmanVerdict = Literal["worse", "better", "no clear difference", "too_few_to_tell"]
ByClassVerdict = Literal["classes_differ", "no clear difference", "too_few_to_tell"]
VERDICTS = declared(code_norm=CodeNormVerdict, prior_cost=PriorCostVerdict, against_nearest=AgainstNearestVerdict,
                    restarts=RestartsVerdict, scale=ScaleVerdict, location=LocationVerdict, spearman=SpearmanVerdict,
                    by_class=ByClassVerdict)


def code_norm(norms: np.ndarray, dim: int) -> Decision[CodeNormVerdict]:
    """Mean ‖z‖ of the inverted codes against the OUTSIDE_QUANTILE of the prior's norm (χ with dim degrees of
    freedom); the prior's typical norm √dim is given beside it."""
    outside = float(chi.ppf(OUTSIDE_QUANTILE, dim))
    found = paired(norms, np.full(len(norms), outside))
    return {**named(found, "outside", "inside"), "expected": math.sqrt(dim), "outside_norm": outside,
            "outside_quantile": OUTSIDE_QUANTILE, "mean_norm": float(np.mean(norms))}


def spearman(rho: float, n: int) -> Decision[SpearmanVerdict]:
    """A rank correlation with its standard error (≈ 1.06 / √(n − 3), Fieller et al. 1957) and the smallest |ρ| this
    n could detect; "too few to tell" below MIN_N + 1 images (the s.e. needs n > 3)."""
    if n <= MIN_N:
        return {"rho": rho, "se": math.inf, "detectable": math.inf, "verdict": "too_few_to_tell"}
    se = 1.06 / math.sqrt(n - 3)
    verdict: SpearmanVerdict = NO_CLEAR if abs(rho) <= Z * se else ("worse" if rho > 0 else "better")
    return {"rho": rho, "se": se, "detectable": detectable(se), "verdict": verdict}


def restarts(spread: np.ndarray) -> Decision[RestartsVerdict]:
    """The median start's loss over the best start's, per image: its geometric mean against RESTARTS_MATTER. The
    median, not the worst: the worst of R starts grows with R whether or not restarts help."""
    logs = np.log(np.asarray(spread, dtype=float))
    found = paired(logs, np.full(len(logs), math.log(RESTARTS_MATTER)))
    return {**named(found, "matter", "hardly"), "geometric_mean": float(np.exp(logs.mean())),
            "matter_above": RESTARTS_MATTER, "detectable_ratio": float(np.exp(found["detectable"]))}


def scale(fine_share: np.ndarray, shuffled_share: np.ndarray) -> Decision[ScaleVerdict]:
    """Is the inversion's error finer (or coarser) than the same error with its pixels shuffled? Paired over images."""
    found = named(paired(fine_share, shuffled_share), "finer_than_shuffled", "coarser_than_shuffled")
    return {**found, "fine_share": float(np.mean(fine_share)), "shuffled_share": float(np.mean(shuffled_share))}


@functools.cache
@functools.lru_cache(maxsize=64)
def kruskal_detectable(sizes: tuple[int, ...], sims: int = 400, seed: int = 0) -> float:
    """The shift of one class's mean from the rest, in s.d. of normal errors, that Kruskal–Wallis finds with
    probability POWER over classes of these sizes, by seeded simulation and bisection: at a few images a class it is
    well below the F test's power, so no closed form for F would be honest. Cached: it depends on the sizes only."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    base = rng.standard_normal((sims, len(labels)))

    def power(shift: float) -> float:
        x = base + shift * (labels == 0)
        return float(np.mean(kruskal(*(x[:, labels == c] for c in range(len(sizes))), axis=1).pvalue < ALPHA))

    low, high = 0.0, 8.0
    for _ in range(10):
        mid = (low + high) / 2
        low, high = (low, mid) if power(mid) >= POWER else (mid, high)
    return high


def by_class(mse: np.ndarray, labels: np.ndarray) -> Decision[ByClassVerdict]:
    """Does the error differ between classes? Kruskal–Wallis over all classes at once, so no class is picked before
    it is tested; the best and the worst class are named only as a description. "too few to tell" below MIN_N images
    in a class. The detectable effect is the shift of one class's mean from the rest that this test finds with
    probability POWER on normal errors with the pooled within-class s.d. (kruskal_detectable)."""
    classes = np.unique(labels)
    groups = [mse[labels == c] for c in classes]
    means = {int(c): float(g.mean()) for c, g in zip(classes, groups, strict=True)}
    best, worst = min(means, key=means.get), max(means, key=means.get)
    n_min = int(min(len(g) for g in groups))
    found = {"mse": {str(c): m for c, m in means.items()}, "best": best, "worst": worst,
             "worst_over_best": means[worst] / means[best], "n_per_class": n_min, "classes": len(classes),
             "min_n": MIN_N}
    if n_min < MIN_N or len(classes) < 2:
        return {**found, "verdict": "too_few_to_tell"}
    h, p = kruskal(*groups)
    k, n_total = len(classes), sum(len(g) for g in groups)
    pooled_sd = math.sqrt(sum((len(g) - 1) * g.var(ddof=1) for g in groups) / (n_total - k))
    return {**found, "h": float(h), "p": float(p), "df": k - 1,
            "detectable": kruskal_detectable(tuple(len(g) for g in groups)) * pooled_sd,
            "verdict": "classes_differ" if p < ALPHA else NO_CLEAR}


def inversion_findings(images: dict[str, np.ndarray], dim: int, labels: np.ndarray | None) -> dict:
    """images: per-image arrays — no_prior_mse, prior_mse, nearest_mse, z_norm_no_prior, restart_spread (median start
    over best), fine_share, shuffled_fine_share, error_share, area_share, ink, high_freq."""
    n = len(images["no_prior_mse"])
    found = {
        "code_norm": code_norm(images["z_norm_no_prior"], dim),
        # prior − no prior: "costs" when the prior's MSE is higher
        "prior_cost": named(paired(images["prior_mse"], images["no_prior_mse"]), "costs", "helps"),
        # nearest − G: higher means G's inversion is the closer reconstruction
        "against_nearest": named(paired(images["nearest_mse"], images["no_prior_mse"]), "gan_better",
                                   "nearest_better"),
        "restarts": restarts(images["restart_spread"]),
        # the error's fine share against its shuffled pixels' (the share dimension counting alone gives)
        "scale": scale(images["fine_share"], images["shuffled_fine_share"]),
        "location": named(paired(images["error_share"], images["area_share"]), "concentrated", "outside"),
        "spearman": {attr: spearman(float(spearmanr(images["no_prior_mse"], images[attr])[0]), n)
                     for attr in ("ink", "high_freq")},
        "prior_mse_ratio": float(np.mean(images["prior_mse"]) / np.mean(images["no_prior_mse"])),
    }
    if labels is not None:
        found["by_class"] = by_class(np.asarray(images["no_prior_mse"]), np.asarray(labels))
    return found

