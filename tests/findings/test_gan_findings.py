"""Every verdict of the loss-saturation section, from small hand-made tables, and its tests pinned at their edges."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import fisher_exact, multivariate_hypergeom

from genlab.findings.gan import (
    NEAR_OPTIMAL,
    by_k,
    by_loss,
    count_difference,
    detectable_rate,
    freeman_halton,
    retrain,
)

LOSSES = ("saturating", "nonsaturating", "least_squares")


def g(loss: str, hits: int, runs: int) -> dict:
    return {"loss": loss, "n_saturated": hits, "n_runs": runs}


def test_fisher_boundary_four_of_six_against_none_is_not_clear_five_of_six_is():
    assert count_difference(4, 6, 0, 6)["p"] == pytest.approx(0.0606, abs=1e-4)
    assert count_difference(4, 6, 0, 6)["verdict"] == "no clear difference"
    assert count_difference(5, 6, 0, 6)["p"] == pytest.approx(0.01515, abs=1e-4)
    assert count_difference(5, 6, 0, 6)["verdict"] == "more"
    assert count_difference(0, 6, 5, 6)["verdict"] == "fewer"


def test_two_runs_against_two_are_too_few_to_tell():
    """2 of 2 against 0 of 2 gives p = 1/3: no table at this n can pass, whatever the data."""
    assert count_difference(2, 2, 0, 2)["verdict"] == "too few to tell"
    assert count_difference(2, 2, 0, 2)["detectable_rate"] is None


@pytest.mark.parametrize("hits, runs", [((3, 1, 0), (5, 5, 5)), ((6, 2, 0), (10, 10, 10)), ((4, 0, 1), (4, 4, 6))])
def test_freeman_halton_matches_the_multivariate_hypergeometric_sum(hits, runs):
    """Independently: over every table with the observed margins, the sum of the multivariate hypergeometric
    probabilities no larger than the observed table's."""
    total = sum(hits)
    tables = [t for t in itertools.product(*(range(n + 1) for n in runs)) if sum(t) == total]
    prob = multivariate_hypergeom.pmf(np.array(tables), m=list(runs), n=total)
    observed = multivariate_hypergeom.pmf(list(hits), m=list(runs), n=total)
    assert freeman_halton(list(hits), list(runs)) == pytest.approx(prob[prob <= observed * (1 + 1e-7)].sum())


def test_freeman_halton_known_value_and_fisher_for_two_groups():
    # 3, 1, 0 of 5 saturated, by hand: of the C(15, 4) = 1,365 ways to place 4 saturated runs, the tables no more
    # probable than the observed one are the 6 orderings of (3, 1, 0) (C(5,3)·C(5,1) = 50 ways each) and the 3 of
    # (4, 0, 0) (5 each): (300 + 15) / 1,365 = 3/13
    assert freeman_halton([3, 1, 0], [5, 5, 5]) == pytest.approx(0.230769, abs=1e-6)
    for a, b in [(4, 0), (5, 0), (3, 1), (6, 6)]:
        assert freeman_halton([a, b], [6, 6]) == pytest.approx(fisher_exact([[a, 6 - a], [b, 6 - b]])[1])


@pytest.mark.parametrize("hits, verdict", [
    ((0, 0, 0), "none_saturated"),
    ((6, 6, 6), "all_saturated"),
    ((6, 0, 0), "losses_differ"),
    ((1, 0, 0), "no_clear_difference"),
])
def test_by_loss(hits, verdict):
    found = by_loss([g(name, h, 6) for name, h in zip(LOSSES, hits, strict=True)])
    assert found["verdict"] == verdict
    assert found["detectable_rate"] == detectable_rate([6, 6, 6]) and 0 < found["detectable_rate"] < 1


def test_by_loss_names_the_top_loss_clearly_only_when_it_beats_each_other_loss():
    clear = by_loss([g("saturating", 6, 6), g("nonsaturating", 0, 6), g("least_squares", 0, 6)])
    assert clear["most"] == ["saturating"] and clear["most_clear"]
    # the table differs (6, 0, 3 of 6), but 6 of 6 against 3 of 6 does not pass at ALPHA / 3
    unclear = by_loss([g("saturating", 6, 6), g("nonsaturating", 0, 6), g("least_squares", 3, 6)])
    assert unclear["verdict"] == "losses_differ" and not unclear["most_clear"]


def test_by_loss_with_one_run_per_loss_is_too_few_to_tell():
    assert by_loss([g(name, h, 1) for name, h in zip(LOSSES, (1, 0, 0), strict=True)])["verdict"] == "too_few_to_tell"


def test_detectable_rate_is_where_the_power_reaches_eighty_percent():
    """At 6 runs a group, the smallest q whose one group against two of none passes with 80% power, by brute force."""
    q = detectable_rate([6, 6, 6])
    rng = np.random.default_rng(0)
    found = np.mean([freeman_halton([rng.binomial(6, q), 0, 0], [6, 6, 6]) < 0.05 for _ in range(4000)])
    assert found >= 0.78
    less = np.mean([freeman_halton([rng.binomial(6, q - 0.05), 0, 0], [6, 6, 6]) < 0.05 for _ in range(4000)])
    assert less < 0.8


@pytest.mark.parametrize("lo, hi, verdict", [
    (0, 9, "more_with_higher_k"), (9, 0, "fewer_with_higher_k"), (0, 2, "no_clear_difference"),
])
def test_by_k(lo, hi, verdict):
    groups = [{"k": 5, "n_saturated": hi, "n_runs": 9}, {"k": 1, "n_saturated": lo, "n_runs": 9}]
    found = by_k(groups)
    assert found["verdict"] == verdict and found["low"]["k"] == 1 and found["high"]["k"] == 5
    assert found["loss"] == "saturating"


def test_by_k_at_two_seeds_is_too_few_to_tell():
    groups = [{"k": 5, "n_saturated": 2, "n_runs": 2}, {"k": 1, "n_saturated": 0, "n_runs": 2}]
    assert by_k(groups)["verdict"] == "too_few_to_tell"


def test_by_k_with_one_k():
    assert by_k([{"k": 1, "n_saturated": 0, "n_runs": 3}])["verdict"] == "one_k"


def runs(sat, nonsat, d_fake=0.001, rose: bool = True, d_seeds=(0, 1), stages=(1000, 3000)) -> list[dict]:
    """Retrain-D records: one generator seed per entry of `sat`/`nonsat` (its falls in decades), repeated over D seeds
    and stages with a little spread around it that averages out within the generator seed."""
    out = []
    for i, (s, n) in enumerate(zip(sat, nonsat, strict=True)):
        for j, (d_seed, stage) in enumerate(itertools.product(d_seeds, stages)):
            wiggle = 0.05 * (j - (len(d_seeds) * len(stages) - 1) / 2)
            out.append({"generator_seed": i, "d_seed": d_seed, "stage": stage, "d_fake_tail": d_fake,
                        "grad": {loss: {"decades": dec + wiggle, "rose": rose}
                                 for loss, dec in (("saturating", s), ("nonsaturating", n), ("least_squares", -0.2))}})
    return out


RETRAIN_DECADES = {  # saturating, non-saturating falls per generator seed (decades; negative = fell)
    "reproduced": ((-2.0, -1.5, -1.2), (0.1, 0.0, -0.1)),
    "weaker": ((-0.8, -0.7, -0.6), (0.1, 0.0, -0.1)),
    "not_shown": ((0.0, 0.1, 0.0), (-1.0, -1.2, -0.9)),
    "no_clear_difference": ((-1.0, 0.2, -0.1), (0.1, -0.9, 0.0)),
    "too_few_to_tell": ((-3.0, -3.1), (0.0, 0.1)),
}


@pytest.mark.parametrize("verdict", RETRAIN_DECADES)
def test_retrain(verdict):
    found = retrain(runs(*RETRAIN_DECADES[verdict]))
    assert found["verdict"] == verdict
    assert found["comparison"]["n"] == len(RETRAIN_DECADES[verdict][0]) and found["direction"] in ("more", "less")
    assert found["n_d_seeds"] == 2 and found["n_retrainings"] == 4 * found["n_generators"]


def test_retrain_units_are_generator_seeds_not_stages():
    """Many stages and D seeds of two generators are still two units: too few to tell."""
    found = retrain(runs((-3.0, -3.2), (0.0, 0.1), d_seeds=range(5), stages=range(1, 9)))
    assert found["comparison"]["n"] == 2 and found["verdict"] == "too_few_to_tell"


def test_retrain_no_clear_difference_states_its_minimum_detectable_effect():
    found = retrain(runs(*RETRAIN_DECADES["no_clear_difference"]))
    assert found["comparison"]["detectable"] > abs(found["comparison"]["mean"])


@pytest.mark.parametrize("change, condition", [
    ({"d_fake": 10 * NEAR_OPTIMAL}, "d_near_optimal"),
    ({"nonsat": (-1.1, -1.2, -1.3), "sat": (-3.0, -3.5, -3.2)}, "nonsaturating_kept"),
])
def test_reproduced_needs_d_near_optimal_and_the_nonsaturating_gradient_kept(change, condition):
    sat, nonsat = RETRAIN_DECADES["reproduced"]
    found = retrain(runs(change.get("sat", sat), change.get("nonsat", nonsat), d_fake=change.get("d_fake", 0.001)))
    assert found["comparison"]["verdict"] == "saturating_fell_more"
    assert found["verdict"] == "weaker" and not found["conditions"][condition]


@pytest.mark.parametrize("d_fake, d_optimal", [(0.001, "all"), (0.5, "none")])
def test_retrain_says_in_how_many_retrainings_d_became_near_optimal(d_fake, d_optimal):
    found = retrain(runs(*RETRAIN_DECADES["reproduced"], d_fake=d_fake))
    assert found["d_optimal"] == d_optimal
    assert found["n_optimal"] == (found["n_retrainings"] if d_optimal == "all" else 0)


def test_retrain_some_near_optimal_is_counted_per_stage():
    records = runs(*RETRAIN_DECADES["reproduced"])
    for r in records:
        r["d_fake_tail"] = 0.001 if r["stage"] == 1000 else 0.2
    found = retrain(records)
    assert found["d_optimal"] == "some" and found["optimal_stages"] == [1000] and found["short_stages"] == [3000]
    assert found["by_stage"] == [{"stage": 1000, "n": 6, "n_optimal": 6}, {"stage": 3000, "n": 6, "n_optimal": 0}]


def test_rose_first_is_judged_per_retraining_for_every_norm():
    records = runs(*RETRAIN_DECADES["reproduced"])
    assert retrain(records)["all_rose_first"]
    records[0]["grad"]["least_squares"]["rose"] = False  # one norm in one retraining did not rise: not "every"
    found = retrain(records)
    assert not found["all_rose_first"] and found["n_rose_first"] == len(records) - 1
