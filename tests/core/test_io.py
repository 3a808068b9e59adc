from __future__ import annotations

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
