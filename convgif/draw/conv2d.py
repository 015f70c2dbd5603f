"""The Conv2d scene: taps and footprint on the padded inputs, kernels in use, output cells."""

from __future__ import annotations

import numpy as np

from ..layout import Area, Grid
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
        """Lines from each footprint to its kernel and on to the output cell; kernels not
        in use are put back in front of them."""
        lay, c, s = self.layout, self.colour, self.layout.scale
        top, left, bottom, right = step.window
        for _, cells, out, kernel in self.linked(step):
            foot = cells.span_box(top, left, bottom, right)
            kbox = kernel.box
            cell = lay.output_grid(out.channel).cell_box(out.row, out.col)
            # The footprint's right corners to the kernel's left ones, then one line on
            # from the kernel to the output cell.
            frame.line((foot[2] + s, foot[1]), (kbox[0] - 2 * s + 1, kbox[1]), c["link"], s)
            frame.line((foot[2] + s, foot[3] - s), (kbox[0] - 2 * s + 1, kbox[3] - s),
                 c["link"], s)
            frame.line((kbox[2], (kbox[1] + kbox[3]) // 2 - s // 2),
                 (cell[0] - 3 * s + 1, (cell[1] + cell[3]) // 2 - s // 2), c["link"], s)
        self.restore_idle_kernels(frame, state, step)

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
