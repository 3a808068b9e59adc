"""Every verdict of the loss-saturation section, from small hand-made tables."""

from __future__ import annotations

import pytest

from genlab.findings.gan import by_k, by_loss, count_difference, retrain


def g(loss: str, hits: int, runs: int) -> dict:
    return {"loss": loss, "n_saturated": hits, "n_runs": runs}


def test_zero_of_six_against_two_of_six_is_no_clear_difference():
    assert count_difference(2, 6, 0, 6)["verdict"] == "no clear difference"
    assert count_difference(12, 12, 0, 12)["verdict"] == "more"
    assert count_difference(0, 12, 12, 12)["verdict"] == "fewer"


@pytest.mark.parametrize("hits, verdict", [
    ((0, 0, 0), "none_saturated"),
    ((3, 3, 3), "all_saturated"),
    ((6, 0, 0), "clearly_more"),
    ((1, 0, 0), "not_clearly_more"),
])
def test_by_loss(hits, verdict):
    groups = [g(name, h, 6) for name, h in zip(("saturating", "nonsaturating", "least_squares"), hits,
                                                      strict=True)]
    found = by_loss(groups)
    assert found["verdict"] == verdict
    if verdict in ("clearly_more", "not_clearly_more"):
        assert found["most"] == "saturating" and found["calm"] == ["nonsaturating", "least_squares"]


@pytest.mark.parametrize("lo, hi, verdict", [
    (0, 9, "more_with_higher_k"), (9, 0, "fewer_with_higher_k"), (0, 2, "no_clear_difference"),
])
def test_by_k(lo, hi, verdict):
    groups = [{"k": 5, "n_saturated": hi, "n_runs": 9}, {"k": 1, "n_saturated": lo, "n_runs": 9}]
    found = by_k(groups)
    assert found["verdict"] == verdict and found["low"]["k"] == 1 and found["high"]["k"] == 5


def test_by_k_with_one_k():
    assert by_k([{"k": 1, "n_saturated": 0, "n_runs": 3}])["verdict"] == "one_k"


def _grad(sat: float, nonsat: float, peak_step: int = 20) -> dict:
    return {loss: {"last_over_peak": r, "peak_d_step": peak_step, "peak": 1.0, "last": r}
            for loss, r in (("saturating", sat), ("nonsaturating", nonsat), ("least_squares", 0.8))}


@pytest.mark.parametrize("sat, nonsat, verdict", [
    (0.01, 0.9, "reproduced"), (0.68, 0.9, "weaker"), (0.9, 0.5, "not_shown"),
])
def test_retrain(sat, nonsat, verdict):
    assert retrain(_grad(sat, nonsat))["verdict"] == verdict


def test_retrain_says_whether_every_norm_rose_first():
    assert retrain(_grad(0.01, 0.9))["all_rose_first"]
    assert not retrain(_grad(0.01, 0.9, peak_step=0))["all_rose_first"]
