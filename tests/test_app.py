"""The dashboard through Streamlit's AppTest (no browser): pages run, widgets filter.

AppTest records st_folium without running its JavaScript, so what reaches the map is
checked through the component's arguments (the feature group script).
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_DIR, MapDatabase

APP = str(PROJECT_DIR / "app.py")
PAGES = ["pages/map.py"]


@pytest.fixture
def app_env(map_database: MapDatabase, monkeypatch: pytest.MonkeyPatch) -> MapDatabase:
    monkeypatch.setenv("GEO_DATABASE_URL", map_database.url)
    monkeypatch.delenv("GEO_ONLINE_TILES", raising=False)
    return map_database


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(at: AppTest) -> str:
    """The 'Showing N events ...' line."""
    lines = [m.value for m in at.markdown if m.value.startswith("**Showing")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


def _map_args(at: AppTest) -> dict:
    """Arguments the page passed to the st_folium component."""
    found = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(proto, "json_args", None):
            found.append(json.loads(proto.json_args))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    assert found, "no st_folium component on the page"
    return found[0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app_env: MapDatabase, page: str) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.switch_page(page)
    _run(at)
    assert not at.error, [e.value for e in at.error]


def test_map_page_describes_and_draws_all_events(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events from {app_env.first} "
                                 f"to {app_env.last}")
    args = _map_args(at)
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    script = args["feature_group"]
    assert script.count('"event_id":"') == app_env.n_events
    # Markup in article text travels as JSON data, escaped so it cannot end the script.
    assert "<script>" not in script and "\\u003cscript\\u003ealert" in script


def test_slider_changes_the_count(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.slider(key="map_dates").set_value((app_env.first + timedelta(days=1), app_env.last))
    _run(at)
    assert _shown(at).startswith(f"**Showing {app_env.n_after_first_day} events from "
                                 f"{app_env.first + timedelta(days=1)}")
    assert at.query_params["from"] == str(app_env.first + timedelta(days=1))


def test_force_filter_changes_the_count(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.multiselect(key="map_forces").set_value(["IS"])
    _run(at)
    assert _shown(at).startswith(f"**Showing {app_env.n_is} events")
    assert "forces: IS" in _shown(at)
    assert at.query_params["forces"] == "IS"


def test_view_is_read_from_the_url(app_env: MapDatabase) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"] = str(app_env.first + timedelta(days=1))
    at.query_params["forces"] = "IS,SDF"
    _run(at)
    assert at.slider(key="map_dates").value[0] == app_env.first + timedelta(days=1)
    assert at.multiselect(key="map_forces").value == ["IS", "SDF"]
    assert not at.warning


@pytest.mark.parametrize("params", [{"from": "yesterday"}, {"to": "2016-13-45"},
                                    {"forces": "NOPE,<b>x</b>"}, {"from": "2016-07-01",
                                                                  "to": "2016-06-01"},
                                    {"from": "1990-01-01"}])
def test_malformed_url_warns_and_uses_defaults(app_env: MapDatabase, params: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    _run(at)
    assert at.warning, "expected a warning about the link"
    assert _shown(at).startswith("**Showing")


def test_store_error_is_a_message_not_a_traceback(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", "postgresql://nobody@nowhere/db")
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert at.error and "PostgreSQL" in at.error[0].value
