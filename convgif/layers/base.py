"""The contract every layer kind fulfils, and the base of the sliding-window kinds.

:class:`Layer` is what the rest of convgif asks of a layer on one input: its
shapes, parameter and MAC counts, the number of animation steps, the caption
fields of the article's GIFs, a portable slug and the ``torch.nn`` line that
builds it, all derived from the kind's fields. :class:`WindowLayer` adds the
window geometry of layers whose kernel slides over a padded input (one
:class:`~convgif.layers.geometry.Axis` per spatial axis) and their channel
groups; the trace and the scenes read only this.
"""

from __future__ import annotations

import html
import math
from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any, ClassVar

from ..flags import Flag
from .errors import SpecError
from .geometry import Axis, show

TorchArgument = tuple[str | None, str, str | None]  # keyword (None: positional), value, default


class Layer(ABC):
    """One layer on one input (no batch dimension), validated with PyTorch's rules.

    A kind sets :attr:`kind` (its command-line name), :attr:`torch_name` (its
    ``torch.nn`` class) and :attr:`flags` (how its fields are set on the command
    line), and implements the abstract members; the texts are built here.
    """

    kind: ClassVar[str]
    torch_name: ClassVar[str]
    flags: ClassVar[tuple[Flag, ...]]
    # The command line's layer when a flag is not given (for ``--layer KIND``), and the
    # torch.nn constructor's parameters in order (for a pasted ``nn.X(...)`` line).
    defaults: ClassVar[dict[str, object]] = {}
    work: ClassVar[str] = "MACs"  # what :attr:`macs` counts, as ``describe`` names it
    torch_parameters: ClassVar[tuple[str, ...]] = ()
    # Constructor arguments print(model) never shows (read back as their defaults).
    printout_omits: ClassVar[tuple[str, ...]] = ()
    spatial_dims: ClassVar[int] = 2  # the input's axes after its channels

    @property
    @abstractmethod
    def input_shape(self) -> tuple[int, ...]:
        """The input's shape, channels first."""

    @property
    @abstractmethod
    def output_shape(self) -> tuple[int, ...]:
        """The output's shape, channels first."""

    @property
    @abstractmethod
    def weight_shape(self) -> tuple[int, ...] | None:
        """The weight tensor's shape, or None for a layer without weights."""

    @property
    @abstractmethod
    def n_bias(self) -> int:
        """Trainable bias terms."""

    @property
    @abstractmethod
    def macs(self) -> int:
        """Multiply-accumulates (or comparisons) of one forward pass on one input."""

    @property
    @abstractmethod
    def n_steps(self) -> int:
        """Steps of the forward pass, one frame of the animation each."""

    @abstractmethod
    def caption_fields(self) -> list[tuple[str, str]]:
        """The caption's (label, value) pairs, in order."""

    @abstractmethod
    def slug_parts(self) -> list[str]:
        """The pieces of :attr:`slug`, each of ``[a-z0-9.-]``."""

    @abstractmethod
    def torch_arguments(self) -> list[TorchArgument]:
        """The ``torch.nn`` constructor's arguments: (keyword, value, default) in order.

        A keyword of None is positional; an argument whose value equals its
        default is left out of :meth:`torch_repr`.
        """

    @abstractmethod
    def summary_fields(self) -> dict[str, object]:
        """The kind's own arguments as JSON-ready values, for :meth:`summary`."""

    @abstractmethod
    def input_text(self) -> str:
        """The ``input`` line of :meth:`describe`: shape and how it is padded."""

    @abstractmethod
    def formulas(self) -> list[str]:
        """The output-size formula of each spatial axis, filled in."""

    # -- derived ----------------------------------------------------------------------------

    @property
    def n_weights(self) -> int:
        """Trainable weights: the product of :attr:`weight_shape` (0 without weights)."""
        return 0 if self.weight_shape is None else math.prod(self.weight_shape)

    @property
    def n_params(self) -> int:
        """All trainable parameters: weights plus bias."""
        return self.n_weights + self.n_bias

    @property
    def caption(self) -> str:
        """The article's caption line, e.g. ``Input Shape : (3, 7, 7) - ... - G : 1``."""
        return " - ".join(f"{label} : {value}" for label, value in self.caption_fields())

    @property
    def slug(self) -> str:
        """A portable file stem: lower case, only ``[a-z0-9._-]``."""
        return "_".join(self.slug_parts())

    def torch_repr(self) -> str:
        """The ``nn.<Kind>(...)`` line that builds this layer, defaults left out."""
        words = [value if keyword is None else f"{keyword}={value}"
                 for keyword, value, default in self.torch_arguments()
                 if keyword is None or value != default]
        return f"nn.{self.torch_name}({', '.join(words)})"

    def describe(self) -> str:
        """The text report of ``convgif shape``: shapes, formulas, counts, caption, torch line."""
        weights = "" if self.weight_shape is None else (
            " (" + " x ".join(str(n) for n in self.weight_shape) + ")")
        return "\n".join([
            f"input        {self.input_text()}",
            f"output       {self.output_shape}",
            *(f"             {formula}" for formula in self.formulas()),
            f"parameters   {self.n_params:,} = {self.n_weights:,} weights{weights} "
            f"+ {self.n_bias:,} bias",
            f"{self.work:<13}{self.macs:,}",
            f"steps        {self.n_steps:,}",
            f"caption      {self.caption}",
            f"torch        {self.torch_repr()}",
        ])

    def _repr_html_(self) -> str:
        """How Jupyter shows the layer: its ``torch.nn`` line and :meth:`describe`."""
        text = html.escape(self.describe())
        return (f"<div><code>{html.escape(self.torch_repr())}</code>"
                f"<pre style=\"margin:4px 0\">{text}</pre></div>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How IPython's terminal shows the layer: :meth:`describe`."""
        printer.text(self.torch_repr() if cycle else self.describe())

    def summary(self) -> dict[str, object]:
        """Everything ``convgif shape`` reports, as plain JSON-ready values."""
        return {
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            **self.summary_fields(),
            "formulas": self.formulas(),
            "weight_shape": None if self.weight_shape is None else list(self.weight_shape),
            "n_weights": self.n_weights,
            "n_bias": self.n_bias,
            "n_params": self.n_params,
            "macs": self.macs,
            "n_steps": self.n_steps,
            "caption": self.caption,
            "slug": self.slug,
            "torch": self.torch_repr(),
        }


class WindowLayer(Layer):
    """A layer whose window slides over a padded input, channels split into groups.

    A kind provides :attr:`axes` (one per spatial axis, from its fields), the
    channel counts and :meth:`weight_index`. Steps run over the output channels
    of one group (all groups advance together), then the output positions in
    row-major order.
    """

    in_channels: int
    out_channels: int
    groups: int

    @property
    @abstractmethod
    def axes(self) -> tuple[Axis, ...]:
        """The window's geometry along each spatial axis."""

    @abstractmethod
    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> tuple[int, ...] | None:
        """The weight an output channel applies at kernel position ``tap`` to the
        ``channel_in_group``-th input channel of its group (None without weights)."""

    def check_groups(self) -> None:
        """Raise :class:`SpecError` unless the groups divide both channel counts."""
        if self.in_channels % self.groups:
            raise SpecError(f"groups={self.groups} must divide in_channels={self.in_channels}")
        if self.out_channels % self.groups:
            raise SpecError(f"groups={self.groups} must divide out_channels={self.out_channels}")

    def check_padding_mode(self, mode: str, padding_text: str) -> None:
        """Raise :class:`SpecError` when ``mode`` copies more cells than the input has:
        'reflect' padding must be smaller than the input, 'circular' not larger."""
        too_much = {"reflect": lambda pad, size: pad >= size,
                    "circular": lambda pad, size: pad > size}.get(mode)
        if too_much is None:
            return
        if any(too_much(max(axis.before, axis.after), axis.size) for axis in self.axes):
            rule = "be smaller than" if mode == "reflect" else "not exceed"
            size = "x".join(str(n) for n in self.input_shape[1:])
            raise SpecError(f"padding={padding_text} must {rule} the input ({size}) with "
                            f"padding_mode={mode!r}")

    def check_fits(self, kernel: object, dilation: object, input_size: object,
                   padding_text: str) -> None:
        """Raise :class:`SpecError` when the dilated kernel is larger than the padded input."""
        if any(axis.footprint > axis.padded for axis in self.axes):
            spans = "x".join(str(n) for n in self.footprint)
            padded = "x".join(str(n) for n in self.padded_size)
            raise SpecError(
                f"kernel_size={show(kernel)} with dilation={show(dilation)} spans {spans}, "
                f"larger than the padded input {padded} (input_size={show(input_size)}, "
                f"padding={padding_text})"
            )

    @property
    def in_per_group(self) -> int:
        """Input channels per group (the depth of each kernel)."""
        return self.in_channels // self.groups

    @property
    def out_per_group(self) -> int:
        """Output channels per group."""
        return self.out_channels // self.groups

    @cached_property
    def padded_size(self) -> tuple[int, ...]:
        """The padded input's spatial size."""
        return tuple(axis.padded for axis in self.axes)

    @cached_property
    def footprint(self) -> tuple[int, ...]:
        """The dilated kernel's extent on the input, ``D*(K-1)+1`` per axis."""
        return tuple(axis.footprint for axis in self.axes)

    @cached_property
    def output_size(self) -> tuple[int, ...]:
        """The output's spatial size."""
        return tuple(axis.output for axis in self.axes)

    def formula(self, axis: int) -> str:
        """The output-size formula of one axis (0: height, 1: width), filled in."""
        return self.axes[axis].formula()

    def formulas(self) -> list[str]:
        """The output-size formula of each spatial axis, filled in."""
        return [axis.formula() for axis in self.axes]

    @property
    def n_steps(self) -> int:
        """Frames of the animation: (C_out/groups) * output positions (groups advance together)."""
        return self.out_per_group * math.prod(self.output_size)


def window_layer(value: object, name: str = "layer") -> WindowLayer:
    """Return ``value`` if it is a sliding-window layer, else raise a :class:`TypeError`."""
    if not isinstance(value, WindowLayer):
        raise TypeError(f"{name}={value!r:.60} must be a convgif layer such as "
                        f"convgif.Conv2d(3, 2, 3, 7), not {type(value).__name__}")
    return value
