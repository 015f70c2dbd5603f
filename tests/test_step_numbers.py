"""Every step's numbers, for every kind: what a frame's formula shows adds up to the
output the engine computed, and average pooling divides by the engine's divisor.

For random layers of every kind with values: a convolution's bias plus its
products is its output; a max pooling window's maximum is its output, and the
cell the picture marks holds it, in every channel; an average pooling window's
formula divides its sum by the divisor the engine divides by (found from the
engine's own sums, by running it on ones) and gives its output.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kind_strategies import Drawn, kind_layers

import convgif
from convgif.draw import Painter
from convgif.layout.numbers import formula_forms
from convgif.trace import Step

DIVISOR = re.compile(r"\) / (-?\d+) = ")


def engine_divisors(layer: convgif.AvgPool2d) -> np.ndarray:
    """What the engine divides each output cell's sum by: its sums of ones over its
    averages of ones."""
    ones = np.ones(layer.input_shape)
    arguments = (layer.kernel_size, layer.stride, layer.padding, layer.ceil_mode,
                 layer.count_include_pad)
    sums = convgif.avg_pool2d(ones, *arguments, divisor_override=1)
    averages = convgif.avg_pool2d(ones, *arguments, divisor_override=layer.divisor_override)
    return np.rint(sums / averages).astype(int)


def check_step(step: Step, divisors: np.ndarray | None) -> None:
    """Each output cell of ``step``: its terms (and formula) give its value."""
    layer = step.layer
    for out in step.outputs:
        terms, value = step.terms(out), step.value(out)
        inputs = [t.input for t in terms]
        if isinstance(layer, convgif.MaxPool2d):
            if max(inputs) == -math.inf and step.values is not None and \
                    step.values.input.dtype.kind == "i":
                # A window that dilation steers past every input cell reads only padding:
                # on integers, torch (and the engine) give the lowest integer.
                assert value == np.iinfo(step.values.input.dtype).min
            else:
                assert max(inputs) == value, (step.index, out)
        elif isinstance(layer, convgif.AvgPool2d):
            assert divisors is not None
            found = DIVISOR.search(formula_forms(step, out, 2)[0])
            assert found is not None
            divisor = int(found.group(1))
            assert divisor == divisors[out.channel, out.row, out.col], (step.index, out)
            assert math.fsum(inputs) / divisor == pytest.approx(value), (step.index, out)
        else:
            bias = float(step.values.bias[out.channel]) if step.values is not None else 0.0
            assert bias + math.fsum(t.product for t in terms) == value, (step.index, out)


@settings(max_examples=120, deadline=None)
@given(drawn=kind_layers(), seed=st.integers(0, 99))
def test_every_steps_terms_give_the_engines_output(drawn: Drawn, seed: int) -> None:
    layer = drawn.layer
    values = convgif.values_for(layer, values=True, seed=seed)
    assert values is not None
    divisors = engine_divisors(layer) if isinstance(layer, convgif.AvgPool2d) else None
    seen = 0
    for step in convgif.trace(layer, values):
        check_step(step, divisors)
        seen += len(step.outputs)
    assert seen == math.prod(layer.output_shape)


@pytest.mark.parametrize("layer", [
    convgif.AvgPool2d(3, (4, 6), 2, stride=2, padding=1, count_include_pad=False),
    convgif.AvgPool2d((3, 2), (6, 3), 1, stride=(2, 1), padding=(1, 1), ceil_mode=True),
    convgif.AvgPool2d(3, (6, 4), 1, stride=2, padding=1, ceil_mode=True,
                      count_include_pad=False),
    convgif.AvgPool2d(2, 5, 1, divisor_override=3),
], ids=lambda layer: layer.slug)
def test_the_average_divides_by_the_engines_divisor_at_every_step(layer: convgif.AvgPool2d
                                                                  ) -> None:
    x = np.random.default_rng(7).uniform(1, 2, layer.input_shape)
    values = convgif.values_for(layer, input=x)
    divisors = engine_divisors(layer)
    assert len(set(divisors.reshape(-1).tolist())) > 1 or layer.divisor_override
    for step in convgif.trace(layer, values):
        check_step(step, divisors)


def test_max_pooling_marks_each_channels_own_maximum() -> None:
    rng = np.random.default_rng(3)
    x = rng.permutation(2 * 5 * 5).reshape(2, 5, 5).astype(float)
    x[1] = 100 - x[1]  # the second channel's maxima sit elsewhere
    layer = convgif.MaxPool2d(3, 5, 2, stride=2, padding=1)
    painter = Painter.of(layer, {"input": x, "values": True})
    chosen = painter.palette.index["chosen"]
    for step, frame in zip(convgif.trace(layer, painter.values), painter.frames(), strict=True):
        for out in step.outputs:
            cells = painter.layout.inputs[out.channel]
            marked = [(tap.row, tap.col) for tap in step.taps
                      if frame[cells.cell_box(tap.row, tap.col)[1],
                               cells.cell_box(tap.row, tap.col)[0]] == chosen]
            assert len(marked) == 1, (step.index, out.channel)
            assert painter.values is not None
            row, col = marked[0]
            assert painter.values.padded[out.channel, row, col] == step.value(out)
