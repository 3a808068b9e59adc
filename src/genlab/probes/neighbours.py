"""Exact Euclidean nearest neighbours on pixels, chunked so that a large reference set fits in memory."""

from __future__ import annotations

import torch

EXTRA = 8  # candidates beyond k whose exact distance is checked


def nearest_neighbours(
    queries: torch.Tensor, refs: torch.Tensor, k: int = 1, max_elements: int = 2**26
) -> tuple[torch.Tensor, torch.Tensor]:
    """For each query row, the k nearest reference rows: (distances (Q, k), indices (Q, k)), ascending.

    Inputs are flattened to (rows, features). Candidates come from the fast expansion ‖a‖² + ‖b‖² - 2a·b;
    their distances are then recomputed directly, free of the expansion's cancellation error (and of TF32's
    10-bit matmuls on a GPU), over `EXTRA` more candidates than asked for, so that a true neighbour ranked a little
    too far by the expansion is still found. Queries go in chunks of at most `max_elements` query×reference entries.
    """
    q = queries.flatten(1).float()  # (Q, D)
    r = refs.flatten(1).float()  # (R, D)
    r_sq = r.pow(2).sum(1)  # (R,)
    chunk = max(1, max_elements // r.shape[0])
    best_d, best_i = [], []
    for start in range(0, q.shape[0], chunk):
        qc = q[start : start + chunk]
        d2 = torch.addmm(qc.pow(2).sum(1, keepdim=True) + r_sq[None], qc, r.T, alpha=-2)  # (q, R), one pass
        cand = d2.topk(min(k + EXTRA, r.shape[0]), dim=1, largest=False).indices  # (q, k + EXTRA)
        exact = (qc[:, None, :] - r[cand]).pow(2).sum(-1).sqrt()  # recomputed without cancellation
        order = exact.argsort(dim=1)[:, :k]
        best_d.append(exact.gather(1, order))
        best_i.append(cand.gather(1, order))
    return torch.cat(best_d), torch.cat(best_i)


def mean_pairwise_distance(images: torch.Tensor) -> float:
    """Mean Euclidean distance over all pairs: a sample set's diversity (near 0 when G has collapsed)."""
    return float(torch.pdist(images.flatten(1).float()).mean())
