"""The whole DAG's time: Snakemake's per-job benchmark files summed per rule, and the wall time of the run.

The sum is the work (what a serial run would take); the wall time is what a user waits; their ratio is the
parallelism the scheduler got out of `--cores` and `gpu=1`. Prints one JSON object.

    python benchmarks/dag.py --cores 4                        # a fresh temp dir, config.yaml (full scale)
    python benchmarks/dag.py --cores 2 --configfile config/quick.yaml
    python benchmarks/dag.py --existing results/benchmarks    # only sum the files of an earlier run
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def sum_benchmarks(folder: Path) -> dict:
    """Seconds per rule from `<folder>/<rule>/<job>.tsv` (Snakemake's `s` column; a repeated job counts its mean)."""
    rules: dict[str, dict] = defaultdict(lambda: {"jobs": 0, "s": 0.0})
    for tsv in sorted(folder.glob("*/*.tsv")):
        with tsv.open(newline="") as f:
            seconds = [float(r["s"]) for r in csv.DictReader(f, delimiter="\t") if r.get("s") not in (None, "", "NA")]
        if seconds:
            rules[tsv.parent.name]["jobs"] += 1
            rules[tsv.parent.name]["s"] += sum(seconds) / len(seconds)
    by_time = sorted(rules.items(), key=lambda kv: -kv[1]["s"])
    ordered = {k: {"jobs": v["jobs"], "s": round(v["s"], 2)} for k, v in by_time}
    return {"rules": ordered, "jobs": sum(v["jobs"] for v in ordered.values()),
            "sum_s": round(sum(v["s"] for v in rules.values()), 2)}


def run_dag(workdir: Path, cores: int, configfile: str | None, extra: list[str]) -> tuple[float, int]:
    """Run this repository's Snakefile in `workdir` (as tests/conftest.py does); (wall seconds, exit code)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(workdir),
           "--cores", str(cores), "--resources", "gpu=1"]
    if configfile:
        cmd += ["--configfile", str(Path(configfile).resolve())]
    t0 = time.perf_counter()
    done = subprocess.run([*cmd, *extra], env=env, stdout=sys.stderr)  # stdout stays pure JSON
    return time.perf_counter() - t0, done.returncode


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--existing", type=Path, help="only sum this results/benchmarks folder; run nothing")
    p.add_argument("--workdir", type=Path, help="where to run (default: a fresh temp dir, so every job runs)")
    p.add_argument("--cores", type=int, default=os.cpu_count())
    p.add_argument("--configfile", help="merged over config.yaml, e.g. config/quick.yaml")
    p.add_argument("extra", nargs="*", help="more snakemake arguments, after --")
    a = p.parse_args(argv)
    out: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores"}
    if a.existing:
        out.update(benchmarks=str(a.existing), **sum_benchmarks(a.existing))
    else:
        work = a.workdir or Path(tempfile.mkdtemp(prefix="genlab-dag-"))
        wall, rc = run_dag(work, a.cores, a.configfile, a.extra)
        out.update(workdir=str(work), cores=a.cores, configfile=a.configfile, returncode=rc, wall_s=round(wall, 1),
                   **sum_benchmarks(work / "results/benchmarks"))
        out["parallelism"] = round(out["sum_s"] / wall, 2) if wall else None
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
