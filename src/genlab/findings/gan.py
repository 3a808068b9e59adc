"""The loss-saturation section's conclusions: which losses saturated, whether k changed how often, and what
"fix G, retrain D" showed, each decided from the measured tables with named thresholds.

Saturation is a yes/no per run, so counts are compared with Fisher's exact test: with a few seeds per group a
difference such as 0 of 6 against 2 of 6 runs is well inside chance, and the verdict says so.
"""

from __future__ import annotations

from scipy.stats import fisher_exact

from genlab.findings import noise

ALPHA = 0.05  # a difference in saturation counts is clear when Fisher's exact test gives p below this (two-sided)
NEAR_OPTIMAL = 0.01  # a retrained D is near-optimal against its frozen G once mean D(G(z)) is below this
VANISHED_DECADES = 1.0  # a gradient norm that fell this many orders of magnitude from its peak vanished


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


def retrain(stages: list[dict]) -> dict:
    """Fix G, retrain D, against G frozen at several stages: did the saturating loss's gradient fall further (in
    orders of magnitude from its peak) than the non-saturating loss's, beyond the stage-to-stage spread, and did it
    vanish against every G? Also: against which generators D became near-optimal."""
    sat = [s["grad"]["saturating"]["decades"] for s in stages]
    nonsat = [s["grad"]["nonsaturating"]["decades"] for s in stages]
    comparison = noise.named(noise.paired(sat, nonsat), higher="saturating_fell_less", lower="saturating_fell_more")
    if comparison["verdict"] == "saturating_fell_more":
        verdict = "reproduced" if max(sat) <= -VANISHED_DECADES else "weaker"
    elif comparison["verdict"] == "saturating_fell_less":
        verdict = "not_shown"
    else:
        verdict = "no_clear_difference"
    optimal = [s["stage"] for s in stages if s["d_fake_last"] < NEAR_OPTIMAL]
    short = [s["stage"] for s in stages if s["d_fake_last"] >= NEAR_OPTIMAL]
    d_optimal = "all" if not short else ("none" if not optimal else "some")
    rose = sorted({loss for s in stages for loss, g in s["grad"].items() if g["peak_d_step"] > 0})
    return {"verdict": verdict, "comparison": comparison, "gap_decades": abs(comparison["mean"]),
            "direction": "more" if comparison["mean"] < 0 else "less", "vanished_decades": VANISHED_DECADES,
            "near_optimal_below": NEAR_OPTIMAL, "d_optimal": d_optimal, "optimal_stages": optimal,
            "short_stages": short, "rose_first": rose, "all_rose_first": len(rose) == len(stages[0]["grad"])}


def gan_findings(loss_groups: list[dict], k_groups: list[dict], retrain_stages: list[dict]) -> dict:
    return {"by_loss": by_loss(loss_groups), "by_k": by_k(k_groups), "retrain": retrain(retrain_stages)}
