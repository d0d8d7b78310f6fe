"""Dated series of snapshots: multi-page PDF, ZIP of PNGs, GIF timelapse, PowerPoint deck.

Why here: a briefing often asks "how did it move?"; each frame is the same view moved to
another day (``SnapshotView.on``) and drawn by the one render function, so a frame of a
series is identical to a single snapshot of that day. Input is checked before any work
(empty range, too many frames, unwritable folder) and the file is written atomically.
"""
from __future__ import annotations

import calendar
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages

from geo.core.errors import InputError
from geo.exports.data import SnapshotData, collect
from geo.exports.layout import ImageSize
from geo.exports.outputs import atomic_output, check_output
from geo.exports.render import render_figure, sources_pages
from geo.exports.snapshot import PDF_RC, png_bytes
from geo.exports.view import SnapshotView
from geo.store.base import Store

Step = Literal["day", "week", "month"]
STEPS: tuple[str, ...] = ("day", "week", "month")
SERIES_SUFFIXES = (".gif", ".pdf", ".zip", ".pptx")
MAX_FRAMES = 500
#: Frame time of the timelapse; slow enough to read the date stamp.
GIF_FRAME_MS = 900
#: Smaller default frames for a GIF: it is shown on a slide, and GIF size grows fast.
GIF_SIZE = ImageSize(1200, 750, 100)
Progress = Callable[[int, int], None]


def _add_month(day: date, months: int, anchor: int) -> date:
    """``day`` plus ``months``, keeping the anchor day-of-month (clamped to month end:
    a series from 31 January steps to 28/29 February, then 31 March)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(anchor, calendar.monthrange(year, month)[1]))


def series_dates(start: date, end: date, step: str) -> list[date]:
    """Every ``step`` from ``start`` to ``end`` inclusive. Raises ``InputError`` for an
    unknown step, an empty range or more than ``MAX_FRAMES`` frames."""
    if step not in STEPS:
        raise InputError(f"step {step!r} is not one of {', '.join(STEPS)}", field="step")
    if start > end:
        raise InputError(f"the date range is empty: it ends ({end}) before it starts "
                         f"({start})", field="from")
    def days() -> Iterator[date]:
        i, day = 0, start
        while day <= end:
            yield day
            i += 1
            day = (start + timedelta(days=i * (7 if step == "week" else 1))
                   if step != "month" else _add_month(start, i, start.day))
    dates: list[date] = []
    for day in days():
        dates.append(day)
        if len(dates) > MAX_FRAMES:
            raise InputError(f"{start} to {end} by {step} is more than {MAX_FRAMES} frames; "
                             "use a longer step or a shorter range", field="step")
    return dates


def _frames(view: SnapshotView, dates: list[date], store: Store | None,
            progress: Progress | None, size: ImageSize) -> Iterator[SnapshotData]:
    for i, day in enumerate(dates):
        yield collect(view.on(day), store, size)
        if progress:
            progress(i + 1, len(dates))


def _sources_by_date(frames: list[SnapshotData]) -> list[str]:
    lines: list[str] = []
    for data in frames:
        lines.append(f"{data.view.day:%Y-%m-%d}:" + ("" if data.sources else " none"))
        lines.extend("    " + s.line() for s in data.sources)
    return lines


def _write_pdf(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    done: list[SnapshotData] = []
    with matplotlib.rc_context(PDF_RC), PdfPages(tmp) as pdf:
        first: SnapshotData | None = None
        for data in frames:
            pdf.savefig(render_figure(data, width_px=size.width_px, height_px=size.height_px,
                                      dpi=size.dpi, sources="separate"))
            first = first or data
            done.append(data)
        if first is not None:
            for page in sources_pages("Sources by date", _sources_by_date(done),
                                      width_in=size.inches[0], height_in=size.inches[1],
                                      marking=first.view.marking):
                pdf.savefig(page)


def _write_zip(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize, stem: str) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for data in frames:   # PNG is already compressed
            archive.writestr(f"{stem}-{data.view.day:%Y-%m-%d}.png", png_bytes(data, size))


def _write_gif(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    from PIL import Image

    images = [Image.open(io.BytesIO(png_bytes(data, size, sources="separate"))).convert(
        "RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT) for data in frames]
    images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                   duration=GIF_FRAME_MS, loop=0, optimize=False)


def _write_pptx(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    from pptx import Presentation
    from pptx.util import Emu, Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    for data in frames:
        slide = deck.slides.add_slide(blank)
        picture = png_bytes(data, size, sources="separate")
        scale = min(deck.slide_width / size.width_px, deck.slide_height / size.height_px)
        w, h = int(size.width_px * scale), int(size.height_px * scale)
        slide.shapes.add_picture(io.BytesIO(picture), Emu((deck.slide_width - w) // 2),
                                 Emu((deck.slide_height - h) // 2), Emu(w), Emu(h))
        notes = [f"{data.view.title}, as of {data.view.day:%Y-%m-%d}. "
                 f"Shown: {data.described}.", "Sources:"]
        notes += [s.line() + (f" <{s.url}>" if s.url else "") for s in data.sources] or [
            "no article is linked to the events shown."]
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    deck.save(str(tmp))


def write_series(view: SnapshotView, start: date, end: date, step: str, out: str | Path,
                 store: Store | None, *, size: ImageSize | None = None,
                 progress: Progress | None = None) -> Path:
    """Snapshots of ``view`` on every ``step`` from ``start`` to ``end`` into ``out``
    (.gif, .pdf, .zip or .pptx, chosen by suffix). Everything is checked before the first
    frame is drawn; ``progress(done, total)`` is called after each frame."""
    path = check_output(out, SERIES_SUFFIXES)
    dates = series_dates(start, end, step)
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        try:
            import pptx  # noqa: F401
        except ImportError as exc:
            raise InputError("PowerPoint export needs python-pptx (see requirements.txt)"
                             ) from exc
    size = size or (GIF_SIZE if suffix == ".gif" else ImageSize())
    frames = _frames(view, dates, store, progress, size)
    with atomic_output(path) as tmp:
        if suffix == ".pdf":
            _write_pdf(tmp, frames, size)
        elif suffix == ".zip":
            _write_zip(tmp, frames, size, path.stem)
        elif suffix == ".gif":
            _write_gif(tmp, frames, size)
        else:
            _write_pptx(tmp, frames, size)
    return path
