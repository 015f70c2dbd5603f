"""``render``: draw a spec's frames and stream them into an animation file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .draw import DEFAULT_MAX_FRAMES, FrameOptions, Painter
from .spec import ConvSpec, OptionError
from .writers import DEFAULT_DURATION_MS, GifWriter, atomic_output, check_timing

FORMATS = (".gif",)


@dataclass(frozen=True)
class Rendered:
    """What :func:`render` wrote: the path, frame count, canvas size and file size."""

    path: Path
    frames: int
    width: int
    height: int
    bytes: int


def render(
    spec: ConvSpec,
    path: str | os.PathLike[str] | None = None,
    *,
    duration: int = DEFAULT_DURATION_MS,
    hold: int = 0,
    loop: int = 0,
    cell_size: int | None = None,
    theme: str = "light",
    max_frames: int = DEFAULT_MAX_FRAMES,
    progress: Callable[[int], None] | None = None,
) -> Rendered:
    """Write the animated GIF of ``spec``'s forward pass to ``path`` (default ``<slug>.gif``).

    One frame per step; ``duration`` ms per frame, ``hold`` ms more on the last,
    ``loop`` 0 forever. The file is written beside the target and renamed, so an
    error leaves an earlier file untouched. ``progress`` is called with the
    number of frames written after each one. Raises :class:`OptionError` for
    options out of range, before any work.
    """
    target = Path(path) if path is not None else Path(f"{spec.slug}.gif")
    if target.suffix.lower() not in FORMATS:
        raise OptionError(f"output={str(target)!r} must end in {', '.join(FORMATS)}")
    if target.is_dir():
        raise OptionError(f"output={str(target)!r} is a folder, not a file name")
    check_timing(duration, hold, loop)
    painter = Painter(spec, FrameOptions(cell_size, theme, max_frames))
    size = (painter.layout.width, painter.layout.height)
    try:
        with atomic_output(target) as handle:
            writer = GifWriter(handle, size, painter.palette.rgb, duration, hold, loop)
            for count, frame in enumerate(painter.frames(), start=1):
                writer.add(frame)
                if progress is not None:
                    progress(count)
            writer.close()
    except OSError as error:
        raise OptionError(f"output={str(target)!r} cannot be written: "
                          f"{error.strerror or error}") from None
    return Rendered(target, writer.count, size[0], size[1], target.stat().st_size)
