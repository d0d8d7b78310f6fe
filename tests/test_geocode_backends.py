"""Contract tests over every registered geocoder, and the Nominatim backend against a
fake Nominatim server on 127.0.0.1 (no internet needed)."""
from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.core.errors import GeocoderNotFound, GeocoderQueryError, GeocoderUnavailable
from geo.core.records import Place
from geo.geocode import GEOCODERS, get_geocoder
from geo.geocode.base import Geocoder, Location
from geo.geocode.nominatim import NominatimGeocoder
from geo.geocode.offline import GazetteerGeocoder


def _record(osm_id: int, name: str, lat: float, lon: float, state: str, cc: str,
            kind: str, importance: float) -> dict:
    """A record as Nominatim's /search?format=json&addressdetails=1 returns it."""
    return {"place_id": osm_id + 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0",
            "osm_type": "relation", "osm_id": osm_id, "lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
            "class": "place" if kind != "state" else "boundary", "type": kind,
            "place_rank": 16, "importance": importance, "addresstype": kind, "name": name,
            "display_name": f"{name}, {state}, {'Iraq' if cc == 'iq' else 'Syria'}",
            "address": {kind: name, "state": state, "country_code": cc},
            "boundingbox": [str(lat - 0.1), str(lat + 0.1), str(lon - 0.1), str(lon + 0.1)]}


FAKE_ANSWERS = {
    "ramadi": [_record(1, "Ramadi", 33.42056, 43.30778, "Al Anbar Governorate", "iq", "city",
                       0.62)],
    "raqqa": [_record(2, "Raqqa", 35.95283, 39.00788, "Raqqa Governorate", "sy", "city", 0.6),
              _record(3, "Raqqa Governorate", 35.9, 38.9, "Raqqa Governorate", "sy", "state",
                      0.55)],
}


class FakeNominatim:
    """``/search`` answers from FAKE_ANSWERS; ``q=boom`` answers HTTP 500."""

    def __init__(self) -> None:
        self.requests: list[dict[str, list[str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                fake.requests.append(params)
                query = params.get("q", [""])[0].strip().lower()
                if parts.path != "/search" or query == "boom":
                    self.send_response(500 if query == "boom" else 404)
                    self.end_headers()
                    return
                body = json.dumps(FAKE_ANSWERS.get(query, [])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                """Quiet: the tests read ``requests`` instead."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def searches(self, query: str) -> int:
        return sum(r.get("q", [""])[0] == query for r in self.requests)


@pytest.fixture(scope="module")
def nominatim_server() -> Iterator[FakeNominatim]:
    fake = FakeNominatim()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


class MemoryStore:
    """The three store methods geocoders use (the SQLite store is tested elsewhere)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], object] = {}

    def custom_places(self) -> list[Place]:
        return []

    def cache_get(self, namespace: str, key: str) -> object | None:
        return json.loads(json.dumps(self.cache[(namespace, key)])) \
            if (namespace, key) in self.cache else None

    def cache_put(self, namespace: str, key: str, value: object) -> None:
        self.cache[(namespace, key)] = value


@pytest.fixture
def make_backend(nominatim_server: FakeNominatim) -> Callable[[str], Geocoder]:
    """A ready-to-use instance of each registered backend (a new backend must add one)."""
    factories: dict[str, Callable[[], Geocoder]] = {
        "gazetteer": lambda: GazetteerGeocoder(),
        "nominatim": lambda: NominatimGeocoder(url=nominatim_server.url, min_delay=0.01,
                                               timeout=5),
    }
    return lambda name: factories[name]()


@pytest.mark.parametrize("name", sorted(GEOCODERS))
def test_every_backend_honours_the_contract(name: str,
                                            make_backend: Callable[[str], Geocoder]) -> None:
    geocoder = make_backend(name)
    assert geocoder.name == name and isinstance(geocoder, GEOCODERS[name])
    one = geocoder.geocode("Ramadi")
    assert isinstance(one, Location) and isinstance(one.place, Place)
    assert abs(one.latitude - 33.42) < 0.1 and abs(one.longitude - 43.31) < 0.1
    assert 0.0 <= one.score <= 1.0 and one.raw, "the provider record is kept for audit"
    assert all(isinstance(c, Place) for c in one.candidates)
    many = geocoder.geocode("Ramadi", exactly_one=False)
    assert isinstance(many, list) and many and all(isinstance(x, Location) for x in many)
    assert many[0].place == one.place
    assert geocoder.geocode("Qwxzptlk", exactly_one=True) is None
    assert geocoder.geocode("Qwxzptlk", exactly_one=False) == []
    for bad in ("", "  ", "!!!", "--?"):
        with pytest.raises(GeocoderQueryError):
            geocoder.geocode(bad)


def test_get_geocoder_uses_the_setting_and_names_the_known_backends(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_geocoder(), GazetteerGeocoder)
    monkeypatch.setenv("GEO_GEOCODER", "nominatim")
    assert isinstance(get_geocoder(), NominatimGeocoder)
    with pytest.raises(GeocoderNotFound) as info:
        get_geocoder("google")
    assert "'google'" in str(info.value) and "gazetteer" in str(info.value) \
        and "nominatim" in str(info.value)


def test_nominatim_caches_answers_in_the_store(nominatim_server: FakeNominatim) -> None:
    store = MemoryStore()
    geocoder = NominatimGeocoder(store, url=nominatim_server.url, min_delay=0.01, timeout=5)
    first = geocoder.geocode("Raqqa", exactly_one=False)
    again = NominatimGeocoder(store, url=nominatim_server.url, min_delay=0.01).geocode("Raqqa")
    assert nominatim_server.searches("Raqqa") == 1, "the second answer came from the cache"
    assert isinstance(first, list) and len(first) == 2 and again is not None
    assert again.place == first[0].place and again.raw["osm_id"] == 2
    assert again.place.country == "SY" and again.place.admin1 == "Raqqa Governorate"
    assert again.place.source == "nominatim" and again.candidates[0].place_type == "state"
    region = geocoder.geocode("Raqqa", prefer_type="region")
    assert region is not None and region.place.place_type == "state"
    assert nominatim_server.searches("Raqqa") == 1


def test_nominatim_sends_the_configured_user_agent_and_rate_limits(
        nominatim_server: FakeNominatim, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_NOMINATIM_URL", nominatim_server.url)
    monkeypatch.setenv("GEO_NOMINATIM_USER_AGENT", "geo-tests/1 (test@example.org)")
    monkeypatch.setenv("GEO_NOMINATIM_MIN_DELAY", "0.2")
    geocoder = get_geocoder("nominatim")
    assert geocoder._client.headers["User-Agent"] == "geo-tests/1 (test@example.org)"
    import time
    t = time.perf_counter()
    geocoder.geocode("Ramadi")
    geocoder.geocode("Ramadi")
    assert time.perf_counter() - t >= 0.2


def test_nominatim_server_errors_become_geocoder_unavailable(
        nominatim_server: FakeNominatim) -> None:
    geocoder = NominatimGeocoder(url=nominatim_server.url, min_delay=0.01, timeout=5)
    with pytest.raises(GeocoderUnavailable) as info:
        geocoder.geocode("boom")
    assert nominatim_server.url in str(info.value) and "'boom'" in str(info.value)


def test_nominatim_unreachable_becomes_geocoder_unavailable() -> None:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # closed again: nothing listens there
    geocoder = NominatimGeocoder(url=f"http://127.0.0.1:{port}", min_delay=0.01, timeout=2)
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("Ramadi")
