"""Text: Pillow's bundled font at a given size, its metrics and its glyph masks.

The font ships inside Pillow (``ImageFont.load_default(size)``), so pictures never
depend on the fonts installed on a machine.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font at ``size`` px."""
    loaded = ImageFont.load_default(size)
    if not isinstance(loaded, ImageFont.FreeTypeFont):  # Pillow built without FreeType
        raise RuntimeError("convgif needs Pillow with FreeType support for its text")
    return loaded


def line_height(size: int) -> int:
    """Height in px of one line of text at ``size`` (ascent + descent)."""
    ascent, descent = font(size).getmetrics()
    return ascent + descent


@lru_cache(maxsize=512)
def text_width(text: str, size: int) -> int:
    """Width in px of ``text`` at ``size``."""
    return int(np.ceil(font(size).getlength(text)))


@lru_cache(maxsize=4096)
def text_mask(text: str, size: int) -> np.ndarray:
    """Coverage of ``text`` (0..255, uint8, read-only), ``line_height`` tall and
    ``text_width`` wide; cached, since cells repeat their numbers."""
    mask = Image.new("L", (max(1, text_width(text, size)), line_height(size)), 0)
    ImageDraw.Draw(mask).text((0, 0), text, font=font(size), fill=255)
    array = np.asarray(mask).copy()
    array.flags.writeable = False
    return array
