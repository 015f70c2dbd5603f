"""Window geometry shared by every sliding-window layer, and the normalisers of its arguments.

An :class:`Axis` is one spatial axis of a window sliding over a padded input:
its input size, padding before and after, kernel size, stride and dilation. It
gives the padded size, the dilated footprint, the output size and the filled-in
formula of that size. The normalisers turn PyTorch-style arguments (an int or a
pair) into pairs, raising :class:`SpecError` naming the argument and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from .errors import ConvgifError, SpecError

Pair = tuple[int, int]
PairLike = int | tuple[int, int] | list[int]
PaddingLike = int | tuple[int, int] | list[int] | str


def is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an int (a bool is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def positive_int(name: str, value: object, error: type[ConvgifError] = SpecError) -> int:
    """Return ``value`` if it is a positive int, else raise ``error`` naming ``name``."""
    if not is_int(value):
        raise error(f"{name}={value!r} must be an integer")
    if value <= 0:
        raise error(f"{name}={value} must be positive")
    return value


def as_pair(name: str, value: object, minimum: int = 1, single: bool = False) -> Pair:
    """Return ``value`` (an int or an (h, w) pair) as a pair of ints >= ``minimum``.

    ``single``: a one-element tuple or list ``(n,)`` is ``(n, n)`` too, where PyTorch
    takes it. Raises :class:`SpecError` naming ``name`` when the value is malformed.
    """
    if single and isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    items = [value, value] if is_int(value) else value
    if not isinstance(items, (tuple, list)) or len(items) != 2:
        raise SpecError(f"{name}={value!r} must be an integer or a pair of integers")
    first, second = items
    if not (is_int(first) and is_int(second)):
        raise SpecError(f"{name}={value!r} must be an integer or a pair of integers")
    if min(first, second) < minimum:
        rule = "positive" if minimum == 1 else f">= {minimum}"
        raise SpecError(f"{name}={show(value)} must be {rule}")
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


def show(value: object) -> str:
    """A value as an error message or caption shows it: ``(5, 2)``, ``3``."""
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(str(v) for v in value) + ")"
    return str(value)


def torch_pair(pair: Pair) -> str:
    """A pair as a torch.nn constructor takes it: ``3`` when square, ``(5, 2)`` otherwise."""
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


@dataclass(frozen=True)
class Axis:
    """One axis of a window sliding over a padded input.

    ``name`` is the output size's name in formulas (``H_out``); ``before`` and
    ``after`` are the padding on either side (negative: cells cut off). ``spread``
    puts ``spread - 1`` zeros between input cells (a transposed convolution's
    stride, drawn as a stride-1 convolution); ``ceil`` is pooling's ``ceil_mode``.
    """

    name: str
    size: int
    before: int
    after: int
    kernel: int
    stride: int
    dilation: int
    spread: int = 1
    ceil: bool = False

    @property
    def inside(self) -> int:
        """The input's extent with the inserted zeros: ``(size-1)*spread + 1``."""
        return (self.size - 1) * self.spread + 1

    @property
    def padded(self) -> int:
        """The padded input's size along this axis."""
        return self.inside + self.before + self.after

    @property
    def footprint(self) -> int:
        """The dilated kernel's extent, ``D*(K-1)+1``."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def output(self) -> int:
        """The output's size along this axis: windows that fit in the padded input or,
        with ``ceil``, that start inside the input or its left padding (PyTorch's rule)."""
        count = self._windows()
        if self.ceil and (count - 1) * self.stride >= self.size + self.before:
            return count - 1
        return count

    def _windows(self) -> int:
        """Windows by the size formula alone (floor, or ceil), before ceil_mode's drop."""
        span = self.padded - self.footprint
        return (-(-span // self.stride) if self.ceil else span // self.stride) + 1

    @property
    def reach(self) -> int:
        """Cells the windows cover: the padded input, and more where a ``ceil`` window
        hangs off its end."""
        return max(self.padded, (self.output - 1) * self.stride + self.footprint)

    def is_input(self, index: int) -> bool:
        """Whether padded index ``index`` holds an input cell (not padding, not an
        inserted zero)."""
        offset = index - self.before
        return 0 <= offset < self.inside and offset % self.spread == 0

    def formula(self) -> str:
        """The output-size formula, filled in.

        Example: ``H_out = floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 3``.
        """
        pad = f"2*{self.before}" if self.before == self.after else f"{self.before} + {self.after}"
        rounding = "ceil" if self.ceil else "floor"
        dropped = ""
        if self._windows() > self.output:
            dropped = " (the last window would start in the padding: dropped)"
        return (
            f"{self.name} = {rounding}(({self.size} + {pad} - {self.dilation}*({self.kernel}-1)"
            f" - 1) / {self.stride}) + 1 = {self.output}{dropped}"
        )
