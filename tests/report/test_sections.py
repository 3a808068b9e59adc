"""Every verdict of a section renders, and reads right, from hand-made facts or the smoke run's facts with hand-made
tables (StrictUndefined: a missing key fails)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from conftest import REPO

from genlab.findings.evaluation import evaluation_findings
from genlab.findings.gan import gan_findings
from genlab.findings.mlp_gan import coverage, memorisation
from genlab.findings.restoration import restoration_findings
from genlab.report.render import fixed, render_partial


def _row(model: str, fid: float, seeds: int = 1, std: float | None = None) -> dict:
    metric = {"mean": 0.5, "std": None if seeds == 1 else 0.01}
    return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": std}, "fid_boot_std": 1.0,
            "kid": {"mean": 12345.6, "std": None}, "precision": metric, "recall": metric,
            "classifier_score": {"mean": 7.891, "std": None}}


def _trunc(threshold, precision, recall, fid=20.0) -> dict:
    return {"threshold": threshold, "precision": precision, "recall": recall, "fid": fid, "kid": 0.01, "n": 1000}


def _evaluation_facts(rows: list[dict], truncation: list[dict], findings: dict) -> dict:
    """The evaluation step's facts around hand-made tables and their findings, n = 1,000 samples per row."""
    return {"dataset": {"name": "mnist"}, "n": 1000, "rows": rows, "findings": findings, "truncation": truncation,
            "truncation_model": "nonsaturating_k1_s0", "figures": {"truncation": "t.png", "truncation_grids": "g.png"},
            "classifier": {"labels": "the dataset's classes", "test_accuracy": 0.98},
            "params": {"classifier": {"steps": 100}, "kid_subsets": 20, "kid_subset_size": 500, "k": 3,
                       "bootstrap": 50}}


# tables that drive each verdict of the section (see tests/findings/test_evaluation.py for the decisions themselves)
MODEL_TABLES = {
    "clear_best": [_row("A", 20), _row("B", 40, seeds=3, std=1)],
    "tied_with_runner_up": [_row("A", 20), _row("B", 21)],
    "only_model": [_row("A", 20)],
    "worse_than_ceiling": [_row("A", 20), _row("B", 300)],
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
    if models == "tied_with_runner_up":
        assert "no clear difference" in text
    if models == "worse_than_ceiling":
        assert "Clearly worse than the trivial ceiling: B" in text
    if trunc == "trade_off":
        assert "That is the fidelity/diversity trade-off" in text
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
    assert ("At looser thresholds precision did rise beyond its noise: at t = 1.0, most at t = 1.0 (0.2" in text) == (
        looser == "rose_at_looser")
    assert ("None of the looser thresholds (t = 1.0, 2.0) raised precision" in text) == (looser == "not_at_looser")
    assert not any(claim in text for claim in ("buys nothing", "no trade-off", "at these thresholds"))


LOSS_HITS = {"clearly_more": (6, 0, 0), "not_clearly_more": (1, 0, 0), "all_saturated": (3, 3, 3),
             "none_saturated": (0, 0, 0)}
K_HITS = {"more_with_higher_k": (0, 9), "fewer_with_higher_k": (9, 0), "no_clear_difference": (0, 2)}
RETRAIN_DECADES = {  # saturating, non-saturating falls per frozen G (decades), driving each retrain verdict
    "reproduced": ((-2.0, -1.5, -1.2), (0.1, 0.0, -0.1)),
    "weaker": ((-0.9, -0.6, -0.5), (0.1, 0.0, -0.1)),
    "not_shown": ((0.0, 0.1, 0.0), (-1.0, -1.2, -0.9)),
    "no_clear_difference": ((-1.0, 0.2, -0.1), (0.1, -0.9, 0.0)),
}
D_FAKE_LAST = {"all": (0.001, 0.005, 0.009), "some": (0.001, 0.02, 0.3), "none": (0.02, 0.1, 0.5)}


def _retrain_stages(facts: dict, verdict: str, d_optimal: str) -> list[dict]:
    """The smoke run's first retrain stage, copied to three generators whose numbers drive `verdict`."""
    sat, nonsat = RETRAIN_DECADES[verdict]
    out = []
    for i, (s_dec, n_dec, d_fake) in enumerate(zip(sat, nonsat, D_FAKE_LAST[d_optimal], strict=True)):
        st = json.loads(json.dumps(facts["retrain"]["stages"][0]))
        st.update(stage=1000 * (i + 1), d_fake_last=d_fake)
        st["grad"]["saturating"]["decades"], st["grad"]["nonsaturating"]["decades"] = s_dec, n_dec
        out.append(st)
    return out


@pytest.mark.parametrize("loss, k, retrain", list(itertools.product(LOSS_HITS, K_HITS, RETRAIN_DECADES)))
def test_gan_section_renders_every_verdict(run_dir, loss, k, retrain):
    """The smoke run's facts, with its tables replaced by ones that drive each verdict."""
    facts = json.loads((run_dir / "results/gan/mnist/facts.json").read_text())
    groups = [{**facts["by_loss"][0], "loss": name, "n_saturated": hits, "n_runs": 6}
              for name, hits in zip(("saturating", "nonsaturating", "least_squares"), LOSS_HITS[loss], strict=True)]
    k_groups = [{**facts["by_k"][0], "k": kk, "n_saturated": hits, "n_runs": 9}
                for kk, hits in zip((1, 5), K_HITS[k], strict=True)]
    facts["retrain"]["stages"] = _retrain_stages(facts, retrain, "all")
    facts.update(by_loss=groups, by_k=k_groups,
                 findings=gan_findings(groups, k_groups, facts["retrain"]["stages"]))
    assert (facts["findings"]["by_loss"]["verdict"], facts["findings"]["by_k"]["verdict"],
            facts["findings"]["retrain"]["verdict"]) == (loss, k, retrain)
    text = " ".join(render_partial(REPO / "report", "gan", facts).split())
    assert ("Arjovsky &amp; Bottou's observation, reproduced" in text) == (retrain == "reproduced")
    assert ("fell alike" in text) == (retrain == "no_clear_difference")
    assert ("beyond chance" in text) == (loss == "clearly_more" or k != "no_clear_difference")
    if k == "no_clear_difference":
        assert "is no clear difference at this number of runs" in text


@pytest.mark.parametrize("d_optimal, sentence", [
    ("all", "Against every one of these generators D became near-optimal"),
    ("some", "but not within"), ("none", "Against none of these generators"),
])
def test_gan_section_says_against_which_generators_d_became_near_optimal(run_dir, d_optimal, sentence):
    facts = json.loads((run_dir / "results/gan/mnist/facts.json").read_text())
    facts["retrain"]["stages"] = _retrain_stages(facts, "weaker", d_optimal)
    facts["findings"]["retrain"] = gan_findings(facts["by_loss"], facts["by_k"], facts["retrain"]["stages"])["retrain"]
    assert facts["findings"]["retrain"]["d_optimal"] == d_optimal
    text = " ".join(render_partial(REPO / "report", "gan", facts).split())
    assert sentence in text and "1,000" in text and "3,000" in text


RESTORATION_GAINS = {"gains_everywhere": (3.0, 1.0), "loses_somewhere": (3.0, -1.0), "ties_somewhere": (3.0, 0.01)}
SHAPES = {"scattered_easier": 0.0, "overlap": 5.0, "no_clear_difference": 2.99}  # the block mask's extra gain


@pytest.mark.parametrize("verdict, shape", list(itertools.product(RESTORATION_GAINS, SHAPES)))
def test_restoration_section_renders_every_verdict(run_dir, verdict, shape):
    facts = json.loads((run_dir / "results/latent/mnist/restoration_facts.json").read_text())
    spread = 0.1 * np.array([-1.0, 1.0, -0.5, 0.5, 0.0])
    scattered, block = RESTORATION_GAINS[verdict]
    if verdict == "gains_everywhere":
        block += SHAPES[shape]
    per_image = {"random80": {"kind": "random", "generator": 20 + scattered + spread, "mean": np.full(5, 20.0),
                              "nearest": np.full(5, 21.0)},
                 "center": {"kind": "center", "generator": 20 + block + spread, "mean": np.full(5, 20.0),
                            "nearest": np.full(5, 21.0)}}
    facts["findings"] = restoration_findings(per_image)
    assert facts["findings"]["verdict"] == verdict
    text = " ".join(render_partial(REPO / "report", "restoration", facts).split())
    assert ("is worse than pasting the mean training image" in text) == (verdict == "loses_somewhere")
    assert ("is not clearly better than pasting" in text) == (verdict == "ties_somewhere")
    assert ("beats the mean-image fill on every mask" in text) == (verdict == "gains_everywhere")


RECOVERY = {"recovered": {"fell_at": 100, "step": 900}, "never_recovered": {"fell_at": 100, "step": None},
            "never_fell": {"fell_at": None, "step": None}}
BALANCE = ["d_separates", "d_ahead", "near_equilibrium", "borderline"]


@pytest.mark.parametrize("recovered, balanced", list(itertools.product(RECOVERY, BALANCE)))
def test_mlp_gan_section_renders_every_verdict(run_dir, recovered, balanced):
    facts = json.loads((run_dir / "results/mlp_gan/mnist/facts.json").read_text())
    facts["history"]["recovery"] = {**RECOVERY[recovered], "level": 0.3, "verdict": recovered}
    facts["history"]["balance"].update(gap=0.5, se=0.01, verdict=balanced)
    text = " ".join(render_partial(REPO / "report", "mlp_gan", facts).split())
    assert ("G first brought it back above 0.3 at step 900" in text) == (recovered == "recovered")
    assert ("no clear verdict on the balance" in text) == (balanced == "borderline")
    assert "first pushed mean D(G(z)) above 0.3" not in text  # the untrained D's ½ at step 1 is no event


EQUAL_SETS = {"copies": 0.9, "slightly_closer_to_train": 0.54, "no_clear_difference": 0.5, "closer_to_held_out": 0.4}
COVERAGE = {"even": [0.1] * 10, "uneven": [0.3] + [0.7 / 9] * 9, "classes_missing": [0.105] * 9 + [0.005]}


@pytest.mark.parametrize("copying, spread", list(itertools.product(EQUAL_SETS, COVERAGE)))
def test_mlp_gan_memorisation_renders_every_verdict(run_dir, copying, spread):
    facts = json.loads((run_dir / "results/mlp_gan/mnist/facts.json").read_text())
    m = facts["memorisation"]
    m["equal_sets"] = {"n_each": 100, **memorisation(EQUAL_SETS[copying], 2000)}
    m["coverage"]["findings"] = coverage(COVERAGE[spread], 2000)
    assert (m["equal_sets"]["verdict"], m["coverage"]["findings"]["verdict"]) == (copying, spread)
    text = " ".join(render_partial(REPO / "report", "mlp_gan", facts).split())
    assert ("the signature of memorisation" in text) == (copying == "copies")
    assert ("some classes are missing" in text) == (spread == "classes_missing")


DIFFERENCES = ["higher", "lower", "no clear difference"]


@pytest.mark.parametrize("axes, recon, nearer", list(itertools.product(
    ["uncorrelated", "correlated"], DIFFERENCES, ["nearer", "farther", "no clear difference"])))
def test_sampling_section_renders_every_verdict(run_dir, axes, recon, nearer):
    facts = json.loads((run_dir / "results/ae/mnist/sampling_facts.json").read_text())
    fi = facts["findings"]
    fi["independence"]["moments"].update(verdict=axes, p=0.2 if axes == "uncorrelated" else 1e-9)
    fi["recon_cost"].update(verdict=recon, mean={"higher": 0.005, "lower": -0.005}.get(recon, 0.0001))
    fi["nearer"]["verdict"] = nearer
    text = " ".join(render_partial(REPO / "report", "sampling", facts).split())
    assert ("N(0, I) now covers the region the decoder knows" in text) == ((axes, nearer) == ("uncorrelated", "nearer"))
    assert ("are not jointly N(0, I)" in text) == (axes == "correlated")
    assert ("p &lt; 0.001" in text) == (axes == "correlated")  # autoescaped HTML


@pytest.mark.parametrize("verdict, crossfade", list(itertools.product(
    ["gan_more_plausible", "ae_more_plausible", "no_clear_difference", "no_classifier"], DIFFERENCES)))
def test_interpolation_section_renders_every_verdict(run_dir, verdict, crossfade):
    facts = json.loads((run_dir / "results/ae/mnist/interpolation_facts.json").read_text())
    facts["findings"]["verdict"] = verdict
    facts["findings"]["crossfade"]["verdict"] = crossfade
    text = " ".join(render_partial(REPO / "report", "interpolation", facts).split())
    assert ("interpolates more plausibly here" in text) == verdict.endswith("more_plausible")
    assert "more direct" not in text  # a path as short as its ends is a cross-fade, not a virtue


SCALES = ["fine_dominates", "coarse_dominates", "no clear difference"]


@pytest.mark.parametrize("scale, nearest", list(itertools.product(
    SCALES, ["gan_better", "nearest_better", "no clear difference"])))
def test_inversion_section_renders_every_verdict(run_dir, scale, nearest):
    facts = json.loads((run_dir / "results/latent/mnist/inversion_facts.json").read_text())
    facts["findings"]["scale"]["verdict"] = scale
    facts["findings"]["against_nearest"]["verdict"] = nearest
    for verdicts, key in ((("outside", "inside", "no clear difference"), "code_norm"),
                          (("costs", "helps", "no clear difference"), "prior_cost"),
                          (("matter", "hardly", "no clear difference"), "restarts")):
        for verdict in verdicts:  # every branch of the other paragraphs, with this scale and nearest verdict
            facts["findings"][key]["verdict"] = verdict
            text = " ".join(render_partial(REPO / "report", "inversion", facts).split())
            assert ("the coarse layout is reproduced" in text) == (scale == "fine_dominates")
            assert ("range reaches beyond the examples it saw" in text) == (nearest == "gan_better")


@pytest.mark.parametrize("depth, pools, match, kind", [
    (d, p, m, k) for d, p, m, k in itertools.product(
        ["steady_fall", "falls", "no_clear_trend"], ["pool_loses_more", "conv_loses_more", "no_clear_difference"],
        ["matched", "loose", "no_clear_verdict"], ["dataset_kept_more", "natural_kept_more", "no_clear_difference",
                                                   "too_few_images"])
    if (p, m) == ("no_clear_difference", "loose") or (d, k) == ("steady_fall", "too_few_images")])
def test_cnn_layers_section_renders_every_verdict(run_dir, depth, pools, match, kind):
    facts = json.loads((run_dir / "results/cnn_inversion/mnist/layers_facts.json").read_text())
    v = facts["findings"]
    v["depth"]["verdict"], v["pool_vs_conv"]["verdict"], v["match"]["verdict"] = depth, pools, match
    v["pool_vs_conv"]["pools_gain"] = pools == "conv_loses_more"  # drive the pool-gain caveat with one branch
    v["by_kind"] = {"delta": 1.0, "se": 0.1, "verdict": kind}
    text = " ".join(render_partial(REPO / "report", "cnn_layers", facts).split())
    assert ("the next conv layer is what cannot be inverted" not in text)
    assert ("The optimisation matched the features everywhere" in text) == (match == "matched")
    assert ("cannot hold more than it" in text) == (pools == "conv_loses_more")


@pytest.mark.parametrize("hf, fit, peak", list(itertools.product(["all", "some", "none"], repeat=3)))
def test_cnn_tv_sweep_section_renders_every_verdict(run_dir, hf, fit, peak):
    facts = json.loads((run_dir / "results/cnn_inversion/mnist/tv_sweep_facts.json").read_text())
    facts["findings"].update(hf=hf, fit=fit, peak=peak)
    text = " ".join(render_partial(REPO / "report", "cnn_tv_sweep", facts).split())
    assert ("the regulariser is what keeps the inversion an image" in text) == (hf == fit == "all")
    assert "diverged" not in text or facts["diverged"]
    looks = facts["findings"]["peak_looks"]
    assert f"picked from the {looks} larger ones" in text and f"corrected for {looks} looks" in text


def test_cnn_tv_sweep_section_names_the_images_that_diverged(run_dir):
    facts = json.loads((run_dir / "results/cnn_inversion/mnist/tv_sweep_facts.json").read_text())
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


def test_numbers_that_round_to_zero_print_without_a_sign():
    assert (fixed(-0.02, 1), fixed(-0.2, 1), fixed(1234.56, 1)) == ("0.0", "-0.2", "1,234.6")
