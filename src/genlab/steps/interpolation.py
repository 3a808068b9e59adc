"""Rule interpolation: autoencoder and GAN latent interpolation between the same held-out images, measured."""

from __future__ import annotations

import pandas as pd
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_dataset
from genlab.core.facts import write_facts
from genlab.core.io import relative_paths, write_csv
from genlab.findings.interpolation import interpolation_findings
from genlab.models.nets import from_spec
from genlab.plots.latent import plot_image_rows
from genlab.probes.interpolation import classifier_measures, line, path_measures, pick_pairs


def run(data: str, ae: str, gan: str, codes: str, classifier: str | None, params: dict, device: str,
        threads: int, figure: str, table: str, facts: str, data_summary: str | None = None) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    autoencoder = from_spec(checkpoint.load(ae)["ae"], dev).eval()
    gen = from_spec(checkpoint.load(gan)["gen"], dev).eval()
    inverted = checkpoint.load(codes)  # the inversion's held-out images and their GAN codes (no prior)
    idx = inverted["indices"].numpy()
    images = torch.from_numpy(ds.images[idx]).to(dev).float() / 255
    train = torch.from_numpy(ds.images[ds.train_idx]).to(dev).float() / 255
    alphas = torch.linspace(0, 1, params["alphas"], device=dev)
    clf = from_spec(checkpoint.load(classifier)["classifier"], dev).eval() if classifier else None

    with torch.no_grad():
        codes_by_model = {"AE": autoencoder.encoder(images), "GAN": inverted["z_no_prior"].to(dev)}
        decoders = {"AE": autoencoder.decoder, "GAN": gen}
        rows, paths = [], {}
        for p, (i, j, kind) in enumerate(pick_pairs(ds.labels[idx], params["across"], params["within"],
                                                     params["seed"])):
            for model, z in codes_by_model.items():
                path = decoders[model](line(z[i], z[j], alphas))  # (A, C, H, W)
                paths[f"{p + 1} {model}"] = path
                rows.append({"pair": p + 1, "kind": kind, "model": model, "from": int(idx[i]), "to": int(idx[j]),
                             "labels": f"{ds.labels[idx[i]]}→{ds.labels[idx[j]]}" if ds.has_labels else "",
                             "endpoint_mse": float(((path[0] - images[i]).pow(2).mean() +
                                                    (path[-1] - images[j]).pow(2).mean()) / 2),
                             **path_measures(path, train),
                             **(classifier_measures(clf(path)) if clf is not None else {})})
    frame = pd.DataFrame(rows)
    write_csv(table, frame)
    plot_image_rows(paths, figure, n_show=len(alphas))

    columns = ["nn_distance", "length_ratio", "max_jump_share", "endpoint_mse"]
    columns += ["confidence", "entropy"] if clf is not None else []
    means = frame.groupby(["kind", "model"])[columns].mean()
    write_facts(facts, {
        "n_pairs": int(frame["pair"].nunique()),
        "pairs": frame[frame["model"] == "AE"][["pair", "kind", "labels"]].to_dict("records"),
        "by_kind": {kind: {model: means.loc[(kind, model)].to_dict() for model in ("AE", "GAN")}
                    for kind in frame["kind"].unique()},
        "overall": {model: frame[frame["model"] == model][columns].mean().to_dict() for model in ("AE", "GAN")},
        "classifier": clf is not None,
        "findings": interpolation_findings(frame),
        "figures": relative_paths(facts, {"paths": figure}),
    }, data_summary=data_summary, device=runtime.describe(dev), n=int(frame["pair"].nunique()), params=params)
    print(means.to_string())


if __name__ == "__main__":
    cli.main(run)
