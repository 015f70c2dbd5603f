"""The sliding steps of a layer: what each frame of an animation shows.

A step is one position of the window: for every group, the output cell being
computed, and for every kernel tap the input cell it reads (in padded
coordinates) and whether that cell is padding (or, for a transposed
convolution, a zero inserted between input cells). :meth:`Step.reads` expands a
step's taps, for one output cell, into the multiplications it sums: input
channel, weight index and cell. All groups advance together, so there are
``layer.n_steps`` steps, in the order output channel within its group, then
output row, then output column. Steps are made lazily, one per iteration.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import numpy as np

from .layers import WindowLayer, window_layer
from .layers.channels import Channels
from .values import Values


@dataclass(frozen=True)
class Tap:
    """One kernel tap (ky, kx) and the padded input cell (row, col) it reads."""

    ky: int
    kx: int
    row: int
    col: int
    padding: bool


@dataclass(frozen=True)
class OutputCell:
    """One output cell: its group, its channel (over all groups), row and column."""

    group: int
    channel: int
    row: int
    col: int


@dataclass(frozen=True)
class Read:
    """One term of an output cell's sum: input ``channel`` at ``tap``, times ``weight``.

    ``weight`` indexes the layer's weight tensor (None for a layer without weights).
    """

    channel: int
    weight: tuple[int, ...] | None
    tap: Tap


@dataclass(frozen=True)
class Term:
    """One product of an output cell's sum, with its numbers: ``input`` (the value read,
    padding values included) times ``weight`` gives ``product``."""

    channel: int
    ky: int
    kx: int
    input: float
    weight: float
    product: float


def _number(value: np.generic) -> float | int:
    """A NumPy number as the Python number that holds it exactly."""
    return value.item()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Step:
    """One frame: the step's index, the output channel within each group, the cells.

    ``window`` is the footprint's extent in padded coordinates:
    (top, left, bottom, right), bottom and right exclusive.
    """

    index: int
    channel_in_group: int
    row: int
    col: int
    outputs: tuple[OutputCell, ...]
    taps: tuple[Tap, ...]
    window: tuple[int, int, int, int]
    layer: WindowLayer = field(repr=False, compare=False)
    values: Values | None = field(default=None, repr=False, compare=False)

    def reads(self, output: OutputCell) -> Iterator[Read]:
        """The terms ``output`` sums, input channel by channel of its group, taps in order."""
        per_group = self.layer.in_per_group
        for offset in range(per_group):
            channel = output.group * per_group + offset
            for tap in self.taps:
                yield Read(channel, self.layer.weight_index(output.channel, offset,
                                                            (tap.ky, tap.kx)), tap)

    def terms(self, output: OutputCell) -> list[Term]:
        """The products ``output`` sums, with the numbers of :attr:`values`, in read order."""
        if self.values is None:
            raise ValueError("this step has no values: trace(layer, values) gives them")
        padded, weight = self.values.padded, self.values.weight
        terms = []
        for read in self.reads(output):
            x = padded[read.channel, read.tap.row, read.tap.col]
            w = weight[read.weight] if read.weight is not None else np.int64(1)
            terms.append(Term(read.channel, read.tap.ky, read.tap.kx, _number(x), _number(w),
                              _number(x * w)))
        return terms

    def value(self, output: OutputCell) -> float:
        """``output``'s value, as the engine computed it."""
        if self.values is None:
            raise ValueError("this step has no values: trace(layer, values) gives them")
        return float(_number(self.values.output[output.channel, output.row, output.col]))

    def describe(self) -> str:
        """One line for people: the step counted from 1 (as frames are; :attr:`index`
        counts from 0), the output cells and the window they read (padded coordinates)."""
        cells = " ".join(f"out[{o.channel},{o.row},{o.col}]" for o in self.outputs)
        top, left, bottom, right = self.window
        return (f"step {self.index + 1}: {cells} <- rows {top}..{bottom - 1}, "
                f"cols {left}..{right - 1} (padded)")

    def to_dict(self) -> dict[str, object]:
        """The step as plain JSON-ready values (the layer itself left out)."""
        return {
            "index": self.index,
            "channel_in_group": self.channel_in_group,
            "row": self.row,
            "col": self.col,
            "outputs": [self._output_dict(output) for output in self.outputs],
            "taps": [asdict(tap) for tap in self.taps],
            "window": list(self.window),
        }

    def _output_dict(self, output: OutputCell) -> dict[str, object]:
        """An output cell as JSON: with values, also its value, bias and terms."""
        cell: dict[str, object] = asdict(output)
        if self.values is not None:
            cell["value"] = self.value(output)
            cell["bias"] = _number(self.values.bias[output.channel])
            cell["terms"] = [asdict(term) for term in self.terms(output)]
        return cell


class Stepper:
    """Makes the steps of one layer by index, in any order (a step is computed, not
    replayed): :func:`trace` walks it, stills and sped-up frames jump in it."""

    def __init__(self, layer: WindowLayer, values: Values | None = None,
                 channels: Channels | None = None) -> None:
        self.layer, self.values = window_layer(layer), values
        height, width = self.layer.axes
        self.axes = (height, width)
        self.rows = [height.is_input(y) for y in range(height.reach)]
        self.cols = [width.is_input(x) for x in range(width.reach)]
        self.in_group = (tuple(range(self.layer.out_per_group)) if channels is None
                         else channels.in_group(self.layer))
        shown = None if channels is None else set(channels.outputs)
        og = self.layer.out_per_group
        # The output channels of each step's channel within its group, group by group.
        self.outputs_of = {j: tuple((g, g * og + j) for g in range(self.layer.groups)
                                    if shown is None or g * og + j in shown)
                           for j in self.in_group}
        self.count = len(self.in_group) * math.prod(self.layer.output_size)

    def position(self, index: int) -> tuple[int, int, int]:
        """Step ``index``'s channel within its group, output row and column."""
        oh, ow = self.layer.output_size
        plane, rest = divmod(index, oh * ow)
        row, col = divmod(rest, ow)
        return self.in_group[plane], row, col

    def outputs(self, index: int) -> tuple[OutputCell, ...]:
        """The output cells step ``index`` computes (one per shown group)."""
        j, row, col = self.position(index)
        return tuple(OutputCell(g, channel, row, col) for g, channel in self.outputs_of[j])

    def step(self, index: int) -> Step:
        """Step ``index`` (0-based, in frame order)."""
        if not 0 <= index < self.count:
            raise IndexError(f"step {index} of a layer of {self.count} steps")
        height, width = self.axes
        j, r, c = self.position(index)
        (fh, fw) = self.layer.footprint
        y0, x0 = r * height.stride, c * width.stride
        taps = tuple(
            Tap(ky, kx, y, x, not (self.rows[y] and self.cols[x]))
            for ky in range(height.kernel)
            for kx in range(width.kernel)
            for y, x in ((y0 + ky * height.dilation, x0 + kx * width.dilation),)
        )
        outputs = tuple(OutputCell(g, channel, r, c) for g, channel in self.outputs_of[j])
        return Step(index, j, r, c, outputs, taps, (y0, x0, y0 + fh, x0 + fw), self.layer,
                    self.values)


def trace(layer: WindowLayer, values: Values | None = None,
          channels: Channels | None = None) -> Iterator[Step]:
    """Yield the steps of ``layer``'s forward pass lazily, in frame order.

    With ``values`` (:func:`convgif.values.values_for`), steps also give each
    output's value and the terms of its sum (:meth:`Step.terms`). With
    ``channels``, only the steps of the shown output channels, each with the
    shown ones among its outputs.

    Raises :class:`TypeError` (on the first step) if ``layer`` is not a layer.
    """
    stepper = Stepper(layer, values, channels)
    for index in range(stepper.count):
        yield stepper.step(index)
