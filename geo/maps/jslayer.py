"""One Leaflet ``L.geoJSON`` layer with options written in JavaScript by us.

Why not ``folium.GeoJson``: its per-feature ``style_function`` and popups run in Python
for every feature and emit one style map entry and one popup object each, and it cannot
build a popup from a feature's properties in the browser. Here the data is one JSON
document and styling/popups are small functions of the feature's properties, so 10,000
events stay one object (field notes: one object per marker costs ~2 s per step at 1,000).
"""
from __future__ import annotations

import json
import re
from typing import Any

from branca.element import Element, Figure
from folium.elements import MacroElement
from folium.template import Template

#: A ``{`` that would open a Jinja tag (``{{``, ``{%``, ``{#``). Compact JSON never has one
#: outside a string (a structural ``{`` is followed by ``"`` or ``}``), so each is text.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_json(value: Any) -> str:
    """JSON safe to embed in a <script> element: ``<``, ``>`` and ``&`` as ``\\u`` escapes
    (as Django's json_script does), so article text can neither end the script early
    nor open an HTML comment or a nested script; and a ``{`` opening a Jinja tag as
    ``\\u007b``, because branca compiles rendered scripts as Jinja templates (a sentence
    with ``{{ ... }}`` was evaluated on the server when a whole map was rendered)."""
    text = (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return _JINJA_OPEN.sub(r"\\u007b", text)


class RawScript(Element):
    """A script fragment rendered exactly as given.

    Why: ``MacroElement.render`` wraps each rendered script in ``branca.Element``, which
    compiles it as a Jinja template: with 10,000 events that lexes ~6 MB on every rerun
    (~0.3 s) and would evaluate any template syntax in the data."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class RawHtml(RawScript):
    """An HTML fragment (already escaped by the caller) rendered exactly as given.

    Why not ``folium.Element``: branca compiles its text as a Jinja template, so a title
    or filter text with ``{{ 7*7 }}`` would be evaluated ("49") when the map is rendered."""


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

    def __init__(self, data: dict[str, Any], options_js: str = "{}", name: str = "geojson_layer",
                 *, data_json: str | None = None):
        """``data_json``: the data already as ``js_json`` text (it replaces ``data``), for
        callers that assemble it from cached pieces."""
        super().__init__()
        self._name = name
        self.data_json = data_json if data_json is not None else js_json(data)
        self.options_js = options_js

    def render(self, **kwargs: Any) -> None:
        """As ``MacroElement.render``, but the script goes in as ``RawScript`` (see there).
        streamlit-folium does not call this: it reads the ``script`` macro directly."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("GeoJsonLayer can only be rendered inside a folium Figure")
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(RawScript(str(script)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def add_header_css(fmap: MacroElement, css: str, name: str) -> None:
    """Add a <style> block to the page head (streamlit-folium keeps head styles; it drops
    only script and stylesheet links), once per ``name``."""
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Element(f"<style>{css}</style>"), name=name)
