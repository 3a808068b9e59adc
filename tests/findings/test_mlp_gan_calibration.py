"""Calibration of the MLP GAN section's verdicts by simulation, at the sizes config.yaml and config/quick.yaml use
(both: 4,500 training and 500 held-out images of the bundled MNIST, 2,000 fakes).

The data-copying test is simulated on Gaussian clusters in a few dimensions: its null (fakes as far from the
training set as unseen data) does not depend on the dimension, and low dimensions keep a draw to milliseconds.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from calibration import DRAWS, null_bound, power_bound, rate
from conftest import CONFIG

from genlab.findings.mlp_gan import DUPLICATE, cells_for, copying, coverage
from genlab.findings.noise import POWER
from genlab.probes.memorisation import three_sample

pytestmark = pytest.mark.simulation

N_TRAIN, N_HELD_OUT = 4500, 500  # the bundled 5,000 digits at test_fraction 0.1
N_FAKES = CONFIG["mlp_gan"]["nearest"]["n_fakes"]
CELLS = CONFIG["mlp_gan"]["nearest"]["cells"]
DIM, CLUSTERS = 8, 10
COPY_DRAWS = max(DRAWS // 8, 50)  # a draw runs k-means and neighbour searches (~0.3 s): fewer draws, never zero
POWER_DRAWS = 30



def _clusters(rng: np.random.Generator, n: int, centres: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(centres[rng.integers(0, CLUSTERS, n)] + rng.standard_normal((n, DIM))).float()


def _c_t(rng: np.random.Generator, copied: float = 0.0) -> dict:
    """One draw: T, held-out and fakes from one mixture; a share `copied` of the fakes is training points plus a
    little noise instead."""
    centres = 3 * rng.standard_normal((CLUSTERS, DIM))
    train, held_out, fakes = (_clusters(rng, n, centres) for n in (N_TRAIN, N_HELD_OUT, N_FAKES))
    n_copies = int(copied * N_FAKES)
    fakes[:n_copies] = train[rng.integers(0, N_TRAIN, n_copies)] + 0.05 * torch.randn(n_copies, DIM)
    fakes = fakes[torch.from_numpy(rng.permutation(N_FAKES))]
    k = cells_for(N_HELD_OUT, N_FAKES, CELLS)
    m = three_sample(train, held_out, fakes, k, seed=int(rng.integers(1 << 31)), duplicate=DUPLICATE)
    return copying(m["cells"], N_FAKES, N_HELD_OUT, N_TRAIN, m["distinct"])


def test_the_config_sizes_give_the_test_its_full_cells():
    assert N_FAKES == 2000 and cells_for(N_HELD_OUT, N_FAKES, CELLS) == 10
    assert CONFIG["mlp_gan"]["nearest"]["n_test"] >= N_HELD_OUT  # held-out: the whole test split


def test_the_copying_verdict_fires_on_noise_at_most_at_its_level(one_thread):
    """About 4% over 150 draws: C_T / its null s.d. had mean −0.10 and s.d. 1.00."""
    assert rate(lambda rng: _c_t(rng)["verdict"] != "no_clear_difference", COPY_DRAWS) <= null_bound(COPY_DRAWS)


def test_a_generator_that_copies_one_fake_in_ten_is_found(one_thread):
    """10% of fakes copied (plus noise of 5% of the clusters' spread), the rest fresh draws: found in about 90% of
    draws (5% copied: about half)."""
    assert rate(lambda rng: _c_t(rng, copied=0.1)["verdict"] == "copies", POWER_DRAWS) >= power_bound(POWER,
                                                                                                      POWER_DRAWS)


BALANCED = np.full(10, 0.1)
MNIST = np.array([479, 563, 488, 493, 535, 434, 501, 550, 462, 495]) / 5000  # class shares of the bundled digits


@pytest.mark.parametrize("classes", [BALANCED, MNIST])
def test_coverage_calls_an_even_spread_even(classes):
    def fires(rng):
        share = rng.multinomial(N_FAKES, classes) / N_FAKES
        return coverage(share.tolist(), N_FAKES)["verdict"] != "even"
    assert rate(fires) <= null_bound()


def test_coverage_at_the_uneven_line_fires_at_most_at_its_level():
    """The worst null: several classes exactly at UNEVEN × the balanced share; the largest is picked among them."""
    classes = np.array([0.2] * 4 + [0.2 / 6] * 6)
    assert rate(lambda rng: coverage((rng.multinomial(N_FAKES, classes) / N_FAKES).tolist(),
                                     N_FAKES)["verdict"] == "uneven") <= null_bound()


def test_coverage_finds_its_stated_detectable_share():
    found = coverage(BALANCED.tolist(), N_FAKES)["detectable"]
    classes = np.array([found] + [(1 - found) / 9] * 9)
    assert rate(lambda rng: coverage((rng.multinomial(N_FAKES, classes) / N_FAKES).tolist(),
                                     N_FAKES)["verdict"] == "uneven") >= power_bound(POWER)
