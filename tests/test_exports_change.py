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
from geo.exports.change import Change, collect_change
from geo.exports.layout import ImageSize
from geo.exports.render import LABEL_GID, render
from geo.exports.snapshot import write_snapshot
from geo.exports.view import SnapshotView
from geo.store import open_store

D1, D2 = date(2016, 10, 1), date(2017, 7, 31)
SMALL = ImageSize(900, 600, 100)


def _gained(force: str, geom: Any, kind: str = "gained") -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geom),
            "properties": {"kind": kind, "force": force, "force_name": force, "km2": 0.0}}


def test_change_is_clipped_to_the_frame_and_measured_in_km2() -> None:
    """ISF gained a 0.5° x 1° strip at 33.5°N (~5,100 km²) and IS lost it; a map of
    its eastern half states half the area, measured on the ground (within 1 % of the
    geodesic area), not in square degrees."""
    strip = box(43.5, 33.0, 44.0, 34.0)
    change = Change(D1, [_gained("ISF", strip), _gained("IS", strip, "lost")])
    half = change.clipped((43.75, 32.0, 45.0, 35.0))
    lons, lats = zip(*box(43.75, 33.0, 44.0, 34.0).exterior.coords)
    geodesic = abs(Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)[0]) / 1e6
    assert abs(half.km2("gained")["ISF"] - geodesic) / geodesic < 0.01
    assert abs(half.km2("lost")["IS"] - geodesic) / geodesic < 0.01
    assert half.summary().startswith("Gained: ISF ") and "Lost: IS " in half.summary()
    assert change.clipped((40.0, 30.0, 41.0, 31.0)).summary() == "No ground changed hands."


def test_invalid_change_area_is_still_clipped() -> None:
    """Gained ground is a difference of estimated territories and can come out as a
    ring that crosses itself (two squares meeting at a point, drawn as one bow tie).
    GEOS refuses to clip that ("TopologyException"), which failed the whole export; the
    area is repaired first and both squares keep their ground."""
    from shapely.geometry import Polygon

    bow_tie = Polygon([(43.0, 33.0), (44.0, 34.0), (44.0, 33.0), (43.0, 34.0)])
    assert not bow_tie.is_valid
    clipped = Change(D1, [_gained("ISF", bow_tie)]).clipped((42.0, 32.0, 45.0, 35.0))
    whole = Change(D1, [_gained("ISF", box(43.0, 33.0, 44.0, 34.0))]).clipped(
        (42.0, 32.0, 45.0, 35.0))
    assert 0.4 < clipped.km2("gained")["ISF"] / whole.km2("gained")["ISF"] < 0.6


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
