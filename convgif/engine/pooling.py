"""NumPy max and average pooling with the semantics of ``torch.nn.functional``.

The input is padded once (-inf for max, zeros for average) and, with
``ceil_mode``, extended so that a last window hanging off the padded input has
cells to read (-inf or zeros, which change nothing); then each kernel tap's
strided view is folded in: a running maximum, or a sum divided by PyTorch's
divisor per output cell. Loops run over kernel taps only.
"""

from __future__ import annotations

import numpy as np

from ..layers import AvgPool2d, MaxPool2d, PairLike, Pool2d, SpecError
from .convolution import _numbers


def _checked(name: str, input: object) -> tuple[np.ndarray, bool]:
    """The input as an (N, C, H, W) array of numbers, and whether it was unbatched."""
    x = _numbers("input", input)
    if x.ndim not in (3, 4):
        raise SpecError(f"input must have 3 or 4 dimensions (C, H, W) or (N, C, H, W), "
                        f"not shape {x.shape}")
    if x.dtype.kind == "c":
        raise SpecError(f"{name} does not take complex input")
    return (x[None], True) if x.ndim == 3 else (x, False)


def _windows(x: np.ndarray, layer: Pool2d, fill: float | int) -> np.ndarray:
    """``x`` padded with ``fill`` over every cell a window reads."""
    height, width = layer.axes
    n, c, h, w = x.shape
    padded = np.full((n, c, height.reach, width.reach), fill, x.dtype)
    padded[:, :, height.before:height.before + h, width.before:width.before + w] = x
    return padded


def _taps(padded: np.ndarray, layer: Pool2d) -> list[np.ndarray]:
    """Each kernel tap's strided view: the cell it reads for every output cell."""
    height, width = layer.axes
    oh, ow = layer.output_size
    views = []
    for ky in range(height.kernel):
        for kx in range(width.kernel):
            top, left = ky * height.dilation, kx * width.dilation
            views.append(padded[:, :, top:top + (oh - 1) * height.stride + 1:height.stride,
                                left:left + (ow - 1) * width.stride + 1:width.stride])
    return views


def max_pool2d(input: np.ndarray, kernel_size: PairLike, stride: PairLike | None = None,
               padding: PairLike = 0, dilation: PairLike = 1, ceil_mode: bool = False
               ) -> np.ndarray:
    """Max pooling of ``input`` (N, C, H, W) or (C, H, W), as PyTorch computes it.

    ``stride`` defaults to ``kernel_size``; padding (at most half the kernel) reads
    as -inf; NaN propagates. The result has the input's dtype. Raises
    :class:`SpecError` for calls PyTorch refuses.
    """
    x, unbatched = _checked("max_pool2d", input)
    layer = MaxPool2d(kernel_size, x.shape[2:], x.shape[1], stride, padding, dilation,
                      ceil_mode)
    if x.dtype.kind == "f":
        fill: float | int = -np.inf
    elif x.dtype.kind == "b":
        fill = False
    else:
        fill = int(np.iinfo(x.dtype).min)
    views = _taps(_windows(x, layer, fill), layer)
    out = views[0].copy()
    for view in views[1:]:
        np.maximum(out, view, out=out)
    return out[0] if unbatched else out


def avg_pool2d(input: np.ndarray, kernel_size: PairLike, stride: PairLike | None = None,
               padding: PairLike = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> np.ndarray:
    """Average pooling of ``input`` (N, C, H, W) or (C, H, W), as PyTorch computes it.

    Each window's sum is divided by ``divisor_override`` when given, else by the
    cells it covers within the padded input (``count_include_pad``) or within
    the input. The result is the input's float dtype (float64 for integers).
    Raises :class:`SpecError` for calls PyTorch refuses.
    """
    x, unbatched = _checked("avg_pool2d", input)
    layer = AvgPool2d(kernel_size, x.shape[2:], x.shape[1], stride, padding, ceil_mode,
                      count_include_pad, divisor_override)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    views = _taps(_windows(x.astype(dtype, copy=False), layer, 0), layer)
    out = views[0].copy()
    for view in views[1:]:
        out += view
    if divisor_override is not None:
        out /= dtype.type(divisor_override)
    else:
        rows, cols = layer.divisors()
        out /= np.outer(rows, cols).astype(dtype)
    return out[0] if unbatched else out
