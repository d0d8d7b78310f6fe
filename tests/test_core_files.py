"""Writing files all-or-nothing and reading caches that may be stale (geo.core.files).

Each test builds its own files in ``tmp_path``; the docstrings name the edge case.
"""
from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.core.files import atomic_output, read_cache, write_cache


@dataclass
class Box:
    """A stand-in for a cached index."""

    value: int


def test_atomic_output_replaces_the_target_only_on_success(tmp_path: Path) -> None:
    """A failure half-way leaves the old file exactly as it was and no temporary file."""
    target = tmp_path / "brief.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.csv"]
    with atomic_output(target) as tmp:
        tmp.write_text("new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.csv"]


def test_atomic_output_leaves_a_file_others_can_read(tmp_path: Path) -> None:
    """mkstemp makes owner-only files; a briefing file is shared, so it ends 0644."""
    target = tmp_path / "map.png"
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"png")
    assert target.stat().st_mode & 0o777 == 0o644


def test_atomic_output_can_hand_out_a_name_without_a_file(tmp_path: Path) -> None:
    """GDAL refuses to create a data source over an existing empty file, and tells some
    formats from the suffix: ``create=False`` and ``suffix`` serve it."""
    with atomic_output(tmp_path / "e.gpkg", suffix=".gpkg", create=False) as tmp:
        assert not tmp.exists() and tmp.suffix == ".gpkg" and tmp.parent == tmp_path
        tmp.write_bytes(b"x")
    assert (tmp_path / "e.gpkg").read_bytes() == b"x"


def test_cache_round_trip_and_pruning_of_older_caches(tmp_path: Path) -> None:
    """A new cache replaces older ones of its kind, and leaves other files alone."""
    (tmp_path / "index-old.pickle").write_bytes(b"stale")
    (tmp_path / "mesh-1.pickle").write_bytes(b"other kind")
    path = tmp_path / "index-new.pickle"
    write_cache(path, Box(7), stale="index-*.pickle")
    assert read_cache(path, Box) == Box(7)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index-new.pickle", "mesh-1.pickle"]


@pytest.mark.parametrize("content", [
    b"",                                         # truncated to nothing by a killed writer
    b"\x80\x05garbage",                          # truncated mid-way
    pickle.dumps(Box(1))[:-3],                   # cut short
    b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x0bgone_module\x94\x8c\x03Old"
    b"\x94\x93\x94)\x81\x94.",                   # a class from an older version of the code
    pickle.dumps({"value": 1}),                  # another type
])
def test_an_unusable_cache_means_rebuild_not_a_crash(tmp_path: Path, content: bytes) -> None:
    """Whatever is in a cache file, reading it gives the object or None, never an error
    (a stale cache once stopped the program from starting)."""
    path = tmp_path / "index.pickle"
    path.write_bytes(content)
    assert read_cache(path, Box) is None


def test_missing_cache_and_read_only_folder(tmp_path: Path) -> None:
    """No cache is None; a folder that cannot be written is not an error (read-only
    install: the tool works without its caches)."""
    assert read_cache(tmp_path / "none.pickle", Box) is None
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        write_cache(folder / "c.pickle", Box(1))
        if os.access(folder, os.W_OK):      # running as root: the folder is writable
            assert read_cache(folder / "c.pickle", Box) == Box(1)
        else:
            assert not (folder / "c.pickle").exists()
    finally:
        os.chmod(folder, 0o700)
