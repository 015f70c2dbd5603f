"""The formula lines, exactly: a table of cases written out by hand.

Negative factors in parentheses, a negative term's sign as the operator, a tiny
number never shown as ``0`` or ``-0``, rounded terms said so, integer and
fractional averages, divisors with and without padding and
overridden, ``-inf`` padding in a maximum, the flipped kernel of a transposed
convolution, decimals as asked. Each case gives every form, longest first; the
HTML player's text, which shows the longest form that fits, shows the first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import convgif
from convgif.layers import WindowLayer
from convgif.layout.numbers import formula_forms, number_text
from convgif.trace import Step

HEAD = "output[0, 0, 0] = "
CASES: list[tuple[str, WindowLayer, dict[str, Any], int, tuple[int, int], list[str]]] = [
    ("negative factors and a fractional bias", convgif.Conv2d(1, 1, 2, 2),
     {"input": [[[1, -2], [3, 0.5]]], "weights": [[[[-1, 2], [1, -1]]]], "bias_values": [0.5]},
     2, (0, 0),
     [HEAD + "0.5 + (1*(-1) + (-2)*2 + 3*1 + 0.5*(-1)) = -2",
      HEAD + "0.5 + (-1 - 4 + 3 - 0.5) = -2",
      HEAD + "0.5 + (4 products: -2.5) = -2"]),
    ("a negative bias and two channels", convgif.Conv2d(2, 1, 1, 1),
     {"input": [[[2]], [[-3]]], "weights": [[[[-1]], [[2]]]], "bias_values": [-1]},
     2, (0, 0),
     [HEAD + "-1 + (2*(-1) + (-3)*2) = -9",
      HEAD + "-1 + (-2 - 6) = -9",
      HEAD + "-1 - 2 (ch 0) - 6 (ch 1) = -9",
      HEAD + "-1 + (2 products: -8) = -9"]),
    ("decimals as asked", convgif.Conv2d(1, 1, 1, 1, bias=False),
     {"input": [[[0.1234]]], "weights": [[[[2]]]]}, 3, (0, 0),
     # 0.123*2 is 0.246: the rounded factors do not give the result, and the line says so.
     [HEAD + "(0.123*2) = 0.247 (terms rounded)", HEAD + "(0.247) = 0.247",
      HEAD + "(1 products: 0.247) = 0.247"]),
    ("one decimal", convgif.Conv2d(1, 1, 1, 1, bias=False),
     {"input": [[[0.1234]]], "weights": [[[[2]]]]}, 1, (0, 0),
     [HEAD + "(0.1*2) = 0.2", HEAD + "(0.2) = 0.2", HEAD + "(1 products: 0.2) = 0.2"]),
    ("a tiny number is not zero", convgif.Conv2d(1, 1, 1, 1, bias=False),
     {"input": [[[-0.001]]], "weights": [[[[1]]]]}, 2, (0, 0),
     [HEAD + "((-0.001)*1) = -0.001", HEAD + "(-0.001) = -0.001",
      HEAD + "(1 products: -0.001) = -0.001"]),
    ("an average of integers is not an integer", convgif.AvgPool2d(3, 3),
     {"input": [[[1, 2, 2], [0, 0, 0], [0, 0, 0]]]}, 2, (0, 0),
     [HEAD + "(1 + 2 + 2 + 0 + 0 + 0 + 0 + 0 + 0) / 9 = 0.56",
      HEAD + "(9 values: 5) / 9 = 0.56"]),
    ("an integer average", convgif.AvgPool2d(2, 2),
     {"input": [[[1, -3], [6, 4]]]}, 2, (0, 0),
     [HEAD + "(1 - 3 + 6 + 4) / 4 = 2", HEAD + "(4 values: 8) / 4 = 2"]),
    ("padding not counted", convgif.AvgPool2d(3, 4, stride=2, padding=1,
                                              count_include_pad=False),
     {"input": [[[1, -2, 0, 0], [3, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]}, 2, (0, 0),
     [HEAD + "(0 + 0 + 0 + 0 + 1 - 2 + 0 + 3 + 1) / 4 = 0.75",
      HEAD + "(9 values: 3) / 4 = 0.75"]),
    ("padding counted", convgif.AvgPool2d(3, 4, stride=2, padding=1),
     {"input": [[[1, -2, 0, 0], [3, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]}, 2, (0, 0),
     [HEAD + "(0 + 0 + 0 + 0 + 1 - 2 + 0 + 3 + 1) / 9 = 0.33",
      HEAD + "(9 values: 3) / 9 = 0.33"]),
    ("a divisor override", convgif.AvgPool2d(2, 2, divisor_override=3),
     {"input": [[[1, 2], [3, 4]]]}, 2, (0, 0),
     [HEAD + "(1 + 2 + 3 + 4) / 3 = 3.33", HEAD + "(4 values: 10) / 3 = 3.33"]),
    ("-inf padding in a maximum", convgif.MaxPool2d(2, 2, stride=1, padding=1),
     {"input": [[[-1, 2], [0, -3]]]}, 2, (0, 0),
     [HEAD + "max(-inf, -inf, -inf, -1) = -1", HEAD + "max of 4 values = -1"]),
    ("a maximum past the first column", convgif.MaxPool2d(2, 2, stride=1, padding=1),
     {"input": [[[-1, 2], [0, -3]]]}, 2, (0, 1),
     ["output[0, 0, 1] = max(-inf, -inf, -1, 2) = 2", "output[0, 0, 1] = max of 4 values = 2"]),
    ("the transposed kernel flipped", convgif.ConvTranspose2d(1, 1, 2, 2, stride=2, bias=False),
     {"input": [[[1, 2], [3, 4]]], "weights": [[[[1, 2], [3, 4]]]]}, 2, (0, 0),
     [HEAD + "(0*4 + 0*3 + 0*2 + 1*1) = 1", HEAD + "(0 + 0 + 0 + 1) = 1",
      HEAD + "(4 products: 1) = 1"]),
    ("an inserted zero read", convgif.ConvTranspose2d(1, 1, 2, 2, stride=2, bias=False),
     {"input": [[[1, 2], [3, 4]]], "weights": [[[[1, 2], [3, 4]]]]}, 2, (0, 1),
     ["output[0, 0, 1] = (0*4 + 0*3 + 1*2 + 0*1) = 2", "output[0, 0, 1] = (0 + 0 + 2 + 0) = 2",
      "output[0, 0, 1] = (4 products: 2) = 2"]),
    # Seed 4 gives the input 2, 3, 3 (padded: 0, 2, 3, 3, 0).
    ("a Conv1d", convgif.Conv1d(1, 1, 3, 3, padding=1),
     {"seed": 4, "weights": [[[2, -1, 0.5]]], "bias_values": [-0.25]}, 2, (0, 0),
     [HEAD + "-0.25 + (0*2 + 2*(-1) + 3*0.5) = -0.75",
      HEAD + "-0.25 + (0 - 2 + 1.5) = -0.75", HEAD + "-0.25 + (3 products: -0.5) = -0.75"]),
]


def arrays(given: dict[str, Any]) -> dict[str, Any]:
    """The case's numbers as arrays (integers stay integers); a seed as it is."""
    return {name: value if name == "seed" else np.asarray(value)
            for name, value in given.items()}


def step_of(layer: WindowLayer, given: dict[str, Any], cell: tuple[int, int]) -> Step:
    values = convgif.values_for(layer, **arrays(given))
    return next(step for step in convgif.trace(layer, values)
                if (step.row, step.col) == cell)


@pytest.mark.parametrize(("name", "layer", "given", "decimals", "cell", "forms"), CASES,
                         ids=[case[0] for case in CASES])
def test_formula_forms(name: str, layer: WindowLayer, given: dict[str, Any], decimals: int,
                       cell: tuple[int, int], forms: list[str]) -> None:
    step = step_of(layer, given, cell)
    assert formula_forms(step, step.outputs[0], decimals) == forms


@pytest.mark.parametrize(("name", "layer", "given", "decimals", "cell", "forms"),
                         [CASES[0], CASES[7], CASES[10]], ids=[CASES[i][0] for i in (0, 7, 10)])
def test_the_player_shows_the_formula_as_text(name: str, layer: WindowLayer,
                                              given: dict[str, Any], decimals: int,
                                              cell: tuple[int, int], forms: list[str],
                                              tmp_path: Path) -> None:
    convgif.render(layer, tmp_path / "a.html", decimals=decimals, **arrays(given))
    page = (tmp_path / "a.html").read_text("utf-8")
    found = re.search(r'id="convgif-texts">(.*?)</script>', page, re.S)
    assert found is not None
    texts = json.loads(found.group(1))
    index = cell[0] * layer.output_size[1] + cell[1]
    assert texts[index][1] == forms[0]


@pytest.mark.parametrize(("value", "decimals", "integral", "text"), [
    (3.0, 2, True, "3"), (-2.0, 2, True, "-2"), (0.5, 2, False, "0.5"),
    (-1.25, 2, False, "-1.25"), (2 / 3, 2, False, "0.67"), (2 / 3, 4, False, "0.6667"),
    (1.0, 3, False, "1"), (-0.004, 2, False, "-0.004"), (-0.0025, 2, False, "-0.0025"),
    (1.5e-5, 2, False, "1.5e-5"), (-0.0, 2, False, "0"), (-0.0, 0, True, "0"),
    (1e30, 2, True, "1e30"), (-1234567.0, 2, False, "-1.23e6"),
    (float("-inf"), 2, False, "-inf"), (float("inf"), 2, True, "inf"),
    (float("nan"), 2, False, "nan"), (1234.5, 0, False, "1234"), (-7.0, 0, False, "-7"),
])
def test_number_text(value: float, decimals: int, integral: bool, text: str) -> None:
    assert number_text(value, decimals, integral) == text
