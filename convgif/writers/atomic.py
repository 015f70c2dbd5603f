"""Atomic file output: write beside the target, then rename over it.

An error or Ctrl-C while writing leaves an earlier file untouched and no
partial file behind. Frames stream into an unnamed temporary file, which the
system removes whatever happens to the process (SIGKILL included); only the
finished file is copied to a named temporary file beside the target and
renamed over it. Named temporary files carry the writing process's id, so one
left by a killed process is removed by the next write to that folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def _mode_for(target: Path) -> int:
    """The permissions of an existing ``target``, else those a new file gets (umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _is_running(pid: int) -> bool:
    """Whether a process with id ``pid`` exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the named temporary files of ``target`` whose writing process is gone.

    Such files are left only by a process killed (SIGKILL, power loss) while
    it copied a finished file into place. Returns the files removed.
    """
    if os.name != "posix":  # os.kill(pid, 0) probes only on POSIX
        return []
    prefix, removed = _temp_prefix(target), []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        if not (name.startswith(prefix)
                and name.endswith((TEMP_SUFFIX, TEMP_SUFFIX + target.suffix))):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _is_running(int(pid)):
            stale = target.parent / name
            stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


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
    remove_stale_temps(target)
    # The target's extension comes last, for programs that pick a format by it.
    fd, name = tempfile.mkstemp(prefix=f"{_temp_prefix(target)}{os.getpid()}.",
                                suffix=TEMP_SUFFIX + target.suffix, dir=target.parent)
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
    """A binary file to write; when the block ends without error it replaces ``path``.

    The data goes to an unnamed temporary file in the target's folder (so an
    unwritable folder fails before any work), then is copied into place by
    :func:`atomic_path` and synced to disk before the rename.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=target.parent) as unnamed:
        yield unnamed  # type: ignore[misc]
        unnamed.flush()
        unnamed.seek(0)
        with atomic_path(target) as temp, open(temp, "wb") as handle:
            shutil.copyfileobj(unnamed, handle)
            handle.flush()
            os.fsync(handle.fileno())
