"""Rule restoration: fill masked held-out images through a frozen generator, against generator-free baselines.

All masks × images × restarts are one batched latent optimisation of min_z ‖M ⊙ (G(z) − I)‖².
"""

from __future__ import annotations

import pandas as pd
import torch

from genlab.core import cli, runtime
from genlab.core.facts import write_facts
from genlab.core.io import relative_paths, write_csv
from genlab.findings.restoration import restoration_findings
from genlab.plots.latent import plot_image_rows
from genlab.probes.inversion import load_probe
from genlab.probes.latent import fit_latents
from genlab.probes.masks import make_masks
from genlab.probes.restoration import composite, nearest_visible, region_scores

METHODS = ("generator", "nearest", "mean")  # G(z) composite; nearest training image on visible pixels; mean fill


def run(data: str, ckpt: str, params: dict, device: str, threads: int, figures: list[str], table: str,
        facts: str, data_summary: str | None = None) -> None:
    """`figures`: one per mask, in the order of params["masks"]."""
    figures = dict(zip(params["masks"], figures, strict=True))
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds, gen, idx, targets = load_probe(data, ckpt, params["n_images"], params["seed"], dev)
    train = torch.from_numpy(ds.images[ds.train_idx]).to(dev).float() / 255
    mean_image = train.mean(0, keepdim=True)
    n, size = len(idx), targets.shape[-1]

    names = list(params["masks"])
    masks = {name: make_masks(params["masks"][name], n, size, params["seed"] + i).to(dev)
             for i, name in enumerate(names)}
    fit = fit_latents(gen, targets.repeat(len(names), 1, 1, 1), torch.cat([masks[m] for m in names]),
                      restarts=params["restarts"], steps=params["steps"], lr=params["lr"],
                      prior_weight=params["prior_weight"], seed=params["seed"])

    rows, per_image = [], {}
    for i, name in enumerate(names):
        m = masks[name]
        restored = fit.images[i * n : (i + 1) * n]
        fills = {"generator": restored, "nearest": nearest_visible(targets, m, train), "mean": mean_image}
        results = {method: composite(targets, m, fill) for method, fill in fills.items()}
        scores = {method: region_scores(results[method], targets, m) for method in METHODS}
        for method in METHODS:
            rows.append({"mask": name, "method": method, "visible": float(m.mean()),
                         **{k: float(v.mean()) for k, v in scores[method].items()}})
        per_image[name] = {"kind": params["masks"][name]["kind"],
                           **{method: scores[method]["psnr_missing"].cpu().tolist() for method in METHODS}}
        plot_image_rows({"original": targets, "masked": targets * m, "restored G(z)": restored,
                         "composite": results["generator"], "nearest fill": results["nearest"]},
                        figures[name], n_show=10)
    frame = pd.DataFrame(rows)
    write_csv(table, frame)

    summary = {}
    for name in names:
        sub = frame[frame["mask"] == name].set_index("method")
        summary[name] = {"spec": params["masks"][name], "visible": float(sub["visible"].iloc[0]),
                         "scores": {method: sub.loc[method].drop(["mask", "visible"]).to_dict() for method in METHODS},
                         "best_method": str(sub["psnr_missing"].idxmax())}
    write_facts(facts, {
        "n_images": n, "masks": summary,
        "findings": restoration_findings(per_image), "figures": relative_paths(facts, figures),
    }, data_summary=data_summary, device=runtime.describe(dev), n=n, params=params)
    print(frame.to_string())


if __name__ == "__main__":
    cli.main(run)
