"""NumPy functions with the semantics of ``torch.nn.functional``, one module per layer kind.

:func:`conv2d` (:mod:`.convolution`), :func:`conv1d`, :func:`conv_transpose2d`
(:mod:`.transposed`), :func:`max_pool2d` and :func:`avg_pool2d` (:mod:`.pooling`).
Each takes batched or unbatched input, refuses what PyTorch refuses with a
:class:`~convgif.layers.SpecError` naming the argument, and runs no Python loop
over output positions.
"""

from .convolution import conv1d, conv2d, pad_input, source_indices
from .pooling import avg_pool2d, max_pool2d
from .transposed import conv_transpose2d

__all__ = ["avg_pool2d", "conv1d", "conv2d", "conv_transpose2d", "max_pool2d", "pad_input",
           "source_indices"]
