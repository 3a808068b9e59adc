from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import CONFIG

from genlab.models.nets import ConvAutoencoder
from genlab.probes.interpolation import classifier_measures, line, path_measures, pick_pairs
from genlab.train.ae import AETrainConfig, train_autoencoder
from genlab.train.losses import axis_moments, moment_losses


def test_moments_against_numpy_on_known_distributions():
    gen = torch.Generator().manual_seed(0)
    gauss = torch.randn(200_000, 3, generator=gen, dtype=torch.float64)
    losses = moment_losses(gauss)
    assert all(v.item() < 1e-3 for v in losses.values())
    uniform = torch.rand(200_000, 2, generator=gen, dtype=torch.float64)
    m = axis_moments(uniform)
    x = uniform.numpy()
    np.testing.assert_allclose(m["mean"].numpy(), x.mean(0), rtol=1e-10)
    np.testing.assert_allclose(m["var"].numpy(), x.var(0), rtol=1e-10)
    centred = x - x.mean(0)
    np.testing.assert_allclose(m["kurt"].numpy(), (centred**4).mean(0) / x.var(0) ** 2, rtol=1e-5)  # eps 1e-8
    assert m["kurt"].numpy() == pytest.approx([1.8, 1.8], abs=0.01)  # a uniform's kurtosis


def test_moments_are_per_axis_not_over_the_flattened_tensor():
    gen = torch.Generator().manual_seed(1)
    # axis 0 ~ N(1, 0.5²), axis 1 ~ N(-1, 0.5²): flattened, the mixture has mean 0 and variance 1.25
    z = torch.stack([1 + 0.5 * torch.randn(50_000, generator=gen), -1 + 0.5 * torch.randn(50_000, generator=gen)], 1)
    m = axis_moments(z)
    assert m["mean"].shape == (2,) and m["mean"].tolist() == pytest.approx([1, -1], abs=0.02)
    assert z.flatten().mean().item() == pytest.approx(0, abs=0.02)
    assert moment_losses(z)["mean"].item() == pytest.approx(1.0, abs=0.05)  # per axis: far from N(0, I)


def test_interpolation_endpoints_reproduce_the_decoded_endpoint_codes():
    torch.manual_seed(0)
    ae = ConvAutoencoder(6, (1, 28, 28), base_filters=4).eval()
    z1, z2 = torch.randn(6), torch.randn(6)
    codes = line(z1, z2, torch.linspace(0, 1, 7))
    assert torch.equal(codes[0], z1) and torch.equal(codes[-1], z2)
    with torch.no_grad():
        path = ae.decoder(codes)
        torch.testing.assert_close(path[0], ae.decoder(z1[None])[0])
        torch.testing.assert_close(path[-1], ae.decoder(z2[None])[0])
    measures = path_measures(path, torch.rand(20, 1, 28, 28))
    assert measures["length_ratio"] >= 1 - 1e-6 and 0 < measures["max_jump_share"] <= 1


def test_pick_pairs_across_and_within_classes():
    labels = np.repeat(np.arange(5), 4)
    pairs = pick_pairs(labels, n_across=3, n_within=2, seed=0)
    kinds = [k for *_, k in pairs]
    assert kinds == ["across"] * 3 + ["within"] * 2
    assert all((labels[i] != labels[j]) == (k == "across") for i, j, k in pairs)
    assert [k for *_, k in pick_pairs(np.full(10, -1), 2, 1, seed=0)] == ["random"] * 3


def test_one_autoencoder_step_moves_the_weights_and_logs_the_moments(tmp_path):
    torch.manual_seed(0)
    ae = ConvAutoencoder(4, (1, 28, 28), base_filters=4)
    before = [p.clone() for p in ae.parameters()]
    images = torch.randint(0, 256, (32, 1, 28, 28), dtype=torch.uint8)
    cfg = AETrainConfig(**{**CONFIG["ae"]["train"], "steps": 1, "batch_size": 8, "seed": 0,
                           "moment_weights": {"mean": 1.0, "var": 1.0, "kurt": 0.1}})
    history, _ = train_autoencoder(ae, images, cfg, tmp_path / "r.pt", progress=False)
    assert all(not torch.equal(b, a) for b, a in zip(before, ae.parameters(), strict=True))
    assert history.columns.tolist() == ["step", "loss", "recon", "moment_mean", "moment_var", "moment_kurt"]
    assert history["loss"].iloc[0] > history["recon"].iloc[0]  # the moment terms count in the loss


def test_classifier_measures_use_the_interior_only():
    logits = torch.tensor([[0.0, 0.0], [50.0, 0.0], [0.0, 0.0], [0.0, 50.0]])  # ends uncertain, interior mixed
    m = classifier_measures(logits)
    assert m["confidence"] == pytest.approx((1.0 + 0.5) / 2)
    assert m["entropy"] == pytest.approx(np.log(2) / 2, abs=1e-9)
