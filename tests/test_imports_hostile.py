"""Importers under hostile rows (issue #15): every bad cell is a message naming the line and
the field, never a traceback; quoted cells keep every character; dates outside 1990..today
and points outside the theatre need the analyst's explicit permission."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.core.validate import Allow
from geo.imports.run import parse_file

DATA = Path(__file__).parent / "data" / "imports"
ACLED = DATA / "acled_sample.csv"
UCDP = DATA / "ucdp_sample.csv"


def _one_row(source: Path, tmp_path: Path, **cells: str) -> Path:
    """The header and first data row of ``source`` with ``cells`` replaced, written as CSV
    (the csv module quotes what needs quoting, as a spreadsheet would)."""
    reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"), newline=""))
    row = next(reader)
    row.update(cells)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(reader.fieldnames or []))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / f"{source.stem}_mutated.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def _problems(dataset: str, path: Path, allow: Allow = Allow()) -> list[tuple[int, str, str]]:
    parsed = parse_file(dataset, path, default_forces(), allow=allow)
    return [(p.line, p.field, p.message) for p in parsed.problems]


@pytest.mark.parametrize("field, value", [
    ("time_precision", "inf"), ("time_precision", "-inf"), ("time_precision", "nan"),
    ("time_precision", "1e400"), ("time_precision", "2.5"), ("geo_precision", "inf"),
    ("geo_precision", "9" * 400),
])
def test_precision_that_is_not_a_code_is_a_row_problem(tmp_path: Path, field: str,
                                                       value: str) -> None:
    """Reproduction: an ``inf`` precision raised OverflowError out of the importer."""
    [(line, where, message)] = _problems("acled", _one_row(ACLED, tmp_path, **{field: value}))
    assert (line, where) == (2, field) and "is not one of" in message
    assert len(message) < 200                      # a 400-digit value is shown cut


@pytest.mark.parametrize("day, precision", [("9999-12-31", "2"), ("9999-12-31", "3"),
                                            ("0001-01-01", "2"), ("2087-05-01", "1"),
                                            ("1900-01-01", "1")])
def test_dates_outside_1990_to_today_need_the_override(tmp_path: Path, day: str,
                                                       precision: str) -> None:
    """Reproduction: a 9999 week raised OverflowError; 2087 and 1900 were stored silently."""
    path = _one_row(ACLED, tmp_path, event_date=day, time_precision=precision)
    [(line, where, message)] = _problems("acled", path)
    assert (line, where) == (2, "event_date") and "--any-date" in message
    problems = _problems("acled", path, Allow(any_date=True))
    if day[:4] in ("0001", "9999") and precision == "2":
        # Even allowed, a week around the first or last day of the calendar cannot be
        # represented.
        assert problems[0][1] == "event_date" and "calendar" in problems[0][2]
    else:
        assert problems == []


def test_ucdp_dates_are_checked_too(tmp_path: Path) -> None:
    path = _one_row(UCDP, tmp_path, date_start="1985-06-19", date_end="1985-06-19")
    assert [(p[0], p[1]) for p in _problems("ucdp", path)] == [(2, "date_start")]


@pytest.mark.parametrize("separator", ["\r", "\r\n", "\n", "\u2028", "\u2029", "\u0085",
                                       "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_quoted_cells_with_line_breaks_stay_one_row(tmp_path: Path, separator: str) -> None:
    """Reproduction: ``splitlines`` cut rows at CR, U+2028, U+0085, VT and FF inside quotes."""
    notes = f"IS fighters{separator}withdrew from the town"
    path = _one_row(ACLED, tmp_path, notes=notes)
    parsed = parse_file("acled", path, default_forces())
    assert parsed.problems == [] and parsed.rows_read == 1
    assert parsed.events[0].notes == notes.strip()


def test_huge_counts_are_refused_with_a_short_message(tmp_path: Path) -> None:
    """Reproduction: a 5,000-digit count raised ValueError, 2**63 overflowed the store."""
    for value in ("9" * 5000, str(2**63), "1e400", "-1", "3.5"):
        [(line, where, message)] = _problems("acled", _one_row(ACLED, tmp_path,
                                                               fatalities=value))
        assert (line, where) == (2, "fatalities") and len(message) < 200


def test_null_island_is_refused_even_when_allowed(tmp_path: Path) -> None:
    path = _one_row(ACLED, tmp_path, latitude="0", longitude="0")
    for allow in (Allow(), Allow(outside_theatre=True)):
        [(line, where, message)] = _problems("acled", path, allow)
        assert (line, where) == (2, "latitude") and "missing coordinate" in message


def test_points_outside_the_theatre_need_a_confirmation(tmp_path: Path) -> None:
    swapped = _one_row(ACLED, tmp_path, latitude="43.78", longitude="33.35")
    [(line, where, message)] = _problems("acled", swapped)
    assert (line, where) == (2, "latitude")
    assert "--outside-theatre" in message and "swapped" in message
    assert _problems("acled", swapped, Allow(outside_theatre=True)) == []


def test_unknown_country_is_a_row_problem(tmp_path: Path) -> None:
    path = _one_row(ACLED, tmp_path, country="Atlantis")
    [(line, where, message)] = _problems("acled", path)
    assert (line, where) == (2, "country") and "IQ" in message


def test_gis_import_given_a_csv_is_refused_with_a_message(tmp_path: Path) -> None:
    """Reproduction: a GIS import of a CSV raised AttributeError ('geometry')."""
    with pytest.raises(InputError, match="GeoPackage or GeoJSON") as info:
        parse_file("gis", ACLED, default_forces())
    assert "acled_sample.csv" in str(info.value)
    renamed = tmp_path / "events.geojson"           # a CSV under a GIS name
    renamed.write_bytes(ACLED.read_bytes())
    with pytest.raises(InputError):
        parse_file("gis", renamed, default_forces())


def test_import_command_takes_the_overrides(tmp_path: Path, capsys) -> None:
    path = _one_row(ACLED, tmp_path, event_date="1989-12-31")
    db = str(tmp_path / "events.sqlite")
    assert main(["import", "acled", str(path), "--database", db]) == 0
    assert "0 imported" in capsys.readouterr().out
    assert main(["import", "acled", str(path), "--database", db, "--any-date"]) == 0
    assert "1 imported" in capsys.readouterr().out
