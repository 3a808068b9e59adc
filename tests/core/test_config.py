from __future__ import annotations

import copy

import pytest
import yaml
from conftest import CONFIG, REPO

from genlab.core.config import ConfigError, experiments, validate_config

SCHEMA = REPO / "workflow/schemas/config.schema.yaml"


def merged(*overrides: dict) -> dict:
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    for override in overrides:
        _merge(config, override)
    return config


def _merge(base: dict, override: dict) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def test_shipped_configs_are_valid():
    validate_config(merged(), SCHEMA)
    validate_config(merged(yaml.safe_load((REPO / "config/quick.yaml").read_text())), SCHEMA)
    validate_config(merged(yaml.safe_load((REPO / "tests/config/smoke.yaml").read_text())), SCHEMA)


@pytest.mark.parametrize(
    "override, message",
    [
        ({"datasets": {"mnist": {"source": "s3"}}}, r"datasets\.mnist\.source: 's3' is not one of"),
        ({"mlp_gan": {"train": {"lr": -0.001}}},
         r"mlp_gan\.train\.lr: -0\.001 is less than or equal to the minimum of 0"),
        ({"mlp_gan": {"train": {"batch_size": 0}}}, r"mlp_gan\.train\.batch_size: 0 is less than the minimum of 1"),
        ({"mlp_gan": {"train": {"d_steps": 0}}}, r"mlp_gan\.train\.d_steps: 0 is less than the minimum of 1"),
        ({"mlp_gan": {"train": {"loss": "wasserstein"}}}, r"mlp_gan\.train\.loss: 'wasserstein' is not one of"),
        ({"mlp_gan": {"train": {"stepz": 5}}}, r"mlp_gan\.train: Additional properties are not allowed \('stepz'"),
        ({"datasets": {"celeba64": {"source": "npy", "test_fraction": 0.1, "seed": 0, "max_images": 0}}},
         r"datasets\.celeba64: 'path' is a required property"),
        ({"datasets": {"celeba64": {"source": "npy", "path": "/no/such/celeba64.npy", "test_fraction": 0.1,
                                    "seed": 0, "max_images": 0}}},
         r"datasets\.celeba64\.path: '/no/such/celeba64\.npy' does not exist"),
        ({"mlp_gan": {"datasets": ["mnist", "svhn"]}}, r"mlp_gan\.datasets: 'svhn' is not a dataset"),
        ({"gan": {"k": [1, 5], "retrain_d": {"generator": {"loss": "nonsaturating", "k": 3, "seed": 0}}}},
         r"gan\.retrain_d\.generator: .* is not a run of the gan sweep"),
        ({"gan": {"net": {"latent_dim": {"big": 10}}}}, r"gan\.net\.latent_dim: 'big' does not match"),
    ],
)
def test_bad_config_names_the_key(override, message):
    with pytest.raises(ConfigError, match=message):
        validate_config(merged(override), SCHEMA)


def test_a_retrain_stage_without_a_saved_generator_is_refused():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    config["gan"]["retrain_d"]["stages"] = [1000, 1500]
    with pytest.raises(ConfigError, match=r"gan\.retrain_d\.stages: 1500 is not a step with a saved generator"):
        validate_config(config, REPO / "workflow/schemas/config.schema.yaml")


def test_the_experiments_are_read_from_the_config():
    assert experiments(CONFIG) == ["mlp_gan", "gan", "latent", "ae", "evaluation", "cnn_inversion"]
    assert experiments({**CONFIG, "new": {"datasets": ["mnist"]}})[-1] == "new"  # a new section joins by itself
