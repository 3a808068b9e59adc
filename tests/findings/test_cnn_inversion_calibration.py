"""Calibration of the CNN-inversion verdicts by simulation (DESIGN §3), at the numbers of images config.yaml and
config/quick.yaml invert: no effect fires at most the nominal rate, a planted effect is found at the power the
t test has at that n. The depth trend is simulated under the confound the section once fell for: λ_TV rises with
depth and PSNR falls with it, while the features themselves lose nothing within a block."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from calibration import DRAWS, null_bound, power_bound, rate
from conftest import CONFIG, REPO
from scipy.stats import nct, spearmanr

from genlab.findings.cnn_inversion import (
    MATCHED,
    constant_lambda_blocks,
    depth_trend,
    feature_match,
    kinds_by_drop,
    tv_verdicts,
    within_block_slopes,
)
from genlab.findings.noise import MIN_N, TOO_FEW, Z, critical, detectable, paired

pytestmark = pytest.mark.simulation

QUICK = yaml.safe_load((REPO / "config/quick.yaml").read_text())["cnn_inversion"]
FULL = CONFIG["cnn_inversion"]
LAMBDA = FULL["lambda_tv"]  # quick.yaml keeps config.yaml's λ_TV per layer
LAYERS = list(LAMBDA)
BLOCKS = constant_lambda_blocks(LAYERS, LAMBDA)


def _per_kind(images: dict) -> tuple[int, int]:
    return len(images.get("natural", FULL["images"]["natural"])), images.get("dataset", FULL["images"]["dataset"])


N_IMAGES = sorted({sum(_per_kind(FULL["images"])), sum(_per_kind(QUICK["images"]))})  # images per layer inversion
KINDS = sorted({_per_kind(FULL["images"]), _per_kind(QUICK["images"])})  # (natural, dataset) images
N_SWEEP = sorted({FULL["tv_sweep"]["n_images"], QUICK["tv_sweep"].get("n_images", FULL["tv_sweep"]["n_images"])})
SWEEP_LAMBDAS = [FULL["tv_sweep"]["lambdas"], QUICK["tv_sweep"].get("lambdas", FULL["tv_sweep"]["lambdas"])]
NOISE = 0.5  # dB of per-(image, layer) PSNR noise around each image's curve


def _exact_power(n: int, effect_in_se: float) -> float:
    """The power of the paired t test on n items to call a true effect of `effect_in_se` standard errors in its own
    direction (the noncentral t; the minimum detectable effect's formula uses the central one, a little short of it
    at a few degrees of freedom)."""
    return float(nct.sf(critical(n - 1), n - 1, abs(effect_in_se)))


def _confounded_psnr(rng: np.random.Generator, n: int, slope: float = 0.0) -> pd.DataFrame:
    """n images × the config's layers: PSNR set by λ_TV alone (−4 dB per decade of λ), each image's own level,
    independent noise, and `slope` dB per layer of depth within each constant-λ block."""
    steps = np.array([-4 * math.log10(LAMBDA[name]) for name in LAYERS])
    within = np.concatenate([np.arange(len(block)) for block in BLOCKS])
    psnr = (25 + rng.normal(0, 2, (n, 1)) + steps + slope * within + rng.normal(0, NOISE, (n, len(LAYERS))))
    return pd.DataFrame(psnr, columns=LAYERS)


@pytest.mark.parametrize("n", N_IMAGES)
def test_a_fall_caused_by_lambda_alone_is_not_credited_to_depth(n):
    """Under the confound the whole-stack trend fires nearly always; the within-block trend at its nominal rate."""
    def stack_fires(rng):
        psnr = _confounded_psnr(rng, n)
        rho = [spearmanr(np.arange(len(LAYERS)), row).statistic for row in psnr.to_numpy()]
        return paired(rho, np.zeros(n))["verdict"] == "lower"

    assert rate(stack_fires, draws=100) > 0.9  # what the old verdict measured
    assert rate(lambda rng: depth_trend(_confounded_psnr(rng, n), BLOCKS)["verdict"] in ("falls", "rises")) <= \
        null_bound()


@pytest.mark.parametrize("n", N_IMAGES)
def test_a_planted_fall_within_blocks_is_found_at_the_power_of_its_t_test(n):
    sum_sq = sum(float(((np.arange(len(b)) - (len(b) - 1) / 2) ** 2).sum()) for b in BLOCKS if len(b) > 1)
    se = NOISE / math.sqrt(sum_sq) / math.sqrt(n)  # the true s.e. of the mean within-block slope
    slope = -detectable(se, n - 1)  # the minimum detectable effect the section quotes
    power = _exact_power(n, slope / -se)
    assert power > 0.75
    assert rate(lambda rng: depth_trend(_confounded_psnr(rng, n, slope), BLOCKS)["verdict"] == "falls") >= \
        power_bound(power)


def test_the_depth_trend_just_inside_and_just_outside_its_t_line():
    n, rng = 4, np.random.default_rng(3)
    base = _confounded_psnr(rng, n)
    within = np.concatenate([np.arange(len(block)) for block in BLOCKS])
    slope = within_block_slopes(base, BLOCKS)
    centred = base - np.outer(slope.to_numpy(), within)  # per-image slopes now exactly 0 ...
    spread = np.array([-1.0, 1.0, -0.5, 0.5])  # ... plus these, whose s.e. sets the line
    se = spread.std(ddof=1) / math.sqrt(n)
    for factor, verdict in ((1.01, "falls"), (0.99, "no_clear_trend")):
        psnr = centred + np.outer(spread - factor * critical(n - 1) * se, within)
        assert depth_trend(psnr, BLOCKS)["verdict"] == verdict


@pytest.mark.parametrize("natural, dataset", KINDS)
def test_kinds_with_equal_drops_and_different_levels_pass_at_most_the_nominal_rate(natural, dataset):
    def fires(rng):
        drop = pd.Series(rng.normal(6, 1.5, natural + dataset))  # levels do not enter: drops are last − first
        verdict = kinds_by_drop(drop, np.arange(natural + dataset) < natural)["verdict"]
        assert (verdict == "too_few_to_tell") == (min(natural, dataset) < MIN_N)
        return verdict in ("dataset_kept_more", "natural_kept_more")

    assert rate(fires) <= null_bound()


def test_a_planted_difference_of_drop_is_found_at_three_images_each():
    """3 natural and 3 dataset images (config.yaml): a 3 dB difference of drop (2σ, with σ = 1.5 dB per image) is
    found by Welch's t about half the time, 5 dB nearly always: the smallest effect three per kind can show."""
    def found(effect):
        def fires(rng):
            drop = pd.Series(np.concatenate([rng.normal(6 + effect, 1.5, 3), rng.normal(6, 1.5, 3)]))
            return kinds_by_drop(drop, np.arange(6) < 3)["verdict"] == "dataset_kept_more"
        return rate(fires)

    assert found(6.0) >= power_bound(0.8)


@pytest.mark.parametrize("n", N_IMAGES)
def test_the_feature_match_at_its_line(n):
    """Every layer's error exactly at MATCHED: neither "matched" nor "loose" beyond the nominal rate; every layer
    below it: "matched" at the power of all 13 t tests passing at once (the claim is about every layer)."""
    def errors(rng, centre):
        return pd.DataFrame(rng.normal(centre, 0.01, (n, len(LAYERS))).clip(0), columns=LAYERS)

    assert rate(lambda rng: feature_match(errors(rng, MATCHED))["verdict"] in ("matched", "loose")) <= null_bound()
    one_layer_on_line = rate(lambda rng: feature_match(
        errors(rng, MATCHED - 0.2).assign(conv1=lambda f: rng.normal(MATCHED, 0.01, n)))["verdict"] == "matched")
    assert one_layer_on_line <= null_bound()  # "matched" needs every layer below, including the one on the line
    gap, se = 0.04, 0.01 / math.sqrt(n)
    power = _exact_power(n, gap / se) ** len(LAYERS)
    assert power > 0.8
    assert rate(lambda rng: feature_match(errors(rng, MATCHED - gap))["verdict"] == "matched") >= power_bound(power)


HF_NOISE, PSNR_NOISE = 0.1, 1.0  # decades of high-frequency energy, dB of PSNR, per (image, λ) cell


def _sweep(rng: np.random.Generator, n: int, lambdas: list[float], hf_slope: float = 0.0, error_gap: float = 0.0,
           peak: float = 0.0) -> pd.DataFrame:
    """n images × λs at two layers: high-frequency energy changing by `hf_slope` decades per decade of λ, feature error
    `error_gap` lower at the smallest λ, PSNR `peak` dB higher at the middle λ, each with independent noise."""
    rows = []
    for layer in ("conv2", "pool5"):
        for image in range(n):
            for i, lam in enumerate(sorted(lambdas)):
                rows.append({"layer": layer, "image": f"im{image}", "lambda_tv": lam,
                             "high_freq": 10 ** (hf_slope * math.log10(lam) + rng.normal(0, HF_NOISE)),
                             "feature_error": 0.1 - error_gap * (i == 0) + rng.normal(0, 0.01),
                             "psnr": 15 + peak * (i == len(lambdas) // 2) + rng.normal(0, PSNR_NOISE)})
    return pd.DataFrame(rows)


TESTS = ("hf_slope", "error_low_vs_high", "peak_vs_lowest")


@pytest.mark.parametrize("n", N_SWEEP)
@pytest.mark.parametrize("lambdas", SWEEP_LAMBDAS, ids=["full", "quick"])
def test_the_sweep_verdicts_under_no_effect(n, lambdas):
    """No claim of the sweep passes noise beyond the nominal rate; in particular the best λ, picked from the larger
    ones and tested against the smallest, is held to its corrected critical value."""
    draws = [layer for seed in range(DRAWS // 2)  # two independent layers per draw
             for layer in tv_verdicts(_sweep(np.random.default_rng(seed), n, lambdas))["layers"].values()]
    for test in TESTS:
        verdicts = [d[test]["verdict"] for d in draws]
        assert (set(verdicts) == {TOO_FEW}) == (n < MIN_N)
        assert np.mean([v in ("higher", "lower") for v in verdicts]) <= null_bound(len(draws))


@pytest.mark.parametrize("lambdas", SWEEP_LAMBDAS, ids=["full", "quick"])
def test_planted_sweep_effects_are_found_at_the_power_of_their_t_tests(lambdas):
    """Each effect planted at the minimum detectable effect the section quotes for it, at config.yaml's three images
    (t on 2 degrees of freedom: the best-λ gain must be about 14 of its standard errors)."""
    n = FULL["tv_sweep"]["n_images"]
    x = np.log10(lambdas)
    se = {"hf_slope": HF_NOISE / math.sqrt(((x - x.mean()) ** 2).sum() * n),
          "error_low_vs_high": 0.01 * math.sqrt(2 / n), "peak_vs_lowest": PSNR_NOISE * math.sqrt(2 / n)}
    peak_z = tv_verdicts(_sweep(np.random.default_rng(0), n, lambdas))["peak_z"]
    effect = {test: detectable(se[test], n - 1, peak_z if test == "peak_vs_lowest" else Z) for test in TESTS}
    draws = [layer for seed in range(DRAWS // 2)
             for layer in tv_verdicts(_sweep(np.random.default_rng(seed), n, lambdas, hf_slope=-effect["hf_slope"],
                                             error_gap=effect["error_low_vs_high"],
                                             peak=effect["peak_vs_lowest"]))["layers"].values()]
    for test, claim, z in (("hf_slope", "hf_falls", Z), ("error_low_vs_high", "fits_better_low", Z),
                           ("peak_vs_lowest", "peaks_above_lowest", peak_z)):
        power = float(nct.sf(critical(n - 1, z), n - 1, effect[test] / se[test]))
        assert power > 0.65  # noise.detectable uses the central t: at 2 degrees of freedom that is 69% power, not 80%
        assert np.mean([d[claim] for d in draws]) >= power_bound(power, len(draws)), test
