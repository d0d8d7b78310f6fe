"""The CLI commands, one module each; importing this package registers them all."""
from geo.commands import settings_cmd, export, db, extract, ingest, geocode, control  # noqa: F401
