"""EventFilter: its words, its SQL, and what it selects from a real store."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest

from geo.core.errors import InputError
from geo.store import open_store, schema
from geo.store.frame import FRAME_COLUMNS
from geo.store.query import EventFilter, build_where
from tests.factories import make_article, make_event

D = date

DESCRIBE = [
    (EventFilter(), None, "events at any date"),
    (EventFilter(), 1, "1 event at any date"),
    (EventFilter(), 1234, "1,234 events at any date"),
    (EventFilter(date_from=D(2016, 5, 1), date_to=D(2016, 6, 30), forces=("SDF", "IS")), 312,
     "312 events from 2016-05-01 to 2016-06-30, forces: SDF, IS"),
    (EventFilter(date_from=D(2016, 5, 1), date_to=D(2016, 5, 1)), 0, "0 events on 2016-05-01"),
    (EventFilter(date_from=D(2016, 5, 1)), 2, "2 events from 2016-05-01"),
    (EventFilter(date_to=D(2016, 5, 1)), 2, "2 events up to 2016-05-01"),
    (EventFilter(event_types=("Battles",), sub_event_types=("Armed clash",)), None,
     "events at any date, types: Battles, sub-types: Armed clash"),
    (EventFilter(bbox=(42.0, 35.0, 44.5, 37.0)), None,
     "events at any date, within 35.00..37.00°N, 42.00..44.50°E"),
    (EventFilter(review_status=("rejected",)), None, "events at any date, review: rejected"),
    (EventFilter(review_status=()), None, "events at any date, review: any"),
    (EventFilter(text="mosul", origins=("imported",), include_undated=True), None,
     'events at any date, matching "mosul", origin: imported, undated included'),
]


@pytest.mark.parametrize("flt, count, expected", DESCRIBE)
def test_describe(flt: EventFilter, count: int | None, expected: str) -> None:
    assert flt.describe(count) == expected


DATED = "span_lo IS NOT NULL"
STATUS = "review_status IN (?, ?, ?)"
DEFAULT_STATUS = ["machine", "confirmed", "corrected"]

BUILD_WHERE = [
    ("default", EventFilter(), f"{DATED} AND {STATUS}", DEFAULT_STATUS),
    ("date window overlaps the interval",
     EventFilter(date_from=D(2016, 1, 1), date_to=D(2016, 1, 31)),
     f"span_hi >= ? AND span_lo <= ? AND {STATUS}",
     ["2016-01-01", "2016-01-31", *DEFAULT_STATUS]),
    ("undated included", EventFilter(date_from=D(2016, 1, 1), include_undated=True,
                                      review_status=()),
     "(span_lo IS NULL OR (span_hi >= ?))", ["2016-01-01"]),
    ("forces: actor1, actor2 or new holder", EventFilter(forces=("SDF", "IS"), review_status=()),
     f"{DATED} AND (actor1_force IN (?, ?) OR actor2_force IN (?, ?) OR control_to IN (?, ?))",
     ["SDF", "IS"] * 3),
    ("types and sub-types", EventFilter(event_types=("Battles",),
                                        sub_event_types=("Armed clash",), review_status=()),
     f"{DATED} AND event_type IN (?) AND sub_event_type IN (?)", ["Battles", "Armed clash"]),
    ("bbox", EventFilter(bbox=(42, 35, 44.5, 37), review_status=()),
     f"{DATED} AND longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?",
     [42.0, 44.5, 35.0, 37.0]),
    ("text, escaped and casefolded", EventFilter(text=" Tal_Afar 100% ", review_status=()),
     f"{DATED} AND search_text LIKE ? ESCAPE '\\'", ["%tal\\_afar 100\\%%"]),
    ("origins", EventFilter(origins=("imported", "manual"), review_status=("rejected",)),
     f"{DATED} AND review_status IN (?) AND origin IN (?, ?)",
     ["rejected", "imported", "manual"]),
    ("no restriction at all", EventFilter(include_undated=True, review_status=()), "1=1", []),
]


@pytest.mark.parametrize("label, flt, sql, params", BUILD_WHERE, ids=[r[0] for r in BUILD_WHERE])
def test_build_where(label: str, flt: EventFilter, sql: str, params: list) -> None:
    assert build_where(flt) == (sql, params)


BRANCHES = ("{s}span_hi >= ? AND span_hi <= ? AND span_lo <= ? OR "
            "{s}span_hi = ? AND span_lo <= ? OR {s}span_lo = ? AND span_hi >= ?")

#: ``build_where(flt, max_span_days=n)``: same events as the plain form (the store test
#: ``test_window_bound_by_longest_interval`` checks that on both backends), each branch a
#: bounded index range; the bound needs both window ends.
BUILD_WHERE_BOUNDED = [
    ("window bounded by the longest interval",
     EventFilter(date_from=D(2016, 10, 1), date_to=D(2016, 10, 31)), 30,
     "(" + BRANCHES.format(s=STATUS + " AND ") + ")",
     [*DEFAULT_STATUS, "2016-10-01", "2016-11-30", "2016-10-31",
      *DEFAULT_STATUS, "9999-12-31", "2016-10-31",
      *DEFAULT_STATUS, "0001-01-01", "2016-10-01"]),
    ("bounded, undated included, any status, other filters after",
     EventFilter(date_from=D(2016, 10, 1), date_to=D(2016, 10, 1), include_undated=True,
                 review_status=(), event_types=("Battles",)), 0,
     "(" + BRANCHES.format(s="") + " OR span_lo IS NULL) AND event_type IN (?)",
     ["2016-10-01", "2016-10-01", "2016-10-01", "9999-12-31", "2016-10-01",
      "0001-01-01", "2016-10-01", "Battles"]),
    ("no bound without an end date", EventFilter(date_from=D(2016, 1, 1)), 30,
     f"span_hi >= ? AND {STATUS}", ["2016-01-01", *DEFAULT_STATUS]),
    ("no bound past 9999-12-31",
     EventFilter(date_from=D(2016, 1, 1), date_to=D(2016, 1, 31)), 3_000_000,
     f"span_hi >= ? AND span_lo <= ? AND {STATUS}",
     ["2016-01-01", "2016-01-31", *DEFAULT_STATUS]),
]


@pytest.mark.parametrize("label, flt, bound, sql, params", BUILD_WHERE_BOUNDED,
                         ids=[r[0] for r in BUILD_WHERE_BOUNDED])
def test_build_where_bounded(label: str, flt: EventFilter, bound: int, sql: str,
                             params: list) -> None:
    assert build_where(flt, max_span_days=bound) == (sql, params)


@pytest.mark.parametrize("date_min, date_max, event_date, expected", [
    (D(2016, 6, 1), D(2016, 6, 30), D(2016, 6, 1), ("2016-06-01", "2016-06-30")),
    (None, D(2016, 6, 30), None, ("0001-01-01", "2016-06-30")),      # "before July 2016"
    (D(2016, 6, 1), None, None, ("2016-06-01", "9999-12-31")),
    (None, None, D(2016, 6, 1), ("2016-06-01", "2016-06-01")),
    (None, None, None, (None, None)),                                 # undated
])
def test_span(date_min, date_max, event_date, expected) -> None:
    assert schema.span(date_min, date_max, event_date) == expected


def test_build_where_placeholder_for_postgres() -> None:
    sql, params = build_where(EventFilter(forces=("IS",)), placeholder="%s")
    assert "?" not in sql and sql.count("%s") == len(params)


@pytest.mark.parametrize("flt, field", [
    (EventFilter(date_from=D(2016, 2, 1), date_to=D(2016, 1, 1)), "date_from"),
    (EventFilter(bbox=(44, 35, 42, 37)), "bbox"),
])
def test_build_where_refuses(flt: EventFilter, field: str) -> None:
    with pytest.raises(InputError) as info:
        build_where(flt)
    assert info.value.field == field


# -- against a real store -------------------------------------------------------------------
EVENTS = {
    # name: overrides of make_event (default: ISF retakes Fallujah 2016-06-19)
    "fallujah": {},
    "mosul_month": {"town": "Mosul", "event_date": D(2016, 11, 1), "date_min": D(2016, 11, 1),
                    "date_max": D(2016, 11, 30), "time_precision": 3,
                    "actor1_force": "ISF", "actor2_force": "IS", "control_to": "PESH"},
    "raqqa_strike": {"town": "Raqqa", "event_date": D(2017, 6, 6), "event_type":
                     "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
                     "actor1_force": "US", "actor2_force": "IS", "control_to": "",
                     "notes": "Coalition strike near the Qalaat Jabar"},
    "manbij_sdf": {"town": "Manbij", "event_date": D(2016, 8, 12), "actor1_force": "SDF",
                   "actor1": "Syrian Democratic Forces", "control_to": "SDF",
                   "origin": "imported"},
    "rejected": {"town": "Tikrit", "event_date": D(2015, 3, 31), "review_status": "rejected"},
    "undated": {"town": "Hit", "event_date": None, "time_precision": 9},
    "before_2015": {"town": "Sinjar", "event_date": None, "date_max": D(2014, 12, 31),
                    "time_precision": 4},
    "no_coordinates": {"town": "Ramadi", "event_date": D(2015, 12, 28), "latitude": None,
                       "longitude": None},
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "events.sqlite"
    with open_store(str(path)) as s:
        s.add_events([make_event(event_id=name, **overrides)
                      for name, overrides in EVENTS.items()])
        yield s


QUERIES = [
    ("default: dated, located, not rejected", EventFilter(),
     {"fallujah", "mosul_month", "raqqa_strike", "manbij_sdf", "before_2015"}),
    ("window inside a month-long interval", EventFilter(date_from=D(2016, 11, 10),
                                                        date_to=D(2016, 11, 12)), {"mosul_month"}),
    ("single day", EventFilter(date_from=D(2016, 6, 19), date_to=D(2016, 6, 19)), {"fallujah"}),
    ("open end", EventFilter(date_from=D(2016, 11, 30)), {"mosul_month", "raqqa_strike"}),
    ("open start", EventFilter(date_to=D(2016, 6, 19)), {"fallujah", "before_2015"}),
    ("open-ended interval overlaps", EventFilter(date_from=D(2014, 12, 1),
                                                 date_to=D(2014, 12, 2)), {"before_2015"}),
    ("undated included", EventFilter(date_from=D(2017, 1, 1), include_undated=True),
     {"raqqa_strike", "undated"}),
    ("force as actor2", EventFilter(forces=("IS",)),
     {"fallujah", "mosul_month", "raqqa_strike", "manbij_sdf", "before_2015"}),
    ("force as new holder only", EventFilter(forces=("PESH",)), {"mosul_month"}),
    ("type", EventFilter(event_types=("Explosions/Remote violence",)), {"raqqa_strike"}),
    ("sub-type", EventFilter(sub_event_types=("Government regains territory",)),
     {"fallujah", "mosul_month", "manbij_sdf", "before_2015"}),
    ("bbox over Syria", EventFilter(bbox=(35.5, 32.0, 41.0, 37.5)),
     {"raqqa_strike", "manbij_sdf"}),
    ("text in notes, any case", EventFilter(text="QALAAT"), {"raqqa_strike"}),
    ("text in location", EventFilter(text="fallu"), {"fallujah"}),
    ("text is a substring, not a word", EventFilter(text="jar"), {"before_2015"}),
    ("text in actor1", EventFilter(text="democratic"), {"manbij_sdf"}),
    ("text with wildcard characters", EventFilter(text="%"), set()),
    ("rejected only", EventFilter(review_status=("rejected",)), {"rejected"}),
    ("origin", EventFilter(origins=("imported",)), {"manbij_sdf"}),
    ("nothing", EventFilter(date_from=D(2020, 1, 1)), set()),
]


@pytest.mark.parametrize("label, flt, expected", QUERIES, ids=[q[0] for q in QUERIES])
def test_query_filters(store, label: str, flt: EventFilter, expected: set) -> None:
    assert set(store.query_events(flt)["event_id"]) == expected


def test_query_frame_shape(store) -> None:
    frame = store.query_events(EventFilter(date_from=D(2015, 1, 1)))
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [*FRAME_COLUMNS, "geometry"]
    row = frame.set_index("event_id").loc["raqqa_strike"]
    assert (row.geometry.x, row.geometry.y) == (row.longitude, row.latitude)
    assert row.n_sources == 0 and row.evidence_sentence.startswith("Iraqi forces retook Raqqa")
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert list(frame["event_id"]) == sorted(frame["event_id"], key=lambda e: (
        frame.set_index("event_id").loc[e, "date_min"], e))
    assert frame.attrs["n_without_coordinates"] == 1         # Ramadi, counted not drawn
    assert frame.attrs["description"] == "4 events from 2015-01-01"
    assert list(frame["event_id"])[0] == "fallujah"


def test_empty_result_has_same_columns_dtypes_and_crs(store) -> None:
    full = store.query_events()
    empty = store.query_events(EventFilter(date_from=D(2020, 1, 1)))
    assert len(empty) == 0 and isinstance(empty, gpd.GeoDataFrame)
    assert list(empty.columns) == list(full.columns)
    assert empty.crs == full.crs
    assert dict(empty.dtypes.astype(str)) == dict(full.dtypes.astype(str))


def test_query_sees_sources(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "s.sqlite")) as s:
        a, b = make_article(), make_article()
        s.ingest(a, [make_event()])
        s.ingest(b, [make_event()])
        row = s.query_events().iloc[0]
        assert (row.n_sources, row.article_ids) == (2, f"{a.article_id},{b.article_id}")
