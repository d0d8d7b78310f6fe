"""What the browser scrubs: the published event columns and details, the control series,
the basemap labels, the time range, and the report the map sends back. No browser: the
rules the plugin applies are checked against the store's own (same window rule)."""
from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.control.curated import load_curated_timeline
from geo.core.forces import default_forces
from geo.maps.control_states import control_states, places_on
from geo.maps.dashboard_map import view_from_browser
from geo.maps.events_layer import event_properties
from geo.maps.labels import basemap_labels, display_name, locality_zoom
from geo.maps.scrub import (
    FLAG_CAPTURE,
    FLAG_COARSE_DATE,
    FLAG_REGION,
    allowed_day,
    day_number,
    event_details,
    publish,
    publish_events,
    read_served,
    scrub_events,
    time_range,
)
from geo.store import EventFilter, open_store
from tests.conftest import MapDatabase

FORCES = [f.force_id for f in default_forces()]


@pytest.fixture
def frame(map_database: MapDatabase):
    with open_store(map_database.url) as store:
        return store.query_events(EventFilter())


def test_columns_carry_each_located_dated_event(frame, map_database: MapDatabase) -> None:
    events = scrub_events(frame, FORCES)
    cols = events.columns
    assert len(cols["lon"]) == map_database.n_events
    ids = [d[0] for d in events.details]                 # details carry the ids, in order
    by_id = dict(zip(ids, range(len(ids))))
    row = frame.set_index("event_id")
    palmyra = by_id[row.index[row["location"] == "Palmyra"][0]]
    # Month precision: the interval June 2016, faded; a capture for SYR.
    assert (cols["lo"][palmyra], cols["hi"][palmyra]) == (
        day_number(date(2016, 6, 1)), day_number(date(2016, 6, 30)))
    assert cols["flags"][palmyra] & FLAG_COARSE_DATE
    kobani = by_id[row.index[row["location"] == "Kobani"][0]]
    assert cols["flags"][kobani] & FLAG_REGION
    fallujah = by_id[row.index[row["location"] == "Fallujah"][0]]
    assert cols["flags"][fallujah] & FLAG_CAPTURE
    assert cols["forces"][cols["force"][fallujah]] == "ISF"
    assert cols["types"][cols["type"][fallujah]] == "Battles"
    json.dumps(cols, allow_nan=False)


@pytest.mark.parametrize("date_from, date_to", [
    (None, date(2016, 7, 31)), (None, date(2016, 6, 18)), (date(2016, 6, 1), date(2016, 6, 1)),
    (date(2016, 6, 13), date(2016, 6, 19)), (date(2016, 7, 1), date(2016, 7, 31)),
    (None, date(2016, 5, 31)), (date(2016, 6, 20), date(2016, 6, 20)),
])
def test_the_browser_rule_counts_what_the_store_queries(map_database: MapDatabase, frame,
                                                        date_from, date_to) -> None:
    """The window rule the page and the plugin apply to the columns equals the SQL."""
    published = publish_events(frame, FORCES)
    with open_store(map_database.url) as store:
        queried = store.query_events(EventFilter(date_from=date_from, date_to=date_to))
    assert published.count(date_from, date_to) == len(queried)
    lo, hi = (scrub_events(frame, FORCES).columns[k] for k in ("lo", "hi"))
    f = day_number(date_from) if date_from else float("-inf")
    t = day_number(date_to)
    in_browser = sum(1 for a, b in zip(lo, hi) if not ((b if b is not None else 1e9) < f
                                                       or (a if a is not None else -1e9) > t))
    assert in_browser == len(queried)


def test_details_match_the_popup_of_the_server_side_layer(frame) -> None:
    """Vectorised details equal the per-row popup properties they replace."""
    keys = ("event_id", "date", "type", "actors", "force", "location", "place",
            "fatalities", "sentence", "mentions", "link", "review")
    expected = [[event_properties(r)[k] for k in keys] for r in frame.to_dict("records")]
    assert event_details(frame) == expected


def test_publish_is_content_addressed_and_prunes(tmp_path: Path) -> None:
    first = publish({"a": 1}, "x", tmp_path)
    assert publish({"a": 1}, "x", tmp_path) == first
    assert first.endswith(".json.gz")
    assert json.loads(gzip.decompress(Path(first).read_bytes())) == {"a": 1}
    assert read_served(first) == {"a": 1}
    for i in range(110):
        publish({"n": i}, "y", tmp_path)
    assert len(list(tmp_path.glob("*.json.gz"))) <= 97
    assert not list(tmp_path.glob(".tmp-*"))


@pytest.mark.parametrize("sizes, keep, keep_bytes, newest, kept", [
    # sizes of the files, newest first -> how many of the newest are kept
    ([10] * 5, 3, 1000, 1, 3),            # the count limit alone
    ([10] * 5, 10, 25, 1, 2),             # the byte limit alone: 10 + 10 fit in 25
    ([100, 100, 10], 10, 50, 2, 2),       # the newest two stay even over the byte limit
    ([10, 100, 10], 10, 50, 1, 1),        # a big file past the limit goes, and all older
    ([10] * 4, 10, 1000, 1, 4),           # under both limits: nothing removed
])
def test_prune_keeps_the_newest_within_count_and_bytes(
        tmp_path: Path, sizes: list[int], keep: int, keep_bytes: int, newest: int,
        kept: int) -> None:
    """The served data folder is bounded in files and in bytes (control files with their
    desert are megabytes each), oldest first, never touching the newest files (a page
    may be fetching one) nor the gazetteer's labels."""
    import os

    from geo.maps.scrub import prune_served_files

    paths = []
    for age, size in enumerate(sizes):                        # age 0 = newest
        path = tmp_path / f"control-{age}.json"
        path.write_bytes(b"x" * size)
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
        paths.append(path)
    labels = tmp_path / "labels-abc.json"
    labels.write_bytes(b"y" * 10_000)
    os.utime(labels, (1, 1))
    prune_served_files(tmp_path, keep=keep, keep_bytes=keep_bytes, newest=newest)
    assert [p.exists() for p in paths] == [i < kept for i in range(len(sizes))]
    assert labels.exists()


def test_time_range_covers_events_and_the_curated_period() -> None:
    theatre = (date(2013, 1, 1), date(2019, 12, 31))
    today = date(2026, 1, 1)
    assert time_range(None, theatre, today) == time_range(None, theatre, today)
    empty = time_range(None, theatre, today)
    assert (empty.first, empty.last) == theatre            # an empty store: the timeline
    wide = time_range((date(2011, 3, 1), date(2021, 5, 1)), theatre, today)
    assert (wide.first, wide.last) == (date(2011, 3, 1), date(2021, 5, 1))
    # A mistyped 1900 edit no longer stretches the slider: 1990..today at most.
    typo = time_range((date(1900, 1, 1), date(2030, 1, 1)), theatre, today)
    assert (typo.first, typo.last) == (date(1990, 1, 1), today)
    assert wide.widened(date(2022, 1, 1)).last == date(2022, 1, 1)


@pytest.mark.parametrize("day, refused", [
    (date(1989, 12, 31), "before 1990-01-01"), (date(1990, 1, 1), None),
    (date(2026, 1, 2), "in the future"), (date(2026, 1, 1), None)])
def test_allowed_days(day: date, refused: str | None) -> None:
    why = allowed_day(day, today=date(2026, 1, 1))
    assert (why is None) if refused is None else (refused in why)


GOOD = {"seq": 3, "day": "2016-06-19", "window": "last", "n": 7, "zoom": 9,
        "center": [33.3, 43.7], "bounds": [[32.0, 42.0], [34.5, 45.0]]}


@pytest.mark.parametrize("value, ok", [
    (GOOD, True), ({**GOOD, "zoom": None, "center": None, "bounds": None}, True),
    (None, False), ({}, False), ("2016-06-19", False), ({**GOOD, "day": "2016-02-30"}, False),
    ({**GOOD, "window": "week"}, False), ({**GOOD, "n": 0}, False),
    ({**GOOD, "seq": "x"}, False), ({**GOOD, "bounds": [[1]]}, False),
])
def test_reports_from_the_browser_are_checked(value: object, ok: bool) -> None:
    view = view_from_browser(value)
    assert (view is not None) == ok
    if view is not None and value is GOOD:
        assert (view.day, view.window, view.n_days, view.zoom) == (date(2016, 6, 19), "last", 7, 9)
        assert view.bounds == ((32.0, 42.0), (34.5, 45.0))


def test_a_zoom_outside_the_map_is_dropped_not_fatal() -> None:
    view = view_from_browser({**GOOD, "zoom": 40})
    assert view is not None and view.zoom is None


# -- basemap labels ---------------------------------------------------------------------------

@pytest.mark.parametrize("importance, zoom, kind", [
    (0.9, 5, "city"), (0.555, 9, "town"), (0.3, 10, "town"), (0.1, 12, "village"),
    (0.0, 12, "village")])
def test_label_zoom_by_importance(importance: float, zoom: int, kind: str) -> None:
    assert locality_zoom(importance) == (zoom, kind)


def test_towns_analysts_name_are_labelled_by_zoom_10_and_villages_by_12() -> None:
    labels = basemap_labels()["labels"]
    by_name: dict[str, list] = {}
    for lon, lat, name, zoom, kind in labels:
        by_name.setdefault(name, []).append((zoom, kind, lat, lon))
    hit = [z for z, k, lat, lon in by_name["Hit"] if 33 < lat < 34 and 42 < lon < 43.5]
    assert hit and min(hit) <= 10                   # Hit, Anbar (not Hit in Syria)
    assert all(z <= 12 for _, _, _, z, _ in labels)
    kinds = {k for *_, k in labels}
    assert kinds == {"city", "town", "village", "province", "district"}
    assert len(labels) > 20_000
    # Drawing priority: cities first, villages last.
    assert labels[0][4] == "city" and labels[-1][4] == "village"


@pytest.mark.parametrize("name, names, shown", [
    ("Hīt", "Hīt|Hit|Hít", "Hit"), ("Ḩadīthah", "Ḩadīthah|Haditha", "Ḩadīthah"),
    ("Mosul", "Mosul|Mawsil", "Mosul")])
def test_label_names_drop_marks_only_for_a_listed_spelling(name: str, names: str,
                                                           shown: str) -> None:
    assert display_name(name, names) == shown


# -- control series -------------------------------------------------------------------------

def test_control_series_replays_the_curated_timeline() -> None:
    series = control_states([], curated=True)
    assert series["schema"] == "geo.control.series/1"
    assert series["dates"] == sorted(series["dates"]) and len(series["states"]) == len(
        series["dates"])
    on = {p["name"]: p for p in places_on(series, date(2015, 6, 1)).values()}
    assert (on["Ramadi"]["status"], on["Ramadi"]["force"]) == ("held", "IS")
    later = {p["name"]: p for p in places_on(series, date(2016, 3, 1)).values()}
    assert later["Ramadi"]["force"] == "ISF"
    assert ["IS", "ISF"] in series["hostile"] or ["ISF", "IS"] in series["hostile"]
    epoch = series["epochs"][0]
    assert epoch["catchments"] and epoch["borders"]
    keys = {str(i) for i in range(len(series["places"]))}
    assert set(epoch["catchments"]) <= keys
    json.dumps(series, allow_nan=False)


def test_control_series_without_curated_is_the_store_alone(map_database: MapDatabase) -> None:
    from geo.control.sources import control_events
    with open_store(map_database.url) as store:
        captures = control_events(None, store, curated=False)
    series = control_states(captures, curated=False)
    names = {p["name"] for p in series["places"]}
    # Rule 10's presumptions (seats, cities no report names) are in every series; past
    # them, every place is one the store's events name, none a curated row's.
    presumed = {p["name"] for p in control_states([], curated=False)["places"]}
    assert "Fallujah" in names and "Ramadi" in presumed
    assert names - presumed <= {"Fallujah", "Kobani", "Mosul", "Palmyra", "Raqqa", "Tikrit"}
    assert len(load_curated_timeline()) > len(series["places"])
    on = places_on(series, date(2016, 6, 19) + timedelta(days=1))
    assert any(p["name"] == "Fallujah" and p["force"] == "ISF" for p in on.values())



def test_popup_basis_and_sources_are_the_exports_on_every_day_asked() -> None:
    """What the dashboard's popup says beside a place's state (its basis and sources,
    the document's ``bases``) is what ``geo export --control D`` writes in its
    ``basis`` and ``sources`` columns for that place and day; and only a place a report
    disputes, or held on a holding stated in passing, offers the review link."""
    from geo.control.history import build_series, control_map
    from geo.core.links import place_review_link
    from geo.exports.control_gis import PLACES, control_frames
    from geo.maps.control_states import INFERRED_NOTE, browser_document
    from tests.factories import make_event

    lone = make_event(event_id="lone-is-report", event_date=date(2016, 9, 1),
                      actor1_force="IS", actor2_force="ISF", control_to="IS",
                      sub_event_type="Non-state actor overtakes territory")
    series = build_series([make_event(), lone])
    document = browser_document(series)
    json.dumps(document, allow_nan=False)
    for day in (date(2015, 6, 1), date(2016, 6, 22), date(2016, 9, 10)):
        state: dict[str, list] = {}
        for entry in document["states"]:
            if date.fromisoformat(entry["date"]) > day:
                break
            state.update(entry["changes"])
        gis = control_frames(control_map(day, [make_event(), lone]), default_forces())[PLACES]
        exported = {r["place_key"]: (r["basis"], r["sources"]) for _, r in gis.iterrows()}
        # a holder no report shows taking the place: the popup's words are the export's
        # (``geo.control.wording``), with no since the rules reached back to
        since = {r["place_key"]: r["since"] for _, r in gis.iterrows()}
        for p, s in state.items():
            if s is not None and isinstance(s[6], list):
                key = document["places"][int(p)]["key"]
                assert " ".join(filter(None, [s[6][0], f"({s[6][1]})"])) == since[key]
        shown = {document["places"][int(p)]["key"]: tuple(document["bases"][s[7]][:2])
                 for p, s in state.items() if s is not None}
        assert set(shown) == set(exported), day
        inferred = {r["place_key"] for _, r in gis.iterrows() if r["inferred"]}
        for key, (basis, sources) in shown.items():
            note = INFERRED_NOTE if key in inferred and exported[key][0] else ""
            assert basis == exported[key][0] + note, (day, key)
            # a holder inferred back from a later report (rule 7): the popup names that
            # report, which the export lists only once it has begun
            assert sources == exported[key][1] or (
                key in inferred and exported[key][1] == "none"), (day, key)
    fallujah = next(p for p in document["places"] if p["name"] == "Fallujah")
    # the link awaits the day the popup shows (the Events page opens that day's claims)
    assert fallujah["review"] + "2016-09-10" == place_review_link(fallujah["key"],
                                                                  date(2016, 9, 10))
    assert fallujah["review"] == "/?review_place=" + fallujah["key"].replace(":", "%3A") + \
        "&review_date="
    assert sum("review" in p for p in document["places"]) == 1


def test_a_holder_on_a_holding_stated_in_passing_offers_its_review() -> None:
    """A town no report speaks for, held only as an article says in passing: its popup
    says the basis ("stated in passing"), names the article, and offers the review
    (the machine read it; no analyst has checked it). Confirmed, it weighs as the
    analyst's and no longer asks for review."""
    from dataclasses import replace

    from geo.control.claims import stated_event
    from geo.control.history import build_series
    from geo.core.records import Holding
    from geo.maps.control_states import browser_document

    holding = Holding("test:qasr", "Qasr al-Test", 34.9, 40.1, "IS", date(2015, 3, 1),
                      date(2015, 3, 1), "Families fled the IS-held village of Qasr al-Test.",
                      country="SY", source="Test Wire", holding_id="stated:qasr")
    for status, review in (("machine", True), ("confirmed", False)):
        held = replace(holding, review_status=status)
        document = browser_document(build_series([stated_event(held)], curated=False))
        [index] = [i for i, p in enumerate(document["places"]) if p["key"] == "test:qasr"]
        # its first state: held, reaching back from the statement (rule 7; two years
        # after it, the machine's reading goes stale: rule 8)
        on = next(e["changes"][str(index)] for e in document["states"]
                  if e["changes"].get(str(index)))
        basis, sources, flag = document["bases"][on[7]]
        assert on[1] == "IS"
        assert ("review" in document["places"][index], bool(flag)) == (review, review)
        assert basis.startswith("stated in passing" if review else "analyst-confirmed")
        assert "1 article" in sources

def test_browser_document_carries_the_exports_desert_at_every_change_point() -> None:
    """The desert blocks the page draws, replayed to a change point, are the land of the
    export's "desert" features that day, force by force (every 8th change point of the
    curated timeline, IS's 2015 desert included); blocks never overlap."""
    from geo.control.history import control_series
    from geo.control.territory import project
    from geo.maps.control_states import browser_document

    series = control_series([], curated=True)
    document = browser_document(series)
    desert = document["desert"]
    assert len(desert["changes"]) == len(document["dates"])
    blocks = [shapely.make_valid(shapely.geometry.shape(g)) for g in desert["blocks"]]

    def km2(geom: BaseGeometry) -> float:
        return float(shapely.area(shapely.transform(
            geom, lambda xy: project(xy[:, 0], xy[:, 1])))) / 1e6

    holder: dict[int, str | None] = {}
    checked = 0
    for i, changes in enumerate(desert["changes"]):
        holder.update({int(b): f for b, f in changes.items()})
        if i % 8:
            continue
        territory = series.territory_at(i)
        drawn = {f for f in holder.values() if f}
        assert drawn == set(territory.desert), document["dates"][i]
        for force, want in territory.desert.items():
            mine = [b for b, f in holder.items() if f == force]
            listed = sum(desert["km2"][b] for b in mine)
            got = shapely.union_all([blocks[b] for b in mine])
            size = km2(want)
            assert abs(listed - size) <= 0.002 * size + 0.1, (document["dates"][i], force)
            assert km2(shapely.symmetric_difference(got, shapely.make_valid(want))) <= \
                0.002 * size + 0.5, (document["dates"][i], force)
            checked += 1
    assert checked > 50
    on = date(2015, 6, 30)
    is_2015 = series.territory_on(on).desert.get("IS")
    assert is_2015 is not None and km2(is_2015) > 5000
    assert sum(desert["km2"]) == pytest.approx(km2(shapely.union_all(blocks)), rel=0.002)
