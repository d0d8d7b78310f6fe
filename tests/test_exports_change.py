"""The before/after map: ground gained and lost between two dates, in one picture.

Why: "what changed since the last brief?" is the briefing's staple question. The areas
must be measured in km (an equal-area projection, not square degrees), clipped to the
frame shown, and the places that changed hands named on the map.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pyproj import Geod
from shapely.geometry import box, mapping

from geo.core.errors import InputError
from geo.exports.change import Change, changed_places, collect_change, gained_lost_areas
from geo.exports.layout import ImageSize
from geo.exports.render import LABEL_GID, render
from geo.exports.snapshot import write_snapshot
from geo.exports.view import SnapshotView
from geo.store import open_store

D1, D2 = date(2016, 10, 1), date(2017, 7, 31)
SMALL = ImageSize(900, 600, 100)


def _area(force: str, geom: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geom),
            "properties": {"kind": "area", "force": force}}


def _place(name: str, force: str, status: str = "held", lon: float = 43.5,
           lat: float = 33.5) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"kind": "place", "name": name, "force": force, "status": status}}


def test_gained_and_lost_in_square_kilometres() -> None:
    """IS holds a 1° square; later ISF holds its eastern half. ISF gained and IS lost
    the half, measured on the ellipsoid's scale (~5,100 km² at 33.5°N), not in degrees."""
    square = box(43.0, 33.0, 44.0, 34.0)
    east = box(43.5, 33.0, 44.0, 34.0)
    before = {"features": [_area("IS", square)]}
    after = {"features": [_area("IS", box(43.0, 33.0, 43.5, 34.0)), _area("ISF", east)]}
    features = gained_lost_areas(before, after, D1, D2)
    got = {(f["properties"]["kind"], f["properties"]["force"]): f["properties"]["km2"]
           for f in features}
    assert set(got) == {("gained", "ISF"), ("lost", "IS")}
    lons, lats = zip(*east.exterior.coords)
    geodesic = abs(Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)[0]) / 1e6
    for km2 in got.values():
        assert abs(km2 - geodesic) / geodesic < 0.01
    change = Change(D1, features).clipped((43.75, 33.0, 44.0, 34.0))     # a quarter
    assert abs(change.km2("gained")["ISF"] - geodesic / 2) / geodesic < 0.01
    assert "Gained: ISF" in change.summary() and "Lost: IS" in change.summary()


def test_changed_places_name_both_holders() -> None:
    before = {"features": [_place("Hit", "IS"), _place("Rawa", "IS")]}
    after = {"features": [_place("Hit", "ISF"), _place("Rawa", "IS"),
                          _place("Anah", "ISF", lon=42.0)]}
    changed = {p.name: p.text for p in changed_places(before, after)}
    assert changed == {"Hit": "IS\u2192ISF", "Anah": "\u2192ISF"}


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('change') / 'empty.sqlite'}"
    with open_store(url):
        pass
    return url


def test_mosul_before_after_map(empty_store: str) -> None:
    """From the curated timeline: between October 2016 and July 2017 Mosul passed from
    IS to ISF. The map says so in a label, the legend states who gained and lost how
    much within the frame, the stamp gives both dates, and no source published after
    the later date is listed as standing behind it."""
    view = SnapshotView(day=D2, bbox=(42.6, 35.9, 43.7, 36.7), title="Mosul")
    with open_store(empty_store) as store:
        data, change = collect_change(view, D1, store, SMALL)
    rendered = render(data, SMALL, change=change)
    fig = rendered.figure
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == LABEL_GID]
    assert "Mosul (IS\u2192ISF)" in labels
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.startswith("Iraqi Security Forces gained") for t in legend), legend
    assert any(t.startswith("Islamic State lost") for t in legend), legend
    stamps = [t.get_text() for t in fig.texts if t.get_gid() == "date-stamp"]
    assert stamps == ["2016-10-01 \u2192 2017-07-31"]
    assert rendered.change_summary.startswith("Gained: ")
    for source in rendered.sources.standing:
        assert source.ref.published is not None and source.ref.published <= D2


@pytest.mark.parametrize("since, name, problem", [
    (D2, "x.png", "must be earlier"),
    (D1, "x.html", "PNG or PDF"),
])
def test_bad_before_after_input(empty_store: str, tmp_path: Path, since: date, name: str,
                                problem: str) -> None:
    view = SnapshotView(day=D2)
    with open_store(empty_store) as store, pytest.raises(InputError, match=problem):
        write_snapshot(view, tmp_path / name, store, since=since, size=SMALL)
    assert list(tmp_path.iterdir()) == []


def test_deck_ends_with_the_before_after_slide(empty_store: str, tmp_path: Path) -> None:
    from pptx import Presentation

    from geo.exports.series import write_series

    out = tmp_path / "deck.pptx"
    with open_store(empty_store) as store:
        write_series(SnapshotView(day=D1, title="Mosul"), D1, date(2016, 12, 1), "month",
                     out, store, size=ImageSize(800, 400, 80), workers=1)
    slides = list(Presentation(str(out)).slides)
    assert len(slides) == 4                                  # 3 months, then the pair
    title = slides[-1].shapes.title.text
    assert title == "Ground gained and lost \u2014 2016-10-01 to 2016-12-01"
    assert "Gained: " in slides[-1].notes_slide.notes_text_frame.text
