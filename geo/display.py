"""Making data safe to show in a markdown element of the dashboard.

Why here and not in a page: every page shows names that come from data (file names,
place names found in article text, values typed into a form or a link) inside
``st.error``/``st.warning``/``st.success``, which render markdown. Escaped this way, such
a name cannot become a link, an image fetched from the network (the tool is offline),
an icon shortcode or LaTeX; it is shown exactly as written.
"""
from __future__ import annotations

import re
from typing import Any

from geo.core.mentions import segments

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(text: object) -> str:
    """``text`` with every ASCII punctuation mark backslash-escaped (CommonMark shows an
    escaped mark as itself), so markdown shows it literally."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))


#: Markdown around each highlighted kind on the Events page (the popup uses CSS classes):
#: place bold, date italic, actor bold italic. ``*`` rather than ``_`` because CommonMark
#: does not open ``_`` emphasis inside a word ("al-**Raqqa**'s" must still highlight).
MARKDOWN_MARKS: dict[str, str] = {"place": "**", "date": "*", "actor": "***"}

#: One line explaining the marks, for under the sentence.
HIGHLIGHT_LEGEND = "**place** · *date* · ***actor***"

_SPACE_RUN = re.compile(r"\s+")


def highlighted_markdown(sentence: str, mentions: Any) -> str:
    """``sentence`` as markdown with its place, date and actor mentions emphasised
    (``MARKDOWN_MARKS``) and every character of article text escaped.

    Why each segment is escaped on its own: the marks are the only markup in the result,
    so a sentence with ``*``, ``[x](y)``, ``<script>`` or ``$x$`` in it is shown as
    written, never as a link, HTML, emphasis or LaTeX. Whitespace runs (line breaks from
    the article's layout) become one space, so no line of the sentence can start a
    heading, list or code block; a mention's own leading/trailing spaces are moved
    outside its marks, since ``** x**`` is not emphasis. Bad mentions (unknown kind,
    out of range, overlapping) are ignored (``geo.core.mentions.clean_mentions``)."""
    parts: list[str] = []
    for text, kind in segments(sentence, mentions):
        flat = _SPACE_RUN.sub(" ", text)
        mark = MARKDOWN_MARKS.get(kind, "")
        core = flat.strip()
        if not mark or not core:
            parts.append(markdown_literal(flat))
            continue
        lead = " " if flat[:1] == " " else ""
        trail = " " if flat[-1:] == " " else ""
        parts.append(f"{lead}{mark}{markdown_literal(core)}{mark}{trail}")
    return "".join(parts).strip()
