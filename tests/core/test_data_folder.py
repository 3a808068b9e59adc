"""source: folder (and torchvision's CelebA files): folders of images built here with PIL, every bad case named."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import CONFIG, REPO, snakemake
from PIL import ExifTags, Image

from genlab.core import cli, decode
from genlab.core.config import ConfigError, validate_config
from genlab.core.data import DataError, load_dataset, load_source
from genlab.steps import prepare_data

SCHEMA = REPO / "workflow/schemas/config.schema.yaml"


def spec(path, **extra) -> dict:
    return {"source": "folder", "path": str(path), "crop": "none", "size": 16, "color": "rgb", "labels": "none",
            "on_bad": "error", "allow_upsample": False, "test_fraction": 0.25, "seed": 0, "max_images": 0, **extra}


def framed(path: Path, inner: tuple, outer=(0, 0, 255), size=(40, 30), side=20, mode="RGB", fmt=None) -> Path:
    """An image of `size` (w, h) in colour `outer` with a centred side×side square of colour `inner`."""
    w, h = size
    im = Image.new(mode, size, outer if mode == "RGB" else outer[0])
    im.paste(inner if mode == "RGB" else inner[0], ((w - side) // 2, (h - side) // 2, (w + side) // 2, (h + side) // 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, fmt)
    return path


def rgb_folder(root: Path, n: int = 8) -> Path:
    """n lossless PNGs, 40×30, each a grey square of level 10·i on a blue frame, in two nested folders."""
    for i in range(n):
        framed(root / ("a" if i < n // 2 else "b/deeper") / f"{i:02d}.png", (10 * i,) * 3)
    return root


def test_a_folder_is_cropped_resized_and_stored_nchw_in_sorted_order(tmp_path):
    root = rgb_folder(tmp_path / "imgs")
    ds = load_source(spec(root, crop=20))  # the crop is exactly the grey square
    assert ds.images.shape == (8, 3, 16, 16) and ds.images.dtype == np.uint8
    assert ds.images.reshape(8, -1).min(1).tolist() == ds.images.reshape(8, -1).max(1).tolist() == [10 * i for i in
                                                                                                    range(8)]
    assert not ds.has_labels and len(ds.test_idx) == 2 and not set(ds.train_idx) & set(ds.test_idx)
    assert ds.description == "imgs/: 8 images, a centred 20×20 crop resized to 16×16 RGB"
    assert ds.summary()["notes"] == [] and ds.summary()["crop"] == 20


def test_crop_none_takes_the_largest_centred_square(tmp_path):
    framed(tmp_path / "x.png", (200, 0, 0), outer=(0, 0, 255), size=(48, 32), side=32)  # 8 blue columns each side
    ds = load_source(spec(tmp_path, size=16, test_fraction=0.5, max_images=0), threads=1)
    assert (ds.images[0, 0] == 200).all() and (ds.images[0, 2] == 0).all()


def test_grey_output_and_a_grey_image_in_an_rgb_set_is_converted_and_counted(tmp_path):
    root = rgb_folder(tmp_path)
    framed(root / "a/grey.png", (77, 77, 77), outer=(77, 77, 77), mode="L")
    ds = load_source(spec(root, on_bad="skip"))
    grey = ds.images[4]  # a/00..03, a/grey.png, b/deeper/...
    assert (grey == 77).all()
    facts = ds.summary()
    assert facts["n_converted"] == 1 and facts["converted"] == [{"file": "a/grey.png", "from": "L"}]
    assert facts["notes"] == ["1 image was converted to RGB: a/grey.png (from L)"]
    as_grey = load_source(spec(root, color="grey"))
    assert as_grey.images.shape == (9, 1, 16, 16) and as_grey.summary()["n_converted"] == 8


def test_mixed_sizes_all_become_size_and_the_sizes_are_noted(tmp_path):
    for i, size in enumerate([(40, 30), (30, 40), (64, 64), (40, 30)]):
        framed(tmp_path / f"{i}.png", (150, 150, 150), size=size, side=min(size))
    ds = load_source(spec(tmp_path, size=16))
    assert ds.images.shape == (4, 3, 16, 16) and (ds.images == 150).all()  # the whole square, none of the frame
    facts = ds.summary()
    assert facts["source_sizes"] == {"40×30": 2, "30×40": 1, "64×64": 1} and facts["n_source_sizes"] == 3
    assert facts["notes"] == ["the source images came in 3 sizes (commonest first: 40×30: 2, 30×40: 1, 64×64: 1); "
                              "each became the largest centred square resized to 16×16 RGB"]


def test_jpegs_through_torchvision_match_pil_and_a_grey_jpeg_is_converted(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:218, 0:178] / 200.0
    for i in range(3):
        blob = np.exp(-((yy - 0.4 - 0.1 * i) ** 2 + (xx - 0.5) ** 2) * 8)[..., None] * rng.uniform(80, 200, 3)
        Image.fromarray(np.clip(blob + 30, 0, 255).astype(np.uint8)).save(tmp_path / f"{i}.jpg", quality=92)
    Image.fromarray(np.full((218, 178), 120, np.uint8)).save(tmp_path / "3_grey.jpg")
    calls = []
    real = decode._torchvision_jpeg
    monkeypatch.setattr(decode, "_torchvision_jpeg", lambda *a: calls.append(a[1:]) or real(*a))
    fast = load_source(spec(tmp_path, crop=108, size=64, test_fraction=0.5))  # 108 < 4 × 64: torchvision
    assert len(calls) == 4 and calls[0] == (108, 64)  # side and size of CelebA's crop (its corner: PIL agrees below)
    assert fast.summary()["converted"] == [{"file": "3_grey.jpg", "from": "L"}] and (fast.images[3] == 120).all()
    monkeypatch.setattr(decode, "_torchvision_jpeg", lambda *a: None)  # as where torchvision has no decoder
    slow = load_source(spec(tmp_path, crop=108, size=64, test_fraction=0.5))
    difference = np.abs(fast.images.astype(int) - slow.images.astype(int))
    assert difference.max() <= 2 and difference.mean() < 0.1  # the same decoder library and filter, rounded apart


# what a camera stores for each EXIF orientation, given the upright picture (ImageOps.exif_transpose undoes it)
STORED = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_270}


@pytest.mark.parametrize("fmt, color", [("JPEG", "rgb"), ("JPEG", "grey"), ("PNG", "rgb")])  # torchvision, PIL, PIL
def test_exif_orientation_turns_every_image_upright(tmp_path, fmt, color):
    """One upright 48×64 picture (no symmetry: gradients and a block at its top left) stored as a camera stores it
    under each of the eight orientations: every one decodes to the upright picture's array."""
    yy, xx = np.mgrid[0:64, 0:48]
    upright = Image.fromarray(np.stack([xx * 5, yy * 4, np.where((xx < 16) & (yy < 20), 250, 30)], -1).astype(np.uint8))
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = orientation
        stored = upright.transpose(STORED[orientation]) if orientation > 1 else upright
        stored.save(tmp_path / f"{orientation}.{fmt.lower()}", fmt, exif=exif.tobytes(),
                    **({"quality": 95} if fmt == "JPEG" else {}))
    ds = load_source(spec(tmp_path, size=16, color=color, test_fraction=0.5))
    error = np.abs(ds.images.astype(int) - ds.images[:1].astype(int)).reshape(8, -1).mean(1)  # files sorted: 1 first
    assert error.max() < (1.5 if fmt == "JPEG" else 1e-9)
    assert ds.summary()["source_sizes"] == {"48×64": 8}  # every decoder names the size as displayed
    turned = np.abs(ds.images[0].astype(int) - np.flip(ds.images[0], -1).astype(int)).mean()
    assert turned > 10 * max(error.max(), 0.1)  # a picture left turned or flipped would have failed the line above


def _bad_folder(root: Path) -> Path:
    """Good PNGs plus one of every kind of bad file, named so that sorted order is known."""
    rgb_folder(root)
    noise = np.random.default_rng(0).integers(0, 256, (60, 60, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "tmp.jpg")
    raw = (root / "tmp.jpg").read_bytes()
    (root / "tmp.jpg").unlink()
    (root / "a/00a_truncated.jpg").write_bytes(raw[: len(raw) // 2])  # cut in the image data, after the header
    (root / "a/00b_text.jpg").write_text("not an image at all\n")
    (root / "a/00c_small.png").parent.mkdir(exist_ok=True)
    framed(root / "a/00c_small.png", (5, 5, 5), size=(12, 12), side=12)
    framed(root / "a/00d_gif.png", (5, 5, 5), fmt="GIF")
    (root / "a/00e_empty.png").write_bytes(b"")
    framed(root / "b/00f_narrow.png", (5, 5, 5), size=(18, 90), side=18)
    (root / "b/notes.txt").write_text("ignored: not a .jpg/.jpeg/.png")
    (root / ".hidden").mkdir()
    (root / ".hidden/x.png").write_bytes(b"hidden: never looked at")
    return root


BAD = {
    "a/00a_truncated.jpg": "truncated or corrupt (image file is truncated",
    "a/00b_text.jpg": "not an image (PIL cannot identify its contents)",
    "a/00c_small.png": "12×12 pixels, smaller than the 20×20 crop; expected at least 20 pixels on each side",
    "a/00d_gif.png": "a GIF image; expected JPEG or PNG",
    "a/00e_empty.png": "not an image",
    "b/00f_narrow.png": "18×90 pixels, smaller than the 20×20 crop",
}


def test_on_bad_error_names_the_first_bad_file_and_what_is_wrong(tmp_path):
    root = _bad_folder(tmp_path)
    with pytest.raises(DataError) as err:
        load_source(spec(root))
    message = str(err.value)
    assert message.startswith(f"{root / 'a/00a_truncated.jpg'}: truncated or corrupt (image file is truncated")
    assert "expected a complete image" in message and "on_bad: skip" in message


@pytest.mark.parametrize("threads", [1, 2])
def test_on_bad_skip_leaves_them_out_and_lists_them(tmp_path, monkeypatch, threads):
    monkeypatch.setattr(decode, "CHUNK", 3)  # several chunks, so that the workers' results are put back in order
    root = _bad_folder(tmp_path)
    ds = load_source(spec(root, on_bad="skip", crop=20, max_images=0), threads=threads)
    facts = ds.summary()
    skipped = {s["file"]: s["problem"] for s in facts["skipped"]}
    assert list(skipped) == sorted(BAD)
    for name, problem in BAD.items():
        assert problem in skipped[name], name
    assert ds.images.shape == (8, 3, 16, 16)
    assert ds.images.reshape(8, -1).max(1).tolist() == [10 * i for i in range(8)]  # the good ones, in order
    assert facts["ignored_files"] == ["b/notes.txt"]
    assert ds.description.endswith("; 6 bad files left out")
    assert facts["notes"][0].startswith("6 of 14 image files were bad and left out (on_bad: skip): a/00a_truncated.jpg "
                                        "(truncated or corrupt (image file is truncated")
    assert facts["notes"][0].endswith("and 1 more; every one is named in the data summary, results/data/<name>.json")
    assert facts["notes"][-1] == "1 file that is not .jpg, .jpeg or .png was ignored: b/notes.txt"


def test_error_mode_names_the_first_bad_file_across_parallel_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "CHUNK", 2)
    rgb_folder(tmp_path, n=12)
    (tmp_path / "b/deeper/09.png").write_bytes(b"junk")
    (tmp_path / "b/deeper/11.png").write_bytes(b"junk")
    with pytest.raises(DataError, match=r"b/deeper/09.png: not an image"):
        load_source(spec(tmp_path), threads=2)


def test_threads_give_the_same_array(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "CHUNK", 2)
    for i in range(7):
        framed(tmp_path / f"{i}.jpg", (30 * i, 100, 200 - 20 * i), size=(60 + 2 * i, 70), side=40)
    one, two = (load_source(spec(tmp_path, crop=40, size=16), threads=t) for t in (1, 2))
    np.testing.assert_array_equal(one.images, two.images)


def test_too_small_and_smaller_than_the_crop_are_named_or_upsampled(tmp_path):
    framed(tmp_path / "small.png", (90, 90, 90), size=(12, 10), side=10)
    with pytest.raises(DataError, match=r"small.png: 12×10 pixels: its centred 10×10 square is smaller than the "
                                        r"output, 16×16; expected at least that \(or allow_upsample: true"):
        load_source(spec(tmp_path))
    ds = load_source(spec(tmp_path, allow_upsample=True, test_fraction=0.5))
    assert ds.images.shape == (1, 3, 16, 16) and (ds.images == 90).all()
    with pytest.raises(DataError, match=r"small.png: 12×10 pixels, smaller than the 11×11 crop; expected at least 11 "
                                        r"pixels on each side \(or crop: none"):
        load_source(spec(tmp_path, crop=11, allow_upsample=True))


def test_labels_from_subfolders_and_a_stratified_split(tmp_path):
    for c, name in enumerate(["cat", "dog", "emu"]):
        for i in range(4):
            framed(tmp_path / name / f"{i}.png", (50 * c, 0, 0))
    ds = load_source(spec(tmp_path, labels="subfolders", test_fraction=0.25))
    assert ds.labels.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    assert np.bincount(ds.labels[ds.test_idx]).tolist() == [1, 1, 1]
    assert ds.summary()["classes"] == ["cat", "dog", "emu"] and ds.summary()["n_classes"] == 3
    assert ds.description.endswith(", labels from 3 sub-folders")
    framed(tmp_path / "loose.png", (0, 0, 0))
    with pytest.raises(DataError, match=r"loose.png: an image outside any sub-folder \(1 such\); labels: subfolders"):
        load_source(spec(tmp_path, labels="subfolders"))


def test_max_images_is_a_seeded_subset_chosen_before_decoding(tmp_path):
    root = rgb_folder(tmp_path, n=10)
    picks = [load_source(spec(root, max_images=4, seed=1)) for _ in range(2)]
    np.testing.assert_array_equal(picks[0].images, picks[1].images)
    assert picks[0].images.shape[0] == 4 and "(a seeded subset of 4 of 10 files)" in picks[0].description


@pytest.mark.parametrize("make, message", [
    (lambda root: root.mkdir(), r"no JPEG or PNG images .* found in it or its sub-folders, nothing"),
    (lambda root: (root.mkdir(), (root / "README.txt").write_text("x")),
     r"only 1 other files \(e.g. README.txt\)"),
    (lambda root: None, "folder not found; expected a folder of JPEG or PNG images"),
])
def test_a_folder_without_images_is_an_error(tmp_path, make, message):
    make(tmp_path / "imgs")
    with pytest.raises(DataError, match=message) as err:
        load_source(spec(tmp_path / "imgs"))
    assert str(tmp_path / "imgs") in str(err.value)


def test_skip_with_every_file_bad_is_an_error(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"junk")
    with pytest.raises(DataError, match=r"every one of the 1 image files is bad \(the first, a.jpg: not an image"):
        load_source(spec(tmp_path, on_bad="skip"))


def test_an_unreadable_file_is_named(tmp_path, monkeypatch):
    path = framed(tmp_path / "locked.png", (1, 2, 3))
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse it as the kernel would refuse anyone else
        real = Path.read_bytes

        def refuse(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DataError, match=r"locked.png: unreadable \(Permission denied\); expected a file this user"):
        load_source(spec(tmp_path))


def celeba_files(root: Path, n: int = 10) -> Path:
    """torchvision's CelebA layout: root/celeba/img_align_celeba/NNNNNN.jpg and list_eval_partition.txt."""
    base = root / "celeba"
    for i in range(1, n + 1):
        framed(base / "img_align_celeba" / f"{i:06d}.jpg", (20 * i, 80, 80), size=(178, 218), side=108)
    parts = ["0"] * (n - 4) + ["1", "1", "2", "2"]
    (base / "list_eval_partition.txt").write_text("".join(f"{i:06d}.jpg {p}\n" for i, p in enumerate(parts, 1)))
    return root


def celeba_spec(root, **extra):
    return {"source": "torchvision", "name": "CelebA", "root": str(root), "download": False, "crop": 108, "size": 16,
            "color": "rgb", "on_bad": "error", "allow_upsample": False, "test_fraction": 0.1, "seed": 0,
            "max_images": 0, **extra}


def test_torchvision_celeba_reads_the_files_on_disk_with_the_official_partition(tmp_path):
    ds = load_source(celeba_spec(celeba_files(tmp_path)))
    assert ds.images.shape == (10, 3, 16, 16)
    assert ds.train_idx.tolist() == list(range(6)) and ds.test_idx.tolist() == [6, 7, 8, 9]
    # the 108 crop is the square (its rim blurred by JPEG's chroma subsampling and decoding at 1/4 scale)
    assert np.abs(ds.images[:, 0, 2:-2, 2:-2].mean((1, 2)) - 20 * np.arange(1, 11)).max() < 1.5
    assert ds.description.startswith("CelebA img_align_celeba (torchvision's files): 10 images, a centred 108×108 crop")


def test_torchvision_celeba_without_the_files_says_where_to_put_them(tmp_path):
    with pytest.raises(DataError, match=r"celeba/img_align_celeba: not found; expected a folder of CelebA's 202,599 "
                                        r"aligned JPEGs, as torchvision keeps them under root/celeba/: put them there, "
                                        r"set download: true"):
        load_source(celeba_spec(tmp_path))


# ---------------------------------------------------------------- config at the door, the step, the DAG


def config_with(dataset: dict) -> dict:
    config = copy.deepcopy(CONFIG)
    config["datasets"]["faces"] = dataset
    return config


@pytest.mark.parametrize("change, message", [
    ({"crop": 0}, "config key datasets.faces.crop: 0 is not valid under any of the given schemas"),
    ({"on_bad": "ignore"}, "config key datasets.faces.on_bad: 'ignore' is not one of ['error', 'skip']"),
    ({"size": 63}, "config key datasets.faces.size: 63 is not a multiple of 2"),
    ({"colour": "rgb"}, "Additional properties are not allowed ('colour' was unexpected)"),
    ({"labels": None}, "config key datasets.faces: 'labels' is a required property"),
    ({"path": "/nowhere/faces"}, "config key datasets.faces.path: '/nowhere/faces' does not exist; expected a folder"),
])
def test_the_config_names_a_bad_folder_key(tmp_path, change, message):
    dataset = {k: v for k, v in {**spec(tmp_path), **change}.items() if v is not None}
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        validate_config(config_with(dataset), SCHEMA)
    validate_config(config_with(spec(tmp_path)), SCHEMA)  # the unchanged spec passes


def test_the_config_names_image_keys_on_a_source_that_does_not_decode(tmp_path):
    npy = {"source": "npy", "path": str(tmp_path), "crop": 108, "test_fraction": 0.1, "seed": 0, "max_images": 0}
    with pytest.raises(ConfigError, match=r"datasets.faces.crop: has no effect on source npy; expected only with "
                                          r"source: folder or source: torchvision, name: CelebA: remove it"):
        validate_config(config_with(npy), SCHEMA)
    celeba = celeba_spec(tmp_path, labels="subfolders")
    with pytest.raises(ConfigError, match=r"datasets.faces.labels: has no effect on source torchvision CelebA"):
        validate_config(config_with(celeba), SCHEMA)
    with pytest.raises(ConfigError, match=r"datasets.faces: 'crop' is a required property"):
        validate_config(config_with({k: v for k, v in celeba_spec(tmp_path).items() if k != "crop"}), SCHEMA)


def test_the_step_writes_the_npz_and_a_summary_naming_the_skipped_files(tmp_path):
    root = _bad_folder(tmp_path / "imgs")
    out = tmp_path / "results"
    prepare_data.run(name="faces", spec=spec(root, on_bad="skip", crop=20), data=str(out / "faces.npz"),
                     summary=str(out / "faces.json"), threads=2)
    ds = load_dataset(out / "faces.npz")
    facts = json.loads((out / "faces.json").read_text())
    assert ds.images.shape == (8, 3, 16, 16) and facts["n_images"] == 8 and facts["source"] == "folder"
    assert [s["file"] for s in facts["skipped"]] == sorted(BAD) and facts["crop"] == 20


def test_the_step_stops_on_a_bad_file_and_writes_nothing(tmp_path):
    root = _bad_folder(tmp_path / "imgs")
    results = tmp_path / "results"
    with pytest.raises(SystemExit) as exit:  # the step's command line, in this process
        cli.main(prepare_data.run, ["--name", "faces", "--spec", json.dumps(spec(root)), "--data",
                                    str(results / "faces.npz"), "--summary", str(results / "faces.json"),
                                    "--threads", "2"])
    assert str(exit.value.code).startswith(f"data error: {root / 'a/00a_truncated.jpg'}: truncated or corrupt")
    assert not results.exists()


@pytest.mark.dag
def test_snakemake_prepares_a_folder_dataset(tmp_path):
    """The prepare_data rule alone, through Snakemake, on a folder source (not the whole DAG)."""
    rgb_folder(tmp_path / "imgs", n=40)
    config = {"datasets": {"faces": spec("imgs", on_bad="skip", size=28, test_fraction=0.1)}}
    (tmp_path / "faces.yaml").write_text(yaml.safe_dump(config))
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "faces.yaml"), "--cores", "2",
                     "results/data/faces.npz")
    assert done.returncode == 0, done.stderr[-3000:]
    ds = load_dataset(tmp_path / "results/data/faces.npz")
    assert ds.images.shape == (40, 3, 28, 28) and len(ds.test_idx) == 4
    facts = json.loads((tmp_path / "results/data/faces.json").read_text())
    assert facts["source"] == "folder" and facts["description"].startswith("imgs/: 40 images, the largest centred")


def test_the_celeba_example_config_is_valid(tmp_path):
    example = yaml.safe_load((REPO / "config/celeba_folder.yaml").read_text())
    config = copy.deepcopy(CONFIG)
    for key, value in example.items():
        config[key] = {**config[key], **value}
    assert config["datasets"]["celeba64"]["crop"] == 108 and config["datasets"]["celeba64"]["size"] == 64
    config["datasets"]["celeba64"]["path"] = str(tmp_path)  # the folder would be the user's download
    validate_config(config, SCHEMA)


def test_the_config_needs_a_z_size_for_a_folders_image_side(tmp_path):
    config = copy.deepcopy(CONFIG)
    config["datasets"]["faces"] = spec(rgb_folder(tmp_path), size=32)
    config["gan"]["datasets"] = ["mnist", "faces"]
    with pytest.raises(ConfigError, match=r"gan.net.latent_dim: no z size for dataset 'faces' \(size 32\)"):
        validate_config(config, REPO / "workflow/schemas/config.schema.yaml")
    config["gan"]["net"]["latent_dim"]["32"] = 16
    validate_config(config, REPO / "workflow/schemas/config.schema.yaml")
