"""The answers of ``python -m geo control --date D``, kept per change point so that any
day of a store whose change points were worked out answers in a file read.

Why: control changes only on the days a claim takes effect (the change points), yet the
command worked a new day out from the series each time (its territory, 5,000 popups,
7 MB of JSON: seconds at 5,000 places). A day's map is made of two kinds of parts:

* the **territory of its change point** (areas with their places, desert, front lines):
  the same for every day of the change point. It is kept once per change point, as
  a list of chunks of its text cut where the content says (``_chunks``), each chunk
  kept once: the many change points that redraw one corner of an area or add one name
  to its places share every other chunk (at 5,000 places a change point's text is
  2 MB; kept whole, 1,131 of them would take GBs, kept per polygon 200 MB; in chunks
  of ~32 tokens a change point that moves ~10 towns adds ~50 KB);
* **each place's feature** (its state, "changed hands" mark and dated history). It
  changes only on the days its own segments, claims or "recent" window begin or end
  (``_place_days``), so it is kept once per such interval.

A day's answer is then the kept territory of its change point and, for each place, the
kept feature of the interval the day falls in, joined into the text ``json.dumps`` gives
for ``with_histories(series.collection_on(day), series)``: byte for byte, which the
tests check across change points against a fresh computation.

The book is a SQLite file beside the kept series (``cache.SeriesKey.book_file``), named
by the same key, so it is never used after the evidence, the code or the data changed.
The places are written when the book is first opened with a series; a change point's
territory when a day in it is first asked, or for all of them by ``fill_all`` (``geo
control --warm``). Two programs filling it at once write the same rows; a book that
cannot be opened or written is logged and the command answers the slow way. The
places' pack (a file beside the book) is trusted by its size and, when it is not the
very file the book wrote (another modification time or inode: rewritten, replaced, or
damaged by a program), by the digest the book keeps of it; one that differs is made
anew, never printed. A flipped bit the file system does not notice goes unnoticed
(hashing 27 MB would cost an answer several times its time).
"""
from __future__ import annotations

import bisect
import hashlib
import json
import mmap
import os
import sqlite3
import zlib
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.core.logs import module_logger

if TYPE_CHECKING:

    from geo.control.cache import SeriesKey
    from geo.control.series import ControlSeries

log = module_logger(__name__)

#: Bump when what a book holds changes shape.
FORMAT = 5
#: The day after the last interval of a place (an ordinal).
_END = date.max.toordinal() + 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_points (i INTEGER PRIMARY KEY, day TEXT NOT NULL,
                                          body BLOB);
CREATE TABLE IF NOT EXISTS pieces (id INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE,
                                   data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS spans (name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
#: A change point's text is cut into chunks of about 2**CHUNK_BITS tokens (``_chunks``).
CHUNK_BITS = 5


#: What comes before each place's feature in the answer (and in the pack).
_SEPARATOR = b", "


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _utf8(text: str) -> bytes:
    """``text`` as the command writes it (backslashreplace: as its stdout does for names
    that are not valid text)."""
    return text.encode("utf-8", "backslashreplace")


class DayBook:
    """One series' book (see the module docstring); a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: The places' features, one after the other (``places`` says where).
        self.pack = path.with_suffix(".places")
        #: Piece ids by digest, as read or written by this program.
        self._ids: dict[bytes, int] = {}
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.conn.executescript(_SCHEMA)

    def __enter__(self) -> DayBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    # --- reading -----------------------------------------------------------------------

    def _meta(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = 'head'").fetchone()
        if row is None:
            return None
        meta = json.loads(row[0])
        return meta if meta.get("format") == FORMAT else None

    def answer(self, day: date) -> tuple[list[bytes], list[str]] | None:
        """The command's output for ``day`` (parts to write in order) and its warnings,
        or None when the book
        cannot answer it yet (places not written, the day's change point not worked
        out, or a day before the first change point)."""
        meta = self._meta()
        if meta is None or day < date.min + timedelta(days=2 * int(meta["recent_days"])):
            return None
        text = day.isoformat()
        row = self.conn.execute("SELECT day, body FROM change_points WHERE day <= ? "
                                "ORDER BY i DESC LIMIT 1", (text,)).fetchone()
        if row is None or row[1] is None:
            return None
        territory = self._pieces(row[1])
        # The places' features are slices of the pack file (each ", " and the feature,
        # UTF-8 as written: the answer is then the slices one after the other), found by
        # ``_spans`` (as SQLite rows, the features took ~30 ms and a query of the
        # intervals ~10).
        spans = self._spans(int(meta["intervals"]), day.toordinal())
        with self.pack.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_size != meta["pack_size"]:
                raise ValueError(f"{self.pack} is not the size its book says")
            if meta["pack_size"]:
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as pack:
                    if [info.st_mtime_ns, info.st_ino] != meta["pack_stamp"]:
                        _check_pack(pack, meta["pack_digest"], self.pack)
                    places = [pack[a:a + n] for a, n in spans]
            else:
                places = []
        if places and not any(territory):         # a change point with no territory
            places[0] = places[0][len(_SEPARATOR):]
        head = "".join([
            '{"type": "FeatureCollection", "date": ', _dumps(text), ', "change_point": ',
            _dumps(row[0]), ', "method": ', meta["method"], ', "crs_note": ',
            meta["crs_note"], ', "problems": ', meta["problems"], ', "features": ['])
        tail = '], "recent_days": ' + meta["recent_days"] + "}\n"
        # Parts, joined once where they are written (joining 8 MB twice was a tenth
        # of the answer's time).
        return [_utf8(head), *territory, *places, _utf8(tail)], list(meta["warnings"])

    def _spans(self, intervals: int, day: int) -> list[tuple[int, int]]:
        """(offset, size) in the pack of each place's feature on ``day`` (an ordinal),
        in map order. The spans row is one array: the intervals' first days, days after
        the last, offsets and sizes (``intervals`` each; a place's intervals together,
        in order of time), then where each place's intervals begin: a place's interval
        on the day is found by bisection among its own few (a filter over all 31,000
        intervals of 5,000 places took twice as long)."""
        found = self.conn.execute("SELECT data FROM spans WHERE name = 'places'").fetchone()
        table = array("q")
        table.frombytes(found[0])
        n = intervals
        starts = table[4 * n:]
        spans = []
        for lo, hi in zip(starts, starts[1:]):
            k = bisect.bisect_right(table, day, lo, hi) - 1
            if k >= lo and table[n + k] > day:
                spans.append((table[2 * n + k], table[3 * n + k]))
        return spans

    def _pieces(self, body: bytes) -> list[bytes]:
        """The texts a change point's body lists, in order."""
        order = array("i")
        order.frombytes(zlib.decompress(body))
        ids = sorted(set(order))
        pieces: dict[int, bytes] = {}
        for start in range(0, len(ids), 900):          # SQLite's variable limit
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            pieces.update(self.conn.execute(
                f"SELECT id, data FROM pieces WHERE id IN ({marks})", chunk).fetchall())
        return [pieces[n] for n in order]

    def missing(self) -> list[int]:
        """Change points whose territory is not written yet."""
        return [i for (i,) in self.conn.execute(
            "SELECT i FROM change_points WHERE body IS NULL ORDER BY i")]

    # --- writing -----------------------------------------------------------------------

    def fill_places(self, series: ControlSeries) -> None:
        """Write the change points and every place's features (once per book)."""
        if self._meta() is not None:
            return
        from geo.control.method import METHOD_TEXT
        from geo.control.series import CRS_NOTE
        from geo.core.files import atomic_output

        columns: list[list[int]] = [[], [], [], []]
        starts = [0] * (len(series.keys) + 1)
        offset = 0
        digest = hashlib.blake2b(digest_size=16)
        with atomic_output(self.pack) as tmp, tmp.open("wb") as handle:
            for p, first, until, text in _place_rows(series):
                data = _SEPARATOR + text
                handle.write(data)
                digest.update(data)
                for column, value in zip(columns, (first, until, offset, len(data))):
                    column.append(value)
                starts[p + 1] = len(columns[0])
                offset += len(data)
        for p in range(1, len(starts)):            # places with no interval: none
            starts[p] = max(starts[p], starts[p - 1])
        table = array("q", [v for column in columns for v in column] + starts)
        # What the pack is trusted by: its size always; its digest when the file is not
        # the one written here (another time or inode: rewritten, replaced, damaged),
        # so an answer never hashes 27 MB unless the file changed.
        info = os.stat(self.pack)
        with self._transaction():
            if self._meta() is not None:            # another program was quicker
                return
            self.conn.execute("DELETE FROM change_points")
            self.conn.execute("DELETE FROM spans")
            self.conn.executemany("INSERT INTO change_points (i, day) VALUES (?, ?)",
                                  [(i, d.isoformat())
                                   for i, d in enumerate(series.change_points)])
            self.conn.execute("INSERT INTO spans VALUES ('places', ?)", (table.tobytes(),))
            head = {"format": FORMAT, "method": _dumps(METHOD_TEXT),
                    "crs_note": _dumps(CRS_NOTE), "problems": _dumps(list(series.problems)),
                    "recent_days": _dumps(series.recent_days),
                    "warnings": list(series.problems), "intervals": len(columns[0]),
                    "pack_size": offset, "pack_digest": digest.hexdigest(),
                    "pack_stamp": [info.st_mtime_ns, info.st_ino]}
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)",
                              (json.dumps(head),))

    def fill_change_point(self, series: ControlSeries, i: int) -> None:
        """Write the territory of change point ``i`` (unless written already)."""
        from geo.control.history import area_places
        from geo.control.series import map_feature

        row = self.conn.execute("SELECT body IS NULL FROM change_points WHERE i = ?",
                                (i,)).fetchone()
        if row is None or not row[0]:
            return
        # Each place's status by name, as ``with_histories`` reads it off the map's
        # places (in map order: the last of two places of one name wins there too).
        status_of = {series.refs[p].name: snap.status
                     for p, snap in enumerate(series.snapshots_at(i)) if snap is not None}
        features = []
        for geom, props in series.territory_items(i):
            if props["kind"] == "area":
                props = {**props, "places": area_places(props["places"], status_of)}
            features.append(_dumps(map_feature(geom, props)))
        with self._transaction():
            ids = array("i", [self._piece(chunk) for chunk in _chunks(_utf8(", ".join(
                features)))])
            self.conn.execute("UPDATE change_points SET body = ? WHERE i = ?",
                              (zlib.compress(ids.tobytes()), i))

    def _piece(self, chunk: bytes) -> int:
        """The id of the kept piece ``chunk`` (written when new)."""
        digest = hashlib.blake2b(chunk, digest_size=16).digest()
        known = self._ids.get(digest)
        if known is not None:
            return known
        row = self.conn.execute("SELECT id FROM pieces WHERE digest = ?",
                                (digest,)).fetchone()
        if row is None:
            row = self.conn.execute("INSERT INTO pieces (digest, data) VALUES (?, ?) "
                                    "RETURNING id", (digest, chunk)).fetchone()
        self._ids[digest] = int(row[0])
        return int(row[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on an error (the pieces it
        wrote forgotten)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._ids.clear()
            raise
        self.conn.execute("COMMIT")


def _chunks(text: bytes) -> list[bytes]:
    """``text`` cut where its content says (after a ``", "`` whose preceding token's
    checksum ends in ``CHUNK_BITS`` zero bits; about every 2**CHUNK_BITS tokens): the
    same run of text is cut the same way wherever it appears, so a change point that
    redraws one corner of an area, or one name of its places, shares every other chunk
    with the change points before it."""
    tokens = text.split(b", ")
    mask = (1 << CHUNK_BITS) - 1
    out: list[bytes] = []
    start = 0
    for k in range(len(tokens) - 1):
        if not zlib.crc32(tokens[k]) & mask:
            out.append(b", ".join(tokens[start:k + 1]) + b", ")
            start = k + 1
    out.append(b", ".join(tokens[start:]))
    return out


def _place_days(series: ControlSeries, key: str) -> list[date]:
    """The days on which the place ``key``'s feature can change (see ``_place_rows``):
    its segments' first days, its claims' first and last days (a claim shows from its
    first day, pending until its last) and the first and last day after each holder's
    "changed hands" window."""
    history = series.histories[key]
    days: set[date] = set()
    for start, snap in history.segments:
        days.add(start)
        if snap is not None and snap.holder_since is not None:
            days.update((snap.holder_since,
                         snap.holder_since + timedelta(days=series.recent_days)))
    for claim in history.claims:
        days.update((claim.start, claim.end))
    return sorted(days)


def _place_rows(series: ControlSeries) -> Iterator[tuple[int, int, int, bytes]]:
    """(place index, first day, day after the last, as ordinals; feature text in
    UTF-8), places in their order on the map of every interval of every place, in
    order of time, from the first change
    point on: each feature made as ``with_histories(series.collection_on(day))`` makes
    it, on the first day of its interval."""
    from geo.control.history import place_with_history
    from geo.control.series import dated_place, place_properties
    from geo.control.timeline import to_place_control

    if not series.change_points:
        return
    first = series.change_points[0]
    for p, key in enumerate(series.keys):
        ref = series.refs[p]
        segments = series.histories[key].segments
        starts = [start for start, _ in segments]
        geometry = series.place_geometry(p)
        days = [first] + [d for d in _place_days(series, key) if d > first]
        for n, day in enumerate(days):
            until = days[n + 1].toordinal() if n + 1 < len(days) else _END
            # The segment in force on the day (what ``snapshots_at`` finds at the day's
            # change point: a place's segments begin on change points).
            k = bisect.bisect_right(starts, day) - 1
            snap = segments[k][1] if k >= 0 else None
            if snap is None:                   # not on the map on these days
                continue
            props = dated_place(place_properties(key, to_place_control(ref, snap)), day,
                                series.recent_days)
            props = place_with_history(props, series, day)
            text = _dumps({"type": "Feature", "geometry": geometry, "properties": props})
            yield p, day.toordinal(), until, _utf8(text)


def _check_pack(pack: mmap.mmap, digest: str, path: Path) -> None:
    """Raise ValueError unless ``pack`` holds what was written (its digest)."""
    if hashlib.blake2b(pack, digest_size=16).hexdigest() != digest:
        raise ValueError(f"{path} is not what its book wrote (damaged or replaced)")


#: What a damaged or unwritable book raises (a truncated file, one of another format, a
#: read-only folder).
_DAMAGE = (OSError, sqlite3.Error, zlib.error, ValueError, KeyError, TypeError)


def open_book(key: SeriesKey, *, anew: bool = False) -> DayBook | None:
    """The book of the series ``key`` (made when missing, or with ``anew``; the store's
    older books removed), or None when it cannot be opened (logged: the command
    answers the slow way)."""
    from geo.control import cache

    path = key.book_file
    try:
        if anew or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob(f"book-{key.store}-*"):
                old.unlink(missing_ok=True)
            cache.prune("book-*.sqlite", cache.KEEP_BOOKS - 1)
            cache.prune("book-*.places", cache.KEEP_BOOKS - 1)
        return DayBook(path)
    except _DAMAGE as exc:
        log.info("cannot open the control book %s: %s", path, exc)
        return None


def read_answer(key: SeriesKey, day: date, *, quiet: bool = False
                ) -> tuple[list[bytes], list[str]] | None:
    """The kept answer for ``day``, or None (nothing kept for it yet, or no book; an
    unusable book is logged unless ``quiet``: a caller that falls back to one that
    logs)."""
    if not key.book_file.exists():
        return None
    try:
        with DayBook(key.book_file) as book:
            return book.answer(day)
    except _DAMAGE as exc:
        if not quiet:
            log.warning("ignoring unusable control book %s: %s", key.book_file, exc)
        return None


def answer_from(key: SeriesKey, series: ControlSeries, day: date
                ) -> tuple[list[bytes], list[str]] | None:
    """The answer for ``day`` from the book of ``series`` (its key ``key``), writing
    what the book lacks for it first; a damaged book is made anew once. None when there
    is no usable book or it cannot answer that day (before the first change point)."""
    i = series.index_on(day)
    if i is None:
        return None
    for anew in (False, True):
        book = open_book(key, anew=anew)
        if book is None:
            continue
        try:
            with book:
                book.fill_places(series)
                book.fill_change_point(series, i)
                return book.answer(day)
        except _DAMAGE as exc:
            log.warning("control book %s unusable (%s: %s)%s", key.book_file,
                        type(exc).__name__, exc, "" if anew else "; making it anew")
    return None


def fill_all(key: SeriesKey, series: ControlSeries,
             progress: Callable[[int, int], None] | None = None) -> bool:
    """Work out and keep every change point of ``series`` not kept yet (``geo control
    --warm``); ``progress(done, total)`` is called after each. False when there is no
    usable book."""
    book = open_book(key)
    if book is None:
        return False
    try:
        with book:
            book.fill_places(series)
            missing = book.missing()
            for n, i in enumerate(missing):
                book.fill_change_point(series, i)
                if progress is not None:
                    progress(n + 1, len(missing))
    except _DAMAGE as exc:
        log.warning("cannot use the control book %s: %s", key.book_file, exc)
        return False
    return True
