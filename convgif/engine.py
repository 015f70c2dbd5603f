"""A NumPy 2D convolution with the semantics of ``torch.nn.functional.conv2d``.

Plus the ``padding_mode`` of ``torch.nn.Conv2d``. No Python loop runs over output
positions: each path loops only over kernel taps, groups or batch items and hands
the arithmetic to BLAS or to whole-array NumPy operations.

Paths, chosen by shape:

- one input channel per group (depthwise, ``groups == in_channels``): a
  multiply-add of shifted views per tap, for all channels at once;
- stride 1: "shifted GEMM": the padded input is flattened per channel, so the
  view that a tap reads is a contiguous slice; one GEMM per tap accumulates
  into an output as wide as the padded rows, whose extra columns are dropped;
- otherwise: im2col, one gather per tap and one GEMM per group.
"""

from __future__ import annotations

import numpy as np

from .spec import ConvSpec, PaddingLike, PairLike, SpecError

_NP_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                 "circular": "wrap"}


def pad_input(x: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Pad a (N, C, H, W) array as ``spec`` says (amounts and ``padding_mode``)."""
    top, bottom, left, right = spec.pads
    if top == bottom == left == right == 0:
        return x
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    return np.pad(x, widths, mode=_NP_PAD_MODES[spec.padding_mode])  # type: ignore[call-overload]


def _result_dtype(*arrays: np.ndarray | None) -> np.dtype:
    dtype = np.result_type(*[a.dtype for a in arrays if a is not None])
    return dtype if np.issubdtype(dtype, np.inexact) else np.dtype(np.float64)


def spec_for(
    input_shape: tuple[int, ...],
    weight_shape: tuple[int, ...],
    stride: PairLike = 1,
    padding: PaddingLike = 0,
    dilation: PairLike = 1,
    groups: int = 1,
    bias: bool = True,
    padding_mode: str = "zeros",
) -> ConvSpec:
    """The :class:`ConvSpec` of a conv2d call on arrays of these shapes.

    Raises :class:`SpecError` when the shapes do not fit together or the layer
    is one PyTorch refuses.
    """
    if len(input_shape) != 4:
        raise SpecError(f"input must have 3 or 4 dimensions (C, H, W) or (N, C, H, W), "
                        f"not shape {input_shape}")
    if len(weight_shape) != 4:
        raise SpecError(f"weight must have 4 dimensions (C_out, C_in/groups, Kh, Kw), "
                        f"not shape {weight_shape}")
    channels = input_shape[1]
    if weight_shape[1] * groups != channels:
        raise SpecError(
            f"weight of shape {weight_shape} with groups={groups} expects "
            f"{weight_shape[1] * groups} input channels, but input has {channels}"
        )
    return ConvSpec(
        in_channels=channels,
        out_channels=weight_shape[0],
        kernel_size=(weight_shape[2], weight_shape[3]),
        input_size=(input_shape[2], input_shape[3]),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bias,
        padding_mode=padding_mode,
    )


def conv2d(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: PairLike = 1,
    padding: PaddingLike = 0,
    dilation: PairLike = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """2D convolution (cross-correlation) of ``input`` with ``weight``, as PyTorch computes it.

    ``input`` is (N, C, H, W) or (C, H, W); ``weight`` is (C_out, C/groups, Kh, Kw);
    ``bias`` is (C_out,) or None. ``stride``, ``dilation`` and ``padding`` take an
    int or an (h, w) pair; ``padding`` also takes 'valid' or 'same'. ``padding_mode``
    is one of 'zeros', 'reflect', 'replicate', 'circular' (as in ``nn.Conv2d``).
    The result has the inputs' dtype (float32 stays float32) and the input's
    number of dimensions. Raises :class:`SpecError` for calls PyTorch refuses.
    """
    x = np.asarray(input)
    w = np.asarray(weight)
    b = None if bias is None else np.asarray(bias)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    spec = spec_for(x.shape, w.shape, stride, padding, dilation, groups, b is not None,
                    padding_mode)
    if b is not None and b.shape != (spec.out_channels,):
        raise SpecError(f"bias must have shape ({spec.out_channels},), not {b.shape}")
    dtype = _result_dtype(x, w, b)
    xp = pad_input(x.astype(dtype, copy=False), spec)
    w = w.astype(dtype, copy=False)
    if spec.groups_in == 1:
        out = _conv_depthwise(xp, w, spec)
    elif spec.strides == (1, 1):
        out = _conv_shifted_gemm(xp, w, spec)
    else:
        out = _conv_im2col(xp, w, spec)
    if b is not None:
        out += b.astype(dtype, copy=False)[None, :, None, None]
    return out[0] if unbatched else out


def _tap_view(xp: np.ndarray, spec: ConvSpec, ky: int, kx: int) -> np.ndarray:
    """The (N, C, H_out, W_out) strided view of ``xp`` that kernel tap (ky, kx) reads."""
    (oh, ow), (sh, sw), (dh, dw) = spec.output_size, spec.strides, spec.dilations
    y0, x0 = ky * dh, kx * dw
    return xp[:, :, y0 : y0 + sh * (oh - 1) + 1 : sh, x0 : x0 + sw * (ow - 1) + 1 : sw]


def _conv_depthwise(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """One input channel per group: output channel o reads input channel o // (C_out/groups)."""
    if spec.groups_out > 1:
        xp = np.repeat(xp, spec.groups_out, axis=1)
    kh, kw = spec.kernel
    taps = w[:, 0]  # (C_out, Kh, Kw)
    out = np.zeros((xp.shape[0], spec.out_channels, *spec.output_size), dtype=xp.dtype)
    for ky in range(kh):
        for kx in range(kw):
            out += _tap_view(xp, spec, ky, kx) * taps[:, ky, kx][None, :, None, None]
    return out


def _conv_shifted_gemm(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """Stride 1: one GEMM per tap on contiguous slices of the row-flattened padded input."""
    n, _, hp, wp = xp.shape
    (kh, kw), (dh, dw), (oh, ow) = spec.kernel, spec.dilations, spec.output_size
    g, cg, og = spec.groups, spec.groups_in, spec.groups_out
    length = (oh - 1) * wp + ow  # flat span covering every output position of one channel
    flat = np.ascontiguousarray(xp).reshape(n, g, cg, hp * wp)
    # Weights per tap, contiguous: (Kh, Kw, G, Og, Cg).
    wt = np.ascontiguousarray(w.reshape(g, og, cg, kh, kw).transpose(3, 4, 0, 1, 2))
    acc = np.empty((n, g, og, oh * wp), dtype=xp.dtype)
    wide = acc[..., :length]
    for i in range(n):
        for j in range(g):
            target = wide[i, j]
            first = True
            for ky in range(kh):
                for kx in range(kw):
                    offset = ky * dh * wp + kx * dw
                    part = flat[i, j, :, offset : offset + length]
                    if first:
                        np.matmul(wt[ky, kx, j], part, out=target)
                        first = False
                    else:
                        target += wt[ky, kx, j] @ part
    out = acc.reshape(n, g * og, oh, wp)[..., :ow]
    return np.ascontiguousarray(out)


def _conv_im2col(xp: np.ndarray, w: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """General stride: gather one (Cg*Kh*Kw, N*H_out*W_out) matrix per group, one GEMM each."""
    n = xp.shape[0]
    (kh, kw), (oh, ow) = spec.kernel, spec.output_size
    g, cg, og = spec.groups, spec.groups_in, spec.groups_out
    cols = np.empty((g, cg, kh, kw, n, oh, ow), dtype=xp.dtype)
    for ky in range(kh):
        for kx in range(kw):
            view = _tap_view(xp, spec, ky, kx)  # (N, C, oh, ow)
            cols[:, :, ky, kx] = view.reshape(n, g, cg, oh, ow).transpose(1, 2, 0, 3, 4)
    cols = cols.reshape(g, cg * kh * kw, n * oh * ow)
    wg = w.reshape(g, og, cg * kh * kw)
    out = np.matmul(wg, cols)  # (G, Og, N*oh*ow)
    out = out.reshape(g * og, n, oh, ow).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(out)
