"""convgif: see what a 2D convolution layer does in the forward pass.

The public API: :class:`ConvSpec` (a validated layer on an input), :func:`conv2d`
(a NumPy convolution with PyTorch's semantics), :func:`trace` (the sliding steps),
and, for pictures, :func:`render` and :func:`frames`.
"""

from .engine import conv2d
from .spec import ConvSpec, SpecError
from .trace import OutputCell, Step, Tap, trace

__all__ = ["ConvSpec", "OutputCell", "SpecError", "Step", "Tap", "conv2d", "trace"]
__version__ = "0.1.0"
