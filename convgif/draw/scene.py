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
from ..layout import Area, Grid, Layout, Text, ValueText, kind_colours, layout, status_text
from ..options import RenderOptions
from ..theme import THEMES, palette
from ..trace import Step
from ..values import Values
from .canvas import write


def cells(area: Area) -> Grid:
    """``area`` as a grid of cells: scenes that draw cells one by one take no images."""
    if not isinstance(area, Grid):
        raise TypeError(f"this scene draws grids of cells, not {type(area).__name__}")
    return area


class Scene(ABC):
    """The pictures of one layer with one set of options."""

    def __init__(self, layer: WindowLayer, options: RenderOptions,
                 values: Values | None = None) -> None:
        self.layer, self.options, self.values = layer, options, values
        self.layout: Layout = layout(layer, options.cell_size,
                                     self.value_text()).scaled(options.scale)
        self.palette = palette(THEMES[options.theme], values=values is not None,
                               extra=kind_colours(layer, values is not None))
        self.colour = self.palette.index

    def value_text(self) -> ValueText | None:
        """What the layout must make room for when the frames show values (else None)."""
        return None

    @abstractmethod
    def background(self) -> np.ndarray:
        """The canvas every frame starts from: grids, labels, legend and caption."""

    @abstractmethod
    def draw(self, frame: np.ndarray, state: np.ndarray, step: Step) -> None:
        """Draw ``step``'s marks on ``frame``, a copy of ``state`` (the running state)."""

    @abstractmethod
    def advance(self, state: np.ndarray, step: Step) -> None:
        """Leave on ``state`` what ``step`` shows to the frames after it."""

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

    def texts(self, step: Step) -> tuple[str, ...]:
        """The step's lines of text: its status line, then any formula lines."""
        return (status_text(self.layer, step.index, step.outputs),)

    def write_status(self, frame: np.ndarray, step: Step) -> None:
        """The step's status line, in the status slot."""
        left, top, _, _ = self.layout.slots.status
        write(frame, Text(status_text(self.layer, step.index, step.outputs), left, top,
                          self.layout.font_size, "text"), self.palette)
