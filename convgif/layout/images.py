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
from dataclasses import dataclass

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
MIN_OUTPUT_SIDE = 48  # px: the least an output image is drawn at (a tiny output is enlarged)
MAGNIFIER_SHARE = 0.5  # of the page's height, at most, for the magnifier


def _grid_size(cells: tuple[int, int], zoom: float) -> tuple[int, int]:
    """An image's (width, height) in px for (rows, cols) cells at ``zoom`` px per cell."""
    rows, cols = cells
    return max(1, round(cols * zoom)), max(1, round(rows * zoom))


@dataclass(frozen=True)
class _Tiles:
    """The images at one zoom: sizes in px, the output tiles' columns and rows, and the
    width and height they take."""

    in_size: tuple[int, int]  # an input image's (width, height)
    out_size: tuple[int, int]  # an output image's (width, height)
    tile: int  # an output tile's width: its image, or its label when wider
    left: int  # the input column's width (its images and its texts)
    columns: int
    rows: int
    width: int
    height: int


def place(layer: WindowLayer, text: ValueText, channels: Channels, status: str,
          page: tuple[int, int], colour: bool = False) -> Layout:
    """Place ``layer``'s frames in the image look within ``page`` (width, height) px,
    the ``channels`` shown (``colour``: the three input channels as one colour
    image). The magnifier takes at most :data:`MAGNIFIER_SHARE` of the page's height
    and the images the largest zoom that fits the rest; an input image is never
    smaller than :data:`MIN_SIDE` px, nor an output image than :data:`MIN_OUTPUT_SIDE`
    px (a tiny output is enlarged). When even that overflows, the layout is returned
    all the same: the caller sees it does not fit."""
    lh = line_height(SIZE)
    rows_axis, cols_axis = layer.axes
    reach = (rows_axis.reach, cols_axis.reach)
    out_cells = (layer.output_size[0], layer.output_size[1])
    in_channels, out_channels = channels.inputs, channels.outputs
    images_in = 1 if colour else len(in_channels)
    label = lh + 2
    in_labels = label if images_in > 1 else 0
    notes = hidden_notes(layer, channels)
    heading = ["input", _input_text(layer, colour), "output", str(layer.output_shape)]
    left_texts = max(text_width(t, SIZE) for t in (*heading[:2], notes[0]))
    right_texts = max(text_width(t, SIZE) for t in (*heading[2:], notes[2]))
    header_h = 2 * lh + 8
    notes_h = 8 + (lh if notes[0] or notes[2] else 0)
    groups = len(channels.groups(layer))
    page_w = page[0] - 2 * MARGIN
    magnifier, _, mag_h = place_magnifier(layer, text, channels.depth(layer), 0, 0, page_w,
                                          SIZE, int(page[1] * MAGNIFIER_SHARE))
    # The frame is at least as wide as the page, the magnifier and the texts under it:
    # the images may take that width, and the legend wraps at it.
    content_w = max(page_w, magnifier.box[2], text_need(layer, text, SIZE, status))
    _, _, below_h = below(layer, text, CELL, MARGIN, content_w, 0, [], groups)
    main_h = page[1] - MARGIN - header_h - notes_h - 16 - mag_h - below_h

    def tiles(zoom: float) -> _Tiles:
        in_w, in_h = _grid_size(reach, zoom)
        out_zoom = max(zoom, MIN_OUTPUT_SIDE / max(out_cells))
        out_w, out_h = _grid_size(out_cells, out_zoom)
        tile = max(out_w, _label_width(out_channels, out_w))
        left = max(in_w, left_texts)
        columns = max(1, min(len(out_channels),
                             (content_w - left - GAP + TILE_GAP) // (tile + TILE_GAP)))
        rows = math.ceil(len(out_channels) / columns)
        width = left + GAP + max(columns * tile + (columns - 1) * TILE_GAP, right_texts)
        height = max(images_in * (in_h + in_labels) + (images_in - 1) * TILE_GAP,
                     rows * (out_h + label) + (rows - 1) * TILE_GAP)
        return _Tiles((in_w, in_h), (out_w, out_h), tile, left, columns, rows, width, height)

    def fits(zoom: float) -> bool:
        placed = tiles(zoom)
        return placed.width <= content_w and placed.height <= main_h

    least = min(float(MAX_ZOOM), MIN_SIDE / max(reach))
    low, high = least, float(MAX_ZOOM)
    if fits(high):
        low = high
    for _ in range(40):  # the largest zoom that fits
        if high - low < 1e-3:
            break
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    zoom = math.floor(low) if low >= 2 else low  # whole pixels a cell, when they can be
    placed = tiles(zoom)

    grids_w = placed.width
    content = max(grids_w, content_w)
    x_in = MARGIN + (content - grids_w) // 2
    x_out = x_in + placed.left + GAP
    texts = [Text(heading[0], x_in, MARGIN, SIZE, "text"),
             Text(heading[1], x_in, MARGIN + lh, SIZE, "muted"),
             Text(heading[2], x_out, MARGIN, SIZE, "text"),
             Text(heading[3], x_out, MARGIN + lh, SIZE, "muted")]
    y = MARGIN + header_h
    (in_w, in_h), (out_w, out_h) = placed.in_size, placed.out_size
    inputs: list[ImageGrid] = []
    for i in range(images_in):
        if in_labels:
            texts.append(Text(f"channel {in_channels[i]}", x_in, y, SIZE, "muted"))
        inputs.append(ImageGrid(x_in, y + in_labels, reach[0], reach[1], in_w, in_h))
        y += in_h + in_labels + TILE_GAP
    bottom = y - TILE_GAP
    outputs: list[ImageGrid] = []
    for i, channel in enumerate(out_channels):
        row, col = divmod(i, placed.columns)
        x, top = x_out + col * (placed.tile + TILE_GAP), MARGIN + header_h + row * (
            out_h + label + TILE_GAP)
        texts.append(Text(_label(channel, out_w), x, top, SIZE, "muted"))
        outputs.append(ImageGrid(x, top + label, out_cells[0], out_cells[1], out_w, out_h))
        bottom = max(bottom, top + label + out_h)
    y = bottom + 8
    if notes[0] or notes[2]:
        for note, x in ((notes[0], x_in), (notes[2], x_out)):
            if note:
                texts.append(Text(note, x, y, SIZE, "muted"))
        y += lh
    y += 16
    magnifier, mag_texts, mag_h = place_magnifier(
        layer, text, channels.depth(layer), MARGIN, y, content, SIZE,
        int(page[1] * MAGNIFIER_SHARE))
    texts += mag_texts
    swatches, slots, height = below(layer, text, CELL, MARGIN, content, y + mag_h, texts,
                                    groups)
    shown_inputs = tuple(inputs[0] for _ in in_channels) if colour else tuple(inputs)
    return Layout(layer, magnifier.output.cell, SIZE, content + 2 * MARGIN, height,
                  shown_inputs, tuple(() for _ in out_channels), tuple(outputs),
                  tuple(texts), tuple(swatches), slots, number_size_of(magnifier, text),
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
