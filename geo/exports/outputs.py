"""Checking an output path before any work, and writing it all-or-nothing.

Why: a briefing file that is half-written (disk full, a crash in frame 300 of a series)
looks valid until someone opens it in front of an audience. Everything is written to a
temporary file in the target folder and renamed at the end (atomic on one filesystem):
``geo.core.files.atomic_output``, the one way the tool writes a file.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from geo.core.errors import InputError


def check_output(path: str | os.PathLike[str], suffixes: Iterable[str]) -> Path:
    """The output path, after checking its suffix and that its folder exists and is
    writable; raises ``InputError`` before anything is rendered."""
    out = Path(path)
    allowed = tuple(s.lower() for s in suffixes)
    if out.suffix.lower() not in allowed:
        raise InputError(f"cannot tell the format from {out.name!r}; use one of "
                         f"{', '.join(allowed)}", source=str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"output folder {str(folder)!r} does not exist", source=str(out))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"output folder {str(folder)!r} is not writable", source=str(out))
    if out.is_dir():
        raise InputError("output path is a folder, not a file", source=str(out))
    return out
