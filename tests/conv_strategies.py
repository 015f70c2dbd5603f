"""Hypothesis strategies for random ``nn.Conv2d`` layers, shared by the test modules.

:func:`layer_args` draws keyword arguments of :class:`convgif.ConvSpec` that PyTorch
accepts (sizes as ints or pairs, every padding form and mode), computing the
smallest valid input from the rules in PyTorch's documentation rather than from
convgif. :func:`any_layer_args` also draws arguments PyTorch refuses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

MODES = ("zeros", "reflect", "replicate", "circular")


def _size_arg(draw: st.DrawFn, low: int, high: int) -> int | tuple[int, int]:
    """An int, or an (h, w) tuple, in [low, high]."""
    value = st.integers(low, high)
    return draw(st.one_of(value, st.tuples(value, value)))


def _pair(value: int | tuple[int, int] | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


@st.composite
def layer_args(draw: st.DrawFn, max_groups: int = 3, max_per_group: int = 3) -> dict[str, Any]:
    """Keyword arguments of a layer and input that PyTorch accepts."""
    groups = draw(st.integers(1, max_groups))
    kernel = _size_arg(draw, 1, 4)
    dilation = _size_arg(draw, 1, 3)
    mode = draw(st.sampled_from(MODES))
    padding: int | tuple[int, int] | str = draw(st.one_of(
        st.sampled_from(["same", "valid"]), st.integers(0, 3),
        st.tuples(st.integers(0, 3), st.integers(0, 3))))
    stride = 1 if padding == "same" else _size_arg(draw, 1, 3)
    size = []
    for axis in range(2):
        k, d = _pair(kernel)[axis], _pair(dilation)[axis]
        if padding == "same":
            before, after = d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2
        elif padding == "valid":
            before = after = 0
        else:
            before = after = _pair(padding)[axis]
        low = max(1, d * (k - 1) + 1 - before - after)
        if mode == "reflect":
            low = max(low, max(before, after) + 1)
        elif mode == "circular":
            low = max(low, before, after)
        size.append(draw(st.integers(low, low + 4)))
    return {
        "in_channels": groups * draw(st.integers(1, max_per_group)),
        "out_channels": groups * draw(st.integers(1, max_per_group)),
        "kernel_size": kernel,
        "input_size": (size[0], size[1]),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "bias": draw(st.booleans()),
        "padding_mode": mode,
    }


@st.composite
def any_layer_args(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments with int-valued fields over ranges that include invalid values.

    Channel counts stay positive and padding is negative only with 'zeros': PyTorch
    accepts zero input channels, and crops instead of padding for negative padding
    with the other modes, both of which ConvSpec refuses on purpose.
    """
    mode = draw(st.sampled_from(MODES))
    low_pad = -1 if mode == "zeros" else 0
    padding = draw(st.one_of(
        st.sampled_from(["same", "valid"]),
        st.integers(low_pad, 5),
        st.tuples(st.integers(low_pad, 5), st.integers(low_pad, 5))))
    return {
        "in_channels": draw(st.integers(1, 6)),
        "out_channels": draw(st.integers(1, 6)),
        "kernel_size": _size_arg(draw, -1, 6),
        "input_size": (draw(st.integers(0, 6)), draw(st.integers(0, 6))),
        "stride": _size_arg(draw, -1, 3),
        "padding": padding,
        "dilation": _size_arg(draw, -1, 3),
        "groups": draw(st.integers(-1, 4)),
        "bias": draw(st.booleans()),
        "padding_mode": mode,
    }


def conv_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``convgif.conv2d`` (and F.conv2d) among ``args``."""
    return {key: args[key] for key in ("stride", "padding", "dilation", "groups", "padding_mode")}


@st.composite
def layer_arrays(
    draw: st.DrawFn, args: dict[str, Any], dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Random input (batched or not, sometimes non-contiguous), weight and bias for ``args``."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kh, kw = _pair(args["kernel_size"])
    c, (h, w) = args["in_channels"], args["input_size"]
    batch = draw(st.sampled_from([None, 1, 2]))
    shape = (c, h, w) if batch is None else (batch, c, h, w)
    if draw(st.booleans()):
        x = rng.standard_normal(shape).astype(dtype)
    else:  # a strided view of a larger array
        x = rng.standard_normal((*shape[:-1], 2 * shape[-1])).astype(dtype)[..., ::2]
    weight = rng.standard_normal((args["out_channels"], c // args["groups"], kh, kw)).astype(dtype)
    bias = rng.standard_normal(args["out_channels"]).astype(dtype) if args["bias"] else None
    return x, weight, bias
