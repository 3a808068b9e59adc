"""Rule train_classifier: the domain classifier whose penultimate features every metric uses."""

from __future__ import annotations

import torch

from genlab.core import checkpoint, cli, runtime
from genlab.core.data import load_dataset
from genlab.core.io import write_json
from genlab.models.classifier import class_labels, features_and_logits
from genlab.models.nets import DomainClassifier, to_spec
from genlab.train.classifier import train_classifier


def run(data: str, params: dict, device: str, threads: int, ckpt: str, summary: str) -> None:
    dev = runtime.pick_device(device)
    runtime.configure(threads, params["seed"], dev)
    ds = load_dataset(data)
    images = torch.from_numpy(ds.images).to(dev)
    labels, kind = class_labels(ds, images, params["clusters"], params["seed"])
    train_idx, test_idx = (torch.from_numpy(i).to(dev) for i in (ds.train_idx, ds.test_idx))
    model = DomainClassifier(tuple(images.shape[1:]), int(labels.max()) + 1).to(dev)
    losses = train_classifier(model, images[train_idx], labels[train_idx], steps=params["steps"],
                              batch_size=params["batch_size"], lr=params["lr"], seed=params["seed"])
    _, logits = features_and_logits(model, images[test_idx].float() / 255)
    accuracy = float((logits.argmax(1) == labels[test_idx]).float().mean())
    checkpoint.save(ckpt, {"classifier": to_spec(model.cpu()), "labels": kind})
    write_json(summary, {"test_accuracy": accuracy, "labels": kind, "n_classes": int(labels.max()) + 1,
                         "final_loss": sum(losses[-50:]) / len(losses[-50:]), "params": params,
                         "device": runtime.describe(dev)})
    print(f"test accuracy {accuracy:.4f} on {kind}")


if __name__ == "__main__":
    cli.main(run)
