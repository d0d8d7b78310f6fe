"""Parse a dataset file and store its events: the step shared by the command and tests."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.core.errors import InputError
from geo.core.forces import ForceTable
from geo.core.validate import STRICT, Allow
from geo.imports.common import ParsedFile
from geo.store.base import Progress, Store

#: dataset name on the command line -> parser
PARSERS: dict[str, Callable[..., ParsedFile]] = {}


def _register() -> None:
    """Fill ``PARSERS`` on first use (keeps importing this module light)."""
    if PARSERS:
        return
    from geo.imports.acled import parse_acled
    from geo.imports.gis import parse_gis
    from geo.imports.ucdp import parse_ucdp
    PARSERS.update(acled=parse_acled, ucdp=parse_ucdp, gis=parse_gis)


#: dataset -> (label shown to analysts, file suffixes it comes in)
UPLOADS: dict[str, tuple[str, tuple[str, ...]]] = {
    "acled": ("ACLED", (".csv",)),
    "ucdp": ("UCDP GED", (".csv",)),
    "gis": ("GIS (GeoPackage or GeoJSON written by geo export)", (".gpkg", ".geojson",
                                                                  ".json")),
}


def datasets() -> tuple[str, ...]:
    """The datasets there is a parser for (``UPLOADS`` names each), without importing
    the parsers: ``python -m geo import --help`` lists them in a moment."""
    return tuple(UPLOADS)


@dataclass
class ImportSummary:
    """What an import did, for the command's summary and the tests."""

    source: str
    dataset: str
    rows_read: int
    imported: int
    #: (file line, incoming id, id of the stored event it duplicates)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    unmapped_actors: dict[str, int] = field(default_factory=dict)
    #: Place names (rows without coordinates) an analyst should confirm -> file lines.
    review_names: dict[str, list[int]] = field(default_factory=dict)
    #: (file line, id) of stored events a newer version of their row updated.
    updated: list[tuple[int, str]] = field(default_factory=list)
    #: (file line, id) of newer rows of events an analyst reviewed: left as they are.
    kept: list[tuple[int, str]] = field(default_factory=list)

    def problem_rows(self) -> list[dict[str, object]]:
        """Problems as table rows (line, field, message) for the dashboard."""
        return [{"line": getattr(p, "line", None), "field": getattr(p, "field", ""),
                 "problem": getattr(p, "message", str(p))} for p in self.problems]

    def unmapped_rows(self) -> list[dict[str, object]]:
        """Unmapped actor names with their row counts, most frequent first: the list an
        analyst works through to add aliases to data/forces.csv."""
        return [{"actor name": name, "rows": n} for name, n in
                sorted(self.unmapped_actors.items(), key=lambda kv: (-kv[1], kv[0]))]

    def lines(self) -> list[str]:
        """The summary as printed: counts, then problems by line, then unmapped actors."""
        updates = (f"{len(self.updated)} updated from a newer version of their row, "
                   if self.updated else "")
        out = [f"{self.source}: {self.dataset}, {self.rows_read} row(s) read, "
               f"{self.imported} imported, {len(self.duplicates)} duplicate(s) of stored "
               f"events, {updates}{len(self.problems)} problem(s)"]
        out += [f"updated: line {line}: {event_id} (its row changed in the dataset; "
                f"undo from the Events page)" for line, event_id in self.updated[:50]]
        if len(self.updated) > 50:
            out.append(f"updated: ... and {len(self.updated) - 50} more")
        out += [f"kept: line {line}: {event_id} changed in the dataset, but an analyst "
                f"reviewed it: kept as reviewed" for line, event_id in self.kept]
        out += [f"duplicate: line {line}: {incoming} is stored as {stored}"
                for line, incoming, stored in self.duplicates[:50]]
        if len(self.duplicates) > 50:
            out.append(f"duplicate: ... and {len(self.duplicates) - 50} more")
        out += [f"problem: {p}" for p in self.problems]
        if self.review_names:
            out.append(f"place names to review ({len(self.review_names)}; their rows were "
                       f"not imported: confirm them on the Places page or with `geo places "
                       f"confirm NAME`, then import again):")
            out += [f"  {name}: line(s) {', '.join(map(str, lines[:20]))}"
                    + (f" and {len(lines) - 20} more" if len(lines) > 20 else "")
                    for name, lines in self.review_names.items()]
        if self.unmapped_actors:
            out.append(f"unmapped actors ({len(self.unmapped_actors)}; kept as written, no "
                       f"force; add aliases to data/forces.csv and import again to map them):")
            out += [f"  {n:>6}  {name}" for name, n in
                    sorted(self.unmapped_actors.items(), key=lambda kv: (-kv[1], kv[0]))]
        return out


def parse_file(dataset: str, path: str | Path, forces: ForceTable, *,
               geocoder: object | None = None, allow: Allow = STRICT) -> ParsedFile:
    """Parse without storing; ``InputError`` for an unknown dataset or unusable file.
    Rows that name a place without coordinates are placed by ``geocoder`` (default: the
    offline gazetteer, loaded only if such a row occurs)."""
    _register()
    if dataset not in PARSERS:
        raise InputError(f"unknown dataset {dataset!r}; known: {', '.join(PARSERS)}",
                         field="dataset")
    if geocoder is None:
        from geo.geocode.offline import GazetteerGeocoder
        geocoder = GazetteerGeocoder()
    return PARSERS[dataset](path, forces, geocoder=geocoder, allow=allow)


def import_file(dataset: str, path: str | Path, store: Store, forces: ForceTable, *,
                on_progress: Progress | None = None, allow: Allow = STRICT,
                author: str | None = None) -> ImportSummary:
    """Parse ``path`` as ``dataset`` and store its events (deduplicated against the store).
    Stored events a newer row of the dataset updates are audited as changes by ``author``
    (None: the ``author`` setting).

    The file is read completely before anything is written, so a file refused with
    ``InputError`` changes nothing; the store writes all events in one transaction."""
    from geo.geocode.offline import GazetteerGeocoder
    # The store's own places and confirmed names win over the bundled gazetteer.
    parsed = parse_file(dataset, path, forces, geocoder=GazetteerGeocoder(store=store),
                        allow=allow)
    outcome = store.import_events(parsed.events, on_progress=on_progress,
                                  versions=parsed.versions, author=author)
    return ImportSummary(
        source=str(path), dataset=parsed.dataset, rows_read=parsed.rows_read,
        imported=outcome.added,
        duplicates=[(parsed.lines[i], incoming, stored)
                    for i, incoming, stored in outcome.duplicates],
        updated=[(parsed.lines[i], event_id) for i, event_id in outcome.updated],
        kept=[(parsed.lines[i], event_id) for i, event_id in outcome.kept],
        problems=list(parsed.problems), unmapped_actors=dict(parsed.unmapped_actors),
        review_names={k: list(v) for k, v in parsed.review_names.items()})


def _safe_name(name: str) -> str:
    """A file name to write an upload under: its base name, odd characters replaced."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".") or "upload"


def import_upload(dataset: str, name: str, data: bytes, store: Store, forces: ForceTable,
                  *, on_progress: Progress | None = None,
                  allow: Allow = STRICT, author: str | None = None) -> ImportSummary:
    """``import_file`` for bytes uploaded in the dashboard.

    Why a temporary file: the CSV readers take a path and GDAL (GeoPackage/GeoJSON) can
    only open one. It is written under the upload's own name (GDAL picks the driver by
    suffix) in a private directory that is removed afterwards. Errors and the summary
    name the upload, not the temporary path. A suffix that does not fit the dataset is
    refused before anything is read."""
    if dataset not in UPLOADS:
        raise InputError(f"unknown dataset {dataset!r}; known: {', '.join(UPLOADS)}",
                         field="dataset")
    label, suffixes = UPLOADS[dataset]
    safe = _safe_name(name)
    if Path(safe).suffix.lower() not in suffixes:
        raise InputError(f"a {label} file should end in {' or '.join(suffixes)}; choose "
                         f"the dataset that matches the file", source=name)
    if not data:
        raise InputError("the file is empty", source=name)
    with tempfile.TemporaryDirectory(prefix="geo_import_") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            summary = import_file(dataset, path, store, forces, on_progress=on_progress,
                                  allow=allow, author=author)
        except InputError as exc:
            if exc.source and str(exc.source) == str(path):
                raise InputError(exc.message.replace(str(path), name), source=name,
                                 line=exc.line, field=exc.field) from None
            raise
    summary.source = name
    return summary
