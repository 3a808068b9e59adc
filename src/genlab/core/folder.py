"""The image-folder sources: `source: folder` (every JPEG/PNG under a path, labels from sub-folders if asked) and
torchvision's CelebA files on disk (its official split), decoded by genlab.core.decode. `on_bad: error` stops at
the first bad file (in sorted order), `skip` leaves bad files out and lists them in the data summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genlab.core.decode import CONVERTED_LISTED, Decoded, Decoding, decode_files, list_images

CELEBA = "celeba"  # torchvision's folder under its root: img_align_celeba/ and list_eval_partition.txt
CELEBA_PARTS = {"0": "train", "1": "valid", "2": "test"}  # list_eval_partition.txt's codes


@dataclass
class FolderData:
    images: np.ndarray  # (N, C, S, S) uint8
    labels: np.ndarray  # (N,) int64, -1 without labels
    is_train: np.ndarray | None  # (N,) bool where the source has a split of its own, else None
    description: str
    info: dict  # for the data summary: crop, size, skipped, converted, ...


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _subset(n: int, spec: dict) -> np.ndarray:
    """max_images as a seeded subset of the file list, chosen before decoding (sorted, so decoding stays in order)."""
    limit = spec.get("max_images", 0)
    if not limit or limit >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(spec["seed"]).choice(n, limit, replace=False))


def decode_source(files: list[Path], root: Path, spec: dict, threads: int, progress: bool) -> tuple[Decoded, dict]:
    """Decode the files and apply `on_bad`: the first bad file is an error, or every bad file is left out and
    listed. Returns the decoded images and the summary's facts."""
    from genlab.core.data import DataError

    how = Decoding.from_spec(spec)
    decoded = decode_files(files, how, threads=threads, stop_at_bad=spec["on_bad"] == "error", progress=progress)
    if decoded.bad and spec["on_bad"] == "error":
        i, problem = decoded.bad[0]
        raise DataError(f"{files[i]}: {problem} (the first bad file of {root}; fix or remove it, or set on_bad: skip "
                        "to leave bad files out and have them listed)")
    if len(decoded.kept) == 0:
        i, problem = decoded.bad[0]
        raise DataError(f"{root}: every one of the {len(files):,} image files is bad (the first, "
                        f"{_relative(files[i], root)}: {problem}); expected JPEG or PNG images that can be decoded")
    info = {
        "crop": "none" if how.crop is None else how.crop, "size": how.size, "color": how.color,
        "decoding": how.describe(),
        "n_files": len(files),
        "skipped": [{"file": _relative(files[i], root), "problem": p} for i, p in decoded.bad],
        "n_converted": len(decoded.converted),  # counted; the first CONVERTED_LISTED named
        "converted": [{"file": _relative(files[i], root), "from": m} for i, m in decoded.converted[:CONVERTED_LISTED]],
        "n_source_sizes": len(decoded.sizes),  # distinct (width, height) among the decoded files; the commonest named
        "source_sizes": {f"{w}×{h}": c for (w, h), c in decoded.sizes.most_common(CONVERTED_LISTED)},
    }
    return decoded, info


def load_folder(spec: dict, threads: int = 1, progress: bool = False) -> FolderData:
    """`source: folder`: every JPEG/PNG under spec["path"]; labels from the first level of sub-folders when
    `labels: subfolders` (the ImageFolder convention: classes in sorted order)."""
    from genlab.core.data import DataError

    root = Path(spec["path"])
    try:
        files, others = list_images(root)
    except FileNotFoundError:
        raise DataError(f"{root}: folder not found; expected a folder of JPEG or PNG images") from None
    if not files:
        found = f"only {len(others):,} other files (e.g. {_relative(others[0], root)})" if others else "nothing"
        raise DataError(f"{root}: no JPEG or PNG images (*.jpg, *.jpeg, *.png) found in it or its sub-folders, "
                        f"{found}; expected a folder of images")
    classes = []
    if spec["labels"] == "subfolders":
        loose = [f for f in files if f.parent == root]
        if loose:
            raise DataError(f"{loose[0]}: an image outside any sub-folder ({len(loose):,} such); labels: subfolders "
                            "expects root/<class>/<image>: move them into a class folder, or set labels: none")
        classes = sorted({_relative(f, root).split("/")[0] for f in files})
    n_found = len(files)
    files = [files[i] for i in _subset(n_found, spec)]
    decoded, info = decode_source(files, root, spec, threads, progress)
    if classes:
        index = {name: k for k, name in enumerate(classes)}
        labels = np.array([index[_relative(files[i], root).split("/")[0]] for i in decoded.kept], dtype=np.int64)
        info["classes"] = classes
    else:
        labels = np.full(len(decoded.kept), -1, dtype=np.int64)
    info["ignored_files"] = [_relative(f, root) for f in others]
    description = f"{root.name}/: {len(decoded.kept):,} images, {info['decoding']}"
    if classes:
        description += f", labels from {len(classes)} sub-folders"
    return FolderData(decoded.images, labels, None, _described(description, n_found, info), info)


def load_celeba(spec: dict, threads: int = 1, progress: bool = False) -> FolderData:
    """`source: torchvision, name: CelebA`: the files torchvision's CelebA keeps under `root` (celeba/img_align_celeba/
    and list_eval_partition.txt), decoded like a folder, with the official partition as the split (train; valid and
    test held out). `download: true` lets torchvision fetch them first (from Google Drive, which often refuses)."""
    from genlab.core.data import DataError

    base = Path(spec["root"]) / CELEBA
    images_dir, partition = base / "img_align_celeba", base / "list_eval_partition.txt"
    if spec["download"] and not (images_dir.is_dir() and partition.is_file()):
        import torchvision

        try:
            torchvision.datasets.CelebA(spec["root"], split="all", target_type=[], download=True)
        except (RuntimeError, OSError) as err:
            raise DataError(f"{base}: torchvision could not download CelebA ({err}); download img_align_celeba.zip and "
                            f"list_eval_partition.txt by hand into {base}/ (unzipped), or use source: folder") from err
    for path, what in ((images_dir, "a folder of CelebA's 202,599 aligned JPEGs"),
                       (partition, "CelebA's list_eval_partition.txt (file name, 0/1/2 per line)")):
        if not path.exists():
            raise DataError(f"{path}: not found; expected {what}, as torchvision keeps them under root/{CELEBA}/: "
                            "put them there, set download: true with internet access, or use source: folder")
    names, parts = [], []
    for number, line in enumerate(partition.read_text().splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in CELEBA_PARTS:
            raise DataError(f"{partition}, line {number}: {line!r}; expected '<file name> <0|1|2>'")
        names.append(fields[0])
        parts.append(fields[1])
    keep = _subset(len(names), spec)
    files = [images_dir / names[i] for i in keep]
    decoded, info = decode_source(files, images_dir, spec, threads, progress)
    is_train = np.array([parts[keep[i]] == "0" for i in decoded.kept])
    info["split"] = "CelebA's list_eval_partition.txt: train; valid and test held out"
    description = (f"CelebA img_align_celeba (torchvision's files): {len(decoded.kept):,} images, {info['decoding']}, "
                   "official partition (train | valid + test held out)")
    labels = np.full(len(decoded.kept), -1, dtype=np.int64)
    return FolderData(decoded.images, labels, is_train, _described(description, len(names), info), info)


def _described(description: str, n_found: int, info: dict) -> str:
    if info["n_files"] < n_found:
        description += f" (a seeded subset of {info['n_files']:,} of {n_found:,} files)"
    if info["skipped"]:
        description += f"; {len(info['skipped']):,} bad files left out"
    return description
