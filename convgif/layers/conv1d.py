"""Conv1d: one ``torch.nn.Conv1d`` layer on one (C, L) input.

Its window slides along one axis; convgif draws it as a window one row high
(the trace and the scenes see a height of 1), so shapes, captions and formulas
speak of (C, L) while the pictures are one-row grids.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..flags import Flag
from .base import TorchArgument, WindowLayer
from .conv2d import PADDING_MODES, PADDING_STRINGS, conv2d_flags
from .errors import SpecError
from .geometry import Axis, positive_int

DEFAULTS: dict[str, object] = {
    "in_channels": 2, "out_channels": 2, "kernel_size": 3, "input_size": 12, "stride": 1,
    "padding": 1, "dilation": 1, "groups": 1, "bias": True, "padding_mode": "zeros",
}


def _int(name: str, value: object, minimum: int = 1) -> int:
    """``value`` if it is an int >= ``minimum`` (or a 1-tuple of one, as torch takes)."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, int) or isinstance(value, bool):
        raise SpecError(f"{name}={value!r} must be an integer")
    if value < minimum:
        raise SpecError(f"{name}={value} must be {'positive' if minimum == 1 else '>= 0'}")
    return value


@dataclass(frozen=True, init=False)
class Conv1d(WindowLayer):
    """One ``nn.Conv1d`` layer on one (C, L) input, validated with PyTorch's rules."""

    in_channels: int
    out_channels: int
    kernel_size: int
    input_size: int
    stride: int
    padding: int | str
    dilation: int
    groups: int
    bias: bool
    padding_mode: str

    kind: ClassVar[str] = "conv1d"
    spatial_dims: ClassVar[int] = 1
    torch_name: ClassVar[str] = "Conv1d"
    torch_parameters: ClassVar[tuple[str, ...]] = (
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
        "groups", "bias", "padding_mode")
    flags: ClassVar[tuple[Flag, ...]] = conv2d_flags(
        "in_channels", "input_size", "out_channels", "kernel_size", "stride", "padding",
        "dilation", "groups", "bias", "padding_mode")
    defaults: ClassVar[dict[str, object]] = DEFAULTS

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 input_size: int, stride: int = 1, padding: int | str = 0,
                 dilation: int = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros") -> None:
        fields: dict[str, object] = {
            "in_channels": positive_int("in_channels", in_channels),
            "out_channels": positive_int("out_channels", out_channels),
            "kernel_size": _int("kernel_size", kernel_size),
            "input_size": _int("input_size", input_size),
            "stride": _int("stride", stride), "dilation": _int("dilation", dilation),
            "groups": positive_int("groups", groups), "bias": bias,
            "padding_mode": padding_mode,
        }
        if isinstance(padding, str):
            if padding not in PADDING_STRINGS:
                raise SpecError(f"padding={padding!r} must be an integer, 'valid' or 'same'")
            fields["padding"] = padding
        else:
            fields["padding"] = _int("padding", padding, minimum=0)
        if not isinstance(bias, bool):
            raise SpecError(f"bias={bias!r} must be True or False")
        if padding_mode not in PADDING_MODES:
            raise SpecError(
                f"padding_mode={padding_mode!r} must be one of " + ", ".join(PADDING_MODES))
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        self.check_groups()
        if self.padding == "same" and self.stride != 1:
            raise SpecError(f"padding='same' needs stride=1, not stride={self.stride}")
        self.check_padding_mode(padding_mode, repr(self.padding))
        length = self.axes[1]
        if length.footprint > length.padded:
            raise SpecError(
                f"kernel_size={self.kernel_size} with dilation={self.dilation} spans "
                f"{length.footprint}, larger than the padded input {length.padded} "
                f"(input_size={self.input_size}, padding={self.padding!r})")

    @classmethod
    def from_arrays(cls, input_shape: tuple[int, ...], weight_shape: tuple[int, ...],
                    stride: int = 1, padding: int | str = 0, dilation: int = 1,
                    groups: int = 1, bias: bool = True, padding_mode: str = "zeros") -> Conv1d:
        """The layer of a conv1d call on arrays of these shapes ((N, C, L) input)."""
        if len(input_shape) != 3:
            raise SpecError(f"input must have 2 or 3 dimensions (C, L) or (N, C, L), "
                            f"not shape {input_shape}")
        if len(weight_shape) != 3:
            raise SpecError(f"weight must have 3 dimensions (C_out, C_in/groups, K), "
                            f"not shape {weight_shape}")
        positive_int("groups", groups)
        if weight_shape[1] * groups != input_shape[1]:
            raise SpecError(
                f"weight of shape {weight_shape} with groups={groups} expects "
                f"{weight_shape[1] * groups} input channels, but input has {input_shape[1]}")
        return cls(input_shape[1], weight_shape[0], weight_shape[2], input_shape[2], stride,
                   padding, dilation, groups, bias, padding_mode)

    @cached_property
    def pads(self) -> tuple[int, int]:
        """Resolved padding (left, right); for 'same' the odd extra cell goes right."""
        if self.padding == "same":
            total = self.dilation * (self.kernel_size - 1)
            return (total // 2, total - total // 2)
        if isinstance(self.padding, str):
            return (0, 0)
        return (self.padding, self.padding)

    @cached_property
    def axes(self) -> tuple[Axis, Axis]:
        """A height of one cell, and the window along the length."""
        return (Axis("H_out", 1, 0, 0, 1, 1, 1),
                Axis("L_out", self.input_size, *self.pads, self.kernel_size, self.stride,
                     self.dilation))

    @property
    def input_shape(self) -> tuple[int, int]:
        """The input's shape (C, L)."""
        return (self.in_channels, self.input_size)

    @property
    def output_shape(self) -> tuple[int, int]:
        """The output's shape (C_out, L_out)."""
        return (self.out_channels, self.axes[1].output)

    @property
    def weight_shape(self) -> tuple[int, int, int]:
        """The weight tensor's shape (C_out, C_in/groups, K)."""
        return (self.out_channels, self.in_per_group, self.kernel_size)

    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> tuple[int, ...]:
        """``weight[out_channel, channel_in_group, k]`` is applied at tap (0, k)."""
        return (out_channel, channel_in_group, tap[1])

    @property
    def n_bias(self) -> int:
        """Trainable bias terms: C_out with bias, else 0."""
        return self.out_channels if self.bias else 0

    @property
    def macs(self) -> int:
        """Multiply-accumulates of one forward pass on one input."""
        return self.out_channels * self.axes[1].output * self.in_per_group * self.kernel_size

    def formulas(self) -> list[str]:
        """The length's formula (the height is only how it is drawn)."""
        return [self.axes[1].formula()]

    def caption_fields(self) -> list[tuple[str, str]]:
        """Shapes, then K, P (``(left, right)`` when uneven), S, D and G."""
        before, after = self.pads
        return [("Input Shape", str(self.input_shape)), ("Output Shape", str(self.output_shape)),
                ("K", str(self.kernel_size)),
                ("P", str(before) if before == after else f"({before}, {after})"),
                ("S", str(self.stride)), ("D", str(self.dilation)), ("G", str(self.groups))]

    def slug_parts(self) -> list[str]:
        """E.g. ``conv1d in2x12 out2x12 k3 p1 s1 d1 g1``."""
        parts = ["conv1d", f"in{self.in_channels}x{self.input_size}",
                 f"out{self.out_channels}x{self.output_shape[1]}", f"k{self.kernel_size}",
                 f"p{self.padding}", f"s{self.stride}", f"d{self.dilation}", f"g{self.groups}"]
        if self.padding_mode != "zeros":
            parts.append(self.padding_mode)
        if not self.bias:
            parts.append("nobias")
        return parts

    def torch_arguments(self) -> list[TorchArgument]:
        """nn.Conv1d's arguments; kernel_size always by keyword."""
        return [
            (None, str(self.in_channels), None), (None, str(self.out_channels), None),
            ("kernel_size", str(self.kernel_size), None), ("stride", str(self.stride), "1"),
            ("padding", repr(self.padding), "0"), ("dilation", str(self.dilation), "1"),
            ("groups", str(self.groups), "1"), ("bias", str(self.bias), "True"),
            ("padding_mode", repr(self.padding_mode), "'zeros'"),
        ]

    def input_text(self) -> str:
        """``(2, 12), padded to 14 (zeros)``."""
        return f"{self.input_shape}, padded to {self.axes[1].padded} ({self.padding_mode})"

    def summary_fields(self) -> dict[str, object]:
        """Kernel, stride, padding (as given and resolved), dilation, groups, bias, mode."""
        before, after = self.pads
        return {"kernel_size": self.kernel_size, "stride": self.stride,
                "padding": self.padding, "pads": {"left": before, "right": after},
                "dilation": self.dilation, "groups": self.groups, "bias": self.bias,
                "padding_mode": self.padding_mode, "padded_size": self.axes[1].padded,
                "footprint": self.axes[1].footprint}
