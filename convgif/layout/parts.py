"""The pieces every layout is made of: grids of cells, text, legend swatches, text slots.

Pure geometry: boxes are ``(left, top, right, bottom)`` in px, right and bottom
exclusive. Nothing here draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..font import line_height, text_width
from ..layers import Layer, WindowLayer
from ..layers.channels import Channels
from ..schedule import Frame, Schedule
from ..trace import OutputCell

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive


@dataclass(frozen=True)
class Grid:
    """A rows x cols grid of square cells whose top-left grid line is at (x, y).

    Grid lines are ``line`` px wide (1, or the drawing's scale) starting at
    ``x + k*cell`` and ``y + k*cell``; a cell's interior lies between them.
    """

    x: int
    y: int
    rows: int
    cols: int
    cell: int
    line: int = 1

    @property
    def box(self) -> Box:
        """The grid's extent, outer lines included."""
        return (self.x, self.y, self.x + self.cols * self.cell + self.line,
                self.y + self.rows * self.cell + self.line)

    def cell_box(self, row: int, col: int) -> Box:
        """The interior of cell (row, col), grid lines excluded."""
        left, top = self.x + col * self.cell + self.line, self.y + row * self.cell + self.line
        return (left, top, left + self.cell - self.line, top + self.cell - self.line)

    def span_box(self, top: int, left: int, bottom: int, right: int) -> Box:
        """The grid lines around cells [top, bottom) x [left, right), lines included."""
        c = self.cell
        return (self.x + left * c, self.y + top * c, self.x + right * c + self.line,
                self.y + bottom * c + self.line)

    def scaled(self, scale: int) -> Grid:
        """The grid drawn ``scale`` times larger: cells, lines and position."""
        return Grid(self.x * scale, self.y * scale, self.rows, self.cols, self.cell * scale,
                    self.line * scale)


@dataclass(frozen=True)
class ImageGrid:
    """A rows x cols grid drawn as an image, ``width`` x ``height`` px at (x, y): no grid
    lines; a cell is a block of pixels when the grid is smaller than its box, and a pixel
    shows the mean of the cells it covers when the grid is larger.

    It answers the same questions as :class:`Grid` (``box``, ``cell_box``,
    ``span_box``), so marks and links are placed alike on both.
    """

    x: int
    y: int
    rows: int
    cols: int
    width: int
    height: int

    @property
    def box(self) -> Box:
        """The image's extent."""
        return (self.x, self.y, self.x + self.width, self.y + self.height)

    def cell_box(self, row: int, col: int) -> Box:
        """The pixels of cell (row, col): at least one pixel, the one holding it."""
        left, right = self._span(col, col + 1, self.cols, self.width)
        top, bottom = self._span(row, row + 1, self.rows, self.height)
        return (self.x + left, self.y + top, self.x + right, self.y + bottom)

    def span_box(self, top: int, left: int, bottom: int, right: int) -> Box:
        """A frame just outside cells [top, bottom) x [left, right): an outline drawn on it
        (as on a :class:`Grid`'s lines) leaves the cells inside visible."""
        x0, x1 = self._span(left, right, self.cols, self.width)
        y0, y1 = self._span(top, bottom, self.rows, self.height)
        return (self.x + x0 - 1, self.y + y0 - 1, self.x + x1 + 2, self.y + y1 + 2)

    @staticmethod
    def _span(first: int, stop: int, cells: int, pixels: int) -> tuple[int, int]:
        """The pixels showing cells [first, stop) (pixel p shows cell p * cells // pixels);
        the one holding ``first`` when none shows it alone."""
        start, end = -(-first * pixels // cells), -(-stop * pixels // cells)
        if end <= start:
            start = first * pixels // cells
            end = start + 1
        return min(start, pixels - 1), min(end, pixels)

    def scaled(self, scale: int) -> ImageGrid:
        """The image drawn ``scale`` times larger."""
        return ImageGrid(self.x * scale, self.y * scale, self.rows, self.cols,
                         self.width * scale, self.height * scale)


Area = Grid | ImageGrid  # what holds a channel's cells: a grid of cells, or an image


@dataclass(frozen=True)
class Magnifier:
    """The detail of the current step beside image grids (CNN Explainer's idea): the
    window the kernel reads in each magnified input channel, as cells with numbers,
    each channel's kernel slice, and the output cell with its value.

    The columns show the first shown input channels of the current output channel's
    group; ``kernels`` is empty for pooling, whose operation is drawn in ``operation``
    instead.
    """

    windows: tuple[Grid, ...]
    kernels: tuple[Grid, ...]
    output: Grid
    operation: Grid | None
    box: Box
    labels: tuple[tuple[int, int], ...]  # where each column's channel is named, per step

    def scaled(self, scale: int) -> Magnifier:
        """The panel drawn ``scale`` times larger."""
        return Magnifier(tuple(g.scaled(scale) for g in self.windows),
                         tuple(g.scaled(scale) for g in self.kernels),
                         self.output.scaled(scale),
                         None if self.operation is None else self.operation.scaled(scale),
                         scaled_box(self.box, scale),
                         tuple((x * scale, y * scale) for x, y in self.labels))


@dataclass(frozen=True)
class Text:
    """A line of static text with its top-left corner, font size and colour role."""

    text: str
    x: int
    y: int
    size: int
    role: str  # "text" or "muted"

    def scaled(self, scale: int) -> Text:
        """The text drawn ``scale`` times larger (its font size too)."""
        return Text(self.text, self.x * scale, self.y * scale, self.size * scale, self.role)


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a theme colour drawn as the grids use it, and its label.

    ``style`` is how: ``"fill"`` (a filled square), ``"outline"`` (a frame, as
    the footprint), ``"border"`` (a cell with a coloured inner border),
    ``"corner"`` (a cell with a marked corner) or ``"ramp"`` (a bar of the
    value ramp named ``colour``).
    """

    colour: str
    box: Box
    label: Text
    style: str = "fill"

    def scaled(self, scale: int) -> Swatch:
        """The entry drawn ``scale`` times larger."""
        return Swatch(self.colour, scaled_box(self.box, scale), self.label.scaled(scale),
                      self.style)


@dataclass(frozen=True)
class ValueText:
    """What a layout with values must make room for.

    ``widest`` is the widest number a cell shows, ``ramps`` the value ramps
    the grids use (``"diverging"``, ``"sequential"``) and ``formula`` the
    widest formula line of the shortest form; ``read`` is the widest input or
    weight number (what the magnifier's window and kernel cells hold; default
    ``widest``).
    """

    widest: str
    ramps: tuple[str, ...]
    formula: str
    read: str = ""


@dataclass(frozen=True)
class Slots:
    """Where the text below the grids goes, top to bottom.

    ``status`` holds the per-frame status line, ``formula`` the per-frame
    arithmetic (an empty box, no height, when frames have none), ``legend``
    the swatches and ``caption`` the article's caption line.
    """

    status: Box
    formula: Box
    legend: Box
    caption: Box

    def scaled(self, scale: int) -> Slots:
        """The slots of a drawing ``scale`` times larger."""
        return Slots(*(scaled_box(box, scale) for box in
                       (self.status, self.formula, self.legend, self.caption)))


@dataclass(frozen=True)
class Layout:
    """The geometry of every frame of one layer's animation."""

    layer: WindowLayer
    cell: int
    font_size: int
    width: int
    height: int
    inputs: tuple[Area, ...]  # one per shown input channel, padded
    kernels: tuple[tuple[Grid, ...], ...]  # [shown output channel][its shown input channels]
    outputs: tuple[Area, ...]  # one per shown output channel
    texts: tuple[Text, ...]
    swatches: tuple[Swatch, ...]
    slots: Slots
    number_size: int | None = None  # font size of numbers in cells; None: no numbers
    scale: int = 1  # px per px of the scale-1 drawing: line widths, marks, text sizes
    channels: Channels | None = None  # the channels shown; None: all of them
    magnifier: Magnifier | None = None  # the step's detail, beside image grids

    def scaled(self, scale: int) -> Layout:
        """Everything placed ``scale`` times larger, for high-density screens: cells,
        lines, gaps and font sizes (text is drawn at the larger size, not upscaled)."""
        if scale == 1:
            return self
        return Layout(
            self.layer, self.cell * scale, self.font_size * scale, self.width * scale,
            self.height * scale, tuple(g.scaled(scale) for g in self.inputs),
            tuple(tuple(g.scaled(scale) for g in bank) for bank in self.kernels),
            tuple(g.scaled(scale) for g in self.outputs),
            tuple(t.scaled(scale) for t in self.texts),
            tuple(s.scaled(scale) for s in self.swatches), self.slots.scaled(scale),
            None if self.number_size is None else self.number_size * scale,
            self.scale * scale, self.channels,
            None if self.magnifier is None else self.magnifier.scaled(scale))

    def input_group(self, channel: int) -> int:
        """The group an input channel belongs to."""
        return channel // self.layer.in_per_group

    @property
    def shown(self) -> Channels:
        """The channels shown."""
        return self.channels if self.channels is not None else Channels.every(self.layer)

    def shown_inputs(self) -> list[tuple[int, Area]]:
        """Each shown input channel with its grid, in order."""
        return list(zip(self.shown.inputs, self.inputs, strict=True))

    def output_grid(self, channel: int) -> Area:
        """The grid of output channel ``channel`` (a shown one)."""
        return self.outputs[self.shown.outputs.index(channel)]

    def kernel_bank(self, channel: int) -> tuple[Grid, ...]:
        """The kernels of output channel ``channel``, one per shown input channel of its
        group."""
        return self.kernels[self.shown.outputs.index(channel)]

    def kernel_grid(self, channel: int, input_channel: int) -> Grid | None:
        """The kernel output channel ``channel`` applies to ``input_channel`` (None when
        that input channel is not shown)."""
        group = channel // self.layer.out_per_group
        shown = [c for c in self.shown.inputs if c // self.layer.in_per_group == group]
        if input_channel not in shown:
            return None
        return self.kernel_bank(channel)[shown.index(input_channel)]


def scaled_box(box: Box, scale: int) -> Box:
    """``box`` on a drawing ``scale`` times larger."""
    left, top, right, bottom = box
    return (left * scale, top * scale, right * scale, bottom * scale)


def _cells(outputs: Sequence[OutputCell]) -> str:
    """``output[0, 1, 2], output[1, 1, 2] and 3 more groups``."""
    cells = [f"output[{o.channel}, {o.row}, {o.col}]" for o in outputs[:3]]
    more = len(outputs) - len(cells)
    return ", ".join(cells) + (f" and {more} more group{'s' * (more != 1)}" if more else "")


def channel_list(kind: str, channels: Sequence[int]) -> str:
    """``input channel 4``, ``input channels 4-7`` or ``input channels 0, 5, 9``."""
    if len(channels) == 1:
        return f"{kind} channel {channels[0]}"
    if list(channels) == list(range(channels[0], channels[-1] + 1)):
        return f"{kind} channels {channels[0]}-{channels[-1]}"
    return f"{kind} channels {', '.join(str(c) for c in channels)}"


def more(count: int, what: str) -> str:
    """``+ 61 more output channels``: the channels a frame does not show, named."""
    return f"+ {count:,} more {what}{'s' * (count != 1)}"


def status_text(layer: Layer, index: int, outputs: Sequence[OutputCell],
                count: int | None = None) -> str:
    """The status line of step ``index``, which computes ``outputs`` (one cell per group),
    of ``count`` steps (default the layer's)."""
    count = layer.n_steps if count is None else count
    return f"step {index + 1:,} of {count:,}: computing {_cells(outputs)}"


def frame_status(layer: Layer, schedule: Schedule, frame: Frame,
                 outputs: Sequence[OutputCell]) -> str:
    """The status line of ``frame``: its step's (:func:`status_text`) when the schedule
    shows one step per frame; else the steps it covers (``steps 1,025-1,536 of 802,816
    (512 per frame), up to output[0, 9, 15]``), or that all are done (the complete
    frame). ``outputs`` are those of the frame's last step (none for the complete one)."""
    count = schedule.count
    if not schedule.sped:
        return status_text(layer, frame.last, outputs, count)
    if not frame.marks:
        first, last = schedule.frames[0].start + 1, frame.stop
        shown = "" if count == layer.n_steps else " of the output channels shown"
        if (first, last) == (1, count):
            return f"done: all {count:,} steps{shown}"
        return f"done: steps {first:,}-{last:,} of {count:,}{shown}"
    if frame.size == 1:
        return f"step {frame.last + 1:,} of {count:,}: computing {_cells(outputs)}"
    return (f"steps {frame.start + 1:,}-{frame.stop:,} of {count:,} ({frame.size:,} per "
            f"frame), up to {_cells(outputs)}")


def font_size(cell: int) -> int:
    """The text size that goes with cells of ``cell`` px."""
    return max(12, min(20, round(cell * 0.65)))


def number_size(cell: int) -> int:
    """The size of the numbers inside cells of ``cell`` px."""
    return 10 if cell < 30 else 12 if cell < 40 else 14


def number_fits(text: str, cell: int) -> bool:
    """Whether ``text`` fits inside a cell of ``cell`` px at :func:`number_size`."""
    size = number_size(cell)
    return text_width(text, size) <= cell - 4 and line_height(size) <= cell + 1


def cell_for_number(text: str, size: int | None = None) -> int:
    """The smallest cell (at least 20 px) that holds ``text`` (at ``size``; by default
    at the size :func:`number_size` gives the cell)."""
    cell = 20
    while not (number_fits(text, cell) if size is None else
               text_width(text, size) <= cell - 4 and line_height(size) <= cell + 1):
        cell += 1
    return cell


def stack(heights: list[int], gap: int) -> tuple[list[int], int]:
    """Offsets of items of ``heights`` stacked with ``gap``, and the stack's height."""
    offsets, y = [], 0
    for h in heights:
        offsets.append(y)
        y += h + gap
    return offsets, y - gap
