"""Entry point for ``python -m geo``.

The import is guarded too: a setting that cannot work (``GEO_THEATRE=mars``) is read while
the package loads, before ``main`` can turn errors into messages.
"""
import sys

from geo.core.errors import GeoError

try:
    from geo.cli import main
except GeoError as exc:
    sys.stderr.write(f"error: {exc}\n")
    sys.exit(1)

sys.exit(main())
