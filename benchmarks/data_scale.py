"""CelebA64 at full size: does prepare_data and a training step's data load hold at most one copy of the images?

Builds a synthetic array in the course's format, (202,599, 64, 64, 3) uint8 (2.5 GB), chunk by chunk on disk,
then runs in fresh processes, each under /usr/bin/time for its peak resident memory and wall time:
- `python -m genlab.steps.prepare_data` on it (the rule's command), and
- the load every training step does (`genlab.core.data.load_train_images`, then the tensor the loop trains on).
Prints one JSON object: bytes of one copy, each process's peak RSS in bytes and as a multiple of one copy, seconds.
Needs ~5 GB of free disk in --workdir (the .npy and the .npz) and ~6 GB of memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SHAPE = (202_599, 64, 64, 3)  # CelebA64 as the course ships it

LOAD = """
import sys, torch
from genlab.core.data import load_train_images
ds, train = load_train_images(sys.argv[1])
images = torch.from_numpy(train)  # what train_gan puts on the device (no copy on the CPU)
print(tuple(images.shape), int(images[-1].float().mean() >= 0))
"""


def synthetic(path: Path, shape: tuple[int, ...], chunk: int = 8192) -> None:
    """A uint8 .npy of `shape`, written chunk by chunk (never whole in memory): noise over a smooth gradient."""
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.uint8, shape=shape)
    rng = np.random.default_rng(0)
    ramp = np.linspace(0, 160, shape[1], dtype=np.float32)[None, :, None, None]
    for start in range(0, shape[0], chunk):
        n = min(chunk, shape[0] - start)
        noise = rng.integers(0, 96, (n, *shape[1:]), dtype=np.uint8)
        out[start : start + n] = (noise + ramp).astype(np.uint8)
    out.flush()
    del out


def measured(cmd: list[str]) -> dict:
    """Peak RSS (bytes) and wall seconds of one fresh process, from GNU time."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M %e", *cmd], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{cmd[:4]} failed:\n{done.stderr[-2000:]}")
    rss_kb, wall = done.stderr.strip().splitlines()[-1].split()
    return {"peak_rss_bytes": int(rss_kb) * 1024, "wall_s": float(wall), "stdout": done.stdout.strip()[-200:]}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=SHAPE[0], help="images (default: CelebA's 202,599)")
    p.add_argument("--workdir", default=None, help="where the 2 x 2.5 GB files go (default: a temp folder)")
    a = p.parse_args(argv)
    shape = (a.n, *SHAPE[1:])
    with tempfile.TemporaryDirectory(dir=a.workdir) as tmp:
        npy, npz = Path(tmp) / "celeba64.npy", Path(tmp) / "celeba64.npz"
        synthetic(npy, shape)
        spec = {"source": "npy", "path": str(npy), "test_fraction": 0.05, "seed": 0, "max_images": 0}
        prepare = measured([sys.executable, "-m", "genlab.steps.prepare_data", "--name", "celeba64",
                            "--spec", json.dumps(spec), "--data", str(npz), "--summary", str(Path(tmp) / "s.json")])
        load = measured([sys.executable, "-c", LOAD, str(npz)])
        # each process's interpreter and imports alone, so that what is left is the data
        baselines = {"prepare_data": measured([sys.executable, "-c", "import genlab.steps.prepare_data"]),
                     "training_load": measured([sys.executable, "-c", "import torch, genlab.core.data"])}
    one_copy = int(np.prod(shape))
    result = {"shape": list(shape), "one_copy_bytes": one_copy}
    for name, run in (("prepare_data", prepare), ("training_load", load)):
        base = baselines[name]["peak_rss_bytes"]
        result[name] = {**run, "imports_rss_bytes": base,
                        "copies_above_imports": round((run["peak_rss_bytes"] - base) / one_copy, 2)}
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
