"""The curated control timeline: it loads, its ids and dates are sound, the well-known
dates are right, each place's control sequence adds up, and bad input is reported with
file, line and field (so a broken edit is caught before it reaches a map)."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from geo.control.curated import (
    REQUIRED_COLUMNS,
    curated_holder,
    date_interval,
    load_curated_timeline,
    load_curated_timeline_checked,
    read_control_changes,
    sequence_problems,
)
from geo.core import paths
from geo.core.errors import InputError
from geo.core.records import Origin, ReviewStatus

TIMELINE = paths.DATA_DIR / "control_timeline.csv"


def _known_forces() -> set[str]:
    with paths.FORCES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["force_id"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def changes():
    return read_control_changes(TIMELINE)


@pytest.fixture(scope="module")
def events():
    return load_curated_timeline()


def test_loads_at_least_120_curated_confirmed_events(events):
    assert len(events) >= 120
    assert {e.origin for e in events} == {Origin.CURATED.value}
    assert {e.review_status for e in events} == {ReviewStatus.CONFIRMED.value}
    assert all(e.confidence == 0.9 and e.geo_precision == 1 for e in events)
    assert len({e.event_id for e in events}) == len(events)


def test_the_record_names_the_towns_between_the_big_cities():
    """The timeline covers 250+ distinct places (district centres and anchors of Anbar,
    Salahuddin, Nineveh, Kirkuk, Diyala, Raqqa, Deir ez-Zor, Hasakah, Aleppo, Homs...),
    every one in Iraq or Syria, so territory between the big cities follows a known town."""
    changes = read_control_changes(include_held=True)
    places = {c.place for c in changes}
    assert len(places) >= 250
    held = [c for c in changes if c.status == "held"]
    assert {c.country for c in held} == {"IQ", "SY"} and len(held) >= 50


def test_every_force_id_is_known(changes):
    known = _known_forces()
    used = {c.force_to for c in changes} | {c.force_from for c in changes}
    used |= {f for c in changes for f in c.force_with}
    assert used <= known, used - known


def test_dates_are_2013_to_2019_and_intervals_contain_them(changes, events):
    assert all(2013 <= c.date.year <= 2019 for c in changes)
    assert all(e.date_min <= e.event_date <= e.date_max for e in events)


def test_every_row_has_a_citation(changes):
    for c in changes:
        assert c.citation_publication and c.citation_title, c.row_id
        assert c.citation_date or c.citation_publication == "Wikipedia", c.row_id


def _find(changes, place: str, day: str):
    hits = [c for c in changes if c.place == place and c.date == date.fromisoformat(day)]
    assert len(hits) == 1, f"{place} {day}: {hits}"
    return hits[0]


@pytest.mark.parametrize("place, day, force_to, status", [
    ("Ramadi", "2015-12-28", "ISF", "captured"),
    ("Ramadi", "2015-05-17", "IS", "captured"),
    ("Mosul", "2014-06-10", "IS", "captured"),
    ("Mosul", "2017-07-10", "ISF", "captured"),
    ("Raqqa", "2017-10-17", "SDF", "captured"),
    ("Palmyra", "2015-05-20", "IS", "captured"),
    ("Palmyra", "2016-03-27", "SYR", "captured"),
    ("Palmyra", "2016-12-11", "IS", "captured"),
    ("Palmyra", "2017-03-02", "SYR", "captured"),
    ("Fallujah", "2016-06-26", "ISF", "captured"),
    ("Kobani", "2015-01-26", "SDF", "captured"),
    ("Tikrit", "2014-06-11", "IS", "captured"),
    ("Kirkuk", "2017-10-16", "ISF", "captured"),
    ("Afrin", "2018-03-18", "FSA", "captured"),
    ("Baghuz", "2019-03-23", "SDF", "captured"),
])
def test_well_known_dates(changes, place, day, force_to, status):
    change = _find(changes, place, day)
    assert (change.force_to, change.status, change.time_precision) == (force_to, status, 1)


def test_spot_check_event_mapping(events):
    ramadi = next(e for e in events if e.location == "Ramadi"
                  and e.event_date == date(2015, 12, 28))
    assert ramadi.sub_event_type == "Government regains territory"
    assert (ramadi.actor1, ramadi.actor2) == ("Iraqi Security Forces", "Islamic State")
    assert (ramadi.actor1_force, ramadi.actor2_force, ramadi.control_to) == ("ISF", "IS", "ISF")
    raqqa = next(e for e in events if e.location == "Raqqa"
                 and e.event_date == date(2017, 10, 17))
    assert raqqa.sub_event_type == "Non-state actor overtakes territory"
    kirkuk = next(e for e in events if e.location == "Kirkuk"
                  and e.event_date == date(2017, 10, 16))
    assert kirkuk.sub_event_type == "Non-violent transfer of territory"
    kobani_siege = next(e for e in events if e.location == "Kobani"
                        and e.event_date == date(2014, 9, 16))
    assert kobani_siege.sub_event_type == "Armed clash" and kobani_siege.control_to == ""


def test_control_sequence_is_consistent_per_place(changes):
    assert sequence_problems(changes) == []


def test_sequence_problems_reports_a_broken_chain(changes):
    # Without the March 2016 recapture, the December 2016 loss starts from the wrong holder.
    broken = [c for c in changes if c.place == "Palmyra" and c.date != date(2016, 3, 27)]
    problems = sequence_problems(broken)
    assert len(problems) == 1
    assert problems[0].startswith("Palmyra:") and "held by IS" in problems[0]


def test_sequence_problems_reports_a_coarse_row_that_would_replay_after_a_finer_one(
        changes):
    """A month-precision loss ("October 2014") and a recapture on 25 October: control
    replays by interval end, so the month row would undo the recapture; the check names
    both rows."""
    import dataclasses
    base = [c for c in changes if c.place == "Zumar"]
    loss = next(c for c in base if c.row_id == "CT042")
    coarse = dataclasses.replace(loss, date=date(2014, 10, 1), time_precision=3)
    problems = sequence_problems([coarse if c is loss else c for c in base])
    assert any("CT042" in p and "CT047" in p and "precision" in p for p in problems)
    assert sequence_problems(base) == []


def test_date_interval_by_precision():
    assert date_interval(date(2014, 10, 1), 3) == (date(2014, 10, 1), date(2014, 10, 31))
    assert date_interval(date(2016, 2, 1), 3) == (date(2016, 2, 1), date(2016, 2, 29))
    assert date_interval(date(2015, 1, 1), 4) == (date(2015, 1, 1), date(2015, 12, 31))
    assert date_interval(date(2015, 6, 10), 2) == (date(2015, 6, 7), date(2015, 6, 13))
    assert date_interval(date(2015, 6, 10), 1) == (date(2015, 6, 10), date(2015, 6, 10))


# --- validation errors -------------------------------------------------------------

GOOD_ROW = {
    "row_id": "CT001", "date": "2015-12-28", "time_precision": "1", "place": "Ramadi",
    "latitude": "33.4258", "longitude": "43.2992", "country": "IQ", "admin1": "Anbar",
    "force_to": "ISF", "force_from": "IS", "status": "captured",
    "citation_publication": "Reuters", "citation_date": "2015-12-28",
    "citation_title": "Iraqi forces raise flag above government complex in Ramadi",
    "citation_url": "", "notes": "",
}


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "timeline.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(GOOD_ROW))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_good_minimal_file_loads(tmp_path):
    events = load_curated_timeline(_write(tmp_path, [GOOD_ROW]))
    assert len(events) == 1 and events[0].event_date == date(2015, 12, 28)


@pytest.mark.parametrize("field, value, message", [
    ("date", "2015-13-28", "not a YYYY-MM-DD date"),
    ("date", "28/12/2015", "not a YYYY-MM-DD date"),
    ("date", "2021-01-01", "outside 2013-2019"),
    ("time_precision", "5", "is not 1 (day)"),
    ("force_to", "XYZ", "unknown force id 'XYZ'"),
    ("force_to", "IS", "the same force"),
    ("latitude", "43.30", "outside 29.0..42.0"),
    ("longitude", "33.43", "outside 34.0..49.0"),
    ("latitude", "north", "not a number"),
    ("status", "retaken", "is not one of"),
    ("country", "TR", "is not IQ or SY"),
    ("citation_title", "", "is empty"),
    ("citation_date", "", "only Wikipedia citations may omit the date"),
])
def test_validation_errors_name_file_line_and_field(tmp_path, field, value, message):
    path = _write(tmp_path, [GOOD_ROW, {**GOOD_ROW, "row_id": "CT002", field: value}])
    with pytest.raises(InputError) as caught:
        read_control_changes(path)
    error = caught.value
    assert (error.source, error.line, error.field) == (str(path), 3, field)
    assert message in error.message
    assert str(path) in str(error) and "line 3" in str(error)


def test_month_precision_needs_first_of_month(tmp_path):
    path = _write(tmp_path, [{**GOOD_ROW, "time_precision": "3"}])
    with pytest.raises(InputError, match="first day of the month") as caught:
        read_control_changes(path)
    assert caught.value.field == "date"


def test_duplicate_row_ids_are_rejected(tmp_path):
    path = _write(tmp_path, [GOOD_ROW, {**GOOD_ROW, "date": "2015-05-17"}])
    with pytest.raises(InputError, match="duplicate row id 'CT001'") as caught:
        read_control_changes(path)
    assert (caught.value.line, caught.value.field) == (3, "row_id")


def test_missing_column_is_reported(tmp_path):
    path = tmp_path / "timeline.csv"
    path.write_text("row_id,date\nCT001,2015-12-28\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column") as caught:
        read_control_changes(path)
    assert caught.value.line == 1 and "force_to" in caught.value.message


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_control_changes(tmp_path / "nope.csv")


def test_required_columns_are_in_the_bundled_header():
    with TIMELINE.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert set(REQUIRED_COLUMNS) <= set(header)
    assert len(header) == len(set(header))


def test_bad_rows_are_left_out_and_named_the_rest_loads(tmp_path):
    """The map's lenient reader: an unknown force, a date out of range and a point outside
    the theatre each leave out their row with a message naming row id, line and field;
    the good rows still load and the file is not touched."""
    rows = [GOOD_ROW, {**GOOD_ROW, "row_id": "CT002", "force_to": "XYZ"},
            {**GOOD_ROW, "row_id": "CT003", "date": "2021-01-01"},
            {**GOOD_ROW, "row_id": "CT004", "latitude": "51.5"},
            {**GOOD_ROW, "row_id": "CT005", "date": "2015-05-17", "force_to": "IS",
             "force_from": "ISF"}]
    path = _write(tmp_path, rows)
    before = path.read_bytes()
    events, problems = load_curated_timeline_checked(path)
    assert [e.event_id for e in events] == ["curated-CT001", "curated-CT005"]
    assert len(problems) == 3
    for row_id, line, field in (("CT002", 3, "force_to"), ("CT003", 4, "date"),
                                ("CT004", 5, "latitude")):
        (text,) = [p for p in problems if f"row {row_id} " in p]
        assert f"line {line}" in text and field in text
    assert path.read_bytes() == before


def test_curated_holder_answers_by_name_or_spelling():
    """Who held a town on a day per the curated timeline alone: any spelling, None when
    the timeline does not know the town (extraction fills a capture's loser from it)."""
    assert curated_holder("Ramadi", date(2015, 6, 1)) == "IS"
    assert curated_holder("Ar-Ramadi", date(2016, 1, 15)) == "ISF"
    assert curated_holder("Mosul", date(2014, 6, 9)) == "ISF"
    assert curated_holder("Mosul", date(2014, 6, 11)) == "IS"
    assert curated_holder("Ramadi", date(2015, 6, 1), lat=36.0, lon=39.0) is None
    assert curated_holder("Nowhere-on-the-map", date(2015, 6, 1)) is None


def test_held_rows_name_no_force_from_and_stay_out_of_the_changes(tmp_path):
    """A held row records a fact, not a change: force_from stays empty (a value is an
    error naming the field), and ``read_control_changes`` leaves it out unless asked."""
    held = {**GOOD_ROW, "row_id": "CT002", "status": "held", "force_from": "",
            "date": "2014-06-25", "place": "Baghdad", "latitude": "33.34",
            "longitude": "44.40", "admin1": "Baghdad"}
    path = _write(tmp_path, [GOOD_ROW, held])
    assert [c.row_id for c in read_control_changes(path)] == ["CT001"]
    assert [c.row_id for c in read_control_changes(path, include_held=True)] == ["CT001",
                                                                                 "CT002"]
    events = load_curated_timeline(path)
    assert events[1].sub_event_type == "Other" and events[1].control_to == "ISF"
    bad = _write(tmp_path, [{**held, "force_from": "IS"}])
    with pytest.raises(InputError) as caught:
        read_control_changes(bad)
    assert caught.value.field == "force_from"


def test_curated_places_carry_gazetteer_ids_and_lie_near_them():
    """Rows name their gazetteer place (``place_id``) so extracted reports of the town
    join it; the row's point lies within 5 km of that place."""
    from geo.core.theatre import haversine_km
    from geo.geocode.gazetteer import Gazetteer

    changes = read_control_changes(include_held=True)
    with_id = [c for c in changes if c.place_id]
    assert len(with_id) >= 0.9 * len(changes)
    by_id = {p.place_id: p for p in Gazetteer.load().places}
    for change in with_id:
        place = by_id[change.place_id]
        assert haversine_km(change.latitude, change.longitude, place.latitude,
                            place.longitude) <= 5.0, change.row_id


def test_no_two_curated_captures_of_a_place_contradict_each_other_at_one_moment(changes):
    """Every control map lists two checked captures of one place by different forces
    whose intervals overlap as a problem; the curated timeline itself must have none
    (Ain Issa, lost 6 July 2015 and held again by 8 July, is two changes, not a
    conflict). The check names both rows when a row's precision makes them overlap."""
    import dataclasses

    from geo.control.curated import load_curated_timeline
    from geo.control.timeline import build_histories

    _histories, problems = build_histories(load_curated_timeline())
    assert [p for p in problems if "conflicting" in p] == []
    ain_issa = [c for c in changes if c.place == "Ain Issa"]
    assert sequence_problems(ain_issa) == []
    weekly = [dataclasses.replace(c, time_precision=2) if c.row_id == "CT063" else c
              for c in ain_issa]
    [problem] = sequence_problems(weekly)
    assert "CT062" in problem and "CT063" in problem and "overlap" in problem
