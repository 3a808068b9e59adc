"""Inverting CNN features (Mahendran & Vedaldi, CVPR 2015, "Understanding deep image representations by
inverting them"): find an image x whose features Φ(x) match Φ(x0), regularised towards natural images.

Objective per image, as in the paper and its official code (github.com/aravindhm/deep-goggle, core/invert_nn.m):

    E(x) = ‖Φ(x) − Φ0‖² / ‖Φ0‖²  +  (λ_α/2 · ‖x‖_α^α  +  λ_TV/2 · TV^β(x)) / σ0²

with x in the paper's pixel units (0–255 scale, the per-channel data mean subtracted; the backbone's own input
normalisation is applied inside `Backbone.to_input`), and σ0 the typical norm of an image in those units (the
official code's `x0_sigma`; here the mean norm of all the configured images, see image_norm). The code steps on σ0²·E.
Every image × λ pair is one sample of a batch; per-sample objectives are summed, so gradients stay independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from genlab.measure.image_metrics import high_frequency_energy, psnr, ssim
from genlab.models.vgg import Backbone


def target_layers(features: nn.Sequential) -> list[tuple[str, int]]:
    """(name, index) of every conv and max-pool layer: conv1, pool1, ..., conv5_2, pool5 for VGG11."""
    blocks: list[list[int]] = [[]]
    for index, module in enumerate(features):
        if isinstance(module, nn.Conv2d):
            blocks[-1].append(index)
        elif isinstance(module, nn.MaxPool2d):
            blocks[-1].append(-index - 1)  # pools marked negative; a pool ends its block
            blocks.append([])
    layers = []
    for b, block in enumerate(blocks, start=1):
        convs = [i for i in block if i >= 0]
        for j, index in enumerate(convs, start=1):
            layers.append((f"conv{b}" if len(convs) == 1 else f"conv{b}_{j}", index))
        layers += [(f"pool{b}", -i - 1) for i in block if i < 0]
    return layers


def capture(features: nn.Sequential, x: torch.Tensor, indices: list[int]) -> dict[int, torch.Tensor]:
    """Outputs of the layers at `indices`, from one forward pass that stops at the deepest of them.

    The hooks clone what they see, so a conv's output is its own even if the ReLU after it runs in place.
    """
    captured: dict[int, torch.Tensor] = {}
    handles = [features[i].register_forward_hook(lambda _m, _in, out, i=i: captured.__setitem__(i, out.clone()))
               for i in indices]
    try:
        features[: max(indices) + 1](x)
    finally:
        for handle in handles:
            handle.remove()
    return captured


def alpha_norm(x: torch.Tensor, alpha: float) -> torch.Tensor:
    """Per-image ‖x‖_α^α = Σ |x|^α over channels and pixels: (B,)."""
    return x.abs().pow(alpha).flatten(1).sum(1)


def total_variation(x: torch.Tensor, beta: float) -> torch.Tensor:
    """Per-image TV^β = Σ_c,i,j ((x[i, j+1] − x[i, j])² + (x[i+1, j] − x[i, j])²)^(β/2): (B,).

    The last row and column have no forward neighbour and contribute a zero difference, as in the official code.
    """
    dx = F.pad(x[..., :, 1:] - x[..., :, :-1], (0, 1))  # (B, C, H, W)
    dy = F.pad(x[..., 1:, :] - x[..., :-1, :], (0, 0, 0, 1))
    squared = dx.pow(2) + dy.pow(2)
    if beta != 2:
        squared = squared.clamp_min(1e-12)  # (·)^(β/2) has no finite gradient at 0 for β < 2
    return squared.pow(beta / 2).flatten(1).sum(1)


@dataclass
class InversionConfig:
    """config.yaml's `cnn_inversion.optimisation`, where each value's source in the paper's code is cited."""

    steps: int
    optimizer: str  # sgd (momentum, the paper's) | adam
    lr: float  # on σ0²·E
    momentum: float
    schedule: list  # [(share of steps, lr multiplier), ...]
    alpha: float  # the α-norm's exponent
    lambda_alpha: float
    beta: float  # TV^β exponent
    init_scale: float  # starting noise norm as a share of σ0
    jitter: int  # random shift of up to this many pixels per step
    seed: int


@dataclass
class InversionResult:
    x: torch.Tensor  # (B, C, H, W) in the paper's units
    feature_error: torch.Tensor  # (B,) ‖Φ(x) − Φ0‖² / ‖Φ0‖² at the end
    objective: torch.Tensor  # (B,) E(x) at the end
    curve: list[float]  # mean E over the batch, every steps/50 steps
    diverged: torch.Tensor  # (B,) bool: E ended non-finite


def lr_factors(cfg: InversionConfig) -> list[float]:
    """The learning-rate multiplier of every step: the schedule's shares, rounded, fill all `steps`."""
    factors = []
    for share, factor in cfg.schedule:
        factors += [factor] * round(share * cfg.steps)
    last = cfg.schedule[-1][1]
    return (factors + [last] * cfg.steps)[: cfg.steps]


def _objective(backbone, net, x, target, target_sq, lambda_tv, sigma0, cfg, shift=(0, 0)):
    """Per-sample (E, feature error) for images x (B, C, H, W) and targets Φ0 (B, ...)."""
    seen = torch.roll(x, shifts=shift, dims=(2, 3)) if shift != (0, 0) else x
    feats = net(backbone.to_input(seen))
    error = (feats - target).pow(2).flatten(1).sum(1) / target_sq  # (B,)
    reg = lambda_tv / 2 * total_variation(x, cfg.beta) + cfg.lambda_alpha / 2 * alpha_norm(x, cfg.alpha)
    return error + reg / sigma0**2, error


def invert_features(backbone: Backbone, layer: int, target: torch.Tensor, lambda_tv: torch.Tensor,
                    shape: tuple[int, ...], sigma0: float, cfg: InversionConfig) -> InversionResult:
    """Reconstruct one image per row of `target` (Φ0 of `features[layer]`, (B, ...)) with its own λ_TV (B,)."""
    device = target.device
    net = backbone.features[: layer + 1]
    target_sq = target.pow(2).flatten(1).sum(1).clamp_min(1e-12)  # (B,)
    gen = torch.Generator().manual_seed(cfg.seed)
    noise = torch.randn(target.shape[0], *shape, generator=gen)
    x = (noise * cfg.init_scale * sigma0 / noise.flatten(1).norm(dim=1).view(-1, 1, 1, 1)).to(device)
    x.requires_grad_(True)
    if cfg.optimizer == "sgd":
        opt = torch.optim.SGD([x], lr=cfg.lr, momentum=cfg.momentum)
    else:
        opt = torch.optim.Adam([x], lr=cfg.lr)
    factors, curve = lr_factors(cfg), []
    log_every = max(1, cfg.steps // 50)
    for step, factor in enumerate(factors):
        if step == 0 or factor != factors[step - 1]:
            opt.param_groups[0]["lr"] = cfg.lr * factor
            opt.state.clear()  # the official code resets momentum when the rate changes, to avoid overshooting
        shift = (0, 0)
        if cfg.jitter:
            shift = tuple(torch.randint(-cfg.jitter, cfg.jitter + 1, (2,), generator=gen).tolist())
        energy, _ = _objective(backbone, net, x, target, target_sq, lambda_tv, sigma0, cfg, shift)
        opt.zero_grad(set_to_none=True)
        (energy.sum() * sigma0**2).backward()  # the official code's step scale
        opt.step()
        if step % log_every == 0:
            curve.append(float(energy.detach().mean()))
    with torch.no_grad():
        energy, error = _objective(backbone, net, x, target, target_sq, lambda_tv, sigma0, cfg)
    curve.append(float(energy.mean()))
    # a row that diverged (e.g. a large λ_TV at the paper's step size) is a result of its own, not the batch's:
    # the rows are independent problems, so the others are unaffected; callers decide what a divergence means
    return InversionResult(x.detach(), error, energy, curve, ~torch.isfinite(energy))


def image_norm(backbone: Backbone, images: torch.Tensor) -> float:
    """σ0: the mean norm of images in the paper's units (the official code's x0_sigma). Computed once over
    every configured image, so that a λ means the same in every rule whichever images it inverts."""
    return float(backbone.to_units(images).flatten(1).norm(dim=1).mean())


def run_inversions(backbone: Backbone, images: torch.Tensor, names: list[str],
                   plan: list[tuple[str, int, list[float]]], cfg: InversionConfig, sigma0: float):
    """Invert every (layer, λ_TV list) of `plan` for every image: one batched problem per layer (images × λ).

    Returns (one row per layer × λ × image with the feature error, objective, PSNR, SSIM and high-frequency
    energy against the original, and whether it diverged (then its measures are NaN and its image black),
    {(layer name, λ): reconstructions (N, C, H, W) in [0, 1]}).
    """
    x0 = backbone.to_units(images)  # (N, C, H, W)
    targets = capture(backbone.features, backbone.to_input(x0), [index for _, index, _ in plan])
    original_hf = high_frequency_energy(images).tolist()  # one device-to-host copy, not one per row
    n, rows, recons = len(images), [], {}
    for layer, index, lambdas in plan:
        lam = torch.tensor(lambdas, dtype=torch.float32, device=images.device).repeat_interleave(n)  # (L·N,)
        target = targets[index].repeat(len(lambdas), *[1] * (targets[index].dim() - 1))  # λ-major, like lam
        result = invert_features(backbone, index, target, lam, tuple(images.shape[1:]), sigma0, cfg)
        recon = backbone.to_images(result.x).nan_to_num(0.0)  # a diverged row shows black
        reference = images.repeat(len(lambdas), 1, 1, 1)
        metrics = {"feature_error": result.feature_error, "objective": result.objective,
                   "psnr": psnr(recon, reference), "ssim": ssim(recon, reference),
                   "high_freq": high_frequency_energy(recon)}
        metrics = {k: v.detach().masked_fill(result.diverged, math.nan).cpu().tolist() for k, v in metrics.items()}
        metrics["diverged"] = result.diverged.cpu().tolist()
        for j, lam_value in enumerate(lambdas):
            recons[(layer, lam_value)] = recon[j * n:(j + 1) * n].cpu()
            for i, name in enumerate(names):
                rows.append({"layer": layer, "index": index, "lambda_tv": lam_value, "image": name,
                             **{k: v[j * n + i] for k, v in metrics.items()},
                             "original_high_freq": original_hf[i]})
        print(f"{layer}: λ_TV {lambdas}, mean feature error {result.feature_error.nanmean():.4f}, "
              f"{int(result.diverged.sum())} of {len(lam)} diverged")
    return pd.DataFrame(rows), recons


def diverged_images(frame: pd.DataFrame, lambdas: list[float]) -> tuple[list[dict], pd.DataFrame]:
    """Per swept layer, the images whose inversion diverged at some λ (and at which λ), and the frame without those
    images at that layer: the sweep's comparisons pair each image across λ, so an image missing one λ leaves the
    layer's comparisons altogether, and the layer's other images stay."""
    bad = frame.groupby(["layer", "image"], sort=False)["diverged"].transform("any")
    found = []
    for layer, rows in frame[bad].groupby("layer", sort=False):
        hit = rows[rows["diverged"]]
        found.append({"layer": layer, "images": list(dict.fromkeys(hit["image"])),
                      "lambdas": sorted(float(v) for v in hit["lambda_tv"].unique()),
                      "every_lambda": hit["lambda_tv"].nunique() == len(lambdas),
                      "layer_left_out": bool(bad[frame["layer"] == layer].all())})
    return found, frame[~bad]
