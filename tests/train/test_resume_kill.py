"""SIGKILL a training process midway; the rerun resumes from its last checkpoint and ends where an
uninterrupted run ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from conftest import CONFIG

from genlab.core.data import Dataset, save_dataset

pytestmark = pytest.mark.dag

PARAMS = {"arch": "mlp", "net": {"latent_dim": 8, "hidden": 32, "init_std": 0.075},
          "train": {**CONFIG["mlp_gan"]["train"], "steps": 3000, "batch_size": 16, "log_every": 100,
                    "grid_every": 1000, "grid_size": 4, "checkpoint_every": 200, "seed": 0},
          "runs": [{"loss": "nonsaturating", "seed": 0}]}


def _train(tmp, name, resume):
    out = tmp / name
    cmd = [sys.executable, "-m", "genlab.steps.train_gan", "--data", str(tmp / "d.npz"), "--params",
           json.dumps(PARAMS), "--device", "cpu", "--threads", "1", "--resume", str(resume),
           "--ckpt", str(out / "ckpt.pt"), "--history", str(out / "history.csv"), "--grids", str(out / "grids"),
           "--summary", str(out / "training.json")]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_sigkill_then_rerun_resumes_and_matches(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (64, 1, 8, 8), dtype=np.uint8)
    save_dataset(tmp_path / "d.npz", Dataset(images, np.zeros(64, np.int64), np.arange(56), np.arange(56, 64), "t"))

    straight = _train(tmp_path, "straight", tmp_path / "straight_state.pt")
    assert straight.wait(timeout=300) == 0

    resume = tmp_path / "killed_state.pt"
    victim = _train(tmp_path, "killed", resume)
    deadline = time.time() + 120
    while not resume.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert resume.exists(), "no checkpoint appeared"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert not (tmp_path / "killed" / "history.csv").exists()  # nothing that looks complete

    rerun = _train(tmp_path, "killed", resume)
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert "resumed from" in output
    resumed_at = int(output.split("at step ")[1].split()[0])
    assert 200 <= resumed_at < 3000 and resumed_at % 200 == 0  # lost less than one checkpoint interval
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "killed" / "history.csv"),
                                  pd.read_csv(tmp_path / "straight" / "history.csv"))
    assert not resume.exists()  # removed once the final outputs are written
