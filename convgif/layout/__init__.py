"""Where everything sits on the canvas: pure geometry, no drawing.

:func:`layout` places one layer's frames with the layout of its kind
(:data:`LAYOUTS`); the pieces are in :mod:`convgif.layout.parts`. Every cell's
rectangle is exposed, so tests can check pixels.
"""

from __future__ import annotations

from collections.abc import Callable

from ..layers import WindowLayer
from ..layers.channels import Channels
from . import conv1d, conv2d, images
from .parts import (
    Area,
    Box,
    Grid,
    ImageGrid,
    Layout,
    Magnifier,
    Slots,
    Swatch,
    Text,
    ValueText,
    cell_for_number,
    frame_status,
    status_text,
)

DEFAULT_CELL = 14
MIN_AUTO_CELL = 6
COMFORT_SIDE = 1400  # the automatic cell size shrinks until the canvas fits this square

# Each layer kind's layout: (layer, cell px, values' text or None, the channels shown or
# None for all, the widest status line or None for the last step's) -> Layout.
Place = Callable[[WindowLayer, int, ValueText | None, Channels | None, str | None], Layout]
LAYOUTS: dict[str, Place] = {
    **{kind: conv2d.place for kind in ("conv2d", "conv-transpose2d", "max-pool2d",
                                       "avg-pool2d")},
    "conv1d": conv1d.place}
# Each layer kind's image look: (layer, values' text, channels shown, widest status line,
# page (width, height), whether three input channels are one colour image) -> Layout.
ImagePlace = Callable[[WindowLayer, ValueText, Channels, str, tuple[int, int], bool], Layout]
IMAGE_LAYOUTS: dict[str, ImagePlace] = {
    **{kind: images.place for kind in ("conv2d", "conv-transpose2d", "max-pool2d",
                                       "avg-pool2d")},
    "conv1d": conv1d.place_image}
# The automatic cell size shrinks until the canvas fits this (px a side) for a kind.
COMFORT: dict[str, int] = {"conv1d": conv1d.PAGE_WIDTH}
kind_colours = conv2d.kind_colours


def layout(layer: WindowLayer, cell_size: int | None = None, text: ValueText | None = None,
           channels: Channels | None = None, status: str | None = None) -> Layout:
    """Place every grid, label and legend entry of ``layer``'s frames.

    ``cell_size`` is the side of one cell in px; None picks the largest size up
    to 14 px (down to 6 px) that keeps the canvas within about 1400x1400 px
    (:data:`COMFORT` for kinds drawn for a page's width).
    With values (``text``), None first tries cells large enough for the widest
    number; when that canvas is too large, cells are tinted without numbers.
    ``channels`` are those shown (default all), ``status`` the widest status line
    (default the last step's).
    """
    place, comfort = LAYOUTS[layer.kind], COMFORT.get(layer.kind, COMFORT_SIDE)
    if cell_size is not None:
        return place(layer, cell_size, text, channels, status)
    if text is not None:
        placed = place(layer, max(DEFAULT_CELL, cell_for_number(text.widest)), text, channels,
                       status)
        if max(placed.width, placed.height) <= comfort:
            return placed
    for cell in range(DEFAULT_CELL, MIN_AUTO_CELL - 1, -1):
        placed = place(layer, cell, text, channels, status)
        if max(placed.width, placed.height) <= comfort:
            return placed
    return placed


__all__ = [
    "DEFAULT_CELL",
    "IMAGE_LAYOUTS",
    "LAYOUTS",
    "MIN_AUTO_CELL",
    "Area",
    "Box",
    "Grid",
    "ImageGrid",
    "Layout",
    "Magnifier",
    "Slots",
    "Swatch",
    "Text",
    "ValueText",
    "frame_status",
    "kind_colours",
    "layout",
    "status_text",
]
