"""The gallery: every GIF of the article and a figure per argument, made from one declaration.

:data:`convgif.gallery_entries.SECTIONS` declares the entries; :func:`build` renders
them into a folder (``gallery/`` by default) with its ``README.md``
(:func:`convgif.gallery_page.readme`),
rewriting only the files whose bytes changed; :func:`check` renders in memory and
lists each file that differs, is missing or is not declared. GIFs render in
parallel processes. Figures are drawn (through :func:`convgif.plots.plot`) from
committed measurements, ``plot-<argument>.csv`` beside them, which are measured
again only with ``remeasure=True``; :func:`check` asks figures and measurements
only to be present.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from .animate import render
from .gallery_entries import SECTIONS, Animation, Figure, Section
from .gallery_page import README, readme
from .layers import ConvgifError, WindowLayer, positive_int
from .plots import plot, sweep, write_csv
from .progress import ProgressCallback
from .writers import atomic_output

DEFAULT_FOLDER = Path("gallery")
# What the gallery reads ships inside the package, so an installed convgif (not only a
# clone) regenerates it: the input files its entries name (copies of examples/inputs/) and
# the committed measurements its figures are drawn from (copies of gallery/plot-*.csv).
DATA = Path(__file__).resolve().parent / "data"
INPUTS = DATA / "inputs"
COMMITTED = DATA / "measurements"
FIGURE_COLOURS = 256  # figures are stored as palette PNGs: a third of the size, same look

class GalleryError(ConvgifError):
    """A gallery folder or option convgif cannot use; the message says which and why."""


@dataclass(frozen=True)
class Problem:
    """A file of the folder that disagrees with the declaration, and why.

    ``reason`` is ``differs``, ``missing`` or ``not declared``.
    """

    file: str
    reason: str


@dataclass(frozen=True)
class Regenerated:
    """What :func:`build` did: files written, files left as they were, undeclared files seen."""

    folder: Path
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    undeclared: tuple[str, ...]


def entries(sections: Sequence[Section] = SECTIONS) -> list[Animation | Figure]:
    """Every entry of the declaration, in order."""
    return [entry for section in sections for entry in section.entries]


def files(sections: Sequence[Section] = SECTIONS) -> list[str]:
    """Every file name the declaration makes, in order, ``README.md`` last."""
    names: list[str] = []
    for entry in entries(sections):
        if isinstance(entry, Animation):
            names += [name for name, _, _ in entry.renders()]
        else:
            names += [entry.csv, entry.file]
    return [*names, README]


# -- making the files -------------------------------------------------------------------------


def _render_bytes(spec: WindowLayer, options: dict[str, Any], format: str = "gif") -> bytes:
    """One animation's bytes, rendered in memory."""
    buffer = io.BytesIO()
    render(spec, buffer, format=format, **options)
    return buffer.getvalue()


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        return os.cpu_count() or 1
    return positive_int("jobs", jobs, GalleryError)


def _folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise GalleryError(f"folder={str(path)!r} is a file, not a folder")
    return path


def _render_all(sections: Sequence[Section], jobs: int, tick: Callable[[], None]
                ) -> dict[str, bytes]:
    """Every GIF's bytes by file name, the longest renders first, in ``jobs`` processes."""
    tasks = sorted(
        ((name, animation.spec,
          {**animation.options, **animation.value_options(INPUTS), "theme": theme}, format)
         for animation in entries(sections) if isinstance(animation, Animation)
         for name, theme, format in animation.renders()),
        key=lambda task: -task[1].n_steps,
    )
    done: dict[str, bytes] = {}
    if jobs == 1 or len(tasks) < 2:
        for name, spec, options, format in tasks:
            done[name] = _render_bytes(spec, options, format)
            tick()
        return done
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)))
    try:
        futures = {pool.submit(_render_bytes, spec, options, format): name
                   for name, spec, options, format in tasks}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            tick()
    finally:
        pool.shutdown(cancel_futures=True)
    return done


def source_link(folder: Path) -> str | None:
    """The link from ``folder``'s README to the declaration, ``convgif/gallery_entries.py``:
    ``../convgif/gallery_entries.py`` when ``folder`` sits beside a source tree holding it
    (the repository's own ``gallery/``, whether convgif runs from that tree or from an
    installed copy); None (the file is named, not linked) for any other folder, where no
    relative link would stay valid."""
    package = Path(__file__).resolve().parent.name
    if (folder.resolve().parent / package / "gallery_entries.py").is_file():
        return f"../{package}/gallery_entries.py"
    return None


def _counter(total: int, progress: ProgressCallback | None) -> Callable[[], None]:
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if progress is not None:
            progress(count, total)

    return tick


def _undeclared(folder: Path, sections: Sequence[Section]) -> tuple[str, ...]:
    if not folder.is_dir():
        return ()
    declared = set(files(sections))
    return tuple(sorted(path.name for path in folder.iterdir() if path.name not in declared))


def _n_renders(sections: Sequence[Section]) -> int:
    return sum(len(entry.renders()) for entry in entries(sections)
               if isinstance(entry, Animation))


def figure_bytes(argument: str, measurements: str | os.PathLike[str] | None = None) -> bytes:
    """The figure of ``argument``, drawn by :func:`convgif.plots.plot`, as PNG bytes.

    It is drawn from the CSV file ``measurements`` when given, else measured;
    it is stored as a palette PNG of :data:`FIGURE_COLOURS` colours.
    """
    with tempfile.TemporaryDirectory() as temp:
        drawn = plot(argument, Path(temp) / "figure.png", from_csv=measurements)[-1]
        with Image.open(drawn) as image:
            small = image.convert("RGB").quantize(
                FIGURE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless it holds those bytes; whether it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    with atomic_output(path) as handle:
        handle.write(data)
    return True


def _measurements(figure: Figure, target: Path) -> Path | None:
    """The CSV a figure is drawn from: the folder's, else the repository's committed one."""
    for folder in (target, COMMITTED):
        if (folder / figure.csv).is_file():
            return folder / figure.csv
    return None


def _measure(figure: Figure, path: Path) -> None:
    """Measure ``figure``'s default sweep into the CSV file ``path``, atomically."""
    write_csv(sweep(figure.argument), path)


def build(
    folder: str | os.PathLike[str] = DEFAULT_FOLDER,
    *,
    jobs: int | None = None,
    remeasure: bool = False,
    progress: ProgressCallback | None = None,
    sections: Sequence[Section] = SECTIONS,
) -> Regenerated:
    """Regenerate the gallery in ``folder``; only files whose bytes changed are rewritten.

    GIFs render in ``jobs`` processes (default: one per core). Figures are drawn
    from their measurements, ``plot-<argument>.csv``: the folder's, else those
    committed in the repository's gallery, which are copied beside them; a
    sweep is measured (some seconds each) only where there are none, or for
    every figure with ``remeasure=True``. Files the declaration does not make
    are reported, never removed. ``progress(done, total)`` is called after each
    GIF and each figure.
    """
    target = _folder(folder)
    workers = _jobs(jobs)
    figures = [entry for entry in entries(sections) if isinstance(entry, Figure)]
    tick = _counter(_n_renders(sections) + len(figures), progress)
    made = _render_all(sections, workers, tick)
    made[README] = readme(sections, source_link(target)).encode()
    written: list[str] = []
    unchanged: list[str] = []
    for name in files(sections):
        if name not in made:
            continue
        (written if _write_if_changed(target / name, made[name]) else unchanged).append(name)
    for figure in figures:
        source = None if remeasure else _measurements(figure, target)
        csv = target / figure.csv
        if source is None:
            _measure(figure, csv)
            changed = True
        else:
            changed = _write_if_changed(csv, source.read_bytes())
        (written if changed else unchanged).append(figure.csv)
        # A figure is drawn again when its measurements changed or it is missing.
        if (changed or not (target / figure.file).is_file()) and _write_if_changed(
                target / figure.file, figure_bytes(figure.argument, csv)):
            written.append(figure.file)
        else:
            unchanged.append(figure.file)
        tick()
    return Regenerated(target, tuple(written), tuple(unchanged), _undeclared(target, sections))


def check(
    folder: str | os.PathLike[str] = DEFAULT_FOLDER,
    *,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    sections: Sequence[Section] = SECTIONS,
) -> list[Problem]:
    """Render the gallery in memory and compare it with ``folder``; an empty list: all agree.

    Each GIF and the README must match byte for byte; each figure and its
    measurements must be present (figures are drawn by matplotlib, whose pixels
    may differ between its versions, so they are not compared); any other file
    in the folder is a problem too. ``progress(done, total)`` is called
    after each GIF.
    """
    target = _folder(folder)
    made = _render_all(sections, _jobs(jobs), _counter(_n_renders(sections), progress))
    made[README] = readme(sections, source_link(target)).encode()
    problems = []
    for name in files(sections):
        path = target / name
        if not path.is_file():
            problems.append(Problem(name, "missing"))
        elif name in made and path.read_bytes() != made[name]:
            problems.append(Problem(name, "differs"))
    problems += [Problem(name, "not declared") for name in _undeclared(target, sections)]
    return problems
