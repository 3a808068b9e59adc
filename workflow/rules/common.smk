# Shared by every rule file: config validation, wildcard constraints, how a rule runs its step (shell command and
# code version), input functions, and the registry of report sections that each rule file fills.
import json
import shlex
import subprocess
from pathlib import Path

from genlab.core.code import code_version
from genlab.core.config import validate_config

REPO = Path(workflow.basedir)
validate_config(config, REPO / "workflow/schemas/config.schema.yaml")

ENV = "../../environment.yml"  # every rule's conda env (relative to this folder); `snakemake --lint` wants one


wildcard_constraints:
    dataset="|".join(config["datasets"]),
    loss="|".join(config["gan"]["losses"]),
    variant="plain|moments",
    k=r"\d+",
    seed=r"\d+",


def step_shell(step, extra=""):
    """The shell command of a rule that runs genlab.steps.<step>: every named input and output is passed as
    --<name> <path> by {params.io} (see io_flags), so a file name is written once, in the rule."""
    return f"python -m genlab.steps.{step} {{params.io}} {extra} > {{log}} 2>&1"


def step_code(step, *extra):
    """The code version of a rule that runs genlab.steps.<step>: a hash of the step's import closure inside genlab
    (computed from the source, never listed by hand) and of any `extra` files, so editing a module reruns exactly
    the rules whose steps import it."""
    return code_version(f"genlab.steps.{step}", *(REPO / e for e in extra), src=REPO / "src")


def io_flags(skip=()):
    """Params function: '--name path' for every named input and output (repeated for a list), except `skip`."""
    def flags(wildcards, input, output):
        args = []
        for files in (input, output):
            for name, value in files.items():
                if name in skip:
                    continue
                for path in [value] if isinstance(value, str) else value:
                    args.append(f"--{name.replace('_', '-')} {shlex.quote(str(path))}")
        return " ".join(args)

    return flags


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
    return sorted(set(config["mlp_gan"]["datasets"]) | set(config["gan"]["datasets"])  # latent ⊆ gan
                  | set(config["cnn_inversion"]["datasets"]))


def run_files(pattern, **values):
    """Input function: `pattern` (a rule's output) expanded over `values` (lists) for the job's dataset."""
    return lambda w: expand(pattern, dataset=w.dataset, **values)


def gan_run(run):
    """Input function: one output of one configured sweep run, e.g. config["latent"]["generator"]."""
    return lambda w: rules.train_gan.output.ckpt.format(dataset=w.dataset, loss=run["loss"], k=run["k"],
                                                        seed=run["seed"])


REPORT_SECTIONS = []  # (template partial, facts.json pattern, datasets), in report order: each rule file adds its own


def report_section(partial, facts, datasets=("",)):
    """Register a report section: the partial report/sections/<partial>.html.j2 rendered from each dataset's facts."""
    REPORT_SECTIONS.append((partial, facts, list(datasets)))


def report_sections():
    """(partial, facts.json) for every registered section and dataset, in report order."""
    return [(partial, facts.format(dataset=d) if d else facts)
            for partial, facts, datasets in REPORT_SECTIONS for d in datasets]
