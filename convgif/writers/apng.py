"""Animated PNG (APNG), written chunk by chunk as frames come.

Frames keep their palette indices (colour type 3, the frames' palette as PLTE).
The first frame is the default image; each later one stores only the rectangle
that changed since the one before (``dispose_op`` none, ``blend_op`` source), so
the file grows with what moves, like the GIF. One frame is held back so the
last one can get the hold time. Delays are exact: ms over 1000.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import BinaryIO, ClassVar, cast

import numpy as np

from ..layers import OptionError
from . import Header, changed_box

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_DELAY_MS = 65_535  # a frame's delay numerator is 16 bits (over 1000: ms)
LEVEL = 9  # zlib compression level


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Raise :class:`OptionError` unless the timings fit in an APNG (16-bit ms delays)."""
    if not 1 <= duration <= MAX_DELAY_MS:
        raise OptionError(f"duration={duration} ms must be between 1 and {MAX_DELAY_MS}")
    if hold < 0 or duration + hold > MAX_DELAY_MS:
        raise OptionError(f"hold={hold} ms must be >= 0, with duration + hold at most "
                          f"{MAX_DELAY_MS}")
    if loop < 0 or loop > 2**31 - 1:
        raise OptionError(f"loop={loop} must be >= 0 plays (0: forever)")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _pixels(patch: np.ndarray) -> bytes:
    """Scanlines of a palette patch (filter type 0 on each), deflated."""
    rows = np.zeros((patch.shape[0], patch.shape[1] + 1), np.uint8)
    rows[:, 1:] = patch
    return zlib.compress(rows.tobytes(), LEVEL)


class ApngWriter:
    """Writes frames of palette indices as an animated PNG."""

    extensions: ClassVar[tuple[str, ...]] = (".png", ".apng")
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """APNG needs nothing beyond the standard library and NumPy."""
        return None

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> ApngWriter:
        """A writer of ``header.frames`` frames on the binary file ``target``."""
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        self.fp, self.header, self.count = fp, header, 0
        self._sequence = 0
        self._previous: np.ndarray | None = None
        self._pending: tuple[np.ndarray, int, int] | None = None
        width, height = header.size
        palette = header.palette
        depth = 8
        fp.write(SIGNATURE)
        fp.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, 3, 0, 0, 0)))
        fp.write(_chunk(b"acTL", struct.pack(">II", header.frames, header.loop)))
        fp.write(_chunk(b"PLTE", palette))

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Queue ``frame``; the one before it is written now."""
        if frame.shape != (self.header.size[1], self.header.size[0]):
            raise ValueError(f"frame of shape {frame.shape} in an APNG of size "
                             f"{self.header.size}")
        self._flush(self.header.duration)
        previous, self._previous = self._previous, frame
        if previous is None:
            self._pending = (frame, 0, 0)
            return
        box = changed_box(previous, frame)
        if box is None:  # an identical frame: a 1x1 patch of what is there
            self._pending = (frame[:1, :1], 0, 0)
            return
        left, top, right, bottom = box
        self._pending = (frame[top:bottom, left:right], left, top)

    def _next(self) -> int:
        self._sequence += 1
        return self._sequence - 1

    def _flush(self, delay: int) -> None:
        if self._pending is None:
            return
        patch, left, top = self._pending
        height, width = patch.shape
        self.fp.write(_chunk(b"fcTL", struct.pack(">IIIIIHHBB", self._next(), width, height,
                                                  left, top, delay, 1000, 0, 0)))
        data = _pixels(patch)
        if self.count == 0:
            self.fp.write(_chunk(b"IDAT", data))
        else:
            self.fp.write(_chunk(b"fdAT", struct.pack(">I", self._next()) + data))
        self._pending = None
        self.count += 1

    def close(self) -> None:
        """Write the last frame (with the hold time) and the end of the file."""
        self._flush(self.header.duration + self.header.hold)
        if self.count != self.header.frames:
            raise ValueError(f"{self.count} frames added, {self.header.frames} announced")
        self.fp.write(_chunk(b"IEND", b""))

    def abort(self) -> None:
        """Nothing to release: the file is only bytes written so far."""
