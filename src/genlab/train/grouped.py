"""The conv nets' forward for M stacked members written out as grouped convolutions and batched matmuls (the HFTA
way), for `genlab.train.stack.Stack`.

Why not only `vmap`: under vmap every convolution reshapes its input from (M, B, C, H, W) to (B, M·C, H, W) and
back, a copy per layer, and `functional_call` swaps the parameters in on every call. Here the images stay in the
grouped layout between layers, and on the CPU in channels-last memory, where that layout change is a free view and
oneDNN's grouped convolutions run fastest (measured against vmap and run-after-run training by benchmarks/sweep.py
--vmap; benchmarks/README.md). The layers are read from the net itself, so only each net's glue between its
`nn.Sequential` blocks (a flatten, a view) is written twice, here and in its forward; tests/train/test_stack.py holds
the two equal.

Parameters and buffers are `torch.func.stack_module_state`'s: {name: (M, ...)}.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from genlab.models.nets import ConvDiscriminator, ConvEncoder, ConvGenerator

Tensors = dict[str, torch.Tensor]
_ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Sigmoid)  # no parameters: applied as they are


def memory_format(device: torch.device) -> torch.memory_format:
    """Channels-last on the CPU (measured: oneDNN's grouped convolutions, and the layout change is a view);
    the default on CUDA, where no measurement chose otherwise."""
    return torch.channels_last if device.type == "cpu" else torch.contiguous_format


def to_grouped(x: torch.Tensor) -> torch.Tensor:
    """(M, B, C, H, W) -> (B, M·C, H, W): member m's channels are the m-th block, as grouped convolutions want. At
    most one copy (none for a tensor from_grouped made)."""
    m, b, c, h, w = x.shape
    if memory_format(x.device) == torch.channels_last:  # memory order B, H, W, M, C
        return x.permute(1, 3, 4, 0, 2).reshape(b, h, w, m * c).permute(0, 3, 1, 2)
    return x.transpose(0, 1).reshape(b, m * c, h, w)


def from_grouped(h: torch.Tensor, size: int) -> torch.Tensor:
    """(B, M·C, H, W) -> (M, B, C, H, W), a view."""
    return h.unflatten(1, (size, -1)).transpose(0, 1)


def _linear(params: Tensors, key: str, h: torch.Tensor) -> torch.Tensor:
    """Linear layer `key` ("<name>.") of every member: (M, B, F) -> (M, B, O), one batched matmul."""
    return torch.baddbmm(params[key + "bias"].unsqueeze(1), h, params[key + "weight"].transpose(1, 2))


def sequential(block: nn.Sequential, prefix: str, params: Tensors, buffers: Tensors, h: torch.Tensor,
               size: int) -> torch.Tensor:
    """`block` applied to every member at once: images in the grouped layout, vectors as (M, B, F)."""
    for name, layer in block.named_children():
        key = f"{prefix}.{name}."
        if isinstance(layer, _ACTIVATIONS):
            h = layer(h)
        elif isinstance(layer, nn.Linear):
            h = _linear(params, key, h)
        elif isinstance(layer, nn.Conv2d):
            h = F.conv2d(h, params[key + "weight"].flatten(0, 1), params[key + "bias"].flatten(), layer.stride,
                         layer.padding, layer.dilation, size * layer.groups)
        elif isinstance(layer, nn.ConvTranspose2d):
            h = F.conv_transpose2d(h, params[key + "weight"].flatten(0, 1), params[key + "bias"].flatten(),
                                   layer.stride, layer.padding, layer.output_padding, size * layer.groups,
                                   layer.dilation)
        elif isinstance(layer, nn.BatchNorm2d):
            mean, var = buffers[key + "running_mean"], buffers[key + "running_var"]
            h = F.batch_norm(h, mean.view(-1), var.view(-1), params[key + "weight"].flatten(),
                             params[key + "bias"].flatten(), layer.training, layer.momentum, layer.eps)
            if layer.training:  # as BatchNorm2d.forward counts its batches
                buffers[key + "num_batches_tracked"].add_(1)
        else:
            raise TypeError(f"no grouped form for {type(layer).__name__}")
    return h


def _encoder(net: ConvEncoder, params: Tensors, buffers: Tensors, x: torch.Tensor) -> torch.Tensor:
    size = x.shape[0]
    h = from_grouped(sequential(net.features, "features", params, buffers, to_grouped(x), size), size)
    return _linear(params, "head.", h.flatten(2))


def _discriminator(net: ConvDiscriminator, params: Tensors, buffers: Tensors, x: torch.Tensor) -> torch.Tensor:
    return _encoder(net, params, buffers, x).squeeze(-1)  # (M, B) logits


def _generator(net: ConvGenerator, params: Tensors, buffers: Tensors, z: torch.Tensor) -> torch.Tensor:
    size, batch = z.shape[:2]
    c, s = net.coarse
    h = sequential(net.fc, "fc", params, buffers, z, size).view(size, batch, c, s, s)
    return from_grouped(sequential(net.deconv, "deconv", params, buffers, to_grouped(h), size), size)


FORWARDS: dict[type, Callable] = {ConvEncoder: _encoder, ConvDiscriminator: _discriminator,
                                  ConvGenerator: _generator}


def _written_out(layer: nn.Module) -> bool:
    """Whether `sequential` computes `layer` exactly as the layer itself would."""
    if isinstance(layer, _ACTIVATIONS):
        return True
    if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
        return layer.bias is not None and layer.padding_mode == "zeros"
    if isinstance(layer, nn.Linear):
        return layer.bias is not None
    if isinstance(layer, nn.BatchNorm2d):  # as the nets build it: affine, running statistics, a momentum
        return layer.affine and layer.track_running_stats and layer.momentum is not None
    return False


def supports(net: nn.Module) -> bool:
    """Whether `net` has a grouped form: its class is listed, and its blocks hold only layers written out here
    (anything else, e.g. reflect padding or a layer without a bias, is stacked by vmap instead)."""
    if type(net) not in FORWARDS:
        return False
    blocks = [b for b in net.children() if isinstance(b, nn.Sequential)]
    layers = [layer for b in blocks for layer in b.children()]
    layers += [m for m in net.children() if not isinstance(m, nn.Sequential)]
    return all(_written_out(layer) for layer in layers)


def forward(net: nn.Module) -> Callable[[Tensors, Tensors, torch.Tensor], torch.Tensor]:
    """`net`'s grouped forward: (stacked params, stacked buffers, input (M, B, ...)) -> output (M, B, ...)."""
    fn = FORWARDS[type(net)]
    return lambda params, buffers, x: fn(net, params, buffers, x)
