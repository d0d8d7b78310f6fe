"""``python -m geo settings``: list every setting with its value, variable and help."""
from __future__ import annotations

import click

from geo.core.settings import SETTINGS


@click.command("settings")
def settings_command() -> None:
    """List the settings, their current values and what they do."""
    for s in SETTINGS.values():
        click.echo(f"{s.name} = {s.value()!r}\n    env {s.env_var}; default {s.default!r}\n"
                   f"    {s.help}")
