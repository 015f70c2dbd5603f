"""Animated lossless WebP, streamed through Pillow's WebP encoder.

Pillow's encoder pulls frames from a sequence of images; here the sequence is
of stand-ins, each of which becomes the next frame only when the encoder asks
for it, fed by :meth:`WebpWriter.add` through a short queue from the encoder
running in a thread. So only a few frames are in memory at once, whatever the
frame count. Lossless WebP keeps every pixel of the palette frames; the frame
durations are those of the GIF (``duration`` each, plus ``hold`` on the last).
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, cast

import numpy as np
from PIL import Image, features

from ..layers import OptionError
from . import Header

QUEUED_FRAMES = 4
MAX_DURATION_MS = 2**24 - 1  # WebP stores a frame's duration in 24 bits of ms
_DONE = None  # put on the queue instead of a frame when the writer stops


# libwebp's lossless effort (quality 0-100, method 0-6) trades time for bytes, but little
# here; keyframes are what cost: Pillow asks for one every 9-17 frames, each a whole
# frame, where our frames change in a few cells. kmax=0 inserts none (the first frame
# is the only one): 0.42x the GIF's bytes instead of 0.47x over the article's layers.
ENCODER: dict[str, Any] = {"quality": 80, "method": 2, "kmin": 0, "kmax": 0}


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Raise :class:`OptionError` unless the timings fit in an animated WebP."""
    if not 1 <= duration <= MAX_DURATION_MS:
        raise OptionError(f"duration={duration} ms must be between 1 and {MAX_DURATION_MS}")
    if hold < 0 or duration + hold > MAX_DURATION_MS:
        raise OptionError(f"hold={hold} ms must be >= 0, with duration + hold at most "
                          f"{MAX_DURATION_MS}")
    if not 0 <= loop <= 65_535:  # WebP's loop count is the times it plays
        raise OptionError(f"loop={loop} must be between 0 (forever) and 65535 plays")


class _NextFrame:
    """A stand-in for one frame: the encoder's ``convert`` call takes the next queued one."""

    mode = "P"
    has_transparency_data = False

    def __init__(self, writer: WebpWriter) -> None:
        self.writer = writer

    def seek(self, index: int) -> None:
        """One frame each: nothing to seek."""

    def convert(self, mode: str) -> Image.Image:
        """The next frame as an RGB image (waiting for it to be added)."""
        return self.writer.next_image()


class WebpWriter:
    """Writes frames of palette indices as a lossless animated WebP."""

    extensions: ClassVar[tuple[str, ...]] = (".webp",)
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """None when Pillow was built with animated WebP support."""
        if features.check("webp"):
            return None
        return "writing .webp needs Pillow built with WebP support (pip install -U pillow)"

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> WebpWriter:
        """A writer of ``header.frames`` frames on the binary file ``target``."""
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        self.fp, self.header, self.count = fp, header, 0
        self.rgb = header.rgb()
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(QUEUED_FRAMES)
        self._error: BaseException | None = None
        self._stopped = False
        self._thread: threading.Thread | None = None

    def next_image(self) -> Image.Image:
        """The next added frame as an RGB image; stops the encoder if the writer stopped."""
        frame = self._queue.get()
        if frame is None:
            raise _Stopped
        return Image.fromarray(self.rgb[frame], "RGB")

    def _encode(self, first: Image.Image) -> None:
        h = self.header
        durations = [h.duration] * (h.frames - 1) + [h.duration + h.hold]
        options: dict[str, Any] = {"save_all": True, "lossless": True, **ENCODER,
                                   "loop": h.loop, "duration": durations,
                                   "background": (*(int(v) for v in self.rgb[0]), 255),
                                   "append_images": [_NextFrame(self)
                                                     for _ in range(h.frames - 1)]}
        try:
            first.save(self.fp, "WEBP", **options)
        except _Stopped:
            pass
        except BaseException as error:  # handed to the writing thread in add/close
            self._error = error

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Queue ``frame`` for the encoder (the first one starts it)."""
        if self._thread is None:
            first = Image.fromarray(self.rgb[frame], "RGB")
            self._thread = threading.Thread(target=self._encode, args=(first,), daemon=True)
            self._thread.start()
        else:
            while True:
                self._raise_error()
                try:
                    self._queue.put(frame, timeout=0.1)
                    break
                except queue.Full:
                    continue
        self.count += 1

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error
        if self._thread is not None and not self._thread.is_alive() and not self._stopped:
            if self.count < self.header.frames:
                raise OSError("the WebP encoder stopped before the last frame")

    def close(self) -> None:
        """Wait for the encoder to write the file."""
        if self._thread is not None:
            self._thread.join()
        self._raise_error()
        if self.count != self.header.frames:
            raise ValueError(f"{self.count} frames added, {self.header.frames} announced")

    def abort(self) -> None:
        """Stop the encoder without a file (after an error while drawing)."""
        self._stopped = True
        if self._thread is not None and self._thread.is_alive():
            while True:  # empty the queue, so that the stop signal fits in it
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self._queue.put(_DONE)
            self._thread.join()


class _Stopped(Exception):
    """Raised inside the encoder when the writer stops before the last frame."""
