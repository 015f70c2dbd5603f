"""Named kernels: the classic image kernels by name, as a layer's weights (``--weights``).

:func:`kernel` builds one kernel of a given (height, width); :func:`named_weights`
puts named kernels into a layer's weight tensor, and :func:`read_weights` is the
``weights`` reader: kernel names, else numbers or a tensor file
(:func:`convgif.arrays.read_array`). ``--weights sobel-x`` gives every output
channel the same kernel; ``--weights sobel-x,sobel-y`` one name per output channel.

Each name is defined for every kernel size below (Conv1d's kernel is 1 x K):

=========  ==================================================================
identity   1 at the centre (odd sizes)
box        every tap 1/(Kh*Kw): the mean of the window (any size)
gaussian   binomial weights (1, 2, 1 / 1, 4, 6, 4, 1 ...) along each axis, their
           product summing to 1: 3x3 is (1 2 1; 2 4 2; 1 2 1)/16 (any size)
sobel-x    right minus left, smoothed down the columns: (-1 0 1; -2 0 2; -1 0 1) at
           3x3, and OpenCV's Sobel at every odd size (the difference of binomials
           across, binomial weights down: 5 wide is -1 -2 0 2 1); at least 3 wide
sobel-y    bottom minus top, the same turned: at least 3 tall
laplacian  the second difference along each axis at least 3 long: (0 1 0; 1 -4 1;
           0 1 0) at 3x3, 1 -2 1 for a 1x3 kernel, zeros around it in larger kernels
sharpen    identity minus laplacian: (0 -1 0; -1 5 -1; 0 -1 0) at 3x3
outline    -1 everywhere but Kh*Kw - 1 at the centre: (-1 -1 -1; -1 8 -1; -1 -1 -1)
emboss     rows down plus columns right from the centre, plus 1 at the centre:
           (-2 -1 0; -1 1 1; 0 1 2) at 3x3
=========  ==================================================================

Every input channel of an output channel's group gets the kernel, so an output
channel applies it to the sum of its input channels (an RGB layer: to R + G + B);
for one filter per channel, give the layer as many groups as channels. A
kernel is set as the animation draws it: a transposed convolution's, drawn as
the stride-1 convolution over its zero-inserted input, is stored flipped.
Integer kernels are integers (their numbers show as such); box and gaussian
are floats.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np

from .arrays import Source, read_array
from .layers import OptionError, WindowLayer

Size = tuple[int, int]


def _binomial(n: int) -> np.ndarray:
    """Row ``n - 1`` of Pascal's triangle: n binomial weights."""
    return np.array([math.comb(n - 1, k) for k in range(n)], dtype=np.int64)


def _difference(n: int) -> np.ndarray:
    """The derivative across ``n`` taps: the difference of binomial weights (-1 0 1)."""
    return np.convolve(_binomial(n - 1), [-1, 1])


def _centre(size: Size) -> np.ndarray:
    identity = np.zeros(size, dtype=np.int64)
    identity[size[0] // 2, size[1] // 2] = 1
    return identity


def _laplacian(size: Size) -> np.ndarray:
    stencil = np.zeros(size, dtype=np.int64)
    (cy, cx), (h, w) = (size[0] // 2, size[1] // 2), size
    if h >= 3:
        stencil[cy - 1:cy + 2, cx] += [1, -2, 1]
    if w >= 3:
        stencil[cy, cx - 1:cx + 2] += [1, -2, 1]
    return stencil


def _offsets(size: Size) -> np.ndarray:
    rows = np.arange(size[0]) - size[0] // 2
    cols = np.arange(size[1]) - size[1] // 2
    return rows[:, None] + cols[None, :]


# name -> (what it needs: "any", "odd", or an axis that must be >= 3, then the kernel).
KERNELS: dict[str, tuple[str, Callable[[Size], np.ndarray]]] = {
    "identity": ("odd", _centre),
    "box": ("any", lambda size: np.full(size, 1 / (size[0] * size[1]))),
    "gaussian": ("any", lambda size: np.outer(_binomial(size[0]), _binomial(size[1]))
                 / 2 ** (size[0] + size[1] - 2)),
    "sobel-x": ("wide", lambda size: np.outer(_binomial(size[0]), _difference(size[1]))),
    "sobel-y": ("tall", lambda size: np.outer(_difference(size[0]), _binomial(size[1]))),
    "laplacian": ("either", _laplacian),
    "sharpen": ("either", lambda size: _centre(size) - _laplacian(size)),
    "outline": ("odd", lambda size: size[0] * size[1] * _centre(size)
                - np.ones(size, dtype=np.int64)),
    "emboss": ("odd", lambda size: _offsets(size) + _centre(size)),
}
_NAMES = re.compile(r"^\s*[a-z][a-z-]*\s*(,\s*[a-z][a-z-]*\s*)*$", re.IGNORECASE)


def _refusal(name: str, size: Size) -> str | None:
    """Why ``name`` has no kernel of ``size``, or None."""
    need = KERNELS[name][0]
    (h, w), shown = size, f"{size[0]}x{size[1]}"
    if need != "any" and (h % 2 == 0 or w % 2 == 0):
        return f"needs odd kernel sizes (a centre), not {shown}"
    if need == "wide" and w < 3:
        return f"needs a kernel at least 3 wide, not {shown}"
    if need == "tall" and h < 3:
        return f"needs a kernel at least 3 tall, not {shown}"
    if need == "either" and max(h, w) < 3:
        return f"needs a kernel at least 3 tall or wide, not {shown}"
    return None


def kernel(name: str, size: tuple[int, int]) -> np.ndarray:
    """The kernel ``name`` (one of :data:`KERNELS`) of ``size`` (height, width): int64,
    or float64 for ``box`` and ``gaussian``. Raises :class:`OptionError` for an unknown
    name or a size it is not defined for."""
    key = name.strip().lower()
    if key not in KERNELS:
        raise OptionError(f"weights={name!r} is not a kernel name (use "
                          f"{', '.join(KERNELS)}), numbers or a .npy file")
    refusal = _refusal(key, size)
    if refusal is not None:
        raise OptionError(f"weights={name!r} {refusal}")
    return KERNELS[key][1](size)


def kernel_names(source: object) -> list[str] | None:
    """The kernel names ``source`` lists (``"sobel-x"``, ``"sobel-x,sobel-y"``), or None
    when it is not a list of names (numbers, a file, an array)."""
    if not isinstance(source, str) or not _NAMES.match(source):
        return None
    return [part.strip() for part in source.split(",")]


def no_weights(layer: WindowLayer, source: object) -> OptionError:
    """The error of weights given to a layer without any (pooling)."""
    shown = (source if isinstance(source, str) else ",".join(source)
             if isinstance(source, list) and all(isinstance(s, str) for s in source)
             else "an array")
    return OptionError(f"weights={shown!r:.60} is given, but a {layer.torch_name} has no "
                       f"weights")


def named_weights(layer: WindowLayer, names: str | list[str]) -> np.ndarray:
    """``layer``'s weight tensor from kernel names (a list, or names separated by
    commas): one name for every output channel, or one per output channel, each
    applied to every input channel of its group as the animation draws it (see the
    module's doc). Raises :class:`OptionError` naming what does not fit."""
    if layer.weight_shape is None:
        raise no_weights(layer, names)
    listed = [part.strip() for part in names.split(",")] if isinstance(names, str) \
        else list(names)
    if len(listed) not in (1, layer.out_channels):
        raise OptionError(f"weights={','.join(listed)!r} names {len(listed)} kernels: give "
                          f"one, or one per output channel ({layer.out_channels})")
    size = (layer.axes[0].kernel, layer.axes[1].kernel)
    kernels = [kernel(name, size) for name in listed]
    dtype = np.result_type(*kernels)
    weights = np.zeros(layer.weight_shape, dtype=dtype)
    for out_channel in range(layer.out_channels):
        chosen = kernels[out_channel % len(kernels)]
        for channel in range(layer.in_per_group):
            for ky in range(size[0]):
                for kx in range(size[1]):
                    index = layer.weight_index(out_channel, channel, (ky, kx))
                    assert index is not None  # a layer with a weight shape indexes it
                    weights[index] = chosen[ky, kx]
    return weights


def read_weights(source: Source, layer: WindowLayer) -> np.ndarray:
    """``layer``'s weights from ``source``: kernel names (:func:`named_weights`), else
    numbers, a tensor file (``FILE:KEY``) or an array of the weight shape
    (:func:`read_array`)."""
    names = kernel_names(source)
    if names is not None:
        return named_weights(layer, names)
    if layer.weight_shape is None:
        raise no_weights(layer, source)
    return read_array(source, layer.weight_shape, "weights", "weight")
