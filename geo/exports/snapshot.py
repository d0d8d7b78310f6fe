"""Snapshots of one view for briefings: PNG, PDF (map + source pages) and offline HTML.

Why bytes first: the command line writes files, the dashboard hands bytes to a download
button; both call ``snapshot_bytes`` so a file and a download are identical. Files go
through ``outputs.atomic_output``: nothing half-written is ever left in the folder.
All geometry crosses these functions in EPSG:4326.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from matplotlib.backends.backend_pdf import PdfPages

from geo.core.errors import InputError
from geo.core.files import atomic_output
from geo.exports.change import Change, collect_change
from geo.exports.data import SnapshotData, collect
from geo.exports.download import DownloadFormat
from geo.exports.layout import ImageSize
from geo.exports.outputs import check_output
from geo.exports.render import Rendered, render, sources_pages
from geo.exports.view import SnapshotView
from geo.exports.webpage import html_text
from geo.store.base import Store
from geo.store.frame import gc_paused

Format = Literal["png", "pdf", "html"]
#: The snapshot files (key = file suffix); HTML is the interactive map, so a picture
#: size does not apply to it (``SIZED_SNAPSHOTS``).
SNAPSHOT_FORMATS: tuple[DownloadFormat, ...] = (
    DownloadFormat("png", "PNG", ".png", "image/png"),
    DownloadFormat("pdf", "PDF", ".pdf", "application/pdf"),
    DownloadFormat("html", "HTML", ".html", "text/html"),
)
SNAPSHOT_SUFFIXES = tuple(f.suffix for f in SNAPSHOT_FORMATS)
SIZED_SNAPSHOTS = ("png", "pdf")
#: Matplotlib PDF text as TrueType (Type 42), not Type 3: the text stays searchable and
#: copyable, which analysts (and the tests, via pypdf) rely on.
PDF_RC: dict[str, Any] = {"pdf.fonttype": 42}


@gc_paused()
def png_bytes(data: SnapshotData, size: ImageSize = ImageSize(), *,
              sources: Literal["inline", "separate"] = "inline",
              change: Change | None = None) -> bytes:
    """The snapshot as PNG at exactly ``size`` (no tight bbox: the size is the user's);
    with ``change``, the before/after map of its day."""
    return figure_png(render(data, size, sources=sources, change=change))


def figure_png(rendered: Rendered) -> bytes:
    """A rendered page as PNG bytes at its own size and resolution."""
    buffer = io.BytesIO()
    rendered.figure.savefig(buffer, format="png", dpi=rendered.figure.dpi)
    return buffer.getvalue()


def sources_title(data: SnapshotData) -> str:
    return f"Sources of \"{data.view.title}\", as of {data.view.day:%Y-%m-%d}"


def add_pdf_pages(pdf: PdfPages, data: SnapshotData, size: ImageSize,
                  change: Change | None = None) -> None:
    """Map page then its source pages (the PDF's second page onwards)."""
    rendered = render(data, size, sources="separate", change=change)
    pdf.savefig(rendered.figure)  # type: ignore[no-untyped-call]
    for page in sources_pages(sources_title(data), rendered.sources.lines(),
                              width_in=size.inches[0], height_in=size.inches[1],
                              marking=data.view.marking):
        pdf.savefig(page)  # type: ignore[no-untyped-call]


def pdf_bytes(data: SnapshotData, size: ImageSize = ImageSize(),
              change: Change | None = None) -> bytes:
    """The snapshot as a PDF: the map, then the numbered sources."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(PDF_RC), PdfPages(buffer, metadata={  # type: ignore[arg-type]
            "Title": f"{data.view.title} {data.view.day:%Y-%m-%d}"}) as pdf:
        add_pdf_pages(pdf, data, size, change)
    return buffer.getvalue()


def snapshot_bytes(data: SnapshotData, fmt: Format, size: ImageSize = ImageSize(),
                   change: Change | None = None) -> bytes:
    """One format of a collected snapshot as bytes (a before/after map with ``change``:
    PNG or PDF)."""
    if fmt == "png":
        return png_bytes(data, size, change=change)
    if fmt == "pdf":
        return pdf_bytes(data, size, change)
    if fmt == "html" and change is None:
        return html_text(data).encode("utf-8")
    if fmt == "html":
        raise InputError("a before/after map is drawn as PNG or PDF, not HTML", field="since")
    raise InputError(f"unknown snapshot format {fmt!r}; use png, pdf or html")


@dataclass(frozen=True)
class PreparedFile:
    """A snapshot file ready to hand over: its bytes, name, the frame its map shows
    (W, S, E, N) and a line saying what it holds."""

    fmt: str
    file_name: str
    payload: bytes
    extent: tuple[float, float, float, float]
    caption: str


@gc_paused()
def prepare_snapshot(view: SnapshotView, store: Store | None, fmt: str,
                     size: ImageSize = ImageSize(), *, since: date | None = None
                     ) -> PreparedFile:
    """Collect and draw one snapshot (``fmt`` png, pdf or html; with ``since`` the
    before/after map from that date, PNG or PDF). The CLI writes it, the dashboard hands
    it to a download button: both get the same bytes.

    The cyclic garbage collector is paused meanwhile (``gc_paused``): a map allocates
    hundreds of thousands of objects (artists, paths, the events' frames), which set off
    full collections over everything the process holds (the dashboard's caches
    included), ~0.3 s of a 10,000-event snapshot spent finding no garbage."""
    if fmt not in ("png", "pdf", "html"):
        raise InputError(f"unknown snapshot format {fmt!r}; use png, pdf or html",
                         field="format")
    if since is not None and fmt == "html":
        raise InputError("a before/after map is drawn as PNG or PDF, not HTML", field="since")
    change = None
    if since is not None:
        data, change = collect_change(view, since, store, size)
    else:
        data = collect(view, store, None if fmt == "html" else size)
    if fmt == "html":
        payload, extent = html_text(data).encode("utf-8"), view.extent
        n_sources, described = len(data.sources), data.described()
    else:
        rendered = render(data, size, sources="inline" if fmt == "png" else "separate",
                          change=change)
        payload = figure_png(rendered) if fmt == "png" else _pdf(rendered, data, size)
        extent, n_sources, described = rendered.extent, len(rendered.sources), \
            rendered.described
    w, s, e, n = extent
    stem = (f"change-{since:%Y-%m-%d}-{view.day:%Y-%m-%d}" if since
            else f"snapshot-{view.day:%Y-%m-%d}")
    caption = (f"{described}; frame {s:.2f}..{n:.2f}°N, {w:.2f}..{e:.2f}°E; "
               f"{n_sources} source{'s' if n_sources != 1 else ''}.")
    return PreparedFile(fmt, f"{stem}.{fmt}", payload, extent, caption)


def _pdf(rendered: Rendered, data: SnapshotData, size: ImageSize) -> bytes:
    """A rendered map page followed by its source pages, as PDF bytes."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(PDF_RC), PdfPages(buffer, metadata={  # type: ignore[arg-type]
            "Title": f"{data.view.title} {data.view.day:%Y-%m-%d}"}) as pdf:
        pdf.savefig(rendered.figure)
        for page in sources_pages(sources_title(data), rendered.sources.lines(),
                                  width_in=size.inches[0], height_in=size.inches[1],
                                  marking=data.view.marking):
            pdf.savefig(page)
    return buffer.getvalue()


def write_snapshot(view: SnapshotView, out: str | Path, store: Store | None, *,
                   size: ImageSize = ImageSize(), since: date | None = None) -> Path:
    """Check ``out`` (suffix .png/.pdf/.html, folder exists and is writable), collect
    the view from ``store`` and write the file atomically. Returns the path written.
    ``since``: the before/after map of the ground gained and lost from that date to the
    view's (PNG or PDF)."""
    path = check_output(out, SNAPSHOT_SUFFIXES)
    fmt = path.suffix.lower().lstrip(".")
    if since is not None and fmt == "html":
        raise InputError("a before/after map is drawn as PNG or PDF, not HTML",
                         source=str(path), field="since")
    payload = snapshot_bytes_for(view, store, fmt, size, since)
    with atomic_output(path) as tmp:
        tmp.write_bytes(payload)
    return path


def snapshot_bytes_for(view: SnapshotView, store: Store | None, fmt: str, size: ImageSize,
                       since: date | None = None) -> bytes:
    """The bytes of ``prepare_snapshot`` (the step ``write_snapshot`` writes)."""
    return prepare_snapshot(view, store, fmt, size, since=since).payload
