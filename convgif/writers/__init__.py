"""Writers: animation files from frames, one module per format, chosen by extension.

:data:`WRITERS` maps a file extension to the writer class of its format,
importing the writer's module only when it is asked for (``".gif"`` ->
:mod:`convgif.writers.gif`); :func:`for_path` picks the writer of a file name,
:func:`for_format` the writer of a format name, and :func:`register` adds a
writer. A writer fulfils :class:`Writer`: it streams frames to a binary file
as they come and says which timings its format can hold.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Protocol

import numpy as np

from ..layers import OptionError
from .atomic import atomic_output, atomic_path


@dataclass(frozen=True)
class Header:
    """What a writer knows before the first frame.

    ``size`` is (width, height) in px, ``palette`` the RGB entries the frames'
    indices refer to (the first is the background), ``duration`` and ``hold``
    are ms (``hold`` more on the last frame), ``loop`` the times it plays (1:
    once; 0: forever), ``frames`` the number of frames that will come and ``title`` what
    the animation shows (the layer's caption), for formats with a title.
    ``scale`` is how many times larger than its layout the frames are drawn
    (``--scale``): a format with a display size (the HTML player) shows them
    ``size / scale`` large, sharper on high-density screens.
    """

    size: tuple[int, int]
    palette: bytes
    duration: int
    hold: int
    loop: int
    frames: int
    title: str = ""
    scale: int = 1

    def rgb(self) -> np.ndarray:
        """The palette as an (entries, 3) uint8 array."""
        return np.frombuffer(self.palette, np.uint8).reshape(-1, 3)


def changed_box(previous: np.ndarray, frame: np.ndarray) -> tuple[int, int, int, int] | None:
    """The rectangle (left, top, right, bottom; exclusive) where ``frame`` differs from
    ``previous``; None when they are equal."""
    changed = frame != previous
    rows = np.flatnonzero(changed.any(axis=1))
    if rows.size == 0:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    cols = np.flatnonzero(changed[top:bottom].any(axis=0))
    return int(cols[0]), top, int(cols[-1]) + 1, bottom


class Writer(Protocol):
    """What every writer does. ``mode`` is the frames it takes: ``"P"``, arrays of palette
    indices, or ``"vector"``, :class:`~convgif.draw.vector.VectorCanvas` (shapes and text).

    Made with :meth:`open` on a binary file (or, when :attr:`needs_path`, on a
    file name), it takes frames with :meth:`add` and finishes the file with
    :meth:`close`; ``count`` is the number of frames written.
    """

    extensions: ClassVar[tuple[str, ...]]
    mode: ClassVar[str]
    needs_path: ClassVar[bool]
    count: int

    @staticmethod
    def check_timing(duration: int, hold: int, loop: int) -> None:
        """Raise :class:`OptionError` unless the format holds these timings (ms, loops)."""

    @staticmethod
    def missing() -> str | None:
        """None when the writer can run here, else what to install (one line)."""

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> Writer:
        """Start a file of ``header.frames`` frames on ``target``."""

    def add(self, frame: Any, text: tuple[str, ...] = ()) -> None:
        """Write (or queue) one frame: a height x width array of palette indices (mode
        ``"P"``) or a vector canvas, and the frame's text lines (status, formula), which
        formats with real text show. A format with a limit on frames has a static
        ``check_frames(count)`` raising :class:`OptionError`, asked before any drawing."""

    def close(self) -> None:
        """Write what is queued and the file's end."""

    def abort(self) -> None:
        """Stop after an error, releasing what the writer holds (threads, programs)."""


class Registry(Mapping[str, type[Writer]]):
    """File extensions (``".gif"``) to writer classes, imported on first use."""

    def __init__(self) -> None:
        self._targets: dict[str, str | type[Writer]] = {}

    def register(self, extension: str, writer: str | type[Writer]) -> None:
        """Write ``extension`` files with ``writer``: a class, or ``"module:Class"``."""
        self._targets[extension.lower()] = writer

    def __getitem__(self, extension: str) -> type[Writer]:
        target = self._targets[extension.lower()]
        if isinstance(target, str):
            module, name = target.split(":")
            target = getattr(importlib.import_module(module, __name__), name)
            self._targets[extension.lower()] = target
        return target

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


WRITERS = Registry()
WRITERS.register(".gif", ".gif:GifWriter")
WRITERS.register(".webp", ".webp:WebpWriter")
WRITERS.register(".png", ".apng:ApngWriter")
WRITERS.register(".apng", ".apng:ApngWriter")
WRITERS.register(".mp4", ".mp4:Mp4Writer")
WRITERS.register(".html", ".html:HtmlWriter")
WRITERS.register(".svg", ".svg:SvgWriter")
WRITERS.register(".pdf", ".pdf:PdfWriter")
register = WRITERS.register


def _usable(writer: type[Writer]) -> type[Writer]:
    missing = writer.missing()
    if missing is not None:
        raise OptionError(missing)
    return writer


def for_path(path: str | os.PathLike[str]) -> type[Writer]:
    """The writer of ``path``'s extension; :class:`OptionError` for one no writer takes
    or one that needs a package this machine lacks (naming it)."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise OptionError(f"output={str(path)!r} must end in {', '.join(WRITERS)}")
    return _usable(WRITERS[suffix])


def for_format(name: str) -> type[Writer]:
    """The writer of a format name (``"gif"``); :class:`OptionError` for an unknown one."""
    extension = "." + name.lower().lstrip(".")
    if extension not in WRITERS:
        known = ", ".join(ext[1:] for ext in WRITERS)
        raise OptionError(f"format={name!r} must be one of {known}")
    return _usable(WRITERS[extension])


__all__ = [
    "WRITERS",
    "Header",
    "Registry",
    "Writer",
    "atomic_output",
    "atomic_path",
    "changed_box",
    "for_format",
    "for_path",
    "register",
]
