"""One palette for every frame of a GIF, holding the force colours exactly.

Why: GIF stores at most 256 colours per frame. Pillow's per-frame quantisation picks a
different palette for each frame from what happens to be drawn, so the Popular
Mobilization Forces' green turned grey and Peshmerga, SDF and the US-led coalition
became one brown that changed from frame to frame. A briefing timelapse is read by its
colours: every force colour (``data/forces.csv``), the basemap's colours and each
force's area tint over the land must be in the palette exactly, and the same palette
must serve every frame.

The palette is built once per series: the fixed colours first, the rest of the 256
slots from a median cut of sample frames (antialiased edges, text). Frames are then
mapped to it by exact nearest colour (numpy, no dithering: dithering would scatter
other colours through the legend swatches).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib import colors as mcolors
from PIL import Image

from geo.core.forces import default_forces

PALETTE_SIZE = 256


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """'#1f77b4' -> (31, 119, 180)."""
    r, g, b = (round(c * 255) for c in mcolors.to_rgb(colour))
    return (r, g, b)


def blend(colour: str, background: str, alpha: float) -> tuple[int, int, int]:
    """``colour`` at ``alpha`` over ``background``, as Agg draws a translucent fill."""
    fg, bg = np.array(hex_rgb(colour)), np.array(hex_rgb(background))
    return tuple(int(v) for v in np.round(alpha * fg + (1 - alpha) * bg))  # type: ignore[return-value]


def force_colours() -> list[tuple[int, int, int]]:
    """Every force colour of the force table, in table order, without repeats."""
    out: list[tuple[int, int, int]] = []
    for force in default_forces():
        rgb = hex_rgb(default_forces().colour(force.force_id))
        if rgb not in out:
            out.append(rgb)
    return out


def fixed_colours(extra: Iterable[str] = (), tints: Sequence[tuple[str, float]] = ()
                  ) -> list[tuple[int, int, int]]:
    """Colours the palette must hold exactly: the forces, ``extra`` (basemap, text,
    marking) and every force colour over each ``tints`` background at its alpha."""
    out = force_colours()
    for colour in extra:
        rgb = hex_rgb(colour)
        if rgb not in out:
            out.append(rgb)
    forces = list(force_colours())
    for background, alpha in tints:
        for rgb in forces:
            tinted = blend("#%02x%02x%02x" % rgb, background, alpha)
            if tinted not in out:
                out.append(tinted)
    return out[:PALETTE_SIZE]


def build_palette(samples: Sequence[np.ndarray], fixed: Sequence[tuple[int, int, int]]
                  ) -> np.ndarray:
    """A (256, 3) uint8 palette: ``fixed`` first, then a median cut of the sample
    frames' other colours."""
    room = PALETTE_SIZE - len(fixed)
    rest: list[tuple[int, int, int]] = []
    if room > 0 and samples:
        stacked = np.concatenate([s.reshape(-1, 3) for s in samples])
        known = {tuple(c) for c in fixed}
        packed = (stacked[:, 0].astype(np.uint32) << 16) | (stacked[:, 1].astype(np.uint32) << 8) \
            | stacked[:, 2]
        fixed_packed = np.array([(r << 16) | (g << 8) | b for r, g, b in known], dtype=np.uint32)
        others = stacked[~np.isin(packed, fixed_packed)]
        if len(others):
            side = int(np.ceil(np.sqrt(len(others))))
            canvas = np.zeros((side * side, 3), dtype=np.uint8)
            canvas[:len(others)] = others
            canvas[len(others):] = others[-1]
            image = Image.fromarray(canvas.reshape(side, side, 3), "RGB")
            quantised = image.quantize(colors=room, method=Image.Quantize.MEDIANCUT,
                                       dither=Image.Dither.NONE)
            flat = quantised.getpalette() or []
            used = sorted(set(np.asarray(quantised).ravel().tolist()))
            rest = [tuple(flat[3 * i:3 * i + 3]) for i in used]  # type: ignore[misc]
    colours = list(dict.fromkeys([*fixed, *rest]))[:PALETTE_SIZE]
    # Fill with distinct unused colours: a GIF writer matches entries by colour, so a
    # repeated entry would be ambiguous.
    taken = set(colours)
    filler = ((v, v, (v + 1) % 256) for v in range(256))
    while len(colours) < PALETTE_SIZE:
        candidate = next(filler)
        if candidate not in taken:
            colours.append(candidate)
            taken.add(candidate)
    return np.array(colours, dtype=np.uint8)


class PaletteMap:
    """Maps (H, W, 3) uint8 frames to "P" images on one ``palette``: each pixel takes the
    nearest palette colour (exact colours map to themselves).

    Why a class: the frames of a timelapse share most of their colours, so the nearest
    entry of each 24-bit colour is worked out once and remembered in a lookup table
    (2^24 entries, 32 MB) instead of sorting every frame's pixels to find its colours."""

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette
        self._flat = palette.ravel().tolist()
        self._pal = palette.astype(np.int32)
        self._index = np.full(1 << 24, -1, dtype=np.int16)

    def _learn(self, colours: np.ndarray) -> None:
        """Find the nearest palette entry of each packed colour (first entry on a tie)."""
        rgb = np.stack([(colours >> 16) & 255, (colours >> 8) & 255, colours & 255],
                       axis=1).astype(np.int32)
        for start in range(0, len(rgb), 4096):
            chunk = rgb[start:start + 4096]
            d = ((chunk[:, None, :] - self._pal[None, :, :]) ** 2).sum(axis=2)
            self._index[colours[start:start + 4096]] = d.argmin(axis=1)

    def image(self, frame: np.ndarray) -> Image.Image:
        h, w, _ = frame.shape
        flat = frame.reshape(-1, 3)
        packed = (flat[:, 0].astype(np.uint32) << 16) | (flat[:, 1].astype(np.uint32) << 8) \
            | flat[:, 2]
        index = self._index[packed]
        unknown = index < 0
        if unknown.any():
            self._learn(np.unique(packed[unknown]))
            index = self._index[packed]
        image = Image.fromarray(index.astype(np.uint8).reshape(h, w), "P")
        image.putpalette(self._flat)
        return image
