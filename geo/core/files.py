"""Reading a file a user named, safely: the one place every input file is opened.

Writing is here too (``atomic_output``): every file the tool writes for a user (exports,
snapshots, series) or for itself (caches, the map's data files) goes through one
all-or-nothing rename, with the same permissions.

Why one function for reading: an article, a dataset CSV and an own-places file all come from a path a
person typed, and such a path can name a folder, a named pipe (reading it waits forever),
a device (``/dev/zero`` never ends: reading it fills the memory), a file larger than
anything sensible, or a name that is not valid UTF-8. Each of those gets an
``InputError`` naming the path before a byte is read, instead of a hang, a crash or a
traceback.
"""
from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from geo.core.errors import InputError
from geo.core.logs import module_logger

log = module_logger(__name__)
T = TypeVar("T")


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


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, suffix: str = ".part",
                  create: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, on any
    error remove it and re-raise: no half-written file is ever left, and a reader never
    sees one (the rename is atomic on one filesystem).

    Why: a briefing file that is half-written (disk full, a crash in frame 300 of a
    series) looks valid until someone opens it in front of an audience, and a cache
    half-written by a killed process would be read back. The file ends readable by others
    (0644), like any file a user saves: a temporary file alone would be owner-only.
    ``suffix`` is the temporary name's ending (a writer that tells the format from it
    needs the real one); ``create=False`` yields a name with no file behind it (GDAL
    refuses to create a data source over an existing empty file)."""
    target = Path(path)
    import tempfile  # here: the command line's quick paths import this module

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix,
                                dir=str(target.parent) or ".")
    os.close(fd)
    tmp = Path(name)
    if not create:
        tmp.unlink()
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_cache(path: Path, kind: type[T]) -> T | None:
    """The object ``write_cache`` stored at ``path``, or None when there is none or it
    cannot be used: a cache is only a shortcut, so a truncated file, one written by
    another version of the code (a renamed class, a changed field) or an object of
    another type means "rebuild", never an error at start-up."""
    import pickle

    collecting = gc.isenabled()
    try:
        with path.open("rb") as handle:
            # Unpickling makes many objects at once, and each burst set off the
            # collector's walk over all of them: ~3x the time without it (a 5,000-place
            # control series: 0.45 -> 0.14 s CPU). Nothing made here is a cycle to free.
            gc.disable()
            value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.warning("ignoring unusable cache %s: %s: %s", path, type(exc).__name__, exc)
        return None
    finally:
        if collecting:
            gc.enable()
    return value if isinstance(value, kind) else None


def write_cache(path: Path, value: object, *, stale: str = "") -> None:
    """Store ``value`` at ``path`` all-or-nothing (two processes building the same cache
    at once are harmless) and remove older caches of the same kind (files of the folder
    matching the glob ``stale``). A folder that cannot be written (a read-only install)
    is logged: the tool works without its caches, only slower."""
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if stale:
            for old in path.parent.glob(stale):
                if old != path:
                    old.unlink(missing_ok=True)
        with atomic_output(path) as tmp, tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:
        log.info("cannot write the cache %s: %s", path, exc)
