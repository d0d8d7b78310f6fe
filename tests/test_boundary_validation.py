"""Input validated where it enters (issue #15): the dashboard's edit forms (through
``geo.review`` and ``geo.core.validate``), own places, article publication dates, and
outputs that cannot be written. Each case is a reproduction from the issue."""
from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from geo.cli import main
from geo.core.errors import ConfirmationNeeded, InputError
from geo.core.forces import default_forces
from geo.core.theatre import EARLIEST_EVENT_DATE
from geo.core.validate import Allow, check_country, make_custom_place
from geo.exports.gis import kml_document
from geo.read import read_bytes
from geo.review import Correction, correction_changes
from geo.store import open_store
from tests.factories import make_event

TODAY = date(2026, 1, 15)


def _form(event, **changes) -> Correction:
    values = dict(event_date=event.event_date, actor1_force=event.actor1_force,
                  actor2_force=event.actor2_force, event_type=event.event_type,
                  sub_event_type=event.sub_event_type, fatalities=event.fatalities)
    values.update(changes)
    return Correction(**values)


def _changes(event, allow: Allow = Allow(), **form):
    return correction_changes(event, _form(event, **form), default_forces(), allow=allow,
                              today=TODAY)


# -- the event edit form ---------------------------------------------------------------------
def test_a_day_that_does_not_exist_is_refused_not_moved() -> None:
    """Reproduction: 2015-02-30 was saved as 2015-02-28 (the date picker clamped it)."""
    event = make_event()
    with pytest.raises(InputError, match="no such day") as info:
        _changes(event, event_date="2015-02-30")
    assert info.value.field == "event_date"
    assert _changes(event, event_date="2015-02-28") == {"event_date": date(2015, 2, 28)}


@pytest.mark.parametrize("typed", ["1900-01-01", "1989-12-31", "2087-05-01"])
def test_dates_outside_1990_to_today_need_a_confirmation(typed: str) -> None:
    """Reproduction: an event edited to 1900-01-01 was accepted."""
    event = make_event()
    with pytest.raises((ConfirmationNeeded, InputError)) as info:
        _changes(event, event_date=typed)
    assert info.value.field == "event_date"
    if typed < TODAY.isoformat():
        changed = _changes(event, Allow(any_date=True), event_date=typed)
        assert changed["event_date"] == date.fromisoformat(typed)
    assert _changes(event, event_date=EARLIEST_EVENT_DATE.isoformat())["event_date"] == \
        EARLIEST_EVENT_DATE


def test_null_island_is_refused_even_confirmed() -> None:
    """Reproduction: an event edited to 0,0 was accepted."""
    event = make_event()
    for allow in (Allow(), Allow(any_date=True, outside_theatre=True)):
        with pytest.raises(InputError, match="missing coordinate") as info:
            _changes(event, allow, latitude="0", longitude="0")
        assert info.value.field == "latitude"


def test_a_point_outside_the_theatre_needs_a_confirmation() -> None:
    event = make_event()
    with pytest.raises(ConfirmationNeeded, match="swapped") as info:
        _changes(event, latitude="43.78", longitude="33.35")      # swapped Fallujah
    assert info.value.allow == "outside_theatre" and info.value.option == "--outside-theatre"
    assert _changes(event, Allow(outside_theatre=True), latitude="48.85",
                    longitude="2.35") == {"latitude": 48.85, "longitude": 2.35}


@pytest.mark.parametrize("lat, lon, field", [("91", "43", "latitude"),
                                             ("36", "-181", "longitude"),
                                             ("nan", "43", "latitude"),
                                             ("36", "inf", "longitude")])
def test_coordinates_out_of_range_name_the_field(lat: str, lon: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        _changes(make_event(), latitude=lat, longitude=lon)
    assert info.value.field == field


def test_the_store_itself_refuses_null_island(tmp_path: Path) -> None:
    """The store is the last gate: an update to 0,0 from any caller is refused."""
    with open_store(str(tmp_path / "e.sqlite")) as store:
        event = make_event(origin="imported")
        store.import_events([event])
        with pytest.raises(InputError, match="missing coordinate"):
            store.update_event(event.event_id, {"latitude": 0.0, "longitude": 0.0},
                               author="test")
        assert store.get_event(event.event_id).latitude == event.latitude


# -- own places ----------------------------------------------------------------------------
def test_own_place_at_null_island_in_country_zz_is_refused() -> None:
    """Reproduction: a custom place at 0,0 with country "ZZ" was accepted."""
    with pytest.raises(InputError) as info:
        make_custom_place("Nowhere", "0", "0", "ZZ")
    assert info.value.field == "country"
    with pytest.raises(InputError, match="missing coordinate"):
        make_custom_place("Nowhere", "0", "0", "IQ")


def test_own_place_outside_the_theatre_needs_a_confirmation() -> None:
    with pytest.raises(ConfirmationNeeded):
        make_custom_place("Paris depot", "48.85", "2.35", "")
    place = make_custom_place("Paris depot", "48.85", "2.35", "",
                              allow=Allow(outside_theatre=True))
    assert (place.latitude, place.longitude) == (48.85, 2.35)


def test_countries_are_iso_codes_the_tool_knows() -> None:
    assert check_country(" sy ") == "SY" and check_country("KW") == "KW"
    assert check_country("") == ""
    for bad in ("ZZ", "Iraq", "XX", "I"):
        with pytest.raises(InputError, match="not a country"):
            check_country(bad)
    assert check_country("Syrian Arab Republic", names=True) == "Syrian Arab Republic"


# -- publication dates ---------------------------------------------------------------------
UNDATED_WITH_CAPTION = (
    "Iraqi forces push into western Mosul\n\n"
    "Mosul, Iraq - 19 May 2014: smoke rises over the old city (file photo)\n\n"
    "Iraqi forces recaptured Mosul airport last week from Islamic State militants, the "
    "army said. The offensive on western Mosul began in February 2017 and the militants "
    "are now surrounded in the old city.\n")


def test_an_old_photo_caption_date_is_not_the_publication_date() -> None:
    """Reproduction: a 'last week' event of 2017 was stored as 2014 because a photo
    caption's date near the top became the publication date."""
    result = read_bytes(UNDATED_WITH_CAPTION.encode())
    assert result.article.published is None
    assert any("2014-05-19" in w for w in result.warnings)
    assert any("no publication date" in w for w in result.warnings)


def test_a_top_date_contradicted_by_a_later_date_is_not_taken() -> None:
    text = UNDATED_WITH_CAPTION.replace(" (file photo)", "")
    result = read_bytes(text.encode())
    assert result.article.published is None
    assert any("later" in w and "2014-05-19" in w for w in result.warnings)


def test_a_plain_top_date_is_taken_with_a_warning_to_check_it() -> None:
    text = UNDATED_WITH_CAPTION.replace(" (file photo)", "").replace(
        "began in February 2017", "began in February")
    result = read_bytes(text.replace("19 May 2014", "9 March 2017").encode())
    assert result.article.published == date(2017, 3, 9)
    assert any("taken from line" in w for w in result.warnings)


def test_extracted_events_dated_before_1990_are_left_out_with_a_warning(
        tmp_path: Path, capsys) -> None:
    article = tmp_path / "old.txt"
    article.write_text("Iraqi forces recaptured Hit from Islamic State militants\n\n"
                       "Iraqi forces recaptured the town of Hit from Islamic State "
                       "militants on Thursday, the army said.\n", encoding="utf-8")
    assert main(["extract", str(article), "--date", "1985-06-02"]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == 1                  # the header only
    assert "before 1990-01-01" in err and "--any-date" in err
    assert main(["extract", str(article), "--date", "1985-06-02", "--any-date"]) == 0
    assert "1985-05-30" in capsys.readouterr().out


# -- outputs ------------------------------------------------------------------------------
def test_extract_neutralises_spreadsheet_formulas(tmp_path: Path, capsys) -> None:
    """Reproduction: `geo extract` wrote a file name starting with = as a formula."""
    article = tmp_path / "=HYPERLINK(x).txt"
    article.write_text("Iraqi forces recaptured Hit from Islamic State militants\n\n"
                       "Iraqi forces recaptured the town of Hit from Islamic State "
                       "militants on Thursday, the army said.\n", encoding="utf-8")
    assert main(["extract", str(article), "--date", "2016-04-15"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["source_file"].startswith("'=") or
                        not r["source_file"].startswith("=") for r in rows)
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    assert rows[0]["latitude"] and float(rows[0]["latitude"]) > 0


def test_kml_is_valid_xml_when_text_holds_control_characters(tmp_path: Path) -> None:
    """Reproduction: a form feed in a note made the whole KML unreadable."""
    # (no NUL: the store refuses it on both backends, see test_store_audit)
    hostile = "a\x01b\x01c\x08\x0b\x0c\x1b\x1f\ufffe\uffff <&> \"q\" ]]> end"
    with open_store(str(tmp_path / "e.sqlite")) as store:
        store.import_events([make_event(notes=hostile, location="Hit\x0cTown",
                                        actor1_force="ISF\x0b\"x")])
        frame = store.query_events()
    root = ElementTree.fromstring(kml_document(frame, default_forces()).encode())
    names = [e.text for e in root.iter("{http://www.opengis.net/kml/2.2}name")]
    assert any(n and "Hit Town" in n for n in names)


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody may create files in: a read-only one, or (as root, who ignores
    permissions) sysfs, which refuses new files to everyone."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    return Path("/sys")


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg", ".kml"])
def test_export_to_an_unwritable_folder_is_a_message(tmp_path: Path, capsys,
                                                     suffix: str) -> None:
    db = str(tmp_path / "e.sqlite")
    with open_store(db) as store:
        store.import_events([make_event()])
    out = _unwritable_folder(tmp_path) / f"events{suffix}"
    assert main(["export", "--database", db, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(out) in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["export"], ["extract", "ARTICLE"], ["geocode", "Hit"]])
def test_a_full_disk_on_standard_output_is_a_message(tmp_path: Path, command: list[str]) -> None:
    """Reproduction: `export` and `extract` printed a traceback writing to a full disk."""
    import subprocess
    import sys
    article = tmp_path / "a.txt"
    article.write_text("Iraqi forces recaptured Hit from Islamic State militants\n\n"
                       "Iraqi forces recaptured the town of Hit from Islamic State "
                       "militants on Thursday, the army said.\n", encoding="utf-8")
    args = [str(article) if a == "ARTICLE" else a for a in command]
    if command[0] == "export":
        open_store(str(tmp_path / "e.sqlite")).close()    # export only reads: never creates
        args += ["--database", str(tmp_path / "e.sqlite")]
    root = Path(__file__).resolve().parent.parent
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "geo", *args], cwd=root, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


# -- settings ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, value", [("sqlite_timeout", "nan"), ("sqlite_timeout", "inf"),
                                         ("nominatim_min_delay", "inf"),
                                         ("max_article_bytes", "-1"),
                                         ("max_article_bytes", "0")])
def test_settings_that_would_wait_forever_or_refuse_everything_are_refused(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """Found by the fuzz run: GEO_SQLITE_TIMEOUT=nan made a locked store wait forever."""
    from geo.core import settings
    from geo.core.errors import ConfigurationError
    monkeypatch.setenv(settings.SETTINGS[name].env_var, value)
    with pytest.raises(ConfigurationError, match=settings.SETTINGS[name].env_var):
        settings.get(name)


def test_geocode_csv_quotes_formulas_but_not_negative_numbers() -> None:
    from geo.commands.geocode import _row
    from geo.core.records import Place
    from geo.geocode.base import Location
    place = Place(place_id="x", name="=HYPERLINK(1)", latitude=-33.5, longitude=-70.1,
                  country="CL")
    row = _row("@SUM(1)", Location(query="q", place=place, score=0.9))
    assert row["query"] == "'@SUM(1)" and row["name"] == "'=HYPERLINK(1)"
    assert (row["latitude"], row["longitude"]) == ("-33.50000", "-70.10000")


# -- input files ----------------------------------------------------------------------------
def test_pipes_devices_and_folders_are_refused_before_reading(tmp_path: Path) -> None:
    """Found by the fuzz run: a named pipe hung every file-taking command; /dev/zero
    filled the memory."""
    from geo.core.files import path_text, read_input_bytes
    from geo.geocode.places import read_own_places
    from geo.imports.run import parse_file
    from geo.read import read_article
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero"), tmp_path):
        with pytest.raises(InputError, match="cannot read the file"):
            read_input_bytes(path)
        with pytest.raises(InputError, match="cannot read the file"):
            read_article(path)
        with pytest.raises(InputError, match="cannot read the file"):
            parse_file("acled", path, default_forces())
        with pytest.raises(InputError, match="cannot read the file"):
            read_own_places(path)
    with pytest.raises(InputError, match="limit"):
        (tmp_path / "big.txt").write_bytes(b"x" * 101)
        read_input_bytes(tmp_path / "big.txt", limit=100)
    assert path_text(os.fsdecode(b"/tmp/\xff.txt")) == "/tmp/\\xff.txt"
