"""A module's logger that imports ``logging`` only when something is logged.

Why: the command line's quick answers (``geo.cli.QUICK``) go through a few modules that
log only when something is wrong (a damaged cache), and importing ``logging`` (with
``traceback``, ``threading``, ``string``...) was several milliseconds of an answer that
must take well under 0.1 s. ``log = module_logger(__name__)`` then ``log.warning(...)``
as with ``logging.getLogger``; handlers and levels are the standard ones.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging


class _Logger:
    """Stands for ``logging.getLogger(name)`` until first used."""

    __slots__ = ("name", "_logger")

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    def __getattr__(self, attribute: str) -> Any:
        logger = self._logger
        if logger is None:
            import logging

            logger = self._logger = logging.getLogger(self.name)
        return getattr(logger, attribute)


def module_logger(name: str) -> logging.Logger:
    """The logger ``name`` (``logging.getLogger``), made when first used."""
    return _Logger(name)  # type: ignore[return-value]
