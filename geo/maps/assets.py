"""Serve folium's JavaScript and CSS from our own ``static/vendor`` instead of CDNs.

Why: folium 0.20.0 names 72 CDN URLs; offline, a map that cannot load Leaflet renders
blank (streamlit-folium awaits each script and stops at the first failure). The files
are vendored from the npm registry (see ``static/vendor/MANIFEST.md``) and served by
Streamlit's static file serving at ``/app/static/vendor``.

``use_local_assets()`` rewrites ``default_js`` / ``default_css`` of every folium
``JSCSSMixin`` subclass we use; ``inline_assets(html)`` makes an exported map file
self-contained. Both fail loudly (``AssetError``) when a URL has no local file, so a
folium upgrade that changes its URLs breaks a test rather than an analyst's map.
"""
from __future__ import annotations

import base64
import json
import mimetypes
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import folium
import folium.plugins
from folium.elements import JSCSSMixin

from geo.core.errors import ConfigurationError
from geo.core.paths import STATIC_DIR

VENDOR_DIR: Path = STATIC_DIR / "vendor"
DEFAULT_BASE_URL = "/app/static/vendor"

#: Our own helper (not vendored) loaded right after Leaflet: sets L.Icon.Default.imagePath.
ICON_PATH_SCRIPT = "_local/leaflet-icon-path.js"
ICON_PATH_NAME = "geo_leaflet_icon_path"

#: folium 0.20.0's CDN URLs for the classes we use -> file under static/vendor.
LOCAL_FILES: dict[str, str] = {
    # folium.Map
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/1.9.3/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/1.9.3/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/3.7.1/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js":
        "bootstrap/5.2.2/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css":
        "bootstrap/5.2.2/css/bootstrap.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        "leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        "leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css":
        "fontawesome-free/6.2.0/css/all.min.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css":
        "bootstrap-glyphicons/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css":
        "folium/0.20.0/leaflet.awesome.rotate.min.css",
    # folium.plugins.MarkerCluster / FastMarkerCluster
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js":
        "leaflet.markercluster/1.1.0/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css":
        "leaflet.markercluster/1.1.0/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css":
        "leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
    # folium.plugins.TimestampedGeoJson
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": "jquery/3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js":
        "jquery-ui/1.10.2/jquery-ui.min.js",
    "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js":
        "iso8601-js-period/0.2.1/iso8601.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js":
        "leaflet-timedimension/1.1.1/leaflet.timedimension.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css":
        "leaflet-timedimension/1.1.1/leaflet.timedimension.control.css",
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css":
        "highlight.js/8.4/styles/default.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": "moment/2.18.1/moment.min.js",
}

#: The folium classes the dashboard uses; each one's URLs must all have a local file.
USED_CLASSES: tuple[type[JSCSSMixin], ...] = (
    folium.Map,
    folium.plugins.MarkerCluster,
    folium.plugins.FastMarkerCluster,
    folium.plugins.TimestampedGeoJson,
)


class AssetError(ConfigurationError):
    """A folium URL we need has no vendored file (e.g. after a folium upgrade)."""


def jscss_classes() -> Iterator[type[JSCSSMixin]]:
    """Every loaded subclass of folium's JSCSSMixin, each once."""
    seen: set[type] = set()
    stack: list[type] = [JSCSSMixin]
    while stack:
        cls = stack.pop()
        sub: type
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                yield sub


#: folium's own links per (class, attribute), saved before the first rewrite so checks and
#: repeated rewrites always start from the CDN URLs folium ships.
_ORIGINAL: dict[tuple[type, str], list[tuple[str, str]]] = {}


def _original(cls: type, attr: str) -> list[tuple[str, str]]:
    links = cls.__dict__.get(attr, None) or []
    if (cls, attr) not in _ORIGINAL:
        _ORIGINAL[(cls, attr)] = list(links)
    return _ORIGINAL[(cls, attr)]


def _own_links(cls: type) -> Iterator[tuple[str, str, str]]:
    """(attribute, name, url) for the CDN links a class defines itself (not inherited)."""
    for attr in ("default_js", "default_css"):
        for name, url in _original(cls, attr):
            yield attr, name, url


def _local_url(url: str, base_url: str) -> str | None:
    """The local URL that replaces ``url``, or None if ``url`` is not a CDN URL we know."""
    rel = LOCAL_FILES.get(url)
    return f"{base_url.rstrip('/')}/{rel}" if rel else None


def missing_files(classes: Iterable[type] = USED_CLASSES) -> list[str]:
    """CDN URLs of ``classes`` (and their bases) with no vendored file: empty when all is well."""
    missing: list[str] = []
    for cls in classes:
        for klass in cls.__mro__:
            for _, _, url in _own_links(klass):
                if _is_remote(url) and (url not in LOCAL_FILES
                                        or not (VENDOR_DIR / LOCAL_FILES[url]).is_file()):
                    missing.append(url)
    if not (VENDOR_DIR / ICON_PATH_SCRIPT).is_file():
        missing.append(ICON_PATH_SCRIPT)
    return sorted(set(missing))


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def use_local_assets(base_url: str = DEFAULT_BASE_URL) -> None:
    """Point every folium class at the vendored files served under ``base_url``.

    Idempotent (a second call with the same or another ``base_url`` rewrites the already
    local URLs again). Raises ``AssetError`` naming the URLs that a class we use needs
    but that have no local file. Classes we do not use keep their CDN URLs.
    """
    missing = missing_files()
    if missing:
        raise AssetError("no vendored file under static/vendor for: " + ", ".join(missing)
                         + " (see static/vendor/MANIFEST.md to add them)")
    base = base_url.rstrip("/")
    for cls in jscss_classes():
        for attr in ("default_js", "default_css"):
            links = cls.__dict__.get(attr)
            if not links:
                continue
            rewritten = [(name, _local_url(url, base) or url)
                         for name, url in _original(cls, attr)]
            if cls is folium.Map and attr == "default_js":
                at = next((i + 1 for i, (n, _) in enumerate(rewritten) if n == "leaflet"), 1)
                rewritten.insert(at, (ICON_PATH_NAME, f"{base}/{ICON_PATH_SCRIPT}"))
            # Mutate in place: instances and subclasses share these class-level lists.
            links[:] = rewritten


# -- self-contained HTML export -------------------------------------------------------------

_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc\s*=\s*"([^"]+)"[^>]*>\s*</script>', re.I)
_CSS_LINK = re.compile(r'<link\b[^>]*\bhref\s*=\s*"([^"]+)"[^>]*/?>', re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
#: A TrueType fallback after a WOFF2 source: every browser we target reads WOFF2, and
#: inlining both would double the export (Font Awesome: +0.9 MB).
_TTF_FALLBACK = re.compile(r"""(woff2['"]?\))\s*,\s*url\([^)]*\.ttf['"]?\)\s*format\(['"]truetype['"]\)""")


def _file_for(url: str) -> Path | None:
    """The vendored file behind a CDN URL or a local ``.../vendor/...`` URL, if any."""
    rel = LOCAL_FILES.get(url)
    if rel is None and not _is_remote(url) and "/vendor/" in url:
        # A local URL may carry a cache-busting query (``geo-scrub.js?v=<hash>``).
        rel = url.split("/vendor/", 1)[1].split("?", 1)[0]
    if rel is None:
        return None
    path = (VENDOR_DIR / rel).resolve()
    if VENDOR_DIR.resolve() not in path.parents or not path.is_file():
        return None
    return path


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or {
        ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    }.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """CSS text with every relative ``url(...)`` that names a vendored file as a data URI."""
    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")) or _is_remote(ref):
            return match.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if VENDOR_DIR.resolve() in target.parents and target.is_file():
            return f'url("{_data_uri(target)}")'
        return match.group(0)
    text = _TTF_FALLBACK.sub(r"\1", path.read_text(encoding="utf-8"))
    return _CSS_URL.sub(repl, text)


def _safe_script(text: str) -> str:
    """Script text that cannot close its own <script> element early."""
    return text.replace("</script", "<\\/script")


def _icon_script() -> str:
    """Default marker images as data URIs: an exported file has no image folder to point at."""
    images = VENDOR_DIR / "leaflet" / "1.9.3" / "images"
    urls = {name: _data_uri(images / name) for name in
            ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")}
    return ("(function(){var u=" + json.dumps(urls) + ";"
            "if(window.L&&L.Icon&&L.Icon.Default){L.Icon.Default.prototype._getIconUrl="
            "function(n){var f=L.Icon.prototype._getIconUrl.call(this,n);"
            "return u[f]||f;};}})();")


def inline_assets(html: str) -> str:
    """A self-contained copy of a rendered folium page: vendored scripts and stylesheets
    (with their fonts and images) inlined, so it opens offline from a file or an e-mail.

    Raises ``AssetError`` for a script or stylesheet that stays remote, so an export
    never silently depends on the network."""
    remote: list[str] = []

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        if url.endswith(ICON_PATH_SCRIPT):
            return f"<script>{_icon_script()}</script>"
        path = _file_for(url)
        if path is None:
            if _is_remote(url):
                remote.append(url)
            return match.group(0)
        return f"<script>{_safe_script(path.read_text(encoding='utf-8'))}</script>"

    def link(match: re.Match[str]) -> str:
        tag, url = match.group(0), match.group(1)
        if "stylesheet" not in tag.lower():
            return tag
        path = _file_for(url)
        if path is None:
            if _is_remote(url):
                remote.append(url)
            return tag
        css = _inline_css(path).replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    out = _CSS_LINK.sub(link, _SCRIPT_SRC.sub(script, html))
    if remote:
        raise AssetError("cannot inline (no vendored file): " + ", ".join(sorted(set(remote))))
    return out
