from __future__ import annotations

import pytest
import torch

from genlab.core.images import conv_stages
from genlab.models.nets import MLPDiscriminator, MLPGenerator, build_gan, from_spec, init_normal_, to_spec


@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 64, 64)])
def test_mlp_shapes(shape):
    gen, disc = MLPGenerator(100, 128, shape), MLPDiscriminator(128, shape)
    images = gen(torch.randn(5, 100))
    assert images.shape == (5, *shape)
    assert images.min() >= 0 and images.max() <= 1  # sigmoid output: the image convention
    assert disc(images).shape == (5,)


def test_initial_weights_follow_n_0_0075():
    torch.manual_seed(0)
    gen = init_normal_(MLPGenerator(100, 128, (1, 28, 28)), 0.075)
    values = torch.cat([p.flatten() for p in gen.parameters()])
    assert values.std().item() == pytest.approx(0.075, rel=0.02)
    assert values.mean().item() == pytest.approx(0.0, abs=0.002)
    for p in gen.parameters():  # biases too, not only weights
        assert p.std().item() == pytest.approx(0.075, rel=0.25)


def test_spec_round_trip_rebuilds_the_same_network():
    gen = MLPGenerator(8, 16, (1, 6, 6))
    back = from_spec(to_spec(gen))
    z = torch.randn(3, 8)
    assert isinstance(back, MLPGenerator) and back.kwargs == gen.kwargs
    torch.testing.assert_close(back(z), gen(z))


@pytest.mark.parametrize("shape, stages, coarse", [((1, 28, 28), 2, (32, 7)), ((3, 64, 64), 3, (64, 8))])
def test_conv_gan_sizes_itself_from_the_data(shape, stages, coarse):
    assert conv_stages(shape[1]) == stages
    gen, disc = build_gan("conv", {"base_filters": 16, "latent_dim": {"28": 10, "64": 64}}, shape)
    assert gen.coarse == coarse and gen.latent_dim == (10 if shape[1] == 28 else 64)
    convs = [m for m in disc.features if isinstance(m, torch.nn.Conv2d)]
    assert [c.out_channels for c in convs] == [16 * 2**i for i in range(stages)]
    images = gen(torch.randn(4, gen.latent_dim))
    assert images.shape == (4, *shape) and images.min() >= 0 and images.max() <= 1
    assert disc(images).shape == (4,)


def test_conv_gan_refuses_an_unconfigured_size():
    with pytest.raises(ValueError, match="no latent size for 64×64 images"):
        build_gan("conv", {"base_filters": 16, "latent_dim": {"28": 10}}, (3, 64, 64))
