"""Dated series: GIF, multi-page PDF, ZIP of PNGs and PowerPoint deck, and bad input.

Small frames (600x400 at 80 dpi) keep the suite fast on two shared cores; the render is
the same function at any size.
"""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

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


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_export_store(tmp_path / "events.sqlite")
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    return url


def _write(store_url: str, out: Path, **kwargs: object) -> Path:
    calls: list[tuple[int, int]] = []
    with open_store(store_url) as store:
        write_series(VIEW, START, END, "week", out, store, size=SMALL,
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
    assert len(slides) == 3
    notes = [s.notes_slide.notes_text_frame.text for s in slides]
    assert TITLES[0] in notes[0] and TITLES[1] in notes[1] and "2016-06-23" in notes[2]


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
