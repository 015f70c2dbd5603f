"""ConvTranspose2d: one ``torch.nn.ConvTranspose2d`` layer on one (C, H, W) input.

Its window is the stride-1 convolution that computes it (conv_arithmetic's
picture): ``stride - 1`` zeros inserted between input cells, ``D*(K-1) - P``
zeros around them (``output_padding`` more at the bottom and right; a negative
amount cuts cells off), and the kernel flipped, with input and output channels
swapped in the weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..flags import Flag, pair_text
from .base import TorchArgument, WindowLayer
from .conv2d import conv2d_flags
from .errors import SpecError
from .geometry import Axis, Pair, PairLike, as_pair, positive_int, show, torch_pair

DEFAULTS: dict[str, object] = {
    "in_channels": 2, "out_channels": 1, "kernel_size": 3, "input_size": 3, "stride": 2,
    "padding": 1, "output_padding": 0, "groups": 1, "bias": True, "dilation": 1,
}


@dataclass(frozen=True, init=False)
class ConvTranspose2d(WindowLayer):
    """One ``nn.ConvTranspose2d`` layer on one (C, H, W) input, validated with PyTorch's
    rules (only zero padding, as PyTorch). ``output_size`` is ``forward``'s argument:
    when given, it sets the output padding as PyTorch does."""

    in_channels: int
    out_channels: int
    kernel_size: Pair
    input_size: Pair
    stride: Pair
    padding: Pair
    output_padding: Pair
    groups: int
    bias: bool
    dilation: Pair

    kind: ClassVar[str] = "conv-transpose2d"
    torch_name: ClassVar[str] = "ConvTranspose2d"
    torch_parameters: ClassVar[tuple[str, ...]] = (
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding",
        "groups", "bias", "dilation", "padding_mode")
    flags: ClassVar[tuple[Flag, ...]] = (
        *conv2d_flags("in_channels", "input_size", "out_channels", "kernel_size", "stride",
                      "padding", "dilation", "groups", "bias"),
        Flag("output_padding", ("--output-padding",), "offset",
             "Output padding (conv-transpose2d): rows and columns added at the bottom and "
             "right, smaller than the stride or the dilation.", "0", "OP"),
        Flag("output_size", ("--output-size",), "pair",
             "Output size (conv-transpose2d), as forward(x, output_size=...) takes it: "
             "picks the output padding by PyTorch's rule.", None, "HxW",
             show_default=False))
    defaults: ClassVar[dict[str, object]] = DEFAULTS

    def __init__(self, in_channels: int, out_channels: int, kernel_size: PairLike,
                 input_size: PairLike, stride: PairLike = 1, padding: PairLike = 0,
                 output_padding: PairLike = 0, groups: int = 1, bias: bool = True,
                 dilation: PairLike = 1, padding_mode: str = "zeros",
                 output_size: PairLike | None = None) -> None:
        positive_int("in_channels", in_channels)
        positive_int("out_channels", out_channels)
        positive_int("groups", groups)
        if not isinstance(bias, bool):
            raise SpecError(f"bias={bias!r} must be True or False")
        if padding_mode != "zeros":
            raise SpecError(f"padding_mode={padding_mode!r} must be 'zeros': "
                            f"ConvTranspose2d pads with zeros only")
        # PyTorch takes one-element tuples for every argument but the kernel size.
        fields: dict[str, object] = {
            "in_channels": in_channels, "out_channels": out_channels,
            "kernel_size": as_pair("kernel_size", kernel_size),
            "input_size": as_pair("input_size", input_size),
            "stride": as_pair("stride", stride, single=True),
            "padding": as_pair("padding", padding, minimum=0, single=True),
            "output_padding": as_pair("output_padding", output_padding, minimum=0,
                                      single=True),
            "groups": groups, "bias": bias,
            "dilation": as_pair("dilation", dilation, single=True),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        if output_size is not None:
            object.__setattr__(self, "output_padding", self._output_padding(output_size))
        self.check_groups()
        for op, s, d in zip(self.output_padding, self.stride, self.dilation, strict=True):
            if not (op < s or op < d):
                raise SpecError(
                    f"output_padding={show(output_padding)} must be smaller than stride="
                    f"{show(stride)} or dilation={show(dilation)}")
        if min(self.output_size) < 1:
            raise SpecError(
                f"the output would be {'x'.join(str(n) for n in self.output_size)}: "
                f"padding={show(padding)} is too large for input_size={show(input_size)} "
                f"with kernel_size={show(kernel_size)}")

    def _output_padding(self, output_size: object) -> Pair:
        """The output padding that gives ``output_size`` (H, W), as PyTorch's
        ``forward(x, output_size=...)`` picks it: the size less the smallest output,
        which must be less than the stride. A (C, H, W) or (N, C, H, W) size gives its
        last two."""
        size = output_size
        if isinstance(size, (tuple, list)) and len(size) in (3, 4):
            size = tuple(size[-2:])
        wanted = as_pair("output_size", size)
        smallest = tuple((n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in zip(
            self.input_size, self.stride, self.padding, self.dilation, self.kernel_size,
            strict=True))
        largest = tuple(low + s - 1 for low, s in zip(smallest, self.stride, strict=True))
        if not all(low <= n <= high for low, n, high in
                   zip(smallest, wanted, largest, strict=True)):
            raise SpecError(
                f"output_size={show(output_size)} must be from {'x'.join(map(str, smallest))}"
                f" to {'x'.join(map(str, largest))} for input_size={show(self.input_size)} "
                f"(PyTorch's range for this stride, padding and kernel)")
        return (wanted[0] - smallest[0], wanted[1] - smallest[1])

    @classmethod
    def from_arrays(cls, input_shape: tuple[int, ...], weight_shape: tuple[int, ...],
                    stride: PairLike = 1, padding: PairLike = 0, output_padding: PairLike = 0,
                    groups: int = 1, dilation: PairLike = 1, bias: bool = True
                    ) -> ConvTranspose2d:
        """The layer of a conv_transpose2d call on arrays of these shapes ((N, C, H, W)
        input, (C_in, C_out/groups, Kh, Kw) weight)."""
        if len(input_shape) != 4:
            raise SpecError(f"input must have 3 or 4 dimensions (C, H, W) or (N, C, H, W), "
                            f"not shape {input_shape}")
        if len(weight_shape) != 4:
            raise SpecError(f"weight must have 4 dimensions (C_in, C_out/groups, Kh, Kw), "
                            f"not shape {weight_shape}")
        positive_int("groups", groups)
        if weight_shape[0] != input_shape[1]:
            raise SpecError(f"weight of shape {weight_shape} expects {weight_shape[0]} input "
                            f"channels, but input has {input_shape[1]}")
        return cls(input_shape[1], weight_shape[1] * groups, (weight_shape[2], weight_shape[3]),
                   (input_shape[2], input_shape[3]), stride, padding, output_padding, groups,
                   bias, dilation)

    @cached_property
    def axes(self) -> tuple[Axis, Axis]:
        """The stride-1 convolution over the spread, padded input, along height and width."""
        return tuple(  # type: ignore[return-value]
            Axis(name, size, d * (k - 1) - p, d * (k - 1) - p + op, k, 1, d, s)
            for name, size, k, s, p, op, d in zip(
                ("H_out", "W_out"), self.input_size, self.kernel_size, self.stride,
                self.padding, self.output_padding, self.dilation, strict=True))

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """The input's shape (C, H, W)."""
        return (self.in_channels, *self.input_size)

    @property
    def output_shape(self) -> tuple[int, int, int]:
        """The output's shape (C_out, H_out, W_out)."""
        height, width = self.output_size
        return (self.out_channels, height, width)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        """The weight tensor's shape (C_in, C_out/groups, Kh, Kw)."""
        return (self.in_channels, self.out_per_group, *self.kernel_size)

    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> tuple[int, ...]:
        """The flipped kernel: ``weight[c_in, out_channel % (C_out/G), Kh-1-ky, Kw-1-kx]``."""
        group = out_channel // self.out_per_group
        kh, kw = self.kernel_size
        return (group * self.in_per_group + channel_in_group, out_channel % self.out_per_group,
                kh - 1 - tap[0], kw - 1 - tap[1])

    @property
    def n_bias(self) -> int:
        """Trainable bias terms: C_out with bias, else 0."""
        return self.out_channels if self.bias else 0

    @property
    def macs(self) -> int:
        """Multiply-accumulates: every input cell times every weight it meets."""
        h, w = self.input_size
        kh, kw = self.kernel_size
        return self.in_channels * h * w * self.out_per_group * kh * kw

    def formulas(self) -> list[str]:
        """PyTorch's output-size formula of each axis, filled in."""
        return [
            f"{name} = ({size}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out}"
            for name, size, s, p, d, k, op, out in zip(
                ("H_out", "W_out"), self.input_size, self.stride, self.padding,
                self.dilation, self.kernel_size, self.output_padding, self.output_size,
                strict=True)]

    def caption_fields(self) -> list[tuple[str, str]]:
        """Shapes, then K, P, OP (output padding), S, D and G."""
        return [("Input Shape", str(self.input_shape)), ("Output Shape", str(self.output_shape)),
                ("K", str(self.kernel_size)), ("P", str(self.padding)),
                ("OP", str(self.output_padding)), ("S", str(self.stride)),
                ("D", str(self.dilation)), ("G", str(self.groups))]

    def slug_parts(self) -> list[str]:
        """E.g. ``convt in2x3x3 out1x5x5 k3 p1 op0 s2 d1 g1``."""
        c, h, w = self.input_shape
        oc, oh, ow = self.output_shape
        parts = ["convt", f"in{c}x{h}x{w}", f"out{oc}x{oh}x{ow}",
                 f"k{pair_text(self.kernel_size)}", f"p{pair_text(self.padding)}",
                 f"op{pair_text(self.output_padding)}", f"s{pair_text(self.stride)}",
                 f"d{pair_text(self.dilation)}", f"g{self.groups}"]
        return [*parts, *([] if self.bias else ["nobias"])]

    def torch_arguments(self) -> list[TorchArgument]:
        """nn.ConvTranspose2d's arguments; kernel_size always by keyword."""
        return [
            (None, str(self.in_channels), None), (None, str(self.out_channels), None),
            ("kernel_size", torch_pair(self.kernel_size), None),
            ("stride", torch_pair(self.stride), "1"),
            ("padding", torch_pair(self.padding), "0"),
            ("output_padding", torch_pair(self.output_padding), "0"),
            ("groups", str(self.groups), "1"), ("bias", str(self.bias), "True"),
            ("dilation", torch_pair(self.dilation), "1"),
        ]

    def input_text(self) -> str:
        """``(2, 3, 3), zeros inserted to 5x5 and padded to 7x7``."""
        inside = "x".join(str(axis.inside) for axis in self.axes)
        padded = "x".join(str(n) for n in self.padded_size)
        return f"{self.input_shape}, zeros inserted to {inside} and padded to {padded}"

    def summary_fields(self) -> dict[str, object]:
        """Kernel, stride, padding, output padding, dilation, groups, bias, and the
        equivalent convolution's implicit padding and padded size."""
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride),
                "padding": list(self.padding), "output_padding": list(self.output_padding),
                "dilation": list(self.dilation), "groups": self.groups, "bias": self.bias,
                "implicit_padding": [[a.before, a.after] for a in self.axes],
                "padded_size": list(self.padded_size), "footprint": list(self.footprint)}
