"""Networks, sized from the data's image shape, and rebuilt from a checkpoint's own description."""

from __future__ import annotations

import torch
from torch import nn


class MLPGenerator(nn.Module):
    """The classic MLP GAN generator: z → 128 → C·H·W, sigmoid output (images in [0, 1])."""

    def __init__(self, latent_dim: int = 100, hidden: int = 128, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "hidden": hidden, "image_shape": list(image_shape)}
        self.latent_dim = latent_dim
        self.image_shape = tuple(image_shape)
        pixels = self.image_shape[0] * self.image_shape[1] * self.image_shape[2]
        self.net = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, pixels), nn.Sigmoid())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.image_shape)  # (B, C, H, W)


class MLPDiscriminator(nn.Module):
    """C·H·W → 128 → 1. Returns logits: the sigmoid lives inside the losses, for numerical stability."""

    def __init__(self, hidden: int = 128, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.kwargs = {"hidden": hidden, "image_shape": list(image_shape)}
        pixels = image_shape[0] * image_shape[1] * image_shape[2]
        self.net = nn.Sequential(nn.Linear(pixels, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1)).squeeze(1)  # (B,)


NETS = {cls.__name__: cls for cls in (MLPGenerator, MLPDiscriminator)}


def init_normal_(module: nn.Module, std: float) -> nn.Module:
    """Every weight and bias from N(0, std²), as the MLP GAN exercise prescribes."""
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0.0, std)
    return module


def to_spec(net: nn.Module) -> dict:
    """A self-describing entry for a checkpoint: class name, constructor arguments, weights."""
    return {"class": type(net).__name__, "kwargs": net.kwargs, "state_dict": net.state_dict()}


def from_spec(spec: dict, device: torch.device | str = "cpu") -> nn.Module:
    net = NETS[spec["class"]](**spec["kwargs"])
    net.load_state_dict(spec["state_dict"])
    return net.to(device)
