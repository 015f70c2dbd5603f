"""H.264 MP4 through imageio's ffmpeg plugin (the optional extra ``convgif[video]``).

imageio-ffmpeg ships its own ffmpeg, which encodes frames piped to it as they
come. The video is yuv420p (what every player takes) with even dimensions
(frames are padded with the background colour). A constant frame rate keeps
every frame's duration: the rate is 1000 / t frames per second, t the greatest
common divisor of the frame time, the last frame's time and 1000 ms, and each
frame is repeated duration / t times (which H.264 stores almost for free).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import numpy as np

from ..layers import OptionError
from . import Header

INSTALL = "writing .mp4 needs the video extra: pip install 'convgif[video]'"
MAX_RATE = 1000  # frames per second at most (a 1 ms tick)


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
        import imageio.v2 as imageio

        self.header, self.count = header, 0
        self.tick = math.gcd(header.duration, header.duration + header.hold, MAX_RATE)
        self.rgb = header.rgb()
        width, height = header.size
        self.padded = (height + height % 2, width + width % 2)
        options: dict[str, Any] = {
            "format": "FFMPEG", "mode": "I", "fps": MAX_RATE // self.tick, "codec": "libx264",
            "pixelformat": "yuv420p", "macro_block_size": 1, "ffmpeg_log_level": "error",
            "output_params": ["-threads", "1", "-preset", "veryfast", "-crf", "18",
                              "-tune", "animation", "-movflags", "+faststart"],
        }
        self._video = imageio.get_writer(str(path), **options)
        self._pending: np.ndarray | None = None

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Queue ``frame``; the one before it is encoded now."""
        self._flush(self.header.duration)
        picture = np.empty((*self.padded, 3), np.uint8)
        picture[...] = self.rgb[0]
        picture[:frame.shape[0], :frame.shape[1]] = self.rgb[frame]
        self._pending = picture

    def _flush(self, duration: int) -> None:
        if self._pending is None:
            return
        for _ in range(duration // self.tick):
            self._video.append_data(self._pending)
        self._pending = None
        self.count += 1

    def close(self) -> None:
        """Encode the last frame (with the hold time) and finish the file."""
        self._flush(self.header.duration + self.header.hold)
        self._video.close()

    def abort(self) -> None:
        """Stop ffmpeg without finishing the file (the caller removes it)."""
        self._video.close()
