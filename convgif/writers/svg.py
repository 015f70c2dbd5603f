"""SVG: one frame as vector graphics, written directly (no dependency).

Cells are rectangles, lines lines, marks paths, text text (the frames' font, Pillow's
Aileron, embedded so it is the same everywhere; selectable and searchable), grids
drawn as images are PNG images; every shape at the raster frame's pixel
coordinates, so a rasteriser draws the PNG of the same frame. An SVG holds one
frame: ``--frame N`` chooses it (a PDF holds every frame, a page each).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar, cast

import numpy as np
from PIL import Image

from ..draw.vector import Clip, Label, Picture, Rect, Shape, Stroke, Triangle, VectorCanvas
from ..font import font, text_width
from ..layers import OptionError

if TYPE_CHECKING:
    from . import Header

FONT_FAMILY = "Aileron"
ONE_FRAME = ("an SVG holds one frame: choose it with --frame N (frames=N in Python), or "
             "write .pdf for a page per frame")


def check_timing(duration: int, hold: int, loop: int) -> None:
    """A still has no timing: anything goes."""


def vector_frame(frame: object) -> VectorCanvas:
    """``frame`` as a vector canvas (what vector writers take)."""
    if not isinstance(frame, VectorCanvas):
        raise TypeError(f"vector writers take vector canvases, not {type(frame).__name__}")
    return frame


def colour(rgb: np.ndarray, index: int) -> str:
    """Palette entry ``index`` as ``#rrggbb``."""
    return "#" + bytes(int(v) for v in rgb[index]).hex()


def png_data(picture: Picture, rgb: np.ndarray) -> str:
    """A picture as a PNG ``data:`` URL (transparent outside its mask)."""
    pixels = rgb[picture.indices]
    if picture.mask is None:
        image = Image.fromarray(pixels.astype(np.uint8), "RGB")
    else:
        alpha = np.where(picture.mask, 255, 0).astype(np.uint8)
        image = Image.fromarray(np.dstack([pixels, alpha]).astype(np.uint8), "RGBA")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class _Document:
    """The elements of one SVG, made from shapes."""

    def __init__(self, rgb: np.ndarray) -> None:
        self.rgb, self.clips, self.parts = rgb, 0, cast(list[str], [])

    def add(self, shapes: tuple[Shape, ...] | list[Shape]) -> None:
        """Append the elements of ``shapes``, in order."""
        for shape in shapes:
            self.parts.append(self.element(shape))

    def element(self, shape: Shape) -> str:
        """The SVG element of one shape."""
        rgb = self.rgb
        if isinstance(shape, Rect):
            left, top, right, bottom = shape.box
            return (f'<rect x="{left}" y="{top}" width="{right - left}" '
                    f'height="{bottom - top}" fill="{colour(rgb, shape.colour)}"/>')
        if isinstance(shape, Stroke):
            half = shape.width / 2
            (x0, y0), (x1, y1) = shape.start, shape.end
            return (f'<line x1="{x0 + half:g}" y1="{y0 + half:g}" x2="{x1 + half:g}" '
                    f'y2="{y1 + half:g}" stroke="{colour(rgb, shape.colour)}" '
                    f'stroke-width="{shape.width}" stroke-linecap="square"/>')
        if isinstance(shape, Triangle):
            points = " ".join(f"{x},{y}" for x, y in shape.points)
            return f'<path d="M{points.replace(" ", " L")} Z" fill="{colour(rgb, shape.colour)}"/>'
        if isinstance(shape, Label):
            # textLength: a renderer without the embedded font (librsvg) still gives the
            # text the width Aileron gives it, so it stays clear of its neighbours.
            baseline = shape.y + font(shape.size).getmetrics()[0]
            return (f'<text x="{shape.x}" y="{baseline}" font-size="{shape.size}" '
                    f'textLength="{text_width(shape.text, shape.size)}" '
                    f'lengthAdjust="spacingAndGlyphs" fill="{colour(rgb, shape.colour)}">'
                    f'{html.escape(shape.text)}</text>')
        if isinstance(shape, Picture):
            left, top, right, bottom = shape.box
            return (f'<image x="{left}" y="{top}" width="{right - left}" '
                    f'height="{bottom - top}" preserveAspectRatio="none" '
                    f'style="image-rendering:pixelated" href="{png_data(shape, rgb)}"/>')
        return self.clip(shape)

    def clip(self, shape: Clip) -> str:
        """A group of shapes clipped to a box (a clip path of its own)."""
        self.clips += 1
        left, top, right, bottom = shape.box
        name = f"c{self.clips}"
        inner = "".join(self.element(item) for item in shape.shapes)
        return (f'<clipPath id="{name}"><rect x="{left}" y="{top}" width="{right - left}" '
                f'height="{bottom - top}"/></clipPath><g clip-path="url(#{name})">{inner}</g>')


def svg_text(frame: VectorCanvas, rgb: np.ndarray, title: str, texts: tuple[str, ...] = ()
             ) -> str:
    """The SVG document of one frame: its shapes over its palette ``rgb``, ``title`` (the
    caption) and the frame's lines of text as a description."""
    document = _Document(rgb)
    document.add(frame.shapes)
    font_data = base64.b64encode(font(12).font_bytes).decode("ascii")
    description = html.escape("\n".join(texts))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" '
        f'height="{frame.height}" viewBox="0 0 {frame.width} {frame.height}">\n'
        f"<title>{html.escape(title)}</title>\n<desc>{description}</desc>\n"
        f'<style>@font-face{{font-family:"{FONT_FAMILY}";'
        f"src:url(data:font/ttf;base64,{font_data}) format(\"truetype\")}}"
        f'text{{font-family:"{FONT_FAMILY}",sans-serif;white-space:pre}}</style>\n'
        f'<g shape-rendering="crispEdges">\n' + "\n".join(document.parts) + "\n</g>\n</svg>\n")


class SvgWriter:
    """Writes the one frame of a still as an SVG document."""

    extensions: ClassVar[tuple[str, ...]] = (".svg",)
    mode: ClassVar[str] = "vector"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """SVG is written directly: nothing to install."""
        return None

    @staticmethod
    def check_frames(count: int) -> None:
        """Raise :class:`OptionError` unless there is one frame."""
        if count != 1:
            raise OptionError(ONE_FRAME)

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> SvgWriter:
        """A writer of the one frame ``header`` announces (more is an :class:`OptionError`)."""
        cls.check_frames(header.frames)
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        self.fp, self.header, self.count = fp, header, 0

    def add(self, frame: object, text: tuple[str, ...] = ()) -> None:
        """Write the frame (a :class:`~convgif.draw.vector.VectorCanvas`)."""
        canvas = vector_frame(frame)
        self.fp.write(svg_text(canvas, self.header.rgb(), self.header.title, text).encode())
        self.count += 1

    def close(self) -> None:
        """Nothing more: the document is whole."""

    def abort(self) -> None:
        """Nothing to release."""
