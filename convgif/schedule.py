"""Which steps each frame shows: one step per frame, or sped up to fit a frame budget.

A layer of a real network has hundreds of thousands of steps; an animation a page
can hold has a hundred frames or so. :func:`plan` gives each frame a range of
steps: when the steps fit the ``budget``, one step per frame (the animation every
small layer has always had); otherwise the first steps one per frame, so the
window is seen to slide, then frames that cover more and more steps (snapped to
whole output rows once a frame covers a row, to whole channels once it covers a
channel) up to a steady pace, and a last frame with the complete output. The
frame loop draws a frame's range at once: it never draws the frames it skips.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from .layers import OptionError

GROWTH = 1.5  # each sped-up frame covers up to this many times the steps of the one before
_RANGE = re.compile(r"^\s*(\d*)\s*:\s*(\d*)\s*$")


@dataclass(frozen=True)
class Frame:
    """Steps ``start`` to ``stop`` (0-based, stop excluded) are computed in this frame;
    the last of them is the one whose window, taps and formula it shows (``marks``).
    The complete frame at the end of a sped-up animation covers no step and has no
    marks: it shows the finished output."""

    start: int
    stop: int
    marks: bool = True

    @property
    def last(self) -> int:
        """The step whose marks the frame shows (the last it covers)."""
        return self.stop - 1

    @property
    def size(self) -> int:
        """How many steps the frame covers."""
        return self.stop - self.start


class OnePerStep(Sequence[Frame]):
    """Frames of one step each, steps ``start`` to ``stop`` (excluded), made when asked
    for: a layer of a million steps animated step by step needs no million objects to
    draw one of its frames."""

    def __init__(self, start: int, stop: int) -> None:
        self.start, self.stop = start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    @overload
    def __getitem__(self, index: int) -> Frame: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Frame]: ...

    def __getitem__(self, index: int | slice) -> Frame | Sequence[Frame]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"frame {index} of {len(self)}")
        return Frame(self.start + index, self.start + index + 1)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __hash__(self) -> int:
        return hash((self.start, self.stop))


@dataclass(frozen=True)
class Schedule:
    """The frames of one animation over ``count`` steps (those of the shown channels).
    ``sped`` says whether frames cover more than one step each (the animation then
    ends on the complete output)."""

    frames: Sequence[Frame]
    count: int
    sped: bool

    def __len__(self) -> int:
        return len(self.frames)


def steps_range(text: str | None, count: int) -> tuple[int, int]:
    """The 0-based half-open range of steps ``text`` chooses: ``A:B`` (1-based, both ends
    included, as status lines count them; ``A:`` to the last, ``:B`` from the first) or
    one step ``N``; None for all ``count``. :class:`OptionError` naming ``steps`` otherwise."""
    if text is None:
        return 0, count
    rule = (f"steps={text!r} must be A:B with 1 <= A <= B <= {count:,} (1-based, ends "
            f"included) or one step N")
    if not isinstance(text, str):
        raise OptionError(rule)
    match = _RANGE.match(text)
    if match is None:
        if not (text.strip().isascii() and text.strip().isdigit()):
            raise OptionError(rule)
        first = last = int(text)
    else:
        first = int(match[1]) if match[1] else 1
        last = int(match[2]) if match[2] else count
    if not 1 <= first <= last <= count:
        raise OptionError(rule)
    return first - 1, last


def _stop(position: int, size: int, row: int, plane: int, end: int) -> int:
    """Where a frame starting at ``position`` that covers about ``size`` steps stops:
    on a channel's end once it covers a channel, a row's end once it covers a row."""
    for unit in (plane, row):
        if size >= unit > 1:
            return min((position + size) // unit * unit, end)
    return min(position + size, end)


def _sped(start: int, end: int, row: int, plane: int, singles: int, pace: int) -> list[Frame]:
    """``singles`` frames of one step, then frames growing by :data:`GROWTH` up to
    ``pace`` steps each, from ``start`` to ``end``."""
    frames = [Frame(i, i + 1) for i in range(start, min(start + singles, end))]
    position, size = frames[-1].stop if frames else start, 1.0
    while position < end:
        size = min(size * GROWTH, pace)
        stop = _stop(position, math.ceil(size), row, plane, end)
        frames.append(Frame(position, stop))
        position = stop
    return frames


def plan(count: int, row: int, plane: int, budget: int, every_step: bool = False,
         steps: str | None = None) -> Schedule:
    """The frames of an animation of ``count`` steps, ``row`` steps to an output row and
    ``plane`` to an output channel: one step per frame when they fit ``budget`` frames
    (or ``every_step``), else sped up (see the module's doc) within ``budget`` frames,
    the complete frame included. ``steps`` (``"A:B"``, :func:`steps_range`) animates a
    range of the steps only."""
    start, end = steps_range(steps, count)
    if every_step or end - start <= budget:
        return Schedule(OnePerStep(start, end), count, False)
    if budget < 2:
        raise OptionError(f"budget={budget} frames cannot speed up {end - start:,} steps: "
                          f"give at least 2")
    singles = min(max(1, budget // 6), row)
    low, high = 1, end - start  # the steady pace: the smallest that fits the budget
    while low < high:
        pace = (low + high) // 2
        if len(_sped(start, end, row, plane, singles, pace)) <= budget - 1:
            high = pace
        else:
            low = pace + 1
    frames = _sped(start, end, row, plane, singles, low)
    if len(frames) > budget - 1:  # too few frames to speed up gradually: equal parts
        parts, total = budget - 1, end - start
        frames = [Frame(start + total * i // parts, start + total * (i + 1) // parts)
                  for i in range(parts)]
    return Schedule((*frames, Frame(end, end, marks=False)), count, True)
