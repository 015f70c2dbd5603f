"""Routes of link lines: straight where nothing is in the way, else around what is.

A link line joins the window to its kernel and the kernel to the output cell; it must
never cross a grid it does not belong to (an idle kernel, another output channel),
or the reader takes the grid for part of the step. :func:`first_clear` picks the
first of a link's candidate routes that crosses none of the ``obstacles``; a layout's
corridors (the gaps between kernel rows and beside the columns) give the candidates.
Pure geometry: points are (x, y) px, boxes (left, top, right, bottom), right and
bottom exclusive.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .parts import Box

Point = tuple[int, int]
Route = list[Point]


def crosses(start: Point, end: Point, box: Box) -> bool:
    """Whether the segment from ``start`` to ``end`` passes through ``box`` (its pixels)."""
    left, top, right, bottom = box[0], box[1], box[2] - 1, box[3] - 1
    if right < left or bottom < top:
        return False
    (x0, y0), (x1, y1) = start, end
    low, high = 0.0, 1.0
    for delta, near, far in ((x1 - x0, left - x0, right - x0), (y1 - y0, top - y0, bottom - y0)):
        if delta == 0:
            if near > 0 or far < 0:
                return False
            continue
        a, b = near / delta, far / delta
        low, high = max(low, min(a, b)), min(high, max(a, b))
        if low > high:
            return False
    return True


def clear(route: Route, obstacles: Sequence[Box]) -> bool:
    """Whether no segment of ``route`` crosses any of ``obstacles``."""
    return not any(crosses(a, b, box) for a, b in itertools.pairwise(route)
                   for box in obstacles)


def first_clear(candidates: Sequence[Route], obstacles: Sequence[Box], room: int = 3
                ) -> Route:
    """The first candidate route that keeps ``room`` px from every obstacle (a line that
    grazes a grid looks joined to it); the last one when none does (the layout had no
    room: it is the one that goes the furthest round)."""
    wide = [(left - room, top - room, right + room, bottom + room)
            for left, top, right, bottom in obstacles]
    return next((route for route in candidates if clear(route, wide)), candidates[-1])
