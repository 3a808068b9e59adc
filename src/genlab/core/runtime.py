"""Where and how a step runs: device choice, CPU threads, seeds, and a description for the report."""

from __future__ import annotations

import platform

import torch


def pick_device(name: str = "auto") -> torch.device:
    """`auto` takes CUDA when present; an explicit `cuda` without a GPU is an error, not a silent CPU run."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise RuntimeError(f"device '{name}' was asked for, but torch sees no CUDA GPU; use 'auto' or 'cpu'")
    return torch.device(name)


def configure(threads: int, seed: int, device: torch.device) -> None:
    """Pin CPU threads to the rule's share and make CPU runs repeatable."""
    torch.set_num_threads(max(1, threads))
    torch.manual_seed(seed)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True


def describe(device: torch.device) -> str:
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    return f"CPU: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
