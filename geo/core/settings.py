"""One registry of settings, each with a default, an environment variable and help text.

In the spirit of datasette's settings: every knob the product has is listed here, so
``python -m geo settings`` can print them all with their current values and help.
Values come from the environment (``GEO_*``) or the default; nothing reads config files
relative to the working directory.
"""
from __future__ import annotations

import getpass
import math
import os
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from geo.core import paths
from geo.core.errors import ConfigurationError


class Setting(NamedTuple):
    """One setting: its name, default, the environment variable that overrides it, and why.

    (A named tuple rather than a dataclass: ``dataclasses`` imports ``inspect``, a few
    milliseconds of the command line's quick answers, which read settings.)"""

    name: str
    default: str
    help: str
    parse: Callable[[str], object] = str
    #: How the value is written in listings and messages (a password is hidden).
    shown: Callable[[str], str] = str

    @property
    def env_var(self) -> str:
        return "GEO_" + self.name.upper()

    def raw(self) -> str:
        """The text the value comes from (environment variable, else the default)."""
        return os.environ.get(self.env_var, self.default)

    def value(self) -> object:
        raw = self.raw()
        try:
            return self.parse(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"setting {self.name}: environment variable {self.env_var}="
                f"{self.shown(raw)!r} is not valid ({exc})") from exc


_PASSWORD_RE = re.compile(r"(://[^/@:]*:)[^/@]*@")


def redact(url: str) -> str:
    """The URL without its password, for messages and listings
    (``postgresql://geo:***@host/db``); a file path is returned as it is."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:                  # not a URL urllib can split: hide by pattern
        return _PASSWORD_RE.sub(r"\1***@", url)
    if password:
        netloc = parts.netloc.replace(f":{password}@", ":***@")
        parts = parts._replace(netloc=netloc)
        return urlunsplit(parts)
    return url


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value) or value <= 0:     # "nan" or "inf" waits forever
        raise ValueError("must be a number greater than 0")
    return value


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a whole number greater than 0")
    return value


def _fraction(raw: str) -> float:
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError("must be between 0 and 1")
    return value


def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true/false")


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("theatre", "iraq-syria",
            "Which theatre of war is mapped: its countries, map frame, metric projection and "
            "period (geo/core/theatre.py lists the known ones)."),
    Setting("database_url", str(paths.DEFAULT_DATABASE_FILE),
            "Where events are stored: a file path, a sqlite:///PATH URL, or (for teams) a "
            "postgresql://USER@HOST/DB URL (a password in it is never printed).",
            shown=redact),
    Setting("geocoder", "gazetteer",
            "Default geocoder backend: 'gazetteer' (offline, bundled) or 'nominatim' "
            "(online, opt-in, rate-limited, cached in the store)."),
    Setting("nominatim_url", "https://nominatim.openstreetmap.org",
            "Base URL of the Nominatim service used by the 'nominatim' geocoder."),
    Setting("nominatim_user_agent", "geo-conflict-events/0.1 (analyst tool)",
            "User agent sent to Nominatim; its usage policy asks for one that names you."),
    Setting("nominatim_min_delay", "1.0",
            "Minimum seconds between two Nominatim requests (its usage policy: 1).",
            _positive_float),
    Setting("max_article_bytes", str(10 * 1024 * 1024),
            "Largest article file accepted, in bytes; larger files are refused with a message.",
            _positive_int),
    Setting("extract_time_budget", "60",
            "Seconds one article may take in extraction; past it the article fails with a "
            "message naming it and the batch goes on.", _positive_float),
    Setting("parse_max_words", "5000",
            "Words of trigger sentences per article given to the dependency parser; "
            "sentences past it get word-window roles, so a huge upload stays linear in "
            "time (news articles are far shorter).", _positive_int),
    Setting("sqlite_timeout", "120",
            "Seconds a write (ingest, import, edit) waits for another program's write to "
            "finish, on SQLite and PostGIS alike, before giving up with a message (nothing "
            "is written then). Keep it longer than the longest import: about 10 s per "
            "100,000 events on a laptop. Reading never waits.", _positive_float),
    Setting("author", "",
            "Name recorded in the audit trail for every change made from here (dashboard "
            "edits and undos, imports, confirmed names); empty means the operating-system "
            "user."),
    Setting("log_file", str(paths.DEFAULT_LOG_FILE),
            "File the command line appends the details (tracebacks) of unexpected errors "
            "to, for whoever maintains the tool; the user sees one line naming the "
            "command and this file."),
    Setting("online_tiles", "false",
            "Offer online tile layers (OpenStreetMap) on the map; off by default (offline).",
            _bool),
    Setting("geocode_review_confidence", "0.7",
            "Geocoder answers less sure than this (0..1) are flagged for an analyst to "
            "confirm instead of being mapped silently (a qualifier not met, a loose spelling, "
            "a feature asked for and not found).", _fraction),
    Setting("geocode_review_margin", "0.05",
            "Geocoder answers whose lead over the best candidate elsewhere (a homonym more "
            "than 25 km away) is smaller than this are flagged for review.", _fraction),
]}


def get(name: str) -> object:
    """Current value of a setting (environment variable, else default)."""
    try:
        return SETTINGS[name].value()
    except KeyError:
        raise ConfigurationError(
            f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}") from None


def get_int(name: str) -> int:
    """A whole-number setting (its parser has checked it); typed for callers."""
    value = get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"setting {name!r} is not a whole number: {value!r}")
    return value


def get_float(name: str) -> float:
    """A numeric setting (its parser has checked it); typed for callers."""
    value = get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"setting {name!r} is not a number: {value!r}")
    return float(value)


def database_url() -> str:
    """The store's location; ``GEO_DATABASE_URL`` overrides the bundled default."""
    return str(get("database_url"))


def author() -> str:
    """Who is making changes: the ``author`` setting, else the operating-system user
    (never a made-up "analyst": an audit trail must say who)."""
    name = str(get("author")).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):        # no name for this user id (some containers)
        return f"uid {os.getuid()}"
