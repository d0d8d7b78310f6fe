"""Offline map assets: every URL folium needs for our classes is a vendored local file."""
from __future__ import annotations

import re

import folium
import folium.plugins
import pandas as pd
import pytest

from geo.maps import assets
from geo.maps.assets import (
    LOCAL_FILES,
    USED_CLASSES,
    VENDOR_DIR,
    AssetError,
    inline_assets,
    missing_files,
    use_local_assets,
)
from geo.maps.basemap import make_base_map
from geo.maps.events_layer import events_feature_group
from tests.conftest import HOSTILE_SENTENCE

REMOTE_REF = re.compile(r"""<(?:script|link)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _urls(cls: type) -> list[str]:
    return [url for klass in cls.__mro__ for attr in ("default_js", "default_css")
            for _, url in klass.__dict__.get(attr, None) or []]


def test_every_cdn_url_of_our_classes_has_a_vendored_file() -> None:
    assert missing_files() == []
    for url, rel in LOCAL_FILES.items():
        assert (VENDOR_DIR / rel).is_file(), f"{url} -> {rel} missing"
        assert (VENDOR_DIR / rel).stat().st_size > 100


def test_use_local_assets_rewrites_and_is_idempotent() -> None:
    use_local_assets()
    first = {cls: _urls(cls) for cls in USED_CLASSES}
    use_local_assets()
    use_local_assets(base_url="/app/static/vendor/")
    assert {cls: _urls(cls) for cls in USED_CLASSES} == first
    for cls, urls in first.items():
        assert urls, cls
        for url in urls:
            assert url.startswith("/app/static/vendor/"), (cls, url)
            assert (VENDOR_DIR / url.removeprefix("/app/static/vendor/")).is_file(), url
    js = [u for _, u in folium.Map.default_js]
    assert js[0].endswith("leaflet/1.9.3/leaflet.js")
    assert js[1].endswith("_local/leaflet-icon-path.js")          # sets L.Icon.Default.imagePath
    assert sum(u.endswith("leaflet-icon-path.js") for u in js) == 1


def test_missing_file_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
    monkeypatch.setitem(assets.LOCAL_FILES, url, "leaflet/1.9.3/not-there.js")
    with pytest.raises(AssetError, match="leaflet@1.9.3"):
        use_local_assets()


def test_unvendored_class_is_reported() -> None:
    assert missing_files([folium.plugins.Draw])        # not vendored: must be listed


def test_rendered_map_and_inline_export_stay_local() -> None:
    use_local_assets()
    fmap = make_base_map(online_tiles=False)
    folium.plugins.MarkerCluster().add_to(fmap)
    folium.Marker([36.34, 43.13], popup="Mosul", tooltip="Mosul").add_to(fmap)
    events = [{"event_id": "e1", "event_date": "2016-06-19", "event_type": "Battles",
               "sub_event_type": "Armed clash", "actor1_force": "ISF", "latitude": 33.35,
               "longitude": 43.78, "evidence_sentence": HOSTILE_SENTENCE}]
    events_feature_group(pd.DataFrame(events)).add_to(fmap)
    html = fmap.get_root().render()
    assert not REMOTE_REF.search(html), REMOTE_REF.search(html)
    exported = inline_assets(html)
    assert not REMOTE_REF.search(exported)
    assert "<script src=" not in exported and 'rel="stylesheet"' not in exported
    # No url(http...) or url(//...) left in inlined CSS either.
    assert not re.search(r"""url\(\s*['"]?(?:https?:)?//""", exported)
    assert "<script>alert" not in exported and "\\u003cscript\\u003e" in exported
    assert len(exported) < 3_000_000


def test_inline_refuses_remote_script() -> None:
    with pytest.raises(AssetError):
        inline_assets('<script src="https://example.org/x.js"></script>')


def test_timestamped_geojson_is_offline() -> None:
    use_local_assets()
    fmap = make_base_map(online_tiles=False)
    folium.plugins.TimestampedGeoJson({"type": "FeatureCollection", "features": []}).add_to(fmap)
    assert not REMOTE_REF.search(fmap.get_root().render())
