"""``render``: draw a layer's frames and stream them into an animation, a file or a stream."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .draw import Painter
from .layers import OptionError, WindowLayer
from .progress import ProgressCallback
from .writers import Header, Writer, atomic_output, atomic_path, for_format, for_path

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
    painter = Painter.of(layer, options)
    settings = painter.scene.options
    writer_class, path = _writer_of(layer, target, format, painter.values is not None)
    writer_class.check_timing(settings.duration, settings.hold, settings.loop)
    size = (painter.layout.width, painter.layout.height)
    header = Header(size, painter.palette.rgb, settings.duration, settings.hold,
                    settings.loop, layer.n_steps, layer.caption)
    with _opened(target, path, writer_class.needs_path) as out:
        writer = writer_class.open(out.target, header)  # type: ignore[arg-type]
        try:
            for count, (frame, text) in enumerate(painter.frames_with_texts(), start=1):
                writer.add(frame, text)
                if progress is not None:
                    progress(count, layer.n_steps)
            writer.close()
        except BaseException:
            writer.abort()
            raise
        written = out.written()
    return Rendered(path, writer.count, size[0], size[1], written)
