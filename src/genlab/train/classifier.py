"""Cross-entropy training of a classifier on in-memory uint8 images: the domain classifier (the metrics' feature
space) and the VGG11 backbone (train/vgg.py) share this one loop."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn


def scaled(images: torch.Tensor) -> torch.Tensor:
    """uint8 images → float in [0, 1]: the domain classifier's input."""
    return images.float() / 255


def train_classifier(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, *, steps: int,
                     batch_size: int, lr: float, seed: int,
                     to_input: Callable[[torch.Tensor], torch.Tensor] = scaled) -> list[float]:
    """Cross-entropy training on uint8 images and int labels (both on the device), each batch a seeded index
    gather passed through `to_input`; returns the loss curve."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    rng = torch.Generator(device=images.device).manual_seed(seed)
    model.train()
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(images), (batch_size,), device=images.device, generator=rng)
        loss = F.cross_entropy(model(to_input(images.index_select(0, idx))), labels[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.detach())  # kept on the device: no host sync per step
    model.eval()
    return torch.stack(losses).tolist()
