"""Rule cnn_tv_sweep: the total-variation weight λ_TV swept at a shallow, a middle and a deep VGG11 layer;
each layer one batched problem over images × λ values."""

from __future__ import annotations

import json

import torch

from genlab.core import cli, runtime
from genlab.core.facts import write_facts
from genlab.core.io import relative_paths, write_csv
from genlab.findings.cnn_inversion import tv_verdicts
from genlab.measure.cnn_inversion import tv_facts
from genlab.plots.cnn_inversion import plot_reconstruction_table, plot_tv_metrics
from genlab.probes.cnn_images import load_cnn_probe
from genlab.probes.cnn_inversion import diverged_images, run_inversions, target_layers


def run(data: str, backbone: str, params: dict, device: str, threads: int, table: str, grid: str, metrics: str,
        facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["optimisation"]["seed"], dev)
    net, images, names, sigma0, cfg = load_cnn_probe(data, backbone, params, dev)
    sweep = params["tv_sweep"]
    keep = sweep["n_images"]
    images, names = images[:keep], names[:keep]
    index = dict(target_layers(net.features))
    plan = [(layer, index[layer], sweep["lambdas"]) for layer in sweep["layers"]]
    frame, recons = run_inversions(net, images, names, plan, cfg, sigma0)
    write_csv(table, frame)
    diverged, frame = diverged_images(frame, sweep["lambdas"])

    # rows: every layer × image; columns: the original, then λ_TV ascending
    layers = sweep["layers"]
    columns = {f"λ {lam:g}": torch.cat([recons[(layer, lam)] for layer in layers]) for lam in sorted(sweep["lambdas"])}
    plot_reconstruction_table(images.cpu().repeat(len(layers), 1, 1, 1),
                              [f"{layer} · {name}" for layer in layers for name in names], columns, grid)
    plot_tv_metrics(frame, metrics)
    found = {
        "images": names, "sweep": sweep, "optimisation": params["optimisation"], "diverged": diverged,
        **tv_facts(frame),
        "findings": tv_verdicts(frame),
        "figures": relative_paths(facts, {"grid": grid, "metrics": metrics}),
    }
    write_facts(facts, found, data_summary=data_summary, device=runtime.describe(dev), n=len(names),
                params=params)
    print(json.dumps(found["layers"], indent=1))


if __name__ == "__main__":
    cli.main(run)
