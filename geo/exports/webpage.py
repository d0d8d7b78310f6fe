"""The offline HTML snapshot: the dashboard's own map at the view's day and frame.

Why the dashboard's map: the analyst expects the file to look and behave like the
screen (same symbols, clusters, labels, legend, popups with the supporting sentence).
The Map page's map (``geo.maps.dashboard_map``: vector basemap and the geo-scrub plugin)
loads its data from files the server publishes; here the same data is put inside the
page as ``data:`` URLs and every script and stylesheet is inlined, so one file opens
offline from a disk or an e-mail. The briefing furniture is added around it: marking
at the top and the bottom, the title block with the date, a north arrow (the scale bar
and the legend are the map's own) and the numbered sources with their links.

A file has no dashboard behind it: its event popups name the event by its id, as text,
where the dashboard's link to the Events page (``/?event_id=``) would go nowhere; an
article's own web address stays a link.

Article text reaches the page only as JSON data (popups build it with ``textContent``)
or as escaped HTML in the header and the source list: never through branca's Jinja
compilation, so "{{ ... }}" in a title or a sentence stays text.
"""
from __future__ import annotations

import base64
import html
from functools import lru_cache
from typing import Any

from geo.exports.data import SnapshotData
from geo.exports.render import ATTRIBUTION, MARKING_COLOUR, NO_EVENTS

_WINDOWS = {"day": "day", "upto": "upto"}

_CSS = """
<style>
.geo-brief-bar{position:fixed;left:0;right:0;z-index:3000;text-align:center;
  font:bold 14px/22px system-ui,sans-serif;color:%(marking)s;background:#fff;}
#geo-marking-top{top:0} #geo-marking-bottom{bottom:0}
.geo-brief-title{position:fixed;left:50%%;transform:translateX(-50%%);z-index:2500;
  max-width:52%%;background:#fffe;text-align:center;
  padding:6px 10px;border:1px solid #999;border-radius:4px;
  font:13px/1.35 system-ui,sans-serif}
.geo-brief-title h1{font-size:17px;margin:0 0 2px 0}
.geo-brief-stamp{font-weight:bold;font-size:15px}
.geo-brief-sources{position:fixed;left:8px;z-index:2500;max-width:60%%;max-height:40%%;
  overflow:auto;background:#fffe;border:1px solid #999;border-radius:4px;padding:4px 8px;
  font:12px/1.35 system-ui,sans-serif}
.geo-brief-sources ol{margin:4px 0;padding-left:22px}
.geo-north{background:#fffd;border:1px solid #999;border-radius:4px;padding:2px 6px;
  font:bold 14px/1.1 system-ui,sans-serif;text-align:center}
</style>
"""


def _data_url(value: Any) -> str:
    """A JSON value as a ``data:`` URL the plugin can ``fetch`` from a file page."""
    from geo.maps.scrub import dumps

    return "data:application/json;base64," + base64.b64encode(dumps(value)).decode("ascii")


@lru_cache(maxsize=1)
def _labels_url() -> str:
    """The gazetteer's basemap labels as a data URL (~1.5 MB, built once per process)."""
    from geo.maps.labels import basemap_labels

    return _data_url(basemap_labels())


def _window(view: Any) -> tuple[str, int]:
    """The dashboard's (window, n) for a snapshot window."""
    if view.window in _WINDOWS:
        return _WINDOWS[view.window], 30
    return "last", int(view.window.split(":")[1])


def _sources_html(data: SnapshotData) -> str:
    sources = data.sources
    if not sources:
        return "<div>No document is linked to what is drawn.</div>"
    rows = []
    for source in sources.standing:
        rows.append(_source_item(source))
    later = ""
    if sources.later:
        later = (f"<div><b>Published after {data.view.day:%Y-%m-%d} or undated</b> (not shown "
                 "to have stood behind the map on its date; what they report is drawn):</div>"
                 f"<ol start='{sources.later[0].number}'>"
                 + "".join(_source_item(s) for s in sources.later) + "</ol>")
    return f"<ol>{''.join(rows)}</ol>{later}"


def _source_item(source: Any) -> str:
    text = html.escape(source.line(with_where=False, numbered=False))
    link = source.ref.url
    if link.lower().startswith(("http://", "https://")):
        text += f" <a href='{html.escape(link, quote=True)}' target='_blank' rel='noopener'>" \
                f"{html.escape(link)}</a>"
    elif source.ref.where():
        text += " " + html.escape(source.ref.where())
    return f"<li value='{source.number}'>{text}</li>"


def html_text(data: SnapshotData) -> str:
    """The snapshot as one self-contained HTML page (see the module docstring)."""
    from geo.core.forces import default_forces
    from geo.maps.assets import inline_assets
    from geo.maps.control_states import control_states
    from geo.maps.dashboard_map import ScrubLoad, make_dashboard_map, plugin_options
    from geo.maps.jslayer import RawHtml
    from geo.maps.scrub import scrub_events

    view = data.view
    events = scrub_events(data.events, [f.force_id for f in default_forces()])
    span = events.span()
    control_url = None
    if data.captures is not None:
        control_url = _data_url(control_states(data.captures, curated=view.curated))
    window, n = _window(view)
    options = {**plugin_options(today=max(view.day, span[1] if span else view.day)),
               "labels_url": _labels_url()}
    payload = {"events_url": _data_url(events.columns), "details_url": _data_url(events.details),
               "control_url": control_url, "day": view.day.isoformat(), "window": window,
               "n": n, "first": options["first"], "last": options["last"],
               "data_first": span[0].isoformat() if span else None,
               "data_last": span[1].isoformat() if span else None, "message": "",
               # no dashboard behind a file: popups name an event instead of linking it
               "offline": True}
    w, s, e, n_ = view.extent
    fmap = make_dashboard_map(((s + n_) / 2, (w + e) / 2), None, options)
    ScrubLoad(payload).add_to(fmap)
    fmap.fit_bounds([[s, w], [n_, e]])
    shown = data.described() + ("" if len(data.within(view.extent)) else f" — {NO_EVENTS}")
    top = 24 if view.marking else 0
    parts = [_CSS % {"marking": MARKING_COLOUR}]
    if view.marking:
        mark = html.escape(view.marking)
        parts.append("<style>.leaflet-top{top:24px}.leaflet-bottom{bottom:24px}</style>")
        parts.append(f"<div id='geo-marking-top' class='geo-brief-bar'>{mark}</div>"
                     f"<div id='geo-marking-bottom' class='geo-brief-bar'>{mark}</div>")
    parts.append(
        f"<div id='geo-title-block' class='geo-brief-title' style='top:{top + 8}px'>"
        f"<h1>{html.escape(view.title)}</h1>"
        f"<div class='geo-brief-stamp'>As of {view.day:%Y-%m-%d}</div>"
        f"<div>Window: {html.escape(view.window_text())}. Shown: {html.escape(shown)}.</div>"
        f"<div><small>{html.escape(ATTRIBUTION)}</small></div></div>")
    parts.append(
        f"<details id='geo-sources' class='geo-brief-sources' "
        f"style='bottom:{top + 96}px'><summary><b>Sources ({html.escape(data.sources.summary())})"
        f"</b></summary>{_sources_html(data)}</details>")
    root = fmap.get_root()
    root.html.add_child(RawHtml("".join(parts)), name="geo_brief")  # type: ignore[attr-defined]
    script = (
        "<script>window.addEventListener('load',function(){"
        f"var map={fmap.get_name()};"
        "var c=L.control({position:'topleft'});c.onAdd=function(){"
        "var d=L.DomUtil.create('div','geo-north');d.title='North is up';"
        "d.innerHTML='N<br>&#8593;';return d;};c.addTo(map);"
        "var open=function(){document.querySelectorAll('details.geo-legend')"
        ".forEach(function(d){d.open=true;});};open();setTimeout(open,500);"
        "});</script>")
    root.html.add_child(RawHtml(script), name="geo_brief_script")  # type: ignore[attr-defined]
    root.height = "100%"  # type: ignore[attr-defined]
    return inline_assets(root.render())
