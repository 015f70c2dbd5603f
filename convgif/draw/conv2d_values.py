"""The Conv2d scene with values: every cell tinted by its number, the step's arithmetic.

Input cells, weights and computed outputs are tinted on a value ramp (one
scale per kind of grid) and, when they fit, show their numbers; padding cells
keep the padding colour and show the value they hold. Since the fills hold
values, what a step marks is drawn around cells: taps and the cell being
computed get a coloured border, the kernels in use an outline, and the input
cell a padding cell copies a marked corner.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from ..layout import Grid, Text, ValueText
from ..layout.numbers import formula_text, number_text, shading, value_text
from ..trace import OutputCell, Step, Tap
from ..values import Values
from .canvas import Canvas
from .conv2d import Conv2dScene
from .scene import cells as as_cells


class Conv2dValueScene(Conv2dScene):
    """Frames of a Conv2d layer with its numbers."""

    @cached_property
    def shading(self) -> dict[str, tuple[str, float]]:
        """Each grid kind's ramp and scale (its largest magnitude), worked out once."""
        return shading(self.numbers)

    @property
    def numbers(self) -> Values:
        """The values drawn (a value scene always has them)."""
        if self.values is None:
            raise ValueError("a value scene needs values")
        return self.values

    def value_text(self) -> ValueText:
        """Room for the widest number and the widest short formula; the ramps in use."""
        return value_text(self.numbers, self.options.decimals)

    def _text(self, value: float) -> str:
        return number_text(float(value), self.options.decimals, self.numbers.integral)

    def _cell(self, canvas: Canvas, cells: Grid, row: int, col: int, value: float,
              ramp: str, scale: float, colour: int | None = None) -> None:
        """One cell: its tint (or ``colour``) and, when numbers fit, its number."""
        box = cells.cell_box(row, col)
        canvas.fill(box, self.palette.tint(ramp, value, scale) if colour is None else colour)
        # -inf padding (max pooling) is named by the legend, not written in every cell.
        if self.layout.number_size is not None and math.isfinite(value):
            canvas.centred(self._text(value), box, self.layout.number_size, self.palette)

    def background(self, canvas: Canvas | None = None) -> Canvas:
        """Tinted inputs (padding in its colour) and kernels, outputs not yet computed."""
        lay, c, values = self.layout, self.colour, self.numbers
        canvas = self.blank(canvas)
        kinds = self.cell_colours()
        ramp, scale = self.shading["input"]
        for channel, area in lay.shown_inputs():
            cells = as_cells(area)
            for (row, col), name in np.ndenumerate(kinds):
                if name == "beyond":  # nothing there: the window reads no value
                    canvas.fill(cells.cell_box(row, col), c[name])
                else:
                    self._cell(canvas, cells, row, col, values.padded[channel, row, col],
                               ramp, scale, None if name == "cell" else c[name])
            canvas.grid_lines(cells, cells.box, c["grid"])
        ramp, scale = self.shading["weight"]
        for out_channel, bank in zip(lay.shown.outputs, lay.kernels, strict=True):
            offsets = [c % self.layer.in_per_group for c in lay.shown.inputs
                       if c // self.layer.in_per_group == out_channel // self.layer.out_per_group]
            for offset, cells in zip(offsets, bank, strict=True):
                for ky in range(cells.rows):
                    for kx in range(cells.cols):
                        index = self.layer.weight_index(out_channel, offset, (ky, kx))
                        if index is not None:
                            self._cell(canvas, cells, ky, kx, values.weight[index], ramp, scale)
                canvas.grid_lines(cells, cells.box, c["grid"])
        for area in lay.outputs:
            canvas.fill(area.box, c["output"])
            canvas.grid_lines(as_cells(area), area.box, c["grid"])
        for entry in lay.swatches:
            canvas.swatch(entry, self.palette, lay.scale)
        for item in lay.texts:
            canvas.write(item, self.palette)
        return canvas

    def _output(self, canvas: Canvas, out: OutputCell) -> None:
        ramp, scale = self.shading["output"]
        self._cell(canvas, as_cells(self.layout.output_grid(out.channel)), out.row, out.col,
                   self.numbers.output[out.channel, out.row, out.col], ramp, scale)

    def draw(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Tap borders, copied-from corners, kernel outlines, the output, formula lines."""
        lay, c, values = self.layout, self.colour, self.numbers
        top, left, bottom, right = step.window
        height, width = self.layer.axes
        mark = 2 * lay.scale  # borders and outlines
        for cells in lay.inputs:
            for tap in step.taps:
                box = cells.cell_box(tap.row, tap.col)
                frame.border(box, c["tap_padding"] if tap.padding else c["tap"], mark)
                source = values.source(tap.row, tap.col) if tap.padding else None
                if source is not None:
                    frame.corner(cells.cell_box(source[0] + height.before,
                                                 source[1] + width.before), c["copied"])
        if "chosen" in c:  # max pooling: the cell each window picks
            for out in step.outputs:
                tap = self.picked(step, out)
                cells = lay.inputs[lay.shown.inputs.index(out.channel)]
                frame.border(cells.cell_box(tap.row, tap.col), c["chosen"], mark)
        marked = [frame.snapshot(g.box) for g in lay.inputs]
        self.links(frame, state, step)
        for before in marked:  # lines pass behind numbers
            frame.restore(before)
        for out in step.outputs:
            frame.copy_from(state, lay.output_grid(out.channel).box)
            self._output(frame, out)
            frame.border(lay.output_grid(out.channel).cell_box(out.row, out.col), c["current"],
                   mark)
        for out in step.outputs:
            for kernel in lay.kernel_bank(out.channel):
                frame.outline(kernel.box, c["kernel_active"], mark)
        for cells in lay.inputs:
            frame.outline(cells.span_box(top, left, bottom, right), c["footprint"], mark)
        self.write_status(frame, step)
        self.write_formulas(frame, step)

    def picked(self, step: Step, out: OutputCell) -> Tap:
        """The first tap of ``step`` holding ``out``'s value (the maximum it picks)."""
        padded = self.numbers.padded
        target = self.numbers.output[out.channel, out.row, out.col]
        return next((tap for tap in step.taps if padded[out.group, tap.row, tap.col] == target),
                    step.taps[0])

    def formulas(self, step: Step) -> list[str]:
        """One formula line per output cell of the step, each in the form that fits."""
        left, _, right, _ = self.layout.slots.formula
        return [formula_text(step, out, self.options.decimals, right - left,
                             self.layout.font_size) for out in step.outputs]

    def texts(self, step: Step) -> tuple[str, ...]:
        """The status line, then the formula lines."""
        return (*super().texts(step), *self.formulas(step))

    def write_formulas(self, frame: Canvas, step: Step) -> None:
        """The formula lines, in the formula slot."""
        left, top, _, bottom = self.layout.slots.formula
        size = self.layout.font_size
        line = (bottom - top) // max(1, len(step.outputs))
        for i, text in enumerate(self.formulas(step)):
            frame.write(Text(text, left, top + i * line, size, "text"), self.palette)

    def advance_cell(self, state: Canvas, out: OutputCell) -> None:
        """Output cell ``out`` shows its value from now on."""
        self._output(state, out)
