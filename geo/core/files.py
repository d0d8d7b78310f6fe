"""Reading a file a user named, safely: the one place every input file is opened.

Why one function: an article, a dataset CSV and an own-places file all come from a path a
person typed, and such a path can name a folder, a named pipe (reading it waits forever),
a device (``/dev/zero`` never ends: reading it fills the memory), a file larger than
anything sensible, or a name that is not valid UTF-8. Each of those gets an
``InputError`` naming the path before a byte is read, instead of a hang, a crash or a
traceback.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from geo.core.errors import InputError


def path_text(path: str | os.PathLike[str]) -> str:
    """``path`` as printable text: bytes of a file name that are not UTF-8 (which Python
    keeps as lone surrogates) become ``\\xNN`` escapes, so the name can be shown, stored
    and written to a UTF-8 file."""
    text = os.fspath(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_input_file(path: str | os.PathLike[str], *, limit: int | None = None,
                     what: str = "file", setting: str = "") -> None:
    """``InputError`` (``source`` = the path) unless ``path`` is a regular file of at most
    ``limit`` bytes. ``setting`` names the setting that sets the limit, for the message."""
    source = path_text(path)
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise InputError("cannot read the file: no such file", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}",
                         source=source) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"cannot read the file: it is a folder, not a {what}",
                         source=source)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"cannot read the file: it is not a regular file (a pipe, a device "
                         f"or a socket); give the path of a saved {what}", source=source)
    if limit is not None and info.st_size > limit:
        raise InputError(f"file is {info.st_size / 1e6:.1f} MB; the limit is "
                         f"{limit / 1e6:.1f} MB" + (f" (setting {setting})" if setting else ""),
                         source=source)


def read_input_bytes(path: str | os.PathLike[str], *, limit: int | None = None,
                     what: str = "file", setting: str = "") -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` bytes; ``InputError``
    (``source`` = the path) for anything else (see ``check_input_file``)."""
    check_input_file(path, limit=limit, what=what, setting=setting)
    source = path_text(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1 if limit is not None else -1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}",
                         source=source) from None
    if limit is not None and len(data) > limit:          # grew while we looked
        raise InputError(f"file is larger than the limit of {limit / 1e6:.1f} MB",
                         source=source)
    return data
