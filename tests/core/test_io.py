from __future__ import annotations

import os
import stat

import pytest

from genlab.core.io import atomic_dir, atomic_path, read_json, write_json


def test_atomic_path_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed mid-write")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_keeps_the_old_file_until_the_new_one_is_complete(tmp_path):
    write_json(tmp_path / "f.json", {"v": 1})
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "f.json") as tmp:
        tmp.write_text("{broken")
        raise RuntimeError
    assert read_json(tmp_path / "f.json") == {"v": 1}
    write_json(tmp_path / "f.json", {"v": 2})
    assert read_json(tmp_path / "f.json") == {"v": 2} and len(list(tmp_path.iterdir())) == 1


def test_atomic_dir_replaces_a_folder_whole(tmp_path):
    (tmp_path / "grids").mkdir()
    (tmp_path / "grids" / "stale.png").write_text("old")
    with atomic_dir(tmp_path / "grids") as tmp:
        (tmp / "a.png").write_text("new")
    assert [p.name for p in (tmp_path / "grids").iterdir()] == ["a.png"]
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "grids") as tmp:
        (tmp / "b.png").write_text("half")
        raise RuntimeError
    assert [p.name for p in tmp_path.iterdir()] == ["grids"]
    assert [p.name for p in (tmp_path / "grids").iterdir()] == ["a.png"]


def test_atomic_outputs_get_the_mode_a_plain_write_would(tmp_path):
    """mkstemp's 0600 would hide results from the group: under umask 022 files are 0644 and folders 0755."""
    old = os.umask(0o022)
    try:
        write_json(tmp_path / "f.json", {"v": 1})
        with atomic_dir(tmp_path / "grids") as tmp:
            (tmp / "a.png").write_text("new")
        (tmp_path / "plain.txt").write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "f.json").stat().st_mode) == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert stat.S_IMODE((tmp_path / "grids").stat().st_mode) == 0o755
