"""Sweeps: which layers one figure measures (:class:`Plan`, :func:`plan`, :data:`DEFAULT_PLANS`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..layers import Conv2d, ConvgifError, Pair, as_pair, parse_pair, positive_int

Value = int | Pair
ValuesLike = str | Sequence[int | Sequence[int]]

ARGUMENTS: tuple[str, ...] = (
    "in-channels", "out-channels", "kernel-size", "stride", "padding", "dilation", "groups",
)

# The Conv2d field that varies across the series of each argument's figure.
_SERIES_FIELD = {
    "in-channels": "in_channels",
    "out-channels": "input_size",
    "kernel-size": "kernel_size",
    "stride": "stride",
    "padding": "padding",
    "dilation": "dilation",
    "groups": "groups",
}
_INT_FIELDS = ("in_channels", "groups")


class PlotError(ConvgifError):
    """A sweep, CSV or output path convgif cannot use; the message says which and why."""


@dataclass(frozen=True)
class Plan:
    """One figure's sweep: output channels ``x`` times the ``series`` values, around a layer.

    The layer field named by :attr:`series_field` takes each value of ``series``
    in turn (its own value here is then unused); ``batch`` inputs go through each
    forward pass. Every configuration is checked with PyTorch's rules on creation
    (:class:`SpecError`), so an invalid plan never starts measuring.
    """

    argument: str
    x: tuple[int, ...]
    series: tuple[Value, ...]
    in_channels: int = 16
    kernel_size: Pair = (3, 3)
    input_size: Pair = (256, 256)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True
    batch: int = 1

    def __post_init__(self) -> None:
        if self.argument not in ARGUMENTS:
            raise PlotError(f"argument {self.argument!r} must be one of " + ", ".join(ARGUMENTS))
        set_ = object.__setattr__
        set_(self, "x", tuple(self.x))
        set_(self, "series", tuple(_series_value(self.series_field, v) for v in self.series))
        for name in ("kernel_size", "input_size", "stride", "dilation"):
            set_(self, name, as_pair(name, getattr(self, name)))
        set_(self, "padding", as_pair("padding", self.padding, minimum=0))
        if not self.x or not self.series:
            raise PlotError(f"a {self.argument} sweep needs at least one x and one series value")
        positive_int("batch", self.batch, PlotError)
        self.specs()

    @property
    def series_field(self) -> str:
        """The :class:`Conv2d` field that varies across the series."""
        return _SERIES_FIELD[self.argument]

    def specs(self) -> list[Conv2d]:
        """Every configuration, series after series, each over ``x`` in order."""
        layer: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("in_channels", "kernel_size", "input_size", "stride", "padding",
                         "dilation", "groups", "bias")
        }
        return [
            Conv2d(**{**layer, self.series_field: value, "out_channels": out})
            for value in self.series
            for out in self.x
        ]


def _series_value(field_name: str, value: object) -> Value:
    if field_name in _INT_FIELDS:
        if isinstance(value, (tuple, list)):
            raise PlotError(f"{field_name} values must be integers, not {value!r}")
        return value  # type: ignore[return-value]  # Conv2d checks it
    return as_pair(field_name, value, minimum=0 if field_name == "padding" else 1)


_POWERS = tuple(2**i for i in range(9))  # 1 .. 256 output channels

DEFAULT_PLANS: dict[str, Plan] = {
    "in-channels": Plan("in-channels", _POWERS, (16, 32, 64, 128)),
    "out-channels": Plan("out-channels", _POWERS, ((64, 64), (128, 128), (256, 256))),
    "kernel-size": Plan("kernel-size", _POWERS, ((1, 1), (3, 1), (3, 3), (5, 5)),
                        in_channels=1),
    "stride": Plan("stride", _POWERS, (1, 2, 3, 4)),
    "padding": Plan("padding", _POWERS, (0, 1, 2, 3)),
    "dilation": Plan("dilation", _POWERS, (1, 2, 3, 4)),
    # Groups must divide the output channels too: the x axis starts at 8.
    "groups": Plan("groups", _POWERS[3:], (1, 2, 4, 8)),
}


def _parse(text: str) -> list[Value]:
    """``"1,2,4"`` -> [1, 2, 4]; ``"1x1,3x1"`` -> [(1, 1), (3, 1)]."""
    values: list[Value] = []
    for item in text.split(","):
        try:
            values.append(parse_pair(item.replace(",", "")))
        except ValueError:
            raise PlotError(f"{item.strip()!r} in {text!r} must be N or NxM "
                            "(values separated by commas)") from None
    return values


def _values(given: ValuesLike | None) -> list[Any] | None:
    return _parse(given) if isinstance(given, str) else None if given is None else list(given)


def _one_of(argument: str, first: tuple[str, ValuesLike | None],
            second: tuple[str, ValuesLike | None]) -> list[Any] | None:
    if first[1] is not None and second[1] is not None:
        raise PlotError(f"{first[0]} and {second[0]} set the same values for {argument}: "
                        "give one of them")
    return _values(first[1] if first[1] is not None else second[1])


def plan(
    argument: str,
    *,
    x: ValuesLike | None = None,
    values: ValuesLike | None = None,
    series: ValuesLike | None = None,
    size: int | Sequence[int] | None = None,
    batch: int | None = None,
) -> Plan:
    """The article's sweep for ``argument`` (one of :data:`ARGUMENTS`), with changes.

    ``x``: the output channels on the x axis. ``values``: ``argument``'s values,
    i.e. the series (for ``out-channels``, the x axis). ``series``: the series'
    values, i.e. ``argument``'s (for ``out-channels``, input sizes). ``size``:
    the input size (not for ``out-channels``). Lists may be given as text:
    ``"1,2,4"``, ``"1x1,3x1"``. Raises :class:`PlotError` or :class:`SpecError`.
    """
    name = argument.replace("_", "-")
    if name not in DEFAULT_PLANS:
        raise PlotError(f"argument {argument!r} must be one of " + ", ".join(ARGUMENTS))
    if name == "out-channels":
        if size is not None:
            raise PlotError("out-channels draws one series per input size: "
                            "set the sizes with series, not size")
        new_x = _one_of(name, ("x", x), ("values", values))
        new_series = _values(series)
    else:
        new_x = _values(x)
        new_series = _one_of(name, ("series", series), ("values", values))
    changes: dict[str, Any] = {}
    if new_x is not None:
        changes["x"] = new_x
    if new_series is not None:
        changes["series"] = new_series
    if size is not None:
        changes["input_size"] = size
    if batch is not None:
        changes["batch"] = batch
    return replace(DEFAULT_PLANS[name], **changes)
