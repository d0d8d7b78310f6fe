"""Reading articles: chrome stripped, publication date found (not the banner), bad files refused."""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from geo.core.errors import ArticleError
from geo.read import read_article, read_bytes

ROOT = Path(__file__).resolve().parent.parent
#: The five seed articles are third-party news: they live in the shared folder beside the
#: checkout, not in the repository (tests that read them skip without it).
SEEDS = Path(os.environ.get("GEO_SHARED_DIR") or "/nonexistent") / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="GEO_SHARED_DIR/seeds absent")
STORY = ("Iraqi forces recaptured the town of Hit from Islamic State militants on Thursday, "
         "the army said. The fighting lasted for several days and the militants withdrew.\n")


@needs_seeds
def test_banner_date_above_headline_is_not_the_publication_date() -> None:
    art = read_article(SEEDS / "002_75a363b080b93bbf.txt").article
    assert art.published == date(2017, 6, 18)
    assert "Sunday, 27 May 2018" not in art.title


@needs_seeds
def test_embedded_tweet_date_and_markup() -> None:
    art = read_article(SEEDS / "000_428f0190a7a76065.txt").article
    assert art.published == date(2015, 5, 18)
    assert "t.co/" not in art.text and "ADVERTISEMENT" not in art.text
    assert "You might also like" not in art.text and "Palmyra" not in art.text


@needs_seeds
def test_undated_article_stays_undated() -> None:
    res = read_article(SEEDS / "003_b6b6e6a0417f24d9.txt")
    assert res.article.published is None
    assert any("no publication date" in w for w in res.warnings)


def test_explicit_date_and_sidecar_win(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Headline about Hit\n\n18 June 2017\n\n" + STORY, encoding="utf-8")
    assert read_article(f).article.published == date(2017, 6, 18)
    (tmp_path / "a.txt.meta.json").write_text(json.dumps({"published": "2016-04-14",
                                                          "title": "Hit retaken"}))
    res = read_article(f)
    assert res.article.published == date(2016, 4, 14) and res.article.title == "Hit retaken"
    assert read_article(f, published=date(2016, 4, 15)).article.published == date(2016, 4, 15)


def test_html_is_stripped_of_chrome_and_markup(tmp_path: Path) -> None:
    page = ("<html><head><title>Hit retaken | News</title>"
            "<meta property='article:published_time' content='2016-04-14T10:00:00Z'></head>"
            "<body><nav>Home News</nav><div class='share-buttons'>Share on Facebook</div>"
            "<article><p>" + STORY + "</p><script>alert('x')</script></article>"
            "<aside class='related'>Other story about Mosul</aside>"
            "<blockquote class='twitter-tweet'>tweet text</blockquote></body></html>")
    f = tmp_path / "p.html"
    f.write_text(page, encoding="utf-8")
    art = read_article(f).article
    assert art.published == date(2016, 4, 14) and art.title == "Hit retaken"
    assert "Hit from Islamic State" in art.text
    for chrome in ("alert", "Share on Facebook", "Mosul", "tweet text", "Home News"):
        assert chrome not in art.text


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("Die irakische Armee hat die Stadt zur\u00fcckerobert, sagte ein Sprecher der "
     "Regierung am Donnerstag in Bagdad.".encode(), "English"),
])
def test_bad_files_get_a_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        read_article(f)
    assert str(f) in str(info.value)


def test_enormous_file_is_refused_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    with pytest.raises(ArticleError, match="limit is 10.5 MB|limit"):
        read_article(f)


def test_truncated_and_windows_1252_files_are_read_with_a_warning(tmp_path: Path) -> None:
    cut = (STORY + "Caf\u00e9").encode("utf-8")[:-1]            # ends inside a character
    res = read_bytes(cut, source="cut.txt")
    assert any("truncated" in w for w in res.warnings)
    res = read_bytes((STORY + "caf\u00e9 \u2013 r\u00e9sum\u00e9").encode("cp1252"), source="w.txt")
    assert any("Windows-1252" in w for w in res.warnings)
    assert "caf\u00e9" in res.article.text


def test_same_text_same_article_id(tmp_path: Path) -> None:
    a = read_bytes(STORY.encode(), source="a").article
    b = read_bytes(("\n" + STORY.replace(" ", "  ") + "\n\n").encode(), source="b").article
    assert a.article_id == b.article_id


@pytest.mark.parametrize("dateline", [
    "JUNE 18, 2017 / 3:04 PM / UPDATED 2 HOURS AGO", "Published: 18 June 2017 14:02 BST",
    "June 18, 2017 3:04 PM ET", "2017-06-18T14:02:00Z", "Sun 18 Jun 2017 14.02 BST",
    "By Maher Chmaytelli | Updated June 18, 2017",
])
def test_common_dateline_formats(dateline: str) -> None:
    text = ("Iraqi forces advance in Mosul\n" + dateline + "\nBAGHDAD (Reuters) - " + STORY)
    assert read_bytes(text.encode(), source="wire.txt").article.published == date(2017, 6, 18)


@pytest.mark.parametrize("dateline", ["May 2017", "BAGHDAD, May 2017", "Sept. 2016"])
def test_a_month_only_dateline_dates_the_article_to_that_month(dateline: str) -> None:
    """Issue #10: "May 2017" does not leave the article undated; it appeared that month
    (at the latest on its last day), and the analyst is told the day is not known."""
    text = (f"Iraqi forces retake Hawija\n{dateline}\n\nIraqi forces retook the town of Hawija "
            "on Tuesday, and they said that it was the last one in the area.\n")
    result = read_bytes(text.encode())
    pub = result.article.published
    assert pub is not None and pub.day in (30, 31) and result.article.published_source == \
        "dateline-month"
    assert any("month only" in w for w in result.warnings)


def test_events_of_a_month_dated_article_are_dated_within_the_month() -> None:
    """A weekday or no date at all is only known to fall in the dateline's month; a full
    date the text gives keeps its day."""
    from geo.core.forces import default_forces
    from geo.extract.pipeline import extract_article
    from geo.geocode.gazetteer import default_gazetteer

    text = ("Iraqi forces retake Hawija\nBAGHDAD, May 2017\n\nIraqi forces retook Hawija on "
            "May 3, officials said. Militants shelled Kirkuk on Tuesday, residents said.\n")
    article = read_bytes(text.encode()).article
    events = extract_article(article, default_gazetteer(), default_forces()).events
    by_place = {e.location: e for e in events}
    assert by_place["Hawija"].date_min == by_place["Hawija"].date_max == date(2017, 5, 3)
    assert (by_place["Kirkuk"].date_min, by_place["Kirkuk"].date_max) == \
        (date(2017, 5, 1), date(2017, 5, 31))
