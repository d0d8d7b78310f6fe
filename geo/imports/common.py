"""What every dataset importer shares: reading a CSV safely, row problems, actor mapping.

Why a two-level error policy: a file that is not the dataset it claims to be (wrong
columns, not UTF-8, cut off in the middle) is refused whole with ``InputError``, before
anything is written; a file that *is* the dataset but has some bad rows (no coordinates,
an impossible date) is imported without those rows, and each one is reported with its
line number so the analyst can fix the source and import again (re-import is a no-op for
the rows already stored, since ids are stable).
"""
from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from geo.core.errors import ConfirmationNeeded, InputError
from geo.core.files import path_text, read_input_bytes
from geo.core.forces import ForceTable
from geo.core.records import Event
from geo.core.validate import (
    STRICT,
    Allow,
    check_count,
    check_country,
    check_event_day,
    check_point,
    shown,
)

#: Refuse absurd cells early (a binary file read as text): the csv module's own limit.
_FIELD_LIMIT = 1_000_000


@dataclass(frozen=True)
class Problem:
    """One row that was not imported, or one remark about the file (line 1 = header)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field '{self.field}'" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedFile:
    """The events read from one file, with what was left out and why."""

    source: str
    dataset: str
    events: list[Event] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)          # file line of each event
    #: The dataset's version of each event's row (ACLED's ``timestamp``: when ACLED last
    #: changed it), None without one; the store updates an event from a newer version.
    versions: list[int | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Actor names that no force in data/forces.csv stands for, with their row counts.
    unmapped_actors: Counter[str] = field(default_factory=Counter)
    rows_read: int = 0
    #: actor name -> force id ("" unmapped): a dataset repeats a few hundred names.
    actor_cache: dict[str, str] = field(default_factory=dict, repr=False)
    #: Geocoder for rows that name their place but give no coordinates (None: such rows
    #: are refused as before).
    geocoder: Any = field(default=None, repr=False)
    #: Place names an analyst should confirm (flagged or not found), with their lines.
    review_names: dict[str, list[int]] = field(default_factory=dict)
    #: name -> (latitude, longitude, geo_precision, place_id, country, admin1) or a
    #: ReviewNeeded to raise again: a dataset repeats its place names.
    place_cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: What the analyst explicitly allowed (dates before 1990 or in the future, points
    #: outside the theatre); without it such rows are reported and skipped.
    allow: Allow = STRICT


class RowError(ValueError):
    """A bad cell in one row: the row is reported and skipped, the file goes on."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class ReviewNeeded(RowError):
    """The row's place name has no sure answer: the row waits for an analyst to confirm
    the name (Places page, ``geo places confirm``) and the file to be imported again."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__("location", message)
        self.name = name


def place_from_name(row: dict[str, str], parsed: ParsedFile
                    ) -> tuple[float, float, int, str, str, str]:
    """(latitude, longitude, geo_precision, place_id, country, admin1) for a row that
    names its place (``location``, with ``admin1``/``country`` to choose among homonyms)
    but gives no coordinates. ``ReviewNeeded`` when the answer is flagged or missing:
    such a row is never mapped silently."""
    from geo.core.errors import GeocoderQueryError
    name = row.get("location", "").strip()
    qualifier = row.get("admin1", "").strip() or row.get("country", "").strip()
    query = f"{name}, {qualifier}" if qualifier and "," not in name else name
    cached = parsed.place_cache.get(query)
    if cached is None:
        try:
            loc = parsed.geocoder.geocode(query)
        except GeocoderQueryError as exc:
            cached = ReviewNeeded(name, f"{shown(name)}: {exc.message}")
        else:
            if loc is None:
                cached = ReviewNeeded(name, f"place {shown(name)} not found in the gazetteer; add "
                                            f"it as an own place (Places page or `geo places "
                                            f"import`) and import again")
            elif loc.review:
                runner = (f"; runner-up {loc.runner_up.name} ({loc.runner_up.country})"
                          if loc.runner_up else "")
                cached = ReviewNeeded(name, f"place {shown(name)} needs review ({loc.reason}); "
                                            f"best guess {loc.place.name} ({loc.place.country})"
                                            f"{runner}; confirm it (Places page or `geo places "
                                            f"confirm`) and import again")
            else:
                p = loc.place
                cached = (p.latitude, p.longitude, loc.geo_precision, p.place_id, p.country,
                          p.admin1)
        parsed.place_cache[query] = cached
    if isinstance(cached, ReviewNeeded):
        raise cached
    return cached


def read_rows(path: Path, *, required: tuple[str, ...], known: tuple[str, ...],
              dataset: str, parsed: ParsedFile) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` for each data row of a UTF-8 CSV (BOM allowed).

    Raises ``InputError`` naming the file for what makes the whole file unusable: not
    found, not UTF-8, empty, missing ``required`` columns, NUL bytes, a last row cut off
    (no final newline and fewer cells than the header, or an unclosed quote). Columns
    outside ``known`` are reported once as a problem on line 1 and ignored; a row with
    more or fewer cells than the header is reported and skipped.
    """
    source = path_text(path)
    raw = read_input_bytes(path, what=f"{dataset} file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"the file is UTF-16; save it as UTF-8 CSV (as {dataset} "
                         f"exports are) and import again", source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                         f"{exc.start}); unknown encoding: save it as UTF-8 CSV and import "
                         f"again", source=source, line=line) from None
    if "\x00" in text:
        raise InputError("contains NUL bytes: this is not a CSV text file", source=source,
                         line=text[:text.index("\x00")].count("\n") + 1)
    if not text.strip():
        raise InputError(f"the file is empty; expected a {dataset} CSV with a header row",
                         source=source)
    # A file object opened with newline="" (not str.splitlines, which also breaks at
    # U+2028, U+0085, VT, FF, ...): the csv module then ends a row only at CR/LF outside
    # quotes, so a quoted notes cell holding any of them stays one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"the header row is not valid CSV ({exc})", source=source,
                         line=1) from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"not a {dataset} CSV: missing column(s) {', '.join(missing)} (found "
            f"{', '.join(header[:8])}{', ...' if len(header) > 8 else ''}); export the "
            f"data with the {dataset} codebook columns", source=source, line=1)
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputError(f"column(s) {', '.join(dupes)} appear more than once", source=source,
                         line=1)
    unknown = [h for h in header if h not in known]
    if unknown:
        parsed.problems.append(Problem(1, unknown[0], f"unknown column(s) "
                                       f"{', '.join(unknown)} ignored"))
    ends_cleanly = text.endswith(("\n", "\r"))
    last_line = text.count("\n") + text.count("\r") - text.count("\r\n") + (not ends_cleanly)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"the file is truncated or not valid CSV ({exc}); nothing was "
                             f"imported", source=source, line=reader.line_num) from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            last = line >= last_line
            if last and not ends_cleanly and len(cells) < len(header):
                raise InputError(f"the file is truncated: the last row has {len(cells)} of "
                                 f"{len(header)} columns and no line end; nothing was "
                                 f"imported", source=source, line=line)
            parsed.problems.append(Problem(line, "", f"{len(cells)} cells where the header "
                                           f"has {len(header)}; row skipped"))
            continue
        parsed.rows_read += 1
        yield line, dict(zip(header, (c.strip() for c in cells)))


def parse_day(value: str, field_name: str, allow: Allow = STRICT) -> date:
    """A day from ISO ``2016-06-19`` or ACLED's export form ``19 June 2016``, inside
    ``EARLIEST_EVENT_DATE``..today unless ``allow.any_date``."""
    day = _parse_day(value, field_name)
    try:
        check_event_day(day, field_name, allow=allow)
    except ConfirmationNeeded as exc:
        raise RowError(field_name, f"{exc.message} ({exc.option})") from None
    return day


def _parse_day(value: str, field_name: str) -> date:
    text = value.strip()
    if not text:
        raise RowError(field_name, "date is missing")
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" \
            else datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        pass
    for fmt in ("%d %b %Y", "%d-%B-%Y", "%d-%b-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(field_name, f"{shown(value)} is not a valid date (expected YYYY-MM-DD or "
                               f"'19 June 2016')")


def check_row_country(value: str, field_name: str = "country") -> str:
    """A country cell as written ("Iraq", "IQ", "Syrian Arab Republic"), or empty;
    ``RowError`` for a country the tool does not know."""
    try:
        return check_country(value, field_name, names=True)
    except InputError as exc:
        raise RowError(field_name, exc.message) from None


def check_row_point(latitude: float, longitude: float, parsed: ParsedFile) -> None:
    """Refuse 0,0 and, unless the analyst allowed it, a point outside the theatre."""
    try:
        check_point(latitude, longitude, allow=parsed.allow)
    except ConfirmationNeeded as exc:
        raise RowError(exc.field or "latitude", f"{exc.message} ({exc.option})") from None
    except InputError as exc:
        raise RowError(exc.field or "latitude", exc.message) from None


def parse_coordinate(value: str, field_name: str) -> float:
    """A latitude or longitude; missing or out of range is a row error."""
    if not value.strip():
        raise RowError(field_name, "coordinate is missing; row skipped (an event without "
                                   "a place cannot be mapped or deduplicated)")
    try:
        number = float(value)
    except ValueError:
        raise RowError(field_name, f"{shown(value)} is not a number") from None
    limit = 90.0 if field_name == "latitude" else 180.0
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise RowError(field_name, f"{shown(value)} is outside [-{limit:g}, {limit:g}]")
    return number


def parse_count(value: str, field_name: str) -> int:
    """A whole number 0..``MAX_COUNT``; empty means 0."""
    try:
        return check_count(value, field_name)
    except InputError as exc:
        raise RowError(field_name, exc.message) from None


def parse_int(value: str, field_name: str, allowed: tuple[int, ...]) -> int:
    """One of a few codes (precision codes): "2" or "2.0"; "inf", "nan", "2.5" are not."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not number.is_integer() or int(number) not in allowed:
        raise RowError(field_name, f"{shown(value)} is not one of "
                                   f"{', '.join(map(str, allowed))}")
    return int(number)


def map_actor(name: str, forces: ForceTable, parsed: ParsedFile,
              extra: dict[str, str] | None = None) -> str:
    """The force id for an actor name, or "" (and the name counted as unmapped).

    ``extra`` holds dataset-specific names (UCDP's "Government of Syria") tried first."""
    clean = name.strip()
    if not clean:
        return ""
    if extra and clean.casefold() in extra:
        return extra[clean.casefold()]
    if clean not in parsed.actor_cache:
        parsed.actor_cache[clean] = forces.resolve(clean) or ""
    force = parsed.actor_cache[clean]
    if not force:
        parsed.unmapped_actors[clean] += 1
    return force


def row_problem(line: int, exc: RowError, what: str = "row") -> Problem:
    """The problem reported for a skipped row."""
    text = str(exc)
    return Problem(line, exc.field, text if "skipped" in text else f"{text}; {what} skipped")


def add_event(parsed: ParsedFile, line: int, event: Event, seen: dict[str, int],
              version: int | None = None) -> None:
    """Keep an event unless its id was already read from an earlier line of the file."""
    if event.event_id in seen:
        parsed.problems.append(Problem(line, "id", f"same id {shown(event.event_id)} as line "
                                                   f"{seen[event.event_id]}; row skipped"))
        return
    seen[event.event_id] = line
    parsed.events.append(event)
    parsed.lines.append(line)
    parsed.versions.append(version)


#: Largest row version accepted (a Unix time in seconds up to the year 9999).
_MAX_VERSION = 253_402_300_799


def parse_version(value: str | None, field_name: str = "timestamp") -> int | None:
    """A dataset's row version: ACLED's ``timestamp`` (Unix seconds of the row's last
    change); empty is None (our own exports, UCDP)."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12 or int(text) > _MAX_VERSION:
        raise RowError(field_name, f"{shown(text)} is not a time stamp (whole seconds "
                                   f"since 1970, as ACLED writes it)")
    return int(text)


#: How an importer turns one CSV row into an event (``RowError`` for a bad cell).
RowReader = Callable[[dict[str, str], ForceTable, ParsedFile], Event]


def note_review(parsed: ParsedFile, line: int, exc: RowError) -> None:
    """List a row's place name for review when that is why the row was skipped."""
    if isinstance(exc, ReviewNeeded):
        parsed.review_names.setdefault(exc.name, []).append(line)


def parse_csv(path: str | Path, forces: ForceTable, *, dataset: str,
              required: tuple[str, ...], known: tuple[str, ...],
              row_event: RowReader, geocoder: Any = None, allow: Allow = STRICT) -> ParsedFile:
    """Every event of a dataset CSV: the loop ACLED and UCDP share. A bad row is reported
    by line and skipped, a repeated id too; ``InputError`` if the file is unusable (see
    ``read_rows``)."""
    parsed = ParsedFile(source=str(path), dataset=dataset, geocoder=geocoder, allow=allow)
    seen: dict[str, int] = {}
    for line, row in read_rows(Path(path), required=required, known=known, dataset=dataset,
                               parsed=parsed):
        try:
            event = row_event(row, forces, parsed)
            version = parse_version(row.get("timestamp"))
        except RowError as exc:
            parsed.problems.append(row_problem(line, exc))
            note_review(parsed, line, exc)
            continue
        add_event(parsed, line, event, seen, version)
    return parsed
