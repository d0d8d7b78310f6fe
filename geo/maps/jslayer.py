"""One Leaflet ``L.geoJSON`` layer with options written in JavaScript by us.

Why not ``folium.GeoJson``: its per-feature ``style_function`` and popups run in Python
for every feature and emit one style map entry and one popup object each, and it cannot
build a popup from a feature's properties in the browser. Here the data is one JSON
document and styling/popups are small functions of the feature's properties, so 10,000
events stay one object (field notes: one object per marker costs ~2 s per step at 1,000).
"""
from __future__ import annotations

import json
from typing import Any

from branca.element import Element, Figure
from folium.elements import MacroElement
from folium.template import Template


def js_json(value: Any) -> str:
    """JSON safe to embed in a <script> element: ``<``, ``>`` and ``&`` as ``\\u`` escapes
    (as Django's json_script does), so article text can neither end the script early
    nor open an HTML comment or a nested script."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class GeoJsonLayer(MacroElement):
    """``L.geoJSON(data, options)`` added to its parent (map or feature group).

    ``options_js`` is trusted JavaScript written in this package (an object literal);
    everything that comes from data travels in ``data`` as JSON and is only ever read
    as values (popups are built with ``textContent``), so article text cannot run.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {{ this.options_js }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any], options_js: str = "{}", name: str = "geojson_layer"):
        super().__init__()
        self._name = name
        self.data_json = js_json(data)
        self.options_js = options_js


def add_header_css(fmap: MacroElement, css: str, name: str) -> None:
    """Add a <style> block to the page head (streamlit-folium keeps head styles; it drops
    only script and stylesheet links), once per ``name``."""
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Element(f"<style>{css}</style>"), name=name)
