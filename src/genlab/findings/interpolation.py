"""The interpolation section's conclusions, each a paired comparison of the GAN's and the AE's path between the same
two held-out images, over the pairs.

What is not a criterion: a path whose length equals the distance between its ends is exactly a pixel cross-fade, so
"more direct" is not "better"; and the L2 distance to the nearest training image favours blurred blends, which sit
near many images at once. Plausibility is judged by the domain classifier's confidence on the interior images, where
the dataset has one; the other two are reported as what they are.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from genlab.findings.noise import Paired, declared, named, paired

Verdict = Literal["gan_more_plausible", "ae_more_plausible", "no_clear_difference", "too_few_to_tell", "no_classifier"]
VERDICTS = declared(verdict=Verdict, crossfade=Paired, nn_distance=Paired)  # "verdict": the section's own conclusion


def interpolation_findings(frame: pd.DataFrame) -> dict:
    """frame: one row per (pair, model) with nn_distance, length_ratio and, where measured, confidence. Each
    comparison is Student's t on the per-pair differences (pairs − 1 degrees of freedom; "too few to tell" below
    MIN_N pairs) and carries its minimum detectable effect for the sentences that find no clear difference."""
    wide = frame.pivot(index="pair", columns="model")
    found = {
        # GAN − AE: higher means the GAN's interior images are farther from their nearest training image
        "nn_distance": paired(wide[("nn_distance", "GAN")], wide[("nn_distance", "AE")]),
        # GAN − AE of (length / end distance − 1): a cross-fade has 0, so higher means less like a cross-fade
        "crossfade": paired(wide[("length_ratio", "GAN")] - 1, wide[("length_ratio", "AE")] - 1),
    }
    verdict: Verdict
    if "confidence" in frame:
        found["confidence"] = paired(wide[("confidence", "GAN")], wide[("confidence", "AE")])
        verdict = named(found["confidence"], "gan_more_plausible", "ae_more_plausible",
                        "no_clear_difference")["verdict"]
    else:
        verdict = "no_classifier"
    found["verdict"] = verdict
    return found
