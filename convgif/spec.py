"""ConvSpec: one validated ``torch.nn.Conv2d`` layer applied to one input.

Everything else in convgif (engine, trace, layout, render, plots) starts from a
:class:`ConvSpec`. It checks its arguments with PyTorch's rules, raising
:class:`SpecError` for exactly the layers PyTorch refuses, and derives the
numbers a reader wants: output shape, parameter count, MACs, frame count, the
caption of the article's GIFs and a portable file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TypeGuard

Pair = tuple[int, int]
PairLike = int | tuple[int, int] | list[int]
PaddingLike = int | tuple[int, int] | list[int] | str

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


class ConvgifError(ValueError):
    """Base of convgif's errors about its arguments; the message names the argument and rule."""


class SpecError(ConvgifError):
    """A layer or input that PyTorch would refuse; the message names the argument and rule."""


class OptionError(ConvgifError):
    """A picture or file option out of its range (frame count, canvas size, duration, ...)."""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def positive_int(name: str, value: object, error: type[ConvgifError] = SpecError) -> int:
    """Return ``value`` if it is a positive int, else raise ``error`` naming ``name``."""
    if not _is_int(value):
        raise error(f"{name}={value!r} must be an integer")
    if value <= 0:
        raise error(f"{name}={value} must be positive")
    return value


def as_pair(name: str, value: object, minimum: int = 1) -> Pair:
    """Return ``value`` (an int or an (h, w) pair) as a pair of ints >= ``minimum``.

    Raises :class:`SpecError` naming ``name`` when the value is malformed.
    """
    items = [value, value] if _is_int(value) else value
    if not isinstance(items, (tuple, list)) or len(items) != 2:
        raise SpecError(f"{name}={value!r} must be an integer or a pair of integers")
    first, second = items
    if not (_is_int(first) and _is_int(second)):
        raise SpecError(f"{name}={value!r} must be an integer or a pair of integers")
    if min(first, second) < minimum:
        rule = "positive" if minimum == 1 else f">= {minimum}"
        raise SpecError(f"{name}={_show(value)} must be {rule}")
    return (first, second)


def parse_pair(text: str) -> int | Pair:
    """Parse ``3``, ``3,2`` or ``3x2`` (as the command line writes sizes) into 3 or (3, 2).

    Raises ValueError when ``text`` is not one or two decimal integers.
    """
    parts = text.strip().lower().replace("x", ",").split(",")
    if len(parts) not in (1, 2) or not all(p.strip().isascii() and p.strip().isdigit()
                                           for p in parts):
        raise ValueError(f"{text!r} must be N, N,M or NxM")
    numbers = [int(p) for p in parts]
    return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])


def pair_text(value: object) -> str:
    """A value as the command line writes it: ``3`` for (3, 3), ``5x2``, ``same``."""
    if isinstance(value, (tuple, list)):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"
    return str(value)


def _show(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(str(v) for v in value) + ")"
    return str(value)


def _pair_arg(pair: Pair) -> str:
    """A pair as nn.Conv2d would take it: ``3`` when square, ``(5, 2)`` otherwise."""
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


@dataclass(frozen=True)
class ConvSpec:
    """One ``nn.Conv2d`` layer on one (C, H, W) input, validated with PyTorch's rules.

    Size-like arguments take an int or an (h, w) pair and are stored as pairs;
    ``padding`` also takes ``'valid'`` or ``'same'`` and is stored as given
    (a pair, or the string); :attr:`pads` holds the resolved amounts.
    """

    in_channels: int
    out_channels: int
    kernel_size: PairLike
    input_size: PairLike
    stride: PairLike = 1
    padding: PaddingLike = 0
    dilation: PairLike = 1
    groups: int = 1
    bias: bool = True
    padding_mode: str = "zeros"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        positive_int("in_channels", self.in_channels)
        positive_int("out_channels", self.out_channels)
        positive_int("groups", self.groups)
        set_(self, "kernel_size", as_pair("kernel_size", self.kernel_size))
        set_(self, "input_size", as_pair("input_size", self.input_size))
        set_(self, "stride", as_pair("stride", self.stride))
        set_(self, "dilation", as_pair("dilation", self.dilation))
        if isinstance(self.padding, str):
            if self.padding not in PADDING_STRINGS:
                raise SpecError(
                    f"padding={self.padding!r} must be an integer, a pair, 'valid' or 'same'"
                )
        else:
            set_(self, "padding", as_pair("padding", self.padding, minimum=0))
        if not isinstance(self.bias, bool):
            raise SpecError(f"bias={self.bias!r} must be True or False")
        if self.padding_mode not in PADDING_MODES:
            raise SpecError(
                f"padding_mode={self.padding_mode!r} must be one of " + ", ".join(PADDING_MODES)
            )
        self._check()

    def _check(self) -> None:
        if self.in_channels % self.groups:
            raise SpecError(f"groups={self.groups} must divide in_channels={self.in_channels}")
        if self.out_channels % self.groups:
            raise SpecError(f"groups={self.groups} must divide out_channels={self.out_channels}")
        if self.padding == "same" and self.stride != (1, 1):
            raise SpecError(
                f"padding='same' needs stride=1, not stride={_show(self.stride)}"
            )
        top, bottom, left, right = self.pads
        h, w = self.size
        if self.padding_mode == "reflect" and (max(top, bottom) >= h or max(left, right) >= w):
            raise SpecError(
                f"padding={self._padding_text()} must be smaller than the input "
                f"({h}x{w}) with padding_mode='reflect'"
            )
        if self.padding_mode == "circular" and (max(top, bottom) > h or max(left, right) > w):
            raise SpecError(
                f"padding={self._padding_text()} must not exceed the input "
                f"({h}x{w}) with padding_mode='circular'"
            )
        ph, pw = self.padded_size
        fh, fw = self.footprint
        if fh > ph or fw > pw:
            raise SpecError(
                f"kernel_size={_show(self.kernel_size)} with dilation={_show(self.dilation)} "
                f"spans {fh}x{fw}, larger than the padded input {ph}x{pw} "
                f"(input_size={_show(self.input_size)}, padding={self._padding_text()})"
            )

    def _padding_text(self) -> str:
        return repr(self.padding) if isinstance(self.padding, str) else _show(self.padding)

    # -- geometry ---------------------------------------------------------------------------

    @property
    def size(self) -> Pair:
        """The input's spatial size (H, W)."""
        return self.input_size  # type: ignore[return-value]

    @property
    def kernel(self) -> Pair:
        """The kernel size (Kh, Kw) as a pair."""
        return self.kernel_size  # type: ignore[return-value]

    @property
    def strides(self) -> Pair:
        """The stride (Sh, Sw) as a pair."""
        return self.stride  # type: ignore[return-value]

    @property
    def dilations(self) -> Pair:
        """The dilation (Dh, Dw) as a pair."""
        return self.dilation  # type: ignore[return-value]

    @cached_property
    def pads(self) -> tuple[int, int, int, int]:
        """Resolved padding (top, bottom, left, right), with PyTorch's rule for 'same'.

        For 'same' the total ``D*(K-1)`` is split with the odd extra row or column
        at the bottom or right, as ``torch.nn.functional.conv2d`` does.
        """
        if self.padding == "same":
            (kh, kw), (dh, dw) = self.kernel, self.dilations
            th, tw = dh * (kh - 1), dw * (kw - 1)
            return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        if isinstance(self.padding, str):  # 'valid'
            return (0, 0, 0, 0)
        ph, pw = as_pair("padding", self.padding, minimum=0)
        return (ph, ph, pw, pw)

    @property
    def groups_in(self) -> int:
        """Input channels per group (the depth of each kernel)."""
        return self.in_channels // self.groups

    @property
    def groups_out(self) -> int:
        """Output channels per group."""
        return self.out_channels // self.groups

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """The input's shape (C, H, W)."""
        return (self.in_channels, *self.size)

    @cached_property
    def padded_size(self) -> Pair:
        """The padded input's spatial size (H + top + bottom, W + left + right)."""
        top, bottom, left, right = self.pads
        return (self.size[0] + top + bottom, self.size[1] + left + right)

    @cached_property
    def footprint(self) -> Pair:
        """The dilated kernel's extent on the input, ``D*(K-1)+1`` per axis."""
        return (
            self.dilations[0] * (self.kernel[0] - 1) + 1,
            self.dilations[1] * (self.kernel[1] - 1) + 1,
        )

    @cached_property
    def output_size(self) -> Pair:
        """The output's spatial size (H_out, W_out)."""
        (ph, pw), (fh, fw), (sh, sw) = self.padded_size, self.footprint, self.strides
        return ((ph - fh) // sh + 1, (pw - fw) // sw + 1)

    @property
    def output_shape(self) -> tuple[int, int, int]:
        """The output's shape (C_out, H_out, W_out)."""
        return (self.out_channels, *self.output_size)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        """The weight tensor's shape (C_out, C_in/groups, Kh, Kw)."""
        return (self.out_channels, self.groups_in, *self.kernel)

    # -- counts -----------------------------------------------------------------------------

    @property
    def n_weights(self) -> int:
        """Trainable kernel weights: C_out * C_in/groups * Kh * Kw."""
        return self.out_channels * self.groups_in * self.kernel[0] * self.kernel[1]

    @property
    def n_bias(self) -> int:
        """Trainable bias terms: C_out with bias, else 0."""
        return self.out_channels if self.bias else 0

    @property
    def n_params(self) -> int:
        """All trainable parameters: weights plus bias."""
        return self.n_weights + self.n_bias

    @property
    def macs(self) -> int:
        """Multiply-accumulates of one forward pass on one input."""
        h, w = self.output_size
        return self.out_channels * h * w * self.groups_in * self.kernel[0] * self.kernel[1]

    @property
    def n_steps(self) -> int:
        """Frames of the animation: (C_out/groups) * H_out * W_out (groups advance together)."""
        h, w = self.output_size
        return self.groups_out * h * w

    # -- text -------------------------------------------------------------------------------

    @property
    def caption(self) -> str:
        """The article's caption line, e.g. ``Input Shape : (3, 7, 7) - ... - G : 1``."""
        top, bottom, left, right = self.pads
        pad = f"({top}, {left})" if (top, left) == (bottom, right) else (
            f"(({top}, {bottom}), ({left}, {right}))"
        )
        return (
            f"Input Shape : {self.input_shape} - Output Shape : {self.output_shape} - "
            f"K : {self.kernel} - P : {pad} - S : {self.strides} - D : {self.dilations} - "
            f"G : {self.groups}"
        )

    @property
    def slug(self) -> str:
        """A portable file stem: lower case, only ``[a-z0-9._-]``.

        Example: ``in3x7x7_out2x3x3_k3_p1_s2_d2_g1``; a padding mode other than
        zeros and ``bias=False`` add ``_reflect`` and ``_nobias``.
        """
        c, h, w = self.input_shape
        oc, oh, ow = self.output_shape
        pad = pair_text(self.padding)
        parts = [
            f"in{c}x{h}x{w}",
            f"out{oc}x{oh}x{ow}",
            f"k{pair_text(self.kernel)}",
            f"p{pad}",
            f"s{pair_text(self.strides)}",
            f"d{pair_text(self.dilations)}",
            f"g{self.groups}",
        ]
        if self.padding_mode != "zeros":
            parts.append(self.padding_mode)
        if not self.bias:
            parts.append("nobias")
        return "_".join(parts)

    def torch_repr(self) -> str:
        """The equivalent ``nn.Conv2d(...)`` line, defaults left out."""
        args = [str(self.in_channels), str(self.out_channels),
                f"kernel_size={_pair_arg(self.kernel)}"]
        if self.strides != (1, 1):
            args.append(f"stride={_pair_arg(self.strides)}")
        if isinstance(self.padding, str):
            args.append(f"padding={self.padding!r}")
        elif self.pads != (0, 0, 0, 0):
            args.append(f"padding={_pair_arg((self.pads[0], self.pads[2]))}")
        if self.dilations != (1, 1):
            args.append(f"dilation={_pair_arg(self.dilations)}")
        if self.groups != 1:
            args.append(f"groups={self.groups}")
        if not self.bias:
            args.append("bias=False")
        if self.padding_mode != "zeros":
            args.append(f"padding_mode={self.padding_mode!r}")
        return f"nn.Conv2d({', '.join(args)})"

    def formula(self, axis: int) -> str:
        """The output-size formula of one axis (0: height, 1: width), filled in.

        Example: ``H_out = floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 3``.
        """
        name = "H_out" if axis == 0 else "W_out"
        size, k, s, d = self.size[axis], self.kernel[axis], self.strides[axis], self.dilations[axis]
        before, after = self.pads[2 * axis], self.pads[2 * axis + 1]
        pad = f"2*{before}" if before == after else f"{before} + {after}"
        return (
            f"{name} = floor(({size} + {pad} - {d}*({k}-1) - 1) / {s}) + 1"
            f" = {self.output_size[axis]}"
        )

    def describe(self) -> str:
        """The text report of ``convgif shape``: shapes, formulas, counts, caption, torch line."""
        ph, pw = self.padded_size
        kh, kw = self.kernel
        return "\n".join([
            f"input        {self.input_shape}, padded to {ph}x{pw} ({self.padding_mode})",
            f"output       {self.output_shape}",
            f"             {self.formula(0)}",
            f"             {self.formula(1)}",
            f"parameters   {self.n_params:,} = {self.n_weights:,} weights "
            f"({self.out_channels} x {self.groups_in} x {kh} x {kw}) + {self.n_bias:,} bias",
            f"MACs         {self.macs:,}",
            f"frames       {self.n_steps:,}",
            f"caption      {self.caption}",
            f"torch        {self.torch_repr()}",
        ])

    def summary(self) -> dict[str, object]:
        """Everything ``convgif shape`` reports, as plain JSON-ready values."""
        return {
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "kernel_size": list(self.kernel),
            "stride": list(self.strides),
            "padding": self.padding if isinstance(self.padding, str) else [self.pads[0],
                                                                             self.pads[2]],
            "pads": {"top": self.pads[0], "bottom": self.pads[1], "left": self.pads[2],
                     "right": self.pads[3]},
            "dilation": list(self.dilations),
            "groups": self.groups,
            "bias": self.bias,
            "padding_mode": self.padding_mode,
            "padded_size": list(self.padded_size),
            "footprint": list(self.footprint),
            "formulas": [self.formula(0), self.formula(1)],
            "weight_shape": list(self.weight_shape),
            "n_weights": self.n_weights,
            "n_bias": self.n_bias,
            "n_params": self.n_params,
            "macs": self.macs,
            "n_steps": self.n_steps,
            "caption": self.caption,
            "slug": self.slug,
            "torch": self.torch_repr(),
        }
