from __future__ import annotations

import numpy as np
import pytest
import torch

from genlab.core.data import pick_images
from genlab.probes.inversion import (
    error_location,
    fine_shares,
    focus_region,
    image_attributes,
    image_table,
    per_image_measures,
)
from genlab.probes.latent import LatentFit


def test_pick_images_takes_every_class_equally_from_the_held_out_split():
    labels = np.repeat(np.arange(10), 20)
    held_out = np.arange(0, 200, 2)
    picks = pick_images(labels, held_out, n=50, seed=0)
    assert np.bincount(labels[picks]).tolist() == [5] * 10 and set(picks) <= set(held_out)


def test_error_location_by_hand():
    targets = torch.zeros(1, 1, 2, 2)
    recon = torch.tensor([[[[1.0, 0.0], [0.0, 0.5]]]])  # squared errors 1 and 0.25
    region = torch.tensor([[[[1.0, 0.0], [0.0, 0.0]]]])
    loc = error_location(recon, targets, region)
    assert loc["error_share"] == pytest.approx(1 / 1.25) and loc["area_share"] == 0.25


def test_focus_region_is_the_strokes_for_digits_and_the_centre_for_rgb():
    digits = torch.zeros(2, 1, 28, 28)
    digits[:, :, 10:14, 10:14] = 0.9
    region, name = focus_region(digits, has_labels=True)
    assert region.sum().item() == 2 * 16 and "stroke" in name
    faces, name = focus_region(torch.rand(2, 3, 64, 64), has_labels=False)
    assert faces[0, 0, 16:48, 16:48].min() == 1 and faces.sum().item() == 2 * 32 * 32 and "central" in name


def test_image_table_perfect_and_imperfect():
    targets = torch.rand(3, 1, 16, 16, generator=torch.Generator().manual_seed(0))
    table = image_table(targets.clone(), targets)
    assert (table["mse"] == 0).all() and table["ssim"].tolist() == pytest.approx([1.0] * 3, abs=1e-6)
    off = image_table((targets + 0.1).clamp(0, 1), targets)
    assert (off["mse"] > 0).all() and (off["psnr"] < 100).all()


def test_white_noise_puts_most_of_its_error_in_the_fine_part_and_so_does_its_shuffle():
    """The reason for the shuffled null: a structureless error is "fine" by dimension counting alone."""
    gen = torch.Generator().manual_seed(0)
    targets = torch.rand(16, 1, 28, 28, generator=gen)
    noise_share, shuffled = fine_shares(targets + 0.1 * torch.randn(16, 1, 28, 28, generator=gen), targets, seed=0)
    assert noise_share.mean() > 0.85 and (noise_share - shuffled).abs().mean() < 0.03
    blob = torch.zeros(16, 1, 28, 28)
    blob[:, :, 4:16, 4:16] = 0.5  # a misplaced block: a coarse error, which shuffling makes fine
    coarse_share, shuffled = fine_shares(targets + blob, targets, seed=0)
    assert (coarse_share < shuffled - 0.3).all()


def test_per_image_measures_hold_one_value_per_image():
    gen = torch.Generator().manual_seed(0)
    targets = torch.rand(5, 1, 16, 16, generator=gen)
    recon = (targets + 0.1 * torch.randn(5, 1, 16, 16, generator=gen)).clamp(0, 1)
    fit = LatentFit(z=torch.ones(5, 4), images=recon, loss=torch.full((5,), 0.01),
                    restart_losses=torch.tensor([[0.01] * 5, [0.03] * 5, [0.05] * 5]), curve=[])
    frame = image_table(recon, targets).add_prefix("no_prior_").join(image_table(recon, targets).add_prefix("prior_"))
    frame = frame.join(image_table(targets, targets).add_prefix("nearest_")).join(image_attributes(targets))
    found = per_image_measures(frame, fit, targets, torch.ones(5, 1, 16, 16), seed=0)
    assert all(len(v) == 5 for v in found.values())
    assert np.allclose(found["z_norm_no_prior"], 2.0) and np.allclose(found["restart_spread"], 3.0)
    assert np.allclose(found["error_share"], 1.0)  # the whole image is the region
