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


def stages(sat, nonsat, d_fake_last=(0.001, 0.001, 0.001), peak_step: int = 20) -> list[dict]:
    """Retrain-D facts for one frozen G per entry: each loss's fall in decades, and D(G(z)) at the end."""
    return [{"stage": 1000 * (i + 1), "d_fake_last": d,
             "grad": {loss: {"decades": dec, "peak_d_step": peak_step}
                      for loss, dec in (("saturating", s), ("nonsaturating", n), ("least_squares", -0.2))}}
            for i, (s, n, d) in enumerate(zip(sat, nonsat, d_fake_last, strict=True))]


RETRAIN_DECADES = {  # saturating, non-saturating falls per frozen G (decades; negative = fell)
    "reproduced": ((-2.0, -1.5, -1.2), (0.1, 0.0, -0.1)),
    "weaker": ((-0.9, -0.6, -0.5), (0.1, 0.0, -0.1)),
    "not_shown": ((0.0, 0.1, 0.0), (-1.0, -1.2, -0.9)),
    "no_clear_difference": ((-1.0, 0.2, -0.1), (0.1, -0.9, 0.0)),
}


@pytest.mark.parametrize("verdict", RETRAIN_DECADES)
def test_retrain(verdict):
    found = retrain(stages(*RETRAIN_DECADES[verdict]))
    assert found["verdict"] == verdict
    assert found["comparison"]["n"] == 3 and found["direction"] in ("more", "less")


def test_retrain_with_one_generator_cannot_beat_its_noise():
    assert retrain(stages((-3.0,), (0.0,), (0.001,)))["verdict"] == "no_clear_difference"


@pytest.mark.parametrize("d_fake_last, d_optimal, short", [
    ((0.001, 0.005, 0.009), "all", []), ((0.001, 0.02, 0.3), "some", [2000, 3000]),
    ((0.02, 0.1, 0.5), "none", [1000, 2000, 3000]),
])
def test_retrain_says_against_which_generators_d_became_near_optimal(d_fake_last, d_optimal, short):
    found = retrain(stages(*RETRAIN_DECADES["reproduced"], d_fake_last))
    assert found["d_optimal"] == d_optimal and found["short_stages"] == short


def test_retrain_says_whether_every_norm_rose_first():
    assert retrain(stages(*RETRAIN_DECADES["reproduced"]))["all_rose_first"]
    assert not retrain(stages(*RETRAIN_DECADES["reproduced"], peak_step=0))["all_rose_first"]
