"""CNN feature inversion: the capture, the regularisers by hand, batching, and that the optimisation works."""

from __future__ import annotations

import pandas as pd
import pytest
import torch
import torch.nn.functional as F
from conftest import CONFIG

from genlab.models.vgg import make_backbone, vgg11_features
from genlab.probes.cnn_inversion import (
    InversionConfig,
    alpha_norm,
    capture,
    diverged_images,
    image_norm,
    invert_features,
    lr_factors,
    run_inversions,
    target_layers,
    total_variation,
)

NAMES = ["conv1", "pool1", "conv2", "pool2", "conv3_1", "conv3_2", "pool3", "conv4_1", "conv4_2", "pool4",
         "conv5_1", "conv5_2", "pool5"]


def random_vgg11() -> torch.nn.Sequential:
    """VGG11's conv part (torchvision's make_layers: in-place ReLUs) initialised as torchvision's vgg11 initialises
    it, without building the 120M-parameter ImageNet head (~1.5 s a build)."""
    features = vgg11_features()
    for m in features:
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)
    return features


@pytest.fixture(scope="module")
def vgg_features():
    torch.manual_seed(0)
    return random_vgg11().eval()

OPTIMISATION = CONFIG["cnn_inversion"]["optimisation"]  # the paper's settings


def test_targets_are_every_conv_and_pool_of_vgg11(vgg_features):
    layers = target_layers(vgg_features)
    assert [name for name, _ in layers] == NAMES
    kinds = [type(vgg_features[i]) for _, i in layers]
    assert kinds.count(torch.nn.Conv2d) == 8 and kinds.count(torch.nn.MaxPool2d) == 5


def test_capture_returns_the_convs_own_output_before_the_inplace_relu(vgg_features):
    assert vgg_features[1].inplace  # the pitfall is live in this model
    x = torch.randn(2, 3, 32, 32)
    got = capture(vgg_features, x, [0, 3])
    conv1 = vgg_features[0]
    expected = F.conv2d(x, conv1.weight, conv1.bias, padding=1)
    assert torch.allclose(got[0], expected, atol=1e-5)
    assert (got[0] < 0).any() and (got[3] < 0).any()  # pre-ReLU values survive
    conv2_input = vgg_features[2](F.relu(expected))
    assert torch.allclose(got[3], vgg_features[3](conv2_input), atol=1e-4)

    # the naive hook (no clone) on the same model sees the ReLU's in-place overwrite: what capture avoids
    seen = {}
    handle = vgg_features[0].register_forward_hook(lambda _m, _i, out: seen.__setitem__(0, out))
    vgg_features[:2](x)
    handle.remove()
    assert (seen[0] >= 0).all()


def test_make_backbone_turns_off_inplace_relus():
    features = random_vgg11()
    backbone = make_backbone(features, [0.5], [0.25], "test")
    assert not any(m.inplace for m in backbone.features.modules() if isinstance(m, torch.nn.ReLU))
    assert not any(p.requires_grad for p in backbone.features.parameters())
    grey = torch.full((1, 1, 4, 4), 0.75)
    assert backbone.to_input(backbone.to_units(grey)).shape == (1, 3, 4, 4)  # grey repeated to VGG's 3 channels
    assert backbone.to_input(backbone.to_units(grey))[0, :, 0, 0].tolist() == pytest.approx([1.0] * 3)
    assert torch.allclose(backbone.to_images(backbone.to_units(grey)), grey)


def test_alpha_norm_and_total_variation_by_hand():
    x = torch.tensor([[[[1.0, -2.0], [3.0, 0.0]]]])  # (1, 1, 2, 2)
    assert alpha_norm(x, 6).item() == pytest.approx(1 + 64 + 729)
    # forward differences, zero past the last row/column:
    # (0,0): dx = -3, dy = 2 → 13; (0,1): dx = 0, dy = 2 → 4; (1,0): dx = -3, dy = 0 → 9; (1,1): 0
    assert total_variation(x, 2).item() == pytest.approx(13 + 4 + 9)
    assert total_variation(x, 1).item() == pytest.approx(13**0.5 + 2 + 3, rel=1e-5)
    two = torch.cat([x, 2 * x])  # per image, and TV^2 is quadratic
    assert total_variation(two, 2).tolist() == pytest.approx([26, 104])


def test_lr_schedule_fills_every_step():
    cfg = InversionConfig(**{**OPTIMISATION, "steps": 10})
    factors = lr_factors(cfg)
    assert len(factors) == 10 and factors[0] == 1.0 and factors[-1] == 0.01 and factors.count(0.1) == 5


def _tiny_problem(features, n=2, size=32):
    backbone = make_backbone(features, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25], "random VGG11")
    gen = torch.Generator().manual_seed(1)
    images = F.avg_pool2d(torch.rand(n, 3, size, size, generator=gen), 3, 1, 1)  # smooth-ish images in [0, 1]
    return backbone, images, backbone.to_units(images), image_norm(backbone, images)


def test_inverting_a_shallow_layer_lowers_the_objective():
    torch.manual_seed(0)
    backbone, _, x0, sigma0 = _tiny_problem(random_vgg11())
    target = capture(backbone.features, backbone.to_input(x0), [0])[0]
    result = invert_features(backbone, 0, target, torch.ones(2), tuple(x0.shape[1:]), sigma0,
                             InversionConfig(**{**OPTIMISATION, "steps": 40}))
    assert result.curve[-1] < 0.5 * result.curve[0]
    assert (result.feature_error < 0.5).all()


def _beside_and_alone(second_lambda: float, steps: int):
    """Layer 3 of two images inverted in one batch with λ_TV (1, `second_lambda`), and again with (1, 1): the same
    starting noise (drawn for the whole batch), so the first row must come out the same both times."""
    torch.manual_seed(0)
    backbone, images, x0, sigma0 = _tiny_problem(random_vgg11())
    target = capture(backbone.features, backbone.to_input(x0), [3])[3]
    cfg = InversionConfig(**{**OPTIMISATION, "steps": steps})
    both, alone = (invert_features(backbone, 3, target, torch.tensor([1.0, lam]), tuple(x0.shape[1:]), sigma0, cfg)
                   for lam in (second_lambda, 1.0))
    return both, alone, (backbone, images, sigma0, cfg)


def test_a_batch_of_images_and_lambdas_solves_independent_problems():
    both, alone, _ = _beside_and_alone(100.0, steps=6)
    assert torch.allclose(both.x[0], alone.x[0], atol=1e-4)
    assert not torch.allclose(both.x[1], alone.x[1], atol=1e-2)  # λ differs for the second row: so does its answer


def test_a_diverging_row_is_flagged_and_leaves_the_others_alone():
    """A λ_TV so large that the paper's step size overshoots diverges on its own; the batch's other rows are the
    problems they would be alone (as at full scale on a GPU: pool5 with λ_TV = 100)."""
    both, alone, (backbone, images, sigma0, cfg) = _beside_and_alone(1e4, steps=30)
    assert both.diverged.tolist() == [False, True] and not alone.diverged.any()
    assert torch.allclose(both.x[0], alone.x[0], atol=1e-4)
    frame, recons = run_inversions(backbone, images, ["a", "b"], [("pool1", 2, [1.0, 1e4])], cfg, sigma0)
    assert frame["diverged"].tolist() == [False, False, True, True]
    assert frame.loc[frame["diverged"], "psnr"].isna().all() and frame.loc[~frame["diverged"], "psnr"].notna().all()
    assert torch.isfinite(recons[("pool1", 1e4)]).all()  # shown black, not NaN


def test_run_inversions_measures_every_layer_lambda_and_image():
    torch.manual_seed(0)
    backbone, images, _, _ = _tiny_problem(random_vgg11(), n=2)
    plan = [("conv1", 0, [1.0, 10.0]), ("pool1", 2, [1.0])]
    frame, recons = run_inversions(backbone, images, ["a", "b"], plan, InversionConfig(**{**OPTIMISATION, "steps": 3}),
                                   image_norm(backbone, images))
    assert len(frame) == (2 + 1) * 2 and set(recons) == {("conv1", 1.0), ("conv1", 10.0), ("pool1", 1.0)}
    assert recons[("conv1", 10.0)].shape == images.shape
    assert frame[["feature_error", "psnr", "ssim", "high_freq"]].notna().all().all() and not frame["diverged"].any()


def test_the_tv_sweep_leaves_out_the_images_that_diverged_at_their_layer():
    rows = [{"layer": layer, "lambda_tv": lam, "image": image,
             "diverged": layer == "pool5" or (lam == 10.0 and image == "b" and layer == "conv2")}
            for layer in ("conv2", "pool5") for lam in (1.0, 10.0) for image in ("a", "b")]
    found, kept = diverged_images(pd.DataFrame(rows), [1.0, 10.0])
    assert found == [
        {"layer": "conv2", "images": ["b"], "lambdas": [10.0], "every_lambda": False, "layer_left_out": False},
        {"layer": "pool5", "images": ["a", "b"], "lambdas": [1.0, 10.0], "every_lambda": True, "layer_left_out": True},
    ]
    assert kept[["layer", "lambda_tv", "image"]].values.tolist() == [["conv2", 1.0, "a"], ["conv2", 10.0, "a"]]
