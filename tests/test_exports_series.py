"""Dated series: GIF, multi-page PDF, ZIP of PNGs and PowerPoint deck, and bad input.

Small frames (600x400 at 80 dpi) keep the suite fast on two shared cores; the render is
the same function at any size.
"""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.core.errors import InputError
from geo.exports.series import MAX_FRAMES, series_dates, write_series
from geo.exports.snapshot import ImageSize
from geo.exports.view import SnapshotView
from geo.store import open_store
from tests.export_store import TITLES, build_export_store

SMALL = ImageSize(600, 400, 80)
VIEW = SnapshotView(day=date(2016, 6, 1), window="upto", curated=False,
                    marking="UNCLASSIFIED")
START, END = date(2016, 6, 9), date(2016, 6, 23)          # 3 weekly frames
DATES = ["2016-06-09", "2016-06-16", "2016-06-23"]
#: With the curated timeline: control areas of IS, ISF, PESH, PMF, SDF, SYR, FSA... on
#: the map and in the legend, the colours a GIF used to merge.
COLOURED = SnapshotView(day=date(2016, 6, 1), window="days:30", curated=True,
                        marking="UNCLASSIFIED")


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_export_store(tmp_path / "events.sqlite")
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    return url


def _write(store_url: str, out: Path, view: SnapshotView = VIEW, **kwargs: Any) -> Path:
    calls: list[tuple[int, int]] = []
    with open_store(store_url) as store:
        write_series(view, START, END, "week", out, store, size=SMALL,
                     progress=lambda done, total: calls.append((done, total)), **kwargs)
    assert calls[-1] == (3, 3)
    return out


def test_series_dates() -> None:
    assert series_dates(date(2016, 1, 31), date(2016, 4, 30), "month") == [
        date(2016, 1, 31), date(2016, 2, 29), date(2016, 3, 31), date(2016, 4, 30)]
    assert len(series_dates(date(2016, 1, 1), date(2016, 1, 1), "day")) == 1
    assert len(series_dates(date(2016, 1, 1), date(2016, 1, 29), "week")) == 5


def test_gif_one_frame_per_date(store_url: str, tmp_path: Path) -> None:
    image = Image.open(_write(store_url, tmp_path / "t.gif"))
    assert image.n_frames == 3 and image.size == (600, 400)


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One store for the tests that only read it (frames are drawn several times)."""
    return build_export_store(tmp_path_factory.mktemp("series") / "events.sqlite")


@pytest.fixture(scope="module")
def legend_colours(shared_url: str) -> list[list[tuple[int, int, int]]]:
    return _legend_colours(shared_url)


def _legend_colours(store_url: str) -> list[list[tuple[int, int, int]]]:
    """Per frame date, the RGB colours of the forces in that frame's legend."""
    from geo.core.forces import default_forces
    from geo.exports.data import collect
    from geo.exports.palette import hex_rgb
    from geo.exports.render import render

    forces = default_forces()
    out = []
    with open_store(store_url) as store:
        for day in DATES:
            rendered = render(collect(COLOURED.on(date.fromisoformat(day)), store, SMALL),
                              SMALL, sources="separate")
            assert len(rendered.legend_forces) >= 5        # areas of several forces
            out.append([hex_rgb(forces.colour(f)) for f in rendered.legend_forces])
            rendered.figure.clf()
    return out


def _exact_pixels(frame: np.ndarray, rgb: tuple[int, int, int]) -> int:
    return int((frame.reshape(-1, 3) == np.array(rgb, dtype=np.uint8)).all(axis=1).sum())


def test_gif_every_frame_has_every_legend_colour_exactly(
        shared_url: str, legend_colours: list[list[tuple[int, int, int]]],
        tmp_path: Path) -> None:
    """One palette for all frames: PMF green, Peshmerga, SDF and coalition colours are
    exact in each decoded frame (not merged into one brown, not varying)."""
    from PIL import ImageSequence

    expected = legend_colours
    gif = Image.open(_write(shared_url, tmp_path / "c.gif", COLOURED))
    frames = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]
    assert len(frames) == len(expected) == 3
    for day, frame, colours in zip(DATES, frames, expected):
        for rgb in colours:
            assert _exact_pixels(frame, rgb) >= 12, f"{day}: legend colour {rgb} not exact"
    assert _local_colour_tables((tmp_path / "c.gif").read_bytes()) == (True, 0)


def _local_colour_tables(data: bytes) -> tuple[bool, int]:
    """(has a global colour table, number of frames with a local one), read from the
    GIF block structure (GIF89a spec, sections 18-23)."""
    def skip_sub_blocks(i: int) -> int:
        while data[i]:
            i += data[i] + 1
        return i + 1

    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    local = 0
    while data[i] != 0x3B:                        # trailer
        if data[i] == 0x21:                       # extension: label, sub-blocks
            i = skip_sub_blocks(i + 2)
        elif data[i] == 0x2C:                     # image descriptor
            packed = data[i + 9]
            i += 10
            if packed & 0x80:
                local += 1
                i += 3 * 2 ** ((packed & 7) + 1)
            i = skip_sub_blocks(i + 1)            # LZW minimum code size, then data
        else:
            raise AssertionError(f"unexpected GIF block 0x{data[i]:02x} at {i}")
    return bool(flags & 0x80), local


@pytest.mark.parametrize("video, tolerance", [("compatible", 4), ("exact", 0)])
def test_mp4_every_frame_has_every_legend_colour(
        shared_url: str, legend_colours: list[list[tuple[int, int, int]]], tmp_path: Path,
        video: str, tolerance: int) -> None:
    """H.264 MP4: every decoded picture shows each legend colour: exactly in the
    lossless RGB encoding, within a few levels in the 4:2:0 one every player plays
    (4:2:0 cannot keep colours exactly), and always nearer its own force's colour than
    any other legend colour."""
    from geo.exports.video import FPS, FRAME_SECONDS, read_frames

    expected = legend_colours
    out = _write(shared_url, tmp_path / f"v-{video}.mp4", COLOURED, video=video)
    frames = list(read_frames(out))
    per_map = round(FPS * FRAME_SECONDS)
    assert len(frames) == 3 * per_map
    assert frames[0].shape[:2] == (400, 600)
    for i, frame in enumerate(frames):
        colours = expected[i // per_map]
        flat = frame.reshape(-1, 3).astype(int)
        for rgb in colours:
            near = (np.abs(flat - np.array(rgb)) <= tolerance).all(axis=1)
            assert near.sum() >= 12, f"picture {i}: legend colour {rgb} missing"
            others = [c for c in colours if c != rgb]
            if others and tolerance:
                mine = np.abs(flat[near] - np.array(rgb)).sum(axis=1)
                closest_other = np.min([np.abs(flat[near] - np.array(c)).sum(axis=1)
                                        for c in others], axis=0)
                assert (mine < closest_other).all()


def test_zip_one_png_per_date(store_url: str, tmp_path: Path) -> None:
    with zipfile.ZipFile(_write(store_url, tmp_path / "s.zip")) as archive:
        names = sorted(archive.namelist())
    assert names == [f"s-{d}.png" for d in DATES]


def test_pdf_pages_and_sources(store_url: str, tmp_path: Path) -> None:
    reader = PdfReader(_write(store_url, tmp_path / "s.pdf"))
    assert len(reader.pages) >= 4                 # three maps, then sources by date
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    for day in DATES:
        assert day in text
    assert TITLES[1] in text and "UNCLASSIFIED" in text


def test_pptx_one_slide_per_date_with_notes(store_url: str, tmp_path: Path) -> None:
    from pptx import Presentation

    deck = Presentation(str(_write(store_url, tmp_path / "d.pptx")))
    slides = list(deck.slides)
    assert len(slides) == 4                   # three dates, then the before/after slide
    assert slides[3].shapes.title.text.startswith("Ground gained and lost")
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert TITLES[0] in notes[0] and TITLES[1] in notes[1] and "2016-06-23" in notes[2]
    assert "https://" in notes[0] or "file " in notes[0]          # where to find it
    for slide, day in zip(slides, DATES):
        assert slide.shapes.title is not None and day in slide.shapes.title.text
        assert VIEW.title in slide.shapes.title.text
        assert any(shape.shape_type == 13 for shape in slide.shapes)   # the map picture


@pytest.mark.parametrize("start, end, step, name, problem", [
    (date(2016, 7, 1), date(2016, 6, 1), "day", "x.gif", "empty"),
    (date(2014, 1, 1), date(2016, 1, 1), "day", "x.gif", f"more than {MAX_FRAMES}"),
    (date(2016, 6, 1), date(2016, 7, 1), "fortnight", "x.gif", "step"),
    (date(2016, 6, 1), date(2016, 7, 1), "day", "x.mp3", "cannot tell the format"),
    (date(2016, 6, 1), date(2016, 7, 1), "day", "nowhere/x.pdf", "does not exist"),
])
def test_bad_input_raises_before_work(store_url: str, tmp_path: Path, start: date,
                                      end: date, step: str, name: str, problem: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.exports.series as series

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendering started before the input was checked")

    monkeypatch.setattr(series, "collect", no_work)
    with open_store(store_url) as store, pytest.raises(InputError, match=problem):
        write_series(VIEW, start, end, step, tmp_path / name, store, size=SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.sqlite"]


def test_failure_mid_series_leaves_nothing(store_url: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.exports.series as series

    real = series.png_bytes
    calls = iter(range(10))

    def fail_second(*args: object, **kwargs: object) -> bytes:
        if next(calls) == 1:
            raise OSError("disk full (simulated)")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(series, "png_bytes", fail_second)
    with open_store(store_url) as store, pytest.raises(OSError):
        write_series(VIEW, START, END, "week", tmp_path / "z.zip", store, size=SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.sqlite"]


def test_frames_drawn_by_worker_processes_are_the_same(shared_url: str,
                                                      tmp_path: Path) -> None:
    """A long series is drawn by two worker processes (spawned, fed in order); the file
    is byte for byte the one drawn in-process, progress counts every frame, in order."""
    calls: list[tuple[int, int]] = []
    with open_store(shared_url) as store:
        for name, workers in (("serial.gif", 1), ("parallel.gif", 2)):
            write_series(COLOURED, START, END, "week", tmp_path / name, store, size=SMALL,
                         workers=workers, progress=lambda d, t: calls.append((d, t)))
    assert (tmp_path / "serial.gif").read_bytes() == (tmp_path / "parallel.gif").read_bytes()
    assert calls == [(1, 3), (2, 3), (3, 3)] * 2
