"""Snapshots of one view for briefings: PNG, PDF (map + source pages) and offline HTML.

Why bytes first: the command line writes files, the dashboard hands bytes to a download
button; both call ``snapshot_bytes`` so a file and a download are identical. Files go
through ``outputs.atomic_output``: nothing half-written is ever left in the folder.
All geometry crosses these functions in EPSG:4326.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from matplotlib.backends.backend_pdf import PdfPages

from geo.core.errors import InputError
from geo.exports.data import SnapshotData, collect
from geo.exports.outputs import atomic_output, check_output
from geo.exports.render import ATTRIBUTION, NO_EVENTS, render_figure, sources_pages
from geo.exports.view import SnapshotView
from geo.store.base import Store

Format = Literal["png", "pdf", "html"]
SNAPSHOT_SUFFIXES = (".png", ".pdf", ".html")
#: Matplotlib PDF text as TrueType (Type 42), not Type 3: the text stays searchable and
#: copyable, which analysts (and the tests, via pypdf) rely on.
PDF_RC = {"pdf.fonttype": 42}


@dataclass(frozen=True)
class ImageSize:
    """Pixel size and resolution of a picture; the PDF uses the same page in inches."""

    width_px: int = 1600
    height_px: int = 1000
    dpi: int = 150

    def __post_init__(self) -> None:
        if not (300 <= self.width_px <= 12000 and 300 <= self.height_px <= 12000):
            raise InputError(f"image size {self.width_px}x{self.height_px} px is outside "
                             "300..12000 px", field="width")
        if not (50 <= self.dpi <= 600):
            raise InputError(f"dpi {self.dpi} is outside 50..600", field="dpi")

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_px / self.dpi, self.height_px / self.dpi


def png_bytes(data: SnapshotData, size: ImageSize = ImageSize(), *,
              sources: Literal["inline", "separate"] = "inline") -> bytes:
    """The snapshot as PNG at exactly ``size`` (no tight bbox: the size is the user's)."""
    fig = render_figure(data, width_px=size.width_px, height_px=size.height_px,
                        dpi=size.dpi, sources=sources)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=size.dpi)
    return buffer.getvalue()


def source_lines(data: SnapshotData) -> list[str]:
    """The numbered source list of a snapshot as text lines (with URLs, for the PDF)."""
    return [s.line() + (f" <{s.url}>" if s.url else "") for s in data.sources]


def add_pdf_pages(pdf: PdfPages, data: SnapshotData, size: ImageSize) -> None:
    """Map page then its source pages (the PDF's second page onwards)."""
    fig = render_figure(data, width_px=size.width_px, height_px=size.height_px,
                        dpi=size.dpi, sources="separate")
    pdf.savefig(fig)
    title = f"Sources of \"{data.view.title}\", as of {data.view.day:%Y-%m-%d}"
    for page in sources_pages(title, source_lines(data), width_in=size.inches[0],
                              height_in=size.inches[1], marking=data.view.marking):
        pdf.savefig(page)


def pdf_bytes(data: SnapshotData, size: ImageSize = ImageSize()) -> bytes:
    """The snapshot as a PDF: the map, then the numbered sources."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(PDF_RC), PdfPages(buffer, metadata={
            "Title": f"{data.view.title} {data.view.day:%Y-%m-%d}"}) as pdf:
        add_pdf_pages(pdf, data, size)
    return buffer.getvalue()


def html_text(data: SnapshotData) -> str:
    """The map as the Map page draws it (vector basemap, the control layer of the day:
    areas, front lines and places with their history popups, then one events layer),
    framed on the view's bbox, with every script, stylesheet and font inlined so the file
    opens offline. No tiles: ``online_tiles`` is forced off.

    Every piece of data text reaches the page either as ``GeoJsonLayer`` data (raw
    script, ``js_json``-escaped) or as escaped HTML in a ``RawHtml`` element: nothing
    goes through branca's Jinja compilation, so ``{{ ... }}`` in an article, citation or
    title stays text."""
    from geo.maps.assets import inline_assets
    from geo.maps.basemap import make_base_map
    from geo.maps.control_layer import control_feature_group
    from geo.maps.events_layer import events_feature_group
    from geo.maps.jslayer import RawHtml

    fmap = make_base_map(online_tiles=False)
    if data.control.get("features"):
        control_feature_group(data.control).add_to(fmap)   # below the events, as on screen
    events_feature_group(data.events).add_to(fmap)
    w, s, e, n = data.view.extent
    fmap.fit_bounds([[s, w], [n, e]])
    view = data.view
    marking = (f"<div style='color:#b00000;font-weight:bold;text-align:center'>"
               f"{html.escape(view.marking)}</div>" if view.marking else "")
    shown = data.described + ("" if data.n_events else f" — {NO_EVENTS}")
    header = (f"<div style='font:13px/1.35 system-ui,sans-serif;padding:4px 8px'>{marking}"
              f"<b>{html.escape(view.title)}</b> — as of {view.day:%Y-%m-%d}; window "
              f"{html.escape(view.window_text())}. Shown: {html.escape(shown)}.<br>"
              f"<small>{html.escape(ATTRIBUTION)}</small></div>")
    root = fmap.get_root()
    root.html.add_child(RawHtml(header), name="snapshot_header")
    if view.marking:
        root.html.add_child(RawHtml(marking), name="snapshot_marking_footer")
    root.height = "100%"
    return inline_assets(root.render())


def snapshot_bytes(data: SnapshotData, fmt: Format, size: ImageSize = ImageSize()) -> bytes:
    """One format of a collected snapshot as bytes."""
    if fmt == "png":
        return png_bytes(data, size)
    if fmt == "pdf":
        return pdf_bytes(data, size)
    if fmt == "html":
        return html_text(data).encode("utf-8")
    raise InputError(f"unknown snapshot format {fmt!r}; use png, pdf or html")


def write_snapshot(view: SnapshotView, out: str | Path, store: Store | None, *,
                   size: ImageSize = ImageSize()) -> Path:
    """Check ``out`` (suffix .png/.pdf/.html, folder exists and is writable), collect
    the view from ``store`` and write the file atomically. Returns the path written."""
    path = check_output(out, SNAPSHOT_SUFFIXES)
    data = collect(view, store)
    payload = snapshot_bytes(data, path.suffix.lower().lstrip("."), size)  # type: ignore[arg-type]
    with atomic_output(path) as tmp:
        tmp.write_bytes(payload)
    return path
