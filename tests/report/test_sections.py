"""Every verdict of a section renders, and reads right, from hand-made facts (StrictUndefined: a missing key fails)."""

from __future__ import annotations

import itertools

import pytest
from conftest import REPO

from genlab.findings.evaluation import evaluation_findings
from genlab.report.render import render_partial


def _row(model: str, fid: float, seeds: int = 1, std: float | None = None) -> dict:
    metric = {"mean": 0.5, "std": None if seeds == 1 else 0.01}
    return {"model": model, "n_seeds": seeds, "fid": {"mean": fid, "std": std}, "fid_boot_std": 1.0,
            "kid": {"mean": 12345.6, "std": None}, "precision": metric, "recall": metric,
            "classifier_score": {"mean": 7.891, "std": None}}


def _trunc(threshold, precision, recall, fid=20.0) -> dict:
    return {"threshold": threshold, "precision": precision, "recall": recall, "fid": fid, "kid": 0.01, "n": 1000}


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


@pytest.mark.parametrize("models, trunc, floor", itertools.product(MODEL_TABLES, TRUNCATIONS, FLOORS))
def test_evaluation_section_renders_every_verdict(models, trunc, floor):
    rows = [_row("real test images (floor)", FLOORS[floor]), _row("pixel mean + noise (ceiling)", 100.0),
            *MODEL_TABLES[models]]
    truncation = [_trunc(0.5, *TRUNCATIONS[trunc]), _trunc(None, 0.6, 0.6)]
    findings = evaluation_findings(rows, truncation, n=1000)
    assert findings["truncation"]["verdict"] == trunc and findings["floor"]["verdict"] == floor
    facts = {"dataset": "mnist", "n": 1000, "rows": rows, "findings": findings, "truncation": truncation,
             "truncation_model": "nonsaturating_k1_s0", "figures": {"truncation": "t.png", "truncation_grids": "g.png"},
             "classifier": {"labels": "the dataset's classes", "test_accuracy": 0.98},
             "params": {"classifier": {"steps": 100}, "kid_subsets": 20, "kid_subset_size": 500, "k": 3,
                        "bootstrap": 50}}
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
