"""Checkpoints and resume state: plain dicts of tensors and simple types, saved atomically.

`weights_only=True` loading (the default since torch 2.6) is why nothing else goes in.
"""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import torch

from genlab.core.io import atomic_path


def save(path: str | Path, state: dict) -> None:
    with atomic_path(path) as tmp:
        torch.save(state, tmp)


def load(path: str | Path, device: torch.device | str = "cpu") -> dict:
    return torch.load(path, map_location=device, weights_only=True)


def load_resume(path: str | Path, device: torch.device, config: dict) -> dict | None:
    """A training run's resume state, on the CPU, if `path` holds one written by the same config on the same kind of
    device; else None, said aloud. A state from the quick config, or from a CPU run picked up on a GPU (whose RNG
    and fused-Adam state differ), would not continue the run that is asked for, and one cut short (a full disk)
    cannot: that run starts afresh."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        state = load(path)
    except (RuntimeError, EOFError, pickle.UnpicklingError, zipfile.BadZipFile) as error:  # cut short (a full disk)
        print(f"ignoring {path}: it cannot be read ({type(error).__name__}: {error}); this run starts afresh")
        return None
    found = (state.get("device_type"), state.get("config"))
    if found != (device.type, config):
        print(f"ignoring {path}: written by another config or device ({found[0]}), not this run's ({device.type})")
        return None
    return state
