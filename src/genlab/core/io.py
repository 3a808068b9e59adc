"""Atomic file output: a killed job never leaves a file that looks complete."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def plain_mode(directory: bool = False) -> int:
    """The mode open() or mkdir() would give under the current umask: mkstemp's 0600 would hide results from the
    group on a shared machine or a cluster's project folder."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only if the block succeeds.

    The temp file keeps the final suffix, so libraries that infer the format from it (matplotlib,
    torchvision, numpy) still work.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        tmp.chmod(plain_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Like atomic_path, for a folder output: filled under a temporary name, renamed when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        yield tmp
        tmp.chmod(plain_mode(directory=True))
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def relative_paths(base_file: str | os.PathLike, paths: dict[str, str]) -> dict[str, str]:
    """Paths relative to `base_file`'s folder: how a facts.json names the figures beside it."""
    folder = Path(base_file).resolve().parent
    return {name: os.path.relpath(Path(p).resolve(), folder) for name, p in paths.items()}


def read_json(path: str | os.PathLike) -> Any:
    return json.loads(Path(path).read_text())


def write_csv(path: str | os.PathLike, frame) -> None:
    """Write a pandas DataFrame atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
