"""The Conv1d scenes: Conv2d's drawing on the stacked layout, its links running down.

From each input row's footprint two lines go down to the kernel it meets, and
one line from each kernel in use down to the output cell; the lines pass behind
the input rows they cross and behind kernels not in use.
"""

from __future__ import annotations

from ..trace import Step
from .canvas import Canvas
from .conv2d import Conv2dScene
from .conv2d_values import Conv2dValueScene


def vertical_links(scene: Conv2dScene, frame: Canvas, state: Canvas, step: Step) -> None:
    """The links of a stacked layout: footprints down to kernels, kernels to outputs."""
    lay, c, s = scene.layout, scene.colour, scene.layout.scale
    top, left, bottom, right = step.window
    rows = [frame.snapshot(g.box) for g in lay.inputs]
    for _, cells, _, kernel in scene.linked(step):
        target = kernel.box
        foot = cells.span_box(top, left, bottom, right)
        frame.line((foot[0], foot[3] + s), (target[0], target[1] - 2 * s + 1), c["link"], s)
        frame.line((foot[2] - s, foot[3] + s), (target[2] - s, target[1] - 2 * s + 1),
             c["link"], s)
    for out in step.outputs:
        cell = lay.output_grid(out.channel).cell_box(out.row, out.col)
        for kernel in lay.kernel_bank(out.channel):
            frame.line(((kernel.box[0] + kernel.box[2]) // 2, kernel.box[3]),
                 ((cell[0] + cell[2]) // 2, cell[1] - 2 * s + 1), c["link"], s)
    for before in rows:  # lines pass behind the rows
        frame.restore(before)
    scene.restore_idle_kernels(frame, state, step)


class Conv1dScene(Conv2dScene):
    """Frames of a Conv1d layer: one-row grids, stacked."""

    def links(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Footprints down to the kernels, kernels down to the output cells."""
        vertical_links(self, frame, state, step)


class Conv1dValueScene(Conv2dValueScene):
    """Frames of a Conv1d layer with its numbers."""

    def links(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Footprints down to the kernels, kernels down to the output cells."""
        vertical_links(self, frame, state, step)
