"""The gallery's declaration: every file of ``gallery/`` comes from :data:`SECTIONS`.

Sections follow the article (the headline layer, then kernel, channels, kernel
size, stride, padding, dilation, groups). An :class:`Animation` is one layer
rendered as ``<slug>.gif`` (and ``<slug>-dark.gif`` with ``dark=True``); a
:class:`Figure` is the plot of one argument, ``plot-<argument>.png``. Edit here,
then run ``convgif gallery`` to regenerate the folder and its README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .layers import KINDS, OptionError, WindowLayer
from .options import NAMES
from .plots import ARGUMENTS
from .values import NAMES as VALUE_NAMES

# Render options of every animation unless it says otherwise: a pause on the last
# frame, so the finished output can be read before the loop starts again.
DEFAULT_OPTIONS: dict[str, Any] = {"hold": 1500}
RENDER_OPTIONS: tuple[str, ...] = tuple(name for name in NAMES if name != "theme")
ALSO: dict[str, str] = {"webp": "WebP", "html": "HTML player",  # formats beside a GIF
                        "pdf": "PDF, a page per frame"}


@dataclass(frozen=True)
class Animation:
    """One layer as a GIF: ``layer`` holds the keyword arguments of the layer kind ``kind``
    (``"conv2d"``, ``"conv-transpose2d"``, ... of :data:`convgif.layers.KINDS`).
    ``name`` replaces the slug in the file name (conv_arithmetic's names).

    ``options`` are :func:`convgif.render` keyword arguments (not ``theme``:
    ``dark=True`` adds a dark-theme copy). ``values`` are
    :class:`~convgif.values.ValueOptions` fields (an ``input`` file is named as from
    the repository's root, ``examples/inputs/...``, as its command shows it; the gallery
    reads the package's copy). ``text`` is one or two sentences.
    ``also`` names more formats written beside the GIF, in the light theme
    (``"webp"``, ``"html"``: the player, ``"pdf"``), for the headline layer only: the
    gallery stays small.
    """

    title: str
    text: str
    layer: dict[str, Any]
    options: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    dark: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    also: tuple[str, ...] = ()
    kind: str = "conv2d"
    name: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.also) - set(ALSO))
        if unknown:
            raise OptionError(f"gallery entry {self.title!r}: also={', '.join(unknown)} "
                              f"must be among {', '.join(ALSO)}")
        unknown = sorted(set(self.options) - set(RENDER_OPTIONS))
        if unknown:
            raise OptionError(f"gallery entry {self.title!r}: unknown render options "
                              f"{', '.join(unknown)} (use {', '.join(RENDER_OPTIONS)}; "
                              "dark=True for the dark theme)")
        unknown = sorted(set(self.values) - set(VALUE_NAMES))
        if unknown:
            raise OptionError(f"gallery entry {self.title!r}: unknown value options "
                              f"{', '.join(unknown)} (use {', '.join(VALUE_NAMES)})")
        _ = self.spec  # a layer PyTorch refuses fails on import, naming the rule

    @cached_property
    def spec(self) -> WindowLayer:
        """The layer."""
        if self.kind not in KINDS:
            raise OptionError(f"gallery entry {self.title!r}: kind={self.kind!r} must be one "
                              f"of {', '.join(KINDS)}")
        return KINDS[self.kind](**self.layer)

    def value_options(self, inputs: Path) -> dict[str, Any]:
        """The value options, with an ``input`` file found by its name in the folder
        ``inputs`` (the package's copies of ``examples/inputs/``)."""
        values = dict(self.values)
        if isinstance(values.get("input"), str):
            values["input"] = str(inputs / Path(values["input"]).name)
        return values

    @property
    def themes(self) -> tuple[str, ...]:
        """The themes it is rendered in: light, and dark when declared."""
        return ("light", "dark") if self.dark else ("light",)

    def file(self, theme: str = "light", format: str = "gif") -> str:
        """The file name in one theme: ``<slug>.gif``, with ``-values`` (with values)
        and ``-dark`` (dark theme) before the extension, ``.gif`` or ``format``'s."""
        parts = [self.name or self.spec.slug, *(["values"] if self.values else []),
                 *([theme] if theme != "light" else [])]
        return "-".join(parts) + "." + format

    def renders(self) -> list[tuple[str, str, str]]:
        """Each file it makes: (file name, theme, format), GIFs first."""
        return [*((self.file(theme), theme, "gif") for theme in self.themes),
                *((self.file("light", format), "light", format) for format in self.also)]


@dataclass(frozen=True)
class Figure:
    """The plot of one ``nn.Conv2d`` argument (one of :data:`convgif.plots.ARGUMENTS`)."""

    argument: str
    title: str
    text: str

    def __post_init__(self) -> None:
        if self.argument not in ARGUMENTS:
            raise OptionError(f"gallery figure {self.argument!r} must be one of "
                            + ", ".join(ARGUMENTS))

    @property
    def file(self) -> str:
        """The file name, ``plot-<argument>.png`` (what ``convgif plot`` writes by default)."""
        return f"plot-{self.argument}.png"

    @property
    def csv(self) -> str:
        """The measurements the figure is drawn from, ``plot-<argument>.csv``."""
        return f"plot-{self.argument}.csv"


Entry = Animation | Figure


@dataclass(frozen=True)
class Section:
    """A heading of the gallery and its entries, in order; ``side_by_side`` puts the
    section's pictures in one row (for entries meant to be compared)."""

    title: str
    entries: tuple[Entry, ...]
    text: str = ""
    side_by_side: bool = False


_TIMES = "Times are of convgif's NumPy engine on the machine that drew the figure."

SECTIONS: tuple[Section, ...] = (
    Section("The headline layer", (
        Animation(
            "Padding, stride and dilation together",
            "Each of the 2 output channels has its own 3x3x3 kernel whose taps sit 2 cells "
            "apart (dilation 2) and jump 2 cells per step (stride 2) over the input padded "
            "by 1. It is the layer `convgif render` draws by default.",
            dict(in_channels=3, input_size=7, out_channels=2, kernel_size=3, padding=1,
                 stride=2, dilation=2),
            dark=True,
            also=("webp", "html", "pdf"),
        ),
    )),
    Section("Kernel", (
        Animation(
            "One kernel on one channel",
            "A 3x3 kernel slides over a 9x9 input one cell at a time; each output cell is "
            "the sum of the 9 input cells under the kernel times its 9 weights, plus the "
            "bias. The kernel fits at 7x7 positions, so the output is 7x7.",
            dict(in_channels=1, input_size=9, out_channels=1, kernel_size=3),
            dark=True,
        ),
    )),
    Section("Channels", (
        Animation(
            "One input channel, four output channels",
            "Every output channel has its own kernel, so 4 output channels take four 3x3 "
            "kernels (36 weights and 4 biases); the animation fills one output channel "
            "after the other.",
            dict(in_channels=1, input_size=7, out_channels=4, kernel_size=3),
        ),
        Animation(
            "Three input channels, four output channels",
            "A kernel is as deep as the input: each of the 4 kernels is 3x3x3, one 3x3 "
            "slice per input channel, and an output cell sums all 27 products. The weight "
            "tensor is (4, 3, 3, 3): 108 weights plus 4 biases.",
            dict(in_channels=3, input_size=7, out_channels=4, kernel_size=3),
        ),
        Figure(
            "in-channels", "Input channels: parameters, time and output size",
            "The weights grow with input times output channels, while the output size does "
            f"not depend on the input channels at all. {_TIMES}",
        ),
        Figure(
            "out-channels", "Output channels: parameters, time and output size",
            "Parameters and output size grow in proportion to the output channels; the input "
            f"size changes the output size and the time, never the parameters. {_TIMES}",
        ),
    )),
    Section("Kernel size", (
        Animation(
            "A 5x2 kernel",
            "Kernels need not be square: a 5x2 kernel covers 5 rows and 2 columns, so the "
            "7x9 input gives a 3x8 output.",
            dict(in_channels=3, input_size=(7, 9), out_channels=2, kernel_size=(5, 2)),
        ),
        Animation(
            "A 5x1 kernel",
            "A 5x1 kernel reads a single column at a time: the output loses 4 rows but keeps "
            "the input's 9 columns.",
            dict(in_channels=3, input_size=(7, 9), out_channels=2, kernel_size=(5, 1)),
        ),
        Figure(
            "kernel-size", "Kernel size: parameters, time and output size",
            "The weights grow with the kernel's area (Kh x Kw); without padding a larger "
            f"kernel also trims the output a little. {_TIMES}",
        ),
    )),
    Section("Stride", (
        Animation(
            "Stride 1 down, 3 across",
            "The kernel moves 1 row down but 3 columns across, so the 9x9 input gives a 7x3 "
            "output: a stride divides the output size, and the work, along its axis.",
            dict(in_channels=3, input_size=9, out_channels=2, kernel_size=3, stride=(1, 3)),
        ),
        Figure(
            "stride", "Stride: parameters, time and output size",
            "Stride adds no parameters; stride 2 leaves a quarter of the output values of "
            f"stride 1, and a quarter of the work. {_TIMES}",
        ),
    )),
    Section("Padding", (
        Animation(
            "Padding 1 on two channels",
            "Padding 1 puts a frame of zeros around the 7x7 input, so a 3x3 kernel fits at "
            "7x7 positions and the output keeps the input's size. Padding cells are read "
            "like the others but only ever hold zeros.",
            dict(in_channels=2, input_size=7, out_channels=1, kernel_size=3, padding=1),
        ),
        Animation(
            "Padding 1 on three channels, two output channels",
            "The usual 3x3 layer: with padding 1 each output channel keeps the input's 7x7 "
            "size, whatever the number of channels.",
            dict(in_channels=3, input_size=7, out_channels=2, kernel_size=3, padding=1),
        ),
        Figure(
            "padding", "Padding: parameters, time and output size",
            "Padding adds no parameters; each unit of padding grows the output's height and "
            f"width by 2, and the work with them. {_TIMES}",
        ),
    )),
    Section("Dilation", (
        Animation(
            "Dilation 4x2",
            "Dilation spreads the kernel's taps 4 rows and 2 columns apart, so a 3x3 kernel "
            "spans 9x5 cells and fits at only 1x5 positions of the 9x9 padded input.",
            dict(in_channels=2, input_size=7, out_channels=1, kernel_size=3, padding=1,
                 dilation=(4, 2)),
        ),
        Animation(
            "Dilation 4x2 with padding 2",
            "On a 9x9 input padded by 2 the same dilated kernel fits at 5x9 positions: "
            "dilation widens what each output cell sees without adding weights.",
            dict(in_channels=2, input_size=9, out_channels=1, kernel_size=3, padding=2,
                 dilation=(4, 2)),
        ),
        Figure(
            "dilation", "Dilation: parameters, time and output size",
            "Dilation adds no parameters; without padding each unit of dilation widens a 3x3 "
            f"kernel's footprint by 2 and trims the output by as much. {_TIMES}",
        ),
    )),
    Section("Groups", (
        Animation(
            "Two groups",
            "With groups=2 input channel 0 feeds only output channels 0-1 and input channel 1 "
            "only output channels 2-3, so each kernel is 1 channel deep: half the weights of "
            "groups=1. Both groups advance together, one frame per step.",
            dict(in_channels=2, input_size=7, out_channels=4, kernel_size=3, padding=2,
                 stride=2, groups=2),
            dark=True,
        ),
        Figure(
            "groups", "Groups: parameters, time and output size",
            "groups=G divides the weights by G and keeps the output size: each output channel "
            f"sees only C_in/G input channels. {_TIMES}",
        ),
    )),
    Section("Values", (
        Animation(
            "Edge detection on a square",
            "The kernel example with numbers: a 9x9 grey image of a bright square and a "
            "Sobel kernel, which answers the square's left edge with large positive values, "
            "its right edge with large negative ones and flat areas with 0. The formula "
            "under the grids is each output's sum, product by product.",
            dict(in_channels=1, input_size=9, out_channels=1, kernel_size=3),
            values=dict(input="examples/inputs/square.png", weights="sobel-x",
                        bias_values="0"),
            dark=True,
        ),
        Animation(
            "The headline layer with its numbers",
            "Seeded small integers (input 0 to 3, weights and bias -1 to 1), so every sum can "
            "be checked by head. An output cell adds 27 products, too many for one line, so "
            "the formula gives one partial sum per input channel after the bias.",
            dict(in_channels=3, input_size=7, out_channels=2, kernel_size=3, padding=1,
                 stride=2, dilation=2),
            values=dict(values=True),
            dark=True,
        ),
        Animation(
            "Two groups with their numbers",
            "Each group's output sums only its own two input channels; the two formula lines "
            "are the two groups' outputs of the step.",
            dict(in_channels=4, input_size=5, out_channels=4, kernel_size=3, padding=1,
                 stride=2, groups=2),
            values=dict(values=True),
            dark=True,
        ),
    )),
    Section("Padding modes", tuple(
        Animation(
            f"padding_mode='{mode}'",
            text,
            dict(in_channels=1, input_size=5, out_channels=1, kernel_size=3, padding=1,
                 padding_mode=mode),
            values=dict(values=True),
            dark=True,
        ) for mode, text in (
            ("reflect", "Padding cells mirror the input across its edge, the edge itself "
                        "not repeated."),
            ("replicate", "Padding cells repeat the nearest edge cell."),
            ("circular", "Padding cells wrap around: the left padding holds the right "
                         "column."),
        )),
        text="The same layer and input with the three padding modes that copy cells "
             "instead of writing zeros. When the kernel reads a padding cell, the input cell "
             "it copies is marked in the corner.",
        side_by_side=True,
    ),
)


# conv_arithmetic's animations (Dumoulin and Visin, "A guide to convolution arithmetic for
# deep learning"): name, input size, kernel, padding, stride, and dilation or output padding.
_ARITHMETIC = (
    ("no_padding_no_strides", 4, 3, 0, 1, 1, "A 3x3 kernel over a 4x4 input, no padding, "
     "stride 1: a 2x2 output."),
    ("arbitrary_padding_no_strides", 5, 4, 2, 1, 1, "A 4x4 kernel over a 5x5 input padded by "
     "2: the output, 6x6, is larger than the input."),
    ("same_padding_no_strides", 5, 3, 1, 1, 1, "Half padding: a 3x3 kernel with padding 1 "
     "keeps the 5x5 size."),
    ("full_padding_no_strides", 5, 3, 2, 1, 1, "Full padding: padding K-1 = 2 lets the "
     "kernel meet every input cell at every tap, a 7x7 output."),
    ("no_padding_strides", 5, 3, 0, 2, 1, "Stride 2 over a 5x5 input: a 2x2 output."),
    ("padding_strides", 5, 3, 1, 2, 1, "Padding 1 and stride 2 over a 5x5 input: 3x3."),
    ("padding_strides_odd", 6, 3, 1, 2, 1, "A 6x6 input, padding 1, stride 2: the last row "
     "and column of the padding are never read."),
    ("dilation", 7, 3, 0, 1, 2, "Dilation 2 spreads a 3x3 kernel over 5x5 cells of the 7x7 "
     "input: a 3x3 output."),
)
_TRANSPOSED = (
    ("no_padding_no_strides_transposed", 2, 3, 0, 1, 0, "The transpose of a 3x3 kernel over "
     "a 4x4 input: a stride-1 convolution over the 2x2 input with 2 zeros of padding all "
     "round gives 4x4."),
    ("arbitrary_padding_no_strides_transposed", 6, 4, 2, 1, 0, "Padding 2 takes 2 rows and "
     "columns off the full convolution: 6x6 in, 5x5 out."),
    ("same_padding_no_strides_transposed", 5, 3, 1, 1, 0, "Half padding keeps the size, "
     "transposed too: 5x5 in, 5x5 out."),
    ("full_padding_no_strides_transposed", 7, 3, 2, 1, 0, "Full padding transposed: no "
     "implicit padding at all, 7x7 in, 5x5 out."),
    ("no_padding_strides_transposed", 2, 3, 0, 2, 0, "Stride 2, transposed: one zero "
     "inserted between the input cells, 2x2 in, 5x5 out."),
    ("padding_strides_transposed", 3, 3, 1, 2, 0, "Stride 2 and padding 1, transposed: "
     "zeros inserted, one ring of padding, 3x3 in, 5x5 out."),
    ("padding_strides_odd_transposed", 3, 3, 1, 2, 1, "As above with output_padding=1: a "
     "row and a column more at the bottom and right give the 6x6 of the odd case."),
)

SECTIONS += (
    Section("conv_arithmetic, labelled", (
        *(Animation(name.replace("_", " "), text,
                    dict(in_channels=1, out_channels=1, kernel_size=k, input_size=size,
                         stride=s, padding=p, dilation=d, bias=False),
                    dark=True, name=name)
          for name, size, k, p, s, d, text in _ARITHMETIC),
        *(Animation(name.replace("_", " "), text,
                    dict(in_channels=1, out_channels=1, kernel_size=k, input_size=size,
                         stride=s, padding=p, output_padding=op, bias=False),
                    dark=True, name=name, kind="conv-transpose2d")
          for name, size, k, p, s, op, text in _TRANSPOSED),
    ), text="conv_arithmetic's fifteen animations of convolutions and transposed "
            "convolutions, under their file names, with what they leave out: which grid is "
            "the input and which the output, the shapes, the padding, and the zeros a "
            "transposed convolution inserts between input cells. Each transposed convolution "
            "is drawn as conv_arithmetic teaches it: the stride-1 convolution over the input "
            "with zeros inserted and around it, with the kernel flipped."),
    Section("Pooling", (
        Animation(
            "Max pooling",
            "conv_arithmetic's numerical max pooling: a 3x3 window, stride 1, over its 5x5 "
            "input; each output is the largest of the 9 cells, marked.",
            dict(kernel_size=3, input_size=5, stride=1), kind="max-pool2d", dark=True,
            values=dict(input="examples/inputs/numerical.npy"), name="numerical_max_pooling"),
        Animation(
            "Average pooling",
            "The same window averaging: each output is the sum of 9 cells divided by 9, as "
            "the formula shows.",
            dict(kernel_size=3, input_size=5, stride=1), kind="avg-pool2d", dark=True,
            values=dict(input="examples/inputs/numerical.npy"),
            name="numerical_average_pooling"),
    )),
    Section("Conv1d", (
        Animation(
            "A 1D convolution",
            "Two channels of length 12, padding 1, stride 2: each output cell sums 2 x 3 "
            "products along the sequence.",
            dict(in_channels=2, out_channels=2, kernel_size=3, input_size=12, stride=2,
                 padding=1), kind="conv1d", dark=True, values=dict(values=True)),
    )),
)

_PHOTO = "examples/inputs/grace_hopper.jpg"
SECTIONS += (
    Section("Real layers", (
        Animation(
            "ResNet-18's first layer on a photo",
            "nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False) on a 224x224 "
            "photo: 802,816 steps, so the frames show the first steps one by one, then more "
            "and more at once, and the first 8 of the 64 output channels as feature maps "
            "(seeded weights -1 to 1); the magnifier shows the numbers of the step.",
            dict(in_channels=3, out_channels=64, kernel_size=7, input_size=224, stride=2,
                 padding=3, bias=False),
            options={**DEFAULT_OPTIONS, "budget": 48},
            values=dict(input=_PHOTO), dark=True),
        Animation(
            "Edge detection on a photo",
            "The Sobel kernel of the Values section on the photo in grey (128x128, padding "
            "1): the output is large where the brightness changes from left to right.",
            dict(in_channels=1, out_channels=1, kernel_size=3, input_size=128, padding=1),
            options={**DEFAULT_OPTIONS, "budget": 48},
            values=dict(input=_PHOTO, weights="sobel-x", bias_values="0"),
            dark=True),
    ), text="Layers of real networks on a real photo (Grace Hopper, a public-domain photo "
            "that matplotlib ships). Their grids are too big for cells with numbers, so they "
            "are drawn as images, the photo in its own colours or its own brightness, with "
            "the current step magnified below; a frame fits a blog column."),
)
