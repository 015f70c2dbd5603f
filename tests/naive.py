"""A naive reference conv2d, written from PyTorch's documented semantics.

Deliberately simple and independent of :mod:`convgif.engine`: padding maps every
padded coordinate back to an input index with a per-mode rule, and the output is
computed one cell at a time. Only for tiny arrays in tests.
"""

from __future__ import annotations

import numpy as np


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def resolve_padding(
    padding: int | tuple[int, int] | str,
    kernel: tuple[int, int],
    dilation: tuple[int, int],
) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) for ``padding``; 'same' puts the odd extra at bottom/right."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        amounts = []
        for k, d in zip(kernel, dilation, strict=True):
            total = d * (k - 1)
            amounts += [total // 2, total - total // 2]
        return (amounts[0], amounts[1], amounts[2], amounts[3])
    ph, pw = _pair(padding)  # type: ignore[arg-type]
    return (ph, ph, pw, pw)


def source_index(i: int, size: int, mode: str) -> int | None:
    """The input index that padded index ``i`` (relative to the input's start) copies.

    None means the cell is a zero (``mode == 'zeros'`` outside the input).
    """
    if 0 <= i < size:
        return i
    if mode == "zeros":
        return None
    if mode == "replicate":
        return 0 if i < 0 else size - 1
    if mode == "circular":
        return i % size
    if mode == "reflect":
        return -i if i < 0 else 2 * (size - 1) - i
    raise ValueError(f"unknown padding mode {mode!r}")


def naive_pad(x: np.ndarray, pads: tuple[int, int, int, int], mode: str) -> np.ndarray:
    """Pad a (C, H, W) array cell by cell."""
    top, bottom, left, right = pads
    c, h, w = x.shape
    out = np.zeros((c, h + top + bottom, w + left + right), dtype=np.float64)
    for r in range(out.shape[1]):
        sr = source_index(r - top, h, mode)
        for q in range(out.shape[2]):
            sq = source_index(q - left, w, mode)
            if sr is not None and sq is not None:
                out[:, r, q] = x[:, sr, sq]
    return out


def naive_conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """conv2d of a (N, C, H, W) or (C, H, W) input, in float64, one output cell at a time."""
    batched = x.ndim == 4
    xs = np.asarray(x, dtype=np.float64) if batched else np.asarray(x, np.float64)[None]
    w = np.asarray(weight, dtype=np.float64)
    c_out, cg, kh, kw = w.shape
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    pads = resolve_padding(padding, (kh, kw), (dh, dw))
    og = c_out // groups
    results = []
    for item in xs:
        xp = naive_pad(item, pads, padding_mode)
        oh = (xp.shape[1] - dh * (kh - 1) - 1) // sh + 1
        ow = (xp.shape[2] - dw * (kw - 1) - 1) // sw + 1
        y = np.zeros((c_out, oh, ow))
        for o in range(c_out):
            first = (o // og) * cg
            for r in range(oh):
                for q in range(ow):
                    total = 0.0 if bias is None else float(bias[o])
                    for c in range(cg):
                        for ky in range(kh):
                            for kx in range(kw):
                                cell = xp[first + c, r * sh + ky * dh, q * sw + kx * dw]
                                total += cell * w[o, c, ky, kx]
                    y[o, r, q] = total
        results.append(y)
    out = np.stack(results)
    return out if batched else out[0]
