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
from pathlib import Path
from typing import BinaryIO, ClassVar, Protocol

import numpy as np

from ..layers import OptionError
from .atomic import atomic_output, atomic_path


class Writer(Protocol):
    """What every writer does. ``mode`` is the frames it takes: ``"P"``, palette indices.

    Made with :meth:`open`, it takes frames with :meth:`add` and finishes the
    file with :meth:`close`; ``count`` is the number of frames written.
    """

    extensions: ClassVar[tuple[str, ...]]
    mode: ClassVar[str]
    count: int

    @staticmethod
    def check_timing(duration: int, hold: int, loop: int) -> None:
        """Raise :class:`OptionError` unless the format holds these timings (ms, loops)."""

    @classmethod
    def open(cls, fp: BinaryIO, size: tuple[int, int], palette: bytes, duration: int,
             hold: int, loop: int) -> Writer:
        """Start a file of frames of ``size`` (width, height) on ``fp``.

        ``palette`` holds the RGB entries the frames' indices refer to.
        """

    def add(self, frame: np.ndarray) -> None:
        """Write (or queue) one frame: a height x width array in :attr:`mode`."""

    def close(self) -> None:
        """Write what is queued and the file's end."""


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
register = WRITERS.register


def for_path(path: str | os.PathLike[str]) -> type[Writer]:
    """The writer of ``path``'s extension; :class:`OptionError` for one no writer takes."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise OptionError(f"output={str(path)!r} must end in {', '.join(WRITERS)}")
    return WRITERS[suffix]


def for_format(name: str) -> type[Writer]:
    """The writer of a format name (``"gif"``); :class:`OptionError` for an unknown one."""
    extension = "." + name.lower().lstrip(".")
    if extension not in WRITERS:
        known = ", ".join(ext[1:] for ext in WRITERS)
        raise OptionError(f"format={name!r} must be one of {known}")
    return WRITERS[extension]


__all__ = ["WRITERS", "Registry", "Writer", "atomic_output", "atomic_path", "for_format",
           "for_path", "register"]
