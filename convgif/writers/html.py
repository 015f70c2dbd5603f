"""A self-contained HTML player: one file with the frames, their texts and the controls.

The frames are stored as the GIF stores them, only what changed: for each frame
the rectangle that differs from the frame before (the first frame whole) as
little-endian ``left, top, width, height`` (16 bits each) and its palette
indices row by row. The records of all frames form one zlib stream, written in
base64 inside a ``<script type="application/octet-stream">`` element as the
frames come; the page inflates it with the browser's ``DecompressionStream``
and paints frames on a canvas, keeping a keyframe every 32 frames for seeking.
No network, no external script: the file plays from disk and inside an iframe.
The template, ``player.html``, holds the page; the frames' texts (status and
formula lines) are shown as real text beside the canvas. The canvas is shown at
the layout's size (a ``--scale 2`` page at half its pixels: sharper on a
high-density screen), never wider than its column; drawn at its pixel size or
larger it is crisp (pixelated), shrunk it is smoothed, so thin grid lines and
digits stay visible.
"""

from __future__ import annotations

import base64
import html
import json
import re
import struct
import zlib
from importlib import resources
from pathlib import Path
from typing import BinaryIO, ClassVar, cast

import numpy as np

from ..layers import OptionError
from . import Header, changed_box

MAX_DURATION_MS = 2**31 - 1  # a browser timer's longest delay
MAX_SIDE = 65_535  # rectangles are stored with 16-bit sides
LEVEL = 9  # zlib compression level
_FIELD = re.compile(r"{{([a-z_]+)}}")


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Raise :class:`OptionError` unless a browser timer holds these timings."""
    if not 1 <= duration <= MAX_DURATION_MS:
        raise OptionError(f"duration={duration} ms must be between 1 and {MAX_DURATION_MS}")
    if hold < 0 or duration + hold > MAX_DURATION_MS:
        raise OptionError(f"hold={hold} ms must be >= 0, with duration + hold at most "
                          f"{MAX_DURATION_MS}")
    if not 0 <= loop <= 2**31 - 1:
        raise OptionError(f"loop={loop} must be >= 0 plays (0: forever)")


def _luminance(rgb: np.ndarray) -> float:
    """WCAG relative luminance of an sRGB colour."""
    c = rgb.astype(float) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def page_colours(rgb: np.ndarray) -> tuple[str, str, str]:
    """The page's background (the frames' first palette entry), its ink (the palette
    entry that contrasts most with it) and its colour scheme (``light``/``dark``)."""
    background = _luminance(rgb[0])
    contrast = [abs(_luminance(colour) - background) for colour in rgb]
    ink = rgb[int(np.argmax(contrast))]
    return (_hex(rgb[0]), _hex(ink), "dark" if background < 0.2 else "light")


def _hex(colour: np.ndarray) -> str:
    return "#" + bytes(int(v) for v in colour).hex()


def _fill(template: str, fields: dict[str, str]) -> str:
    """``template`` with each ``{{name}}`` replaced by ``fields[name]``."""
    return _FIELD.sub(lambda match: fields[match.group(1)], template)


def _template() -> tuple[str, str]:
    """The page before and after the frames' data."""
    page = resources.files(__package__).joinpath("player.html").read_text("utf-8")
    head, tail = page.split("{{frames_data}}")
    return head, tail


def _script_json(value: object) -> str:
    """``value`` as JSON that cannot end the ``<script>`` element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


class HtmlWriter:
    """Writes frames of palette indices as a self-contained HTML player."""

    extensions: ClassVar[tuple[str, ...]] = (".html",)
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """The player needs nothing beyond the standard library and NumPy."""
        return None

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> HtmlWriter:
        """A writer of ``header.frames`` frames on the binary file ``target``."""
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        width, height = header.size
        if max(width, height) > MAX_SIDE:
            raise OptionError(f"the HTML player holds frames up to {MAX_SIDE} px a side")
        self.fp, self.header, self.count = fp, header, 0
        self._texts: list[tuple[str, ...]] = []
        self._previous: np.ndarray | None = None
        self._deflate = zlib.compressobj(LEVEL)
        self._pending = b""  # deflated bytes not yet a multiple of 3 (base64's unit)
        background, ink, scheme = page_colours(header.rgb())
        head, self._tail = _template()
        self._fields = {
            "title": html.escape(header.title or "convgif animation"),
            "scheme": scheme, "background": background, "ink": ink,
            "width": str(width), "height": str(height),
            "width_px": f"{width // header.scale}px",  # shown at the layout's size
            "frames": str(header.frames), "duration": str(header.duration),
            "hold": str(header.hold), "loop": str(header.loop),
            "palette": header.palette.hex(),
        }
        fp.write(_fill(head, self._fields).encode("utf-8"))

    def _write(self, deflated: bytes) -> None:
        data = self._pending + deflated
        whole = len(data) - len(data) % 3
        if whole:
            self.fp.write(base64.b64encode(data[:whole]) + b"\n")
        self._pending = data[whole:]

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        """Deflate the frame's changed rectangle into the page; keep its text lines."""
        if self._previous is None:
            box: tuple[int, int, int, int] | None = (0, 0, frame.shape[1], frame.shape[0])
        else:
            box = changed_box(self._previous, frame)
        left, top, right, bottom = box if box is not None else (0, 0, 0, 0)
        patch = np.ascontiguousarray(frame[top:bottom, left:right], dtype=np.uint8)
        record = struct.pack("<4H", left, top, right - left, bottom - top) + patch.tobytes()
        self._write(self._deflate.compress(record))
        self._previous = frame
        self._texts.append(tuple(text))
        self.count += 1

    def close(self) -> None:
        """Finish the data and write the texts, the player's script and the page's end."""
        if self.count != self.header.frames:
            raise ValueError(f"{self.count} frames added, {self.header.frames} announced")
        self._write(self._deflate.flush())
        if self._pending:
            self.fp.write(base64.b64encode(self._pending) + b"\n")
        fields = {**self._fields, "texts": _script_json(self._texts)}
        self.fp.write(_fill(self._tail, fields).encode("utf-8"))

    def abort(self) -> None:
        """Nothing to release: the page is plain writes."""
