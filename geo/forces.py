"""The force alias table (data/forces.csv): one place that names every armed force.

Extraction, filters, legends and importers all read it, so an analyst who adds an alias
or changes a colour changes it everywhere. Columns: force_id, display_name, acled_actor,
colour, side, parent, aliases ('|'-separated).

Alias matching rules:
- case-insensitive whole words, longest match first;
- short all-capital acronyms (IS, US, SDF, ...) and aliases written with a leading '='
  match only in capitals, so the verb "is" and the pronoun "us" never count;
- generic words ("militants", "rebels", "government troops") are flagged ``generic``: the
  extractor trusts them less and resolves "government" by the country of the place.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo import paths
from geo.errors import InputError

REQUIRED_COLUMNS = ("force_id", "display_name", "acled_actor", "colour", "side", "parent",
                    "aliases")

#: Aliases that name a force only by role; the extractor resolves them from context.
GENERIC_ALIASES = frozenset({
    "militants", "the militants", "jihadists", "jihadist", "jihadis", "islamists", "rebels",
    "rebel groups", "government troops", "government forces", "pro-government forces",
    "regime", "caliphate", "opposition fighters", "coalition", "troops", "the troops",
    "the army", "army", "soldiers",
})
#: Generic aliases that mean "the government of the country where it happens".
GOVERNMENT_ALIASES = frozenset({"government troops", "government forces",
                                "pro-government forces", "troops", "the troops", "the army",
                                "army", "soldiers"})
#: Sides that fought the Islamic State together and are not drawn as hostile to each other
#: (a front line is drawn only between hostile sides). Analysts can extend it here.
ALLIED_SIDES = frozenset(frozenset(p) for p in [
    ("iraq", "kurdistan"), ("iraq", "coalition"), ("kurdistan", "coalition"),
    ("sdf", "coalition"), ("rebel", "turkey"),
])
#: Which force is "the government" in each country of the theatre.
GOVERNMENT_OF = {"IQ": "ISF", "SY": "SYR", "TR": "TUR", "IR": "IRN"}


@dataclass(frozen=True)
class Force:
    """One armed force or coalition as analysts name it."""

    force_id: str
    display_name: str
    acled_actor: str
    colour: str
    side: str
    parent: str
    aliases: tuple[str, ...]

    @property
    def is_state(self) -> bool:
        """State forces regain territory (ACLED 'Government regains territory')."""
        return self.side in {"iraq", "syria", "turkey", "coalition", "kurdistan"} and \
            self.force_id not in {"PMF", "KH", "KSS", "BADR"}


@dataclass(frozen=True)
class ForceMention:
    """A span of text that names a force."""

    start: int
    end: int
    text: str
    force_id: str
    generic: bool


class ForceTable:
    """The loaded alias table with a matcher over all aliases."""

    def __init__(self, forces: list[Force]) -> None:
        self.forces = {f.force_id: f for f in forces}
        entries: list[tuple[str, str, bool]] = []  # alias, force_id, case_sensitive
        for f in forces:
            for alias in f.aliases:
                sensitive = alias.startswith("=") or (alias.isupper() and len(alias) <= 5)
                entries.append((alias.lstrip("="), f.force_id, sensitive))
        entries.sort(key=lambda e: -len(e[0]))
        self._lookup: dict[str, str] = {}
        sensitive_parts, insensitive_parts = [], []
        for alias, fid, sensitive in entries:
            key = alias if sensitive else alias.lower()
            self._lookup.setdefault(key, fid)
            part = re.escape(alias).replace(r"\ ", r"\s+")
            (sensitive_parts if sensitive else insensitive_parts).append(part)
        edge_l, edge_r = r"(?<![\w'’-])", r"(?![\w-]|'s\w)"
        self._sensitive = re.compile(edge_l + "(" + "|".join(sensitive_parts) + ")" + edge_r)
        self._insensitive = re.compile(edge_l + "(" + "|".join(insensitive_parts) + ")" + edge_r,
                                       re.I)

    def __getitem__(self, force_id: str) -> Force:
        return self.forces[force_id]

    def __contains__(self, force_id: object) -> bool:
        return force_id in self.forces

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.forces.values())

    def display(self, force_id: str) -> str:
        return self.forces[force_id].display_name if force_id in self.forces else force_id

    def colour(self, force_id: str) -> str:
        return self.forces[force_id].colour if force_id in self.forces else "#777777"

    def hostile(self, force_a: str, force_b: str) -> bool:
        """Whether two forces fight each other: different sides that are not allied.
        An unknown force id is its own side (hostile to everyone else)."""
        side_a = self.forces[force_a].side if force_a in self.forces else force_a
        side_b = self.forces[force_b].side if force_b in self.forces else force_b
        return side_a != side_b and frozenset((side_a, side_b)) not in ALLIED_SIDES

    def find_mentions(self, text: str) -> list[ForceMention]:
        """Every force named in ``text``, longest match wins, no overlaps, in text order."""
        hits: list[ForceMention] = []
        for pattern, sensitive in ((self._insensitive, False), (self._sensitive, True)):
            for m in pattern.finditer(text):
                surface = m.group(1)
                key = re.sub(r"\s+", " ", surface if sensitive else surface.lower())
                fid = self._lookup.get(key)
                if fid is None:
                    continue
                hits.append(ForceMention(m.start(1), m.end(1), surface, fid,
                                         key.lower() in GENERIC_ALIASES))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[ForceMention] = []
        for h in hits:
            if kept and h.start < kept[-1].end:
                if h.end - h.start > kept[-1].end - kept[-1].start:
                    kept[-1] = h
                continue
            kept.append(h)
        return kept

    def resolve(self, name: str) -> str | None:
        """The force id an actor name (e.g. an ACLED actor1 cell) stands for, or None.

        Tries the id, the display name and ACLED actor name, then the aliases found in it."""
        if not name or not name.strip():
            return None
        clean = name.strip()
        bare = re.sub(r"\s*\([^)]*\)", "", clean).strip().lower()   # "... (2014-)", "(Iraq)"
        for f in self.forces.values():
            names = {f.force_id.lower(), f.display_name.lower(), f.acled_actor.lower(),
                     re.sub(r"\s*\([^)]*\)", "", f.acled_actor).strip().lower()}
            if clean.lower() in names or bare in names:
                return f.force_id
        mentions = [m for m in self.find_mentions(clean) if not m.generic]
        return mentions[0].force_id if mentions else None


def load_forces(path: Path = paths.FORCES_FILE) -> ForceTable:
    """Read and validate the alias table; errors name the file, line and field."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"missing columns {missing}; expected {list(REQUIRED_COLUMNS)}",
                                 source=str(path), line=1)
            forces: list[Force] = []
            seen: set[str] = set()
            for row in reader:
                line = reader.line_num
                fid = (row["force_id"] or "").strip()
                if not fid:
                    raise InputError("empty force id", source=str(path), line=line,
                                     field="force_id")
                if fid in seen:
                    raise InputError(f"duplicate force id {fid!r}", source=str(path), line=line,
                                     field="force_id")
                colour = (row["colour"] or "").strip()
                if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                    raise InputError(f"colour {colour!r} is not #RRGGBB", source=str(path),
                                     line=line, field="colour")
                seen.add(fid)
                aliases = tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip())
                forces.append(Force(fid, row["display_name"].strip(), row["acled_actor"].strip(),
                                    colour, row["side"].strip(), row["parent"].strip(),
                                    aliases + (fid,) if fid not in aliases else aliases))
    except OSError as exc:
        raise InputError(f"cannot read the force table: {exc.strerror}", source=str(path)) from exc
    for f in forces:
        if f.parent and f.parent not in seen:
            raise InputError(f"parent {f.parent!r} of {f.force_id} is not a force id",
                             source=str(path), field="parent")
    return ForceTable(forces)


@lru_cache(maxsize=1)
def default_forces() -> ForceTable:
    """The bundled table, loaded once per process."""
    return load_forces()
