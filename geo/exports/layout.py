"""The page of a picture export: title block on top, map filling the middle, sources,
attribution and marking at the bottom; and the map extent fitted to that middle.

Why fit the extent rather than the box: the analyst asks for "what is on my screen" (or
the whole theatre) in a frame of their chosen size. Keeping the requested bounds and
letting Matplotlib shrink the axes to their aspect left half of a wide frame empty. Here
the map takes the whole middle of the page and the extent grows around the requested
bounds (same centre) until it fills it: the requested bounds are always inside what is
drawn, and one of the two sides matches exactly.

The footer's height depends on how many source lines are printed, which depends on the
events drawn, which depends on the extent. ``query_bounds`` breaks the loop: the store
is asked once for everything that any footer height could show, and the renderer picks
the extent and the sources together (``render.render_figure``).

Lon/lat (EPSG:4326) is drawn with the aspect of the centre latitude, as in
``cartography.aspect_for``: a kilometre is as long east-west as north-south there.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

from geo.core.errors import InputError
from geo.exports.cartography import aspect_for, metres_per_degree_lon

Bounds = tuple[float, float, float, float]

#: Fraction of the page height the inline source list may take before it becomes a
#: pointer to the PDF's source pages (the map keeps at least the rest).
MAX_SOURCES_FRACTION = 0.28
#: Horizontal page margin (fraction of the width).
MARGIN = 0.012


@dataclass(frozen=True)
class ImageSize:
    """Pixel size and resolution of a picture; the PDF uses the same page in inches."""

    width_px: int = 1600
    height_px: int = 1000
    dpi: int = 150

    def __post_init__(self) -> None:
        if not (300 <= self.width_px <= 12000 and 300 <= self.height_px <= 12000):
            raise InputError(f"image size {self.width_px}x{self.height_px} px is outside "
                             "300..12000 px", field="width")
        if not (50 <= self.dpi <= 600):
            raise InputError(f"dpi {self.dpi} is outside 50..600", field="dpi")

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_px / self.dpi, self.height_px / self.dpi


def fontsize(width_in: float) -> float:
    """Body text size (points) scaled to the page width, readable from 4 to 16 inches."""
    return float(min(11.0, max(6.0, width_in * 0.75)))


@dataclass(frozen=True)
class PageText:
    """The text of the title block and footer whose height does not depend on data."""

    marking: bool
    subtitle_lines: int = 1
    attribution_lines: int = 2
    title: bool = True          # False on slides: the title placeholder holds it


@dataclass(frozen=True)
class Page:
    """Positions on the page as figure fractions (0 at the bottom)."""

    size: ImageSize
    fs: float
    line: float                 # one body text line (fs * 1.45 pt) as a height fraction
    header_top: float           # first baseline area below the top marking
    map_rect: tuple[float, float, float, float]   # left, bottom, width, height
    sources_bottom: float       # where the source block starts (above attribution)
    source_lines: int           # source lines the footer holds

    @property
    def map_px(self) -> tuple[float, float]:
        """The map's width and height in pixels."""
        return (self.map_rect[2] * self.size.width_px, self.map_rect[3] * self.size.height_px)


def chars_per_line(width_in: float, points: float) -> int:
    """About how many characters of ``points`` text fit on ``width_in`` inches."""
    return max(int(width_in * (1 - 2 * MARGIN) * 72 / (points * 0.6)), 20)


def wrap(text: str, width_in: float, points: float) -> list[str]:
    """``text`` wrapped to the page width at ``points``."""
    return textwrap.wrap(text, chars_per_line(width_in, points)) or [""]


def max_source_lines(size: ImageSize) -> int:
    """How many source lines a page of ``size`` prints before pointing elsewhere."""
    fs = fontsize(size.inches[0])
    per_line = fs * 0.75 * 1.3 / 72 / size.inches[1]
    return max(int(MAX_SOURCES_FRACTION / per_line), 0)


def page(size: ImageSize, text: PageText, source_lines: int) -> Page:
    """Lay out a page with ``source_lines`` lines of sources in the footer."""
    width_in, height_in = size.inches
    fs = fontsize(width_in)
    line = fs * 1.45 / 72 / height_in
    top = 1 - 0.35 * line
    if text.marking:
        top -= 1.25 * line
    header_top = top
    if text.title:
        top -= 1.6 * line                               # title and date stamp
    top -= (0.95 * text.subtitle_lines + 0.35) * line   # window, filters, what is shown
    bottom = 0.35 * line
    if text.marking:
        bottom += 1.3 * line
    bottom += (text.attribution_lines * 0.7 * 1.25 + 0.3) * line
    sources_bottom = bottom
    if source_lines:
        bottom += (source_lines * 0.75 * 1.3 + 0.3) * line
    bottom += 0.9 * line                                 # degree labels under the map
    left = MARGIN + 0.022 * 8 / width_in                 # degree labels left of the map
    return Page(size, fs, line, header_top,
                (left, bottom, 1 - MARGIN - left, max(top - bottom, 0.05)),
                sources_bottom, source_lines)


def fit_extent(bounds: Bounds, width_px: float, height_px: float) -> Bounds:
    """The smallest extent with the centre of ``bounds`` that contains them and has the
    aspect of a ``width_px`` x ``height_px`` map at the centre latitude."""
    w, s, e, n = bounds
    aspect = aspect_for(bounds)          # display height of a degree of lat / of lon
    deg_w, deg_h = e - w, n - s
    px_per_lon = min(width_px / deg_w, height_px / (deg_h * aspect))
    half_w = width_px / px_per_lon / 2
    half_h = height_px / (px_per_lon * aspect) / 2
    cx, cy = (w + e) / 2, (s + n) / 2
    return (cx - half_w, max(cy - half_h, -89.9), cx + half_w, min(cy + half_h, 89.9))


def union(a: Bounds, b: Bounds) -> Bounds:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def query_bounds(bounds: Bounds, size: ImageSize, text: PageText) -> Bounds:
    """Everything any footer height could show around ``bounds``, with or without the
    title line: the union of the extents fitted at the two ends (the fitted width only
    grows and the height only shrinks as the map gets shorter, so the ends cover the
    rest)."""
    tallest = page(size, replace(text, title=False), 0)
    shortest = page(size, replace(text, title=True), max_source_lines(size) + 1)
    return union(fit_extent(bounds, *tallest.map_px), fit_extent(bounds, *shortest.map_px))


def expand(bounds: Bounds, fraction: float) -> Bounds:
    """``bounds`` grown by ``fraction`` of its size on every side."""
    w, s, e, n = bounds
    dx, dy = (e - w) * fraction, (n - s) * fraction
    return (w - dx, max(s - dy, -90.0), e + dx, min(n + dy, 90.0))


def km_across(bounds: Bounds) -> float:
    """Width of ``bounds`` along its centre parallel, km (for level-of-detail choices)."""
    mid = (bounds[1] + bounds[3]) / 2
    return (bounds[2] - bounds[0]) * metres_per_degree_lon(mid) / 1000.0
