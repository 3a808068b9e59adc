"""Sample-quality metrics on feature vectors (no training code, no feature extraction here).

Features come from the domain classifier's penultimate layer (genlab.models.classifier); every number is only
comparable with others computed in the same feature space.
"""

from __future__ import annotations

import numpy as np
import torch

from genlab.core.io import atomic_path


def frechet_distance(real: torch.Tensor, fake: torch.Tensor) -> float:
    """FID: ‖μ_r − μ_f‖² + Tr(Σ_r + Σ_f − 2(Σ_r Σ_f)^½), on (N, d) features, in float64.

    Tr((Σ_r Σ_f)^½) is the sum of the square roots of the eigenvalues of Σ_r Σ_f (real and ≥ 0 in exact
    arithmetic; rounding can leave tiny imaginary parts, which are dropped).
    """
    real, fake = real.double(), fake.double()
    mu_r, mu_f = real.mean(0), fake.mean(0)
    cov_r, cov_f = torch.cov(real.T), torch.cov(fake.T)
    sqrt_trace = torch.linalg.eigvals(cov_r @ cov_f).sqrt().real.sum()
    return float((mu_r - mu_f).pow(2).sum() + cov_r.trace() + cov_f.trace() - 2 * sqrt_trace)


def bootstrap_std(metric, real: torch.Tensor, fake: torch.Tensor, draws: int, seed: int) -> float:
    """The spread of metric(real, fake) over `draws` resamples (with replacement) of the fake features: the sampling
    noise of one run's score. The real reference is shared by every row of a table, so it is held fixed."""
    gen = torch.Generator().manual_seed(seed)
    values = [metric(real, fake[torch.randint(len(fake), (len(fake),), generator=gen)]) for _ in range(draws)]
    return float(torch.tensor(values, dtype=torch.float64).std())


def _polynomial_mmd(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Unbiased MMD² with the kernel k(a, b) = (a·b / d + 1)³ (Bińkowski et al. 2018)."""
    d, m = x.shape[1], x.shape[0]
    kxx, kyy, kxy = ((x @ x.T) / d + 1) ** 3, ((y @ y.T) / d + 1) ** 3, ((x @ y.T) / d + 1) ** 3
    off = 1 - torch.eye(m, dtype=x.dtype, device=x.device)
    return (kxx * off).sum() / (m * (m - 1)) + (kyy * off).sum() / (m * (m - 1)) - 2 * kxy.mean()


def kernel_distance(real: torch.Tensor, fake: torch.Tensor, subsets: int = 20, subset_size: int = 500,
                    seed: int = 0) -> tuple[float, float]:
    """KID: the mean and standard deviation of the unbiased polynomial MMD² over random subsets."""
    gen = torch.Generator().manual_seed(seed)
    size = min(subset_size, len(real), len(fake))
    values = []
    for _ in range(subsets):
        r = real[torch.randperm(len(real), generator=gen)[:size]].double()
        f = fake[torch.randperm(len(fake), generator=gen)[:size]].double()
        values.append(_polynomial_mmd(r, f))
    values = torch.stack(values)
    return float(values.mean()), float(values.std()) if subsets > 1 else 0.0


def _knn_radii(x: torch.Tensor, k: int) -> torch.Tensor:
    """Distance from each row to its k-th nearest other row."""
    d = torch.cdist(x, x)
    return d.kthvalue(k + 1, dim=1).values  # +1: the row itself at distance 0


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019): a sample counts as covered when it falls
    inside the k-NN ball of at least one sample of the other set."""
    real, fake = real.double(), fake.double()
    r_real, r_fake = _knn_radii(real, k), _knn_radii(fake, k)
    precision = (torch.cdist(fake, real) <= r_real[None]).any(1).double().mean()
    recall = (torch.cdist(real, fake) <= r_fake[None]).any(1).double().mean()
    return float(precision), float(recall)


NEIGHBOURS = 32  # a drawn point's k-th drawn neighbour is among its 32 nearest but with chance < 1e-10 (k = 3)


def precision_recall_bootstrap(real: torch.Tensor, fakes: list[torch.Tensor], k: int, draws: int,
                               seed: int) -> np.ndarray:
    """Precision and recall of each fake set over `draws` resamples of the fakes, (sets, draws, 2).

    Every set is resampled with the same indices in a draw, so sets whose i-th sample shares a latent point (one
    generator at several truncations) are paired and the spread of a difference between two sets is that of the
    difference. The real reference is shared by every row and held fixed. A fake's k-NN radius counts each drawn
    sample once (its k-th nearest other drawn sample, among its NEIGHBOURS nearest): a resampled duplicate at
    distance 0 would otherwise shrink the balls and bias recall downwards."""
    real = real.double()
    r_real = _knn_radii(real, k)
    n = len(fakes[0])
    gen = torch.Generator().manual_seed(seed)
    drawn_sets = [torch.randint(n, (n,), generator=gen) for _ in range(draws)]
    out = np.empty((len(fakes), draws, 2))
    for s, fake in enumerate(fakes):
        fake = fake.double()
        inside = (torch.cdist(fake, real) <= r_real[None]).any(1).double()  # each fake: within some real ball
        d_ff = torch.cdist(fake, fake).fill_diagonal_(torch.inf)
        near_d, near_i = d_ff.topk(min(NEIGHBOURS, n - 1), dim=1, largest=False)
        d_rf = torch.cdist(real, fake)
        # the (real, fake) pairs that any draw could count: within the largest radius the fake can get
        pair_r, pair_f = (d_rf <= near_d[:, -1][None]).nonzero(as_tuple=True)
        pair_d = d_rf[pair_r, pair_f]
        for b, idx in enumerate(drawn_sets):
            drawn = torch.zeros(n, dtype=torch.bool)
            drawn[idx] = True
            kth = (drawn[near_i].cumsum(1) >= k).double().argmax(1)  # position of the k-th drawn neighbour
            radii = near_d.gather(1, kth[:, None])[:, 0]
            hit = drawn[pair_f] & (pair_d <= radii[pair_f])
            covered = torch.zeros(len(real), dtype=torch.bool).index_fill_(0, pair_r[hit], True)
            out[s, b] = float(inside[idx].mean()), float(covered.double().mean())
    return out


def save_features(path, features: dict[str, np.ndarray]) -> None:
    """Every feature array behind a metrics table, one npz key per row (the table's `features` column names it)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **features)


def classifier_score(logits: torch.Tensor) -> float:
    """The Inception Score's form with the domain classifier: exp(E_x KL(p(y|x) ‖ p(y)))."""
    log_p = torch.log_softmax(logits.double(), dim=1)  # (N, classes)
    p = log_p.exp()
    log_marginal = torch.log(p.mean(0))
    return float(torch.exp((p * (log_p - log_marginal[None])).sum(1).mean()))
