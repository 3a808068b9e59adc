"""The sample grids: torchvision's layout, without importing torchvision in the steps."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.utils import make_grid, save_image

from genlab.plots.base import save_grid, tile


@pytest.mark.parametrize("n, channels, nrow, padding", [(16, 1, 8, 2), (10, 3, 4, 1), (7, 3, 8, 2)])
def test_the_grid_is_torchvisions(n, channels, nrow, padding):
    images = torch.rand(n, channels, 9, 7, generator=torch.Generator().manual_seed(n))
    assert torch.equal(tile(images, nrow, padding), make_grid(images, nrow=nrow, padding=padding, pad_value=1.0))


def test_a_saved_grid_is_the_png_torchvision_writes(tmp_path):
    images = torch.randint(0, 256, (12, 3, 8, 8), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    save_grid(images, tmp_path / "ours.png")
    save_image(images.float() / 255, tmp_path / "torchvision.png", nrow=8, padding=2, pad_value=1.0)
    ours, theirs = (np.asarray(Image.open(tmp_path / name)) for name in ("ours.png", "torchvision.png"))
    assert np.array_equal(ours, theirs)
