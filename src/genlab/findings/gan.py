"""The loss-saturation section's conclusions: whether the losses saturated at different rates, whether k changed how
often the saturating loss did, and what "fix G, retrain D" showed, each decided from the measured tables with named
thresholds and a test whose size holds at the n the configs use.

Saturation is a yes/no per run, so counts are compared with exact tests: the whole losses × (saturated, not) table
with the Freeman–Halton test (no loss is picked first and then tested as if chosen in advance), and k within the
saturating loss with Fisher's exact test. A count test that could not reach its level even at the most extreme table
its run counts allow says "too few to tell"; a "no clear difference" carries the smallest difference in saturation
rate the test finds with 80% power at these run counts.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Literal

import numpy as np
from scipy.stats import binom, fisher_exact

from genlab.findings import noise

ALPHA = 0.05  # an exact count test is clear when its two-sided p is below this
RATE_STEP = 0.01  # the grid of saturation rates searched for that minimum detectable difference
K_LOSS = "saturating"  # the loss whose gradient −D(G(z)) vanishes as D wins: where more D steps are expected to matter
NEAR_OPTIMAL = 0.01  # a retrained D is near-optimal against its frozen G once mean D(G(z)) (tail window) is below this
VANISHED_DECADES = 1.0  # a gradient norm that fell this many orders of magnitude from its peak vanished
TOO_FEW = "too_few_to_tell"

CountVerdict = Literal["more", "fewer", "no clear difference", "too few to tell"]  # count_difference, in noise's words
ByLossVerdict = Literal["none_saturated", "all_saturated", "too_few_to_tell", "no_clear_difference", "losses_differ"]
ByKVerdict = Literal["one_k", "more_with_higher_k", "fewer_with_higher_k", "too_few_to_tell", "no_clear_difference"]
RetrainVerdict = Literal["reproduced", "weaker", "not_shown", "too_few_to_tell", "no_clear_difference"]
DOptimal = Literal["all", "some", "none"]  # in how many retrainings D became near-optimal
VERDICTS = noise.declared(by_loss=ByLossVerdict, by_k=ByKVerdict, retrain=RetrainVerdict, d_optimal=DOptimal)


def _tables(runs: list[int]) -> np.ndarray:
    """Every column of saturated counts (one per group) that `runs` allow: shape (tables, groups)."""
    return np.array(list(itertools.product(*(range(n + 1) for n in runs))), dtype=int).reshape(-1, len(runs))


@functools.cache
def _exact_p_values(runs: tuple[int, ...]) -> np.ndarray:
    """The Freeman–Halton p of every table in _tables(runs): given its total saturated count, the sum of the
    multivariate-hypergeometric probabilities of the tables with that total no more probable than it (for two groups
    this is Fisher's exact two-sided p)."""
    tables = _tables(runs)
    weight = np.prod([[math.comb(n, x) for n, x in zip(runs, row, strict=True)] for row in tables], axis=1)
    prob = weight / np.array([math.comb(sum(runs), s) for s in tables.sum(axis=1)], dtype=float)
    p = np.empty(len(tables))
    for total in np.unique(tables.sum(axis=1)):
        same = np.flatnonzero(tables.sum(axis=1) == total)
        ordered = np.sort(prob[same])
        # a relative tolerance, as scipy's fisher_exact has, so that ties in exact arithmetic count as ties
        p[same] = np.cumsum(ordered)[np.searchsorted(ordered, prob[same] * (1 + 1e-7), side="right") - 1]
    return np.minimum(p, 1.0)


def freeman_halton(hits: list[int], runs: list[int]) -> float:
    """The exact conditional test of independence of an r×2 table (groups × saturated or not), two-sided."""
    tables = _tables(runs)
    return float(_exact_p_values(tuple(runs))[np.flatnonzero((tables == hits).all(axis=1))[0]])


def _power(runs: list[int], rates: list[float], p_values: np.ndarray) -> float:
    """The chance that groups saturating at `rates` give an exact p below ALPHA (exact, over every table)."""
    tables = _tables(runs)
    chance = np.prod([binom.pmf(tables[:, i], n, r) for i, (n, r) in enumerate(zip(runs, rates, strict=True))], axis=0)
    return float(chance[p_values < ALPHA].sum())


@functools.cache
def _detectable_rate(runs: tuple[int, ...]) -> float | None:
    """The minimum detectable difference of an exact count test at these run counts: the smallest saturation rate q
    at which the smallest group saturating in a share q of its runs, against none in the others, is found with
    probability noise.POWER. That is the best case for the test (from a baseline above 0 it needs a larger difference),
    so a "no clear difference" could have missed anything smaller. None: no rate is found that often."""
    p_values, smallest = _exact_p_values(runs), int(np.argmin(runs))
    for q in np.arange(RATE_STEP, 1 + RATE_STEP / 2, RATE_STEP):
        if _power(runs, [q if i == smallest else 0.0 for i in range(len(runs))], p_values) >= noise.POWER:
            return float(round(q, 6))
    return None


def detectable_rate(runs: list[int]) -> float | None:
    """_detectable_rate, cached by run counts: the calibration tests call it thousands of times at the same n."""
    return _detectable_rate(tuple(runs))


def can_tell(runs: list[int]) -> bool:
    """Whether any table these run counts allow reaches ALPHA: if not, the test cannot speak ("too few to tell")."""
    return bool(_exact_p_values(tuple(runs)).min() < ALPHA)


def count_difference(a_hits: int, a_runs: int, b_hits: int, b_runs: int) -> noise.Decision[CountVerdict]:
    """Two saturation counts compared with Fisher's exact test: "more", "fewer", "no clear difference", or "too few to
    tell" where even all of a's runs against none of b's would not be clear."""
    p = float(fisher_exact([[a_hits, a_runs - a_hits], [b_hits, b_runs - b_hits]])[1])
    verdict: CountVerdict
    if not can_tell([a_runs, b_runs]):
        verdict = noise.TOO_FEW
    elif p >= ALPHA:
        verdict = noise.NO_CLEAR
    else:
        verdict = "more" if a_hits / a_runs > b_hits / b_runs else "fewer"
    return {"p": p, "alpha": ALPHA, "verdict": verdict, "detectable_rate": detectable_rate([a_runs, b_runs])}


def by_loss(groups: list[dict]) -> noise.Decision[ByLossVerdict]:
    """Did the losses saturate at different rates? The Freeman–Halton exact test on the whole losses × (saturated,
    not) table. The loss that saturated most often is named as a description; it is called clearly the most only when
    it beats every other loss in pairwise Fisher tests at ALPHA / (the number of pairs), which holds the chance of
    any false "most" at ALPHA however the top loss was picked."""
    hits, runs = [g["n_saturated"] for g in groups], [g["n_runs"] for g in groups]
    rates = [h / n for h, n in zip(hits, runs, strict=True)]
    top = [g for g, r in zip(groups, rates, strict=True) if r == max(rates)]
    pairs = len(groups) * (len(groups) - 1) // 2
    found = {"saturated": [g["loss"] for g in groups if g["n_saturated"]],
             "calm": [g["loss"] for g in groups if not g["n_saturated"]], "most": [g["loss"] for g in top],
             "p": freeman_halton(hits, runs), "alpha": ALPHA, "pairs": pairs, "most_clear": False,
             "detectable_rate": detectable_rate(runs)}
    if not sum(hits):
        return {**found, "verdict": "none_saturated"}
    if sum(hits) == sum(runs):
        return {**found, "verdict": "all_saturated"}
    if not can_tell(runs):
        return {**found, "verdict": TOO_FEW}
    if not found["p"] < ALPHA:
        return {**found, "verdict": "no_clear_difference"}
    best = top[0]
    beaten = [g for g in groups if g is not best and count_difference(
        best["n_saturated"], best["n_runs"], g["n_saturated"], g["n_runs"])["p"] < ALPHA / pairs]
    return {**found, "most_clear": len(top) == 1 and len(beaten) == len(groups) - 1, "verdict": "losses_differ"}


def by_k(groups: list[dict]) -> noise.Decision[ByKVerdict]:
    """Within the saturating loss only (K_LOSS; the other losses' gradients do not vanish as D wins, so pooling them
    would dilute the effect): did its highest k saturate more or less often than its lowest? Fisher's exact test."""
    if len(groups) < 2:
        return {"loss": K_LOSS, "verdict": "one_k"}
    lo, hi = min(groups, key=lambda g: g["k"]), max(groups, key=lambda g: g["k"])
    test = count_difference(hi["n_saturated"], hi["n_runs"], lo["n_saturated"], lo["n_runs"])
    verdict: ByKVerdict = {"more": "more_with_higher_k", "fewer": "fewer_with_higher_k",
               noise.TOO_FEW: TOO_FEW}.get(test["verdict"], "no_clear_difference")
    return {"loss": K_LOSS, "low": lo, "high": hi, "test": test, "verdict": verdict}


def retrain(runs: list[dict], min_n: int = noise.MIN_N) -> noise.Decision[RetrainVerdict]:
    """Fix G, retrain D, replicated: one record per (generator seed, D seed, stage). Did the saturating loss's gradient
    fall further (decades, tail window against peak window) than the non-saturating loss's?

    The independent units are the generator seeds: the stages of one run share its G, and the D seeds share the
    frozen G, so each generator seed's falls are averaged over its stages and D seeds, and the two losses are compared
    with a paired t test over generator seeds ("too few to tell" below `min_n`). "Reproduced" also needs what the
    paper's picture says: D near-optimal against every frozen G, the saturating gradient down by VANISHED_DECADES in
    every unit, and the non-saturating one within VANISHED_DECADES of its peak in every unit."""
    seeds = sorted({r["generator_seed"] for r in runs})
    units = {s: [r for r in runs if r["generator_seed"] == s] for s in seeds}
    fall = {loss: [float(np.mean([r["grad"][loss]["decades"] for r in units[s]])) for s in seeds]
            for loss in runs[0]["grad"]}
    comparison = noise.named(noise.paired(fall["saturating"], fall["nonsaturating"], min_n=min_n),
                             higher="saturating_fell_less", lower="saturating_fell_more")
    optimal = [r for r in runs if r["d_fake_tail"] < NEAR_OPTIMAL]
    d_optimal: DOptimal = "all" if len(optimal) == len(runs) else ("none" if not optimal else "some")
    conditions = {"d_near_optimal": d_optimal == "all",
                  "saturating_vanished": max(fall["saturating"]) <= -VANISHED_DECADES,
                  "nonsaturating_kept": min(fall["nonsaturating"]) > -VANISHED_DECADES}
    verdict: RetrainVerdict
    if comparison["verdict"] == "saturating_fell_more":
        verdict = "reproduced" if all(conditions.values()) else "weaker"
    else:
        verdict = {"saturating_fell_less": "not_shown", TOO_FEW: TOO_FEW}.get(comparison["verdict"],
                                                                           "no_clear_difference")
    stages = sorted({r["stage"] for r in runs})
    by_stage = [{"stage": st, "n": sum(r["stage"] == st for r in runs),
                 "n_optimal": sum(r["stage"] == st for r in optimal)} for st in stages]
    rose = [r for r in runs if all(g["rose"] for g in r["grad"].values())]  # every loss's norm, within one retraining
    return {"verdict": verdict, "comparison": comparison, "conditions": conditions,
            "gap_decades": abs(comparison["mean"]), "direction": "more" if comparison["mean"] < 0 else "less",
            "units": [{"generator_seed": s, "n": len(units[s]), **{loss: fall[loss][i] for loss in fall}}
                      for i, s in enumerate(seeds)],
            "n_generators": len(seeds), "n_d_seeds": len({r["d_seed"] for r in runs}), "n_retrainings": len(runs),
            "vanished_decades": VANISHED_DECADES, "near_optimal_below": NEAR_OPTIMAL, "d_optimal": d_optimal,
            "n_optimal": len(optimal), "by_stage": by_stage,
            "optimal_stages": [s["stage"] for s in by_stage if s["n_optimal"] == s["n"]],
            "short_stages": [s["stage"] for s in by_stage if s["n_optimal"] < s["n"]],
            "n_rose_first": len(rose), "all_rose_first": len(rose) == len(runs)}


def gan_findings(loss_groups: list[dict], k_groups: list[dict], retrain_runs: list[dict]) -> dict:
    return {"by_loss": by_loss(loss_groups), "by_k": by_k(k_groups), "retrain": retrain(retrain_runs)}
