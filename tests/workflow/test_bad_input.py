"""Bad input is rejected before any training: a non-zero exit, a message that names the file or key, what
was found and what was expected, and nothing already in results/ changed."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import snakemake, write_idx

from genlab.core import cli
from genlab.steps import prepare_data


def _npy(array):
    return lambda path: np.save(path, array)


def _rejected(*argv: str) -> str:
    """prepare_data's command line, in this process: the message it exits with (it must exit)."""
    with pytest.raises(SystemExit) as exit:
        cli.main(prepare_data.run, list(argv))
    assert exit.value.code not in (0, None)
    return str(exit.value.code)


def _truncated(path):
    np.save(path, np.zeros((10, 64, 64, 3), np.uint8))
    path.write_bytes(path.read_bytes()[:4000])


BAD_ARRAYS = {
    "truncated": (_truncated, "truncated or corrupt"),
    "rank": (_npy(np.zeros((64, 64, 3), np.uint8)), "expected rank 4"),
    "channels first": (_npy(np.zeros((4, 3, 64, 64), np.uint8)), "looks channels-first"),
    "float": (_npy(np.full((4, 64, 64, 3), 0.5, np.float32)), "x * 255"),
    "range": (_npy(np.full((4, 64, 64, 3), -3, np.int16)), "values out of range"),
    "nan": (_npy(np.full((4, 64, 64, 3), np.nan)), "NaN"),
    "empty": (_npy(np.zeros((0, 64, 64, 3), np.uint8)), "is empty"),
    # arrays that load fine but that a later step could not use: caught at preparation time
    "no held-out image": (_npy(np.zeros((4, 64, 64, 3), np.uint8)), "at least one of each"),
    "odd side": (_npy(np.zeros((40, 63, 63, 3), np.uint8)), "cannot be halved"),
    "not square": (_npy(np.zeros((40, 64, 32, 3), np.uint8)), "expected square images"),
    "too small": (_npy(np.zeros((40, 12, 12, 3), np.uint8)), "smaller than 16"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARRAYS))
def test_prepare_data_rejects_a_bad_array_and_writes_nothing(tmp_path, case):
    make, message = BAD_ARRAYS[case]
    path = tmp_path / "celeba64.npy"
    make(path)
    results = tmp_path / "results"
    results.mkdir()
    (results / "keep.txt").write_text("earlier result")
    spec = {"source": "npy", "path": str(path), "test_fraction": 0.1, "seed": 0, "max_images": 0}
    error = _rejected("--name", "celeba64", "--spec", json.dumps(spec), "--data", str(results / "celeba64.npz"),
                      "--summary", str(results / "celeba64.json"))
    assert message in error and str(path) in error and "expected" in error
    assert sorted(p.name for p in results.iterdir()) == ["keep.txt"]
    assert (results / "keep.txt").read_text() == "earlier result"


def test_prepare_data_rejects_a_bad_idx_magic_number(tmp_path):
    for stem in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte"):
        write_idx(tmp_path / stem, np.zeros((3, 28, 28)))
    for stem in ("train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"):
        write_idx(tmp_path / stem, np.zeros(3))
    broken = tmp_path / "train-images-idx3-ubyte"
    broken.write_bytes(b"\x00\x00\x09\x03" + broken.read_bytes()[4:])
    spec = {"source": "idx", "path": str(tmp_path), "test_fraction": 0.1, "seed": 0, "max_images": 0}
    error = _rejected("--name", "x", "--spec", json.dumps(spec), "--data", str(tmp_path / "x.npz"),
                      "--summary", str(tmp_path / "x.json"))
    assert "bad IDX magic number 00000903" in error and str(broken) in error
    assert not (tmp_path / "x.npz").exists()


@pytest.mark.parametrize("override, message", [
    ("gan: {losses: [saturating, wasserstein]}", "config key gan.losses.1: 'wasserstein' is not one of"),
    ("gan: {train: {lr: -0.0002}}", "config key gan.train.lr: -0.0002 is less than or equal to the minimum of 0"),
    ("gan: {k: [0, 5]}", "config key gan.k.0: 0 is less than the minimum of 1"),
    ("datasets: {celeba64: {source: npy, path: /nowhere/celeba64.npy, test_fraction: 0.1, seed: 0, max_images: 0}}",
     "config key datasets.celeba64.path: '/nowhere/celeba64.npy' does not exist"),
    ("cnn_inversion: {backbone: {weights: imagenet, weights_path: /nowhere/vgg11.pth}}",
     "config key cnn_inversion.backbone.weights_path: '/nowhere/vgg11.pth' does not exist"),
    ("cnn_inversion: {tv_sweep: {layers: [conv1, fc6]}}",
     "config key cnn_inversion.tv_sweep.layers.1: 'fc6' is not one of"),
])
@pytest.mark.dag
def test_snakemake_stops_on_a_bad_config_before_any_job(tmp_path, override, message):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "keep.txt").write_text("earlier result")
    (tmp_path / "bad.yaml").write_text(override + "\n")
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "bad.yaml"), "--cores", "1")
    assert done.returncode != 0 and message in done.stderr
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["keep.txt"]
