"""Shared fixtures. Keep them general: other test modules add their own here too."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from geo.core.records import GeoPrecision, TimePrecision  # noqa: E402
from geo.store import open_store  # noqa: E402
from tests.factories import make_article, make_event, make_evidence  # noqa: E402
from tests.postgis_server import postgis_server  # noqa: E402,F401  (session fixture)


@pytest.fixture(params=["sqlite", "postgis"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store's URL on each backend in turn: SQLite and PostGIS must behave
    alike, so a test taking this runs on both (PostGIS from the session's server)."""
    if request.param == "sqlite":
        return str(tmp_path / "events.sqlite")
    return str(request.getfixturevalue("postgis_server")())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium (slow, needs "
                                       "/usr/bin/chromium)")


#: A sentence with markup in it: the map must show it as text, never run it.
HOSTILE_SENTENCE = ("Iraqi forces <img src=x onerror=alert(1)> retook Fallujah "
                    "<script>alert('x')</script> & held it.")


@dataclass
class MapDatabase:
    """A small database built in code, with the counts the dashboard must show."""

    url: str
    first: date
    last: date
    n_events: int
    #: Events still shown after moving the start of the window one day later.
    n_after_first_day: int
    #: Events whose actor1, actor2 or control_to force is IS.
    n_is: int
    #: Events up to the day before the last (the default view, day slider one step left).
    n_before_last_day: int = 5
    #: Location -> supporting sentence of its one event.
    sentences: dict[str, str] = field(default_factory=dict)


def build_map_database(path: Path) -> MapDatabase:
    """Six events in June-July 2016 with different types, forces and precisions."""
    specs = [
        dict(town="Mosul", event_date=date(2016, 6, 1), event_type="Battles",
             sub_event_type="Armed clash", actor1_force="IS", actor2_force="ISF",
             control_to="", sentence="Islamic State fighters clashed with Iraqi troops in Mosul."),
        dict(town="Raqqa", event_date=date(2016, 6, 1), event_type="Explosions/Remote violence",
             sub_event_type="Air/drone strike", actor1_force="US", actor2_force="IS",
             control_to="", sentence="Coalition aircraft struck Raqqa overnight."),
        dict(town="Fallujah", event_date=date(2016, 6, 19), sentence=HOSTILE_SENTENCE),
        dict(town="Palmyra", event_date=date(2016, 6, 15), date_min=date(2016, 6, 1),
             date_max=date(2016, 6, 30), time_precision=TimePrecision.MONTH,
             actor1_force="SYR", actor2_force="IS", control_to="SYR",
             sentence="Syrian troops advanced near Palmyra in June."),
        dict(town="Kobani", event_date=date(2016, 7, 5), geo_precision=GeoPrecision.REGION,
             event_type="Strategic developments",
             sub_event_type="Headquarters or base established", actor1_force="SDF",
             actor2_force="", control_to="", sentence="The SDF set up a base in the Kobani region."),
        dict(town="Tikrit", event_date=date(2016, 7, 31), actor1_force="PMF", actor2_force="",
             control_to="", event_type="Violence against civilians", sub_event_type="Attack",
             sentence="Militia members attacked civilians near Tikrit."),
    ]
    url = f"sqlite:///{path}"
    sentences: dict[str, str] = {}
    with open_store(url) as store:
        for spec in specs:
            sentence = spec.pop("sentence")
            event = make_event(evidence=[make_evidence(sentence=sentence)], **spec)
            store.ingest(make_article(), [event])
            sentences[event.location] = sentence
    return MapDatabase(url=url, first=date(2016, 6, 1), last=date(2016, 7, 31), n_events=6,
                       n_after_first_day=4, n_is=4, sentences=sentences)


@pytest.fixture
def map_database(tmp_path: Path) -> MapDatabase:
    """A fresh small event database (see ``build_map_database``)."""
    return build_map_database(tmp_path / "events.sqlite")


@pytest.fixture
def app_env(map_database: MapDatabase, monkeypatch: pytest.MonkeyPatch) -> MapDatabase:
    """The app pointed at the small map database, offline tiles only."""
    monkeypatch.setenv("GEO_DATABASE_URL", map_database.url)
    monkeypatch.delenv("GEO_ONLINE_TILES", raising=False)
    return map_database


def run_app(at: AppTest) -> AppTest:  # noqa: F821  (streamlit imported by the callers)
    """Run an AppTest and fail on an exception or on the app's 'Unexpected error' message
    (app.py turns what a page did not expect into a message: that is a failure here too)."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    unexpected = [e.value for e in at.error if e.value.startswith("Unexpected error")]
    assert not unexpected, unexpected
    return at


def st_folium_args(at: AppTest) -> dict:  # noqa: F821
    """Arguments the page passed to the st_folium component (AppTest records them
    without running JavaScript): script, feature group, js/css links."""
    import json

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
