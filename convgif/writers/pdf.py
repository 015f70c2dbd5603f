"""PDF: every frame a page of vector graphics, through matplotlib's PDF backend.

A page is the frame's size in points (1 px = 1 pt, so a page and the PNG of the same
frame have one geometry); cells are rectangles, lines lines, marks paths, text text in
the frames' font (Pillow's Aileron, embedded as TrueType: selectable and searchable),
grids drawn as images are images. One frame (``--frame N``) is a one-page PDF; an
animation is one page per frame, for ``\\includegraphics[page=N]``, Beamer and handouts.
Same frames, same bytes (no creation date).
"""

from __future__ import annotations

import io
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, cast

import numpy as np

from ..draw.vector import Clip, Label, Picture, Rect, Shape, Stroke, Triangle, VectorCanvas
from ..font import font
from .svg import vector_frame

if TYPE_CHECKING:
    from . import Header

POINTS = 72  # px per inch: a pixel is a point


def check_timing(duration: int, hold: int, loop: int) -> None:
    """Pages have no timing: anything goes."""


@lru_cache(maxsize=1)
def font_file() -> str:
    """The frames' font (Pillow's bundled Aileron) as a file matplotlib can embed."""
    folder = Path(tempfile.mkdtemp(prefix="convgif-font-"))
    path = folder / "Aileron-Regular.ttf"
    path.write_bytes(font(12).font_bytes)
    return str(path)


def _rgb(rgb: np.ndarray, index: int) -> tuple[float, float, float]:
    red, green, blue = (int(v) / 255 for v in rgb[index])
    return (red, green, blue)


class _Page:
    """Draws one frame's shapes on a matplotlib figure, in order, clips intersected."""

    def __init__(self, frame: VectorCanvas, rgb: np.ndarray) -> None:
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties

        self.rgb = rgb
        self.height = frame.height
        self.figure = Figure(figsize=(frame.width / POINTS, frame.height / POINTS),
                             dpi=POINTS)
        self.axes = self.figure.add_axes((0, 0, 1, 1))
        self.axes.set_axis_off()
        self.axes.set_xlim(0, frame.width)
        self.axes.set_ylim(frame.height, 0)
        self.font = FontProperties(fname=font_file())
        self.order = 0  # artists' z-order: the order shapes were drawn in
        self.rects: list[tuple[Rect, Any]] = []
        self.draw(frame.shapes, None)
        self.flush()
        self.axes.set_xlim(0, frame.width)
        self.axes.set_ylim(frame.height, 0)

    def clipped(self, artist: Any, box: tuple[int, int, int, int] | None) -> Any:
        """``artist`` (already on the axes) drawn after every artist before it (matplotlib
        draws by z-order), inside ``box`` if given."""
        from matplotlib.transforms import Bbox, TransformedBbox

        self.order += 1
        artist.set_zorder(self.order)
        if box is not None:
            left, top, right, bottom = box
            artist.set_clip_on(True)
            artist.set_clip_box(TransformedBbox(Bbox([[left, top], [right, bottom]]),
                                                self.axes.transData))
        return artist

    def flush(self) -> None:
        """Draw the rectangles gathered so far as one collection (in their order)."""
        from matplotlib.collections import PolyCollection

        if not self.rects:
            return
        box = self.rects[0][1]
        polygons = [[(r.box[0], r.box[1]), (r.box[2], r.box[1]), (r.box[2], r.box[3]),
                     (r.box[0], r.box[3])] for r, _ in self.rects]
        colours = [_rgb(self.rgb, r.colour) for r, _ in self.rects]
        collection = PolyCollection(polygons, facecolors=colours, edgecolors="none",
                                    linewidths=0, antialiaseds=False)
        self.clipped(self.axes.add_collection(collection), box)
        self.rects = []

    def draw(self, shapes: tuple[Shape, ...] | list[Shape],
             box: tuple[int, int, int, int] | None) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Polygon

        for shape in shapes:
            if isinstance(shape, Rect):
                if self.rects and self.rects[0][1] != box:
                    self.flush()
                self.rects.append((shape, box))
                continue
            self.flush()
            if isinstance(shape, Stroke):
                half = shape.width / 2
                (x0, y0), (x1, y1) = shape.start, shape.end
                self.clipped(self.axes.add_line(Line2D(
                    [x0 + half, x1 + half], [y0 + half, y1 + half],
                    linewidth=shape.width, color=_rgb(self.rgb, shape.colour),
                    solid_capstyle="projecting", antialiased=False)), box)
            elif isinstance(shape, Triangle):
                self.clipped(self.axes.add_patch(Polygon(
                    list(shape.points), closed=True, facecolor=_rgb(self.rgb, shape.colour),
                    edgecolor="none", linewidth=0, antialiased=False)), box)
            elif isinstance(shape, Label):
                baseline = shape.y + font(shape.size).getmetrics()[0]
                self.clipped(self.axes.text(
                    shape.x, baseline, shape.text, fontproperties=self.font,
                    fontsize=shape.size, color=_rgb(self.rgb, shape.colour),
                    va="baseline", ha="left"), box)
            elif isinstance(shape, Picture):
                self.picture(shape, box)
            elif isinstance(shape, Clip):
                self.draw(shape.shapes, shape.box if box is None else _meet(box, shape.box))
        self.flush()

    def picture(self, shape: Picture, box: tuple[int, int, int, int] | None) -> None:
        pixels = self.rgb[shape.indices].astype(np.uint8)
        alpha = (np.full(shape.indices.shape, 255, np.uint8) if shape.mask is None
                 else np.where(shape.mask, 255, 0).astype(np.uint8))
        left, top, right, bottom = shape.box
        image = self.axes.imshow(np.dstack([pixels, alpha]), extent=(left, right, bottom, top),
                                 interpolation="none", resample=False, aspect="auto")
        self.clipped(image, box)


def _meet(a: tuple[int, int, int, int], b: tuple[int, int, int, int]
          ) -> tuple[int, int, int, int]:
    """The part two boxes share."""
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


class PdfWriter:
    """Writes frames as the pages of one PDF."""

    extensions: ClassVar[tuple[str, ...]] = (".pdf",)
    mode: ClassVar[str] = "vector"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    @staticmethod
    def missing() -> str | None:
        """matplotlib is one of convgif's dependencies: nothing to install."""
        return None

    @classmethod
    def open(cls, target: BinaryIO | Path, header: Header) -> PdfWriter:
        """A writer of ``header.frames`` pages."""
        return cls(cast(BinaryIO, target), header)

    def __init__(self, fp: BinaryIO, header: Header) -> None:
        import matplotlib
        from matplotlib.backends.backend_pdf import PdfPages

        self.fp, self.header, self.count = fp, header, 0
        self._settings = matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 9})
        self._settings.__enter__()
        self._buffer = io.BytesIO()  # the PDF's cross-references need a file that seeks
        self.pages = PdfPages(self._buffer, metadata={"Title": header.title, "Creator": "convgif",
                                            "Producer": "convgif", "CreationDate": None})

    def add(self, frame: object, text: tuple[str, ...] = ()) -> None:
        """Add the frame (a :class:`~convgif.draw.vector.VectorCanvas`) as a page."""
        page = _Page(vector_frame(frame), self.header.rgb())
        self.pages.savefig(page.figure)
        self.count += 1

    def close(self) -> None:
        """Finish the document."""
        try:
            self.pages.close()
            self.fp.write(self._buffer.getvalue())
        finally:
            self._settings.__exit__(None, None, None)

    def abort(self) -> None:
        """Let the unfinished document go."""
        self._settings.__exit__(None, None, None)
