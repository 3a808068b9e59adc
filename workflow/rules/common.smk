# Shared by every rules file (config validation, wildcard constraints, how rules run their steps: shell command and
# code version; input functions, and the registry of report sections that each rules file fills).
import ast
import json
import shlex
import subprocess
from pathlib import Path

from genlab.core.code import code_version
from genlab.core.config import decodes_images, experiments, validate_config

REPO = Path(workflow.basedir)
validate_config(config, REPO / "workflow/schemas/config.schema.yaml")

ENV = "../../environment.yml"  # every rule's conda env (relative to this folder); `snakemake --lint` wants one


wildcard_constraints:
    dataset="|".join(config["datasets"]),
    loss="|".join(config["gan"]["losses"]),
    variant="plain|moments",
    k=r"\d+",
    seed=r"\d+",


def step_parameters(step):
    """The parameter names of genlab.steps.<step>.run, read from its source (importing it would import torch)."""
    tree = ast.parse((REPO / f"src/genlab/steps/{step}.py").read_text())
    run = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "run")
    return [arg.arg for arg in run.args.args]


def step_shell(step, extra=""):
    """The shell command of rules that run genlab.steps.<step>. Every named input and output is passed as
    --<name> <path> by {params.io} (see io_flags) under the name `run()` gives it, `extra` adds the step's other
    flags, and a step that runs torch gets the config's device and the rule's threads."""
    takes = step_parameters(step)
    runtime = [f"--device {shlex.quote(config['device'])}"] if "device" in takes else []
    runtime += ["--threads {threads}"] if "threads" in takes else []
    return " ".join(["python -m", f"genlab.steps.{step}", "{params.io}", extra, *runtime, "> {log} 2>&1"])


def step_code(step, *extra):
    """The code version of rules that run genlab.steps.<step>, a hash of the step's import closure inside genlab
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
        try:
            return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()
        except FileNotFoundError:  # no git on this machine (e.g. a bare GPU node)
            return ""

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "unknown (not a git checkout)"
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def used_datasets():
    return sorted({name for experiment in experiments(config) for name in config[experiment]["datasets"]})


def run_files(pattern, **values):
    """Input function: `pattern` (a rule's output) expanded over `values` (lists) for the job's dataset."""
    return lambda w: expand(pattern, dataset=w.dataset, **values)


def gan_run(run):
    """Input function: the checkpoint of one configured sweep run, e.g. config["latent"]["generator"]."""
    return lambda w: GAN_RUN_FILES["ckpt"].format(dataset=w.dataset, loss=run["loss"], k=run["k"],
                                                        seed=run["seed"])


def group_files(name):
    """train_gan's output `name` (a key of GAN_RUN_FILES) for every run of one k (the sweep's losses × seeds), with
    {dataset} and {k} left open: the outputs of one stacked job."""
    gan = config["gan"]
    return expand(GAN_RUN_FILES[name], loss=gan["losses"], seed=gan["seeds"], allow_missing=True)


def sweep_files(name):
    """Input function: one output of train_gan (a key of GAN_RUN_FILES) for every run of the sweep, in sweep order."""
    gan = config["gan"]
    return run_files(GAN_RUN_FILES[name], loss=gan["losses"], k=gan["k"], seed=gan["seeds"])


def ae_files(output):
    """Input function: one output of train_ae for every autoencoder run (variant × seed)."""
    return run_files(output, variant=config["ae"]["variants"], seed=config["ae"]["seeds"])


def evaluated_models(dataset):
    """Every generative model trained on `dataset`, as records {"experiment", "seed", "ckpt", and "loss" and "k" or
    "variant"} in table order (genlab.measure.evaluation.model_group names them in the table)."""
    models = []
    if dataset in config["mlp_gan"]["datasets"]:
        models.append({"experiment": "mlp_gan", "seed": 0,
                       "ckpt": rules.train_mlp_gan.output.ckpt.format(dataset=dataset)})
    gan = config["gan"]
    models += [{"experiment": "gan", "loss": loss, "k": k, "seed": seed,
                "ckpt": GAN_RUN_FILES["ckpt"].format(dataset=dataset, loss=loss, k=k, seed=seed)}
               for loss in gan["losses"] for k in gan["k"] for seed in gan["seeds"]]
    if dataset in config["ae"]["datasets"]:
        models += [{"experiment": "ae", "variant": variant, "seed": seed,
                    "ckpt": rules.train_ae.output.ckpt.format(dataset=dataset, variant=variant, seed=seed)}
                   for variant in config["ae"]["variants"] for seed in config["ae"]["seeds"]]
    return models


def figure_sources():
    """(rule, output pattern) of every rule's outputs, so the report can name the rule and file behind a figure."""
    return [(rule.name, str(path)) for rule in workflow.rules for path in rule.output]


REPORT_SECTIONS = []  # (template partial, facts.json pattern, datasets), in report order: each rule file adds its own


def report_section(partial, facts, datasets=("",)):
    """Register a report section: the partial report/sections/<partial>.html.j2 rendered from each dataset's facts."""
    REPORT_SECTIONS.append((partial, facts, list(datasets)))


def report_sections():
    """(partial, facts.json) for every registered section and dataset, in report order."""
    return [(partial, facts.format(dataset=d) if d else facts)
            for partial, facts, datasets in REPORT_SECTIONS for d in datasets]
