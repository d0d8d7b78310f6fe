"""ACLED CSV export: columns, values, formula neutralisation, and the command."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.codebook import ACLED_COLUMNS
from geo.exports import acled
from geo.store import open_store, schema
from tests.factories import make_article, make_event


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1-2", "'+1-2"), ("-5 killed", "'-5 killed"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("Islamic State (IS)", "Islamic State (IS)"), ("", ""), ("a=b", "a=b"),
])
def test_neutralise(cell: str, expected: str) -> None:
    assert acled.neutralise(cell) == expected


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "events.sqlite"
    monkeypatch.setenv("GEO_DATABASE_URL", str(path))
    with open_store(str(path)) as store:
        store.ingest(make_article(), [make_event(notes="=cmd|' /C calc'!A0", actor1="-IS",
                                                 latitude=-33.5, longitude=-43.25,
                                                 place_id="test:south")])
        store.add_events([make_event(event_id="mosul", town="Mosul", event_date=date(2016, 11, 2),
                                     actor1_force="PESH", control_to="PESH", country="IQ"),
                          make_event(event_id="raqqa", town="Raqqa", event_date=date(2017, 6, 6),
                                     event_type="Explosions/Remote violence",
                                     sub_event_type="Air/drone strike", actor1_force="US",
                                     control_to="", evidence=[])])
    return path


def test_write_csv_columns_and_values(db: Path) -> None:
    with open_store(str(db)) as store:
        frame = store.query_events()
    out = io.StringIO(newline="")
    assert acled.write_csv(frame, out) == 3
    rows = _rows(out.getvalue())
    header = out.getvalue().splitlines()[0].split(",")
    assert header == [*ACLED_COLUMNS, "event_id", "date_min", "date_max", "control_to",
                      "confidence", "review_status", "origin", "article_ids",
                      "evidence_sentence", "source_file", "time_precision_detail",
                      "geo_precision_detail"]
    fallujah = next(r for r in rows if r["location"] == "Fallujah")
    assert fallujah["notes"] == "'=cmd|' /C calc'!A0"
    assert fallujah["actor1"] == "'-IS"
    assert (fallujah["latitude"], fallujah["longitude"]) == ("-33.5", "-43.25")  # numbers
    assert fallujah["event_date"] == "2016-06-19" and fallujah["year"] == "2016"
    assert fallujah["iso"] == "368" and fallujah["country"] == "Iraq"
    assert fallujah["disorder_type"] == "Political violence"
    assert fallujah["evidence_sentence"].startswith("Iraqi forces retook Fallujah")
    assert fallujah["article_ids"] and fallujah["source_file"] == "report.txt"
    mosul = next(r for r in rows if r["event_id"] == "mosul")
    assert mosul["country"] == "Iraq" and mosul["event_id_cnty"] == "mosul"  # from "IQ"
    raqqa = next(r for r in rows if r["event_id"] == "raqqa")
    assert raqqa["iso"] == "760" and raqqa["evidence_sentence"] == ""


def test_export_command_filters_to_file(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out" / "events.csv"
    status = main(["export", "--out", str(out), "--from", "2016-06-01", "--to", "2016-12-31",
                   "--force", "PESH", "ISF", "--type", "Battles"])
    assert status == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    assert sorted(r["location"] for r in rows) == ["Fallujah", "Mosul"]
    assert "wrote 2 events from 2016-06-01 to 2016-12-31" in capsys.readouterr().err
    # A colleague can open the exported file: it is not left owner-only (0600) like the
    # temporary file it was written through.
    assert out.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in out.parent.iterdir()] == ["events.csv"]


def test_export_command_to_stdout(db: Path, capsys) -> None:
    assert main(["export", "--type", "Explosions/Remote violence"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [r["event_id"] for r in rows] == ["raqqa"]


def test_export_command_refuses_unknown_type(db: Path, capsys) -> None:
    assert main(["export", "--type", "Skirmish"]) == 1
    assert "unknown event type(s) 'Skirmish'" in capsys.readouterr().err


def test_db_info(db: Path, capsys) -> None:
    assert main(["db", "info"]) == 0
    out = capsys.readouterr().out
    assert str(db) in out and f"schema version: {schema.LATEST_VERSION}" in out and "events: 3" in out


#: ACLED's codebook (2023) columns, in its order, written out here rather than read from
#: geo.core.codebook: an ACLED workflow reads a file by these names in this order.
CODEBOOK = ("event_id_cnty event_date year time_precision disorder_type event_type "
            "sub_event_type actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 "
            "interaction civilian_targeting iso region country admin1 admin2 admin3 "
            "location latitude longitude geo_precision source source_scale notes "
            "fatalities tags timestamp").split()


def test_csv_and_geopackage_lead_with_the_acled_codebook_columns(db: Path,
                                                                 tmp_path: Path) -> None:
    """Both files start with the 31 codebook columns in the codebook's order (our own
    columns follow), read back as an analyst's tool reads them; the GeoPackage types the
    codebook's numbers as numbers; the values the codebook fixes use its vocabulary."""
    import geopandas as gpd

    from geo.core.codebook import EVENT_TYPES

    csv_out, gpkg_out = tmp_path / "e.csv", tmp_path / "e.gpkg"
    for out in (csv_out, gpkg_out):
        assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    with csv_out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:len(CODEBOOK)] == CODEBOOK
    layer = gpd.read_file(gpkg_out, layer="events")
    assert list(layer.columns)[:len(CODEBOOK)] == CODEBOOK
    for name in ("year", "time_precision", "iso", "geo_precision", "fatalities"):
        assert str(layer[name].dtype).lower().startswith("int"), name
    for name in ("latitude", "longitude"):
        assert str(layer[name].dtype).startswith("float"), name
    for row in rows:
        assert row["sub_event_type"] in EVENT_TYPES[row["event_type"]]
        assert row["disorder_type"] in {"Political violence", "Demonstrations",
                                        "Strategic developments"}
        assert row["civilian_targeting"] in {"", "Civilian targeting"}
        assert row["time_precision"] in {"1", "2", "3"} and row["geo_precision"] in \
            {"1", "2", "3"}
        assert (row["iso"], row["region"]) in {("368", "Middle East"), ("760", "Middle East")}
        assert row["year"] == row["event_date"][:4]
