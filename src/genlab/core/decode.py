"""Image files → one uint8 array (N, C, size, size), decoded in parallel into one preallocated array (bounded
memory). Each image is centre-cropped (a square of `crop` pixels, or the largest centred square) and resized to `size`
with an antialiasing filter, as RGB or grey; a file that cannot be used is named with what is wrong.

Decoders, chosen by `benchmarks/folder_decode.py --compare` (numbers in `benchmarks/README.md`, "CelebA as a folder
of JPEGs"): torchvision's `decode_jpeg` + `interpolate(bilinear, antialias=True)` (a port of PIL's filter) decodes
CelebA-sized JPEGs faster than PIL, except where the crop is at least 4× the output side, where PIL's JPEG draft mode
decodes at 1/4 or 1/8 scale and wins. PIL decodes the rest: PNGs, grey output, any file torchvision refuses (PIL then
says what is wrong with it), and everything once torchvision drops its deprecated decoders. Forked worker processes
write into one shared array, so memory stays near one final array.
"""

from __future__ import annotations

import io
import math
import mmap
import multiprocessing
import struct
import sys
import warnings
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

SUFFIXES = (".jpg", ".jpeg", ".png")  # file names looked at (case-insensitive); any other file is ignored, and counted
FORMATS = ("JPEG", "PNG")  # what the bytes must be, whatever the suffix says
MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "La")  # 8-bit modes PIL converts losslessly
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, Image.DecompressionBombError)
CONVERTED_LISTED = 100  # converted images (and source sizes) named in the data summary: a grey set made from RGB
# photos converts every image, and a folder of one's own photos may hold as many sizes as files
TURNED = (5, 6, 7, 8)  # EXIF orientations whose upright image is the stored one turned a quarter: width and height swap
CHUNK = 256  # images per task: small enough for a smooth progress bar, large enough that task overhead is noise


class BadImage(Exception):
    """One file that cannot be used; the message says what is wrong with it."""


@dataclass(frozen=True)
class Decoding:
    size: int  # output side in pixels
    crop: int | None  # side of the centred square cut before resizing; None = the largest centred square
    color: str  # "rgb" | "grey"
    allow_upsample: bool  # resize a crop smaller than `size` up, instead of calling the file bad

    @classmethod
    def from_spec(cls, spec: dict) -> Decoding:
        crop = spec["crop"]
        return cls(int(spec["size"]), None if crop == "none" else int(crop), spec["color"],
                   bool(spec["allow_upsample"]))

    @property
    def channels(self) -> int:
        return 3 if self.color == "rgb" else 1

    @property
    def mode(self) -> str:
        return "RGB" if self.color == "rgb" else "L"

    def describe(self) -> str:
        crop = "the largest centred square" if self.crop is None else f"a centred {self.crop}×{self.crop} crop"
        return f"{crop} resized to {self.size}×{self.size} {'RGB' if self.color == 'rgb' else 'grey'}"


@dataclass
class Decoded:
    images: np.ndarray  # (N_ok, C, size, size) uint8: the files that decoded, in the order given
    kept: np.ndarray  # (N_ok,) int64: their indices in the file list
    bad: list[tuple[int, str]]  # (index, what is wrong), ascending
    converted: list[tuple[int, str]]  # (index, the source's pixel mode), for images not already in the target mode
    sizes: Counter  # (width, height) of the source images that decoded → count


# ---------------------------------------------------------------- listing


def list_images(root: Path) -> tuple[list[Path], list[Path]]:
    """Every JPEG/PNG under `root` (recursively, sorted by path; hidden files and folders left out), and the other
    files found there."""
    if not root.is_dir():
        raise FileNotFoundError(root)
    images, others = [], []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or not path.is_file():
            continue
        (images if path.suffix.lower() in SUFFIXES else others).append(path)
    return images, others


# ---------------------------------------------------------------- one image


def centred_square(w: int, h: int, how: Decoding) -> tuple[int, int, int]:
    """(left, top, side) of the crop of a w×h image; BadImage where the image is too small for it."""
    side = min(w, h) if how.crop is None else how.crop
    if side > min(w, h):
        raise BadImage(f"{w}×{h} pixels, smaller than the {side}×{side} crop; expected at least {side} pixels on "
                       "each side (or crop: none for the largest centred square)")
    if side < how.size and not how.allow_upsample:
        raise BadImage(f"{w}×{h} pixels: its centred {side}×{side} square is smaller than the output, "
                       f"{how.size}×{how.size}; expected at least that (or allow_upsample: true to upsample it)")
    return (w - side) // 2, (h - side) // 2, side


SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # JPEG start-of-frame markers


def jpeg_header(raw: bytes) -> tuple[int, int, int] | None:
    """(width, height, components) from a JPEG's start-of-frame segment; None where `raw` is no JPEG whose header
    reads cleanly (PIL then looks at it, and says what is wrong)."""
    if raw[:3] != b"\xff\xd8\xff":
        return None
    at = 2
    while at + 10 <= len(raw) and raw[at] == 0xFF:
        if raw[at + 1] in SOF:
            h, w = struct.unpack(">HH", raw[at + 5 : at + 9])
            return w, h, raw[at + 9]
        at += 2 + struct.unpack(">H", raw[at + 2 : at + 4])[0]
    return None


def _torchvision_jpeg(raw: bytes, side: int, size: int) -> tuple[np.ndarray, tuple[int, int]] | None:
    """A JPEG → its centred side×side square at (size, size, 3) uint8 through torchvision, turned upright by its EXIF
    orientation, with the upright image's (width, height); or None where torchvision cannot (no decoder in this
    version, or a file it refuses: PIL then decodes it, or names what is wrong)."""
    try:
        import torch
        from torch.nn.functional import interpolate
        from torchvision.io import ImageReadMode, decode_jpeg
    except ImportError:  # torchvision.io's decoders are deprecated since 0.29 (for TorchCodec): PIL takes over
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # that deprecation, on every call
            x = decode_jpeg(torch.frombuffer(bytearray(raw), dtype=torch.uint8), mode=ImageReadMode.RGB,
                            apply_exif_orientation=True)  # (3, H, W) as displayed
    except RuntimeError:
        return None
    height, width = x.shape[1:]
    top, left = (height - side) // 2, (width - side) // 2  # the crop's corner in the upright image
    x = x[None, :, top : top + side, left : left + side]  # (1, 3, side, side)
    out = interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)  # PIL's filter
    return out[0].permute(1, 2, 0).numpy(), (width, height)  # (S, S, 3)


def decode_image(path: Path, how: Decoding) -> tuple[np.ndarray, str, tuple[int, int]]:
    """One file → (size, size, C) or (size, size) uint8, the source's pixel mode and its (width, height) as displayed:
    turned upright by its EXIF orientation, as a phone's photos need. Raises BadImage saying what is wrong.

    A grey or colour JPEG going to RGB at a crop under 4× `size` is decoded by torchvision (the faster there, see the
    module's docstring); everything else by PIL, whose draft mode decodes a JPEG at reduced scale where it can."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BadImage(f"unreadable ({err.strerror}); expected a file this user can read") from None
    header = jpeg_header(raw) if how.color == "rgb" else None
    if header is not None and header[2] in (1, 3):
        w, h, components = header
        side = centred_square(w, h, how)[2]  # a square's side is the same whichever way up the image is
        decoded = _torchvision_jpeg(raw, side, how.size) if side < 4 * how.size else None
        if decoded is not None:
            pixels, upright_size = decoded
            return pixels, "L" if components == 1 else "RGB", upright_size
    try:
        im = Image.open(io.BytesIO(raw))  # reads the header only
    except UnidentifiedImageError:
        raise BadImage("not an image (PIL cannot identify its contents); expected a JPEG or PNG file") from None
    except DECODE_ERRORS as err:  # a header cut short, say
        raise BadImage(f"truncated or corrupt ({err}); expected a complete image: re-copy the file") from None
    with im:
        if im.format not in FORMATS:
            raise BadImage(f"a {im.format} image; expected JPEG or PNG")
        stored_w, stored_h = im.size
        source_mode = im.mode
        if source_mode not in MODES:
            raise BadImage(f"pixel mode {source_mode} (16-bit or float); expected 8-bit grey, RGB or palette pixels")
        try:
            orientation = im.getexif().get(ExifTags.Base.Orientation, 1)
        except DECODE_ERRORS:  # an EXIF block that does not parse says nothing about the pixels: take them as stored
            orientation = 1
        w, h = (stored_h, stored_w) if orientation in TURNED else (stored_w, stored_h)  # as displayed
        left, top, side = centred_square(w, h, how)
        box = (left, top, left + side, top + side)  # in the upright image
        if im.format == "JPEG" and side >= 2 * how.size:
            # decode at 1/2, 1/4 or 1/8 scale in the DCT, never below `size` across the crop
            drafted = im.draft(how.mode, (math.ceil(stored_w * how.size / side), math.ceil(stored_h * how.size / side)))
            if drafted is not None:
                scale = stored_w / drafted[1][2]
                box = tuple(v / scale for v in box)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. "palette images with transparency": converting is the point
                im.load()
                upright = ImageOps.exif_transpose(im) if orientation != 1 else im  # a drafted image too: same scale
                pixels = upright if upright.mode == how.mode else upright.convert(how.mode)
                # crop first, so that the filter reads no pixel outside the crop (resize's `box` alone would read
                # past its edges); a drafted box may be fractional: crop the whole pixels around it
                outer = (math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3]))
                inner = (box[0] - outer[0], box[1] - outer[1], box[2] - outer[0], box[3] - outer[1])
                out = pixels.crop(outer).resize((how.size, how.size), Image.Resampling.BILINEAR, box=inner)
        except DECODE_ERRORS as err:
            raise BadImage(f"truncated or corrupt ({err}); expected a complete image: re-copy the file") from None
    return np.asarray(out), source_mode, (w, h)


# ---------------------------------------------------------------- many images, in parallel

_JOB: dict = {}  # what every worker needs, set before the fork (inherited, never pickled)


def _one_thread() -> None:
    """A worker's torch (torchvision's decoding) runs on one core: the workers are the parallelism."""
    import torch

    torch.set_num_threads(1)


def _decode_chunk(bounds: tuple[int, int]) -> tuple[int, list, list, Counter]:
    """Decode files[start:stop] into the shared array; returns how many were done and what went wrong."""
    files, out, how = _JOB["files"], _JOB["out"], _JOB["how"]
    start, stop = bounds
    bad, converted, sizes = [], [], Counter()
    for i in range(start, stop):
        try:
            pixels, mode, size = decode_image(files[i], how)
        except BadImage as err:
            bad.append((i, str(err)))
            continue
        out[i] = pixels.transpose(2, 0, 1) if pixels.ndim == 3 else pixels[None]  # (C, S, S)
        sizes[size] += 1
        if mode != how.mode:
            converted.append((i, mode))
    return stop - start, bad, converted, sizes


def decode_files(files: list[Path], how: Decoding, *, threads: int = 1, stop_at_bad: bool = False,
                 progress: bool = False) -> Decoded:
    """Decode `files` into one preallocated (N, C, size, size) uint8 array over `threads` worker processes (forked,
    writing into shared memory), then pack the good ones to the front in place. With `stop_at_bad`, decoding stops
    at the first chunk that holds a bad file (chunks come back in order, so that is the first bad file)."""
    from tqdm import tqdm

    n, shape = len(files), (len(files), how.channels, how.size, how.size)
    workers = min(max(1, threads), math.ceil(n / CHUNK))
    forked = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    if forked:  # anonymous shared memory: what the forked workers write, this process sees
        out = np.frombuffer(mmap.mmap(-1, max(1, math.prod(shape))), dtype=np.uint8)[: math.prod(shape)]
        out = out.reshape(shape)  # (N, C, S, S)
    else:
        out = np.empty(shape, dtype=np.uint8)
    _JOB.update(files=files, out=out, how=how)
    chunks = [(s, min(s + CHUNK, n)) for s in range(0, n, CHUNK)]
    bad, converted, sizes = [], [], Counter()
    # the workers fork before this process starts any thread (the progress bar's monitor, the pool's own)
    pool = multiprocessing.get_context("fork").Pool(workers, _one_thread) if forked else None
    bar = tqdm(total=n, unit="img", desc="decoding", file=sys.stderr, disable=not progress, mininterval=2)
    try:
        for done, chunk_bad, chunk_converted, chunk_sizes in (pool.imap(_decode_chunk, chunks) if pool
                                                              else map(_decode_chunk, chunks)):
            bad += chunk_bad
            converted += chunk_converted
            sizes += chunk_sizes
            bar.update(done)
            if bad and stop_at_bad:
                break
    finally:
        bar.close()
        if pool is not None:
            pool.terminate()
            pool.join()
        _JOB.clear()
    bad_rows = {i for i, _ in bad}
    kept = np.array([i for i in range(n) if i not in bad_rows], dtype=np.int64)
    if bad_rows and not stop_at_bad:
        for dest, src in enumerate(kept):  # ascending, src ≥ dest: nothing is read after being overwritten
            if src != dest:
                out[dest] = out[src]
    return Decoded(out[: len(kept)], kept, bad, converted, sizes)
