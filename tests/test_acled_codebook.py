"""ACLED's actor types and interaction codes, precision codes and the codebook columns an
export fills: what an analyst's ACLED workflow reads from our files, and what our import
accepts from ACLED's (codebook 2023 numbers, 2024 text) and refuses with file, line, field.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.codebook import (
    ACTOR_TYPES,
    INTERACTIONS,
    acled_precision,
    generic_actor_type,
    inter_code,
    interaction,
    interaction_code,
)
from geo.core.errors import InputError
from geo.core.forces import default_forces, load_forces
from geo.exports import acled
from geo.imports.run import import_file, parse_file
from geo.store import open_store
from tests.factories import make_event

DATA = Path(__file__).parent / "data" / "imports"


@pytest.mark.parametrize("inter1, inter2, expected", [
    (1, 3, 13),      # the codebook's example: a military against a political militia
    (3, 1, 13),      # the smaller code first, whichever actor is actor1
    (2, 1, 12),      # IS fighting the Iraqi army
    (8, 2, 28),      # a coalition air strike on IS
    (2, 7, 27),      # IS against civilians
    (2, 2, 22),      # rebels against rebels
    (1, 8, 18),
    (2, None, 20),   # no second actor: the first's type, then 0
    (8, None, 80),
    (None, 2, None),  # actor1's type unknown: no code is formed
])
def test_interaction_joins_two_actor_types(inter1: int | None, inter2: int | None,
                                           expected: int | None) -> None:
    assert interaction(inter1, inter2) == expected


@pytest.mark.parametrize("cell, code", [
    ("1", 1), ("8", 8), ("2.0", 2), (" 3 ", 3), ("", None), ("0", None),
    ("State forces", 1), ("Rebel group", 2), ("political militia", 3),
    ("Identity militia", 4), ("Rioters", 5), ("Protesters", 6), ("Civilians", 7),
    ("External/Other forces", 8), ("Rebel Groups", 2), ("Protestors", 6),
])
def test_inter_cells_in_either_form(cell: str, code: int | None) -> None:
    assert inter_code(cell) == code


@pytest.mark.parametrize("cell", ["9", "-1", "1.5", "nan", "Jihadists", "12"])
def test_bad_inter_cells_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="actor type"):
        inter_code(cell)


@pytest.mark.parametrize("cell, code", [
    ("12", 12), ("20", 20), ("78", 78), ("88", 88), ("", None),
    ("State forces-Rebel group", 12), ("Rebel group only", 20),
    ("External/Other forces-Civilians", 78), ("State forces-Civilians", 17),
])
def test_interaction_cells_in_either_form(cell: str, code: int | None) -> None:
    assert interaction_code(cell) == code


@pytest.mark.parametrize("cell", ["21", "9", "90", "Rebels versus State", "100"])
def test_bad_interaction_cells_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="interaction"):
        interaction_code(cell)


def test_the_interaction_table_is_the_codebooks() -> None:
    """45 codes: each pair of the 8 types once, smaller first, and each type alone."""
    assert len(INTERACTIONS) == 8 * 9 // 2 + 8 - 1 + 1 and 21 not in INTERACTIONS
    assert INTERACTIONS[10] == "State forces only" and INTERACTIONS[28] == \
        "Rebel group-External/Other forces"
    assert set(ACTOR_TYPES) == set(range(1, 9))


@pytest.mark.parametrize("force, country, code", [
    ("ISF", "IQ", 1),    # Iraq's army in Iraq: state forces
    ("ISF", "SY", 8),    # ... across the border: external (the codebook's rule)
    ("SYR", "SY", 1),
    ("PESH", "IQ", 1),   # the Kurdistan Region's forces, in Iraq
    ("PESH", "SY", 8),
    ("TUR", "TR", 1), ("TUR", "SY", 8), ("IRN", "IQ", 8),
    ("US", "IQ", 8), ("RUS", "SY", 8),
    ("IS", "IQ", 2), ("IS", "SY", 2), ("SDF", "SY", 2), ("FSA", "SY", 2),
    ("PMF", "IQ", 3), ("KH", "SY", 3),   # militias stay militias abroad
    ("GOV", "SY", 1),    # "government troops": the government where it happens
    ("KURD", "IQ", 1), ("KURD", "SY", 2),   # "Kurdish fighters": Peshmerga, SDF
    ("KURD", "", None),  # nowhere known: no type
    ("NOPE", "IQ", None),
])
def test_actor_type_of_a_force_where_it_fights(force: str, country: str,
                                               code: int | None) -> None:
    assert default_forces().actor_type(force, country) == code


def test_every_force_of_the_bundled_table_has_an_actor_type() -> None:
    """Every force an analyst can pick has ``inter``; a placeholder stands for forces
    that have one (or has its own)."""
    forces = default_forces()
    for force in forces:
        assert force.inter in ACTOR_TYPES, force.force_id
    for force in forces.forces.values():
        if force.is_placeholder:
            targets = [t for _, t in force.by_country]
            assert force.inter in ACTOR_TYPES or all(forces[t].inter for t in targets)


def test_a_bad_inter_in_the_force_table_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "forces.csv"
    path.write_text("force_id,display_name,acled_actor,colour,side,kind,government_of,"
                    "allies,parent,aliases,by_country,inter\n"
                    "X,Xers,X,#123456,x,state,,,,X,,1\nY,Yers,Y,#123457,y,state,,,,Y,,state\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_forces(path)
    assert "line 3" in str(info.value) and "inter" in str(info.value)


@pytest.mark.parametrize("name, code", [
    ("Civilians (Iraq)", 7), ("Protesters (Syria)", 6), ("Rioters (Iraq)", 5),
    ("Civilians", 7), ("Islamic State (Iraq)", None), ("", None),
])
def test_generic_acled_actors_have_their_type(name: str, code: int | None) -> None:
    assert generic_actor_type(name) == code


@pytest.mark.parametrize("ours, codebook", [(1, 1), (2, 2), (3, 3), (4, 3), (9, None),
                                            (None, None)])
def test_precision_codes_go_to_the_codebooks(ours: int | None, codebook: int | None) -> None:
    assert acled_precision(ours) == codebook


def _export(events: list, tmp_path: Path) -> list[dict[str, str]]:
    with open_store(str(tmp_path / "db.sqlite")) as store:
        store.add_events(events)
        frame = store.query_events()
    out = io.StringIO(newline="")
    acled.write_csv(frame, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_export_fills_actor_types_and_codebook_precisions(tmp_path: Path) -> None:
    rows = {r["event_id"]: r for r in _export([
        make_event(event_id="battle", actor1_force="ISF", actor1="Iraqi Security Forces",
                   actor2_force="IS", actor2="Islamic State", country="IQ"),
        make_event(event_id="strike", event_type="Explosions/Remote violence",
                   sub_event_type="Air/drone strike", actor1_force="US",
                   actor1="US-led Coalition", actor2_force="IS", actor2="Islamic State",
                   country="SY", geo_precision=4, time_precision=4,
                   event_date=date(2015, 7, 1), date_min=date(2015, 1, 1),
                   date_max=date(2015, 12, 31)),
        make_event(event_id="alone", event_type="Strategic developments",
                   sub_event_type="Headquarters or base established", actor1_force="IS",
                   actor1="Islamic State", actor2_force="", actor2="", control_to=""),
        make_event(event_id="unknown", actor1_force="IS", actor1="Islamic State",
                   actor2_force="", actor2="Unidentified Armed Group (Iraq)"),
        make_event(event_id="civilians", event_type="Violence against civilians",
                   sub_event_type="Attack", actor1_force="IS", actor1="Islamic State",
                   actor2_force="", actor2="Civilians (Iraq)", control_to=""),
    ], tmp_path)}
    codes = {k: (r["inter1"], r["inter2"], r["interaction"]) for k, r in rows.items()}
    assert codes == {"battle": ("1", "2", "12"), "strike": ("8", "2", "28"),
                     "alone": ("2", "", "20"), "unknown": ("2", "", ""),
                     "civilians": ("2", "7", "27")}
    strike = rows["strike"]
    assert (strike["geo_precision"], strike["geo_precision_detail"]) == ("3", "4")
    assert (strike["time_precision"], strike["time_precision_detail"]) == ("3", "4")
    assert (rows["battle"]["geo_precision"], rows["battle"]["geo_precision_detail"]) == \
        ("1", "1")


def test_export_import_round_trip_keeps_precisions_and_passes_the_checks(
        tmp_path: Path) -> None:
    """Our CSV imports back (every inter/interaction cell accepted), with a year-precise
    date and a country-wide place back at our 4, not ACLED's 3."""
    source = tmp_path / "source.sqlite"
    with open_store(str(source)) as store:
        store.add_events([
            make_event(event_id="coarse", actor1_force="US", actor1="US-led Coalition",
                       actor2_force="IS", actor2="Islamic State", country="SY",
                       event_type="Explosions/Remote violence",
                       sub_event_type="Air/drone strike", control_to="",
                       geo_precision=4, time_precision=4, event_date=date(2015, 7, 1),
                       date_min=date(2015, 1, 1), date_max=date(2015, 12, 31)),
            make_event(event_id="fine", actor1_force="ISF", actor1="Iraqi Security Forces",
                       actor2_force="IS", actor2="Islamic State", country="IQ"),
        ])
    out = tmp_path / "events.csv"
    assert main(["export", "--db", str(source), "--out", str(out)]) == 0
    target = tmp_path / "target.sqlite"
    with open_store(str(target)) as store:
        summary = import_file("acled", out, store, default_forces())
        assert (summary.imported, summary.problems) == (2, [])
        coarse = store.get_event("acled:coarse")
        fine = store.get_event("acled:fine")
    assert (coarse.geo_precision, coarse.time_precision) == (4, 4)
    assert (coarse.date_min, coarse.date_max) == (date(2015, 1, 1), date(2015, 12, 31))
    assert (fine.geo_precision, fine.time_precision) == (1, 1)


def test_acled_2024_text_codes_import(tmp_path: Path) -> None:
    """A file as ACLED writes it since 2024 (actor types as text) imports like the numbers."""
    lines = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    text = first.replace(",1,Islamic State (Iraq),,2,12,", ",State forces,Islamic State "
                         "(Iraq),,Rebel group,State forces-Rebel group,")
    assert text != first
    path = tmp_path / "acled2024.csv"
    path.write_text(header + "\n" + text + "\n", encoding="utf-8")
    parsed = parse_file("acled", path, default_forces())
    assert parsed.problems == [] and len(parsed.events) == 1


@pytest.mark.parametrize("old, new, field", [
    (",1,Islamic State (Iraq),,2,12,", ",9,Islamic State (Iraq),,2,12,", "inter1"),
    (",1,Islamic State (Iraq),,2,12,", ",1,Islamic State (Iraq),,rebels,12,", "inter2"),
    (",1,Islamic State (Iraq),,2,12,", ",1,Islamic State (Iraq),,2,21,", "interaction"),
    (",1,Islamic State (Iraq),,2,12,", ",1,Islamic State (Iraq),,2,17,", "interaction"),
])
def test_bad_actor_type_cells_name_file_line_and_field(tmp_path: Path, capsys, old: str,
                                                       new: str, field: str) -> None:
    lines = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace(old, new)
    assert bad != lines[1]
    path = tmp_path / "edited.csv"
    path.write_text("\n".join([lines[0], lines[4], bad]) + "\n", encoding="utf-8")
    assert main(["import", "acled", str(path), "--database",
                 str(tmp_path / "db.sqlite")]) in (0, 1)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "edited.csv" in text
    problem = next(line for line in text.splitlines() if line.startswith("problem"))
    assert "line 3" in problem and field in problem, problem


def test_readme_lists_the_codebook_columns_we_write() -> None:
    """The README's column list is the one the exporter writes, in its order."""
    import re

    from geo.core.codebook import ACLED_COLUMNS, EXTRA_COLUMNS

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    m = re.search(r"start\s+with its 31 columns in its order \(([^)]*)\)", readme)
    assert m is not None
    listed = [c.strip() for c in " ".join(m.group(1).split()).split(";")[0].split(",")]
    expanded = [n for c in listed for n in (
        ["admin1", "admin2", "admin3"] if c == "admin1-3" else [c])]
    assert expanded == list(ACLED_COLUMNS) and len(expanded) == 31
    for name in ("time_precision_detail", "geo_precision_detail"):
        assert name in EXTRA_COLUMNS and f"`{name}`" in readme


def test_timestamp_is_when_the_store_last_changed_the_row(tmp_path: Path) -> None:
    """ACLED's timestamp: Unix seconds of the row's last change (here the write, then
    an analyst's edit), so a newer export of ours tells which rows changed."""
    import time

    path = str(tmp_path / "db.sqlite")
    before = int(time.time())
    with open_store(path) as store:
        store.add_events([make_event(event_id="e1")])
        after = int(time.time())
        first = next(acled.iter_rows(store.query_events()))
        assert before <= int(first["timestamp"]) <= after
        store.update_event("e1", {"fatalities": 3}, author="tester")
        frame = store.query_events()
    edited = next(acled.iter_rows(frame))
    assert int(edited["timestamp"]) >= int(first["timestamp"])
    assert int(edited["timestamp"]) == acled.unix_time(frame["updated_at"].iloc[0])


@pytest.mark.parametrize("value, expected", [
    ("2016-06-19T10:00:00+00:00", 1466330400), ("2016-06-19T10:00:00", 1466330400),
    ("2016-06-19T12:00:00+02:00", 1466330400), ("", None), (None, None),
])
def test_unix_time_of_an_update(value: str | None, expected: int | None) -> None:
    assert acled.unix_time(value) == expected
