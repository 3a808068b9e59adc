"""Training the VGG11 backbone whose features are inverted, with the shared cross-entropy loop."""

from __future__ import annotations

import torch
from torch import nn

from genlab.models.vgg import make_backbone, resize_for_vgg, vgg11_classifier, vgg_input
from genlab.train.classifier import train_classifier


def train_vgg11(images: torch.Tensor, labels: torch.Tensor, n_classes: int, *, size: int, steps: int,
                batch_size: int, lr: float, seed: int) -> tuple[nn.Module, torch.Tensor, torch.Tensor, list[float]]:
    """torchvision's VGG11 trained on uint8 images (on the device) at size × size; returns (model, mean, std,
    loss curve), mean and std being the per-channel input statistics it was trained with."""
    torch.manual_seed(seed)
    model = vgg11_classifier(n_classes).to(images.device)
    sample = resize_for_vgg(images[: min(len(images), 2000)], size)
    mean, std = sample.mean((0, 2, 3)), sample.std((0, 2, 3)).clamp_min(1e-3)  # (C,)
    backbone = make_backbone(model.features, mean, std, "")  # for its input convention only (on the device)
    backbone.features.requires_grad_(True)
    losses = train_classifier(model, images, labels, steps=steps, batch_size=batch_size, lr=lr, seed=seed,
                              to_input=lambda batch: vgg_input(backbone, batch, size))
    return model, mean.cpu(), std.cpu(), losses
