"""The per-layer and per-λ summaries of the CNN feature inversions."""

from __future__ import annotations

import pandas as pd
import pytest

from genlab.findings.cnn_inversion import layer_verdicts
from genlab.measure.cnn_inversion import layer_facts, tv_facts

NAMES = ["conv1", "pool1", "conv2", "pool2", "conv3_1", "conv3_2", "pool3", "conv4_1", "conv4_2", "pool4",
         "conv5_1", "conv5_2", "pool5"]


def test_layer_and_tv_facts_follow_the_numbers():
    rows = [{"layer": name, "image": image, "lambda_tv": 1.0, "feature_error": 0.01 * (d + 1),
             "psnr": 30 - d - (3 if name == "pool2" else 0), "ssim": 0.9, "high_freq": 0.1, "original_high_freq": 0.2}
            for d, name in enumerate(NAMES) for image in ("astronaut", "mnist #1")]
    lambdas = {name: 1.0 if d < 3 else 10.0 for d, name in enumerate(NAMES)}  # λ_TV rises entering pool2
    facts = layer_facts(pd.DataFrame(rows), NAMES, natural=["astronaut"], lambda_tv=lambdas)
    assert facts["largest_drop"] == {"from": "conv2", "to": "pool2", "psnr": pytest.approx(4.0),
                                     "lambda_from": 1.0, "lambda_to": 10.0}
    assert -1 < facts["psnr_depth_spearman"] < -0.9  # the pool2 dip breaks strict monotony
    assert facts["max_feature_error"] == {"layer": "pool5", "value": pytest.approx(0.13)}
    assert set(facts["by_kind"]) == {"natural", "dataset"}
    # pool2's step changes λ, so it is left out of the pool/conv comparison; conv3_1 wins back pool2's extra 3 dB
    pools = layer_verdicts(pd.DataFrame(rows), NAMES, natural=["astronaut"], lambda_tv=lambdas)["pool_vs_conv"]
    assert (pools["n_pools"], pools["n_convs"]) == (4, 7)
    assert pools["pools_change"] == pytest.approx(-1.0) and pools["convs_change"] == pytest.approx((6 * -1 + 2) / 7)

    sweep = [{"layer": "pool5", "image": "a", "lambda_tv": lam, "feature_error": 0.1 * lam, "psnr": 10 + lam,
              "ssim": 0.5, "high_freq": 1.0 / lam, "original_high_freq": 0.5} for lam in (0.1, 1.0, 10.0)]
    tv = tv_facts(pd.DataFrame(sweep))["layers"]["pool5"]
    assert tv["hf_ratio"] == pytest.approx(100.0) and tv["error_ratio"] == pytest.approx(0.01)
    assert tv["hf_lambda_spearman"] == pytest.approx(-1.0) and tv["best_psnr_lambda"] == 10.0
