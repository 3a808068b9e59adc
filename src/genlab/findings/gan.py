"""The loss-saturation section's conclusions: which losses saturated, whether k changed how often, and what
"fix G, retrain D" showed, each decided from the measured tables with named thresholds.

Saturation is a yes/no per run, so counts are compared with Fisher's exact test: with a few seeds per group a
difference such as 0 of 6 against 2 of 6 runs is well inside chance, and the verdict says so.
"""

from __future__ import annotations

from scipy.stats import fisher_exact

ALPHA = 0.05  # a difference in saturation counts is clear when Fisher's exact test gives p below this (two-sided)
VANISHED = 0.1  # a gradient norm that ends below this share of its peak fell by an order of magnitude: it vanished
KEPT = 0.5  # a gradient norm that ends above this share of its peak kept most of its size


def count_difference(a_hits: int, a_runs: int, b_hits: int, b_runs: int) -> dict:
    """Two saturation counts compared: Fisher's exact p, and "more", "fewer" or "no clear difference" for a vs b."""
    p = float(fisher_exact([[a_hits, a_runs - a_hits], [b_hits, b_runs - b_hits]])[1])
    if p >= ALPHA:
        verdict = "no clear difference"
    else:
        verdict = "more" if a_hits / a_runs > b_hits / b_runs else "fewer"
    return {"p": p, "verdict": verdict}


def by_loss(groups: list[dict]) -> dict:
    """Which losses saturated in at least one run, and whether the most-saturating loss did so more often than the
    other losses pooled."""
    saturated = [g["loss"] for g in groups if g["n_saturated"]]
    calm = [g["loss"] for g in groups if not g["n_saturated"]]
    found = {"saturated": saturated, "calm": calm}
    if not saturated:
        return {**found, "verdict": "none_saturated"}
    if not calm:
        return {**found, "verdict": "all_saturated"}
    top = max(groups, key=lambda g: g["n_saturated"] / g["n_runs"])
    rest = [g for g in groups if g is not top]
    test = count_difference(top["n_saturated"], top["n_runs"], sum(g["n_saturated"] for g in rest),
                            sum(g["n_runs"] for g in rest))
    return {**found, "most": top["loss"], "test": test,
            "verdict": "clearly_more" if test["verdict"] == "more" else "not_clearly_more"}


def by_k(groups: list[dict]) -> dict:
    """Did more discriminator steps per generator step change how often runs saturated (lowest k against highest)?"""
    if len(groups) < 2:
        return {"verdict": "one_k"}
    lo, hi = min(groups, key=lambda g: g["k"]), max(groups, key=lambda g: g["k"])
    test = count_difference(hi["n_saturated"], hi["n_runs"], lo["n_saturated"], lo["n_runs"])
    verdict = {"more": "more_with_higher_k", "fewer": "fewer_with_higher_k"}.get(test["verdict"], "no_clear_difference")
    return {"low": lo, "high": hi, "test": test, "verdict": verdict}


def retrain(grad: dict) -> dict:
    """Fix G, retrain D: did the saturating loss's gradient vanish while the non-saturating loss's kept its size?"""
    sat, nonsat = grad["saturating"]["last_over_peak"], grad["nonsaturating"]["last_over_peak"]
    if sat < VANISHED and nonsat > KEPT:
        verdict = "reproduced"
    elif sat < nonsat:
        verdict = "weaker"
    else:
        verdict = "not_shown"
    rose = sorted(loss for loss, g in grad.items() if g["peak_d_step"] > 0)  # peaked after D's first step
    return {"verdict": verdict, "vanished_below": VANISHED, "kept_above": KEPT, "rose_first": rose,
            "all_rose_first": len(rose) == len(grad)}


def gan_findings(loss_groups: list[dict], k_groups: list[dict], grad: dict) -> dict:
    return {"by_loss": by_loss(loss_groups), "by_k": by_k(k_groups), "retrain": retrain(grad)}
