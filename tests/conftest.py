"""Shared test helpers: small data written by the tests themselves (no downloads)."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from genlab.core.config import experiments

REPO = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())  # full-scale settings: tests override what they shrink


def snakemake(workdir: Path, *args: str, snakefile: Path = REPO / "Snakefile") -> subprocess.CompletedProcess:
    """Run this repository's workflow (or a copy's `snakefile`) in `workdir` with the test interpreter's environment
    on PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    cmd = [sys.executable, "-m", "snakemake", "-s", str(snakefile), "-d", str(workdir), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)  # the smoke DAG: ~8.5 min here


RULE = re.compile(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", re.M | re.S)


def rule_steps() -> dict[str, str]:
    """rule name → the genlab step its shell runs, read from workflow/rules/*.smk; checks that the rule's code
    version hashes that same step."""
    steps = {}
    for smk in sorted((REPO / "workflow/rules").glob("*.smk")):
        for name, body in RULE.findall(smk.read_text()):
            shells = set(re.findall(r'step_shell\("(\w+)"', body))
            codes = set(re.findall(r'step_code\("(\w+)"', body))
            if shells or codes:
                assert shells == codes and len(shells) == 1, f"rule {name}: shell runs {shells}, code hashes {codes}"
                steps[name] = shells.pop()
    return steps


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> Path:
    """An MNIST-format IDX file (unsigned bytes) for `array`."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


@pytest.fixture
def idx_folder(tmp_path: Path) -> Path:
    """Four tiny IDX files: 30 train and 10 test 28×28 digits with labels, train ones gzipped."""
    rng = np.random.default_rng(0)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (30, 28, 28)), compress=True)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.arange(30) % 10, compress=True)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", rng.integers(0, 256, (10, 28, 28)))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.arange(10) % 10)
    return tmp_path


def synthetic_faces(n: int = 40, seed: int = 0) -> np.ndarray:
    """(N, 64, 64, 3) uint8 channels last, as CelebA64: smooth colour blobs, not noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:64, 0:64] / 63.0
    images = np.empty((n, 64, 64, 3), dtype=np.uint8)
    for i in range(n):
        cy, cx, r = rng.uniform(0.3, 0.7, 2).tolist() + [rng.uniform(0.15, 0.35)]
        face = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r**2))
        for c in range(3):
            images[i, :, :, c] = np.clip(255 * (rng.uniform(0.2, 0.5) + rng.uniform(0.3, 0.6) * face), 0, 255)
    return images


def synthetic_celeba(path: Path, n: int = 40, seed: int = 0) -> Path:
    """A CelebA64-format array (the course's .npy)."""
    np.save(path, synthetic_faces(n, seed))
    return path


def synthetic_celeba_folder(root: Path, n: int = 40, seed: int = 0) -> Path:
    """CelebA as users have it: a folder of n JPEGs of 178×218 (img_align_celeba's size), the synthetic faces
    upscaled to fill the centre 108×108 square that config/celeba_folder.yaml crops."""
    from PIL import Image

    root.mkdir(parents=True, exist_ok=True)
    for i, face in enumerate(synthetic_faces(n, seed)):
        canvas = Image.new("RGB", (178, 218), (40, 40, 40))
        canvas.paste(Image.fromarray(face).resize((108, 108)), ((178 - 108) // 2, (218 - 108) // 2))
        canvas.save(root / f"{i + 1:06d}.jpg", quality=95)
    return root


DATASETS = ["mnist", "celeba64"]


@pytest.fixture
def one_thread():
    """torch on one thread for a simulation of many small problems: faster than spread over two cores, and it does
    not fight other tests for a shared machine's cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """The whole DAG, run once per session on the tiny smoke config (MNIST subset + synthetic CelebA64).
    GENLAB_SMOKE_DIR names a folder to run it in instead of a fresh one: a second session there reruns only the rules
    whose code changed (for editing one section without waiting on the whole DAG)."""
    keep = os.environ.get("GENLAB_SMOKE_DIR")
    work = Path(keep) if keep else tmp_path_factory.mktemp("dag")
    work.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((REPO / "tests/config/smoke.yaml").read_text())
    if not (work / "celeba64").exists():  # a kept folder's copy is left alone: rewriting it would rerun its DAG
        synthetic_celeba_folder(work / "celeba64", n=60)
    # CelebA as its release has it, a folder of JPEGs, with config/celeba_folder.yaml's crop; the path is relative
    # to the run folder (snakemake -d), so that a copy of a kept GENLAB_SMOKE_DIR stays up to date
    config["datasets"]["celeba64"] = {**yaml.safe_load((REPO / "config/celeba_folder.yaml").read_text())["datasets"][
        "celeba64"], "path": "celeba64", "test_fraction": 0.2}
    for experiment in experiments(CONFIG):  # every experiment of config.yaml, smoke.yaml sizes only some
        config.setdefault(experiment, {})["datasets"] = DATASETS
    (work / "smoke.yaml").write_text(yaml.safe_dump(config))
    # one thread per job, so that two jobs share the two cores of a CI machine: the tiny jobs' start-up (imports)
    # and single-threaded stretches overlap instead of queueing behind one 2-thread job at a time
    done = snakemake(work, "--configfile", str(work / "smoke.yaml"), "--cores", "2", "--max-threads", "1")
    assert done.returncode == 0, done.stderr[-5000:]
    return work
