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

_SLICE = re.compile(r"^(\d*):(\d*)$")


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
                if not start < stop <= count:
                    raise OptionError(rule)
                picked += range(start, stop)
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
    (:func:`parse_channels`), None for all. Input channels that feed no shown output
    channel (another group's) are refused, naming both options."""
    shown_out = (tuple(range(layer.out_channels)) if outputs is None
                 else parse_channels(outputs, layer.out_channels, "show_out"))
    groups = {channel // layer.out_per_group for channel in shown_out}
    feeding = tuple(c for c in range(layer.in_channels) if c // layer.in_per_group in groups)
    if inputs is None:
        return Channels(shown_out, feeding)
    shown_in = parse_channels(inputs, layer.in_channels, "show_in")
    stray = [c for c in shown_in if c not in feeding]
    if stray:
        raise OptionError(f"show_in: input channel {stray[0]} feeds none of the output "
                          f"channels shown (groups={layer.groups}): add its group's output "
                          f"channels to show_out, or leave it out")
    return Channels(shown_out, shown_in)
