from __future__ import annotations

import math

import pandas as pd
import pytest

from genlab.findings.training import balance, diversity, recovery, training_facts


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


def _tail(gap: float, noise: float) -> pd.DataFrame:
    wobble = noise * pd.Series([-1.0, 1.0, -1.0, 1.0, 0.0, 0.0])
    return pd.DataFrame({"d_real": 0.5 + gap / 2 + wobble, "d_fake": 0.5 - gap / 2})


@pytest.mark.parametrize("gap, noise, verdict", [
    (0.95, 0.01, "d_separates"), (0.6, 0.01, "d_ahead"), (0.05, 0.01, "near_equilibrium"), (0.3, 0.2, "borderline"),
])
def test_balance(gap, noise, verdict):
    assert balance(_tail(gap, noise))["verdict"] == verdict


@pytest.mark.parametrize("values, collapsed, verdict", [
    ([5.0, 2.0, 9.0, 9.1, 8.9, 9.0], True, "as_varied"),
    ([5.0, 6.0, 6.0, 6.1, 5.9, 6.0], False, "less_varied"),
    ([5.0, 6.0, 7.0, 9.0, 7.5, 8.0], False, "unclear"),
])
def test_diversity(values, collapsed, verdict):
    found = diversity([[1000 * (i + 1), v] for i, v in enumerate(values)], real=10.0)
    assert (found["collapsed"], found["verdict"]) == (collapsed, verdict)
