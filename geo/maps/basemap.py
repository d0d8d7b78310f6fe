"""The offline vector basemap: countries, provinces, rivers, lakes and town labels.

Why vector layers instead of tiles: analysts work offline; the layers in
``data/boundaries/`` (built by ``geo.maps.build_basemap``, ~0.5 MB) are enough to place
events. OpenStreetMap tiles are added only when the ``online_tiles`` setting is on.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import folium

from geo.core import settings, theatre
from geo.core.errors import InputError
from geo.core.paths import BOUNDARIES_DIR
from geo.maps.jslayer import GeoJsonLayer, add_header_css

LAYERS = ("countries", "provinces", "rivers", "lakes", "towns")
CENTER: tuple[float, float] = theatre.current().center
ZOOM_START = 6
MIN_ZOOM = 4
#: Without tiles Leaflet has no maxZoom and MarkerCluster stops the map: always set it.
MAX_ZOOM = 15
SEA = "#cfe2ea"
#: The basemap's colours, one definition for the dashboard and the briefing exports
#: (``geo.exports.render``): a picture must look like the screen it was taken from.
LAND = "#fbfaf6"                 # theatre countries
NEIGHBOUR_LAND = "#ecebe6"
BORDER = "#7a7a7a"
PROVINCE_LINE = "#9a9a9a"
LAKE, LAKE_EDGE, RIVER = "#b7d6e3", "#86b5c9", "#5d9cc7"
ATTRIBUTION = ("Boundaries: <a href='https://www.naturalearthdata.com/'>Natural Earth</a>, "
               "<a href='https://whosonfirst.org/docs/licenses/'>Who's On First</a>")
OSM_ATTRIBUTION = ("&copy; <a href='https://www.openstreetmap.org/copyright'>"
                   "OpenStreetMap</a> contributors")

_CSS = f"""
.leaflet-container {{ background: {SEA}; }}
.geo-town {{ white-space: nowrap; font: 11px/1.1 system-ui, sans-serif; color: #333;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }}
.geo-town b {{ display: inline-block; width: 4px; height: 4px; margin-right: 3px;
  background: #444; border-radius: 2px; vertical-align: middle; }}
.geo-town-1 {{ font-weight: 600; }}
.geo-far .geo-town-2 {{ display: none; }}
.geo-popup {{ font: 13px/1.35 system-ui, sans-serif; }}
.geo-popup-type {{ font-weight: 600; margin-bottom: 2px; }}
.geo-popup-sentence {{ margin: 6px 0; padding-left: 8px; border-left: 3px solid #bbb;
  font-style: italic; white-space: pre-wrap; }}
.geo-m-place {{ font-weight: 700; text-decoration: underline; text-underline-offset: 2px; }}
.geo-m-date {{ font-style: italic; background: #fff0b3; border-radius: 2px; padding: 0 1px; }}
.geo-m-actor {{ font-weight: 600; color: #1f5fa8; }}
"""

_COUNTRY_OPTIONS = """{
  interactive: false, attribution: %s,
  style: function (f) {
    var core = %s.indexOf(f.properties.iso) >= 0;
    return {color: "%s", weight: 1.2, fillColor: core ? "%s" : "%s",
            fillOpacity: %s};
  }
}"""
_PROVINCE_OPTIONS = """{interactive: false,
  style: {color: "%s", weight: 0.6, dashArray: "3 3", fill: false}}""" % PROVINCE_LINE
_LAKE_OPTIONS = """{interactive: false,
  style: {color: "%s", weight: 0.6, fillColor: "%s", fillOpacity: 1}}""" % (LAKE_EDGE, LAKE)
_RIVER_OPTIONS = """{interactive: false,
  style: function (f) { return {color: "%s", weight: f.properties.rank <= 4 ? 1.8 : 1,
                                opacity: 0.9}; }}""" % RIVER
# Labels are DOM markers (DivIcon); minor towns are hidden when zoomed out (geo-far).
_TOWN_OPTIONS = """{
  interactive: false,
  pointToLayer: function (f, latlng) {
    var el = document.createElement("span");
    el.appendChild(document.createElement("b"));
    el.appendChild(document.createTextNode(f.properties.name));
    return L.marker(latlng, {interactive: false, keyboard: false,
      icon: L.divIcon({className: "geo-town geo-town-" + f.properties.rank, html: el,
                       iconSize: null, iconAnchor: [3, 7]})});
  },
  onEachFeature: function (f, layer) {
    layer.on("add", function () {
      var map = layer._map, box = map.getContainer();
      if (!map._geoTownZoom) {
        map._geoTownZoom = function () { box.classList.toggle("geo-far", map.getZoom() < 7); };
        map.on("zoomend", map._geoTownZoom);
        map._geoTownZoom();
      }
    });
  }
}"""


@lru_cache(maxsize=len(LAYERS))
def load_layer(name: str) -> dict[str, Any]:
    """A basemap layer as a GeoJSON dict, read once per process (do not mutate it)."""
    if name not in LAYERS:
        raise InputError(f"unknown basemap layer {name!r}; known: {', '.join(LAYERS)}")
    path = BOUNDARIES_DIR / f"{name}.geojson"
    try:
        layer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"basemap layer missing ({exc.strerror}); rebuild it with "
                         "python -m geo.maps.build_basemap", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"basemap layer is not valid GeoJSON ({exc.msg})",
                         source=str(path), line=exc.lineno) from exc
    return layer


def add_basemap(fmap: folium.Map, *, online_tiles: bool | None = None,
                towns: bool = True) -> folium.Map:
    """Draw the vector basemap (and, if enabled, OpenStreetMap tiles under it) on ``fmap``.
    ``towns=False`` leaves out the Natural Earth town labels (the dashboard draws its own
    from the gazetteer, ``geo.maps.labels``)."""
    if online_tiles is None:
        online_tiles = bool(settings.get("online_tiles"))
    if online_tiles:
        folium.TileLayer("OpenStreetMap", attr=OSM_ATTRIBUTION, max_zoom=MAX_ZOOM,
                         name="OpenStreetMap (online)").add_to(fmap)
    fill = "0.25" if online_tiles else "1"
    add_header_css(fmap, _CSS, "geo_basemap_css")
    countries = json.dumps(list(theatre.current().countries))
    options = _COUNTRY_OPTIONS % (json.dumps(ATTRIBUTION), countries, BORDER, LAND,
                                  NEIGHBOUR_LAND, fill)
    GeoJsonLayer(load_layer("countries"), options, "basemap_countries").add_to(fmap)
    GeoJsonLayer(load_layer("lakes"), _LAKE_OPTIONS, "basemap_lakes").add_to(fmap)
    GeoJsonLayer(load_layer("provinces"), _PROVINCE_OPTIONS, "basemap_provinces").add_to(fmap)
    GeoJsonLayer(load_layer("rivers"), _RIVER_OPTIONS, "basemap_rivers").add_to(fmap)
    if towns:
        GeoJsonLayer(load_layer("towns"), _TOWN_OPTIONS, "basemap_towns").add_to(fmap)
    return fmap


def make_base_map(*, online_tiles: bool | None = None, height: str = "100%",
                  center: tuple[float, float] | None = None,
                  zoom: int | None = None) -> folium.Map:
    """A folium map of the theatre with the vector basemap and no tile layer (offline).

    ``center``/``zoom`` (from a shared link) default to the whole theatre; they are part
    of the map script, so keep them fixed within a session or the iframe reloads."""
    fmap = folium.Map(location=center or CENTER, zoom_start=zoom or ZOOM_START, tiles=None,
                      maxZoom=MAX_ZOOM,
                      minZoom=MIN_ZOOM, prefer_canvas=True, control_scale=True,
                      height=height)
    return add_basemap(fmap, online_tiles=online_tiles)
