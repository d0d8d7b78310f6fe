"""One exception hierarchy for the whole package (in the style of geopy.exc).

Every error a user can cause says *what* was wrong and *where* (file, line, field), so
the command line and the dashboard can show it as a message instead of a traceback.
"""
from __future__ import annotations


class GeoError(Exception):
    """Base class of every error raised on purpose by this package."""


class ConfigurationError(GeoError):
    """A setting has a value that cannot work (bad database URL, unknown geocoder, ...)."""


class InputError(GeoError):
    """Bad user input: names the source (file), the line and the field when known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message, self.source, self.line, self.field = message, source, line, field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ConfirmationNeeded(InputError):
    """A value that is usually a mistake but may be meant (a date before 1990, a point
    outside the theatre): refused unless the analyst allows it explicitly. ``allow`` names
    the ``geo.core.validate.Allow`` flag that would accept it, so a form can offer the
    box to tick and a command its flag."""

    def __init__(self, message: str, *, allow: str, source: str | None = None,
                 line: int | None = None, field: str | None = None) -> None:
        self.allow = allow
        super().__init__(message, source=source, line=line, field=field)

    @property
    def option(self) -> str:
        """The command-line option that allows the value (``--any-date``)."""
        return "--" + self.allow.replace("_", "-")


class ArticleError(InputError):
    """An article file that cannot be read as an article (empty, binary, too large, ...)."""


class GeocoderError(GeoError):
    """Base class of geocoder failures."""


class GeocoderQueryError(GeocoderError, InputError):
    """The query itself cannot be geocoded (empty, only punctuation, ...)."""


class GeocoderUnavailable(GeocoderError):
    """The geocoding service could not be reached or answered with an error."""


class GeocoderNotFound(GeocoderError, ConfigurationError):
    """No geocoder is registered under the requested name."""


class StoreError(GeoError):
    """The event store failed; nothing was half-written (the transaction was rolled back)."""


class StoreLockedError(StoreError):
    """The database is locked by another process; retry later. Nothing was written."""


class SchemaError(StoreError):
    """The database schema is newer than this program or otherwise not understood."""
