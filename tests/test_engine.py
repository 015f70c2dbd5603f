"""convgif.conv2d against a naive reference, against PyTorch live, and against golden numbers."""

from __future__ import annotations

import json
import tracemalloc
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from conv_strategies import any_layer_args, conv_kwargs, layer_args, layer_arrays
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import naive_conv2d

import convgif
from convgif.engine import convolution as engine

GOLDEN = Path(__file__).parent / "fixtures" / "golden.npz"
# Allowed error relative to sum(|x| * |w|) + |b| of each output cell.
RTOL = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 2e-5}


def assert_close(actual: np.ndarray, expected: np.ndarray, scale: np.ndarray) -> None:
    """Every cell within RTOL[dtype] of its own magnitude scale (rounding-aware tolerance)."""
    assert actual.shape == expected.shape
    bound = RTOL[actual.dtype] * (scale + 1e-300)
    excess = np.abs(actual.astype(np.float64) - expected) - bound
    assert (excess <= 0).all(), f"max error over bound {excess.max()} at {np.argmax(excess)}"


def magnitude(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, **kwargs: Any) -> np.ndarray:
    """sum |x| |w| + |b| per output cell: the scale of its rounding error."""
    return naive_conv2d(np.abs(x), np.abs(w), None if b is None else np.abs(b), **kwargs)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), args=layer_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_matches_naive_reference(data: st.DataObject, args: dict[str, Any], dtype: type) -> None:
    """Random layers (every path, mode and padding form) agree with the naive loops."""
    x, w, b = data.draw(layer_arrays(args, dtype))
    before = (x.copy(), w.copy())
    kwargs = conv_kwargs(args)
    y = convgif.conv2d(x, w, b, **kwargs)
    assert y.dtype == np.dtype(dtype)
    assert_close(y, naive_conv2d(x, w, b, **kwargs), magnitude(x, w, b, **kwargs))
    spec = convgif.ConvSpec(**args)
    assert y.shape[-3:] == spec.output_shape
    assert y.ndim == x.ndim
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(w, before[1])


@settings(max_examples=60, deadline=None)
@given(data=st.data(), args=layer_args(max_groups=2, max_per_group=4),
       budget=st.integers(1, 300))
def test_blocked_paths_match(data: st.DataObject, args: dict[str, Any], budget: int) -> None:
    """With tiny block budgets (many blocks of rows and of groups) the result is unchanged."""
    x, w, b = data.draw(layer_arrays(args))
    kwargs = conv_kwargs(args)
    whole = convgif.conv2d(x, w, b, **kwargs)
    with mock.patch.object(engine, "_GEMM_BUDGET", budget), \
            mock.patch.object(engine, "_CACHE_BUDGET", budget):
        blocked = convgif.conv2d(x, w, b, **kwargs)
    assert_close(blocked, whole, magnitude(x, w, b, **kwargs))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(dtype: type) -> None:
    """Float inputs keep their dtype, batched or not; integer inputs compute in float64."""
    x = np.ones((2, 4, 6, 6), dtype=dtype)
    w = np.ones((4, 4, 3, 3), dtype=dtype)
    for kwargs in ({}, {"stride": 2}, {"groups": 2}, {"groups": 4, "padding": "same"}):
        weight = w[:, : 4 // kwargs.get("groups", 1)]
        assert convgif.conv2d(x, weight, **kwargs).dtype == np.dtype(dtype)
        assert convgif.conv2d(x[0], weight, np.zeros(4, dtype), **kwargs).dtype == np.dtype(dtype)
    assert convgif.conv2d(np.ones((1, 3, 3), int), np.ones((1, 1, 2, 2), int)).dtype == np.float64


def test_empty_batch() -> None:
    """A batch of zero items gives an empty batch of outputs, as in PyTorch."""
    y = convgif.conv2d(np.zeros((0, 2, 5, 5)), np.ones((3, 2, 3, 3)), padding=1)
    assert y.shape == (0, 3, 5, 5)


def test_large_input_temporaries_stay_bounded() -> None:
    """A large layer's temporaries stay well below one full im2col matrix."""
    x = np.ones((1, 128, 128, 128), np.float32)
    w = np.full((256, 128, 3, 3), 1 / 1024, np.float32)
    full_im2col = 128 * 9 * 128 * 128 * 4
    tracemalloc.start()
    try:
        y = convgif.conv2d(x, w, padding=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert y.shape == (1, 256, 128, 128)
    assert y[0, 0, 64, 64] == pytest.approx(128 * 9 / 1024)
    assert peak - y.nbytes - x.nbytes < full_im2col / 2


def test_result_memory_recycled_only_once_released() -> None:
    """A result's memory is reused by a later call only when no array views it any more."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 9, 9))
    w = rng.standard_normal((5, 4, 3, 3))
    expected = naive_conv2d(x[None], w, None, padding=1)[0]
    kept = convgif.conv2d(x, w, padding=1)
    row = convgif.conv2d(x, w, padding=1)[2]  # a view that outlives its array
    later = [convgif.conv2d(x, w, padding=1) for _ in range(4)]
    for array in (kept, row, *later):
        assert not any(np.shares_memory(array, other) for other in (kept, row, *later)
                       if other is not array)
    np.testing.assert_allclose(kept, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(row, expected[2], rtol=1e-12, atol=1e-12)
    addresses = {array.__array_interface__["data"][0] for array in later}
    del later, array
    # Dropped results hand their memory to the next call of the same size.
    reused = convgif.conv2d(x, w, padding=1)
    assert reused.__array_interface__["data"][0] in addresses
    np.testing.assert_allclose(reused, expected, rtol=1e-12, atol=1e-12)
    # Many calls while one result is held (the interpreter specialises hot code).
    held = reused
    del reused  # one reference left
    for _ in range(200):
        assert not np.shares_memory(convgif.conv2d(x, w, padding=1), held)
    np.testing.assert_allclose(held, expected, rtol=1e-12, atol=1e-12)


def test_threads_get_their_own_buffers() -> None:
    """Calls from several threads at once, each with its own scratch and result memory."""
    rng = np.random.default_rng(4)
    layers = [(rng.standard_normal((2, 6, 12 + k, 10)), rng.standard_normal((4, 3, 3, 2)),
               {"padding": k % 3, "groups": 2, "stride": 1 + k % 2}) for k in range(6)]
    expected = [naive_conv2d(x, w, None, **o) for x, w, o in layers]

    def work(_: int) -> bool:
        return all(np.allclose(convgif.conv2d(x, w, **o), e, rtol=1e-12, atol=1e-12)
                   for _ in range(20) for (x, w, o), e in zip(layers, expected, strict=True))

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, range(8)))


def test_rejects_mismatched_arrays() -> None:
    """Shapes that do not fit together raise SpecError naming what is wrong."""
    x = np.zeros((1, 4, 5, 5))
    cases = [
        (x[0, 0], np.zeros((2, 4, 3, 3)), None, {}, "dimensions"),
        (x, np.zeros((2, 4, 3)), None, {}, "weight"),
        (x, np.zeros((2, 3, 3, 3)), None, {}, "input channels"),
        (x, np.zeros((3, 2, 3, 3)), None, {"groups": 2}, "groups"),
        (x, np.zeros((2, 4, 3, 3)), np.zeros(3), {}, "bias"),
        (x, np.zeros((2, 4, 3, 3)), None, {"padding": "same", "stride": 2}, "stride"),
        (x, np.zeros((2, 4, 7, 3)), None, {}, "kernel_size"),
    ]
    for inp, weight, bias, kwargs, word in cases:
        with pytest.raises(convgif.SpecError, match=word):
            convgif.conv2d(inp, weight, bias, **kwargs)


# -- PyTorch, live --------------------------------------------------------------------------


def torch_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, args: dict[str, Any],
               functional: bool) -> np.ndarray:
    """PyTorch's result, through nn.Conv2d (any mode) or F.conv2d (zeros only)."""
    torch = pytest.importorskip("torch")
    tx, tw = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(w)
    tb = None if b is None else torch.from_numpy(b)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # 'same' with an even kernel: a padded copy
        if functional:
            kwargs = conv_kwargs(args)
            del kwargs["padding_mode"]
            return torch.nn.functional.conv2d(tx, tw, tb, **kwargs).numpy()
        layer = torch.nn.Conv2d(args["in_channels"], args["out_channels"], args["kernel_size"],
                                **conv_kwargs(args), bias=b is not None).to(tw.dtype)
        layer.weight.copy_(tw)
        if tb is not None:
            layer.bias.copy_(tb)
        return layer(tx).numpy()


@settings(max_examples=150, deadline=None)
@given(data=st.data(), args=layer_args(), dtype=st.sampled_from([np.float32, np.float64]))
def test_matches_torch(data: st.DataObject, args: dict[str, Any], dtype: type) -> None:
    """Random layers agree with torch.nn.Conv2d (and F.conv2d for zeros padding)."""
    pytest.importorskip("torch")
    x, w, b = data.draw(layer_arrays(args, dtype))
    y = convgif.conv2d(x, w, b, **conv_kwargs(args))
    scale = magnitude(x, w, b, **conv_kwargs(args))
    expected = torch_conv(x, w, b, args, functional=False)
    assert expected.dtype == y.dtype
    assert_close(y, expected.astype(np.float64), 2 * scale)
    if args["padding_mode"] == "zeros":
        expected = torch_conv(x, w, b, args, functional=True)
        assert_close(y, expected.astype(np.float64), 2 * scale)


def torch_refuses(args: dict[str, Any]) -> bool:
    """Whether PyTorch raises building the layer or running it on zeros."""
    torch = pytest.importorskip("torch")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = torch.nn.Conv2d(args["in_channels"], args["out_channels"],
                                    args["kernel_size"], bias=args["bias"], **conv_kwargs(args))
            layer(torch.zeros(1, args["in_channels"], *args["input_size"]))
    except (RuntimeError, ValueError, TypeError):
        return True
    return False


@settings(max_examples=200, deadline=None)
@given(args=any_layer_args())
def test_spec_error_exactly_when_torch_raises(args: dict[str, Any]) -> None:
    """ConvSpec raises SpecError for exactly the layers and inputs PyTorch refuses."""
    refused = torch_refuses(args)
    try:
        convgif.ConvSpec(**args)
    except convgif.SpecError:
        assert refused, f"convgif refuses a layer PyTorch accepts: {args}"
    else:
        assert not refused, f"convgif accepts a layer PyTorch refuses: {args}"


@settings(max_examples=100, deadline=None)
@given(channels=st.integers(1, 4), weight_in=st.integers(1, 4), out=st.integers(1, 4),
       groups=st.integers(1, 4), bias_len=st.sampled_from([None, 1, 2, 3, 4]),
       ndim=st.sampled_from([2, 3, 4]))
def test_array_errors_exactly_when_torch_raises(channels: int, weight_in: int, out: int,
                                                groups: int, bias_len: int | None,
                                                ndim: int) -> None:
    """conv2d raises SpecError for exactly the array shapes F.conv2d refuses."""
    torch = pytest.importorskip("torch")
    x = np.zeros((1, channels, 5, 5)[4 - ndim :])
    w = np.zeros((out, weight_in, 3, 3))
    b = None if bias_len is None else np.zeros(bias_len)
    try:
        torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                                   None if b is None else torch.from_numpy(b), groups=groups)
    except (RuntimeError, ValueError):
        with pytest.raises(convgif.SpecError):
            convgif.conv2d(x, w, b, groups=groups)
    else:
        convgif.conv2d(x, w, b, groups=groups)


# -- golden numbers from PyTorch, checked without it ------------------------------------------


def golden_cases() -> list[dict[str, Any]]:
    """The configurations stored by tests/fixtures/make_golden.py."""
    with np.load(GOLDEN) as data:
        return json.loads(str(data["configs"]))


@pytest.mark.parametrize("case", golden_cases(), ids=lambda case: case["name"])
def test_golden(case: dict[str, Any]) -> None:
    """conv2d reproduces PyTorch's stored outputs (no torch needed)."""
    with np.load(GOLDEN) as data:
        x, w, expected = (data[f"{case['name']}/{key}"] for key in ("x", "w", "y"))
        b = data[f"{case['name']}/b"] if case["bias"] else None
    kwargs = {key: case[key] for key in ("stride", "padding", "dilation", "groups",
                                         "padding_mode")}
    kwargs = {key: tuple(v) if isinstance(v, list) else v for key, v in kwargs.items()}
    y = convgif.conv2d(x, w, b, **kwargs)
    assert y.dtype == expected.dtype
    assert_close(y, expected.astype(np.float64), 2 * magnitude(x, w, b, **kwargs))


def test_golden_covers_every_path_and_mode() -> None:
    """The fixture exercises each padding mode, padding form, path and dtype."""
    cases = golden_cases()
    assert {c["padding_mode"] for c in cases} == {"zeros", "reflect", "replicate", "circular"}
    assert {"same", "valid"} <= {c["padding"] for c in cases if isinstance(c["padding"], str)}
    assert {c["dtype"] for c in cases} == {"float32", "float64"}
    assert {c["bias"] for c in cases} == {True, False}
    assert {c["batched"] for c in cases} == {True, False}
    assert {c["path"] for c in cases} >= {"depthwise", "gemm-stride1", "gemm-strided"}
    assert GOLDEN.stat().st_size < 200_000
