"""What a generator can and cannot reconstruct: per-image attributes and error summaries for inversion."""

from __future__ import annotations

import pandas as pd
import torch
import torch.nn.functional as F

from genlab.core import checkpoint
from genlab.core.data import load_dataset, pick_images
from genlab.measure.image_metrics import high_frequency_energy, psnr, ssim
from genlab.models.nets import from_spec
from genlab.probes.latent import LatentFit


def load_probe(data: str, ckpt: str, n_images: int, seed: int, device: torch.device):
    """What every latent probe starts from: the dataset, the frozen generator, and the held-out targets
    (indices, and images in [0, 1] of shape (N, C, H, W) on the device)."""
    ds = load_dataset(data)
    gen = from_spec(checkpoint.load(ckpt)["gen"], device)
    idx = pick_images(ds.labels, ds.test_idx, n_images, seed)
    return ds, gen, idx, torch.from_numpy(ds.images[idx]).to(device).float() / 255


def image_table(recon: torch.Tensor, targets: torch.Tensor) -> pd.DataFrame:
    """Per-image MSE, PSNR and SSIM of a reconstruction."""
    mse = (recon - targets).pow(2).flatten(1).mean(1)
    return pd.DataFrame({"mse": mse.cpu().numpy(), "psnr": psnr(recon, targets).cpu().numpy(),
                         "ssim": ssim(recon, targets).cpu().numpy()})


def image_attributes(targets: torch.Tensor) -> pd.DataFrame:
    """What might make an image hard: its ink (mean intensity) and its high-frequency energy."""
    return pd.DataFrame({"ink": targets.flatten(1).mean(1).cpu().numpy(),
                         "high_freq": high_frequency_energy(targets).cpu().numpy()})


def focus_region(targets: torch.Tensor, has_labels: bool) -> tuple[torch.Tensor, str]:
    """Where the content is: the strokes (pixels > 0.5) for digit-like data, else the central half box (a face)."""
    if has_labels and targets.shape[1] == 1:
        return (targets > 0.5).float(), "stroke pixels (intensity > 0.5)"
    n, _, h, w = targets.shape
    region = torch.zeros(n, 1, h, w, device=targets.device)
    region[:, :, h // 4 : h - h // 4, w // 4 : w - w // 4] = 1
    return region, "the central box (half the side)"


COARSE_SIDE = 8  # the low-pass image keeps about this many pixels per side: the layout, not the strokes


def scale_split(diff: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image mean square of an error's (N, C, H, W) low-pass part (the coarse layout) and of its high-pass
    residual (the fine detail): average-pooled to about COARSE_SIDE pixels per side and upsampled back. The two add
    up to the MSE, but for a small cross term."""
    factor = max(2, diff.shape[-1] // COARSE_SIDE)
    low = F.interpolate(F.avg_pool2d(diff, factor, ceil_mode=True), size=diff.shape[-2:], mode="bilinear",
                        align_corners=False)
    return low.pow(2).flatten(1).mean(1), (diff - low).pow(2).flatten(1).mean(1)


def fine_shares(recon: torch.Tensor, targets: torch.Tensor, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image, the fine (high-pass) share of the error, and the same share of that error with its pixel positions
    shuffled within the image: the null. The low-pass band keeps only ~(COARSE_SIDE / side)² of the dimensions, so
    any error without spatial structure (white noise: ~92% on 28 × 28) puts most of its energy in the fine part;
    only a share above the shuffled one says the error is finer than its amount alone implies."""
    diff = recon - targets
    n, c, h, w = diff.shape
    gen = torch.Generator().manual_seed(seed)
    order = torch.stack([torch.randperm(h * w, generator=gen) for _ in range(n)]).to(diff.device)
    shuffled = diff.flatten(2).gather(2, order[:, None, :].expand(n, c, h * w)).view_as(diff)
    shares = []
    for err in (diff, shuffled):
        coarse, fine = scale_split(err)
        shares.append(fine / (coarse + fine).clamp_min(1e-12))
    return shares[0], shares[1]


def error_shares(recon: torch.Tensor, targets: torch.Tensor, region: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image: the share of its squared error inside `region`, and the region's share of its pixels."""
    err = (recon - targets).pow(2).sum(1, keepdim=True).flatten(1)  # (N, H·W)
    inside = region.flatten(1)
    return (err * inside).sum(1) / err.sum(1).clamp_min(1e-12), inside.mean(1)


def error_location(recon: torch.Tensor, targets: torch.Tensor, region: torch.Tensor) -> dict:
    """Share of the squared error that falls in `region`, against the region's share of the pixels."""
    err = (recon - targets).pow(2).sum(1, keepdim=True)  # (N, 1, H, W)
    return {"error_share": float((err * region).sum() / err.sum().clamp_min(1e-12)),
            "area_share": float(region.mean())}


def per_image_measures(frame: pd.DataFrame, fit: LatentFit, targets: torch.Tensor, region: torch.Tensor,
                       seed: int) -> dict:
    """The per-image arrays the inversion's verdicts test: the error of each variant and of the nearest training
    image (from the step's `frame`), and of the reported variant's `fit` its code norm, restart spread, fine-scale
    and in-region shares of the error, with the image attributes."""
    fine_share, shuffled_share = fine_shares(fit.images, targets, seed)
    error_share, area_share = error_shares(fit.images, targets, region)
    return {"no_prior_mse": frame["no_prior_mse"].to_numpy(), "prior_mse": frame["prior_mse"].to_numpy(),
            "nearest_mse": frame["nearest_mse"].to_numpy(),
            "z_norm_no_prior": fit.z.norm(dim=1).cpu().numpy(),
            # the median start's loss over the best's: the worst of R starts would grow with R
            "restart_spread": (fit.restart_losses.quantile(0.5, dim=0)
                               / fit.loss.clamp_min(1e-12)).cpu().numpy(),
            "fine_share": fine_share.cpu().numpy(), "shuffled_fine_share": shuffled_share.cpu().numpy(),
            "error_share": error_share.cpu().numpy(),
            "area_share": area_share.cpu().numpy(), "ink": frame["ink"].to_numpy(),
            "high_freq": frame["high_freq"].to_numpy()}
