"""Every verdict of a section renders, and reads right, from hand-made facts or the smoke run's facts (committed in
fixtures/, see tests/smoke_facts.py) with hand-made tables (StrictUndefined: a missing key fails)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import smoke_facts
from conftest import REPO

from genlab.findings.evaluation import evaluation_findings
from genlab.findings.gan import gan_findings
from genlab.findings.mlp_gan import copying, coverage
from genlab.findings.restoration import restoration_findings
from genlab.report.render import fixed, listing, render_partial, significant


def _row(model: str, fid: float, seeds: int = 1, std: float | None = None) -> dict:
    metric = {"mean": 0.5, "std": None if seeds == 1 else 0.01}
    return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": std}, "fid_boot_std": 1.0,
            "kid": {"mean": 12345.6, "std": None}, "precision": metric, "recall": metric,
            "classifier_score": {"mean": 7.891, "std": None}}


def _trunc(threshold, precision, recall, fid=20.0) -> dict:
    se = 0.0 if threshold is None else 0.02  # the paired bootstrap s.e. of the change against no truncation
    return {"threshold": threshold, "precision": precision, "recall": recall, "fid": fid, "kid": 0.01, "n": 1000,
            "precision_se_vs_none": se, "recall_se_vs_none": se}


def _evaluation_facts(rows: list[dict], truncation: list[dict], findings: dict) -> dict:
    """The evaluation step's facts around hand-made tables and their findings, n = 1,000 samples per row."""
    return {"dataset": {"name": "mnist"}, "n": 1000, "rows": rows, "findings": findings, "truncation": truncation,
            "truncation_model": "nonsaturating_k1_s0", "figures": {"truncation": "t.png", "truncation_grids": "g.png"},
            "classifier": {"labels": "the dataset's classes", "test_accuracy": 0.98},
            "params": {"classifier": {"steps": 100}, "kid_subsets": 20, "kid_subset_size": 500, "k": 3,
                       "bootstrap": 50}}


# tables that drive each verdict of the section (the decisions themselves: tests/findings/test_evaluation_findings.py)
MODEL_TABLES = {
    "clear_best": [_row("A", 20), _row("B", 40, seeds=3, std=1), _row("C", 50, seeds=3, std=1)],
    "no_clear_best": [_row("A", 20), _row("B", 21, seeds=3, std=1), _row("C", 50, seeds=3, std=1)],
    "only_model": [_row("A", 20)],
    "worse_than_ceiling": [_row(m, fid, seeds=3, std=1) for m, fid in (("A", 20), ("B", 300), ("C", 99))],
    "too_few_to_tell": [_row("A", 20), _row("B", 40)],
    "no_models": [],
}
TRUNCATIONS = {
    "trade_off": (0.9, 0.3), "recall_cost_only": (0.6, 0.3), "precision_gain_only": (0.9, 0.6),
    "precision_loss": (0.3, 0.6), "recall_gain_only": (0.6, 0.9), "no_clear_change": (0.6, 0.6),
    "both_lower": (0.3, 0.3),
}
FLOORS = {"separated": 5.0, "not_separated": 99.0}


@pytest.mark.parametrize("models, trunc, floor", list(itertools.product(MODEL_TABLES, TRUNCATIONS, FLOORS)))
def test_evaluation_section_renders_every_verdict(models, trunc, floor):
    rows = [_row("real test images (floor)", FLOORS[floor]), _row("pixel mean + noise (ceiling)", 100.0),
            *MODEL_TABLES[models]]
    truncation = [_trunc(0.5, *TRUNCATIONS[trunc]), _trunc(None, 0.6, 0.6)]
    findings = evaluation_findings(rows, truncation, n=1000)
    assert findings["truncation"]["verdict"] == trunc and findings["floor"]["verdict"] == floor
    facts = _evaluation_facts(rows, truncation, findings)
    html = render_partial(REPO / "report", "evaluation", facts)
    text = " ".join(html.split())
    assert "12,300" in text and "n = 1,000" in text  # KID at 3 significant digits, the same n for every row
    if models not in ("only_model", "no_models"):
        assert findings["ranking"]["verdict"] == ("clear_best" if models == "worse_than_ceiling" else models)
    if models == "no_clear_best":
        assert "but there is no clear difference from B" in text and "could have detected is" in text
    if models == "clear_best":
        assert "clearly ahead of every other" in text and "3 pairs of 3 models" in text
    if models == "too_few_to_tell":
        assert "too few to tell which model is best" in text
    if models == "worse_than_ceiling":
        assert "Clearly worse than the trivial ceiling: B (each of the 3 models held to the corrected Z" in text
        assert "Within noise of it, no clear difference: C (a gap as large as" in text
    if trunc == "trade_off":
        assert "That is the fidelity/diversity trade-off" in text
        assert "not a verdict that these samples are better" in text  # precision alone does not make G's samples best
    else:
        assert "That is the fidelity/diversity trade-off" not in text
    if floor == "not_separated":
        assert "do not separate" in text


LOOSER = {"rose_at_looser": (0.8, 0.6), "not_at_looser": (0.62, 0.6), "no_looser": None}  # precision at t = 1, 2


@pytest.mark.parametrize("looser, tightest", list(itertools.product(LOOSER, TRUNCATIONS)))
def test_evaluation_section_says_what_looser_truncation_did(looser, tightest):
    """Whether a looser threshold raised precision is said after the tightest's verdict (or nothing when there is no
    looser one), and every sentence on the tightest names its t, so the two never contradict each other."""
    rows = [_row("real test images (floor)", 5.0), _row("pixel mean + noise (ceiling)", 100.0), _row("A", 20)]
    looser_rows = zip((1.0, 2.0), LOOSER[looser] or (), strict=False)  # none for no_looser
    truncation = [_trunc(0.5, *TRUNCATIONS[tightest]), *(_trunc(t, p, 0.6) for t, p in looser_rows),
                  _trunc(None, 0.6, 0.6)]
    findings = evaluation_findings(rows, truncation, n=1000)
    assert findings["truncation"]["looser"]["verdict"] == looser
    facts = _evaluation_facts(rows, truncation, findings)
    text = " ".join(render_partial(REPO / "report", "evaluation", facts).split())
    assert ("At t = 0.5, " in text) == (findings["truncation"]["verdict"] != "trade_off")
    assert ("At looser thresholds precision did rise beyond its noise: at t = 1.0 (0.2" in text) == (
        looser == "rose_at_looser")
    assert "most at t = 1.0" not in text  # one threshold rose: it is not repeated
    assert ("None of the looser thresholds (t = 1.0, 2.0) raised precision" in text) == (looser == "not_at_looser")
    assert not any(claim in text for claim in ("buys nothing", "no trade-off", "at these thresholds"))


LOSS_HITS = {  # saturated runs per loss and runs per loss, driving each by-loss verdict
    "losses_differ": ((6, 0, 0), 6), "no_clear_difference": ((1, 0, 0), 6), "too_few_to_tell": ((1, 0, 0), 1),
    "all_saturated": ((3, 3, 3), 3), "none_saturated": ((0, 0, 0), 6),
}
K_HITS = {"more_with_higher_k": ((0, 9), 9), "fewer_with_higher_k": ((9, 0), 9), "no_clear_difference": ((0, 2), 9),
          "too_few_to_tell": ((0, 2), 2)}  # saturating-loss runs saturated at k = 1, 5, and runs per k
RETRAIN_DECADES = {  # saturating, non-saturating falls per generator seed (decades), driving each retrain verdict
    "reproduced": ((-2.0, -1.5, -1.2), (0.1, 0.0, -0.1)),
    "weaker": ((-0.8, -0.7, -0.6), (0.1, 0.0, -0.1)),
    "not_shown": ((0.0, 0.1, 0.0), (-1.0, -1.2, -0.9)),
    "no_clear_difference": ((-1.0, 0.2, -0.1), (0.1, -0.9, 0.0)),
    "too_few_to_tell": ((-3.0, -3.1), (0.0, 0.1)),
}
D_FAKE_TAIL = {"all": (0.001, 0.005), "some": (0.001, 0.3), "none": (0.02, 0.5)}  # per stage: 1,000 and 3,000


def _gan_groups(facts: dict, loss: str, k: str) -> tuple[list[dict], list[dict]]:
    (loss_hits, loss_runs), (k_hits, k_runs) = LOSS_HITS[loss], K_HITS[k]
    groups = [{**facts["by_loss"][0], "loss": name, "n_saturated": hits, "n_runs": loss_runs}
              for name, hits in zip(("saturating", "nonsaturating", "least_squares"), loss_hits, strict=True)]
    k_groups = [{**facts["by_k"][0], "k": kk, "n_saturated": hits, "n_runs": k_runs}
                for kk, hits in zip((1, 5), k_hits, strict=True)]
    return groups, k_groups


def _retrain_runs(facts: dict, verdict: str, d_optimal: str) -> list[dict]:
    """The smoke run's first retraining, copied to generator seeds × D seeds × two stages whose numbers drive
    `verdict`."""
    sat, nonsat = RETRAIN_DECADES[verdict]
    out = []
    for g_seed, (s_dec, n_dec) in enumerate(zip(sat, nonsat, strict=True)):
        stages = zip((1000, 3000), D_FAKE_TAIL[d_optimal], strict=True)
        for d_seed, (stage, d_fake) in itertools.product((0, 1), stages):
            run = json.loads(json.dumps(facts["retrain"]["runs"][0]))
            run.update(generator_seed=g_seed, d_seed=d_seed, stage=stage, d_fake_tail=d_fake)
            run["grad"]["saturating"]["decades"], run["grad"]["nonsaturating"]["decades"] = s_dec, n_dec
            out.append(run)
    return out


@pytest.mark.parametrize("loss, k, retrain", list(itertools.product(LOSS_HITS, K_HITS, RETRAIN_DECADES)))
def test_gan_section_renders_every_verdict(loss, k, retrain):
    """The smoke run's facts, with its tables replaced by ones that drive each verdict: every sentence names its test,
    says "too few to tell" below the minimum, and every "no clear difference" quotes what 80% power could detect."""
    facts = smoke_facts.load("gan")
    groups, k_groups = _gan_groups(facts, loss, k)
    facts["retrain"]["runs"] = _retrain_runs(facts, retrain, "all")
    facts.update(by_loss=groups, by_k=k_groups, findings=gan_findings(groups, k_groups, facts["retrain"]["runs"]))
    assert (facts["findings"]["by_loss"]["verdict"], facts["findings"]["by_k"]["verdict"],
            facts["findings"]["retrain"]["verdict"]) == (loss, k, retrain)
    text = " ".join(render_partial(REPO / "report", "gan", facts).split())
    assert ("Arjovsky &amp; Bottou's observation, reproduced" in text) == (retrain == "reproduced")
    assert ("no clear difference between the two losses' falls" in text) == (retrain == "no_clear_difference")
    assert ("(paired t test, " in text) == (retrain != "too_few_to_tell")
    assert "hold one D step apart, not within a row" in text  # the table's D(G(z)) and |∂ℓ/∂l| are logged apart
    assert ("beyond chance" in text) == (loss == "losses_differ" or k in ("more_with_higher_k", "fewer_with_higher_k"))
    assert ("Freeman–Halton exact test" in text) == (loss in ("losses_differ", "no_clear_difference",
                                                               "too_few_to_tell"))
    assert ("Fisher's exact test" in text) == (loss == "losses_differ" or k != "one_k")
    assert ("too few to tell" in text) == ("too_few_to_tell" in (loss, k, retrain))
    assert ("gone unseen" in text) == ("no_clear_difference" in (loss, k, retrain))
    for verdict, sentence in ((loss, "no clear difference in saturation rate"),
                              (k, "is no clear difference at this number of runs"),
                              (retrain, "only a difference of at least")):
        assert (sentence in text) == (verdict == "no_clear_difference")
    assert "fell alike" not in text and "clearly" not in text.replace("not clearly", "")


def test_gan_section_names_the_top_loss_only_when_the_pick_is_accounted_for():
    facts = smoke_facts.load("gan")
    for hits, clear in (((6, 0, 0), True), ((6, 0, 3), False)):
        groups = [{**facts["by_loss"][0], "loss": name, "n_saturated": h, "n_runs": 6}
                  for name, h in zip(("saturating", "nonsaturating", "least_squares"), hits, strict=True)]
        facts.update(by_loss=groups, findings=gan_findings(groups, facts["by_k"], facts["retrain"]["runs"]))
        text = " ".join(render_partial(REPO / "report", "gan", facts).split())
        assert ("The saturating loss saturated more often than each of the others" in text) == clear
        assert ("but not clearly more than every other loss" in text) == (not clear)


@pytest.mark.parametrize("d_optimal, sentence", [
    ("all", "In every retraining D became near-optimal"),
    ("some", "6 of 6 against G from step 1,000; 0 of 6 against G from step 3,000"),
    ("none", "In no retraining did D become near-optimal"),
])
def test_gan_section_says_in_which_retrainings_d_became_near_optimal(d_optimal, sentence):
    facts = smoke_facts.load("gan")
    facts["retrain"]["runs"] = _retrain_runs(facts, "reproduced", d_optimal)
    facts["findings"]["retrain"] = gan_findings(facts["by_loss"], facts["by_k"], facts["retrain"]["runs"])["retrain"]
    assert facts["findings"]["retrain"]["d_optimal"] == d_optimal
    assert (facts["findings"]["retrain"]["verdict"] == "reproduced") == (d_optimal == "all")
    text = " ".join(render_partial(REPO / "report", "gan", facts).split())
    assert sentence in text
    assert ("D was not near-optimal in every retraining" in text) == (d_optimal != "all")


RESTORATION_GAINS = {"gains_everywhere": (3.0, 1.0), "loses_somewhere": (3.0, -1.0), "ties_somewhere": (3.0, 0.01),
                     "too_few_to_tell": (3.0, 1.0)}
SHAPES = {"scattered_easier": 0.0, "overlap": 5.0, "no_clear_difference": 2.0}  # the block mask's extra gain
SHAPE_SENTENCES = {"scattered_easier": "Every mask of scattered missing pixels fared better",
                   "overlap": "The gains do not separate scattered pixels from block holes",
                   "no_clear_difference": "could have gone unseen)",
                   "too_few_to_tell": "too few to tell whether scattered gaps are easier"}


@pytest.mark.parametrize("verdict, shape", list(itertools.product(RESTORATION_GAINS, SHAPES)))
def test_restoration_section_renders_every_verdict(verdict, shape):
    facts = smoke_facts.load("restoration")
    n = 2 if verdict == "too_few_to_tell" else 5
    spread = 0.1 * np.array([-1.0, 1.0, -0.5, 0.5, 0.0])[:n]
    scattered, block = RESTORATION_GAINS[verdict]
    if verdict == "gains_everywhere":
        block += SHAPES[shape]
    per_image = {"random80": {"kind": "random", "generator": 20 + scattered + spread, "mean": np.full(n, 20.0),
                              "nearest": np.full(n, 21.0)},
                 "center": {"kind": "center", "generator": 20 + block + spread, "mean": np.full(n, 20.0),
                            "nearest": np.full(n, 21.0)}}
    facts["findings"] = restoration_findings(per_image)
    assert facts["findings"]["verdict"] == verdict
    text = " ".join(render_partial(REPO / "report", "restoration", facts).split())
    assert ("is worse than pasting the mean training image" in text) == (verdict == "loses_somewhere")
    assert ("is not clearly better than pasting" in text) == (verdict == "ties_somewhere")
    assert ("beats the mean-image fill on every mask" in text) == (verdict == "gains_everywhere")
    assert ("too few to tell whether G's composite beats" in text) == (verdict == "too_few_to_tell")
    if verdict == "gains_everywhere":
        assert facts["findings"]["shape"]["verdict"] == shape and SHAPE_SENTENCES[shape] in text
    assert "corrected for 2 masks" in text


RECOVERY = {"recovered": {"fell_at": 100, "step": 900}, "never_recovered": {"fell_at": 100, "step": None},
            "never_fell": {"fell_at": None, "step": None}}
BALANCE = ["d_separates", "d_ahead", "near_equilibrium", "borderline", "too_few_to_tell"]


@pytest.mark.parametrize("recovered, balanced", list(itertools.product(RECOVERY, BALANCE)))
def test_mlp_gan_section_renders_every_verdict(recovered, balanced):
    facts = smoke_facts.load("mlp_gan")
    facts["history"]["recovery"] = {**RECOVERY[recovered], "level": 0.3, "verdict": recovered}
    facts["history"]["balance"].update(gap=0.5, se=0.01, df=3, n_batches=4, detectable=0.04, verdict=balanced)
    text = " ".join(render_partial(REPO / "report", "mlp_gan", facts).split())
    assert ("G first brought it back above 0.3 at step 900" in text) == (recovered == "recovered")
    assert ("no clear verdict on the balance" in text) == (balanced == "borderline")
    assert ("could tell a gap 0.04 from that line" in text) == (balanced == "borderline")
    assert ("too few to tell how the game stands" in text) == (balanced == "too_few_to_tell")
    assert ("so does a D that has stopped learning" in text) == (balanced == "near_equilibrium")
    assert "first pushed mean D(G(z)) above 0.3" not in text  # the untrained D's ½ at step 1 is no event
    cp = facts["memorisation"]["copying"]  # the number of cells is explained, not only quoted
    assert f"{cp['k']} k-means cells (up to the config's <code>cells</code>, as many as leave about" in text


DIVERSITY = {"as_varied": "about as varied as real images", "less_varied": "a partial mode collapse",
             "collapsed": "By the end they had collapsed", "unclear": "would have been found at 80% power",
             "too_few_to_tell": "too few to tell whether the samples end as varied"}


@pytest.mark.parametrize("verdict", DIVERSITY)
def test_mlp_gan_diversity_renders_every_verdict(verdict):
    facts = smoke_facts.load("mlp_gan")
    facts["diversity"].update(verdict=verdict, noise=0.2, df=4, detectable=0.8)
    text = " ".join(render_partial(REPO / "report", "mlp_gan", facts).split())
    assert [v for v, sentence in DIVERSITY.items() if sentence in text] == [verdict]
    assert f"{len(facts['grid_steps'])} in all" in text  # every saved grid is shown


def _cells(z: float, k: int = 10, fakes: int = 200, held_out: int = 50) -> list[dict]:
    sd_u = (fakes * held_out * (fakes + held_out + 1) / 12) ** 0.5
    return [{"cell": i, "train": 450, "fakes": fakes, "held_out": held_out, "u": fakes * held_out / 2 + z * sd_u,
             "z": z} for i in range(k)]


DISTINCT = {"within": 2.0, "compared": 500, "fakes": 495, "held_out": 498, "all_fakes": 1980}
COPYING = {  # cells, n_fakes, distinct fakes among 500 → the verdict; and a phrase only that verdict's sentence has
    "copies": ((-8.0, 2000, 495), "G copies (memorises) its training data"),
    "underfits": ((8.0, 2000, 495), "G underfits here"),
    "no_clear_difference": ((0.0, 2000, 495), "would have detected a shift of"),
    "collapsed": ((-8.0, 2000, 12), "cannot tell copying from a generator collapsed"),
    "too_few_to_tell": ((0.0, 10, 10), "the test has too few to tell"),
}
COVERAGE = {"even": [0.1] * 10, "uneven": [0.3] + [0.7 / 9] * 9, "classes_missing": [0.105] * 9 + [0.005]}


@pytest.mark.parametrize("verdict, spread", list(itertools.product(COPYING, COVERAGE)))
def test_mlp_gan_memorisation_renders_every_verdict(verdict, spread):
    facts = smoke_facts.load("mlp_gan")
    m = facts["memorisation"]
    (z, n_fakes, distinct), _ = COPYING[verdict]
    m["copying"] = copying(_cells(z), n_fakes, 500, 4500, {**DISTINCT, "fakes": distinct})
    m["coverage"]["findings"] = coverage(COVERAGE[spread], 2000)
    assert (m["copying"]["verdict"], m["coverage"]["findings"]["verdict"]) == (verdict, spread)
    text = " ".join(render_partial(REPO / "report", "mlp_gan", facts).split())
    assert [v for v, (_, sentence) in COPYING.items() if sentence in text] == [verdict]
    assert "Meehan, Chaudhuri &amp; Dasgupta (AISTATS 2020)" in text and "4,500 training images" in text
    assert ("some classes are missing" in text) == (spread == "classes_missing")
    assert ("(a class at" in text) == (spread == "even")  # "even" states the share it could have found


@pytest.mark.parametrize("where", ["copying", "coverage", "balance", "diversity"])
def test_mlp_gan_section_refuses_an_unknown_verdict(where):
    facts = smoke_facts.load("mlp_gan")
    found = {"copying": facts["memorisation"]["copying"], "coverage": facts["memorisation"]["coverage"]["findings"],
             "balance": facts["history"]["balance"], "diversity": facts["diversity"]}[where]
    found["verdict"] = "no_such_verdict"
    with pytest.raises(ValueError, match="no wording for verdict 'no_such_verdict'"):
        render_partial(REPO / "report", "mlp_gan", facts)


DIFFERENCES = ["higher", "lower", "no clear difference"]


TESTED = [*DIFFERENCES, "too few to tell"]  # noise.paired's verdicts
NAMED = ["higher", "lower", "no clear difference", "too_few_to_tell"]  # the same through noise.named
MDE = "would have been found with 80% power"


@pytest.mark.parametrize("axes, seeds", list(itertools.product(
    ["uncorrelated", "weakly_correlated", "correlated", "too_few_to_tell"], NAMED)))
def test_sampling_section_renders_every_verdict(axes, seeds):
    facts = smoke_facts.load("sampling")
    fi = facts["findings"]
    fi["independence"]["moments"].update(verdict=axes, detectable=0.2)
    fi["seeds"].update(verdict=seeds, n=3, mean=0.02, se=0.005, detectable=0.02)
    fi["as_intended"] = seeds == "higher" and axes in ("uncorrelated", "weakly_correlated")
    for recon, covered in itertools.product(TESTED, NAMED):
        fi["recon_cost"].update(verdict=recon, detectable=0.001)
        for key in ("precision", "recall"):
            fi[key].update(verdict=covered, detectable=0.01)
        text = " ".join(render_partial(REPO / "report", "sampling", facts).split())
        assert ("as intended" in text) == fi["as_intended"]
        assert ("are not jointly N(0, I)" in text) == (axes == "correlated")
        assert (MDE in text) == ("no clear difference" in (recon, covered, seeds) or axes == "uncorrelated")
        assert ("too few to tell" in text) == ("too" in recon + covered + seeds + axes)
        assert "nearest training image, which favours blur" in text  # named as what it is not
    fi["classifier"] = False
    text = " ".join(render_partial(REPO / "report", "sampling", facts).split())
    assert "no domain classifier measures where the samples land" in text and "as intended" not in text



def test_kid_is_not_called_a_mean_over_subsets_when_every_subset_is_the_whole_set():
    facts = smoke_facts.load("evaluation")
    size = facts["params"]["kid_subset_size"]
    for n, said in ((size + 1, "random subsets of"), (size, "images at once")):
        facts["n"] = n
        text = " ".join(render_partial(REPO / "report", "evaluation", facts).split())
        assert said in text and ("random subsets of" in text) == (n > size)

@pytest.mark.parametrize("verdict, crossfade", list(itertools.product(
    ["gan_more_plausible", "ae_more_plausible", "no_clear_difference", "too_few_to_tell", "no_classifier"], TESTED)))
def test_interpolation_section_renders_every_verdict(verdict, crossfade):
    facts = smoke_facts.load("interpolation")
    facts["findings"]["verdict"] = verdict
    facts["findings"]["crossfade"]["verdict"] = crossfade
    for nearest in TESTED:
        facts["findings"]["nn_distance"]["verdict"] = nearest
        text = " ".join(render_partial(REPO / "report", "interpolation", facts).split())
        assert ("interpolates more plausibly here" in text) == verdict.endswith("more_plausible")
        assert "more direct" not in text  # a path as short as its ends is a cross-fade, not a virtue
        no_clear = verdict == "no_clear_difference" or "no clear difference" in (crossfade, nearest)
        assert (MDE in text) == no_clear
        assert ("too few" in text) == ("too" in verdict + crossfade + nearest)



def test_interpolation_pairs_of_unlabelled_data_are_not_called_across_or_within_classes():
    facts = smoke_facts.load("interpolation")
    text = " ".join(render_partial(REPO / "report", "interpolation", facts).split())
    assert "across classes" in text and "has no classes" not in text and "Pair 1: across" in text
    facts["dataset"]["n_classes"] = 0  # a folder of photos, say
    text = " ".join(render_partial(REPO / "report", "interpolation", facts).split())
    assert "drawn at random: mnist has no classes" in text and "across classes" not in text
    assert "Pair 1:" not in text  # no caption listing seven pairs as "random"

SCALES = ["finer_than_shuffled", "coarser_than_shuffled", "no clear difference", "too_few_to_tell"]
BY_CLASS = {"classes_differ": "The classes differ beyond noise (Kruskal–Wallis",
            "no clear difference": "finds no clear difference (H =",
            "too_few_to_tell": "too few to tell whether the classes"}


@pytest.mark.parametrize("scale, nearest", list(itertools.product(
    SCALES, ["gan_better", "nearest_better", "no clear difference", "too_few_to_tell"])))
def test_inversion_section_renders_every_verdict(scale, nearest):
    facts = smoke_facts.load("inversion")
    v = facts["findings"]
    v["scale"]["verdict"] = scale
    v["against_nearest"]["verdict"] = nearest
    v["by_class"].update(h=12.3, p=0.01, detectable=0.01)  # the smoke run's classes are too few for a test
    for verdicts, key in ((("outside", "inside", "no clear difference", "too_few_to_tell"), "code_norm"),
                          (("costs", "helps", "no clear difference", "too_few_to_tell"), "prior_cost"),
                          (("matter", "hardly", "no clear difference", "too_few_to_tell"), "restarts"),
                          (("concentrated", "outside", "no clear difference", "too_few_to_tell"), "location"),
                          (tuple(BY_CLASS), "by_class")):
        for verdict in verdicts:  # every branch of the other paragraphs, with this scale and nearest verdict
            v[key]["verdict"] = verdict
            for attr in ("ink", "high_freq"):
                v["spearman"][attr]["verdict"] = ("worse", "better", "no clear difference", "too_few_to_tell")[
                    verdicts.index(verdict)]
            text = " ".join(render_partial(REPO / "report", "inversion", facts).split())
            assert ("the coarse layout is reproduced" in text) == (scale == "finer_than_shuffled")
            assert ("range reaches beyond the examples it saw" in text) == (nearest == "gan_better")
            assert "of the shuffled one" in text and "1.3" not in text
            if key == "by_class":
                assert BY_CLASS[verdict] in text
            if verdict == "no clear difference":
                assert "could have gone unseen" in text
            if verdict == "too_few_to_tell":
                assert "too few to tell" in text.lower()


@pytest.mark.parametrize("depth", ["falls", "rises", "no_clear_trend", "too_few_to_tell", "not_comparable"])
def test_cnn_layers_section_renders_every_verdict(depth):
    facts = smoke_facts.load("cnn_layers")
    v = facts["findings"]
    v["depth"].update(verdict=depth, detectable=0.5)
    v["pool_vs_conv"]["detectable"] = 0.5
    v["match"]["detectable"] = 0.01
    for pools, match, kind in itertools.product(
            ["pool_loses_more", "conv_loses_more", "no_clear_difference", "too_few_to_tell"],
            ["matched", "loose", "no_clear_verdict", "too_few_to_tell"],
            ["dataset_kept_more", "natural_kept_more", "no_clear_difference", "too_few_to_tell"]):
        v["pool_vs_conv"]["verdict"], v["match"]["verdict"] = pools, match
        v["pool_vs_conv"]["pools_gain"] = pools == "conv_loses_more"  # drive the pool-gain caveat with one branch
        v["by_kind"] = {"delta": 1.0, "se": 0.1, "detectable": 0.5, "n_natural": 3, "n_dataset": 3, "min_n": 3,
                        "verdict": kind}
        text = " ".join(render_partial(REPO / "report", "cnn_layers", facts).split())
        assert ("The optimisation matched the features everywhere" in text) == (match == "matched")
        assert ("cannot hold more than it" in text) == (pools == "conv_loses_more")
        assert ("what the features keep of the image falls with depth" in text) == (depth == "falls")
        assert "the regulariser's as much as the features'" in text  # the λ_TV confound is named every time
        assert (MDE in text) == ("no_clear" in depth + pools + match + kind)
        assert ("too few" in text) == ("too_few" in depth + pools + match + kind)


@pytest.mark.parametrize("hf, fit, peak", list(itertools.product(["all", "some", "none", "too_few_to_tell"],
                                                                 repeat=3)))
def test_cnn_tv_sweep_section_renders_every_verdict(hf, fit, peak):
    facts = smoke_facts.load("cnn_tv_sweep")
    facts["findings"].update(hf=hf, fit=fit, peak=peak)
    text = " ".join(render_partial(REPO / "report", "cnn_tv_sweep", facts).split())
    assert ("the regulariser is what keeps the inversion an image" in text) == (hf == fit == "all")
    assert "diverged" not in text or facts["diverged"]
    assert ("too few to tell whether PSNR peaks" in text) == (peak == "too_few_to_tell")
    assert ("would have been found with 80% power)." in text) == (peak == "none")
    looks = facts["findings"]["peak_looks"]
    noted = f"picked from the {looks} larger ones" in text and f"corrected for {looks} looks" in text
    assert noted == (peak != "too_few_to_tell")  # the corrected Z is named only where a peak was tested


def test_cnn_tv_sweep_section_names_the_images_that_diverged():
    facts = smoke_facts.load("cnn_tv_sweep")
    facts["diverged"] = [
        {"layer": "conv2", "images": ["coffee"], "lambdas": [30.0, 100.0], "every_lambda": False,
         "layer_left_out": False},
        {"layer": "pool5", "images": ["chelsea"], "lambdas": [0.01, 100.0], "every_lambda": True,
         "layer_left_out": True},
    ]
    text = " ".join(render_partial(REPO / "report", "cnn_tv_sweep", facts).split())
    assert ("diverged at conv2 for coffee with λ<sub>TV</sub> = 30, 100; pool5 for chelsea at every λ<sub>TV</sub>."
            in text)
    assert "a layer with no image left is not in the table" in text
    facts["diverged"] = facts["diverged"][:1]
    text = " ".join(render_partial(REPO / "report", "cnn_tv_sweep", facts).split())
    assert "diverged at conv2 for coffee" in text and "no image left" not in text


@pytest.mark.parametrize("section", smoke_facts.RUN_FILES)
def test_every_section_renders_the_smoke_runs_facts(section):
    assert {p.name.split(".")[0] for p in (REPO / "report/sections").glob("*.html.j2")} == set(smoke_facts.RUN_FILES)
    assert render_partial(REPO / "report", section, smoke_facts.load(section)).strip()


def test_numbers_that_round_to_zero_print_without_a_sign():
    assert (fixed(-0.02, 1), fixed(-0.2, 1), fixed(1234.56, 1)) == ("0.0", "-0.2", "1,234.6")


def test_tiny_numbers_print_in_scientific_notation_and_lists_as_prose():
    assert (significant(7.1e-7, 2), significant(0.054), significant(1870)) == ("7.1e-07", "0.0540", "1,870")
    assert (listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])) == ("a", "a and b", "a, b and c")
