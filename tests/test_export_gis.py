"""GeoJSON / GeoPackage / KML export, and export -> import round trips."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.cli import main
from geo.core.errors import InputError
from geo.core.forces import default_forces
from geo.imports.run import import_file, parse_file
from geo.store import open_store
from tests.conftest import HOSTILE_SENTENCE
from tests.factories import make_article, make_event, make_evidence, sample_events

COMPARED = ("event_date", "date_min", "date_max", "event_type", "sub_event_type", "actor1",
            "actor2", "actor1_force", "actor2_force", "location", "latitude", "longitude",
            "time_precision", "geo_precision", "fatalities", "control_to")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "source.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event(
            notes="=cmd|' /C calc'!A0", assoc_actor_1="-IS",
            evidence=[make_evidence(sentence=HOSTILE_SENTENCE)])])
        store.add_events(sample_events(40, seed=7))
    return url


def _events(url: str) -> list[tuple]:
    with open_store(url) as store:
        frame = store.query_events()
    return sorted(tuple(row[c] for c in COMPARED) for _, row in frame.iterrows())


@pytest.mark.parametrize("suffix", [".csv", ".gpkg", ".geojson"])
def test_export_then_import_gives_the_same_events(tmp_path: Path, db: str,
                                                  suffix: str) -> None:
    out = tmp_path / f"events{suffix}"
    assert main(["export", "--db", db, "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o644, "an export must be readable by colleagues"
    target = str(tmp_path / "target.sqlite")
    dataset = "acled" if suffix == ".csv" else "gis"
    with open_store(target) as store:
        summary = import_file(dataset, out, store, default_forces())
    assert (summary.imported, summary.problems, summary.duplicates) == (41, [], [])
    assert _events(target) == _events(db)
    with open_store(target) as store:
        frame = store.query_events()
    assert set(frame.origin) == {"imported"}
    assert "=cmd|' /C calc'!A0" in set(frame.notes)        # neutralisation undone


def test_geopackage_layer_columns_and_types(tmp_path: Path, db: str) -> None:
    out = tmp_path / "e.gpkg"
    assert main(["export", "--db", db, "--out", str(out), "--from", "2016-01-01"]) == 0
    layer = gpd.read_file(out, layer="events")
    assert layer.crs.to_epsg() == 4326 and len(layer) > 0
    assert str(layer["fatalities"].dtype).lower().startswith("int")
    assert (layer.geometry.x == layer["longitude"]).all()
    assert not list(tmp_path.glob(".e.*"))                  # no temporary files left


def test_kml_is_styled_by_force_and_escapes_evidence(tmp_path: Path, db: str) -> None:
    out = tmp_path / "e.kml"
    assert main(["export", "--db", db, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    styles = {s.get("id"): s.find("k:IconStyle/k:color", ns).text
              for s in root.iterfind(".//k:Style", ns)}
    isf = default_forces().colour("ISF").lstrip("#").lower()
    assert styles["force-ISF"] == "ff" + isf[4:6] + isf[2:4] + isf[0:2]   # aabbggrr
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == 41
    description = next(m.find("k:description", ns).text for m in marks
                       if "Fallujah" in m.find("k:description", ns).text
                       and "script" in m.find("k:description", ns).text)
    assert "<script>" not in description and "&lt;script&gt;" in description
    assert "<table>" in description                           # the HTML itself is kept


def test_unknown_extension_is_refused(tmp_path: Path, db: str, capsys) -> None:
    assert main(["export", "--db", db, "--out", str(tmp_path / "e.xlsx")]) == 1
    assert "cannot tell the format" in capsys.readouterr().err


def test_foreign_geopackage_is_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"name": ["Mosul"], "when": ["2016-11-01"]},
                             geometry=[Point(43.13, 36.34)], crs="EPSG:4326")
    wrong_layer = tmp_path / "roads.gpkg"
    frame.to_file(wrong_layer, layer="roads", driver="GPKG")
    with pytest.raises(InputError, match="no layer 'events' \\(layers: roads\\)"):
        parse_file("gis", wrong_layer, default_forces())
    wrong_columns = tmp_path / "other.gpkg"
    frame.to_file(wrong_columns, layer="events", driver="GPKG")
    with pytest.raises(InputError, match="missing column\\(s\\) event_id_cnty"):
        parse_file("gis", wrong_columns, default_forces())
    not_gis = tmp_path / "notes.gpkg"
    not_gis.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a GIS file"):
        parse_file("gis", not_gis, default_forces())


def test_round_trip_keeps_week_interval(tmp_path: Path) -> None:
    url = str(tmp_path / "w.sqlite")
    with open_store(url) as store:
        store.add_events([make_event(event_id="wk", evidence=[], event_date=date(2016, 6, 15),
                                     date_min=date(2016, 6, 13), date_max=date(2016, 6, 19),
                                     time_precision=2)])
    out = tmp_path / "w.csv"
    assert main(["export", "--db", url, "--out", str(out)]) == 0
    [event] = parse_file("acled", out, default_forces()).events
    assert (event.date_min, event.date_max, event.event_id) == \
        (date(2016, 6, 13), date(2016, 6, 19), "acled:wk")


def test_geojson_and_geopackage_hold_the_same_values_and_types(tmp_path: Path,
                                                               db: str) -> None:
    """The GeoJSON is built from the rows, not through GDAL: a GIS tool reads the same
    columns, values and number types from it as from the GeoPackage (empty numbers are
    null, not "" or NaN)."""
    import json

    import pandas as pd

    from geo.core.codebook import COLUMNS

    gj, gp = tmp_path / "e.geojson", tmp_path / "e.gpkg"
    for out in (gj, gp):
        assert main(["export", "--db", db, "--out", str(out)]) == 0
    document = json.loads(gj.read_text(encoding="utf-8"))
    first = document["features"][0]["properties"]
    assert list(first) == list(COLUMNS) and document["name"] == "e"
    assert isinstance(first["year"], int) and isinstance(first["latitude"], float)
    # an actor type is a number; an empty number is null, never "" or NaN
    assert isinstance(first["inter1"], int)
    from geo.core.codebook import NUMERIC_COLUMNS
    for feature in document["features"]:
        for name in NUMERIC_COLUMNS:
            value = feature["properties"][name]
            assert value is None or isinstance(value, int | float) and value == value, name
    a = gpd.read_file(gj).sort_values("event_id").reset_index(drop=True)
    b = gpd.read_file(gp, layer="events").sort_values("event_id").reset_index(drop=True)
    assert list(a.columns) == list(b.columns) and len(a) == len(b) == 41
    for name in COLUMNS:
        left, right = a[name].astype(object), b[name].astype(object)
        # GDAL's GeoJSON reader types ISO days as dates: compare those as days
        same = [(pd.isna(x) and pd.isna(y)) or x == y or str(x)[:10] == str(y)[:10]
                and hasattr(x, "date") for x, y in zip(left, right)]
        assert all(same), name
    assert (a.geometry.geom_equals(b.geometry)).all()
