"""Numbers about a GAN's training history that the report's sentences are chosen by."""

from __future__ import annotations

import math

import pandas as pd

EQUILIBRIUM_D_LOSS = 2 * math.log(2)  # D's minimax loss when D(x) = D(G(z)) = 1/2 everywhere


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
        "first_step_d_fake_above_0.3": first_step(history, history["d_fake"] > 0.3),
        "first_step_d_fake_below_0.01": first_step(history, history["d_fake"] < 0.01),
        "equilibrium_d_loss": EQUILIBRIUM_D_LOSS,
        "d_loss_over_equilibrium": float(tail["d_loss"].mean() / EQUILIBRIUM_D_LOSS),
    }
