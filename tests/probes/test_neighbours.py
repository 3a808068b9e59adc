from __future__ import annotations

import numpy as np
import torch

from genlab.probes.neighbours import nearest_neighbours


def test_matches_brute_force_in_small_chunks():
    gen = torch.Generator().manual_seed(0)
    queries, refs = torch.rand(37, 1, 6, 6, generator=gen), torch.rand(101, 1, 6, 6, generator=gen)
    dist, idx = nearest_neighbours(queries, refs, k=4, max_elements=500)  # forces several chunks
    brute = np.linalg.norm(queries.flatten(1).numpy()[:, None] - refs.flatten(1).numpy()[None], axis=-1)
    order = np.argsort(brute, axis=1)[:, :4]
    np.testing.assert_array_equal(idx.numpy(), order)
    np.testing.assert_allclose(dist.numpy(), np.take_along_axis(brute, order, 1), rtol=1e-5)


def test_exact_copy_has_distance_zero():
    refs = torch.rand(10, 3, 4, 4)
    dist, idx = nearest_neighbours(refs[[7, 2]], refs, k=1)
    assert idx[:, 0].tolist() == [7, 2] and dist.abs().max() < 1e-5
