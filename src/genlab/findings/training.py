"""Numbers about a GAN's training history that the report's sentences are chosen by."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd

from genlab.findings.noise import MIN_N, Decision, corrected_z, critical, declared, detectable

EQUILIBRIUM_D_LOSS = 2 * math.log(2)  # D's minimax loss when D(x) = D(G(z)) = 1/2 everywhere
D_WON = 0.01  # D "won outright" while mean D(G(z)) was below this
RECOVERED = 0.3  # G "recovered" when mean D(G(z)) rose back above this after having fallen below it
SEPARATES = 0.8  # a final gap D(x) − D(G(z)) above this: D tells real from fake almost perfectly
AHEAD = 0.3  # ... above this: D is still clearly ahead; below it the pair sits near the equilibrium
COLLAPSED = 0.5  # samples under this share of the real images' spread have collapsed towards a few images
AS_VARIED = 0.8  # samples at or above this share of the real spread are about as varied as real images
BATCHES = 4  # the tail window's log points are averaged in this many consecutive batches for the balance's s.e.

RecoveryVerdict = Literal["never_fell", "recovered", "never_recovered"]
BalanceVerdict = Literal["too_few_to_tell", "d_separates", "d_ahead", "near_equilibrium", "borderline"]
DiversityVerdict = Literal["too_few_to_tell", "as_varied", "collapsed", "less_varied", "unclear"]
VERDICTS = declared(recovery=RecoveryVerdict, balance=BalanceVerdict, diversity=DiversityVerdict)


def first_step(history: pd.DataFrame, mask: pd.Series) -> int | None:
    steps = history.loc[mask, "step"]
    return int(steps.iloc[0]) if len(steps) else None


def training_facts(history: pd.DataFrame, tail_fraction: float = 0.1) -> dict:
    """Windowed end-of-training means, the extremes of D(G(z)), and when G first fooled D."""
    tail = history.iloc[-max(1, int(len(history) * tail_fraction)) :]
    second_half = history.iloc[len(history) // 2 :]
    return {
        "final": {col: float(tail[col].mean()) for col in ("d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm",
                                                            "logit_grad")},
        "final_window_steps": [int(tail["step"].iloc[0]), int(tail["step"].iloc[-1])],
        "d_fake_min": float(history["d_fake"].min()),
        "d_fake_min_step": int(history.loc[history["d_fake"].idxmin(), "step"]),
        "d_fake_max": float(history["d_fake"].max()),
        "d_fake_max_step": int(history.loc[history["d_fake"].idxmax(), "step"]),
        "d_fake_std_second_half": float(second_half["d_fake"].std(ddof=0)),
        "d_won": {"below": D_WON, "step": first_step(history, history["d_fake"] < D_WON)},
        "recovery": recovery(history),
        "balance": balance(tail),
        "equilibrium_d_loss": EQUILIBRIUM_D_LOSS,
        "d_loss_over_equilibrium": float(tail["d_loss"].mean() / EQUILIBRIUM_D_LOSS),
    }


def recovery(history: pd.DataFrame) -> Decision[RecoveryVerdict]:
    """When G first pushed mean D(G(z)) back above RECOVERED after D had pushed it below: not the untrained D's
    own ½ at step 1, which says nothing about G."""
    fell = first_step(history, history["d_fake"] < RECOVERED)
    rose = None if fell is None else first_step(history, (history["step"] > fell) & (history["d_fake"] > RECOVERED))
    verdict: RecoveryVerdict = ("never_fell" if fell is None
                                else "recovered" if rose is not None else "never_recovered")
    return {"level": RECOVERED, "fell_at": fell, "step": rose, "verdict": verdict}


def balance(tail: pd.DataFrame) -> Decision[BalanceVerdict]:
    """The final gap D(x) − D(G(z)) over the tail window, and what it says about the game. Successive log points are
    correlated (the networks drift slowly), so an s.e. over points understates the noise: over 20 points at lag-1
    correlation 0.3 a 5% test fires 16% of the time (27% at 0.5). The s.e. comes from BATCHES batch means instead,
    judged with Student's t on BATCHES − 1 degrees of freedom: 5.7% (6.7% at 0.5; tests/findings/
    test_training_calibration.py)."""
    gap = (tail["d_real"] - tail["d_fake"]).to_numpy(dtype=float)
    means = [float(b.mean()) for b in np.array_split(gap, min(BATCHES, len(gap)))]
    n = len(means)
    mean = float(np.mean(means))
    se = float(np.std(means, ddof=1) / math.sqrt(n)) if n > 1 else math.inf
    c = critical(n - 1) if n >= MIN_N else math.inf
    verdict: BalanceVerdict
    if n < MIN_N:
        verdict = "too_few_to_tell"
    elif mean - c * se > SEPARATES:
        verdict = "d_separates"
    elif mean - c * se > AHEAD:
        verdict = "d_ahead"
    elif mean + c * se < AHEAD:
        verdict = "near_equilibrium"
    else:
        verdict = "borderline"  # within noise of the AHEAD line
    return {"gap": mean, "se": se, "n_batches": n, "n_points": len(gap), "df": n - 1, "critical": c,
            "detectable": detectable(se, n - 1) if n >= MIN_N else math.inf, "min_n": MIN_N,
            "separates_above": SEPARATES, "ahead_above": AHEAD, "verdict": verdict}


def diversity(grid_diversity: list[list[float]], real: float) -> Decision[DiversityVerdict]:
    """The fixed-z samples' spread (mean pairwise distance) against the real images', at its lowest and at the end.
    Noise: how much one grid's value moves between the checkpoints of the second half of training (Student's t on
    their number − 1 degrees of freedom; the lowest grid is picked from all of them, so it is held to the one-sided
    level spread over them). Ending under COLLAPSED × the real spread is a collapse, not a partial one."""
    values = [v for _, v in grid_diversity]
    second_half = values[len(values) // 2 :]
    n = len(second_half)
    noise = float(np.std(second_half, ddof=1)) if n > 1 else math.inf
    low_step, low = min(grid_diversity, key=lambda sv: sv[1])
    end = values[-1]
    c = critical(n - 1) if n >= MIN_N else math.inf
    c_low = critical(n - 1, corrected_z(len(values))) if n >= MIN_N else math.inf
    collapsed = bool(low + c_low * noise < COLLAPSED * real)
    verdict: DiversityVerdict
    if n < MIN_N:
        verdict = "too_few_to_tell"
    elif end - c * noise >= AS_VARIED * real:
        verdict = "as_varied"
    elif end + c * noise < COLLAPSED * real:
        verdict = "collapsed"
    elif end + c * noise < AS_VARIED * real:
        verdict = "less_varied"
    else:
        verdict = "unclear"
    return {"lowest": low, "lowest_step": int(low_step), "end": end, "real": real, "noise": noise,
            "n_grids": len(values), "n_noise_grids": n, "df": n - 1, "critical": c, "lowest_critical": c_low,
            "detectable": detectable(noise, n - 1) if n >= MIN_N else math.inf, "min_n": MIN_N,
            "end_share": end / real, "collapsed": collapsed, "collapsed_below": COLLAPSED,
            "as_varied_above": AS_VARIED, "verdict": verdict}
