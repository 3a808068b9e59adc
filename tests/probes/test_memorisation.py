from __future__ import annotations

import numpy as np
import pytest

from genlab.core.data import pick_images
from genlab.probes.memorisation import class_coverage, distance_summary


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
