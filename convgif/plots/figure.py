"""Drawing measurements: three panels against output channels (:func:`draw`).

matplotlib is imported only inside :func:`draw`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .measure import Measurement
from .plan import PlotError
from .table import PathLike, write_atomically

# Layer columns that may tell series apart, with the name shown in titles and legends.
_COLUMN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
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


def _series_label(name: str, key: tuple[Any, ...]) -> str:
    """How one group's value reads: ``stride 2``, ``kernel 3×1``, ``input 64×64``, ``bias``."""
    if name == "bias":
        return "bias" if key[0] else "no bias"
    if name == "backend":
        return str(key[0])
    if len(key) == 2 and (key[0] != key[1] or name in ("input", "kernel")):
        return f"{name} {key[0]}×{key[1]}"
    return f"{name} {key[0]}"


def image_format(path: Path) -> str:
    """The figure format of ``path``: ``png``, ``svg`` or ``pdf`` (else
    :class:`PlotError`)."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise PlotError(f"{path}: the figure must be a .png, .svg or .pdf file")
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
    ``.png`` (900 px wide), ``.svg`` or ``.pdf``; written atomically, without time
    stamps or version metadata.
    """
    target = Path(path)
    file_format = image_format(target)
    if not rows:
        raise PlotError("no measurements to draw")
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    varying = [(name, cols) for name, cols in _COLUMN_GROUPS
               if len({_key(row, cols) for row in rows}) > 1]
    fixed = [_series_label(name, _key(rows[0], cols)) for name, cols in _COLUMN_GROUPS
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
        label = ", ".join(_series_label(name, part)
                          for (name, _), part in zip(varying, key, strict=True))
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

    metadata = {"png": {"Software": None}, "svg": {"Creator": None, "Date": None},
                "pdf": {"Creator": None, "Producer": None, "CreationDate": None}}[file_format]
    with matplotlib.rc_context({"svg.hashsalt": "convgif"}):
        return write_atomically(target, lambda handle: figure.savefig(
            handle, format=file_format, metadata=metadata))
