"""Rule sampling: sampling from autoencoders through N(0, I) codes, against the GAN — the moment-matching study.
Precision and recall come from the domain classifier's features (the evaluation section's), measured on replicate
draws here, so that their comparison has a noise; the rule needs only the classifier, not the evaluation."""

from __future__ import annotations

import json

import numpy as np
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_dataset
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths
from genlab.findings.sampling import across_seeds, as_intended, coverage, independence, recon_cost
from genlab.measure.metrics import precision_recall
from genlab.models.classifier import features_and_logits
from genlab.models.generate import sample
from genlab.models.nets import from_spec
from genlab.plots.base import plot_sample_panels
from genlab.plots.sampling import plot_latent_moments
from genlab.probes.neighbours import mean_pairwise_distance
from genlab.train.ae import encode


def coverage_draws(decoders: dict, held_out: torch.Tensor, train: np.ndarray, clf: torch.nn.Module,
                   params: dict) -> dict[str, dict[str, np.ndarray]]:
    """Precision and recall (k-NN, Kynkäänniemi et al.) of each decoder's N(0, I) samples against training images,
    once per draw: every draw decodes fresh z, the same for every decoder (so comparisons are paired), and takes a
    fresh random set of n training images (uint8 `train`) as the reference. `held_out` (real images in [0, 1]) is
    scored likewise: what a generator that draws from the data itself scores."""
    n, seed, k = params["n_samples"], params["seed"], params["k"]
    device = held_out.device
    pick = np.random.default_rng(seed)
    scores = {name: {"precision": [], "recall": []} for name in [*decoders, "held-out real"]}
    with torch.no_grad():
        held = features_and_logits(clf, held_out)[0].cpu()
        for draw in range(params["draws"]):
            chosen = torch.from_numpy(train[pick.choice(len(train), min(n, len(train)), replace=False)])
            reference = features_and_logits(clf, chosen.to(device).float() / 255)[0].cpu()
            feats = {name: features_and_logits(clf, sample(decoder, n, seed + draw))[0].cpu()
                     for name, decoder in decoders.items()}
            for name, f in {**feats, "held-out real": held}.items():
                precision, recall = precision_recall(reference, f, k)
                scores[name]["precision"].append(precision)
                scores[name]["recall"].append(recall)
    return {name: {key: np.asarray(v) for key, v in s.items()} for name, s in scores.items()}


def precision_gains(ckpts: dict[tuple[str, int], str], scores: dict, seed0: int, held_out: torch.Tensor,
                    train: np.ndarray, clf: torch.nn.Module, params: dict) -> tuple[list[int], list[float]]:
    """moments − plain precision, averaged over the draws, for every training seed that has both runs (`scores`
    already holds `seed0`'s), so that the moment losses are judged over seeds, not from one pair of runs."""
    seeds = sorted(s for v, s in ckpts if v == "moments" and ("plain", s) in ckpts)
    gains = []
    for seed in seeds:
        if seed != seed0:
            pair = {f"{v} AE": from_spec(checkpoint.load(ckpts[(v, seed)])["ae"], held_out.device).decoder
                    for v in ("moments", "plain")}
            scores = coverage_draws(pair, held_out, train, clf, params)
        gains.append(float((scores["moments AE"]["precision"] - scores["plain AE"]["precision"]).mean()))
    return seeds, gains


def _summary(values: np.ndarray) -> dict:
    return {"mean": float(values.mean()), "se": float(values.std(ddof=1) / np.sqrt(len(values))), "n": len(values)}


def run(data: str, ckpts: list[str], summaries: list[str], gan: str, classifier: str | None, params: dict,
        device: str, threads: int, samples: str, moments: str, facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    test_u8 = torch.from_numpy(ds.images[ds.test_idx[: params["n_samples"]]]).to(dev)
    test = test_u8.float() / 255

    runs = [read_json(s) for s in summaries]
    variants = list(dict.fromkeys(r["variant"] for r in runs))
    first = {v: next(i for i, r in enumerate(runs) if r["variant"] == v) for v in variants}
    gen = from_spec(checkpoint.load(gan)["gen"], dev)
    decoders = {"GAN": gen}
    independent, recon_mse = {}, {}
    for v in variants:
        ae = from_spec(checkpoint.load(ckpts[first[v]])["ae"], dev)
        decoders[f"{v} AE"] = ae.decoder  # z ~ N(0, I), as for G
        with torch.no_grad():
            independent[v] = independence(encode(ae, test_u8).cpu().double().numpy())  # held-out codes
            recon_mse[v] = (ae(test)[1] - test).pow(2).flatten(1).mean(1).cpu().numpy()  # per held-out image
    shown = {name: sample(decoder, params["n_samples"], params["seed"]) for name, decoder in decoders.items()}
    plot_sample_panels({name: imgs[:64] for name, imgs in shown.items()}, samples)
    plot_latent_moments({v: runs[first[v]]["test_moments"] for v in variants}, moments)

    per_variant = {}
    for v in variants:
        mine = [r for r in runs if r["variant"] == v]
        m = {k: np.asarray(x) for k, x in runs[first[v]]["test_moments"].items()}
        per_variant[v] = {
            "test_mse": float(np.mean([r["test_mse"] for r in mine])), "n_seeds": len(mine),
            "mean_abs_mean": float(np.abs(m["mean"]).mean()), "mean_var": float(m["var"].mean()),
            "var_range": [float(m["var"].min()), float(m["var"].max())], "mean_kurt": float(m["kurt"].mean()),
            "max_abs_mean": float(np.abs(m["mean"]).max()),
        }
    measures = {name: {"diversity": mean_pairwise_distance(imgs[:500])} for name, imgs in shown.items()}
    measures["held-out real"] = {"diversity": mean_pairwise_distance(test[:500])}
    findings = {"independence": independent, "classifier": classifier is not None}
    if {"plain", "moments"} <= set(variants):
        findings["recon_cost"] = recon_cost(recon_mse["moments"], recon_mse["plain"])
    if classifier and {"plain", "moments"} <= set(variants):
        clf = from_spec(checkpoint.load(classifier)["classifier"], dev).eval()
        train = ds.images[ds.train_idx]
        scores = coverage_draws(decoders, test, train, clf, params)
        for name, s in scores.items():
            measures[name].update({key: _summary(values) for key, values in s.items()})
        findings.update({key: coverage(scores["moments AE"][key], scores["plain AE"][key])
                         for key in ("precision", "recall")})
        by_run = {(r["variant"], r["seed"]): path for r, path in zip(runs, ckpts, strict=True)}
        seeds, gains = precision_gains(by_run, scores, runs[first["moments"]]["seed"], test, train, clf, params)
        findings["seeds"] = {**across_seeds(np.asarray(gains)), "seeds": seeds, "gains": gains}
        findings["as_intended"] = as_intended(findings["seeds"], independent["moments"])
    write_facts(facts, {
        "variants": per_variant, "samples": measures,
        "findings": findings,
        "latent_dim": int(gen.latent_dim),
        "moment_weights": runs[first[variants[-1]]]["config"]["train"]["moment_weights"],
        "training_device": runs[0]["device"], "wall_s": float(sum(r["wall_s"] for r in runs)),
        "steps": runs[0]["steps"], "recon": runs[0]["config"]["train"]["recon"],
        "figures": relative_paths(facts, {"samples": samples, "moments": moments}),
    }, data_summary=data_summary, device=runtime.describe(dev), n=params["n_samples"], params=params)
    print(json.dumps(measures, indent=1))


if __name__ == "__main__":
    cli.main(run)
