"""Control of one day as GIS layers beside the events: places, areas, front lines.

An analyst briefing from Google Earth or QGIS wants who held which town on the map's day
next to the events, not only the events. The layers are the control map ``geo control
--date D`` writes (``ControlSeries.collection_on`` with each place's history), flattened
to plain columns a GIS table shows (no nested lists):

==================  ==============  ======================================================
layer               geometry        columns
==================  ==============  ======================================================
``control_places``  Point           date, name, place_key, country, status, force,
                                    force_name, holder (the popup's line: "held by ...",
                                    "contested between ...", "stale: ..."), since (as the
                                    report told it: "December 2015"; for a holder no
                                    report shows taking it, how it is known: "before
                                    2014-01-04 (inferred: ...)", ``geo.control.
                                    wording``), holder_since (ISO; empty
                                    when no report shows the holder taking it),
                                    basis (the weight of the best claim behind the holder:
                                    analyst-confirmed, curated, corroborated, single
                                    report, stated in passing, presumed), inferred,
                                    sources (each claim behind the state, with its
                                    citation or article count), disputed_by,
                                    changed_recently, event_ids
``control_areas``   MultiPolygon    date, kind ("area": settled land that follows a
                                    force's towns; "desert": open land between them),
                                    force, force_name, colour, km2, places
``control_fronts``  MultiLineString date, force_a, force_a_name, force_b, force_b_name
==================  ==============  ======================================================

CRS: EPSG:4326 (longitude, latitude) in every file, as the control map is. The wording
of the holder, the since and the sources is the map popup's (``geo.maps.control_layer``)
so a table row and a popup never disagree.

Time in KML (Google Earth's time slider): a place's placemark spans its state on D from
the day that state began (``<begin>`` at the report's precision: "2015-12" for a capture
told by the month, none for a holder only inferred or presumed) with no end, as nothing
later is known on D; the states it had before D (``control_for_export``: the place's
timeline up to D) are placemarks of a folder "Earlier states", each ending where the
next began, so sliding back shows who held each town then, never after D. Areas and
front lines begin on the change point they were drawn for (the last day up to D on
which any place's state changed).
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from geo.control.claims import PRESUMED, TIER_NAMES
from geo.core.forces import ForceTable
from geo.exports.kml_text import kml_colour, kml_time_span, kml_when, xml_text
from geo.maps.control_layer import holder_line, holder_when, sources_line, status_line

if TYPE_CHECKING:
    from geo.control.series import ControlSeries
    from geo.control.timeline import Snapshot

CRS = "EPSG:4326"
PLACES, AREAS, FRONTS = "control_places", "control_areas", "control_fronts"
#: Layer name -> (geometry type, columns), in the order the files hold them.
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    PLACES: ("Point", ("date", "name", "place_key", "country", "status", "force",
                       "force_name", "holder", "since", "holder_since", "basis", "inferred",
                       "sources", "disputed_by", "changed_recently", "event_ids")),
    AREAS: ("MultiPolygon", ("date", "kind", "force", "force_name", "colour", "km2",
                             "places")),
    FRONTS: ("MultiLineString", ("date", "force_a", "force_a_name", "force_b",
                                 "force_b_name")),
}


def _joined(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values if v)


def _place_row(props: dict[str, Any], day: str, forces: ForceTable) -> dict[str, Any]:
    force = str(props.get("force") or "")
    return {
        "date": day, "name": props.get("name", ""), "place_key": props.get("place_key", ""),
        "country": props.get("country", ""), "status": props.get("status", ""),
        "force": force, "force_name": forces.display(force) if force else "",
        "holder": status_line(props),
        "since": holder_line(props) if force else str(props.get("since") or ""),
        # the day a report shows the holder taking it; none when no report does (the
        # day its state begins is the rules' reach, not a report's: ``since`` says how)
        "holder_since": str(props.get("holder_since") or "")
        if holder_when(props).reported else "",
        "basis": TIER_NAMES.get(int(props.get("tier", -2)), "") if force else "",
        "inferred": bool(props.get("inferred")),
        "sources": sources_line(props),
        "disputed_by": _joined(props.get("disputed") or []),
        "changed_recently": bool(props.get("changed_recently")),
        "event_ids": _joined(props.get("event_ids") or []),
    }


def _multi(geom: BaseGeometry, kind: str) -> BaseGeometry | None:
    """The polygonal (``kind`` "MultiPolygon") or linear parts of ``geom`` as one multi
    geometry (a layer holds one geometry type); None when nothing of that kind is left."""
    want = ("Polygon", "MultiPolygon") if kind == "MultiPolygon" else \
        ("LineString", "MultiLineString")
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in want and not p.is_empty]
    if not parts:
        return None
    return shapely.multipolygons(parts) if kind == "MultiPolygon" else \
        shapely.multilinestrings(parts)


def control_for_export(series: ControlSeries, day: date) -> dict[str, Any]:
    """The control map of ``day`` as the exports write it: ``geo control --date D``'s map
    with each place's history (``with_histories``) and ``periods``: its states up to
    ``day`` (``place_periods``), for the KML's time slider."""
    from geo.control.history import with_histories

    collection = with_histories(series.collection_on(day), series)
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("kind") == "place":
            props["periods"] = place_periods(series, str(props.get("place_key")), day)
    return collection


def _begin(start: date, snap: Snapshot) -> str:
    """When a state began, as KML time: none for a holder only inferred (rule 7: held
    *before* the first report) or presumed (rule 10: throughout the record); a new
    holder's change at its report's precision; else the day (a siege, fighting inside,
    a report gone stale)."""
    if snap.status not in ("held", "besieged"):
        return start.isoformat()
    if snap.inferred or snap.tier == PRESUMED:
        return ""
    return kml_when(start, snap.holder_from) if snap.holder_since == start \
        else start.isoformat()


def place_periods(series: ControlSeries, key: str, day: date) -> list[dict[str, Any]]:
    """The states of place ``key`` up to ``day``, oldest first: runs of one status and
    holder (a new supporting report does not start a new one), each with ``begin`` and
    ``end`` (KML times; ``end`` is the next state's start, "" for the state on ``day``)
    and what ``status_line`` words. A spell with nothing known ends the state before it
    and is left out."""
    history = series.histories.get(key)
    if history is None:
        return []
    runs: list[tuple[date, Snapshot | None]] = []
    for start, snap in history.segments:
        if start > day:
            break
        ident = None if snap is None else (snap.status, snap.force, snap.forces,
                                           snap.last_force)
        last = runs[-1][1] if runs else None
        if runs and ident == (None if last is None else (last.status, last.force,
                                                        last.forces, last.last_force)):
            continue
        runs.append((start, snap))
    periods: list[dict[str, Any]] = []
    for i, (start, snap) in enumerate(runs):
        if snap is None:
            continue
        end = ""
        if i + 1 < len(runs):
            after, next_snap = runs[i + 1]
            end = (_begin(after, next_snap) if next_snap is not None else "") \
                or after.isoformat()
        periods.append({
            "status": snap.status, "force": snap.force, "forces": list(snap.forces),
            "last_force": snap.last_force,
            "last_reported": snap.last_reported.isoformat() if snap.last_reported else "",
            "begin": _begin(start, snap), "end": end})
    return periods


def control_frames(collection: dict[str, Any], forces: ForceTable
                   ) -> dict[str, gpd.GeoDataFrame]:
    """The three layers (module table) of a control map with histories
    (``geo.control.history.with_histories``), each a GeoDataFrame in EPSG:4326; a layer
    with nothing in it has its columns and no rows."""
    day = str(collection.get("date") or "")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in LAYERS}
    geoms: dict[str, list[BaseGeometry]] = {name: [] for name in LAYERS}
    for feature in collection.get("features", []):
        props = feature.get("properties") or {}
        kind = props.get("kind")
        geom = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
        if geom is None or geom.is_empty:
            continue
        if kind == "place":
            rows[PLACES].append(_place_row(props, day, forces))
            geoms[PLACES].append(geom)
        elif kind in ("area", "desert"):
            multi = _multi(geom, "MultiPolygon")
            if multi is None:
                continue
            force = str(props.get("force") or "")
            rows[AREAS].append({
                "date": day, "kind": kind, "force": force,
                "force_name": props.get("force_name") or forces.display(force),
                "colour": props.get("colour") or forces.colour(force),
                "km2": float(props["km2"]) if props.get("km2") is not None else None,
                "places": _joined(p.get("name", "") if isinstance(p, dict) else p
                                  for p in props.get("places") or [])})
            geoms[AREAS].append(multi)
        elif kind == "front":
            multi = _multi(geom, "MultiLineString")
            if multi is None:
                continue
            a, b = str(props.get("force_a") or ""), str(props.get("force_b") or "")
            rows[FRONTS].append({"date": day, "force_a": a, "force_a_name": forces.display(a),
                                 "force_b": b, "force_b_name": forces.display(b)})
            geoms[FRONTS].append(multi)
    frames = {}
    for name, (_kind, columns) in LAYERS.items():
        frame = pd.DataFrame(rows[name], columns=list(columns))
        if name == AREAS:
            frame["km2"] = frame["km2"].astype("Float64")
        for flag in ("inferred", "changed_recently"):
            if flag in frame:
                frame[flag] = frame[flag].astype(bool)
        frames[name] = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms[name], crs=CRS),
                                        crs=CRS)
    return frames


def write_gpkg_layers(frames: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """Add the control layers to the GeoPackage at ``path`` (beside its events layer)."""
    for name, frame in frames.items():
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio",
                      geometry_type=LAYERS[name][0])


def geojson_features(frames: dict[str, gpd.GeoDataFrame]) -> list[dict[str, Any]]:
    """The control layers as GeoJSON features, each with its ``layer`` name among its
    properties (one FeatureCollection holds events and control; the GIS import reads
    only the events back)."""
    out: list[dict[str, Any]] = []
    for name, frame in frames.items():
        if not len(frame):
            continue
        for feature in frame.to_geo_dict(drop_id=True, na="null")["features"]:
            feature["properties"] = {"layer": name, **feature["properties"]}
            out.append(feature)
    return out


# --- KML ---------------------------------------------------------------------------------

def _ring(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{x:.6f},{y:.6f}" for x, y, *_ in coords)


def _kml_geometry(geom: BaseGeometry) -> str:
    """KML geometry of a point, (multi)polygon or (multi)line (lon,lat: EPSG:4326)."""
    if geom.geom_type == "Point":
        return f"<Point><coordinates>{geom.x:.6f},{geom.y:.6f}</coordinates></Point>"
    parts = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            inner = "".join(f"<innerBoundaryIs><LinearRing><coordinates>{_ring(r.coords)}"
                            f"</coordinates></LinearRing></innerBoundaryIs>"
                            for r in part.interiors)
            parts.append(f"<Polygon><outerBoundaryIs><LinearRing><coordinates>"
                         f"{_ring(part.exterior.coords)}</coordinates></LinearRing>"
                         f"</outerBoundaryIs>{inner}</Polygon>")
        elif part.geom_type == "LineString":
            parts.append(f"<LineString><coordinates>{_ring(part.coords)}</coordinates>"
                         f"</LineString>")
    return parts[0] if len(parts) == 1 else f"<MultiGeometry>{''.join(parts)}</MultiGeometry>"


def _table(row: dict[str, Any], columns: Iterable[str]) -> str:
    cells = "".join(f"<tr><th>{html.escape(c)}</th><td>{html.escape(str(row[c]))}</td></tr>"
                    for c in columns if row.get(c) not in ("", None, False))
    return f"<table>{cells}</table>"


#: Fill opacity of a control area in KML (``aa`` of ``aabbggrr``): the map's 25 %.
_AREA_ALPHA = "40"


def _current_begin(row: dict[str, Any], periods: list[dict[str, Any]] | None) -> str:
    """KML begin of a place's state on the day: its last period's; without periods (a
    map not made by ``control_for_export``) the holder's since, or the state's."""
    if periods:
        return str(periods[-1]["begin"])
    if row["status"] not in ("held", "besieged"):
        return str(row["since"] or "")
    if row["inferred"] or row["basis"] == TIER_NAMES[PRESUMED]:
        return ""
    return str(row["holder_since"] or "")


def kml_folders(frames: dict[str, gpd.GeoDataFrame], forces: ForceTable, day: str,
                periods: dict[str, list[dict[str, Any]]] | None = None,
                drawn_on: str = "") -> tuple[list[str], str]:
    """(styles, one ``<Folder>`` "Control on D" with sub-folders Places, Earlier states,
    Areas, Front lines) for a KML document (values escaped for XML; descriptions are
    HTML, escaped as HTML first). ``periods``: each place's states up to D by place key
    (``place_periods``); ``drawn_on``: the change point the areas were drawn for (their
    begin). Times as the module docstring says."""
    text = xml_text
    periods = periods or {}
    earlier = [(row, geom, period) for row, geom in
               zip(frames[PLACES].drop(columns="geometry").to_dict("records"),
                   frames[PLACES].geometry)
               for period in periods.get(str(row["place_key"]), [])[:-1]]
    used = sorted({str(f) for frame in (frames[PLACES], frames[AREAS])
                   for f in frame["force"]} | {str(p["force"]) for _r, _g, p in earlier}
                  | {""})
    styles = []
    for fid in used:
        colour = forces.colour(fid) if fid else "#9e9e9e"
        name = text(fid or "none", quote=True)
        styles.append(f'<Style id="control-place-{name}"><IconStyle><color>'
                      f"{kml_colour(colour)}</color><scale>1.2</scale></IconStyle>"
                      "</Style>")
        styles.append(f'<Style id="control-area-{name}"><LineStyle><color>'
                      f"{kml_colour(colour, '99')}</color><width>1</width></LineStyle>"
                      f"<PolyStyle><color>{kml_colour(colour, _AREA_ALPHA)}</color>"
                      f"</PolyStyle></Style>")
    styles.append('<Style id="control-front"><LineStyle><color>ff1a1a1a</color>'
                  "<width>4</width></LineStyle></Style>")
    sections = []
    for name, title, label in ((PLACES, "Places", _place_label),
                               (AREAS, "Areas", _area_label),
                               (FRONTS, "Front lines", _front_label)):
        frame = frames[name]
        columns = [c for c in LAYERS[name][1] if c != "date"]
        marks = []
        for row, geom in zip(frame.drop(columns="geometry").to_dict("records"),
                             frame.geometry):
            style = "control-front" if name == FRONTS else \
                f"control-{'place' if name == PLACES else 'area'}-{row['force'] or 'none'}"
            when = kml_time_span(_current_begin(row, periods.get(str(row["place_key"]))))\
                if name == PLACES else kml_time_span(drawn_on)
            marks.append(f"<Placemark><name>{text(label(row))}</name>"
                         f"<description>{text(_table(row, columns))}</description>"
                         f"{when}<styleUrl>#{text(style)}</styleUrl>{_kml_geometry(geom)}"
                         "</Placemark>")
        sections.append(f"<Folder><name>{title}</name>{''.join(marks)}</Folder>")
        if name == PLACES:
            sections.append(_earlier_folder(earlier, day))
    folder = (f"<Folder><name>{text(f'Control on {day}')}</name><description>"
              f"{text('Who held which town on the day, the land that follows them and the front lines (geo control); an estimate from dated reports, not a survey. Google Earth time slider: each place shows the state it was in at the time chosen (folder Earlier states: its states before the day); areas and front lines from the day they were drawn for.')}"
              f"</description>{''.join(sections)}</Folder>")
    return styles, folder


def _earlier_folder(earlier: list[tuple[dict[str, Any], BaseGeometry, dict[str, Any]]],
                    day: str) -> str:
    """The folder of the places' states before the day, each spanning begin..end."""
    text = xml_text
    marks = []
    for row, geom, period in earlier:
        state = status_line(period)
        begin, end = str(period["begin"]), str(period["end"])
        span = f"{begin} to {end}" if begin else f"before {end}"
        cells = {"name": row["name"], "place_key": row["place_key"], "state": state,
                 "begin": begin or "(before the first report)", "end": end}
        style = f"control-place-{period['force'] or 'none'}"
        label = f"{row['name']}: {state}, {span}"
        marks.append(f"<Placemark><name>{text(label)}</name>"
                     f"<description>{text(_table(cells, cells))}</description>"
                     f"{kml_time_span(begin, end)}<styleUrl>#{text(style)}</styleUrl>"
                     f"{_kml_geometry(geom)}</Placemark>")
    about = f"Each place as it was before {day}, for the time slider."
    return (f"<Folder><name>Earlier states</name><description>{text(about)}"
            f"</description>{''.join(marks)}</Folder>")


def _place_label(row: dict[str, Any]) -> str:
    """"Ramadi: held by Islamic State since 2015-05-17"; a holder no report shows taking
    the place reads its ``since`` column as it is ("... before 2014-01-04 (inferred:
    ...)": ``geo.control.wording``), never "since before"."""
    if not (row["force"] and row["since"]):
        return f"{row['name']}: {row['holder']}"
    reported = not row["inferred"] and row["basis"] != TIER_NAMES[PRESUMED]
    return f"{row['name']}: {row['holder']} {'since ' if reported else ''}{row['since']}"


def _area_label(row: dict[str, Any]) -> str:
    return f"{'Desert' if row['kind'] == 'desert' else 'Area'} held by {row['force_name']}"


def _front_label(row: dict[str, Any]) -> str:
    return f"Front line: {row['force_a_name']} / {row['force_b_name']}"
