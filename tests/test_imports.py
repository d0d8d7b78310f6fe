"""ACLED and UCDP GED imports from hand-written files in the real layouts (tests/data/imports):
mapping, row problems by line, refused files, dedup against the store, the command."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.records import Place
from geo.imports.run import import_file, parse_file
from geo.store import open_store
from tests.factories import make_article, make_event

DATA = Path(__file__).parent / "data" / "imports"
ACLED = DATA / "acled_sample.csv"
UCDP = DATA / "ucdp_sample.csv"


@pytest.fixture
def store(backend_url: str):
    """The store under test, on each backend (``backend_url``)."""
    with open_store(backend_url) as s:
        yield s


def test_acled_rows_map_to_events_and_problems_by_line() -> None:
    parsed = parse_file("acled", ACLED, default_forces())
    assert parsed.rows_read == 9
    by_id = {e.event_id: e for e in parsed.events}
    assert sorted(by_id) == ["acled:IRQ10001", "acled:IRQ10002", "acled:IRQ10003",
                             "acled:IRQ10004", "acled:SYR20001", "acled:SYR20002",
                             "acled:SYR20003"]
    tikrit = by_id["acled:IRQ10004"]        # no coordinates: placed by its location name
    assert (round(tikrit.latitude, 1), round(tikrit.longitude, 1)) == (34.6, 43.7)
    assert tikrit.place_id and tikrit.geo_precision == 1 and not parsed.review_names
    fallujah = by_id["acled:IRQ10001"]
    assert (fallujah.actor1_force, fallujah.actor2_force, fallujah.control_to) == \
        ("ISF", "IS", "ISF")
    assert fallujah.origin == "imported" and fallujah.fatalities == 14
    assert (fallujah.latitude, fallujah.longitude) == (33.35, 43.78)
    assert '"completing"' in fallujah.notes
    week = by_id["acled:IRQ10002"]           # "2 November 2016", week precision
    assert (week.event_date, week.date_min, week.date_max, week.time_precision) == \
        (date(2016, 11, 2), date(2016, 10, 30), date(2016, 11, 5), 2)
    month = by_id["acled:SYR20001"]
    assert (month.date_min, month.date_max) == (date(2016, 6, 1), date(2016, 6, 30))
    unknown = by_id["acled:IRQ10003"]        # unmapped actor kept as written, no force
    assert (unknown.actor1, unknown.actor1_force) == ("Unidentified Armed Group (Iraq)", "")
    assert unknown.geo_precision == 2
    assert [(p.line, p.field) for p in parsed.problems] == [
        (6, "event_date"), (10, "sub_event_type")]
    assert "2016-02-30" in str(parsed.problems[0])
    assert parsed.unmapped_actors == {"Unidentified Armed Group (Iraq)": 1,
                                      "Civilians (Syria)": 1,
                                      "Jabhat al-Shamiyya Brigade": 1}


def test_ucdp_rows_map_to_events_with_precision_codes() -> None:
    parsed = parse_file("ucdp", UCDP, default_forces())
    by_id = {e.event_id: e for e in parsed.events}
    assert sorted(by_id) == ["ucdp:158001", "ucdp:158002", "ucdp:158003", "ucdp:158004"]
    falluja = by_id["ucdp:158001"]
    assert (falluja.actor1_force, falluja.actor2_force, falluja.event_type) == \
        ("ISF", "IS", "Battles")
    assert falluja.fatalities == 14 and falluja.location == "Falluja town"
    palmyra = by_id["ucdp:158002"]          # date_prec 2, where_prec 2
    assert (palmyra.date_min, palmyra.date_max, palmyra.time_precision,
            palmyra.geo_precision) == (date(2016, 3, 23), date(2016, 3, 27), 2, 2)
    assert palmyra.actor1_force == "SYR"
    raqqa = by_id["ucdp:158003"]            # one-sided violence, month, low clarity
    assert (raqqa.event_type, raqqa.sub_event_type, raqqa.actor2, raqqa.actor2_force,
            raqqa.time_precision, raqqa.confidence) == (
        "Violence against civilians", "Attack", "Civilians", "", 3, 0.5)
    assert by_id["ucdp:158004"].geo_precision == 2      # where_prec 3 (district) -> near
    assert [(p.line, p.field) for p in parsed.problems] == [(6, "latitude"),
                                                            (7, "date_start")]
    assert parsed.unmapped_actors == {"Jaysh al-Islam": 1, "Faylaq al-Rahman": 1}


def _header_and_row(source: Path, n: int = 2) -> str:
    return "".join(source.read_text(encoding="utf-8").splitlines(keepends=True)[:n])


@pytest.mark.parametrize("name, content, words", [
    ("wrong.csv", b"a,b,c\n1,2,3\n", "missing column(s) event_id_cnty"),
    ("empty.csv", b"", "empty"),
    ("latin1.csv", "event_id_cnty,event_date\nIRQ1,Fallūja\n".encode()[:-1]
     + "é\n".encode("latin-1"), "not UTF-8"),
    ("utf16.csv", "event_id_cnty\n".encode("utf-16"), "UTF-16"),
    ("binary.csv", b"event_id_cnty\x00\x00", "NUL"),
])
def test_unusable_files_are_refused_with_the_problem(tmp_path: Path, name: str,
                                                     content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        parse_file("acled", path, default_forces())
    assert words in str(info.value) and name in str(info.value)


def test_truncated_file_is_refused_and_nothing_is_stored(tmp_path: Path, store) -> None:
    text = ACLED.read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[:text.index("Xinhua")], encoding="utf-8")
    with pytest.raises(InputError, match="truncated") as info:
        import_file("acled", cut, store, default_forces())
    assert info.value.line == 2
    quoted = tmp_path / "quote.csv"          # cut inside a quoted notes cell
    quoted.write_text(text[:text.index("completing")], encoding="utf-8")
    with pytest.raises(InputError, match="truncated"):
        import_file("acled", quoted, store, default_forces())
    assert store.counts()["events"] == 0


def test_unknown_columns_are_reported_and_rows_imported(tmp_path: Path, store) -> None:
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "extra.csv"
    path.write_text("\n".join([lines[0] + ",mystery"] + [line + ",x" for line in lines[1:3]]) + "\n",
                    encoding="utf-8")
    summary = import_file("acled", path, store, default_forces())
    assert summary.imported == 2
    assert [(p.line, p.field) for p in summary.problems] == [(1, "mystery")]


def test_reimport_is_all_duplicates_and_extracted_event_deduplicates(store) -> None:
    store.ingest(make_article(), [make_event(latitude=33.36, longitude=43.79,
                                             place_id="gaz:fallujah")])   # 1.4 km away
    first = import_file("acled", ACLED, store, default_forces())
    assert first.imported == 6
    assert [(line, incoming) for line, incoming, _ in first.duplicates] == \
        [(2, "acled:IRQ10001")]
    again = import_file("acled", ACLED, store, default_forces())
    assert again.imported == 0 and len(again.duplicates) == 7
    assert store.counts()["events"] == 7
    frame = store.query_events()
    assert set(frame[frame.origin == "imported"].event_id) == {
        "acled:IRQ10002", "acled:IRQ10003", "acled:IRQ10004", "acled:SYR20001",
        "acled:SYR20002", "acled:SYR20003"}


def test_same_dataset_events_are_not_merged_with_each_other(tmp_path: Path, store) -> None:
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    twin = lines[2].replace("IRQ10002", "IRQ10099")     # second strike, same day and place
    path = tmp_path / "twins.csv"
    path.write_text("\n".join([lines[0], lines[2], twin]) + "\n", encoding="utf-8")
    assert import_file("acled", path, store, default_forces()).imported == 2


def test_import_command_prints_summary(tmp_path: Path, capsys) -> None:
    db = tmp_path / "cli.sqlite"
    assert main(["import", "ucdp", str(UCDP), "--database", str(db), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "4 imported, 0 duplicate(s)" in out
    assert "problem: line 7, field 'date_start'" in err
    assert "Jaysh al-Islam" in out
    assert main(["import", "acled", str(UCDP), "--database", str(db)]) == 1
    assert "missing column(s) event_id_cnty" in capsys.readouterr().err


def _acled_without_points(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A minimal ACLED file whose rows name a location (with admin1) and give no point."""
    header = ("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,"
              "actor2,country,admin1,location,latitude,longitude,geo_precision,notes\n")
    lines = [f"T{i},2016-06-01,1,Battles,Armed clash,Islamic State (Iraq),,{country},{admin1},"
             f"{name},,,,row {i}\n" for i, (name, admin1, country) in enumerate(rows, 1)]
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def test_rows_without_points_are_placed_by_name_or_held_for_review(store, tmp_path: Path
                                                                   ) -> None:
    """A sure name is mapped (its admin1 chooses among homonyms); a flagged or unknown
    name is listed with its lines and its rows wait; a confirmation is remembered, so the
    next import of the same file maps them."""
    path = _acled_without_points(tmp_path / "log.csv", [
        ("Hit", "Al-Anbar", "Iraq"), ("Sukhnah", "", ""), ("Xqorbantiya", "", ""),
        ("Sukhnah", "", ""), ("north of Tikrit", "", "Iraq")])
    first = import_file("acled", path, store, default_forces())
    assert first.imported == 2
    assert first.review_names == {"Sukhnah": [3, 5], "Xqorbantiya": [4]}
    text = "\n".join(first.lines())
    assert "place names to review (2;" in text and "Sukhnah: line(s) 3, 5" in text
    stored = {e.notes: e for e in (store.get_event("acled:T1"), store.get_event("acled:T5"))}
    assert stored["row 1"].country == "Iraq" and round(stored["row 1"].latitude, 1) == 33.6
    assert stored["row 5"].geo_precision == 2         # "north of": near, not at, Tikrit
    sukhnah = Place("wof:sukhnah-sy", "As Sukhnah", 34.885, 38.871, "SY", "Homs")
    store.confirm_name("Sukhnah", sukhnah, author="test")
    again = import_file("acled", path, store, default_forces())
    assert again.imported == 2 and again.review_names == {"Xqorbantiya": [4]}
    assert store.get_event("acled:T2").place_id == "wof:sukhnah-sy"
