"""Loss saturation: the analytic picture of each generator loss, and a criterion measured on a run's history."""

from __future__ import annotations

import numpy as np
import pandas as pd


def loss_shapes(d: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each generator loss, and its derivative with respect to D's logit, as functions of D's output on fakes.

    For the minimax losses the output is D(G(z)) = sigmoid(logit), so ∂/∂logit = D(1 - D) ∂/∂D; for least
    squares the output is the raw score s itself.
    """
    return {
        "saturating": (np.log1p(-d), -d),  # log(1 - D): its slope dies as D(G(z)) -> 0
        "nonsaturating": (-np.log(d), -(1 - d)),  # -log D: steepest exactly there
        "least_squares": ((d - 1) ** 2, 2 * (d - 1)),  # (s - 1)^2 on the raw score s
    }


def saturation(
    history: pd.DataFrame, *, grad_ratio: float, d_fake_below: float, min_steps: int, early_steps: int
) -> dict:
    """Did G's gradient vanish while D won? The first stretch of at least `min_steps` steps in which
    ‖∇G‖ < grad_ratio × (its largest value up to `early_steps`) and mean D(G(z)) < d_fake_below."""
    early = float(history.loc[history["step"] <= early_steps, "g_grad_norm"].max())
    flagged = (history["g_grad_norm"] < grad_ratio * early) & (history["d_fake"] < d_fake_below)
    steps = history["step"].to_numpy()
    start = None
    for i, hit in enumerate(flagged.to_numpy()):
        if not hit:
            start = None
            continue
        start = steps[i] if start is None else start
        if steps[i] - start >= min_steps:
            return {"saturated": True, "from_step": int(start), "early_grad_norm": early,
                    "flagged_fraction": float(flagged.mean())}
    return {"saturated": False, "from_step": None, "early_grad_norm": early, "flagged_fraction": float(flagged.mean())}
