"""Jupyter: show() displays an animation inline, layers display their summary.

The repr methods are called directly (what a front end calls), and
examples/notebook.ipynb runs once through a real kernel (nbclient + ipykernel).
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

import pytest
from PIL import Image

import convgif
from convgif.layers import OptionError
from convgif.notebook import INLINE

HEADLINE = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "notebook.ipynb"


def embedded(markup: str, mime: str) -> bytes:
    """The file inside an ``<img>``'s data URL."""
    match = re.search(rf'src="data:{re.escape(mime)};base64,([A-Za-z0-9+/=]+)"', markup)
    assert match is not None, markup[:200]
    return base64.b64decode(match[1])


@pytest.mark.parametrize(("format", "mime", "pillow"), [
    ("gif", "image/gif", "GIF"), ("webp", "image/webp", "WEBP"), ("apng", "image/apng", "PNG"),
])
def test_show_embeds_the_animation_render_writes(format: str, mime: str, pillow: str) -> None:
    shown = convgif.show(HEADLINE, format=format, theme="dark")
    stream = io.BytesIO()
    convgif.render(HEADLINE, stream, format=format, theme="dark")
    assert shown.data == stream.getvalue()
    assert embedded(shown._repr_html_(), mime) == shown.data
    bundle = shown._repr_mimebundle_()
    assert bundle["text/html"] == shown._repr_html_()
    assert f"{HEADLINE.n_steps} frames" in bundle["text/plain"]
    with Image.open(io.BytesIO(shown.data)) as image:
        assert image.format == pillow and image.n_frames == HEADLINE.n_steps
    assert html.escape(HEADLINE.caption) in shown._repr_html_()  # the alt text


def test_show_html_is_the_player_in_an_iframe() -> None:
    shown = convgif.show(HEADLINE, format="html", values=True)
    markup = shown._repr_html_()
    assert markup.startswith("<iframe srcdoc=") and markup.endswith("</iframe>")
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', markup)[1])  # type: ignore[index]
    assert page == shown.data.decode("utf-8")
    assert 'id="convgif-frames"' in page and "<script>" in page
    assert "text/html" in shown._repr_mimebundle_()


def test_show_saves_what_it_shows(tmp_path: Path) -> None:
    shown = convgif.show(HEADLINE)
    path = shown.save(tmp_path / "a.gif")
    assert path.read_bytes() == shown.data


@pytest.mark.parametrize("format", ["mp4", "bmp", 3, None])
def test_show_refuses_what_it_cannot_show(format: object) -> None:
    with pytest.raises(OptionError, match="format="):
        convgif.show(HEADLINE, format=format)  # type: ignore[arg-type]


def test_show_checks_options_like_render() -> None:
    with pytest.raises(OptionError, match="scale="):
        convgif.show(HEADLINE, scale=9)


def test_a_layer_displays_its_summary() -> None:
    layer = convgif.Conv2d(3, 2, (5, 2), (7, 9))
    markup = layer._repr_html_()
    assert html.escape(layer.describe()) in markup and layer.torch_repr() in markup

    class Printer:
        def __init__(self) -> None:
            self.written = ""

        def text(self, text: str) -> None:
            self.written += text

    printer = Printer()
    layer._repr_pretty_(printer, cycle=False)
    assert printer.written == layer.describe()


def test_the_example_notebook_runs_in_a_real_kernel() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("torch")  # the model-on-a-photo cell (CI installs torch)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    layer, gif, player, model = (cell.outputs for cell in code)
    assert "kernel_size=3" in layer[0]["data"]["text/html"]
    assert "H_out = floor((7 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 3" in layer[0]["data"]["text/html"]
    data = gif[0]["data"]
    frames = embedded(data["text/html"], "image/gif")
    with Image.open(io.BytesIO(frames)) as image:
        assert image.n_frames == HEADLINE.n_steps
    assert set(data) == {"text/html", "text/plain"}  # the animation stored once
    assert player[0]["data"]["text/html"].startswith("<iframe srcdoc=")
    # The second convolution of a model on the photo: (4, 6, 6) -> (2, 4, 4), 32 steps.
    with Image.open(io.BytesIO(embedded(model[-1]["data"]["text/html"], "image/gif"))) as image:
        assert image.n_frames == 2 * 4 * 4


# -- once, and sharper not larger (issue 23, item 6) --------------------------------------------


@pytest.mark.parametrize("format", ["gif", "webp", "apng", "html"])
def test_the_notebook_stores_the_animation_once(format: str) -> None:
    shown = convgif.show(HEADLINE, format=format)
    bundle = shown._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    encoded = len(base64.b64encode(shown.data))
    stored = sum(len(text) for text in bundle.values())
    assert stored < 1.5 * encoded  # once, with its markup (HTML escapes the player's page)


@pytest.mark.parametrize("format", ["gif", "webp", "apng", "html"])
def test_show_at_scale_2_is_sharper_at_the_scale_1_width(format: str) -> None:
    plain, sharp = convgif.show(HEADLINE, format=format), convgif.show(
        HEADLINE, format=format, scale=2)
    assert (sharp.width, sharp.height) == (2 * plain.width, 2 * plain.height)
    assert sharp.shown == plain.shown == (plain.width, plain.height)
    markup = sharp._repr_html_()
    if format == "html":
        assert f"max-width:{plain.width + 40}px;height:{plain.height + 220}px" in markup
        page = sharp.data.decode("utf-8")
        assert f"width: {plain.width}px" in page and f'<canvas width="{sharp.width}"' in page
    else:
        assert f'width="{plain.width}" height="{plain.height}"' in markup
        with Image.open(io.BytesIO(embedded(markup, INLINE[format]))) as image:
            assert image.size == (sharp.width, sharp.height)
