"""Export panel of the Map page: the current view as PNG, PDF, offline HTML or a series.

Why a separate file: the Map page is edited by several people; this panel is one call at
its bottom. Files are built only when asked (a button), not on every rerun: a PDF takes
about a second and the page reruns on each slider step. All logic is in ``geo.exports``;
this file only collects choices and hands bytes to ``st.download_button``.
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
from geo.exports.data import collect
from geo.exports.series import STEPS, write_series
from geo.exports.snapshot import ImageSize, snapshot_bytes
from geo.exports.view import SnapshotView, from_map_view, parse_bbox
from pages.common import get_store

_MIME = {"png": "image/png", "pdf": "application/pdf", "html": "text/html",
         "gif": "image/gif", "mp4": "video/mp4", "zip": "application/zip",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def _options(view: Any) -> tuple[SnapshotView, ImageSize] | None:
    """Title, marking, box and size widgets -> the snapshot view; None if invalid."""
    left, right = st.columns(2)
    title = left.text_input("Title", value="Situation map", key="export_title")
    marking = right.text_input("Marking (top and bottom)", value="", key="export_marking",
                               placeholder="e.g. UNCLASSIFIED")
    bbox_text = left.text_input("Box W,S,E,N (degrees, empty = theatre)", value="",
                                key="export_bbox")
    curated = right.checkbox("Include the curated control timeline", value=True,
                             key="export_curated")
    a, b, c = st.columns(3)
    width = a.number_input("Width (px)", 300, 12000, 1600, step=100, key="export_w")
    height = b.number_input("Height (px)", 300, 12000, 1000, step=100, key="export_h")
    dpi = c.number_input("DPI", 50, 600, 150, step=25, key="export_dpi")
    try:
        bbox = parse_bbox(bbox_text) if bbox_text.strip() else None
        snap = from_map_view(view, title=title, marking=marking.strip(), bbox=bbox,
                             curated=curated)
        return snap, ImageSize(int(width), int(height), int(dpi))
    except GeoError as exc:
        st.error(markdown_literal(exc))
        return None


def _snapshot_buttons(snap: SnapshotView, size: ImageSize) -> None:
    """Prepare buttons; the prepared file is kept per (view, size, format) in the session."""
    files: dict[tuple, bytes] = st.session_state.setdefault("export_files", {})
    stem = f"snapshot-{snap.day:%Y-%m-%d}"
    for column, fmt in zip(st.columns(3), ("png", "pdf", "html")):
        key = (snap, size, fmt)
        if column.button(f"Prepare {fmt.upper()}", key=f"export_make_{fmt}"):
            try:
                with st.spinner(f"Drawing the {fmt.upper()}…"):
                    store = get_store(settings.database_url())
                    files.clear()                       # keep one prepared set per session
                    data = collect(snap, store, None if fmt == "html" else size)
                    files[key] = snapshot_bytes(data, fmt, size)  # type: ignore[arg-type]
            except GeoError as exc:
                column.error(str(exc))
        if key in files:
            column.download_button(f"Download {fmt.upper()}", files[key],
                                   file_name=f"{stem}.{fmt}", mime=_MIME[fmt],
                                   key=f"export_dl_{fmt}")


def _series(snap: SnapshotView, size: ImageSize) -> None:
    st.markdown("**Dated series** (same filters, one frame per date)")
    a, b, c, d = st.columns(4)
    start = a.date_input("From", value=snap.day - timedelta(days=365), key="export_from")
    end = b.date_input("To", value=snap.day, key="export_to")
    step = c.selectbox("Step", STEPS, index=2, key="export_step")
    fmt = d.selectbox("Format", ("gif", "mp4", "pdf", "zip", "pptx"), key="export_fmt",
                      format_func=lambda f: {"gif": "GIF timelapse", "mp4": "MP4 video",
                                             "pdf": "PDF pages", "zip": "ZIP of PNGs",
                                             "pptx": "PowerPoint"}[f])
    if st.button("Build series", key="export_series"):
        bar = st.progress(0.0, text="Starting…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Frame {done} of {total}")

        try:
            store = get_store(settings.database_url())
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / f"series-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{fmt}"
                write_series(snap, start, end, step, out, store,
                             size=None if fmt in ("gif", "mp4", "pptx") else size,
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
               "control areas, front lines, legend, scale bar, attribution and sources.")
    chosen = _options(view)
    if chosen is None:
        return
    snap, size = chosen
    _snapshot_buttons(snap, size)
    _series(snap, size)
