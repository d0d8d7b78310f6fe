"""Map building blocks without a browser: view/URL rules, basemap layers, event styling."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from geo.maps import basemap
from geo.maps.basemap import LAYERS, load_layer, make_base_map
from geo.maps.events_layer import event_style, events_geojson
from geo.maps.view import DateSpan, MapView, data_span, parse_view, view_params

SPAN = DateSpan(date(2016, 6, 1), date(2016, 7, 31))
FORCES = ["IS", "ISF", "SDF"]


def test_view_round_trips_through_url_params() -> None:
    view = MapView(date(2016, 6, 2), date(2016, 7, 1), ("IS", "SDF"))
    parsed = parse_view(view_params(view, SPAN), SPAN, FORCES)
    assert parsed.view == view and parsed.problems == []
    assert view_params(MapView(SPAN.first, SPAN.last), SPAN) == {}


@pytest.mark.parametrize("params", [{"from": "x"}, {"to": "2016-02-30"}, {"forces": "ZZ"},
                                    {"from": "2016-07-10", "to": "2016-07-01"},
                                    {"to": "2030-01-01"}])
def test_malformed_params_fall_back_with_a_problem(params: dict) -> None:
    parsed = parse_view(params, SPAN, FORCES)
    assert parsed.problems
    assert SPAN.first <= parsed.view.date_from <= parsed.view.date_to <= SPAN.last
    assert set(parsed.view.forces) <= set(FORCES)


def test_data_span_of_empty_frame_is_usable() -> None:
    span = data_span(pd.DataFrame({"date_min": []}), today=date(2026, 11, 21))
    assert span.first < span.last == date(2026, 11, 21)


def test_basemap_layers_are_small_and_valid() -> None:
    total = sum((basemap.BOUNDARIES_DIR / f"{name}.geojson").stat().st_size for name in LAYERS)
    assert total < 2_000_000
    for name in LAYERS:
        assert load_layer(name)["features"], name
    names = {f["properties"]["name"] for f in load_layer("towns")["features"]}
    assert {"Mosul", "Baghdad", "Damascus"} <= names


def test_base_map_is_offline_unless_online_tiles(monkeypatch: pytest.MonkeyPatch) -> None:
    html = make_base_map(online_tiles=False).get_root().render()
    assert "tile.openstreetmap.org" not in html and '"maxZoom": 13' in html
    monkeypatch.setenv("GEO_ONLINE_TILES", "true")
    html = make_base_map().get_root().render()
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html


def test_event_style_encodes_precision_and_type() -> None:
    base = {"event_type": "Battles", "actor1_force": "IS", "geo_precision": 1,
            "time_precision": 1}
    exact = event_style(base)
    coarse_place = event_style({**base, "geo_precision": 3})
    coarse_date = event_style({**base, "time_precision": 3})
    strike = event_style({**base, "event_type": "Explosions/Remote violence"})
    assert exact["color"] == "#111111"
    assert coarse_place["radius"] > exact["radius"]
    assert coarse_date["opacity"] < exact["opacity"]
    assert strike.get("dashArray") and not exact.get("dashArray")
    unknown = event_style({**base, "actor1_force": "NOPE"})
    assert unknown["color"].startswith("#")


def test_events_without_coordinates_are_skipped() -> None:
    frame = pd.DataFrame([{"event_id": "a", "latitude": 33.0, "longitude": 44.0},
                          {"event_id": "b", "latitude": None, "longitude": None}])
    collection = events_geojson(frame)
    assert [f["properties"]["event_id"] for f in collection["features"]] == ["a"]
    json.dumps(collection, allow_nan=False)    # plain JSON, no NaN or objects
