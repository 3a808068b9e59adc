"""Checkpoints and resume state: plain dicts of tensors and simple types, saved atomically.

`weights_only=True` loading (the default since torch 2.6) is why nothing else goes in.
"""

from __future__ import annotations

from pathlib import Path

import torch

from genlab.core.io import atomic_path


def save(path: str | Path, state: dict) -> None:
    with atomic_path(path) as tmp:
        torch.save(state, tmp)


def load(path: str | Path, device: torch.device | str = "cpu") -> dict:
    return torch.load(path, map_location=device, weights_only=True)
