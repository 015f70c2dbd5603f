"""The Conv2d scene: taps and footprint on the padded inputs, kernels in use, output cells."""

from __future__ import annotations

import itertools
from functools import cached_property

import numpy as np

from ..layout import Area, Box, Grid
from ..layout.routes import Route, first_clear
from ..trace import OutputCell, Step
from .canvas import Canvas, inset
from .scene import Scene
from .scene import cells as as_cells


class Conv2dScene(Scene):
    """Frames of a Conv2d layer as the article draws them."""

    def background(self, canvas: Canvas | None = None) -> Canvas:
        """Padded inputs, kernels, outputs, legend and texts, nothing highlighted."""
        lay, c = self.layout, self.colour
        canvas = self.blank(canvas)
        kinds = self.cell_colours()
        for area in lay.inputs:
            cells = as_cells(area)
            canvas.grid(cells, c["padding"], c["grid"])
            for (row, col), name in np.ndenumerate(kinds):
                if name != "padding":
                    canvas.fill(cells.cell_box(row, col), c[name])
        for bank in lay.kernels:
            for cells in bank:
                canvas.grid(cells, c["kernel"], c["grid"])
        for area in lay.outputs:
            canvas.grid(as_cells(area), c["output"], c["grid"])
        for entry in lay.swatches:
            canvas.swatch(entry, self.palette, lay.scale)
        for item in lay.texts:
            canvas.write(item, self.palette)
        return canvas

    def draw(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Taps, kernels in use, the current output cell, link lines, footprint, status."""
        lay, c = self.layout, self.colour
        top, left, bottom, right = step.window
        for cells in lay.inputs:
            for tap in step.taps:
                frame.fill(cells.cell_box(tap.row, tap.col),
                     c["tap_padding"] if tap.padding else c["tap"])
        for out in step.outputs:
            self.mark_kernels(frame, out.channel)
            frame.fill(lay.output_grid(out.channel).cell_box(out.row, out.col), c["current"])
        self.links(frame, state, step)
        for cells in lay.inputs:
            frame.outline(cells.span_box(top, left, bottom, right), c["footprint"],
                    2 * lay.scale)
        self.write_status(frame, step)

    def mark_kernels(self, frame: Canvas, channel: int) -> None:
        """Show the kernels of output ``channel`` in use: filled; a pooling operation's
        box (its name inside) gets an inner border instead."""
        lay, c = self.layout, self.colour
        for kernel in lay.kernel_bank(channel):
            if self.layer.weight_shape is None:
                frame.border(inset(kernel.box, lay.scale), c["kernel_active"], 3 * lay.scale)
            else:
                frame.grid(kernel, c["kernel_active"], c["grid"])

    def links(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Lines from each footprint to its kernel and on to the output cell, straight
        where no other grid is in the way, else round it (:meth:`routes`)."""
        lay, c, s = self.layout, self.colour, self.layout.scale
        for _, cells, out, kernel in self.linked(step):
            output = lay.output_grid(out.channel)
            own = (cells.box, kernel.box, output.box)
            obstacles = [box for box in self.grid_boxes if box not in own]
            for candidates in self.routes(cells.span_box(*step.window), kernel,
                                          output.cell_box(out.row, out.col)):
                route = first_clear(candidates, obstacles)
                for a, b in itertools.pairwise(route):
                    frame.line(a, b, c["link"], s)
        self.restore_idle_kernels(frame, state, step)

    @cached_property
    def grid_boxes(self) -> list[Box]:
        """Every grid's box: what link lines must not cross."""
        lay = self.layout
        return [area.box for area in (*lay.inputs, *lay.outputs)] + [
            kernel.box for bank in lay.kernels for kernel in bank]

    def routes(self, foot: Box, kernel: Grid, cell: Box) -> list[list[Route]]:
        """The candidate routes of a step's three lines from one input channel: the
        footprint's right corners to the kernel's left ones, and the kernel to the output
        cell. Each is straight first; then round the other kernels of its row through the
        corridors above and below it, and on beside the output column."""
        s, kbox = self.layout.scale, kernel.box
        row = [k.box for bank in self.layout.kernels for k in bank if k.box[1] == kbox[1]]
        bank_left, bank_right = min(b[0] for b in row), max(b[2] for b in row)
        above, below = kbox[1] - 4 * s, kbox[3] + 3 * s
        before, after = bank_left - 4 * s, bank_right + 4 * s
        out_x = min(area.box[0] for area in self.layout.outputs) - 4 * s
        top_start, top_end = (foot[2] + s, foot[1]), (kbox[0] - 2 * s + 1, kbox[1])
        low_start, low_end = (foot[2] + s, foot[3] - s), (kbox[0] - 2 * s + 1, kbox[3] - s)
        middle = (kbox[1] + kbox[3]) // 2 - s // 2
        start, end = (kbox[2], middle), (cell[0] - 3 * s + 1, (cell[1] + cell[3]) // 2 - s // 2)
        rounds = [
            [start, (kbox[2] + 3 * s, middle), (kbox[2] + 3 * s, level), (after, level), end]
            for level in (above, below)]
        return [
            [[top_start, top_end], [top_start, (before, above), (top_end[0], above), top_end]],
            [[low_start, low_end], [low_start, (before, below), (low_end[0], below), low_end]],
            [[start, end], [(kbox[2], kbox[1]), end], [(kbox[2], kbox[3] - s), end], *rounds,
             *([*r[:-1], (out_x, r[-2][1]), (out_x, end[1]), end] for r in rounds)],
        ]

    def linked(self, step: Step) -> list[tuple[int, Area, OutputCell, Grid]]:
        """Each shown input channel that a shown output cell of ``step`` reads: the
        channel, its grid, the output cell and the kernel between them."""
        lay = self.layout
        outputs = {out.group: out for out in step.outputs}
        links = []
        for channel, cells in lay.shown_inputs():
            out = outputs.get(lay.input_group(channel))
            kernel = None if out is None else lay.kernel_grid(out.channel, channel)
            if out is not None and kernel is not None:
                links.append((channel, cells, out, kernel))
        return links

    def restore_idle_kernels(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Put kernels not in use back in front of the link lines, which pass behind them."""
        active = {out.channel for out in step.outputs}
        for channel, bank in zip(self.layout.shown.outputs, self.layout.kernels, strict=True):
            if channel not in active:
                for kernel in bank:
                    frame.copy_from(state, kernel.box)

    def advance_cell(self, state: Canvas, out: OutputCell) -> None:
        """Output cell ``out`` is computed from now on."""
        state.fill(self.layout.output_grid(out.channel).cell_box(out.row, out.col),
             self.colour["done"])
