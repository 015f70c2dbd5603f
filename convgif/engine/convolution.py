"""A NumPy 2D convolution with the semantics of ``torch.nn.functional.conv2d``.

Plus the ``padding_mode`` of ``torch.nn.Conv2d``. No Python loop runs over output
positions: loops run over kernel taps, batch items and blocks of output rows or of
groups, and BLAS does the arithmetic.

Most stride-1 layers copy each channel ``Kw`` times, shifted by a kernel column and
cut to the output width, writing zero padding on the way; one GEMM per group
(batched) then gives every output channel's partial sums per kernel row, which are
added up shifted by whole rows straight into the result. Strided layers, and
stride-1 layers with few input channels per output channel, are padded, split into
stride phases (input rows ``ry::Sh``, columns ``rx::Sw``) and flattened per channel,
so that im2col is one contiguous copy per tap and one GEMM per group finishes a
block. A row of ones in the GEMM operand adds the bias. Blocks bound the
size of the temporaries; layers with few output channels per group (depthwise) use
cache-sized blocks of groups. Temporaries live in per-thread scratch buffers reused
between calls, and results reuse the memory of dropped results, so that repeated
calls spare the page faults of fresh memory.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterator

import numpy as np

from ..layers import Conv1d, Conv2d, PaddingLike, PairLike, SpecError
from .dtypes import check_dtypes, result_dtype

# Elements of one block of temporaries: large for compute-bound GEMMs (at least
# _MIN_COMPUTE_BOUND output channels per group), else a few MB that stay in cache
# (the fastest budget for the depthwise layer of benchmarks/engine.py).
_GEMM_BUDGET = 1 << 22
_CACHE_BUDGET = 1 << 20
_MIN_COMPUTE_BOUND = 8

# Scratch buffers up to this many bytes are kept for the next call (per thread).
_SCRATCH_KEEP = 1 << 23

_NP_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                 "circular": "wrap"}


_scratch = threading.local()


def _scratch_array(name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An uninitialised array for temporary results, reused between calls (per thread).

    A call then allocates little beyond its result, which spares the page faults
    of fresh memory; buffers larger than ``_SCRATCH_KEEP`` bytes are not kept.
    """
    nbytes = math.prod(shape) * dtype.itemsize
    buffer = getattr(_scratch, name, None)
    if buffer is None or buffer.nbytes < nbytes:
        buffer = np.empty(nbytes, dtype=np.uint8)
        if nbytes <= _SCRATCH_KEEP:
            setattr(_scratch, name, buffer)
    return buffer[:nbytes].view(dtype).reshape(shape)


# Results whose memory is kept for reuse (per thread).
_RESULTS_KEPT = 2


def _held_only_by(items: list[np.ndarray], index: int) -> bool:
    """Whether nothing but the list ``items`` references ``items[index]``.

    Compares reference counts with those of a fresh object held by a list alone,
    read the same way, since how many references the interpreter itself takes
    varies by version. Always false where there are no reference counts (PyPy).
    """
    getrefcount = getattr(sys, "getrefcount", None)
    if getrefcount is None:
        return False
    probe = [object()]
    return bool(getrefcount(items[index]) == getrefcount(probe[0]))


def _result_array(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A new uninitialised array for a result, on memory recycled from dropped results.

    Fresh memory costs a page fault per 4 KiB page on first write (0.4 ms for a
    (64, 56, 56) float32 result, a fifth of that layer's time), since the C
    allocator hands large blocks back to the system when they are freed. So the
    memory of the last ``_RESULTS_KEPT`` results (per thread, each at most
    ``_SCRATCH_KEEP`` bytes) is kept and reused once nothing but this cache holds
    it: every array, memoryview, tensor or buffer that shares that memory holds a
    reference to it, so a reference count of the cache's own alone shows the
    caller has let go of it. (A bare address kept without its array, as from
    ``ctypes.data``, is not followed: using it after dropping the array was never
    safe.)
    """
    nbytes = math.prod(shape) * dtype.itemsize
    kept: list[np.ndarray] = getattr(_scratch, "results", [])
    for index in range(len(kept)):
        if kept[index].nbytes == nbytes and _held_only_by(kept, index):
            memory = kept.pop(index)
            kept.append(memory)
            return memory.view(dtype).reshape(shape)
    memory = np.empty(nbytes, dtype=np.uint8)
    if nbytes <= _SCRATCH_KEEP:
        _scratch.results = [*kept, memory][-_RESULTS_KEPT:]
    return memory.view(dtype).reshape(shape)


def source_indices(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each padded index along one axis, the input index it copies (any mode but zeros)."""
    return np.pad(np.arange(size), (before, after), mode=_NP_PAD_MODES[mode])  # type: ignore[call-overload]


def pad_input(x: np.ndarray, spec: Conv2d, out: np.ndarray | None = None) -> np.ndarray:
    """Pad a (N, C, H, W) array as ``spec`` says (amounts and ``padding_mode``).

    The result is written into ``out`` (shape (N, C, *spec.padded_size)) when given,
    else into a new array.
    """
    top, bottom, left, right = spec.pads
    h, w = x.shape[2:]
    if out is None:
        out = np.empty((*x.shape[:2], *spec.padded_size), dtype=x.dtype)
    out[:, :, top : top + h, left : left + w] = x
    if spec.padding_mode == "zeros":
        for edge in (np.s_[:top], np.s_[top + h :]):
            out[:, :, edge] = 0
        for edge in (np.s_[:left], np.s_[left + w :]):
            out[:, :, :, edge] = 0
        return out
    rows = source_indices(h, top, bottom, spec.padding_mode)
    cols = source_indices(w, left, right, spec.padding_mode) + left
    for edge in (np.s_[:top], np.s_[top + h :]):
        out[:, :, edge, left : left + w] = x[:, :, rows[edge]]
    for edge in (np.s_[:left], np.s_[left + w :]):
        out[:, :, :, edge] = out[:, :, :, cols[edge]]
    return out


def _numbers(name: str, data: object) -> np.ndarray:
    """``data`` as an array, or a :class:`SpecError` naming ``name`` unless it holds numbers."""
    array = np.asarray(data)
    if array.dtype.kind not in "biufc":
        raise SpecError(f"{name} must hold numbers (bool, int, float or complex), "
                        f"not dtype {array.dtype}")
    return array


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
    The arrays must share one dtype, as in PyTorch; the result has it (float32 stays
    float32; integers compute in float64) and the input's number of dimensions.
    Raises :class:`SpecError` for calls PyTorch refuses.
    """
    x = _numbers("input", input)
    w = _numbers("weight", weight)
    b = None if bias is None else _numbers("bias", bias)
    check_dtypes("conv2d", x, w, b)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    spec = Conv2d.from_arrays(x.shape, w.shape, stride, padding, dilation, groups,
                              b is not None, padding_mode)
    if b is not None and b.shape != (spec.out_channels,):
        raise SpecError(f"bias must have shape ({spec.out_channels},), not {b.shape}")
    dtype = result_dtype(x)
    w = w.astype(dtype, copy=False)
    shift = np.zeros(spec.out_channels, dtype) if b is None else b.astype(dtype, copy=False)
    shifted = _shifts_are_cheaper(spec)
    if shifted and spec.padding_mode == "zeros":
        # The shifted path writes the zero padding itself.
        out = _conv_shifted(x, w, shift, spec, spec.pads[0], spec.pads[2])
    else:
        xp = pad_input(x.astype(dtype, copy=False), spec, _scratch_array(
            "padded", (x.shape[0], x.shape[1], *spec.padded_size), dtype))
        if shifted:
            out = _conv_shifted(xp, w, shift, spec, 0, 0)
        else:
            out = _conv_phases(xp, w, shift, spec)
    return out[0] if unbatched else out


def _phases(xp: np.ndarray, spec: Conv2d) -> tuple[np.ndarray, int, list[tuple[int, int]]]:
    """Split the padded input (contiguous) into the stride phases its taps read, flattened.

    Returns ``flat`` of shape (phases, N, C, Hq*Wq), the phase row width ``Wq`` and,
    per tap in (ky, kx) order, ``(phase, offset)``: for output cell (r, q) the tap
    reads ``flat[phase, :, :, offset + r*Wq + q]``. A stride (Sh, Sw) turns into at
    most Sh*Sw phases (input rows ``ry::Sh``, columns ``rx::Sw``) read with stride 1.
    """
    n, c, hp, wp = xp.shape
    (sh, sw), (kh, kw), (dh, dw) = spec.stride, spec.kernel_size, spec.dilation
    hq, wq = -(-hp // sh), -(-wp // sw)
    shifts = [(divmod(ky * dh, sh), divmod(kx * dw, sw)) for ky in range(kh) for kx in range(kw)]
    used = sorted({(ry, rx) for (_, ry), (_, rx) in shifts})
    grid = _scratch_array("phases", (len(used), n, c, hq, wq), xp.dtype)
    for index, (ry, rx) in enumerate(used):
        part = xp[:, :, ry::sh, rx::sw]
        ph, pw = part.shape[2:]
        grid[index, :, :, :ph, :pw] = part
        # Cells past a shorter phase feed only dropped columns; zero them anyway.
        grid[index, :, :, ph:] = 0
        grid[index, :, :, :ph, pw:] = 0
    flat = grid.reshape(len(used), n, c, hq * wq)
    taps = [(used.index((ry, rx)), qy * wq + qx) for (qy, ry), (qx, rx) in shifts]
    return flat, wq, taps


def _blocks(spec: Conv2d, per_row: int, halo: int = 0) -> tuple[int, int]:
    """Output rows and groups per block, so that one block's temporaries stay bounded.

    ``per_row`` is the number of temporary elements per group and output row,
    ``halo`` the number of extra rows a block needs. With few output channels per
    group the GEMM is memory-bound and blocks are cache-sized (``_CACHE_BUDGET``),
    else as large as ``_GEMM_BUDGET`` allows. Blocks hold whole rows of all groups
    first, then fewer rows, then fewer groups.
    """
    budget = _GEMM_BUDGET if spec.out_per_group >= _MIN_COMPUTE_BOUND else _CACHE_BUDGET
    rows = max(1, min(spec.output_size[0], budget // per_row - halo))
    groups = max(1, min(spec.groups, budget // (per_row * (rows + halo))))
    return rows, groups


def _block_ranges(spec: Conv2d, batch: int, groups: int, rows: int
                  ) -> Iterator[tuple[int, int, int, int, int]]:
    """Blocks in order: (batch item, first group, groups in block, first row, end row)."""
    height, total = spec.output_size[0], spec.groups
    for i in range(batch):
        for g0 in range(0, total, groups):
            for r0 in range(0, height, rows):
                yield i, g0, min(groups, total - g0), r0, min(height, r0 + rows)


def _with_bias(w: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Append ``bias`` (groups, rows) as a last column to ``w`` (groups, rows, K).

    The im2col columns get a matching last row of ones, so the GEMM adds the bias.
    """
    out = np.empty((*w.shape[:2], w.shape[2] + 1), dtype=w.dtype)
    out[:, :, :-1] = w
    out[:, :, -1] = bias
    return out


def _shifts_are_cheaper(spec: Conv2d) -> bool:
    """Whether :func:`_conv_shifted` suits this layer better than :func:`_conv_phases`.

    Only stride-1 layers can use it. Both do about the same arithmetic, so the
    choice goes by the elements each moves per output position besides its GEMM
    operands' reads, with C and O the input and output channels per group: the
    shifted path copies Kw shifts (3 C Kw, the GEMM reading them once) and its
    GEMM writes O Kh partial sums that are read back and summed into O results
    (2 O Kh + O); im2col pads (2 C), copies every tap (2 C Kh Kw) and its GEMM
    writes O values that are then copied into the result (3 O). im2col also
    computes the padding columns and needs larger blocks, so it is chosen only
    when the shifted path moves over 1.5 times as much, as in an RGB first layer:
    with 3 -> 64 channels, K 3, it took 3.5 ms against im2col's 2.8 ms on a
    224x224 input, while with 16 -> 64 channels (cost ratio 1.16) it was 1.4
    times faster than im2col on a 256x256 input.
    """
    if spec.stride != (1, 1):
        return False
    (kh, kw), c, o = spec.kernel_size, spec.in_per_group, spec.out_per_group
    return 3 * c * kw + 2 * o * kh + o <= 1.5 * (2 * c + 2 * c * kh * kw + 3 * o)


def _conv_phases(xp: np.ndarray, w: np.ndarray, bias: np.ndarray, spec: Conv2d) -> np.ndarray:
    """im2col on the phase-flat input (a contiguous slice copy per tap).

    For strided layers, and stride-1 layers with few input channels per output
    channel (see :func:`_shifts_are_cheaper`).

    One GEMM per group and block; a row of ones in the columns adds the bias.
    """
    flat, wq, taps = _phases(xp, spec)
    n, (oh, ow) = xp.shape[0], spec.output_size
    cg, og, t = spec.in_per_group, spec.out_per_group, len(taps)
    # Reduction order (channel, ky, kx), as the columns below, then the bias.
    wg = _with_bias(w.reshape(spec.groups, og, cg * t), bias.reshape(spec.groups, og))
    rows, groups = _blocks(spec, (cg * t + 1 + og) * wq)
    cols = _scratch_array("cols", (groups, cg * t + 1, rows * wq), xp.dtype)
    cols[:, -1] = 1
    taps_of_cols = cols[:, :-1].reshape(groups, cg, t, rows * wq)
    wide = _scratch_array("wide", (groups * og, rows, wq), xp.dtype)
    out = _result_array((n, spec.out_channels, oh, ow), xp.dtype)
    for i, g0, gb, r0, r1 in _block_ranges(spec, n, groups, rows):
        inputs, outputs = slice(g0 * cg, (g0 + gb) * cg), slice(g0 * og, (g0 + gb) * og)
        start, length = r0 * wq, (r1 - r0 - 1) * wq + ow
        for k, (phase, offset) in enumerate(taps):
            src = flat[phase, i, inputs, start + offset : start + offset + length]
            taps_of_cols[:gb, :, k, :length] = src.reshape(gb, cg, length)
        products = wide[: gb * og].reshape(gb, og, rows * wq)[:, :, :length]
        np.matmul(wg[g0 : g0 + gb], cols[:gb, :, :length], out=products)
        out[i, outputs, r0:r1] = wide[: gb * og, : r1 - r0, :ow]
    return out


def _conv_shifted(x: np.ndarray, w: np.ndarray, bias: np.ndarray, spec: Conv2d,
                  top: int, left: int) -> np.ndarray:
    """Stride 1: GEMM on column-shifted copies of the input, then a sum of row shifts.

    ``x`` is the input with zero padding still to add (``top`` rows above, ``left``
    columns on the left, the rest below and on the right), or the padded input with
    ``top = left = 0``. The columns hold, for every kernel column kx and channel,
    the padded rows cut to the output width: ``cols[kx, c, p, q] =
    padded[c, p, q + kx*Dw]`` (copied straight from ``x``, padding written as
    zeros). Tap (ky, kx) for output cell (r, q) then reads ``cols[kx, c, r + ky*Dh,
    q]``, so one GEMM per group and block gives every output channel's partial sums
    per kernel row ky over (kx, channel), and output row r adds up
    ``parts[o, ky, r + ky*Dh]`` in place in the result; a row of ones in the
    columns adds the bias.
    """
    n, _, h, width = x.shape
    (oh, ow), (kh, kw), (dh, dw) = spec.output_size, spec.kernel_size, spec.dilation
    cg, og, reach = spec.in_per_group, spec.out_per_group, (kh - 1) * dh
    # Rows (o, ky), reduction order (kx, channel) as the columns below, then the bias.
    # (Channels innermost: numpy's copy loop then runs over channels, not over Kw.)
    wg = np.empty((spec.groups, og * kh, kw * cg + 1), dtype=w.dtype)
    wg[:, :, :-1].reshape(spec.groups, og, kh, kw, cg)[...] = (
        w.reshape(spec.groups, og, cg, kh, kw).transpose(0, 1, 3, 4, 2))
    bias_rows = wg[:, :, -1].reshape(spec.groups, og, kh)
    bias_rows[...] = 0
    bias_rows[:, :, 0] = bias.reshape(spec.groups, og)
    rows, groups = _blocks(spec, (kw * cg + 1 + og * kh) * ow, reach)
    size = (rows + reach) * ow
    cols = _scratch_array("cols", (groups, kw * cg + 1, size), w.dtype)
    cols[:, -1] = 1
    grid = cols[:, :-1].reshape(groups, kw, cg, rows + reach, ow)
    # Per kx: the shift from padded to input columns, and the output columns
    # q0 .. q1-1 whose padded column q + kx*Dw holds an input column. The others
    # read padding in every row and every block, so they are zeroed once here.
    columns = []
    for kx in range(kw):
        shift = kx * dw - left
        q0, q1 = min(max(0, -shift), ow), max(min(ow, width - shift), 0)
        grid[:, kx, :, :, :q0] = 0
        grid[:, kx, :, :, q1:] = 0
        columns.append((shift, q0, q1))
    parts = _scratch_array("parts", (groups * og, kh, size), w.dtype)
    out = _result_array((n, spec.out_channels, oh, ow), w.dtype)
    for i, g0, gb, r0, r1 in _block_ranges(spec, n, groups, rows):
        inputs, outputs = slice(g0 * cg, (g0 + gb) * cg), slice(g0 * og, (g0 + gb) * og)
        span = r1 - r0 + reach
        # Padded rows r0 .. r0+span-1; those from top to top+h-1 hold input rows.
        p0, p1 = min(max(r0, top), r0 + span), max(min(r0 + span, top + h), r0)
        if p0 > r0:
            grid[:gb, :, :, : p0 - r0] = 0
        if p1 < r0 + span:
            grid[:gb, :, :, p1 - r0 : span] = 0
        for kx, (shift, q0, q1) in enumerate(columns):
            grid[:gb, kx, :, p0 - r0 : p1 - r0, q0:q1] = x[
                i, inputs, p0 - top : p1 - top, q0 + shift : q1 + shift
            ].reshape(gb, cg, p1 - p0, q1 - q0)
        block = parts[: gb * og]
        np.matmul(wg[g0 : g0 + gb], cols[:gb, :, : span * ow],
                  out=block.reshape(gb, og * kh, size)[:, :, : span * ow])
        # Output row r sums row ky's partial sums of padded row r + ky*Dh.
        length = (r1 - r0) * ow
        total = out[i, outputs, r0:r1].reshape(gb * og, length)
        partial = [block[:, ky, ky * dh * ow : ky * dh * ow + length] for ky in range(kh)]
        # Sums build up in the (cached) scratch; only the last one goes to the result.
        for row in partial[1:-1]:
            np.add(partial[0], row, out=partial[0])
        if kh == 1:
            total[...] = partial[0]
        else:
            np.add(partial[0], partial[-1], out=total)
    return out


def conv1d(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: int | str = 0,
    dilation: int = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """1D convolution of ``input`` (N, C, L) or (C, L) with ``weight`` (C_out, C/groups, K),
    as ``torch.nn.functional.conv1d`` (plus ``nn.Conv1d``'s ``padding_mode``); run by
    :func:`conv2d` on a height of one. Raises :class:`SpecError` for calls PyTorch refuses.
    """
    x = _numbers("input", input)
    w = _numbers("weight", weight)
    check_dtypes("conv1d", x, w, None if bias is None else _numbers("bias", bias))
    unbatched = x.ndim == 2
    if unbatched:
        x = x[None]
    layer = Conv1d.from_arrays(x.shape, w.shape, stride, padding, dilation, groups,
                               bias is not None, padding_mode)
    out = conv2d(x[:, :, None, :], w[:, :, None, :], bias, (1, layer.stride),
                 layer.padding if isinstance(layer.padding, str) else (0, layer.padding),
                 (1, layer.dilation), groups, padding_mode)[:, :, 0, :]
    return out[0] if unbatched else out
