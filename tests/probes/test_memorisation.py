"""The memorisation probe, and the data-copying test on planted generators over real MNIST digits (the bundled 5,000):
a copier must be called copying, a blurred or held-out "generator" must not."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from conftest import CONFIG
from scipy.ndimage import gaussian_filter

from genlab.core.data import Dataset, load_bundled, pick_images
from genlab.findings.mlp_gan import DUPLICATE, cells_for, copying
from genlab.probes.memorisation import class_coverage, distance_summary, distinct_images, mann_whitney, three_sample
from genlab.steps.nearest_fakes import check


def test_pick_images_takes_per_class_from_the_candidates_only():
    labels = np.repeat(np.arange(3), 10)
    candidates = np.arange(0, 30, 2)
    picks = pick_images(labels, candidates, 5, seed=0, per_class=2)
    assert np.bincount(labels[picks]).tolist() == [2, 2, 2]
    assert set(picks) <= set(candidates)
    assert np.array_equal(picks, pick_images(labels, candidates, 5, 0, per_class=2))


def test_pick_images_without_labels():
    picks = pick_images(np.full(30, -1), np.arange(30), 5, seed=1, per_class=2)
    assert len(picks) == 5 and len(set(picks)) == 5


def test_distance_summary_by_hand():
    test_d = np.arange(1.0, 101.0)  # 5th percentile 5.95
    fake_d = np.array([1.0, 2.0, 50.0, 80.0])
    s = distance_summary(fake_d, test_d)
    assert s["median_fake"] == 26.0 and s["median_test"] == 50.5
    assert s["median_ratio"] == pytest.approx(26 / 50.5)
    assert s["test_p5"] == pytest.approx(5.95)
    assert s["frac_fakes_below_test_p5"] == 0.5 and s["min_fake"] == 1.0


def test_class_coverage_by_hand():
    c = class_coverage(np.array([0, 0, 0, 1, 2, 2, 2, 2, 2, 2]), n_classes=4)
    assert c["share"] == [0.3, 0.1, 0.6, 0.0]
    assert c["covered"] == 3 and c["largest_class"] == 2 and c["smallest_class"] == 3


def test_mann_whitney_by_hand():
    found = mann_whitney(np.array([1.0, 4.0]), np.array([2.0, 3.0, 5.0]))  # fake 1 beats none, fake 4 beats two
    assert found["u"] == 2.0 and found["z"] == pytest.approx((2 - 3) / math.sqrt(6 * 6 / 12))
    assert mann_whitney(np.array([]), np.array([1.0]))["z"] is None


def test_near_duplicates_are_joined_transitively():
    points = torch.tensor([[0.0], [0.4], [0.8], [5.0], [9.0]])
    assert distinct_images(points, within=0.5) == 3


NT, NP, NQ = 1000, 200, 400  # training, held-out and fake images: small, so that the whole test takes seconds


@pytest.fixture(scope="module")
def digits():
    images, labels = load_bundled()
    order = np.random.default_rng(0).permutation(len(images))
    x = torch.from_numpy(images[order]).float() / 255
    return x[:NT], labels[order][:NT], x[NT : NT + NP], x[NT + NP :]


def _planted(digits, name: str, noise: float = 0.0, blur: float = 2.0) -> torch.Tensor:
    train, labels, _, unseen = digits
    rng = np.random.default_rng(1)
    g = torch.Generator().manual_seed(1)
    if name == "copier":
        fakes = train[rng.integers(0, NT, NQ)]
    elif name == "blurred_means":
        means = np.stack([train[labels == c].mean(0).numpy() for c in range(10)])
        fakes = torch.from_numpy(gaussian_filter(means, sigma=(0, 0, blur, blur)))[rng.integers(0, 10, NQ)].float()
    else:
        fakes = unseen[:NQ]
    return (fakes + noise * torch.randn(fakes.shape, generator=g)).clamp(0, 1)


def _verdict(digits, fakes: torch.Tensor) -> dict:
    train, _, held_out, _ = digits
    measured = three_sample(train, held_out, fakes, cells_for(NP, NQ, 10), seed=0, duplicate=DUPLICATE)
    return copying(measured["cells"], NQ, NP, NT, measured["distinct"])


@pytest.mark.parametrize("noise", [0.0, 0.02])
def test_a_generator_that_returns_training_images_copies(digits, noise):
    found = _verdict(digits, _planted(digits, "copier", noise))
    assert found["verdict"] == "copies" and found["c_t"] < -5 and found["nearer"] > 0.95


def test_blurred_class_means_underfit(digits):
    found = _verdict(digits, _planted(digits, "blurred_means", noise=0.1))
    assert found["verdict"] == "underfits" and found["c_t"] > 0


@pytest.mark.parametrize("noise", [0.0, 0.05])
def test_blurred_class_means_with_little_noise_are_a_collapse_not_copying(digits, noise):
    """Ten central images sit nearer the training set than unseen digits do (C_T < 0) without copying any of it:
    the duplicate guard names them a collapse."""
    found = _verdict(digits, _planted(digits, "blurred_means", noise, blur=1.0))
    assert found["verdict"] == "collapsed" and found["distinct"]["fakes"] < 20


def test_held_out_images_are_not_copies(digits):
    found = _verdict(digits, _planted(digits, "held_out"))
    assert found["verdict"] == "no_clear_difference" and 0.4 < found["nearer"] < 0.6
    assert 0 < found["detectable_nearer"] < 0.1  # a 10-point shift from ½ would have been found


def test_the_step_calls_a_copying_generator_a_copier(digits, tmp_path):
    """nearest_fakes' check(), as run() calls it after sampling G, fed a "generator" that returns training images."""
    train, labels, held_out, _ = digits
    images = (255 * torch.cat([train, held_out])).round().to(torch.uint8).numpy()
    all_labels = np.concatenate([labels, np.zeros(NP, dtype=labels.dtype)])
    ds = Dataset(images, all_labels.astype(np.int64), np.arange(NT), np.arange(NT, NT + NP), "digits")
    fakes = torch.from_numpy(images[np.random.default_rng(2).integers(0, NT, NQ)]).float() / 255
    # one query a class and two neighbours: the figure's 120 axes at the config's sizes cost ~6 s
    params = {**CONFIG["mlp_gan"]["nearest"], "n_fakes": NQ, "n_test": NP, "per_class": 1, "k": 2}
    out = check(ds, fakes, params, str(tmp_path / "nearest.png"), str(tmp_path / "hist.png"))
    assert out["copying"]["verdict"] == "copies" and out["copying"]["n_train"] == NT
    assert out["min_fake"] == 0.0 and (tmp_path / "hist.png").exists()
