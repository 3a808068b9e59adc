"""The whole DAG, run by Snakemake itself on a tiny config in a temp folder (MNIST subset + synthetic CelebA64)."""

from __future__ import annotations

import re
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest
import smoke_facts
import torch
from conftest import DATASETS, REPO, rule_steps, snakemake
from pypdf import PdfReader

from genlab.core.code import import_closure
from genlab.core.io import read_json

pytestmark = pytest.mark.dag


def test_report_pdf_holds_every_section(run_dir):
    pdf = PdfReader(run_dir / "results/report.pdf")
    assert len(pdf.pages) >= 2
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())  # headings may wrap
    for name in DATASETS:
        assert f"MLP GAN on {name}" in text
        assert f"Loss saturation: conv GANs on {name}" in text
        assert f"GAN inversion on {name}" in text and f"Image restoration on {name}" in text
        assert f"Autoencoder interpolation on {name}" in text
        assert f"Sampling from a moment-matched autoencoder on {name}" in text
        assert f"Measuring the generators on {name}" in text
        assert f"Inverting CNN features: every VGG11 layer, {name}" in text
        assert f"Inverting CNN features: the TV weight, {name}" in text
    assert "VGG11 trained here on mnist" in text  # the report names the backbone's weights
    assert "Theory" in text and "BigGAN" in text
    assert "a seeded subset of 1,200" in text  # the title page names the data actually used
    assert "train_mlp_gan" in text  # the wall-time table
    assert sum(len(page.images) for page in pdf.pages) >= 8 * len(DATASETS)


@pytest.mark.parametrize("name, shape", [("mnist", [1, 28, 28]), ("celeba64", [3, 64, 64])])
def test_figures_and_facts_exist_and_hold_this_run(run_dir, name, shape):
    out = run_dir / "results/mlp_gan" / name
    facts = read_json(out / "facts.json")
    for figure in facts["figures"].values():
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    grids = sorted(p.name for p in (out / "grids").glob("*.png"))
    assert grids == ["step_000100.png", "step_000200.png", "step_000300.png"]
    assert facts["training"]["steps"] == 300 and facts["training"]["image_shape"] == shape
    assert facts["memorisation"]["n_fakes"] == 200
    assert ("coverage" in facts["memorisation"]) == (name == "mnist")  # labels only for MNIST
    history = pd.read_csv(out / "history.csv")
    assert len(history) == 31 and history["d_loss"].nunique() > 1 and history["g_loss"].nunique() > 1


@pytest.mark.parametrize("name", DATASETS)
def test_gan_sweep_outputs_hold_every_run(run_dir, name):
    out = run_dir / "results/gan" / name
    facts = read_json(out / "facts.json")
    for figure in facts["figures"].values():
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(out / "saturation.csv")
    assert sorted(zip(table["loss"], table["k"], strict=True)) == sorted(
        (loss, k) for loss in ("saturating", "nonsaturating", "least_squares") for k in (1, 2))
    assert facts["training"]["image_shape"][0] == (1 if name == "mnist" else 3)
    assert len(pd.read_csv(out / "retrain_d.csv")) == 10  # G at steps 20 and 40, D steps 0, 5, ..., 20 each
    for run in ("saturating_k2_s0", "least_squares_k1_s0"):
        history = pd.read_csv(out / run / "history.csv")
        assert history["step"].tolist() == [1, 5, 10, 15, 20, 25, 30, 35, 40]
        assert history["g_grad_norm"].gt(0).all() and history["d_loss"].nunique() > 1


@pytest.mark.parametrize("name", DATASETS)
def test_latent_probes_hold_every_image_and_mask(run_dir, name):
    out = run_dir / "results/latent" / name
    codes = torch.load(out / "inversion_codes.pt", weights_only=True)
    inversion = pd.read_csv(out / "inversion.csv")
    assert codes["z_no_prior"].shape == (len(inversion), 10 if name == "mnist" else 64)
    assert inversion["no_prior_mse"].notna().all() and (inversion["no_prior_psnr"] > 0).all()
    restoration = pd.read_csv(out / "restoration.csv")
    assert sorted(set(restoration["mask"])) == ["bottom", "center", "random50", "random80"]
    assert len(restoration) == 4 * 3  # masks x (generator, nearest, mean)
    facts = read_json(out / "restoration_facts.json")
    for figure in facts["figures"].values():
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert facts["masks"]["random80"]["visible"] == pytest.approx(0.2, abs=0.03)


@pytest.mark.parametrize("name", DATASETS)
def test_autoencoder_sections_measure_both_variants(run_dir, name):
    out = run_dir / "results/ae" / name
    sampling = read_json(out / "sampling_facts.json")
    assert set(sampling["variants"]) == {"plain", "moments"}
    assert set(sampling["samples"]) == {"GAN", "plain AE", "moments AE", "held-out real"}
    interpolation = pd.read_csv(out / "interpolation.csv")
    assert len(interpolation) == 2 * 3 and set(interpolation["model"]) == {"AE", "GAN"}  # (2 + 1 pairs) x 2 models
    assert interpolation["confidence"].between(0, 1).all()  # the domain classifier along the paths
    for facts in (sampling, read_json(out / "interpolation_facts.json")):
        for figure in facts["figures"].values():
            assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", DATASETS)
def test_every_model_is_measured(run_dir, name):
    out = run_dir / "results/evaluation" / name
    table = pd.read_csv(out / "metrics.csv")
    # floor + ceiling + MLP GAN + 6 conv runs + 2 autoencoders
    assert len(table) == 2 + 1 + 6 + 2 and table[["fid", "kid", "precision", "recall"]].notna().all().all()
    assert table.loc[0, "fid"] < table.loc[1, "fid"]  # real test images beat the pixel-mean ceiling
    assert table["n"].nunique() == 1  # the floor row's n equals the models'
    with np.load(out / "features.npz") as features:  # the array behind every row, and the real reference
        assert set(table["features"]) | {"reference"} <= set(features.files)
        assert all(len(features[key]) == table["n"].iloc[0] for key in table["features"])
    assert read_json(out / "facts.json")["findings"]["floor"]["verdict"] in ("separated", "not_separated")
    truncation = pd.read_csv(out / "truncation.csv")
    assert len(truncation) == 3 and truncation["threshold"].isna().sum() == 1  # 0.5, 1.0 and none
    theory = read_json(run_dir / "results/theory/facts.json")
    assert theory["conv_gradient"]["max_error_input_transposed_conv"] < 1e-12


@pytest.mark.parametrize("name, channels", [("mnist", 1), ("celeba64", 3)])
def test_cnn_inversion_covers_every_layer_and_lambda(run_dir, name, channels):
    out = run_dir / "results/cnn_inversion" / name
    layers = pd.read_csv(out / "layers.csv")
    assert layers["layer"].nunique() == 13 and len(layers) == 13 * 2  # astronaut + one held-out image
    assert layers["image"].iloc[0] == "astronaut" and layers["image"].iloc[1].startswith(f"{name} #")
    sweep = pd.read_csv(out / "tv_sweep.csv")
    assert sorted(set(zip(sweep["layer"], sweep["lambda_tv"], strict=True))) == [
        ("conv1", 1.0), ("conv1", 100.0), ("pool5", 1.0), ("pool5", 100.0)]
    facts = read_json(out / "layers_facts.json")
    assert facts["channels"] == channels and facts["backbone"]["weights"] == "trained"
    for part in ("layers", "tv_sweep"):
        for figure in read_json(out / f"{part}_facts.json")["figures"].values():
            assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_resume_state_is_removed_and_a_second_run_has_nothing_to_do(run_dir):
    assert not list((run_dir / "results/.resume").rglob("*.pt"))
    again = snakemake(run_dir, "--configfile", str(run_dir / "smoke.yaml"), "-n")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr, again.stdout[-4000:]


def test_a_bad_config_stops_before_any_job(tmp_path):
    (tmp_path / "bad.yaml").write_text("mlp_gan: {train: {lr: -1}}\n")
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "bad.yaml"), "--cores", "1")
    assert done.returncode != 0
    assert "config key mlp_gan.train.lr: -1 is less than or equal to the minimum of 0" in done.stderr
    assert not (tmp_path / "results").exists()


def _jobs(dry_run: str) -> dict[str, int]:
    """{rule: job count} from a dry run's "Job stats" table."""
    table = dry_run.split("Job stats:", 1)[1].split("total", 1)[0] if "Job stats:" in dry_run else ""
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


@pytest.mark.parametrize("module", ["genlab/plots/base.py", "genlab/probes/neighbours.py", "genlab/core/data.py"])
def test_editing_a_module_reruns_exactly_the_rules_that_import_it(run_dir, tmp_path, module):
    """Snakemake itself, on a copy of the workflow with one module edited, against this finished run: the jobs it
    would run are exactly those of forcing the rules whose steps import the module (and what depends on them)."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for part in ("Snakefile", "config.yaml", "workflow", "report", "src"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(
            REPO / part, copy / part, **({"ignore": shutil.ignore_patterns("__pycache__", "*.egg-info")}
                                         if (REPO / part).is_dir() else {}))

    def dry_run(*args: str) -> dict[str, int]:
        done = snakemake(run_dir, "--configfile", str(run_dir / "smoke.yaml"), "-n", *args,
                         snakefile=copy / "Snakefile")
        assert done.returncode == 0, done.stderr[-3000:]
        return _jobs(done.stdout + done.stderr)

    importers = {rule for rule, step in rule_steps().items()
                 if copy / "src" / module in import_closure(f"genlab.steps.{step}", copy / "src")}
    assert importers, module
    forced = dry_run("--forcerun", *sorted(importers))
    (copy / "src" / module).write_text((copy / "src" / module).read_text() + "\n# edited\n")
    assert dry_run() == forced


def test_snakemakes_own_report_holds_the_flagged_figures(run_dir):
    done = snakemake(run_dir, "--configfile", str(run_dir / "smoke.yaml"), "--report", str(run_dir / "report.zip"))
    assert done.returncode == 0, done.stderr[-3000:]
    with zipfile.ZipFile(run_dir / "report.zip") as archive:
        names = archive.namelist()
    assert any(name.endswith("nearest_fakes.png") for name in names)
    assert any(name.endswith("restore_center.png") for name in names)


def test_the_pdf_draws_the_rule_graph_and_names_each_figures_rule(run_dir):
    html = (run_dir / "results/report.html").read_text()
    assert '<img src="rulegraph.png">' in html
    assert "[rule <code>analyse_mlp_gan</code>: <code>results/mlp_gan/mnist/curves.png</code>]" in html
    assert "[rule <code>restoration</code>: <code>results/latent/celeba64/restore_center.png</code>]" in html
    figures = html.count("<figure")
    assert html.count('class="source"') == figures  # every figure's caption names its rule


def test_every_facts_file_has_the_one_envelope(run_dir):
    files = sorted((run_dir / "results").rglob("*facts.json"))
    assert len(files) == 9 * len(DATASETS) + 1  # nine sections per dataset, and the theory
    for path in files:
        facts = read_json(path)
        assert {"dataset", "device", "n", "params", "figures"} <= set(facts), path
        assert facts["dataset"] is None or facts["dataset"]["name"] in DATASETS, path


def _keys(value):
    """What a template can read of `value`: its keys, recursively (a list by its first item)."""
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in value.items()}
    return [_keys(value[0])] if isinstance(value, list) and value else None


@pytest.mark.parametrize("section", smoke_facts.RUN_FILES)
def test_committed_section_facts_match_the_smoke_run(run_dir, section):
    """The render tests' fixtures have this run's keys; if not, refresh them (tests/smoke_facts.py)."""
    assert _keys(smoke_facts.load(section)) == _keys(read_json(run_dir / smoke_facts.RUN_FILES[section]))
