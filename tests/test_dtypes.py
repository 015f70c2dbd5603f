"""The engine mixes dtypes exactly where PyTorch does: every input, weight and bias dtype
pair and triple, checked live against torch (conv2d, conv1d, conv_transpose2d)."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import convgif

HAS_TORCH = importlib.util.find_spec("torch") is not None
DTYPES = [np.dtype(name) for name in ("bool", "uint8", "int8", "int16", "int32", "int64",
                                      "float16", "float32", "float64", "complex64",
                                      "complex128")]
SHAPES = {"conv2d": ((1, 2, 4, 4), (3, 2, 2, 2)), "conv1d": ((1, 2, 5), (3, 2, 2)),
          "conv_transpose2d": ((1, 2, 3, 3), (2, 3, 2, 2))}


def arrays(function: str, dtypes: tuple[np.dtype, np.dtype, np.dtype | None]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    rng = np.random.default_rng(0)
    x_shape, w_shape = SHAPES[function]
    out_channels = w_shape[1] if function == "conv_transpose2d" else w_shape[0]
    x_dtype, w_dtype, b_dtype = dtypes
    return (rng.integers(0, 2, x_shape).astype(x_dtype),
            rng.integers(0, 2, w_shape).astype(w_dtype),
            None if b_dtype is None else rng.integers(0, 2, out_channels).astype(b_dtype))


def torch_call(function: str, x: np.ndarray, w: np.ndarray, b: np.ndarray | None
               ) -> np.ndarray | None:
    """torch's result, or None when torch refuses the call."""
    import torch

    call: Callable[..., Any] = getattr(torch.nn.functional, function)
    tensors = [None if a is None else torch.from_numpy(a) for a in (x, w, b)]
    try:
        return call(*tensors).numpy()
    except (RuntimeError, NotImplementedError):
        return None


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
@pytest.mark.parametrize("function", list(SHAPES))
def test_mixed_dtypes_are_refused_where_torch_refuses_them(function: str) -> None:
    engine = getattr(convgif, function)
    mixed = refused = 0
    for x_dtype, w_dtype in itertools.product(DTYPES, DTYPES):
        for b_dtype in [None, *DTYPES]:
            x, w, b = arrays(function, (x_dtype, w_dtype, b_dtype))
            expected = torch_call(function, x, w, b)
            if len({x_dtype, w_dtype, b_dtype} - {None}) == 1:
                if expected is not None:  # one dtype: torch's are all taken (and more)
                    assert np.allclose(engine(x, w, b), expected), (x_dtype, b_dtype)
                continue
            mixed += 1
            if expected is None:
                refused += 1
                with pytest.raises(convgif.SpecError, match=r"\(.+\) and (weight|bias) \("):
                    engine(x, w, b)
            else:
                got = engine(x, w, b)
                # The input's dtype, as torch's (integers compute in float64 here).
                assert got.dtype == (expected.dtype if x_dtype.kind in "fc" else np.float64)
                assert np.allclose(got, expected), (x_dtype, w_dtype, b_dtype)
    assert mixed == 11 * 11 * 12 - 11 * 2 and refused > mixed // 2


@pytest.mark.parametrize(("call", "words"), [
    (lambda: convgif.conv2d(np.ones((1, 3, 3), np.int64), np.ones((1, 1, 2, 2), np.int64),
                            np.zeros(1, np.float64)),
     "conv2d: input (int64) and bias (float64) must have the same dtype"),
    (lambda: convgif.conv2d(np.ones((1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1, complex)),
     "conv2d: input (float64) and bias (complex128) must have the same dtype"),
    (lambda: convgif.conv1d(np.ones((1, 4), np.float32), np.ones((1, 1, 2))),
     "conv1d: input (float32) and weight (float64) must have the same dtype"),
    (lambda: convgif.conv_transpose2d(np.ones((1, 3, 3)), np.ones((1, 1, 2, 2)),
                                      np.zeros(1, np.complex64)),
     "conv_transpose2d: input (float64) and bias (complex64) must have the same dtype"),
])
def test_a_refusal_names_the_arguments_and_their_dtypes(call: Callable[[], object],
                                                        words: str) -> None:
    with pytest.raises(convgif.SpecError, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_transposed_adds_a_bias_of_another_dtype_cast_to_the_inputs() -> None:
    x, w = np.ones((1, 1, 2, 2), np.float32), np.ones((1, 1, 2, 2), np.float32)
    out = convgif.conv_transpose2d(x, w, np.array([0.5]))  # float64 bias, as torch takes it
    assert out.dtype == np.float32 and out[0, 0, 0, 0] == 1.5
