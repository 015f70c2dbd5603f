"""Every kind's ``nn.`` lines and captions, pinned against torch's own signatures and modules.

A line with every argument positional (in the order torch declares them) and one
with every argument by keyword (in any order) build the layer the same arguments
build by keyword, and the module torch builds from them; the printed line
(``torch_repr``) rebuilds the same layer, in convgif and in torch, across each
argument's default and the values next to it; every caption field shows its own
argument. The parameter order comes from :data:`kind_strategies.TORCH_PARAMETERS`,
compared with ``inspect.signature`` of the torch classes where torch is installed.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kind_strategies import (
    CLASSES,
    REQUIRED,
    TORCH_PARAMETERS,
    Drawn,
    kind_layers,
    pair,
    same_pads,
    torch_module,
)

import convgif
from convgif.layers import KINDS

HAS_TORCH = importlib.util.find_spec("torch") is not None


def from_line(line: str, drawn: Drawn) -> Any:
    """The layer ``--torch`` reads from ``line`` on the drawn input."""
    size = drawn.input_size[0] if drawn.name == "Conv1d" else drawn.input_size
    return convgif.layer_from_torch(line, size, in_channels=drawn.in_channels)


def from_module(module: Any, drawn: Drawn) -> Any:
    """The layer convgif reads from a live torch module on the drawn input."""
    size = drawn.input_size[0] if drawn.name == "Conv1d" else drawn.input_size
    return convgif.layer_from_torch(module, size, in_channels=drawn.in_channels)


def test_every_kind_has_its_torch_signature_written_down() -> None:
    assert set(TORCH_PARAMETERS) == {kind.torch_name for kind in KINDS.values()} == set(CLASSES)


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
@pytest.mark.parametrize("name", sorted(TORCH_PARAMETERS))
def test_the_written_signatures_are_torchs(name: str) -> None:
    import torch

    declared = [(p.name, REQUIRED if p.default is inspect.Parameter.empty else p.default)
                for p in inspect.signature(getattr(torch.nn, name)).parameters.values()
                if p.name not in ("device", "dtype")]
    assert declared == list(TORCH_PARAMETERS[name])


@settings(max_examples=80, deadline=None)
@given(drawn=kind_layers(), data=st.data())
def test_positional_and_keyword_lines_build_the_layer(drawn: Drawn, data: st.DataObject
                                                      ) -> None:
    names = [name for name, _ in TORCH_PARAMETERS[drawn.name]]
    values = [drawn.arguments[name] for name in names]
    positional = f"nn.{drawn.name}({', '.join(repr(v) for v in values)})"
    shuffled = data.draw(st.permutations(names))
    keyword = (f"torch.nn.{drawn.name}("
               + ", ".join(f"{name}={drawn.arguments[name]!r}" for name in shuffled) + ")")
    assert from_line(positional, drawn) == drawn.layer, positional
    assert from_line(keyword, drawn) == drawn.layer, keyword
    if HAS_TORCH:
        import torch

        module = getattr(torch.nn, drawn.name)(*values)
        assert from_module(module, drawn) == drawn.layer, positional


def torch_call(line: str) -> tuple[str, list[Any], dict[str, Any]]:
    """The class name, positional and keyword arguments of a printed ``nn.X(...)`` line,
    read with :mod:`ast` (not with convgif's reader)."""
    call = ast.parse(line, mode="eval").body
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
    assert ast.unparse(call.func.value) == "nn"
    return (call.func.attr, [ast.literal_eval(a) for a in call.args],
            {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg is not None})


@settings(max_examples=120, deadline=None)
@given(drawn=kind_layers())
def test_the_printed_line_rebuilds_the_same_layer(drawn: Drawn) -> None:
    line = drawn.layer.torch_repr()
    name, args, kwargs = torch_call(line)
    assert name == drawn.name
    assert from_line(line, drawn) == drawn.layer, line
    if HAS_TORCH:
        import torch

        module = getattr(torch.nn, name)(*args, **kwargs)
        assert from_module(module, drawn) == drawn.layer, line


def expected_caption(drawn: Drawn) -> list[tuple[str, str]]:
    """The caption fields of the drawn arguments, worked out here from torch's rules."""
    a, layer = drawn.arguments, drawn.layer
    shapes = [("Input Shape", str(drawn.input_shape)), ("Output Shape", str(layer.output_shape))]
    if drawn.name == "Conv1d":
        if a["padding"] == "same":
            before, after = same_pads(a["kernel_size"], a["dilation"])
        else:
            before = after = 0 if a["padding"] == "valid" else a["padding"]
        pad = str(before) if before == after else f"({before}, {after})"
        return [*shapes, ("K", str(a["kernel_size"])), ("P", pad), ("S", str(a["stride"])),
                ("D", str(a["dilation"])), ("G", str(a["groups"]))]
    if drawn.name == "Conv2d":
        if a["padding"] == "same":
            (top, bottom), (left, right) = (same_pads(k, d) for k, d in zip(
                pair(a["kernel_size"]), pair(a["dilation"]), strict=True))
        else:
            top, left = (0, 0) if a["padding"] == "valid" else pair(a["padding"])
            bottom, right = top, left
        pad = f"({top}, {left})" if (top, left) == (bottom, right) else (
            f"(({top}, {bottom}), ({left}, {right}))")
        return [*shapes, ("K", str(pair(a["kernel_size"]))), ("P", pad),
                ("S", str(pair(a["stride"]))), ("D", str(pair(a["dilation"]))),
                ("G", str(a["groups"]))]
    if drawn.name == "ConvTranspose2d":
        return [*shapes, *((label, str(pair(a[name]))) for label, name in (
            ("K", "kernel_size"), ("P", "padding"), ("OP", "output_padding"),
            ("S", "stride"), ("D", "dilation"))), ("G", str(a["groups"]))]
    stride = a["kernel_size"] if a["stride"] is None else a["stride"]
    window = [*shapes, ("K", str(pair(a["kernel_size"]))), ("P", str(pair(a["padding"]))),
              ("S", str(pair(stride)))]
    ceil = [("ceil_mode", "True")] if a["ceil_mode"] else []
    if drawn.name == "MaxPool2d":
        return [*window, ("D", str(pair(a["dilation"]))), *ceil,
                *([("return_indices", "True")] if a["return_indices"] else [])]
    return [*window, *ceil,
            *([("count_include_pad", "False")] if not a["count_include_pad"] else []),
            *([("divisor_override", str(a["divisor_override"]))]
              if a["divisor_override"] is not None else [])]


@settings(max_examples=120, deadline=None)
@given(drawn=kind_layers())
def test_every_caption_field_shows_its_own_argument(drawn: Drawn) -> None:
    expected = expected_caption(drawn)
    assert drawn.layer.caption_fields() == expected
    assert drawn.layer.caption == " - ".join(f"{k} : {v}" for k, v in expected)
    if HAS_TORCH:  # the attributes torch keeps say the same
        module = torch_module(drawn)
        shown = dict(expected)
        for label, name in (("K", "kernel_size"), ("S", "stride"), ("D", "dilation"),
                            ("OP", "output_padding")):
            if label in shown and hasattr(module, name):
                value = getattr(module, name)
                assert shown[label] == str(value[0] if drawn.name == "Conv1d" else pair(value))
        if hasattr(module, "groups"):
            assert shown["G"] == str(module.groups)


@pytest.mark.parametrize(("layer", "line"), [
    (convgif.MaxPool2d(3, 6, stride=1), "nn.MaxPool2d(3, stride=1)"),
    (convgif.MaxPool2d(3, 6, stride=3), "nn.MaxPool2d(3)"),
    (convgif.AvgPool2d(2, 5, count_include_pad=False, divisor_override=1),
     "nn.AvgPool2d(2, count_include_pad=False, divisor_override=1)"),
    (convgif.Conv1d(2, 4, 4, 9, padding="same", padding_mode="reflect"),
     "nn.Conv1d(2, 4, kernel_size=4, padding='same', padding_mode='reflect')"),
    (convgif.Conv2d(1, 1, (4, 3), 6, padding="valid", bias=False),
     "nn.Conv2d(1, 1, kernel_size=(4, 3), padding='valid', bias=False)"),
    (convgif.ConvTranspose2d(2, 2, 3, 3, stride=(2, 1), output_padding=(1, 0), dilation=2,
                             groups=2),
     "nn.ConvTranspose2d(2, 2, kernel_size=3, stride=(2, 1), output_padding=(1, 0), "
     "groups=2, dilation=2)"),
])
def test_printed_lines(layer: Any, line: str) -> None:
    assert layer.torch_repr() == line


@settings(max_examples=80, deadline=None)
@given(drawn=kind_layers())
def test_counts_are_the_weights_and_the_positions_they_meet(drawn: Drawn) -> None:
    layer = drawn.layer
    positions = math.prod(layer.output_shape[1:])
    if isinstance(layer, convgif.ConvTranspose2d):
        # Every weight meets every input cell of its input channel once (col2im).
        assert layer.macs == layer.n_weights * math.prod(drawn.input_size)
    elif layer.weight_shape is None:  # pooling reads each window's taps, channel by channel
        window = math.prod(pair(drawn.arguments["kernel_size"]))
        assert layer.macs == drawn.input_shape[0] * positions * window
    else:  # every weight meets one input cell per output position
        assert layer.macs == layer.n_weights * positions
    if HAS_TORCH:
        module = torch_module(drawn)
        weight = getattr(module, "weight", None)
        assert layer.weight_shape == (None if weight is None else tuple(weight.shape))
        assert layer.n_params == sum(p.numel() for p in module.parameters())
