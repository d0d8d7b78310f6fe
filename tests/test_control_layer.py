"""The control layer on the map: history of a place, the folium layer, the Map page.

Fixtures are tiny and built in code (real towns, so the country mask and 40 km reach
behave as on real data); the bundled curated timeline is used where its facts are known.
"""
from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

from geo.control import control_geojson
from geo.control.history import control_map, evidence_fingerprint, place_history, with_histories
from geo.core.forces import default_forces
from geo.core.links import place_review_link
from geo.core.records import Event
from geo.maps.control_layer import (
    AREA_OPACITY,
    FRONT_WEIGHT,
    UNKNOWN_COLOUR,
    control_caption,
    control_feature_group,
    holder_line,
    place_popup_html,
    place_style,
)
from geo.store import open_store
from tests.conftest import PROJECT_DIR, run_app, st_folium_args
from tests.factories import SEAT_FORCES, make_article, make_event, presumed

APP = str(PROJECT_DIR / "app.py")
HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
TOWNS = {"Ramadi": (33.4258, 43.2992), "Fallujah": (33.3500, 43.7800),
         "Hit": (33.6417, 42.8250)}


def claim(town: str, force: str, day: date, *, old: str = "IS", until: date | None = None,
          origin: str = "extracted", notes: str = "", event_id: str = "",
          **overrides: object) -> Event:
    """A capture of ``town`` by ``force`` (interval ``day``..``until``)."""
    lat, lon = TOWNS[town]
    values: dict[str, object] = dict(
        event_date=day, event_type="Battles", sub_event_type="Government regains territory",
        location=town, latitude=lat, longitude=lon, country="IQ", place_id=f"t:{town}",
        actor1_force=force, actor2_force=old, control_to=force, date_min=day,
        date_max=until or day, notes=notes, source="Test Wire", origin=origin,
        event_id=event_id or f"{town}-{force}-{day}")
    values.update(overrides)
    return Event(**values)  # type: ignore[arg-type]


def fixture_events() -> list[Event]:
    """IS holds Ramadi and Hit, ISF holds Fallujah (hostile neighbours: a front); a
    curated row with markup in its citation, and a rejected report that must not count."""
    return [
        claim("Ramadi", "IS", date(2015, 5, 17), old="ISF", origin="curated",
              event_id="curated-T1", review_status="confirmed",
              notes=f"Ramadi falls {HOSTILE} (Wire, 2015-05-17); status: captured; {HOSTILE}"),
        claim("Hit", "IS", date(2014, 10, 13), old="ISF", notes=HOSTILE),
        claim("Fallujah", "ISF", date(2015, 1, 1), event_id="F-old"),
        claim("Ramadi", "ISF", date(2015, 6, 1), event_id="R-rejected",
              review_status="rejected"),
    ]


DAY = date(2015, 6, 1)


@pytest.fixture(scope="module")
def collection() -> dict:
    events = fixture_events()
    return with_histories(control_geojson(DAY, events), events)


def _layer_script(group: folium.FeatureGroup) -> str:
    fmap = folium.Map()
    group.add_to(fmap)
    return fmap.get_root().render()


def _places(coll: dict) -> dict[str, dict]:
    return {f["properties"]["name"]: f["properties"] for f in coll["features"]
            if f["properties"]["kind"] == "place"}


# --- history -------------------------------------------------------------------------

def test_place_history_lists_claims_in_date_order() -> None:
    events = [claim("Ramadi", "ISF", date(2015, 12, 28), old="IS", event_id="c"),
              claim("Ramadi", "IS", date(2015, 5, 1), old="ISF", until=date(2015, 5, 31),
                    event_id="b"),
              claim("Ramadi", "IS", date(2014, 1, 1), old="ISF", event_id="a",
                    notes="[partial] parts of the city"),
              claim("Fallujah", "ISF", date(2016, 6, 26), event_id="other-place"),
              claim("Ramadi", "ISF", date(2015, 6, 1), event_id="rejected",
                    review_status="rejected")]
    history = place_history(events, "t:Ramadi")
    assert [h["event_id"] for h in history] == ["a", "b", "c"]
    assert [h["kind"] for h in history] == ["partial capture (fighting inside)", "capture",
                                            "capture"]
    assert history[1]["date"] == "May 2015"       # told by the month, not a bare day
    assert history[2]["force_to_name"] == default_forces().display("ISF")
    assert history[2]["link"] == "/?event_id=c"
    # ``until`` hides claims that had not begun by the map's day.
    assert [h["event_id"] for h in place_history(events, "t:Ramadi",
                                                 until=date(2015, 5, 15))] == ["a", "b"]


def test_curated_claims_say_curated_and_carry_their_citation(collection: dict) -> None:
    ramadi = _places(collection)["Ramadi"]
    assert ramadi["sources"] == ["curated"]
    (row,) = ramadi["history"]             # the rejected report does not count
    assert row["source"] == "curated" and row["link"] == ""
    assert row["citation"].startswith("Ramadi falls <script>")
    assert row["note"] == HOSTILE


def test_fingerprint_changes_with_a_correction_not_with_order() -> None:
    events = fixture_events()
    assert evidence_fingerprint(events) == evidence_fingerprint(list(reversed(events)))
    corrected = events[:2] + [claim("Fallujah", "IS", date(2015, 1, 1), event_id="F-old")]
    assert evidence_fingerprint(corrected) != evidence_fingerprint(events[:3])


# --- the folium layer ----------------------------------------------------------------

def test_layer_has_force_coloured_areas_a_front_and_places(collection: dict) -> None:
    forces = default_forces()
    script = _layer_script(control_feature_group(collection))
    layers = {}
    for line in script.splitlines():
        if "L.geoJSON(" in line:
            name = line.split("=")[0].replace("var", "").strip()
            payload = line.split("L.geoJSON(", 1)[1].rsplit(", {", 1)[0]
            layers[name.rsplit("_", 1)[0]] = json.loads(payload)
    assert set(layers) == {"control_areas", "control_fronts", "control_places"}
    areas = {f["properties"]["force"]: f["properties"] for f in layers["control_areas"]["features"]}
    assert set(areas) == {"IS", "ISF"} | SEAT_FORCES
    for force, props in areas.items():
        assert props["style"]["fillColor"] == forces.colour(force)
        assert props["style"]["fillOpacity"] == AREA_OPACITY
    assert [p["name"] for p in areas["IS"]["places"]] == ["Hit", "Ramadi"]
    fronts = layers["control_fronts"]["features"]
    assert fronts and all(f["properties"]["style"]["weight"] == FRONT_WEIGHT for f in fronts)
    assert {frozenset((f["properties"]["force_a"], f["properties"]["force_b"]))
            for f in fronts} == {frozenset(("IS", "ISF"))}
    places = {f["properties"]["name"]: f["properties"] for f in layers["control_places"]["features"]}
    assert places["Fallujah"]["style"]["fillColor"] == forces.colour("ISF")
    assert "Front line: " in fronts[0]["properties"]["tooltip"]


def test_popups_escape_article_and_citation_text(collection: dict) -> None:
    ramadi = _places(collection)["Ramadi"]
    popup = place_popup_html(ramadi)
    assert "<script>" not in popup and "<img" not in popup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;img" in popup
    assert "[curated]" in popup and "Status:</b> held" in popup and "2015-05-17" in popup
    script = _layer_script(control_feature_group(collection))
    # In the page script the markup exists only escaped twice (HTML entities inside JSON
    # with <, > and & as \u escapes): it can neither close the script nor become a tag.
    assert "<script>alert" not in script and "<img" not in script
    assert "\\u0026lt;script\\u0026gt;" in script


def test_place_styles_by_status() -> None:
    forces = default_forces()
    contested = place_style({"status": "contested", "forces": ["IS", "ISF"]})
    assert contested["fillColor"] == forces.colour("IS")
    assert contested["color"] == forces.colour("ISF") and contested["dashArray"]
    besieged = place_style({"status": "besieged", "force": "SYR", "forces": ["SYR", "IS"]})
    assert besieged["fillColor"] == forces.colour("SYR")
    assert besieged["color"] == forces.colour("IS") and besieged["weight"] >= 4
    unknown = place_style({"status": "unknown", "forces": []})
    assert unknown["color"] == UNKNOWN_COLOUR and unknown["fillOpacity"] == 0
    stale = place_style({"status": "unknown", "forces": [], "last_force": "IS",
                         "last_reported": "2014-01-04"})
    assert stale["color"] == default_forces().colour("IS") and stale["fillOpacity"] == 0
    assert stale["opacity"] < 1 and stale.get("dashArray")
    popup = place_popup_html({"status": "unknown", "forces": [], "force": "", "name": "Hit",
                              "last_force": "IS", "last_reported": "2014-01-04",
                              "since": "2016-01-05", "history": []})
    assert "last reported held by Islamic State on 2014-01-04; no report since" in popup


def test_bundled_curated_timeline_has_ramadi_held_by_is_on_2015_06_01() -> None:
    coll = control_map(date(2015, 6, 1), [], curated=True)
    ramadi = _places(coll)["Ramadi"]
    assert (ramadi["status"], ramadi["force"]) == ("held", "IS")
    assert ramadi["history"][-1]["source"] == "curated"
    assert place_style(ramadi)["fillColor"] == default_forces().colour("IS")
    bare = _places(control_map(date(2015, 6, 1), [], curated=False))
    assert all(presumed(p) for p in bare.values())      # the seats only (rule 10)


# --- the Map page (AppTest records st_folium's arguments) -----------------------------

@pytest.fixture
def control_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store whose last day is 2015-06-01 (the day the tests look at): one reported capture
    of Tikrit by ISF, and an unrelated clash that opens the span."""
    url = f"sqlite:///{tmp_path / 'control.sqlite'}"
    with open_store(url) as store:
        for event in (make_event(town="Mosul", event_date=date(2015, 5, 1),
                                 sub_event_type="Armed clash", control_to="",
                                 actor1_force="IS", actor2_force="ISF"),
                      make_event(town="Tikrit", event_date=date(2015, 6, 1),
                                 actor1_force="ISF", control_to="ISF")):
            store.ingest(make_article(), [event])
    monkeypatch.setenv("GEO_DATABASE_URL", url)
    monkeypatch.delenv("GEO_ONLINE_TILES", raising=False)
    return url


#: Control is worked out in a worker process; on a fresh clone it first builds the
#: locality mesh (~20 s alone, more on a loaded machine), cached in var/cache after.
CONTROL_WAIT_S = 240
_run = run_app


def _map_payload(at: AppTest) -> dict:
    """The GeoScrub.load(...) payload, rerunning until control (worked out in the
    background) has joined it, unless control is switched off."""
    import re
    import time
    deadline = time.monotonic() + CONTROL_WAIT_S   # a fresh clone builds the mesh first
    while True:
        script = st_folium_args(at)["feature_group"]
        payload = json.loads(re.search(r"GeoScrub\.load\((\{.*?\})\);", script, re.S).group(1))
        if payload["control_url"] or not at.checkbox(key="map_show_control").value \
                or time.monotonic() > deadline:
            return payload
        time.sleep(0.2)
        _run(at)


def _drawn_places(at: AppTest, day: date) -> dict[str, dict]:
    """Place name -> state on ``day`` of the control series the page sent to the map."""
    from geo.maps.control_states import places_on
    from geo.maps.scrub import read_served
    url = _map_payload(at)["control_url"]
    if not url:
        return {}
    series = read_served(url)
    return {p["name"]: p for p in places_on(series, day).values()}


def test_map_page_draws_control_and_the_switches_work(control_db: str) -> None:
    day = date(2015, 6, 1)
    at = _run(AppTest.from_file(APP, default_timeout=60))
    places = _drawn_places(at, day)
    assert (places["Ramadi"]["status"], places["Ramadi"]["force"]) == ("held", "IS")
    assert places["Tikrit"]["force"] == "ISF"
    assert any(e.label.startswith("How control is worked out") for e in at.expander)
    assert _map_payload(at)["events_url"]           # the events are still drawn

    at.checkbox(key="map_control_curated").uncheck()
    _run(at)
    places = _drawn_places(at, day)
    # The curated IS holding is gone; at most the presumption of rule 10 remains.
    assert places.get("Ramadi", {}).get("force") != "IS" and "Tikrit" in places

    at.checkbox(key="map_show_control").uncheck()
    _run(at)
    assert _map_payload(at)["control_url"] is None and _map_payload(at)["events_url"]
    assert not any(e.label.startswith("How control is worked out") for e in at.expander)


def test_control_caption_counts_places_and_curated_only() -> None:
    def place(sources: list[str]) -> dict:
        return {"properties": {"kind": "place", "sources": sources}}

    collection = {"features": [place(["curated"]), place(["extracted", "curated"]),
                               place(["extracted"]), {"properties": {"kind": "area"}}]}
    day = date(2016, 6, 1)
    assert control_caption(collection, day, curated=True) == (
        "Control on 2016-06-01: 3 places, 1 known only from the curated timeline. "
        "Click a place or an area for its history.")
    assert control_caption(collection, day, curated=False).startswith(
        "Control on 2016-06-01: 3 places. Click")
    assert control_caption({"features": []}, day, curated=True).startswith(
        "Control on 2016-06-01: 0 places, 0 known")


def test_popup_says_who_since_when_on_which_sources_and_disputed() -> None:
    """Fallujah held by IS on the curated record, and one machine report that ISF took it:
    the popup says IS, since the curated capture, on the curated citation, disputed by
    that report (which the history marks); the map is not repainted."""
    events = [claim("Fallujah", "IS", date(2014, 1, 4), old="ISF", origin="curated",
                    event_id="curated-F", review_status="confirmed",
                    notes="Sunni fighters seize Falluja (BBC News, 2014-01-04); status: captured"),
              claim("Fallujah", "ISF", date(2015, 3, 1), event_id="misread")]
    coll = with_histories(control_geojson(date(2015, 3, 10), events), events)
    props = _places(coll)["Fallujah"]
    assert (props["force"], props["disputed"]) == ("IS", ["misread"])
    popup = place_popup_html(props)
    assert "<b>Since:</b> 2014-01-04" in popup
    assert "curated: Sunni fighters seize Falluja (BBC News, 2014-01-04)" in popup
    assert "Disputed</b> by 1 weaker report (misread)" in popup
    assert "(disputes the holder)" in popup
    # the review link opens the Events page on the map's day (that day's dispute first)
    day = date(2015, 3, 10)
    assert html.escape(place_review_link(props["place_key"], day)) in \
        place_popup_html(props, day.isoformat())


def test_popup_says_an_inferred_holder_with_no_invented_since() -> None:
    """Rule 7: before the curated capture of 4 January 2014, Fallujah is the ISF's only
    because IS took it from them: the popup (and the GIS exports' since column, the same
    ``holder_line``) says "before" that capture and why, never the start of the record
    the rules reach back to as though a report dated it."""
    events = [claim("Fallujah", "IS", date(2014, 1, 4), old="ISF", origin="curated",
                    event_id="curated-F", review_status="confirmed",
                    notes="Sunni fighters seize Falluja (BBC News, 2014-01-04); status: captured")]
    coll = with_histories(control_geojson(date(2013, 6, 10), events), events)
    props = _places(coll)["Fallujah"]
    assert (props["force"], props["inferred"]) == ("ISF", True)
    isf, is_ = (default_forces().display(f) for f in ("ISF", "IS"))
    said = (f"before 2014-01-04 (inferred: {is_} took it from {isf} on 2014-01-04; no "
            f"report of {isf} taking it)")
    assert holder_line(props) == said
    popup = place_popup_html(props, "2013-06-10")
    assert f"<b>Held:</b> {html.escape(said)}" in popup and "Since:" not in popup
    assert "2011-01-01" not in popup


def test_popup_says_a_capture_told_by_the_month_as_the_report_did() -> None:
    """ISF "retook Ramadi in December" (2015-12-01..31, weighed from the 31st, rule 3):
    the popup says since December 2015, and its history row the same, as ``geo control
    --place`` does, never the bare 2015-12-31 the rules weigh it from."""
    events = [claim("Ramadi", "ISF", date(2015, 12, 1), until=date(2015, 12, 31),
                    old="IS", event_id="retook")]
    coll = with_histories(control_geojson(date(2016, 2, 1), events), events)
    props = _places(coll)["Ramadi"]
    assert (props["holder_since"], props["holder_from"]) == ("2015-12-31", "2015-12-01")
    popup = place_popup_html(props)
    assert "<b>Since:</b> December 2015" in popup
    assert "December 2015: capture by" in popup and "2015-12-31" not in popup


def test_popup_shows_a_stated_holding_with_its_sentence_and_article() -> None:
    """Rule 9 on the map: a town known only from a holding an article states in passing
    says so in its popup: "held, stated in passing", the weight, the article and the
    sentence (escaped), and no link to an event page (it is no event) but one to review
    the holding on the Events page."""
    from geo.control.claims import stated_event
    from geo.core.records import Holding

    lat, lon = TOWNS["Hit"]
    sentence = f"Families fleeing Islamic State-held Hit {HOSTILE} waited at a checkpoint."
    event = stated_event(Holding(
        place_id="t:Hit", location="Hit", latitude=lat, longitude=lon, force="IS",
        date_min=date(2016, 3, 20), date_max=date(2016, 3, 20), country="IQ",
        sentence=sentence, article_id="a1", source="Test Wire"))
    coll = with_histories(control_geojson(date(2016, 4, 1), [event]), [event])
    props = _places(coll)["Hit"]
    assert props["force"] == "IS"
    popup = place_popup_html(props)
    assert "held, stated in passing by Islamic State" in popup
    assert "[extracted, stated in passing]" in popup and "<i>Test Wire</i>" in popup
    assert html.escape(sentence) in popup and HOSTILE not in popup
    assert "event_id=" not in popup
    assert f"href='/?holding_id={event.event_id}'" in popup


def test_review_queue_lists_the_lone_contradicting_report() -> None:
    """The Events page's queue: the machine report that disputes the curated holder, with
    the place, what it claims and whom it contradicts; curated rows are never listed."""
    from geo.control.history import build_series, disputes_to_review

    misread = claim("Ramadi", "ISF", date(2015, 6, 20), event_id="misread")
    queue = disputes_to_review(build_series([misread], curated=True))
    assert [r["event_id"] for r in queue] == ["misread"]
    row = queue[0]
    assert (row["place"], row["claim_force"], row["holder"]) == ("Ramadi", "ISF", "IS")
    assert row["holder_weight"] == "curated" and row["from"] == "2015-06-20"
