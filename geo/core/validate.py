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
from datetime import date, datetime
from typing import Any

from geo.core.codebook import EVENT_TYPES
from geo.core.errors import InputError
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


def _fail(message: str, field: str, where: str | None) -> InputError:
    return InputError(message, source=where, field=field)


def _check_types(event_type: str, sub_event_type: str, where: str | None) -> None:
    if event_type not in EVENT_TYPES:
        raise _fail(f"unknown event type {event_type!r}; expected one of "
                    f"{', '.join(EVENT_TYPES)}", "event_type", where)
    if sub_event_type not in EVENT_TYPES[event_type]:
        raise _fail(f"sub-event type {sub_event_type!r} does not belong to {event_type!r}; "
                    f"expected one of {', '.join(EVENT_TYPES[event_type])}",
                    "sub_event_type", where)


def _check_coordinate(name: str, value: Any, where: str | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _fail(f"{value!r} is not a number", name, where)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(f"{value!r} is not a number", name, where) from None
    limit = 90.0 if name == "latitude" else 180.0
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise _fail(f"{value!r} is outside [-{limit:g}, {limit:g}]", name, where)
    return number


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
            raise _fail(f"{value!r} is not a date", name, where)
    _check_dates(event.event_date, event.date_min, event.date_max, where)
    lat = _check_coordinate("latitude", event.latitude, where)
    lon = _check_coordinate("longitude", event.longitude, where)
    if (lat is None) != (lon is None):
        raise _fail("latitude and longitude must both be given or both be empty",
                    "latitude" if lat is None else "longitude", where)
    for name, allowed in _ENUMS.items():
        value = getattr(event, name)
        if getattr(value, "value", value) not in allowed:
            raise _fail(f"{value!r} is not one of {', '.join(map(str, allowed))}", name, where)
    if not 0.0 <= float(event.confidence) <= 1.0:
        raise _fail(f"{event.confidence!r} is outside [0, 1]", "confidence", where)
    if isinstance(event.fatalities, bool) or int(event.fatalities) < 0:
        raise _fail(f"{event.fatalities!r} is not a count", "fatalities", where)


def parse_date(value: Any, name: str, *, today: date | None = None,
               where: str | None = None) -> date | None:
    """A date from a ``date`` or ISO ``YYYY-MM-DD`` text; refuses impossible dates
    ("2016-02-30") and dates after ``today``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return _not_after(value.date(), today, name, where)
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise _fail(f"{value!r} is not a valid date (expected YYYY-MM-DD)", name,
                        where) from None
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
                    raise _fail(f"{value!r} is not a number", name, where) from None
            if raw not in _ENUMS[name]:
                raise _fail(f"{value!r} is not one of {', '.join(map(str, _ENUMS[name]))}",
                            name, where)
            clean[name] = raw
        elif name == "confidence":
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise _fail(f"{value!r} is not a number", name, where) from None
            if not 0.0 <= number <= 1.0:
                raise _fail(f"{value!r} is outside [0, 1]", name, where)
            clean[name] = number
        elif name == "fatalities":
            try:
                count = int(value)
            except (TypeError, ValueError):
                raise _fail(f"{value!r} is not a whole number", name, where) from None
            if isinstance(value, bool) or count < 0 or count != float(value):
                raise _fail(f"{value!r} is not a count", name, where)
            clean[name] = count
        elif name in ("event_type", "sub_event_type") or name in _TEXT:
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise _fail(f"{value!r} is not text", name, where)
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
    _check_dates(clean.get("event_date", current.event_date),
                 clean.get("date_min", current.date_min),
                 clean.get("date_max", current.date_max), where)
    return clean


def check_place(place: Place) -> None:
    """A custom place needs an id, a name and valid coordinates."""
    where = f"custom place {place.place_id or place.name!r}"
    if not place.place_id:
        raise _fail("place has no id", "place_id", where)
    if not place.name.strip():
        raise _fail("place has no name", "name", where)
    for name in ("latitude", "longitude"):
        if _check_coordinate(name, getattr(place, name), where) is None:
            raise _fail("coordinate is missing", name, where)


def parse_coordinate(text: str | float | None, name: str) -> float | None:
    """A coordinate typed by an analyst: empty means "not given"; text that is not a number
    is an ``InputError`` naming the field. The range is checked by the store."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise InputError(f"{text!r} is not a number", field=name) from None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def make_custom_place(name: str, latitude: str | float | None, longitude: str | float | None,
                      country: str = "", place_type: str = "locality",
                      admin1: str = "") -> Place:
    """An analyst's place, validated like the store does (so the page can say what is
    wrong before writing). The id comes from country and name: adding the same place
    again corrects it instead of making a duplicate."""
    name = name.strip()
    country = country.strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise InputError(f"{country!r} is not a two-letter ISO country code (e.g. IQ, SY)",
                         field="country")
    lat = parse_coordinate(latitude, "latitude")
    lon = parse_coordinate(longitude, "longitude")
    if lat is None or lon is None:
        raise InputError("coordinate is missing", field="latitude" if lat is None else "longitude")
    slug = _slug(name) or "place"
    place = Place(place_id=f"user:{country.lower() + '-' if country else ''}{slug}", name=name,
                  latitude=lat, longitude=lon, country=country, admin1=admin1.strip(),
                  place_type=place_type or "locality", source="user")
    check_place(place)
    return place
