"""Which channels a picture shows: all of a layer's, or the ones a user (or the fitting) picks.

A real layer has more channels than a frame can hold (ResNet's first layer has 64
output channels). :class:`Channels` names the output and input channels shown;
the animation's steps are those of the shown output channels, while shapes and
captions stay the whole layer's. :func:`parse_channels` reads what users write:
``0:4`` (a Python slice, end excluded), ``0,5,9``, ``3`` or a mix ``0:2,7``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .base import WindowLayer
from .errors import OptionError

_SLICE = re.compile(r"^(\d*):(\d*)(?::(\d*))?$")


@dataclass(frozen=True)
class Channels:
    """The output and input channels shown, each sorted and without repeats."""

    outputs: tuple[int, ...]
    inputs: tuple[int, ...]

    @classmethod
    def every(cls, layer: WindowLayer) -> Channels:
        """All of ``layer``'s channels."""
        return cls(tuple(range(layer.out_channels)), tuple(range(layer.in_channels)))

    def is_every(self, layer: WindowLayer) -> bool:
        """Whether every channel of ``layer`` is shown."""
        return self == Channels.every(layer)

    def groups(self, layer: WindowLayer) -> tuple[int, ...]:
        """The groups of the shown output channels, in order."""
        return tuple(sorted({channel // layer.out_per_group for channel in self.outputs}))

    def in_group(self, layer: WindowLayer) -> tuple[int, ...]:
        """The indices within their group of the shown output channels: the steps run over
        these (all groups advance together)."""
        return tuple(sorted({channel % layer.out_per_group for channel in self.outputs}))

    def depth(self, layer: WindowLayer) -> int:
        """The most input channels shown in one shown group (a kernel's shown depth)."""
        return max(sum(1 for c in self.inputs if c // layer.in_per_group == group)
                   for group in self.groups(layer))

    def hidden_outputs(self, layer: WindowLayer) -> int:
        """Output channels not shown."""
        return layer.out_channels - len(self.outputs)

    def hidden_inputs(self, layer: WindowLayer) -> int:
        """Input channels not shown."""
        return layer.in_channels - len(self.inputs)


def parse_channels(text: str | Iterable[int], count: int, name: str) -> tuple[int, ...]:
    """The channels ``text`` names among ``count`` (``0:4``, ``0,5,9``, or a list of ints),
    sorted; :class:`OptionError` naming ``name`` for anything else or out of range."""
    rule = (f"{name}={text!r} must name channels from 0 to {count - 1}: N, A:B (as a Python "
            f"slice, B excluded) or a list such as 0,5,9")
    if isinstance(text, str):
        picked: list[int] = []
        for part in text.replace(" ", "").split(","):
            match = _SLICE.match(part)
            if match is not None:
                start = int(match[1]) if match[1] else 0
                stop = int(match[2]) if match[2] else count
                step = int(match[3]) if match[3] else 1
                if not start < stop <= count or step < 1:
                    raise OptionError(rule)
                picked += range(start, stop, step)
            elif part.isascii() and part.isdigit():
                picked.append(int(part))
            else:
                raise OptionError(rule)
    else:
        try:
            picked = [int(channel) for channel in text]
        except (TypeError, ValueError):
            raise OptionError(rule) from None
        if any(isinstance(channel, bool) for channel in text):
            raise OptionError(rule)
    if not picked or not all(0 <= channel < count for channel in picked):
        raise OptionError(rule)
    return tuple(sorted(set(picked)))


def channels_for(layer: WindowLayer, outputs: str | Sequence[int] | None = None,
                 inputs: str | Sequence[int] | None = None) -> Channels:
    """The channels shown of ``layer``: ``outputs`` and ``inputs`` as users write them
    (:func:`parse_channels`), None for all. Given inputs alone, the outputs are those of
    their groups. Every shown channel must meet another of its group: an input channel
    that feeds no shown output channel, or an output channel none of whose inputs is
    shown, is refused, naming both options."""
    cg, og = layer.in_per_group, layer.out_per_group
    shown_in = None if inputs is None else parse_channels(inputs, layer.in_channels, "show_in")
    if outputs is not None:
        shown_out = parse_channels(outputs, layer.out_channels, "show_out")
    elif shown_in is not None:  # the outputs the inputs feed
        fed = {channel // cg for channel in shown_in}
        shown_out = tuple(c for c in range(layer.out_channels) if c // og in fed)
    else:
        shown_out = tuple(range(layer.out_channels))
    groups = {channel // og for channel in shown_out}
    if shown_in is None:
        return Channels(shown_out, tuple(c for c in range(layer.in_channels)
                                         if c // cg in groups))
    stray = [c for c in shown_in if c // cg not in groups]
    if stray:
        raise OptionError(f"show_in: input channel {stray[0]} feeds none of the output "
                          f"channels shown (groups={layer.groups}): add its group's output "
                          f"channels to show_out, or leave it out")
    fed = {channel // cg for channel in shown_in}
    unfed = [c for c in shown_out if c // og not in fed]
    if unfed:
        group = unfed[0] // og
        raise OptionError(f"show_out: output channel {unfed[0]} reads none of the input "
                          f"channels shown (groups={layer.groups}): add one of input "
                          f"channels {group * cg}-{(group + 1) * cg - 1} to show_in, or "
                          f"leave it out")
    return Channels(shown_out, shown_in)
