"""Layers: each kind validates its arguments with PyTorch's rules and derives what convgif shows.

:class:`Layer` is the contract, :class:`WindowLayer` the base of sliding-window
kinds, and :data:`KINDS` maps each kind's command-line name to its class.
"""

from .base import Layer, WindowLayer, window_layer
from .build import KINDS, TorchLine, layer_arguments, layer_from_torch, make_layer, parse_torch
from .conv1d import Conv1d
from .conv2d import DEFAULTS, PADDING_MODES, Conv2d, ConvSpec
from .conv_transpose2d import ConvTranspose2d
from .errors import ConvgifError, OptionError, SpecError
from .geometry import Axis, PaddingLike, Pair, PairLike, as_pair, is_int, parse_pair, positive_int
from .pooling import AvgPool2d, MaxPool2d, Pool2d

__all__ = [
    "DEFAULTS",
    "KINDS",
    "PADDING_MODES",
    "AvgPool2d",
    "Axis",
    "Conv1d",
    "Conv2d",
    "ConvSpec",
    "ConvTranspose2d",
    "ConvgifError",
    "Layer",
    "MaxPool2d",
    "OptionError",
    "PaddingLike",
    "Pair",
    "PairLike",
    "Pool2d",
    "SpecError",
    "TorchLine",
    "WindowLayer",
    "as_pair",
    "is_int",
    "layer_arguments",
    "layer_from_torch",
    "make_layer",
    "parse_pair",
    "parse_torch",
    "positive_int",
    "window_layer",
]
