"""The dashboard through Streamlit's AppTest (no browser): pages run, widgets filter.

AppTest records st_folium without running its JavaScript, so what reaches the map is
checked through the component's arguments (the feature group script).
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_DIR, MapDatabase, run_app, st_folium_args

APP = str(PROJECT_DIR / "app.py")
PAGES = ["pages/map.py"]


_run = run_app


def _shown(at: AppTest) -> str:
    """The 'Showing N events ...' line."""
    lines = [m.value for m in at.markdown if m.value.startswith("**Showing")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


_map_args = st_folium_args


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app_env: MapDatabase, page: str) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.switch_page(page)
    _run(at)
    assert not at.error, [e.value for e in at.error]


def test_map_page_describes_and_draws_all_events(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events up to {app_env.last}")
    args = _map_args(at)
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    script = args["feature_group"]
    assert script.count('"event_id":"') == app_env.n_events
    # Markup in article text travels as JSON data, escaped so it cannot end the script.
    assert "<script>" not in script and "\\u003cscript\\u003ealert" in script
    # Uncertainty: Kobani (province) is a circle in metres, Palmyra (month) dotted.
    assert '"metres":25000' in script and '"dashArray":"1 4"' in script
    assert not at.warning and dict(at.query_params) == {}


def test_slider_changes_the_count(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.slider(key="map_day").set_value(app_env.last - timedelta(days=1))
    _run(at)
    assert _shown(at).startswith(f"**Showing {app_env.n_before_last_day} events up to "
                                 f"{app_env.last - timedelta(days=1)}")
    assert at.query_params["date"] == str(app_env.last - timedelta(days=1))
    assert at.date_input(key="map_day_typed").value == app_env.last - timedelta(days=1)


def test_typed_date_moves_the_slider(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.date_input(key="map_day_typed").set_value(date(2016, 6, 19))
    _run(at)
    assert at.slider(key="map_day").value == date(2016, 6, 19)
    assert _shown(at).startswith("**Showing 4 events up to 2016-06-19")


@pytest.mark.parametrize("window, n, day, expected", [
    ("day", None, date(2016, 6, 1), "3 events on 2016-06-01"),          # Palmyra's June too
    ("day", None, date(2016, 7, 31), "1 event on 2016-07-31"),
    ("last", 7, date(2016, 6, 19), "2 events from 2016-06-13 to 2016-06-19"),
    ("last", 60, date(2016, 7, 31), "4 events from 2016-06-02 to 2016-07-31"),
    ("upto", None, date(2016, 6, 19), "4 events up to 2016-06-19"),
])
def test_window_mode_changes_the_count(app_env: MapDatabase, window: str, n: int | None,
                                       day: date, expected: str) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.slider(key="map_day").set_value(day)
    at.radio(key="map_window").set_value(window)
    if n is not None:
        _run(at)                       # the N input is enabled once the mode is "last"
        at.number_input(key="map_n").set_value(n)
    _run(at)
    assert _shown(at).startswith(f"**Showing {expected}"), _shown(at)
    assert at.query_params["window"] == window if window != "upto" else \
        "window" not in at.query_params


@pytest.mark.parametrize("steps, expected", [
    (["−day"], date(2016, 7, 30)), (["−week"], date(2016, 7, 24)),
    (["−month"], date(2016, 6, 30)),                  # the 31st -> June's last day
    (["−month", "−month"], date(2016, 6, 1)),          # clamped to the data's first day
    (["+day"], date(2016, 7, 31)),                     # already the last day
    (["−month", "+week"], date(2016, 7, 7)), (["−week", "+month"], date(2016, 7, 31)),
    (["−week", "+day"], date(2016, 7, 25)),
])
def test_step_buttons_move_the_day(app_env: MapDatabase, steps: list[str],
                                   expected: date) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    for step in steps:
        at.button(key=f"map_step_{step}").click()
        _run(at)
    assert at.slider(key="map_day").value == expected
    assert at.date_input(key="map_day_typed").value == expected
    assert f"up to {expected}" in _shown(at)


def test_play_advances_and_stops_at_the_end(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.slider(key="map_day").set_value(app_env.last - timedelta(days=2))
    _run(at)
    at.toggle(key="map_playing").set_value(True)
    _run(at)                           # reruns itself twice (~1.6 s), then stops
    assert at.slider(key="map_day").value == app_env.last
    assert at.toggle(key="map_playing").value is False


@pytest.mark.parametrize("types, expected", [(["Battles"], 3),
                                             (["Battles", "Explosions/Remote violence"], 4),
                                             (["Protests"], 0)])
def test_type_filter_changes_the_count(app_env: MapDatabase, types: list[str],
                                       expected: int) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.multiselect(key="map_types").set_value(types)
    _run(at)
    assert _shown(at).startswith(f"**Showing {expected} event")
    assert at.query_params["types"] == ",".join(types)


@pytest.mark.parametrize("text, expected", [("tikrit", 1), ("RAQQA", 1), ("retook", 6),
                                            ("no such place", 0)])
def test_text_search_changes_the_count(app_env: MapDatabase, text: str, expected: int) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.text_input(key="map_text").input(text)
    _run(at)
    assert _shown(at).startswith(f"**Showing {expected} event")
    assert f'matching "{text}"' in _shown(at)


def test_force_filter_changes_the_count(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.multiselect(key="map_forces").set_value(["IS"])
    _run(at)
    assert _shown(at).startswith(f"**Showing {app_env.n_is} events")
    assert "forces: IS" in _shown(at)
    assert at.query_params["forces"] == "IS"


def test_view_is_read_from_the_url(app_env: MapDatabase) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"date": "2016-06-19", "window": "last", "n": "7", "forces": "IS,SDF",
                       "types": "Battles", "status": "machine,rejected", "text": "Fallujah",
                       "center": "36.3,43.1", "zoom": "8", "other_panel": "kept"}.items():
        at.query_params[key] = value
    _run(at)
    assert not at.warning
    assert at.slider(key="map_day").value == date(2016, 6, 19)
    assert at.radio(key="map_window").value == "last"
    assert at.number_input(key="map_n").value == 7
    assert at.multiselect(key="map_forces").value == ["IS", "SDF"]
    assert at.multiselect(key="map_types").value == ["Battles"]
    assert at.multiselect(key="map_status").value == ["machine", "rejected"]
    assert at.text_input(key="map_text").value == "Fallujah"
    assert _shown(at).startswith("**Showing 1 event from 2016-06-13 to 2016-06-19")
    assert "[36.3, 43.1]" in _map_args(at)["script"]
    assert at.query_params["other_panel"] == "kept"


@pytest.mark.parametrize("params, named", [
    ({"date": "yesterday"}, "date"), ({"date": "2016-13-45"}, "date"),
    ({"date": "1990-01-01"}, "date"), ({"window": "fortnight"}, "window"),
    ({"window": "last", "n": "-3"}, "n"), ({"n": "many"}, "n"),
    ({"forces": "NOPE,<b>x</b>"}, "forces"), ({"types": "Picnics"}, "types"),
    ({"status": "deleted"}, "status"), ({"text": "x" * 500}, "text"),
    ({"center": "north"}, "center"), ({"center": "95,43"}, "center"),
    ({"zoom": "99"}, "zoom"), ({"zoom": "1.5"}, "zoom"),
])
def test_malformed_url_warns_and_uses_defaults(app_env: MapDatabase, params: dict,
                                               named: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    _run(at)
    assert len(at.warning) == 1, "expected one warning about the link"
    assert f"'{named}" in at.warning[0].value
    assert _shown(at).startswith("**Showing")
    assert "Traceback" not in at.warning[0].value


def test_store_error_is_a_message_not_a_traceback(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", "postgresql://nobody@nowhere/db")
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert at.error and "PostgreSQL" in at.error[0].value


def test_unexpected_error_is_a_message_not_a_traceback(app_env: MapDatabase,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on [fire](http://example.invalid)")

    monkeypatch.setattr("geo.maps.view.parse_view", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and at.error[0].value.startswith("Unexpected error")
    assert "RuntimeError" in at.error[0].value and "fire" in at.error[0].value
    assert "](" not in at.error[0].value          # the cause is shown as text


def test_search_text_from_a_link_stays_text(app_env: MapDatabase) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["text"] = "![i](http://example.invalid/x.png)"
    _run(at)
    assert "](" not in _shown(at)          # no image fetched, no link: the text as written
