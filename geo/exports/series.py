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
from typing import Any, Literal, TypeVar

import matplotlib
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages

from geo.core.errors import InputError
from geo.core.files import atomic_output
from geo.exports.change import collect_change
from geo.exports.data import SnapshotData, collect
from geo.exports.download import DownloadFormat
from geo.exports.frames import Frame, Kind, draw_frames, workers_for
from geo.exports.layout import ImageSize
from geo.exports.outputs import check_output
from geo.exports.palette import PaletteMap, build_palette, fixed_colours
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
#: The series files, in the order the dashboard offers them (key = file suffix).
SERIES_FORMATS: tuple[DownloadFormat, ...] = (
    DownloadFormat("gif", "GIF timelapse", ".gif", "image/gif"),
    DownloadFormat("mp4", "MP4 video", ".mp4", "video/mp4"),
    DownloadFormat("pdf", "PDF pages", ".pdf", "application/pdf"),
    DownloadFormat("zip", "ZIP of PNGs", ".zip", "application/zip"),
    DownloadFormat("pptx", "PowerPoint", ".pptx", "application/vnd.openxmlformats-"
                   "officedocument.presentationml.presentation"),
)
SERIES_SUFFIXES = tuple(f.suffix for f in SERIES_FORMATS)
MAX_FRAMES = 500
#: Frame time of the timelapse; slow enough to read the date stamp.
GIF_FRAME_MS = 900
#: Smaller default frames for a GIF: it is shown on a slide, and GIF size grows fast.
GIF_SIZE = ImageSize(1200, 750, 100)
#: Video frames: 720p, the size every player and projector handles.
MP4_SIZE = ImageSize(1280, 720, 100)
#: Slides are 16:9; the picture fills the slide below its title.
SLIDE_SIZE = ImageSize(1600, 800, 150)
#: The formats drawn at a size of their own, and why (the dashboard does not offer a
#: size for them; the command line's --width/--height still override it).
OWN_SIZES: dict[str, tuple[ImageSize, str]] = {
    "gif": (GIF_SIZE, "smaller frames keep a timelapse small enough for a slide"),
    "mp4": (MP4_SIZE, "720p, the size every player and projector handles"),
    "pptx": (SLIDE_SIZE, "16:9, the picture fills the slide below its title"),
}


def series_size(fmt: str, chosen: ImageSize) -> ImageSize:
    """The size the frames of a ``fmt`` series are drawn at when ``chosen`` is offered:
    the format's own for GIF, MP4 and PowerPoint, else ``chosen`` (PDF pages, PNGs)."""
    own = OWN_SIZES.get(fmt)
    return own[0] if own else chosen


def series_size_note(fmt: str, chosen: ImageSize) -> str:
    """One line saying which size the series will have and why."""
    size = series_size(fmt, chosen)
    said = f"{size.width_px}×{size.height_px} px at {size.dpi} DPI"
    own = OWN_SIZES.get(fmt)
    if own:
        return f"Frames are {said} ({own[1]}); the width, height and DPI above do not apply."
    return f"Frames are {said} (the width, height and DPI above)."
Progress = Callable[[int, int], None]
T = TypeVar("T")


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
            size: ImageSize) -> Iterator[SnapshotData]:
    """The data of each frame, all drawn from one control series (the store's kept
    series, ``geo.control.cache.stored_series``)."""
    from geo.control.cache import stored_series
    from geo.control.history import build_series

    series = (stored_series(store, curated=view.curated) if store is not None
              else build_series([], curated=view.curated))
    for day in dates:
        yield collect(view.on(day), store, size, series=series)


def _counted(items: Iterator[T], total: int, progress: Progress | None) -> Iterator[T]:
    """``items``, calling ``progress(done, total)`` once each has been used (the code
    after ``yield`` runs when the consumer asks for the next one)."""
    for done, item in enumerate(items, start=1):
        yield item
        if progress:
            progress(done, total)


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


def _write_gif(tmp: Path, frames: Iterator[Frame]) -> None:
    """All frames on ONE palette (fixed colours plus the first frame's others), mapped
    by nearest colour without dithering: force colours are exact in every frame."""
    first = next(frames).picture
    assert isinstance(first, np.ndarray)
    palette = build_palette([first], gif_fixed_colours())
    mapper = PaletteMap(palette)
    images = [mapper.image(first)] + [
        mapper.image(f.picture) for f in frames if isinstance(f.picture, np.ndarray)]
    # ``palette`` makes Pillow write the one global colour table and no local ones.
    images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                   duration=GIF_FRAME_MS, loop=0, optimize=False, disposal=1,
                   palette=palette.tobytes())


def _arrays(frames: Iterator[Frame]) -> Iterator[np.ndarray]:
    for frame in frames:
        assert isinstance(frame.picture, np.ndarray)
        yield frame.picture


def _write_pptx(tmp: Path, frames: Iterator[Frame], dates: list[date], view: SnapshotView,
                size: ImageSize, store: Store | None) -> None:
    """One slide per date: the title placeholder holds the title and date, the map fills
    the slide below it (marking, window and filters in the picture), the sources with
    their URLs go in the speaker notes. Then the before/after slide: ground gained and
    lost from the first date to the last."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    for frame, day in zip(frames, dates):  # frames first: it is run to its end
        assert isinstance(frame.picture, bytes)
        notes = [f"{view.title}, as of {day:%Y-%m-%d}. Window: {view.on(day).window_text()}. "
                 f"Shown: {frame.described}.", "Sources:"]
        notes += list(frame.source_lines) or ["no document is linked to what is drawn."]
        add_picture_slide(deck, f"{view.title} \u2014 {day:%Y-%m-%d}", frame.picture, size,
                          notes)
    if len(dates) >= 2:
        first, last = dates[0], dates[-1]
        data, change = collect_change(view.on(last), first, store, size)
        rendered = render(data, size, sources="separate", title_block=False, change=change)
        notes = [f"Ground gained and lost, {first:%Y-%m-%d} to {last:%Y-%m-%d}. "
                 f"{rendered.change_summary} Shown: {rendered.described}.", "Sources:"]
        notes += rendered.sources.lines() or ["no document is linked to what is drawn."]
        add_picture_slide(deck, f"Ground gained and lost \u2014 {first:%Y-%m-%d} to "
                          f"{last:%Y-%m-%d}", figure_png(rendered), size, notes)
    deck.save(str(tmp))


def add_picture_slide(deck: Any, title: str, picture: bytes, size: ImageSize,
                      notes: list[str]) -> None:
    """A "Title Only" slide: ``title`` in the title placeholder, the picture filling the
    slide below it, ``notes`` in the speaker notes."""
    from pptx.util import Emu, Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    placeholder = slide.shapes.title
    placeholder.left, placeholder.top = Inches(0.4), Inches(0.15)
    placeholder.width, placeholder.height = deck.slide_width - Inches(0.8), Inches(0.8)
    placeholder.text = title
    for paragraph in placeholder.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(28)
    top = Inches(1.0)
    room_w, room_h = deck.slide_width - Inches(0.4), deck.slide_height - top - Inches(0.1)
    scale = min(room_w / size.width_px, room_h / size.height_px)
    w, h = int(size.width_px * scale), int(size.height_px * scale)
    slide.shapes.add_picture(io.BytesIO(picture), Emu((deck.slide_width - w) // 2), Emu(top),
                             Emu(w), Emu(h))
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)


def write_series(view: SnapshotView, start: date, end: date, step: str, out: str | Path,
                 store: Store | None, *, size: ImageSize | None = None,
                 progress: Progress | None = None, video: str = "compatible",
                 workers: int | None = None) -> Path:
    """Snapshots of ``view`` on every ``step`` from ``start`` to ``end`` into ``out``
    (.gif, .mp4, .pdf, .zip or .pptx, chosen by suffix). Everything is checked before the
    first frame is drawn; ``progress(done, total)`` is called after each frame.
    ``video``: the MP4 encoding, ``compatible`` or ``exact`` (``geo.exports.video``).
    ``workers``: processes drawing GIF, MP4 and slide frames (None: two for six frames
    or more, see ``geo.exports.frames``)."""
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
    size = size or series_size(suffix.lstrip("."), ImageSize())
    data = _frames(view, dates, store, size)
    n_workers = workers_for(len(dates)) if workers is None else workers
    with atomic_output(path) as tmp:
        if suffix == ".pdf":
            _write_pdf(tmp, _counted(data, len(dates), progress), size)
        elif suffix == ".zip":
            _write_zip(tmp, _counted(data, len(dates), progress), size, path.stem)
        else:
            kind: Kind = "slide" if suffix == ".pptx" else "rgb"
            drawn = _counted(draw_frames(data, size, kind, n_workers), len(dates), progress)
            if suffix == ".gif":
                _write_gif(tmp, drawn)
            elif suffix == ".mp4":
                write_mp4(tmp, _arrays(drawn), video)  # type: ignore[arg-type]
            else:
                _write_pptx(tmp, drawn, dates, view, size, store)
    return path
