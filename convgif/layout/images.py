"""The image look of a 2D layer: big grids drawn as images, the step magnified below.

For grids too big for cells with numbers (a photo, a feature map of a real
network): the padded input channels as images on the left (a colour photo as one
colour image), the output channels as images on the right, labelled and tiled,
the channels not shown named under their column; below, the magnifier
(:mod:`convgif.layout.magnifier`), then the text slots of
:func:`convgif.layout.conv2d.below`. One zoom (px per cell, below 1 when a pixel
holds several cells) serves inputs and outputs, so their sizes compare; it is the
largest that fits the page.
"""

from __future__ import annotations

import math

from ..font import line_height, text_width
from ..layers import WindowLayer
from ..layers.channels import Channels
from .conv2d import below, hidden_notes, text_need
from .magnifier import number_size_of, place_magnifier
from .parts import ImageGrid, Layout, Text, ValueText

SIZE = 12  # text size of the image look
MARGIN = 16
GAP = 32  # between the input and output columns
TILE_GAP = 10  # between output images
MAX_ZOOM = 8  # px per cell: beyond this a grid would be drawn with cells, not as an image
CELL = 14  # the legend and gaps are those of a layout of 14 px cells
MIN_SIDE = 96  # px: the least an input image is shrunk to


def _grid_size(cells: tuple[int, int], zoom: float) -> tuple[int, int]:
    """An image's (width, height) in px for (rows, cols) cells at ``zoom`` px per cell."""
    rows, cols = cells
    return max(1, round(cols * zoom)), max(1, round(rows * zoom))


def place(layer: WindowLayer, text: ValueText, channels: Channels, status: str,
          page: tuple[int, int], colour: bool = False) -> Layout:
    """Place ``layer``'s frames in the image look within ``page`` (width, height) px,
    the ``channels`` shown (``colour``: the three input channels as one colour
    image). When even the smallest zoom overflows, the layout is returned all the
    same: the caller sees it does not fit."""
    lh = line_height(SIZE)
    content_w = page[0] - 2 * MARGIN
    rows_axis, cols_axis = layer.axes
    reach = (rows_axis.reach, cols_axis.reach)
    out_cells = (layer.output_size[0], layer.output_size[1])
    in_channels, out_channels = channels.inputs, channels.outputs
    images_in = 1 if colour else len(in_channels)
    label = lh + 2
    in_labels = label if images_in > 1 else 0
    notes = hidden_notes(layer, channels)
    heading = ["input", _input_text(layer, colour), "output", str(layer.output_shape)]
    header_h = 2 * lh + 8
    notes_h = 8 + (lh if notes[0] or notes[2] else 0)
    depth = max(sum(1 for c in in_channels if c // layer.in_per_group == group)
                for group in channels.groups(layer))
    magnifier, mag_texts, mag_h = place_magnifier(layer, text, depth, 0, 0, content_w, SIZE)
    groups = len(channels.groups(layer))
    # The frame is at least as wide as the magnifier and the texts: its legend wraps at
    # that width at most (wider frames wrap it into fewer rows).
    narrowest = max(magnifier.box[2], text_need(layer, text, SIZE, status))
    _, _, below_h = below(layer, text, CELL, MARGIN, min(narrowest, content_w), 0, [], groups)
    main_h = page[1] - MARGIN - header_h - notes_h - 16 - mag_h - below_h

    def columns_at(zoom: float) -> int:
        """How many output images go side by side at ``zoom``."""
        in_w, _ = _grid_size(reach, zoom)
        out_w, _ = _grid_size(out_cells, zoom)
        out_w = max(out_w, _label_width(out_channels, out_w))
        left_w = max(in_w, *(text_width(t, SIZE) for t in (*heading[:2], notes[0])))
        return max(1, min(len(out_channels),
                          (content_w - left_w - GAP + TILE_GAP) // (out_w + TILE_GAP)))

    def arrange(zoom: float) -> tuple[int, int, int, int] | None:
        """(output columns, output rows, width, height) of the images at ``zoom``, or
        None when they do not fit."""
        in_w, in_h = _grid_size(reach, zoom)
        out_w, out_h = _grid_size(out_cells, zoom)
        out_w = max(out_w, _label_width(out_channels, out_w))
        left_w = max(in_w, *(text_width(t, SIZE) for t in (*heading[:2], notes[0])))
        columns = columns_at(zoom)
        rows = math.ceil(len(out_channels) / columns)
        width = left_w + GAP + max(columns * out_w + (columns - 1) * TILE_GAP,
                                   *(text_width(t, SIZE) for t in (*heading[2:], notes[2])))
        height = max(images_in * (in_h + in_labels) + (images_in - 1) * TILE_GAP,
                     rows * (out_h + label) + (rows - 1) * TILE_GAP)
        if width > content_w or height > main_h:
            return None
        return columns, rows, width, height

    # The largest zoom that fits; an image is never made smaller than MIN_SIDE px (a page
    # too small for it gets a larger frame).
    least = min(1.0, MIN_SIDE / max(reach))
    low, high = least, float(MAX_ZOOM)
    if arrange(high) is not None:
        low = high
    for _ in range(40):
        if high - low < 1e-3:
            break
        middle = (low + high) / 2
        low, high = (middle, high) if arrange(middle) is not None else (low, middle)
    zoom = math.floor(low) if low >= 2 else low  # whole pixels a cell, when they can be
    columns = columns_at(zoom)

    in_w, in_h = _grid_size(reach, zoom)
    image_w, out_h = _grid_size(out_cells, zoom)
    out_w = max(image_w, _label_width(out_channels, image_w))
    left_w = max(in_w, text_width(heading[0], SIZE), text_width(heading[1], SIZE),
                 text_width(notes[0], SIZE))
    right_w = max(columns * out_w + (columns - 1) * TILE_GAP,
                  *(text_width(t, SIZE) for t in (heading[2], heading[3], notes[2])))
    grids_w = left_w + GAP + right_w
    content = max(grids_w, magnifier.box[2], text_need(layer, text, SIZE, status))
    width = content + 2 * MARGIN
    x_in = MARGIN + (content - grids_w) // 2
    x_out = x_in + left_w + GAP
    texts = [Text(heading[0], x_in, MARGIN, SIZE, "text"),
             Text(heading[1], x_in, MARGIN + lh, SIZE, "muted"),
             Text(heading[2], x_out, MARGIN, SIZE, "text"),
             Text(heading[3], x_out, MARGIN + lh, SIZE, "muted")]
    y = MARGIN + header_h
    inputs: list[ImageGrid] = []
    for i in range(images_in):
        if in_labels:
            texts.append(Text(f"channel {in_channels[i]}", x_in, y, SIZE, "muted"))
        inputs.append(ImageGrid(x_in, y + in_labels, reach[0], reach[1], in_w, in_h))
        y += in_h + in_labels + TILE_GAP
    bottom = y - TILE_GAP
    outputs: list[ImageGrid] = []
    for i, channel in enumerate(out_channels):
        row, col = divmod(i, columns)
        x, top = x_out + col * (out_w + TILE_GAP), MARGIN + header_h + row * (
            out_h + label + TILE_GAP)
        texts.append(Text(_label(channel, image_w), x, top, SIZE, "muted"))
        outputs.append(ImageGrid(x, top + label, out_cells[0], out_cells[1], image_w, out_h))
        bottom = max(bottom, top + label + out_h)
    y = bottom + 8
    if notes[0] or notes[2]:
        for note, x in ((notes[0], x_in), (notes[2], x_out)):
            if note:
                texts.append(Text(note, x, y, SIZE, "muted"))
        y += lh
    y += 16
    magnifier, mag_texts, mag_h = place_magnifier(layer, text, depth, MARGIN, y, content,
                                                  SIZE)
    texts += mag_texts
    swatches, slots, height = below(layer, text, CELL, MARGIN, content, y + mag_h, texts,
                                    groups)
    shown_inputs = tuple(inputs[0] for _ in in_channels) if colour else tuple(inputs)
    cell = magnifier.output.cell
    return Layout(layer, cell, SIZE, width, height, shown_inputs,
                  tuple(() for _ in out_channels), tuple(outputs), tuple(texts),
                  tuple(swatches), slots,
                  number_size_of(magnifier, text),
                  channels=None if channels.is_every(layer) else channels,
                  magnifier=magnifier)


def _label(channel: int, width: int) -> str:
    """An output image's label: ``channel 5``, or ``5`` over an image narrower than that."""
    text = f"channel {channel}"
    return text if text_width(text, SIZE) <= width else str(channel)


def _label_width(channels: tuple[int, ...], width: int) -> int:
    """The widest label over images ``width`` px wide (a tile is at least that wide)."""
    return max(text_width(_label(channel, width), SIZE) + 4 for channel in channels)


def _input_text(layer: WindowLayer, colour: bool) -> str:
    """The input column's second heading line: shape, padding, and how it is drawn."""
    reach = "x".join(str(axis.reach) for axis in layer.axes)
    padded = f", padded to {reach}" if any(
        axis.before or axis.after or axis.spread > 1 for axis in layer.axes) else ""
    inserted = ", zeros inserted" if any(axis.spread > 1 for axis in layer.axes) else ""
    return f"{layer.input_shape}{inserted}{padded}{', in colour' if colour else ''}"
