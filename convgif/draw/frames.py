"""The frame loop: a layer's frames, drawn by the scene of its kind from its trace.

Frames are 2D arrays of palette indices (see :mod:`convgif.theme`). The scene
draws a static background once; a running state holds what earlier steps left
(computed output cells); each frame copies that state and the scene draws the
step's marks on top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image

from ..layers import OptionError, WindowLayer, window_layer
from ..layout import MIN_AUTO_CELL
from ..options import MIN_CELL, RenderOptions
from ..options import NAMES as RENDER_NAMES
from ..theme import Palette
from ..trace import Step
from ..values import NAMES as VALUE_NAMES
from ..values import Values, values_for
from .canvas import Canvas
from .choose import MAX_SIDE, SCENES, VALUE_SCENES, choose_scene
from .scene import Scene

# Makes a blank canvas: (width, height, background index) -> Canvas.
CanvasMaker = Callable[[int, int, int], Canvas]


class Painter:
    """Draws the frames of one layer with one set of options, following its schedule;
    keeps the running state (the canvas after the steps drawn so far)."""

    def __init__(self, layer: WindowLayer, options: RenderOptions,
                 values: Values | None = None, scene: Scene | None = None,
                 blank: Canvas | None = None) -> None:
        self.layer = window_layer(layer)
        options.check(layer)
        if scene is None:
            check_height(layer, options, values)
            scenes = SCENES if values is None else VALUE_SCENES
            scene = scenes[layer.kind](layer, options, values)
        self.scene = scene
        self.values = scene.values  # the image look seeds values when none are given
        self.layout = self.scene.layout
        if max(self.layout.width, self.layout.height) > MAX_SIDE:
            now = options.cell_size or self.layout.cell // options.scale
            raise OptionError(
                f"the canvas would be {self.layout.width}x{self.layout.height} px, more than "
                f"{MAX_SIDE} px on a side: {_advice(layer, options, self.values, now)}")
        self.schedule = self.scene.schedule
        self.palette = self.scene.palette
        self.background = self.scene.background(blank)
        self.state = self.background.copy()
        self.done = 0  # the steps whose outputs the state holds

    @classmethod
    def of(cls, layer: WindowLayer, options: dict[str, Any],
           canvas: CanvasMaker | None = None) -> Painter:
        """A painter from keyword options: :class:`RenderOptions` and
        :class:`~convgif.values.ValueOptions` fields, checked before any drawing.
        ``canvas(width, height, background)`` makes the blank canvas frames are
        drawn on (default: raster, arrays of palette indices)."""
        unknown = sorted(set(options) - set(RENDER_NAMES) - set(VALUE_NAMES))
        if unknown:
            raise OptionError(f"unknown render option {', '.join(map(repr, unknown))} (use "
                              f"{', '.join(RENDER_NAMES + VALUE_NAMES)})")
        settings = RenderOptions(**{k: v for k, v in options.items() if k in RENDER_NAMES})
        window_layer(layer)
        settings.check(layer)
        values = values_for(layer, **{k: v for k, v in options.items() if k in VALUE_NAMES})
        value_options = {k: v for k, v in options.items() if k in VALUE_NAMES}
        scene = choose_scene(layer, settings, values, value_options)
        blank = None if canvas is None else canvas(
            scene.layout.width, scene.layout.height, scene.colour["background"])
        return cls(layer, settings, values, scene, blank)

    def frames(self) -> Iterator[np.ndarray]:
        """Every frame of the layer's animation (arrays of palette indices), in order,
        lazily."""
        return (frame for frame, _ in self.frames_with_texts())

    def frames_with_texts(self) -> Iterator[tuple[np.ndarray, tuple[str, ...]]]:
        """Every frame (an array of palette indices) with its lines of text (status,
        formulas), lazily."""
        return (self.frame(index) for index in range(len(self.schedule)))

    def canvases_with_texts(self) -> Iterator[tuple[Canvas, tuple[str, ...]]]:
        """Every frame as the canvas it was drawn on, with its lines of text, lazily."""
        return (self.canvas(index) for index in range(len(self.schedule)))

    def frame(self, index: int) -> tuple[np.ndarray, tuple[str, ...]]:
        """Frame ``index`` of the schedule as an array of palette indices (a raster
        painter's), and its lines of text."""
        frame, texts = self.canvas(index)
        return np.asarray(frame), texts

    def canvas(self, index: int) -> tuple[Canvas, tuple[str, ...]]:
        """Frame ``index`` of the schedule on its canvas, and its lines of text. Frames in
        order build on the running state; any other frame is drawn from the background
        (its cost does not grow with how many frames come before it)."""
        planned = self.schedule.frames[index]
        if planned.start != self.done:
            self.state = self.background.copy()
            self.scene.advance_range(self.state, 0, planned.start)
        if not planned.marks:
            frame = self.state.copy()
            texts = self.scene.finish(frame)
        else:
            self.scene.advance_range(self.state, planned.start, planned.last)
            step = self.scene.stepper.step(planned.last)
            frame = self.draw(step)
            texts = self.scene.texts(step)
        self.done = planned.stop
        return frame, texts

    def draw(self, step: Step) -> Canvas:
        """The frame of ``step``; then what it leaves is kept for later frames."""
        frame = self.state.copy()
        self.scene.draw(frame, self.state, step)
        self.scene.advance(self.state, step)
        return frame


def _too_tall(layer: WindowLayer, options: RenderOptions) -> str | None:
    """Why ``layer``'s input channels, stacked, cannot fit a canvas, or None."""
    cell = (options.cell_size or MIN_AUTO_CELL) * options.scale
    if layer.in_channels * (layer.padded_size[0] * cell + options.scale) <= MAX_SIDE:
        return None
    return (f"the canvas would be more than {MAX_SIDE} px tall: in_channels="
            f"{layer.in_channels} grids of {layer.padded_size[0]} rows of {cell} px")


def check_height(layer: WindowLayer, options: RenderOptions, values: Values | None) -> None:
    """Refuse a layer whose input channels, stacked, cannot fit a canvas at this cell size,
    advising one that fits."""
    problem = _too_tall(layer, options)
    if problem is not None:
        now = options.cell_size or MIN_AUTO_CELL
        raise OptionError(f"{problem}: {_advice(layer, options, values, now)}")


def _fits(layer: WindowLayer, options: RenderOptions, values: Values | None) -> bool:
    """Whether the canvas of ``layer`` with ``options`` (a cell size given) fits, with
    the channels the chooser shows at that size."""
    layout = choose_scene(layer, options, values, {}).layout
    return max(layout.width, layout.height) <= MAX_SIDE


def _advice(layer: WindowLayer, options: RenderOptions, values: Values | None,
            now: int) -> str:
    """What makes the canvas fit: the largest cell size that does (from ``now``, the one
    in use, down to :data:`~convgif.options.MIN_CELL`), at this scale or else the
    largest lower one; else a smaller layer."""
    tries = [(scale, cell) for scale in range(options.scale, 0, -1)
             for cell in range(now - (scale == options.scale), MIN_CELL - 1, -1)]
    fitting = next(((scale, cell) for scale, cell in tries
                    if _fits(layer, replace(options, scale=scale, cell_size=cell), values)),
                   None)
    if fitting is None:
        return (f"no cell size fits (the smallest is cell_size={MIN_CELL}): use a smaller "
                f"input, fewer channels or a larger stride")
    scale, cell = fitting
    lower = "" if scale == options.scale else f"scale={scale} (now {options.scale}) and "
    return f"set {lower}cell_size={cell} or less (now {now})"


def frames(layer: WindowLayer, **options: Any) -> Iterator[Image.Image]:
    """The animation's frames as palette-mode PIL images, one per step of ``layer``, lazily.

    ``options`` are :class:`~convgif.options.RenderOptions` fields (``cell_size``,
    ``theme``, ``max_frames``, ``decimals`` shape the frames) and
    :class:`~convgif.values.ValueOptions` fields (``values=True``, ``seed``,
    ``input``, ``weights``, ``bias_values``). Raises :class:`OptionError` at
    once (not on first iteration) for a bad option.
    """
    painter = Painter.of(layer, options)
    return (as_image(array, painter.palette) for array in painter.frames())


def as_image(array: np.ndarray, pal: Palette) -> Image.Image:
    """A frame array as a palette-mode PIL image."""
    image = Image.frombytes("P", (array.shape[1], array.shape[0]), array.tobytes())
    image.putpalette(pal.rgb)
    return image
