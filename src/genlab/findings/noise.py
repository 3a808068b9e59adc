"""How a findings module decides that a measured effect is beyond its noise. One rule for every section, so "no clear
difference" means the same thing everywhere in the report.

The rule is a two-sided test at the level a normal Z = 2 has (ALPHA ≈ 4.6%). Where the standard error is estimated
from the n items themselves (seeds, images, stages), the critical value is Student's t on n − 1 degrees of freedom,
not 2: at n = 2 a normal Z passes noise about 30% of the time. Below MIN_N items no verdict is given ("too few to
tell"). Every result also carries its minimum detectable effect: the smallest true effect this test finds with
probability POWER, which is what a "no clear difference" sentence must quote so that a reader can tell "none" from
"could not tell".
"""

from __future__ import annotations

import functools
import math
from statistics import NormalDist
from typing import Final, Generic, Literal, Required, TypedDict, TypeVar, get_args

import numpy as np
from scipy.optimize import brentq
from scipy.stats import nct as noncentral_t
from scipy.stats import t as student_t

Z = 2.0  # an effect counts when it exceeds Z standard errors of the difference (a normal's two-sided ≈ 95.4%)
ALPHA = 2 * (1 - NormalDist().cdf(Z))  # the two-sided level of every test in the report (≈ 0.0455)
POWER = 0.8  # the power at which a minimum detectable effect is quoted
MIN_N = 3  # fewer items than this: "too few to tell" (at n = 2 a t test has one degree of freedom: t = 14 at ALPHA)
NO_CLEAR: Final = "no clear difference"
TOO_FEW: Final = "too few to tell"

# The verdicts: every findings module declares each decision's verdicts as a Literal, and VERDICTS, keyed by where the
# facts put that decision, lists them for the report's contract test (tests/report/test_verdict_contract.py): every
# declared verdict has wording in its section's template, and every verdict a template words is declared.
Comparison = Literal["higher", "lower", "no clear difference"]  # verdict(), difference(): a − b against its noise
Paired = Literal["higher", "lower", "no clear difference", "too few to tell"]  # paired(): below MIN_N, TOO_FEW

V = TypeVar("V", bound=str)


class Decision(TypedDict, Generic[V], total=False):
    """A findings function's result: its numbers under any keys, and `verdict`, one of V. An annotation only: the
    functions build plain dicts."""

    verdict: Required[V]


def declared(**decisions) -> dict[str, tuple[str, ...]]:
    """A module's VERDICTS: each decision's Literal spelled out, keyed by where the facts put the decision."""
    return {key: get_args(verdicts) for key, verdicts in decisions.items()}


VERDICTS = declared(difference=Comparison, paired=Paired)


@functools.cache
def critical(df: float = math.inf, z: float = Z) -> float:
    """The critical value of a two-sided test at the level that `z` has for a normal: Student's t's when the standard
    error was estimated on `df` degrees of freedom, `z` itself when it is known (binomial, bootstrap, df = ∞)."""
    if math.isinf(df):
        return z
    return float(student_t.ppf(NormalDist().cdf(z), df))


@functools.cache
def _detectable_shift(df: float, z: float) -> float:
    """The shift, in standard errors, at which the two-sided test on `df` degrees of freedom rejects with probability
    POWER: the noncentral t's two tails (both upper tails, at ±shift: scipy's lower tail returns NaN far out). It
    calls the distribution's `_sf`, the method `sf` dispatches to after checking its arguments: the same numbers to
    the bit, 12 µs against 80 µs, and Welch's df differs at every call, so the cache rarely hits in a simulation."""
    c = critical(df, z)
    if math.isinf(df):
        def power(shift: float) -> float:
            return NormalDist().cdf(shift - c) + NormalDist().cdf(-c - shift)
    else:
        def power(shift: float) -> float:
            return float(noncentral_t._sf(c, df, shift) + noncentral_t._sf(c, df, -shift))
    high = c + 3.0
    while power(high) < POWER:
        high *= 2
    return brentq(lambda shift: power(shift) - POWER, 0.0, high, xtol=1e-6)


def detectable(se: float, df: float = math.inf, z: float = Z) -> float:
    """The minimum detectable effect: the true effect (in the units of `se`) that this two-sided test finds with
    probability POWER."""
    return _detectable_shift(float(df), float(z)) * se if math.isfinite(se) else math.inf


def verdict(delta: float, se: float, z: float = Z, df: float = math.inf) -> Comparison:
    return NO_CLEAR if not abs(delta) > critical(df, z) * se else ("higher" if delta > 0 else "lower")


def welch_df(a_se: float, a_df: float, b_se: float, b_df: float) -> float:
    """Welch–Satterthwaite degrees of freedom of a difference of two estimates with these standard errors."""
    terms = [se**4 / df for se, df in ((a_se, a_df), (b_se, b_df)) if se > 0 and not math.isinf(df)]
    if not terms:
        return math.inf
    return (a_se**2 + b_se**2) ** 2 / sum(terms)


def difference(a: float, a_se: float, b: float, b_se: float, z: float = Z, a_df: float = math.inf,
               b_df: float = math.inf) -> Decision[Comparison]:
    """a − b for two independent estimates, with its standard error, its degrees of freedom (Welch; ∞ where both
    standard errors are known rather than estimated), its minimum detectable effect and "higher", "lower" or
    "no clear difference"."""
    delta, se = a - b, math.hypot(a_se, b_se)
    df = welch_df(a_se, a_df, b_se, b_df)
    return {"delta": delta, "se": se, "df": df, "critical": critical(df, z), "detectable": detectable(se, df, z),
            "verdict": verdict(delta, se, z, df)}


def corrected_z(comparisons: int) -> float:
    """Z for `comparisons` looks at once (Bonferroni): the chance that any of them passes by noise alone stays
    that of one comparison at Z, so a section that asks "beyond noise anywhere?" is held to the same rule."""
    one_sided = 1 - NormalDist().cdf(Z)
    return NormalDist().inv_cdf(1 - one_sided / max(comparisons, 1))


def paired(a, b, z: float = Z, min_n: int = MIN_N) -> Decision[Paired]:
    """The mean of a − b over the same n items (images, pairs, seeds), with its standard error over them, judged
    with Student's t on n − 1 degrees of freedom; "too few to tell" below `min_n` items."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = len(diff)
    mean = float(diff.mean()) if n else math.nan
    se = float(diff.std(ddof=1) / math.sqrt(n)) if n > 1 else math.inf
    found = {"mean": mean, "se": se, "n": n, "df": n - 1, "min_n": min_n}
    if n < min_n:
        return {**found, "critical": math.inf, "detectable": math.inf, "verdict": TOO_FEW}
    return {**found, "critical": critical(n - 1, z), "detectable": detectable(se, n - 1, z),
            "verdict": verdict(mean, se, z, n - 1)}


def named(found: dict, higher: str, lower: str, neither: str = NO_CLEAR,
          too_few: str = "too_few_to_tell") -> Decision[str]:
    """A comparison from difference() or paired() with its verdict in the section's own words."""
    words = {"higher": higher, "lower": lower, TOO_FEW: too_few}
    return {**found, "verdict": words.get(found["verdict"], neither)}


def binomial_se(p: float, n: int) -> float:
    """Standard error of a share p measured on n independent items."""
    return math.sqrt(max(p * (1 - p), 0.0) / n)
