"""Documented means tested: every snakemake / make / python -m command in the README's code blocks runs here,
as a dry run where it would train, so the documentation cannot rot."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, synthetic_celeba_folder

pytestmark = pytest.mark.dag

RUNNABLE = re.compile(r"^(snakemake|make|python -m)\s")


def readme_commands() -> list[str]:
    """Each command line of the README's ```bash blocks that this project's tools run (comments dropped)."""
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    lines = [re.sub(r"\s+#.*$", "", line).strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if RUNNABLE.match(line)]


def dry(command: str) -> list[str]:
    """The command as a dry run: snakemake gets --dry-run (after every other flag, so a target misplaced after
    --resources still fails as it would for a user), make's snakemake targets ARGS=--dry-run, and `make test`
    (the command running this test) only make's own dry run."""
    args = shlex.split(command)
    if args[0] == "snakemake":
        return [*args, "--dry-run"]
    if args[0] == "make":
        return ["make", "-n", *args[1:]] if args[1:] == ["test"] else [*args, "ARGS=--dry-run"]
    return [sys.executable if args[0] == "python" else args[0], *args[1:]]


def test_the_readme_documents_the_main_commands():
    commands = readme_commands()
    assert "make report" in commands and "make test" in commands
    assert any(c.startswith("make run T=") for c in commands)  # one experiment at the report's scale
    assert any(c.startswith("python -m genlab.steps.") for c in commands)


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command, request, tmp_path):
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}",
           "VENV": sys.prefix}
    args, cwd = dry(command), REPO
    if "--report" in args:  # Snakemake's report collects a finished run's files: the smoke run's, as documented
        cwd = request.getfixturevalue("run_dir")
        (cwd / "config").mkdir(exist_ok=True)
        shutil.copy(REPO / "config/quick.yaml", cwd / "config/quick.yaml")
        args = [*shlex.split(command), "-s", str(REPO / "Snakefile")]
    elif "celeba_folder" in command:  # CelebA's folder as its release unzips, here a few synthetic JPEGs
        cwd = tmp_path
        shutil.copytree(REPO / "config", cwd / "config")
        synthetic_celeba_folder(cwd / "data/img_align_celeba", n=4)
        args = [*args, "-s", str(REPO / "Snakefile")]
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    if "--report" in args:
        assert (cwd / "results/report.zip").stat().st_size > 0
    elif "snakemake" in command or command.startswith("make r"):
        assert "dry-run" in done.stdout + done.stderr
