"""CelebA as a folder: decoding 202,599 JPEGs of 178×218 to 64×64 (source: folder), its speed and peak memory.

Makes the folder itself (synthetic 178×218 JPEGs, about CelebA's file size: smooth blobs with fine texture; 1,024
distinct images written round-robin, since decoding costs the same whatever the file holds), then runs in a fresh
process what `python -m genlab.steps.prepare_data` runs (list, decode, check, save the npz), timing each phase, while
a sampler here sums the proportional set size (PSS: shared pages split between the processes that map them) of that
process and its decoding workers every 50 ms. Peak memory is reported above a process that only does the imports,
against the target of 1.5 × the final array. CPU seconds of the process and its workers (getrusage) over the
threads estimate the wall time on cores that nothing else uses, for a machine shared while measuring.

`--compare K` first times the two candidate decoders on the first K files, CPU time per image in one process
(the CelebA crop, and crop none): PIL as genlab.core.folder decodes where torchvision is not used, against
torchvision's `decode_jpeg` + centre crop + `interpolate(bilinear, antialias=True)`; then genlab's `decode_image`
over 2 threads against `decode_files` over 2 processes (wall time).

Needs ~2 GB of disk for the JPEGs and ~2.5 GB for the npz at full size, in --workdir (default: a temp folder).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

N_CELEBA = 202_599
SIZE = (178, 218)  # CelebA's aligned images, width × height
DISTINCT = 1024

RUN = """
import json, sys, time
t0 = time.perf_counter()
from genlab.core.data import check_usable, load_source, save_dataset
from genlab.core.io import write_json
import PIL.Image, tqdm  # noqa: F401  (what the decoding imports lazily: counted as imports)
t1 = time.perf_counter()
spec, out, threads = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
if spec == "imports only":
    time.sleep(0.5)  # let the sampler see the settled process
    sys.exit(0)
ds = load_source(spec, threads=threads, progress=False)
t2 = time.perf_counter()
check_usable(ds, "benchmark")
save_dataset(out, ds)
write_json(out + ".json", ds.summary())
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "decode_s": t2 - t1, "save_s": t3 - t2, "shape": list(ds.images.shape),
                  "array_bytes": int(ds.images.nbytes), "skipped": len(ds.info["skipped"])}))
"""


def make_folder(root: Path, n: int) -> float:
    """n synthetic CelebA-sized JPEGs under root (flat, like img_align_celeba); returns the mean file size."""
    from PIL import Image

    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    w, h = SIZE
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    blobs = []
    for _ in range(min(n, DISTINCT)):
        cy, cx, r = rng.uniform(0.35, 0.65) * h, rng.uniform(0.35, 0.65) * w, rng.uniform(30, 60)
        face = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r**2))[..., None]
        colour = rng.uniform(60, 200, 3) * face + rng.uniform(20, 120, 3) * (1 - face)
        texture = rng.normal(0, 3, (h, w, 3))
        buf = io.BytesIO()
        Image.fromarray(np.clip(colour + texture, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=90)
        blobs.append(buf.getvalue())
    for i in range(n):
        (root / f"{i + 1:06d}.jpg").write_bytes(blobs[i % len(blobs)])
    return float(np.mean([len(b) for b in blobs]))


def tree_pss(pid: int) -> int:
    """Bytes of PSS of `pid` and its children (the forked decoders), 0 for a process that is gone."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measured(args: list[str]) -> dict:
    """Run the decode script in a fresh process; its wall time, peak PSS over the process tree and its output."""
    proc = subprocess.Popen([sys.executable, "-c", RUN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_pss(proc.pid))
            time.sleep(0.05)

    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and its joined workers
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode:
        raise RuntimeError(f"the decode process failed:\n{err[-3000:]}")
    result = json.loads(out) if out.strip() else {}
    return {"wall_s": wall, "cpu_s": cpu, "peak_pss_bytes": peak[0], **result}


def compare(files: list[Path], crop: int, size: int, repeats: int = 3) -> dict:
    """CPU seconds per image of PIL (genlab's decode_image) and of torchvision's decode_jpeg + interpolate."""
    import warnings

    import torch
    import torch.nn.functional as F
    from torchvision.io import ImageReadMode, decode_jpeg

    warnings.filterwarnings("ignore", "The image decoding", DeprecationWarning)  # torchvision.io, since 0.29

    from genlab.core import decode
    from genlab.core.decode import Decoding, decode_files, decode_image

    def pil_one(path: Path, how: Decoding) -> np.ndarray:
        """decode_image with its torchvision route closed: PIL alone, as where torchvision has no decoder."""
        route, decode._torchvision_jpeg = decode._torchvision_jpeg, lambda *args: None
        try:
            return decode_image(path, how)
        finally:
            decode._torchvision_jpeg = route

    torch.set_num_threads(1)

    def torchvision_one(path: Path, side: int | None) -> np.ndarray:
        raw = torch.frombuffer(bytearray(path.read_bytes()), dtype=torch.uint8)
        x = decode_jpeg(raw, mode=ImageReadMode.RGB)  # (3, H, W)
        _, h, w = x.shape
        side = side or min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        x = x[None, :, top : top + side, left : left + side]
        return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True)[0].numpy()

    rates = {}
    for label, side in ((f"crop {crop}", crop), ("crop none", None)):
        how = Decoding(size, side, "rgb", False)
        candidates = {"pil": lambda f, how=how: pil_one(f, how),
                      "torchvision": lambda f, side=side: torchvision_one(f, side)}
        times = {name: [] for name in candidates}
        for _ in range(repeats):  # interleaved, so that a change in the machine's load hits both
            for name, one in candidates.items():
                start = time.process_time()
                for f in files:
                    one(f)
                times[name].append(time.process_time() - start)
        for name, t in times.items():
            rates[f"{name}, {label}: images/s per core (CPU time)"] = len(files) / statistics.median(t)
    how = Decoding(size, crop, "rgb", False)
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda f: decode_image(f, how), files, chunksize=64))
    rates["genlab, 2 threads: images/s (wall)"] = len(files) / (time.perf_counter() - start)
    start = time.perf_counter()
    decode_files(files, how, threads=2)
    rates["genlab, 2 processes (decode_files): images/s (wall)"] = len(files) / (time.perf_counter() - start)
    return rates


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=N_CELEBA, help="images (default: CelebA's 202,599)")
    p.add_argument("--threads", type=int, default=2, help="decoding processes (the rule's threads)")
    p.add_argument("--crop", type=int, default=108, help="centre crop side (CelebA's common 108)")
    p.add_argument("--size", type=int, default=64, help="output side")
    p.add_argument("--workdir", default=None, help="where the JPEGs and the npz go (default: a temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the JPEG folder for another run (reused if complete)")
    p.add_argument("--compare", type=int, default=0, metavar="K", help="also compare decoders on K files")
    a = p.parse_args(argv)

    work = Path(a.workdir or tempfile.mkdtemp(prefix="genlab-folder-"))
    root = work / "img_align_celeba"
    start = time.perf_counter()
    reused = root.is_dir() and len(os.listdir(root)) == a.n
    mean_file = None if reused else make_folder(root, a.n)
    made_s = time.perf_counter() - start
    spec = {"source": "folder", "path": str(root), "crop": a.crop, "size": a.size, "color": "rgb", "labels": "none",
            "on_bad": "error", "allow_upsample": False, "test_fraction": 0.05, "seed": 0, "max_images": 0}
    result = {"n": a.n, "threads": a.threads, "crop": a.crop, "size": a.size, "made_folder_s": made_s,
              "reused_folder": reused, "mean_jpeg_bytes": mean_file, "load_avg_1min": [os.getloadavg()[0]]}
    try:
        if a.compare:
            files = sorted(root.iterdir())[: a.compare]
            result["compare"] = compare(files, a.crop, a.size)
        imports = measured([json.dumps("imports only"), "", "1"])
        run = measured([json.dumps(spec), str(work / "celeba64.npz"), str(a.threads)])
    finally:
        (work / "celeba64.npz").unlink(missing_ok=True)
        (work / "celeba64.npz.json").unlink(missing_ok=True)
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
    above = run["peak_pss_bytes"] - imports["peak_pss_bytes"]
    result.update({
        "decode_images_per_s": a.n / run["decode_s"],
        "step_wall_s": run["wall_s"], "step_cpu_s": run["cpu_s"],
        # what the step would take with its cores to itself: CPU seconds over the cores, or the wall time if longer
        "step_wall_on_idle_cores_s": run["cpu_s"] / a.threads, "import_s": run["import_s"], "decode_s": run["decode_s"],
        "save_s": run["save_s"], "shape": run["shape"],
        "array_bytes": run["array_bytes"], "imports_pss_bytes": imports["peak_pss_bytes"],
        "peak_pss_bytes": run["peak_pss_bytes"], "peak_above_imports_bytes": above,
        "peak_above_imports_per_array": above / run["array_bytes"],
        "targets": {"wall_s": 180, "peak_above_imports_per_array": 1.5},
    })
    result["load_avg_1min"].append(os.getloadavg()[0])
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
