from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from genlab.core import checkpoint
from genlab.core.data import load_source, save_dataset
from genlab.models.nets import ConvGenerator, to_spec
from genlab.probes.retrain_d import retrain_discriminators
from genlab.steps import retrain_d


def test_fix_g_retrain_d_logs_every_loss_and_leaves_g_untouched():
    torch.manual_seed(0)
    gen = ConvGenerator(4, (1, 28, 28), base_filters=4)
    before = [p.clone() for p in gen.parameters()]
    images = torch.randint(0, 256, (40, 1, 28, 28), dtype=torch.uint8)
    frame = retrain_discriminators(gen, images, steps=60, batch_size=8, lr=2e-3, log_every=20, eval_batch=16,
                                   seed=0, base_filters=4)
    assert frame["d_step"].tolist() == [0, 20, 40, 60]
    for loss in ("saturating", "nonsaturating", "least_squares"):
        assert np.isfinite(frame[f"grad_{loss}"]).all() and (frame[f"grad_{loss}"] > 0).all()
    assert frame["d_fake"].iloc[-1] < 0.1 < 0.4 < frame["d_fake"].iloc[0]  # D learns to reject this G's fakes
    assert all(torch.equal(b, a) for b, a in zip(before, gen.parameters(), strict=True))


def test_the_step_retrains_every_generator_seed_stage_and_d_seed(tmp_path):
    """One record set per (generator seed, stage, D seed), labelled so that analyse_gan can average within a generator
    seed: the generator seeds are the independent units."""
    ds = load_source({"source": "bundled", "max_images": 60, "test_fraction": 0.2, "seed": 0})
    save_dataset(tmp_path / "data.npz", ds)
    ckpts = []
    for seed in (3, 7):
        torch.manual_seed(seed)
        gen = ConvGenerator(4, (1, 28, 28), base_filters=4)
        path = tmp_path / f"s{seed}.pt"
        checkpoint.save(path, {"gen": to_spec(gen), "snapshots": {10: gen.state_dict(), 20: gen.state_dict()},
                               "config": {"train": {"seed": seed}, "net": {"base_filters": 4}}})
        ckpts.append(str(path))
    params = {"stages": [10, 20], "d_seeds": [0, 1], "steps": 4, "batch_size": 8, "lr": 2e-3, "log_every": 2,
              "eval_batch": 8}
    retrain_d.run(str(tmp_path / "data.npz"), ckpts, params, "cpu", 1, str(tmp_path / "retrain.csv"))
    frame = pd.read_csv(tmp_path / "retrain.csv")
    assert len(frame) == 2 * 2 * 2 * 3  # generator seeds × stages × D seeds × logged D steps (0, 2, 4)
    assert sorted(frame.groupby(["generator_seed", "stage", "d_seed"]).groups) == [
        (g, st, d) for g in (3, 7) for st in (10, 20) for d in (0, 1)]
