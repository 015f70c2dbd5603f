"""ConvSpec: shapes of the article's layers, derived numbers, texts, and the trace."""

from __future__ import annotations

import json
import math
import re
import warnings
from typing import Any

import numpy as np
import pytest
from conv_strategies import layer_args
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import naive_conv2d, naive_pad, resolve_padding

from convgif import ConvSpec, trace

# The article's GIFs: (C_in, H, W), C_out, K, P, S, D, G, and the output shape. The
# article prints (2, 3, 9) for K=(5, 2); the formula (and PyTorch) give (2, 3, 8).
ARTICLE = [
    ((1, 9, 9), 1, 3, 0, 1, 1, 1, (1, 7, 7)),
    ((1, 7, 7), 4, 3, 0, 1, 1, 1, (4, 5, 5)),
    ((3, 7, 7), 4, 3, 0, 1, 1, 1, (4, 5, 5)),
    ((3, 7, 9), 2, (5, 2), 0, 1, 1, 1, (2, 3, 8)),
    ((3, 7, 9), 2, (5, 1), 0, 1, 1, 1, (2, 3, 9)),
    ((3, 9, 9), 2, 3, 0, (1, 3), 1, 1, (2, 7, 3)),
    ((2, 7, 7), 1, 3, 1, 1, 1, 1, (1, 7, 7)),
    ((2, 7, 7), 1, 3, 1, 1, (4, 2), 1, (1, 1, 5)),
    ((2, 9, 9), 1, 3, 2, 1, (4, 2), 1, (1, 5, 9)),
    ((2, 7, 7), 4, 3, 2, 2, 1, 2, (4, 5, 5)),
    ((3, 7, 7), 2, 3, 1, 2, 2, 1, (2, 3, 3)),
    ((3, 7, 7), 2, 3, 1, 1, 1, 1, (2, 7, 7)),
]


def article_spec(row: tuple[Any, ...]) -> ConvSpec:
    """The ConvSpec of one ARTICLE row."""
    (c, h, w), out, k, p, s, d, g, _ = row
    return ConvSpec(in_channels=c, out_channels=out, kernel_size=k, input_size=(h, w),
                    stride=s, padding=p, dilation=d, groups=g)


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """(v, v) for an int, else the pair itself."""
    return (value, value) if isinstance(value, int) else value


@pytest.mark.parametrize("row", ARTICLE, ids=lambda row: f"{row[0]}->{row[-1]}")
def test_article_output_shapes(row: tuple[Any, ...]) -> None:
    """Each article layer has the output shape of the documented formula."""
    (_, h, w), out, k, p, s, d, _, expected = row
    size = []
    for n, kk, pp, ss, dd in zip((h, w), pair(k), pair(p), pair(s), pair(d), strict=True):
        size.append(math.floor((n + 2 * pp - dd * (kk - 1) - 1) / ss) + 1)
    assert expected == (out, *size)
    assert article_spec(row).output_shape == expected


@pytest.mark.parametrize("row", ARTICLE, ids=lambda row: f"{row[0]}->{row[-1]}")
def test_article_output_shapes_in_torch(row: tuple[Any, ...]) -> None:
    """PyTorch agrees with each article layer's output shape."""
    torch = pytest.importorskip("torch")
    spec = article_spec(row)
    layer = eval(spec.torch_repr(), {"nn": torch.nn})
    assert tuple(layer(torch.zeros(spec.input_shape)).shape) == row[-1]


def test_headline_caption_and_slug() -> None:
    """The article's headline layer: its caption line and file stem, exactly."""
    spec = article_spec(ARTICLE[10])
    assert spec.caption == (
        "Input Shape : (3, 7, 7) - Output Shape : (2, 3, 3) - K : (3, 3) - P : (1, 1) - "
        "S : (2, 2) - D : (2, 2) - G : 1"
    )
    assert spec.slug == "in3x7x7_out2x3x3_k3_p1_s2_d2_g1"


CAPTION = re.compile(
    r"Input Shape : \((\d+), (\d+), (\d+)\) - Output Shape : \((\d+), (\d+), (\d+)\) - "
    r"K : \((\d+), (\d+)\) - P : (?:\((\d+), (\d+)\)|\(\((\d+), (\d+)\), \((\d+), (\d+)\)\)) - "
    r"S : \((\d+), (\d+)\) - D : \((\d+), (\d+)\) - G : (\d+)"
)


@settings(max_examples=200, deadline=None)
@given(args=layer_args())
def test_caption_format(args: dict[str, Any]) -> None:
    """The caption has the article's format and states the layer's numbers."""
    spec = ConvSpec(**args)
    match = CAPTION.fullmatch(spec.caption)
    assert match, spec.caption
    numbers = [int(v) if v else None for v in match.groups()]
    assert tuple(numbers[0:3]) == spec.input_shape
    assert tuple(numbers[3:6]) == spec.output_shape
    assert tuple(numbers[6:8]) == spec.kernel_size
    top, bottom, left, right = resolve_padding(args["padding"], spec.kernel_size, spec.dilation)
    if numbers[8] is not None:  # short form "(top, left)" only when symmetric
        assert (numbers[8], numbers[9]) == (top, left) == (bottom, right)
    else:
        assert tuple(numbers[10:14]) == (top, bottom, left, right)
        assert (top, left) != (bottom, right)
    assert tuple(numbers[14:16]) == pair(args["stride"])
    assert tuple(numbers[16:18]) == pair(args["dilation"])
    assert numbers[18] == args["groups"]


@settings(max_examples=200, deadline=None)
@given(first=layer_args(), second=layer_args())
def test_slug_is_portable_and_distinct(first: dict[str, Any], second: dict[str, Any]) -> None:
    """Slugs use only [a-z0-9._-]; different layers get different slugs."""
    a, b = ConvSpec(**first), ConvSpec(**second)
    assert re.fullmatch(r"[a-z0-9._-]+", a.slug)
    assert (a.slug == b.slug) == (a == b)


@settings(max_examples=200, deadline=None)
@given(args=layer_args())
def test_counts(args: dict[str, Any]) -> None:
    """n_params, macs and n_steps follow from the shapes (and from the trace)."""
    spec = ConvSpec(**args)
    out, oh, ow = spec.output_shape
    kh, kw = pair(args["kernel_size"])
    per_group = args["in_channels"] // args["groups"]
    assert spec.n_params == out * per_group * kh * kw + (out if args["bias"] else 0)
    steps = list(trace(spec))
    assert spec.n_steps == len(steps) == out // args["groups"] * oh * ow
    assert spec.macs == sum(len(step.taps) for step in steps) * args["groups"] * per_group
    assert spec.macs == out * oh * ow * per_group * kh * kw


@settings(max_examples=100, deadline=None)
@given(args=layer_args())
def test_torch_repr_builds_the_same_layer(args: dict[str, Any]) -> None:
    """torch_repr() evaluates to an equivalent nn.Conv2d (same parameters and output)."""
    torch = pytest.importorskip("torch")
    spec = ConvSpec(**args)
    layer = eval(spec.torch_repr(), {"nn": torch.nn})
    reference = torch.nn.Conv2d(args["in_channels"], args["out_channels"], args["kernel_size"],
                                stride=args["stride"], padding=args["padding"],
                                dilation=args["dilation"], groups=args["groups"],
                                bias=args["bias"], padding_mode=args["padding_mode"])
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                 "groups", "padding_mode"):
        assert getattr(layer, name) == getattr(reference, name), name
    assert (layer.bias is None) == (reference.bias is None)
    assert sum(p.numel() for p in layer.parameters()) == spec.n_params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shape = layer(torch.zeros(spec.input_shape)).shape
    assert tuple(shape) == spec.output_shape


@settings(max_examples=100, deadline=None)
@given(args=layer_args(), seed=st.integers(0, 2**32 - 1))
def test_trace_reproduces_the_convolution(args: dict[str, Any], seed: int) -> None:
    """Summing weight * padded input over each step's taps gives the layer's output.

    Also: steps come in order (channel in group, row, column), each group's output
    channel is ``g * C_out/G + j``, and a tap is flagged as padding exactly when it
    reads outside the input.
    """
    spec = ConvSpec(**args)
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 2, spec.input_shape)  # never zero, so padding cells are the zeros
    w = rng.standard_normal(spec.weight_shape)
    b = rng.standard_normal(spec.out_channels)
    kwargs = {k: args[k] for k in ("stride", "padding", "dilation", "groups", "padding_mode")}
    expected = naive_conv2d(x, w, b, **kwargs)
    pads = resolve_padding(args["padding"], spec.kernel_size, spec.dilation)
    padded = naive_pad(x, pads, args["padding_mode"])
    zero_padded = naive_pad(x, pads, "zeros")
    og, cg = spec.out_channels // spec.groups, spec.in_channels // spec.groups
    order = [(j, r, c) for j in range(og) for r in range(spec.output_shape[1])
             for c in range(spec.output_shape[2])]
    steps = list(trace(spec))
    assert [(s.channel_in_group, s.row, s.col) for s in steps] == order
    assert [s.index for s in steps] == list(range(len(order)))
    for step in steps:
        assert [(t.ky, t.kx) for t in step.taps] == [
            (ky, kx) for ky in range(spec.kernel_size[0]) for kx in range(spec.kernel_size[1])]
        for tap in step.taps:
            assert tap.padding == (zero_padded[0, tap.row, tap.col] == 0)
        rows = [t.row for t in step.taps]
        cols = [t.col for t in step.taps]
        assert step.window[:2] == (min(rows), min(cols))
        assert step.window[2:] == (max(rows) + 1, max(cols) + 1)
        assert [o.group for o in step.outputs] == list(range(spec.groups))
        for out in step.outputs:
            assert (out.channel, out.row, out.col) == (
                out.group * og + step.channel_in_group, step.row, step.col)
            inputs = range(out.group * cg, (out.group + 1) * cg)
            total = b[out.channel] + sum(
                padded[c, t.row, t.col] * w[out.channel, c - inputs.start, t.ky, t.kx]
                for t in step.taps for c in inputs)
            assert total == pytest.approx(expected[out.channel, out.row, out.col], abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(args=layer_args())
def test_trace_and_summary_are_json(args: dict[str, Any]) -> None:
    """Steps and the summary survive a JSON round trip unchanged."""
    spec = ConvSpec(**args)
    summary = spec.summary()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["output_shape"] == list(spec.output_shape)
    for step in trace(spec):
        data = step.to_dict()
        assert json.loads(json.dumps(data)) == as_lists(data)
        assert data["index"] == step.index
        assert [tap["padding"] for tap in data["taps"]] == [tap.padding for tap in step.taps]


def as_lists(value: Any) -> Any:
    """``value`` with every tuple turned into a list, as JSON gives it back."""
    if isinstance(value, dict):
        return {key: as_lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_lists(item) for item in value]
    return value


def test_formula_text() -> None:
    """formula() fills in the documented output-size formula for each axis."""
    spec = article_spec(ARTICLE[8])
    assert spec.formula(0) == "H_out = floor((9 + 2*2 - 4*(3-1) - 1) / 1) + 1 = 5"
    assert spec.formula(1) == "W_out = floor((9 + 2*2 - 2*(3-1) - 1) / 1) + 1 = 9"
    same = ConvSpec(in_channels=1, out_channels=1, kernel_size=4, input_size=5, padding="same")
    assert same.formula(1) == "W_out = floor((5 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 5"
