"""Measuring a sweep: backends that time one forward pass, and :func:`sweep`."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..engine import conv2d
from ..layers import Conv2d
from ..progress import ProgressCallback
from .plan import Plan, PlotError, plan

Clock = Callable[[], float]

DEFAULT_REPEATS = 5
MEMORY_BUDGET = 1 << 30  # bytes one NumPy forward call may use before it is split



@dataclass(frozen=True)
class Prepared:
    """A layer and input ready to time: ``run()`` is one forward pass, returning its shape.

    ``params`` is the layer's trainable parameter count as the backend holds it;
    ``backend`` names the backend and device; ``chunks`` is how many calls one
    forward pass is split into to bound memory.
    """

    run: Callable[[], tuple[int, ...]]
    params: int
    backend: str
    chunks: int = 1


Backend = Callable[[Conv2d, int], Prepared]


@dataclass(frozen=True)
class Measurement:
    """One configuration's numbers: one CSV row, fields in :data:`COLUMNS` order.

    Times are of one forward pass on ``batch`` inputs, in milliseconds, over
    ``repeats`` runs after the warm-up; ``chunks`` as in :class:`Prepared`.
    """

    in_channels: int
    out_channels: int
    kernel_h: int
    kernel_w: int
    stride_h: int
    stride_w: int
    padding_h: int
    padding_w: int
    dilation_h: int
    dilation_w: int
    groups: int
    bias: bool
    height: int
    width: int
    params: int
    out_height: int
    out_width: int
    time_ms_median: float
    time_ms_min: float
    time_ms_max: float
    backend: str
    batch: int = 1
    repeats: int = 1
    chunks: int = 1


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Measurement))


def _chunking(spec: Conv2d, batch: int, budget: int) -> tuple[int, int]:
    """(inputs, output channels) per conv2d call so one call stays within ``budget`` bytes.

    A deliberately generous estimate for float32: input and padded input, an
    im2col matrix, and three arrays as large as the padded input per output channel.
    """
    (hp, wp), (oh, ow), (kh, kw) = spec.padded_size, spec.output_size, spec.kernel_size
    fixed = spec.in_channels * (2 * hp * wp + kh * kw * oh * ow)
    per_out = 3 * hp * wp
    item = 4 * (fixed + per_out * spec.out_channels)
    if item <= budget:
        return max(1, min(batch, budget // item)), spec.out_channels
    unit = spec.out_per_group if spec.groups > 1 else 1
    channels = (budget // 4 - fixed) // per_out // unit * unit
    if channels < unit:
        raise PlotError(
            f"{spec.torch_repr()} on a {spec.input_shape} input needs over "
            f"{4 * (fixed + per_out * unit) / 2**20:.1f} MiB per call even when split "
            f"(budget {budget / 2**20:.1f} MiB): use a smaller input size"
        )
    return 1, channels


def _pieces(spec: Conv2d, channels: int) -> list[tuple[slice, slice, int]]:
    """(input channels, output channels, groups) of each call covering all output channels."""
    if spec.groups == 1:
        return [(slice(None), slice(o, min(o + channels, spec.out_channels)), 1)
                for o in range(0, spec.out_channels, channels)]
    per, cg, og = channels // spec.out_per_group, spec.in_per_group, spec.out_per_group
    return [(slice(g * cg, min(g + per, spec.groups) * cg),
             slice(g * og, min(g + per, spec.groups) * og),
             min(g + per, spec.groups) - g)
            for g in range(0, spec.groups, per)]


def numpy_backend(spec: Conv2d, batch: int, memory_budget: int = MEMORY_BUDGET) -> Prepared:
    """Time :func:`convgif.conv2d` in float32 on random data.

    When one call would need more than ``memory_budget`` bytes, the forward pass
    is split by inputs, then by output channels (whole groups); the time is that
    of all the calls, and the input of one call is reused for the others.
    """
    inputs, channels = _chunking(spec, batch, memory_budget)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((inputs, *spec.input_shape), dtype=np.float32)
    w = rng.standard_normal(spec.weight_shape, dtype=np.float32)
    b = rng.standard_normal(spec.out_channels, dtype=np.float32) if spec.bias else None
    counts = [min(inputs, batch - start) for start in range(0, batch, inputs)]
    pieces = _pieces(spec, channels)

    def run() -> tuple[int, ...]:
        done, out_channels, spatial = 0, 0, ()
        for count in counts:
            out_channels = 0
            for ins, outs, groups in pieces:
                y = conv2d(x[:count, ins], w[outs], None if b is None else b[outs],
                           stride=spec.stride, padding=spec.padding,
                           dilation=spec.dilation, groups=groups)
                out_channels += y.shape[1]
                spatial = y.shape[2:]
            done += count
        return (done, out_channels, *spatial)

    params = w.size + (0 if b is None else b.size)
    return Prepared(run, params, "numpy", len(counts) * len(pieces))


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise PlotError("backend 'torch' needs PyTorch, which is not installed "
                        "(pip install torch)") from None
    return torch


def torch_backend(spec: Conv2d, batch: int) -> Prepared:
    """Time ``torch.nn.Conv2d`` (CUDA when available, else CPU) under ``inference_mode``.

    Raises :class:`PlotError` when PyTorch is not installed.
    """
    torch = _import_torch()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(
        spec.in_channels, spec.out_channels, spec.kernel_size, stride=spec.stride,
        padding=spec.padding, dilation=spec.dilation, groups=spec.groups, bias=spec.bias,
        padding_mode=spec.padding_mode,
    ).to(device)
    x = torch.randn(batch, *spec.input_shape, device=device)

    def run() -> tuple[int, ...]:
        with torch.inference_mode():
            y = layer(x)
        if device == "cuda":
            torch.cuda.synchronize()
        return tuple(y.shape)

    params = sum(p.numel() for p in layer.parameters() if p.requires_grad)
    return Prepared(run, params, f"torch-{device}")


_BACKENDS: dict[str, Backend] = {"numpy": numpy_backend, "torch": torch_backend}


def sweep(
    plan_or_argument: Plan | str,
    *,
    repeats: int = DEFAULT_REPEATS,
    warmup: int = 1,
    backend: str | Backend = "numpy",
    clock: Clock = time.perf_counter,
    progress: ProgressCallback | None = None,
) -> list[Measurement]:
    """Measure every configuration of a plan (or of an argument's default plan).

    Each configuration is prepared by ``backend`` ('numpy', 'torch' or a callable
    ``(spec, batch) -> Prepared``), run ``warmup`` times uncounted, then timed
    ``repeats`` times with ``clock`` (seconds). ``progress(done, total)`` is
    called after each configuration, once the plan and backend are known to be
    usable. Returns one :class:`Measurement` per configuration, in plan order.
    """
    the_plan = plan(plan_or_argument) if isinstance(plan_or_argument, str) else plan_or_argument
    if isinstance(backend, str):
        if backend not in _BACKENDS:
            raise PlotError(f"backend {backend!r} must be one of " + ", ".join(_BACKENDS))
        if backend == "torch":
            _import_torch()  # fail before the progress bar starts
        prepare = _BACKENDS[backend]
    else:
        prepare = backend
    if repeats < 1 or warmup < 0:
        raise PlotError(f"repeats={repeats} must be positive and warmup={warmup} not negative")
    specs = the_plan.specs()
    rows = []
    for done, spec in enumerate(specs, start=1):
        prepared = prepare(spec, the_plan.batch)
        for _ in range(warmup):
            prepared.run()
        times: list[float] = []
        shape: tuple[int, ...] = ()
        for _ in range(repeats):
            start = clock()
            shape = prepared.run()
            times.append((clock() - start) * 1000.0)
        rows.append(_measurement(spec, prepared, shape, times, the_plan.batch))
        del prepared  # free this configuration's arrays before preparing the next
        if progress is not None:
            progress(done, len(specs))
    return rows


def _measurement(spec: Conv2d, prepared: Prepared, shape: tuple[int, ...],
                 times: list[float], batch: int) -> Measurement:
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    (dh, dw), (h, w) = spec.dilation, spec.input_size
    ph, _, pw, _ = spec.pads  # plans hold symmetric padding pairs
    return Measurement(
        spec.in_channels, spec.out_channels, kh, kw, sh, sw, ph, pw, dh, dw, spec.groups,
        spec.bias, h, w, prepared.params, shape[-2], shape[-1], statistics.median(times),
        min(times), max(times), prepared.backend, batch, len(times), prepared.chunks,
    )
