"""convgif: see what a 2D convolution layer does in the forward pass.

The public API: :class:`ConvSpec` (a validated ``nn.Conv2d`` layer on an input,
also named :class:`Conv2d`), :func:`conv2d` (a NumPy convolution with PyTorch's
semantics), :func:`trace` (the sliding steps), :func:`frames` (the animation's
frames as PIL images) and :func:`render` (the animation, written atomically to
a file or to a stream). :class:`RenderOptions` declares the render options.
"""

from .animate import Rendered, render
from .draw import frames
from .engine import conv2d
from .layers import Conv2d, ConvgifError, ConvSpec, Layer, OptionError, SpecError
from .options import RenderOptions
from .trace import OutputCell, Read, Step, Tap, trace

__all__ = [
    "Conv2d",
    "ConvSpec",
    "ConvgifError",
    "Layer",
    "OptionError",
    "OutputCell",
    "Read",
    "RenderOptions",
    "Rendered",
    "SpecError",
    "Step",
    "Tap",
    "conv2d",
    "frames",
    "render",
    "trace",
]
__version__ = "0.1.0"
