"""Conv2d: one ``torch.nn.Conv2d`` layer on one (C, H, W) input."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..flags import Flag, pair_text
from .base import TorchArgument, WindowLayer
from .errors import SpecError
from .geometry import (
    Axis,
    PaddingLike,
    Pair,
    PairLike,
    as_pair,
    positive_int,
    show,
    torch_pair,
)

PADDING_MODES: tuple[str, ...] = ("zeros", "reflect", "replicate", "circular")
PADDING_STRINGS: tuple[str, ...] = ("valid", "same")

# The article's headline GIF: (3, 7, 7) -> 2 channels, K3 P1 S2 D2 G1.
DEFAULTS: dict[str, object] = {
    "in_channels": 3,
    "out_channels": 2,
    "kernel_size": 3,
    "input_size": 7,
    "stride": 2,
    "padding": 1,
    "dilation": 2,
    "groups": 1,
    "bias": True,
    "padding_mode": "zeros",
}


# PyTorch's defaults (Conv2d's constructor's below): what a flag not given takes once any
# layer flag is given. PyTorch has none for the channels and the kernel size, nor convgif
# for the input's size: those take the headline's.
TORCH_DEFAULTS: dict[str, object] = {
    "stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True,
    "padding_mode": "zeros",
}


def _flag(field: str, names: tuple[str, ...], kind: str, text: str,
          metavar: str | None = None, choices: tuple[str, ...] = (),
          show_default: bool = True) -> Flag:
    default = TORCH_DEFAULTS.get(field, DEFAULTS[field])
    return Flag(field, names, kind, text, pair_text(default) if kind in ("pair", "padding")
                else default, metavar, choices, show_default)


@dataclass(frozen=True, init=False)
class Conv2d(WindowLayer):
    """One ``nn.Conv2d`` layer on one (C, H, W) input, validated with PyTorch's rules.

    Size-like arguments take an int or an (h, w) pair and are stored as pairs;
    ``padding`` also takes ``'valid'`` or ``'same'`` and is stored as given
    (a pair, or the string); :attr:`pads` holds the resolved amounts. Raises
    :class:`SpecError`, naming the argument and the rule, for exactly the
    layers PyTorch refuses.
    """

    in_channels: int
    out_channels: int
    kernel_size: Pair
    input_size: Pair
    stride: Pair
    padding: Pair | str
    dilation: Pair
    groups: int
    bias: bool
    padding_mode: str

    kind: ClassVar[str] = "conv2d"
    torch_name: ClassVar[str] = "Conv2d"
    defaults: ClassVar[dict[str, object]] = DEFAULTS
    torch_parameters: ClassVar[tuple[str, ...]] = (
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
        "groups", "bias", "padding_mode")
    flags: ClassVar[tuple[Flag, ...]] = (
        _flag("in_channels", ("--in-channels",), "count", "Input channels (C_in)."),
        _flag("input_size", ("--size",), "pair",
              "Input height and width (one number for a square).", "HxW"),
        _flag("out_channels", ("--out-channels",), "count", "Output channels (C_out)."),
        _flag("kernel_size", ("-k", "--kernel-size"), "pair", "Kernel size: 3, 3,2 or 3x2.",
              "K"),
        _flag("stride", ("-s", "--stride"), "pair",
              "Stride: 2, 1,3 or 1x3 [default: 1; pooling: the kernel size].", "S",
              show_default=False),
        _flag("padding", ("-p", "--padding"), "padding",
              "Padding: 1, 1,2, 1x2, 'same' or 'valid'.", "P"),
        _flag("dilation", ("-d", "--dilation"), "pair", "Dilation: 2, 4,2 or 4x2.", "D"),
        _flag("groups", ("-g", "--groups"), "count",
              "Groups (must divide both channel counts)."),
        _flag("bias", ("--bias",), "switch", "Whether the layer has a bias."),
        _flag("padding_mode", ("--padding-mode",), "choice", "How padding cells are filled.",
              choices=PADDING_MODES),
    )

    def __init__(self, in_channels: int, out_channels: int, kernel_size: PairLike,
                 input_size: PairLike, stride: PairLike = 1, padding: PaddingLike = 0,
                 dilation: PairLike = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros") -> None:
        positive_int("in_channels", in_channels)
        positive_int("out_channels", out_channels)
        positive_int("groups", groups)
        # PyTorch takes stride=(2,), dilation=(2,) and, padding with zeros, padding=(1,).
        fields: dict[str, object] = {
            "in_channels": in_channels, "out_channels": out_channels,
            "kernel_size": as_pair("kernel_size", kernel_size),
            "input_size": as_pair("input_size", input_size),
            "stride": as_pair("stride", stride, single=True),
            "dilation": as_pair("dilation", dilation, single=True),
            "groups": groups, "bias": bias, "padding_mode": padding_mode,
        }
        if isinstance(padding, str):
            if padding not in PADDING_STRINGS:
                raise SpecError(
                    f"padding={padding!r} must be an integer, a pair, 'valid' or 'same'")
            fields["padding"] = padding
        else:
            fields["padding"] = as_pair("padding", padding, minimum=0,
                                        single=padding_mode == "zeros")
        if not isinstance(bias, bool):
            raise SpecError(f"bias={bias!r} must be True or False")
        if padding_mode not in PADDING_MODES:
            raise SpecError(
                f"padding_mode={padding_mode!r} must be one of " + ", ".join(PADDING_MODES))
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        self._check()

    @classmethod
    def from_arrays(cls, input_shape: tuple[int, ...], weight_shape: tuple[int, ...],
                    stride: PairLike = 1, padding: PaddingLike = 0, dilation: PairLike = 1,
                    groups: int = 1, bias: bool = True, padding_mode: str = "zeros") -> Conv2d:
        """The layer of a conv2d call on arrays of these shapes ((N, C, H, W) input).

        Raises :class:`SpecError` when the shapes do not fit together or the layer
        is one PyTorch refuses.
        """
        if len(input_shape) != 4:
            raise SpecError(f"input must have 3 or 4 dimensions (C, H, W) or (N, C, H, W), "
                            f"not shape {input_shape}")
        if len(weight_shape) != 4:
            raise SpecError(f"weight must have 4 dimensions (C_out, C_in/groups, Kh, Kw), "
                            f"not shape {weight_shape}")
        channels = input_shape[1]
        positive_int("groups", groups)
        if weight_shape[1] * groups != channels:
            raise SpecError(
                f"weight of shape {weight_shape} with groups={groups} expects "
                f"{weight_shape[1] * groups} input channels, but input has {channels}"
            )
        return cls(channels, weight_shape[0], (weight_shape[2], weight_shape[3]),
                   (input_shape[2], input_shape[3]), stride, padding, dilation, groups, bias,
                   padding_mode)

    def _check(self) -> None:
        self.check_groups()
        if self.padding == "same" and self.stride != (1, 1):
            raise SpecError(f"padding='same' needs stride=1, not stride={show(self.stride)}")
        self.check_padding_mode(self.padding_mode, self._padding_text())
        self.check_fits(self.kernel_size, self.dilation, self.input_size, self._padding_text())

    def _padding_text(self) -> str:
        return repr(self.padding) if isinstance(self.padding, str) else show(self.padding)

    # -- geometry ---------------------------------------------------------------------------

    @cached_property
    def pads(self) -> tuple[int, int, int, int]:
        """Resolved padding (top, bottom, left, right), with PyTorch's rule for 'same'.

        For 'same' the total ``D*(K-1)`` is split with the odd extra row or column
        at the bottom or right, as ``torch.nn.functional.conv2d`` does.
        """
        if self.padding == "same":
            (kh, kw), (dh, dw) = self.kernel_size, self.dilation
            th, tw = dh * (kh - 1), dw * (kw - 1)
            return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        if isinstance(self.padding, str):  # 'valid'
            return (0, 0, 0, 0)
        ph, pw = self.padding
        return (ph, ph, pw, pw)

    @cached_property
    def axes(self) -> tuple[Axis, Axis]:
        """The window along the height and the width."""
        top, bottom, left, right = self.pads
        return (
            Axis("H_out", self.input_size[0], top, bottom, self.kernel_size[0], self.stride[0],
                 self.dilation[0]),
            Axis("W_out", self.input_size[1], left, right, self.kernel_size[1], self.stride[1],
                 self.dilation[1]),
        )

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
        """The weight tensor's shape (C_out, C_in/groups, Kh, Kw)."""
        return (self.out_channels, self.in_per_group, *self.kernel_size)

    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> tuple[int, ...]:
        """``weight[out_channel, channel_in_group, ky, kx]`` is applied at tap (ky, kx)."""
        return (out_channel, channel_in_group, *tap)

    # -- counts -----------------------------------------------------------------------------

    @property
    def n_bias(self) -> int:
        """Trainable bias terms: C_out with bias, else 0."""
        return self.out_channels if self.bias else 0

    @property
    def macs(self) -> int:
        """Multiply-accumulates of one forward pass on one input."""
        h, w = self.output_size
        return self.out_channels * h * w * self.in_per_group * self.kernel_size[0] * \
            self.kernel_size[1]

    # -- text -------------------------------------------------------------------------------

    def caption_fields(self) -> list[tuple[str, str]]:
        """Shapes, then K, P (``((top, bottom), (left, right))`` when uneven), S, D and G."""
        top, bottom, left, right = self.pads
        pad = f"({top}, {left})" if (top, left) == (bottom, right) else (
            f"(({top}, {bottom}), ({left}, {right}))"
        )
        return [("Input Shape", str(self.input_shape)), ("Output Shape", str(self.output_shape)),
                ("K", str(self.kernel_size)), ("P", pad), ("S", str(self.stride)),
                ("D", str(self.dilation)), ("G", str(self.groups))]

    def slug_parts(self) -> list[str]:
        """E.g. ``in3x7x7 out2x3x3 k3 p1 s2 d2 g1``; ``reflect`` and ``nobias`` when set."""
        c, h, w = self.input_shape
        oc, oh, ow = self.output_shape
        parts = [
            f"in{c}x{h}x{w}",
            f"out{oc}x{oh}x{ow}",
            f"k{pair_text(self.kernel_size)}",
            f"p{pair_text(self.padding)}",
            f"s{pair_text(self.stride)}",
            f"d{pair_text(self.dilation)}",
            f"g{self.groups}",
        ]
        if self.padding_mode != "zeros":
            parts.append(self.padding_mode)
        if not self.bias:
            parts.append("nobias")
        return parts

    def torch_arguments(self) -> list[TorchArgument]:
        """nn.Conv2d's arguments; kernel_size always by keyword."""
        if isinstance(self.padding, str):
            padding = repr(self.padding)
        else:
            padding = torch_pair((self.pads[0], self.pads[2]))
        return [
            (None, str(self.in_channels), None),
            (None, str(self.out_channels), None),
            ("kernel_size", torch_pair(self.kernel_size), None),
            ("stride", torch_pair(self.stride), "1"),
            ("padding", padding, "0"),
            ("dilation", torch_pair(self.dilation), "1"),
            ("groups", str(self.groups), "1"),
            ("bias", str(self.bias), "True"),
            ("padding_mode", repr(self.padding_mode), "'zeros'"),
        ]

    def input_text(self) -> str:
        """``(3, 7, 9), padded to 7x9 (zeros)``."""
        ph, pw = self.padded_size
        return f"{self.input_shape}, padded to {ph}x{pw} ({self.padding_mode})"

    def summary_fields(self) -> dict[str, object]:
        """Kernel, stride, padding (as given and resolved), dilation, groups, bias, mode."""
        top, bottom, left, right = self.pads
        return {
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
            "padding": self.padding if isinstance(self.padding, str) else [top, left],
            "pads": {"top": top, "bottom": bottom, "left": left, "right": right},
            "dilation": list(self.dilation),
            "groups": self.groups,
            "bias": self.bias,
            "padding_mode": self.padding_mode,
            "padded_size": list(self.padded_size),
            "footprint": list(self.footprint),
        }


ConvSpec = Conv2d  # the name convgif has always exported for this layer


def conv2d_flags(*fields: str) -> tuple[Flag, ...]:
    """Conv2d's flags for ``fields``, in that order: kinds that share an argument share
    its flag (its default shown is the headline layer's)."""
    by_field = {flag.field: flag for flag in Conv2d.flags}
    return tuple(by_field[field] for field in fields)

