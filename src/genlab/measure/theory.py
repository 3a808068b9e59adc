"""Numeric checks behind the theory answers: conv-layer gradients as correlations, and counting constraints."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

IMAGENET_TRAIN_IMAGES = 1_281_167  # ILSVRC-2012 training set
IMAGENET_CLASSES = 1000


def conv_gradient_check(seed: int = 0) -> dict[str, float]:
    """C(I) = I ⋆ f (PyTorch's conv2d is a cross-correlation). For a loss L with upstream gradient G = ∂L/∂C:
    ∂L/∂I is the full correlation of G with the flipped kernel (a transposed convolution), and ∂L/∂f is the
    correlation of the input with G. Both are computed here as such operations, never as a Jacobian matrix,
    and compared with autograd."""
    gen = torch.Generator().manual_seed(seed)
    image = torch.randn(2, 3, 9, 11, generator=gen, dtype=torch.float64, requires_grad=True)
    kernel = torch.randn(4, 3, 3, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    out = F.conv2d(image, kernel)  # (2, 4, 7, 7)
    upstream = torch.randn(out.shape, generator=gen, dtype=torch.float64)
    (out * upstream).sum().backward()
    kh, kw = kernel.shape[-2:]
    flipped = kernel.detach().flip(2, 3).transpose(0, 1)  # (in, out, kh, kw), rotated by 180°
    d_image_flip = F.conv2d(F.pad(upstream, (kw - 1, kw - 1, kh - 1, kh - 1)), flipped)
    d_image_transposed = F.conv_transpose2d(upstream, kernel.detach())
    d_kernel = F.conv2d(image.detach().transpose(0, 1), upstream.transpose(0, 1)).transpose(0, 1)
    return {
        "max_error_input_flipped_correlation": float((d_image_flip - image.grad).abs().max()),
        "max_error_input_transposed_conv": float((d_image_transposed - image.grad).abs().max()),
        "max_error_kernel_correlation": float((d_kernel - kernel.grad).abs().max()),
        "input_shape": list(image.shape), "kernel_shape": list(kernel.shape),
        "jacobian_entries": int(out.numel() * image.numel()),
    }


def constraint_count() -> dict[str, float]:
    """What one labelled ImageNet image pins down, against the parameters it has to pin down (VGG11)."""
    from torchvision.models import vgg11

    params = sum(p.numel() for p in vgg11(weights=None).parameters())
    bits = math.log2(IMAGENET_CLASSES)
    return {"vgg11_parameters": params, "bits_per_label": bits, "train_images": IMAGENET_TRAIN_IMAGES,
            "total_label_mbit": bits * IMAGENET_TRAIN_IMAGES / 1e6, "params_per_image": params / IMAGENET_TRAIN_IMAGES,
            "classes": IMAGENET_CLASSES,
            # softmax(l) = one-hot(y): one equation per class, less one because the outputs sum to 1 whatever l is
            "one_hot_equations": IMAGENET_CLASSES - 1,
            # "y wins": l_y > l_j for every other class j
            "margin_inequalities": IMAGENET_CLASSES - 1}
