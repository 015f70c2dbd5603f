"""The sliding steps of a convolution: what each frame of an animation shows.

A step is one position of the kernel: for every group, the output cell being
computed, and for every kernel tap the input cell it reads (in padded
coordinates) and whether that cell is padding. All groups advance together, so
there are ``spec.n_steps`` steps, in the order output channel within its group,
then output row, then output column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from .spec import ConvSpec


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
    """One output cell: its channel (over all groups), row and column."""

    group: int
    channel: int
    row: int
    col: int


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

    def describe(self) -> str:
        """One line: the output cells and the window they read (padded coordinates)."""
        cells = " ".join(f"out[{o.channel},{o.row},{o.col}]" for o in self.outputs)
        top, left, bottom, right = self.window
        return (f"step {self.index}: {cells} <- rows {top}..{bottom - 1}, "
                f"cols {left}..{right - 1} (padded)")

    def to_dict(self) -> dict[str, object]:
        """The step as plain JSON-ready values."""
        return asdict(self)


def trace(spec: ConvSpec) -> Iterator[Step]:
    """Yield the steps of ``spec``'s forward pass lazily, in frame order."""
    top, _, left, _ = spec.pads
    h, w = spec.size
    (oh, ow), (sh, sw), (dh, dw), (kh, kw) = (spec.output_size, spec.strides, spec.dilations,
                                              spec.kernel)
    fh, fw = spec.footprint
    index = 0
    for j in range(spec.groups_out):
        for r in range(oh):
            for c in range(ow):
                y0, x0 = r * sh, c * sw
                taps = tuple(
                    Tap(ky, kx, y, x, not (top <= y < top + h and left <= x < left + w))
                    for ky in range(kh)
                    for kx in range(kw)
                    for y, x in ((y0 + ky * dh, x0 + kx * dw),)
                )
                outputs = tuple(
                    OutputCell(g, g * spec.groups_out + j, r, c) for g in range(spec.groups)
                )
                yield Step(index, j, r, c, outputs, taps, (y0, x0, y0 + fh, x0 + fw))
                index += 1
