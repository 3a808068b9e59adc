"""Masks for image restoration: 1 = visible pixel, 0 = missing. Shared by every channel of a pixel."""

from __future__ import annotations

import torch

MASK_KINDS = ("random", "center", "half")


def make_masks(spec: dict, n: int, size: int, seed: int) -> torch.Tensor:
    """n masks (n, 1, size, size) of one configured kind.

    random: each pixel missing with probability `missing` (a fresh pattern per image);
    center: a square hole of side `size`·image side in the middle;
    half: the `side` half (bottom, top, left or right) missing.
    """
    kind = spec["kind"]
    masks = torch.ones(n, 1, size, size)
    if kind == "random":
        gen = torch.Generator().manual_seed(seed)
        masks = (torch.rand(n, 1, size, size, generator=gen) >= spec["missing"]).float()
    elif kind == "center":
        side = max(1, round(spec["size"] * size))
        lo = (size - side) // 2
        masks[:, :, lo : lo + side, lo : lo + side] = 0
    elif kind == "half":
        half = size // 2
        region = {"bottom": (slice(half, None), slice(None)), "top": (slice(None, half), slice(None)),
                  "left": (slice(None), slice(None, half)), "right": (slice(None), slice(half, None))}
        masks[(slice(None), slice(None), *region[spec["side"]])] = 0
    else:
        raise ValueError(f"unknown mask kind '{kind}'; expected one of {', '.join(MASK_KINDS)}")
    return masks
