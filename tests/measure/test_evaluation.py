"""The evaluation's rows: the ceiling, the per-model summary over seeds and the truncation rows' paired spread."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from genlab.measure.evaluation import METRICS, by_model, change_se_vs_last, model_group, pixel_ceiling


def test_the_ceiling_draws_around_the_mean_image_with_its_spread():
    train = torch.randint(0, 256, (500, 1, 8, 8), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    images = pixel_ceiling(train, 2000, torch.Generator().manual_seed(1))
    assert images.shape == (2000, 1, 8, 8) and 0 <= images.min() and images.max() <= 1
    assert images.mean(0).sub(train.float().mean(0) / 255).abs().max() < 0.05


def test_models_are_summarised_over_their_seeds_in_table_order():
    rows = [{"model": m, "seed": s, "fid_boot_std": 1.0, **{c: v for c in METRICS}}
            for m, s, v in (("B", 0, 1.0), ("A", 0, 2.0), ("B", 1, 3.0))]
    b, a = by_model(pd.DataFrame(rows))
    assert (b["model"], b["n_seeds"], a["model"], a["n_seeds"]) == ("B", 2, "A", 1)
    assert b["fid"] == {"mean": 2.0, "std": pytest.approx(np.sqrt(2))} and a["fid"] == {"mean": 2.0, "std": None}


def test_a_set_against_itself_has_no_spread_and_a_shifted_set_some():
    gen = torch.Generator().manual_seed(0)
    real, fake = torch.randn(200, 4, generator=gen), torch.randn(200, 4, generator=gen)
    se = change_se_vs_last(real, [fake + 0.5, fake], {"k": 3, "bootstrap": 20, "seed": 0})
    assert se.shape == (2, 2) and (se[1] == 0).all() and (se[0] > 0).all()


def test_model_groups_are_named_for_the_table():
    assert model_group({"experiment": "mlp_gan", "seed": 0}) == "MLP GAN"
    assert model_group({"experiment": "gan", "loss": "least_squares", "k": 5, "seed": 1}) == \
        "conv GAN, least squares, k = 5"
    assert model_group({"experiment": "ae", "variant": "moments", "seed": 0}) == "moments AE from N(0, I)"
