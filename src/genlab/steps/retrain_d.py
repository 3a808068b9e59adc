"""Rule retrain_d: freeze trained conv GAN generators (one run per generator seed) at several stages of their
training (their checkpoints' snapshots) and train discriminators from scratch against each, once per D seed."""

from __future__ import annotations

import pandas as pd
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_train_images
from genlab.core.io import write_csv
from genlab.models.nets import from_spec
from genlab.probes.retrain_d import retrain_discriminators


def run(data: str, ckpts: list[str], params: dict, device: str, threads: int, history: str) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["d_seeds"][0], dev)
    _, train = load_train_images(data)
    images = torch.from_numpy(train).to(dev)
    frames = []
    for ckpt in ckpts:
        state = checkpoint.load(ckpt)
        missing = sorted(set(params["stages"]) - set(state["snapshots"]))
        if missing:
            raise ValueError(f"{ckpt} holds generator snapshots at steps {sorted(state['snapshots'])}, not at "
                             f"{missing} (gan.retrain_d.stages): retrain the sweep, or pick stages from those steps")
        g_seed = state["config"]["train"]["seed"]
        for stage in params["stages"]:
            gen = from_spec({**state["gen"], "state_dict": state["snapshots"][stage]}, dev)
            for d_seed in params["d_seeds"]:
                frame = retrain_discriminators(
                    gen, images, steps=params["steps"], batch_size=params["batch_size"], lr=params["lr"],
                    log_every=params["log_every"], eval_batch=params["eval_batch"], seed=d_seed,
                    base_filters=state["config"]["net"]["base_filters"],
                )
                frames.append(frame.assign(generator_seed=g_seed, stage=stage, d_seed=d_seed))
                print(f"G seed {g_seed} at step {stage}, D seed {d_seed}:\n{frame.iloc[[0, -1]].to_string()}")
    write_csv(history, pd.concat(frames, ignore_index=True))


if __name__ == "__main__":
    cli.main(run)
