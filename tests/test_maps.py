"""Map building blocks without a browser: view/URL rules, basemap layers, event styling."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from geo.core.forces import default_forces
from geo.maps import basemap
from geo.maps.basemap import LAYERS, load_layer, make_base_map
from geo.maps.events_layer import event_style, events_geojson
from geo.maps.view import data_span

# URL/view rules: tests/test_map_view.py


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
    assert "tile.openstreetmap.org" not in html and '"maxZoom": 15' in html
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
    assert exact["color"] == default_forces().colour("IS")
    near = event_style({**base, "geo_precision": 2})
    assert coarse_place["metres"] == 25_000 and "metres" not in exact
    assert event_style({**base, "geo_precision": 4})["metres"] > coarse_place["metres"]
    assert near["radius"] > exact["radius"] and near["fillOpacity"] < exact["fillOpacity"]
    assert coarse_date["opacity"] < exact["opacity"] and coarse_date["dashArray"] == "1 4"
    assert strike.get("dashArray") and not exact.get("dashArray")
    unknown = event_style({**base, "actor1_force": "NOPE"})
    assert unknown["color"].startswith("#")


def test_events_without_coordinates_are_skipped() -> None:
    frame = pd.DataFrame([{"event_id": "a", "latitude": 33.0, "longitude": 44.0},
                          {"event_id": "b", "latitude": None, "longitude": None}])
    collection = events_geojson(frame)
    assert [f["properties"]["event_id"] for f in collection["features"]] == ["a"]
    json.dumps(collection, allow_nan=False)    # plain JSON, no NaN or objects


def test_template_syntax_in_article_text_stays_text() -> None:
    """branca compiles rendered scripts as Jinja templates: "{{ 7*7 }}" in a sentence was
    evaluated on the server when a whole map was rendered (export), now it is data."""
    from streamlit_folium import _get_feature_group_string

    from geo.maps.events_layer import events_feature_group

    notes = "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #} {{{ ''.__class__ }}"
    frame = pd.DataFrame([{"event_id": "a", "latitude": 33.0, "longitude": 44.0,
                           "notes": notes}])
    fmap = make_base_map(online_tiles=False)
    events_feature_group(frame).add_to(fmap)
    for script in (fmap.get_root().render(),
                   _get_feature_group_string(events_feature_group(frame),
                                             make_base_map(online_tiles=False))):
        start = script.index('"sentence":')
        end = script.index('","link"', start)
        assert json.loads("{" + script[start:end + 1] + "}")["sentence"] == notes


# -- highlighted mentions in the popup ---------------------------------------------------------
MENTION_SENTENCE = "ISF retook Fallujah on Sunday."


def _mention(kind: object, start: object, end: object) -> dict:
    return {"kind": kind, "start": start, "end": end, "text": ""}


def test_popup_properties_carry_valid_mentions_only() -> None:
    from geo.maps.events_layer import event_properties

    good = [_mention("place", 11, 19), _mention("actor", 0, 3), _mention("date", 23, 29)]
    bad = [_mention("trigger", 4, 10),            # stored, but not highlighted
           _mention("<img>", 4, 10),              # unknown kind
           _mention("place", 12, 15),             # overlaps the Fallujah mention
           _mention("date", 25, 99),              # past the end of the sentence
           _mention("date", -1, 2), _mention("place", 5, 5), _mention("place", 9, 4),
           _mention("place", "11", "19"), _mention("place", 1.5, 3), _mention("date", True, 2),
           {"kind": "place"}, "place", None, ["place", 0]]
    row = {"event_id": "e", "evidence_sentence": MENTION_SENTENCE,
           "evidence_mentions": json.dumps(bad + good)}
    props = event_properties(row)
    assert props["sentence"] == MENTION_SENTENCE
    assert props["mentions"] == [["actor", 0, 3], ["place", 11, 19], ["date", 23, 29]]
    assert [MENTION_SENTENCE[s:e] for _, s, e in props["mentions"]] == ["ISF", "Fallujah",
                                                                         "Sunday"]
    json.dumps(props, allow_nan=False)
    # Unreadable or missing mentions: the sentence alone, nothing highlighted.
    for cell in ("not json", "{\"kind\": \"place\"}", "", None, float("nan"), 3):
        assert event_properties({**row, "evidence_mentions": cell})["mentions"] == []
    # Mentions belong to the evidence sentence, not to the notes shown without one.
    notes = event_properties({"event_id": "e", "notes": MENTION_SENTENCE,
                              "evidence_mentions": json.dumps(good)})
    assert notes["sentence"] == MENTION_SENTENCE and notes["mentions"] == []


def test_popup_mention_offsets_count_utf16_units() -> None:
    """JavaScript slices UTF-16 code units: an emoji before a mention is two of them."""
    from geo.maps.events_layer import event_properties

    sentence = "\U0001F4A5 ISF retook Fallujah."
    start = sentence.index("Fallujah")
    props = event_properties({"evidence_sentence": sentence, "evidence_mentions": json.dumps(
        [_mention("place", start, start + 8)])})
    assert props["mentions"] == [["place", start + 1, start + 9]]
    units = sentence.encode("utf-16-le")
    assert units[2 * (start + 1):2 * (start + 9)].decode("utf-16-le") == "Fallujah"


def test_popup_script_highlights_with_spans_and_text_only() -> None:
    from geo.maps.events_layer import _EVENT_OPTIONS

    assert '"geo-m-" + kind' in _EVENT_OPTIONS
    assert '["place","date","actor"]' in _EVENT_OPTIONS
    assert 'document.createElement("span")' in _EVENT_OPTIONS
    assert "s.textContent = text.slice(start, end)" in _EVENT_OPTIONS
    assert "createTextNode(text.slice(at" in _EVENT_OPTIONS
    assert "innerHTML" not in _EVENT_OPTIONS and "insertAdjacentHTML" not in _EVENT_OPTIONS
    css = basemap._CSS
    for kind in ("place", "date", "actor"):
        assert f".geo-m-{kind} {{" in css
