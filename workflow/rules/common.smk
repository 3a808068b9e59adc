# The only Snakemake file with Python logic: config validation, wildcard constraints, code versions,
# input functions and the report's section list.
import hashlib
import json
import subprocess
from pathlib import Path

from genlab.config import validate_config

REPO = Path(workflow.basedir)
validate_config(config, REPO / "workflow/schemas/config.schema.yaml")

ENV = "../../environment.yml"  # every rule's conda env (relative to this folder); `snakemake --lint` wants one


wildcard_constraints:
    dataset="|".join(config["datasets"]),


def code_version(*files):
    """Hash of the source files a rule runs, so that a code change reruns exactly the jobs it affects
    (Snakemake tracks params, not the Python modules a shell command imports)."""
    digest = hashlib.sha256()
    for name in files:
        for path in sorted((REPO / name).rglob("*")) if (REPO / name).is_dir() else [REPO / name]:
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def as_json(value):
    return json.dumps(value, sort_keys=True)


def git_commit():
    """The commit the report names, marked -dirty when the tree has uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "unknown (not a git checkout)"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def used_datasets():
    return sorted(set(config["mlp_gan"]["datasets"]))


def report_sections():
    """(template partial, facts.json) for every section, in report order. A new experiment adds its pair here."""
    return [("mlp_gan", f"results/mlp_gan/{d}/facts.json") for d in config["mlp_gan"]["datasets"]]
