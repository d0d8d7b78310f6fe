"""``python -m geo settings``: list every setting with its value, variable and help."""
from __future__ import annotations

import argparse

from geo.cli import command
from geo.settings import SETTINGS


@command("settings", "List the settings, their current values and what they do.")
def run(args: argparse.Namespace) -> int:
    for s in SETTINGS.values():
        print(f"{s.name} = {s.value()!r}\n    env {s.env_var}; default {s.default!r}\n    {s.help}")
    return 0

