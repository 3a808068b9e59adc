"""Rule sampling: sampling from autoencoders through N(0, I) codes, against the GAN — the moment-matching study."""

from __future__ import annotations

import json

import numpy as np
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_dataset
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths
from genlab.findings.noise import paired
from genlab.findings.sampling import independence, nearer_the_data
from genlab.models.generate import sample
from genlab.models.nets import from_spec
from genlab.plots.base import plot_sample_panels
from genlab.plots.sampling import plot_latent_moments
from genlab.probes.memorisation import nearest_training_distances
from genlab.probes.neighbours import mean_pairwise_distance
from genlab.train.ae import encode


def _sample_measures(images: torch.Tensor, train: torch.Tensor, seed: int, draws: int = 200) -> dict:
    """Crude, classifier-free sample measures: distance to the training set (realism, with the bootstrap s.e. of
    its median over the samples) and spread (diversity)."""
    nn_d, _ = nearest_training_distances(images, train)
    rng = np.random.default_rng(seed)
    medians = [np.median(rng.choice(nn_d, len(nn_d))) for _ in range(draws)]
    return {"median_nn_distance": float(np.median(nn_d)), "median_se": float(np.std(medians, ddof=1)),
            "diversity": mean_pairwise_distance(images[:500])}


def run(data: str, ae_ckpts: list[str], summaries: list[str], gan_ckpt: str, params: dict, device: str,
        threads: int, out: dict[str, str], data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    train = torch.from_numpy(ds.images[ds.train_idx]).to(dev).float() / 255
    test_u8 = torch.from_numpy(ds.images[ds.test_idx[: params["n_samples"]]]).to(dev)
    test = test_u8.float() / 255

    runs = [read_json(s) for s in summaries]
    variants = list(dict.fromkeys(r["variant"] for r in runs))
    first = {v: next(i for i, r in enumerate(runs) if r["variant"] == v) for v in variants}
    gen = from_spec(checkpoint.load(gan_ckpt)["gen"], dev)
    samples = {"GAN": sample(gen, params["n_samples"], params["seed"])}
    independent, recon_mse = {}, {}
    for v in variants:
        ae = from_spec(checkpoint.load(ae_ckpts[first[v]])["ae"], dev)
        samples[f"{v} AE"] = sample(ae.decoder, params["n_samples"], params["seed"])  # z ~ N(0, I), as for G
        with torch.no_grad():
            independent[v] = independence(encode(ae, test_u8).cpu().double().numpy())  # held-out codes
            recon_mse[v] = (ae(test)[1] - test).pow(2).flatten(1).mean(1).cpu().numpy()  # per held-out image
    plot_sample_panels({name: imgs[:64] for name, imgs in samples.items()}, out["samples"])
    plot_latent_moments({v: runs[first[v]]["test_moments"] for v in variants}, out["moments"])

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
    measures = {name: _sample_measures(imgs, train, params["seed"]) for name, imgs in samples.items()}
    measures["held-out real"] = _sample_measures(test, train, params["seed"])
    findings = {"independence": independent}
    if {"plain", "moments"} <= set(variants):
        findings["recon_cost"] = paired(recon_mse["moments"], recon_mse["plain"])
        mom, plain = measures["moments AE"], measures["plain AE"]
        findings["nearer"] = nearer_the_data(mom["median_nn_distance"], mom["median_se"],
                                             plain["median_nn_distance"], plain["median_se"])
    write_facts(out["facts"], {
        "variants": per_variant, "samples": measures,
        "findings": findings,
        "latent_dim": int(gen.latent_dim),
        "moment_weights": runs[first[variants[-1]]]["config"]["train"]["moment_weights"],
        "training_device": runs[0]["device"], "wall_s": float(sum(r["wall_s"] for r in runs)),
        "steps": runs[0]["steps"], "recon": runs[0]["config"]["train"]["recon"],
        "figures": relative_paths(out["facts"], {"samples": out["samples"], "moments": out["moments"]}),
    }, data_summary=data_summary, device=runtime.describe(dev), n=params["n_samples"], params=params)
    print(json.dumps(measures, indent=1))


def main(argv: list[str] | None = None) -> None:
    a, out = cli.parse(__doc__, ["data", "data_summary", "ckpts", "summaries", "gan"], ["samples", "moments", "facts"],
                       params="config ae.sampling", many=["ckpts", "summaries"], argv=argv)
    run(a.data, a.ckpts, a.summaries, a.gan, a.params, a.device, a.threads, out, a.data_summary)


if __name__ == "__main__":
    main()
