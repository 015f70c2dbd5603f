"""What a reader sees, pinned independently of golden bytes: the status line counts from 1,
theme roles keep the colours a reader tells apart, and legend swatches show the grids' colours."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from convgif import ConvSpec, trace
from convgif.draw import Painter
from convgif.draw.canvas import fill, write
from convgif.layout import Box, Text, status_text
from convgif.options import RenderOptions
from convgif.theme import RGB, THEMES, Theme, palette

LAYERS = [
    ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2),
    ConvSpec(2, 4, 3, 7, padding=2, stride=2, groups=2),
    ConvSpec(1, 1, 3, 9),
]


def ids(layer: ConvSpec) -> str:
    return layer.slug


def frames_of(layer: ConvSpec, theme: str = "light") -> tuple[Painter, list[np.ndarray]]:
    painter = Painter(layer, RenderOptions(theme=theme, cell_size=16))
    return painter, list(painter.frames())


def crop(canvas: np.ndarray, box: Box) -> np.ndarray:
    left, top, right, bottom = box
    return canvas[top:bottom, left:right]


@pytest.mark.parametrize("layer", LAYERS, ids=ids)
def test_status_counts_steps_from_one(layer: ConvSpec) -> None:
    steps = list(trace(layer))
    first = status_text(layer, steps[0].index, steps[0].outputs)
    last = status_text(layer, steps[-1].index, steps[-1].outputs)
    assert first.startswith(f"step 1 of {layer.n_steps}: computing output[0, 0, 0]")
    assert last.startswith(f"step {layer.n_steps} of {layer.n_steps}: computing output[")
    # And those are the pixels in the status slot of the first and last frame.
    painter, frames = frames_of(layer)
    slot = painter.layout.slots.status
    for frame, text in ((frames[0], first), (frames[-1], last)):
        expected = np.full_like(frame, painter.palette.index["background"])
        fill(expected, slot, painter.palette.index["background"])
        write(expected, Text(text, slot[0], slot[1], painter.layout.font_size, "text"),
              painter.palette)
        assert np.array_equal(crop(frame, slot), crop(expected, slot))


def hue(colour: RGB) -> float:
    return colorsys.rgb_to_hsv(*(c / 255 for c in colour))[0]


def luminance(colour: RGB) -> float:
    """WCAG relative luminance."""
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hue_distance(a: RGB, b: RGB) -> float:
    d = abs(hue(a) - hue(b))
    return min(d, 1 - d)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_theme_roles_keep_their_meaning(name: str) -> None:
    theme: Theme = THEMES[name]
    # The footprint outline stands out from input and padding cells, in its own hue.
    for other in (theme.cell, theme.padding):
        assert contrast(theme.footprint, other) >= 1.5, other
    for other in (theme.padding, theme.tap, theme.tap_padding):
        assert hue_distance(theme.footprint, other) > 0.2, other
    # Padding read by the kernel is a stronger shade of padding; input read is not padding.
    assert hue_distance(theme.tap_padding, theme.padding) < 0.05
    assert contrast(theme.tap_padding, theme.background) > contrast(theme.padding,
                                                                    theme.background)
    assert hue_distance(theme.tap, theme.padding) > 0.2
    # Text reads on the background; the kernel in use is the tap colour, as is the
    # output cell being computed, and a computed cell is a lighter shade of it.
    assert contrast(theme.text, theme.background) >= 7
    assert theme.kernel_active == theme.tap == theme.current
    assert hue_distance(theme.done, theme.current) < 0.05
    assert theme.kernel == theme.cell


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("layer", LAYERS[:2], ids=ids)
def test_legend_swatches_show_the_grids_colours(layer: ConvSpec, theme: str) -> None:
    painter, frames = frames_of(layer, theme)
    lay, rgb = painter.layout, np.frombuffer(palette(THEMES[theme]).rgb, np.uint8).reshape(-1, 3)
    swatch = {s.colour: s.box for s in lay.swatches}

    def inside(frame: np.ndarray, box: Box) -> tuple[int, ...]:
        """The colour of most of ``box``'s interior (a 1 px link line may cross it)."""
        left, top, right, bottom = box
        values, counts = np.unique(frame[top + 1:bottom - 1, left + 1:right - 1],
                                   return_counts=True)
        assert counts.max() * 2 > counts.sum()
        return tuple(int(c) for c in rgb[values[counts.argmax()]])

    first, step = frames[0], next(iter(trace(layer)))
    grid = lay.inputs[0]
    read = [t for t in step.taps if not t.padding]
    seen = {
        "tap": inside(first, grid.cell_box(read[0].row, read[0].col)),
        "kernel_active": inside(first, lay.kernels[step.outputs[0].channel][0].cell_box(0, 0)),
        "current": inside(first, lay.outputs[0].cell_box(0, 0)),
        "done": inside(frames[1], lay.outputs[0].cell_box(0, 0)),
    }
    padded = [t for t in step.taps if t.padding]
    if padded:
        seen["tap_padding"] = inside(first, grid.cell_box(padded[0].row, padded[0].col))
        seen["padding"] = inside(first, grid.cell_box(grid.rows - 1, grid.cols - 1))
    assert set(seen) <= set(swatch)
    for role, colour in seen.items():
        assert inside(first, swatch[role]) == colour, role
    # The footprint swatch is an outline of the colour that outlines the window.
    top, left, _, _ = step.window
    x, y = grid.span_box(top, left, top + 1, left + 1)[:2]
    outline = tuple(int(c) for c in rgb[first[y, x + 3]])
    left_, top_, right_, _ = swatch["footprint"]
    assert tuple(int(c) for c in rgb[first[top_ + 1, (left_ + right_) // 2]]) == outline
