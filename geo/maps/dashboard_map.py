"""The Map page's map: a folium base map with the geo-scrub plugin, and the small feature
group that tells the plugin which data to load.

Why two parts: streamlit-folium keeps its iframe as long as the base map's script is the
same, and swaps the feature group in only when its script changes. So the base map
(basemap, plugin, symbols, labels) is fixed for a session; the feature group carries
only URLs of the data files (``geo.maps.scrub.publish``) and the day the server wants
shown. A rerun after the analyst stopped scrubbing therefore sends a few hundred bytes
and changes nothing on screen; a new filter loads new files into the same map.

What the plugin sends back (``st_folium``'s return value, see ``view_from_browser``):
``{seq, day, window, n, zoom, center: [lat, lon], bounds: [[south, west], [north, east]]}``
once the analyst has stopped (slider released, step taken, date typed, map moved).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.core.paths import GAZETTEER_FILE
from geo.maps.assets import DEFAULT_BASE_URL, VENDOR_DIR
from geo.maps.basemap import ZOOM_START, add_basemap
from geo.maps.jslayer import js_json
from geo.maps.labels import basemap_labels
from geo.maps.scrub import DATA_DIR, DATA_URL, FIRST_ALLOWED, SUFFIX, publish
from geo.maps.symbols import symbols_json
from geo.maps.view import WINDOW_LABELS, ZOOM_RANGE

PLUGIN_JS = "_local/geo-scrub.js"
PLUGIN_CSS = "_local/geo-scrub.css"


def _versioned(rel: str) -> str:
    """The plugin's URL with a content hash, so a browser never runs an old copy."""
    digest = hashlib.sha256((VENDOR_DIR / rel).read_bytes()).hexdigest()[:10]
    return f"{DEFAULT_BASE_URL}/{rel}?v={digest}"


class ScrubPlugin(JSCSSMixin, folium.MacroElement):
    """Loads geo-scrub.js/.css and attaches it to the map with fixed options."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoScrub.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, options: dict[str, Any]):
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeoScrub"
        self.options_json = js_json(options)
        self.default_js = [("geo_scrub", _versioned(PLUGIN_JS))]
        self.default_css = [("geo_scrub_css", _versioned(PLUGIN_CSS))]


class ScrubLoad(folium.MacroElement):
    """``GeoScrub.load(payload)``: the data files and the day to show."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        GeoScrub.load({{ this.payload_json }});
        {% endmacro %}
    """)

    def __init__(self, payload: dict[str, Any]):
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GeoScrubLoad"
        self.payload_json = js_json(payload)


@lru_cache(maxsize=1)
def labels_url() -> str:
    """URL of the basemap labels file, built from the gazetteer once per version of it
    (named after the gazetteer's hash, so a restart does not rebuild it: ~1 s)."""
    digest = hashlib.sha256(GAZETTEER_FILE.read_bytes()).hexdigest()[:16]
    name = f"labels-g{digest}{SUFFIX}"
    if (DATA_DIR / name).is_file():
        return f"{DATA_URL}/{name}"
    return publish(basemap_labels(), f"labels-g{digest}", name=name)


def plugin_options(today: date | None = None) -> dict[str, Any]:
    """What the plugin needs for a whole session: symbols, the labels file, the dates
    a typed date may take (1990..today)."""
    today = today or date.today()
    return {"symbols": symbols_json(), "labels_url": labels_url(),
            "min_day": FIRST_ALLOWED.isoformat(), "max_day": today.isoformat(),
            "first": FIRST_ALLOWED.isoformat(), "last": today.isoformat(),
            "min_height": 420, "bottom_margin": 12}


def make_dashboard_map(center: tuple[float, float] | None = None, zoom: int | None = None,
                       options: dict[str, Any] | None = None) -> folium.Map:
    """The base map of the Map page: vector basemap (no tiles offline), gazetteer labels
    and the scrub plugin. Keep ``center``/``zoom``/``options`` fixed within a session:
    they are part of the script, and a different script reloads the iframe."""
    from geo.maps.basemap import CENTER, MIN_ZOOM
    fmap = folium.Map(location=center or CENTER, zoom_start=zoom or ZOOM_START, tiles=None,
                      maxZoom=ZOOM_RANGE[1], minZoom=MIN_ZOOM, prefer_canvas=True,
                      control_scale=True, height="100%")
    # Only Leaflet itself: the map draws no Bootstrap or awesome-marker icons, and
    # streamlit-folium loads each script in turn before the map can start.
    fmap.default_js = [(n, u) for n, u in folium.Map.default_js if n in _NEEDED_JS]
    fmap.default_css = [(n, u) for n, u in folium.Map.default_css if n in _NEEDED_CSS]
    add_basemap(fmap, towns=False)
    ScrubPlugin(options or plugin_options()).add_to(fmap)
    return fmap


_NEEDED_JS = frozenset({"leaflet", "geo_leaflet_icon_path"})
_NEEDED_CSS = frozenset({"leaflet_css"})


@dataclass(frozen=True)
class ScrubPayload:
    """What one ``GeoScrub.load`` call gets (see ``scrub_group``)."""

    events_url: str
    details_url: str
    control_url: str | None
    day: date
    window: str
    n_days: int
    first: date
    last: date
    data_first: date | None
    data_last: date | None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"events_url": self.events_url, "details_url": self.details_url,
                "control_url": self.control_url, "day": self.day.isoformat(),
                "window": self.window, "n": self.n_days, "first": self.first.isoformat(),
                "last": self.last.isoformat(),
                "data_first": self.data_first.isoformat() if self.data_first else None,
                "data_last": self.data_last.isoformat() if self.data_last else None,
                "message": self.message}


def scrub_group(payload: ScrubPayload) -> folium.FeatureGroup:
    """The feature group for ``st_folium(feature_group_to_add=...)``: one load call."""
    group = folium.FeatureGroup(name="Scrub data", control=False)
    ScrubLoad(payload.to_json()).add_to(group)
    return group


@dataclass(frozen=True)
class BrowserView:
    """Where the analyst stopped, as the plugin reported it (see the module docstring)."""

    seq: int
    day: date
    window: str
    n_days: int
    zoom: int | None
    center: tuple[float, float] | None
    bounds: tuple[tuple[float, float], tuple[float, float]] | None


def view_from_browser(value: Any) -> BrowserView | None:
    """The plugin's report, checked (None when absent or malformed: a report is data
    from the browser, and a bad one must not break the page)."""
    if not isinstance(value, dict) or "seq" not in value or "day" not in value:
        return None
    try:
        seq = int(value["seq"])
        day = date.fromisoformat(str(value["day"]))
        window = str(value.get("window", ""))
        n_days = int(value.get("n", 30))
        zoom = int(value["zoom"]) if value.get("zoom") is not None else None
        center_raw = value.get("center")
        center = (float(center_raw[0]), float(center_raw[1])) if center_raw else None
        b = value.get("bounds")
        bounds = ((float(b[0][0]), float(b[0][1])), (float(b[1][0]), float(b[1][1]))) \
            if b else None
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    if window not in WINDOW_LABELS or not 1 <= n_days <= 3660:
        return None
    if zoom is not None and not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        zoom = None
    return BrowserView(seq, day, window, n_days, zoom, center, bounds)
