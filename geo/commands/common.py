"""What several commands share: option types that explain a bad value, the ``--database``
option, and progress bars that only draw on a terminal."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from tqdm import tqdm

F = TypeVar("F", bound=Callable[..., Any])


class ForgivingDate(click.ParamType[date, Any]):
    """A date as analysts type it: ``2017-06-18`` or ``18 June 2017``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from geo.core.dates import parse_date  # only commands that take such a date

        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class IsoDate(click.ParamType[date, Any]):
    """Strictly ``YYYY-MM-DD``, so a typo never silently means another day."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2015-06-01",
                      param, ctx)


DATE = ForgivingDate()
ISO_DATE = IsoDate()


def database_option(func: F) -> F:
    """``--database URL`` (``--db`` is the older spelling) on every command that opens a store."""
    return click.option("--database", "--db", "database", metavar="URL", default=None,
                        help="database path or URL (default: the database_url setting)")(func)


def publication_date_option(func: F) -> F:
    return click.option("--date", "published", type=DATE, default=None, metavar="YYYY-MM-DD",
                        help="publication date of the articles; wins over any date found in "
                             "the text or a FILE.meta.json sidecar")(func)


def any_date_option(func: F) -> F:
    """``--any-date``: the explicit override of the 1990..today range of event dates."""
    return click.option("--any-date", is_flag=True,
                        help="accept event dates before 1990-01-01 or after today (refused "
                             "otherwise: they are typing mistakes far more often than "
                             "events)")(func)


def outside_theatre_option(func: F) -> F:
    """``--outside-theatre``: the confirmation that points outside the theatre are meant."""
    return click.option("--outside-theatre", is_flag=True,
                        help="accept coordinates outside the theatre's box (refused "
                             "otherwise: swapped or mistyped coordinates land there)")(func)


def quiet_option(func: F) -> F:
    return click.option("--quiet", is_flag=True,
                        help="no progress bar (there is none when stderr is not a terminal)")(func)


def progress_bar(total: int, unit: str, *, quiet: bool = False) -> tqdm:
    """A progress bar on stderr, drawn only for a person at a terminal (never into a log
    file or a pipe)."""
    import sys

    from tqdm import tqdm
    return tqdm(total=total, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True,
                disable=quiet or not sys.stderr.isatty())


def greedy_options(*names: str) -> type[click.Command]:
    """A command class whose options ``names`` take every value that follows them
    (``--force IS SDF``, as ``--force IS --force SDF``), the form analysts type from
    argparse habits; click options otherwise take one value each."""

    class GreedyCommand(click.Command):
        def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
            expanded: list[str] = []
            current: str | None = None
            for arg in args:
                if arg in names:
                    current = arg
                    expanded.append(arg)
                    continue
                if arg.startswith("-"):
                    current = None
                elif current is not None and expanded[-1] != current:
                    expanded.append(current)
                expanded.append(arg)
            return super().parse_args(ctx, expanded)

    return GreedyCommand
