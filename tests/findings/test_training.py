from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from genlab.findings.noise import critical
from genlab.findings.training import AHEAD, BATCHES, balance, diversity, recovery, training_facts


def test_training_facts_on_a_known_history():
    steps = list(range(10, 210, 10))  # 20 log points
    d_fake = [0.005] * 5 + [0.1] * 5 + [0.35] * 10
    h = pd.DataFrame({"step": steps, "d_fake": d_fake, "d_real": [0.9] * 20, "d_loss": [1.0] * 20,
                      "g_loss": [2.0] * 20, "g_grad_norm": [3.0] * 20, "logit_grad": [0.5] * 20})
    f = training_facts(h)
    assert f["d_won"]["step"] == 10
    assert f["recovery"] == {"level": 0.3, "fell_at": 10, "step": 110, "verdict": "recovered"}
    assert f["final"]["d_fake"] == pytest.approx(0.35) and f["final_window_steps"] == [190, 200]
    assert f["d_loss_over_equilibrium"] == pytest.approx(1 / (2 * math.log(2)))
    assert f["d_fake_min_step"] == 10 and f["d_fake_std_second_half"] == pytest.approx(0.0)


def test_never_crossing_gives_none():
    h = pd.DataFrame({"step": [1, 2], "d_fake": [0.2, 0.25], "d_real": [0.5, 0.5], "d_loss": [1, 1],
                      "g_loss": [1, 1], "g_grad_norm": [1, 1], "logit_grad": [1, 1]})
    f = training_facts(h)
    assert f["d_won"]["step"] is None and f["recovery"]["verdict"] == "never_recovered"


def test_the_untrained_discriminators_half_at_step_1_is_no_recovery():
    h = pd.DataFrame({"step": [1, 50, 100], "d_fake": [0.5, 0.6, 0.55]})
    assert recovery(h)["verdict"] == "never_fell"


def _tail(gap: float, noise: float, points: int = 8) -> pd.DataFrame:
    """`points` log points whose BATCHES batch means are gap ± noise (alternating)."""
    per = points // BATCHES
    wobble = noise * np.repeat([-1.0, 1.0] * (BATCHES // 2), per)
    return pd.DataFrame({"d_real": 0.5 + gap / 2 + wobble, "d_fake": np.full(len(wobble), 0.5 - gap / 2)})


@pytest.mark.parametrize("gap, noise, verdict", [
    (0.95, 0.01, "d_separates"), (0.6, 0.01, "d_ahead"), (0.05, 0.01, "near_equilibrium"), (0.3, 0.2, "borderline"),
])
def test_balance(gap, noise, verdict):
    found = balance(_tail(gap, noise))
    assert found["verdict"] == verdict and found["n_batches"] == BATCHES and found["df"] == BATCHES - 1


def test_the_balance_is_judged_on_batch_means_with_students_t():
    found = balance(_tail(0.4, 0.05))  # batch means 0.35, 0.45, 0.35, 0.45: s.e. 0.0289 on 3 df
    assert found["se"] == pytest.approx(0.05 / math.sqrt(3), rel=1e-9)
    assert found["critical"] == pytest.approx(critical(BATCHES - 1))
    line = found["critical"] * found["se"]
    assert balance(_tail(AHEAD + 1.01 * line, 0.05))["verdict"] == "d_ahead"
    assert balance(_tail(AHEAD + 0.99 * line, 0.05))["verdict"] == "borderline"
    assert found["detectable"] > line  # the smallest distance from the line found at 80% power


def test_a_tail_too_short_for_batches_is_too_few_to_tell():
    assert balance(_tail(0.9, 0.0, points=8).iloc[:2])["verdict"] == "too_few_to_tell"


@pytest.mark.parametrize("values, collapsed, verdict", [
    ([5.0, 2.0, 9.0, 9.0, 9.0, 9.0, 9.1, 8.9, 9.0, 9.0], True, "as_varied"),
    ([5.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.1, 5.9, 6.0, 6.0], False, "less_varied"),
    ([5.0, 3.0, 2.0, 2.0, 2.0, 1.7, 1.8, 1.6, 1.7, 1.7], True, "collapsed"),  # 17% of the real spread: not partial
    ([5.0, 6.0, 7.0, 9.0, 7.0, 7.0, 9.0, 7.5, 8.0, 8.0], False, "unclear"),
    ([5.0, 2.0, 9.0, 9.0], False, "too_few_to_tell"),  # two grids in the second half
])
def test_diversity(values, collapsed, verdict):
    found = diversity([[1000 * (i + 1), v] for i, v in enumerate(values)], real=10.0)
    assert (found["collapsed"], found["verdict"]) == (collapsed, verdict)
