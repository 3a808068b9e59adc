"""The VGG11 backbone (trained here, or ImageNet weights from a file only) and the images it inverts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchvision

from genlab.core.data import Dataset
from genlab.models.vgg import (
    imagenet_features,
    load_backbone,
    make_backbone,
    resolve_weights,
    save_backbone,
    vgg11_classifier,
    vgg11_features,
)
from genlab.probes.cnn_images import fit_image, inversion_targets, natural_images
from genlab.train.vgg import train_vgg11


def test_classifier_keeps_vggs_features_and_sizes_its_head_for_the_data():
    model = vgg11_classifier(7)
    reference = torchvision.models.vgg11(weights=None).features  # the one full VGG11 built in these tests
    assert [type(m) for m in model.features] == [type(m) for m in reference]
    assert [str(m) for m in vgg11_features()] == [str(m) for m in reference]  # what the other tests build
    assert model(torch.rand(2, 3, 32, 32)).shape == (2, 7)


def test_training_a_few_steps_runs_and_returns_the_data_statistics():
    rng = np.random.default_rng(0)
    images = torch.from_numpy(rng.integers(0, 256, (16, 1, 28, 28), dtype=np.uint8))
    labels = torch.arange(16) % 2
    model, mean, std, losses = train_vgg11(images, labels, 2, size=32, steps=2, batch_size=4, lr=1e-4, seed=0)
    assert len(losses) == 2 and mean.shape == std.shape == (1,)
    assert mean.item() == pytest.approx(0.5, abs=0.05)  # uniform pixels


def test_backbone_file_round_trip(tmp_path):
    features = vgg11_features()
    save_backbone(tmp_path / "b.pt", features, [0.1], [0.3], "made in a test")
    backbone = load_backbone(tmp_path / "b.pt", torch.device("cpu"))
    x = torch.rand(1, 3, 32, 32)
    assert torch.allclose(backbone.features(x), features.eval()(x)) and backbone.description == "made in a test"
    assert backbone.channels == 1


def imagenet_like_file() -> dict:
    """torchvision's vgg11 file format: the features' tensors under features.*, seeded, and the ImageNet head's
    under classifier.* (small stand-ins: the loader must skip them, and the real ones are 480 MB)."""
    torch.manual_seed(0)
    features = {f"features.{k}": v for k, v in vgg11_features().state_dict().items()}
    return {**features, "classifier.0.weight": torch.zeros(4, 2), "classifier.6.bias": torch.zeros(3)}


def test_imagenet_weights_come_from_a_file_or_fail_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    with pytest.raises(FileNotFoundError, match="IMAGENET1K_V1.*download: true.*weights: trained"):
        imagenet_features("", download=False)
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "missing.pth")):
        imagenet_features(str(tmp_path / "missing.pth"), download=True)  # a named file is never swapped for a download
    torch.save(imagenet_like_file(), tmp_path / "vgg11.pth")
    features = imagenet_features(str(tmp_path / "vgg11.pth"), download=False)
    assert torch.equal(features[0].weight, imagenet_like_file()["features.0.weight"])


def test_natural_images_ship_with_scikit_image_and_take_the_backbones_channels():
    colour = natural_images(["astronaut", "coffee"], 48, 3)
    grey = natural_images(["astronaut", "camera"], 48, 1)
    assert colour.shape == (2, 3, 48, 48) and grey.shape == (2, 1, 48, 48)
    assert 0 <= float(colour.min()) and float(colour.max()) <= 1 and colour.std() > 0.1
    assert fit_image(torch.rand(1, 20, 30), 16, 3).shape == (3, 16, 16)  # grey → 3 channels, cropped square


def test_inversion_targets_add_held_out_dataset_images():
    images = np.random.default_rng(0).integers(0, 256, (10, 1, 28, 28), dtype=np.uint8)
    ds = Dataset(images, np.arange(10), np.arange(8), np.array([8, 9]), "toy")
    params = {"natural": ["coffee"], "dataset": 5, "size": 32, "seed": 0}
    targets, names = inversion_targets(ds, "toy", params, channels=1)
    assert targets.shape == (3, 1, 32, 32) and names == ["coffee", "toy #8", "toy #9"]  # only 2 held out
    backbone = make_backbone(vgg11_features(), [0.5], [0.5], "")
    assert backbone.to_input(backbone.to_units(targets)).shape == (3, 3, 32, 32)


def test_prepare_backbone_step_writes_one_format_for_both_origins(tmp_path):
    from genlab.core.data import save_dataset
    from genlab.core.io import read_json
    from genlab.steps.prepare_backbone import run

    rng = np.random.default_rng(0)  # unlabelled RGB data, as CelebA64: the trained path needs k-means classes
    images = rng.integers(0, 256, (24, 3, 32, 32), dtype=np.uint8)
    save_dataset(tmp_path / "faces.npz", Dataset(images, np.full(24, -1), np.arange(20), np.arange(20, 24), "toy"))
    torch.save(imagenet_like_file(), tmp_path / "vgg11.pth")
    params = {"weights": "trained", "weights_path": "", "download": False, "image_size": 32, "steps": 2,
              "batch_size": 4, "lr": 1e-4, "seed": 0, "clusters": 3}
    for weights, extra in (("trained", {}), ("imagenet", {"weights_path": str(tmp_path / "vgg11.pth")})):
        out = tmp_path / weights
        run(str(tmp_path / "faces.npz"), {**params, "weights": weights, **extra}, "cpu", 1,
            str(out / "backbone.pt"), str(out / "backbone.json"))
        backbone = load_backbone(out / "backbone.pt", torch.device("cpu"))
        assert backbone.channels == 3 and read_json(out / "backbone.json")["weights"] == weights
    assert "3 k-means clusters" in read_json(tmp_path / "trained/backbone.json")["description"]
    assert read_json(tmp_path / "imagenet/backbone.json")["description"].endswith("(IMAGENET1K_V1)")


def test_auto_weights_take_imagenet_only_when_its_file_is_at_hand(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    params = {"weights": "auto", "weights_path": "", "download": False}
    assert resolve_weights(params) == "trained"  # offline and nothing cached: the network trained here
    assert resolve_weights({**params, "download": True}) == "imagenet"
    cached = tmp_path / "hub/checkpoints/vgg11-8a719046.pth"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    assert resolve_weights(params) == "imagenet"
    assert resolve_weights({**params, "weights": "trained"}) == "trained"
