"""The dashboard through Streamlit's AppTest (no browser): pages run, widgets filter.

AppTest records st_folium without running its JavaScript, so what reaches the map is
checked through the component's arguments (the feature group script).
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.maps.scrub import read_served
from tests.conftest import PROJECT_DIR, MapDatabase, run_app, st_folium_args

APP = str(PROJECT_DIR / "app.py")


_run = run_app


def _shown(at: AppTest) -> str:
    """The 'Showing N events ...' line."""
    lines = [m.value for m in at.markdown if m.value.startswith("**Showing")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


_map_args = st_folium_args


#: Control is worked out in a worker process; on a fresh clone it first builds the
#: locality mesh (~20 s alone, more on a loaded machine), cached in var/cache after.
CONTROL_WAIT_S = 240
THEATRE_END = date(2019, 12, 31)       # the curated timeline's period ends the slider


def _payload(at: AppTest) -> dict:
    """The GeoScrub.load(...) payload the page sent to the map."""
    script = _map_args(at)["feature_group"]
    return json.loads(re.search(r"GeoScrub\.load\((\{.*?\})\);", script, re.S).group(1))


def _served(url: str) -> object:
    """A published data file, read from the folder Streamlit serves it from."""
    assert url.startswith("/app/static/_data/")
    path = PROJECT_DIR / "static" / "_data" / url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 30          # details are written in the background
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return read_served(path)


_seq = iter(range(1, 10**6))


def _report(at: AppTest, day: date, window: str = "upto", n: int = 30,
            zoom: int = 7) -> AppTest:
    """What the map plugin sends when the analyst stops scrubbing (streamlit-folium's
    on_change puts it in session state under the map's key)."""
    at.session_state["map"] = {"seq": next(_seq), "day": day.isoformat(), "window": window,
                               "n": n, "zoom": zoom, "center": [35.1, 41.2],
                               "bounds": [[33.0, 38.0], [37.0, 44.0]]}
    return _run(at)


def _with_control(at: AppTest) -> AppTest:
    """Rerun until the control layer, worked out in the background, is on the map."""
    deadline = time.monotonic() + CONTROL_WAIT_S   # a fresh clone builds the mesh first
    while _payload(at)["control_url"] is None and time.monotonic() < deadline:
        time.sleep(0.2)
        _run(at)
    return at


def test_map_page_describes_and_publishes_all_events(app_env: MapDatabase) -> None:
    at = _with_control(_run(AppTest.from_file(APP, default_timeout=60)))
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events up to {THEATRE_END}")
    args = _map_args(at)
    links = args["js_links"] + args["css_links"]
    assert all(link.startswith("/app/static/vendor/") for link in links)
    assert any("_local/geo-scrub.js?v=" in link for link in args["js_links"])
    payload = _payload(at)
    assert payload["day"] == str(THEATRE_END) and payload["window"] == "upto"
    assert (payload["data_first"], payload["data_last"]) == ("2016-06-01", str(app_env.last))
    assert payload["first"] == "2013-01-01" and payload["last"] == str(THEATRE_END)
    events = _served(payload["events_url"])
    assert len(events["lon"]) == app_env.n_events
    details = _served(payload["details_url"])
    # Article text travels as JSON data in a fetched file, never inside the script.
    assert "<script>" in json.dumps(details) and "<script>" not in args["feature_group"]
    control = _served(payload["control_url"])
    assert control["schema"] == "geo.control.series/1" and control["dates"]
    assert not at.warning and dict(at.query_params) == {}


def test_a_report_from_the_map_moves_the_day_and_the_url(app_env: MapDatabase) -> None:
    at = _with_control(_run(AppTest.from_file(APP, default_timeout=60)))
    script = _map_args(at)["feature_group"]
    _report(at, app_env.last - timedelta(days=1))
    assert _shown(at).startswith(f"**Showing {app_env.n_before_last_day} events up to "
                                 f"{app_env.last - timedelta(days=1)}")
    assert at.query_params["date"] == str(app_env.last - timedelta(days=1))
    assert at.query_params["zoom"] == "7" and at.query_params["center"] == "35.1,41.2"
    assert at.session_state["map_view"].bounds == ((33.0, 38.0), (37.0, 44.0))
    # The same data: the map is sent the same script, so the browser reloads nothing.
    assert _map_args(at)["feature_group"] == script


def test_a_link_to_an_event_opens_the_events_page(app_env: MapDatabase) -> None:
    from geo.store import EventFilter, open_store
    with open_store(app_env.url) as store:
        event_id = store.query_events(EventFilter())["event_id"].iloc[0]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["event_id"] = event_id
    _run(at)
    boxes = [b for b in at.selectbox if b.label == "Event"]
    assert len(boxes) == 1 and boxes[0].value == event_id


def test_a_malformed_report_is_ignored(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    at.session_state["map"] = {"seq": 99, "day": "yesterday", "window": "day"}
    _run(at)
    assert not at.exception and not at.error
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events up to {THEATRE_END}")


@pytest.mark.parametrize("window, n, day, expected", [
    ("day", 30, date(2016, 6, 1), "3 events on 2016-06-01"),          # Palmyra's June too
    ("day", 30, date(2016, 7, 31), "1 event on 2016-07-31"),
    ("last", 7, date(2016, 6, 19), "2 events from 2016-06-13 to 2016-06-19"),
    ("last", 60, date(2016, 7, 31), "4 events from 2016-06-02 to 2016-07-31"),
    ("upto", 30, date(2016, 6, 19), "4 events up to 2016-06-19"),
])
def test_window_mode_changes_the_count(app_env: MapDatabase, window: str, n: int,
                                       day: date, expected: str) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    _report(at, day, window, n)
    assert _shown(at).startswith(f"**Showing {expected}"), _shown(at)
    assert at.query_params["window"] == window if window != "upto" else \
        "window" not in at.query_params


def test_filters_live_in_the_sidebar(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    keys = {w.key for w in at.sidebar.multiselect} | {w.key for w in at.sidebar.text_input}
    assert {"map_forces", "map_types", "map_status", "map_text"} <= keys


def test_a_new_filter_sends_new_data_and_keeps_the_day(app_env: MapDatabase) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=60))
    _report(at, date(2016, 6, 19))
    at.multiselect(key="map_forces").set_value(["IS"])
    _run(at)
    payload = _payload(at)
    assert payload["day"] == "2016-06-19"
    assert len(_served(payload["events_url"])["lon"]) == app_env.n_is


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
    for key, value in {"date": "2016-06-19", "window": "last", "n": "7", "forces": ["IS", "SDF"],
                       "types": "Battles", "status": "machine,rejected", "text": "Fallujah",
                       "center": "36.3,43.1", "zoom": "8", "other_panel": "kept"}.items():
        at.query_params[key] = value
    _run(at)
    assert not at.warning
    payload = _payload(at)
    assert (payload["day"], payload["window"], payload["n"]) == ("2016-06-19", "last", 7)
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


def test_first_run_guidance_and_the_sample_button(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty store says what to do; one button stores the bundled samples."""
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    at = _run(AppTest.from_file(APP, default_timeout=120))
    assert any(s.value == "No events yet" for s in at.subheader)
    assert _shown(at).startswith("**Showing 0 events")
    at.button(key="map_first_run_ingest").click()
    _run(at)
    assert not any(s.value == "No events yet" for s in at.subheader)
    shown = int(re.search(r"Showing (\d+) event", _shown(at)).group(1))
    assert shown >= 6                      # the six samples' captures, at least


def failing_details(database_url: str, flt: object, force_ids: list[str], name: str) -> str:
    """Stands in for ``publish_details`` in the worker process: the job fails."""
    raise MemoryError("not enough memory for the details")


def _rerun_until(shown: Callable[[AppTest], bool], seconds: float) -> AppTest:
    """Run the app, then rerun it until ``shown`` holds (a background job's outcome
    reaches the page on a later run) or ``seconds`` pass."""
    at = _run(AppTest.from_file(APP, default_timeout=60))
    deadline = time.monotonic() + seconds
    while not shown(at) and time.monotonic() < deadline:
        time.sleep(0.2)
        _run(at)
    return at


def test_popups_without_details_say_so(app_env: MapDatabase,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The background job writing the pop-ups' details failed: the next run says so
    instead of leaving the pop-ups silently empty."""
    import pages.common

    monkeypatch.setattr(pages.common, "publish_details", failing_details)
    # The failure is kept per details file, for the server's life: this test's own record,
    # so a later test's map of the same events (the same file name) is not told of it.
    monkeypatch.setattr(pages.common, "_DETAILS_FAILED", {})
    at = _rerun_until(lambda at: bool(at.warning), 180)
    [warning] = [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]   # as read
    assert "could not be prepared for the map's pop-ups" in warning
    assert "not enough memory" in warning
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events")   # map still drawn


def test_details_written_later_clear_an_earlier_failure() -> None:
    """The details job failed once (say, out of memory) and a later job wrote the same
    file: the map stops warning. Files are named after their content, so the same events
    published again (another database, the same filter) reuse the failed file's name."""
    from concurrent.futures import Future
    from types import SimpleNamespace

    from pages.common import _details_done, details_problem

    published = SimpleNamespace(details_url="/app/static/_data/details-same-content.json")
    failed: Future[str] = Future()
    failed.set_exception(MemoryError("not enough memory"))
    _details_done("details-same-content.json", failed)
    assert "not enough memory" in (details_problem(published) or "")   # type: ignore[arg-type]
    written: Future[str] = Future()
    written.set_result("details-same-content.json")
    _details_done("details-same-content.json", written)
    assert details_problem(published) is None                            # type: ignore[arg-type]


def test_a_killed_worker_is_replaced(app_env: MapDatabase) -> None:
    """The worker process was killed (by the system, for memory): the next map still
    gets its pop-up details, without restarting the server."""
    import os
    import signal

    from pages.common import _worker

    pool = _worker()
    pool.submit(int).result(timeout=120)          # its process is running
    for pid in list(pool._processes):              # what the OOM killer does
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not pool._broken and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pool._broken
    at = _run(AppTest.from_file(APP, default_timeout=60))
    details = _served(_payload(at)["details_url"])
    assert details and not at.warning
    assert _worker() is not pool


def failing_control(database_url: str, curated: bool) -> dict:
    """Stands in for ``publish_control`` in the worker process: the job fails."""
    raise ValueError("a control rule met an impossible interval")


def test_a_control_failure_leaves_the_events_on_the_map(
        app_env: MapDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Working out control failed: the Map page says so for the control layer alone, still
    draws the events, and does not work it out again on every rerun."""
    import pages.common

    monkeypatch.setattr(pages.common, "publish_control", failing_control)
    at = _rerun_until(lambda at: bool(at.error), 120)
    [error] = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    assert error.startswith("The control layer (areas, front lines, places held) could not "
                           "be worked out: ValueError: a control rule met an impossible")
    assert "Traceback" not in error
    assert _shown(at).startswith(f"**Showing {app_env.n_events} events")
    assert _payload(at)["control_url"] is None and _payload(at)["events_url"]
    jobs = dict(pages.common._CONTROL_JOBS)
    _run(_run(at))
    assert pages.common._CONTROL_JOBS == jobs              # not submitted again
    assert len(at.error) == 1
    at.button(key="map_control_retry").click()
    _run(at)
    assert pages.common._CONTROL_JOBS != jobs              # asked for: a new attempt
