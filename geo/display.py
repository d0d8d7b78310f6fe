"""Making data safe to show in a markdown element of the dashboard.

Why here and not in a page: every page shows names that come from data (file names,
place names found in article text, values typed into a form or a link) inside
``st.error``/``st.warning``/``st.success``, which render markdown. Escaped this way, such
a name cannot become a link, an image fetched from the network (the tool is offline),
an icon shortcode or LaTeX; it is shown exactly as written.
"""
from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(text: object) -> str:
    """``text`` with every ASCII punctuation mark backslash-escaped (CommonMark shows an
    escaped mark as itself), so markdown shows it literally."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))
