"""A NumPy 2D transposed convolution with the semantics of
``torch.nn.functional.conv_transpose2d``.

As PyTorch computes it (col2im): one GEMM per group multiplies every input cell
by every weight, then each kernel tap's products are added into the output at
the tap's offset, strided; the padding is cut off the result. Loops run over
kernel taps only.
"""

from __future__ import annotations

import numpy as np

from ..layers import ConvTranspose2d, PairLike, SpecError
from .convolution import _numbers
from .dtypes import check_dtypes, result_dtype


def conv_transpose2d(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: PairLike = 1,
    padding: PairLike = 0,
    output_padding: PairLike = 0,
    groups: int = 1,
    dilation: PairLike = 1,
) -> np.ndarray:
    """Transposed convolution of ``input`` (N, C_in, H, W) or (C_in, H, W) with ``weight``
    (C_in, C_out/groups, Kh, Kw), as PyTorch computes it.

    ``output_padding`` adds rows and columns at the bottom and right (it must be
    smaller than the stride or the dilation). The input and the weight share one
    dtype, as in PyTorch, and a bias of another is cast to it where PyTorch casts it;
    the result has the input's dtype (floats; integers give float64). Raises
    :class:`SpecError` for calls PyTorch refuses.
    """
    x = _numbers("input", input)
    w = _numbers("weight", weight)
    b = None if bias is None else _numbers("bias", bias)
    check_dtypes("conv_transpose2d", x, w, b, bias_casts=True)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    layer = ConvTranspose2d.from_arrays(x.shape, w.shape, stride, padding, output_padding,
                                        groups, dilation, b is not None)
    if b is not None and b.shape != (layer.out_channels,):
        raise SpecError(f"bias must have shape ({layer.out_channels},), not {b.shape}")
    dtype = result_dtype(x)
    n, _, h, wd = x.shape
    g, per_in, per_out = groups, layer.in_per_group, layer.out_per_group
    (kh, kw), (sh, sw), (dh, dw) = layer.kernel_size, layer.stride, layer.dilation
    # Every input cell times every weight: (N, G, C_out/G * Kh * Kw, H * W).
    weights = w.astype(dtype, copy=False).reshape(g, per_in, per_out * kh * kw)
    cells = x.astype(dtype, copy=False).reshape(n, g, per_in, h * wd)
    products = np.matmul(weights.transpose(0, 2, 1), cells).reshape(
        n, layer.out_channels, kh, kw, h, wd)
    (ph, pw), (oh, ow) = layer.padding, layer.output_size
    full = np.zeros((n, layer.out_channels, ph + oh, pw + ow), dtype)
    for ky in range(kh):
        for kx in range(kw):
            top, left = ky * dh, kx * dw
            # Products landing past the output's end (the bottom and right padding, cut
            # off) are left out.
            keep_h = min(h, (full.shape[2] - 1 - top) // sh + 1)
            keep_w = min(wd, (full.shape[3] - 1 - left) // sw + 1)
            if keep_h <= 0 or keep_w <= 0:
                continue
            rows = slice(top, top + (keep_h - 1) * sh + 1, sh)
            cols = slice(left, left + (keep_w - 1) * sw + 1, sw)
            full[:, :, rows, cols] += products[:, :, ky, kx, :keep_h, :keep_w]
    out = full[:, :, ph:, pw:]
    if b is not None:
        out += b.astype(dtype, copy=False)[:, None, None]
    out = np.ascontiguousarray(out)
    return out[0] if unbatched else out
