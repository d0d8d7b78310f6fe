"""Control in the GIS exports: ``geo export --control D`` puts who held which town on D
beside the events, for an analyst briefing from QGIS (GeoPackage, GeoJSON) or Google
Earth (KML). Every file is read back with pyogrio/geopandas, as those tools read it:
the layers are there, in EPSG:4326, and a known town has its status, holder, since and
sources (Mosul, held by IS from June 2014 to July 2017 on the curated timeline)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from geo.cli import main
from geo.core.forces import default_forces
from geo.core.records import TimePrecision
from geo.imports.run import import_file
from geo.store import open_store
from tests.factories import make_article, make_event

DAY = "2016-06-01"
LAYERS = ["control_places", "control_areas", "control_fronts"]
NS = {"k": "http://www.opengis.net/kml/2.2"}


def _folder(root: ET.Element, name: str) -> list[ET.Element]:
    """The placemarks of the KML folder called ``name``."""
    [folder] = [f for f in root.iterfind(".//k:Folder", NS)
                if f.findtext("k:name", "", NS) == name]
    return folder.findall("k:Placemark", NS)


def _spans(marks: list[ET.Element], prefix: str) -> list[tuple[str, str]]:
    """(begin, end) of the placemarks whose name starts with ``prefix``, as written
    ("" for a missing end), in file order."""
    return [(m.findtext("k:TimeSpan/k:begin", "", NS), m.findtext("k:TimeSpan/k:end", "", NS))
            for m in marks if m.findtext("k:name", "", NS).startswith(prefix)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One stored report (ISF retook Fallujah, 19 June 2016) and the curated timeline."""
    url = str(tmp_path_factory.mktemp("control-gis") / "store.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event()])
    return url


def _export(db: str, out: Path, *extra: str) -> None:
    assert main(["export", "--db", db, "--out", str(out), "--control", DAY, *extra]) == 0


def test_a_geopackage_holds_control_layers_beside_the_events(tmp_path: Path, db: str,
                                                             capsys) -> None:
    out = tmp_path / "brief.gpkg"
    _export(db, out)
    assert "control on 2016-06-01:" in capsys.readouterr().err
    assert [name for name, _ in pyogrio.list_layers(out)] == ["events", *LAYERS]
    places = gpd.read_file(out, layer="control_places")
    areas = gpd.read_file(out, layer="control_areas")
    fronts = gpd.read_file(out, layer="control_fronts")
    for layer in (places, areas, fronts):
        assert layer.crs.to_epsg() == 4326 and len(layer)
    [mosul] = places[places["name"] == "Mosul"].to_dict("records")
    assert (mosul["status"], mosul["force"], mosul["holder"], mosul["basis"]) == \
        ("held", "IS", "held by Islamic State", "curated")
    assert mosul["since"] == mosul["holder_since"] == "2014-06-10"
    assert mosul["sources"].startswith("curated: ") and mosul["date"] == DAY
    assert mosul["geometry"].geom_type == "Point"
    held = areas[(areas["force"] == "IS") & areas["places"].str.contains("Mosul")]
    assert len(held) == 1 and held["km2"].iloc[0] > 1000
    assert set(areas.geom_type) == {"MultiPolygon"}
    assert any("IS" in (a, b) for a, b in zip(fronts["force_a"], fronts["force_b"]))
    # the events layer is still what `geo import gis` reads back
    with open_store(str(tmp_path / "target.sqlite")) as store:
        summary = import_file("gis", out, store, default_forces())
    assert (summary.imported, summary.problems) == (1, [])


def test_a_kml_has_a_control_folder_google_earth_and_qgis_read(tmp_path: Path,
                                                              db: str) -> None:
    out = tmp_path / "brief.kml"
    _export(db, out)
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert {f"Control on {DAY}", "Places", "Areas", "Front lines"} <= set(names)
    places = gpd.read_file(out, layer="Places")
    assert places.crs.to_epsg() == 4326
    assert "Mosul: held by Islamic State since 2014-06-10" in set(places["Name"])
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    [mosul] = [m for m in _folder(root, "Places") if m.findtext("k:name", "", NS)
               .startswith("Mosul:")]
    description = mosul.findtext("k:description", "", NS)
    assert "<th>basis</th><td>curated</td>" in description
    assert mosul.findtext("k:styleUrl", "", NS) == "#control-place-IS"
    area_colour = root.find(".//k:Style[@id='control-area-IS']/k:PolyStyle/k:color", NS)
    assert area_colour is not None and area_colour.text.startswith("40")   # 25 % fill


def test_the_kml_time_slider_shows_who_held_each_town_at_the_time_chosen(
        tmp_path: Path, db: str) -> None:
    """Google Earth's time slider: a place's state on D spans from the day it began with
    no end (nothing later is known on D); its earlier states (folder "Earlier states")
    each end where the next began, so sliding back to 2015 shows Ramadi held by IS and
    to 2013 held by the ISF; nothing begins after D. Ramadi on the curated timeline:
    contested from 4 January 2014, IS from 17 May 2015, ISF from 28 December 2015."""
    out = tmp_path / "slider.kml"
    _export(db, out)
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert _spans(_folder(root, "Places"), "Ramadi:") == [("2015-12-28", "")]
    assert _spans(_folder(root, "Places"), "Mosul:") == [("2014-06-10", "")]
    earlier = _folder(root, "Earlier states")
    assert _spans(earlier, "Ramadi:") == [("", "2014-01-04"), ("2014-01-04", "2015-05-17"),
                                          ("2015-05-17", "2015-12-28")]
    names = [m.findtext("k:name", "", NS) for m in earlier]
    assert "Ramadi: held by Islamic State, 2015-05-17 to 2015-12-28" in names
    assert "Ramadi: held by Iraqi Security Forces, before 2014-01-04" in names
    # every time written is on or before D; areas and fronts begin on their change point
    times = [t.text for t in root.iterfind(".//k:Folder//k:TimeSpan/*", NS)]
    assert times and all(t is not None and t[:10] <= DAY for t in times)
    for folder in ("Areas", "Front lines"):
        [begin] = {b for b, _end in _spans(_folder(root, folder), "")}
        assert begin <= DAY and _spans(_folder(root, folder), "")[0][1] == ""
    # QGIS (GDAL's LIBKML driver) reads the same spans as begin/end fields
    read = gpd.read_file(out, layer="Earlier states")
    ramadi = read[read["Name"].str.startswith("Ramadi: held by Islamic State")]
    assert [str(v)[:10] for v in (*ramadi["begin"], *ramadi["end"])] == \
        ["2015-05-17", "2015-12-28"]
    # the event keeps its own span (19 June 2016)
    [event] = [m for m in root.iterfind("k:Document/k:Placemark", NS)]
    assert event.findtext("k:TimeSpan/k:begin", "", NS) == "2016-06-19"


def test_geojson_control_features_name_their_layer_and_import_reads_only_events(
        tmp_path: Path, db: str) -> None:
    out = tmp_path / "brief.geojson"
    _export(db, out)
    frame = gpd.read_file(out)
    assert frame.crs.to_epsg() == 4326
    assert set(frame["layer"].dropna()) == set(LAYERS)
    [mosul] = frame[(frame["layer"] == "control_places") & (frame["name"] == "Mosul")] \
        .to_dict("records")
    assert (mosul["status"], mosul["force"]) == ("held", "IS")
    assert frame["layer"].isna().sum() == 1                   # the one event
    with open_store(str(tmp_path / "target.sqlite")) as store:
        summary = import_file("gis", out, store, default_forces())
    assert (summary.imported, summary.problems) == (1, [])


def test_a_capture_told_by_the_month_says_so_without_the_curated_timeline(
        tmp_path: Path) -> None:
    """``--no-curated``: only the store's evidence. ISF "retook Ramadi in December"
    (2015-12-01..31): its since is "December 2015", as the popup and ``--place`` say,
    on a single report; no row rests on the curated timeline."""
    url = str(tmp_path / "loose.sqlite")
    with open_store(url) as store:
        store.ingest(make_article(), [make_event(
            town="Ramadi", event_date=date(2015, 12, 31), date_min=date(2015, 12, 1),
            date_max=date(2015, 12, 31), time_precision=TimePrecision.MONTH)])
    out = tmp_path / "loose.gpkg"
    assert main(["export", "--db", url, "--out", str(out), "--control", "2016-02-01",
                 "--no-curated"]) == 0
    places = gpd.read_file(out, layer="control_places")
    [ramadi] = places[places["name"] == "Ramadi"].to_dict("records")
    assert (ramadi["force"], ramadi["since"], ramadi["basis"]) == \
        ("ISF", "December 2015", "single report")
    assert not places["sources"].str.contains("curated").any()
    # KML: the holder begins in December 2015, at the month the report gave
    kml = tmp_path / "loose.kml"
    assert main(["export", "--db", url, "--out", str(kml), "--control", "2016-02-01",
                 "--no-curated"]) == 0
    root = ET.fromstring(kml.read_text(encoding="utf-8"))
    assert _spans(_folder(root, "Places"), "Ramadi:") == [("2015-12", "")]


@pytest.mark.parametrize(("args", "message"), [
    (["--control", DAY], "control is exported as GIS layers"),
    (["--no-curated"], "--no-curated applies to the control layers"),
])
def test_control_options_that_cannot_apply_are_refused(tmp_path: Path, db: str, capsys,
                                                       args, message) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--db", db, "--out", str(out), *args]) == 1
    assert message in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize(("day", "earliest", "when"), [
    (date(2015, 12, 28), None, "2015-12-28"),                  # a day
    (date(2015, 12, 31), date(2015, 12, 1), "2015-12"),        # "in December"
    (date(2014, 12, 31), date(2014, 1, 1), "2014"),            # "in 2014"
    (date(2015, 12, 31), date(2015, 10, 19), "2015-12-31"),    # between two days: counted
    (date(2015, 12, 30), date(2015, 12, 1), "2015-12-30"),     # not a whole month
])
def test_a_kml_time_keeps_the_precision_the_report_gave(day, earliest, when) -> None:
    from geo.exports.kml_text import kml_when

    assert kml_when(day, earliest) == when


def test_an_inferred_holder_is_exported_as_the_popup_says_it() -> None:
    """Rule 7 in the GIS exports: before IS's capture of Fallujah the ISF held it only as
    the force IS took it from. The places layer's ``since`` and the KML placemark's
    name say so in the popup's words (``geo.control.wording``), never "since" the start
    of the record the rules reach back to."""
    from geo.control.history import control_map
    from geo.exports.control_gis import PLACES, control_frames, kml_folders

    taken = make_event(event_id="taken", event_date=date(2014, 1, 4), actor1_force="IS",
                       actor2_force="ISF", control_to="IS",
                       sub_event_type="Non-state actor overtakes territory")
    forces = default_forces()
    frames = control_frames(control_map(date(2013, 6, 1), [taken], curated=False), forces)
    [row] = [r for _, r in frames[PLACES].iterrows() if r["name"] == taken.location]
    isf, is_ = forces.display("ISF"), forces.display("IS")
    said = (f"before 2014-01-04 (inferred: {is_} took it from {isf} on 2014-01-04; no "
            f"report of {isf} taking it)")
    assert (row["force"], row["inferred"], row["since"]) == ("ISF", True, said)
    _styles, folder = kml_folders(frames, forces, "2013-06-01")
    assert f"{taken.location}: held by {isf} {said}" in \
        folder.replace("&#x27;", "'").replace("&apos;", "'")
    assert "since before" not in folder and "2011-01-01" not in folder
