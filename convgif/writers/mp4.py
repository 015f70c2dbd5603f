"""H.264 MP4 through imageio's ffmpeg plugin (the optional extra ``convgif[video]``).

imageio-ffmpeg ships its own ffmpeg, which encodes frames piped to it as they
come. Frames go down the pipe as they are drawn, palette indices (ffmpeg's
``pal8``: a byte a pixel, the palette after them), and only the rectangle that
changed is copied into the packet; ffmpeg converts to yuv420p, which every
player takes, with even dimensions (frames are padded with the background
colour). The frame rate keeps every frame's duration exactly: it is 1000 / t
frames per second (a fraction, passed to ffmpeg unrounded), t the greatest
common divisor of the frame time and the last frame's time, and each frame is
repeated duration / t times: once each when the hold is a multiple of the frame
time (the defaults), and H.264 stores a repeat almost for free otherwise. x264
runs at ``veryfast`` with the least analysis (no lookahead, B-frames, partitions
or adaptive quantisation; the quickest motion search: our frames change in a
few cells) at CRF 18, on a fixed two threads, so the bytes are the same on every
run and every machine. That renders in under 2x the GIF's time, for about 1.5x
the bytes of fuller analysis.
"""

from __future__ import annotations

import importlib.util
import math
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO, ClassVar

import numpy as np

from ..layers import OptionError
from . import Header, changed_box

INSTALL = "writing .mp4 needs the video extra: pip install 'convgif[video]'"
PALETTE_BYTES = 1024
X264 = ["-threads", "2", "-preset", "veryfast", "-x264-params",
        "rc-lookahead=0:bframes=0:ref=1:subme=0:me=dia:trellis=0:partitions=none:aq-mode=0",
        "-crf", "18", "-movflags", "+faststart"]


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Raise :class:`OptionError` unless the timings make sense for a video."""
    if duration < 1:
        raise OptionError(f"duration={duration} ms must be at least 1")
    if hold < 0:
        raise OptionError(f"hold={hold} ms must be >= 0")
    if loop < 0:
        raise OptionError(f"loop={loop} must be >= 0 (a video does not loop itself)")


class Mp4Writer:
    """Writes frames of palette indices as an H.264 video file."""

    extensions: ClassVar[tuple[str, ...]] = (".mp4",)
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = True
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """None when imageio-ffmpeg is installed, else the extra to install."""
        return None if importlib.util.find_spec("imageio_ffmpeg") else INSTALL

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> Mp4Writer:
        """A writer of ``header.frames`` frames into the file named ``target``."""
        if not isinstance(target, Path):
            raise OptionError("an .mp4 is written by ffmpeg and needs a file name")
        return cls(target, header)

    def __init__(self, path: Path, header: Header) -> None:
        import imageio_ffmpeg  # type: ignore[import-untyped]

        self.header, self.count = header, 0
        self.tick = math.gcd(header.duration, header.duration + header.hold)
        width, height = header.size
        size = (width + width % 2, height + height % 2)
        # One packet per frame: palette indices (padded with entry 0), then the palette
        # as ffmpeg's pal8 takes it, 256 entries of B, G, R, A.
        pixels = size[0] * size[1]
        self.packet = np.zeros(pixels + PALETTE_BYTES, np.uint8)
        self.indices = self.packet[:pixels].reshape(size[1], size[0])
        rgb = header.rgb()
        palette = self.packet[pixels:].reshape(256, 4)
        palette[:len(rgb), :3] = rgb[:, ::-1]
        palette[:, 3] = 255
        self._previous: np.ndarray | None = None
        self._pending = False
        self._video = imageio_ffmpeg.write_frames(
            str(path), size, pix_fmt_in="pal8", pix_fmt_out="yuv420p",
            fps=Fraction(1000, self.tick), codec="libx264", macro_block_size=1,
            ffmpeg_log_level="error", output_params=X264)
        self._video.send(None)  # starts ffmpeg

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Encode the frame before (its time is now known), then copy in what ``frame``
        changed."""
        self._flush(self.header.duration)
        box = ((0, 0, frame.shape[1], frame.shape[0]) if self._previous is None
               else changed_box(self._previous, frame))
        if box is not None:
            left, top, right, bottom = box
            self.indices[top:bottom, left:right] = frame[top:bottom, left:right]
        self._previous = frame
        self._pending = True

    def _flush(self, duration: int) -> None:
        """Send the painted frame to ffmpeg, as many times as ``duration`` takes."""
        if not self._pending:
            return
        for _ in range(duration // self.tick):
            self._video.send(self.packet)  # written to ffmpeg's pipe before it returns
        self._pending = False
        self.count += 1

    def close(self) -> None:
        """Encode the last frame (with the hold time) and finish the file."""
        self._flush(self.header.duration + self.header.hold)
        self._video.close()

    def abort(self) -> None:
        """Stop ffmpeg without finishing the file (the caller removes it)."""
        self._video.close()
