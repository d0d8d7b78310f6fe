"""``python -m geo settings``: list every setting with its value, variable and help.

Every setting is listed even when some are invalid (the analyst fixes them all in one go,
not one per run): an invalid one says why, and the command then exits 1. A password in
the database URL is never printed.
"""
from __future__ import annotations

import click

from geo.core.errors import ConfigurationError
from geo.core.settings import SETTINGS
from geo.core.theatre import get_theatre

#: Checks of a setting's value beyond its parser, by setting: they need modules that
#: read the settings themselves (an unknown theatre was only found when a module using
#: it loaded, and commands now import only what they run).
DEEP_CHECKS = {"theatre": lambda value: get_theatre(str(value))}


@click.command("settings")
@click.pass_context
def settings_command(ctx: click.Context) -> None:
    """List the settings, their current values and what they do."""
    invalid = []
    for s in SETTINGS.values():
        try:
            value = s.value()
            if s.name in DEEP_CHECKS:
                DEEP_CHECKS[s.name](value)
        except ConfigurationError as exc:
            invalid.append(f"{s.name} ({exc})")
            line = f"{s.name} = INVALID: {exc}"
        else:
            shown = s.shown(value) if isinstance(value, str) else value
            line = f"{s.name} = {shown!r}"
        click.echo(f"{line}\n    env {s.env_var}; default {s.shown(s.default)!r}\n"
                   f"    {s.help}")
    if invalid:
        click.echo(f"error: {len(invalid)} invalid setting(s): {'; '.join(invalid)}",
                   err=True)
        ctx.exit(1)
