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
from ..layers.channels import Channels
from . import images
from .conv2d import below, hidden_notes, text_need
from .magnifier import number_size_of, place_magnifier
from .parts import (
    Grid,
    ImageGrid,
    Layout,
    Text,
    ValueText,
    channel_list,
    font_size,
    number_fits,
    number_size,
)

PAGE_WIDTH = 880  # px: what a README or a blog column shows at full size


def width_of(layer: WindowLayer, cell: int, channels: Channels | None = None) -> int:
    """The widest row of grids, in px, with cells of ``cell`` px."""
    _, length = layer.axes
    shown = channels if channels is not None else Channels.every(layer)
    rows = max(length.reach, layer.output_size[1]) * cell + 1
    depth = shown.depth(layer)
    bank = depth * (length.kernel * cell + 1) + (depth - 1) * cell
    return max(rows, bank)


def place(layer: WindowLayer, cell: int, text: ValueText | None = None,
          channels: Channels | None = None, status: str | None = None) -> Layout:
    """Place a Conv1d layer's frames with cells of ``cell`` px (see the module's doc);
    ``channels`` and ``status`` as for :func:`convgif.layout.conv2d.place`."""
    shown = channels if channels is not None else Channels.every(layer)
    size = font_size(cell)
    lh = line_height(size)
    margin = max(16, cell)
    _, length = layer.axes
    g, cg, og = layer.groups, layer.in_per_group, layer.out_per_group
    groups = shown.groups(layer)
    ins = {gi: [c for c in shown.inputs if c // cg == gi] for gi in groups}
    outs = {gi: [c for c in shown.outputs if c // og == gi] for gi in groups}
    row_gap, block_gap = max(cell // 3, 4), max(cell, 14)
    grids_w = width_of(layer, cell, shown)
    notes = hidden_notes(layer, shown)
    labels = [f"input {layer.input_shape}", f"kernels {layer.weight_shape}",
              f"output {layer.output_shape}"]
    group_labels = {gi: f"group {gi + 1} of {g}: {channel_list('input', ins[gi])} -> "
                        f"{channel_list('output', outs[gi])}" for gi in groups} if g > 1 else {}
    content_w = max(grids_w, text_need(layer, text, size, status),
                    *(text_width(t, size) for t in [*labels, *group_labels.values(), *notes]))
    ox = margin + (content_w - grids_w) // 2
    texts: list[Text] = []
    y = margin

    def heading(label: str) -> None:
        nonlocal y
        texts.append(Text(label, ox, y, size, "text"))
        y += lh + 4

    def note(label: str) -> None:
        nonlocal y
        if label:
            texts.append(Text(label, ox, y, size, "muted"))
            y += lh + row_gap

    inputs: list[Grid] = []
    heading(labels[0])
    for gi in groups:
        if group_labels:
            y += 4 if gi != groups[0] else 0  # clear of the footprint's outline above
            texts.append(Text(group_labels[gi], ox, y, size, "muted"))
            y += lh + 2
        for _ in ins[gi]:
            inputs.append(Grid(ox, y, 1, length.reach, cell))
            y += cell + 1 + row_gap
    note(notes[0])
    y += block_gap
    heading(labels[1])
    kernels: list[tuple[Grid, ...]] = []
    k_w = length.kernel * cell + 1
    for channel in shown.outputs:
        depth = len(ins[channel // og])
        bank_w = depth * k_w + (depth - 1) * cell
        x = ox + (grids_w - bank_w) // 2
        kernels.append(tuple(Grid(x + i * (k_w + cell), y, 1, length.kernel, cell)
                             for i in range(depth)))
        y += cell + 1 + row_gap
    note(notes[1])
    y += block_gap
    heading(labels[2])
    outputs: list[Grid] = []
    for _ in shown.outputs:
        outputs.append(Grid(ox, y, 1, layer.output_size[1], cell))
        y += cell + 1 + row_gap
    note(notes[2])
    swatches, slots, height = below(layer, text, cell, margin, content_w, y - row_gap, texts,
                                    len(groups))
    return Layout(layer, cell, size, content_w + 2 * margin, height, tuple(inputs),
                  tuple(kernels), tuple(outputs), tuple(texts), tuple(swatches), slots,
                  number_size(cell) if text is not None and number_fits(text.widest, cell)
                  else None, channels=None if shown.is_every(layer) else shown)


STRIP_IN, STRIP_OUT = 28, 18  # px: the height of an input and of an output strip


def place_image(layer: WindowLayer, text: ValueText, channels: Channels, status: str,
                page: tuple[int, int], colour: bool = False) -> Layout:
    """Place a Conv1d layer's frames in the image look: each shown input and output channel
    a strip as wide as the page (its cells as pixels, or several to a pixel), then the
    magnifier and the text slots. ``colour`` does not apply to a 1D input."""
    size, margin = images.SIZE, images.MARGIN
    lh = line_height(size)
    content_w = page[0] - 2 * margin
    _, length = layer.axes
    notes = hidden_notes(layer, channels)
    depth, room = channels.depth(layer), int(page[1] * images.MAGNIFIER_SHARE)
    probe, _, _ = place_magnifier(layer, text, depth, 0, 0, content_w, size, room)
    content = max(content_w, probe.box[2], text_need(layer, text, size, status),
                  *(text_width(t, size) for t in notes))
    texts: list[Text] = []
    y = margin

    def strips(title: str, shown: tuple[int, ...], cells: int, height: int,
               note: str) -> list[ImageGrid]:
        nonlocal y
        texts.append(Text(title, margin, y, size, "text"))
        y += lh + 4
        made = []
        for channel in shown:
            texts.append(Text(f"channel {channel}", margin, y, size, "muted"))
            y += lh
            made.append(ImageGrid(margin, y, 1, cells, content, height))
            y += height + 6
        if note:
            texts.append(Text(note, margin, y, size, "muted"))
            y += lh
        y += 12
        return made

    inputs = strips(f"input {layer.input_shape}", channels.inputs, length.reach, STRIP_IN,
                    notes[0])
    outputs = strips(f"output {layer.output_shape}", channels.outputs,
                     layer.output_size[1], STRIP_OUT, notes[2])
    magnifier, mag_texts, mag_h = place_magnifier(layer, text, depth, margin, y, content,
                                                  size, room)
    texts += mag_texts
    swatches, slots, height = below(layer, text, 14, margin, content, y + mag_h, texts,
                                    len(channels.groups(layer)))
    cell = magnifier.output.cell
    return Layout(layer, cell, size, content + 2 * margin, height, tuple(inputs),
                  tuple(() for _ in channels.outputs), tuple(outputs), tuple(texts),
                  tuple(swatches), slots,
                  number_size_of(magnifier, text),
                  channels=None if channels.is_every(layer) else channels,
                  magnifier=magnifier)
