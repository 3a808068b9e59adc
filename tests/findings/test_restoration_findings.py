"""Every verdict of the restoration section, from hand-made per-image PSNRs."""

from __future__ import annotations

import numpy as np
import pytest

from genlab.findings.noise import corrected_z, critical
from genlab.findings.restoration import mean_gain, restoration_findings, shape_effect


def test_mean_gain():
    assert mean_gain(np.array([3.0, 3.2, 2.8, 3.1]))["verdict"] == "gain"
    assert mean_gain(np.array([-3.0, -3.2, -2.8, -3.1]))["verdict"] == "loss"
    assert mean_gain(np.array([2.0, -2.0, 1.0, -1.5]))["verdict"] == "no clear difference"


def _mask(kind: str, gain: float, spread: float = 0.1) -> dict:
    g = 20 + gain + spread * np.array([-1.0, 1.0, -0.5, 0.5, 0.0])
    return {"kind": kind, "generator": g, "mean": np.full(5, 20.0), "nearest": np.full(5, 19.0)}


@pytest.mark.parametrize("gains, verdict, loses", [
    ({"random50": 3, "center": 1}, "gains_everywhere", []),
    ({"random50": 3, "center": -1}, "loses_somewhere", ["center"]),
    ({"random50": 3, "center": 0.01}, "ties_somewhere", []),
])
def test_restoration_findings(gains, verdict, loses):
    per_image = {name: _mask("random" if name.startswith("random") else "center", g) for name, g in gains.items()}
    found = restoration_findings(per_image)
    assert found["verdict"] == verdict and found["loses_to_mean"] == loses and found["order"][0] == "random50"
    assert found["masks"]["random50"]["vs_nearest"]["verdict"] == "gain"


@pytest.mark.parametrize("scattered, block, verdict", [
    (3.0, 1.0, "scattered_easier"), (1.0, 3.0, "overlap"), (1.0, 1.02, "no_clear_difference"),
])
def test_shape_effect(scattered, block, verdict):
    found = shape_effect({"random80": _mask("random", scattered), "bottom": _mask("half", block, spread=0.3)})
    assert found["verdict"] == verdict and found["pairs"] == 1


def test_shape_effect_with_one_kind():
    assert shape_effect({"random80": _mask("random", 1.0)})["verdict"] == "one_kind"


@pytest.mark.parametrize("scale, verdict", [(0.99, "no_clear_difference"), (1.01, "scattered_easier")])
def test_shape_effect_at_the_corrected_z(scale, verdict):
    """Two scattered masks × two blocks: 4 pairs. The paired differences have mean 1 and s.e. 1 / edge, so a
    difference of `scale` × edge s.e. sits just inside or just outside the corrected critical value."""
    edge = critical(4, corrected_z(4))
    shape = np.array([-1.0, 1.0, -0.5, 0.5, 0.0])
    diff = 1 + shape / shape.std(ddof=1) * 5**0.5 / (scale * edge)
    base = np.full(5, 20.0)
    per_image = {"r1": {"kind": "random", "generator": base + 10 + diff, "mean": base, "nearest": base},
                 "r2": {"kind": "random", "generator": base + 20 + diff, "mean": base, "nearest": base},
                 "b1": {"kind": "half", "generator": base + 10, "mean": base, "nearest": base},
                 "b2": {"kind": "center", "generator": base + 9, "mean": base, "nearest": base}}
    found = shape_effect(per_image)
    assert found["pairs"] == 4 and (found["scattered"], found["block"]) == ("r1", "b1")
    assert found["verdict"] == verdict


def test_too_few_images_are_too_few_to_tell():
    two = np.array([20.0, 20.0])
    per_image = {name: {"kind": kind, "generator": two + [5, 6], "mean": two, "nearest": two}
                 for name, kind in (("random80", "random"), ("bottom", "half"))}
    found = restoration_findings(per_image)
    assert found["verdict"] == "too_few_to_tell" and found["shape"]["verdict"] == "too_few_to_tell"
