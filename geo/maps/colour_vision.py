"""How far apart two colours look, with normal colour vision and with each of the three
colour-vision deficiencies: the check behind the force palette.

Why here: "four forces share one green" and "Peshmerga and SDF yellows are nearly equal"
were found by eye; a palette edited in ``data/forces.csv`` must be checked the same way
every time. Method: each colour is passed through the simulation matrices of Machado,
Oliveira and Fernandes (2009, severity 1.0: protanopia, deuteranopia, tritanopia) in
linear sRGB, converted to CIELAB (D65) and compared with CIEDE2000. A difference of about
10 is "clearly different at a glance"; 2-3 is "just noticeable".
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Simulation matrices in linear RGB (Machado et al. 2009, severity 1.0).
VISION: dict[str, np.ndarray] = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
_XYZ = np.array([[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192],
                 [0.1805, 0.0722, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(colour: str) -> np.ndarray:
    """``#RRGGBB`` as sRGB in 0..1."""
    text = colour.strip().lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {colour!r} is not #RRGGBB")
    return np.array([int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _gamma(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, vision: str) -> np.ndarray:
    """sRGB colours (n x 3) as seen with ``vision`` (a key of ``VISION``)."""
    return _gamma(_linear(rgb) @ VISION[vision].T)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (n x 3, 0..1) to CIELAB under D65."""
    xyz = (_linear(rgb) @ _XYZ) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def ciede2000(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference of CIELAB arrays (broadcasting)."""
    l1, a1, b1 = a[..., 0], a[..., 1], a[..., 2]
    l2, a2, b2 = b[..., 0], b[..., 1], b[..., 2]
    cbar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1 = np.degrees(np.arctan2(b1, a1p)) % 360
    h2 = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2 - h1
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0, dh)
    dhh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    hsum = h1 + h2
    hbar = np.where(c1p * c2p == 0, hsum,
                    np.where(np.abs(h1 - h2) <= 180, hsum / 2,
                             np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(hbar - 30)) + 0.24 * np.cos(np.radians(2 * hbar))
         + 0.32 * np.cos(np.radians(3 * hbar + 6)) - 0.20 * np.cos(np.radians(4 * hbar - 63)))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / np.sqrt(20 + (lbar - 50) ** 2)
    sc = 1 + 0.045 * cbarp
    sh = 1 + 0.015 * cbarp * t
    dtheta = 30 * np.exp(-(((hbar - 275) / 25) ** 2))
    rt = -np.sin(np.radians(2 * dtheta)) * 2 * np.sqrt(cbarp ** 7 / (cbarp ** 7 + 25 ** 7))
    out: np.ndarray = np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2
                              + rt * (dc / sc) * (dhh / sh))
    return out


def closest_pairs(colours: dict[str, str], min_difference: float
                  ) -> list[tuple[str, str, str, float]]:
    """``(name a, name b, vision, difference)`` of every pair of named colours that is
    closer than ``min_difference`` (CIEDE2000) under some vision, closest first."""
    names = list(colours)
    rgb = np.array([hex_to_rgb(colours[n]) for n in names])
    found: list[tuple[str, str, str, float]] = []
    for vision in VISION:
        lab = to_lab(simulate(rgb, vision))
        diff = ciede2000(lab[:, None, :], lab[None, :, :])
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                if diff[i, j] < min_difference:
                    found.append((names[i], names[j], vision, float(diff[i, j])))
    return sorted(found, key=lambda row: row[3])


def min_difference(colours: Sequence[str]) -> float:
    """The smallest CIEDE2000 difference between any two ``colours`` under any vision."""
    rgb = np.array([hex_to_rgb(c) for c in colours])
    best = float("inf")
    for vision in VISION:
        lab = to_lab(simulate(rgb, vision))
        diff = ciede2000(lab[:, None, :], lab[None, :, :])
        np.fill_diagonal(diff, np.inf)
        best = min(best, float(diff.min()))
    return best
