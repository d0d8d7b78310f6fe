"""Importers of other datasets (ACLED, UCDP GED, our own GIS exports) into the store.

Each importer turns a file into ``ParsedFile`` (events + problems by line + unmapped
actors) without touching the store; ``geo.imports.run.import_file`` then stores the
events with ``Store.import_events`` (deduplicated against what is stored).
"""
