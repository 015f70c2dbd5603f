"""Numbers as text: a value in a cell, and a step's arithmetic on the formula line.

Every number comes from :class:`convgif.values.Values` (the engine's outputs,
the values read, the weights): nothing here recomputes an output. The formula
takes the longest form that fits its width: every product with its factors,
else every product's value, else one partial sum per input channel, else the
count of products and their sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..font import text_width
from ..trace import OutputCell, Step, Term
from ..values import Values
from .parts import ValueText


def number_text(value: float, decimals: int, integral: bool) -> str:
    """``value`` as a cell shows it: an integer, or rounded to ``decimals`` places
    without trailing zeros (``0.5``, ``-1.25``; never ``-0``)."""
    if not math.isfinite(value):
        return "inf" if value > 0 else "-inf" if value < 0 else "nan"
    text = str(round(value)) if integral else f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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


def widest_number(values: Values, decimals: int, outputs: bool = True) -> str:
    """The widest text of any input, weight or (with ``outputs``) output number (what a
    cell must hold)."""
    arrays = (values.padded, values.weight, *((values.output,) if outputs else ()))
    finite = [array[np.isfinite(array)] for array in arrays]
    texts = {number_text(float(v), decimals, values.integral)
             for array in finite if array.size for v in (array.min(), array.max())}
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
    operation = getattr(values.layer, "operation", None)
    if operation is not None:  # pooling: no weights, the window's values
        return _pooling_forms(head, operation, [text(t.input) for t in terms],
                              text(math.fsum(t.input for t in terms)),
                              getattr(values.layer, "divisor", lambda r, c: 1)(
                                  output.row, output.col), text(step.value(output)))
    bias = text(values.bias[output.channel]) if values.layer.n_bias else None
    result = f" = {text(step.value(output))}"

    def with_bias(body: str) -> str:
        return _signed([bias, body]) if bias is not None else body

    products = " + ".join(f"{_factor(text(t.input))}*{_factor(text(t.weight))}"
                          for t in terms)
    forms = [head + with_bias(f"({products})") + result,
             head + with_bias(f"({_signed(text(t.product) for t in terms)})") + result]
    channels = sorted({t.channel for t in terms})
    if len(channels) > 1:
        sums = [f"{text(math.fsum(t.product for t in terms if t.channel == c))} (ch {c})"
                for c in channels]
        forms.append(head + _signed([*([bias] if bias is not None else []), *sums]) + result)
    total = text(math.fsum(t.product for t in terms))
    forms.append(head + with_bias(f"({len(terms)} products: {total})") + result)
    return forms


def _pooling_forms(head: str, operation: str, inputs: list[str], total: str, divisor: int,
                   result: str) -> list[str]:
    """A pooling window's formula: ``max(a, b, ...)`` or ``(a + b + ...) / divisor``,
    then shorter forms."""
    if operation == "max":
        return [f"{head}max({', '.join(inputs)}) = {result}",
                f"{head}max of {len(inputs)} values = {result}"]
    return [f"{head}({_signed(inputs)}) / {divisor} = {result}",
            f"{head}({len(inputs)} values: {total}) / {divisor} = {result}"]


def formula_text(step: Step, output: OutputCell, decimals: int, width: int, size: int) -> str:
    """The longest form of ``output``'s formula that fits ``width`` px at font ``size``."""
    forms = formula_forms(step, output, decimals)
    return next((form for form in forms if text_width(form, size) <= width), forms[-1])
