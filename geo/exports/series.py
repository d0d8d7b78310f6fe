"""Dated series of snapshots: multi-page PDF, ZIP of PNGs, GIF and MP4 timelapses,
PowerPoint deck.

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
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages

from geo.core.errors import InputError
from geo.exports.data import SnapshotData, collect
from geo.exports.layout import ImageSize
from geo.exports.outputs import atomic_output, check_output
from geo.exports.palette import build_palette, fixed_colours, to_palette
from geo.exports.render import (
    AREA_ALPHA,
    AREA_BACKGROUNDS,
    PAGE_COLOURS,
    Rendered,
    render,
    sources_pages,
)
from geo.exports.snapshot import PDF_RC, figure_png, png_bytes
from geo.exports.video import VIDEO_MODES, ffmpeg_exe, write_mp4
from geo.exports.view import SnapshotView
from geo.store.base import Store

Step = Literal["day", "week", "month"]
STEPS: tuple[str, ...] = ("day", "week", "month")
SERIES_SUFFIXES = (".gif", ".mp4", ".pdf", ".zip", ".pptx")
MAX_FRAMES = 500
#: Frame time of the timelapse; slow enough to read the date stamp.
GIF_FRAME_MS = 900
#: Smaller default frames for a GIF: it is shown on a slide, and GIF size grows fast.
GIF_SIZE = ImageSize(1200, 750, 100)
#: Video frames: 720p, the size every player and projector handles.
MP4_SIZE = ImageSize(1280, 720, 100)
#: Slides are 16:9; the picture fills the slide below its title.
SLIDE_SIZE = ImageSize(1600, 800, 150)
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


def _sources_by_date(pages: list[tuple[SnapshotData, Rendered]]) -> list[str]:
    lines: list[str] = []
    for data, rendered in pages:
        lines.append(f"{data.view.day:%Y-%m-%d}:" + ("" if rendered.sources else " none"))
        lines.extend("    " + line for line in rendered.sources.lines())
    return lines


def _write_pdf(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    done: list[tuple[SnapshotData, Rendered]] = []
    with matplotlib.rc_context(PDF_RC), PdfPages(tmp) as pdf:  # type: ignore[arg-type]
        for data in frames:
            rendered = render(data, size, sources="separate")
            pdf.savefig(rendered.figure)
            done.append((data, rendered))
            rendered.figure.clf()
        if done:
            for page in sources_pages("Sources by date", _sources_by_date(done),
                                      width_in=size.inches[0], height_in=size.inches[1],
                                      marking=done[0][0].view.marking):
                pdf.savefig(page)


def _write_zip(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize, stem: str) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for data in frames:   # PNG is already compressed
            archive.writestr(f"{stem}-{data.view.day:%Y-%m-%d}.png", png_bytes(data, size))


def gif_fixed_colours() -> list[tuple[int, int, int]]:
    """What a GIF frame must show exactly: force colours, page and basemap colours, and
    each force's area tint over land and sea."""
    return fixed_colours(PAGE_COLOURS, [(bg, AREA_ALPHA) for bg in AREA_BACKGROUNDS])


def frame_arrays(frames: Iterator[SnapshotData], size: ImageSize) -> Iterator[np.ndarray]:
    """Each frame drawn as an RGB array (the sources go to a pointer line: a timelapse
    is a picture, its sources are in the PDF and the deck)."""
    for data in frames:
        rendered = render(data, size, sources="separate")
        yield rendered.rgb()
        rendered.figure.clf()


def _write_gif(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    """All frames on ONE palette (fixed colours plus the first frame's others), mapped
    by nearest colour without dithering: force colours are exact in every frame."""
    arrays = frame_arrays(frames, size)
    first = next(arrays)
    palette = build_palette([first], gif_fixed_colours())
    images = [to_palette(first, palette)] + [to_palette(a, palette) for a in arrays]
    # ``palette`` makes Pillow write the one global colour table and no local ones.
    images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                   duration=GIF_FRAME_MS, loop=0, optimize=False, disposal=1,
                   palette=palette.tobytes())


def _write_pptx(tmp: Path, frames: Iterator[SnapshotData], size: ImageSize) -> None:
    """One slide per date: the title placeholder holds the title and date, the map fills
    the slide below it (marking, window and filters in the picture), the sources with
    their URLs go in the speaker notes."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_only = deck.slide_layouts[5]
    for data in frames:
        rendered = render(data, size, sources="separate", title_block=False)
        picture = figure_png(rendered)
        rendered.figure.clf()
        slide = deck.slides.add_slide(title_only)
        title = slide.shapes.title
        title.left, title.top = Inches(0.4), Inches(0.15)
        title.width, title.height = deck.slide_width - Inches(0.8), Inches(0.8)
        title.text = f"{data.view.title} \u2014 {data.view.day:%Y-%m-%d}"
        for paragraph in title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(28)
        top = Inches(1.0)
        room_w, room_h = deck.slide_width - Inches(0.4), deck.slide_height - top - Inches(0.1)
        scale = min(room_w / size.width_px, room_h / size.height_px)
        w, h = int(size.width_px * scale), int(size.height_px * scale)
        slide.shapes.add_picture(io.BytesIO(picture), Emu((deck.slide_width - w) // 2),
                                 Emu(top), Emu(w), Emu(h))
        notes = [f"{data.view.title}, as of {data.view.day:%Y-%m-%d}. "
                 f"Window: {data.view.window_text()}. Shown: {rendered.described}.",
                 "Sources:"]
        notes += rendered.sources.lines() or ["no document is linked to what is drawn."]
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    deck.save(str(tmp))


def write_series(view: SnapshotView, start: date, end: date, step: str, out: str | Path,
                 store: Store | None, *, size: ImageSize | None = None,
                 progress: Progress | None = None, video: str = "compatible") -> Path:
    """Snapshots of ``view`` on every ``step`` from ``start`` to ``end`` into ``out``
    (.gif, .mp4, .pdf, .zip or .pptx, chosen by suffix). Everything is checked before the
    first frame is drawn; ``progress(done, total)`` is called after each frame.
    ``video``: the MP4 encoding, ``compatible`` or ``exact`` (``geo.exports.video``)."""
    path = check_output(out, SERIES_SUFFIXES)
    dates = series_dates(start, end, step)
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        try:
            import pptx  # noqa: F401
        except ImportError as exc:
            raise InputError("PowerPoint export needs python-pptx (see requirements.txt)"
                             ) from exc
    if suffix == ".mp4":
        if video not in VIDEO_MODES:
            raise InputError(f"video {video!r} is not one of {', '.join(VIDEO_MODES)}",
                             field="video")
        ffmpeg_exe()
    size = size or {".gif": GIF_SIZE, ".mp4": MP4_SIZE, ".pptx": SLIDE_SIZE}.get(
        suffix, ImageSize())
    frames = _frames(view, dates, store, progress, size)
    with atomic_output(path) as tmp:
        if suffix == ".pdf":
            _write_pdf(tmp, frames, size)
        elif suffix == ".zip":
            _write_zip(tmp, frames, size, path.stem)
        elif suffix == ".gif":
            _write_gif(tmp, frames, size)
        elif suffix == ".mp4":
            write_mp4(tmp, frame_arrays(frames, size), video)  # type: ignore[arg-type]
        else:
            _write_pptx(tmp, frames, size)
    return path
