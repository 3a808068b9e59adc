"""The "Measuring the generators" section's conclusions: which model is best, which do no better than the trivial
ceiling, whether the metrics separate real data from the ceiling at all, and what truncation did, each decided
with the noise of the comparison.

Noise of a model's FID. What the ranking asks is whether a *recipe* (a model group) beats another, so the noise is the
seed-to-seed spread, which holds the sampling noise of one run's score as well as the training noise. A group with at
least MIN_N seeds uses its own (std / √seeds, Student's t on seeds − 1 df). A group with fewer seeds, and a single run
(MLP GAN, the autoencoders), uses the seed variance pooled over every multi-seed group (its pooled df), or its own
bootstrap spread over samples if that is larger: the larger of the two, not their sum, because the seed spread
already contains the sampling noise. Without any seed spread to pool there is no ranking: "too few to tell" (a
single run's bootstrap spread alone would let a lucky run win). The floor and the ceiling are not trained, so their
noise is their bootstrap spread (a known s.e., df = ∞).

Truncation rows share one generator and one set of latent points (the i-th sample of every threshold comes from the
same seed's i-th draw), so each row's change against no truncation is judged with the bootstrap s.e. of the
difference over the fakes, resampled with the same indices in both rows (measured by the step), not a binomial s.e.
that treats the real images as independent items.
"""

from __future__ import annotations

import math
from typing import Literal

from genlab.findings.noise import MIN_N, NO_CLEAR, Comparison, Decision, Z, corrected_z, declared, difference

FloorVerdict = Literal["separated", "not_separated"]
RankingVerdict = Literal["only_model", "too_few_to_tell", "no_clear_best", "clear_best"]
CeilingVerdict = Literal["too_few_to_tell", "some_worse", "some_tied", "all_better"]
TruncationVerdict = Literal["trade_off", "both_lower", "precision_loss", "recall_cost_only", "precision_gain_only",
                            "recall_gain_only", "no_clear_change"]
LooserVerdict = Literal["no_looser", "rose_at_looser", "not_at_looser"]
VERDICTS = declared(floor=FloorVerdict, ranking=RankingVerdict, ceiling=CeilingVerdict, truncation=TruncationVerdict,
                    looser=LooserVerdict)


def pooled_seed_spread(models: list[dict]) -> dict:
    """The seed variance pooled over every group with two or more seeds: Σ (n_i − 1) s_i² / Σ (n_i − 1), on
    Σ (n_i − 1) degrees of freedom (the groups are assumed to share one seed-to-seed variance)."""
    groups = [r for r in models if r["n_seeds"] > 1 and r["fid"]["std"] is not None]
    df = sum(r["n_seeds"] - 1 for r in groups)
    if df < MIN_N - 1:  # as few df as MIN_N − 1 seeds of one group give: below that, too few to tell
        return {"std": None, "df": df, "groups": len(groups)}
    var = sum((r["n_seeds"] - 1) * r["fid"]["std"] ** 2 for r in groups) / df
    return {"std": math.sqrt(var), "df": df, "groups": len(groups)}


def fid_noise(row: dict, pooled: dict) -> dict | None:
    """A model row's FID standard error and its degrees of freedom (see the module docstring); None when there is no
    seed spread to judge it by."""
    seeds = row["n_seeds"]
    if seeds >= MIN_N and row["fid"]["std"] is not None:
        return {"se": row["fid"]["std"] / math.sqrt(seeds), "df": seeds - 1, "source": "own seeds"}
    if pooled["std"] is None:
        return None
    seed_se, boot_se = pooled["std"] / math.sqrt(seeds), row["fid_boot_std"] / math.sqrt(seeds)
    if boot_se > seed_se:
        return {"se": boot_se, "df": math.inf, "source": "bootstrap"}
    return {"se": seed_se, "df": pooled["df"], "source": "pooled seeds"}


def reference_noise(row: dict) -> dict:
    """The floor's or the ceiling's FID standard error: its bootstrap spread over samples (df = ∞)."""
    return {"se": row["fid_boot_std"], "df": math.inf, "source": "bootstrap"}


def compare(a: dict, a_noise: dict, b: dict, b_noise: dict, z: float = Z) -> Decision[Comparison]:
    """FID of row a − row b, Student's t on Welch's df; two rows judged by the one pooled variance share its df
    (Welch would count the one estimate twice)."""
    if a_noise["source"] == b_noise["source"] == "pooled seeds":
        se = math.hypot(a_noise["se"], b_noise["se"])
        return difference(a["fid"]["mean"], se, b["fid"]["mean"], 0.0, z, a_noise["df"])
    return difference(a["fid"]["mean"], a_noise["se"], b["fid"]["mean"], b_noise["se"], z, a_noise["df"],
                      b_noise["df"])


def ranking(models: list[dict]) -> Decision[RankingVerdict]:
    """The best model by FID, and whether it beats every other beyond their noise.

    The best is picked from m models before it is tested, so each of its comparisons is held to the Z corrected
    (Bonferroni) for all m(m − 1)/2 pairs: whichever pair the data made the best and the runner-up, the chance that
    noise alone passes it is then at most one test's level. Bonferroni rather than Tukey's studentised range because
    the rows' standard errors and df differ (own seeds, pooled seeds, bootstrap), which the range test assumes equal.
    "clear_best" needs the best ahead of every other model (a high-noise row can be within noise of it even when the
    runner-up by mean is not)."""
    ordered = sorted(models, key=lambda r: r["fid"]["mean"])
    best = ordered[0]
    pooled = pooled_seed_spread(models)
    found = {"best": best["model"], "best_fid": best["fid"]["mean"], "worst": ordered[-1]["model"],
             "worst_fid": ordered[-1]["fid"]["mean"], "m": len(ordered), "pooled": pooled}
    if len(ordered) == 1:
        return {**found, "verdict": "only_model"}
    noise = [fid_noise(r, pooled) for r in ordered]
    runner = ordered[1]
    found.update(runner_up=runner["model"], runner_up_fid=runner["fid"]["mean"])
    if any(n is None for n in noise):
        return {**found, "verdict": "too_few_to_tell"}
    pairs = len(ordered) * (len(ordered) - 1) // 2
    z = corrected_z(pairs)
    diffs = [compare(best, noise[0], r, n, z) for r, n in zip(ordered[1:], noise[1:], strict=True)]
    tied = [r["model"] for r, d in zip(ordered[1:], diffs, strict=True) if d["verdict"] != "lower"]
    return {**found, "best_fid_se": noise[0]["se"], "best_noise": noise[0]["source"],
            "runner_up_fid_se": noise[1]["se"], "difference": diffs[0], "z": z, "pairs": pairs, "tied": tied,
            "verdict": "no_clear_best" if tied else "clear_best"}


def against_ceiling(models: list[dict], ceiling: dict) -> Decision[CeilingVerdict]:
    """Models whose FID is clearly above the trivial ceiling's (worse than the pixel mean plus noise), and those
    within noise of it: m looks at once, each held to the Z corrected for m comparisons."""
    pooled = pooled_seed_spread(models)
    noise = [fid_noise(r, pooled) for r in models]
    if any(n is None for n in noise):
        return {"worse": [], "tied": [], "verdict": "too_few_to_tell"}
    z = corrected_z(len(models))
    diffs = {r["model"]: compare(r, n, ceiling, reference_noise(ceiling), z) for r, n in zip(models, noise,
                                                                                           strict=True)}
    worse = [m for m, d in diffs.items() if d["verdict"] == "higher"]
    tied = [m for m, d in diffs.items() if d["verdict"] == NO_CLEAR]
    verdict: CeilingVerdict = "some_worse" if worse else ("some_tied" if tied else "all_better")
    # the largest effect a tied model could hide: the biggest minimum detectable difference among them
    detectable = max((diffs[m]["detectable"] for m in tied), default=None)
    return {"worse": worse, "tied": tied, "z": z, "comparisons": len(models), "detectable": detectable,
            "verdict": verdict}


def floor_check(floor: dict, ceiling: dict) -> Decision[FloorVerdict]:
    """Do the metrics separate real held-out images (floor) from the trivial ceiling? If not, no ranking means much."""
    diff = compare(floor, reference_noise(floor), ceiling, reference_noise(ceiling))
    return {"difference": diff, "verdict": "separated" if diff["verdict"] == "lower" else "not_separated"}


def against_none(row: dict, untruncated: dict, metric: str, z: float = Z) -> Decision[Comparison]:
    """A truncated row's precision or recall against no truncation's, with the paired bootstrap s.e. of their
    difference over the fakes (`<metric>_se_vs_none`, measured by the step; a known s.e., df = ∞)."""
    return difference(row[metric], row[f"{metric}_se_vs_none"], untruncated[metric], 0.0, z)


def truncation(rows: list[dict], n: int) -> Decision[TruncationVerdict]:
    """What the tightest truncation did against none, in precision (fidelity) and recall (diversity). The tightest
    threshold is fixed by the config, not picked by the data, so it is one look at Z per metric."""
    untruncated = next(r for r in rows if r["threshold"] is None)
    tightest, *looser = sorted((r for r in rows if r["threshold"] is not None), key=lambda r: r["threshold"])
    change = {m: against_none(tightest, untruncated, m) for m in ("precision", "recall")}
    best = min(rows, key=lambda r: r["fid"])
    p, r = change["precision"]["verdict"], change["recall"]["verdict"]
    verdict: TruncationVerdict
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
            "looser": looser_precision(looser, untruncated)}


def looser_precision(looser: list[dict], untruncated: dict) -> Decision[LooserVerdict]:
    """Whether precision rose beyond noise at a threshold looser than the tightest, which a verdict on the tightest
    alone would hide. Each looser row is compared with none at a Z corrected for that many looks
    (noise.corrected_z), so that the best of several thresholds does not pass noise off as a gain."""
    if not looser:
        return {"verdict": "no_looser"}
    z = corrected_z(len(looser))
    changes = [{"threshold": r["threshold"], **against_none(r, untruncated, "precision", z)} for r in looser]
    rose = [c for c in changes if c["verdict"] == "higher"]
    return {"z": z, "thresholds": [c["threshold"] for c in changes], "rose_at": [c["threshold"] for c in rose],
            "several_rose": len(rose) > 1,
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

