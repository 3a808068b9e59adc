"""Rule prepare_backbone: the VGG11 whose features are inverted, as one file whatever the weights' origin.

weights: trained trains torchvision's VGG11 (head sized for the data) on the dataset's training split, offline;
weights: imagenet loads IMAGENET1K_V1 from a local file (a download only where the config allows it).
"""

from __future__ import annotations

from pathlib import Path

import torch

from genlab.core import cli, runtime
from genlab.core.data import load_dataset
from genlab.core.io import write_json
from genlab.models.classifier import class_labels
from genlab.models.vgg import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    accuracy,
    imagenet_features,
    make_backbone,
    resolve_weights,
    save_backbone,
)
from genlab.train.vgg import train_vgg11


def run(data: str, params: dict, device: str, threads: int, ckpt: str, summary: str) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    name = Path(data).stem
    weights = resolve_weights(params)
    if weights == "imagenet":
        features = imagenet_features(params["weights_path"], params["download"])
        description = "torchvision's VGG11 with ImageNet weights (IMAGENET1K_V1)"
        save_backbone(ckpt, features, IMAGENET_MEAN, IMAGENET_STD, description)
        write_json(summary, {"weights": "imagenet", "asked": params["weights"], "description": description,
                             "params": params})
        print(description)
        return

    ds = load_dataset(data)
    images = torch.from_numpy(ds.images).to(dev)
    labels, kind = class_labels(ds, images, params["clusters"], params["seed"])
    train_idx, test_idx = (torch.from_numpy(i).to(dev) for i in (ds.train_idx, ds.test_idx))
    n_classes = int(labels.max()) + 1
    model, mean, std, losses = train_vgg11(images[train_idx], labels[train_idx], n_classes, size=params["image_size"],
                                           steps=params["steps"], batch_size=params["batch_size"], lr=params["lr"],
                                           seed=params["seed"])
    backbone = make_backbone(model.features, mean.to(dev), std.to(dev), "")
    test_accuracy = accuracy(model, backbone, images[test_idx], labels[test_idx], params["image_size"])
    description = (f"torchvision's VGG11 trained here on {name} ({params['steps']:,} steps at "
                   f"{params['image_size']}×{params['image_size']}, {kind}; held-out accuracy {test_accuracy:.1%})")
    save_backbone(ckpt, model.features.cpu(), mean, std, description)
    write_json(summary, {"weights": "trained", "asked": params["weights"], "description": description,
                         "test_accuracy": test_accuracy,
                         "n_classes": n_classes, "final_loss": sum(losses[-20:]) / len(losses[-20:]),
                         "params": params, "device": runtime.describe(dev)})
    print(description)


if __name__ == "__main__":
    cli.main(run)
