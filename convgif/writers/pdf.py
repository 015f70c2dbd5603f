"""PDF: every frame a page of vector graphics, written directly (no dependency).

A page is the frame's size in points (1 px = 1 pt, so a page and the PNG of the same
frame share one geometry): cells are filled rectangles, lines stroked lines, marks
paths, text text in the frames' font (Pillow's Aileron, embedded once as TrueType, with
WinAnsi encoding: selectable and searchable), grids drawn as images are images. An
image that several pages show (a photo, a background) is stored once. One frame
(``--frame N``) is a one-page PDF; an animation is one page per frame, for
``\\includegraphics[page=N]``, Beamer and handouts. Same frames, same bytes: no dates.
"""

from __future__ import annotations

import hashlib
import zlib
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar, cast

import numpy as np
from PIL import ImageFont

from ..draw.vector import Clip, Label, Picture, Rect, Shape, Stroke, Triangle
from ..font import font
from .svg import vector_frame

if TYPE_CHECKING:
    from . import Header

EM = 1000  # the font's widths are given per 1000 units of its size
FIRST, LAST = 32, 255  # the WinAnsi codes the font's widths cover


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Pages have no timing: anything goes."""


def _number(value: float) -> str:
    """A number as PDF writes it: ``12``, ``12.5``."""
    return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _string(text: str) -> bytes:
    """``text`` as a PDF string in WinAnsi (cp1252) encoding, escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class _Objects:
    """The numbered objects of a PDF file, written as they are made."""

    def __init__(self, fp: BinaryIO) -> None:
        self.fp, self.offsets = fp, cast(list[int], [])
        self.position = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.fp.write(data)
        self.position += len(data)

    def reserve(self) -> int:
        """A number for an object written later."""
        self.offsets.append(-1)
        return len(self.offsets)

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> int:
        """Object ``number``: its dictionary (or value) ``body``, and a deflated ``stream``."""
        self.offsets[number - 1] = self.position
        if stream is None:
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        else:
            packed = zlib.compress(stream, 6)
            self._write(b"%d 0 obj\n<< %s /Length %d /Filter /FlateDecode >>\nstream\n"
                        % (number, body, len(packed)) + packed + b"\nendstream\nendobj\n")
        return number

    def add(self, body: bytes, stream: bytes | None = None) -> int:
        """A new object."""
        return self.write(self.reserve(), body, stream)

    def finish(self, root: int, info: int) -> None:
        """The cross-reference table and the trailer."""
        start = self.position
        rows = b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets)
        self._write(b"xref\n0 %d\n0000000000 65535 f \n%s" % (len(self.offsets) + 1, rows))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (len(self.offsets) + 1, root, info, start))


def _font_objects(objects: _Objects) -> int:
    """The embedded font (TrueType, WinAnsi) and its descriptor; the font's number."""
    data = font(12).font_bytes
    sized = ImageFont.truetype(BytesIO(data), EM)
    ascent, descent = sized.getmetrics()
    widths = b" ".join(b"%d" % round(sized.getlength(bytes([code]).decode("cp1252", "replace")))
                       for code in range(FIRST, LAST + 1))
    file = objects.add(b"/Length1 %d" % len(data), data)
    descriptor = objects.add(
        b"<< /Type /FontDescriptor /FontName /Aileron-Regular /Flags 32 "
        b"/FontBBox [-200 -%d 1400 %d] /ItalicAngle 0 /Ascent %d /Descent -%d "
        b"/CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>"
        % (descent, ascent, ascent, descent, file))
    return objects.add(
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Aileron-Regular /FirstChar %d "
        b"/LastChar %d /Widths [%s] /FontDescriptor %d 0 R /Encoding /WinAnsiEncoding >>"
        % (FIRST, LAST, widths, descriptor))


class _Page:
    """One frame's content stream and the images it shows."""

    def __init__(self, writer: PdfWriter, height: int) -> None:
        self.writer, self.height = writer, height
        self.parts: list[bytes] = []
        self.images: dict[str, int] = {}

    def colour(self, index: int, operator: bytes) -> bytes:
        """The operator that sets palette entry ``index`` as the fill (``rg``) or stroke
        (``RG``) colour."""
        return self.writer.colour(index, operator)

    def draw(self, shapes: list[Shape] | tuple[Shape, ...]) -> None:
        """Append the shapes' operators to the content, in order; clips nest."""
        for shape in shapes:
            if isinstance(shape, Rect):
                left, top, right, bottom = shape.box
                self.parts.append(self.colour(shape.colour, b"rg") + b" %d %d %d %d re f"
                                  % (left, top, right - left, bottom - top))
            elif isinstance(shape, Stroke):
                half = shape.width / 2
                (x0, y0), (x1, y1) = shape.start, shape.end
                self.parts.append(self.colour(shape.colour, b"RG") + (
                    f" {shape.width} w 2 J {_number(x0 + half)} {_number(y0 + half)} m "
                    f"{_number(x1 + half)} {_number(y1 + half)} l S").encode())
            elif isinstance(shape, Triangle):
                (a, b), (c, d), (e, f) = shape.points
                self.parts.append(self.colour(shape.colour, b"rg")
                                  + b" %d %d m %d %d l %d %d l h f" % (a, b, c, d, e, f))
            elif isinstance(shape, Label):
                baseline = shape.y + font(shape.size).getmetrics()[0]
                self.parts.append(b"BT " + self.colour(shape.colour, b"rg")
                                  + b" /F1 %d Tf 1 0 0 -1 %d %d Tm %s Tj ET"
                                  % (shape.size, shape.x, baseline, _string(shape.text)))
            elif isinstance(shape, Picture):
                name = self.writer.image(shape)
                self.images[name] = self.writer.images[name]
                left, top, right, bottom = shape.box
                self.parts.append(b"q %d 0 0 -%d %d %d cm /%s Do Q" % (
                    right - left, bottom - top, left, bottom, name.encode()))
            elif isinstance(shape, Clip):
                left, top, right, bottom = shape.box
                self.parts.append(b"q %d %d %d %d re W n" % (left, top, right - left,
                                                             bottom - top))
                self.draw(shape.shapes)
                self.parts.append(b"Q")

    def content(self) -> bytes:
        """The page's content: y flipped so that (0, 0) is its top-left corner."""
        return b"1 0 0 -1 0 %d cm\n" % self.height + b"\n".join(self.parts)


class PdfWriter:
    """Writes frames as the pages of one PDF, as they come."""

    extensions: ClassVar[tuple[str, ...]] = (".pdf",)
    mode: ClassVar[str] = "vector"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """PDF is written directly: nothing to install."""
        return None

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> PdfWriter:
        """A writer of ``header.frames`` pages on the binary file ``target``."""
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        self.header, self.count, self.rgb = header, 0, header.rgb()
        self.objects = _Objects(fp)
        self.pages = self.objects.reserve()
        self.font = _font_objects(self.objects)
        self.kids: list[int] = []
        self.images: dict[str, int] = {}
        self._made: dict[bytes, str] = {}
        self._colours: dict[tuple[int, bytes], bytes] = {}

    def colour(self, index: int, operator: bytes) -> bytes:
        """The operator setting palette entry ``index`` as the fill (``rg``) or stroke
        (``RG``) colour, made once."""
        key = (index, operator)
        if key not in self._colours:
            self._colours[key] = b" ".join(
                [_number(round(int(v) / 255, 4)).encode() for v in self.rgb[index]]
                + [operator])
        return self._colours[key]

    def image(self, picture: Picture) -> str:
        """The name of the image XObject of ``picture`` (made once per distinct image)."""
        pixels = self.rgb[picture.indices].astype(np.uint8)
        key = hashlib.sha256(pixels.tobytes() + (b"" if picture.mask is None else
                                                 np.packbits(picture.mask).tobytes())
                             + repr(pixels.shape).encode()).digest()
        if key in self._made:
            return self._made[key]
        height, width = picture.indices.shape
        mask = b""
        if picture.mask is not None:
            alpha = np.where(picture.mask, 255, 0).astype(np.uint8)
            soft = self.objects.add(b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                                    b"/ColorSpace /DeviceGray /BitsPerComponent 8"
                                    % (width, height), alpha.tobytes())
            mask = b" /SMask %d 0 R" % soft
        number = self.objects.add(b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                                  b"/ColorSpace /DeviceRGB /BitsPerComponent 8%s"
                                  % (width, height, mask), pixels.tobytes())
        name = f"Im{len(self._made) + 1}"
        self._made[key], self.images[name] = name, number
        return name

    def add(self, frame: object, text: tuple[str, ...] = ()) -> None:
        """Add the frame (a :class:`~convgif.draw.vector.VectorCanvas`) as a page."""
        canvas = vector_frame(frame)
        page = _Page(self, canvas.height)
        page.draw(canvas.shapes)
        content = self.objects.add(b"", page.content())
        images = b" ".join(b"/%s %d 0 R" % (name.encode(), number)
                           for name, number in sorted(page.images.items()))
        self.kids.append(self.objects.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> /XObject << %s >> >> >>"
            % (self.pages, canvas.width, canvas.height, content, self.font, images)))
        self.count += 1

    def close(self) -> None:
        """The page tree, the catalogue, the document's title and the file's end."""
        kids = b" ".join(b"%d 0 R" % kid for kid in self.kids)
        self.objects.write(self.pages, b"<< /Type /Pages /Kids [%s] /Count %d >>"
                           % (kids, len(self.kids)))
        root = self.objects.add(b"<< /Type /Catalog /Pages %d 0 R >>" % self.pages)
        title = _string(self.header.title or "convgif animation")
        info = self.objects.add(b"<< /Title %s /Creator (convgif) /Producer (convgif) >>"
                                % title)
        self.objects.finish(root, info)

    def abort(self) -> None:
        """Nothing to release: the file is only bytes written so far."""
