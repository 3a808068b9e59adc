"""Rule cnn_layers: Mahendran & Vedaldi inversion of every conv and max-pool layer of VGG11,
each layer one batched problem over the images, with that layer's λ_TV from the config."""

from __future__ import annotations

import json

from genlab.core import cli, runtime
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths, write_csv
from genlab.findings.cnn_inversion import layer_verdicts
from genlab.measure.cnn_inversion import layer_facts
from genlab.plots.cnn_inversion import plot_depth_metrics, plot_reconstruction_table
from genlab.probes.cnn_images import load_cnn_probe
from genlab.probes.cnn_inversion import run_inversions, target_layers


def run(data: str, backbone: str, backbone_summary: str, params: dict, device: str, threads: int, table: str,
        grid: str, metrics: str, facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["optimisation"]["seed"], dev)
    net, images, names, sigma0, cfg = load_cnn_probe(data, backbone, params, dev)
    layers = target_layers(net.features)
    plan = [(name, index, [params["lambda_tv"][name]]) for name, index in layers]
    frame, recons = run_inversions(net, images, names, plan, cfg, sigma0)
    if frame["diverged"].any():  # every layer at its own λ_TV is the section: a missing one has no stand-in
        bad = sorted(frame.loc[frame["diverged"], "layer"].unique())
        raise FloatingPointError(f"feature inversion diverged at {bad} (λ_TV {[params['lambda_tv'][b] for b in bad]}); "
                                 "lower cnn_inversion.optimisation.lr or those layers' lambda_tv")
    write_csv(table, frame)

    order = [name for name, _ in layers]
    plot_reconstruction_table(images.cpu(), names, {name: recons[(name, params["lambda_tv"][name])] for name in order},
                              grid)
    plot_depth_metrics(frame, order, metrics)
    found = {
        "backbone": read_json(backbone_summary), "images": names,
        "image_size": params["images"]["size"], "channels": net.channels, "optimisation": params["optimisation"],
        "lambda_tv": params["lambda_tv"],
        **layer_facts(frame, order, params["images"]["natural"], params["lambda_tv"]),
        "findings": layer_verdicts(frame, order, params["images"]["natural"], params["lambda_tv"]),
        "figures": relative_paths(facts, {"grid": grid, "metrics": metrics}),
    }
    write_facts(facts, found, data_summary=data_summary, device=runtime.describe(dev), n=len(names),
                params=params)
    print(json.dumps({k: found[k] for k in ("largest_drop", "max_feature_error", "by_kind")}, indent=1))


if __name__ == "__main__":
    cli.main(run)
