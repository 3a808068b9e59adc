"""Rule analyse_gan: the "Loss saturation" section of one dataset, its figures, table and facts.json."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from genlab.core import cli
from genlab.core.facts import write_facts
from genlab.core.io import read_json, relative_paths, write_csv
from genlab.findings.gan import K_LOSS, gan_findings
from genlab.findings.training import training_facts
from genlab.measure.saturation import fall, loss_shapes, saturation
from genlab.plots.gan import plot_loss_shapes, plot_retrain_d, plot_sample_table, plot_sweep_curves
from genlab.train.losses import LOSSES


def run_table(histories: list[str], summaries: list[str], criterion: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per run (loss, k, seed, saturation verdict, end-of-training numbers), and all histories stacked."""
    rows, frames = [], []
    for history_path, summary_path in zip(histories, summaries, strict=True):
        summary = read_json(summary_path)
        cfg = summary["config"]["train"]
        history = pd.read_csv(history_path)
        run = {"loss": cfg["loss"], "k": cfg["d_steps"], "seed": cfg["seed"]}
        frames.append(history.assign(**run))
        final = training_facts(history)["final"]
        rows.append({
            **run, **saturation(history, **criterion),
            "final_d_fake": final["d_fake"], "final_d_real": final["d_real"], "final_grad_norm": final["g_grad_norm"],
            "final_logit_grad": final["logit_grad"], "diverged_at": summary["diverged_at"],
            "wall_s": summary["wall_s"], "group_size": summary["group_size"], "steps_per_s": summary["steps_per_s"],
        })
    return pd.DataFrame(rows), pd.concat(frames, ignore_index=True)


def group_counts(table: pd.DataFrame, by: list[str]) -> list[dict]:
    grouped = table.groupby(by, sort=False).agg(
        n_runs=("seed", "size"), n_saturated=("saturated", "sum"), first_from_step=("from_step", "min"),
        mean_final_d_fake=("final_d_fake", "mean"), mean_final_logit_grad=("final_logit_grad", "mean"),
        mean_final_grad_norm=("final_grad_norm", "mean"), n_diverged=("diverged_at", "count"),
    ).reset_index()
    return json.loads(grouped.to_json(orient="records"))  # plain types, NaN -> null


def retrain_facts(frame: pd.DataFrame) -> dict:
    """One record per retraining (generator seed × D seed × stage): each loss's ‖∇G‖ fall in orders of magnitude
    (tail-window median against peak-window median; the peak, not the first value, is the reference because an
    untrained D passes little gradient to any loss), and D's outputs over the tail window."""
    runs = []
    for (g_seed, d_seed, stage), part in frame.groupby(["generator_seed", "d_seed", "stage"], sort=True):
        runs.append({
            "generator_seed": int(g_seed), "d_seed": int(d_seed), "stage": int(stage),
            "d_fake_tail": fall(part["d_fake"])["tail"],
            "d_real_tail": fall(part["d_real"])["tail"],
            "grad": {loss: fall(part[f"grad_{loss}"]) for loss in LOSSES},
        })
    return {"d_steps": int(frame["d_step"].max()), "window": runs[0]["grad"]["saturating"]["window"],
            "stages": sorted(frame["stage"].unique().tolist()), "d_seeds": sorted(frame["d_seed"].unique().tolist()),
            "generator_seeds": sorted(frame["generator_seed"].unique().tolist()), "runs": runs}


def run(data_summary: str, histories: list[str], summaries: list[str], grids: list[str], retrain: str,
        criterion: dict, retrain_generator: dict, shapes: str, curves: str, samples: str, retrain_figure: str,
        table: str, facts: str) -> None:
    sweep, frame = run_table(histories, summaries, criterion)
    write_csv(table, sweep)

    d = np.linspace(0.001, 0.999, 500)
    plot_loss_shapes(loss_shapes(d), d, shapes)
    plot_sweep_curves(frame, curves)
    first_seed = sweep["seed"].min()
    finals = {}
    for (_, row), folder in zip(sweep.iterrows(), grids, strict=True):
        if row["seed"] == first_seed:
            last_grid = sorted(Path(folder).glob("step_*.png"))[-1]
            finals[(row["loss"], int(row["k"]))] = np.asarray(Image.open(last_grid).convert("RGB"))
    plot_sample_table(finals, samples)
    retrain_frame = pd.read_csv(retrain)
    plot_retrain_d(retrain_frame, retrain_generator["seed"], retrain_figure)

    first_summary = read_json(summaries[0])
    # by k: within the saturating loss, the one whose gradient is expected to depend on how strong D gets
    loss_groups, k_groups = group_counts(sweep, ["loss"]), group_counts(sweep[sweep["loss"] == K_LOSS], ["k"])
    retrain_found = retrain_facts(retrain_frame)
    write_facts(facts, {
        "training": {"device": first_summary["device"], "image_shape": first_summary["image_shape"],
                     "config": first_summary["config"],
                     "total_wall_s": float((sweep["wall_s"] / sweep["group_size"]).sum()),  # a group's wall once
                     "mean_steps_per_s": float(sweep["steps_per_s"].mean())},
        "criterion": criterion,
        "runs": json.loads(sweep.to_json(orient="records")),
        "by_loss_k": group_counts(sweep, ["loss", "k"]),
        "by_loss": loss_groups,
        "by_k": k_groups,
        "by_k_losses": [K_LOSS] if k_groups else [],
        "seeds": sorted(int(s) for s in sweep["seed"].unique()),
        "samples_seed": int(first_seed),
        "retrain": {**retrain_found, "generator": retrain_generator},
        "findings": gan_findings(loss_groups, k_groups, retrain_found["runs"]),
        "figures": relative_paths(facts, {"shapes": shapes, "curves": curves, "samples": samples,
                                          "retrain_figure": retrain_figure}),
    }, data_summary=data_summary, device=first_summary["device"], n=len(sweep),
        params={"saturation": criterion, "retrain_generator": retrain_generator})


if __name__ == "__main__":
    cli.main(run)
