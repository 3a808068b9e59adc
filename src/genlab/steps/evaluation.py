"""Rule evaluation: FID, KID, precision/recall and the classifier score for every generative model of a dataset,
in the domain classifier's feature space, with reference rows, and the truncation trick on one GAN."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_dataset
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths, write_csv
from genlab.findings.evaluation import evaluation_findings
from genlab.measure.evaluation import by_model, change_se_vs_last, model_group, pixel_ceiling, score_row
from genlab.measure.metrics import save_features
from genlab.models.classifier import features_and_logits
from genlab.models.generate import sample
from genlab.models.nets import from_spec
from genlab.plots.base import plot_sample_panels
from genlab.plots.evaluation import plot_truncation


def load_generator(path: str, device: torch.device) -> torch.nn.Module:
    """The image generator inside a GAN checkpoint (its G) or an autoencoder checkpoint (its decoder)."""
    state = checkpoint.load(path)
    return from_spec(state["gen"], device) if "gen" in state else from_spec(state["ae"], device).decoder


def run(data: str, classifier: str, classifier_summary: str, models: list[dict], truncation_model: str,
        params: dict, device: str, threads: int, table: str, truncation_table: str, truncation: str,
        truncation_grids: str, features: str, facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    clf = from_spec(checkpoint.load(classifier)["classifier"], dev)
    # every row (real reference, floor, ceiling, each model) uses the same n: FID's small-sample bias is then equal
    n = min(params["n_samples"], len(ds.test_idx), len(ds.train_idx))
    gen = torch.Generator().manual_seed(params["seed"])
    train = torch.from_numpy(ds.images[ds.train_idx[torch.randperm(len(ds.train_idx), generator=gen)[:n].numpy()]])
    test = torch.from_numpy(ds.images[ds.test_idx[:n]])
    # the metrics run on the CPU: 2,000 × 128 features are small, FID's eigenvalues would sync the GPU once per
    # bootstrap draw, and TF32 matmuls there would round the distances behind precision and recall
    real_features = features_and_logits(clf, train.to(dev).float() / 255)[0].cpu()

    feature_sets = {"reference": real_features.numpy()}  # the array behind every row, saved for audits

    def scores(images: torch.Tensor, key: str) -> dict:
        with torch.no_grad():
            feats, logits = (t.cpu() for t in features_and_logits(clf, images.to(dev)))
        feature_sets[key] = feats.numpy()
        return {"n": len(images), "features": key, **score_row(real_features, feats, logits, params)}

    trivial = pixel_ceiling(train, n, gen)
    rows = [{"model": "real test images (floor)", "seed": None, **scores(test.float() / 255, "floor")},
            {"model": "pixel mean + noise (ceiling)", "seed": None, **scores(trivial, "ceiling")}]
    for model in models:  # records {"experiment", "seed", "ckpt", ...}
        group = model_group(model)
        key = f"{group} / seed {model['seed']}"
        rows.append({"model": group, "seed": int(model["seed"]),
                     **scores(sample(load_generator(model["ckpt"], dev), n, params["seed"]), key)})
    metrics = pd.DataFrame(rows)
    write_csv(table, metrics)

    g = load_generator(truncation_model, dev)
    thresholds = [*params["truncation"], None]
    trunc_rows, grids = [], {}
    for t in thresholds:
        images = sample(g, n, params["seed"], truncation=t)
        trunc_rows.append({"threshold": t, **scores(images, f"truncation {'none' if t is None else t}")})
        grids["none" if t is None else f"t = {t}"] = images[:64]
    # the s.e. of each row's change against no truncation (the i-th sample of every threshold shares a latent draw)
    fakes = [torch.from_numpy(feature_sets[r["features"]]) for r in trunc_rows]
    for row, se in zip(trunc_rows, change_se_vs_last(real_features, fakes, params), strict=True):  # last: none
        row["precision_se_vs_none"], row["recall_se_vs_none"] = (float(v) for v in se)
    trunc_table = pd.DataFrame(trunc_rows)
    write_csv(truncation_table, trunc_table)
    save_features(features, feature_sets)
    plot_truncation(trunc_table, truncation)
    plot_sample_panels({k: grids[k] for k in list(grids)[:: max(1, len(grids) // 4)]}, truncation_grids)

    rows = by_model(metrics)
    truncation_rows = json.loads(trunc_table.to_json(orient="records"))
    write_facts(facts, {
        "classifier": read_json(classifier_summary),
        "rows": rows, "findings": evaluation_findings(rows, truncation_rows, n),
        "truncation": truncation_rows,
        "truncation_model": Path(truncation_model).parent.name,
        "figures": relative_paths(facts, {"truncation": truncation, "truncation_grids": truncation_grids}),
    }, data_summary=data_summary, device=runtime.describe(dev), n=n, params=params)
    print(metrics.to_string())


if __name__ == "__main__":
    cli.main(run)
