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


WINDOW = 0.1  # the peak and tail windows of a retrained D's log, as a share of its logged points (at least 3)
RISE = 2.0  # a norm "rose first" when its peak window's median is this many times its value against the untrained D


def fall(values: np.ndarray, window: float = WINDOW) -> dict:
    """How far a logged series fell from its peak, in orders of magnitude: the median of its last window against the
    largest median of any window. Medians of windows, not the largest single point against the last one: with ~200
    noisy points the maximum alone sits high and the last point anywhere, which biases every series towards "fell"."""
    values = np.asarray(values, dtype=float)
    width = min(max(round(window * len(values)), 3), len(values))
    medians = pd.Series(values).rolling(width).median().to_numpy()[width - 1:]  # one per window, by its first point
    start = int(np.argmax(medians))
    peak, tail = float(medians[start]), float(medians[-1])
    return {"peak": peak, "tail": tail, "peak_at": start, "window": width,
            "decades": float(np.log10(max(tail, 1e-300) / peak)), "rose": bool(peak >= RISE * values[0])}
