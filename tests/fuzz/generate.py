"""Hostile inputs for the fuzz run (``make fuzz``) and the property tests: deterministic
from a seed, so a run is reproduced exactly and a failing case is named by its id.

Four kinds, one generator each:

* ``article_cases``: article files as bytes: random bytes, random unicode, HTML (nested,
  broken, script-laden), news text with mutated dates (years 1 and 9999, "in 2087", a
  photo caption's old date), huge numbers, control characters, bidirectional and
  combining marks, and pathological sizes (one 1 MB line, sentences dense with verbs,
  deep nesting) up to the size limit.
* ``csv_cases``: ACLED and UCDP files whose rows are mutated cell by cell (inf, nan,
  4,000-digit numbers, dates at the ends of the calendar, quoted line breaks of every
  kind, formulas, NUL, other encodings) or whose structure is (columns dropped or
  repeated, rows cut, BOMs, CR-only line ends).
* ``odd_names``: place names as analysts paste them and as they should never be.
* ``hostile_texts``: text fields for events headed to the exporters.

Nothing here reads the shared evaluation folder: the material is the repository's own
sample articles and data files plus text built in code.
"""
from __future__ import annotations

import csv
import io
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ARTICLES = sorted([*(ROOT / "data" / "articles").glob("*.txt"),
                          *(ROOT / "tests" / "data" / "articles").glob("*.*")])
IMPORTS = ROOT / "tests" / "data" / "imports"

TOWNS = ("Mosul", "Ramadi", "Fallujah", "Raqqa", "Tabqa", "Hit", "Haditha", "Tikrit",
         "Baiji", "Palmyra", "Manbij", "Kobani", "Deir ez-Zor", "al-Bab", "Sinjar",
         "Qayyarah", "Abu Kamal", "Hajin", "Tal Afar", "Kirkuk")
FORCES = ("Iraqi forces", "the Iraqi army", "Islamic State militants", "IS fighters",
          "the Syrian Democratic Forces", "Kurdish Peshmerga", "Syrian government troops",
          "the US-led coalition", "Turkish-backed rebels", "Shiite militias",
          "Russian warplanes", "the Popular Mobilisation Forces")
VERBS = ("recaptured", "seized", "attacked", "shelled", "bombed", "besieged", "entered",
         "withdrew from", "stormed", "liberated", "lost", "advanced on", "clashed near",
         "retook", "surrounded", "struck", "pushed into", "fled")
DATES = ("on Thursday", "last week", "two days ago", "on 19 June 2016", "in March 2017",
         "earlier this month", "in 2015", "since April", "on Friday night", "yesterday",
         "in early 2016", "between May and June", "a week after", "on 1 January 0001",
         "on 31 December 9999", "in 2087", "in 1899", "on 30 February 2015",
         "on 2015-02-30", "in the summer of 2014", "this year", "99 years ago",
         "in the past 40 years", "on 0/0/0000", "in 20000", "on 32 May 2016")
NUMBERS = ("12", "1,000", "9" * 20, "9" * 5000, "1e400", "-5", "NaN", "2" * 19,
           str(2 ** 63), "0x1F", "٣٤", "１２", "½", "three hundred thousand million")
#: Characters that break careless code: controls, separators, bidi, combining, BOM,
#: surrogate-looking text, zero width, private use, non-BMP.
ODD_CHARS = ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f",
             "\x85", "\u00a0", "\u200b", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e",
             "\u2028", "\u2029", "\u2066", "\ufeff", "\ufffd", "\ufffe", "\U0001F4A3",
             "\u0301", "\u0338" * 20, "\ue000", "\r", "\r\n", "\t", "ا", "ḍ", "Ω", "鬼")
FORMULAS = ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")",
            "\t=1", "\r=1", "'=1")


@dataclass(frozen=True)
class Case:
    """One input: an id (kind-number, stable for a seed), the kind, the payload."""

    case_id: str
    kind: str
    data: bytes
    #: For CSV cases whose structure is intact: how many data rows the file holds.
    expected_rows: int | None = None
    dataset: str = ""
    #: File name suffix the input should be written under.
    suffix: str = ".txt"


# -- article text ------------------------------------------------------------------------
def _sentence(rng: random.Random) -> str:
    parts = [rng.choice(FORCES), rng.choice(VERBS), rng.choice(TOWNS), rng.choice(DATES)]
    if rng.random() < 0.3:
        parts.append(f", killing {rng.choice(NUMBERS)} people")
    if rng.random() < 0.2:
        parts.append(f", {rng.choice(('officials', 'a spokesman', 'activists'))} said")
    return " ".join(parts).replace(" ,", ",") + "."


def news_text(rng: random.Random, sentences: int) -> str:
    """A news-like article: a headline, maybe a dateline, paragraphs of sentences."""
    lines = [f"{rng.choice(FORCES).capitalize()} {rng.choice(VERBS)} {rng.choice(TOWNS)}"]
    if rng.random() < 0.5:
        lines.append(rng.choice(("18 June 2017", "Published: 1 January 0001",
                                 "Sunday, 31 December 9999", "2016-06-19 10:00 GMT",
                                 "March 3, 2087", "Updated 30 February 2015",
                                 f"{rng.choice(TOWNS)}, Iraq - 19 May 2014 (file photo)")))
    paragraph: list[str] = []
    for _ in range(sentences):
        paragraph.append(_sentence(rng))
        if len(paragraph) >= rng.randint(1, 5):
            lines.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n\n".join(lines) + "\n"


def _sample_text(rng: random.Random) -> str:
    return rng.choice(SAMPLE_ARTICLES).read_text(encoding="utf-8", errors="replace")


def _mutate_text(rng: random.Random, text: str, rounds: int) -> str:
    """Insert, delete, duplicate and swap pieces of ``text``; insert odd characters,
    dates and numbers."""
    chars = list(text)
    for _ in range(rounds):
        if not chars:
            chars = list(rng.choice(DATES))
        at = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.25:
            chars[at:at] = list(rng.choice(ODD_CHARS))
        elif op < 0.4:
            chars[at:at] = list(" " + rng.choice(DATES) + " ")
        elif op < 0.5:
            chars[at:at] = list(" " + rng.choice(NUMBERS) + " ")
        elif op < 0.65 and len(chars) > 2:
            end = min(len(chars), at + rng.randint(1, 200))
            del chars[at:end]
        elif op < 0.8 and len(chars) > 2:
            end = min(len(chars), at + rng.randint(1, 400))
            chars[at:at] = chars[at:end]
        elif op < 0.9:
            chars[at:at] = list(rng.choice(("<p>", "</div>", "<script>", "&amp;", "&#0;",
                                            "&#x110000;", "<!--", "]]>", "<![CDATA[",
                                            "&nbsp;", "<br/>", "\\", "\"", "'")))
        else:
            chars[at:at] = list(rng.choice(FORMULAS))
    return "".join(chars)


def _html(rng: random.Random, body: str) -> str:
    """``body`` in an HTML page: sometimes clean, sometimes broken or deeply nested."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    style = rng.random()
    if style < 0.4:
        meta = rng.choice(("2016-06-19T10:00:00Z", "9999-12-31", "0001-01-01", "garbage",
                           "", "2016-02-30", "2087-01-01T00:00:00+14:00"))
        return (f"<!doctype html><html><head><title>{rng.choice(TOWNS)} | News</title>"
                f"<meta property='article:published_time' content='{meta}'></head><body>"
                f"<nav>Home</nav><article>{paragraphs}</article>"
                f"<script>var x = '</p>';</script></body></html>")
    if style < 0.7:
        depth = rng.choice((10, 100, 1000, 5000))
        return "<html><body>" + "<div>" * depth + paragraphs + "</div>" * (depth // 2)
    return ("<html><body>" + paragraphs.replace("</p>", "") +
            "<p class='" + "share " * rng.randint(1, 50) + "'>" + body[:500] +
            "<time datetime='" + rng.choice(("0000-00-00", "2016-06-19", "x")) + "'>")


def _pathological(rng: random.Random, limit: int) -> bytes:
    """Sizes and shapes that make careless code slow: one long line, dense verbs,
    thousands of dates or place names, repeated tokens, exactly the size limit."""
    shape = rng.randrange(9)
    size = rng.choice((10_000, 30_000, 100_000, 300_000, 1_000_000))
    if shape == 0:
        return (("a" * 80 + " ") * (size // 81)).encode()
    if shape == 1:      # dense with verbs and places: what made extraction quadratic
        unit = "IS fighters attacked, seized, shelled and recaptured Mosul and Raqqa. "
        return (unit * (size // len(unit))).encode()
    if shape == 2:
        return ("On 19 June 2016 " * (size // 16)).encode()
    if shape == 3:
        return (", ".join(TOWNS) * (size // 200)).encode()
    if shape == 4:
        return ("Mosul " + "9" * size).encode()
    if shape == 5:
        return ("." * size).encode()
    if shape == 6:
        return news_text(rng, max(1, size // 120)).encode()
    if shape == 7:
        return (b"<" * size)
    return b"x" * (limit + 1)                                        # over the limit


def article_cases(n: int, seed: int = 0, *, limit: int = 10 * 1024 * 1024,
                  pathological: bool = True) -> Iterator[Case]:
    """``n`` article files of every kind, in a fixed order for ``seed``."""
    rng = random.Random(seed)
    kinds = ["random_bytes", "random_unicode", "html", "news", "sample_mutated",
             "dates", "numbers", "encoding", "tiny"]
    for i in range(n):
        # One input in a hundred is pathological (large and slow by design).
        kind = "pathological" if pathological and i % 100 == 99 else kinds[i % len(kinds)]
        suffix = ".txt"
        if kind == "random_bytes":
            data = rng.randbytes(rng.choice((1, 10, 100, 1000, 10_000)))
        elif kind == "random_unicode":
            alphabet = (string.printable + "".join(ODD_CHARS) + "ابتثجحخ" + "日本語"
                        + "ÀÉÎÕÜçñ" + " " * 20)
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
            data = text.encode("utf-8", errors="surrogatepass")
        elif kind == "html":
            data = _html(rng, news_text(rng, rng.randint(1, 30))).encode()
            suffix = ".html"
        elif kind == "news":
            data = news_text(rng, rng.randint(1, 60)).encode()
        elif kind == "sample_mutated":
            data = _mutate_text(rng, _sample_text(rng), rng.randint(1, 60)).encode(
                "utf-8", errors="surrogatepass")
        elif kind == "dates":
            text = news_text(rng, rng.randint(2, 20))
            data = _mutate_text(rng, text, 5).encode("utf-8", errors="surrogatepass")
        elif kind == "numbers":
            town = rng.choice(TOWNS)
            text = (f"{town} attack kills {rng.choice(NUMBERS)}\n\n19 June 2016\n\n"
                    f"Islamic State militants attacked {town} on Thursday, killing "
                    f"{rng.choice(NUMBERS)} people and wounding {rng.choice(NUMBERS)}, "
                    f"officials said. At least {rng.choice(NUMBERS)} soldiers died.\n")
            data = text.encode()
        elif kind == "encoding":
            text = news_text(rng, rng.randint(1, 10))
            codec = rng.choice(("utf-16", "utf-16-le", "latin-1", "cp1252", "utf-8-sig",
                                "utf-32", "cp1256", "koi8-r"))
            data = text.encode(codec, errors="replace")
            if rng.random() < 0.5 and len(data) > 3:
                data = data[:-rng.randint(1, 3)]                     # cut mid-character
        elif kind == "tiny":
            data = rng.choice((b"", b" ", b"\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>",
                               b"<p></p>", b"Mosul.", b"\x00", "Ω".encode(),
                               b"Iraqi forces retook Hit.", b"\r\r\r"))
        else:
            data = _pathological(rng, limit)
        yield Case(f"article-{i:05d}", kind, data, suffix=suffix)


# -- dataset rows ---------------------------------------------------------------------------
CELL_VALUES = ("", " ", "inf", "-inf", "nan", "NaN", "1e400", "-1e400", "9" * 4400,
               str(2 ** 63), str(2 ** 64), "-1", "0", "-0", "0.5", "2.0", "1e3", "٣",
               "0001-01-01", "9999-12-31", "2015-02-30", "2016-13-01", "31 December 9999",
               "1 January 0001", "19 June 2016", "2016-06-19T25:00:00", "0000-00-00",
               "1899-12-31", "2087-01-01", "\x00", "\x01", "=1+1", "@SUM(1)",
               "Iraq", "Atlantis", "ZZ", "IQ", "Syria", "a\rb", "a\u2028b", "a\u0085b",
               "a\x0bb", "a\x0cb", "a\nb", "a\r\nb", "a\u2029b", "a\x1cb", "a\x1db",
               "a\x1eb", '"', '""', "a,b", "\ufeff", "\U0001F4A3", "\u202e", "x" * 100_000,
               "Islamic State (Iraq)", "Military Forces of Iraq (2014-2018)",
               "Government of Syria", "Battles", "Armed clash", "1", "2", "3", "4", "9",
               "33.35", "43.78", "91", "-181", "0.0", "36.34", "43.13")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader)
    return header, [r for r in reader if r]


def _csv_bytes(header: list[str], rows: list[list[str]], rng: random.Random,
               structural: bool) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=rng.choice(("\r\n", "\n")) if not structural
                        else rng.choice(("\r\n", "\n", "\r")))
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if not structural:
        return text.encode("utf-8")
    op = rng.randrange(8)
    if op == 0:
        return text[:rng.randrange(max(1, len(text)))].encode()           # cut anywhere
    if op == 1:
        return ("\ufeff" + text).encode()
    if op == 2:
        return text.encode(rng.choice(("utf-16", "latin-1", "cp1252")), errors="replace")
    if op == 3:
        return text.replace(",", ";").encode()
    if op == 4:
        return text.replace('"', "").encode()
    if op == 5:
        lines = text.splitlines(keepends=True)
        rng.shuffle(lines)
        return "".join(lines).encode()
    if op == 6:
        return (text + "\x00" * rng.randint(1, 3)).encode()
    return text.encode() * rng.randint(2, 3)                      # header repeated inside


def csv_cases(n_rows: int, seed: int = 0, *, rows_per_file: int = 10) -> Iterator[Case]:
    """Files of ``rows_per_file`` mutated rows (``n_rows`` rows in all), ACLED and UCDP
    alternately; one file in five also has its structure mutated (then
    ``expected_rows`` is None)."""
    rng = random.Random(seed)
    samples = {"acled": _rows(IMPORTS / "acled_sample.csv"),
               "ucdp": _rows(IMPORTS / "ucdp_sample.csv")}
    for i in range(max(1, n_rows // rows_per_file)):
        dataset = ("acled", "ucdp")[i % 2]
        header, base = samples[dataset]
        header = list(header)
        rows = []
        for _ in range(rows_per_file):
            row = list(rng.choice(base))
            for _ in range(rng.randint(1, 3)):
                row[rng.randrange(len(row))] = rng.choice(CELL_VALUES)
            rows.append(row)
        structural = i % 5 == 4
        if structural and rng.random() < 0.3:
            victim = rng.randrange(len(header))
            if rng.random() < 0.5:
                header[victim] = rng.choice(header)                       # a repeated column
            else:
                del header[victim]
                rows = [r[:victim] + r[victim + 1:] for r in rows]
        data = _csv_bytes(header, rows, rng, structural)
        yield Case(f"csv-{i:05d}", f"{dataset}{'-structure' if structural else ''}", data,
                   expected_rows=None if structural else len(rows), dataset=dataset,
                   suffix=".csv")


# -- place names ----------------------------------------------------------------------------
def _edit(rng: random.Random, word: str) -> str:
    if not word:
        return word
    i = rng.randrange(len(word))
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1:]
    if op == 2 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]


def odd_names(n: int, seed: int = 0) -> Iterator[Case]:
    """``n`` names: misspellings of real towns, nonsense syllables, qualifier grammar
    pushed too far, lists, control characters, scripts, formulas, sizes."""
    rng = random.Random(seed)
    syllables = ("al", "ar", "tal", "abu", "kha", "mus", "ra", "qa", "dei", "zor", "bab",
                 "hit", "ain", "tab", "ma", "ni", "ya", "sh", "ou", "ei")
    for i in range(n):
        kind = i % 10
        town = rng.choice(TOWNS)
        if kind == 0:
            name = _edit(rng, town)
        elif kind == 1:
            name = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 5))).title()
        elif kind == 2:
            name = (f"{rng.randint(-5, 10**6)} km {rng.choice(('west', 'SE', 'nnw', 'up'))} "
                    f"of {rng.choice((town, '', 'of of', town + ', ' + town))}")
        elif kind == 3:
            name = rng.choice((" and ", "/", ", ", " & ", ";")).join(
                rng.choice(TOWNS) for _ in range(rng.randint(2, 50)))
        elif kind == 4:
            name = "".join(rng.choice(ODD_CHARS) for _ in range(rng.randint(1, 10))) + town
        elif kind == 5:
            name = rng.choice(("", " ", "\t", ".", "-", "()", "[]", ",,,", "'", "\"", "\\",
                               "%s", "{0}", "NULL", "None", "null", "../../etc/passwd",
                               "<script>", "'; DROP TABLE places; --", "*", "?", "%"))
        elif kind == 6:
            name = rng.choice(FORMULAS) + rng.choice(("", town))
        elif kind == 7:
            name = rng.choice(("الموصل", "الرقة", "Мосул", "摩苏尔", "מוסול", "Μοσούλη",
                               "Mossoul", "Musul", "Mosul" + "\u0301" * 50, "ＭＯＳＵＬ"))
        elif kind == 8:
            name = town * rng.choice((10, 100, 2000))
        else:
            name = f"{town} ({rng.choice(('Syria', 'Iraq', 'Mars', '', '((', 'IQ'))})"
        yield Case(f"name-{i:05d}", f"name-{kind}",
                   name.encode("utf-8", errors="surrogatepass"))


# -- text for events headed to the exporters ------------------------------------------------
def hostile_texts(n: int, seed: int = 0) -> Iterator[str]:
    """Text a stored event's fields may hold (article sentences, imported notes)."""
    rng = random.Random(seed)
    for _ in range(n):
        parts = [rng.choice(FORMULAS + ODD_CHARS + tuple(TOWNS) + ("<b>x</b>", "]]>", "&",
                                                                  "\"q\"", "<!--", "%"))
                 for _ in range(rng.randint(0, 12))]
        yield "".join(parts).replace("\x00", "") if rng.random() < 0.5 else "".join(parts)
