"""The image look's scene: grids drawn as images, the step's numbers in the magnifier.

Inputs are drawn once, as pictures: a colour photo in its own colours (quantised to
:data:`~convgif.theme.PHOTO_COLOURS`), other channels on the grey ramp (non-negative
values: dark stays dark) or the heat ramp (diverging around 0), padding and other
cells of the kind in their colours. Output channels fill in as feature maps, on
the same ramps, as their steps are computed; a frame that covers many steps
paints them at once (a mask over the image, no loop over cells). Each frame
outlines the window on the inputs and the cell being computed on the outputs,
and the magnifier shows the window's numbers, the kernel's and the output's,
linked to where they sit by lines that pass behind the images.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from PIL import Image

from ..layers import WindowLayer
from ..layout import Grid, ImageGrid, Layout, Magnifier, Text, kind_colours
from ..layout.numbers import shading
from ..options import RenderOptions
from ..schedule import Schedule
from ..theme import PHOTO_COLOURS, THEMES, ImageColours, Palette, palette
from ..trace import OutputCell, Step
from ..values import Values
from .canvas import Canvas
from .conv2d_values import Conv2dValueScene


def pixel_cells(cells: int, pixels: int) -> np.ndarray:
    """The first cell each of ``pixels`` px shows when ``cells`` cells span them."""
    return np.arange(pixels) * cells // pixels


def pixel_means(array: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``array`` (cells) as ``rows`` x ``cols`` px: each pixel the mean of the cells it
    covers (a block of pixels per cell when there are fewer cells than pixels)."""
    out = array.astype(np.float64)
    for axis, pixels in ((0, rows), (1, cols)):
        cells = out.shape[axis]
        starts = pixel_cells(cells, pixels)
        sums = np.add.reduceat(out, starts, axis=axis)
        counts = np.maximum(np.diff(np.append(starts, cells)), 1)
        shape = [1, 1]
        shape[axis] = pixels
        out = sums / counts.reshape(shape)
    return out


def last_cells(area: ImageGrid, width: int) -> np.ndarray:
    """For each pixel of ``area``, the row-major index (in a row of ``width`` cells) of the
    last cell it covers: the pixel is computed once that cell is."""
    rows = np.minimum((np.arange(area.height) + 1) * area.rows // area.height,
                      area.rows) - 1
    cols = np.minimum((np.arange(area.width) + 1) * area.cols // area.width, area.cols) - 1
    rows = np.maximum(rows, pixel_cells(area.rows, area.height))
    cols = np.maximum(cols, pixel_cells(area.cols, area.width))
    return rows[:, None] * width + cols[None, :]  # type: ignore[no-any-return]


def photo_pixels(padded: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """A three-channel input as 0..255 RGB: as given when it is 0..255 (a photo), else
    each channel stretched from its least to its largest input value."""
    rgb = padded.astype(np.float64)
    inside = rgb[:, cell]
    if inside.size and (inside.min() < 0 or inside.max() > 255):
        low = inside.min(axis=1)[:, None, None]
        span = np.maximum(inside.max(axis=1) - inside.min(axis=1), 1e-12)[:, None, None]
        rgb = (rgb - low) / span * 255
    return np.clip(np.moveaxis(rgb, 0, 2), 0, 255)


TAP_CELL = 16  # px: smaller magnified cells show their tint, not a border for each tap


class ImageScene(Conv2dValueScene):
    """Frames of a layer in the image look (:mod:`convgif.layout.images`)."""

    def __init__(self, layer: WindowLayer, options: RenderOptions, values: Values,
                 layout: Layout, schedule: Schedule, colour: bool = False) -> None:
        self.colour_input = colour
        super().__init__(layer, options, values, layout=layout, schedule=schedule)

    @cached_property
    def input_pixels(self) -> tuple[np.ndarray, tuple[tuple[int, int, int], ...]]:
        """The input image's RGB pixels quantised (indices into its colours) and its
        colours, for a colour photo; empty otherwise."""
        if not self.colour_input:
            return np.zeros((0, 0), np.uint8), ()
        area = self.image(self.layout.inputs[0])
        kinds = self.kinds
        rgb = np.stack([pixel_means(channel, area.height, area.width) for channel in
                        np.moveaxis(photo_pixels(self.numbers.padded, kinds == "cell"), 2, 0)],
                       axis=2)
        picture = Image.fromarray(np.rint(rgb).astype(np.uint8), "RGB").quantize(
            PHOTO_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        colours = picture.getpalette() or []
        used = len(picture.getcolors() or [])
        entries = tuple(tuple(colours[3 * i:3 * i + 3]) for i in range(max(used, 1)))
        return np.asarray(picture), entries  # type: ignore[return-value]

    def make_palette(self) -> Palette:
        """The value palette, the image ramps the grids use and a colour photo's colours."""
        ramps = {"grey" if ramp == "sequential" else "heat"
                 for name, (ramp, _) in shading(self.numbers).items() if name != "weight"}
        return palette(THEMES[self.options.theme], values=True,
                       extra=kind_colours(self.layer, True),
                       images=ImageColours(tuple(sorted(ramps)), self.input_pixels[1]))

    @cached_property
    def kinds(self) -> np.ndarray:
        """Each input cell's colour name (:meth:`cell_colours`), worked out once."""
        return self.cell_colours()

    @staticmethod
    def image(area: object) -> ImageGrid:
        """``area`` as an image grid (the image look places nothing else)."""
        if not isinstance(area, ImageGrid):
            raise TypeError(f"the image look draws images, not {type(area).__name__}")
        return area

    @cached_property
    def image_scales(self) -> dict[str, float]:
        """The value at the end of each image ramp: 255 for a photo's pixels (its own
        brightness: dark stays dark), else (feature maps, other inputs) the 99th
        percentile of the magnitudes (a few extreme cells do not wash a map out; beyond
        it the ramp saturates)."""
        scales = {}
        for name, array in (("input", self.numbers.input), ("output", self.numbers.output)):
            finite = np.abs(array[np.isfinite(array)])
            photo = (name == "input" and self.numbers.picture and finite.size
                     and finite.max() <= 255)
            scale = 255.0 if photo else float(np.percentile(finite, 99)) if finite.size else 0
            scales[name] = scale or self.shading[name][1]
        return scales

    def shades(self, name: str, values: np.ndarray) -> np.ndarray:
        """Palette indices of ``values`` on the image ramp of grid kind ``name``."""
        ramp, _ = self.shading[name]
        finite = np.where(np.isfinite(values), values, 0)
        return self.palette.shades("grey" if ramp == "sequential" else "heat", finite,
                                   self.image_scales[name])

    # -- the background: inputs drawn once -----------------------------------------------

    def background(self, canvas: Canvas | None = None) -> Canvas:
        """The input images, outputs not computed yet, the magnifier's empty grids, the
        legend and texts."""
        lay, c = self.layout, self.colour
        canvas = self.blank(canvas)
        kinds = self.kinds
        drawn: list[ImageGrid] = []
        for channel, area in lay.shown_inputs():
            image = self.image(area)
            if image in drawn:  # a colour photo: three channels, one image
                continue
            drawn.append(image)
            rows = pixel_cells(image.rows, image.height)
            cols = pixel_cells(image.cols, image.width)
            names = kinds[rows][:, cols]
            if self.colour_input:
                pixels = np.asarray(self.palette.photo, np.uint8)[self.input_pixels[0]]
            else:
                pixels = self.shades("input", pixel_means(
                    np.where(kinds == "cell", self.numbers.padded[channel], 0),
                    image.height, image.width))
            for name in ("padding", "inserted", "beyond"):
                if name in c:
                    pixels = np.where(names == name, c[name], pixels)
            canvas.pixels(image.box, pixels)
        for area in lay.outputs:
            canvas.fill(area.box, c["output"])
        magnifier = self.magnifier
        for cells in (*magnifier.windows, *magnifier.kernels, magnifier.output):
            canvas.fill(cells.box, c["output"])
            canvas.grid_lines(cells, cells.box, c["grid"])
        if magnifier.operation is not None:
            canvas.fill(magnifier.operation.box, c["kernel"])
            canvas.grid_lines(magnifier.operation, magnifier.operation.box, c["grid"])
        for entry in lay.swatches:
            canvas.swatch(entry, self.palette, lay.scale)
        for item in lay.texts:
            canvas.write(item, self.palette)
        return canvas

    @property
    def magnifier(self) -> Magnifier:
        """The layout's magnifier (the image look always has one)."""
        if self.layout.magnifier is None:
            raise ValueError("the image look needs a magnifier")
        return self.layout.magnifier

    # -- outputs: feature maps filled in as their steps are computed ------------------------

    @cached_property
    def feature_maps(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Each shown output channel's image (palette indices) and, per pixel, the index
        of the last cell it covers (row-major)."""
        maps = {}
        width = self.layer.output_size[1]
        for channel in self.layout.shown.outputs:
            area = self.image(self.layout.output_grid(channel))
            heat = self.shades("output", pixel_means(self.numbers.output[channel],
                                                     area.height, area.width))
            maps[channel] = (heat, last_cells(area, width))
        return maps

    def computed(self, channel: int, stop: int) -> int:
        """How many cells of output ``channel`` (row-major) steps before ``stop`` compute."""
        plane = self.layer.output_size[0] * self.layer.output_size[1]
        position = self.stepper.in_group.index(channel % self.layer.out_per_group)
        return min(max(stop - position * plane, 0), plane)

    def paint(self, state: Canvas, channel: int, first: int, stop: int) -> None:
        """Show output ``channel``'s cells ``first`` to ``stop`` (row-major, excluded)."""
        if stop <= first:
            return
        heat, last = self.feature_maps[channel]
        state.paint(self.layout.output_grid(channel).box, (last >= first) & (last < stop), heat)

    def advance_range(self, state: Canvas, start: int, stop: int) -> None:
        """The outputs of steps ``start`` to ``stop`` at once, channel by channel."""
        for channel in self.layout.shown.outputs:
            self.paint(state, channel, self.computed(channel, start), self.computed(channel, stop))

    def advance_cell(self, state: Canvas, out: OutputCell) -> None:
        """Output cell ``out`` shows its value from now on."""
        if out.channel in self.layout.shown.outputs:
            index = out.row * self.layer.output_size[1] + out.col
            self.paint(state, out.channel, index, index + 1)

    # -- a step's marks ---------------------------------------------------------------------

    def draw(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Links, the window on the inputs, the cells being computed, the magnifier, the
        status and formula lines."""
        lay, c = self.layout, self.colour
        mark = 2 * lay.scale
        first = step.outputs[0]
        columns = self.magnified(first)
        self.links(frame, state, step)
        drawn: list[ImageGrid] = []
        for _, area in lay.shown_inputs():
            image = self.image(area)
            if image not in drawn:
                drawn.append(image)
                frame.outline(image.span_box(*step.window), c["footprint"], mark)
        for out in step.outputs:
            if out.channel in lay.shown.outputs:
                cell = lay.output_grid(out.channel).cell_box(out.row, out.col)
                frame.outline((cell[0] - 1, cell[1] - 1, cell[2] + 2, cell[3] + 2),
                        c["current"], mark)
        self.draw_magnifier(frame, step, first, columns)
        self.write_status(frame, step)
        self.write_formulas(frame, step)

    def finish(self, frame: Canvas) -> tuple[str, ...]:
        """The complete frame: the finished outputs, the last step still magnified and its
        formula, and the status saying all is done."""
        step = self.stepper.step(self.schedule.frames[-1].start - 1)
        self.draw_magnifier(frame, step, step.outputs[0], self.magnified(step.outputs[0]))
        self.write_formulas(frame, step)
        return (*super().finish(frame), *self.formulas(step))

    def magnified(self, out: OutputCell) -> list[int]:
        """The input channels the magnifier shows for ``out``: its group's shown ones, as
        many as it has columns."""
        group = [c for c in self.layout.shown.inputs
                 if c // self.layer.in_per_group == out.group]
        return group[:len(self.magnifier.windows)]

    def links(self, frame: Canvas, state: Canvas, step: Step) -> None:
        """Lines from the window to the magnified window and from the cell being computed
        to the magnified output: over the images they start in, behind the others."""
        lay, c, s = self.layout, self.colour, self.layout.scale
        first, magnifier = step.outputs[0], self.magnifier
        columns = self.magnified(first)
        sources = []
        if columns:
            source = lay.inputs[lay.shown.inputs.index(columns[0])]
            sources.append(source)
            foot = source.span_box(*step.window)
            target = magnifier.windows[0].box
            frame.line((foot[0], foot[3]), (target[0], target[1] - 2 * s), c["link"], s)
            frame.line((foot[2] - s, foot[3]), (target[2] - s, target[1] - 2 * s), c["link"], s)
        if first.channel in lay.shown.outputs:
            sources.append(lay.output_grid(first.channel))
            cell = sources[-1].cell_box(first.row, first.col)
            out = magnifier.output.box
            frame.line(((cell[0] + cell[2]) // 2, cell[3] + 1),
                 ((out[0] + out[2]) // 2, out[1] - 2 * s), c["link"], s)
        for area in (*lay.inputs, *lay.outputs):
            if area in sources:
                continue
            frame.copy_from(state, area.box)

    def draw_magnifier(self, frame: Canvas, step: Step, out: OutputCell,
                       columns: list[int]) -> None:
        """The window of each magnified channel with its numbers and taps, the kernel slices,
        the operation (pooling) and the output cell with its value."""
        lay, c, values, magnifier = self.layout, self.colour, self.numbers, self.magnifier
        kinds = self.kinds
        top, left, _, _ = step.window
        mark = 2 * lay.scale
        in_ramp, in_scale = self.shading["input"]
        w_ramp, w_scale = self.shading["weight"]
        size = lay.font_size
        for i, window in enumerate(magnifier.windows):
            if i >= len(columns):
                frame.fill(window.box, c["background"])
                continue
            channel = columns[i]
            x, y = magnifier.labels[i]
            frame.write(Text(f"input channel {channel}", x, y, size, "muted"), self.palette)
            for row in range(window.rows):
                for col in range(window.cols):
                    kind = kinds[top + row, left + col]
                    value = (values.padded[channel, top + row, left + col] if kind != "beyond"
                             else np.nan)
                    self._cell(frame, window, row, col, float(value), in_ramp, in_scale,
                               None if kind == "cell" else c[kind])
            frame.grid_lines(window, window.box, c["grid"])
            for tap in step.taps if window.cell >= TAP_CELL else ():
                frame.border(window.cell_box(tap.row - top, tap.col - left),
                             c["tap_padding"] if tap.padding else c["tap"], mark)
            if "chosen" in c:
                tap = self.picked(step, out)
                frame.border(window.cell_box(tap.row - top, tap.col - left), c["chosen"], mark)
            if i < len(magnifier.kernels):
                self.draw_kernel(frame, magnifier.kernels[i], out.channel,
                                 channel % self.layer.in_per_group, w_ramp, w_scale)
        if magnifier.operation is not None:
            frame.border(magnifier.operation.box, c["kernel_active"], mark)
        ramp, scale = self.shading["output"]
        self._cell(frame, magnifier.output, 0, 0,
                   float(values.output[out.channel, out.row, out.col]), ramp, scale)
        frame.grid_lines(magnifier.output, magnifier.output.box, c["grid"])
        frame.border(magnifier.output.cell_box(0, 0), c["current"], mark)

    def draw_kernel(self, frame: Canvas, cells: Grid, channel: int, offset: int,
                    ramp: str, scale: float) -> None:
        """The kernel slice output ``channel`` applies to its group's ``offset``-th input
        channel, its weights in its cells, outlined as in use."""
        for ky in range(cells.rows):
            for kx in range(cells.cols):
                index = self.layer.weight_index(channel, offset, (ky, kx))
                if index is not None:
                    self._cell(frame, cells, ky, kx, float(self.numbers.weight[index]), ramp,
                               scale)
        frame.grid_lines(cells, cells.box, self.colour["grid"])
        frame.outline(cells.box, self.colour["kernel_active"], 2 * self.layout.scale)
