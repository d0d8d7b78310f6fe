"""The Map page's view rules without Streamlit: URL parsing (table-driven), URL writing,
day steps, playback and the date-window slice that must equal the store's SQL."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo.maps.events_layer import LoadedEvents
from geo.maps.view import (
    DEFAULT_STATUS,
    DateSpan,
    MapView,
    default_view,
    frame_day_bounds,
    parse_view,
    play_next,
    step_day,
    view_params,
    window_mask,
)
from geo.store import EventFilter, open_store
from tests.factories import sample_events

SPAN = DateSpan(date(2016, 6, 1), date(2016, 7, 31))
FORCES = ["IS", "ISF", "SDF"]
DEFAULT = default_view(SPAN)


@pytest.mark.parametrize("params, expected", [
    ({}, DEFAULT),
    ({"date": "2016-06-19"}, MapView(date(2016, 6, 19))),
    ({"date": " 2016-06-19 ", "window": "DAY"}, MapView(date(2016, 6, 19), "day")),
    ({"window": "last", "n": "7"}, MapView(SPAN.last, "last", 7)),
    ({"forces": "SDF, IS,SDF"}, MapView(SPAN.last, forces=("SDF", "IS"))),
    ({"forces": "is"}, MapView(SPAN.last, forces=("IS",))),
    ({"types": "Battles,Explosions/Remote violence"},
     MapView(SPAN.last, event_types=("Battles", "Explosions/Remote violence"))),
    ({"status": "rejected"}, MapView(SPAN.last, review_status=("rejected",))),
    ({"text": "  Mosul "}, MapView(SPAN.last, text="Mosul")),
    ({"center": "36.3,43.1", "zoom": "8"}, MapView(SPAN.last, center=(36.3, 43.1), zoom=8)),
    ({"unrelated": "x", "forces": ""}, DEFAULT),
])
def test_good_params_parse_without_problems(params: dict, expected: MapView) -> None:
    parsed = parse_view(params, SPAN, FORCES)
    assert parsed.problems == []
    assert parsed.view == expected


@pytest.mark.parametrize("params, named, expected", [
    ({"date": "yesterday"}, "date", DEFAULT),
    ({"date": "2016-02-30"}, "date", DEFAULT),
    ({"date": "2030-01-01"}, "date", DEFAULT),                       # clamped to the end
    ({"date": "1990-01-01"}, "date", MapView(SPAN.first)),           # clamped to the start
    ({"window": "week"}, "window", DEFAULT),
    ({"window": "last", "n": "0"}, "n", MapView(SPAN.last, "last")),
    ({"n": "4000"}, "n", DEFAULT),
    ({"n": "7.5"}, "n", DEFAULT),
    ({"forces": "ZZ,IS"}, "forces", MapView(SPAN.last, forces=("IS",))),
    ({"types": "Picnic"}, "types", DEFAULT),
    ({"status": "gone"}, "status", DEFAULT),                         # never "no status"
    ({"text": "a" * 300}, "text", MapView(SPAN.last, text="a" * 200)),
    ({"center": "36.3"}, "center", DEFAULT),
    ({"center": "nan,nan"}, "center", DEFAULT),
    ({"center": "36,200"}, "center", DEFAULT),
    ({"zoom": "20"}, "zoom", DEFAULT),
    ({"zoom": "x", "date": "2016-06-19"}, "zoom", MapView(date(2016, 6, 19))),
])
def test_malformed_params_fall_back_naming_the_parameter(params: dict, named: str,
                                                         expected: MapView) -> None:
    parsed = parse_view(params, SPAN, FORCES)
    assert len(parsed.problems) == 1 and f"'{named}" in parsed.problems[0], parsed.problems
    assert parsed.view == expected


@pytest.mark.parametrize("view", [
    DEFAULT, MapView(date(2016, 6, 2), "day"), MapView(date(2016, 7, 1), "last", 14),
    MapView(SPAN.last, forces=("IS", "SDF"), event_types=("Battles",),
            review_status=("machine", "rejected"), text="Raqqa", center=(36.3, 43.1), zoom=9),
])
def test_view_round_trips_through_url_params(view: MapView) -> None:
    parsed = parse_view(view_params(view, SPAN), SPAN, FORCES)
    assert parsed.problems == [] and parsed.view == view


def test_default_view_has_a_short_link_and_hides_rejected() -> None:
    assert view_params(DEFAULT, SPAN) == {}
    assert DEFAULT.review_status == DEFAULT_STATUS and "rejected" not in DEFAULT_STATUS
    assert DEFAULT.to_filter() == EventFilter(date_to=SPAN.last)


@pytest.mark.parametrize("view, date_from, date_to", [
    (MapView(date(2016, 6, 19), "day"), date(2016, 6, 19), date(2016, 6, 19)),
    (MapView(date(2016, 6, 19), "last", 7), date(2016, 6, 13), date(2016, 6, 19)),
    (MapView(date(2016, 6, 19), "last", 1), date(2016, 6, 19), date(2016, 6, 19)),
    (MapView(date(2016, 6, 19), "upto"), None, date(2016, 6, 19)),
])
def test_window_bounds(view: MapView, date_from: date | None, date_to: date) -> None:
    assert (view.date_from, view.date_to) == (date_from, date_to)
    assert view.to_filter().include_undated is False


@pytest.mark.parametrize("day, step, expected", [
    (date(2016, 7, 31), "−month", date(2016, 6, 30)),
    (date(2016, 7, 15), "−month", date(2016, 6, 15)),
    (date(2016, 6, 10), "−month", date(2016, 6, 1)),     # clamped to the span
    (date(2016, 6, 30), "+month", date(2016, 7, 30)),
    (date(2016, 7, 20), "+month", date(2016, 7, 31)),
    (date(2016, 6, 10), "−week", date(2016, 6, 3)),
    (date(2016, 6, 10), "+week", date(2016, 6, 17)),
    (date(2016, 6, 1), "−day", date(2016, 6, 1)),
    (date(2016, 6, 30), "+day", date(2016, 7, 1)),
])
def test_step_day(day: date, step: str, expected: date) -> None:
    assert step_day(day, step, SPAN) == expected


def test_month_step_across_years_and_leap_day() -> None:
    span = DateSpan(date(2014, 1, 1), date(2017, 12, 31))
    assert step_day(date(2016, 1, 31), "+month", span) == date(2016, 2, 29)
    assert step_day(date(2016, 1, 15), "−month", span) == date(2015, 12, 15)


def test_play_stops_at_the_end() -> None:
    assert play_next(date(2016, 7, 29), "+day", SPAN) == (date(2016, 7, 30), True)
    assert play_next(date(2016, 7, 30), "+day", SPAN) == (date(2016, 7, 31), False)
    assert play_next(date(2016, 7, 20), "+month", SPAN) == (date(2016, 7, 31), False)


def test_window_mask_handles_open_ends_and_undated() -> None:
    d = lambda s: np.datetime64(s, "D")   # noqa: E731
    nat = np.datetime64("NaT", "D")
    lo = np.array([d("2016-06-01"), nat, d("2016-06-10"), nat], dtype="datetime64[D]")
    hi = np.array([d("2016-06-30"), d("2016-06-05"), nat, nat], dtype="datetime64[D]")
    assert window_mask(lo, hi, date(2016, 6, 7), date(2016, 6, 8)).tolist() == \
        [True, False, False, False]
    assert window_mask(lo, hi, None, date(2016, 6, 10)).tolist() == [True, True, True, False]


@pytest.mark.parametrize("window", ["day", "last", "upto"])
def test_sliced_frame_equals_the_store_query(tmp_path, window: str) -> None:
    """The page loads once per non-date filter and slices by day: it must show exactly what
    a query with the window would."""
    with open_store(f"sqlite:///{tmp_path / 'e.sqlite'}") as store:
        store.add_events(sample_events(600, seed=3))
        base = MapView(date(2016, 1, 1), window, 10).base_filter()
        loaded = LoadedEvents.from_frame(store.query_events(base))
        for day in pd.date_range("2015-01-01", "2016-12-31", freq="37D").date:
            view = MapView(day, window, 10)
            flt = view.to_filter()
            _, count = loaded.window(flt.date_from, flt.date_to)
            assert count == len(store.query_events(flt)), (window, day)


def test_frame_day_bounds_falls_back_to_the_event_date() -> None:
    frame = pd.DataFrame({"event_date": pd.to_datetime(["2016-06-19", None]),
                          "date_min": pd.to_datetime([None, None]),
                          "date_max": pd.to_datetime([None, None])})
    lo, hi = frame_day_bounds(frame)
    assert str(lo[0]) == str(hi[0]) == "2016-06-19" and np.isnat(lo[1])
