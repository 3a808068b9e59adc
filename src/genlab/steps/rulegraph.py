"""Rule rulegraph: the workflow's rule graph, as Snakemake itself computes it (`--rulegraph`), drawn for the
report's appendix."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from genlab.core import cli
from genlab.plots.rulegraph import parse_dot, plot_rulegraph

TARGET = "results/report.pdf"  # the graph of what the report needs


def rulegraph_dot(snakefile: str, config_json: str, target: str) -> str:
    """Snakemake's DOT rule graph of `target` under this run's config (--nolock: the running workflow holds the
    lock, and drawing the graph writes nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.json"
        config.write_text(config_json)
        done = subprocess.run([sys.executable, "-m", "snakemake", target, "-s", snakefile, "--configfile", str(config),
                               "--rulegraph", "--nolock", "--quiet", "all"],
                              capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"snakemake --rulegraph failed:\n{done.stderr[-3000:]}")
    return done.stdout[done.stdout.index("digraph"):]


def run(snakefile: str, config_json: str, figure: str) -> None:
    labels, edges = parse_dot(rulegraph_dot(snakefile, config_json, TARGET))
    plot_rulegraph(labels, edges, figure)
    print(f"{len(labels)} rules, {len(edges)} edges")


if __name__ == "__main__":
    cli.main(run)
