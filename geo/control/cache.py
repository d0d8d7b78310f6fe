"""The control series of a store, worked out once and kept on disk between runs.

Why: working out control reads every capture and siege of the store, weighs ~10,000
claims and replays every place's history (seconds at 5,000 places), and
``python -m geo control`` or a restarted dashboard did it all again on every run
although nothing had changed. Now the ``ControlSeries`` is pickled under
``var/cache/control`` and loaded back, and the command also keeps the exact output of
the days it was asked for, so asking again is a file read. The catchments a series cuts
(``territory.Partition``, the costly part of a first map: seconds at 5,000 places) are
kept too, by the towns' points rather than by the evidence (``KeptPartitions``), so an
edit that changes who holds a town, not which towns are known, does not cut them again.

What a kept series depends on, all in its key (``series_key``), so it is never used
after any of it changed:

* the store (its file, or its URL without the password) and its ``events_version``,
  which every committed write of events moves (ingest, add, import, edit, rejection,
  undo), whichever program made it;
* whether the curated timeline is included, and the contents of the bundled data files
  the rules and the territory read (``data/``: the curated timeline, the force table,
  the boundaries; files over 1 MB by size and time, the rest by content);
* the code that works it out (``geo/control``, ``geo/core``, ``geo/store``, by
  content) and the theatre setting.

Two processes building the same entry at once both write it whole and the second
rename wins (``geo.core.files.write_cache``); a reader never sees half a file. A file
that cannot be used (truncated, corrupt, written by other code) is logged and rebuilt,
never an error. Old entries are removed as new ones are written (a few per store, a few
dozen in all).
"""
from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from geo.control import memo
from geo.core import paths, settings
from geo.core.files import read_cache, write_cache
from geo.core.logs import module_logger

if TYPE_CHECKING:
    import numpy as np

    from geo.control.series import ControlSeries
    from geo.control.territory import Partition
    from geo.store.base import Store

log = module_logger(__name__)
T = TypeVar("T")

#: Where kept series and outputs live (tests point it at a temporary folder).
CACHE_DIR = paths.CACHE_DIR / "control"
#: Kept series in all (one per store and curated choice in use; each a few MB).
KEEP_SERIES = 8
#: Kept command outputs in all (one per store, day and options asked; up to ~7 MB each
#: at 5,000 places).
KEEP_OUTPUTS = 24
#: Kept books of change points in all (``geo.control.daybook``; tens of MB each at
#: 5,000 places once every change point is in).
KEEP_BOOKS = 4
#: Kept partitions in all (one per set of places with a state; ~5 MB at 5,000 places).
KEEP_PARTITIONS = 16
#: Data files up to this size are keyed by content, larger ones by size and time.
HASH_LIMIT = 1 << 20
#: Bump when what is kept changes shape.
FORMAT = 2
_CODE_DIRS = ("control", "core", "store")


class SeriesKey(NamedTuple):
    """Names a kept series: ``store`` (a digest of the store's identity and the curated
    choice, shared by all its versions), ``digest`` (everything the series depends on)
    and ``inputs`` (the code and bundled data alone: what partitions depend on besides
    their points)."""

    store: str
    digest: str
    inputs: str = ""

    @property
    def series_file(self) -> Path:
        return CACHE_DIR / f"series-{self.store}-{self.digest}.pickle"

    @property
    def book_file(self) -> Path:
        """The series' answers per change point (``geo.control.daybook``)."""
        return CACHE_DIR / f"book-{self.store}-{self.digest}.sqlite"

    def output_file(self, variant: str) -> Path:
        name = hashlib.sha256(variant.encode()).hexdigest()[:12]
        return CACHE_DIR / f"output-{self.store}-{self.digest}-{name}.pickle"


def _files(folder: Path, pattern: str) -> Iterator[Path]:
    try:
        yield from sorted(folder.rglob(pattern))
    except OSError:
        return


def _inputs_digest() -> str:
    """The code and the bundled data a series is worked out from (see the module
    docstring); a few milliseconds (plain ``os.scandir``: pathlib's own overhead was
    most of the time, on the path of an answer that must take ~0.1 s).

    Files are read and hashed again only when one was added, removed or touched
    (size or modification time): a long-lived process (the dashboard's worker) asks
    for every map and review queue, and it re-read every file each time."""
    listing = tuple((name, tuple(_walk(os.path.join(paths.PACKAGE_DIR, name), ".py")))
                    for name in _CODE_DIRS)
    data = tuple(_walk(str(paths.DATA_DIR), ""))
    stamp = (str(paths.PACKAGE_DIR), str(paths.DATA_DIR), FORMAT, HASH_LIMIT,
             str(settings.get("theatre")), listing, data)
    known = _DIGEST_MEMO.get(stamp)
    if known is not None:
        return known
    digest = hashlib.sha256(f"control-cache-{FORMAT}".encode())
    for name, files in listing:
        folder = os.path.join(paths.PACKAGE_DIR, name)
        for rel, size, mtime in files:
            _add_file(digest, f"{name}/{rel}", os.path.join(folder, rel), size, mtime,
                      by_content=True)
    for rel, size, mtime in data:
        _add_file(digest, rel, os.path.join(paths.DATA_DIR, rel), size, mtime,
                  by_content=False)
    digest.update(str(settings.get("theatre")).encode())
    _DIGEST_MEMO.clear()
    _DIGEST_MEMO[stamp] = digest.hexdigest()[:20]
    return _DIGEST_MEMO[stamp]


#: The last digest, by what it was worked out from (folders, files with their sizes
#: and times, settings).
_DIGEST_MEMO: dict[tuple[Any, ...], str] = {}


def _walk(root: str, suffix: str) -> list[tuple[str, int, int]]:
    """(path relative to ``root``, size, modification time in ns) of every file under
    ``root`` whose name ends with ``suffix``, sorted; hidden folders and ``__pycache__``
    left out; an unreadable folder is skipped."""
    found: list[tuple[str, int, int]] = []
    pending = [""]
    while pending:
        rel = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel)) as entries:
                for entry in entries:
                    name = f"{rel}/{entry.name}" if rel else entry.name
                    if entry.is_dir():
                        if not entry.name.startswith((".", "__pycache__")):
                            pending.append(name)
                    elif entry.name.endswith(suffix) and entry.is_file():
                        info = entry.stat()
                        found.append((name, info.st_size, info.st_mtime_ns))
        except OSError:
            continue
    return sorted(found)


def _add_file(digest: hashlib._Hash, label: str, path: str, size: int, mtime: int, *,
              by_content: bool) -> None:
    digest.update(label.encode())
    if by_content or size <= HASH_LIMIT:
        try:
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
        except OSError as exc:             # unreadable: keyed as such, never an error
            digest.update(f"unreadable:{exc.errno}".encode())
    else:
        digest.update(f"{size}:{mtime}".encode())


def store_identity(store: Store) -> str:
    """The store as a stable text: its SQLite file (absolute, links resolved) or its
    URL (already without the password)."""
    where = getattr(store, "path", None)
    if isinstance(where, Path):
        return sqlite_identity(where)
    return str(store.url)


def sqlite_identity(path: str | os.PathLike[str]) -> str:
    """``store_identity`` of the SQLite store in the file ``path``."""
    return f"sqlite:{os.path.realpath(path)}"


def series_key(store: Store, *, curated: bool = True) -> SeriesKey:
    """The key of the store's control series as it is now (one small query)."""
    return key_of(store_identity(store), store.events_version(), curated=curated)


def key_of(identity: str, events_version: int, *, curated: bool = True) -> SeriesKey:
    """``series_key`` of the store ``identity`` (``store_identity``) at
    ``events_version``, for a caller that read the version without opening a store."""
    identity = f"{identity}|curated={curated}"
    inputs = _inputs_digest()
    digest = hashlib.sha256(f"{identity}|{events_version}|{inputs}".encode())
    return SeriesKey(store=hashlib.sha256(identity.encode()).hexdigest()[:12],
                     digest=digest.hexdigest()[:20], inputs=inputs)


def stored_series(store: Store, *, curated: bool = True,
                  key: SeriesKey | None = None) -> ControlSeries:
    """The store's ``ControlSeries`` (its captures and sieges plus, with ``curated``,
    the curated timeline): from this process, else from disk, else worked out and kept.
    ``key`` is ``series_key(store, curated=curated)`` when the caller has it already."""
    from geo.control.series import ControlSeries

    key = key or series_key(store, curated=curated)
    series = memo.remembered(key.digest)
    if series is None:
        series = read_cache(key.series_file, ControlSeries)
        if series is None:
            series = _build(store, curated)
            write_cache(key.series_file, series, stale=f"series-{key.store}-*.pickle")
            prune("series-*.pickle", KEEP_SERIES)
        memo.remember(key.digest, series)
    if series.kept_partitions is None:
        series.kept_partitions = KeptPartitions(key.inputs)
    return series


def stored_disputes(database_url: str, *, curated: bool = True) -> list[dict[str, Any]]:
    """The Events page's review queue of a store (``history.disputes_to_review`` of its
    kept series), itself kept beside the series: a restarted dashboard lists it without
    loading the series. Opens its own store, so the dashboard runs it in its worker
    process, not in the server (where loading a 5,000-place series held the server's
    lock for a second)."""
    from geo.control.history import disputes_to_review

    return _stored_derived(database_url, curated, "disputes", list, disputes_to_review)


def stored_places_to_review(database_url: str, *, curated: bool = True
                            ) -> dict[str, dict[str, Any]]:
    """``history.places_to_review`` of a store's kept series, kept beside it as the
    review queue is (``stored_disputes``): what a control popup's review link opens."""
    from geo.control.history import places_to_review

    return _stored_derived(database_url, curated, "review-places", dict, places_to_review)


def _stored_derived(database_url: str, curated: bool, tag: str, kind: type[T],
                    derive: Callable[[ControlSeries], T]) -> T:
    """What ``derive`` makes of a store's kept series, read from beside the series when
    kept there, else derived (loading the series) and kept."""
    from geo.store import open_store

    with open_store(database_url, read_only=True) as store:
        key = series_key(store, curated=curated)
        value = read_derived(key, tag, kind)
        if value is None:
            value = derive(stored_series(store, curated=curated, key=key))
            keep_derived(key, tag, value)
    return value


class KeptPartitions:
    """Partitions (catchments and borders) kept on disk by the places' points,
    the reach, the cities withheld (rule E1), and the code and data they are cut with (``ControlSeries`` asks; see
    ``geo.control.series.PartitionKeeper``)."""

    def __init__(self, inputs: str) -> None:
        self.inputs = inputs

    def _file(self, points: np.ndarray, reach_m: float, blocked: np.ndarray | None) -> Path:
        digest = hashlib.sha256(f"{self.inputs}|{reach_m!r}|{points.shape}".encode())
        digest.update(points.astype("<f8").tobytes())
        if blocked is not None and len(blocked):     # the cities withheld (rule E1)
            digest.update(b"|blocked|" + blocked.astype("<i8").tobytes())
        return CACHE_DIR / f"partition-{digest.hexdigest()[:24]}.pickle"

    def get(self, points: np.ndarray, reach_m: float, blocked: np.ndarray | None = None
            ) -> Partition | None:
        from geo.control.territory import Partition

        return read_cache(self._file(points, reach_m, blocked), Partition)

    def put(self, points: np.ndarray, reach_m: float, part: Partition,
            blocked: np.ndarray | None = None) -> None:
        write_cache(self._file(points, reach_m, blocked), part)
        prune("partition-*.pickle", KEEP_PARTITIONS)


def _build(store: Store, curated: bool) -> ControlSeries:
    from geo.control.history import build_series
    from geo.control.sources import control_events

    return build_series(control_events(None, store, curated=False), curated=curated)


class KeptOutput(NamedTuple):
    """A command's output kept whole: the bytes for stdout, the warnings for stderr and
    a checksum of the bytes (a damaged file is rebuilt, never printed)."""

    digest: str
    variant: str
    data: bytes
    crc: int
    warnings: tuple[str, ...]


def output_variant(day: date, **options: object) -> str:
    """The text that names one output of a series (the day and the options)."""
    return "|".join([day.isoformat()] + [f"{k}={options[k]}" for k in sorted(options)])


def read_output(key: SeriesKey, variant: str) -> KeptOutput | None:
    """The kept output ``variant`` of the series ``key``, or None (none, or unusable)."""
    kept = read_cache(key.output_file(variant), KeptOutput)
    if kept is None:
        return None
    if kept.digest != key.digest or kept.variant != variant or \
            zlib.crc32(kept.data) != kept.crc:
        log.warning("ignoring damaged control output %s", key.output_file(variant))
        return None
    return kept


def keep_output(key: SeriesKey, variant: str, data: bytes, warnings: list[str]) -> None:
    """Keep an output of the series ``key`` (older outputs of the store's earlier
    versions go)."""
    path = key.output_file(variant)
    for old in _files(CACHE_DIR, f"output-{key.store}-*.pickle"):
        if not old.name.startswith(f"output-{key.store}-{key.digest}-"):
            try:
                old.unlink(missing_ok=True)
            except OSError:               # a read-only folder: the tool works, slower
                break
    write_cache(path, KeptOutput(key.digest, variant, data, zlib.crc32(data),
                                 tuple(warnings)))
    prune("output-*.pickle", KEEP_OUTPUTS)


def read_derived(key: SeriesKey, tag: str, kind: type[T]) -> T | None:
    """A value derived from the series ``key`` and kept under ``tag`` (the dashboard's
    published control document), or None."""
    return read_cache(CACHE_DIR / f"{tag}-{key.store}-{key.digest}.pickle", kind)


def keep_derived(key: SeriesKey, tag: str, value: object) -> None:
    """Keep ``value`` as derived from the series ``key`` under ``tag`` (the store's older
    values of the tag go)."""
    write_cache(CACHE_DIR / f"{tag}-{key.store}-{key.digest}.pickle", value,
                stale=f"{tag}-{key.store}-*.pickle")
    prune(f"{tag}-*.pickle", KEEP_SERIES)


def prune(pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` newest files matching ``pattern``."""
    try:
        found = sorted(CACHE_DIR.glob(pattern), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for old in found[keep:]:
            old.unlink(missing_ok=True)
    except OSError:                       # another process pruned first
        pass
