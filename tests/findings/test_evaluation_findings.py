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
from genlab.findings.noise import Z, corrected_z, difference


def row(model: str, fid: float, std: float | None = None, seeds: int = 1, boot: float = 1.0) -> dict:
    return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": std}, "fid_boot_std": boot}


def trunc(threshold, precision: float, recall: float, fid: float = 10.0) -> dict:
    return {"threshold": threshold, "precision": precision, "recall": recall, "fid": fid}


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
    assert found["verdict"] == "tied_with_runner_up" and found["best"] == "A"
    assert found["difference"]["verdict"] == "no clear difference"


def test_ranking_names_a_clear_best():
    found = ranking([row("B", 40, std=1, seeds=3), row("A", 20, std=1, seeds=3), row("C", 90)])
    assert (found["verdict"], found["best"], found["runner_up"], found["worst"]) == ("clear_best", "A", "B", "C")


def test_ranking_of_a_single_model():
    assert ranking([row("A", 20)])["verdict"] == "only_model"


def test_a_single_run_uses_its_bootstrap_spread():
    # one seed each: only the bootstrap spread separates them
    assert ranking([row("A", 20, boot=0.5), row("B", 22, boot=0.5)])["verdict"] == "clear_best"
    assert ranking([row("A", 20, boot=5), row("B", 22, boot=5)])["verdict"] == "tied_with_runner_up"


@pytest.mark.parametrize("fids, verdict, worse, tied", [
    ([10, 20], "all_better", [], []),
    ([10, 99.5], "some_tied", [], ["m1"]),
    ([10, 150], "some_worse", ["m1"], []),
])
def test_against_ceiling(fids, verdict, worse, tied):
    found = against_ceiling([row(f"m{i}", f) for i, f in enumerate(fids)], row("ceiling", 100))
    assert (found["verdict"], found["worse"], found["tied"]) == (verdict, worse, tied)


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
    ([0.70, 0.55, 0.50], "rose_at_looser", [1.0]),  # +0.2 at n = 1,000: far beyond noise
    ([0.52, 0.51, 0.50], "not_at_looser", []),
    # +0.05 is 2.2 s.e. of the difference: beyond Z = 2 for one look, not beyond Z corrected for three (2.43)
    ([0.55, 0.50, 0.50], "not_at_looser", []),
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


def test_evaluation_findings_without_models():
    found = evaluation_findings([row("floor", 5), row("ceiling", 100)], [trunc(0.5, 0.6, 0.6), trunc(None, 0.6, 0.6)],
                                n=500)
    assert "ranking" not in found and found["floor"]["verdict"] == "separated"
