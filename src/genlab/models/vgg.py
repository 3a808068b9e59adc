"""The VGG11 whose features are inverted: trained here on the configured data (the offline default), or
torchvision's ImageNet weights from a local file, downloaded only when the config allows it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from genlab.core import checkpoint

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)  # torchvision's VGG transforms


@dataclass
class Backbone:
    """VGG11's conv part with the input convention it was trained with."""

    features: nn.Sequential  # torchvision's vgg11().features, ReLUs made out-of-place, eval mode, frozen
    mean: torch.Tensor  # (C,) data mean in [0, 1], per channel of the images it expects
    std: torch.Tensor  # (C,)
    description: str  # which weights, for the report

    @property
    def channels(self) -> int:
        return len(self.mean)

    def to_units(self, images: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1] (B, C, H, W) → the paper's units: 0–255 scale, mean subtracted."""
        return 255 * (images - self.mean.view(1, -1, 1, 1))

    def to_images(self, x: torch.Tensor) -> torch.Tensor:
        """The paper's units → images in [0, 1] (clamped: what a viewer, PSNR and SSIM see)."""
        return (x / 255 + self.mean.view(1, -1, 1, 1)).clamp(0, 1)

    def to_input(self, x: torch.Tensor) -> torch.Tensor:
        """The paper's units → the network's normalised 3-channel input (grey images repeat one channel)."""
        net = x / (255 * self.std.view(1, -1, 1, 1))
        return net.expand(-1, 3, -1, -1) if net.shape[1] == 1 else net


def make_backbone(features: nn.Sequential, mean, std, description: str) -> Backbone:
    """Freeze `features`, switch its ReLUs out of place (an in-place ReLU overwrites a captured conv output)."""
    for module in features.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False
    features.eval().requires_grad_(False)
    return Backbone(features, torch.as_tensor(mean, dtype=torch.float32), torch.as_tensor(std, dtype=torch.float32),
                    description)


def vgg11_classifier(n_classes: int) -> nn.Module:
    """torchvision's VGG11, its head sized for the data: global average pooling and 512 → 256 → n_classes
    (ImageNet's 25,088 → 4,096 → 4,096 head would hold 90% of the weights and fit small images badly)."""
    model = torchvision.models.vgg11(weights=None, num_classes=n_classes)
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, n_classes))
    return model


def resize_for_vgg(images: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 (N, C, H, W) → float [0, 1] at size × size: VGG's five poolings need a side of at least 32."""
    x = images.float() / 255
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=True)


def vgg_input(backbone: Backbone, images: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 (N, C, H, W) → the network's normalised (N, 3, size, size) input, as in training and testing."""
    return backbone.to_input(backbone.to_units(resize_for_vgg(images, size)))


@torch.no_grad()
def accuracy(model: nn.Module, backbone: Backbone, images: torch.Tensor, labels: torch.Tensor, size: int) -> float:
    hits = 0
    for chunk, target in zip(images.split(256), labels.split(256), strict=True):
        hits += int((model(vgg_input(backbone, chunk, size)).argmax(1) == target).sum())
    return hits / len(images)


def imagenet_file(weights_path: str) -> Path:
    """Where IMAGENET1K_V1 weights are read from: `weights_path`, else torch's cache."""
    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(torchvision.models.VGG11_Weights.IMAGENET1K_V1.url).name
    return Path(weights_path) if weights_path else cached


def resolve_weights(params: dict) -> str:
    """`auto`: the exercise's ImageNet VGG11 when its file is at hand (or a download is allowed), else the network
    trained here; `trained` and `imagenet` as asked."""
    if params["weights"] != "auto":
        return params["weights"]
    return "imagenet" if imagenet_file(params["weights_path"]).is_file() or params["download"] else "trained"


def imagenet_features(weights_path: str, download: bool) -> nn.Sequential:
    """VGG11's features with IMAGENET1K_V1 weights: from `weights_path`, else torch's cache, else a download
    when `download` is set; otherwise a clear error that says how to proceed."""
    weights = torchvision.models.VGG11_Weights.IMAGENET1K_V1
    path = imagenet_file(weights_path)
    if path.is_file():
        state = torch.load(path, map_location="cpu", weights_only=True)  # the whole net's: features.* and classifier.*
        features = vgg11_features()
        features.load_state_dict({key.removeprefix("features."): value for key, value in state.items()
                                  if key.startswith("features.")})
        return features
    if download and not weights_path:
        return torchvision.models.vgg11(weights=weights).features  # downloads into torch's cache
    raise FileNotFoundError(
        f"VGG11 ImageNet weights (IMAGENET1K_V1) not found at {path}; expected torchvision's "
        f"{Path(weights.url).name}. Put the file there, set cnn_inversion.backbone.weights_path, allow a download "
        "with cnn_inversion.backbone.download: true, or use weights: trained (trains VGG11 on the data, offline)")


def save_backbone(path, features: nn.Module, mean, std, description: str) -> None:
    checkpoint.save(path, {"features": features.state_dict(), "mean": torch.as_tensor(mean),
                           "std": torch.as_tensor(std), "description": description})


def vgg11_features() -> nn.Sequential:
    """VGG11's conv part alone, built as torchvision builds it (its make_layers on configuration "A"), for weights
    read from a file: vgg11() would first initialise the 120M-parameter ImageNet head only to drop it."""
    return torchvision.models.vgg.make_layers(torchvision.models.vgg.cfgs["A"])


def load_backbone(path, device: torch.device) -> Backbone:
    """A frozen Backbone from a file written by save_backbone."""
    state = checkpoint.load(path)
    features = vgg11_features()
    features.load_state_dict(state["features"])
    backbone = make_backbone(features.to(device), state["mean"].to(device), state["std"].to(device),
                             state["description"])
    return backbone
