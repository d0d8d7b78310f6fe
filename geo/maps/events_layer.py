"""Events as ONE Leaflet GeoJSON layer inside a FeatureGroup, for ``st_folium``.

Why one layer: the field notes measured 0.9-2.0 s per slider step with one folium object
per event at 1,000 events and 0.26-0.43 s with one GeoJSON layer. The feature group is
passed to ``st_folium(feature_group_to_add=...)`` so the base map iframe is kept.

Encoding (legend: ``legend_items()``):
- colour: the force of actor1 (``data/forces.csv``);
- symbol: battles filled circles, remote violence (strikes, shelling, IEDs) hollow circles
  with a thick dashed ring, violence against civilians filled with a white ring, other
  types small circles; captures get a black ring;
- place uncertainty: near a place (geo_precision 2) a medium translucent circle (12 px);
  province/region or coarser (>= 3) a pale circle with a radius in metres
  (``UNCERTAINTY_METRES``: 25 km for a province, 60 km for a country or line), so it
  grows with the zoom like the area it stands for;
- coarse date (time_precision >= 3): faded with a dotted outline; undated events are
  never on the time view (the store leaves them out of any window).
Popups are built in the browser from the feature's properties with ``textContent``:
article text is shown as text, never parsed as markup. The supporting sentence's place,
date and actor mentions are ``<span class="geo-m-place|geo-m-date|geo-m-actor">``
elements (styled in ``geo.maps.basemap``), built the same way.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.codebook import CAPTURE_SUB_EVENT_TYPES
from geo.core.links import event_link
from geo.core.mentions import HIGHLIGHT_KINDS, clean_mentions, utf16_spans
from geo.core.records import GeoPrecision, TimePrecision
from geo.maps.forces_style import force_colour, force_label
from geo.maps.jslayer import GeoJsonLayer, js_json
from geo.maps.view import frame_day_bounds, window_mask

LAYER_NAME = "Events"
EVENTS_CLASS = "geo-event"

TIME_PRECISION_TEXT = {1: "day", 2: "week", 3: "month", 4: "year", 9: "undated"}
GEO_PRECISION_TEXT = {1: "exact place", 2: "near the place", 3: "province/region centroid",
                      4: "country or line"}

#: Radius (metres) of the circle drawn for a place known only to a region or country.
UNCERTAINTY_METRES = {3: 25_000, 4: 60_000}

REMOTE = "Explosions/Remote violence"
BATTLES = "Battles"
CIVILIANS = "Violence against civilians"


@dataclass(frozen=True)
class LegendItem:
    """One line of the map legend (drawn by the page, not on the map: no extra JS)."""

    symbol: str
    meaning: str


def legend_items() -> list[LegendItem]:
    """What the symbols mean, in the order the legend shows them (colour = force)."""
    return [
        LegendItem("● filled circle", "battle"),
        LegendItem("◌ hollow, thick dashed ring", "strike, shelling, IED (remote violence)"),
        LegendItem("◉ white ring", "violence against civilians"),
        LegendItem("• small circle", "other event types"),
        LegendItem("black ring", "capture of territory"),
        LegendItem("◯ medium translucent circle", "near the place (geo precision 2)"),
        LegendItem("◯ large pale circle (km radius)", "place known only to province "
                   "(25 km) or country/line (60 km)"),
        LegendItem("faded, dotted outline", "date known only to the month or coarser; "
                   "undated events are not on the time view"),
    ]


def _text(value: Any) -> str:
    """A display string for a cell: '' for None/NaN/NaT."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _int(value: Any, default: int) -> int:
    text = _text(value)
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


def date_text(row: dict[str, Any]) -> str:
    """'2016-05-03 (day)', '2016-05-01 to 2016-05-31 (month)', 'undated'."""
    precision = _int(row.get("time_precision"), TimePrecision.DAY)
    label = TIME_PRECISION_TEXT.get(precision, f"precision {precision}")
    day = _text(row.get("event_date"))
    if not day:
        return "undated"
    lo, hi = _text(row.get("date_min")), _text(row.get("date_max"))
    if lo and hi and lo != hi:
        return f"{lo} to {hi} ({label})"
    return f"{day} ({label})"


def event_style(row: dict[str, Any]) -> dict[str, Any]:
    """Leaflet path options for one event (see the module docstring for the encoding)."""
    colour = force_colour(_text(row.get("actor1_force")))
    event_type = _text(row.get("event_type"))
    geo_precision = _int(row.get("geo_precision"), GeoPrecision.EXACT)
    time_precision = _int(row.get("time_precision"), TimePrecision.DAY)
    style: dict[str, Any] = {"radius": 6, "color": colour, "weight": 1.5, "opacity": 1.0,
                             "fillColor": colour, "fillOpacity": 0.85}
    if event_type == REMOTE:
        style.update(radius=6, weight=3, fillOpacity=0.15, dashArray="3 2")
    elif event_type == CIVILIANS:
        style.update(color="#ffffff", weight=2)
    elif event_type != BATTLES:
        style.update(radius=4)
    if _text(row.get("sub_event_type")) in CAPTURE_SUB_EVENT_TYPES:
        style.update(color="#000000", weight=2.5, radius=style["radius"] + 1)
    if geo_precision >= GeoPrecision.REGION:
        metres = UNCERTAINTY_METRES.get(min(geo_precision, GeoPrecision.COUNTRY), 25_000)
        style.update(metres=metres, fillOpacity=0.15, weight=1.5, opacity=0.7)
    elif geo_precision == GeoPrecision.NEAR:
        style.update(radius=12, fillOpacity=0.3, opacity=0.8)
    if time_precision >= TimePrecision.MONTH:
        style.update(opacity=round(style["opacity"] * 0.45, 3),
                     fillOpacity=round(style["fillOpacity"] * 0.45, 3), dashArray="1 4")
    return style


def article_link(row: dict[str, Any]) -> str:
    """Where the popup's article link goes: the article's own http(s) URL if we have one,
    else the dashboard's Events page for this event. Never a ``javascript:`` URL."""
    for column in ("article_url", "url", "source_url"):
        url = _text(row.get(column)).strip()
        if url.lower().startswith(("http://", "https://")):
            return url
    return event_link(_text(row.get("event_id")))


def popup_mentions(sentence: str, mentions: Any) -> list[list[Any]]:
    """The mentions the popup highlights: ``[[kind, start, end], ...]`` in sentence
    order, offsets in UTF-16 code units (what JavaScript's ``slice`` counts).

    Why checked here: the offsets come from stored JSON; only known kinds with integer
    offsets inside the sentence, not overlapping, reach the browser
    (``geo.core.mentions.clean_mentions``). Lists, not objects: three small values per mention
    instead of three keys keeps 10,000 features' JSON small. The popup script checks
    them again, so a hand-made feature cannot break it either."""
    return utf16_spans(sentence, clean_mentions(sentence, mentions)) if sentence else []


def event_properties(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON properties of one event feature: plain values, no markup.

    ``mentions`` (see ``popup_mentions``) belong to ``evidence_sentence``; when the
    popup falls back to another text (no evidence) there is nothing to highlight."""
    evidence = _text(row.get("evidence_sentence"))
    return {
        "event_id": _text(row.get("event_id")),
        "date": date_text(row),
        "type": " / ".join(t for t in (_text(row.get("event_type")),
                                       _text(row.get("sub_event_type"))) if t),
        "actors": " vs ".join(a for a in (_text(row.get("actor1")),
                                          _text(row.get("actor2"))) if a),
        "force": force_label(_text(row.get("actor1_force"))),
        "location": _text(row.get("location")),
        "place": GEO_PRECISION_TEXT.get(_int(row.get("geo_precision"), 1), ""),
        "fatalities": _int(row.get("fatalities"), 0),
        "mentions": popup_mentions(evidence, row.get("evidence_mentions")),
        "sentence": evidence or _text(row.get("sentence")) or _text(row.get("notes")),
        "link": article_link(row),
        "review": _text(row.get("review_status")),
        "style": event_style(row),
    }


def _coordinates(row: dict[str, Any]) -> tuple[float, float] | None:
    """(lon, lat) from latitude/longitude, else from the geometry; None if unknown."""
    lat, lon = row.get("latitude"), row.get("longitude")
    try:
        lat_f, lon_f = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        geom = row.get("geometry")
        if geom is None or getattr(geom, "is_empty", True):
            return None
        lon_f, lat_f = geom.x, geom.y
    if math.isnan(lat_f) or math.isnan(lon_f):
        return None
    return round(lon_f, 5), round(lat_f, 5)


def event_feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """One GeoJSON feature for an event; None when it has no coordinates."""
    xy = _coordinates(row)
    if xy is None:
        return None
    return {"type": "Feature", "properties": event_properties(row),
            "geometry": {"type": "Point", "coordinates": list(xy)}}


def feature_texts(events: gpd.GeoDataFrame | pd.DataFrame) -> list[str]:
    """Each row's feature as script-safe JSON text (``js_json``), "" without coordinates.

    Why text: the slider slices a loaded frame on every step; joining ready texts of the
    kept rows costs a few ms at 10,000 events where building and dumping dicts again
    costs hundreds."""
    records: Iterable[dict[str, Any]] = events.to_dict("records") if len(events) else []
    out: list[str] = []
    for row in records:
        feature = event_feature(row)
        out.append(js_json(feature) if feature is not None else "")
    return out


def collection_json(texts: Iterable[str]) -> str:
    """A FeatureCollection (script-safe JSON text) of ``feature_texts`` items."""
    return ('{"type":"FeatureCollection","features":['
            + ",".join(t for t in texts if t) + "]}")


@dataclass(frozen=True)
class LoadedEvents:
    """The events of one non-date filter, ready to be sliced by date window.

    Why: a slider step changes only the window; loading the frame once per filter and
    masking by date (numpy, ~1 ms at 10,000 events) replaces a query plus building the
    GeoJSON again (the store benchmark: 0.4-1.7 s for large results). ``lon``/``lat``/
    ``force`` describe each row without touching the feature texts."""

    texts: tuple[str, ...]          # feature JSON per row ("" without coordinates)
    lo: np.ndarray                  # first possible day per row, datetime64[D]
    hi: np.ndarray                  # last possible day per row, datetime64[D]
    n_without_coordinates: int = 0  # matching the filter but never drawn
    lon: np.ndarray | None = None   # degrees (EPSG:4326) per row, NaN without coordinates
    lat: np.ndarray | None = None
    force: np.ndarray | None = None  # actor-1 force id per row ("" none)

    @classmethod
    def from_frame(cls, frame: gpd.GeoDataFrame | pd.DataFrame) -> LoadedEvents:
        lo, hi = frame_day_bounds(frame)
        texts = tuple(feature_texts(frame))
        n = len(frame)
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(float) \
            if "longitude" in frame else np.full(n, np.nan)
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(float) \
            if "latitude" in frame else np.full(n, np.nan)
        lon = np.where([bool(t) for t in texts], lon, np.nan) if n else lon
        force = (frame["actor1_force"].fillna("").astype(str).to_numpy(object)
                 if "actor1_force" in frame else np.full(n, "", dtype=object))
        return cls(texts, lo, hi, int(frame.attrs.get("n_without_coordinates", 0)),
                   lon, lat, force)

    def rows(self, date_from: date | None, date_to: date | None) -> np.ndarray:
        """Indices of the rows overlapping the window."""
        if not self.texts:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(window_mask(self.lo, self.hi, date_from, date_to))

    def count(self, keep: np.ndarray) -> int:
        """How many of the rows ``keep`` have coordinates (would be drawn)."""
        if self.lon is not None:
            return int(np.isfinite(self.lon[keep]).sum())
        return sum(1 for i in keep if self.texts[i])

    def collection(self, keep: np.ndarray) -> str:
        """FeatureCollection JSON text of the rows ``keep``."""
        return collection_json(self.texts[i] for i in keep)

    def window(self, date_from: date | None, date_to: date | None) -> tuple[str, int]:
        """``(FeatureCollection JSON text, number of events)`` overlapping the window."""
        keep = self.rows(date_from, date_to)
        return self.collection(keep), self.count(keep)


def events_geojson(events: gpd.GeoDataFrame | pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection of the events that have coordinates."""
    features: list[dict[str, Any]] = []
    records: Iterable[dict[str, Any]] = events.to_dict("records") if len(events) else []
    for row in records:
        xy = _coordinates(row)
        if xy is None:
            continue
        features.append({"type": "Feature", "properties": event_properties(row),
                         "geometry": {"type": "Point", "coordinates": list(xy)}})
    return {"type": "FeatureCollection", "features": features}


# Popup and tooltip are DOM built with textContent: the sentence can never be markup.
_EVENT_OPTIONS = """{
  pointToLayer: function (f, latlng) {
    var o = Object.assign({className: "%(cls)s", bubblingMouseEvents: false}, f.properties.style);
    if (o.metres) { o.radius = o.metres; return L.circle(latlng, o); }
    return L.circleMarker(latlng, o);
  },
  onEachFeature: function (f, layer) {
    var p = f.properties;
    // The sentence as text nodes, each valid mention ([kind, start, end], UTF-16
    // offsets, sentence order) in a <span class="geo-m-KIND">; a mention of another
    // kind, out of range or overlapping the previous one is skipped (plain text).
    function highlight(el, text, mentions) {
      var at = 0, kinds = %(kinds)s;
      (Array.isArray(mentions) ? mentions : []).forEach(function (m) {
        if (!Array.isArray(m) || m.length !== 3) { return; }
        var kind = m[0], start = m[1], end = m[2];
        if (kinds.indexOf(kind) < 0 || !Number.isInteger(start) || !Number.isInteger(end)
            || start < at || end <= start || end > text.length) { return; }
        if (start > at) { el.appendChild(document.createTextNode(text.slice(at, start))); }
        var s = document.createElement("span");
        s.className = "geo-m-" + kind;
        s.textContent = text.slice(start, end);
        el.appendChild(s);
        at = end;
      });
      if (at < text.length) { el.appendChild(document.createTextNode(text.slice(at))); }
    }
    layer.bindTooltip(function () {
      var t = document.createElement("span");
      t.textContent = p.date + " \\u2014 " + p.type + (p.location ? " \\u2014 " + p.location : "");
      return t;
    });
    layer.bindPopup(function () {
      var box = document.createElement("div");
      box.className = "geo-popup";
      box.setAttribute("data-event-id", p.event_id);
      function line(label, value, cls) {
        if (value === "" || value === null || value === undefined) { return; }
        var d = document.createElement("div");
        if (cls) { d.className = cls; }
        if (label) { var b = document.createElement("b"); b.textContent = label + ": ";
                     d.appendChild(b); }
        d.appendChild(document.createTextNode(String(value)));
        box.appendChild(d);
      }
      line("", p.type, "geo-popup-type");
      line("Date", p.date);
      line("Where", p.location + (p.place ? " (" + p.place + ")" : ""));
      line("Actors", p.actors);
      line("Force", p.force);
      line("Fatalities", p.fatalities);
      if (p.sentence) {
        var q = document.createElement("blockquote");
        q.className = "geo-popup-sentence";
        highlight(q, String(p.sentence), p.mentions);
        box.appendChild(q);
      }
      if (p.link && /^(https?:\\/\\/|\\/)/i.test(p.link)) {
        var a = document.createElement("a");
        a.href = p.link; a.target = "_blank"; a.rel = "noopener noreferrer";
        a.textContent = /^https?:/i.test(p.link) ? "Article" : "Event and article";
        box.appendChild(a);
      }
      return box;
    }, {maxWidth: 360});
  }
}""" % {"cls": EVENTS_CLASS, "kinds": js_json(list(HIGHLIGHT_KINDS))}


def feature_group_from_geojson(collection: dict[str, Any] | str,
                               name: str = LAYER_NAME) -> folium.FeatureGroup:
    """A FeatureGroup holding one GeoJSON layer of ``events_geojson`` output, or of
    ``collection_json`` text (the page caches the features and builds this cheap
    wrapper on every rerun)."""
    group = folium.FeatureGroup(name=name)
    if isinstance(collection, str):
        GeoJsonLayer({}, _EVENT_OPTIONS, "events_layer", data_json=collection).add_to(group)
    else:
        GeoJsonLayer(collection, _EVENT_OPTIONS, "events_layer").add_to(group)
    return group


def events_feature_group(events: gpd.GeoDataFrame | pd.DataFrame,
                         name: str = LAYER_NAME) -> folium.FeatureGroup:
    """The events as one GeoJSON layer in a FeatureGroup (for ``feature_group_to_add``)."""
    return feature_group_from_geojson(events_geojson(events), name)
