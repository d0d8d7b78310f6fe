"""Snapshot exports (PNG, PDF, HTML) from a store built in code; also the CLI.

Why these checks: a briefing picture that is blank, lacks the force colours, drops the
marking or the sources, or needs the network is worse than none.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.core.errors import InputError
from geo.exports.data import collect
from geo.exports.snapshot import ImageSize, write_snapshot
from geo.exports.view import SnapshotView, from_map_view, parse_bbox, parse_window
from geo.store import open_store
from tests.export_store import COLOURS, FIRST, LAST, TITLES, build_export_store

PROJECT = Path(__file__).resolve().parent.parent
VIEW = SnapshotView(day=LAST, window="days:30", curated=False, marking="UNCLASSIFIED",
                    title="Test briefing")


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = build_export_store(tmp_path / "events.sqlite")
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    return url


def _near(pixels: np.ndarray, hex_colour: str, tol: int = 18) -> int:
    """How many pixels (N x 3 array) are within ``tol`` of a colour in every channel."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels.astype(int) - rgb) <= tol).all(axis=1).sum())


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_png_has_size_content_and_force_colours(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    with open_store(store_url) as store:
        write_snapshot(VIEW, out, store, size=ImageSize(1200, 800, 100))
    image = Image.open(out).convert("RGB")
    assert image.size == (1200, 800)
    pixels = np.asarray(image).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 200, "the picture looks blank"
    for force, colour in COLOURS.items():
        assert _near(pixels, colour) >= 15, f"no {force} colour {colour} in the PNG"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_pdf_holds_date_marking_and_sources(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    with open_store(store_url) as store:
        write_snapshot(VIEW, out, store)
    reader = PdfReader(out)
    assert len(reader.pages) >= 2                       # map, then sources
    text = _pdf_text(out)
    assert "2016-06-30" in text and "UNCLASSIFIED" in text
    sources = reader.pages[1].extract_text()
    for title in TITLES:
        assert title in sources
    assert "5 events from 2016-06-01 to 2016-06-30" in text


def test_no_events_still_renders_and_says_so(store_url: str, tmp_path: Path) -> None:
    view = SnapshotView(day=LAST, window="day", forces=("RUS",), curated=False)
    with open_store(store_url) as store:
        assert collect(view, store).n_events == 0
        write_snapshot(view, tmp_path / "empty.pdf", store)
        write_snapshot(view, tmp_path / "empty.png", store, size=ImageSize(800, 600, 100))
    assert "no events match" in _pdf_text(tmp_path / "empty.pdf")
    assert Image.open(tmp_path / "empty.png").size == (800, 600)


def _page_data(html: str) -> dict:
    """What the page's map loads: the ``GeoScrub.load`` payload with its ``data:`` URLs
    decoded (events columns, popup details, control series)."""
    import base64
    import json

    payload = json.loads(_decoded_scripts(
        re.search(r"GeoScrub\.load\((\{.*?\})\);", html, re.S).group(1)))
    out = {"payload": payload}
    for name in ("events", "details", "control"):
        url = payload[f"{name}_url"]
        if url:
            assert url.startswith("data:application/json;base64,"), url[:40]
            out[name] = json.loads(base64.b64decode(url.split(",", 1)[1]))
    return out


def test_html_is_self_contained(store_url: str, tmp_path: Path) -> None:
    """The dashboard's own map, at the day and frame, in one file that opens offline:
    no remote script or stylesheet, no file left on the server; marking at the top and
    the bottom, title block with the date, north arrow, numbered sources with links."""
    out = tmp_path / "map.html"
    with open_store(store_url) as store:
        write_snapshot(VIEW, out, store)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", html, re.I)
    assert "GeoScrub.attach" in html and "L.map" in html.replace(" ", "")
    assert html.count("UNCLASSIFIED") >= 2
    assert "id='geo-marking-top'" in html and "id='geo-marking-bottom'" in html
    assert "Test briefing" in html and "As of 2016-06-30" in html and "geo-north" in html
    assert "id='geo-sources'" in html and "https://example.org/report" in html
    for title in TITLES:
        assert title in html
    data = _page_data(html)
    assert data["payload"]["day"] == "2016-06-30" and data["payload"]["window"] == "last"
    assert len(data["events"]["lon"]) == 5


def _decoded_scripts(html: str) -> str:
    """The page with the ``\\u007b`` escape ``js_json`` puts before a Jinja-like ``{``
    decoded, as the browser's JavaScript parser decodes it inside a string."""
    return html.replace("\\u007b", "{")


def test_html_carries_the_control_series_in_the_palette(store_url: str,
                                                       tmp_path: Path) -> None:
    """The HTML map draws control as the Map page does: the control series (states at
    every change point, areas, fronts) in the forces' palette colours."""
    from geo.core.forces import default_forces

    view = SnapshotView(day=LAST, window="days:30", curated=True, title="Control test")
    out = tmp_path / "control.html"
    with open_store(store_url) as store:
        write_snapshot(view, out, store)
    control = _page_data(out.read_text(encoding="utf-8"))["control"]
    assert control["schema"] == "geo.control.series/1" and control["states"]
    forces = default_forces()
    assert len(control["forces"]) >= 3
    for force, style in control["forces"].items():
        assert style["colour"] == forces.colour(force)
    assert "Mosul" in {p["name"] for p in control["places"]}


def test_html_keeps_template_syntax_in_article_text_verbatim(tmp_path: Path) -> None:
    """branca compiles rendered map scripts as Jinja templates: article text, titles and
    the map title must reach the page as data or escaped HTML, so "{{ 7*7 }}" stays
    text and never becomes "49" (a template evaluated with analysts' data)."""
    import json

    from geo.control.history import control_map
    from geo.exports.data import SnapshotData
    from geo.exports.snapshot import html_text
    from geo.store.frame import empty_frame
    from tests.factories import make_article, make_event, make_evidence

    probe = "{{ 7*7 }}"
    url = f"sqlite:///{tmp_path / 'probe.sqlite'}"
    capture = make_event(town="Mosul", event_date=LAST, sub_event_type="Government regains "
                         "territory", actor1_force="ISF", actor2_force="IS", control_to="ISF",
                         notes=f"Retook the bridge {probe} citation",
                         evidence=[make_evidence(sentence=f"Mosul fell {probe} today.")])
    with open_store(url) as store:
        store.ingest(make_article(title=f"Wire {probe} title", published=LAST), [capture])
        view = SnapshotView(day=LAST, window="days:30", curated=False,
                            title=f"Briefing {probe}")
        data = collect(view, store)
    assert data.n_events == 1
    html = html_text(data)
    details = json.dumps(_page_data(html)["details"], ensure_ascii=False)
    assert f"Briefing {probe}" in html                       # title block: escaped HTML
    assert f"Wire {probe} title" in html                     # source list: escaped HTML
    assert f"Mosul fell {probe} today." in details           # popup data (article sentence)
    for evaluated in ("Briefing 49", "Wire 49 title", "fell 49 today"):
        assert evaluated not in html and evaluated not in details
    # Also without a store: the control series alone.
    bare = SnapshotData(view, empty_frame(), control_map(LAST, [capture], curated=False),
                        view.extent, captures=[capture])
    assert "Briefing 49" not in html_text(bare)


@pytest.mark.parametrize("name, problem", [
    ("missing/map.png", "does not exist"),
    ("map.jpg", "cannot tell the format"),
])
def test_bad_output_raises_before_work(store_url: str, tmp_path: Path, name: str,
                                       problem: str) -> None:
    with open_store(store_url) as store, pytest.raises(InputError, match=problem):
        write_snapshot(VIEW, tmp_path / name, store)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.sqlite"]


def test_unwritable_folder(store_url: str, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.exports.outputs as outputs

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:              # root ignores modes: ask os.access to say no
        monkeypatch.setattr(outputs.os, "access", lambda path, mode: False)
    try:
        with open_store(store_url) as store, pytest.raises(InputError, match="not writable"):
            write_snapshot(VIEW, locked / "map.png", store)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_failed_render_leaves_nothing(store_url: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.exports.snapshot as snapshot

    def boom(*args: object, **kwargs: object) -> bytes:
        raise InputError("simulated failure")

    monkeypatch.setattr(snapshot, "snapshot_bytes_for", boom)
    with open_store(store_url) as store, pytest.raises(InputError):
        snapshot.write_snapshot(VIEW, tmp_path / "map.png", store)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.sqlite"]


def test_view_parsing() -> None:
    assert parse_window("days:7") == "days:7" and parse_window("days:1") == "day"
    assert SnapshotView(LAST, "days:30").date_from == FIRST
    assert SnapshotView(LAST, "upto").to_filter().date_from is None
    assert parse_bbox("36,33,44,37.5") == (36.0, 33.0, 44.0, 37.5)
    for bad in ("days:0", "week", ""):
        with pytest.raises(InputError):
            parse_window(bad)
    with pytest.raises(InputError):
        parse_bbox("44,33,36,37")
    from geo.maps.view import MapView
    snap = from_map_view(MapView(LAST, "last", 30, ("ISF",)), marking="X")
    assert (snap.window, snap.forces, snap.marking) == ("days:30", ("ISF",), "X")


def test_scale_bar_is_metric() -> None:
    from geo.exports.cartography import scale_bar

    bar = scale_bar((35.3, 29.0, 48.9, 37.6))
    assert bar.km in (100, 200, 500)
    from pyproj import Geod
    length = Geod(ellps="WGS84").inv(bar.lon, bar.lat, bar.lon_end, bar.lat)[2] / 1000
    assert abs(length - bar.km) / bar.km < 0.002      # true length, not degrees as km


def test_a_stale_place_is_drawn_hollow_in_its_last_holders_faded_colour() -> None:
    """Control rule 8 in a briefing snapshot, as on the map: a stale place is a hollow
    square edged in the faded colour of the force last reported holding it; an unknown
    place with no last holder stays grey."""
    from matplotlib import colors as mcolors
    from matplotlib.figure import Figure

    from geo.core.forces import UNKNOWN_COLOUR, default_forces
    from geo.exports.render import PlaceMark, _draw_places
    from geo.maps.symbols import STALE_OPACITY

    ax = Figure().add_subplot()
    _draw_places(ax, [PlaceMark(43.78, 33.35, "Fallujah", "unknown", "", "IS"),
                      PlaceMark(43.30, 33.42, "Ramadi", "unknown")], 40.0)
    edges = ax.collections[-1].get_edgecolors()
    assert np.allclose(edges[0], mcolors.to_rgba(default_forces().colour("IS"), STALE_OPACITY))
    assert np.allclose(edges[1], mcolors.to_rgba(UNKNOWN_COLOUR))


def _cli(*args: str, env_url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GEO_DATABASE_URL=env_url, MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_snapshot(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "cli.png"
    done = _cli("snapshot", "--date", "2016-06-30", "--out", str(out), "--window", "days:30",
                "--force", "ISF", "--force", "SDF", "--type", "Battles",
                "--bbox", "36,33,45,37.5", "--width", "900", "--height", "600", "--dpi",
                "100", "--marking", "UNCLASSIFIED", "--no-curated", env_url=store_url)
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (900, 600)
    bad = _cli("snapshot", "--date", "2016-06-30", "--out", str(tmp_path / "no" / "x.png"),
               env_url=store_url)
    assert bad.returncode == 1 and "does not exist" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_docs_example(store_url: str, tmp_path: Path) -> None:
    """Renders the README's example picture; copied into docs/ when GEO_UPDATE_DOCS=1."""
    view = SnapshotView(day=LAST, window="days:30", marking="UNCLASSIFIED",
                        title="Example briefing map (test data)")
    out = tmp_path / "snapshot-example.png"
    with open_store(store_url) as store:
        write_snapshot(view, out, store, size=ImageSize(1600, 1000, 150))
    assert Image.open(io.BytesIO(out.read_bytes())).size == (1600, 1000)
    if os.environ.get("GEO_UPDATE_DOCS") == "1":
        shutil.copyfile(out, PROJECT / "docs" / "snapshot-example.png")


