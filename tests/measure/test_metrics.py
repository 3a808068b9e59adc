from __future__ import annotations

import math

import pytest
import torch

from genlab.measure.metrics import classifier_score, frechet_distance, kernel_distance, precision_recall
from genlab.measure.theory import conv_gradient_check


def _gauss(n, mean, std, d=4, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return mean + std * torch.randn(n, d, generator=gen, dtype=torch.float64)


def test_fid_of_gaussians_matches_the_closed_form():
    # N(0, I) against N(m, s² I) in d dims: ‖m‖² + d (1 + s² − 2 s)
    real, fake = _gauss(200_000, 0.0, 1.0, seed=0), _gauss(200_000, 0.5, 2.0, seed=1)
    assert frechet_distance(real, fake) == pytest.approx(4 * 0.25 + 4 * (1 + 4 - 4), rel=0.02)
    assert frechet_distance(real, _gauss(200_000, 0.0, 1.0, seed=2)) == pytest.approx(0.0, abs=0.01)


def test_kid_is_near_zero_for_one_distribution_and_positive_for_two():
    same, _ = kernel_distance(_gauss(2000, 0, 1, seed=0), _gauss(2000, 0, 1, seed=1), subsets=10, subset_size=500)
    diff, std = kernel_distance(_gauss(2000, 0, 1, seed=0), _gauss(2000, 1, 1, seed=1), subsets=10, subset_size=500)
    assert abs(same) < 0.01 and diff > 0.1 and std > 0


def test_kid_by_hand_on_two_points():
    x, y = torch.tensor([[1.0], [0.0]]), torch.tensor([[0.0], [2.0]])
    k = lambda a, b: (a * b + 1) ** 3  # noqa: E731  (d = 1)
    expected = 2 * k(1, 0) / 2 + 2 * k(0, 2) / 2 - 2 * (k(1, 0) + k(1, 2) + k(0, 0) + k(0, 2)) / 4
    value, _ = kernel_distance(x, y, subsets=2, subset_size=2)
    assert value == pytest.approx(expected)


def test_precision_and_recall_see_fidelity_and_coverage_apart():
    real = _gauss(1000, 0.0, 1.0, seed=0)
    collapsed = _gauss(1000, 0.0, 0.1, seed=1)  # inside the data, covering little of it
    off = _gauss(1000, 6.0, 1.0, seed=2)  # nowhere near the data
    p, r = precision_recall(real, collapsed, k=3)
    assert p > 0.95 and r < 0.3
    p, r = precision_recall(real, off, k=3)
    assert p < 0.05 and r < 0.05
    p, r = precision_recall(real, _gauss(1000, 0.0, 1.0, seed=3), k=3)
    assert p > 0.6 and r > 0.6


def test_classifier_score_by_hand():
    confident = torch.eye(4) * 50  # 4 samples, each sure of a different class: exp(log 4) = 4
    assert classifier_score(confident) == pytest.approx(4.0, rel=1e-6)
    assert classifier_score(torch.zeros(5, 4)) == pytest.approx(1.0)
    one_class = torch.tensor([[50.0, 0, 0], [50.0, 0, 0]])
    assert classifier_score(one_class) == pytest.approx(1.0, abs=1e-6) and not math.isnan(classifier_score(one_class))


def test_conv_gradients_as_correlations_match_autograd():
    check = conv_gradient_check()
    for key in ("max_error_input_flipped_correlation", "max_error_input_transposed_conv",
                "max_error_kernel_correlation"):
        assert check[key] < 1e-12
