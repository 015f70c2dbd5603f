"""The dtypes a call mixes, with PyTorch's rules: refused as PyTorch refuses them.

``torch.nn.functional.conv2d`` and ``conv1d`` need the input, the weight and the
bias in one dtype ("Input type (long int) and bias type (double) should be the
same"); ``conv_transpose2d`` needs the input and the weight in one dtype and adds
a bias of another when it casts to the input's (float32, float64 and int64
inputs only, never a complex bias on real data). Arrays of one dtype are always
taken: integers and booleans compute in float64, which PyTorch does not do.
"""

from __future__ import annotations

import numpy as np

from ..layers import SpecError

# Input dtypes to which conv_transpose2d adds a bias of another dtype, cast ("same_kind").
_TRANSPOSED_BIAS_CASTS = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int64))


def result_dtype(x: np.ndarray) -> np.dtype:
    """A convolution's result dtype: the input's when it is inexact, else float64."""
    return x.dtype if np.issubdtype(x.dtype, np.inexact) else np.dtype(np.float64)


def check_dtypes(function: str, x: np.ndarray, w: np.ndarray, b: np.ndarray | None,
                 bias_casts: bool = False) -> None:
    """Raise :class:`SpecError` naming the arguments when ``function`` in PyTorch would
    refuse these dtypes together; ``bias_casts``: a bias is cast to the input's dtype
    where ``conv_transpose2d`` casts it."""
    if w.dtype != x.dtype:
        raise SpecError(f"{function}: input ({x.dtype}) and weight ({w.dtype}) must have "
                        f"the same dtype, as PyTorch requires: cast one, e.g. "
                        f"weight.astype(np.{x.dtype})")
    if b is None or b.dtype == x.dtype:
        return
    if bias_casts and x.dtype in _TRANSPOSED_BIAS_CASTS and b.dtype.kind != "c" and \
            np.can_cast(b.dtype, x.dtype, "same_kind"):
        return
    raise SpecError(f"{function}: input ({x.dtype}) and bias ({b.dtype}) must have the same "
                    f"dtype, as PyTorch requires: cast one, e.g. bias.astype(np.{x.dtype})")
