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
    loss="|".join(config["gan"]["losses"]),
    variant="plain|moments",
    k=r"\d+",
    seed=r"\d+",

# train_mlp_gan and train_gan run the same step with different nets and settings
TRAIN_GAN_SHELL = (
    "python -m genlab.steps.train_gan --data {input.data} --params {params.net_train:q}"
    " --device {params.device} --threads {threads} --resume {params.resume}"
    " --ckpt {output.ckpt} --history {output.history} --grids {output.grids} --summary {output.summary}"
    " > {log} 2>&1"
)
GAN_CODE = ["src/genlab/nets.py", "src/genlab/losses.py", "src/genlab/train.py", "src/genlab/checkpoint.py",
            "src/genlab/runtime.py", "src/genlab/data.py", "src/genlab/neighbours.py", "src/genlab/images.py",
            "src/genlab/steps/train_gan.py"]


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
    return sorted(set(config["mlp_gan"]["datasets"]) | set(config["gan"]["datasets"])  # latent ⊆ gan
                  | set(config["cnn_inversion"]["datasets"]))


def gan_run_files(name):
    """One file (or folder) `name` of every run in the conv GAN sweep of a dataset, in sweep order."""
    gan = config["gan"]

    def files(wildcards):
        return expand(f"results/gan/{wildcards.dataset}/{{loss}}_k{{k}}_s{{seed}}/{name}",
                      loss=gan["losses"], k=gan["k"], seed=gan["seeds"])

    return files


def ae_run_files(name):
    """One file `name` of every autoencoder run (variant × seed) of a dataset."""
    ae = config["ae"]
    return lambda w: expand(f"results/ae/{w.dataset}/{{variant}}_s{{seed}}/{name}", variant=ae["variants"],
                            seed=ae["seeds"])


def evaluated_models(dataset):
    """(group/seed label, checkpoint) of every generative model trained on `dataset`."""
    models = [("MLP GAN/0", f"results/mlp_gan/{dataset}/ckpt.pt")] if dataset in config["mlp_gan"]["datasets"] else []
    gan = config["gan"]
    models += [(f"conv GAN, {loss.replace('_', ' ')}, k = {k}/{seed}", f"results/gan/{dataset}/{loss}_k{k}_s{seed}/ckpt.pt")
               for loss in gan["losses"] for k in gan["k"] for seed in gan["seeds"]]
    if dataset in config["ae"]["datasets"]:
        models += [(f"{variant} AE from N(0, I)/{seed}", f"results/ae/{dataset}/{variant}_s{seed}/ckpt.pt")
                   for variant in config["ae"]["variants"] for seed in config["ae"]["seeds"]]
    return models


def gan_checkpoint(run):
    """Input function: the checkpoint of one configured run of the sweep, e.g. config["latent"]["generator"]."""
    return lambda wildcards: f"results/gan/{wildcards.dataset}/{run['loss']}_k{run['k']}_s{run['seed']}/ckpt.pt"


def report_sections():
    """(template partial, facts.json) for every section, in report order. A new experiment adds its pair here."""
    return [("mlp_gan", f"results/mlp_gan/{d}/facts.json") for d in config["mlp_gan"]["datasets"]] + [
        ("gan", f"results/gan/{d}/facts.json") for d in config["gan"]["datasets"]
    ] + [
        (part, f"results/latent/{d}/{part}_facts.json") for d in config["latent"]["datasets"]
        for part in ("inversion", "restoration")
    ] + [
        (part, f"results/ae/{d}/{part}_facts.json") for d in config["ae"]["datasets"]
        for part in ("interpolation", "sampling")
    ] + [
        ("evaluation", f"results/evaluation/{d}/facts.json") for d in config["evaluation"]["datasets"]
    ] + [
        (f"cnn_{part}", f"results/cnn_inversion/{d}/{part}_facts.json") for d in config["cnn_inversion"]["datasets"]
        for part in ("layers", "tv_sweep")
    ] + [("theory", "results/theory/facts.json")]
