"""Rule retrain_d: freeze a trained conv GAN generator at several stages of its training (its checkpoint's
snapshots) and train discriminators from scratch against each."""

from __future__ import annotations

import pandas as pd
import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_train_images
from genlab.core.io import write_csv
from genlab.models.nets import from_spec
from genlab.probes.retrain_d import retrain_discriminators


def run(data: str, ckpt: str, params: dict, device: str, threads: int, history: str) -> None:
    dev = runtime.pick_device(device)
    seed = params["generator"]["seed"]
    runtime.configure(threads, seed, dev)
    state = checkpoint.load(ckpt)
    missing = sorted(set(params["stages"]) - set(state["snapshots"]))
    if missing:
        raise ValueError(f"{ckpt} holds generator snapshots at steps {sorted(state['snapshots'])}, not at {missing} "
                         "(gan.retrain_d.stages): retrain the sweep, or pick stages from those steps")
    _, train = load_train_images(data)
    images = torch.from_numpy(train).to(dev)
    frames = []
    for stage in params["stages"]:
        gen = from_spec({**state["gen"], "state_dict": state["snapshots"][stage]}, dev)
        frame = retrain_discriminators(
            gen, images, steps=params["steps"], batch_size=params["batch_size"], lr=params["lr"],
            log_every=params["log_every"], eval_batch=params["eval_batch"], seed=seed,
            base_filters=state["config"]["net"]["base_filters"],
        )
        frames.append(frame.assign(stage=stage))
        print(f"G at step {stage}:\n{frame.iloc[[0, -1]].to_string()}")
    write_csv(history, pd.concat(frames, ignore_index=True))


def main(argv: list[str] | None = None) -> None:
    a, out = cli.parse(__doc__, ["data", "ckpt"], ["history"], params="config gan.retrain_d", argv=argv)
    run(a.data, a.ckpt, a.params, a.device, a.threads, out["history"])


if __name__ == "__main__":
    main()
