"""Which scene draws a layer: its look, the channels shown and the schedule, fitted to a page.

A small layer keeps the frames it has always had: every channel, cells of up to 14
px, one frame per step. Anything else is fitted to a page (:data:`PAGE_WIDTH`
wide by default, ``width`` asks for another): first as cells (with their numbers
when the frames show values, else of at least :data:`MIN_FITTED_CELL` px) for as many
channels as fit; failing that in the image look (:mod:`convgif.layout.images`),
grids drawn as images with the step magnified, its numbers seeded when none are
given (a grid as an image shows values or nothing). Channels the options name are
shown as named; otherwise as many as fit legibly, the others named in the frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..font import text_width
from ..layers import WindowLayer
from ..layers.channels import Channels, channels_for
from ..layout import DEFAULT_CELL, IMAGE_LAYOUTS, Layout, ValueText, cell_for_number, frame_status
from ..layout import layout as place_layer
from ..layout.numbers import value_text
from ..options import PAGE_WIDTH, RenderOptions
from ..schedule import Schedule, plan
from ..trace import Stepper
from ..values import Values, values_for
from .conv1d import Conv1dScene, Conv1dValueScene
from .conv2d import Conv2dScene
from .conv2d_values import Conv2dValueScene
from .images import ImageScene
from .scene import Scene

PAGE_HEIGHT = 1000  # px a screen shows of a frame PAGE_WIDTH wide
MIN_FITTED_CELL = 8  # px: the smallest cells with legible lines, in a fitted layout
NUMBER_CELL = 30  # px: the smallest cells with numbers in a fitted layout (12 px numbers)
MAX_SHOWN = 8  # channels of a kind a fitted layout tries to show
MAX_IMAGES_IN = 4  # input channels stacked as images
MAX_GRIDS = 2000  # a layout of more grids cannot fit a page: it is not even tried
MAX_SIDE = 4096  # px: the largest canvas, whatever the options
KEEP_ZOOM = 0.8  # more output images, as long as they keep this share of one image's zoom

# The scene of each layer kind, and its scene with values.
SCENES: dict[str, type[Scene]] = {
    **{kind: Conv2dScene for kind in ("conv2d", "conv-transpose2d", "max-pool2d",
                                      "avg-pool2d")},
    "conv1d": Conv1dScene}
VALUE_SCENES: dict[str, type[Scene]] = {
    **{kind: Conv2dValueScene for kind in SCENES}, "conv1d": Conv1dValueScene}


def page_of(options: RenderOptions) -> tuple[int, int]:
    """The page frames are fitted to: (width, height) px."""
    width = options.width or PAGE_WIDTH
    return width, PAGE_HEIGHT * width // PAGE_WIDTH


def fits(lay: Layout, page: tuple[int, int]) -> bool:
    """Whether a (scale 1) layout fits ``page``."""
    return lay.width <= page[0] and lay.height <= page[1]


def widest_status(layer: WindowLayer, stepper: Stepper, schedule: Schedule) -> str:
    """The widest of the frames' status lines (one step per frame: the last one's, whose
    numbers have the most digits)."""
    frames = schedule.frames if schedule.sped else schedule.frames[-1:]
    lines = [frame_status(layer, schedule, frame,
                          stepper.outputs(frame.last) if frame.marks else ())
             for frame in frames]
    return max(lines, key=lambda line: text_width(line, 12))


class Choice:
    """The schedule and widest status line of each set of shown channels, made once."""

    def __init__(self, layer: WindowLayer, options: RenderOptions,
                 values: Values | None) -> None:
        self.layer, self.options, self.values = layer, options, values
        self._made: dict[tuple[int, ...], tuple[Schedule, str | None]] = {}

    def schedule(self, channels: Channels) -> tuple[Schedule, str | None]:
        """The schedule of ``channels``' steps, and its widest status line (None when it
        is one step per frame over every channel: the layouts' own choice, as ever)."""
        key = channels.outputs
        if key not in self._made:
            stepper = Stepper(self.layer, self.values, channels)
            oh, ow = self.layer.output_size
            options = self.options
            made = plan(stepper.count, ow, oh * ow, options.frame_budget, options.every_step,
                        options.steps)
            every = channels.outputs == tuple(range(self.layer.out_channels))
            status = None if every and not made.sped else widest_status(
                self.layer, stepper, made)
            self._made[key] = (made, status)
        return self._made[key]


def grid_count(layer: WindowLayer) -> int:
    """The grids a layout of every channel draws: inputs, kernels, outputs."""
    return layer.in_channels + layer.out_channels * (layer.in_per_group + 1)


def subsets(layer: WindowLayer, wanted: Channels, outputs_fixed: bool,
            inputs_fixed: bool, max_inputs: int = MAX_SHOWN) -> Iterator[Channels]:
    """Sets of channels to try, the most first: fewer inputs (at least one of each shown
    group), then fewer outputs; the options' own choices stay as given."""
    cg, og = layer.in_per_group, layer.out_per_group
    out_counts = [len(wanted.outputs)] if outputs_fixed else range(
        min(len(wanted.outputs), MAX_SHOWN), 0, -1)
    for n_out in out_counts:
        outputs = wanted.outputs[:n_out]
        groups = sorted({c // og for c in outputs})
        feeding = [c for c in wanted.inputs if c // cg in groups]
        if inputs_fixed:
            yield Channels(outputs, tuple(feeding))
            continue
        firsts = [next(c for c in feeding if c // cg == g) for g in groups
                  if any(c // cg == g for c in feeding)]
        if len(firsts) > max_inputs:
            continue
        rest = [c for c in feeding if c not in firsts]
        for n_in in range(min(len(feeding), max_inputs), len(firsts) - 1, -1):
            yield Channels(outputs, tuple(sorted(firsts + rest[:n_in - len(firsts)])))


def _cells(layer: WindowLayer, text: ValueText | None, choice: Choice,
           candidates: list[Channels], page: tuple[int, int]) -> tuple[Layout, Schedule] | None:
    """The first layout of cells that fits ``page``: with numbers when there are values,
    else cells of 14 down to :data:`MIN_FITTED_CELL` px."""
    sizes = [max(NUMBER_CELL, cell_for_number(text.widest))] if text is not None else list(
        range(DEFAULT_CELL, MIN_FITTED_CELL - 1, -2))
    for cell in sizes:
        for channels in candidates:
            schedule, status = choice.schedule(channels)
            placed = place_layer(layer, cell, text, channels, status)
            if fits(placed, page):
                return placed, schedule
    return None


def _zoom(lay: Layout) -> float:
    """The px per cell of a layout's first output image."""
    left, _, right, _ = lay.outputs[0].box
    return (right - left) / lay.layer.output_size[1]


def _image(layer: WindowLayer, text: ValueText, choice: Choice, candidates: list[Channels],
           page: tuple[int, int], colour: bool) -> tuple[Layout, Schedule]:
    """The image look: the most output channels whose images keep :data:`KEEP_ZOOM` of
    the zoom one output image gets, among the ``candidates`` (most first)."""
    place = IMAGE_LAYOUTS[layer.kind]
    by_outputs: dict[tuple[int, ...], tuple[Layout, Schedule]] = {}
    for channels in candidates:  # per set of outputs, the most inputs that fit
        if channels.outputs in by_outputs and fits(by_outputs[channels.outputs][0], page):
            continue
        schedule, status = choice.schedule(channels)
        status = status or widest_status(layer, Stepper(layer, None, channels), schedule)
        by_outputs[channels.outputs] = (place(layer, text, channels, status, page, colour),
                                        schedule)
    placed = list(by_outputs.values())
    fitting = [item for item in placed if fits(item[0], page)] or placed[-1:]
    best = max(_zoom(lay) for lay, _ in fitting)
    return next(item for item in fitting if _zoom(item[0]) >= KEEP_ZOOM * best)


def choose_scene(layer: WindowLayer, options: RenderOptions, values: Values | None,
                 value_options: dict[str, Any]) -> Scene:
    """The scene of ``layer``'s frames (see the module's doc). ``value_options`` make the
    seeded values of the image look when ``values`` is None; the three channels of a photo
    (``Values.picture``) are drawn as one colour image."""
    page = page_of(options)
    chosen_out, chosen_in = options.show_out is not None, options.show_in is not None
    wanted = channels_for(layer, options.show_out, options.show_in)
    scenes = SCENES if values is None else VALUE_SCENES
    choice = Choice(layer, options, values)
    text = None if values is None else value_text(values, options.decimals)
    if not (chosen_out or chosen_in) and grid_count(layer) <= MAX_GRIDS:
        # The frames small layers have always had; at a cell size asked for, as long as
        # a canvas holds them.
        schedule, status = choice.schedule(wanted)
        placed = place_layer(layer, options.cell_size, text, None, status)
        if fits(placed, page) or (options.cell_size is not None
                                  and max(placed.width, placed.height) <= MAX_SIDE):
            return scenes[layer.kind](layer, options, values, layout=placed, schedule=schedule)
    candidates = list(subsets(layer, wanted, chosen_out, chosen_in))
    if options.cell_size is not None:  # that cell size, with the channels that fit
        placed_all = [(place_layer(layer, options.cell_size, text, channels,
                                   choice.schedule(channels)[1]), channels)
                      for channels in candidates]
        placed, channels = next((item for item in placed_all if fits(item[0], page)),
                                placed_all[-1])
        return scenes[layer.kind](layer, options, values, layout=placed,
                                  schedule=choice.schedule(channels)[0])
    cells = _cells(layer, text, choice, candidates, page)
    if cells is not None:
        return scenes[layer.kind](layer, options, values, layout=cells[0], schedule=cells[1])
    if values is None:
        values = values_for(layer, **{**value_options, "values": True})
        assert values is not None  # values=True asks for them
        choice = Choice(layer, options, values)
    colour = (values.picture and layer.in_channels == 3 and layer.groups == 1
              and wanted.inputs == (0, 1, 2))
    image_candidates = list(subsets(layer, wanted, chosen_out, chosen_in or colour,
                                    MAX_IMAGES_IN))
    lay, schedule = _image(layer, value_text(values, options.decimals), choice,
                           image_candidates, page, colour)
    return ImageScene(layer, options, values, lay, schedule, colour)
