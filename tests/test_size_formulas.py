"""Every printed output-size formula is arithmetic that equals the size it claims.

For random layers of every kind, each formula of ``convgif shape`` is evaluated
(exactly, with fractions): its arithmetic gives the number after its last ``=``
(one more when it says the last window is dropped), which is the layer's output
size along that axis, which is torch's where torch is installed. A table pins
the exact text of each kind's formula.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from kind_strategies import Drawn, kind_layers, torch_module

import convgif
from convgif.layers import WindowLayer

HAS_TORCH = importlib.util.find_spec("torch") is not None
DROPPED = " (the last window would start in the padding: dropped)"
FORMULA = re.compile(r"(?P<name>[HWL]_out) = (?P<arithmetic>[^=]+) = (?P<claim>\d+)"
                     rf"(?P<dropped>{re.escape(DROPPED)})?")


OPERATIONS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def evaluate(text: str) -> Fraction:
    """The value of a formula's arithmetic: integers, + - * /, parentheses, floor and ceil."""
    def value(node: ast.expr) -> Fraction:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return Fraction(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, OPERATIONS):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Div):
                return left / right
            return {ast.Add: left + right, ast.Sub: left - right,
                    ast.Mult: left * right}[type(node.op)]
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("floor", "ceil") and len(node.args) == 1):
            rounding = math.floor if node.func.id == "floor" else math.ceil
            return Fraction(rounding(value(node.args[0])))
        raise AssertionError(f"not formula arithmetic: {ast.unparse(node)!r} in {text!r}")

    return value(ast.parse(text, mode="eval").body)


def check(formula: str, name: str, size: int) -> None:
    """``formula`` names ``name``, claims ``size`` and its arithmetic gives it."""
    match = FORMULA.fullmatch(formula)
    assert match is not None, formula
    assert match["name"] == name and int(match["claim"]) == size, (formula, name, size)
    dropped = 1 if match["dropped"] else 0
    assert evaluate(match["arithmetic"]) == size + dropped, formula


def names(layer: WindowLayer) -> list[str]:
    return ["L_out"] if isinstance(layer, convgif.Conv1d) else ["H_out", "W_out"]


@settings(max_examples=150, deadline=None)
@given(drawn=kind_layers())
def test_every_formula_evaluates_to_the_output_size(drawn: Drawn) -> None:
    layer = drawn.layer
    sizes = layer.output_shape[1:]
    formulas = layer.formulas()
    assert len(formulas) == len(sizes)
    for formula, name, size in zip(formulas, names(layer), sizes, strict=True):
        check(formula, name, size)
    assert layer.summary()["formulas"] == formulas
    assert [line.strip() for line in layer.describe().splitlines()[2:2 + len(formulas)]] \
        == formulas
    if HAS_TORCH:
        import torch

        with torch.no_grad():
            out = torch_module(drawn)(torch.zeros((1, *drawn.input_shape)))
        if isinstance(out, tuple):  # return_indices=True: (values, indices)
            out = out[0]
        assert tuple(out.shape[1:]) == layer.output_shape


@pytest.mark.parametrize(("layer", "formulas"), [
    (convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2),
     ["H_out = floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 3",
      "W_out = floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 3"]),
    # 'same' with an even kernel: one row more at the bottom, one column more at the right.
    (convgif.Conv2d(1, 1, (4, 2), (6, 5), padding="same"),
     ["H_out = floor((6 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 6",
      "W_out = floor((5 + 0 + 1 - 1*(2-1) - 1) / 1) + 1 = 5"]),
    (convgif.ConvTranspose2d(2, 1, 3, (3, 2), stride=2, padding=1, output_padding=(1, 0)),
     ["H_out = (3-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 6",
      "W_out = (2-1)*2 - 2*1 + 1*(3-1) + 0 + 1 = 3"]),
    (convgif.MaxPool2d(3, 6, stride=2, padding=1, ceil_mode=True),
     ["H_out = ceil((6 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 4",
      "W_out = ceil((6 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 4"]),
    (convgif.MaxPool2d(2, (5, 4), stride=2, padding=1, ceil_mode=True),
     [f"H_out = ceil((5 + 2*1 - 1*(2-1) - 1) / 2) + 1 = 3{DROPPED}",
      "W_out = ceil((4 + 2*1 - 1*(2-1) - 1) / 2) + 1 = 3"]),
    (convgif.AvgPool2d((3, 2), 5, stride=(2, 1), padding=(1, 0)),
     ["H_out = floor((5 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 3",
      "W_out = floor((5 + 2*0 - 1*(2-1) - 1) / 1) + 1 = 4"]),
    (convgif.Conv1d(1, 2, 4, 9, padding="same", dilation=1),
     ["L_out = floor((9 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 9"]),
    (convgif.Conv1d(2, 2, 3, 12, stride=2, padding=1, dilation=2),
     ["L_out = floor((12 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 5"]),
])
def test_formula_text(layer: WindowLayer, formulas: list[str]) -> None:
    assert layer.formulas() == formulas
    for formula, name, size in zip(formulas, names(layer), layer.output_shape[1:], strict=True):
        check(formula, name, size)


def test_the_evaluator_refuses_what_is_not_formula_arithmetic() -> None:
    assert evaluate("floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1") == 3
    assert evaluate("ceil(5 / 2) + 1") == 4
    for text in ("2**3", "int(3)", "x + 1", "1.5"):
        with pytest.raises(AssertionError):
            evaluate(text)
    assert np.isclose(float(evaluate("(3-1)*2 - 2*1 + 1*(3-1) + 1 + 1")), 6)
