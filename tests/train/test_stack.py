from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from genlab.models.nets import (
    ConvDiscriminator,
    ConvEncoder,
    ConvGenerator,
    MLPDiscriminator,
    MLPGenerator,
    init_normal_,
)
from genlab.train import grouped
from genlab.train.stack import Stack

M, B = 3, 5
NETS = {  # name -> (maker of one member, input shape of one member's batch)
    "discriminator_28": (lambda: ConvDiscriminator((1, 28, 28), 4), (B, 1, 28, 28)),
    "discriminator_64": (lambda: ConvDiscriminator((3, 64, 64), 4), (B, 3, 64, 64)),
    "generator_28": (lambda: ConvGenerator(6, (1, 28, 28), 4), (B, 6)),
    "generator_64": (lambda: ConvGenerator(6, (3, 64, 64), 4), (B, 6)),
    "encoder_28": (lambda: ConvEncoder((1, 28, 28), 4, 7), (B, 1, 28, 28)),
}


def _members(make) -> list[nn.Module]:
    members = []
    for m in range(M):
        torch.manual_seed(m)
        members.append(make())
    return members


DEVICES = ["cpu", *(["cuda"] if torch.cuda.is_available() else [])]  # scripts/gpu_check.sh runs the CUDA ones


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", sorted(NETS))
def test_grouped_forward_is_each_member_alone(name, device, monkeypatch):
    """Outputs, every parameter's gradient and BatchNorm's running statistics after a training-mode call: the
    grouped call over M members equals each member called on its own slice."""
    if device == "cuda":  # full float32 on both sides, as on the CPU, not TF32
        monkeypatch.setattr(torch.backends.cudnn, "allow_tf32", False)
        monkeypatch.setattr(torch.backends.cuda.matmul, "allow_tf32", False)
    make, shape = NETS[name]
    members = [net.to(device) for net in _members(make)]
    alone = copy.deepcopy(members)
    stacked = Stack(members)
    assert grouped.supports(stacked._skeleton)
    x = torch.randn(M, *shape, generator=torch.Generator().manual_seed(9)).to(device)

    out = stacked(x)
    out.pow(2).sum().backward()
    expected = torch.stack([net(x[m]) for m, net in enumerate(alone)])
    expected.pow(2).sum().backward()

    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-6)
    grads = {pname: torch.stack([dict(n.named_parameters())[pname].grad for n in alone]) for pname in stacked.params}
    scale = max(g.abs().max() for g in grads.values())  # a bias before BatchNorm has a gradient of rounding noise
    for pname, p in stacked.params.items():
        torch.testing.assert_close(p.grad, grads[pname], rtol=1e-4, atol=1e-5 * scale)
    for m, net in enumerate(alone):  # running_mean, running_var, num_batches_tracked moved as each net's own
        for bname, b in net.named_buffers():
            torch.testing.assert_close(stacked.buffers[bname][m], b)


def test_grouped_layout_is_a_view_on_the_cpu():
    """The CPU keeps images in channels-last memory, where the grouped layout and back are views."""
    x = torch.randn(M, B, 4, 7, 7)
    g = grouped.to_grouped(x)
    assert g.shape == (B, M * 4, 7, 7) and g.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(grouped.from_grouped(g, M), x)
    assert grouped.from_grouped(g, M).data_ptr() == g.data_ptr()  # a view, no copy
    assert grouped.to_grouped(grouped.from_grouped(g, M)).data_ptr() == g.data_ptr()  # and back, no copy either


def test_nets_without_a_grouped_form_stack_under_vmap():
    """The MLP nets (no grouped form) and a conv net carrying a layer the grouped form does not write out
    stack through vmap and still give each member's own output."""
    def unusual() -> ConvGenerator:
        net = ConvGenerator(6, (1, 28, 28), 4)
        net.deconv[2] = nn.ELU()  # an activation the grouped form does not list
        return net

    def reflecting() -> ConvDiscriminator:  # the grouped form pads with zeros only
        net = ConvDiscriminator((1, 28, 28), 4)
        net.features[0] = nn.Conv2d(1, 4, 4, stride=2, padding=1, padding_mode="reflect")
        return net

    def nested() -> ConvDiscriminator:  # a block within a block, and a convolution without a bias
        net = ConvDiscriminator((1, 28, 28), 4)
        net.features[0] = nn.Sequential(nn.Conv2d(1, 4, 4, stride=2, padding=1, bias=False))
        return net

    cases = [(lambda: init_normal_(MLPGenerator(6, 16, (1, 8, 8)), 0.1), (B, 6)),
             (lambda: init_normal_(MLPDiscriminator(16, (1, 8, 8)), 0.1), (B, 1, 8, 8)),
             (unusual, (B, 6)), (reflecting, (B, 1, 28, 28)), (nested, (B, 1, 28, 28))]
    for make, shape in cases:
        members = _members(make)
        stacked = Stack(copy.deepcopy(members))
        assert not grouped.supports(stacked._skeleton)
        x = torch.randn(M, *shape)
        torch.testing.assert_close(stacked(x), torch.stack([net(x[m]) for m, net in enumerate(members)]),
                                   rtol=1e-5, atol=1e-6)
