"""Real layers: frames that fit a page, channels shown and named, grids drawn as images with a
magnifier, sped-up frames drawn in any order, and every format following the schedule."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

import convgif
from convgif.cli import cli
from convgif.draw import Painter
from convgif.draw.images import ImageScene
from convgif.font import line_height
from convgif.layers.channels import Channels, channels_for
from convgif.layout import Grid, ImageGrid
from convgif.schedule import plan

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "examples" / "inputs" / "grace_hopper.jpg"
RESNET = "nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)"


def photo(size: int, grey: bool = False) -> np.ndarray:
    """The real photo as a (C, size, size) array of 0..255, as an image input gives it."""
    with Image.open(PHOTO) as image:
        picture = image.convert("L" if grey else "RGB").resize((size, size))
    array = np.asarray(picture, dtype=np.int64)
    return array[None] if grey else np.moveaxis(array, 2, 0)


def picture_values(layer: convgif.Layer, grey: bool = False) -> convgif.Values:
    """``layer``'s values on the photo, marked as a photo (as an image file's input is)."""
    values = convgif.values_for(layer, input=photo(layer.input_shape[1], grey), seed=1)
    assert values is not None
    return convgif.Values(**{**values.__dict__, "picture": True})


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(float) @ np.array([0.299, 0.587, 0.114])


def rgb_frame(painter: Painter, frame: np.ndarray) -> np.ndarray:
    return np.frombuffer(painter.palette.rgb, np.uint8).reshape(-1, 3)[frame]


# -- frames that fit a page ------------------------------------------------------------------


LAYERS = st.one_of(
    st.builds(lambda c, o, k, s, size, g: convgif.Conv2d(c * g, o * g, k, size, stride=s,
                                                         padding=k // 2, groups=g),
              st.integers(1, 8), st.integers(1, 16), st.sampled_from([1, 3, 5, 7]),
              st.integers(1, 3), st.integers(8, 96), st.sampled_from([1, 1, 2, 4])),
    st.builds(lambda c, k, size: convgif.MaxPool2d(k, size, c), st.integers(1, 64),
              st.integers(2, 3), st.integers(8, 96)),
    st.builds(lambda c, o, size: convgif.ConvTranspose2d(c, o, 2, size, stride=2),
              st.integers(1, 16), st.integers(1, 16), st.integers(4, 40)),
    st.builds(lambda c, o, k, length: convgif.Conv1d(c, o, k, length, stride=2),
              st.integers(1, 4), st.integers(1, 64), st.integers(2, 9), st.integers(16, 4000)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer=LAYERS, values=st.booleans())
def test_every_layer_fits_a_blog_column_with_legible_text(layer: convgif.Layer,
                                                         values: bool) -> None:
    painter = Painter.of(layer, {"values": values})
    lay = painter.layout
    assert lay.width <= 900, (layer, lay.width)
    small = lay.channels is None and lay.magnifier is None and not painter.schedule.sped
    if not small:  # fitted to the page: a screen's height too
        assert lay.height <= 1000, (layer, lay.height)
    assert min(item.size for item in lay.texts) >= 11
    if lay.magnifier is not None:  # the image look: its numbers are 12 px
        assert lay.number_size in (12, None)
    shown = lay.shown
    assert len(lay.outputs) == len(shown.outputs) and len(lay.inputs) == len(shown.inputs)
    texts = " ".join(item.text for item in lay.texts)
    hidden = layer.out_channels - len(shown.outputs)
    if hidden:  # nothing dropped silently
        assert f"+ {hidden:,} more output channel" in texts
    assert len(painter.schedule) <= 120


def test_a_small_layer_keeps_its_frames() -> None:
    layer = convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2)
    painter = Painter.of(layer, {})
    assert painter.layout.channels is None and painter.layout.magnifier is None
    assert not painter.schedule.sped and len(painter.schedule) == layer.n_steps


def test_resnets_first_layer_shows_what_fits_and_names_the_rest() -> None:
    layer = convgif.layer_from_torch(RESNET, 224)
    painter = Painter.of(layer, {"values": picture_values(layer)})
    lay = painter.layout
    assert isinstance(painter.scene, ImageScene) and lay.magnifier is not None
    assert lay.width <= 900 and lay.height <= 1000
    shown = lay.shown
    assert 4 <= len(shown.outputs) <= 8 and shown.inputs == (0, 1, 2)
    assert all(isinstance(area, ImageGrid) for area in lay.inputs + lay.outputs)
    assert lay.inputs[0] is lay.inputs[1] is lay.inputs[2]  # one colour photo
    notes = [item.text for item in lay.texts if item.text.startswith("+ ")]
    assert notes == [f"+ {64 - len(shown.outputs)} more output channels"]
    assert painter.schedule.count == len(shown.outputs) * 112 * 112


# -- the photo, the feature maps ---------------------------------------------------------------


@pytest.mark.parametrize("grey", [False, True])
def test_the_photo_is_recognisable(grey: bool) -> None:
    layer = convgif.Conv2d(1 if grey else 3, 4, 3, 64, padding=1)
    painter = Painter.of(layer, {"values": picture_values(layer, grey)})
    first, _ = painter.frame(0)
    area = painter.layout.inputs[0]
    left, top, _, _ = area.cell_box(1, 1)  # inside the padding
    _, _, right, bottom = area.cell_box(64, 64)
    drawn = luminance(rgb_frame(painter, first)[top:bottom, left:right])
    values = painter.values
    assert values is not None
    source = values.input[0] if grey else luminance(np.moveaxis(values.input, 0, 2))
    expected = np.asarray(Image.fromarray(source.astype(np.uint8)).resize(
        (right - left, bottom - top), Image.Resampling.BILINEAR), float)
    assert np.corrcoef(drawn.ravel(), expected.ravel())[0, 1] >= 0.9


def test_a_grey_photo_keeps_its_brightness() -> None:
    layer = convgif.Conv2d(1, 1, 3, 40, padding=1)
    dark = np.full((1, 40, 40), 40)
    dark[0, :, 20:] = 200
    values = convgif.values_for(layer, input=dark)
    assert values is not None
    painter = Painter.of(layer, {"values": convgif.Values(**{**values.__dict__,
                                                              "picture": True})})
    assert isinstance(painter.scene, ImageScene)
    first = rgb_frame(painter, painter.frame(0)[0])
    area = painter.layout.inputs[0]
    for col, level in ((5, 40), (30, 200)):
        left, top, _right, _bottom = area.cell_box(20, col)
        assert abs(luminance(first[top, left]) - level) <= 6  # dark stays dark


def test_the_last_frame_shows_the_engines_output_on_the_ramp() -> None:
    layer = convgif.Conv2d(3, 4, 3, 60, padding=1, stride=2)
    painter = Painter.of(layer, {"values": picture_values(layer)})
    assert isinstance(painter.scene, ImageScene)
    last, texts = painter.frame(len(painter.schedule) - 1)
    assert texts[0].startswith(f"done: all {painter.schedule.count:,} steps")
    values = painter.values
    assert values is not None
    x, w = values.input[None].astype(float), values.weight.astype(float)
    expected = convgif.conv2d(x, w, values.bias.astype(float), stride=2, padding=1)[0]
    scale = float(np.percentile(np.abs(expected), 99))
    for channel in painter.layout.shown.outputs:
        area = painter.layout.output_grid(channel)
        assert isinstance(area, ImageGrid)
        for row, col in ((0, 0), (10, 17), (29, 29)):
            left, top, right, bottom = area.cell_box(row, col)
            assert (right - left, bottom - top) == (area.width // 30,) * 2  # whole blocks
            shade = painter.palette.shades("heat", np.array(expected[channel, row, col]),
                                           scale)
            assert set(np.unique(last[top:bottom, left:right])) == {int(shade)}


# -- sped-up frames ----------------------------------------------------------------------------


@pytest.mark.parametrize("options", [
    {"values": True},  # cells with numbers
    {},  # plain cells
    {"input": photo(48).astype(float), "width": 500},  # the image look
])
def test_any_frame_drawn_alone_equals_the_frame_in_order(options: dict[str, object]) -> None:
    layer = convgif.Conv2d(3, 2, 3, 48 if "input" in options else 14, padding=1)
    painter = Painter.of(layer, options)
    assert painter.schedule.sped
    in_order = list(painter.frames_with_texts())
    alone = Painter.of(layer, options)
    for index in (len(in_order) - 1, 0, 57, 21, 22, 3):
        frame, texts = alone.frame(index)
        assert np.array_equal(frame, in_order[index][0]), index
        assert texts == in_order[index][1]


def test_status_lines_say_what_a_frame_covers() -> None:
    layer = convgif.Conv2d(1, 1, 3, 30)  # 784 steps, 28 a row
    painter = Painter.of(layer, {"values": True})
    frames = list(painter.schedule.frames)
    texts = [text for _, text in painter.frames_with_texts()]
    assert texts[0][0] == "step 1 of 784: computing output[0, 0, 0]"
    sped = next(i for i, f in enumerate(frames) if f.size > 1)
    f = frames[sped]
    last = divmod(f.last, 28)
    assert texts[sped][0] == (f"steps {f.start + 1}-{f.stop} of 784 ({f.size} per frame), up "
                              f"to output[0, {last[0]}, {last[1]}]")
    assert texts[sped][1].startswith(f"output[0, {last[0]}, {last[1]}] = ")
    assert texts[-1][0] == "done: all 784 steps"


def test_every_format_and_stills_follow_the_schedule(tmp_path: Path) -> None:
    layer = convgif.Conv2d(1, 2, 3, 16)
    frames = len(Painter.of(layer, {}).schedule)
    assert frames < layer.n_steps
    done = convgif.render(layer, tmp_path / "a.gif", duration=100)
    assert done.frames == frames
    with Image.open(done.path) as gif:
        assert gif.n_frames == frames
        gif.seek(frames - 1)
        assert gif.info["duration"] == 100 + 2000  # the complete output, held
        last = np.asarray(gif.convert("RGB"))
    for suffix in (".webp", ".png"):
        with Image.open(convgif.render(layer, tmp_path / f"a{suffix}").path) as image:
            assert image.n_frames == frames
    page = convgif.render(layer, tmp_path / "a.html").path
    assert page is not None and f"N = {frames}," in page.read_text(encoding="utf-8")
    still = convgif.stills(layer, -1, tmp_path / "last.png")[0]
    with Image.open(still.path) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), last)


def test_command_line_options_of_real_layers(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["render", "--torch", "nn.Conv2d(3, 16, 3)", "--size", "9",
                                 "--show-out", "0,5,9", "--show-in", "1:3", "-o",
                                 str(tmp_path / "a.gif"), "-q"])
    assert result.exit_code == 0, result.output
    frames = len(plan(3 * 49, 7, 49, 120))  # the steps of 3 output channels, sped up
    assert frames < 120 and f"({frames} frames" in result.output
    painter = Painter.of(convgif.layer_from_torch("nn.Conv2d(3, 16, 3)", 9),
                         {"show_out": "0,5,9", "show_in": "1:3"})
    assert (painter.layout.shown.outputs, painter.layout.shown.inputs) == ((0, 5, 9), (1, 2))
    result = runner.invoke(cli, ["render", "--size", "9", "--steps", "2:4", "-o",
                                 str(tmp_path / "b.gif"), "-q"])
    assert result.exit_code == 0 and "(3 frames" in result.output
    for argv, words in ((["--show-out", "7"], "--show-out 7 must name channels from 0 to 1"),
                        (["--steps", "0:2"], "--steps 0:2 must be A:B"),
                        (["--budget", "0"], "--budget 0 must be positive"),
                        (["--width", "100"], "--width 100 px must be at least 200")):
        result = runner.invoke(cli, ["render", *argv, "-o", str(tmp_path / "c.gif")])
        assert result.exit_code == 2 and words in result.output, result.output
        assert not (tmp_path / "c.gif").exists()


def test_a_still_of_the_last_of_a_million_steps_draws_no_frame_before_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layer = convgif.layer_from_torch(RESNET, 224)
    drawn: list[int] = []
    original = ImageScene.advance_range

    def counted(self: ImageScene, state: np.ndarray, start: int, stop: int) -> None:
        drawn.append(stop - start)
        original(self, state, start, stop)

    monkeypatch.setattr(ImageScene, "advance_range", counted)
    still = convgif.stills(layer, -1, tmp_path / "last.png", show_out="0:64",
                           every_step=True, values=picture_values(layer))[0]
    assert still.path is not None and still.path.is_file()
    assert drawn == [802_815, 0]  # the state up to the step, painted at once


def test_grids_of_cells_and_images_answer_alike() -> None:
    cells, image = Grid(10, 20, 5, 6, 7), ImageGrid(10, 20, 5, 6, 42, 35)
    for grid in (cells, image):
        assert grid.box[:2] == (10, 20)
        _left, _top, right, bottom = grid.cell_box(4, 5)
        assert right <= grid.box[2] and bottom <= grid.box[3]
    assert image.cell_box(4, 5) == (10 + 35, 20 + 28, 10 + 42, 20 + 35)
    assert image.span_box(0, 0, 2, 2) == (9, 19, 10 + 14 + 2, 20 + 14 + 2)
    tiny = ImageGrid(0, 0, 1, 16000, 800, 20)  # 20 cells a pixel
    assert tiny.cell_box(0, 15999) == (799, 0, 800, 20)
    assert line_height(12) <= 20


def test_the_player_page_holds_a_sped_up_animations_texts(tmp_path: Path) -> None:
    layer = convgif.Conv2d(1, 1, 3, 30)
    buffer = io.BytesIO()
    convgif.render(layer, buffer, format="html", values=True)
    page = buffer.getvalue().decode()
    found = re.search(r'<script type="application/json" id="convgif-texts">(.*?)</script>',
                      page, re.S)
    assert found is not None
    texts = json.loads(found[1])
    frames = len(Painter.of(layer, {"values": True}).schedule)
    assert len(texts) == frames and f"N = {frames}," in page
    assert texts[0][0] == "step 1 of 784: computing output[0, 0, 0]"
    assert texts[-1][0] == "done: all 784 steps"
    assert any(line[0].startswith("steps ") for line in texts)


# -- what a review found ------------------------------------------------------------------


def test_shown_channels_always_meet_their_group() -> None:
    grouped = convgif.Conv2d(4, 4, 3, 6, groups=2)
    assert channels_for(grouped, None, "2") == Channels((2, 3), (2,))  # their outputs
    with pytest.raises(convgif.OptionError, match="show_out: output channel 0 reads none"):
        channels_for(grouped, "0,2", "2")
    pooling = convgif.MaxPool2d(2, 6, 4)
    with pytest.raises(convgif.OptionError, match="show_out: output channel 1 reads none"):
        channels_for(pooling, "0,1", "0")
    assert channels_for(convgif.Conv2d(1, 10, 3, 5), "0:8:2").outputs == (0, 2, 4, 6)
    painter = Painter.of(grouped, {"show_in": "2", "values": True})
    assert painter.layout.shown == Channels((2, 3), (2,))
    assert len(list(painter.frames())) == len(painter.schedule)


def test_a_layer_of_thousands_of_channels_is_fitted_without_drawing_them_all() -> None:
    layer = convgif.layer_from_torch("nn.Conv2d(2048, 512, 1)", 7)
    lay = Painter.of(layer, {}).layout
    assert lay.width <= 900 and lay.height <= 1000
    assert len(lay.inputs) <= 8 and len(lay.outputs) <= 8


@pytest.mark.parametrize(("line", "size"), [
    ("nn.Conv1d(1, 80, 251)", 16000),  # SincNet: a 251-sample window
    ("nn.Conv2d(3, 1, 64)", 64),  # a window as big as the input
    ("nn.Conv2d(3, 768, kernel_size=16, stride=16)", 224),  # ViT's patches
])
def test_the_magnifier_fits_the_page_whatever_the_window(line: str, size: int) -> None:
    layer = convgif.layer_from_torch(line, size)
    lay = Painter.of(layer, {}).layout
    assert lay.magnifier is not None
    assert lay.width <= 900 and lay.height <= 1000, (lay.width, lay.height)
    assert lay.magnifier.box[2] <= lay.width and lay.magnifier.output.box[2] <= lay.width
    assert all(min(area.box[2] - area.box[0], area.box[3] - area.box[1]) >= 18
               for area in lay.outputs)  # a tiny output is enlarged, not a dot


def test_feature_maps_of_a_photo_use_their_own_scale() -> None:
    layer = convgif.Conv2d(1, 1, 3, 64, padding=1, bias=False)
    values = convgif.values_for(layer, input=photo(64, grey=True),
                                weights=np.array([[[[-0.01, 0, 0.01]] * 3]]))
    assert values is not None
    painter = Painter.of(layer, {"values": convgif.Values(**{**values.__dict__,
                                                              "picture": True})})
    scene = painter.scene
    assert isinstance(scene, ImageScene)
    assert scene.image_scales["input"] == 255
    assert scene.image_scales["output"] < 10  # not the photo's 255: the edges show
    heat, _ = scene.feature_maps[0]
    assert len(np.unique(heat)) > 20


def test_several_frames_to_a_pdf_are_its_pages(tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils)")
    done = convgif.stills(convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2),
                          ["2:4", 1], tmp_path / "steps.pdf")
    assert len(done) == 1 and done[0].frames == 4
    info = subprocess.run(["pdfinfo", str(done[0].path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M)


def test_a_width_too_narrow_for_the_layer_is_said(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "--width", "300", "-o", str(tmp_path / "a.gif"),
                                      "-q"])
    assert result.exit_code == 0
    assert "note: frames are 527 px wide, more than --width 300" in result.stderr


def test_the_complete_frame_says_only_the_shown_channels_were_computed() -> None:
    layer = convgif.Conv2d(1, 4, 3, 30)
    painter = Painter.of(layer, {"show_out": "0:2"})
    _, texts = painter.frame(len(painter.schedule) - 1)
    assert texts[0] == "done: all 1,568 steps of the output channels shown"
