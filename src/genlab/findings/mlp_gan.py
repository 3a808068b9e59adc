"""The MLP GAN section's memorisation and mode-coverage conclusions.

Memorisation: each fake is measured against its nearest image in a training subset and in an equal-sized held-out
set. A generator that copies training images puts its fakes closer to the training subset; one that merely
produces data-like (or blurry) images is as close to one set as to the other, so the share of fakes nearer the
training subset is ½ up to binomial noise. Comparing fakes with held-out images against the whole training set
cannot tell copying from blur: both move the distances together.
"""

from __future__ import annotations

from genlab.findings.noise import Z, binomial_se
from genlab.findings.noise import verdict as noise_verdict

COPYING = 0.75  # a copying G puts most fakes by their source: 3 of 4 nearer the training subset is the named line
COVERED = 0.01  # a class counts as covered when more than this share of fakes resembles it
UNEVEN = 2.0  # the most frequent class above UNEVEN × the balanced share (beyond its noise) is an uneven spread


def memorisation(closer_to_train: float, n: int) -> dict:
    """The share of n fakes nearer the training subset than the equal-sized held-out set, against ½."""
    se = binomial_se(0.5, n)  # under the no-copying null p = ½
    verdict = {"higher": "copies" if closer_to_train > COPYING else "slightly_closer_to_train",
               "lower": "closer_to_held_out"}.get(noise_verdict(closer_to_train - 0.5, se), "no_clear_difference")
    return {"share": closer_to_train, "se": se, "n": n, "copying_above": COPYING, "verdict": verdict}


def coverage(share: list[float], n_fakes: int) -> dict:
    """Whether the fakes' nearest-training-image classes spread evenly: every class covered, and the largest share
    not clearly above UNEVEN × the balanced share."""
    balanced = 1 / len(share)
    largest = max(share)
    se = binomial_se(largest, n_fakes)
    covered = sum(s > COVERED for s in share)
    if covered < len(share):
        verdict = "classes_missing"
    elif largest - Z * se > UNEVEN * balanced:
        verdict = "uneven"
    else:
        verdict = "even"
    return {"covered": covered, "n_classes": len(share), "balanced": balanced, "largest_se": se,
            "covered_above": COVERED, "uneven_factor": UNEVEN, "verdict": verdict}
