"""Atomic file output: write beside the target, then rename over it.

An error or Ctrl-C while writing leaves an earlier file untouched and no partial
file behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def _mode_for(target: Path) -> int:
    """The permissions of an existing ``target``, else those a new file gets (umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file name beside ``path``; on success the file there replaces ``path``.

    For writers that need a file name (an encoder run as another program).
    Missing parent folders are created, and the file keeps an existing
    target's permissions. On any exception (KeyboardInterrupt included) the
    temporary file is removed and the exception propagates.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path``.

    As :func:`atomic_path`, and the data is synced to disk before the rename.
    """
    with atomic_path(path) as temp, open(temp, "wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
