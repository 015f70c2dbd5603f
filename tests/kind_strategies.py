"""Hypothesis strategies for random layers of every kind, with their ``torch.nn`` arguments.

:func:`kind_layers` draws a layer that PyTorch accepts as the arguments its
``torch.nn`` class takes (every parameter given, defaults included, by torch's
names), the input size and, for pooling, the channel count; each argument is
drawn from a few values that include its default and the values next to it
(``stride`` equal to the kernel, ``padding='same'`` with an even kernel, uneven
pairs, ``output_padding`` at its limit, ``count_include_pad=False``...).
:data:`TORCH_PARAMETERS` is torch's constructor signature of each kind, written
down here so that the tests can use it where torch is not installed (a test
compares it with torch's own where it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

import convgif
from convgif.layers import SpecError, WindowLayer

REQUIRED = "<required>"  # a parameter without a default
MODES = ("zeros", "reflect", "replicate", "circular")
_CONV = (("in_channels", REQUIRED), ("out_channels", REQUIRED), ("kernel_size", REQUIRED),
         ("stride", 1), ("padding", 0), ("dilation", 1), ("groups", 1), ("bias", True),
         ("padding_mode", "zeros"))
# torch.nn's constructor parameters of each kind, in order, with their defaults (device and
# dtype left out), as torch 2.x declares them.
TORCH_PARAMETERS: dict[str, tuple[tuple[str, object], ...]] = {
    "Conv2d": _CONV,
    "ConvTranspose2d": (("in_channels", REQUIRED), ("out_channels", REQUIRED),
                        ("kernel_size", REQUIRED), ("stride", 1), ("padding", 0),
                        ("output_padding", 0), ("groups", 1), ("bias", True), ("dilation", 1),
                        ("padding_mode", "zeros")),
    "MaxPool2d": (("kernel_size", REQUIRED), ("stride", None), ("padding", 0), ("dilation", 1),
                  ("return_indices", False), ("ceil_mode", False)),
    "AvgPool2d": (("kernel_size", REQUIRED), ("stride", None), ("padding", 0),
                  ("ceil_mode", False), ("count_include_pad", True),
                  ("divisor_override", None)),
    "Conv1d": _CONV,
}
CLASSES: dict[str, type[WindowLayer]] = {
    "Conv2d": convgif.Conv2d, "ConvTranspose2d": convgif.ConvTranspose2d,
    "MaxPool2d": convgif.MaxPool2d, "AvgPool2d": convgif.AvgPool2d, "Conv1d": convgif.Conv1d}
POOLING = ("MaxPool2d", "AvgPool2d")


@dataclass(frozen=True)
class Drawn:
    """A layer and what built it: ``arguments`` are its torch class's (all of them, by name),
    ``input_size`` the input's spatial size, ``in_channels`` the channel count a pooling
    layer is given (None for the other kinds, whose line holds it)."""

    name: str
    arguments: dict[str, Any]
    input_size: tuple[int, ...]
    in_channels: int | None
    layer: WindowLayer

    @property
    def input_shape(self) -> tuple[int, ...]:
        """The input's shape, channels first."""
        channels = self.in_channels or self.arguments["in_channels"]
        return (channels, *self.input_size)


def pair(value: Any) -> tuple[int, int]:
    """An int or a pair as a pair."""
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def same_pads(kernel: int, dilation: int) -> tuple[int, int]:
    """PyTorch's padding='same' along one axis: the odd extra cell after the input."""
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def _sizes(draw: st.DrawFn, low: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(draw(st.integers(n, n + 3)) for n in low)


def _conv_low(kernel: Any, dilation: Any, padding: Any, mode: str, axes: int) -> tuple[int, ...]:
    """The smallest input size per axis that a convolution with these arguments takes."""
    low = []
    for axis in range(axes):
        k = kernel if axes == 1 else pair(kernel)[axis]
        d = dilation if axes == 1 else pair(dilation)[axis]
        if padding == "same":
            before, after = same_pads(k, d)
        elif padding == "valid":
            before = after = 0
        else:
            before = after = padding if axes == 1 else pair(padding)[axis]
        n = max(1, d * (k - 1) + 1 - before - after)
        if mode == "reflect":
            n = max(n, max(before, after) + 1)
        elif mode == "circular":
            n = max(n, before, after)
        low.append(n)
    return tuple(low)


def _conv2d(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...], int | None]:
    groups = draw(st.sampled_from([1, 2]))
    kernel = draw(st.sampled_from([1, 2, 3, 4, (1, 3), (2, 1), (4, 3)]))
    padding = draw(st.sampled_from([0, 1, 2, (0, 1), (2, 1), "valid", "same"]))
    dilation = draw(st.sampled_from([1, 2, (1, 2), (3, 1)]))
    mode = draw(st.sampled_from(MODES))
    arguments = {
        "in_channels": groups * draw(st.sampled_from([1, 2])),
        "out_channels": groups * draw(st.sampled_from([1, 2])),
        "kernel_size": kernel,
        "stride": 1 if padding == "same" else draw(st.sampled_from([1, 2, 3, (1, 2), (2, 1)])),
        "padding": padding, "dilation": dilation, "groups": groups,
        "bias": draw(st.booleans()), "padding_mode": mode}
    return arguments, _sizes(draw, _conv_low(kernel, dilation, padding, mode, 2)), None


def _conv_transpose2d(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...], int | None]:
    groups = draw(st.sampled_from([1, 2]))
    stride = draw(st.sampled_from([1, 2, 3, (1, 2), (3, 1)]))
    dilation = draw(st.sampled_from([1, 2, (1, 2), (2, 1)]))
    # output_padding must be smaller than the stride or the dilation: up to its limit.
    limits = [max(s, d) - 1 for s, d in zip(pair(stride), pair(dilation), strict=True)]
    output_padding = draw(st.sampled_from(sorted({0, (0, limits[1]), (limits[0], 0),
                                                  (limits[0], limits[1])}, key=str)))
    arguments = {
        "in_channels": groups * draw(st.sampled_from([1, 2])),
        "out_channels": groups * draw(st.sampled_from([1, 2])),
        "kernel_size": draw(st.sampled_from([1, 2, 3, (1, 3), (3, 2)])),
        "stride": stride, "padding": draw(st.sampled_from([0, 1, 2, (1, 0), (0, 2)])),
        "output_padding": output_padding, "groups": groups, "bias": draw(st.booleans()),
        "dilation": dilation, "padding_mode": "zeros"}
    return arguments, (draw(st.integers(1, 4)), draw(st.integers(1, 4))), None


def _pool_window(draw: st.DrawFn) -> dict[str, Any]:
    kernel = draw(st.sampled_from([1, 2, 3, (2, 3), (3, 1)]))
    paddings = [p for p in (0, 1, (0, 1), (1, 0)) if all(
        a <= k // 2 for a, k in zip(pair(p), pair(kernel), strict=True))]
    return {"kernel_size": kernel,
            "stride": draw(st.sampled_from([None, 1, 2, kernel, (1, 2), (2, 1)])),
            "padding": draw(st.sampled_from(paddings)),
            "ceil_mode": draw(st.booleans())}


def _max_pool2d(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...], int | None]:
    window = _pool_window(draw)
    arguments = {**window, "dilation": draw(st.sampled_from([1, 2, (1, 2)])),
                 "return_indices": draw(st.booleans())}
    return arguments, (draw(st.integers(1, 6)), draw(st.integers(1, 6))), draw(
        st.integers(1, 3))


def _avg_pool2d(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...], int | None]:
    arguments = {**_pool_window(draw), "count_include_pad": draw(st.booleans()),
                 "divisor_override": draw(st.sampled_from([None, None, 1, 2, 5]))}
    return arguments, (draw(st.integers(1, 6)), draw(st.integers(1, 6))), draw(
        st.integers(1, 3))


def _conv1d(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...], int | None]:
    groups = draw(st.sampled_from([1, 2]))
    kernel = draw(st.sampled_from([1, 2, 3, 4]))
    padding = draw(st.sampled_from([0, 1, 2, "valid", "same"]))
    dilation = draw(st.sampled_from([1, 2, 3]))
    mode = draw(st.sampled_from(MODES))
    arguments = {
        "in_channels": groups * draw(st.sampled_from([1, 2])),
        "out_channels": groups * draw(st.sampled_from([1, 2])),
        "kernel_size": kernel,
        "stride": 1 if padding == "same" else draw(st.sampled_from([1, 2, 3])),
        "padding": padding, "dilation": dilation, "groups": groups,
        "bias": draw(st.booleans()), "padding_mode": mode}
    return arguments, _sizes(draw, _conv_low(kernel, dilation, padding, mode, 1)), None


DRAWERS = {"Conv2d": _conv2d, "ConvTranspose2d": _conv_transpose2d,
           "MaxPool2d": _max_pool2d, "AvgPool2d": _avg_pool2d, "Conv1d": _conv1d}


def build(name: str, arguments: dict[str, Any], input_size: tuple[int, ...],
          in_channels: int | None) -> WindowLayer:
    """The convgif layer of these torch arguments, by keyword."""
    size: Any = input_size[0] if name == "Conv1d" else input_size
    extra = {} if in_channels is None else {"in_channels": in_channels}
    return CLASSES[name](**arguments, input_size=size, **extra)


@st.composite
def kind_layers(draw: st.DrawFn, names: tuple[str, ...] = tuple(DRAWERS)) -> Drawn:
    """A layer of one of ``names`` that PyTorch accepts (see the module's doc)."""
    name = draw(st.sampled_from(names))
    arguments, size, channels = DRAWERS[name](draw)
    try:
        layer = build(name, arguments, size, channels)
    except SpecError:  # e.g. a window larger than its padded input
        assume(False)
        raise
    return Drawn(name, arguments, size, channels, layer)


def torch_module(drawn: Drawn) -> Any:
    """The ``torch.nn`` module of the same arguments (torch must be installed)."""
    import torch

    return getattr(torch.nn, drawn.name)(**drawn.arguments)
