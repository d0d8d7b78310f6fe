"""Label placement for briefing maps: by priority, without overlaps, with leaders.

Why hand-written: a briefing map is judged by whether the names that matter can be read.
The north of Iraq puts Mosul, Mosul Dam, Tal Afar, Bartella, Qaraqosh and Bashiqa within
a few pixels of each other at theatre scale; printing every name beside its point makes
them unreadable. The rule is the cartographer's (Imhof; Christensen, Marks & Shieber's
greedy point-feature placement):

1. labels are taken in priority order (capitals, towns with events, control places,
   other towns); a label that cannot be placed is left out, never printed on another;
2. each label first tries the eight positions beside its point, upper right first,
   avoiding other labels, leader lines, other places' symbols and the map furniture
   (legend, scale bar, north arrow); among the free positions the one covering the
   fewest event symbols wins;
3. if none is free, it is pushed further out in rings of increasing distance and joined
   to its point by a leader line that crosses no placed label.

Everything here is in display pixels (x to the right, y up, as Matplotlib's display
coordinates), so the module knows nothing of Matplotlib or map projections and can be
tested with hand-built boxes. Callers measure text and convert coordinates.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: A box in display pixels: x0, y0, x1, y1 with x0 < x1 and y0 < y1.
Box = tuple[float, float, float, float]

#: Beside positions as unit directions (dx, dy) of the box relative to its point, in
#: order of preference: upper right first (Imhof), then the other diagonals and sides.
BESIDE: tuple[tuple[float, float], ...] = (
    (1, 1), (1, 0), (1, -1), (-1, 1), (-1, 0), (-1, -1), (0, 1), (0, -1))
#: Directions tried for labels on a leader (every 22.5 degrees, upper right first).
LEADER_DIRECTIONS: tuple[float, ...] = tuple(
    math.radians(a) for a in (45, 22.5, 67.5, 0, 90, 135, 112.5, 157.5, 180, -45, -22.5,
                              -67.5, -90, -135, -112.5, -157.5))
#: Leader lengths tried, in text heights beyond the beside clearance.
LEADER_STEPS: tuple[float, ...] = (1.5, 2.5, 3.5, 5.0, 6.5)
#: Cost of covering one event symbol, in "positions down the preference list".
EVENT_COVER_COST = 1.5


@dataclass(frozen=True)
class LabelRequest:
    """One name to place: its point (pixels), the size of its text box (pixels, halo
    included), its priority (lower is placed first) and the radius of its symbol."""

    key: str
    text: str
    x: float
    y: float
    width: float
    height: float
    priority: float
    radius: float = 3.0


@dataclass(frozen=True)
class Placement:
    """Where a label went: its box and, for a displaced label, the leader's two ends."""

    request: LabelRequest
    box: Box
    leader: tuple[tuple[float, float], tuple[float, float]] | None = None

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


@dataclass
class PlacementResult:
    """Placed labels in placement order, and the keys of labels left out for lack of room."""

    placed: list[Placement] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


class PointDensity:
    """Counts of points (event symbols) in any box in O(1): a summed-area table over a
    grid of ``cell`` pixels. Soft obstacles: a label may cover events, but fewer is better."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, frame: Box, cell: float = 4.0) -> None:
        self.frame, self.cell = frame, cell
        nx = max(int(math.ceil((frame[2] - frame[0]) / cell)), 1)
        ny = max(int(math.ceil((frame[3] - frame[1]) / cell)), 1)
        grid = np.zeros((ny + 1, nx + 1), dtype=np.int64)
        if len(xs):
            ix = np.clip(((np.asarray(xs) - frame[0]) / cell).astype(int), 0, nx - 1)
            iy = np.clip(((np.asarray(ys) - frame[1]) / cell).astype(int), 0, ny - 1)
            np.add.at(grid, (iy + 1, ix + 1), 1)
        self.table = grid.cumsum(axis=0).cumsum(axis=1)
        self.nx, self.ny = nx, ny

    def count(self, box: Box) -> int:
        """Points whose grid cell touches ``box``."""
        x0 = int(np.clip((box[0] - self.frame[0]) / self.cell, 0, self.nx))
        x1 = int(np.clip(math.ceil((box[2] - self.frame[0]) / self.cell), 0, self.nx))
        y0 = int(np.clip((box[1] - self.frame[1]) / self.cell, 0, self.ny))
        y1 = int(np.clip(math.ceil((box[3] - self.frame[1]) / self.cell), 0, self.ny))
        t = self.table
        return int(t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0])

    def counts(self, boxes: np.ndarray) -> np.ndarray:
        """``count`` of each row of ``boxes`` (N, 4), at once."""
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        fx, fy, cell = self.frame[0], self.frame[1], self.cell
        x0 = np.clip((boxes[:, 0] - fx) / cell, 0, self.nx).astype(int)
        x1 = np.clip(np.ceil((boxes[:, 2] - fx) / cell), 0, self.nx).astype(int)
        y0 = np.clip((boxes[:, 1] - fy) / cell, 0, self.ny).astype(int)
        y1 = np.clip(np.ceil((boxes[:, 3] - fy) / cell), 0, self.ny).astype(int)
        t = self.table
        result: np.ndarray = t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0]
        return result


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """Whether two boxes overlap (touching edges do not count; ``pad`` widens ``a``)."""
    return (a[0] - pad < b[2] and b[0] < a[2] + pad and a[1] - pad < b[3]
            and b[1] < a[3] + pad)


def _beside(req: LabelRequest, gap: float) -> np.ndarray:
    """The eight boxes touching the symbol's clearance circle, in preference order, as a
    (8, 4) array."""
    r = req.radius + gap
    cx = req.x + _BESIDE_DX * (r * _BESIDE_DIAG + req.width / 2)
    cy = req.y + _BESIDE_DY * (r * _BESIDE_DIAG + req.height / 2)
    return np.column_stack([cx - req.width / 2, cy - req.height / 2,
                            cx + req.width / 2, cy + req.height / 2])


_BESIDE_DX = np.array([dx for dx, _ in BESIDE], dtype=float)
_BESIDE_DY = np.array([dy for _, dy in BESIDE], dtype=float)
_BESIDE_DIAG = np.array([0.7071 if dx and dy else 1.0 for dx, dy in BESIDE])
#: Every leader candidate's ray (unit vector) and ring, nearest ring first, directions in
#: preference order within a ring (``math`` cos/sin, computed once).
_RAY_UX = np.array([math.cos(a) for _ in LEADER_STEPS for a in LEADER_DIRECTIONS])
_RAY_UY = np.array([math.sin(a) for _ in LEADER_STEPS for a in LEADER_DIRECTIONS])
_RAY_STEP = np.array([step for step in LEADER_STEPS for _ in LEADER_DIRECTIONS])


def _leader_candidates(req: LabelRequest, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Boxes further out on rays from the point (C, 4), each with its leader (C, 4: symbol
    edge x, y, then the nearest point of the box x, y), nearest ring first."""
    distance = req.radius + gap + _RAY_STEP * req.height
    # Put the box's nearest corner/edge at ``distance`` along the ray.
    cx = req.x + _RAY_UX * (distance + np.abs(_RAY_UX) * req.width / 2)
    cy = req.y + _RAY_UY * (distance + np.abs(_RAY_UY) * req.height / 2)
    boxes = np.column_stack([cx - req.width / 2, cy - req.height / 2,
                             cx + req.width / 2, cy + req.height / 2])
    ex = np.minimum(np.maximum(req.x, boxes[:, 0]), boxes[:, 2])
    ey = np.minimum(np.maximum(req.y, boxes[:, 1]), boxes[:, 3])
    length = np.hypot(ex - req.x, ey - req.y)
    length[length == 0] = 1.0
    sx = req.x + (ex - req.x) * req.radius / length
    sy = req.y + (ey - req.y) * req.radius / length
    return boxes, np.column_stack([sx, sy, ex, ey])


def segments_hit_boxes(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(M, K) bool: whether segment m (x0, y0, x1, y1) passes through the inside of box k.

    Liang-Barsky clipping of the pairs whose bounding boxes meet (the placement asks this
    of every leader against every candidate box and symbol, ~100,000 pairs per map, of
    which a few hundred are near each other)."""
    segments = np.asarray(segments, dtype=float).reshape(-1, 4)
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    sx0, sx1 = np.minimum(segments[:, 0], segments[:, 2]), np.maximum(segments[:, 0],
                                                                        segments[:, 2])
    sy0, sy1 = np.minimum(segments[:, 1], segments[:, 3]), np.maximum(segments[:, 1],
                                                                        segments[:, 3])
    near = ((sx0[:, None] <= boxes[:, 2]) & (boxes[:, 0] <= sx1[:, None])
            & (sy0[:, None] <= boxes[:, 3]) & (boxes[:, 1] <= sy1[:, None]))
    result = np.zeros(near.shape, dtype=bool)
    m, k = np.nonzero(near)
    if not len(m):
        return result
    seg, box = segments[m], boxes[k]
    px, py = seg[:, 0], seg[:, 1]
    dx, dy = seg[:, 2] - px, seg[:, 3] - py
    t0, t1 = np.zeros(len(m)), np.ones(len(m))
    hit = np.ones(len(m), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for edge_p, edge_q in ((-dx, px - box[:, 0]), (dx, box[:, 2] - px),
                               (-dy, py - box[:, 1]), (dy, box[:, 3] - py)):
            hit &= ~((edge_p == 0) & (edge_q <= 0))     # parallel to the edge, outside it
            t = edge_q / edge_p
            t0 = np.where(edge_p < 0, np.maximum(t0, t), t0)
            t1 = np.where(edge_p > 0, np.minimum(t1, t), t1)
    result[m, k] = hit & (t0 < t1)
    return result


def segments_cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(M, K) bool: whether segment a[m] properly crosses segment b[k] (rows x0, y0, x1, y1;
    touching or collinear segments do not cross)."""
    a = np.asarray(a, dtype=float).reshape(-1, 4)
    b = np.asarray(b, dtype=float).reshape(-1, 4)

    def orient(p: tuple[np.ndarray, np.ndarray], q: tuple[np.ndarray, np.ndarray],
               r: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        value: np.ndarray = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return value

    p1, p2 = (a[:, 0:1], a[:, 1:2]), (a[:, 2:3], a[:, 3:4])
    p3, p4 = (b[:, 0], b[:, 1]), (b[:, 2], b[:, 3])
    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    result: np.ndarray = (d1 * d2 < 0) & (d3 * d4 < 0)
    return result


def boxes_overlap(a: np.ndarray, b: np.ndarray, pad: float = 0.0) -> np.ndarray:
    """(M, K) bool: ``overlaps(a[m], b[k], pad)`` for every pair."""
    a = np.asarray(a, dtype=float).reshape(-1, 4)
    b = np.asarray(b, dtype=float).reshape(-1, 4)
    result: np.ndarray = ((a[:, 0:1] - pad < b[:, 2]) & (b[:, 0] < a[:, 2:3] + pad)
                          & (a[:, 1:2] - pad < b[:, 3]) & (b[:, 1] < a[:, 3:4] + pad))
    return result


def place_labels(requests: Iterable[LabelRequest], frame: Box, *,
                 obstacles: Sequence[Box] = (),
                 symbols: Sequence[tuple[float, float, float]] = (),
                 events: PointDensity | None = None, gap: float = 1.5,
                 pad: float = 1.0) -> PlacementResult:
    """Place ``requests`` inside ``frame`` (the map's pixel box), highest priority first.

    ``obstacles``: boxes no label may touch (legend, scale bar, north arrow, banners).
    ``symbols``: (x, y, radius) of place symbols; a label may not cover another place's
    symbol (the requests' own points count as symbols). ``events``: soft obstacles,
    counted. ``pad``: pixels kept between labels.
    A request whose point lies outside ``frame`` or under an obstacle is dropped.

    Every candidate box of a request is tested at once (arrays of candidates against
    arrays of placed labels, leaders, symbols and obstacles): the rules read as for one
    box, the cost is a few array operations per label instead of one call per pair."""
    result = PlacementResult()
    placed = np.zeros((0, 4), dtype=float)      # placed boxes, in placement order
    leaders = np.zeros((0, 4), dtype=float)     # placed leaders: x0, y0, x1, y1
    order = sorted(requests, key=lambda r: (r.priority, r.key))
    # Every labelled point is a symbol too: no label may cover another one's point.
    points = {(round(x, 1), round(y, 1)): (x, y, r) for x, y, r in symbols}
    for req in order:
        points.setdefault((round(req.x, 1), round(req.y, 1)), (req.x, req.y, req.radius))
    symbol_arr = np.array([(x - r, y - r, x + r, y + r) for x, y, r in points.values()],
                          dtype=float).reshape(-1, 4)
    hard = np.array(list(obstacles), dtype=float).reshape(-1, 4)

    def free(boxes: np.ndarray, req: LabelRequest, near: _Near) -> np.ndarray:
        """Which of ``boxes`` (C, 4) may hold ``req``'s label: inside the frame, clear of
        obstacles, placed labels (by ``pad``), other places' symbols and leaders."""
        ok: np.ndarray = ((boxes[:, 0] >= frame[0] + 1) & (boxes[:, 1] >= frame[1] + 1)
                          & (boxes[:, 2] <= frame[2] - 1) & (boxes[:, 3] <= frame[3] - 1))
        if len(near.hard):
            ok &= ~boxes_overlap(boxes, near.hard).any(axis=1)
        if len(near.placed):
            ok &= ~boxes_overlap(boxes, near.placed, pad).any(axis=1)
        if len(near.symbols):
            # Only its own symbol may touch (it cannot: candidates keep clear of it).
            sym = near.symbols
            own = (np.abs(sym[:, 0] + sym[:, 2] - 2 * req.x) < 0.5) & \
                  (np.abs(sym[:, 1] + sym[:, 3] - 2 * req.y) < 0.5)
            ok &= ~boxes_overlap(boxes, sym[~own]).any(axis=1)
        if len(near.leaders):
            ok &= ~segments_hit_boxes(near.leaders, boxes).any(axis=0)
        return ok

    def leader_clear(segments: np.ndarray, req: LabelRequest, near: _Near) -> np.ndarray:
        """Which leaders (C, 4) cross no placed label, no placed leader and no other
        place's symbol (its own is where it starts)."""
        ok = np.ones(len(segments), dtype=bool)
        if len(near.placed):
            ok &= ~segments_hit_boxes(segments, near.placed).any(axis=1)
        if len(near.leaders):
            ok &= ~segments_cross(segments, near.leaders).any(axis=1)
        if len(near.symbols):
            sym = near.symbols
            cx, cy = (sym[:, 0] + sym[:, 2]) / 2, (sym[:, 1] + sym[:, 3]) / 2
            others = ~((np.abs(cx - req.x) < 0.5) & (np.abs(cy - req.y) < 0.5))
            ok &= ~segments_hit_boxes(segments, sym[others]).any(axis=1)
        return ok

    for req in order:
        if not (frame[0] <= req.x <= frame[2] and frame[1] <= req.y <= frame[3]) or (
                len(hard) and bool(((hard[:, 0] <= req.x) & (req.x <= hard[:, 2])
                                    & (hard[:, 1] <= req.y) & (req.y <= hard[:, 3])).any())):
            result.dropped.append(req.key)      # outside the map, or under the legend
            continue
        best: Placement | None = None
        beside = _beside(req, gap)
        boxes, segments = _leader_candidates(req, gap)
        # Only what lies within reach of the furthest candidate can block this label.
        reach = (min(float(boxes[:, 0].min()), req.x) - pad - 1,
                 min(float(boxes[:, 1].min()), req.y) - pad - 1,
                 max(float(boxes[:, 2].max()), req.x) + pad + 1,
                 max(float(boxes[:, 3].max()), req.y) + pad + 1)
        near = _Near(_within(hard, reach), _within(placed, reach),
                     _within(symbol_arr, reach), _within(leaders, reach, segments=True))
        ok = free(beside, req, near)
        if ok.any():
            cost = np.arange(len(beside), dtype=float)
            if events:
                cost = cost + EVENT_COVER_COST * events.counts(beside)
            cost[~ok] = np.inf
            rank = int(np.argmin(cost))     # the first of equal costs, as preferred
            best = Placement(req, _box(beside[rank]))
        else:
            ok = free(boxes, req, near)
            if ok.any():
                at = np.flatnonzero(ok)
                ok[at] = leader_clear(segments[at], req, near)
            if ok.any():
                i = int(np.argmax(ok))      # the first in order: nearest ring, best ray
                s = segments[i]
                best = Placement(req, _box(boxes[i]),
                                 ((float(s[0]), float(s[1])), (float(s[2]), float(s[3]))))
        if best is None:
            result.dropped.append(req.key)
            continue
        result.placed.append(best)
        placed = np.vstack([placed, np.asarray(best.box, dtype=float)])
        if best.leader is not None:
            leaders = np.vstack([leaders, np.asarray(best.leader, dtype=float).reshape(1, 4)])
    return result


@dataclass(frozen=True)
class _Near:
    """What lies within reach of one request's candidates (rows of x0, y0, x1, y1)."""

    hard: np.ndarray
    placed: np.ndarray
    symbols: np.ndarray
    leaders: np.ndarray


def _within(rows: np.ndarray, reach: Box, *, segments: bool = False) -> np.ndarray:
    """The rows (boxes, or segments when ``segments``) whose bounding box meets ``reach``."""
    if not len(rows):
        return rows
    x0, y0, x1, y1 = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    if segments:
        x0, x1 = np.minimum(x0, x1), np.maximum(x0, x1)
        y0, y1 = np.minimum(y0, y1), np.maximum(y0, y1)
    keep = (x0 <= reach[2]) & (reach[0] <= x1) & (y0 <= reach[3]) & (reach[1] <= y1)
    result: np.ndarray = rows[keep]
    return result


def _box(row: np.ndarray) -> Box:
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))
