"""A run that diverges is recorded and reported as diverged, and the stages after it still run."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import REPO, snakemake
from pypdf import PdfReader

from genlab.core.io import read_json
from genlab.plots.rulegraph import plot_rulegraph
from genlab.report.render import build_report

pytestmark = pytest.mark.dag


def test_a_diverged_mlp_gan_is_reported_and_its_analysis_still_runs(tmp_path):
    # Adam with lr 1e30 throws D's weights to ~1e30 in one step: G's loss is not finite at step 1
    config = {"device": "cpu", "datasets": {"mnist": {"max_images": 300}},
              "mlp_gan": {"train": {"lr": 1.0e30, "steps": 40, "log_every": 10, "grid_every": 20, "grid_size": 4,
                                    "checkpoint_every": 20},
                          "nearest": {"n_fakes": 50, "n_unlabelled": 2, "n_test": 20}}}
    (tmp_path / "diverge.yaml").write_text(yaml.safe_dump(config))
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "diverge.yaml"), "--cores", "2",
                     "results/mlp_gan/mnist/facts.json")
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "results/mlp_gan/mnist"
    facts = read_json(out / "facts.json")
    assert facts["training"]["diverged_at"] == 1

    plot_rulegraph({"0": "train_mlp_gan", "1": "report"}, [("0", "1")], tmp_path / "results/rulegraph.png")
    pages = build_report([("mlp_gan", str(out / "facts.json"))], [str(tmp_path / "results/data/mnist.json")],
                         json.loads(json.dumps(config)), "test", str(tmp_path / "results/benchmarks"),
                         str(REPO / "report"), str(tmp_path / "results/report.html"),
                         str(tmp_path / "results/report.pdf"), str(tmp_path / "results/rulegraph.png"), [])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "results/report.pdf").pages).split())
    assert pages >= 1
    assert "a loss was not finite at step 1, and training stopped there (after 1 of 40 steps)" in text
