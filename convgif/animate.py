"""``render``: draw a layer's frames and stream them into an animation, a file or a stream."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np

from .draw import Painter, as_image
from .draw.vector import VectorCanvas
from .layers import OptionError, WindowLayer
from .progress import ProgressCallback
from .writers import (
    WRITERS,
    Header,
    Writer,
    atomic_output,
    atomic_path,
    for_format,
    for_path,
)

Target = str | os.PathLike[str] | BinaryIO


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` wrote: the path (None for a stream), frames, canvas size, bytes."""

    path: Path | None
    frames: int
    width: int
    height: int
    bytes: int


class _Counted:
    """A binary stream that counts the bytes written through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.written = stream, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self.stream.write(data)


def _is_stream(target: object) -> bool:
    return hasattr(target, "write")


def default_name(layer: WindowLayer, values: bool = False) -> str:
    """The file a render writes when no target is given: ``<slug>.gif``, or
    ``<slug>-values.gif`` with values."""
    return f"{layer.slug}{'-values' if values else ''}.gif"


def _writer_of(layer: WindowLayer, target: Target | None, format: str | None,
               values: bool = False) -> tuple[type[Writer], Path | None]:
    if _is_stream(target):
        if format is None:
            raise OptionError("format= must name the format when writing to a stream "
                              "(e.g. format='gif')")
        return for_format(format), None
    if target is not None and not isinstance(target, (str, os.PathLike)):
        raise TypeError(f"target={target!r:.60} must be a path or a binary stream, "
                        f"not {type(target).__name__}")
    path = Path(target) if target is not None else Path(default_name(layer, values))
    writer = for_format(format) if format is not None else for_path(path)
    if path.is_dir():
        raise OptionError(f"output={str(path)!r} is a folder, not a file name")
    return writer, path


def _vector(target: Target | None, format: str | None) -> bool:
    """Whether the target's format draws vector frames (SVG, PDF)."""
    if format is not None:
        name = "." + format.lower().lstrip(".")
    elif isinstance(target, (str, os.PathLike)):
        name = Path(target).suffix.lower()
    else:
        return False
    return name in WRITERS and WRITERS[name].mode == "vector"


class _Output:
    """Where a writer writes: a counted stream, or a file name (for writers that need one)."""

    def __init__(self, target: _Counted | Path) -> None:
        self.target = target

    def written(self) -> int:
        """The bytes written so far."""
        if isinstance(self.target, Path):
            return self.target.stat().st_size
        return self.target.written


@contextmanager
def _opened(target: Target | None, path: Path | None, needs_path: bool) -> Iterator[_Output]:
    """The target as a counted stream, or a temporary file name; a path is written
    atomically."""
    if path is None:
        if needs_path:
            raise OptionError("this format is written by another program and needs a file "
                              "name, not a stream")
        yield _Output(_Counted(target))  # type: ignore[arg-type]
        return
    try:
        if needs_path:
            with atomic_path(path) as temp:
                yield _Output(temp)
        else:
            with atomic_output(path) as handle:
                yield _Output(_Counted(handle))
    except OSError as error:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        reason = (f"{str(blocker)!r} is a file, not a folder" if blocker is not None
                  else error.strerror or str(error))
        raise OptionError(f"output={str(path)!r} cannot be written: {reason}") from None


def render(
    layer: WindowLayer,
    target: Target | None = None,
    *,
    format: str | None = None,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> Rendered:
    """Write the animation of ``layer``'s forward pass to ``target``.

    ``target`` is a path (default ``<slug>.gif``, ``<slug>-values.gif`` with
    values), whose extension picks the
    format unless ``format`` names it, or a binary stream such as
    :class:`io.BytesIO`, which needs ``format`` (``"gif"``). ``options`` are
    :class:`~convgif.options.RenderOptions` fields: ``duration`` ms per frame,
    ``hold`` ms more on the last, ``loop`` (0: forever), ``cell_size``,
    ``theme``, ``decimals``, ``max_frames``; and
    :class:`~convgif.values.ValueOptions` fields: ``values=True`` draws the
    numbers (seeded by ``seed``, or from ``input``, ``weights``,
    ``bias_values``). A path is written beside the target and renamed,
    so an error leaves an earlier file untouched. ``progress(done, total)`` is
    called after each frame. Raises :class:`OptionError` for options out of
    range, before any work.
    """
    vector = _vector(target, format)
    painter = Painter.of(layer, options, canvas=VectorCanvas.blank if vector else None)
    settings = painter.scene.options
    writer_class, path = _writer_of(layer, target, format, painter.values is not None)
    check_count = getattr(writer_class, "check_frames", None)
    if check_count is not None:  # a format with a limit of its own (SVG: one frame)
        check_count(len(painter.schedule))
    settings.check_frames(len(painter.schedule), painter.schedule.count)
    hold = settings.hold_for(painter.schedule.sped)
    writer_class.check_timing(settings.duration, hold, settings.loop)
    size = (painter.layout.width, painter.layout.height)
    count = len(painter.schedule)
    header = Header(size, painter.palette.rgb, settings.duration, hold, settings.loop, count,
                    layer.caption, settings.scale)
    with _opened(target, path, writer_class.needs_path) as out:
        writer = writer_class.open(out.target, header)  # type: ignore[arg-type]
        try:
            frames = painter.canvases_with_texts() if vector else painter.frames_with_texts()
            for done, (frame, text) in enumerate(frames, start=1):
                writer.add(frame, text)
                if progress is not None:
                    progress(done, count)
            writer.close()
        except BaseException:
            writer.abort()
            raise
        written = out.written()
    return Rendered(path, writer.count, size[0], size[1], written)


def _pages(painter: Painter, indices: list[int], path: Path,
           progress: ProgressCallback | None) -> Rendered:
    """Frames ``indices`` of ``painter`` as the pages of one PDF at ``path`` (drawn in
    their order, written in the order asked), atomically."""
    if path.is_dir():
        raise OptionError(f"output={str(path)!r} is a folder, not a file name")
    drawn: dict[int, tuple[Any, tuple[str, ...]]] = {}
    for done, index in enumerate(sorted(indices), start=1):  # each builds on the last
        drawn[index] = painter.canvas(index)
        if progress is not None:
            progress(done, len(indices))
    width, height = painter.layout.width, painter.layout.height
    with _opened(None, path, False) as out:
        writer = for_path(path).open(out.target, Header(  # type: ignore[arg-type]
            (width, height), painter.palette.rgb, 0, 0, 0, len(indices),
            painter.layer.caption))
        for index in indices:
            writer.add(*drawn[index])
        writer.close()
        size = out.written()
    return Rendered(path, len(indices), width, height, size)


FrameChoice = int | str | Iterable[int | str]
STILL_FORMATS = (".png", ".svg", ".pdf")  # what a chosen frame is written as
_RANGE = re.compile(r"^\s*(-?\d*)\s*:\s*(-?\d*)\s*$")


def _frame_number(text: str | int, count: int, name: str) -> int:
    """A 1-based frame number, negative ones counting from the last (-1); 0-based out."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise OptionError(f"frame={name!r} must be a frame number N (1 to {count}, or -1 for "
                          f"the last), a range A:B, or a list of them") from None
    if not (1 <= number <= count or -count <= number <= -1):
        raise OptionError(f"frame={name!r} is out of range: this layer has {count} frames "
                          f"(1 to {count}, or -1 to -{count} from the last)")
    return number - 1 if number > 0 else count + number


def frame_indices(frames: FrameChoice, count: int) -> list[int]:
    """The 0-based indices of the frames chosen by ``frames``: a 1-based number (``3``;
    ``-1`` is the last), a range ``"3:7"`` (both ends included; ``"3:"`` to the last,
    ``":7"`` from the first), or a list of those; in order, without repeats."""
    if isinstance(frames, (int, str)) or not isinstance(frames, Iterable):
        choices: list[object] = [frames]
    else:
        choices = list(frames)
    if not choices:
        raise OptionError("frame= must choose at least one frame")
    chosen: list[int] = []
    for choice in choices:
        if isinstance(choice, bool) or not isinstance(choice, (int, str)):
            raise OptionError(f"frame={choice!r} must be a frame number or a range A:B")
        match = _RANGE.match(choice) if isinstance(choice, str) else None
        if match is None:
            picked = [_frame_number(choice, count, str(choice))]
        else:
            start = _frame_number(match[1], count, str(choice)) if match[1] else 0
            stop = _frame_number(match[2], count, str(choice)) if match[2] else count - 1
            if stop < start:
                raise OptionError(f"frame={choice!r} is an empty range: its end comes before "
                                  f"its start")
            picked = list(range(start, stop + 1))
        chosen.extend(i for i in picked if i not in chosen)
    return chosen


def still_paths(layer: WindowLayer, indices: list[int], target: str | os.PathLike[str] | None,
                values: bool = False, count: int | None = None) -> list[Path]:
    """Where :func:`stills` writes each chosen frame: ``target`` itself for one frame,
    else ``<target stem>-<N>.<ext>`` (``N`` 1-based, zero-padded; ``.png``, ``.svg`` or
    ``.pdf``, as ``target`` ends); by default ``<slug>-<N>.png`` (``<slug>-values-<N>.png``
    with values), N as wide as ``count`` (the frames; default the layer's steps)."""
    if target is not None and not isinstance(target, (str, os.PathLike)):
        raise TypeError(f"target={target!r:.60} must be a path, not {type(target).__name__}")
    digits = len(str(layer.n_steps if count is None else count))
    if target is None:
        stem = Path(default_name(layer, values)).stem
        return [Path(f"{stem}-{i + 1:0{digits}d}.png") for i in indices]
    path = Path(target)
    if path.suffix.lower() not in STILL_FORMATS:
        raise OptionError(f"output={str(path)!r} must end in .png, .svg or .pdf: chosen "
                          f"frames are written as PNG images or vector graphics")
    if path.is_dir():
        raise OptionError(f"output={str(path)!r} is a folder, not a file name")
    if len(indices) == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{i + 1:0{digits}d}{path.suffix}") for i in indices]


def stills(
    layer: WindowLayer,
    frames: FrameChoice,
    target: str | os.PathLike[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> list[Rendered]:
    """Write chosen frames of ``layer``'s animation, one file each: PNG images, or vector
    graphics when ``target`` ends in ``.svg`` or ``.pdf``; a PDF holds all of them, a
    page each, in the order asked.

    ``frames`` are 1-based frame numbers (``-1``: the last), ranges ``"3:7"``
    (ends included) or a list of them (see :func:`frame_indices`); the files are
    named by :func:`still_paths`. ``options`` are those of :func:`render`
    (``scale``, ``theme``, ``values``...); timing options do not apply. Each file
    is written atomically; every option and frame number is checked before any
    drawing. ``progress(done, total)`` is called after each frame drawn.
    """
    suffix = Path(target).suffix.lower() if isinstance(target, (str, os.PathLike)) else ""
    vector = suffix in (".svg", ".pdf")
    painter = Painter.of(layer, options, canvas=VectorCanvas.blank if vector else None)
    count = len(painter.schedule)
    indices = frame_indices(frames, count)
    if suffix == ".pdf":
        return [_pages(painter, indices, Path(cast(str, target)), progress)]
    paths = still_paths(layer, indices, target, painter.values is not None, count)
    wanted = dict(zip(indices, paths, strict=True))
    written: dict[int, Rendered] = {}
    width, height = painter.layout.width, painter.layout.height
    for done, index in enumerate(sorted(wanted), start=1):  # in order: each builds on the last
        frame, texts = painter.canvas(index)
        with _opened(None, wanted[index], False) as out:
            if vector:
                writer = for_path(wanted[index]).open(out.target, Header(  # type: ignore[arg-type]
                    (width, height), painter.palette.rgb, 0, 0, 0, 1, layer.caption))
                writer.add(frame, texts)
                writer.close()
            else:
                as_image(np.asarray(frame), painter.palette).save(
                    cast(BinaryIO, out.target), "PNG", optimize=True)
            size = out.written()
        written[index] = Rendered(wanted[index], 1, width, height, size)
        if progress is not None:
            progress(done, len(wanted))
    return [written[index] for index in indices]
