"""Every verdict of the restoration section, from hand-made per-image PSNRs."""

from __future__ import annotations

import numpy as np
import pytest

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
    masks = restoration_findings({"random80": _mask("random", scattered), "bottom": _mask("half", block)})["masks"]
    assert shape_effect(masks)["verdict"] == verdict


def test_shape_effect_with_one_kind():
    masks = restoration_findings({"random80": _mask("random", 1.0)})["masks"]
    assert shape_effect(masks)["verdict"] == "one_kind"
