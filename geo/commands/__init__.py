"""The CLI commands, one module each; importing this package registers them all."""
from geo.commands import settings_cmd, export, db, extract, ingest, geocode, control, importer, places  # noqa: F401,E501
from geo.commands import snapshot  # noqa: F401  (snapshot and series)
