"""The force alias table (data/forces.csv): one place that names every armed force.

Extraction, filters, legends and importers all read it, so an analyst who adds an alias
or changes a colour changes it everywhere. No other module names a force: which forces
are state forces, which government rules which country, who is allied with whom, all of it
is a column here.

Columns:
- ``force_id``, ``display_name``, ``acled_actor`` (ACLED's actor name), ``colour`` (#RRGGBB);
- ``side``: forces on one side never fight each other (a front line is drawn only between
  hostile sides);
- ``kind``: ``state`` (a government's forces), ``affiliate`` (a militia formally under a
  government, e.g. the PMF; ACLED codes its retakings as "Government regains territory"),
  or ``non-state``;
- ``government_of``: the ISO 3166 alpha-2 code of the country whose government this force
  is; ``*`` marks the placeholder row whose aliases ("government troops", "the army") mean
  "the government of the country where it happens";
- ``allies``: force ids ('|'-separated) this force fights beside; alliance holds between
  the two forces' sides (an ally of the ISF is an ally of the PMF too);
- ``parent``: the force this one belongs to (a PMF brigade's parent is the PMF);
- ``by_country``: for a placeholder row whose words name a force by what it is where the
  event happens ("Kurdish fighters" are the Peshmerga in Iraq and the SDF in Syria):
  ``IQ=PESH|SY=SDF``;
- ``seat``, ``seat_of`` (optional): the gazetteer id of the town where the government
  this force serves sits, and who sits there, as a phrase ("the Iraqi government"). A
  government holds its seat unless a report says otherwise (``geo.control.seats``);
- ``governs`` (optional, with ``seat_of``): the regions that government governs, as
  '|'-separated ISO alpha-2 codes ("IQ") or country:admin1 names as the gazetteer spells
  them ("IQ:Erbil"); the most specific region a town lies in names its government. A
  city no report gives a holder for is presumed held by the government of its region
  (``geo.control.seats``);
- ``inter`` (optional in older tables; every row of the bundled one has it): the force's
  ACLED actor type, the codebook's "inter" code (``geo.core.codebook.ACTOR_TYPES``: 1
  state forces, 2 rebel group, 3 political militia, 4 identity militia, 8
  external/other forces), as ACLED would code it in its own country. A state force
  (1) acting outside the country its government governs (``government_of``, or
  ``governs``) is coded 8, as the codebook codes state forces active outside their main
  country (``ForceTable.actor_type``); a state force with no such country in the table
  (Russia's, the US-led coalition: never at home in this theatre) is written 8 here;
- ``aliases`` ('|'-separated), matched case-insensitively as whole words, longest first.
  Short all-capital acronyms (IS, US, SDF, ...) and aliases written with a leading ``=``
  match only in capitals, so the verb "is" and the pronoun "us" never count. A leading
  ``~`` marks a role word ("militants", "rebels", "troops"): it names a force only by what
  it does, so the extractor trusts it less than a name.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.core import paths
from geo.core.codebook import ACTOR_TYPES
from geo.core.errors import InputError
from geo.core.rulescan import RuleScan
from geo.core.wordtrie import trie_pattern

#: The colour of an empty or unknown force id (map, exports, KML): a neutral grey that no
#: force uses, so an event whose force we do not know is still drawn, and looks unknown.
UNKNOWN_COLOUR = "#8a8a8a"

REQUIRED_COLUMNS = ("force_id", "display_name", "acled_actor", "colour", "side", "kind",
                    "government_of", "allies", "parent", "aliases", "by_country")
#: Columns a table may leave out (older tables): read as empty.
OPTIONAL_COLUMNS = ("seat", "seat_of", "governs", "inter")
#: A gazetteer id: its source, a colon, the source's own id ("wof:421178393").
_PLACE_ID = re.compile(r"[a-z][a-z0-9_-]*:\S+")
KINDS = ("state", "affiliate", "non-state")
#: ``government_of`` value of the placeholder force ("the government where it happens").
LOCAL_GOVERNMENT = "*"
#: An alias is a whole word: no letter, apostrophe or hyphen before it, no letter or hyphen
#: after it, and not the stem of a possessive compound ("IS's" counts, "IS'sa" does not).
#: How many searched texts ``find_mentions`` remembers (then it starts afresh).
_MEMO_TEXTS = 4096
#: Longer texts than this (whole articles, not sentences) are not remembered.
_MEMO_CHARS = 2000
EDGE_LEFT, EDGE_RIGHT = r"(?<![\w'’-])", r"(?![\w-]|'s\w)"
#: The ``inter`` column's values: ACLED's actor type codes (geo.core.codebook.ACTOR_TYPES).
_INTER_CODES = frozenset(str(code) for code in ACTOR_TYPES)

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
    kind: str = "non-state"
    government_of: str = ""
    allies: tuple[str, ...] = ()
    generic_aliases: frozenset[str] = frozenset()   # lower-cased role words ("~" in the file)
    by_country: tuple[tuple[str, str], ...] = ()     # (country, force id) for placeholders
    seat: str = ""          # gazetteer id of the seat of the government it serves
    seat_of: str = ""       # who sits there ("the Iraqi government")
    governs: tuple[str, ...] = ()   # regions it governs: "IQ", "IQ:Erbil"
    inter: int | None = None        # ACLED actor type (1-8) at home; None: not given

    @property
    def is_state(self) -> bool:
        """Government forces and their affiliates regain territory (ACLED 'Government
        regains territory'); everyone else overtakes it."""
        return self.kind in ("state", "affiliate")

    @property
    def is_placeholder(self) -> bool:
        """A row that stands for another force chosen by the country where it happens
        ("the government", "Kurdish fighters"), not a force of its own."""
        return self.government_of == LOCAL_GOVERNMENT or bool(self.by_country)


@dataclass(frozen=True, slots=True)
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
        self._government = {f.government_of: f.force_id for f in forces
                            if f.government_of and not f.is_placeholder and not f.parent}
        self._generic = {a for f in forces for a in f.generic_aliases}
        sides: dict[str, str] = {f.force_id: f.side or f.force_id for f in forces}
        self._allied_sides = {frozenset((sides[f.force_id], sides[a]))
                              for f in forces for a in f.allies if a in sides}
        entries: list[tuple[str, str, bool]] = []  # alias, force_id, case_sensitive
        for f in forces:
            for alias in f.aliases:
                sensitive = alias.startswith("=") or (alias.isupper() and len(alias) <= 5)
                entries.append((alias.lstrip("="), f.force_id, sensitive))
        entries.sort(key=lambda e: -len(e[0]))
        self._lookup: dict[str, str] = {}
        #: Texts already searched (the table never changes): extraction asks again for
        #: the same sentence, and an upload that repeats one asks thousands of times.
        self._memo: dict[str, tuple[ForceMention, ...]] = {}
        sensitive_parts: list[str] = []
        insensitive_parts: list[str] = []
        for alias, fid, sensitive in entries:
            key = alias if sensitive else alias.lower()
            self._lookup.setdefault(key, fid)
            (sensitive_parts if sensitive else insensitive_parts).append(alias)
        # one trie-shaped pattern per case rule: the longest alias at a position wins, and
        # text naming no force is rejected after a character (see geo.core.wordtrie)
        self._sensitive = re.compile(EDGE_LEFT + "(" + trie_pattern(sensitive_parts) + ")" +
                                     EDGE_RIGHT)
        self._insensitive = re.compile(EDGE_LEFT + "(" + trie_pattern(insensitive_parts, fold=True)
                                       + ")" + EDGE_RIGHT, re.I)
        # both tried only where an alias's first letters start a word (the same matches as
        # ``finditer``: the regular-expression engine tried every position)
        self._scan = RuleScan([(self._insensitive, False), (self._sensitive, True)])

    def __getitem__(self, force_id: str) -> Force:
        return self.forces[force_id]

    def __contains__(self, force_id: object) -> bool:
        return force_id in self.forces

    def __iter__(self) -> Iterator[Force]:
        """The forces an analyst can pick, show in a legend or filter by (the placeholder
        row for "the government where it happens" is not one of them)."""
        return (f for f in self.forces.values() if not f.is_placeholder)

    def nation_words(self) -> tuple[str, ...]:
        """The words that name a state force by its nation ("Russian", "Iraqi", "US",
        "American"), longest first: the capitalised first word of each state force's
        aliases of the form "<Word> <common nouns>" ("Russian warplanes", "U.S. forces").
        "Russian strikes" is then read as the strikes of that force, with no list of
        nationalities written anywhere but the alias table."""
        words: set[str] = set()
        for f in self.forces.values():
            if f.kind != "state" or f.is_placeholder:
                continue
            for alias in f.aliases:
                first, _, rest = alias.lstrip("=").partition(" ")
                if rest and first[:1].isupper() and rest == rest.lower() \
                        and first.rstrip(".").replace(".", "").isalpha():
                    words.add(first)
        return tuple(sorted(words, key=lambda w: (-len(w), w)))

    def seats(self) -> list[Force]:
        """The forces whose government's seat the table gives (``seat``), in table
        order."""
        return [f for f in self.forces.values() if f.seat]

    def governor(self, country: str, admin1: str = "") -> Force | None:
        """The force whose government governs a town in ``country`` (ISO alpha-2) and
        province ``admin1`` (``governs``): the most specific region wins (a Kurdistan
        Region governorate over Iraq)."""
        if not country:
            return None
        wanted = (f"{country.upper()}:{admin1}".casefold(), country.upper().casefold())
        for region in wanted:
            for force in self.forces.values():
                if region in (r.casefold() for r in force.governs):
                    return force
        return None

    def government_of(self, country: str) -> str | None:
        """The force that is the government of ``country`` (ISO alpha-2), if the table
        names one."""
        return self._government.get(country.upper()) if country else None

    def governed_country(self, force_id: str) -> str:
        """The one country (ISO alpha-2) whose land the government this force serves
        governs (``governs``, its own row's or the force it belongs to's): where its
        forces fight as its own ("Peshmerga" -> IQ, a PMF brigade -> IQ). "" for a force
        whose government governs no listed land (Turkey's, Russia's, a militia's)."""
        seen: set[str] = set()
        force = self.forces.get(force_id)
        while force is not None and force.force_id not in seen and not force.is_placeholder:
            seen.add(force.force_id)
            countries = {region.split(":", 1)[0].upper() for region in force.governs}
            if countries:
                return countries.pop() if len(countries) == 1 else ""
            force = self.forces.get(force.parent) if force.parent else None
        return ""

    def local(self, force_id: str, country: str) -> str:
        """``force_id`` with the placeholder ("government troops") resolved to the
        government of ``country``, the country where the event happens."""
        force = self.forces.get(force_id)
        if force is None or not force.is_placeholder:
            return force_id
        if force.government_of == LOCAL_GOVERNMENT:
            return self.government_of(country) or force_id
        return dict(force.by_country).get(country.upper(), force_id) if country else force_id

    def actor_type(self, force_id: str, country: str = "") -> int | None:
        """ACLED's actor type ("inter" code) of a force in an event in ``country`` (ISO
        alpha-2): the table's ``inter``, except that a state force (1) outside the country
        its government governs is External/Other forces (8), as the codebook codes state
        forces active outside their main country. A placeholder ("government troops") is
        the force it stands for there. None for an unknown force or one with no ``inter``."""
        force = self.forces.get(self.local(force_id, country) if country else force_id)
        if force is None or force.inter is None:
            return None
        if force.inter == 1 and country:
            home = force.government_of if len(force.government_of) == 2 \
                else self.governed_country(force.force_id)
            if home and home != country.upper():
                return 8
        return force.inter

    def is_state(self, force_id: str) -> bool:
        """Whether a force id is a government force or affiliate (unknown ids are not)."""
        force = self.forces.get(force_id)
        return force is not None and force.is_state

    def allied(self, force_a: str, force_b: str) -> bool:
        """Same side, or sides joined by an ``allies`` entry of any of their forces."""
        side_a = self.forces[force_a].side or force_a if force_a in self.forces else force_a
        side_b = self.forces[force_b].side or force_b if force_b in self.forces else force_b
        return side_a == side_b or frozenset((side_a, side_b)) in self._allied_sides

    def display(self, force_id: str) -> str:
        return self.forces[force_id].display_name if force_id in self.forces else force_id

    def colour(self, force_id: str) -> str:
        return self.forces[force_id].colour if force_id in self.forces else UNKNOWN_COLOUR

    def hostile(self, force_a: str, force_b: str) -> bool:
        """Whether two forces fight each other: different sides that are not allied.
        An unknown force id is its own side (hostile to everyone else)."""
        return not self.allied(force_a, force_b)

    def find_mentions(self, text: str) -> list[ForceMention]:
        """Every force named in ``text``, longest match wins, no overlaps, in text order."""
        if len(text) > _MEMO_CHARS:         # a whole article: searched once anyway
            return list(self._find_mentions(text))
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= _MEMO_TEXTS:
                self._memo.clear()
            found = self._memo[text] = self._find_mentions(text)
        return list(found)

    def forget_mentions(self) -> None:
        """Drop the remembered texts (extraction does it before each article)."""
        self._memo.clear()

    def _find_mentions(self, text: str) -> tuple[ForceMention, ...]:
        hits: list[ForceMention] = []
        for m, sensitive in self._scan.matches(text):
            surface = m.group(1)
            key = re.sub(r"\s+", " ", surface if sensitive else surface.lower())
            fid = self._lookup.get(key)
            if fid is None:
                continue
            hits.append(ForceMention(m.start(1), m.end(1), surface, fid,
                                     key.lower() in self._generic))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[ForceMention] = []
        for h in hits:
            if kept and h.start < kept[-1].end:
                if h.end - h.start > kept[-1].end - kept[-1].start:
                    kept[-1] = h
                continue
            kept.append(h)
        return tuple(kept)

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
        # (a placeholder's name says nothing without the country of the row: "al-Qaeda"
        # is the Islamic State in Iraq, the rebels in Syria; the row stays unmapped)
        mentions = [m for m in self.find_mentions(clean) if not m.generic
                    and not self.forces[m.force_id].is_placeholder]
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
            lines: dict[str, int] = {}
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
                kind = (row["kind"] or "").strip()
                if kind not in KINDS:
                    raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}",
                                     source=str(path), line=line, field="kind")
                government = (row["government_of"] or "").strip().upper()
                if government and government != LOCAL_GOVERNMENT \
                        and not re.fullmatch(r"[A-Z]{2}", government):
                    raise InputError(f"government_of {government!r} is not an ISO 3166 alpha-2 "
                                     f"country code (or '*')", source=str(path), line=line,
                                     field="government_of")
                raw = [a.strip() for a in (row["aliases"] or "").split("|") if a.strip()]
                generic = frozenset(a[1:].strip().lower() for a in raw if a.startswith("~"))
                aliases = tuple(a.lstrip("~").strip() for a in raw)
                allies = tuple(a.strip() for a in (row["allies"] or "").split("|") if a.strip())
                by_country: list[tuple[str, str]] = []
                for pair in (p.strip() for p in (row["by_country"] or "").split("|")):
                    code, _, target = pair.partition("=")
                    if not pair:
                        continue
                    if not re.fullmatch(r"[A-Z]{2}", code.strip()) or not target.strip():
                        raise InputError(f"by_country entry {pair!r} is not COUNTRY=FORCE "
                                         f"(e.g. IQ=PESH)", source=str(path), line=line,
                                         field="by_country")
                    by_country.append((code.strip(), target.strip()))
                seat = (row.get("seat") or "").strip()
                seat_of = (row.get("seat_of") or "").strip()
                if seat and not _PLACE_ID.fullmatch(seat):
                    raise InputError(f"seat {seat!r} is not a gazetteer id (source:id, e.g. "
                                     f"wof:421178393)", source=str(path), line=line,
                                     field="seat")
                if bool(seat) != bool(seat_of):
                    raise InputError("seat and seat_of go together: the seat's gazetteer id "
                                     "and who sits there (e.g. 'the Iraqi government')",
                                     source=str(path), line=line,
                                     field="seat_of" if seat else "seat")
                governs = tuple(r.strip() for r in (row.get("governs") or "").split("|")
                                if r.strip())
                for region in governs:
                    if not re.fullmatch(r"[A-Z]{2}(:\S.*)?", region):
                        raise InputError(f"governs entry {region!r} is not a country code or "
                                         f"COUNTRY:admin1 (e.g. IQ or IQ:Erbil)",
                                         source=str(path), line=line, field="governs")
                inter_text = (row.get("inter") or "").strip()
                if inter_text and inter_text not in _INTER_CODES:
                    raise InputError(f"inter {inter_text!r} is not an ACLED actor type code "
                                     f"(1 state forces ... 8 external/other forces)",
                                     source=str(path), line=line, field="inter")
                if governs and not seat_of:
                    raise InputError("governs needs seat_of: who governs there (e.g. 'the "
                                     "Iraqi government')", source=str(path), line=line,
                                     field="seat_of")
                forces.append(Force(fid, row["display_name"].strip(), row["acled_actor"].strip(),
                                    colour, row["side"].strip(), row["parent"].strip(),
                                    aliases + (fid,) if fid not in aliases else aliases,
                                    kind, government, allies, generic, tuple(by_country),
                                    seat, seat_of, governs,
                                    int(inter_text) if inter_text else None))
                lines[fid] = line
    except OSError as exc:
        raise InputError(f"cannot read the force table: {exc.strerror}", source=str(path)) from exc
    for f in forces:
        if f.parent and f.parent not in seen:
            raise InputError(f"parent {f.parent!r} of {f.force_id} is not a force id",
                             source=str(path), line=lines[f.force_id], field="parent")
        unknown = [a for a in f.allies if a not in seen]
        if unknown:
            raise InputError(f"allies {unknown} of {f.force_id} are not force ids",
                             source=str(path), line=lines[f.force_id], field="allies")
        unknown = [t for _, t in f.by_country if t not in seen]
        if unknown:
            raise InputError(f"by_country forces {unknown} of {f.force_id} are not force ids",
                             source=str(path), line=lines[f.force_id], field="by_country")
    return ForceTable(forces)


@lru_cache(maxsize=1)
def default_forces() -> ForceTable:
    """The bundled table, loaded once per process."""
    return load_forces()
