"""Export panel of the Map page: what the analyst is looking at, as PNG, PDF, offline HTML,
a before/after map or a dated series.

Why a separate file: the Map page is edited by several people; this panel is one call at
its bottom. Files are built only when asked (a button), not on every rerun: a PDF takes
about a second and the page reruns on each report from the map. The frame is the map's
on-screen bounds (reported by the map plugin, ``MapView.bounds``) unless the analyst asks
for the whole theatre or types a box. All logic is in ``geo.exports``; this file only
collects choices and hands bytes to ``st.download_button``.
"""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from geo.core import settings
from geo.core.errors import GeoError
from geo.display import markdown_literal
from geo.exports.layout import ImageSize
from geo.exports.series import SERIES_FORMATS, STEPS, series_size, series_size_note, write_series
from geo.exports.snapshot import SIZED_SNAPSHOTS, SNAPSHOT_FORMATS, prepare_snapshot
from geo.exports.view import SnapshotView, from_map_view, parse_bbox, screen_bbox
from pages.common import get_reader

_MIME = {f.key: f.mime for f in (*SNAPSHOT_FORMATS, *SERIES_FORMATS)}
_SERIES = {f.key: f.label for f in SERIES_FORMATS}
_FRAMES = {"screen": "As on screen", "theatre": "Whole theatre", "box": "Box (degrees)"}


def _frame(view: Any) -> tuple[tuple[float, float, float, float] | None, str]:
    """The frame chosen: the map's bounds on screen (the default; the theatre until the
    map has reported them), the whole theatre (None) or a typed box; with a line saying
    which."""
    bounds = getattr(view, "bounds", None)
    choice = st.radio("Frame", list(_FRAMES), format_func=_FRAMES.__getitem__,
                      horizontal=True, key="export_frame")
    if choice == "screen" and not bounds:
        return None, "the whole theatre (the map has not reported its bounds yet)"
    if choice == "screen":
        bbox = screen_bbox(bounds)
        zoom = getattr(view, "zoom", None)
        return bbox, (f"as on screen: {bbox[1]:.2f}..{bbox[3]:.2f}°N, "
                      f"{bbox[0]:.2f}..{bbox[2]:.2f}°E" + (f", zoom {zoom}" if zoom else ""))
    if choice == "box":
        text = st.text_input("Box W,S,E,N (degrees)", value="", key="export_bbox")
        if text.strip():
            return parse_bbox(text), "the box typed"
    return None, "the whole theatre"


def _options(view: Any) -> tuple[SnapshotView, ImageSize] | None:
    """Frame, title, marking and size widgets -> the snapshot view; None if invalid."""
    try:
        bbox, frame_text = _frame(view)
    except GeoError as exc:
        st.error(markdown_literal(exc))
        return None
    st.caption(f"Frame: {frame_text}. The picture's map grows around it to fill the page.")
    left, right = st.columns(2)
    title = left.text_input("Title", value="Situation map", key="export_title")
    marking = right.text_input("Marking (top and bottom)", value="", key="export_marking",
                               placeholder="e.g. UNCLASSIFIED")
    curated = left.checkbox("Include the curated control timeline", value=True,
                            key="export_curated")
    a, b, c = st.columns(3)
    width = a.number_input("Width (px)", 300, 12000, 1600, step=100, key="export_w")
    height = b.number_input("Height (px)", 300, 12000, 1000, step=100, key="export_h")
    dpi = c.number_input("DPI", 50, 600, 150, step=25, key="export_dpi")
    sized = ", ".join(f.label for f in SNAPSHOT_FORMATS if f.key in SIZED_SNAPSHOTS)
    st.caption(f"Width, height and DPI apply to {sized} and to the series' PDF pages and "
               f"PNGs; the HTML map fits the browser window; GIF, MP4 and PowerPoint "
               f"have sizes of their own (shown below when chosen).")
    try:
        snap = from_map_view(view, title=title, marking=marking.strip(), bbox=bbox,
                             curated=curated)
        return snap, ImageSize(int(width), int(height), int(dpi))
    except GeoError as exc:
        st.error(markdown_literal(exc))
        return None


def _prepare(snap: SnapshotView, size: ImageSize, fmt: str, since: Any = None) -> None:
    """Build one file and keep it (one prepared file per session: they can be large)."""
    try:
        with st.spinner(f"Drawing the {fmt.upper()}…"):
            store = get_reader(settings.database_url())
            st.session_state["export_prepared"] = prepare_snapshot(
                snap, store, fmt, size, since=since)  # type: ignore[arg-type]
    except GeoError as exc:
        st.error(markdown_literal(exc))


def _snapshot_buttons(snap: SnapshotView, size: ImageSize) -> None:
    """Prepare buttons for PNG, PDF, HTML and the before/after map; the prepared file
    gets its download button (with what it shows)."""
    for column, fmt in zip(st.columns(3), ("png", "pdf", "html")):
        if column.button(f"Prepare {fmt.upper()}", key=f"export_make_{fmt}"):
            _prepare(snap, size, fmt)
    a, b = st.columns([2, 1])
    since = a.date_input("Before/after: ground gained and lost since",
                         value=snap.day - timedelta(days=90), key="export_since")
    if b.button("Prepare before/after PNG", key="export_make_change"):
        _prepare(snap, size, "png", since=since)
    prepared = st.session_state.get("export_prepared")
    if prepared is not None:
        st.caption(prepared.caption)
        st.download_button(f"Download {prepared.file_name}", prepared.payload,
                           file_name=prepared.file_name, mime=_MIME[prepared.fmt],
                           key="export_dl")


def _series(snap: SnapshotView, size: ImageSize) -> None:
    st.markdown("**Dated series** (same frame and filters, one frame per date)")
    a, b, c, d = st.columns(4)
    start = a.date_input("From", value=snap.day - timedelta(days=365), key="export_from")
    end = b.date_input("To", value=snap.day, key="export_to")
    step = c.selectbox("Step", STEPS, index=2, key="export_step")
    fmt = d.selectbox("Format", list(_SERIES), key="export_fmt",
                      format_func=_SERIES.__getitem__)
    st.caption(series_size_note(fmt, size))
    if st.button("Build series", key="export_series"):
        bar = st.progress(0.0, text="Starting…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            store = get_reader(settings.database_url())
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / f"series-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{fmt}"
                write_series(snap, start, end, step, out, store,
                             size=series_size(fmt, size),
                             progress=progress)
                st.session_state["export_series_file"] = (out.name, out.read_bytes(), fmt)
        except GeoError as exc:
            st.error(markdown_literal(exc))
    prepared = st.session_state.get("export_series_file")
    if prepared:
        name, payload, kind = prepared
        st.download_button(f"Download {name}", payload, file_name=name, mime=_MIME[kind],
                           key="export_series_dl")


def render_export_panel(view: Any) -> None:
    """The export controls for the Map page's current view (``geo.maps.view.MapView``)."""
    st.caption("Pictures drawn offline from exactly the events this page shows, with "
               "control areas, front lines, labels, legend, scale bar, north arrow, "
               "marking and numbered sources.")
    chosen = _options(view)
    if chosen is None:
        return
    snap, size = chosen
    _snapshot_buttons(snap, size)
    _series(snap, size)
