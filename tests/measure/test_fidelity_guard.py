"""genlab's FID, KID and precision/recall equal torch-fidelity's feature-level functions on the same features.

torch-fidelity (the field's reference implementation; test extra only) takes the generated set first and the
real set second; genlab takes real first. Both sides get the same float64 features, so what is left is rounding
(handed float32 features, torch-fidelity computes in float32 and its FID moves by up to 2e-7 relative).

KID draws its subsets differently (torch.randperm here, numpy RandomState.choice there), and reports the sample
standard deviation where torch-fidelity reports the population one; only a subset that is the whole set is drawn
alike by both, so KID is compared there, on sets cut to equal size (genlab draws equal-sized subsets of both).
Precision and recall are fractions of n; torch-fidelity averages in float32, so they are compared as counts.
"""

from __future__ import annotations

import pytest
import torch
from torch_fidelity import metric_fid as fid_metric  # the test extra pins it: a missing guard fails, not skips
from torch_fidelity.metric_kid import kid_features_to_metric
from torch_fidelity.metric_prc import calculate_precision_recall_full

from genlab.measure.metrics import frechet_distance, kernel_distance, precision_recall

# measured on these cases: FID within 9e-15 relative, KID within 9e-16 absolute (4e-13 relative), equal counts
RTOL, ATOL = 1e-10, 1e-12


def _features(n: int, d: int, seed: int, shift: float = 0.0, scale: float = 1.0) -> torch.Tensor:
    """ReLU of correlated Gaussians, like the classifier's penultimate layer: sparse, non-negative, float32."""
    mix = torch.randn(d, d, generator=torch.Generator().manual_seed(d)) / d**0.5  # (d, d): one per d, shared
    z = torch.randn(n, d, generator=torch.Generator().manual_seed(seed))  # (n, d)
    return torch.relu(shift + scale * z @ mix)  # (n, d)


# (n_real, n_fake, d, fake shift, fake scale, seed); shift 0 and scale 1: one distribution, else two that differ
# clearly (precision far from recall, so a swapped argument order cannot pass by symmetry)
CASES = [
    (200, 200, 8, 0.0, 1.0, 0),
    (300, 300, 16, 0.0, 1.0, 1),
    (500, 300, 32, 0.5, 1.5, 2),
    (300, 300, 16, 2.0, 3.0, 3),
    (2000, 2000, 128, -0.2, 1.2, 4),  # the evaluation's own shape: 2,000 samples of 128 features
]


@pytest.fixture(params=CASES, ids=lambda c: "real{}-fake{}-d{}-shift{}-scale{}-seed{}".format(*c))
def case(request):
    n_real, n_fake, d, shift, scale, seed = request.param
    real = _features(n_real, d, seed)
    fake = _features(n_fake, d, seed + 100, shift, scale)
    return real, fake, request.param


def test_frechet_distance_equals_torch_fidelity(case):
    real, fake, _ = case
    stats = [fid_metric.fid_features_to_statistics(x.double()) for x in (fake, real)]
    theirs = fid_metric.fid_statistics_to_metric(*stats, verbose=False)["frechet_inception_distance"]
    assert frechet_distance(real, fake) == pytest.approx(theirs, rel=RTOL, abs=ATOL)


def test_kernel_distance_equals_torch_fidelity_on_the_whole_set(case):
    real, fake, _ = case
    n = min(len(real), len(fake))
    real, fake = real[:n], fake[:n]  # equal sizes, so that each side's one subset of size n is the whole set
    # two subsets, each the whole set in a new order: the mean is the full-set MMD², reordered sums aside
    ours, _ = kernel_distance(real, fake, subsets=2, subset_size=n, seed=0)
    theirs = kid_features_to_metric(fake.double(), real.double(), kid_subsets=1, kid_subset_size=n, verbose=False)
    assert ours == pytest.approx(theirs["kernel_inception_distance_mean"], rel=RTOL, abs=ATOL)


def test_precision_and_recall_equal_torch_fidelity(case):
    real, fake, (n_real, n_fake, _, shift, scale, _) = case
    precision, recall = precision_recall(real, fake, k=3)
    if (shift, scale) != (0.0, 1.0):
        assert abs(precision - recall) > 0.2  # the test sees which set is which
    their_precision, their_recall = calculate_precision_recall_full(fake.double(), real.double(), neighborhood=3)
    assert round(precision * n_fake) == round(their_precision * n_fake)  # fakes inside some real ball
    assert round(recall * n_real) == round(their_recall * n_real)  # reals inside some fake ball

