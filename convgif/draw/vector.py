"""The vector canvas: the same drawing calls recorded as shapes and text, for SVG and PDF.

:class:`VectorCanvas` keeps what a scene draws as a list of :data:`Shape`: filled
rectangles (cells, grid lines, outlines), strokes (links), triangles (marks), labels
(text, in its role's full colour), pictures (grids drawn as images, as palette
indices, with a mask where only some pixels are painted) and clips (a box of
another canvas, or of this one at an earlier moment, drawn over what came since).
Everything is in the raster canvas's pixel coordinates, so the vector frame has the
same geometry and colours as the PNG of the same frame. The writers
(:mod:`convgif.writers.svg`, :mod:`convgif.writers.pdf`) turn the list into a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np

from ..layout import Box, Grid, Text
from ..theme import Palette
from .canvas import Canvas


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (left, top, right, bottom; right and bottom exclusive)."""

    box: Box
    colour: int


@dataclass(frozen=True)
class Stroke:
    """A line ``width`` px thick from ``start`` to ``end`` (pixel corners, both included)."""

    start: tuple[int, int]
    end: tuple[int, int]
    colour: int
    width: int


@dataclass(frozen=True)
class Triangle:
    """A filled triangle through three points."""

    points: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    colour: int


@dataclass(frozen=True)
class Label:
    """A line of text whose top-left corner is (x, y), ``size`` px, in ``colour``."""

    text: str
    x: int
    y: int
    size: int
    colour: int


@dataclass(frozen=True, eq=False)
class Picture:
    """An image of palette ``indices`` filling ``box``; where ``mask`` is given, only its
    pixels are painted."""

    box: Box
    indices: np.ndarray
    mask: np.ndarray | None = None


@dataclass(frozen=True)
class Clip:
    """``shapes`` drawn inside ``box`` only."""

    box: Box
    shapes: tuple[Shape, ...]


Shape = Union[Rect, Stroke, Triangle, Label, Picture, Clip]  # noqa: UP007 (a runtime alias)


def bounds(shape: Shape) -> Box:
    """The box a shape may paint."""
    if isinstance(shape, (Rect, Picture, Clip)):
        return shape.box
    if isinstance(shape, Stroke):
        (x0, y0), (x1, y1) = shape.start, shape.end
        return (min(x0, x1), min(y0, y1), max(x0, x1) + shape.width,
                max(y0, y1) + shape.width)
    if isinstance(shape, Triangle):
        xs, ys = zip(*shape.points, strict=True)
        return (min(xs), min(ys), max(xs), max(ys))
    return (shape.x, shape.y, shape.x + shape.size * len(shape.text), shape.y + 2 * shape.size)


def meets(a: Box, b: Box) -> bool:
    """Whether two boxes share any pixel."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class VectorCanvas(Canvas):
    """A canvas that records shapes (see the module's doc); ``shapes`` in drawing order."""

    def __init__(self, width: int, height: int, shapes: list[Shape] | None = None) -> None:
        self.width, self.height = width, height
        self.shapes: list[Shape] = [] if shapes is None else shapes

    @classmethod
    def blank(cls, width: int, height: int, background: int) -> VectorCanvas:
        """A canvas filled with ``background``."""
        return cls(width, height, [Rect((0, 0, width, height), background)])

    def _cut(self, box: Box) -> Box | None:
        """``box`` within the canvas, None when nothing of it is."""
        left, top, right, bottom = box
        cut = (max(left, 0), max(top, 0), min(right, self.width), min(bottom, self.height))
        return cut if cut[0] < cut[2] and cut[1] < cut[3] else None

    def fill(self, box: Box, colour: int) -> None:
        """A rectangle."""
        cut = self._cut(box)
        if cut is not None:
            self.shapes.append(Rect(cut, colour))

    def line(self, start: tuple[int, int], end: tuple[int, int], colour: int,
             width: int = 1) -> None:
        """A stroke."""
        self.shapes.append(Stroke(start, end, colour, width))

    def write(self, item: Text, palette: Palette, crisp: bool = False) -> None:
        """A label in its role's full colour."""
        self.shapes.append(Label(item.text, item.x, item.y, item.size,
                                 palette.ramps[item.role][-1]))

    def corner(self, box: Box, colour: int) -> None:
        """A triangle in the top-left corner of ``box``, a third of its side."""
        left, top, right, _ = box
        side = max(3, (right - left) // 3)
        self.shapes.append(Triangle(((left, top), (left + side, top), (left, top + side)),
                                    colour))

    def grid_lines(self, grid: Grid, box: Box, colour: int) -> None:
        """A thin rectangle per grid line inside ``box``."""
        left, top, right, bottom = box
        for k in range(grid.line):
            for y in range(top + k, bottom, grid.cell):
                self.fill((left, y, right, y + 1), colour)
            for x in range(left + k, right, grid.cell):
                self.fill((x, top, x + 1, bottom), colour)

    def pixels(self, box: Box, indices: np.ndarray) -> None:
        """A picture."""
        self.shapes.append(Picture(box, np.array(indices, dtype=np.uint8)))

    def paint(self, box: Box, mask: np.ndarray, indices: np.ndarray) -> None:
        """A picture painted where ``mask`` holds: merged into the picture of ``box`` when
        that is the last shape over the box (a feature map filling in stays one picture,
        not one per frame), else a new picture, transparent outside the mask."""
        if not mask.any():
            return
        for position in range(len(self.shapes) - 1, -1, -1):
            shape = self.shapes[position]
            if isinstance(shape, Picture) and shape.box == box:
                merged = np.where(mask, indices, shape.indices).astype(np.uint8)
                under = None if shape.mask is None else shape.mask | mask
                self.shapes[position] = Picture(box, merged, under)
                return
            if meets(bounds(shape), box):
                break
        self.shapes.append(Picture(box, np.array(indices, dtype=np.uint8),
                                   np.array(mask, dtype=bool)))

    def _within(self, box: Box, shapes: list[Shape]) -> None:
        kept = tuple(shape for shape in shapes if meets(bounds(shape), box))
        if kept:
            self.shapes.append(Clip(box, kept))

    def copy_from(self, other: Canvas, box: Box) -> None:
        """``other``'s shapes that reach into ``box``, clipped to it."""
        if not isinstance(other, VectorCanvas):
            raise TypeError(f"a vector canvas copies from vector canvases, not "
                            f"{type(other).__name__}")
        self._within(box, other.shapes)

    def snapshot(self, box: Box) -> tuple[Box, int]:
        """The box, and how many shapes were drawn so far."""
        return box, len(self.shapes)

    def restore(self, snapshot: tuple[Box, int]) -> None:
        """The shapes drawn before the snapshot, clipped to its box, over those since."""
        box, count = snapshot
        self._within(box, self.shapes[:count])

    def copy(self) -> VectorCanvas:
        """A canvas with the same shapes so far."""
        return VectorCanvas(self.width, self.height, list(self.shapes))
