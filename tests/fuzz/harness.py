"""Run one fuzz input through the product, as a user's input would go, and say how it ended.

Each ``check_*`` function takes a ``Case`` and returns an ``Outcome``:

* ``ok``: the product took the input (an article read and extracted, rows imported);
* ``refused``: the product refused it with a message (a ``GeoError``: what a user sees);
* ``crash``: anything else escaped (an exception that would reach the user as a
  traceback), with the traceback;
* ``violation``: no exception, but a promise was broken (a row lost without a message,
  a KML that is not XML, a formula left live in a CSV cell); the detail says which.

Hangs are the runner's business (``tests/fuzz/run_fuzz.py`` runs each case under a
timeout in a worker process). The same functions back the property tests in the suite
(``tests/test_fuzz_properties.py``), so a crash found by either is reproduced by both.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from geo.core.errors import GeoError
from tests.fuzz.generate import Case

#: A cell a spreadsheet would run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Outcome:
    status: str                # ok | refused | crash | violation
    detail: str = ""           # the message, the traceback or the broken promise


def _guard(run: Callable[[], str]) -> Outcome:
    """``run`` returns "" (ok) or a broken promise; a GeoError is a refusal."""
    try:
        broken = run()
    except GeoError as exc:
        return Outcome("refused", str(exc)[:300])
    except Exception:          # the point: anything else is a crash
        return Outcome("crash", traceback.format_exc(limit=12))
    return Outcome("violation", broken) if broken else Outcome("ok")


@cache
def _places_and_forces() -> tuple[Any, Any]:
    from geo.ingest import load_places_and_forces
    return load_places_and_forces()


@cache
def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="geo_fuzz_"))


@cache
def _store(name: str) -> Any:
    from geo.store import open_store
    return open_store(str(_scratch() / f"{name}.sqlite"))


def check_article(case: Case, *, store: bool = True) -> Outcome:
    """Read + extract (+ store) one uploaded article, as the Ingest page does."""
    from geo.core.validate import check_event
    from geo.ingest import process_uploads
    places, forces = _places_and_forces()

    def run() -> str:
        summary = process_uploads([(case.case_id + case.suffix, case.data)], places, forces,
                                  store=_store("articles") if store else None)
        outcome = summary.outcomes[0]
        if outcome.error:
            if not outcome.error.strip() or "Traceback" in outcome.error:
                return f"error message is not a message: {outcome.error[:200]!r}"
            raise GeoError(outcome.error)
        for event in outcome.extraction.events if outcome.extraction else []:
            check_event(event, where=event.event_id)
        return ""
    return _guard(run)


def check_csv(case: Case) -> Outcome:
    """Parse + store a dataset file as ``geo import`` does; every row of an intact file
    becomes an event or a problem naming its line (no row lost silently)."""
    from geo.imports.run import parse_file

    def run() -> str:
        path = _scratch() / f"{case.case_id}{case.suffix}"
        path.write_bytes(case.data)
        try:
            parsed = parse_file(case.dataset, path, _places_and_forces()[1],
                                geocoder=_geocoder())
            _store("imports").import_events(parsed.events)
        finally:
            path.unlink(missing_ok=True)
        for problem in parsed.problems:
            if len(problem.message) > 600:
                return f"line {problem.line}: a {len(problem.message):,}-character message"
        if case.expected_rows is not None:
            lines = {p.line for p in parsed.problems if p.line > 1}
            duplicates = sum(1 for p in parsed.problems if p.field == "id")
            # A row split by an unquoted line break is reported in pieces (more lines
            # with problems than rows): fine. Fewer is a row lost without a word.
            accounted = len(parsed.events) + len(lines)
            if accounted < case.expected_rows:
                return (f"{case.expected_rows} rows written, {len(parsed.events)} events "
                        f"and {len(lines)} rows with problems ({duplicates} repeated ids): "
                        f"rows lost without a message")
        return ""
    return _guard(run)


@cache
def _geocoder() -> Any:
    from geo.geocode.offline import GazetteerGeocoder
    return GazetteerGeocoder()


def check_name(case: Case) -> Outcome:
    """One name through ``geo geocode``'s rows and CSV writer: a row per name, every
    cell spreadsheet-safe and free of control characters."""
    from geo.commands.geocode import CSV_COLUMNS, geocode_rows
    name = case.data.decode("utf-8", errors="surrogatepass")

    def run() -> str:
        rows = list(geocode_rows(_geocoder(), [name]))
        if name.strip() and not rows:
            return "no row for a name"
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n").writerows(rows)
        for row in rows:
            for column, cell in row.items():
                if column in ("latitude", "longitude", "score", "margin"):
                    continue
                if cell.startswith(_FORMULA_START):
                    return f"column {column}: live formula {cell[:40]!r}"
                if any(ord(c) < 32 for c in cell):
                    return f"column {column}: control character in {cell[:40]!r}"
        return ""
    return _guard(run)


def check_exports(texts: list[str], case_id: str) -> Outcome:
    """Events whose text fields hold ``texts`` through the store and every exporter:
    CSV (read back, formulas neutralised), GeoJSON, GeoPackage (read back) and KML
    (parsed as XML)."""
    import pyogrio

    from geo.core.forces import default_forces
    from geo.exports import acled, gis
    from tests.factories import sample_events

    def run() -> str:
        events = sample_events(len(texts), seed=hash(case_id) % 10_000)
        fields = ("notes", "location", "actor1", "actor2", "source", "assoc_actor_1",
                  "admin1")
        for i, (event, text) in enumerate(zip(events, texts)):
            setattr(event, fields[i % len(fields)], text)
            event.event_id = f"{case_id}-{i}"
        from geo.store import open_store
        with open_store(str(_scratch() / f"exports-{case_id}.sqlite")) as store:
            store.import_events(events)
            frame = store.query_events()
        out = _scratch() / case_id
        out.mkdir(exist_ok=True)
        buffer = io.StringIO(newline="")
        n = acled.write_csv(frame, buffer)
        rows = list(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))
        if len(rows) != n:
            return f"CSV: {n} rows written, {len(rows)} read back"
        for row in rows:
            for column, cell in row.items():
                if column not in ("latitude", "longitude", "fatalities", "confidence",
                                  "year", "time_precision", "geo_precision", "iso") \
                        and cell.startswith(_FORMULA_START):
                    return f"CSV column {column}: live formula {cell[:40]!r}"
        gis.write_geojson(frame, out / "e.geojson")
        features = json.loads((out / "e.geojson").read_text(encoding="utf-8"))["features"]
        if len(features) != n:
            return f"GeoJSON: {len(features)} features for {n} events"
        gis.write_gpkg(frame, out / "e.gpkg")
        if len(pyogrio.read_dataframe(out / "e.gpkg")) != n:
            return "GeoPackage: feature count differs"
        gis.write_kml(frame, out / "e.kml", default_forces())
        try:
            root = ElementTree.parse(out / "e.kml").getroot()
        except ElementTree.ParseError as exc:
            return f"KML is not XML: {exc}"
        placemarks = root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")
        if len(placemarks) != n:
            return f"KML: {len(placemarks)} placemarks for {n} events"
        return ""
    return _guard(run)
