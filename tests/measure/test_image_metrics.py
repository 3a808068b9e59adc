from __future__ import annotations

import math

import pytest
import torch

from genlab.measure.image_metrics import high_frequency_energy, psnr, ssim
from genlab.probes.masks import make_masks
from genlab.probes.restoration import composite, nearest_visible


def test_random_masks_hide_the_configured_fraction_and_differ_per_image():
    masks = make_masks({"kind": "random", "missing": 0.8}, n=50, size=28, seed=0)
    assert masks.shape == (50, 1, 28, 28) and set(masks.unique().tolist()) == {0.0, 1.0}
    assert 1 - masks.mean().item() == pytest.approx(0.8, abs=0.01)
    assert not torch.equal(masks[0], masks[1])
    assert torch.equal(masks, make_masks({"kind": "random", "missing": 0.8}, n=50, size=28, seed=0))


def test_center_and_half_masks():
    center = make_masks({"kind": "center", "size": 0.5}, n=2, size=28, seed=0)
    assert center[0, 0, 7:21, 7:21].sum() == 0 and center.sum().item() == 2 * (28 * 28 - 14 * 14)
    bottom = make_masks({"kind": "half", "side": "bottom"}, n=1, size=28, seed=0)
    assert bottom[0, 0, :14].min() == 1 and bottom[0, 0, 14:].max() == 0
    left = make_masks({"kind": "half", "side": "left"}, n=1, size=64, seed=0)
    assert left[0, 0, :, :32].max() == 0 and left[0, 0, :, 32:].min() == 1


def test_psnr_by_hand_and_on_a_region():
    target = torch.zeros(1, 1, 4, 4)
    pred = target.clone()
    pred[0, 0, 0, :2] = 0.5  # two pixels off by 0.5: MSE over 16 pixels = 0.5 / 16
    assert psnr(pred, target).item() == pytest.approx(10 * math.log10(16 / 0.5), rel=1e-5)
    region = torch.zeros(1, 1, 4, 4)
    region[0, 0, 0, :4] = 1  # 4 pixels, two of them wrong: MSE 0.125
    assert psnr(pred, target, region).item() == pytest.approx(10 * math.log10(1 / 0.125), rel=1e-5)


def test_ssim_is_one_for_identical_images_and_lower_for_noise():
    images = torch.rand(3, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    assert ssim(images, images).tolist() == pytest.approx([1.0] * 3, abs=1e-6)
    noisy = (images + 0.3 * torch.randn(images.shape, generator=torch.Generator().manual_seed(1))).clamp(0, 1)
    assert (ssim(noisy, images) < 0.9).all()


def test_high_frequency_energy_by_hand():
    flat = torch.full((1, 1, 5, 5), 0.5)
    dot = torch.zeros(1, 1, 5, 5)
    dot[0, 0, 2, 2] = 1.0  # Laplacian: -4 at the centre, 1 at its 4 neighbours
    assert high_frequency_energy(dot).item() == pytest.approx((16 + 4) / 25)
    assert high_frequency_energy(flat).item() > 0  # zero padding sees the borders
    assert high_frequency_energy(flat[:, :, 1:4, 1:4].contiguous().repeat(1, 3, 1, 1)).shape == (1,)


def test_nearest_visible_uses_only_the_visible_pixels_and_composite_keeps_them():
    train = torch.zeros(3, 1, 2, 2)
    train[1, 0, 0] = 1.0  # top row bright
    train[2, 0, 1] = 1.0  # bottom row bright
    target = torch.tensor([[[[1.0, 1.0], [0.0, 0.0]]]])
    top_visible = torch.tensor([[[[1.0, 1.0], [0.0, 0.0]]]])
    assert torch.equal(nearest_visible(target, top_visible, train), train[1:2])
    fill = torch.full_like(target, 0.3)
    out = composite(target, top_visible, fill)
    assert out[0, 0, 0].tolist() == [1.0, 1.0] and out[0, 0, 1].tolist() == pytest.approx([0.3, 0.3])
