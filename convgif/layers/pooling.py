"""MaxPool2d and AvgPool2d: one ``torch.nn`` pooling layer on one (C, H, W) input.

Pooling has no weights: each channel is its own group (one output channel per
input channel), so all channels advance together, one frame per output
position. ``ceil_mode`` keeps a last window that hangs off the padded input
when it starts inside the input or its left padding (PyTorch's rule); padding
is at most half the kernel. Max pooling pads with -inf, average pooling with
zeros.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..flags import Flag, pair_text
from .base import TorchArgument, WindowLayer
from .conv2d import conv2d_flags
from .errors import SpecError
from .geometry import Axis, Pair, PairLike, as_pair, is_int, positive_int, show, torch_pair

DEFAULTS: dict[str, object] = {
    "in_channels": 1, "kernel_size": 2, "input_size": 5, "stride": None, "padding": 0,
    "dilation": 1, "ceil_mode": False, "count_include_pad": True, "divisor_override": None,
}
CEIL_MODE = Flag("ceil_mode", ("--ceil-mode",), "switch",
                 "Pooling: keep a last window that hangs off the padded input when it "
                 "starts inside the input or its left padding.", False)
COUNT_INCLUDE_PAD = Flag("count_include_pad", ("--count-include-pad",), "switch",
                         "avg-pool2d: count padding cells in a window's divisor.", True)
DIVISOR_OVERRIDE = Flag("divisor_override", ("--divisor-override",), "cell",
                        "avg-pool2d: divide every window's sum by N.", None, "N",
                        show_default=False)


@dataclass(frozen=True, init=False)
class Pool2d(WindowLayer):
    """What max and average pooling share: the window, its rules and its texts."""

    in_channels: int
    kernel_size: Pair
    input_size: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    ceil_mode: bool

    def _set(self, fields: dict[str, object]) -> None:
        """Store normalised ``fields`` and check PyTorch's pooling rules."""
        positive_int("in_channels", fields["in_channels"])
        # PyTorch takes one-element tuples for the window's arguments, and an empty
        # stride, () or [], as the kernel size.
        kernel = as_pair("kernel_size", fields["kernel_size"], single=True)
        stride = fields["stride"]
        fields.update(
            kernel_size=kernel, input_size=as_pair("input_size", fields["input_size"]),
            stride=kernel if stride in (None, (), []) else as_pair("stride", stride,
                                                                   single=True),
            padding=as_pair("padding", fields["padding"], minimum=0, single=True),
            dilation=as_pair("dilation", fields["dilation"], single=True))
        if not isinstance(fields["ceil_mode"], bool):
            raise SpecError(f"ceil_mode={fields['ceil_mode']!r} must be True or False")
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        if any(p > k // 2 for p, k in zip(self.padding, self.kernel_size, strict=True)):
            raise SpecError(f"padding={show(fields['padding'])} must be at most half of "
                            f"kernel_size={show(kernel)}")
        if min(self.output_size) < 1:
            raise SpecError(
                f"the output would be {'x'.join(str(n) for n in self.output_size)}: "
                f"kernel_size={show(kernel)} with dilation={show(self.dilation)} is larger "
                f"than the padded input (input_size={show(self.input_size)}, "
                f"padding={show(self.padding)})")

    @property
    def out_channels(self) -> int:  # type: ignore[override]
        """One output channel per input channel."""
        return self.in_channels

    @property
    def groups(self) -> int:  # type: ignore[override]
        """Each channel is pooled on its own."""
        return self.in_channels

    @cached_property
    def axes(self) -> tuple[Axis, Axis]:
        """The window along height and width, with ``ceil_mode``."""
        return tuple(  # type: ignore[return-value]
            Axis(name, size, p, p, k, s, d, ceil=self.ceil_mode)
            for name, size, p, k, s, d in zip(
                ("H_out", "W_out"), self.input_size, self.padding, self.kernel_size,
                self.stride, self.dilation, strict=True))

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """The input's shape (C, H, W)."""
        return (self.in_channels, *self.input_size)

    @property
    def output_shape(self) -> tuple[int, int, int]:
        """The output's shape (C, H_out, W_out)."""
        height, width = self.output_size
        return (self.in_channels, height, width)

    @property
    def weight_shape(self) -> None:
        """Pooling has no weights."""
        return None

    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> None:
        """No weight is applied."""
        return None

    @property
    def n_bias(self) -> int:
        """No bias."""
        return 0

    @property
    def macs(self) -> int:
        """Values read: every window's taps, for every output cell."""
        return self.in_channels * math.prod(self.output_size) * math.prod(self.kernel_size)

    def input_text(self) -> str:
        """``(1, 5, 5), padded to 7x7 (-inf)``."""
        padded = "x".join(str(n) for n in self.padded_size)
        return f"{self.input_shape}, padded to {padded} ({self.padding_value})"

    padding_value: ClassVar[str]
    operation: ClassVar[str]  # what a window does: "max", "mean"
    work: ClassVar[str] = "reads"

    def base_caption(self) -> list[tuple[str, str]]:
        """Shapes, K, P and S."""
        return [("Input Shape", str(self.input_shape)), ("Output Shape", str(self.output_shape)),
                ("K", str(self.kernel_size)), ("P", str(self.padding)), ("S", str(self.stride))]

    def base_slug(self, name: str) -> list[str]:
        """``name``, shapes, kernel, padding, stride."""
        c, h, w = self.input_shape
        _, oh, ow = self.output_shape
        return [name, f"in{c}x{h}x{w}", f"out{c}x{oh}x{ow}", f"k{pair_text(self.kernel_size)}",
                f"p{pair_text(self.padding)}", f"s{pair_text(self.stride)}"]

    def base_arguments(self) -> list[TorchArgument]:
        """kernel_size (positional), stride and padding."""
        return [(None, torch_pair(self.kernel_size), None),
                ("stride", torch_pair(self.stride), torch_pair(self.kernel_size)),
                ("padding", torch_pair(self.padding), "0")]

    def base_summary(self) -> dict[str, object]:
        """Kernel, stride, padding, dilation, ceil_mode and the padded size."""
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "dilation": list(self.dilation),
                "ceil_mode": self.ceil_mode, "padded_size": list(self.padded_size),
                "footprint": list(self.footprint)}


@dataclass(frozen=True, init=False)
class MaxPool2d(Pool2d):
    """One ``nn.MaxPool2d`` layer on one (C, H, W) input; ``return_indices`` is kept (its
    ``nn.`` line and caption say so; the values are the same)."""

    return_indices: bool

    kind: ClassVar[str] = "max-pool2d"
    operation: ClassVar[str] = "max"
    torch_name: ClassVar[str] = "MaxPool2d"
    torch_parameters: ClassVar[tuple[str, ...]] = (
        "kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")
    printout_omits: ClassVar[tuple[str, ...]] = ("return_indices",)
    flags: ClassVar[tuple[Flag, ...]] = (
        *conv2d_flags("in_channels", "input_size", "kernel_size", "stride", "padding",
                      "dilation"), CEIL_MODE)
    defaults: ClassVar[dict[str, object]] = {
        k: v for k, v in DEFAULTS.items() if k not in ("count_include_pad", "divisor_override")}
    padding_value: ClassVar[str] = "-inf"

    def __init__(self, kernel_size: PairLike, input_size: PairLike, in_channels: int = 1,
                 stride: PairLike | None = None, padding: PairLike = 0,
                 dilation: PairLike = 1, ceil_mode: bool = False,
                 return_indices: bool = False) -> None:
        if not isinstance(return_indices, bool):
            raise SpecError(f"return_indices={return_indices!r} must be True or False")
        object.__setattr__(self, "return_indices", return_indices)
        self._set({"in_channels": in_channels, "kernel_size": kernel_size,
                   "input_size": input_size, "stride": stride, "padding": padding,
                   "dilation": dilation, "ceil_mode": ceil_mode})

    def caption_fields(self) -> list[tuple[str, str]]:
        """Shapes, K, P, S, D, and ceil_mode and return_indices when set."""
        return [*self.base_caption(), ("D", str(self.dilation)),
                *([("ceil_mode", "True")] if self.ceil_mode else []),
                *([("return_indices", "True")] if self.return_indices else [])]

    def slug_parts(self) -> list[str]:
        """E.g. ``maxpool in1x5x5 out1x2x2 k2 p0 s2 d1``, ``ceil`` and ``indices`` when
        set."""
        return [*self.base_slug("maxpool"), f"d{pair_text(self.dilation)}",
                *(["ceil"] if self.ceil_mode else []),
                *(["indices"] if self.return_indices else [])]

    def torch_arguments(self) -> list[TorchArgument]:
        """nn.MaxPool2d's arguments, in its order."""
        return [*self.base_arguments(), ("dilation", torch_pair(self.dilation), "1"),
                ("return_indices", str(self.return_indices), "False"),
                ("ceil_mode", str(self.ceil_mode), "False")]

    def summary_fields(self) -> dict[str, object]:
        """The window's arguments."""
        return self.base_summary()


@dataclass(frozen=True, init=False)
class AvgPool2d(Pool2d):
    """One ``nn.AvgPool2d`` layer on one (C, H, W) input."""

    count_include_pad: bool
    divisor_override: int | None

    kind: ClassVar[str] = "avg-pool2d"
    operation: ClassVar[str] = "mean"
    torch_name: ClassVar[str] = "AvgPool2d"
    torch_parameters: ClassVar[tuple[str, ...]] = (
        "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
        "divisor_override")
    printout_omits: ClassVar[tuple[str, ...]] = (
        "ceil_mode", "count_include_pad", "divisor_override")
    flags: ClassVar[tuple[Flag, ...]] = (
        *conv2d_flags("in_channels", "input_size", "kernel_size", "stride", "padding"),
        CEIL_MODE, COUNT_INCLUDE_PAD, DIVISOR_OVERRIDE)
    defaults: ClassVar[dict[str, object]] = {
        k: v for k, v in DEFAULTS.items() if k != "dilation"}
    padding_value: ClassVar[str] = "zeros"

    def __init__(self, kernel_size: PairLike, input_size: PairLike, in_channels: int = 1,
                 stride: PairLike | None = None, padding: PairLike = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        if not isinstance(count_include_pad, bool):
            raise SpecError(f"count_include_pad={count_include_pad!r} must be True or False")
        if divisor_override is not None and not is_int(divisor_override):
            raise SpecError(f"divisor_override={divisor_override!r} must be an integer or None")
        if divisor_override == 0:
            raise SpecError("divisor_override=0 must not be zero")
        object.__setattr__(self, "count_include_pad", count_include_pad)
        object.__setattr__(self, "divisor_override", divisor_override)
        self._set({"in_channels": in_channels, "kernel_size": kernel_size,
                   "input_size": input_size, "stride": stride, "padding": padding,
                   "dilation": 1, "ceil_mode": ceil_mode})

    def caption_fields(self) -> list[tuple[str, str]]:
        """Shapes, K, P, S, and ceil_mode, count_include_pad, divisor_override when set."""
        return [*self.base_caption(), *([("ceil_mode", "True")] if self.ceil_mode else []),
                *([("count_include_pad", "False")] if not self.count_include_pad else []),
                *([("divisor_override", str(self.divisor_override))]
                  if self.divisor_override is not None else [])]

    def slug_parts(self) -> list[str]:
        """E.g. ``avgpool in1x5x5 out1x2x2 k2 p0 s2``, then what is set."""
        return [*self.base_slug("avgpool"), *(["ceil"] if self.ceil_mode else []),
                *(["nopad"] if not self.count_include_pad else []),
                *([f"div{self.divisor_override}".replace("-", "m")]
                  if self.divisor_override is not None else [])]

    def torch_arguments(self) -> list[TorchArgument]:
        """nn.AvgPool2d's arguments."""
        return [*self.base_arguments(), ("ceil_mode", str(self.ceil_mode), "False"),
                ("count_include_pad", str(self.count_include_pad), "True"),
                ("divisor_override", str(self.divisor_override), "None")]

    def summary_fields(self) -> dict[str, object]:
        """The window's arguments, count_include_pad and divisor_override."""
        return {**self.base_summary(), "count_include_pad": self.count_include_pad,
                "divisor_override": self.divisor_override}

    def divisors(self) -> tuple[list[int], list[int]]:
        """Per output row and column, the cells counted along that axis (PyTorch's rule:
        windows are cut at the padded input's end; without count_include_pad, at the
        input's)."""
        counts = []
        for axis in self.axes:
            pad = axis.before
            along = []
            for i in range(axis.output):
                start = i * axis.stride - pad
                end = min(start + axis.kernel, axis.size + pad)
                if not self.count_include_pad:
                    start, end = max(start, 0), min(end, axis.size)
                along.append(end - start)
            counts.append(along)
        return counts[0], counts[1]

    def divisor(self, row: int, col: int) -> int:
        """What output cell (row, col)'s sum is divided by."""
        if self.divisor_override is not None:
            return self.divisor_override
        rows, cols = self.divisors()
        return rows[row] * cols[col]
