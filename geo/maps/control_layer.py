"""Territorial control as one folium FeatureGroup for ``st_folium(feature_group_to_add=...)``.

Input is a ``control_geojson`` collection enriched by ``geo.control.history.with_histories``.
Three Leaflet GeoJSON layers (one object each, whatever the number of features, as the
events layer: field notes measured one folium object per feature as the slow path):

- areas: filled with the holding force's colour at ``AREA_OPACITY``, so events and the
  basemap stay readable underneath;
- front lines: dark and bold (``FRONT_WEIGHT``), drawn above areas;
- places: small circles; held = force colour; contested = filled with one claimant's
  colour and a dashed ring of the other's (a hatched look); besieged = holder's colour
  with a thick ring of the besieger's; unknown = grey and hollow; stale (rule 8: no
  report for two years) = hollow, a faded dashed ring of the colour of the force last
  reported holding it (its land stays unshaded).

Popups and tooltips are HTML strings built here with every value passed through
``html.escape`` (article titles and citations are data, never markup), and the whole
collection then travels as ``js_json`` data, so nothing from the data can run.
"""
from __future__ import annotations

import html
from datetime import date
from typing import Any

import folium

from geo.control.claims import PRESUMED
from geo.control.history import CURATED, sources_text
from geo.control.wording import (
    INFERRED,
    NO_TAKING,
    REPORTED,
    HolderWhen,
    held_since,
    presumed,
    reported,
)
from geo.core.forces import UNKNOWN_COLOUR, default_forces
from geo.core.links import EVENT_LINK_PREFIX, HOLDING_LINK_PREFIX, place_review_link
from geo.maps.jslayer import GeoJsonLayer
from geo.maps.symbols import STALE_OPACITY

LAYER_NAME = "Control"
PLACE_CLASS = "geo-control-place"
AREA_OPACITY = 0.25
FRONT_WEIGHT = 4
FRONT_COLOUR = "#1a1a1a"
PLACE_RADIUS = 5
#: Ring of a place that changed hands within the series' recent window.
CHANGED_COLOUR = "#ffd400"
#: Longest history shown in a popup; older rows are summarised (a popup is not a table).
MAX_HISTORY_ROWS = 12

STATUS_TEXT = {"held": "held", "contested": "contested", "besieged": "besieged",
               "unknown": "unknown (no recent evidence)"}


def _e(value: Any) -> str:
    """Escaped text of any value ('' for None)."""
    return html.escape("" if value is None else str(value), quote=True)


def _force_name(force_id: str) -> str:
    return default_forces().display(force_id) if force_id else ""


def _colour(force_id: str) -> str:
    return default_forces().colour(force_id) if force_id else UNKNOWN_COLOUR


def area_style(props: dict[str, Any]) -> dict[str, Any]:
    """Leaflet path options of an area: the force colour, semi-transparent fill."""
    colour = props.get("colour") or _colour(props.get("force", ""))
    return {"color": colour, "weight": 1, "opacity": 0.6, "fillColor": colour,
            "fillOpacity": AREA_OPACITY}


def front_style(_props: dict[str, Any]) -> dict[str, Any]:
    """Leaflet path options of a front line: dark and bold, whoever the two sides are."""
    return {"color": FRONT_COLOUR, "weight": FRONT_WEIGHT, "opacity": 0.9,
            "lineCap": "round", "fill": False}


def place_style(props: dict[str, Any]) -> dict[str, Any]:
    """Leaflet circle-marker options of a place, by status (see the module docstring)."""
    status = props.get("status", "unknown")
    forces = [f for f in props.get("forces", []) if f]
    base: dict[str, Any] = {"radius": PLACE_RADIUS, "weight": 1.5, "opacity": 1.0,
                            "fillOpacity": 0.95}
    if status == "held":
        colour = _colour(props.get("force", ""))
        if props.get("changed_recently"):     # a bright ring: taken in the last N days
            return {**base, "radius": PLACE_RADIUS + 2, "color": CHANGED_COLOUR, "weight": 3,
                    "fillColor": colour}
        return {**base, "color": "#222222", "fillColor": colour}
    if status == "contested":
        first = _colour(forces[0]) if forces else UNKNOWN_COLOUR
        second = _colour(forces[1]) if len(forces) > 1 else UNKNOWN_COLOUR
        return {**base, "radius": PLACE_RADIUS + 1, "color": second, "weight": 3,
                "dashArray": "3 3", "fillColor": first}
    if status == "besieged":
        holder = _colour(props.get("force", "") or (forces[0] if forces else ""))
        besieger = _colour(forces[1]) if len(forces) > 1 else "#000000"
        return {**base, "radius": PLACE_RADIUS + 1, "color": besieger, "weight": 4,
                "fillColor": holder}
    if props.get("last_force"):                 # stale (rule 8): the last holder, faded
        last = _colour(props["last_force"])
        return {**base, "color": last, "weight": 2.5, "opacity": STALE_OPACITY,
                "dashArray": "2 3", "fillOpacity": 0.0, "fillColor": last}
    return {**base, "color": UNKNOWN_COLOUR, "weight": 2, "fillOpacity": 0.0,
            "fillColor": UNKNOWN_COLOUR}


def status_line(props: dict[str, Any]) -> str:
    """'held by Islamic State', 'contested between A and B', ... (plain text)."""
    status = props.get("status", "unknown")
    names = [_force_name(f) for f in props.get("forces", []) if f]
    if status == "held":
        return f"held by {_force_name(props.get('force', ''))}"
    if status == "contested":
        return "contested between " + " and ".join(names) if names else "contested"
    if status == "besieged":
        holder = _force_name(props.get("force", "")) or (names[0] if names else "?")
        besiegers = [n for n in names if n != holder]
        return f"held by {holder}, besieged" + (f" by {', '.join(besiegers)}" if besiegers else "")
    if props.get("last_force"):
        siege = [n for f, n in zip(props.get("forces", []), names) if f != props["last_force"]]
        return (f"stale: last reported held by {_force_name(props['last_force'])}"
                + (f", besieged by {', '.join(siege)}," if siege else "")
                + f" on {props.get('last_reported', '')}; no report since")
    return STATUS_TEXT["unknown"]


def place_tooltip_html(props: dict[str, Any]) -> str:
    """One escaped line: name, state, and "(curated)" when only the curated timeline
    speaks for the place."""
    suffix = " (curated)" if props.get("sources") == [CURATED] else ""
    return f"{_e(props.get('name'))}: {_e(status_line(props))}{_e(suffix)}"


def _history_html(history: list[dict[str, Any]]) -> str:
    rows = history[-MAX_HISTORY_ROWS:]
    items = []
    for h in rows:
        who = h.get("force_to_name") or h.get("force_to") or "?"
        frm = h.get("force_from_name") or h.get("force_from")
        text = f"{h.get('date')}: {h.get('kind')} by {who}" + (f" from {frm}" if frm else "")
        source = h.get("source", "")
        if h.get("weight") and source not in (CURATED, h["weight"]):
            source = f"{source}, {h['weight']}"
        flags = (" (pending)" if h.get("pending") else "") + \
            (" (disputes the holder)" if h.get("disputes") else "")
        parts = [f"<b>{_e(text)}</b>{_e(flags)} <span class='geo-source'>[{_e(source)}]</span>"]
        if h.get("citation"):
            parts.append(f"<br><i>{_e(h['citation'])}</i>")
        if h.get("note"):
            parts.append(f"<br>{_e(h['note'])}")
        link = str(h.get("link") or "")
        if link.startswith(EVENT_LINK_PREFIX):      # our own page only, never javascript:
            parts.append(f"<br><a href='{_e(link)}' target='_blank' rel='noopener'>"
                         f"event {_e(h.get('event_id'))}</a>")
        elif link.startswith(HOLDING_LINK_PREFIX):
            parts.append(f"<br><a href='{_e(link)}' target='_blank' rel='noopener'>"
                         f"review this holding</a>")
        items.append(f"<li>{''.join(parts)}</li>")
    older = len(history) - len(rows)
    head = f"<div>{older} older claim{'s' if older != 1 else ''} not shown</div>" if older else ""
    return f"{head}<ol class='geo-history'>{''.join(items)}</ol>" if items else \
        "<div>No claims recorded.</div>"


def holder_when(props: dict[str, Any]) -> HolderWhen:
    """How the holder of a map's place is known (``geo.control.wording``): the
    ``holder_when`` its history gave it (``geo.control.history.place_with_history``),
    else what its own properties tell (presumed, inferred, reported since)."""
    found = props.get("holder_when")
    if isinstance(found, dict):
        return HolderWhen(str(found.get("kind") or REPORTED), str(found.get("lead") or ""),
                          str(found.get("note") or ""))
    if props.get("tier") == PRESUMED:      # rule 10: no report, a presumption
        return presumed()
    if props.get("inferred"):
        who = _force_name(props.get("force", ""))
        return HolderWhen(INFERRED, "", f"inferred: {NO_TAKING.format(holder=who)}")
    if not (props.get("holder_since") or props.get("since")):
        return HolderWhen(REPORTED, "")
    return reported(*_holder_dates(props))


def _holder_dates(props: dict[str, Any]) -> tuple[date, date | None]:
    since = str(props.get("holder_since") or props.get("since") or "")
    start = str(props.get("holder_from") or "") if props.get("holder_since") else ""
    return date.fromisoformat(since), date.fromisoformat(start) if start else None


def holder_line(props: dict[str, Any]) -> str:
    """When the holder held the place: a reported holder's day as its report gave it
    ("2015-05-17", "December 2015": ``held_since``), else the whole phrase of
    ``holder_when`` ("before 2014-06-10 (inferred: IS took it from ISF on 2014-06-10;
    no report of ISF taking it)", "throughout the record (presumed: ...)")."""
    when = holder_when(props)
    if when.reported and (props.get("holder_since") or props.get("since")):
        return held_since(*_holder_dates(props))
    return when.text


def sources_line(props: dict[str, Any]) -> str:
    """On which sources: the weight of each claim behind the current state
    (``geo.control.history.sources_text``)."""
    return sources_text(props.get("event_ids", []), props.get("history", [])) \
        or ", ".join(props.get("sources", [])) or "none"


def _held_html(props: dict[str, Any]) -> str:
    """"Since: 2015-05-17" for a reported holder, "Held: before 2014-06-10 (inferred:
    ...)" for one no report shows taking the place (no invented since)."""
    label = "Since" if holder_when(props).reported else "Held"
    return f"<div><b>{label}:</b> {_e(holder_line(props))}</div>"


def place_popup_html(props: dict[str, Any], day: str = "") -> str:
    """Popup of a place: name, status, who holds it since when, on which sources, whether
    a weaker report disputes it (with a link to review it on ``day``, the map's ISO day),
    and its control history (claims with dates, forces, weight and source; curated rows
    with their citation). Every value escaped."""
    force = props.get("force", "")
    disputed = props.get("disputed", [])
    lines = [
        f"<div class='geo-control-popup' data-place-key='{_e(props.get('place_key'))}'>",
        f"<div><b>{_e(props.get('name'))}</b></div>",
        f"<div><b>Status:</b> {_e(STATUS_TEXT.get(props.get('status', ''), props.get('status')))}</div>",
        f"<div><b>Force:</b> {_e(status_line(props) if not force else _force_name(force))}</div>",
        _held_html(props) if force else f"<div><b>Since:</b> {_e(props.get('since'))}</div>",
        f"<div><b>On:</b> {_e(sources_line(props))}</div>",
    ]
    if props.get("changed_recently"):
        lines.append("<div class='geo-changed'><b>Changed hands recently</b></div>")
    if disputed:
        review = place_review_link(str(props.get("place_key") or ""),
                                   date.fromisoformat(day) if day else None)
        lines.append(f"<div class='geo-disputed'><b>Disputed</b> by {len(disputed)} weaker "
                     f"report{'s' if len(disputed) != 1 else ''} ({_e(', '.join(disputed))}): "
                     "the holder stands; "
                     + (f"<a href='{_e(review)}' target='_blank' rel='noopener'>review this "
                        "holding</a> on the Events page.</div>" if review else
                        "review them on the Events page.</div>"))
    lines += ["<div><b>Control history</b></div>", _history_html(props.get("history", [])),
              "</div>"]
    return "".join(lines)


def area_popup_html(props: dict[str, Any]) -> str:
    """Popup of an area: its force and the places whose cells make it up."""
    places = props.get("places", [])
    names = ", ".join(p["name"] + (" (besieged)" if p.get("status") == "besieged" else "")
                      for p in places)
    return ("<div class='geo-control-popup'>"
            f"<div><b>Area held by {_e(props.get('force_name') or props.get('force'))}</b></div>"
            f"<div>{len(places)} place{'s' if len(places) != 1 else ''}: {_e(names)}</div>"
            "<div><i>Settled land that follows these places (the nearest known town along "
            "the chain of settlements); an estimate, not a survey.</i></div></div>")


def front_tooltip_html(props: dict[str, Any]) -> str:
    """'Front line: A / B' (escaped)."""
    return "Front line: " + _e(f"{_force_name(props.get('force_a', ''))} / "
                               f"{_force_name(props.get('force_b', ''))}")


def _split(collection: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Features by kind with display-ready ``style``, ``popup`` and ``tooltip``."""
    out: dict[str, list[dict[str, Any]]] = {"area": [], "front": [], "place": []}
    for feature in collection.get("features", []):
        props = dict(feature["properties"])
        kind = props.get("kind")
        if kind == "area":
            props.update(style=area_style(props), popup=area_popup_html(props),
                         tooltip=_e(props.get("force_name") or props.get("force")))
        elif kind == "desert":     # desert a force holds between its towns: its land
            kind = "area"
            props.update(style=area_style(props), popup="",
                         tooltip=_e(f"Desert held by {props.get('force_name') or props.get('force')}"))
        elif kind == "front":
            props.update(style=front_style(props), popup="", tooltip=front_tooltip_html(props))
        elif kind == "place":
            props.update(style=place_style(props),
                         popup=place_popup_html(props, str(collection.get("date") or "")),
                         tooltip=place_tooltip_html(props))
            props.pop("history", None)      # already in the popup: do not ship it twice
        else:
            continue
        out[kind].append({**feature, "properties": props})
    return out


# popup/tooltip are HTML built and escaped in Python (see above); styles are plain values.
_PATH_OPTIONS = """{
  style: function (f) { return f.properties.style; },
  onEachFeature: function (f, layer) {
    if (f.properties.tooltip) { layer.bindTooltip(f.properties.tooltip, {sticky: true}); }
    if (f.properties.popup) { layer.bindPopup(f.properties.popup, {maxWidth: 380}); }
  }
}"""
_PLACE_OPTIONS = """{
  pointToLayer: function (f, latlng) {
    var o = Object.assign({className: "%(cls)s", bubblingMouseEvents: false}, f.properties.style);
    return L.circleMarker(latlng, o);
  },
  onEachFeature: function (f, layer) {
    layer.bindTooltip(f.properties.tooltip);
    layer.bindPopup(f.properties.popup, {maxWidth: 380, maxHeight: 360});
  }
}""" % {"cls": PLACE_CLASS}


def control_feature_group(collection: dict[str, Any], name: str = LAYER_NAME
                          ) -> folium.FeatureGroup:
    """Areas, front lines and places of one day as a FeatureGroup (drawn in that order,
    so places sit on top and stay clickable)."""
    parts = _split(collection)
    group = folium.FeatureGroup(name=name)
    for kind, options in (("area", _PATH_OPTIONS), ("front", _PATH_OPTIONS),
                          ("place", _PLACE_OPTIONS)):
        data = {"type": "FeatureCollection", "features": parts[kind]}
        GeoJsonLayer(data, options, f"control_{kind}s").add_to(group)
    return group


def forces_shown(collection: dict[str, Any]) -> list[str]:
    """Force ids that appear on the control map (areas and places), for the legend."""
    seen: dict[str, None] = {}
    for feature in collection.get("features", []):
        props = feature["properties"]
        for force in [props.get("force", "")] + list(props.get("forces", []) or []):
            if force:
                seen.setdefault(force, None)
    return list(seen)


def status_legend() -> list[tuple[str, str]]:
    """(symbol, meaning) of the place markers and lines, in legend order."""
    return [
        ("● filled circle", "held by the force of its colour"),
        ("◍ dashed ring of a second colour", "contested between the two forces"),
        ("◉ thick ring of a second colour", "besieged (holder inside, besieger's ring)"),
        ("○ grey hollow circle", "unknown: no evidence"),
        ("◌ faded dashed ring of a colour", "stale: last reported held by the force of its "
         "colour, no report for two years (its land is not shaded)"),
        ("● yellow ring", "changed hands in the last 30 days"),
        ("shaded area", f"land attributed to a force ({int(AREA_OPACITY * 100)} % fill)"),
        ("━ bold dark line", "front line between hostile forces"),
        ("[curated] in a popup", "claim from the curated reference timeline"),
    ]


def control_caption(collection: dict[str, Any], day: date, curated: bool) -> str:
    """The line above the map: how many places have a known holder on ``day`` and, with
    the curated timeline on, how many rest on it alone (so the analyst sees how much of
    the picture comes from the reference rather than from the store's own evidence)."""
    places = [f["properties"] for f in collection.get("features", [])
              if f["properties"].get("kind") == "place"]
    only_curated = sum(1 for p in places if p.get("sources") == [CURATED])
    return (f"Control on {day}: {len(places)} places"
            + (f", {only_curated} known only from the curated timeline" if curated else "")
            + ". Click a place or an area for its history.")
