"""The deduplication rule and the merge, as tables (no database)."""
from __future__ import annotations

from datetime import date

import pytest

from geo.core import dedup
from geo.core.records import TimePrecision
from tests.factories import make_event

D = date


@pytest.mark.parametrize("event_type, sub_event_type, expected", [
    ("Battles", "Government regains territory", "capture"),
    ("Battles", "Non-state actor overtakes territory", "capture"),
    ("Strategic developments", "Non-violent transfer of territory", "capture"),
    ("Battles", "Armed clash", "fight"),
    ("Explosions/Remote violence", "Air/drone strike", "strike"),
    ("Explosions/Remote violence", "Suicide bomb", "strike"),
    ("Violence against civilians", "Attack", "civilians"),
    ("Strategic developments", "Headquarters or base established", "strategic"),
    ("Protests", "Peaceful protest", "unrest"),
    ("Riots", "Mob violence", "unrest"),
])
def test_event_class(event_type: str, sub_event_type: str, expected: str) -> None:
    assert dedup.event_class(event_type, sub_event_type) == expected


@pytest.mark.parametrize("a, b, expected", [
    ((D(2016, 6, 1), D(2016, 6, 30)), (D(2016, 6, 30), D(2016, 7, 5)), True),   # touch
    ((D(2016, 6, 1), D(2016, 6, 30)), (D(2016, 7, 1), D(2016, 7, 5)), False),
    ((D(2016, 6, 10), D(2016, 6, 10)), (D(2016, 6, 1), D(2016, 6, 30)), True),  # inside
    ((None, D(2016, 6, 10)), (D(2016, 6, 1), D(2016, 6, 30)), True),            # open start
    ((D(2016, 7, 1), None), (D(2016, 6, 1), D(2016, 6, 30)), False),            # open end
    ((None, None), (D(2016, 6, 1), D(2016, 6, 30)), True),
])
def test_intervals_overlap(a: tuple, b: tuple, expected: bool) -> None:
    assert dedup.intervals_overlap(*a, *b) is expected
    assert dedup.intervals_overlap(*b, *a) is expected


# Each row: changes to a copy of the base event (Fallujah, ISF retakes, 2016-06-19) and
# whether it still matches the base.
MATCH_TABLE = [
    ("identical", {}, True),
    ("same capture coded as a transfer", {"event_type": "Strategic developments",
                                          "sub_event_type": "Non-violent transfer of territory"},
     True),
    ("capture vs armed clash", {"sub_event_type": "Armed clash"}, False),
    ("strike", {"event_type": "Explosions/Remote violence",
                "sub_event_type": "Air/drone strike"}, False),
    ("other place id, 1 km away", {"place_id": "test:bridge", "latitude": 33.359}, True),
    ("other place id, 20 km away", {"place_id": "test:other", "latitude": 33.53}, False),
    ("same place id, coordinates far (region centroid)", {"latitude": 34.0}, True),
    ("no place id, 3 km away", {"place_id": "", "latitude": 33.377}, True),
    ("week interval containing the day",
     {"event_date": None, "date_min": D(2016, 6, 15), "date_max": D(2016, 6, 21)}, True),
    ("next day", {"event_date": D(2016, 6, 20)}, False),
    ("month before",
     {"event_date": None, "date_min": D(2016, 5, 1), "date_max": D(2016, 5, 31)}, False),
    ("undated vs dated", {"event_date": None, "date_min": None, "date_max": None},
     False),
    ("other actor1 force", {"actor1_force": "PMF"}, False),
    ("actor1 force unknown in one report", {"actor1_force": ""}, True),
    ("other actor2 force does not matter", {"actor2_force": "US"}, True),
]


@pytest.mark.parametrize("label, changes, expected", MATCH_TABLE,
                         ids=[r[0] for r in MATCH_TABLE])
def test_events_match(label: str, changes: dict, expected: bool) -> None:
    base = make_event()
    other = make_event(**changes)
    assert dedup.events_match(base, other) is expected
    assert dedup.events_match(other, base) is expected


_AIR = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
_SHELLING = {"event_type": "Explosions/Remote violence",
             "sub_event_type": "Shelling/artillery/missile attack"}
_BOMBING = {"event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED"}
_CHEMICAL = {"event_type": "Explosions/Remote violence", "sub_event_type": "Chemical weapon"}


@pytest.mark.parametrize("a, b, expected", [
    (_AIR, _AIR, True),
    (_SHELLING, _SHELLING, True),
    # jets and artillery striking one town on one day: two events (ACLED, the gold)
    (_AIR, _SHELLING, False),
    # "the bombing" or a chemical attack does not say how it came: it joins either
    (_AIR, _BOMBING, True),
    (_SHELLING, _BOMBING, True),
    (_AIR, _CHEMICAL, True),
], ids=["air+air", "shelling+shelling", "air+shelling", "air+bombing", "shelling+bombing",
        "air+chemical"])
def test_strikes_by_other_means_are_other_events(a: dict, b: dict, expected: bool) -> None:
    one, other = make_event(**a), make_event(**b)
    assert dedup.events_match(one, other) is expected
    assert dedup.events_match(other, one) is expected
    assert dedup.event_class(one.event_type, one.sub_event_type) == \
        dedup.event_class(other.event_type, other.sub_event_type) == "strike"


@pytest.mark.parametrize("a, b, expected", [
    ({}, {}, True),                                                       # both undated
    ({"place_id": "", "latitude": None, "longitude": None, "location": "Zakiyah"},
     {"place_id": "", "latitude": None, "longitude": None, "location": "zakiyah "}, True),
    ({"place_id": "", "latitude": None, "longitude": None, "location": "Zakiyah"},
     {"place_id": "", "latitude": None, "longitude": None, "location": "Hit"}, False),
])
def test_undated_and_unlocated(a: dict, b: dict, expected: bool) -> None:
    undated = {"event_date": None, "date_min": None, "date_max": None,
               "time_precision": TimePrecision.UNDATED}
    assert dedup.events_match(make_event(**undated, **a), make_event(**undated, **b)) is expected


@pytest.mark.parametrize("stored, incoming, expected", [
    # (date_min, date_max, precision) of stored and incoming -> merged
    ((D(2016, 6, 1), D(2016, 6, 30), 3), (D(2016, 6, 13), D(2016, 6, 19), 2),
     (D(2016, 6, 13), D(2016, 6, 19), 2)),
    ((D(2016, 6, 13), D(2016, 6, 19), 2), (D(2016, 6, 19), D(2016, 6, 19), 1),
     (D(2016, 6, 19), D(2016, 6, 19), 1)),
    ((D(2016, 6, 1), D(2016, 6, 30), 3), (D(2016, 6, 20), D(2016, 7, 20), 3),
     (D(2016, 6, 20), D(2016, 6, 30), 3)),
])
def test_merge_narrows_dates(stored: tuple, incoming: tuple, expected: tuple) -> None:
    a = make_event(event_date=stored[0], date_min=stored[0], date_max=stored[1],
                   time_precision=stored[2], confidence=0.5)
    b = make_event(event_date=incoming[0], date_min=incoming[0], date_max=incoming[1],
                   time_precision=incoming[2], confidence=0.5)
    merged = dedup.merge_into(a, b)
    assert (merged.date_min, merged.date_max, merged.time_precision) == expected
    assert merged.date_min <= merged.event_date <= merged.date_max
    assert merged.event_id == a.event_id
    assert merged.confidence == 0.75


def test_merge_keeps_analyst_dates_and_fills_blanks() -> None:
    a = make_event(date_min=D(2016, 6, 1), date_max=D(2016, 6, 30), event_date=D(2016, 6, 1),
                   control_to="", confidence=0.9)
    b = make_event(event_date=D(2016, 6, 19), control_to="ISF", confidence=0.9)
    merged = dedup.merge_into(a, b, keep_dates=True)
    assert (merged.date_min, merged.date_max) == (D(2016, 6, 1), D(2016, 6, 30))
    assert merged.control_to == "ISF"
    assert merged.confidence == dedup.MAX_MERGED_CONFIDENCE
