"""convgif: see what a 2D convolution layer does in the forward pass.

The public API: :class:`ConvSpec` (a validated layer on an input), :func:`conv2d`
(a NumPy convolution with PyTorch's semantics), :func:`trace` (the sliding steps),
:func:`frames` (the animation's frames as PIL images) and :func:`render` (the
animated GIF, written atomically).
"""

from .animate import Rendered, render
from .draw import frames
from .engine import conv2d
from .spec import ConvgifError, ConvSpec, OptionError, SpecError
from .trace import OutputCell, Step, Tap, trace

__all__ = [
    "ConvSpec",
    "ConvgifError",
    "OptionError",
    "OutputCell",
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
