"""File size and speed of ``convgif render`` against the article's original GIFs and matplotlib.

Run ``python benchmarks/render.py [--runs 5] [--mpl-runs 1]``. Prints:

* two size tables for the article's seven GIFs, one with our default cells (the
  files ``convgif render`` writes) and one with 20 px cells (as the originals):
  frames, canvas, our bytes, the original scripts' bytes (their GIFs regenerated
  with today's libraries, 20 px cells), the ratio, and what ``gifsicle -O3`` still
  shaves off our file; then the geometric mean ratio and the largest saving;
* speed: in-process render+encode frames/s over the seven configurations
  (median of ``--runs``), the whole ``convgif render`` process for the headline
  layer (median of ``--runs``), a plain matplotlib FuncAnimation + PillowWriter
  renderer of the same frames (``--mpl-runs`` runs) and the speed ratio;
* a long render, (3,16,16) -> 8 K3 P1 (2048 frames): wall time and peak RSS of
  the process;
* values (``--values``) on the headline layer: in-process frames/s, the
  ``convgif render --values`` process, and its GIF's bytes against the plain GIF
  of the same layer (plain measured in the same run);
* formats: bytes and render time of WebP, APNG, MP4 and the HTML player against GIF,
  same run, and the bytes of ``--scale 2`` GIFs against scale 1.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import convgif
from convgif import ConvSpec
from convgif.layout import Grid, Layout, layout, status_text
from convgif.theme import LIGHT, RGB
from convgif.trace import trace

ORIGINAL_CELL = 20  # px per cell in the original scripts' GIFs
# (label, spec, bytes of the original script's GIF)
CONFIGS: list[tuple[str, ConvSpec, int]] = [
    ("(1,9,9) -> 1, K3 P0 S1 D1 G1", ConvSpec(1, 1, 3, 9), 98_441),
    ("(3,7,7) -> 2, K3 P1 S2 D2 G1", ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2),
     169_085),
    ("(2,7,7) -> 4, K3 P2 S2 D1 G2", ConvSpec(2, 4, 3, 7, padding=2, stride=2, groups=2),
     397_205),
    ("(3,7,7) -> 4, K3 P0 S1 D1 G1", ConvSpec(3, 4, 3, 7), 923_646),
    ("(2,7,7) -> 1, K3 P1 S1 D1 G1", ConvSpec(2, 1, 3, 7, padding=1), 220_302),
    ("(3,9,9) -> 2, K3 P0 S(1,3) D1 G1", ConvSpec(3, 2, 3, 9, stride=(1, 3)), 414_548),
    ("(2,7,7) -> 1, K3 P1 S1 D(4,2) G1", ConvSpec(2, 1, 3, 7, padding=1, dilation=(4, 2)),
     27_197),
]
LONG = ["--in-channels", "3", "--size", "16", "--out-channels", "8", "-k", "3", "-p", "1",
        "-s", "1", "-d", "1", "--max-frames", "5000"]
TARGETS = {"ratio": 0.5, "gifsicle": 10.0, "fps": 300.0, "process": 0.3, "vs_mpl": 10.0,
           "long_s": 15.0, "long_mb": 300.0, "values_fps": 300.0, "values_process": 0.35,
           "values_bytes": 2.0}
HEADLINE = CONFIGS[1][1]


def mark(ok: bool) -> str:
    """A pass/fail mark for a target."""
    return "ok" if ok else "MISSED"


def convgif_command() -> list[str]:
    """The installed ``convgif`` script of this interpreter, else ``python -m convgif``."""
    script = Path(sys.executable).with_name("convgif")
    return [str(script)] if script.exists() else [sys.executable, "-m", "convgif"]


def size_table(folder: Path, cell: int | None) -> None:
    """Print the size table: ours (``cell`` px cells, None: default) against the originals."""
    gifsicle = shutil.which("gifsicle")
    cells = "default cells, as `convgif render` writes" if cell is None else (
        f"cells {cell} px, as the originals")
    print(f"## Size ({cells}; light theme, 300 ms/frame)\n")
    print("| configuration (C_in,H,W -> C_out, K, P, S, D, G) | frames | canvas px | "
          "bytes (ours) | bytes (original) | ratio | gifsicle -O3 | gifsicle saves |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios, savings = [], []
    for label, spec, original in CONFIGS:
        done = convgif.render(spec, folder / f"{spec.slug}.gif", cell_size=cell)
        ratio = done.bytes / original
        ratios.append(ratio)
        if gifsicle:
            squeezed = folder / f"{spec.slug}.O3.gif"
            subprocess.run([gifsicle, "-O3", str(done.path), "-o", str(squeezed)], check=True)
            small = squeezed.stat().st_size
            saving = 100 * (done.bytes - small) / done.bytes
            savings.append(saving)
            opt = f"{small:,} | {saving:.1f}%"
        else:
            opt = "n/a | n/a"
        print(f"| {label} | {done.frames} | {done.width}x{done.height} | {done.bytes:,} | "
              f"{original:,} | {ratio:.3f} | {opt} |")
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"\ngeometric mean ratio: {geo:.3f} (target <= {TARGETS['ratio']}: "
          f"{mark(geo <= TARGETS['ratio'])})")
    if savings:
        most = max(savings)
        print(f"largest gifsicle -O3 saving: {most:.1f}% (target <= {TARGETS['gifsicle']:.0f}%: "
              f"{mark(most <= TARGETS['gifsicle'])})")
    else:
        print("largest gifsicle -O3 saving: n/a (gifsicle not installed)")


def in_process_fps(folder: Path, runs: int, cell: int | None) -> float:
    """Median over ``runs`` of frames/s rendering and encoding all seven configurations."""
    total = sum(spec.n_steps for _, spec, _ in CONFIGS)
    rates = []
    for run in range(runs + 1):  # the first run warms caches and is not counted
        start = time.perf_counter()
        for _, spec, _ in CONFIGS:
            convgif.render(spec, folder / "speed.gif", cell_size=cell)
        if run:
            rates.append(total / (time.perf_counter() - start))
    return statistics.median(rates)


def values_fps(folder: Path, runs: int) -> tuple[float, float]:
    """Median frames/s of the headline layer with values and without, alternated."""
    rates: dict[bool, list[float]] = {True: [], False: []}
    for run in range(runs + 1):  # the first round warms caches and is not counted
        for values in (True, False):
            start = time.perf_counter()
            for _ in range(5):
                convgif.render(HEADLINE, folder / "values.gif", values=values)
            if run:
                rates[values].append(5 * HEADLINE.n_steps / (time.perf_counter() - start))
    return statistics.median(rates[True]), statistics.median(rates[False])


def process_seconds(folder: Path, runs: int, *extra: str) -> float:
    """Median wall time of the whole ``convgif render`` process for the headline layer."""
    command = [*convgif_command(), "render", "-q", *extra, "-o", str(folder / "headline.gif")]
    subprocess.run(command, check=True, capture_output=True)  # warm the disk cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def long_render(folder: Path) -> tuple[float, float, str]:
    """Wall time (s), peak RSS (MB) and summary line of the 2048-frame render process.

    The peak RSS comes from GNU time when installed: ``wait4`` on a child forked
    from this (larger) process would count the pages it shared before ``exec``.
    """
    command = [*convgif_command(), "render", *LONG, "-q", "-o", str(folder / "long.gif")]
    report = folder / "time.txt"
    gnu_time = Path("/usr/bin/time")
    if gnu_time.exists():
        command = [str(gnu_time), "-f", "%M", "-o", str(report), *command]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    line = process.stdout.read().decode().strip() if process.stdout else ""
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    kib = int(report.read_text().split()[-1]) if gnu_time.exists() else usage.ru_maxrss
    return seconds, kib / 1024, line.replace(str(folder / "long.gif"), "long.gif")


# -- a plain matplotlib renderer of the same frames ----------------------------------------------

DPI = 100


def _rgb(colour: RGB) -> tuple[float, float, float]:
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255)


def matplotlib_gif(spec: ConvSpec, path: Path, cell: int | None, duration: int = 300) -> int:
    """Draw ``spec``'s frames with matplotlib patches and save them with PillowWriter.

    Uses convgif's layout for the positions, so the canvas and cells match; one
    PatchCollection per grid whose face colours change per frame, a footprint
    rectangle per input channel, link lines, the status line and static labels.
    Returns the number of frames.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    lay: Layout = layout(spec, cell)
    theme = LIGHT
    fig = plt.figure(figsize=(lay.width / DPI, lay.height / DPI), dpi=DPI,
                     facecolor=_rgb(theme.background))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, lay.width)
    ax.set_ylim(lay.height, 0)
    ax.axis("off")
    points = 72 / DPI  # px -> pt

    def cells(grid: Grid, colour: RGB) -> PatchCollection:
        rects = [Rectangle((grid.x + c * grid.cell, grid.y + r * grid.cell), grid.cell, grid.cell)
                 for r in range(grid.rows) for c in range(grid.cols)]
        patches = PatchCollection(rects, facecolors=[_rgb(colour)] * len(rects),
                                  edgecolors=_rgb(theme.grid), linewidths=points)
        ax.add_collection(patches)
        return patches

    top, _, left, _ = spec.pads
    h, w = spec.input_size

    def base_input(grid: Grid) -> list[tuple[float, float, float]]:
        return [_rgb(theme.cell if top <= r < top + h and left <= c < left + w else theme.padding)
                for r in range(grid.rows) for c in range(grid.cols)]

    inputs = [cells(grid, theme.cell) for grid in lay.inputs]
    kernels = [[cells(grid, theme.kernel) for grid in bank] for bank in lay.kernels]
    outputs = [cells(grid, theme.output) for grid in lay.outputs]
    state = [[_rgb(theme.output)] * (g.rows * g.cols) for g in lay.outputs]
    footprints = [ax.add_patch(Rectangle((0, 0), 0, 0, fill=False, linewidth=2 * points,
                                         edgecolor=_rgb(theme.footprint)))
                  for _ in lay.inputs]
    links = [[ax.plot([], [], color=_rgb(theme.link), linewidth=points)[0] for _ in range(3)]
             for _ in lay.inputs]
    for item in lay.texts:
        ax.text(item.x, item.y, item.text, fontsize=item.size * points, va="top",
                color=_rgb(theme.text if item.role == "text" else theme.muted))
    for swatch in lay.swatches:
        x0, y0, x1, y1 = swatch.box
        outline = swatch.colour == "footprint"
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=not outline,
                               facecolor=_rgb(getattr(theme, swatch.colour)),
                               edgecolor=_rgb(theme.footprint if outline else theme.grid),
                               linewidth=(2 if outline else 1) * points))
        ax.text(swatch.label.x, swatch.label.y, swatch.label.text, va="top",
                fontsize=swatch.label.size * points, color=_rgb(theme.muted))
    status = ax.text(lay.slots.status[0], lay.slots.status[1], "", fontsize=lay.font_size * points,
                     va="top", color=_rgb(theme.text))
    steps = list(trace(spec))
    previous: list[tuple[int, int, int]] = []

    def update(index: int) -> None:
        step = steps[index]
        for channel, row, col in previous:  # last frame's outputs are now computed
            state[channel][row * lay.outputs[channel].cols + col] = _rgb(theme.done)
        previous.clear()
        for channel, grid in enumerate(lay.inputs):
            colours = base_input(grid)
            for tap in step.taps:
                colours[tap.row * grid.cols + tap.col] = _rgb(theme.tap)
            inputs[channel].set_facecolor(colours)
        active = {out.channel for out in step.outputs}
        for channel, bank in enumerate(kernels):
            for patches in bank:
                patches.set_facecolor(_rgb(theme.kernel_active if channel in active
                                           else theme.kernel))
        for channel, patches in enumerate(outputs):
            colours = list(state[channel])
            for out in step.outputs:
                if out.channel == channel:
                    colours[out.row * lay.outputs[channel].cols + out.col] = _rgb(theme.current)
                    previous.append((channel, out.row, out.col))
            patches.set_facecolor(colours)
        y0, x0, y1, x1 = step.window
        for channel, grid in enumerate(lay.inputs):
            foot = grid.span_box(y0, x0, y1, x1)
            footprints[channel].set_bounds(foot[0], foot[1], foot[2] - foot[0], foot[3] - foot[1])
            out = step.outputs[lay.input_group(channel)]
            kbox = lay.kernels[out.channel][channel % spec.in_per_group].box
            target = lay.outputs[out.channel].cell_box(out.row, out.col)
            ends = [((foot[2], kbox[0]), (foot[1], kbox[1])),
                    ((foot[2], kbox[0]), (foot[3], kbox[3])),
                    ((kbox[2], target[0]), ((kbox[1] + kbox[3]) / 2, (target[1] + target[3]) / 2))]
            for line, (xs, ys) in zip(links[channel], ends, strict=True):
                line.set_data(xs, ys)
        status.set_text(status_text(spec, step.index, step.outputs))

    animation = FuncAnimation(fig, update, frames=len(steps), blit=False, repeat=False)
    animation.save(str(path), writer=PillowWriter(fps=1000 / duration), dpi=DPI)
    plt.close(fig)
    return len(steps)


def matplotlib_fps(folder: Path, runs: int, cell: int | None) -> float:
    """Median over ``runs`` of frames/s of the matplotlib renderer on the seven configurations."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        total = sum(matplotlib_gif(spec, folder / "mpl.gif", cell) for _, spec, _ in CONFIGS)
        rates.append(total / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    """Measure and print everything."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs for convgif's timings")
    parser.add_argument("--mpl-runs", type=int, default=1, help="runs for matplotlib's timing")
    parser.add_argument("--values-only", action="store_true",
                        help="measure only the values table")
    parser.add_argument("--formats-only", action="store_true",
                        help="measure only the formats table")
    args = parser.parse_args()
    if args.values_only or args.formats_only:
        with tempfile.TemporaryDirectory() as name:
            (values_table if args.values_only else formats_table)(Path(name), args.runs)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        size_table(folder, None)
        print()
        size_table(folder, ORIGINAL_CELL)
        frames = sum(spec.n_steps for _, spec, _ in CONFIGS)
        print(f"\n## Speed ({os.cpu_count()} cores; {frames} frames over the seven "
              "configurations)\n")
        fps = in_process_fps(folder, args.runs, None)
        fps20 = in_process_fps(folder, args.runs, ORIGINAL_CELL)
        print(f"convgif in-process render+encode, default cells: {fps:.0f} frames/s "
              f"(median of {args.runs}; target >= {TARGETS['fps']:.0f}: "
              f"{mark(fps >= TARGETS['fps'])})")
        print(f"convgif in-process render+encode, {ORIGINAL_CELL} px cells: {fps20:.0f} "
              f"frames/s (median of {args.runs})")
        seconds = process_seconds(folder, args.runs)
        print(f"`convgif render` process, headline layer (18 frames): {seconds:.3f} s "
              f"(median of {args.runs}; target < {TARGETS['process']} s: "
              f"{mark(seconds < TARGETS['process'])})")
        long_s, megabytes, line = long_render(folder)
        mpl = matplotlib_fps(folder, args.mpl_runs, None)
        ratio = fps / mpl
        print(f"matplotlib FuncAnimation + PillowWriter, default cells: {mpl:.1f} frames/s "
              f"(median of {args.mpl_runs})")
        print(f"speed ratio convgif / matplotlib: {ratio:.1f}x (target >= "
              f"{TARGETS['vs_mpl']:.0f}x: {mark(ratio >= TARGETS['vs_mpl'])})")
        print(f"\n## Long render: (3,16,16) -> 8, K3 P1 S1 D1 G1, max_frames=5000\n\n{line}")
        print(f"wall time: {long_s:.2f} s (target < {TARGETS['long_s']:.0f} s: "
              f"{mark(long_s < TARGETS['long_s'])})")
        print(f"peak RSS: {megabytes:.0f} MB (target < {TARGETS['long_mb']:.0f} MB: "
              f"{mark(megabytes < TARGETS['long_mb'])})")
        values_table(folder, args.runs)
        formats_table(folder, args.runs)


def formats_table(folder: Path, runs: int) -> None:
    """Bytes and in-process render time of every format, against GIF in the same run;
    then ``--scale 2`` GIFs against scale 1."""
    print("\n## Formats: the article's seven layers, default cells\n")
    print("| format | bytes (sum) | bytes / GIF | seconds (median of runs) | time / GIF |")
    print("|---|---:|---:|---:|---:|")
    suffixes = []
    for suffix in (".gif", ".webp", ".png", ".mp4", ".html"):
        try:
            convgif.render(CONFIGS[0][1], folder / f"warm{suffix}")
            suffixes.append(suffix)
        except convgif.OptionError as error:
            print(f"| {suffix} | n/a ({error}) | | | |")
    # Formats take turns within each run (this machine drifts by a third within a
    # minute), and each run's time is compared with that run's GIF.
    times: dict[str, list[float]] = {suffix: [] for suffix in suffixes}
    ratios: dict[str, list[float]] = {suffix: [] for suffix in suffixes}
    totals: dict[str, int] = {}
    for _ in range(runs):
        for suffix in suffixes:
            start, total = time.perf_counter(), 0
            for _, spec, _ in CONFIGS:
                total += convgif.render(spec, folder / f"f{suffix}").bytes
            times[suffix].append(time.perf_counter() - start)
            totals[suffix] = total
        for suffix in suffixes:
            ratios[suffix].append(times[suffix][-1] / times[".gif"][-1])
    measured = {suffix: (totals[suffix], statistics.median(times[suffix]))
                for suffix in suffixes}
    gif_bytes = measured[".gif"][0]
    for suffix, (total, seconds) in measured.items():
        print(f"| {suffix} | {total:,} | {total / gif_bytes:.2f} | {seconds:.3f} | "
              f"{statistics.median(ratios[suffix]):.1f} |")
    print(f"\n(time / GIF: the median over {runs} runs of each run's ratio)\n")
    for suffix, what, target in ((".webp", "WebP bytes", 0.45),
                                 (".html", "HTML player bytes", 1.5),
                                 (".mp4", "MP4 time", 2.0)):
        if suffix in measured:
            ratio = (statistics.median(ratios[suffix]) if what.endswith("time")
                     else measured[suffix][0] / gif_bytes)
            spread = (f", runs {min(ratios[suffix]):.2f}-{max(ratios[suffix]):.2f}"
                      if what.endswith("time") else "")
            print(f"{what} / GIF: {ratio:.2f}x{spread} (target <= {target}x: "
                  f"{mark(ratio <= target)})")
    vector_table(folder, runs)
    scaled = sum(convgif.render(spec, folder / "s2.gif", scale=2).bytes
                 for _, spec, _ in CONFIGS)
    ratio = scaled / gif_bytes
    print(f"--scale 2 GIF bytes / scale 1: {ratio:.2f}x ({scaled:,} bytes; target <= 3x: "
          f"{mark(ratio <= 3)})")


def vector_table(folder: Path, runs: int) -> None:
    """The headline layer as a GIF, as an 18-page PDF and one frame as SVG: bytes and
    in-process time, taking turns in each run, each against that run's GIF."""
    headline = CONFIGS[0][1]
    jobs = {"GIF (18 frames)": lambda: convgif.render(headline, folder / "v.gif"),
            "PDF (18 pages)": lambda: convgif.render(headline, folder / "v.pdf"),
            "SVG (frame 6)": lambda: convgif.stills(headline, 6, folder / "v.svg")[0]}
    times: dict[str, list[float]] = {name: [] for name in jobs}
    sizes: dict[str, int] = {}
    for job in jobs.values():  # warm: imports (matplotlib for PDF), caches
        job()
    for _ in range(runs):
        for name, job in jobs.items():
            start = time.perf_counter()
            sizes[name] = job().bytes
            times[name].append(time.perf_counter() - start)
    gif = "GIF (18 frames)"
    print("\n## Vector frames: the headline layer\n")
    print("| file | bytes | bytes / GIF | seconds (median) | time / GIF |")
    print("|---|---:|---:|---:|---:|")
    for name in jobs:
        ratio = statistics.median(t / g for t, g in zip(times[name], times[gif], strict=True))
        print(f"| {name} | {sizes[name]:,} | {sizes[name] / sizes[gif]:.2f} | "
              f"{statistics.median(times[name]):.3f} | {ratio:.1f} |")
    print()


def values_table(folder: Path, runs: int) -> None:
    """Speed and size of the headline layer with values, against plain in the same run."""
    print("\n## Values: the headline layer (3,7,7) -> 2, K3 P1 S2 D2, 18 frames\n")
    with_values, plain = values_fps(folder, runs)
    print("| measure | plain | --values | ratio | target |\n|---|---:|---:|---:|---|")
    print(f"| in-process frames/s (median of {runs}) | {plain:.0f} | {with_values:.0f} | "
          f"{with_values / plain:.2f} | >= {TARGETS['values_fps']:.0f} frames/s: "
          f"{mark(with_values >= TARGETS['values_fps'])} |")
    seconds_plain = process_seconds(folder, runs)
    seconds = process_seconds(folder, runs, "--values")
    print(f"| `convgif render` process s (median of {runs}) | {seconds_plain:.3f} | "
          f"{seconds:.3f} | {seconds / seconds_plain:.2f} | < {TARGETS['values_process']} s: "
          f"{mark(seconds < TARGETS['values_process'])} |")
    plain_bytes = convgif.render(HEADLINE, folder / "p.gif").bytes
    value_bytes = convgif.render(HEADLINE, folder / "v.gif", values=True).bytes
    ratio = value_bytes / plain_bytes
    print(f"| GIF bytes | {plain_bytes:,} | {value_bytes:,} | {ratio:.2f} | <= "
          f"{TARGETS['values_bytes']:.0f}x plain: {mark(ratio <= TARGETS['values_bytes'])} |")


if __name__ == "__main__":
    main()
