"""Naive references for conv_transpose2d, max/avg pooling and conv1d, one cell at a time.

Written from PyTorch's documented semantics, independent of :mod:`convgif.engine`;
only for tiny arrays in tests.
"""

from __future__ import annotations

import math

import numpy as np
from naive import naive_conv2d


def pair(value: int | tuple[int, int] | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def naive_conv_transpose2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride: int,
                           padding: int, output_padding: int, groups: int, dilation: int
                           ) -> np.ndarray:
    """Scatter every input cell times every weight to ``y*S + k*D - P``."""
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = (pair(v) for v in
                                                (stride, padding, output_padding, dilation))
    n, c_in, h, wd = x.shape
    _, per_out, kh, kw = w.shape
    per_in = c_in // groups
    oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    out = np.zeros((n, per_out * groups, oh, ow))
    for batch in range(n):
        for c in range(c_in):
            group = c // per_in
            for y in range(h):
                for col in range(wd):
                    for j in range(per_out):
                        for ky in range(kh):
                            for kx in range(kw):
                                r, q = y * sh + ky * dh - ph, col * sw + kx * dw - pw
                                if 0 <= r < oh and 0 <= q < ow:
                                    out[batch, group * per_out + j, r, q] += (
                                        x[batch, c, y, col] * w[c, j, ky, kx])
    if b is not None:
        out += b[:, None, None]
    return out


def _out(size: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    span = size + 2 * p - d * (k - 1) - 1
    count = (math.ceil(span / s) if ceil else span // s) + 1
    if ceil and (count - 1) * s >= size + p:
        count -= 1
    return count


def naive_max_pool2d(x: np.ndarray, kernel: int, stride: int | None, padding: int,
                     dilation: int, ceil: bool) -> np.ndarray:
    """The largest input cell of each window (padding never wins)."""
    (kh, kw), (ph, pw), (dh, dw) = pair(kernel), pair(padding), pair(dilation)
    sh, sw = pair(kernel if stride is None else stride)
    n, c, h, w = x.shape
    oh, ow = _out(h, kh, sh, ph, dh, ceil), _out(w, kw, sw, pw, dw, ceil)
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            cells = [x[:, :, r, q] for ky in range(kh) for kx in range(kw)
                     for r, q in [(i * sh - ph + ky * dh, j * sw - pw + kx * dw)]
                     if 0 <= r < h and 0 <= q < w]
            out[:, :, i, j] = np.max(cells, axis=0) if cells else -np.inf
    return out


def naive_avg_pool2d(x: np.ndarray, kernel: int, stride: int | None, padding: int,
                     ceil: bool, count_include_pad: bool, divisor: int | None) -> np.ndarray:
    """Each window's sum over the input, divided as PyTorch's documentation says."""
    (kh, kw), (ph, pw) = pair(kernel), pair(padding)
    sh, sw = pair(kernel if stride is None else stride)
    n, c, h, w = x.shape
    oh, ow = _out(h, kh, sh, ph, 1, ceil), _out(w, kw, sw, pw, 1, ceil)
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            top, left = i * sh - ph, j * sw - pw
            bottom, right = min(top + kh, h + ph), min(left + kw, w + pw)
            total = sum(x[:, :, r, q] for r in range(max(top, 0), min(bottom, h))
                        for q in range(max(left, 0), min(right, w)))
            if divisor is None:
                if not count_include_pad:
                    top, left = max(top, 0), max(left, 0)
                    bottom, right = min(bottom, h), min(right, w)
                divide = (bottom - top) * (right - left)
            else:
                divide = divisor
            out[:, :, i, j] = total / divide
    return out


def naive_conv1d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride: int,
                 padding: int | str, dilation: int, groups: int, mode: str) -> np.ndarray:
    """The naive conv2d on a height of one."""
    pad: int | tuple[int, int] | str = padding if isinstance(padding, str) else (0, padding)
    return naive_conv2d(x[:, :, None, :], w[:, :, None, :], b, stride=(1, stride),
                        padding=pad, dilation=(1, dilation), groups=groups,
                        padding_mode=mode)[:, :, 0, :]
