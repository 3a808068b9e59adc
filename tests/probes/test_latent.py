from __future__ import annotations

import pytest
import torch

from genlab.measure.image_metrics import masked_mse
from genlab.models.nets import ConvGenerator
from genlab.probes.latent import fit_latents


def _frozen_generator(seed: int = 0) -> ConvGenerator:
    torch.manual_seed(seed)
    gen = ConvGenerator(4, (1, 28, 28), base_filters=8)
    gen.eval()
    # give batch norm non-trivial running statistics, as a trained G would have
    for bn in (m for m in gen.modules() if isinstance(m, torch.nn.BatchNorm2d)):
        bn.running_mean.uniform_(-0.1, 0.1)
        bn.running_var.uniform_(0.5, 1.5)
    return gen


def test_batched_inversion_recovers_known_codes():
    gen = _frozen_generator()
    z_star = torch.randn(6, 4, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        targets = gen(z_star)
    fit = fit_latents(gen, targets, restarts=4, steps=300, lr=0.05, seed=0)
    assert fit.z.shape == (6, 4) and fit.restart_losses.shape == (4, 6)
    assert fit.loss.max().item() < 1e-4  # every image reconstructed
    assert fit.curve[-1][1] < fit.curve[0][1]
    torch.testing.assert_close(fit.images, targets, atol=0.03, rtol=0)


def test_each_target_keeps_its_own_best_restart():
    gen = _frozen_generator()
    with torch.no_grad():
        targets = gen(torch.randn(3, 4, generator=torch.Generator().manual_seed(2)))
    fit = fit_latents(gen, targets, restarts=3, steps=5, lr=0.01, seed=0)
    torch.testing.assert_close(fit.loss, fit.restart_losses.min(0).values)
    torch.testing.assert_close(masked_mse(gen(fit.z).detach(), targets, torch.ones_like(targets)), fit.loss)


def test_the_problems_are_independent():
    """Summed per-sample losses through an eval-mode G: each code's gradient is that of its problem alone."""
    gen = _frozen_generator()
    gen.train()
    with torch.no_grad():
        targets = gen(torch.randn(4, 4, generator=torch.Generator().manual_seed(3)))
    fit_latents(gen, targets, restarts=1, steps=1, seed=0)
    assert not gen.training  # batch norm on running statistics, not on the batch
    ones = torch.ones_like(targets[:, :1])
    z = torch.randn(4, 4, generator=torch.Generator().manual_seed(4)).requires_grad_(True)
    masked_mse(gen(z), targets, ones).sum().backward()
    z0 = z.detach()[:1].clone().requires_grad_(True)
    masked_mse(gen(z0), targets[:1], ones[:1]).sum().backward()
    torch.testing.assert_close(z.grad[:1], z0.grad)


def test_masked_mse_ignores_hidden_pixels():
    images, targets = torch.zeros(1, 1, 2, 2), torch.tensor([[[[1.0, 0.0], [0.0, 0.5]]]])
    mask = torch.tensor([[[[0.0, 1.0], [1.0, 1.0]]]])
    assert masked_mse(images, targets, mask).item() == pytest.approx(0.25 / 3)


def test_solving_in_chunks_gives_the_one_batch_answer():
    gen = _frozen_generator()
    with torch.no_grad():
        targets = gen(torch.randn(5, 4, generator=torch.Generator().manual_seed(5)))
    whole = fit_latents(gen, targets, restarts=3, steps=30, lr=0.05, seed=0, log_every=10)
    chunked = fit_latents(gen, targets, restarts=3, steps=30, lr=0.05, seed=0, log_every=10, max_batch=4)
    torch.testing.assert_close(chunked.z, whole.z, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(chunked.restart_losses, whole.restart_losses, atol=1e-6, rtol=1e-5)
    assert [s for s, _ in chunked.curve] == [10, 20, 30]
    assert [v for _, v in chunked.curve] == pytest.approx([v for _, v in whole.curve], rel=1e-4)
