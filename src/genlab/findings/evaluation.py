"""The "Measuring the generators" section's conclusions: which model is best, which do no better than the trivial
ceiling, whether the metrics separate real data from the ceiling at all, and what truncation did, each decided
with the noise of the comparison.

Noise: a model group with several seeds uses the standard error of its seed mean (std / √seeds); a single run
uses the bootstrap standard deviation of its metric over resampled samples (`fid_boot_std`, measured by the step).
Precision and recall are fractions of n samples, so their standard error is the binomial √(p(1 − p) / n).
"""

from __future__ import annotations

import math

from genlab.findings.noise import Z, binomial_se, corrected_z, difference


def fid_se(row: dict) -> float:
    """Standard error of a table row's FID: its seed mean's, or one run's bootstrap spread."""
    if row["n_seeds"] > 1 and row["fid"]["std"] is not None:
        return row["fid"]["std"] / math.sqrt(row["n_seeds"])
    return row["fid_boot_std"]


def ranking(models: list[dict]) -> dict:
    """The best model by FID, and whether it beats the runner-up beyond their noise."""
    ordered = sorted(models, key=lambda r: r["fid"]["mean"])
    best = ordered[0]
    found = {"best": best["model"], "best_fid": best["fid"]["mean"], "best_fid_se": fid_se(best),
             "worst": ordered[-1]["model"], "worst_fid": ordered[-1]["fid"]["mean"]}
    if len(ordered) == 1:
        return {**found, "verdict": "only_model"}
    runner = ordered[1]
    diff = difference(best["fid"]["mean"], fid_se(best), runner["fid"]["mean"], fid_se(runner))
    return {**found, "runner_up": runner["model"], "runner_up_fid": runner["fid"]["mean"],
            "runner_up_fid_se": fid_se(runner), "difference": diff,
            "verdict": "clear_best" if diff["verdict"] == "lower" else "tied_with_runner_up"}


def against_ceiling(models: list[dict], ceiling: dict) -> dict:
    """Models whose FID is clearly above the trivial ceiling's (worse than the pixel mean plus noise), and those
    within noise of it."""
    worse, tied = [], []
    for row in models:
        verdict = difference(row["fid"]["mean"], fid_se(row), ceiling["fid"]["mean"], fid_se(ceiling))["verdict"]
        if verdict == "higher":
            worse.append(row["model"])
        elif verdict == "no clear difference":
            tied.append(row["model"])
    verdict = "some_worse" if worse else ("some_tied" if tied else "all_better")
    return {"worse": worse, "tied": tied, "verdict": verdict}


def floor_check(floor: dict, ceiling: dict) -> dict:
    """Do the metrics separate real held-out images (floor) from the trivial ceiling? If not, no ranking means much."""
    diff = difference(floor["fid"]["mean"], fid_se(floor), ceiling["fid"]["mean"], fid_se(ceiling))
    return {"difference": diff, "verdict": "separated" if diff["verdict"] == "lower" else "not_separated"}


def against_none(row: dict, untruncated: dict, metric: str, n: int, z: float = Z) -> dict:
    """A truncated row's precision or recall against no truncation's, each a share of n samples (binomial s.e.)."""
    return difference(row[metric], binomial_se(row[metric], n), untruncated[metric],
                      binomial_se(untruncated[metric], n), z)


def truncation(rows: list[dict], n: int) -> dict:
    """What the tightest truncation did against none, in precision (fidelity) and recall (diversity)."""
    untruncated = next(r for r in rows if r["threshold"] is None)
    tightest, *looser = sorted((r for r in rows if r["threshold"] is not None), key=lambda r: r["threshold"])
    change = {m: against_none(tightest, untruncated, m, n) for m in ("precision", "recall")}
    best = min(rows, key=lambda r: r["fid"])
    p, r = change["precision"]["verdict"], change["recall"]["verdict"]
    if p == "higher" and r == "lower":
        verdict = "trade_off"  # fidelity bought with diversity: BigGAN's effect
    elif p == "lower" and r == "lower":
        verdict = "both_lower"  # worse on both counts
    elif p == "lower":
        verdict = "precision_loss"  # tighter truncation made samples less like data
    elif r == "lower":
        verdict = "recall_cost_only"
    elif p == "higher":
        verdict = "precision_gain_only"
    elif r == "higher":
        verdict = "recall_gain_only"
    else:
        verdict = "no_clear_change"
    return {"tightest": tightest["threshold"], "untruncated": untruncated, "tightest_row": tightest, "change": change,
            "best_fid_threshold": best["threshold"], "best_fid": best["fid"], "n": n, "verdict": verdict,
            "looser": looser_precision(looser, untruncated, n)}


def looser_precision(looser: list[dict], untruncated: dict, n: int) -> dict:
    """Whether precision rose beyond noise at a threshold looser than the tightest, which a verdict on the tightest
    alone would hide. Each looser row is compared with none at a Z corrected for that many looks
    (noise.corrected_z), so that the best of several thresholds does not pass noise off as a gain."""
    if not looser:
        return {"verdict": "no_looser"}
    z = corrected_z(len(looser))
    changes = [{"threshold": r["threshold"], **against_none(r, untruncated, "precision", n, z)} for r in looser]
    rose = [c for c in changes if c["verdict"] == "higher"]
    return {"z": z, "thresholds": [c["threshold"] for c in changes], "rose_at": [c["threshold"] for c in rose],
            "best": max(changes, key=lambda c: c["delta"]), "verdict": "rose_at_looser" if rose else "not_at_looser"}


def evaluation_findings(rows: list[dict], truncation_rows: list[dict], n: int) -> dict:
    """Every verdict of the section, from the grouped metrics table (floor, ceiling, then models) and the
    truncation table."""
    floor, ceiling, models = rows[0], rows[1], rows[2:]
    found = {"floor": floor_check(floor, ceiling), "truncation": truncation(truncation_rows, n)}
    if models:
        found["ranking"] = ranking(models)
        found["ceiling"] = against_ceiling(models, ceiling)
    return found
