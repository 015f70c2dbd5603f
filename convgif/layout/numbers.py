"""Numbers as text: a value in a cell, and a step's arithmetic on the formula line.

Every number comes from :class:`convgif.values.Values` (the engine's outputs,
the values read, the weights): nothing here recomputes an output. A non-zero
number never reads as zero, and very large or tiny ones take a compact form
(``1e30``, ``-2.5e-3``). The formula takes the longest form that fits its width:
every product with its factors, else every product's value, else one partial sum
per input channel, else the count of products and their sum; when its rounded
terms do not give its result, it says so (:data:`ROUNDED`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext

import numpy as np

from ..font import text_width
from ..trace import OutputCell, Step, Term
from ..values import Values
from .parts import ValueText

COMPACT_FROM = 1e6  # numbers this large are written as 1.23e6
COMPACT_DIGITS = 3  # significant digits of a large number's compact form
ROUNDED = " (terms rounded)"  # ends a formula whose rounded terms do not give its result


def _trimmed(text: str) -> str:
    """A fixed-point text without trailing zeros (``1.50`` -> ``1.5``, ``2.00`` -> ``2``)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scientific(value: float, digits: int) -> str:
    """``value`` with ``digits`` significant digits in a compact scientific form:
    ``1e30``, ``-2.5e-3``, ``1.23e6``."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{_trimmed(mantissa)}e{int(exponent)}"


def number_text(value: float, decimals: int, integral: bool) -> str:
    """``value`` as a cell shows it: an integer, or rounded to ``decimals`` places
    without trailing zeros (``0.5``, ``-1.25``; zero is ``0``, never ``-0``).

    A non-zero number that would round to zero shows ``max(1, decimals)``
    significant digits instead, in fixed form unless scientific is shorter by two
    characters or more (``-0.0025``, ``0.004``, ``1.5e-5``); from
    :data:`COMPACT_FROM` on, numbers are written in scientific form with
    :data:`COMPACT_DIGITS` significant digits (``1e30``).
    """
    if not math.isfinite(value):
        return "inf" if value > 0 else "-inf" if value < 0 else "nan"
    if value == 0:
        return "0"
    if abs(value) >= COMPACT_FROM:
        return _scientific(value, COMPACT_DIGITS)
    text = _trimmed(str(round(value)) if integral else f"{value:.{decimals}f}")
    if text not in ("0", "-0"):
        return text
    digits = max(1, decimals)  # a tiny number: its first significant digits
    places = digits - 1 - math.floor(math.log10(abs(value)))
    fixed, scientific = _trimmed(f"{value:.{places}f}"), _scientific(value, digits)
    return fixed if len(fixed) <= len(scientific) + 1 else scientific


def _exact(text: str) -> Decimal:
    """The number a text of :func:`number_text` reads as."""
    return Decimal(text)


def _agrees(shown: Sequence[str], result: str, decimals: int, integral: bool,
            divisor: int = 1) -> bool:
    """Whether the numbers ``shown`` (summed, then divided by ``divisor``), computed
    exactly and shown as every number is, give the ``result`` shown."""
    if not all(math.isfinite(float(text)) for text in (*shown, result)):
        return True
    with localcontext() as context:
        context.prec = 60
        total = sum((_exact(text) for text in shown), Decimal(0)) / divisor
    return number_text(float(total), decimals, integral) == result


def _factor(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _signed(parts: Iterable[str]) -> str:
    """Terms joined with `` + `` and `` - `` (a negative term's sign becomes the operator)."""
    out = ""
    for i, part in enumerate(parts):
        if i == 0:
            out = part
        elif part.startswith("-"):
            out += f" - {part[1:]}"
        else:
            out += f" + {part}"
    return out


def _extremes(array: np.ndarray) -> list[float]:
    """The numbers of a sorted ``array`` whose texts are the widest of their sign: the
    smallest and the largest, and the non-zero ones nearest zero (shown with their
    first significant digits)."""
    negative, positive = array[array < 0], array[array > 0]
    return [float(v) for v in (*(negative[[0, -1]] if negative.size else ()),
                               *(positive[[0, -1]] if positive.size else ()))]


def widest_number(values: Values, decimals: int, outputs: bool = True) -> str:
    """The widest text of any input, weight or (with ``outputs``) output number (what a
    cell must hold)."""
    arrays = (values.padded, values.weight, *((values.output,) if outputs else ()))
    finite = [np.sort(array[np.isfinite(array)], axis=None) for array in arrays]
    texts = {number_text(v, decimals, values.integral)
             for array in finite for v in _extremes(array)}
    if outputs:
        texts |= {number_text(float(v), decimals, values.integral)
                  for v in np.unique(np.round(values.output, decimals))[:64]}
    return max(texts, key=len, default="0")


def ramp_name(array: np.ndarray) -> str:
    """The value ramp of ``array``'s numbers: ``sequential`` when none is negative, else
    ``diverging`` (around 0); infinities (max pooling's padding) are left out."""
    finite = array[np.isfinite(array)]
    return "sequential" if finite.size == 0 or finite.min() >= 0 else "diverging"


def magnitude(array: np.ndarray) -> float:
    """The largest finite magnitude in ``array`` (0 for none): a ramp's scale."""
    finite = array[np.isfinite(array)]
    return float(np.abs(finite).max()) if finite.size else 0.0


def shading(values: Values) -> dict[str, tuple[str, float]]:
    """The ramp and scale of each kind of grid: ``input`` (padded), ``weight``, ``output``."""
    return {name: (ramp_name(array), magnitude(array)) for name, array in
            (("input", values.padded), ("weight", values.weight), ("output", values.output))}


def value_text(values: Values, decimals: int) -> ValueText:
    """What a layout with ``values`` makes room for: the widest number, the ramps in use
    and the widest short formula (the last output cell's, every number the widest)."""
    layer = values.layer
    widest = widest_number(values, decimals)
    ramps = tuple(sorted({ramp for ramp, _ in shading(values).values()}))
    oh, ow = layer.output_size
    taps = layer.in_per_group * int(np.prod([a.kernel for a in layer.axes]))
    head = f"output[{layer.out_channels - 1}, {oh - 1}, {ow - 1}] = "
    formula = f"{head}{widest} + ({taps} products: {widest}) = {widest}"
    if not values.integral:  # rounded terms may not give the result: room to say so
        formula += ROUNDED
    return ValueText(widest, ramps, formula, widest_number(values, decimals, outputs=False))


def formula_forms(step: Step, output: OutputCell, decimals: int) -> list[str]:
    """The formula of ``output`` at ``step``, longest form first (see the module's doc)."""
    values = step.values
    if values is None:
        raise ValueError("formula_forms needs a step with values")

    def text(value: float) -> str:
        return number_text(float(value), decimals, values.integral)

    terms: list[Term] = step.terms(output)
    head = f"output[{output.channel}, {output.row}, {output.col}] = "
    shown = text(step.value(output))

    def ending(parts: Sequence[str], divisor: int = 1) -> str:
        """`` = result``, noting when the parts shown, summed, do not give it."""
        agrees = _agrees(parts, shown, decimals, values.integral, divisor)
        return f" = {shown}" + ("" if agrees else ROUNDED)

    operation = getattr(values.layer, "operation", None)
    if operation is not None:  # pooling: no weights, the window's values
        inputs = [text(t.input) for t in terms]
        if operation == "max":
            return [f"{head}max({', '.join(inputs)}) = {shown}",
                    f"{head}max of {len(inputs)} values = {shown}"]
        total = text(math.fsum(t.input for t in terms))
        divisor = getattr(values.layer, "divisor", lambda r, c: 1)(output.row, output.col)
        return [f"{head}({_signed(inputs)}) / {divisor}" + ending(inputs, divisor),
                f"{head}({len(inputs)} values: {total}) / {divisor}"
                + ending([total], divisor)]
    bias = [text(values.bias[output.channel])] if values.layer.n_bias else []

    def with_bias(body: str) -> str:
        return _signed([*bias, body]) if bias else body

    factors = [(text(t.input), text(t.weight)) for t in terms]
    products = " + ".join(f"{_factor(x)}*{_factor(w)}" for x, w in factors)
    exact_products = [str(_exact(x) * _exact(w)) for x, w in factors]
    shown_products = [text(t.product) for t in terms]
    forms = [head + with_bias(f"({products})") + ending([*bias, *exact_products]),
             head + with_bias(f"({_signed(shown_products)})")
             + ending([*bias, *shown_products])]
    channels = sorted({t.channel for t in terms})
    if len(channels) > 1:
        sums = [text(math.fsum(t.product for t in terms if t.channel == c)) for c in channels]
        forms.append(head + _signed([*bias, *(f"{s} (ch {c})" for s, c in
                                              zip(sums, channels, strict=True))])
                     + ending([*bias, *sums]))
    total = text(math.fsum(t.product for t in terms))
    forms.append(head + with_bias(f"({len(terms)} products: {total})")
                 + ending([*bias, total]))
    return forms


def formula_text(step: Step, output: OutputCell, decimals: int, width: int, size: int) -> str:
    """The longest form of ``output``'s formula that fits ``width`` px at font ``size``."""
    forms = formula_forms(step, output, decimals)
    return next((form for form in forms if text_width(form, size) <= width), forms[-1])
