"""SVG and PDF frames: the same drawing as the PNG of the same frame, as vector graphics.

Independent rasterisers (librsvg's rsvg-convert for SVG, poppler's pdftoppm for PDF)
draw the files at the PNG's size; every cell's centre must have the PNG's colour, for
every layer kind, both themes, with and without values, and the image look. Text is
text: pdftotext and the SVG's <text> hold the status line, the formula and the caption.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import convgif
from convgif.cli import cli
from convgif.draw import Painter
from convgif.draw.canvas import RasterCanvas
from convgif.draw.vector import VectorCanvas
from convgif.layout import Grid

RSVG, PDFTOPPM = shutil.which("rsvg-convert"), shutil.which("pdftoppm")
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")
ROOT = Path(__file__).resolve().parents[1]

LAYERS = [
    convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2),
    convgif.Conv2d(2, 2, 3, 5, padding=1, padding_mode="reflect"),
    convgif.ConvTranspose2d(2, 1, 3, 3, stride=2, padding=1),
    convgif.MaxPool2d(3, 6, 1, stride=2, padding=1, ceil_mode=True),
    convgif.AvgPool2d(3, 5, 1, stride=1, padding=1, count_include_pad=False),
    convgif.Conv1d(2, 2, 3, 12, stride=2, padding=1),
]


def rasterised(path: Path) -> np.ndarray:
    """The SVG or PDF at ``path`` drawn by an independent rasteriser at 1 px a unit."""
    out = path.with_suffix(".raster.png")
    if path.suffix == ".svg":
        subprocess.run([RSVG, str(path), "-o", str(out)], check=True)
    else:
        subprocess.run([PDFTOPPM, "-r", "72", "-singlefile", "-png", str(path),
                        str(out.with_suffix(""))], check=True)
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"))


def cells(painter: Painter) -> list[Grid]:
    """Every grid of cells a frame shows (the magnifier's too)."""
    lay = painter.layout
    grids = [area for area in (*lay.inputs, *lay.outputs) if isinstance(area, Grid)]
    grids += [grid for bank in lay.kernels for grid in bank]
    if lay.magnifier is not None:
        grids += [*lay.magnifier.windows, *lay.magnifier.kernels, lay.magnifier.output]
    return grids


def centres(painter: Painter, rgb: np.ndarray) -> list[tuple[int, int, tuple[int, ...]]]:
    """Each cell's centre and its colour in ``rgb``: the colour most of the middle of the
    cell has (a link line or a number over the very centre does not count)."""
    seen = []
    for grid in cells(painter):
        for row in range(grid.rows):
            for col in range(grid.cols):
                left, top, right, bottom = grid.cell_box(row, col)
                x, y = (left + right) // 2, (top + bottom) // 2
                side = max(1, (right - left) // 4)
                middle = rgb[y - side + 1:y + side, x - side + 1:x + side].reshape(-1, 3)
                colours, counts = np.unique(middle, axis=0, return_counts=True)
                seen.append((x, y, tuple(int(v) for v in colours[counts.argmax()])))
    return seen


@pytest.mark.skipif(RSVG is None or PDFTOPPM is None,
                    reason="rsvg-convert and pdftoppm (librsvg2-bin, poppler-utils)")
@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.kind)
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("values", [False, True])
def test_svg_and_pdf_draw_every_cell_as_the_png_does(layer: convgif.Layer, theme: str,
                                                     values: bool, tmp_path: Path) -> None:
    options = {"theme": theme, "values": values}
    frame = 3
    png = convgif.stills(layer, frame, tmp_path / "f.png", **options)[0]
    with Image.open(png.path) as image:
        expected = np.asarray(image.convert("RGB"))
    painter = Painter.of(layer, options)
    for suffix in (".svg", ".pdf"):
        vector = convgif.stills(layer, frame, tmp_path / f"f{suffix}", **options)[0]
        assert vector.path is not None
        drawn = rasterised(vector.path)
        assert drawn.shape == expected.shape, suffix
        assert centres(painter, drawn) == centres(painter, expected), suffix


@pytest.mark.skipif(RSVG is None or PDFTOPPM is None,
                    reason="rsvg-convert and pdftoppm (librsvg2-bin, poppler-utils)")
def test_the_image_look_draws_its_cells_and_pictures_as_the_png_does(tmp_path: Path) -> None:
    layer = convgif.Conv2d(3, 4, 3, 40, padding=1)
    options = {"input": str(ROOT / "examples" / "inputs" / "grace_hopper.jpg")}
    png = convgif.stills(layer, 30, tmp_path / "f.png", **options)[0]
    with Image.open(png.path) as image:
        expected = np.asarray(image.convert("RGB"))
    painter = Painter.of(layer, options)
    assert painter.layout.magnifier is not None
    left, top, right, bottom = painter.layout.inputs[0].box
    for suffix in (".svg", ".pdf"):
        path = convgif.stills(layer, 30, tmp_path / f"f{suffix}", **options)[0].path
        assert path is not None
        drawn = rasterised(path)
        assert centres(painter, drawn) == centres(painter, expected), suffix
        photo = [image[top + 2:bottom - 2, left + 2:right - 2].astype(float).ravel()
                 for image in (drawn, expected)]
        assert np.corrcoef(*photo)[0, 1] > 0.95, suffix  # the photo, as in the PNG


def test_text_is_text(tmp_path: Path) -> None:
    layer = convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2)
    step = list(convgif.trace(layer, convgif.values_for(layer, values=True)))[5]
    painter = Painter.of(layer, {"values": True})
    status, formula = painter.scene.texts(step)
    svg = convgif.stills(layer, 6, tmp_path / "f.svg", values=True)[0].path
    assert svg is not None
    texts = [t.replace("&#x27;", "'").replace("&amp;", "&")
             for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg.read_text())]
    assert status in texts and formula in texts and layer.caption in texts
    if PDFTOTEXT is not None:
        pdf = convgif.stills(layer, 6, tmp_path / "f.pdf", values=True)[0].path
        assert pdf is not None
        text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(text.split())
        for line in (status, formula, layer.caption):
            assert " ".join(line.split()) in flat, line


@pytest.mark.skipif(PDFINFO is None, reason="pdfinfo (poppler-utils)")
def test_a_pdf_holds_a_page_per_frame_and_the_same_bytes_each_time(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a.pdf", "b.pdf"):
        result = runner.invoke(cli, ["render", "-o", str(tmp_path / name), "-q"])
        assert result.exit_code == 0 and "(18 frames, 527x570 px" in result.output
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    info = subprocess.run([PDFINFO, str(tmp_path / "a.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+18$", info, re.M)
    assert re.search(r"^Page size:\s+527 x 570 pts", info, re.M)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "a.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Aileron" in fonts and " yes " in fonts  # embedded


def test_an_svg_without_a_frame_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "-o", str(tmp_path / "x.svg")])
    assert result.exit_code == 2
    assert "an SVG holds one frame: choose it with --frame N" in result.output
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(convgif.OptionError, match="an SVG holds one frame"):
        convgif.render(convgif.Conv2d(1, 1, 3, 5), tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []
    done = convgif.render(convgif.Conv2d(1, 1, 3, 3), tmp_path / "one.svg")  # one step
    assert done.frames == 1 and done.path is not None and done.path.is_file()


def test_the_raster_and_vector_canvases_take_the_same_calls() -> None:
    layer = convgif.Conv2d(2, 2, 3, 5, padding=1)
    raster = Painter.of(layer, {"values": True})
    vector = Painter.of(layer, {"values": True}, canvas=VectorCanvas.blank)
    for index in (0, 7, len(raster.schedule) - 1):
        frame, texts = raster.canvas(index)
        drawn, vector_texts = vector.canvas(index)
        assert isinstance(frame, RasterCanvas) and isinstance(drawn, VectorCanvas)
        assert texts == vector_texts and (drawn.width, drawn.height) == frame.array.shape[::-1]
        assert drawn.shapes  # rectangles, strokes, labels...


def test_plot_writes_pdf(tmp_path: Path) -> None:
    csv = ROOT / "gallery" / "plot-stride.csv"
    result = CliRunner().invoke(cli, ["plot", "stride", "--from-csv", str(csv), "-o",
                                      str(tmp_path / "stride.pdf"), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "stride.pdf").read_bytes().startswith(b"%PDF")
