"""A scene: how one layer kind's frames look, over the shared canvas primitives.

A scene places its layer (:func:`convgif.layout.layout`), draws the background
all frames share, the marks of one step, and what a step leaves for the frames
after it (computed output cells). The frame loop (:mod:`convgif.draw.frames`)
holds the running state and calls these in order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..layers import WindowLayer
from ..layout import Area, Grid, Layout, Text, ValueText, frame_status, kind_colours
from ..layout import layout as place_layer
from ..options import RenderOptions
from ..schedule import Frame, Schedule, plan
from ..theme import THEMES, Palette, palette
from ..trace import OutputCell, Step, Stepper
from ..values import Values
from .canvas import Canvas, RasterCanvas


def cells(area: Area) -> Grid:
    """``area`` as a grid of cells: scenes that draw cells one by one take no images."""
    if not isinstance(area, Grid):
        raise TypeError(f"this scene draws grids of cells, not {type(area).__name__}")
    return area


class Scene(ABC):
    """The pictures of one layer with one set of options.

    ``layout`` is the placement to draw (by default the kind's layout of every
    channel, :func:`convgif.layout.layout`); ``schedule`` says which steps each
    frame covers (by default one step per frame, every step).
    """

    def __init__(self, layer: WindowLayer, options: RenderOptions,
                 values: Values | None = None, layout: Layout | None = None,
                 schedule: Schedule | None = None) -> None:
        self.layer, self.options, self.values = layer, options, values
        self.layout: Layout = (layout if layout is not None else place_layer(
            layer, options.cell_size, self.value_text())).scaled(options.scale)
        self.stepper = Stepper(layer, values, self.layout.channels)
        self.schedule = schedule if schedule is not None else plan(
            self.stepper.count, 1, 1, self.stepper.count)
        self._frames = {frame.last: frame for frame in self.schedule.frames
                        if frame.marks} if self.schedule.sped else {}
        self.palette = self.make_palette()
        self.colour = self.palette.index

    def make_palette(self) -> Palette:
        """The frames' palette: the theme's colours, with values' ramps and the kind's own
        colours when the frames use them."""
        values = self.values is not None
        return palette(THEMES[self.options.theme], values=values,
                       extra=kind_colours(self.layer, values))

    def value_text(self) -> ValueText | None:
        """What the layout must make room for when the frames show values (else None)."""
        return None

    @abstractmethod
    def background(self, canvas: Canvas | None = None) -> Canvas:
        """The canvas every frame starts from: grids, labels, legend and caption, drawn on
        ``canvas`` (blank; by default a :class:`RasterCanvas`)."""

    def blank(self, canvas: Canvas | None) -> Canvas:
        """``canvas``, or a blank raster canvas of the layout's size."""
        if canvas is not None:
            return canvas
        return RasterCanvas.blank(self.layout.width, self.layout.height,
                                  self.colour["background"])

    @abstractmethod
    def draw(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Draw ``step``'s marks on ``frame``, a copy of ``state`` (the running state)."""

    @abstractmethod
    def advance_cell(self, state: Canvas, out: OutputCell) -> None:
        """Leave on ``state`` output cell ``out`` computed, for the frames after it."""

    def advance(self, state: Canvas, step: Step) -> None:
        """Leave on ``state`` what ``step`` shows to the frames after it: its outputs."""
        for out in step.outputs:
            self.advance_cell(state, out)

    def advance_range(self, state: Canvas, start: int, stop: int) -> None:
        """Leave on ``state`` the outputs of steps ``start`` to ``stop`` (excluded)."""
        for index in range(start, stop):
            for out in self.stepper.outputs(index):
                self.advance_cell(state, out)

    def finish(self, frame: Canvas) -> tuple[str, ...]:
        """Write the complete frame's status on ``frame`` (the state after every step);
        its lines of text."""
        text = frame_status(self.layer, self.schedule, self.schedule.frames[-1], ())
        left, top, _, _ = self.layout.slots.status
        frame.write(Text(text, left, top, self.layout.font_size, "text"), self.palette)
        return (text,)

    def cell_colours(self) -> np.ndarray:
        """Each input grid cell's colour name: ``cell`` (an input cell), ``inserted``
        (a zero between input cells), ``padding``, or ``beyond`` (past the padded
        input, where a ceil_mode window reaches)."""
        names = []
        for axis in self.layer.axes:
            along = []
            for i in range(axis.reach):
                offset = i - axis.before
                along.append("beyond" if i >= axis.padded else
                             "cell" if axis.is_input(i) else
                             "inserted" if 0 <= offset < axis.inside else "padding")
            names.append(np.array(along, dtype=object))
        rows, cols = names
        rank = {"cell": 0, "inserted": 1, "padding": 2, "beyond": 3}
        pick = np.vectorize(lambda a, b: a if rank[a] >= rank[b] else b, otypes=[object])
        return pick(rows[:, None], cols[None, :])  # type: ignore[no-any-return]

    def status(self, step: Step) -> str:
        """The status line of the frame that ends on ``step``."""
        frame = self._frames.get(step.index, Frame(step.index, step.index + 1))
        return frame_status(self.layer, self.schedule, frame, step.outputs)

    def texts(self, step: Step) -> tuple[str, ...]:
        """The step's lines of text: its status line, then any formula lines."""
        return (self.status(step),)

    def write_status(self, frame: Canvas, step: Step) -> None:
        """The step's status line, in the status slot."""
        left, top, _, _ = self.layout.slots.status
        frame.write(Text(self.status(step), left, top, self.layout.font_size, "text"),
              self.palette)
