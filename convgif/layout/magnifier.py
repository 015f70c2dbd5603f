"""The magnifier: the current step in detail, beside grids drawn as images.

A big grid drawn as an image shows where the window is, not what it reads. The
magnifier shows that (CNN Explainer's detail view): one column per magnified input
channel, the window it reads as cells with their numbers over the kernel slice
applied to it, and the output cell with its value; for pooling, the operation
instead of the kernels. Its size depends on the footprint and the numbers only,
so a layout places it first and gives the images what is left.
"""

from __future__ import annotations

from ..font import line_height, text_width
from ..layers import WindowLayer
from .parts import Grid, Magnifier, Text, ValueText, cell_for_number, more

GAP = 16  # px between columns
MIN_MAGNIFIED_CELL = 2  # the magnifier's cells shrink to this (numbers go) for huge footprints
ROOM = 6  # px more than a number needs: the borders that mark taps stay clear of it
NUMBER_SIZE = 12  # the text size of the magnifier's numbers
HEADING = "magnified: the window each input channel gives the kernel"
POOL_HEADING = "magnified: the window, and what the layer takes of it"


def place_magnifier(layer: WindowLayer, text: ValueText, depth: int, x: int, y: int,
                    width: int, size: int, height: int | None = None
                    ) -> tuple[Magnifier, list[Text], int]:
    """The magnifier of ``layer`` at (x, y) within ``width`` px and ``height`` px (None:
    no limit), for a group of ``depth`` shown input channels (as many columns as fit),
    with text of ``size``: the panel, its static texts and its height. Cells shrink
    (their numbers go) to fit a big footprint."""
    lh = line_height(size)
    operation = getattr(layer, "operation", None)
    (fh, fw), (kh, kw) = layer.footprint, (axis.kernel for axis in layer.axes)
    labels = ("window", "x kernel") if operation is None else ("window", "")
    label_w = max(text_width(label, size) for label in labels) + 10
    out_label = "= output"
    cell = cell_for_number(text.read or text.widest, NUMBER_SIZE) + ROOM
    out_cell = max(cell, cell_for_number(text.widest, NUMBER_SIZE) + ROOM)

    name_w = text_width(f"input channel {layer.in_channels - 1}", size) + 6

    def column(cell: int) -> int:  # a column's grids, and its label over them
        return max(max(fw, kw if operation is None else 1) * cell + 1, name_w)

    def operation_side(cell: int) -> int:
        return 0 if operation is None else max(2 * cell, text_width(operation, size) + 12)

    def tail(cell: int) -> int:  # the operation (pooling) and the output column
        return (operation_side(cell) + GAP if operation is not None else 0) + max(
            out_cell, text_width(out_label, size)) + GAP

    def tall(cell: int) -> int:  # the panel's height
        rows = fh * cell + 1 + (10 + kh * cell + 1 if operation is None else 0)
        return 2 * lh + 6 + max(rows, out_cell + lh + 2)

    while cell > MIN_MAGNIFIED_CELL and (label_w + column(cell) + tail(cell) > width or (
            height is not None and tall(cell) > height)):
        cell -= 1
    columns = max(1, min(depth, (width - label_w - tail(cell) + GAP) // (column(cell) + GAP)))
    heading = HEADING if operation is None else POOL_HEADING
    if columns < layer.in_per_group and operation is None:  # the sum has them all
        heading += f" ({more(layer.in_per_group - columns, 'input channel')}, in the sum)"
    texts = [Text(heading, x, y, size, "muted")]
    label_y = y + lh + 4
    top = label_y + lh + 2
    windows, kernels, spots = [], [], []
    for i in range(columns):
        left = x + label_w + i * (column(cell) + GAP)
        spots.append((left, label_y))
        windows.append(Grid(left, top, fh, fw, cell))
    kernel_top = top + fh * cell + 1 + 10
    texts.append(Text(labels[0], x, top + (fh * cell - lh) // 2, size, "text"))
    if operation is None:
        kernels = [Grid(w.x, kernel_top, kh, kw, cell) for w in windows]
        texts.append(Text(labels[1], x, kernel_top + (kh * cell - lh) // 2, size, "text"))
        bottom = kernel_top + kh * cell + 1
    else:
        bottom = top + fh * cell + 1
    right = x + label_w + columns * (column(cell) + GAP)
    middle = (top + bottom) // 2
    box: Grid | None = None
    if operation is not None:
        side = operation_side(cell)
        box = Grid(right, middle - side // 2, 1, 1, side)
        texts.append(Text(operation, right + (side + 1 - text_width(operation, size)) // 2,
                          middle - lh // 2, size, "text"))
        right += side + 1 + GAP
    output = Grid(right, middle - out_cell // 2, 1, 1, out_cell)
    texts.append(Text(out_label, right, middle - out_cell // 2 - lh - 2, size, "text"))
    panel = (x, y, max(right + text_width(out_label, size), output.box[2]), bottom)
    return (Magnifier(tuple(windows), tuple(kernels), output, box, panel,
                      tuple(spots)), texts, bottom - y)


def number_size_of(magnifier: Magnifier, text: ValueText) -> int | None:
    """The size of the magnifier's numbers, None when its cells (shrunk for a huge
    footprint) cannot hold them."""
    needed = cell_for_number(text.read or text.widest, NUMBER_SIZE) + ROOM
    return NUMBER_SIZE if magnifier.windows[0].cell >= needed else None
