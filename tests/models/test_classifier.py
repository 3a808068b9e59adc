from __future__ import annotations

import pytest
import torch

from genlab.models.classifier import features_and_logits, kmeans_labels
from genlab.models.nets import DomainClassifier
from genlab.train.classifier import train_classifier


@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 64, 64)])
def test_classifier_features_and_logits_for_both_image_sizes(shape):
    model = DomainClassifier(shape, n_classes=7)
    feats, logits = features_and_logits(model, torch.rand(5, *shape), batch_size=2)
    assert feats.shape == (5, 128) and logits.shape == (5, 7)


def test_kmeans_pseudo_labels_separate_obvious_groups():
    dark = torch.zeros(20, 3, 16, 16, dtype=torch.uint8)
    bright = torch.full((20, 3, 16, 16), 250, dtype=torch.uint8)
    labels = kmeans_labels(torch.cat([dark, bright]), clusters=2, seed=0)
    assert len(set(labels[:20].tolist())) == 1 and len(set(labels[20:].tolist())) == 1
    assert labels[0] != labels[-1]


def test_a_few_steps_learn_an_easy_task():
    torch.manual_seed(0)
    images = torch.cat([torch.zeros(30, 1, 28, 28), torch.full((30, 1, 28, 28), 200.0)]).to(torch.uint8)
    labels = torch.cat([torch.zeros(30), torch.ones(30)]).long()
    model = DomainClassifier((1, 28, 28), n_classes=2)
    losses = train_classifier(model, images, labels, steps=30, batch_size=16, lr=1e-3, seed=0)
    assert losses[-1] < losses[0]
    _, logits = features_and_logits(model, images.float() / 255)
    assert (logits.argmax(1) == labels).float().mean() == 1.0
