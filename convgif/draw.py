"""Frames of the forward pass, drawn from a layout and a trace.

Frames are 2D arrays of palette indices (see :mod:`convgif.theme`): a static
background (grids, labels, legend, caption) is drawn once; computed output
cells accumulate in a running state; each frame copies that state and draws the
step's highlights, footprint outline, link lines and status line on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .font import text_mask
from .layout import Box, Grid, Layout, Text, layout, status_text
from .spec import ConvSpec, OptionError, positive_int
from .theme import THEMES, Palette, palette
from .trace import Step, trace

MAX_SIDE = 4096
MIN_CELL, MAX_CELL = 4, 120
DEFAULT_MAX_FRAMES = 2000


@dataclass(frozen=True)
class FrameOptions:
    """How frames look: cell size in px (None: automatic), theme, and the frame limit."""

    cell_size: int | None = None
    theme: str = "light"
    max_frames: int = DEFAULT_MAX_FRAMES

    def check(self, spec: ConvSpec) -> None:
        """Raise :class:`OptionError` when an option is out of range for ``spec``."""
        if self.cell_size is not None and positive_int(
            "cell_size", self.cell_size, OptionError
        ) not in range(MIN_CELL, MAX_CELL + 1):
            raise OptionError(f"cell_size={self.cell_size} must be between {MIN_CELL} and "
                              f"{MAX_CELL} px")
        if self.theme not in THEMES:
            raise OptionError(f"theme={self.theme!r} must be one of {', '.join(THEMES)}")
        positive_int("max_frames", self.max_frames, OptionError)
        if spec.n_steps > self.max_frames:
            raise OptionError(
                f"this layer takes {spec.n_steps} frames, more than max_frames="
                f"{self.max_frames}: raise max_frames, or use a smaller input, a larger "
                f"stride or fewer output channels"
            )


def _fill(canvas: np.ndarray, box: Box, colour: int) -> None:
    left, top, right, bottom = box
    canvas[top:bottom, left:right] = colour


def _copy(canvas: np.ndarray, source: np.ndarray, box: Box) -> None:
    """Copy ``box`` of ``source`` onto ``canvas``."""
    left, top, right, bottom = box
    canvas[top:bottom, left:right] = source[top:bottom, left:right]


def _outline(canvas: np.ndarray, box: Box, colour: int, width: int) -> None:
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


def _line(canvas: np.ndarray, start: tuple[int, int], end: tuple[int, int], colour: int) -> None:
    """A crisp 1 px line from ``start`` to ``end`` (x, y), both included."""
    (x0, y0), (x1, y1) = start, end
    n = max(abs(x1 - x0), abs(y1 - y0)) + 1
    xs = np.rint(np.linspace(x0, x1, n)).astype(np.intp)
    ys = np.rint(np.linspace(y0, y1, n)).astype(np.intp)
    canvas[ys, xs] = colour


def _text(canvas: np.ndarray, item: Text, pal: Palette) -> None:
    mask = text_mask(item.text, item.size)
    ramp = np.array((0, *pal.ramps[item.role]), dtype=np.uint8)
    levels = (mask.astype(np.uint16) * (len(ramp) - 1) + 127) // 255
    h = min(mask.shape[0], canvas.shape[0] - item.y)
    w = min(mask.shape[1], canvas.shape[1] - item.x)
    region = canvas[item.y:item.y + h, item.x:item.x + w]
    ink = levels[:h, :w] > 0
    region[ink] = ramp[levels[:h, :w][ink]]


def _inset(box: Box) -> Box:
    """``box`` without its 1 px border."""
    left, top, right, bottom = box
    return (left + 1, top + 1, right - 1, bottom - 1)


def _grid_lines(canvas: np.ndarray, grid: Grid, box: Box, line: int) -> None:
    """Draw the lines of ``grid`` that lie inside ``box`` (after a fill covered them)."""
    left, top, right, bottom = box
    canvas[top:bottom:grid.cell, left:right] = line
    canvas[top:bottom, left:right:grid.cell] = line


def _grid(canvas: np.ndarray, grid: Grid, fill: int, line: int) -> None:
    """Fill ``grid``'s cells with ``fill`` and draw its lines."""
    _fill(canvas, grid.box, fill)
    _grid_lines(canvas, grid, grid.box, line)


class Painter:
    """Draws the frames of one spec with one theme; keeps the running state between steps."""

    def __init__(self, spec: ConvSpec, options: FrameOptions) -> None:
        options.check(spec)
        self.spec = spec
        self.layout: Layout = layout(spec, options.cell_size)
        if max(self.layout.width, self.layout.height) > MAX_SIDE:
            raise OptionError(
                f"the canvas would be {self.layout.width}x{self.layout.height} px, more than "
                f"{MAX_SIDE} px on a side: lower cell_size (now {self.layout.cell})"
            )
        self.palette = palette(THEMES[options.theme])
        self.colour = self.palette.index
        self.state = self._background()

    def _background(self) -> np.ndarray:
        lay, c, spec = self.layout, self.colour, self.spec
        canvas = np.full((lay.height, lay.width), c["background"], dtype=np.uint8)
        top, _, left, _ = spec.pads
        h, w = spec.size
        for grid in lay.inputs:
            _grid(canvas, grid, c["padding"], c["grid"])
            inner = grid.span_box(top, left, top + h, left + w)
            _fill(canvas, _inset(inner), c["cell"])
            _grid_lines(canvas, grid, inner, c["grid"])
        for bank in lay.kernels:
            for grid in bank:
                _grid(canvas, grid, c["kernel"], c["grid"])
        for grid in lay.outputs:
            _grid(canvas, grid, c["output"], c["grid"])
        for swatch in lay.swatches:
            if swatch.colour == "footprint":
                _fill(canvas, swatch.box, c["background"])
                _outline(canvas, _inset(swatch.box), c["footprint"], 2)
            else:
                _fill(canvas, swatch.box, c["grid"])
                _fill(canvas, _inset(swatch.box), c[swatch.colour])
            _text(canvas, swatch.label, self.palette)
        for item in lay.texts:
            _text(canvas, item, self.palette)
        return canvas

    def frames(self) -> Iterator[np.ndarray]:
        """Every frame of the spec's animation, in trace order, lazily."""
        return (self.draw(step) for step in trace(self.spec))

    def draw(self, step: Step) -> np.ndarray:
        """The frame of ``step``; then mark its output cells as computed for later frames."""
        lay, c, spec = self.layout, self.colour, self.spec
        frame = self.state.copy()
        top, left, bottom, right = step.window
        for grid in lay.inputs:
            for tap in step.taps:
                _fill(frame, grid.cell_box(tap.row, tap.col),
                      c["tap_padding"] if tap.padding else c["tap"])
        for out in step.outputs:
            for kernel in lay.kernels[out.channel]:
                _grid(frame, kernel, c["kernel_active"], c["grid"])
            _fill(frame, lay.outputs[out.channel].cell_box(out.row, out.col), c["current"])
        for channel, grid in enumerate(lay.inputs):
            out = step.outputs[lay.input_group(channel)]
            kernel = lay.kernels[out.channel][channel % spec.groups_in]
            foot = grid.span_box(top, left, bottom, right)
            kbox = kernel.box
            cell = lay.outputs[out.channel].cell_box(out.row, out.col)
            # The footprint's right corners to the kernel's left ones, then one line on
            # from the kernel to the output cell.
            _line(frame, (foot[2] + 1, foot[1]), (kbox[0] - 1, kbox[1]), c["link"])
            _line(frame, (foot[2] + 1, foot[3] - 1), (kbox[0] - 1, kbox[3] - 1), c["link"])
            _line(frame, (kbox[2], (kbox[1] + kbox[3]) // 2),
                  (cell[0] - 2, (cell[1] + cell[3]) // 2), c["link"])
        # Kernels not in use stand in front of the link lines, which pass behind them.
        active = {out.channel for out in step.outputs}
        for channel, bank in enumerate(lay.kernels):
            if channel not in active:
                for kernel in bank:
                    _copy(frame, self.state, kernel.box)
        for grid in lay.inputs:
            _outline(frame, grid.span_box(top, left, bottom, right), c["footprint"], 2)
        _text(frame, Text(status_text(spec, step.index, step.outputs), lay.status[0],
                          lay.status[1], lay.font_size, "text"), self.palette)
        for out in step.outputs:
            _fill(self.state, lay.outputs[out.channel].cell_box(out.row, out.col), c["done"])
        return frame


def frames(spec: ConvSpec, *, cell_size: int | None = None, theme: str = "light",
           max_frames: int = DEFAULT_MAX_FRAMES) -> Iterator[Image.Image]:
    """The animation's frames as palette-mode PIL images, one per step of ``spec``, lazily.

    Raises :class:`OptionError` at once (not on first iteration) for a bad option.
    """
    painter = Painter(spec, FrameOptions(cell_size, theme, max_frames))
    return (as_image(array, painter.palette) for array in painter.frames())


def as_image(array: np.ndarray, pal: Palette) -> Image.Image:
    """A frame array as a palette-mode PIL image."""
    image = Image.frombytes("P", (array.shape[1], array.shape[0]), array.tobytes())
    image.putpalette(pal.rgb)
    return image
