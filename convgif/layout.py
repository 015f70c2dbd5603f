"""Where everything sits on the canvas: pure geometry, no drawing.

Left to right: the padded input channels, the kernels, the output channels.
Top to bottom: column headers, one block per group (input channels stacked, the
kernels of each input channel beside it, one column per output channel of the
group, and the group's output channels), then a status line, the legend and the
caption. Every cell's rectangle is exposed, so tests can check pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .font import line_height, text_width
from .spec import ConvSpec
from .trace import OutputCell

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive

DEFAULT_CELL = 14
MIN_AUTO_CELL = 6
COMFORT_SIDE = 1400  # the automatic cell size shrinks until the canvas fits this square
LEGEND = (
    ("padding", "padding"),
    ("tap", "read by the kernel"),
    ("tap_padding", "padding read by the kernel"),
    ("footprint", "kernel footprint"),
    ("kernel_active", "kernels in use"),
    ("done", "computed"),
    ("current", "being computed"),
)
PADDING_ONLY = frozenset({"padding", "tap_padding"})  # legend entries shown only with padding


@dataclass(frozen=True)
class Grid:
    """A rows x cols grid of square cells whose top-left grid line is at (x, y).

    Grid lines are 1 px wide at ``x + k*cell`` and ``y + k*cell``; a cell's
    interior lies between them.
    """

    x: int
    y: int
    rows: int
    cols: int
    cell: int

    @property
    def box(self) -> Box:
        """The grid's extent, outer lines included."""
        return (self.x, self.y, self.x + self.cols * self.cell + 1,
                self.y + self.rows * self.cell + 1)

    def cell_box(self, row: int, col: int) -> Box:
        """The interior of cell (row, col), grid lines excluded."""
        left, top = self.x + col * self.cell + 1, self.y + row * self.cell + 1
        return (left, top, left + self.cell - 1, top + self.cell - 1)

    def span_box(self, top: int, left: int, bottom: int, right: int) -> Box:
        """The grid lines around cells [top, bottom) x [left, right), lines included."""
        c = self.cell
        return (self.x + left * c, self.y + top * c, self.x + right * c + 1,
                self.y + bottom * c + 1)


@dataclass(frozen=True)
class Text:
    """A line of static text with its top-left corner, font size and colour role."""

    text: str
    x: int
    y: int
    size: int
    role: str  # "text" or "muted"


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a square of a theme colour and its label."""

    colour: str
    box: Box
    label: Text


@dataclass(frozen=True)
class Layout:
    """The geometry of every frame of one spec's animation."""

    spec: ConvSpec
    cell: int
    font_size: int
    width: int
    height: int
    inputs: tuple[Grid, ...]  # one per input channel, padded
    kernels: tuple[tuple[Grid, ...], ...]  # [output channel][input channel within its group]
    outputs: tuple[Grid, ...]  # one per output channel
    texts: tuple[Text, ...]
    swatches: tuple[Swatch, ...]
    status: Box  # where the per-frame status line goes

    def input_group(self, channel: int) -> int:
        """The group an input channel belongs to."""
        return channel // self.spec.groups_in


def status_text(spec: ConvSpec, index: int, outputs: Sequence[OutputCell]) -> str:
    """The status line of step ``index``, which computes ``outputs`` (one cell per group)."""
    cells = [f"output[{o.channel}, {o.row}, {o.col}]" for o in outputs[:3]]
    more = len(outputs) - len(cells)
    tail = f" and {more} more groups" if more else ""
    return f"step {index + 1} of {spec.n_steps}: computing {', '.join(cells)}{tail}"


def _font_size(cell: int) -> int:
    return max(12, min(20, round(cell * 0.65)))


def _channels(kind: str, first: int, count: int) -> str:
    """``input channel 4`` or ``input channels 4-7``."""
    if count == 1:
        return f"{kind} channel {first}"
    return f"{kind} channels {first}-{first + count - 1}"


def _stack(heights: list[int], gap: int) -> tuple[list[int], int]:
    """Offsets of items of ``heights`` stacked with ``gap``, and the stack's height."""
    offsets, y = [], 0
    for h in heights:
        offsets.append(y)
        y += h + gap
    return offsets, y - gap


def layout(spec: ConvSpec, cell_size: int | None = None) -> Layout:
    """Place every grid, label and legend entry of ``spec``'s frames.

    ``cell_size`` is the side of one cell in px; None picks the largest size up
    to 14 px (down to 6 px) that keeps the canvas within about 1400x1400 px.
    """
    if cell_size is not None:
        return _layout(spec, cell_size)
    for cell in range(DEFAULT_CELL, MIN_AUTO_CELL - 1, -1):
        placed = _layout(spec, cell)
        if max(placed.width, placed.height) <= COMFORT_SIDE:
            return placed
    return placed


def _layout(spec: ConvSpec, cell: int) -> Layout:
    size = _font_size(cell)
    lh = line_height(size)
    margin = max(16, cell)
    (hp, wp), (kh, kw), (oh, ow) = spec.padded_size, spec.kernel, spec.output_size
    g, cg, og = spec.groups, spec.groups_in, spec.groups_out
    channel_gap = max(cell // 2, 8)
    kernel_gap = max(cell // 2, 6)
    in_w, in_h = wp * cell + 1, hp * cell + 1
    k_w, k_h = kw * cell + 1, kh * cell + 1
    out_w, out_h = ow * cell + 1, oh * cell + 1
    bank_w = og * k_w + (og - 1) * kernel_gap

    headers = [
        ("input", str(spec.input_shape)),
        ("kernels", str(spec.weight_shape)),
        ("output", str(spec.output_shape)),
    ]
    header_w = [max(text_width(a, size), text_width(b, size)) for a, b in headers]
    base_gap = max(3 * cell, 48)
    gap1 = max(base_gap, header_w[0] - in_w + 16)
    gap2 = max(base_gap, header_w[1] - bank_w + 16)
    x_in = 0
    x_k = x_in + in_w + gap1
    x_out = x_k + bank_w + gap2
    grids_w = max(x_out + out_w, x_out + header_w[2])

    group_labels = [
        f"group {i + 1} of {g}: {_channels('input', i * cg, cg)} -> "
        f"{_channels('output', i * og, og)}"
        for i in range(g)
    ] if g > 1 else []
    legend_items = [(colour, label, text_width(label, size)) for colour, label in LEGEND
                    if colour not in PADDING_ONLY or any(spec.pads)]
    swatch = max(12, min(cell, lh))
    caption_w = text_width(spec.caption, size)
    # The last step's status line is the widest: its numbers have the most digits.
    last = [OutputCell(i, i * og + og - 1, oh - 1, ow - 1) for i in range(g)]
    status_w = text_width(status_text(spec, spec.n_steps - 1, last), size)
    content_w = max([grids_w, caption_w, status_w,
                     *(text_width(t, size) for t in group_labels)])
    width = content_w + 2 * margin
    # Legend wraps into rows when it is wider than the content.
    legend_rows: list[list[tuple[str, str, int]]] = [[]]
    row_w = 0
    for item in legend_items:
        need = swatch + 6 + item[2] + (18 if legend_rows[-1] else 0)
        if legend_rows[-1] and row_w + need > content_w:
            legend_rows.append([])
            row_w, need = 0, swatch + 6 + item[2]
        legend_rows[-1].append(item)
        row_w += need
    ox = margin + (content_w - grids_w) // 2  # grids are centred on the canvas

    texts: list[Text] = []
    y = margin
    for (name, shape), x in zip(headers, (x_in, x_k, x_out), strict=True):
        texts.append(Text(name, ox + x, y, size, "text"))
        texts.append(Text(shape, ox + x, y + lh, size, "muted"))
    y += 2 * lh + max(cell // 2, 8)

    inputs: list[Grid] = []
    kernels: list[list[Grid]] = [[] for _ in range(spec.out_channels)]
    outputs: list[Grid] = []
    in_offsets, in_stack = _stack([in_h] * cg, channel_gap)
    out_offsets, out_stack = _stack([out_h] * og, channel_gap)
    block = max(in_stack, out_stack)
    for gi in range(g):
        if group_labels:
            texts.append(Text(group_labels[gi], margin, y, size, "muted"))
            y += lh + 4
        in_top = y + (block - in_stack) // 2
        out_top = y + (block - out_stack) // 2
        for i in range(cg):
            gy = in_top + in_offsets[i]
            inputs.append(Grid(ox + x_in, gy, hp, wp, cell))
            ky = gy + (in_h - k_h) // 2
            for j in range(og):
                kx = ox + x_k + j * (k_w + kernel_gap)
                kernels[gi * og + j].append(Grid(kx, ky, kh, kw, cell))
        for j in range(og):
            outputs.append(Grid(ox + x_out, out_top + out_offsets[j], oh, ow, cell))
        y += block + (2 * cell + 8 if gi < g - 1 else 0)

    y += max(cell, 14)
    status = (margin, y, margin + content_w, y + lh)
    y += lh + max(cell // 2, 10)

    swatches: list[Swatch] = []
    for row in legend_rows:
        x = margin
        for colour, label, w in row:
            top = y + (lh - swatch) // 2
            swatches.append(Swatch(colour, (x, top, x + swatch, top + swatch),
                                   Text(label, x + swatch + 6, y, size, "muted")))
            x += swatch + 6 + w + 18
        y += lh + 6
    y += max(cell // 2, 6)
    texts.append(Text(spec.caption, margin + (content_w - caption_w) // 2, y, size, "text"))
    y += lh + margin
    return Layout(spec, cell, size, width, y, tuple(inputs),
                  tuple(tuple(k) for k in kernels), tuple(outputs), tuple(texts),
                  tuple(swatches), status)
