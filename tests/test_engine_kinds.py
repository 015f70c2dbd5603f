"""conv_transpose2d, max_pool2d, avg_pool2d and conv1d against naive references, live
PyTorch (where installed) and golden numbers from PyTorch (everywhere).

Hypothesis draws shapes, strides, paddings, dilations, groups, output_padding,
ceil_mode, count_include_pad, divisor_override, batches and dtypes; the layer
kinds refuse exactly what PyTorch refuses, in both directions.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kinds_reference import (
    naive_avg_pool2d,
    naive_conv1d,
    naive_conv_transpose2d,
    naive_max_pool2d,
)

import convgif
from convgif.layers import SpecError

GOLDEN = Path(__file__).parent / "fixtures" / "golden_kinds.npz"
TOLERANCE = {np.dtype(np.float32): 2e-5, np.dtype(np.float64): 1e-12}


def torch_or_skip() -> Any:
    return pytest.importorskip("torch")


# -- strategies -------------------------------------------------------------------------------

small = st.integers(1, 3)


@st.composite
def transposed_args(draw: st.DrawFn) -> dict[str, Any]:
    groups = draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = (draw(small), draw(small)), (draw(small), draw(small))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1))
                           for s, d in zip(stride, dilation, strict=True))
    return dict(batch=draw(st.integers(1, 2)), c_in=groups * draw(st.integers(1, 2)),
                per_out=draw(st.integers(1, 2)), groups=groups, kernel=kernel,
                size=(draw(st.integers(1, 4)), draw(st.integers(1, 4))), stride=stride,
                padding=(draw(st.integers(0, 2)), draw(st.integers(0, 2))),
                output_padding=output_padding, dilation=dilation,
                bias=draw(st.booleans()))


@st.composite
def pool_args(draw: st.DrawFn) -> dict[str, Any]:
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return dict(batch=draw(st.integers(1, 2)), channels=draw(small),
                size=(draw(st.integers(1, 6)), draw(st.integers(1, 6))), kernel=kernel,
                stride=draw(st.none() | st.tuples(small, small)),
                padding=tuple(draw(st.integers(0, k // 2)) for k in kernel),
                dilation=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
                ceil=draw(st.booleans()), include=draw(st.booleans()),
                divisor=draw(st.none() | st.integers(1, 9)))


@st.composite
def conv1d_args(draw: st.DrawFn) -> dict[str, Any]:
    groups = draw(st.integers(1, 2))
    return dict(batch=draw(st.integers(1, 2)), c_in=groups * draw(small),
                c_out=groups * draw(small), groups=groups, kernel=draw(st.integers(1, 4)),
                size=draw(st.integers(1, 9)), stride=draw(small), dilation=draw(small),
                padding=draw(st.integers(0, 3) | st.sampled_from(["same", "valid"])),
                mode=draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
                bias=draw(st.booleans()))


def rng_arrays(seed: int, dtype: type, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape).astype(dtype) for shape in shapes]


def close(actual: np.ndarray, expected: np.ndarray, dtype: type) -> None:
    scale = 1 + np.abs(expected).max(initial=0)
    np.testing.assert_allclose(actual, expected, rtol=0,
                               atol=TOLERANCE[np.dtype(dtype)] * 50 * scale)


# -- against the naive references -------------------------------------------------------------


def run_transposed(a: dict[str, Any], dtype: type) -> tuple[list[np.ndarray], np.ndarray]:
    x, w, b = rng_arrays(a["batch"] + a["c_in"], dtype,
                         (a["batch"], a["c_in"], *a["size"]),
                         (a["c_in"], a["per_out"], *a["kernel"]),
                         (a["per_out"] * a["groups"],))
    bias = b if a["bias"] else None
    out = convgif.conv_transpose2d(x, w, bias, a["stride"], a["padding"], a["output_padding"],
                                   a["groups"], a["dilation"])
    return [x, w, bias], out  # type: ignore[list-item]


@settings(max_examples=40, deadline=None)
@given(args=transposed_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_conv_transpose2d_matches_naive(args: dict[str, Any], dtype: type) -> None:
    try:
        (x, w, b), out = run_transposed(args, dtype)
    except SpecError:
        return  # an output smaller than one cell: refused (the refusal test checks torch)
    expected = naive_conv_transpose2d(x.astype(float), w.astype(float),
                                      None if b is None else b.astype(float), args["stride"],
                                      args["padding"], args["output_padding"], args["groups"],
                                      args["dilation"])
    assert out.dtype == dtype and out.shape == expected.shape
    close(out, expected, dtype)


def run_pools(a: dict[str, Any], dtype: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    (x,) = rng_arrays(a["channels"], dtype, (a["batch"], a["channels"], *a["size"]))
    top = convgif.max_pool2d(x, a["kernel"], a["stride"], a["padding"], a["dilation"],
                             a["ceil"])
    mean = convgif.avg_pool2d(x, a["kernel"], a["stride"], a["padding"], a["ceil"],
                              a["include"], a["divisor"])
    return x, top, mean


@settings(max_examples=60, deadline=None)
@given(args=pool_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_pooling_matches_naive(args: dict[str, Any], dtype: type) -> None:
    try:
        x, top, mean = run_pools(args, dtype)
    except SpecError:
        return
    expected_top = naive_max_pool2d(x.astype(float), args["kernel"], args["stride"],
                                    args["padding"], args["dilation"], args["ceil"])
    expected_mean = naive_avg_pool2d(x.astype(float), args["kernel"], args["stride"],
                                     args["padding"], args["ceil"], args["include"],
                                     args["divisor"])
    assert top.dtype == mean.dtype == dtype
    np.testing.assert_array_equal(top, expected_top.astype(dtype))  # max picks, exactly
    assert mean.shape[:2] == expected_mean.shape[:2]
    close(mean, expected_mean, dtype)


def run_conv1d(a: dict[str, Any], dtype: type) -> tuple[list[np.ndarray], np.ndarray]:
    x, w, b = rng_arrays(a["size"], dtype, (a["batch"], a["c_in"], a["size"]),
                         (a["c_out"], a["c_in"] // a["groups"], a["kernel"]), (a["c_out"],))
    bias = b if a["bias"] else None
    out = convgif.conv1d(x, w, bias, a["stride"], a["padding"], a["dilation"], a["groups"],
                         a["mode"])
    return [x, w, bias], out  # type: ignore[list-item]


@settings(max_examples=40, deadline=None)
@given(args=conv1d_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_conv1d_matches_naive(args: dict[str, Any], dtype: type) -> None:
    try:
        (x, w, b), out = run_conv1d(args, dtype)
    except SpecError:
        return
    expected = naive_conv1d(x, w, b, args["stride"], args["padding"], args["dilation"],
                            args["groups"], args["mode"])
    assert out.dtype == dtype and out.shape == expected.shape
    close(out, expected, dtype)


def test_unbatched_inputs_keep_their_dimensions() -> None:
    x = np.arange(2 * 5 * 5, dtype=np.float64).reshape(2, 5, 5)
    assert convgif.max_pool2d(x, 2).shape == (2, 2, 2)
    assert convgif.avg_pool2d(x, 3, 1, 1).shape == (2, 5, 5)
    assert convgif.conv_transpose2d(x, np.ones((2, 1, 3, 3)), stride=2).shape == (1, 11, 11)
    assert convgif.conv1d(x[0], np.ones((3, 5, 2))).shape == (3, 4)


# -- against live torch -----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(args=transposed_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_conv_transpose2d_matches_torch(args: dict[str, Any], dtype: type) -> None:
    torch = torch_or_skip()
    try:
        (x, w, b), out = run_transposed(args, dtype)
    except SpecError:
        return
    expected = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(w), None if b is None else torch.from_numpy(b),
        args["stride"], args["padding"], args["output_padding"], args["groups"],
        args["dilation"]).numpy()
    close(out, expected, dtype)


@settings(max_examples=40, deadline=None)
@given(args=pool_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_pooling_matches_torch(args: dict[str, Any], dtype: type) -> None:
    torch = torch_or_skip()
    try:
        x, top, mean = run_pools(args, dtype)
    except SpecError:
        return
    t = torch.from_numpy(x)
    functional = torch.nn.functional
    np.testing.assert_array_equal(top, functional.max_pool2d(
        t, args["kernel"], args["stride"], args["padding"], args["dilation"],
        args["ceil"]).numpy())
    close(mean, functional.avg_pool2d(t, args["kernel"], args["stride"], args["padding"],
                                      args["ceil"], args["include"], args["divisor"]).numpy(),
          dtype)


@settings(max_examples=30, deadline=None)
@given(args=conv1d_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_conv1d_matches_torch(args: dict[str, Any], dtype: type) -> None:
    torch = torch_or_skip()
    try:
        (x, w, b), out = run_conv1d(args, dtype)
    except SpecError:
        return
    layer = torch.nn.Conv1d(args["c_in"], args["c_out"], args["kernel"], args["stride"],
                            args["padding"], args["dilation"], args["groups"], b is not None,
                            args["mode"], dtype=getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        if b is not None:
            layer.bias.copy_(torch.from_numpy(b))
        close(out, layer(torch.from_numpy(x)).numpy(), dtype)


# -- refusals: exactly what torch refuses -----------------------------------------------------


def torch_raises(call: Any) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except (RuntimeError, ValueError):
        return True
    return False


def convgif_raises(call: Any) -> bool:
    try:
        call()
    except SpecError:
        return True
    return False


@settings(max_examples=120, deadline=None)
@given(c_in=st.integers(1, 4), per_out=st.integers(1, 2), groups=st.integers(1, 3),
       kernel=st.integers(1, 4), size=st.integers(1, 4), stride=st.integers(1, 3),
       padding=st.integers(0, 4), output_padding=st.integers(0, 3), dilation=st.integers(1, 3))
def test_conv_transpose2d_refuses_what_torch_refuses(
        c_in: int, per_out: int, groups: int, kernel: int, size: int, stride: int,
        padding: int, output_padding: int, dilation: int) -> None:
    torch = torch_or_skip()
    x = np.ones((1, c_in, size, size))
    w = np.ones((c_in, per_out, kernel, kernel))
    ours = convgif_raises(lambda: convgif.conv_transpose2d(
        x, w, None, stride, padding, output_padding, groups, dilation))
    theirs = torch_raises(lambda: torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(w), None, stride, padding, output_padding,
        groups, dilation))
    assert ours == theirs


@settings(max_examples=150, deadline=None)
@given(size=st.tuples(st.integers(1, 6), st.integers(1, 6)), kernel=st.integers(1, 4),
       stride=st.none() | st.integers(1, 3), padding=st.integers(0, 3),
       dilation=st.integers(1, 3), ceil=st.booleans(), include=st.booleans(),
       divisor=st.none() | st.integers(-2, 3))
def test_pooling_refuses_what_torch_refuses(size: tuple[int, int], kernel: int,
                                            stride: int | None, padding: int, dilation: int,
                                            ceil: bool, include: bool,
                                            divisor: int | None) -> None:
    torch = torch_or_skip()
    x = np.ones((1, 2, *size))
    t = torch.from_numpy(x)
    functional = torch.nn.functional
    assert convgif_raises(lambda: convgif.max_pool2d(x, kernel, stride, padding, dilation,
                                                     ceil)) == torch_raises(
        lambda: functional.max_pool2d(t, kernel, stride, padding, dilation, ceil))
    assert convgif_raises(lambda: convgif.avg_pool2d(x, kernel, stride, padding, ceil,
                                                     include, divisor)) == torch_raises(
        lambda: functional.avg_pool2d(t, kernel, stride, padding, ceil, include, divisor))


@settings(max_examples=120, deadline=None)
@given(c_in=st.integers(1, 4), c_out=st.integers(1, 4), groups=st.integers(1, 3),
       kernel=st.integers(1, 5), size=st.integers(1, 5), stride=st.integers(1, 3),
       padding=st.integers(0, 5) | st.sampled_from(["same", "valid"]),
       dilation=st.integers(1, 3),
       mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]))
def test_conv1d_refuses_what_torch_refuses(c_in: int, c_out: int, groups: int, kernel: int,
                                           size: int, stride: int, padding: int | str,
                                           dilation: int, mode: str) -> None:
    torch = torch_or_skip()

    def theirs() -> None:
        layer = torch.nn.Conv1d(c_in, c_out, kernel, stride, padding, dilation, groups,
                                padding_mode=mode)
        layer(torch.ones(1, c_in, size))

    assert convgif_raises(lambda: convgif.Conv1d(c_in, c_out, kernel, size, stride, padding,
                                                 dilation, groups,
                                                 padding_mode=mode)) == torch_raises(theirs)


# -- golden numbers from PyTorch, checked without it ------------------------------------------


def golden_cases() -> list[dict[str, Any]]:
    """The calls stored by tests/fixtures/make_golden_kinds.py."""
    with np.load(GOLDEN) as data:
        return [{**case, "arrays": {key: data[f"{case['name']}/{key}"]
                                    for key in ("x", "w", "b", "out") if
                                    f"{case['name']}/{key}" in data}}
                for case in json.loads(str(data["cases"]))]


@pytest.mark.parametrize("case", golden_cases(), ids=lambda case: case["name"])
def test_golden(case: dict[str, Any]) -> None:
    arrays, kwargs = case["arrays"], case["kwargs"]
    function = getattr(convgif, case["function"])
    operands = [arrays["x"], *([arrays["w"]] if "w" in arrays else []),
                *([arrays.get("b")] if "w" in arrays else [])]
    out = function(*operands, **kwargs)
    assert out.shape == arrays["out"].shape
    close(out, arrays["out"], np.float32)


def test_golden_covers_every_new_function() -> None:
    assert {case["function"] for case in golden_cases()} == {
        "conv_transpose2d", "max_pool2d", "avg_pool2d", "conv1d"}


@settings(max_examples=40, deadline=None)
@given(args=pool_args(), dtype=st.sampled_from([np.int8, np.int16, np.int32, np.int64,
                                                np.uint8]))
def test_max_pooling_of_integers_never_picks_the_padding(args: dict[str, Any], dtype: type
                                                         ) -> None:
    info = np.iinfo(dtype)
    rng = np.random.default_rng(args["channels"])
    low, high = max(info.min, -2**50), min(info.max, 2**50)  # exact in the float reference
    x = rng.integers(low, high, (args["batch"], args["channels"], *args["size"]),
                     dtype=dtype, endpoint=True)
    try:
        top = convgif.max_pool2d(x, args["kernel"], args["stride"], args["padding"],
                                 args["dilation"], args["ceil"])
    except SpecError:
        return
    expected = naive_max_pool2d(x.astype(float), args["kernel"], args["stride"],
                                args["padding"], args["dilation"], args["ceil"])
    # A window that reads no input cell gives the lowest value of the dtype, as in torch.
    expected[np.isneginf(expected)] = info.min
    assert top.dtype == dtype
    np.testing.assert_array_equal(top, expected.astype(dtype))
    if importlib.util.find_spec("torch") is not None:
        import torch

        np.testing.assert_array_equal(top, torch.nn.functional.max_pool2d(
            torch.from_numpy(x), args["kernel"], args["stride"], args["padding"],
            args["dilation"], args["ceil"]).numpy())
