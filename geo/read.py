"""Reading article files: text and HTML in, clean article text, title and publication date out.

What it guards against, because real news files carry it:
- site chrome: share buttons, "ADVERTISEMENT", image credits, "You might also like" lists,
  embedded tweet markup (tweet dates are kept as evidence of the publication date);
- a site banner's crawl date above the story (seed 002 shows "Sunday, 27 May 2018" above
  a story of 18 June 2017): a date line *after* the headline beats one above it;
- bad files: empty, binary, over the size limit, not UTF-8, not English. Each gets an
  ``ArticleError`` naming the file; a recoverable oddity (Windows-1252 text, a file cut
  in the middle of a character) becomes a warning instead.

A date given by the user (``published=``, or a sidecar ``FILE.meta.json``) always wins.
An article with no findable date stays undated: never silently "today".
"""
from __future__ import annotations

import calendar
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from geo.core import settings, theatre
from geo.core.dates import MONTH_DATELINE, MONTHS, find_dates, parse_date
from geo.core.errors import ArticleError, InputError
from geo.core.files import path_text, read_input_bytes
from geo.core.records import Article

#: Lines (whole, case-insensitive) that are page chrome, not article text.
BOILERPLATE_LINE = re.compile(
    r"^\s*[•·]?\s*(share this article.*|comments?|advertisement|close button|copyright.*|published|"
    r"updated|image source,.*|image caption,?|media caption,?|top of page|bottom of page|"
    r"latest news|related (stories|articles|topics|content).*|read more.*|"
    r"sign up.*newsletter.*|follow us.*|skip to (main )?content|menu|search|"
    r"(youtube|instagram|facebook|twitter|whatsapp|telegram|linkedin|email|print)|"
    r"•\s*(youtube|instagram|facebook|twitter)|click here.*|listen to this article.*)\s*$",
    re.I)
#: A line from which everything after is a list of other stories.
TRAILER_LINE = re.compile(r"^\s*(you might also like|more on this story|related stories|"
                          r"most read|recommended|more from .*|around the web)\s*:?\s*$", re.I)
#: Inline chrome glued to text ("...19 May 2015Image source, Reuters").
INLINE_CHROME = re.compile(r"(Image source|Media caption|Image caption),\s*[\w .&'-]{0,40}$"
                           r"|Share this article(Comments|Close Button)?", re.I)
TWEET_SIGNATURE = re.compile(
    r"^\s*(?:—|--|&mdash;)\s*.{0,80}?\(@?\w{1,30}\)\s+(?P<date>\w+ \d{1,2}, \d{4})\s*$")
TWEET_MARKUP = re.compile(r"pic\.twitter\.com|https?://t\.co/|twitter\.com/\w+/status", re.I)
DATE_LINE = re.compile(
    r"^\s*(?:(?:published|updated|posted|date)\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d\d-\d\d)"
    r"(?:[ ,|-]+\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?|GMT|UTC)?.*)?\s*$")
#: A wire-story dateline opening the first paragraph: "NEAR MOSUL, Iraq (Reuters) - ",
#: "BEIRUT, June 4 (AP) — ". It names where the reporter filed from, not where events
#: happened, so it is cut from the text the extractor reads.
WIRE_DATELINE = re.compile(
    r"^\(?(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3})\)?(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Za-z.]+){0,2})?"
    r"(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\((?:[A-Za-z.&'’ ]{2,30})\))?\s*(?:-{1,2}|–|—)\s*(?=[A-Z])")
WEEKDAY_PREFIX = re.compile(r"^\s*(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", re.I)
ENGLISH_WORDS = frozenset("the of and to in a is that for on was with as by at from it his "
                          "said were are have has be an this which their after who been "
                          "not but they had its also".split())
BINARY_SNIFF_BYTES = 8192
#: A sidecar holds four short fields; anything larger is not one.
SIDECAR_BYTES = 100_000


@dataclass
class ReadResult:
    """An article read from a file, and the warnings a user should see."""

    article: Article
    warnings: list[str] = field(default_factory=list)


def read_article(path: str | Path, *, published: date | None = None,
                 max_bytes: int | None = None) -> ReadResult:
    """Read one article file (plain text or HTML); raise ``ArticleError`` if it is not one."""
    path = Path(path)
    limit = settings.get_int("max_article_bytes") if max_bytes is None else max_bytes
    name = path_text(path)
    try:
        raw = read_input_bytes(path, limit=limit, what="article file",
                               setting="max_article_bytes")
    except InputError as exc:
        raise ArticleError(exc.message, source=exc.source) from None
    sidecar = _read_sidecar(path)
    if published is None and sidecar.get("published"):
        published = sidecar["published"]
    result = read_bytes(raw, source=name, published=published, limit=limit)
    art = result.article
    art.path = name
    if sidecar.get("published"):
        art.published_source = "sidecar" if art.published_source != "explicit" else "explicit"
    art.title = sidecar.get("title") or art.title
    art.source_name = sidecar.get("source") or art.source_name
    art.url = sidecar.get("url") or art.url
    return result


def read_bytes(raw: bytes, *, source: str = "<upload>", published: date | None = None,
               limit: int | None = None) -> ReadResult:
    """Read an article from bytes (an upload): the same checks as for a file."""
    limit = settings.get_int("max_article_bytes") if limit is None else limit
    if len(raw) > limit:
        raise ArticleError(f"file is {len(raw) / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB "
                           "(setting max_article_bytes)", source=source)
    warnings: list[str] = []
    text = _decode(raw, source, warnings)
    if not text.strip():
        raise ArticleError("file is empty (no text)", source=source)
    looks_html = bool(re.search(r"<(!doctype html|html|body|article|p|div)\b", text[:5000], re.I))
    meta: dict[str, str] = {}
    if looks_html:
        text, meta = html_to_text(text)
        if not text.strip():
            raise ArticleError("HTML file has no article text", source=source)
    body, title, dates = clean_text(text)
    if not body.strip():
        raise ArticleError("file has no article text after removing page chrome", source=source)
    _check_english(body, source)
    title = meta.get("title") or title
    pub, how = published, "explicit"
    if pub is None:
        pub, how = find_publication_date(body, title, dates, meta, warnings)
    if pub is None:
        warnings.append("no publication date found: events are marked undated "
                        "(give one with --date or a FILE.meta.json sidecar)")
    article = Article(text=body, title=title, published=pub, published_source=how if pub else "",
                      source_name=meta.get("site_name", ""), url=meta.get("url", ""))
    return ReadResult(article, warnings)


def _decode(raw: bytes, source: str, warnings: list[str]) -> str:
    head = raw[:BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _decode_utf16(raw, source, warnings)
        offset = head.index(b"\x00")
        raise ArticleError(f"looks like a binary file (NUL byte at offset {offset}),"
                           " not a text or HTML article", source=source)
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        raise ArticleError("looks like a binary file (many control bytes), not a text or HTML "
                           "article", source=source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
            warnings.append(f"file ends in the middle of a character at byte {exc.start}: "
                            "truncated? the partial character was dropped")
            return raw[:exc.start].decode("utf-8-sig")
        warnings.append(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                        "read as Windows-1252")
        return raw.decode("cp1252", errors="replace")


def _decode_utf16(raw: bytes, source: str, warnings: list[str]) -> str:
    """A UTF-16 file (it starts with a byte-order mark): a file cut in the middle of a
    character loses that character with a warning; any other bad sequence is refused."""
    try:
        return raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        if exc.reason == "truncated data" or (exc.start >= len(raw) - 4
                                              and "surrogate" in exc.reason):
            warnings.append(f"UTF-16 file ends in the middle of a character at byte "
                            f"{exc.start}: truncated? the partial character was dropped")
            return raw[:exc.start].decode("utf-16")
        raise ArticleError(f"not valid UTF-16 ({exc.reason} at byte {exc.start}); save the "
                           f"article as UTF-8", source=source) from None


def _check_english(body: str, source: str) -> None:
    words = re.findall(r"[^\W\d_]+", body.lower())
    if len(words) < 5:
        return
    latin = sum(1 for w in words if w.isascii())
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    if latin / len(words) < 0.5 or english / len(words) < 0.1:
        raise ArticleError(f"does not look like English ({english} of {len(words)} words are "
                           "common English words); only English articles are supported",
                           source=source)


def clean_text(text: str) -> tuple[str, str, list[tuple[int, date]]]:
    """Strip page chrome line by line; return (body, title, tweet dates with line numbers)."""
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    kept: list[str] = []
    seen: set[str] = set()             # kept lines, for the repeated-headline check
    tweet_dates: list[tuple[int, date]] = []
    title = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if TRAILER_LINE.match(stripped):
            break
        sig = TWEET_SIGNATURE.match(stripped)
        if sig:
            try:
                tweet_dates.append((len(kept), parse_date(sig["date"])))
            except ValueError:
                pass
            continue
        if TWEET_MARKUP.search(stripped) or BOILERPLATE_LINE.match(stripped):
            continue
        stripped = re.sub(r"<[^>]{1,200}>", "", INLINE_CHROME.sub("", stripped)).strip()
        if not stripped:
            if kept and kept[-1]:
                kept.append("")
            continue
        stripped = re.sub(r"^(?:[\w ]{1,30}\s*»\s*)+", "", stripped)   # breadcrumbs "Main » ..."
        if len(kept) < 12:
            stripped = WIRE_DATELINE.sub("", stripped, count=1)
        if stripped in seen and len(stripped) < 200:
            continue                      # repeated headline
        seen.add(stripped)
        if not title and len(stripped) < 200 and not DATE_LINE.match(stripped) \
                and not stripped.endswith((".", "»")) and len(stripped.split()) >= 3:
            title = stripped
        kept.append(stripped)
    body = _drop_teasers("\n".join(kept).strip())
    return body, title, tweet_dates


def _drop_teasers(body: str) -> str:
    """Drop a line that is only the start of the next paragraph (a truncated teaser)."""
    lines = body.split("\n")
    # The next non-empty line after each line, found in one pass from the end (a scan
    # ahead from every line is quadratic in a file of many short lines).
    following = [""] * len(lines)
    upcoming = ""
    for i in range(len(lines) - 1, -1, -1):
        following[i] = upcoming
        if lines[i].strip():
            upcoming = lines[i]
    out = [line for line, nxt in zip(lines, following)
           if not (len(line) > 40 and nxt.startswith(line) and len(nxt) > len(line))]
    return "\n".join(out)


#: Words of a photo caption or credit line: a date on such a line is when the photo was
#: taken (often years before the story: a file photo), not when the article appeared.
PHOTO_CAPTION = re.compile(r"\b(?:photo(?:graph)?s?|pictured?|images?|file|archive|credit|"
                           r"getty|afp|reuters/|ap photo|epa|anadolu|handout)\b", re.I)


#: Longest line that can be a dateline or caption (a longer one is a paragraph).
TOP_DATE_LINE_CHARS = 300
#: A year written in the text (the range dates are found in).
YEAR = re.compile(r"(?<![\d.,/-])(?:19|20)\d\d(?![\d/-])")


def find_publication_date(body: str, title: str, tweet_dates: list[tuple[int, date]],
                          meta: dict[str, str], warnings: list[str] | None = None
                          ) -> tuple[date | None, str]:
    """The publication date and how it was found, or (None, "").

    A date found only near the top of the text (no dateline, metadata or tweet) is a
    weak guess: it is refused when its line reads as a photo caption or credit, or when
    the article names a later date (an article cannot report what had not yet happened
    when it appeared); when it is taken, ``warnings`` says so, so the analyst can check."""
    warnings = [] if warnings is None else warnings
    found, how = _publication_date(body, title, tweet_dates, meta)
    if found is None:
        found, how = _top_date(body, body.split("\n"), warnings), "caption"
    if found is None:
        found, how = _month_dateline(body.split("\n")), MONTH_DATELINE
        if found is not None:
            warnings.append(f"publication date known to the month only ({found:%B %Y}): "
                            "events without a date of their own are dated within that month")
    if found is None:
        return None, ""
    today = date.today()
    if not theatre.EARLIEST_EVENT_DATE <= found <= today:
        warnings.append(f"the date found as publication date ({found.isoformat()}) is "
                        f"outside {theatre.EARLIEST_EVENT_DATE.isoformat()}..{today.isoformat()}"
                        f"; ignored (give the date with --date or a FILE.meta.json sidecar)")
        return None, ""
    return found, how


#: "May 2017", "BAGHDAD, May 2017", "Sept. 2016": a dateline naming a month only.
MONTH_LINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z'’.\- ]{1,30},\s*)?"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?,?\s+(?P<year>(?:19|20)\d\d)\s*$")


def _month_dateline(lines: list[str]) -> date | None:
    """The last day of the month a month-only dateline in the first lines names (the
    article appeared in that month, at the latest on its last day), or None."""
    for line in lines[:12]:
        m = MONTH_LINE.match(line)
        if m:
            month = MONTHS[m["month"].lower()]
            year = int(m["year"])
            return min(date(year, month, calendar.monthrange(year, month)[1]), date.today())
    return None


def _top_date(body: str, lines: list[str], warnings_out: list[str]) -> date | None:
    """A full date written in the first lines (a dateline without the usual form), unless
    it is a photo caption's or the text names later dates."""
    for number, line in enumerate(lines[:12], start=1):
        if len(line) > TOP_DATE_LINE_CHARS:          # a paragraph, not a dateline/caption
            continue
        full = [d for d in find_dates(line, None) if d.explicit and d.precision == 1]
        if not full:
            continue
        day = full[0].date_min
        if PHOTO_CAPTION.search(line):
            warnings_out.append(f"the date {day.isoformat()} on line {number} reads as a photo "
                                f"caption or credit, not taken as the publication date")
            return None
        later = next((m for m in YEAR.finditer(body) if int(m[0]) > day.year), None)
        if later:
            warnings_out.append(
                f"the date {day.isoformat()} on line {number} is not taken as the publication "
                f"date: the text names a later year ({later[0]})")
            return None
        warnings_out.append(f"publication date {day.isoformat()} taken from line {number} "
                            f"(no dateline or metadata); check it, or give it with --date")
        return day
    return None


def _publication_date(body: str, title: str, tweet_dates: list[tuple[int, date]],
                      meta: dict[str, str]) -> tuple[date | None, str]:
    if meta.get("published"):
        try:
            return parse_date(meta["published"][:10]), "html-meta"
        except ValueError:
            pass
    lines = body.split("\n")
    title_at = next((i for i, ln in enumerate(lines) if title and ln.strip() == title), 0)
    datelines: list[tuple[float, date]] = []
    for i, line in enumerate(lines[:40]):
        if DATE_LINE.match(line):
            found = find_dates(line, None)
            if not found:
                continue
            d = found[0].date_min
            # A banner above the headline, with a weekday, is the site's crawl date.
            score = 1.0 if i > title_at else (0.2 if WEEKDAY_PREFIX.match(line) else 0.6)
            datelines.append((score, d))
    floor = max((d for _, d in tweet_dates), default=None)
    if datelines:
        datelines.sort(key=lambda sd: -sd[0])
        best_score, best = datelines[0]
        if floor and best < floor:
            return floor, "embedded-tweet"
        if best_score >= 0.5 or floor is None:
            return best, "dateline"
    if floor:
        return floor, "embedded-tweet"
    return None, ""


def _read_sidecar(path: Path) -> dict[str, Any]:
    """``FILE.meta.json`` beside the article: {"published": "YYYY-MM-DD", "title", "source",
    "url"} (text values; anything else is refused with the field named)."""
    side = path.with_name(path.name + ".meta.json")
    if not side.exists():
        return {}
    source = path_text(side)
    try:
        raw = read_input_bytes(side, limit=SIDECAR_BYTES, what="sidecar")
        data = json.loads(raw.decode("utf-8"))
    except InputError as exc:
        raise ArticleError(exc.message, source=source) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ArticleError(f"sidecar is not valid JSON: {exc}", source=source) from None
    if not isinstance(data, dict):
        raise ArticleError("sidecar must hold a JSON object", source=source)
    for key in ("published", "title", "source", "url"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ArticleError(f"must be text, not {type(data[key]).__name__}",
                               source=source, field=key)
    if data.get("published"):
        try:
            data["published"] = parse_date(str(data["published"]))
        except ValueError as exc:
            raise ArticleError(str(exc), source=source, field="published") from None
    return data


class _TextExtractor(HTMLParser):
    """HTML to text: block elements become lines; chrome elements are skipped whole."""

    SKIP_TAGS = {"script", "style", "nav", "footer", "header", "aside", "form", "button",
                 "noscript", "iframe", "svg", "figure", "select", "template"}
    BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "li", "tr", "section", "article",
                  "blockquote", "time", "figcaption", "title"}
    CHROME_CLASS = re.compile(r"share|social|related|advert|promo|newsletter|comment|twitter-tweet|"
                              r"cookie|subscribe|breadcrumb|sidebar|recommend|outbrain|taboola", re.I)
    VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.meta: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []
        self.tweet_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key in {"article:published_time", "og:published_time", "date", "pubdate",
                       "publishdate", "dc.date", "dc.date.issued", "datepublished"}:
                self.meta.setdefault("published", a.get("content", ""))
            elif key in {"og:title"}:
                self.meta.setdefault("title", a.get("content", "").strip())
            elif key == "og:site_name":
                self.meta.setdefault("site_name", a.get("content", "").strip())
            elif key == "og:url":
                self.meta.setdefault("url", a.get("content", "").strip())
            return
        if tag == "time" and a.get("datetime") and "published" not in self.meta and not self.skip_depth:
            self.meta["published_time_tag"] = a["datetime"]
        if tag in self.VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        chrome = tag in self.SKIP_TAGS or bool(self.CHROME_CLASS.search(a.get("class", "") + " " + a.get("id", "")))
        if tag == "title":
            self._in_title = True
        self.stack.append((tag, chrome))
        if chrome:
            self.skip_depth += 1
        if tag in self.BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        while self.stack:
            t, chrome = self.stack.pop()
            if chrome:
                self.skip_depth -= 1
            if t == tag:
                break
        if tag in self.BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
            return
        if not self.skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        if self._title and "title" not in self.meta:
            self.meta["title"] = re.split(r"\s+[|–-]\s+", " ".join(self._title).strip())[0]
        if "published" not in self.meta and "published_time_tag" in self.meta:
            self.meta["published"] = self.meta["published_time_tag"]
        joined = "".join(self.parts)
        return "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in joined.split("\n"))


#: A "<!" that opens neither a comment nor a document type declaration.
BROKEN_DECLARATION = re.compile(r"<!(?!--|doctype)", re.I)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """Visible article text of an HTML page (chrome removed) and its metadata."""
    # html.parser gives up on some broken markup (a marked section "<![CD ..." that is not
    # CDATA) with an AssertionError. Then such declarations are read as text; if the
    # parser still fails, the tags are removed by pattern (crude, but the text is kept).
    for attempt in (markup, BROKEN_DECLARATION.sub("&lt;!", markup)):
        parser = _TextExtractor()
        try:
            parser.feed(attempt)
            parser.close()
        except (AssertionError, ValueError):
            continue
        return parser.text(), parser.meta
    text = re.sub(r"<[^>]{0,200}>", "\n", markup)
    return "\n".join(" ".join(line.split()) for line in text.split("\n")), {}
