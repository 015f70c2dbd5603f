"""Plots of each ``nn.Conv2d`` argument's impact on parameters, forward time and output size.

As in the article's figures, the x axis is the number of output channels and the
argument studied varies across the series (``out-channels`` is on the x axis, so
its series vary the input size instead). Measuring and drawing are separate steps:

- :func:`plan` declares a sweep, a :class:`Plan` (:data:`DEFAULT_PLANS` are the
  article's seven figures); change any field with :func:`dataclasses.replace`;
- :func:`sweep` measures a plan into :class:`Measurement` rows with a backend:
  :func:`numpy_backend` (``convgif.conv2d``), :func:`torch_backend`, or any callable
  returning a :class:`Prepared`; the clock can be injected too;
- :func:`write_csv` and :func:`read_csv` store rows (columns :data:`COLUMNS`);
- :func:`draw` draws rows to a PNG or SVG; :func:`plot` does all of it, as
  ``convgif plot`` does.

Public names: ARGUMENTS, COLUMNS, DEFAULT_PLANS, DEFAULT_REPEATS, Measurement, Plan,
PlotError, Prepared, Progress, draw, numpy_backend, plan, plot, read_csv, sweep, torch_backend,
write_csv.

matplotlib is imported only inside :func:`draw`, torch only inside :func:`torch_backend`.
"""

from __future__ import annotations

import csv as csv_module
import io
import os
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .engine import conv2d
from .spec import ConvgifError, ConvSpec, Pair, as_pair, parse_pair, positive_int
from .writers import atomic_output

Value = int | Pair
ValuesLike = str | Sequence[int | Sequence[int]]
PathLike = str | os.PathLike[str]
Clock = Callable[[], float]


class Progress(Protocol):
    """A progress bar: ``click.progressbar(length=n)`` and ``tqdm(total=n)`` both fit."""

    def update(self, n_steps: int, /) -> None:
        """Advance by ``n_steps``."""


ProgressFactory = Callable[[int], AbstractContextManager[Progress]]

ARGUMENTS: tuple[str, ...] = (
    "in-channels", "out-channels", "kernel-size", "stride", "padding", "dilation", "groups",
)
DEFAULT_REPEATS = 5
MEMORY_BUDGET = 1 << 30  # bytes one NumPy forward call may use before it is split

# The ConvSpec field that varies across the series of each argument's figure.
_SERIES_FIELD = {
    "in-channels": "in_channels",
    "out-channels": "input_size",
    "kernel-size": "kernel_size",
    "stride": "stride",
    "padding": "padding",
    "dilation": "dilation",
    "groups": "groups",
}
_INT_FIELDS = ("in_channels", "groups")


class PlotError(ConvgifError):
    """A sweep, CSV or output path convgif cannot use; the message says which and why."""


@dataclass(frozen=True)
class Plan:
    """One figure's sweep: output channels ``x`` times the ``series`` values, around a layer.

    The layer field named by :attr:`series_field` takes each value of ``series``
    in turn (its own value here is then unused); ``batch`` inputs go through each
    forward pass. Every configuration is checked with PyTorch's rules on creation
    (:class:`SpecError`), so an invalid plan never starts measuring.
    """

    argument: str
    x: tuple[int, ...]
    series: tuple[Value, ...]
    in_channels: int = 16
    kernel_size: Pair = (3, 3)
    input_size: Pair = (256, 256)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True
    batch: int = 1

    def __post_init__(self) -> None:
        if self.argument not in ARGUMENTS:
            raise PlotError(f"argument {self.argument!r} must be one of " + ", ".join(ARGUMENTS))
        set_ = object.__setattr__
        set_(self, "x", tuple(self.x))
        set_(self, "series", tuple(_series_value(self.series_field, v) for v in self.series))
        for name in ("kernel_size", "input_size", "stride", "dilation"):
            set_(self, name, as_pair(name, getattr(self, name)))
        set_(self, "padding", as_pair("padding", self.padding, minimum=0))
        if not self.x or not self.series:
            raise PlotError(f"a {self.argument} sweep needs at least one x and one series value")
        positive_int("batch", self.batch, PlotError)
        self.specs()

    @property
    def series_field(self) -> str:
        """The :class:`ConvSpec` field that varies across the series."""
        return _SERIES_FIELD[self.argument]

    def specs(self) -> list[ConvSpec]:
        """Every configuration, series after series, each over ``x`` in order."""
        layer: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("in_channels", "kernel_size", "input_size", "stride", "padding",
                         "dilation", "groups", "bias")
        }
        return [
            ConvSpec(**{**layer, self.series_field: value, "out_channels": out})
            for value in self.series
            for out in self.x
        ]


def _series_value(field_name: str, value: object) -> Value:
    if field_name in _INT_FIELDS:
        if isinstance(value, (tuple, list)):
            raise PlotError(f"{field_name} values must be integers, not {value!r}")
        return value  # type: ignore[return-value]  # ConvSpec checks it
    return as_pair(field_name, value, minimum=0 if field_name == "padding" else 1)


_POWERS = tuple(2**i for i in range(9))  # 1 .. 256 output channels

DEFAULT_PLANS: dict[str, Plan] = {
    "in-channels": Plan("in-channels", _POWERS, (16, 32, 64, 128)),
    "out-channels": Plan("out-channels", _POWERS, ((64, 64), (128, 128), (256, 256))),
    "kernel-size": Plan("kernel-size", _POWERS, ((1, 1), (3, 1), (3, 3), (5, 5)),
                        in_channels=1),
    "stride": Plan("stride", _POWERS, (1, 2, 3, 4)),
    "padding": Plan("padding", _POWERS, (0, 1, 2, 3)),
    "dilation": Plan("dilation", _POWERS, (1, 2, 3, 4)),
    # Groups must divide the output channels too: the x axis starts at 8.
    "groups": Plan("groups", _POWERS[3:], (1, 2, 4, 8)),
}


def _parse(text: str) -> list[Value]:
    """``"1,2,4"`` -> [1, 2, 4]; ``"1x1,3x1"`` -> [(1, 1), (3, 1)]."""
    values: list[Value] = []
    for item in text.split(","):
        try:
            values.append(parse_pair(item.replace(",", "")))
        except ValueError:
            raise PlotError(f"{item.strip()!r} in {text!r} must be N or NxM "
                            "(values separated by commas)") from None
    return values


def _values(given: ValuesLike | None) -> list[Any] | None:
    return _parse(given) if isinstance(given, str) else None if given is None else list(given)


def _one_of(argument: str, first: tuple[str, ValuesLike | None],
            second: tuple[str, ValuesLike | None]) -> list[Any] | None:
    if first[1] is not None and second[1] is not None:
        raise PlotError(f"{first[0]} and {second[0]} set the same values for {argument}: "
                        "give one of them")
    return _values(first[1] if first[1] is not None else second[1])


def plan(
    argument: str,
    *,
    x: ValuesLike | None = None,
    values: ValuesLike | None = None,
    series: ValuesLike | None = None,
    size: int | Sequence[int] | None = None,
    batch: int | None = None,
) -> Plan:
    """The article's sweep for ``argument`` (one of :data:`ARGUMENTS`), with changes.

    ``x``: the output channels on the x axis. ``values``: ``argument``'s values,
    i.e. the series (for ``out-channels``, the x axis). ``series``: the series'
    values, i.e. ``argument``'s (for ``out-channels``, input sizes). ``size``:
    the input size (not for ``out-channels``). Lists may be given as text:
    ``"1,2,4"``, ``"1x1,3x1"``. Raises :class:`PlotError` or :class:`SpecError`.
    """
    name = argument.replace("_", "-")
    if name not in DEFAULT_PLANS:
        raise PlotError(f"argument {argument!r} must be one of " + ", ".join(ARGUMENTS))
    if name == "out-channels":
        if size is not None:
            raise PlotError("out-channels draws one series per input size: "
                            "set the sizes with series, not size")
        new_x = _one_of(name, ("x", x), ("values", values))
        new_series = _values(series)
    else:
        new_x = _values(x)
        new_series = _one_of(name, ("series", series), ("values", values))
    changes: dict[str, Any] = {}
    if new_x is not None:
        changes["x"] = new_x
    if new_series is not None:
        changes["series"] = new_series
    if size is not None:
        changes["input_size"] = size
    if batch is not None:
        changes["batch"] = batch
    return replace(DEFAULT_PLANS[name], **changes)


# -- measuring ------------------------------------------------------------------------------


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


Backend = Callable[[ConvSpec, int], Prepared]


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
_REQUIRED = COLUMNS[: COLUMNS.index("backend") + 1]


def _chunking(spec: ConvSpec, batch: int, budget: int) -> tuple[int, int]:
    """(inputs, output channels) per conv2d call so one call stays within ``budget`` bytes.

    A deliberately generous estimate for float32: input and padded input, an
    im2col matrix, and three arrays as large as the padded input per output channel.
    """
    (hp, wp), (oh, ow), (kh, kw) = spec.padded_size, spec.output_size, spec.kernel
    fixed = spec.in_channels * (2 * hp * wp + kh * kw * oh * ow)
    per_out = 3 * hp * wp
    item = 4 * (fixed + per_out * spec.out_channels)
    if item <= budget:
        return max(1, min(batch, budget // item)), spec.out_channels
    unit = spec.groups_out if spec.groups > 1 else 1
    channels = (budget // 4 - fixed) // per_out // unit * unit
    if channels < unit:
        raise PlotError(
            f"{spec.torch_repr()} on a {spec.input_shape} input needs over "
            f"{4 * (fixed + per_out * unit) / 2**20:.1f} MiB per call even when split "
            f"(budget {budget / 2**20:.1f} MiB): use a smaller input size"
        )
    return 1, channels


def _pieces(spec: ConvSpec, channels: int) -> list[tuple[slice, slice, int]]:
    """(input channels, output channels, groups) of each call covering all output channels."""
    if spec.groups == 1:
        return [(slice(None), slice(o, min(o + channels, spec.out_channels)), 1)
                for o in range(0, spec.out_channels, channels)]
    per, cg, og = channels // spec.groups_out, spec.groups_in, spec.groups_out
    return [(slice(g * cg, min(g + per, spec.groups) * cg),
             slice(g * og, min(g + per, spec.groups) * og),
             min(g + per, spec.groups) - g)
            for g in range(0, spec.groups, per)]


def numpy_backend(spec: ConvSpec, batch: int, memory_budget: int = MEMORY_BUDGET) -> Prepared:
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
                           stride=spec.strides, padding=spec.padding,
                           dilation=spec.dilations, groups=groups)
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


def torch_backend(spec: ConvSpec, batch: int) -> Prepared:
    """Time ``torch.nn.Conv2d`` (CUDA when available, else CPU) under ``inference_mode``.

    Raises :class:`PlotError` when PyTorch is not installed.
    """
    torch = _import_torch()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(
        spec.in_channels, spec.out_channels, spec.kernel, stride=spec.strides,
        padding=spec.padding, dilation=spec.dilations, groups=spec.groups, bias=spec.bias,
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
    progress: ProgressFactory | None = None,
) -> list[Measurement]:
    """Measure every configuration of a plan (or of an argument's default plan).

    Each configuration is prepared by ``backend`` ('numpy', 'torch' or a callable
    ``(spec, batch) -> Prepared``), run ``warmup`` times uncounted, then timed
    ``repeats`` times with ``clock`` (seconds). ``progress(total)`` may return a
    progress bar (a context manager with ``update(n)``, e.g. ``click.progressbar``
    or ``tqdm``), updated after each configuration; it starts once the plan and
    backend are known to be usable. Returns one :class:`Measurement` per
    configuration, in plan order.
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
    with nullcontext() if progress is None else progress(len(specs)) as bar:
        for spec in specs:
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
            if bar is not None:
                bar.update(1)
    return rows


def _measurement(spec: ConvSpec, prepared: Prepared, shape: tuple[int, ...],
                 times: list[float], batch: int) -> Measurement:
    (kh, kw), (sh, sw), (dh, dw), (h, w) = spec.kernel, spec.strides, spec.dilations, spec.size
    ph, _, pw, _ = spec.pads  # plans hold symmetric padding pairs
    return Measurement(
        spec.in_channels, spec.out_channels, kh, kw, sh, sw, ph, pw, dh, dw, spec.groups,
        spec.bias, h, w, prepared.params, shape[-2], shape[-1], statistics.median(times),
        min(times), max(times), prepared.backend, batch, len(times), prepared.chunks,
    )


# -- files ----------------------------------------------------------------------------------


def _atomic_write(path: PathLike, write: Callable[[Any], None]) -> Path:
    """Write through ``write(binary_handle)`` with :func:`atomic_output`; a folder is refused."""
    target = Path(path)
    if target.is_dir():
        raise PlotError(f"{target} is a folder, not a file")
    with atomic_output(target) as handle:
        write(handle)
    return target


def write_csv(rows: Sequence[Measurement], path: PathLike) -> Path:
    """Write ``rows`` to a CSV file (header :data:`COLUMNS`), atomically; returns the path."""
    text = io.StringIO()
    writer = csv_module.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            str(v).lower() if isinstance(v, bool) else v
            for v in (getattr(row, name) for name in COLUMNS)
        )
    return _atomic_write(path, lambda handle: handle.write(text.getvalue().encode()))


_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def _convert(kind: str, text: str) -> object:
    if kind == "bool":
        return _BOOLS[text.strip().lower()]
    return {"int": int, "float": float, "str": str}[kind](text)


def read_csv(path: PathLike) -> list[Measurement]:
    """Read rows written by :func:`write_csv` (or any CSV with the columns up to ``backend``).

    Columns after ``backend`` are optional; unknown columns are ignored. Raises
    :class:`PlotError` naming the line and column of a malformed value.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return _read_rows(csv_module.DictReader(handle), path)
    except (UnicodeDecodeError, csv_module.Error) as error:
        raise PlotError(f"{path}: not a readable CSV file ({error})") from None


def _read_rows(reader: csv_module.DictReader[str], path: PathLike) -> list[Measurement]:
    missing = [name for name in _REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise PlotError(f"{path}: missing CSV columns: " + ", ".join(missing))
    kinds = {f.name: str(f.type) for f in fields(Measurement)}
    rows = []
    for record in reader:
        values: dict[str, object] = {}
        for name, kind in kinds.items():
            text = record.get(name)
            if name in _REQUIRED and not text:
                raise PlotError(f"{path}: line {reader.line_num}: {name} is empty")
            if not text:
                continue
            try:
                values[name] = _convert(kind, text)
            except (KeyError, ValueError):
                raise PlotError(f"{path}: line {reader.line_num}: {name}={text!r} "
                                f"is not a valid {kind}") from None
        rows.append(Measurement(**values))  # type: ignore[arg-type]
    return rows


# -- drawing --------------------------------------------------------------------------------

# Layer columns that may tell series apart, with the name shown in titles and legends.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("in channels", ("in_channels",)),
    ("input", ("height", "width")),
    ("kernel", ("kernel_h", "kernel_w")),
    ("stride", ("stride_h", "stride_w")),
    ("padding", ("padding_h", "padding_w")),
    ("dilation", ("dilation_h", "dilation_w")),
    ("groups", ("groups",)),
    ("bias", ("bias",)),
    ("batch", ("batch",)),
    ("backend", ("backend",)),
)


_TITLES = {"input": "input size", "kernel": "kernel size"}


def _key(row: Measurement, columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in columns)


def _text(name: str, key: tuple[Any, ...]) -> str:
    """How one group's value reads: ``stride 2``, ``kernel 3×1``, ``input 64×64``, ``bias``."""
    if name == "bias":
        return "bias" if key[0] else "no bias"
    if name == "backend":
        return str(key[0])
    if len(key) == 2 and (key[0] != key[1] or name in ("input", "kernel")):
        return f"{name} {key[0]}×{key[1]}"
    return f"{name} {key[0]}"


def _image_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise PlotError(f"{path}: the figure must be a .png or .svg file")
    return suffix[1:]


def _compact(value: float, _position: object = None) -> str:
    """Tick text: ``0.05``, ``20``, ``5k``, ``2M``."""
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= factor:
            return f"{value / factor:g}{suffix}"
    return f"{value:g}"


def _style_y(ax: Any, values: Sequence[float]) -> None:
    """Log scale labelled at 1-2-5 steps (decades only over a wide range); linear if any <= 0."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.grid(True, which="major", alpha=0.4)
    if min(values) <= 0:
        return
    ax.set_yscale("log")
    wide = max(values) / min(values) > 10**3.5
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0,) if wide else (1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(_compact))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(True, which="minor", alpha=0.12)


def draw(rows: Sequence[Measurement], path: PathLike) -> Path:
    """Draw parameters, forward time and output size against output channels; returns the path.

    Three stacked panels share a log2 x axis; one series per combination of the
    layer columns that vary across ``rows`` (so a CSV of any sweep redraws).
    The time panel shows the median with a min-max band. ``path`` ends in
    ``.png`` (900 px wide) or ``.svg``; written atomically, without time stamps
    or version metadata.
    """
    target = Path(path)
    image_format = _image_format(target)
    if not rows:
        raise PlotError("no measurements to draw")
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    varying = [(name, cols) for name, cols in _GROUPS
               if len({_key(row, cols) for row in rows}) > 1]
    fixed = [_text(name, _key(rows[0], cols)) for name, cols in _GROUPS
             if (name, cols) not in varying]
    shared_output = len({(row.out_height, row.out_width) for row in rows}) == 1
    if shared_output:
        fixed.append(f"output {rows[0].out_height}×{rows[0].out_width}")
    series: dict[tuple[Any, ...], list[Measurement]] = {}
    for row in rows:
        series.setdefault(tuple(_key(row, cols) for _, cols in varying), []).append(row)
    repeats = {row.repeats for row in rows}
    runs = f"{repeats.pop()} runs" if len(repeats) == 1 else "runs"
    panels: list[tuple[str, Callable[[Measurement], float]]] = [
        ("Trainable parameters", lambda row: row.params),
        (f"Forward time (ms)\nmedian of {runs}, band min–max", lambda row: row.time_ms_median),
        ("Output size (values per input)\nC_out × H_out × W_out",
         lambda row: row.out_channels * row.out_height * row.out_width),
    ]

    figure = Figure(figsize=(9, 10.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(3, 1, sharex=True)
    for key in sorted(series):
        points = sorted(series[key], key=lambda row: row.out_channels)
        xs = [row.out_channels for row in points]
        label = ", ".join(_text(name, part) for (name, _), part in zip(varying, key, strict=True))
        outputs = {(row.out_height, row.out_width) for row in points}
        if len(outputs) == 1 and not shared_output:
            label += " (output {}×{})".format(*outputs.pop())
        color = axes[0].plot(xs, [row.params for row in points], marker="o", ms=4,
                             label=label)[0].get_color()
        for ax, (_, value) in zip(axes[1:], panels[1:], strict=True):
            ax.plot(xs, [value(row) for row in points], marker="o", ms=4, color=color)
        axes[1].fill_between(xs, [row.time_ms_min for row in points],
                             [row.time_ms_max for row in points], color=color, alpha=0.2,
                             linewidth=0)

    for ax, (label, value) in zip(axes, panels, strict=True):
        ax.set_ylabel(label)
        values = [value(row) for row in rows]
        _style_y(ax, values + [row.time_ms_min for row in rows] if ax is axes[1] else values)
        curves = {tuple(sorted((row.out_channels, value(row)) for row in points))
                  for points in series.values()}
        if len(series) > 1 and len(curves) == 1:
            ax.text(0.99, 0.03, "the same for every series", transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=9, style="italic")
    axes[2].set_xlabel("Output channels (C_out)")
    axes[2].set_xscale("log", base=2)
    ticks = sorted({row.out_channels for row in rows})
    if len(ticks) <= 16:
        axes[2].set_xticks(ticks, [str(tick) for tick in ticks])
        axes[2].xaxis.set_minor_locator(NullLocator())
    if len(series) > 1:
        axes[0].legend(title=", ".join(_TITLES.get(name, name) for name, _ in varying),
                       loc="upper left",
                       fontsize=9, title_fontsize=9)
    studied = ", ".join(_TITLES.get(name, name) for name, _ in varying) or "output channels"
    figure.suptitle(f"nn.Conv2d forward pass: parameters, time and output size by {studied}",
                    fontsize=13, fontweight="bold")
    axes[0].set_title("Fixed: " + ", ".join(fixed), fontsize=9)

    metadata = {"Software": None} if image_format == "png" else {"Creator": None, "Date": None}
    with matplotlib.rc_context({"svg.hashsalt": "convgif"}):
        return _atomic_write(target, lambda handle: figure.savefig(
            handle, format=image_format, metadata=metadata))


def plot(
    plan_or_argument: Plan | str,
    output: PathLike | None = None,
    *,
    csv: PathLike | None = None,
    from_csv: PathLike | None = None,
    repeats: int | None = None,
    backend: str | Backend | None = None,
    clock: Clock = time.perf_counter,
    progress: ProgressFactory | None = None,
    **changes: Any,
) -> list[Path]:
    """What ``convgif plot`` does: measure (or read ``from_csv``), write ``csv``, draw ``output``.

    ``plan_or_argument`` is a :class:`Plan` or an argument name, whose sweep
    ``changes`` (the keywords of :func:`plan`) adjust. ``repeats`` defaults to
    :data:`DEFAULT_REPEATS` and ``backend`` to ``"numpy"``; ``from_csv`` redraws
    without measuring, so it takes none of these. ``output`` defaults to
    ``plot-<argument>.png`` in the current folder. Returns the paths written, the
    CSV first. Paths are checked before anything is measured.
    """
    measuring = {"repeats": repeats, "backend": backend, **changes}
    given = sorted(name for name, value in measuring.items() if value is not None)
    if from_csv is not None and given:
        raise PlotError("from_csv redraws without measuring: drop " + ", ".join(given))
    if isinstance(plan_or_argument, str):
        the_plan = plan(plan_or_argument, **changes)
    elif changes:
        raise PlotError("changes apply to an argument name, not to a Plan: use "
                        "dataclasses.replace")
    else:
        the_plan = plan_or_argument
    figure = Path(f"plot-{the_plan.argument}.png" if output is None else output)
    _image_format(figure)
    for path in (figure, csv):
        if path is not None and Path(path).is_dir():
            raise PlotError(f"{path} is a folder, not a file")
    if from_csv is not None:
        rows = read_csv(from_csv)
    else:
        rows = sweep(the_plan, repeats=repeats or DEFAULT_REPEATS, backend=backend or "numpy",
                     clock=clock, progress=progress)
    written = [] if csv is None else [write_csv(rows, csv)]
    written.append(draw(rows, figure))
    return written
