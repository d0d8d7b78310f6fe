"""Checks on what enters the store, with messages naming the event and the field.

Why here and not in ``Event.__post_init__``: the model stays a plain record others can
build freely (tests, importers); the store is the gate that keeps the database sound,
and the analyst's edits (``check_changes``) get the stricter rules of user input
(dates given as text, nothing after today).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from geo.core import theatre
from geo.core.codebook import COUNTRY_TABLE, EVENT_TYPES, country_code
from geo.core.errors import ConfirmationNeeded, InputError
from geo.core.records import (
    EVENT_FIELDS,
    Event,
    GeoPrecision,
    Origin,
    Place,
    ReviewStatus,
    TimePrecision,
)

#: Fields an analyst may change with ``update_event`` (the id and source lists are not).
EDITABLE_FIELDS: frozenset[str] = frozenset(EVENT_FIELDS) - {"event_id"}
_DATES = ("event_date", "date_min", "date_max")
_TEXT = ("actor1", "actor2", "assoc_actor_1", "location", "source", "notes", "country",
         "admin1", "actor1_force", "actor2_force", "control_to", "place_id")
_ENUMS: dict[str, tuple[int | str, ...]] = {
    "time_precision": tuple(int(v) for v in TimePrecision),
    "geo_precision": tuple(int(v) for v in GeoPrecision),
    "review_status": tuple(v.value for v in ReviewStatus),
    "origin": tuple(v.value for v in Origin),
}


#: Largest count (fatalities) accepted: more dead than this in one event is a typing or
#: parsing error, and larger numbers do not fit the stores' 64-bit integers anyway.
MAX_COUNT = 1_000_000
#: How much of a bad value a message quotes (a 5,000-digit number is shown cut).
_SHOWN_CHARACTERS = 60


@dataclass(frozen=True)
class Allow:
    """What an analyst explicitly allowed beyond the default checks at the boundary (a
    command-line flag, a ticked box): without it such values are refused with a message
    that says how to allow them.

    ``any_date``: event dates before ``theatre.EARLIEST_EVENT_DATE`` or after today (old
    background history, or a typing mistake, far more often than a real event).
    ``outside_theatre``: coordinates outside the theatre's box (``Theatre.valid_bbox``):
    a swapped latitude/longitude or a dropped minus sign lands there."""

    any_date: bool = False
    outside_theatre: bool = False


#: The default: nothing beyond the checks allowed.
STRICT = Allow()


def shown(value: object) -> str:
    """``repr`` of a bad value for a message, cut to a readable length."""
    if isinstance(value, int) and value.bit_length() > 14_000:
        # repr() of an integer over 4,300 digits raises ValueError: count them instead
        return f"a {int((value.bit_length() - 1) * math.log10(2)) + 1:,}-digit number"
    text = repr(value)
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return f"{text[:_SHOWN_CHARACTERS - 20]}...{text[-12:]} ({len(str(value)):,} characters)"


def check_event_day(day: date | None, field: str, *, allow: Allow = STRICT,
                    today: date | None = None, where: str | None = None,
                    line: int | None = None) -> None:
    """Refuse an event date outside ``EARLIEST_EVENT_DATE``..today unless ``allow.any_date``
    (``ConfirmationNeeded``, naming the field and how to allow it)."""
    if day is None or allow.any_date:
        return
    today = today or date.today()
    earliest = theatre.EARLIEST_EVENT_DATE
    if day < earliest:
        raise ConfirmationNeeded(
            f"{day.isoformat()} is before {earliest.isoformat()}, the earliest event date this "
            f"tool accepts (older dates are typing mistakes or background history); allow "
            f"it explicitly if it is really meant", source=where, line=line, field=field,
            allow="any_date")
    if day > today:
        raise ConfirmationNeeded(
            f"{day.isoformat()} is after today ({today.isoformat()}): an event cannot be "
            f"dated in the future; allow it explicitly if it is really meant",
            source=where, line=line, field=field, allow="any_date")


def check_point(latitude: float | None, longitude: float | None, *, allow: Allow = STRICT,
                where: str | None = None, line: int | None = None) -> None:
    """Refuse 0,0 (the placeholder of a missing coordinate) always, and a point outside the
    theatre's box unless ``allow.outside_theatre`` (``ConfirmationNeeded``). Ranges
    (-90..90, -180..180) are checked where the numbers are parsed."""
    if latitude is None or longitude is None:
        return
    if latitude == 0 and longitude == 0:
        raise InputError("0, 0 is where a missing coordinate lands (the Gulf of Guinea), "
                         "not a place of this war; leave latitude and longitude empty if "
                         "they are unknown", source=where, line=line, field="latitude")
    here = theatre.current()
    if allow.outside_theatre or here.contains(latitude, longitude):
        return
    w, s, e, n = here.valid_bbox
    swapped = here.contains(longitude, latitude)
    hint = " (latitude and longitude look swapped)" if swapped else ""
    raise ConfirmationNeeded(
        f"{latitude:g}, {longitude:g} is outside the {here.name} theatre (latitude {s:g}..{n:g}, "
        f"longitude {w:g}..{e:g}){hint}; confirm it explicitly if the place is really "
        f"there", source=where, line=line, field="latitude",
        allow="outside_theatre")


def known_countries() -> tuple[str, ...]:
    """ISO alpha-2 codes this tool knows: the codebook's countries and the theatre's."""
    here = theatre.current()
    codes = {code for _, code, _ in COUNTRY_TABLE} | set(here.countries) | set(here.neighbours)
    return tuple(sorted(codes))


def check_country(value: str, field: str = "country", *, where: str | None = None,
                  line: int | None = None, names: bool = False) -> str:
    """An ISO alpha-2 country code the tool knows (upper case), or "" for an empty value;
    ``InputError`` naming the field otherwise. With ``names``, a country name the codebook
    knows ("Iraq", "Syrian Arab Republic") is accepted too and returned as written."""
    text = value.strip()
    if not text:
        return ""
    if names and country_code(text):
        return text
    code = text.upper()
    if code in known_countries():
        return code
    raise InputError(f"{shown(text)} is not a country this tool knows; use an ISO code: "
                     f"{', '.join(known_countries())}", source=where, line=line, field=field)


def check_count(value: Any, field: str, *, where: str | None = None,
                line: int | None = None) -> int:
    """A whole number 0..``MAX_COUNT`` from a number or text ("12", "12.0"); empty is 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise InputError(f"{shown(value)} is not a count", source=where, line=line, field=field)
    if isinstance(value, int):
        number: float | int = value
    else:
        text = str(value).strip()
        if len(text) > 32:
            raise InputError(f"{shown(text)} is not a count (at most {MAX_COUNT:,})",
                             source=where, line=line, field=field)
        try:
            number = float(text)
        except ValueError:
            raise InputError(f"{shown(text)} is not a number", source=where, line=line,
                             field=field) from None
        if not math.isfinite(number) or not number.is_integer():
            raise InputError(f"{shown(text)} is not a whole number", source=where, line=line,
                             field=field)
    if not 0 <= number <= MAX_COUNT:
        raise InputError(f"{shown(value)} is not a count between 0 and {MAX_COUNT:,}",
                         source=where, line=line, field=field)
    return int(number)


def _fail(message: str, field: str, where: str | None) -> InputError:
    return InputError(message, source=where, field=field)


def _check_types(event_type: str, sub_event_type: str, where: str | None) -> None:
    if event_type not in EVENT_TYPES:
        raise _fail(f"unknown event type {shown(event_type)}; expected one of "
                    f"{', '.join(EVENT_TYPES)}", "event_type", where)
    if sub_event_type not in EVENT_TYPES[event_type]:
        raise _fail(f"sub-event type {shown(sub_event_type)} does not belong to {shown(event_type)}; "
                    f"expected one of {', '.join(EVENT_TYPES[event_type])}",
                    "sub_event_type", where)


def _check_coordinate(name: str, value: Any, where: str | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _fail(f"{shown(value)} is not a number", name, where)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(f"{shown(value)} is not a number", name, where) from None
    limit = 90.0 if name == "latitude" else 180.0
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise _fail(f"{shown(value)} is outside [-{limit:g}, {limit:g}]", name, where)
    return number


def check_coordinate(name: str, value: Any, where: str | None = None) -> float | None:
    """A latitude or longitude as a float in range (None for empty); ``InputError``
    naming the field otherwise."""
    return _check_coordinate(name, value, where)


def _check_dates(event_date: date | None, date_min: date | None, date_max: date | None,
                 where: str | None) -> None:
    if date_min is not None and date_max is not None and date_min > date_max:
        raise _fail(f"date_min {date_min} is after date_max {date_max}", "date_min", where)
    if event_date is not None:
        if date_min is not None and event_date < date_min:
            raise _fail(f"{event_date} is before date_min {date_min}", "event_date", where)
        if date_max is not None and event_date > date_max:
            raise _fail(f"{event_date} is after date_max {date_max}", "event_date", where)


def check_event(event: Event, *, where: str | None = None) -> None:
    """Raise ``InputError`` (``where`` says which event) if a field cannot be stored."""
    if not event.event_id:
        raise _fail("event has no id", "event_id", where)
    _check_types(event.event_type, event.sub_event_type, where)
    for name in _DATES:
        value = getattr(event, name)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise _fail(f"{shown(value)} is not a date", name, where)
    _check_dates(event.event_date, event.date_min, event.date_max, where)
    lat = _check_coordinate("latitude", event.latitude, where)
    lon = _check_coordinate("longitude", event.longitude, where)
    if (lat is None) != (lon is None):
        raise _fail("latitude and longitude must both be given or both be empty",
                    "latitude" if lat is None else "longitude", where)
    for name, allowed in _ENUMS.items():
        value = getattr(event, name)
        if getattr(value, "value", value) not in allowed:
            raise _fail(f"{shown(value)} is not one of {', '.join(map(str, allowed))}", name, where)
    if not 0.0 <= float(event.confidence) <= 1.0:
        raise _fail(f"{shown(event.confidence)} is outside [0, 1]", "confidence", where)
    if isinstance(event.fatalities, bool) or not 0 <= int(event.fatalities) <= MAX_COUNT:
        raise _fail(f"{shown(event.fatalities)} is not a count between 0 and {MAX_COUNT:,}",
                    "fatalities", where)


def parse_date(value: Any, name: str, *, today: date | None = None,
               where: str | None = None) -> date | None:
    """A date from a ``date`` or ISO ``YYYY-MM-DD`` text; refuses impossible dates
    ("2016-02-30") and dates after ``today``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return _not_after(value.date(), today, name, where)
    if not isinstance(value, date):
        text = str(value).strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            why = ("there is no such day" if re.fullmatch(r"\d{4}-\d\d-\d\d", text)
                   else "expected YYYY-MM-DD")
            raise _fail(f"{shown(text)} is not a valid date ({why})", name, where) from None
    return _not_after(value, today, name, where)


def _not_after(value: date, today: date | None, name: str, where: str | None) -> date:
    if today is not None and value > today:
        raise _fail(f"{value} is after today ({today})", name, where)
    return value


def check_changes(changes: dict[str, Any], current: Event, *,
                  today: date | None = None) -> dict[str, Any]:
    """Validated, normalised values for ``update_event`` (dates as ``date``, numbers as
    numbers, enums as their string values), including implied interval moves."""
    today = today or date.today()
    where = f"event {current.event_id}"
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise _fail(f"cannot be changed; editable fields: {', '.join(sorted(EDITABLE_FIELDS))}",
                        name, where)
        if name in _DATES:
            clean[name] = parse_date(value, name, today=today, where=where)
        elif name in ("latitude", "longitude"):
            clean[name] = _check_coordinate(name, value, where)
        elif name in _ENUMS:
            raw = getattr(value, "value", value)
            if name in ("time_precision", "geo_precision"):
                try:
                    raw = int(raw)
                except (TypeError, ValueError):
                    raise _fail(f"{shown(value)} is not a number", name, where) from None
            if raw not in _ENUMS[name]:
                raise _fail(f"{shown(value)} is not one of {', '.join(map(str, _ENUMS[name]))}",
                            name, where)
            clean[name] = raw
        elif name == "confidence":
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise _fail(f"{shown(value)} is not a number", name, where) from None
            if not 0.0 <= number <= 1.0:
                raise _fail(f"{shown(value)} is outside [0, 1]", name, where)
            clean[name] = number
        elif name == "fatalities":
            clean[name] = check_count(value, name, where=where)
        elif name in ("event_type", "sub_event_type") or name in _TEXT:
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise _fail(f"{shown(value)} is not text", name, where)
            clean[name] = value.strip()
    _check_types(clean.get("event_type", current.event_type),
                 clean.get("sub_event_type", current.sub_event_type), where)
    if "event_date" in clean and "date_min" not in clean and "date_max" not in clean:
        day = clean["event_date"]
        lo, hi = current.date_min, current.date_max
        if day is None or (lo is not None and day < lo) or (hi is not None and day > hi):
            clean["date_min"] = clean["date_max"] = day
    lat = clean.get("latitude", current.latitude)
    lon = clean.get("longitude", current.longitude)
    if (lat is None) != (lon is None):
        raise _fail("latitude and longitude must both be given or both be empty",
                    "latitude" if lat is None else "longitude", where)
    if lat is not None and lon is not None:
        check_point(float(lat), float(lon), allow=Allow(outside_theatre=True), where=where)
    _check_dates(clean.get("event_date", current.event_date),
                 clean.get("date_min", current.date_min),
                 clean.get("date_max", current.date_max), where)
    return clean


def check_place(place: Place) -> None:
    """A custom place needs an id, a name, valid coordinates (not 0,0) and, when it names
    one, a country the tool knows."""
    where = f"custom place {place.place_id or place.name!r}"
    if not place.place_id:
        raise _fail("place has no id", "place_id", where)
    if not place.name.strip():
        raise _fail("place has no name", "name", where)
    for name in ("latitude", "longitude"):
        if _check_coordinate(name, getattr(place, name), where) is None:
            raise _fail("coordinate is missing", name, where)
    check_point(place.latitude, place.longitude, allow=Allow(outside_theatre=True),
                where=where)
    check_country(place.country, where=where)


def parse_coordinate(text: str | float | None, name: str) -> float | None:
    """A coordinate typed by an analyst: empty means "not given"; text that is not a number
    is an ``InputError`` naming the field. The range is checked by the store."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        number = float(text)
    else:
        cleaned = text.strip().replace(",", ".")
        if not cleaned:
            return None
        try:
            number = float(cleaned)
        except ValueError:
            raise InputError(f"{shown(text)} is not a number", field=name) from None
    if not math.isfinite(number):
        raise InputError(f"{shown(text)} is not a finite number", field=name)
    return number


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def make_custom_place(name: str, latitude: str | float | None, longitude: str | float | None,
                      country: str = "", place_type: str = "locality",
                      admin1: str = "", *, allow: Allow = STRICT) -> Place:
    """An analyst's place, validated like the store does (so the page can say what is
    wrong before writing): a known ISO country code, coordinates inside the theatre's box
    unless ``allow.outside_theatre`` (``ConfirmationNeeded``), never 0,0. The id comes
    from country and name: adding the same place again corrects it instead of making a
    duplicate."""
    name = name.strip()
    if not name:
        raise InputError("the place needs a name", field="name")
    country = check_country(country)
    lat = parse_coordinate(latitude, "latitude")
    lon = parse_coordinate(longitude, "longitude")
    if lat is None or lon is None:
        raise InputError("coordinate is missing", field="latitude" if lat is None else "longitude")
    for field_name, value in (("latitude", lat), ("longitude", lon)):
        _check_coordinate(field_name, value, None)
    check_point(lat, lon, allow=allow)
    slug = _slug(name) or "place"
    place = Place(place_id=f"user:{country.lower() + '-' if country else ''}{slug}", name=name,
                  latitude=lat, longitude=lon, country=country, admin1=admin1.strip(),
                  place_type=place_type or "locality", source="user")
    check_place(place)
    return place
