"""A streaming GIF writer for frames of palette indices that share one global palette.

Frames go to the file as they come (one frame is held back, so the last one can
get the hold time). Each frame after the first stores only the rectangle that
changed, with unchanged pixels inside it set to the transparent index, which
LZW compresses to almost nothing. The colour table is the frames' palette
padded to a power of two with one entry to spare, the transparent one; the LZW
code size follows it (up to 31 colours: 5-bit codes). Pillow's LZW encoder does
the compression. GIF stores delays in centiseconds: :func:`check_timing` is its
rule. A GIF's loop count (the NETSCAPE block) counts the repeats after the first
play, as browsers read it: N plays store N - 1, and one play stores no block (a
count of 0 would loop forever).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar, cast

import numpy as np
from PIL import Image

from ..layers import OptionError
from ..options import DEFAULT_DURATION_MS
from . import changed_box

if TYPE_CHECKING:
    from . import Header

MAX_DURATION_MS = 655_350  # a GIF delay is 16 bits of centiseconds
MAX_PLAYS = 65_535  # as WebP's (the GIF's 16-bit count of repeats could hold one more)
MIN_DURATION_MS = 20  # browsers play shorter delays (0 or 1 centisecond) as 100 ms
DISPOSE_NONE = 1  # leave the frame in place; the next one draws over it


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Raise :class:`OptionError` unless the timing options fit in a GIF."""
    if not MIN_DURATION_MS <= duration <= MAX_DURATION_MS:
        raise OptionError(f"duration={duration} ms must be between {MIN_DURATION_MS} and "
                          f"{MAX_DURATION_MS} (browsers play shorter frames as 100 ms)")
    if hold < 0 or duration + hold > MAX_DURATION_MS:
        raise OptionError(f"hold={hold} ms must be >= 0, with duration + hold at most "
                          f"{MAX_DURATION_MS}")
    if not 0 <= loop <= MAX_PLAYS:
        raise OptionError(f"loop={loop} must be between 0 (forever) and {MAX_PLAYS} plays")


def _centiseconds(ms: int) -> int:
    """``ms`` rounded to the nearest centisecond, halves up (25 ms -> 3)."""
    return (ms + 5) // 10


def colour_table(palette: bytes) -> bytes:
    """``palette`` (RGB entries, at most 255) padded with its first entry to 2**n entries,
    n >= 2, so that the last entry is free for transparency."""
    entries = len(palette) // 3
    if len(palette) % 3 or not 1 <= entries <= 255:
        raise ValueError(f"a GIF palette holds 1 to 255 RGB entries, not {len(palette)} bytes")
    size = 1 << max(2, entries.bit_length())
    return palette + palette[:3] * (size - entries)


def _table_bits(palette: bytes) -> int:
    entries = len(palette) // 3
    bits = max(2, (entries - 1).bit_length())
    if len(palette) % 3 or entries != 1 << bits:
        raise ValueError(f"a GIF palette needs 2**n RGB entries (n >= 2), not {len(palette)} bytes")
    return bits


class GifWriter:
    """Writes frames (2D uint8 arrays of palette indices) to an open binary file.

    ``palette`` holds 2**n RGB entries; its last index must be unused by the
    frames (it becomes the transparent index). ``duration`` and ``hold`` are in
    ms (a GIF stores centiseconds: they are rounded to 10 ms, halves up); ``loop`` is the
    times it plays, 0 for forever. Call :meth:`close` after the last frame.
    :meth:`open` takes the frames' own palette instead and makes the table.
    """

    extensions: ClassVar[tuple[str, ...]] = (".gif",)
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """GIF needs nothing beyond convgif's own dependencies."""
        return None

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> GifWriter:
        """A writer whose table is the header's palette padded by :func:`colour_table`."""
        return cls(cast(BinaryIO, target), header.size, colour_table(header.palette),
                   header.duration, header.hold, header.loop)

    def __init__(self, fp: BinaryIO, size: tuple[int, int], palette: bytes,
                 duration: int = DEFAULT_DURATION_MS, hold: int = 0, loop: int = 0) -> None:
        check_timing(duration, hold, loop)
        self.fp = fp
        self.size = size
        self.bits = _table_bits(palette)
        self.transparent = (1 << self.bits) - 1
        self.delay = _centiseconds(duration)
        self.last_delay = _centiseconds(duration + hold)
        self.count = 0
        self._previous: np.ndarray | None = None
        self._pending: tuple[np.ndarray, int, int, bool] | None = None
        width, height = size
        flags = 0x80 | (self.bits - 1) << 4 | (self.bits - 1)  # global table, its size
        fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, flags, 0, 0) + palette)
        if loop != 1:  # the repeats after the first play; 0 loops forever
            repeats = loop - 1 if loop else 0
            fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", repeats) + b"\0")

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Queue ``frame`` (height x width uint8); the one before it is written now.

        ``text`` is drawn in the frame already: a GIF has no other place for it.
        """
        if frame.shape != (self.size[1], self.size[0]):
            raise ValueError(f"frame of shape {frame.shape} in a GIF of size {self.size}")
        self._flush(self.delay)
        previous, self._previous = self._previous, frame
        if previous is None:
            self._pending = (frame, 0, 0, False)
            return
        box = changed_box(previous, frame)
        if box is None:  # an identical frame still counts: a 1x1 transparent patch
            self._pending = (np.full((1, 1), self.transparent, np.uint8), 0, 0, True)
            return
        left, top, right, bottom = box
        patch = frame[top:bottom, left:right].copy()
        patch[patch == previous[top:bottom, left:right]] = self.transparent
        self._pending = (patch, left, top, True)

    def _flush(self, delay: int) -> None:
        if self._pending is None:
            return
        patch, left, top, transparent = self._pending
        height, width = patch.shape
        self.fp.write(struct.pack("<3sBHBB", b"!\xf9\x04", DISPOSE_NONE << 2 | transparent,
                                  delay, self.transparent if transparent else 0, 0))
        self.fp.write(struct.pack("<BHHHHBB", 0x2C, left, top, width, height, 0, self.bits))
        self.fp.write(Image.fromarray(patch).tobytes("gif", "L", self.bits))
        self.fp.write(b"\0")
        self._pending = None
        self.count += 1

    def abort(self) -> None:
        """Nothing to release: the file is only bytes written so far."""

    def close(self) -> None:
        """Write the last frame (with the hold time) and the GIF trailer."""
        self._flush(self.last_delay)
        self.fp.write(b";")
