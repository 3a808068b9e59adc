"""Calibration of verdicts by simulation: how often a verdict fires on data drawn with no effect (at most the nominal
level plus Monte-Carlo error) and with a planted effect (at least the power the section claims).

DRAWS sets the simulations per check; CI may lower it with GENLAB_CALIBRATION_DRAWS, never to zero.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import numpy as np

from genlab.findings.noise import ALPHA

DRAWS = max(int(os.environ.get("GENLAB_CALIBRATION_DRAWS", "400")), 50)
NOMINAL = 0.05  # what the report's tests promise: a false-positive rate of at most 5%


def rate(fires: Callable[[np.random.Generator], bool], draws: int = DRAWS, seed: int = 0) -> float:
    """The share of `draws` seeded simulations in which `fires(rng)` is true."""
    rng = np.random.default_rng(seed)
    return sum(bool(fires(rng)) for _ in range(draws)) / draws


def null_bound(draws: int = DRAWS, level: float = NOMINAL) -> float:
    """The largest false-positive rate a calibrated verdict can show: the nominal level plus 2 Monte-Carlo s.e."""
    return level + 2 * math.sqrt(level * (1 - level) / draws)


def power_bound(power: float, draws: int = DRAWS) -> float:
    """The smallest rate a planted effect found with probability `power` can show: minus 2 Monte-Carlo s.e."""
    return power - 2 * math.sqrt(power * (1 - power) / draws)


assert ALPHA <= NOMINAL  # the report's level is within what the calibration tests hold it to
