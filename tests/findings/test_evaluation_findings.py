"""Every verdict of the evaluation section, driven by small hand-made tables."""

from __future__ import annotations

import pytest

from genlab.findings.evaluation import (
    against_ceiling,
    evaluation_findings,
    floor_check,
    ranking,
    truncation,
)
from genlab.findings.noise import Z, corrected_z, critical, difference


def row(model: str, fid: float, std: float | None = None, seeds: int = 1, boot: float = 1.0) -> dict:
    return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": std}, "fid_boot_std": boot}


def trunc(threshold, precision: float, recall: float, fid: float = 10.0, se: float = 0.02) -> dict:
    """A truncation row whose changes against no truncation have paired bootstrap s.e. `se` (0 for none itself)."""
    se = 0.0 if threshold is None else se
    return {"threshold": threshold, "precision": precision, "recall": recall, "fid": fid,
            "precision_se_vs_none": se, "recall_se_vs_none": se}


def test_difference_names_its_direction_only_beyond_z_standard_errors():
    assert difference(10, 1, 5, 1)["verdict"] == "higher"  # 5 > 2·√2
    assert difference(5, 1, 10, 1)["verdict"] == "lower"
    assert difference(10, 2, 7, 2)["verdict"] == "no clear difference"  # 3 < 2·√8


def test_a_corrected_z_keeps_one_look_at_z_and_grows_with_the_looks():
    assert corrected_z(1) == pytest.approx(Z)
    assert Z < corrected_z(2) < corrected_z(4) < 3  # Bonferroni: one look's 2.3% split into 4 looks of 0.57%
    assert corrected_z(4) == pytest.approx(2.53, abs=0.01)


def test_two_effects_that_overlap_within_their_noise_are_no_clear_difference():
    # best 20 ± 3 (sd over 3 seeds), runner-up 22 ± 3: the seed spread covers the gap
    found = ranking([row("A", 20, std=3, seeds=3), row("B", 22, std=3, seeds=3)])
    assert found["verdict"] == "no_clear_best" and found["best"] == "A" and found["tied"] == ["B"]
    assert found["difference"]["verdict"] == "no clear difference" and found["difference"]["df"] == pytest.approx(4)


def test_ranking_names_a_clear_best():
    found = ranking([row("B", 40, std=1, seeds=3), row("A", 20, std=1, seeds=3), row("C", 90)])
    assert (found["verdict"], found["best"], found["runner_up"], found["worst"]) == ("clear_best", "A", "B", "C")
    assert found["pairs"] == 3 and found["z"] == pytest.approx(corrected_z(3))


def test_ranking_of_a_single_model():
    assert ranking([row("A", 20)])["verdict"] == "only_model"


def test_single_runs_alone_are_too_few_to_rank():
    # one seed each: a bootstrap spread over samples says nothing of how another training run would score
    assert ranking([row("A", 20, boot=0.5), row("B", 40, boot=0.5)])["verdict"] == "too_few_to_tell"
    assert against_ceiling([row("A", 20), row("B", 400)], row("ceiling", 100))["verdict"] == "too_few_to_tell"


def test_a_single_run_carries_the_pooled_seed_spread():
    # the groups' seeds vary by sd 4 (pooled on 2 × 2 df): a lucky single run 3 below the best group is no winner
    groups = [row("G1", 23, std=4, seeds=3), row("G2", 30, std=4, seeds=3)]
    found = ranking([row("single", 20, boot=0.1), *groups])
    assert found["pooled"] == {"std": pytest.approx(4), "df": 4, "groups": 2}
    assert found["best"] == "single" and found["best_noise"] == "pooled seeds"
    assert found["best_fid_se"] == pytest.approx(4) and found["verdict"] == "no_clear_best"
    # its bootstrap spread counts instead when that is the larger
    assert ranking([row("single", 20, boot=9), *groups])["best_noise"] == "bootstrap"


def test_groups_with_two_seeds_use_the_pooled_spread():
    # two seeds are too few for a group's own s.e. (1 df); three such groups pool 3 df, judged on those 3, not Welch's 6
    found = ranking([row("A", 20, std=1, seeds=2), row("B", 40, std=1, seeds=2), row("C", 60, std=1, seeds=2)])
    assert found["pooled"]["df"] == 3 and found["difference"]["df"] == 3 and found["verdict"] == "clear_best"
    # one such group pools 1 df: below MIN_N − 1, too few to tell
    assert ranking([row("A", 20, std=1, seeds=2), row("B", 40)])["verdict"] == "too_few_to_tell"


@pytest.mark.parametrize("gap, verdict", [(0.99, "no_clear_best"), (1.01, "clear_best")])
def test_the_best_is_held_to_the_corrected_z_for_every_pair(gap, verdict):
    """A gap just inside and just outside the edge: 26 groups of 2 seeds, sd 1 each, pool 26 df; each mean's s.e. is
    1/√2, so the difference's is 1, judged with Student's t at the Z corrected for all 325 pairs."""
    others = [row(m, 100 + i, std=1, seeds=2) for i, m in enumerate("CDEFGHIJKLMNOPQRSTUVWXYZ")]
    edge = critical(26, corrected_z(26 * 25 // 2))
    found = ranking([row("A", 50, std=1, seeds=2), row("B", 50 + gap * edge, std=1, seeds=2), *others])
    assert found["pairs"] == 325 and found["pooled"]["df"] == 26
    assert found["difference"]["critical"] == pytest.approx(edge) and found["verdict"] == verdict


@pytest.mark.parametrize("fids, verdict, worse, tied", [
    ([10, 20], "all_better", [], []),
    ([10, 99.5], "some_tied", [], ["m1"]),
    ([10, 150], "some_worse", ["m1"], []),
])
def test_against_ceiling(fids, verdict, worse, tied):
    models = [row(f"m{i}", f, std=1, seeds=3) for i, f in enumerate(fids)]
    found = against_ceiling(models, row("ceiling", 100))
    assert (found["verdict"], found["worse"], found["tied"]) == (verdict, worse, tied)
    assert found["z"] == pytest.approx(corrected_z(2))


@pytest.mark.parametrize("floor, verdict", [(5, "separated"), (99, "not_separated")])
def test_floor_check(floor, verdict):
    assert floor_check(row("floor", floor), row("ceiling", 100))["verdict"] == verdict


@pytest.mark.parametrize("tight, verdict", [
    ((0.9, 0.3), "trade_off"),
    ((0.6, 0.3), "recall_cost_only"),
    ((0.9, 0.6), "precision_gain_only"),
    ((0.61, 0.59), "no_clear_change"),  # precision 0.51 → 0.54 at n = 1,000 is within noise too
    ((0.3, 0.6), "precision_loss"),
    ((0.6, 0.9), "recall_gain_only"),
    ((0.3, 0.3), "both_lower"),
])
def test_truncation_verdicts(tight, verdict):
    rows = [trunc(0.5, *tight, fid=30), trunc(1.0, 0.6, 0.6, fid=12), trunc(None, 0.6, 0.6, fid=15)]
    found = truncation(rows, n=1000)
    assert found["verdict"] == verdict and found["tightest"] == 0.5 and found["best_fid_threshold"] == 1.0


@pytest.mark.parametrize("looser, verdict, rose_at", [
    ([0.70, 0.545, 0.50], "rose_at_looser", [1.0]),  # +0.2 at n = 1,000: far beyond noise
    ([0.52, 0.51, 0.50], "not_at_looser", []),
    # +0.045 is 2.25 s.e. of the difference: beyond Z = 2 for one look, not beyond Z corrected for three (2.43)
    ([0.545, 0.50, 0.50], "not_at_looser", []),
])
def test_looser_thresholds_are_looked_at_with_a_corrected_z(looser, verdict, rose_at):
    rows = [trunc(0.5, 0.3, 0.6), *(trunc(t, p, 0.6) for t, p in zip((1.0, 1.5, 2.0), looser, strict=True)),
            trunc(None, 0.5, 0.6)]
    found = truncation(rows, n=1000)
    assert found["verdict"] == "precision_loss"  # the tightest alone says precision fell
    assert found["looser"]["verdict"] == verdict and found["looser"]["rose_at"] == rose_at
    assert found["looser"]["thresholds"] == [1.0, 1.5, 2.0] and found["looser"]["z"] > 2


def test_with_one_truncated_threshold_there_is_nothing_looser():
    assert truncation([trunc(0.5, 0.3, 0.6), trunc(None, 0.5, 0.6)], n=1000)["looser"] == {"verdict": "no_looser"}


def test_a_small_precision_rise_at_n_1000_is_not_a_trade_off():
    rows = [trunc(0.5, 0.54, 0.30), trunc(None, 0.51, 0.60)]
    assert truncation(rows, n=1000)["verdict"] == "recall_cost_only"


@pytest.mark.parametrize("se, verdict", [(0.0251, "no_clear_change"), (0.0249, "precision_gain_only")])
def test_truncation_uses_the_paired_bootstrap_se_of_the_change(se, verdict):
    # +0.05 is just under and just over Z = 2 paired bootstrap s.e. of the change
    rows = [trunc(0.5, 0.55, 0.6, se=se), trunc(None, 0.5, 0.6)]
    assert truncation(rows, n=1000)["verdict"] == verdict


def test_evaluation_findings_without_models():
    found = evaluation_findings([row("floor", 5), row("ceiling", 100)], [trunc(0.5, 0.6, 0.6), trunc(None, 0.6, 0.6)],
                                n=500)
    assert "ranking" not in found and found["floor"]["verdict"] == "separated"
