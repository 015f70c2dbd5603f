"""Layers: each kind validates its arguments with PyTorch's rules and derives what convgif shows.

:class:`Layer` is the contract, :class:`WindowLayer` the base of sliding-window
kinds, and :data:`KINDS` maps each kind's command-line name to its class.
"""

from .base import Layer, WindowLayer, window_layer
from .conv2d import DEFAULTS, PADDING_MODES, Conv2d, ConvSpec
from .errors import ConvgifError, OptionError, SpecError
from .geometry import Axis, PaddingLike, Pair, PairLike, as_pair, is_int, parse_pair, positive_int

KINDS: dict[str, type[Layer]] = {Conv2d.kind: Conv2d}

__all__ = [
    "DEFAULTS",
    "KINDS",
    "PADDING_MODES",
    "Axis",
    "Conv2d",
    "ConvSpec",
    "ConvgifError",
    "Layer",
    "OptionError",
    "PaddingLike",
    "Pair",
    "PairLike",
    "SpecError",
    "WindowLayer",
    "as_pair",
    "is_int",
    "parse_pair",
    "positive_int",
    "window_layer",
]
