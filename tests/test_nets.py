from __future__ import annotations

import pytest
import torch

from genlab.nets import MLPDiscriminator, MLPGenerator, from_spec, init_normal_, to_spec


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
