"""The canvas every scene draws on: one interface, a raster canvas and a vector one.

Scenes draw through :class:`Canvas` only: its primitives (fill, line, text, a corner
mark, grid lines, pixels, copies between canvases and snapshots of a box) and what
is built from them (outlines, borders, grids, centred numbers, legend swatches).
:class:`RasterCanvas` draws into a 2D array of palette indices (the frames every
animation is made of); :class:`~convgif.draw.vector.VectorCanvas` records the same
calls as shapes and text for SVG and PDF. Colours are palette indices of
:mod:`convgif.theme`, boxes those of :mod:`convgif.layout`.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from ..font import line_height, text_mask, text_width
from ..layout import Box, Grid, Swatch, Text
from ..theme import Palette

CRISP_INK = 110  # coverage (of 255) from which crisp text draws a pixel


def fill(canvas: np.ndarray, box: Box, colour: int) -> None:
    """Fill ``box`` of the array ``canvas`` with ``colour``."""
    left, top, right, bottom = box
    canvas[top:bottom, left:right] = colour


def write(canvas: np.ndarray, item: Text, palette: Palette, crisp: bool = False) -> None:
    """Write ``item``'s text on the array ``canvas``, antialiased along its role's ramp,
    clipped to the canvas.

    ``crisp`` text has no antialiasing, only the full colour: for text on tinted
    cells, where the ramp (which fades into the background) would leave a halo.
    """
    mask = text_mask(item.text, item.size)
    ramp = np.array((0, *palette.ramps[item.role]), dtype=np.uint8)
    if crisp:
        levels = np.where(mask >= CRISP_INK, len(ramp) - 1, 0)
    else:
        levels = (mask.astype(np.uint16) * (len(ramp) - 1) + 127) // 255
    h = min(mask.shape[0], canvas.shape[0] - item.y)
    w = min(mask.shape[1], canvas.shape[1] - item.x)
    region = canvas[item.y:item.y + h, item.x:item.x + w]
    ink = levels[:h, :w] > 0
    region[ink] = ramp[levels[:h, :w][ink]]


def inset(box: Box, width: int = 1) -> Box:
    """``box`` without its border ``width`` px wide."""
    left, top, right, bottom = box
    return (left + width, top + width, right - width, bottom - width)


def line_points(start: tuple[int, int], end: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The pixels (xs, ys) of the 1 px line from ``start`` to ``end``, both included."""
    (x0, y0), (x1, y1) = start, end
    n = max(abs(x1 - x0), abs(y1 - y0)) + 1
    return (np.rint(np.linspace(x0, x1, n)).astype(np.intp),
            np.rint(np.linspace(y0, y1, n)).astype(np.intp))


class Canvas(ABC):
    """Where a scene draws a frame, ``width`` x ``height`` px; ``background`` is the
    palette index it starts filled with."""

    width: int
    height: int

    @abstractmethod
    def fill(self, box: Box, colour: int) -> None:
        """Fill ``box`` with ``colour`` (a box may reach past the canvas: it is cut)."""

    @abstractmethod
    def line(self, start: tuple[int, int], end: tuple[int, int], colour: int,
             width: int = 1) -> None:
        """A crisp line from ``start`` to ``end`` (x, y), both included, ``width`` px thick
        (the pixels of a ``width`` square at each point of the 1 px line)."""

    @abstractmethod
    def write(self, item: Text, palette: Palette, crisp: bool = False) -> None:
        """``item``'s text in its role's colour (``crisp``: without antialiasing, for text
        on tinted cells)."""

    @abstractmethod
    def corner(self, box: Box, colour: int) -> None:
        """A triangle in the top-left corner of ``box``, a third of its side."""

    @abstractmethod
    def grid_lines(self, grid: Grid, box: Box, colour: int) -> None:
        """The lines of ``grid`` that lie inside ``box`` (after a fill covered them)."""

    @abstractmethod
    def pixels(self, box: Box, indices: np.ndarray) -> None:
        """An image: ``box`` takes the palette indices of ``indices`` (its shape)."""

    @abstractmethod
    def paint(self, box: Box, mask: np.ndarray, indices: np.ndarray) -> None:
        """The pixels of ``box`` where ``mask`` holds take ``indices`` (both its shape)."""

    @abstractmethod
    def copy_from(self, other: Canvas, box: Box) -> None:
        """``box`` as it is on ``other`` (a canvas of the same kind and size)."""

    @abstractmethod
    def snapshot(self, box: Box) -> Any:
        """What ``box`` holds now, for :meth:`restore`."""

    @abstractmethod
    def restore(self, snapshot: Any) -> None:
        """Put back what a :meth:`snapshot` holds, over whatever was drawn since."""

    @abstractmethod
    def copy(self) -> Canvas:
        """An independent copy."""

    # -- drawn with the primitives --------------------------------------------------------------

    def outline(self, box: Box, colour: int, width: int) -> None:
        """A rectangle ``width`` px wide centred on the lines of ``box`` (right/bottom
        exclusive)."""
        left, top, right, bottom = box
        a = width // 2
        lo_y, hi_y = max(top - a, 0), min(bottom + a, self.height)
        lo_x, hi_x = max(left - a, 0), min(right + a, self.width)
        self.fill((max(left - a, 0), lo_y, left - a + width, hi_y), colour)
        self.fill((max(right - 1 - a, 0), lo_y, right - 1 - a + width, hi_y), colour)
        self.fill((lo_x, max(top - a, 0), hi_x, top - a + width), colour)
        self.fill((lo_x, max(bottom - 1 - a, 0), hi_x, bottom - 1 - a + width), colour)

    def border(self, box: Box, colour: int, width: int = 2) -> None:
        """A frame ``width`` px wide just inside ``box`` (a cell's interior keeps its middle)."""
        left, top, right, bottom = box
        self.fill((left, top, right, top + width), colour)
        self.fill((left, bottom - width, right, bottom), colour)
        self.fill((left, top, left + width, bottom), colour)
        self.fill((right - width, top, right, bottom), colour)

    def grid(self, cells: Grid, fill_colour: int, line_colour: int) -> None:
        """Fill the grid's cells with ``fill_colour`` and draw its lines."""
        self.fill(cells.box, fill_colour)
        self.grid_lines(cells, cells.box, line_colour)

    def centred(self, text: str, box: Box, size: int, palette: Palette) -> None:
        """Write ``text`` centred in ``box``, crisp (it sits on a tinted cell)."""
        left, top, right, bottom = box
        x = left + (right - left - text_width(text, size) + 1) // 2
        y = top + (bottom - top - line_height(size) + 1) // 2
        self.write(Text(text, x, y, size, "text"), palette, crisp=True)

    def swatch(self, entry: Swatch, palette: Palette, scale: int = 1) -> None:
        """A legend entry: its colour drawn in its style (lines ``scale`` px), and its label."""
        c, box = palette.index, entry.box
        if entry.style == "outline":
            self.fill(box, c["background"])
            self.outline(inset(box, scale), c[entry.colour], 2 * scale)
        elif entry.style == "ramp":
            levels = palette.value_ramps[entry.colour]
            left, top, right, bottom = inset(box, scale)
            self.fill(box, c["grid"])
            edges = np.linspace(left, right, len(levels) + 1).round().astype(int)
            for level, (a, b) in zip(levels, itertools.pairwise(edges), strict=True):
                self.fill((int(a), top, int(b), bottom), level)
        else:
            self.fill(box, c["grid"])
            inner = inset(box, scale)
            self.fill(inner, c[entry.colour] if entry.style == "fill" else c["cell"])
            if entry.style == "border":
                self.border(inner, c[entry.colour], 2 * scale)
            elif entry.style == "corner":
                self.corner(inner, c[entry.colour])
        self.write(entry.label, palette)


class RasterCanvas(Canvas):
    """A canvas of palette indices: ``array`` (height x width, uint8) is the frame.

    It reads like that array (``canvas[y, x]``, ``np.asarray(canvas)``)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.height, self.width = array.shape

    @classmethod
    def blank(cls, width: int, height: int, background: int) -> RasterCanvas:
        """A canvas filled with ``background``."""
        return cls(np.full((height, width), background, dtype=np.uint8))

    def __getitem__(self, index: Any) -> Any:
        return self.array[index]

    def __eq__(self, other: object) -> Any:
        return self.array == np.asarray(other)

    def __ne__(self, other: object) -> Any:
        return self.array != np.asarray(other)

    __hash__ = None  # type: ignore[assignment]  # compared pixel by pixel, as an array

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.array if dtype is None else self.array.astype(dtype)

    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape: (height, width)."""
        return self.array.shape

    def fill(self, box: Box, colour: int) -> None:
        """Fill ``box`` with ``colour``."""
        fill(self.array, box, colour)

    def line(self, start: tuple[int, int], end: tuple[int, int], colour: int,
             width: int = 1) -> None:
        """A crisp line, ``width`` px thick, both ends included."""
        xs, ys = line_points(start, end)
        for dy in range(width):
            for dx in range(width):
                self.array[np.minimum(ys + dy, self.height - 1),
                           np.minimum(xs + dx, self.width - 1)] = colour

    def write(self, item: Text, palette: Palette, crisp: bool = False) -> None:
        """``item``'s text, antialiased along its role's ramp (or crisp)."""
        write(self.array, item, palette, crisp)

    def corner(self, box: Box, colour: int) -> None:
        """A triangle in the top-left corner of ``box``."""
        left, top, right, _ = box
        side = max(3, (right - left) // 3)
        for k in range(side):
            self.array[top + k, left:left + side - k] = colour

    def grid_lines(self, grid: Grid, box: Box, colour: int) -> None:
        """The grid's lines inside ``box``."""
        left, top, right, bottom = box
        for k in range(grid.line):
            self.array[top + k:bottom:grid.cell, left:right] = colour
            self.array[top:bottom, left + k:right:grid.cell] = colour

    def pixels(self, box: Box, indices: np.ndarray) -> None:
        """``box`` takes ``indices``."""
        left, top, right, bottom = box
        self.array[top:bottom, left:right] = indices

    def paint(self, box: Box, mask: np.ndarray, indices: np.ndarray) -> None:
        """The pixels of ``box`` under ``mask`` take ``indices``."""
        left, top, right, bottom = box
        self.array[top:bottom, left:right][mask] = indices[mask]

    def copy_from(self, other: Canvas, box: Box) -> None:
        """``box`` as ``other`` has it."""
        left, top, right, bottom = box
        self.array[top:bottom, left:right] = np.asarray(other)[top:bottom, left:right]

    def snapshot(self, box: Box) -> tuple[Box, np.ndarray]:
        """A copy of ``box``'s pixels."""
        left, top, right, bottom = box
        return box, self.array[top:bottom, left:right].copy()

    def restore(self, snapshot: tuple[Box, np.ndarray]) -> None:
        """Put the pixels of a snapshot back."""
        (left, top, right, bottom), pixels = snapshot
        self.array[top:bottom, left:right] = pixels

    def copy(self) -> RasterCanvas:
        """A copy of the frame."""
        return RasterCanvas(self.array.copy())
