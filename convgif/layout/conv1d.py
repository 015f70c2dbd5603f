"""The layout of a Conv1d scene: one-row grids stacked, so long sequences fit a page.

Top to bottom: the padded input channels (one row each, grouped), the kernels
(one row per output channel: its kernel for each input channel of its group,
side by side), the output channels (one row each), then the text slots of
:func:`convgif.layout.conv2d.below`. With the automatic cell size, cells shrink
until the widest row fits :data:`PAGE_WIDTH` (a README's width).
"""

from __future__ import annotations

from ..font import line_height, text_width
from ..layers import WindowLayer
from .conv2d import _channels, below, text_need
from .parts import Grid, Layout, Text, ValueText, font_size, number_fits, number_size

PAGE_WIDTH = 880  # px: what a README or a blog column shows at full size


def width_of(layer: WindowLayer, cell: int) -> int:
    """The widest row of grids, in px, with cells of ``cell`` px."""
    _, length = layer.axes
    rows = max(length.reach, layer.output_size[1]) * cell + 1
    bank = layer.in_per_group * (length.kernel * cell + 1) + (layer.in_per_group - 1) * cell
    return max(rows, bank)


def place(layer: WindowLayer, cell: int, text: ValueText | None = None) -> Layout:
    """Place a Conv1d layer's frames with cells of ``cell`` px (see the module's doc)."""
    size = font_size(cell)
    lh = line_height(size)
    margin = max(16, cell)
    _, length = layer.axes
    g, cg, og = layer.groups, layer.in_per_group, layer.out_per_group
    row_gap, block_gap = max(cell // 3, 4), max(cell, 14)
    grids_w = width_of(layer, cell)
    labels = [f"input {layer.input_shape}", f"kernels {layer.weight_shape}",
              f"output {layer.output_shape}"]
    group_labels = [f"group {i + 1} of {g}: {_channels('input', i * cg, cg)} -> "
                    f"{_channels('output', i * og, og)}" for i in range(g)] if g > 1 else []
    content_w = max(grids_w, text_need(layer, text, size),
                    *(text_width(t, size) for t in labels + group_labels))
    ox = margin + (content_w - grids_w) // 2
    texts: list[Text] = []
    y = margin

    def heading(label: str) -> None:
        nonlocal y
        texts.append(Text(label, ox, y, size, "text"))
        y += lh + 4

    inputs: list[Grid] = []
    heading(labels[0])
    for gi in range(g):
        if group_labels:
            y += 4 if gi else 0  # clear of the footprint's outline on the row above
            texts.append(Text(group_labels[gi], ox, y, size, "muted"))
            y += lh + 2
        for _ in range(cg):
            inputs.append(Grid(ox, y, 1, length.reach, cell))
            y += cell + 1 + row_gap
    y += block_gap
    heading(labels[1])
    kernels: list[tuple[Grid, ...]] = []
    k_w = length.kernel * cell + 1
    bank_w = cg * k_w + (cg - 1) * cell
    for _ in range(layer.out_channels):
        x = ox + (grids_w - bank_w) // 2
        kernels.append(tuple(Grid(x + i * (k_w + cell), y, 1, length.kernel, cell)
                             for i in range(cg)))
        y += cell + 1 + row_gap
    y += block_gap
    heading(labels[2])
    outputs: list[Grid] = []
    for _ in range(layer.out_channels):
        outputs.append(Grid(ox, y, 1, layer.output_size[1], cell))
        y += cell + 1 + row_gap
    swatches, slots, height = below(layer, text, cell, margin, content_w, y - row_gap, texts)
    return Layout(layer, cell, size, content_w + 2 * margin, height, tuple(inputs),
                  tuple(kernels), tuple(outputs), tuple(texts), tuple(swatches), slots,
                  number_size(cell) if text is not None and number_fits(text.widest, cell)
                  else None)
