"""Networks, sized from the data's image shape, and rebuilt from a checkpoint's own description."""

from __future__ import annotations

import torch
from torch import nn

from genlab.core.images import conv_stages


class MLPGenerator(nn.Module):
    """The classic MLP GAN generator: z → 128 → C·H·W, sigmoid output (images in [0, 1])."""

    def __init__(self, latent_dim: int = 100, hidden: int = 128, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "hidden": hidden, "image_shape": list(image_shape)}
        self.latent_dim = latent_dim
        self.image_shape = tuple(image_shape)
        pixels = self.image_shape[0] * self.image_shape[1] * self.image_shape[2]
        self.net = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, pixels), nn.Sigmoid())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.image_shape)  # (B, C, H, W)


class MLPDiscriminator(nn.Module):
    """C·H·W → 128 → 1. Returns logits: the sigmoid lives inside the losses, for numerical stability."""

    def __init__(self, hidden: int = 128, image_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.kwargs = {"hidden": hidden, "image_shape": list(image_shape)}
        pixels = image_shape[0] * image_shape[1] * image_shape[2]
        self.net = nn.Sequential(nn.Linear(pixels, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1)).squeeze(1)  # (B,)


class ConvEncoder(nn.Module):
    """Stride-2 convs from `base_filters` doubling per stage, then FC to `out_dim` (a code, or one logit)."""

    def __init__(self, image_shape: tuple[int, int, int] = (1, 28, 28), base_filters: int = 16, out_dim: int = 10):
        super().__init__()
        self.kwargs = {"image_shape": list(image_shape), "base_filters": base_filters, "out_dim": out_dim}
        channels, size = image_shape[0], image_shape[1]
        layers = []
        for i in range(conv_stages(size)):
            out = base_filters * 2**i
            layers += [nn.Conv2d(channels, out, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]
            channels, size = out, size // 2
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(channels * size * size, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).flatten(1))  # (B, out_dim)


class ConvDiscriminator(ConvEncoder):
    """The conv GAN's D: the encoder with one output, a logit."""

    def __init__(self, image_shape: tuple[int, int, int] = (1, 28, 28), base_filters: int = 16):
        super().__init__(image_shape, base_filters, out_dim=1)
        self.kwargs = {"image_shape": list(image_shape), "base_filters": base_filters}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x).squeeze(1)  # (B,) logits


class ConvGenerator(nn.Module):
    """The decoder shape, the discriminator transposed: FC to a coarse grid, then stride-2 transposed convs
    halving the filters up to the image size, sigmoid output."""

    def __init__(self, latent_dim: int = 10, image_shape: tuple[int, int, int] = (1, 28, 28), base_filters: int = 16):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "image_shape": list(image_shape), "base_filters": base_filters}
        self.latent_dim = latent_dim
        self.image_shape = tuple(image_shape)
        stages = conv_stages(image_shape[1])
        self.coarse = (base_filters * 2 ** (stages - 1), image_shape[1] // 2**stages)  # (channels, side)
        c, s = self.coarse
        self.fc = nn.Sequential(nn.Linear(latent_dim, c * s * s), nn.ReLU())
        layers = []
        for i in reversed(range(stages)):
            out = image_shape[0] if i == 0 else base_filters * 2 ** (i - 1)
            layers += [nn.ConvTranspose2d(base_filters * 2**i, out, 4, stride=2, padding=1)]
            layers += [nn.Sigmoid()] if i == 0 else [nn.BatchNorm2d(out), nn.ReLU()]
        self.deconv = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        c, s = self.coarse
        return self.deconv(self.fc(z).view(-1, c, s, s))  # (B, C, H, W)


class ConvAutoencoder(nn.Module):
    """The conv GAN's encoder (to a code of the GAN's latent size) and its generator as the decoder."""

    def __init__(self, latent_dim: int = 10, image_shape: tuple[int, int, int] = (1, 28, 28), base_filters: int = 16):
        super().__init__()
        self.kwargs = {"latent_dim": latent_dim, "image_shape": list(image_shape), "base_filters": base_filters}
        self.latent_dim = latent_dim
        self.encoder = ConvEncoder(image_shape, base_filters, latent_dim)
        self.decoder = ConvGenerator(latent_dim, image_shape, base_filters)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encoder(x)  # (B, Z)
        return z, self.decoder(z)


class DomainClassifier(nn.Module):
    """LeNet-like: two 5×5 conv + max-pool stages, a 128-unit penultimate layer (the metrics' feature space),
    and class logits. The same code for 28×28×1 and 64×64×3."""

    def __init__(self, image_shape: tuple[int, int, int] = (1, 28, 28), n_classes: int = 10, width: int = 128):
        super().__init__()
        self.kwargs = {"image_shape": list(image_shape), "n_classes": n_classes, "width": width}
        c, s = image_shape[0], image_shape[1]
        self.convs = nn.Sequential(nn.Conv2d(c, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2))
        side = ((s - 4) // 2 - 4) // 2
        self.penultimate = nn.Sequential(nn.Linear(64 * side * side, width), nn.ReLU())
        self.logits = nn.Linear(width, n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.penultimate(self.convs(x).flatten(1))  # (B, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits(self.features(x))  # (B, n_classes)


NETS = {cls.__name__: cls for cls in (MLPGenerator, MLPDiscriminator, ConvGenerator, ConvDiscriminator,
                                      ConvAutoencoder, DomainClassifier)}


def init_normal_(module: nn.Module, std: float) -> nn.Module:
    """Every weight and bias from N(0, std²), as the MLP GAN exercise prescribes."""
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0.0, std)
    return module


def to_spec(net: nn.Module) -> dict:
    """A self-describing entry for a checkpoint: class name, constructor arguments, weights."""
    return {"class": type(net).__name__, "kwargs": net.kwargs, "state_dict": net.state_dict()}


def from_spec(spec: dict, device: torch.device | str = "cpu") -> nn.Module:
    net = NETS[spec["class"]](**spec["kwargs"])
    net.load_state_dict(spec["state_dict"])
    return net.to(device)


def latent_size(net: dict, image_shape: tuple[int, int, int]) -> int:
    """The configured z size for this image side (config `latent_dim: {"28": 10, "64": 64}`)."""
    side = str(image_shape[1])
    if side not in net["latent_dim"]:
        raise ValueError(f"no latent size for {side}×{side} images: add '{side}' to the config's latent_dim")
    return net["latent_dim"][side]


def build_gan(arch: str, net: dict, image_shape: tuple[int, int, int]) -> tuple[nn.Module, nn.Module]:
    """(generator, discriminator) for `arch` ('mlp' or 'conv'), sized from the data's image shape."""
    if arch == "mlp":
        gen = init_normal_(MLPGenerator(net["latent_dim"], net["hidden"], image_shape), net["init_std"])
        return gen, init_normal_(MLPDiscriminator(net["hidden"], image_shape), net["init_std"])
    if arch == "conv":
        gen = ConvGenerator(latent_size(net, image_shape), image_shape, net["base_filters"])
        return gen, ConvDiscriminator(image_shape, net["base_filters"])
    raise ValueError(f"unknown architecture '{arch}'; expected mlp or conv")


def build_gans(arch: str, net: dict, image_shape: tuple[int, int, int],
               seeds: list[int]) -> list[tuple[nn.Module, nn.Module]]:
    """(generator, discriminator) per seed, each initialised from its own seed: a run's nets are the same whether it
    trains alone or in a stacked group."""
    nets = []
    for seed in seeds:
        torch.manual_seed(seed)
        nets.append(build_gan(arch, net, image_shape))
    return nets
