"""Every verdict of the MLP GAN section's data-copying and coverage checks, and their thresholds pinned from both
sides."""

from __future__ import annotations

import math

import pytest

from genlab.findings.mlp_gan import (
    MIN_CELLS,
    MIN_DISTINCT,
    MIN_FAKES,
    MIN_HELD_OUT,
    TAU,
    cells_for,
    copying,
    coverage,
)
from genlab.findings.noise import corrected_z


def _cells(zs: list[float], fakes: int = 200, held_out: int = 50) -> list[dict]:
    """Cells with these Z_U scores (U set to match)."""
    sd_u = math.sqrt(fakes * held_out * (fakes + held_out + 1) / 12)
    return [{"cell": i, "train": 450, "fakes": fakes, "held_out": held_out, "u": fakes * held_out / 2 + z * sd_u,
             "z": z} for i, z in enumerate(zs)]


DISTINCT = {"within": 2.0, "compared": 500, "fakes": 495, "held_out": 498, "all_fakes": 1980}


def _copying(cells: list[dict], distinct: dict = DISTINCT, n_fakes: int = 2000, n_held_out: int = 500) -> dict:
    return copying(cells, n_fakes, n_held_out, 4500, distinct)


def test_c_t_by_hand():
    found = _copying(_cells([-1.0, 1.0, 3.0, 0.0], held_out=50) + _cells([5.0], fakes=TAU - 1))
    assert found["kept"] == 4 and found["k"] == 5  # the cell with TAU − 1 fakes is dropped
    assert found["c_t"] == pytest.approx(0.75) and found["null_sd"] == pytest.approx(0.5)  # four equal weights
    assert found["nearer"] == pytest.approx(0.5 - 0.75 * math.sqrt(251 / (12 * 200 * 50)))


@pytest.mark.parametrize("z, verdict", [(-1.01, "copies"), (-0.99, "no_clear_difference"),
                                        (0.99, "no_clear_difference"), (1.01, "underfits")])
def test_c_t_just_inside_and_outside_its_line(z, verdict):
    found = _copying(_cells([z] * 4))  # C_T = z; null s.d. ½, so the line is at C_T = ±2 × ½
    assert found["verdict"] == verdict


def test_no_clear_difference_states_what_it_could_have_found():
    found = _copying(_cells([0.0] * 10))
    assert found["detectable"] == pytest.approx((2 + 0.8416) * math.sqrt(0.1), rel=1e-3)
    assert 0 < found["detectable_nearer"] < 0.1


def test_near_duplicate_fakes_are_a_collapse_not_a_copy():
    share = MIN_DISTINCT * DISTINCT["held_out"]
    assert _copying(_cells([-8.0] * 10), {**DISTINCT, "fakes": math.floor(share) - 1})["verdict"] == "collapsed"
    assert _copying(_cells([-8.0] * 10), {**DISTINCT, "fakes": math.ceil(share) + 1})["verdict"] == "copies"


def test_fakes_in_too_few_cells_are_a_collapse():
    few = _cells([-8.0] * (MIN_CELLS - 1)) + _cells([0.0] * 5, fakes=TAU - 1)
    assert _copying(few)["verdict"] == "collapsed"
    assert _copying(_cells([-8.0] * MIN_CELLS) + _cells([0.0] * 5, fakes=TAU - 1))["verdict"] == "copies"


def test_too_few_images_to_tell():
    assert _copying(_cells([-8.0] * 3), n_fakes=MIN_FAKES - 1)["verdict"] == "too_few_to_tell"
    assert _copying(_cells([-8.0] * 3), n_held_out=MIN_HELD_OUT - 1)["verdict"] == "too_few_to_tell"
    assert _copying([], n_fakes=0)["c_t"] is None


def test_cells_for_the_configs_and_the_smoke_run():
    assert cells_for(500, 2000, 10) == 10 and cells_for(100, 200, 10) == 4 and cells_for(10, 10, 10) == 1


@pytest.mark.parametrize("share, verdict", [
    ([0.1] * 10, "even"),
    ([0.3] + [0.7 / 9] * 9, "uneven"),
    ([0.105] * 9 + [0.005], "classes_missing"),
    ([0.21] + [0.79 / 9] * 9, "even"),  # 0.21 is above 2 × 0.1, but not beyond its noise at n = 200
])
def test_coverage(share, verdict):
    assert coverage(share, n_fakes=200)["verdict"] == verdict


def test_the_largest_class_is_judged_as_picked_from_all():
    z, line = corrected_z(10), 0.2
    for _ in range(20):  # the share whose own s.e. puts it exactly z s.e. above 2 × the balanced share
        line = 0.2 + z * math.sqrt(line * (1 - line) / 2000)
    assert coverage([line + 1e-4] + [(1 - line) / 9] * 9, 2000)["verdict"] == "uneven"
    assert coverage([line - 1e-3] + [(1 - line) / 9] * 9, 2000)["verdict"] == "even"
    assert coverage([0.1] * 10, 2000)["detectable"] > line
