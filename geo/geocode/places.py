"""The analyst's side of geocoding: own places from a CSV, names to review, confirmations.

Why here and not in a page: the Places page, the ``geo places`` command and the
importers share it. An own place (a village the open data lacks) and a confirmation (this
name, as a dataset writes it, means that place) both live in the store and both win over
the bundled gazetteer in every later look-up, import and ingest
(``Gazetteer.load(store=...)``).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import GeocoderQueryError, InputError
from geo.core.files import path_text, read_input_bytes
from geo.core.records import Place
from geo.core.validate import make_custom_place
from geo.geocode.base import Geocoder, Location

#: Columns of an own-places CSV; ``aliases`` ('|'-separated) become confirmed names.
OWN_PLACE_COLUMNS = ("name", "latitude", "longitude", "country", "admin1", "place_type",
                     "aliases")
REQUIRED_COLUMNS = ("name", "latitude", "longitude", "country")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class OwnPlace:
    """One valid row of an own-places file."""

    line: int
    place: Place
    aliases: tuple[str, ...] = ()


@dataclass
class OwnPlacesFile:
    """What an own-places file holds: valid rows, and each bad row with why."""

    source: str
    places: list[OwnPlace] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)      # "FILE line N, field F: ..."


def read_own_places(path: str | Path) -> OwnPlacesFile:
    """Read a CSV of own places (UTF-8, header with at least ``REQUIRED_COLUMNS``).

    ``InputError`` for a file that cannot be used at all; a bad row is reported with its
    line and field and left out, the others are kept."""
    source = path_text(path)
    raw = read_input_bytes(path, limit=MAX_FILE_BYTES, what="own-places file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", source=source) from None
    if "\x00" in text:
        raise InputError("contains NUL bytes: not a CSV text file", source=source)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("the file is empty", source=source) from None
    except csv.Error as exc:
        raise InputError(f"not a CSV file ({exc})", source=source, line=1) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; expected "
                         f"{', '.join(OWN_PLACE_COLUMNS)}", source=source, line=1)
    out = OwnPlacesFile(source)
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                out.problems.append(f"{source} line {line}: {len(cells)} cells, the header "
                                    f"has {len(header)}; row skipped")
                continue
            row = dict(zip(header, (c.strip() for c in cells)))
            try:
                if not row["name"]:
                    raise InputError("name is empty", field="name")
                place = make_custom_place(row["name"], row["latitude"], row["longitude"],
                                          row["country"], row.get("place_type") or "locality",
                                          row.get("admin1", ""))
            except InputError as exc:
                where = f", field '{exc.field}'" if exc.field else ""
                out.problems.append(f"{source} line {line}{where}: {exc.message}; row skipped")
                continue
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            out.places.append(OwnPlace(line, place, aliases))
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", source=source, line=reader.line_num) from None
    return out


def store_own_places(parsed: OwnPlacesFile, store: object, *, author: str = "") -> int:
    """Write the valid rows: each place, and each alias as a confirmed name of it."""
    for own in parsed.places:
        store.add_custom_place(own.place)  # type: ignore[attr-defined]
        for alias in own.aliases:
            store.confirm_name(alias, own.place, author=author)  # type: ignore[attr-defined]
    return len(parsed.places)


@dataclass(frozen=True)
class ReviewItem:
    """A name whose answer a person should confirm, with what the geocoder made of it."""

    name: str
    lines: tuple[int, ...]           # where it occurs (file lines), empty when not known
    answer: Location | None          # the best guess (None: not found)
    reason: str

    @property
    def choices(self) -> list[Place]:
        """Places to choose from: the best guess first, then the alternatives."""
        if self.answer is None:
            return []
        return [self.answer.place, *self.answer.candidates]


def names_to_review(geocoder: Geocoder, names: Iterable[tuple[str, int]]) -> list[ReviewItem]:
    """The distinct names (with the lines they occur on) whose answer is flagged for
    review or missing, in first-seen order. A name that is not a name at all is listed
    with the reason."""
    lines: dict[str, list[int]] = {}
    for name, line in names:
        lines.setdefault(name.strip(), []).append(line)
    items: list[ReviewItem] = []
    for name, where in lines.items():
        if not name:
            continue
        try:
            loc = geocoder.geocode(name)
        except GeocoderQueryError as exc:
            items.append(ReviewItem(name, tuple(where), None, exc.message))
            continue
        if loc is None:
            close = getattr(geocoder, "suggest", lambda q: "")(name)
            items.append(ReviewItem(name, tuple(where), None, "not found" + (
                f"; closest spelling: {close}" if close else "")))
        elif isinstance(loc, Location) and loc.review:
            items.append(ReviewItem(name, tuple(where), loc, loc.reason))
    return items


def confirm(store: object, name: str, place: Place, *, author: str = "") -> None:
    """Remember that ``name`` means ``place`` (see ``Store.confirm_name``)."""
    store.confirm_name(name, place, author=author)  # type: ignore[attr-defined]


def place_label(place: Place) -> str:
    """One line that lets an analyst recognise a place in a select box."""
    where = ", ".join(filter(None, (place.admin1, place.country)))
    return (f"{place.name} ({where}; {place.place_type}; {place.latitude:.4f}, "
            f"{place.longitude:.4f}; {place.place_id})")


def review_inputs(import_names: dict[str, list[int]] | None, ingest_names: Iterable[str],
                  pasted: str) -> list[tuple[str, int]]:
    """(name, line) pairs to check: the last import's held names with their file lines,
    the last ingest's ambiguous or unresolved names and pasted names (one a line, line 0:
    no file line)."""
    out = [(n, line) for n, lines in (import_names or {}).items() for line in lines]
    out += [(n, 0) for n in ingest_names]
    out += [(n.strip(), 0) for n in pasted.splitlines()[:500] if n.strip()]
    return out


def current_author() -> str:
    """Who confirms: the ``author`` setting (default: the operating-system user)."""
    from geo.core import settings
    return settings.author()
