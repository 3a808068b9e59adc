"""Rule inversion: GAN inversion of held-out images, with and without a ‖z‖² prior, and what it gets wrong."""

from __future__ import annotations

import json

import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.facts import write_facts
from genlab.core.io import relative_paths, write_csv
from genlab.findings.inversion import inversion_findings
from genlab.plots.latent import plot_error_map, plot_error_vs_attributes, plot_reconstructions
from genlab.probes.inversion import (
    error_location,
    focus_region,
    image_attributes,
    image_table,
    load_probe,
    per_image_measures,
)
from genlab.probes.latent import fit_latents
from genlab.probes.memorisation import nearest_training_distances

VARIANTS = ("no_prior", "prior")


def run(data: str, ckpt: str, params: dict, device: str, threads: int, codes: str, table: str, figure: str,
        error_map: str, scatter: str, facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds, gen, idx, targets = load_probe(data, ckpt, params["n_images"], params["seed"], dev)

    fits, tables = {}, {}
    for variant, weight in zip(VARIANTS, (0.0, params["prior_weight"]), strict=True):
        fits[variant] = fit_latents(gen, targets, restarts=params["restarts"], steps=params["steps"], lr=params["lr"],
                                    prior_weight=weight, seed=params["seed"])
        tables[variant] = image_table(fits[variant].images, targets).add_prefix(f"{variant}_")
    train = torch.from_numpy(ds.images[ds.train_idx]).to(dev).float() / 255
    nn_dist, nn_idx = nearest_training_distances(targets, train)
    nn_images = train[torch.from_numpy(nn_idx).to(dev)]
    frame = (image_table(nn_images, targets).add_prefix("nearest_")
             .join([tables[v] for v in VARIANTS]).join(image_attributes(targets)))
    frame.insert(0, "label", ds.labels[idx])
    frame.insert(0, "index", idx)
    write_csv(table, frame)
    checkpoint.save(codes, {"indices": torch.from_numpy(idx), "generator": ckpt,
                                   **{f"z_{v}": fits[v].z.cpu() for v in VARIANTS}})

    reported = "no_prior"  # a fixed choice, not a winner: the variant the error map, scatter and findings describe
    region, region_name = focus_region(targets, ds.has_labels)
    plot_reconstructions(targets, {"no prior": fits["no_prior"].images, f"prior {params['prior_weight']:g}":
                         fits["prior"].images, "nearest training image": nn_images}, figure)
    plot_error_map(targets, fits[reported].images, error_map)
    plot_error_vs_attributes(frame, f"{reported}_mse", scatter)

    latent_dim = fits[reported].z.shape[1]
    found = {
        "n_images": len(idx), "latent_dim": latent_dim,
        "variants": {
            v: {"mse": float(frame[f"{v}_mse"].mean()), "psnr": float(frame[f"{v}_psnr"].mean()),
                "ssim": float(frame[f"{v}_ssim"].mean()), "z_norm": float(fits[v].z.norm(dim=1).mean()),
                "curve": fits[v].curve}
            for v in VARIANTS
        },
        "nearest": {"mse": float(frame["nearest_mse"].mean()), "psnr": float(frame["nearest_psnr"].mean()),
                    "ssim": float(frame["nearest_ssim"].mean()),
                    "frac_gan_better": float((frame[f"{reported}_mse"] < frame["nearest_mse"]).mean())},
        "location": {**error_location(fits[reported].images, targets, region), "region": region_name},
    }
    per_image = per_image_measures(frame, fits[reported], targets, region, params["seed"])
    found["findings"] = inversion_findings(per_image, latent_dim, ds.labels[idx] if ds.has_labels else None)
    found["figures"] = relative_paths(facts, {"figure": figure, "error_map": error_map, "scatter": scatter})
    write_facts(facts, found, data_summary=data_summary, device=runtime.describe(dev), n=len(idx), params=params)
    print(json.dumps({"nearest": found["nearest"], "location": found["location"],
                      "spearman": found["findings"]["spearman"]}, indent=1))


if __name__ == "__main__":
    cli.main(run)
