"""Config validation before any job runs: every problem named by its key, all of them at once."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

PATHS = {"idx": "a folder of MNIST IDX files", "npy": "an (N, H, W, C) uint8 .npy file",
         "folder": "a folder of JPEG or PNG images"}  # sources read from `path`, and what it should be
DECODING = {key: "source: folder or source: torchvision, name: CelebA"  # keys of the sources that decode images
            for key in ("crop", "size", "color", "on_bad", "allow_upsample")} | {"labels": "source: folder"}


class ConfigError(ValueError):
    """The config does not fit the schema; the message lists each offending key."""


def _key(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def decodes_images(spec: dict) -> bool:
    """Whether a dataset's source decodes image files (a folder, or CelebA's files), the work prepare_data spreads
    over its threads; the other sources read one array."""
    return spec["source"] == "folder" or (spec["source"] == "torchvision" and spec.get("name") == "CelebA")


def experiments(config: dict) -> list[str]:
    """The config's experiments: its sections that list the datasets they run on (one list, read from the config)."""
    return [key for key, value in config.items() if isinstance(value, dict) and "datasets" in value
            and isinstance(value["datasets"], list)]


def validate_config(config: dict, schema_path: str | Path) -> None:
    """Check `config` against the schema, then what a schema cannot say: paths exist, names resolve."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    problems = [f"config key {_key(e.absolute_path)}: {e.message}" for e in validator.iter_errors(config)]
    if not problems:
        problems = _semantic_problems(config)
    if problems:
        raise ConfigError("invalid config:\n  " + "\n  ".join(sorted(problems)))


def _semantic_problems(config: dict) -> list[str]:
    problems = []
    for name, spec in config["datasets"].items():
        if spec["source"] in PATHS and not Path(spec["path"]).exists():
            problems.append(f"config key datasets.{name}.path: '{spec['path']}' does not exist; "
                            f"expected {PATHS[spec['source']]}")
        for key in sorted(set(spec) & set(DECODING)):
            if not decodes_images(spec) or (key == "labels" and spec["source"] != "folder"):
                problems.append(f"config key datasets.{name}.{key}: has no effect on source {spec['source']}"
                                f"{' ' + spec['name'] if spec.get('name') else ''}; expected only with "
                                f"{DECODING[key]}: remove it")
    backbone = config["cnn_inversion"]["backbone"]
    named = backbone["weights_path"]
    if backbone["weights"] in ("imagenet", "auto") and named and not Path(named).is_file():
        problems.append(f"config key cnn_inversion.backbone.weights_path: '{backbone['weights_path']}' does not exist; "
                        "expected torchvision's VGG11 IMAGENET1K_V1 file (vgg11-8a719046.pth), or '' for torch's cache")
    defined = ", ".join(config["datasets"])
    for experiment in experiments(config):
        for name in config[experiment]["datasets"]:
            if name not in config["datasets"]:
                problems.append(f"config key {experiment}.datasets: '{name}' is not a dataset; defined: {defined}")
    gan = config["gan"]
    for key, chosen in (("gan.retrain_d.generator", gan["retrain_d"]["generator"]),
                        ("latent.generator", config["latent"]["generator"])):
        if chosen["loss"] not in gan["losses"] or chosen["k"] not in gan["k"] or chosen["seed"] not in gan["seeds"]:
            problems.append(f"config key {key}: {chosen} is not a run of the gan sweep (gan.losses, k, seeds)")
    train = gan["train"]
    for stage in gan["retrain_d"]["stages"]:
        if stage > train["steps"] or (stage % train["grid_every"] and stage != train["steps"]):
            problems.append(f"config key gan.retrain_d.stages: {stage} is not a step with a saved generator; "
                            f"expected a multiple of gan.train.grid_every ({train['grid_every']}) up to "
                            f"gan.train.steps ({train['steps']}), or the last step")
    sides = gan["net"]["latent_dim"]  # the conv nets' z size per image side: a side the data decodes to must be there
    for name in gan["datasets"]:
        spec = config["datasets"][name]
        if decodes_images(spec) and str(spec["size"]) not in sides:
            problems.append(f"config key gan.net.latent_dim: no z size for dataset '{name}' (size {spec['size']}); "
                            f"expected a key '{spec['size']}' beside {sorted(sides)}")
    for key, needs, where in (("latent", "gan", "a gan sweep"), ("ae", "latent", "GAN inversion codes"),
                              ("evaluation", "gan", "a gan sweep")):
        missing = set(config[key]["datasets"]) - set(config[needs]["datasets"])
        if missing:
            problems.append(
                f"config key {key}.datasets: {sorted(missing)} have no {where}; add them to {needs}.datasets"
            )
    return problems
