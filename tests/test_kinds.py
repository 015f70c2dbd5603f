"""The layer kinds beyond Conv2d through the whole house: frames, pixels, --layer, --torch.

Every kind renders through the same path (frames = trace = n_steps, plain and
with values); the pictures put each cell in its colour (input cells, zeros
inserted by a transposed convolution, padding, cells past the input for a
ceil_mode window, the maximum a max pooling window picks); ``--torch`` takes
every layer line of the README and refuses what is not a literal layer line,
in one line with exit code 2.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import convgif
from convgif.cli import cli, main
from convgif.draw import Painter
from convgif.layers import KINDS, SpecError, WindowLayer, layer_arguments

ROOT = Path(__file__).resolve().parents[1]

LAYERS: list[WindowLayer] = [
    convgif.ConvTranspose2d(2, 1, 3, 3, stride=2, padding=1),
    convgif.ConvTranspose2d(2, 4, (2, 3), (3, 2), stride=(1, 2), output_padding=(0, 1),
                            groups=2, dilation=2),
    convgif.MaxPool2d(3, 6, 2, stride=2, padding=1, ceil_mode=True),
    convgif.MaxPool2d(2, 5),
    convgif.AvgPool2d(3, 5, 1, stride=2, padding=1, count_include_pad=False),
    convgif.Conv1d(2, 2, 3, 12, stride=2, padding=1),
    convgif.Conv1d(1, 2, 4, 9, padding="same", padding_mode="circular"),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.slug)
@pytest.mark.parametrize("values", [False, True], ids=["plain", "values"])
def test_every_kind_renders_one_frame_per_step(layer: WindowLayer, values: bool,
                                               tmp_path: Path) -> None:
    steps = list(convgif.trace(layer, convgif.values_for(layer, values=values)))
    done = convgif.render(layer, tmp_path / "a.gif", values=values, theme="dark")
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == done.frames == len(steps) == layer.n_steps


def centre(frame: np.ndarray, box: tuple[int, int, int, int]) -> int:
    left, top, right, bottom = box
    return int(frame[(top + bottom) // 2, (left + right) // 2])


def test_transposed_draws_input_cells_inserted_zeros_and_padding_apart() -> None:
    layer = convgif.ConvTranspose2d(1, 1, 3, 3, stride=2, padding=1)  # 3x3 -> 5x5
    painter = Painter.of(layer, {})
    colour, background = painter.palette.index, painter.scene.background()
    cells = painter.layout.inputs[0]
    height, _ = layer.axes
    assert (height.before, height.inside, height.padded) == (1, 5, 7)
    seen = set()
    for row in range(cells.rows):
        for col in range(cells.cols):
            inside = all(1 <= i < 6 for i in (row, col))
            real = inside and row % 2 == 1 and col % 2 == 1
            name = "cell" if real else "inserted" if inside else "padding"
            assert centre(background, cells.cell_box(row, col)) == colour[name], (row, col)
            seen.add(name)
    assert seen == {"cell", "inserted", "padding"}
    # Inserted zeros are zeros: with values, the padded input holds 0 there.
    values = convgif.values_for(layer, values=True, seed=3)
    assert values is not None
    real = values.padded[0, 1:6:2, 1:6:2]
    assert np.array_equal(real, values.input[0])
    mask = np.ones((7, 7), bool)
    mask[1:6:2, 1:6:2] = False
    assert not values.padded[0][mask].any()


def test_a_ceil_mode_window_hangs_off_the_input_in_its_own_colour() -> None:
    layer = convgif.MaxPool2d(3, 6, 1, stride=2, padding=1, ceil_mode=True)  # 4x4 out
    height, _ = layer.axes
    assert (height.padded, height.reach, layer.output_size) == (8, 9, (4, 4))
    painter = Painter.of(layer, {})
    frames = list(painter.frames())
    cells = painter.layout.inputs[0]
    assert cells.rows == 9
    colour = painter.palette.index
    assert centre(frames[0], cells.cell_box(8, 0)) == colour["beyond"]
    # The last window reads the cells past the input (its taps reach row and column 8).
    last = list(convgif.trace(layer))[-1]
    assert max(tap.row for tap in last.taps) == 8
    assert centre(frames[-1], cells.cell_box(8, 8)) == colour["tap_padding"]


def test_max_pooling_marks_the_maximum_it_picks() -> None:
    x = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                  [2, 0, 0, 0, 1]])
    layer = convgif.MaxPool2d(3, 5, 1, stride=1)
    painter = Painter.of(layer, {"input": x[None].astype(float), "values": True})
    colour = painter.palette.index["chosen"]
    cells = painter.layout.inputs[0]
    for step, frame in zip(convgif.trace(layer, painter.values), painter.frames(),
                           strict=True):
        marked = [(tap.row, tap.col) for tap in step.taps
                  if frame[cells.cell_box(tap.row, tap.col)[1],
                           cells.cell_box(tap.row, tap.col)[0]] == colour]
        assert len(marked) == 1
        row, col = marked[0]
        assert x[row, col] == x[step.row:step.row + 3, step.col:step.col + 3].max()


def test_max_pooling_padding_reads_minus_infinity_and_shows_no_number() -> None:
    layer = convgif.MaxPool2d(3, 4, 1, stride=1, padding=1)
    painter = Painter.of(layer, {"values": True})
    assert painter.values is not None and np.isneginf(painter.values.padded[0, 0, 0])
    background = painter.scene.background()
    left, top, right, bottom = painter.layout.inputs[0].cell_box(0, 0)
    assert set(np.unique(background[top:bottom, left:right])) == {
        painter.palette.index["padding"]}
    step = next(convgif.trace(layer, painter.values))
    assert painter.scene.texts(step)[1].startswith("output[0, 0, 0] = max(-inf, -inf, -inf,")


def test_average_pooling_shows_its_divisor() -> None:
    layer = convgif.AvgPool2d(3, 5, 1, stride=2, padding=1, count_include_pad=False)
    painter = Painter.of(layer, {"values": True})
    step = next(convgif.trace(layer, painter.values))
    formula = painter.scene.texts(step)[1]
    assert re.fullmatch(r"output\[0, 0, 0\] = \(.+\) / 4 = [\d.]+", formula), formula


def test_plain_conv2d_keeps_its_palette() -> None:
    plain = Painter.of(convgif.Conv2d(3, 2, 3, 7), {})
    assert not {"inserted", "beyond", "chosen"} & set(plain.palette.index)
    transposed = Painter.of(convgif.ConvTranspose2d(1, 1, 3, 3, stride=2), {})
    assert transposed.palette.rgb.startswith(plain.palette.rgb)


# -- the command line ---------------------------------------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


README_LINES = re.findall(r'(?:--torch|layer_from_torch\()\s*"((?:torch\.)?nn\.(?!X\()[^"]+)"',
                          (ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_torch_lines() -> None:
    assert len(README_LINES) >= 3


@pytest.mark.parametrize("line", README_LINES)
def test_torch_takes_every_layer_line_of_the_readme(line: str,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    code, out, err = run(["shape", "--torch", line], capsys)
    assert code == 0, err
    assert out.splitlines()[-1].startswith("torch        nn.")


@pytest.mark.parametrize(("line", "words"), [
    ("nn.Linear(3, 2)", "not a layer convgif draws"),
    ("nn.Conv2d(3, 2, int(3))", "must be a literal"),
    ("nn.Conv2d(3, 2, 3, stride=torch.ones(2))", "must be a literal"),  # dtype= is ignored
    ("nn.Conv2d(3, 2, 3, stride=(lambda: 2)())", "must be a literal"),
    ("(lambda: nn.Conv2d)()(3, 2, 3)", "by name"),
    ("__import__('os').system('touch pwned')", "by name"),
    ("os.system('touch pwned')", "nn.X, torch.nn.X or X"),
    ("nn.Conv2d(*[3, 2, 3])", "*arguments"),
    ("nn.Conv2d(3, 2, 3, **{'stride': 2})", "**arguments"),
    ("nn.Conv2d(3, 2, 3, stride=2, stride=1)", "given twice"),
    ("nn.Conv2d(3, 2, 3, foo=1)", "no argument 'foo'"),
    ("nn.Conv2d(3, 2)", "needs kernel_size"),
    ("nn.Conv2d(3, 2, 3", "not a layer line"),
    ("nn.ConvTranspose2d(2, 1, 3, stride=1, output_padding=1)", "output_padding"),
    ("nn.MaxPool2d(2, padding=2)", "at most half"),
])
def test_torch_refuses_in_one_line(line: str, words: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["render", "--torch", line, "-o", "x.gif"], capsys)
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "words"), [
    (["--output-padding", "1"], "does not apply to conv2d"),
    (["--layer", "max-pool2d", "--out-channels", "2"], "does not apply to max-pool2d"),
    (["--layer", "avg-pool2d", "-d", "2"], "--dilation 2 does not apply to avg-pool2d"),
    (["--layer", "conv1d", "--size", "3x4"], "--size 3x4 must be an integer"),
    (["--torch", "nn.Conv2d(3, 2, 3)", "-k", "5"], "drop --kernel-size"),
    (["--layer", "conv1d", "--torch", "nn.Conv2d(3, 2, 3)"], "disagrees"),
    (["--layer", "conv-transpose2d", "-p", "same"], "--padding same"),
    (["--layer", "max-pool2d", "--padding-mode", "reflect"], "does not apply to max-pool2d"),
])
def test_layer_flags_refuse_what_the_kind_does_not_take(
        args: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["shape", *args], capsys)
    assert code == 2 and err.count("\n") == 1 and words in err, err


def test_layer_and_torch_give_the_same_layer(capsys: pytest.CaptureFixture[str]) -> None:
    by_flags = run(["shape", "--json", "--layer", "conv-transpose2d", "--in-channels", "2",
                    "--out-channels", "1", "-k", "3", "-s", "2", "-p", "1", "-d", "1",
                    "--size", "3"], capsys)
    by_line = run(["shape", "--json", "--torch", "nn.ConvTranspose2d(2, 1, 3, stride=2, "
                   "padding=1)", "--size", "3"], capsys)
    assert by_flags[0] == by_line[0] == 0 and by_flags[1] == by_line[1]


def test_render_with_torch_and_values_and_a_still(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["render", "--torch", "torch.nn.AvgPool2d(3, stride=1)", "--input",
                          str(ROOT / "examples" / "inputs" / "numerical.npy"), "--frame", "9",
                          "-o", "avg.png"], capsys)
    assert code == 0, err
    assert out.startswith("avg.png (")
    with Image.open(tmp_path / "avg.png") as image:
        assert image.format == "PNG"


# -- live torch modules -------------------------------------------------------------------------


def test_live_modules_become_layers_with_their_weights() -> None:
    torch = pytest.importorskip("torch")
    modules = [
        (torch.nn.Conv2d(3, 4, (3, 2), stride=2, padding=(1, 0), groups=1), (3, 7, 6)),
        (torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2),
         (4, 3, 3)),
        (torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), (2, 6, 6)),
        (torch.nn.AvgPool2d(2, count_include_pad=False, divisor_override=3), (2, 5, 5)),
        (torch.nn.Conv1d(2, 4, 3, padding="same", padding_mode="reflect"), (2, 9)),
    ]
    for module, shape in modules:
        layer = convgif.layer_from_torch(module, shape[1:] if len(shape) == 3 else shape[1],
                                         in_channels=None if hasattr(module, "in_channels")
                                         else shape[0])
        values = convgif.values_from_torch(module, layer, seed=2)
        x = torch.from_numpy(values.input.astype(np.float32))[None]
        expected = module(x).detach().numpy()[0]
        assert layer.output_shape == expected.shape
        assert np.allclose(values.output.reshape(expected.shape), expected, atol=1e-5)
        assert convgif.layer_from_torch(layer.torch_repr(), layer.input_shape[1:] if
                                        len(shape) == 3 else shape[1],
                                        in_channels=None if hasattr(module, "in_channels")
                                        else shape[0]) == layer


def test_a_module_convgif_does_not_draw_is_named() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(SpecError, match=r"nn\.Linear is not a layer convgif draws"):
        convgif.layer_from_torch(torch.nn.Linear(3, 2), 3)


LINE_PIECES = st.sampled_from([
    "nn.", "torch.nn.", "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "Conv1d",
    "Linear", "(", ")", ",", " ", "3", "2", "0", "-1", "1.5", "'same'", "'x'", "True", "None",
    "stride=", "padding=", "output_padding=", "ceil_mode=", "kernel_size=", "groups=",
    "(2, 1)", "[3]", "{}", "lambda: 1", "__import__('os')", ".system", "*", "**", "\\x00",
    "1e309", "9" * 30, "\n", "#",
])


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(LINE_PIECES, max_size=14), junk=st.text(max_size=6))
def test_torch_takes_any_text_in_one_line(pieces: list[str], junk: str, tmp_path_factory:
                                          pytest.TempPathFactory) -> None:
    line = "".join(pieces) + junk
    folder = tmp_path_factory.mktemp("torch")
    result = CliRunner().invoke(cli, ["shape", "--torch", line, "--size", "5"])
    # A usage error (exit 2) or a shape; never a traceback, never a file written.
    assert result.exit_code in (0, 2), (line, result.output)
    if result.exit_code == 2:
        assert result.output.strip().count("\n") <= 3  # click's usage lines and the error
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), (line, result.exception)
    assert list(folder.iterdir()) == []


def test_a_transposed_convolution_whose_padding_cuts_every_input_cell_off() -> None:
    layer = convgif.ConvTranspose2d(1, 1, 1, 2, stride=4, padding=1)  # sees no input cell
    values = convgif.values_for(layer, values=True)
    assert values is not None and layer.output_shape == (1, 3, 3)
    assert not values.padded.any() and np.all(values.output == values.bias[0])
    assert len(list(convgif.frames(layer, values=True))) == layer.n_steps


@pytest.mark.parametrize(("layer", "values", "colour"), [
    (convgif.MaxPool2d(3, 5, 1, stride=1), True, "chosen"),  # no padding
    (convgif.ConvTranspose2d(1, 1, 2, 3, stride=2, padding=1), False, "inserted"),  # cut
    (convgif.MaxPool2d(2, 5, 1, stride=2, ceil_mode=True), False, "beyond"),
])
def test_the_legend_names_each_kind_colour_the_frames_use(layer: WindowLayer, values: bool,
                                                           colour: str) -> None:
    painter = Painter.of(layer, {"values": values})
    assert colour in {entry.colour for entry in painter.layout.swatches}
    assert colour in painter.palette.index


# -- flags not given (issue 23, item 2) ----------------------------------------------------------


def test_make_layer_fills_pytorchs_defaults_once_an_argument_is_given() -> None:
    assert convgif.make_layer("conv2d") == convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
    assert convgif.make_layer("conv2d", kernel_size=5, input_size=9) == convgif.Conv2d(
        3, 2, 5, 9)
    assert convgif.make_layer("conv1d", kernel_size=5) == convgif.Conv1d(2, 2, 5, 12)
    assert convgif.make_layer("conv-transpose2d", in_channels=1) == (
        convgif.ConvTranspose2d(1, 1, 3, 3))
    assert convgif.make_layer("max-pool2d", kernel_size=3) == convgif.MaxPool2d(3, 5)


def test_every_shown_flag_default_is_the_one_applied() -> None:
    """What --help shows as a layer flag's default is what a command line that leaves the
    flag out (and gives another) gets."""
    from convgif.cli import PADDING, PAIR

    given = convgif.make_layer("conv2d", in_channels=3)
    for flag in convgif.Conv2d.flags:
        kind = {"pair": PAIR, "padding": PADDING}.get(flag.kind)
        default = kind.convert(flag.default, None, None) if kind else flag.default
        assert convgif.make_layer("conv2d", **{flag.field: default}) == given, flag.field


def _declared_layers() -> list[WindowLayer]:
    from convgif.gallery import entries
    from convgif.gallery_entries import Animation

    return [entry.spec for entry in entries() if isinstance(entry, Animation)]


@pytest.mark.parametrize("layer", [*_declared_layers(),
                                   *(convgif.make_layer(kind) for kind in KINDS),
                                   convgif.Conv2d(3, 2, 3, 7)],
                         ids=lambda layer: layer.slug)
def test_layer_arguments_give_the_layer_back(layer: WindowLayer) -> None:
    arguments = layer_arguments(layer)
    assert convgif.make_layer(layer.kind, **arguments) == layer
    assert (arguments == {}) == (layer == convgif.make_layer(layer.kind))
