"""Drawing primitives on a canvas of palette indices (a 2D uint8 array).

Every scene draws with these; colours are palette indices of
:mod:`convgif.theme`, boxes are those of :mod:`convgif.layout`.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..font import line_height, text_mask, text_width
from ..layout import Box, Grid, Swatch, Text
from ..theme import Palette


def fill(canvas: np.ndarray, box: Box, colour: int) -> None:
    """Fill ``box`` with ``colour``."""
    left, top, right, bottom = box
    canvas[top:bottom, left:right] = colour


def copy_box(canvas: np.ndarray, source: np.ndarray, box: Box) -> None:
    """Copy ``box`` of ``source`` onto ``canvas``."""
    left, top, right, bottom = box
    canvas[top:bottom, left:right] = source[top:bottom, left:right]


def outline(canvas: np.ndarray, box: Box, colour: int, width: int) -> None:
    """A rectangle ``width`` px wide centred on the lines of ``box`` (right/bottom exclusive)."""
    left, top, right, bottom = box
    h, w = canvas.shape
    a = width // 2
    lo_y, hi_y = max(top - a, 0), min(bottom + a, h)
    lo_x, hi_x = max(left - a, 0), min(right + a, w)
    canvas[lo_y:hi_y, max(left - a, 0):left - a + width] = colour
    canvas[lo_y:hi_y, max(right - 1 - a, 0):right - 1 - a + width] = colour
    canvas[max(top - a, 0):top - a + width, lo_x:hi_x] = colour
    canvas[max(bottom - 1 - a, 0):bottom - 1 - a + width, lo_x:hi_x] = colour


def line(canvas: np.ndarray, start: tuple[int, int], end: tuple[int, int], colour: int,
         width: int = 1) -> None:
    """A crisp line from ``start`` to ``end`` (x, y), both included, ``width`` px thick
    (the pixels of a ``width`` square at each point of the 1 px line)."""
    (x0, y0), (x1, y1) = start, end
    n = max(abs(x1 - x0), abs(y1 - y0)) + 1
    xs = np.rint(np.linspace(x0, x1, n)).astype(np.intp)
    ys = np.rint(np.linspace(y0, y1, n)).astype(np.intp)
    h, w = canvas.shape
    for dy in range(width):
        for dx in range(width):
            canvas[np.minimum(ys + dy, h - 1), np.minimum(xs + dx, w - 1)] = colour


CRISP_INK = 110  # coverage (of 255) from which crisp text draws a pixel


def write(canvas: np.ndarray, item: Text, palette: Palette, crisp: bool = False) -> None:
    """Write ``item``'s text, antialiased along its role's ramp, clipped to the canvas.

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


def grid_lines(canvas: np.ndarray, grid: Grid, box: Box, colour: int) -> None:
    """Draw the lines of ``grid`` that lie inside ``box`` (after a fill covered them)."""
    left, top, right, bottom = box
    for k in range(grid.line):
        canvas[top + k:bottom:grid.cell, left:right] = colour
        canvas[top:bottom, left + k:right:grid.cell] = colour


def grid(canvas: np.ndarray, cells: Grid, fill_colour: int, line_colour: int) -> None:
    """Fill the grid's cells with ``fill_colour`` and draw its lines."""
    fill(canvas, cells.box, fill_colour)
    grid_lines(canvas, cells, cells.box, line_colour)


def border(canvas: np.ndarray, box: Box, colour: int, width: int = 2) -> None:
    """A frame ``width`` px wide just inside ``box`` (a cell's interior keeps its middle)."""
    left, top, right, bottom = box
    canvas[top:top + width, left:right] = colour
    canvas[bottom - width:bottom, left:right] = colour
    canvas[top:bottom, left:left + width] = colour
    canvas[top:bottom, right - width:right] = colour


def corner(canvas: np.ndarray, box: Box, colour: int) -> None:
    """A triangle in the top-left corner of ``box``, a third of its side."""
    left, top, right, _ = box
    side = max(3, (right - left) // 3)
    for k in range(side):
        canvas[top + k, left:left + side - k] = colour


def centred(canvas: np.ndarray, text: str, box: Box, size: int, palette: Palette) -> None:
    """Write ``text`` centred in ``box``, crisp (it sits on a tinted cell)."""
    left, top, right, bottom = box
    x = left + (right - left - text_width(text, size) + 1) // 2
    y = top + (bottom - top - line_height(size) + 1) // 2
    write(canvas, Text(text, x, y, size, "text"), palette, crisp=True)


def swatch(canvas: np.ndarray, entry: Swatch, palette: Palette, scale: int = 1) -> None:
    """A legend entry: its colour drawn in its style (lines ``scale`` px), and its label."""
    c, box = palette.index, entry.box
    if entry.style == "outline":
        fill(canvas, box, c["background"])
        outline(canvas, inset(box, scale), c[entry.colour], 2 * scale)
    elif entry.style == "ramp":
        levels = palette.value_ramps[entry.colour]
        left, top, right, bottom = inset(box, scale)
        fill(canvas, box, c["grid"])
        edges = np.linspace(left, right, len(levels) + 1).round().astype(int)
        for level, (a, b) in zip(levels, itertools.pairwise(edges), strict=True):
            canvas[top:bottom, a:b] = level
    else:
        fill(canvas, box, c["grid"])
        inner = inset(box, scale)
        fill(canvas, inner, c[entry.colour] if entry.style == "fill" else c["cell"])
        if entry.style == "border":
            border(canvas, inner, c[entry.colour], 2 * scale)
        elif entry.style == "corner":
            corner(canvas, inner, c[entry.colour])
    write(canvas, entry.label, palette)
