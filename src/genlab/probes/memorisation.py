"""Does the generator copy its training set? Nearest fakes to real images, and distances to the training set."""

from __future__ import annotations

import numpy as np
import torch

from genlab.probes.neighbours import nearest_neighbours


def distance_summary(fake_d: np.ndarray, test_d: np.ndarray) -> dict:
    """Fakes against held-out real images, both measured to their nearest training image.

    If G reproduced training images, its fakes would sit much closer to the training set than unseen real
    images do; `frac_fakes_below_test_p5` would then be far above the 5% that unseen images give.
    """
    test_p5 = float(np.percentile(test_d, 5))
    return {
        "median_fake": float(np.median(fake_d)),
        "median_test": float(np.median(test_d)),
        "median_ratio": float(np.median(fake_d) / np.median(test_d)),
        "min_fake": float(fake_d.min()),
        "min_test": float(test_d.min()),
        "test_p5": test_p5,
        "frac_fakes_below_test_p5": float((fake_d < test_p5).mean()),
    }


def class_coverage(fake_nn_labels: np.ndarray, n_classes: int) -> dict:
    """Which classes the fakes resemble, through their nearest training image's label (a mode-coverage proxy)."""
    share = np.bincount(fake_nn_labels, minlength=n_classes) / len(fake_nn_labels)
    return {
        "share": [float(s) for s in share],
        "covered": int((share > 0.01).sum()),
        "largest_class": int(share.argmax()),
        "largest_share": float(share.max()),
        "smallest_class": int(share.argmin()),
        "smallest_share": float(share.min()),
    }


def nearest_training_distances(images: torch.Tensor, train: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Distance from every image to its nearest training image, and that image's index in `train`."""
    d, i = nearest_neighbours(images, train, k=1)
    return d[:, 0].cpu().numpy(), i[:, 0].cpu().numpy()
