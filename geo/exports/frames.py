"""Frames of a dated series, drawn in worker processes when there are enough of them.

Why: a frame costs about 0.6 s of drawing (text with halos is most of it) and the frames
of a series do not depend on each other; with two cores, two workers halve a 24-frame
timelapse. The parent keeps the store (one connection) and the encoder: it gathers each
frame's data (``collect``), hands it to a worker, and receives the finished picture, in
order. At most ``2 x workers`` frames are in flight, so a 500-frame series never holds
more than a handful of pictures in memory.

Workers are started with "spawn" (a fresh interpreter): forking a process that runs
threads (the Streamlit server) can deadlock. A short series is drawn in-process: the
workers' start-up (~2 s of imports) would cost more than it saves.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from geo.exports.data import SnapshotData
from geo.exports.layout import ImageSize
from geo.store.frame import gc_paused

Kind = Literal["rgb", "png", "slide"]
#: At most this many worker processes (the machines this runs on have two cores).
MAX_WORKERS = 2
#: Fewer frames than this are drawn in-process.
MIN_PARALLEL_FRAMES = 6


@dataclass(frozen=True)
class Frame:
    """One drawn frame: an RGB array ("rgb") or PNG bytes ("png", "slide"), with what it
    shows in words and its numbered sources (for the slide notes)."""

    picture: np.ndarray | bytes
    described: str
    source_lines: tuple[str, ...]


@gc_paused()
def draw_frame(data: SnapshotData, size: ImageSize, kind: Kind) -> Frame:
    """Draw one frame of a series (in a worker or in-process). Frames are steady: the
    layout does not move from frame to frame. Slides leave the title to the slide."""
    from geo.exports.render import render
    from geo.exports.snapshot import figure_png

    rendered = render(data, size, sources="separate", steady=True,
                      title_block=kind != "slide")
    picture: np.ndarray | bytes = rendered.rgb() if kind == "rgb" else figure_png(rendered)
    rendered.figure.clf()
    return Frame(picture, rendered.described, tuple(rendered.sources.lines()))


def workers_for(n_frames: int) -> int:
    """How many worker processes a series of ``n_frames`` uses (1: in-process)."""
    if n_frames < MIN_PARALLEL_FRAMES:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def draw_frames(frames: Iterator[SnapshotData], size: ImageSize, kind: Kind,
                workers: int = 1) -> Iterator[Frame]:
    """The frames drawn in order, by ``workers`` processes (in-process for 1)."""
    if workers <= 1:
        for data in frames:
            yield draw_frame(data, size, kind)
        return
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"))
    pending: deque[Future[Frame]] = deque()
    try:
        for data in frames:
            # The control evidence (~5,000 events, 2 MB pickled) is not drawn: sending it
            # cost more than the frame's own data, 24 times over.
            pending.append(pool.submit(draw_frame, replace(data, captures=None), size, kind))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
