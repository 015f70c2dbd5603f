"""Values: the numbers in the trace, the formula and the frames are the engine's.

Checked against ``convgif.conv2d`` (exactly), the naive reference in
``tests/naive.py`` and, where it is installed, ``torch.nn.Conv2d`` with the same
weights; the formula text is built from the trace's numbers; a cell's number is
drawn inside that cell's box; padding cells hold their source cells' values.
"""

from __future__ import annotations

import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_run import run
from conv_strategies import layer_args
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import naive_conv2d, naive_pad, resolve_padding
from PIL import Image

import convgif
from convgif.draw import Painter
from convgif.layout.numbers import ROUNDED, formula_forms, formula_text, number_text
from convgif.options import RenderOptions
from convgif.values import values_for

HAS_TORCH = importlib.util.find_spec("torch") is not None
DTYPES = ("int", "float32", "float64")


def arrays_for(layer: convgif.Conv2d, dtype: str, seed: int) -> dict[str, Any]:
    """Random input, weights and bias of ``dtype`` for ``layer``."""
    rng = np.random.default_rng(seed)
    shapes = {"input": layer.input_shape, "weights": layer.weight_shape,
              "bias_values": (layer.n_bias,)}
    drawn: dict[str, Any] = {}
    for name, shape in shapes.items():
        if dtype == "int":
            drawn[name] = rng.integers(-3, 4, size=shape)
        else:
            drawn[name] = rng.standard_normal(shape).astype(dtype)
    if not layer.bias:
        drawn.pop("bias_values")
    return drawn


def engine_output(layer: convgif.Conv2d, arrays: dict[str, Any]) -> np.ndarray:
    x, w = arrays["input"], arrays["weights"]
    return convgif.conv2d(x, w, arrays.get("bias_values"), layer.stride, layer.padding,
                          layer.dilation, layer.groups, layer.padding_mode)


@settings(max_examples=60, deadline=None)
@given(args=layer_args(), dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**16))
def test_trace_values_and_terms_are_the_engines(args: dict[str, Any], dtype: str,
                                                seed: int) -> None:
    layer = convgif.Conv2d(**args)
    arrays = arrays_for(layer, dtype, seed)
    values = values_for(layer, **arrays)
    assert values is not None
    expected = engine_output(layer, arrays)
    naive = naive_conv2d(arrays["input"], arrays["weights"], arrays.get("bias_values"),
                         layer.stride, layer.padding, layer.dilation, layer.groups,
                         layer.padding_mode)
    padded = naive_pad(np.asarray(arrays["input"], np.float64),
                       resolve_padding(layer.padding, layer.kernel_size, layer.dilation),
                       layer.padding_mode)
    tolerance = 1e-4 if dtype == "float32" else 1e-9
    seen = np.zeros(layer.output_shape, dtype=bool)
    for step in convgif.trace(layer, values):
        for out in step.outputs:
            cell = (out.channel, out.row, out.col)
            value = step.value(out)
            assert value == expected[cell]  # exactly the engine's number
            terms = step.terms(out)
            assert len(terms) == layer.in_per_group * int(np.prod(layer.kernel_size))
            for term, read in zip(terms, step.reads(out), strict=True):
                assert term.input == padded[read.channel, read.tap.row, read.tap.col]
                assert term.weight == arrays["weights"][read.weight]
                assert term.product == term.input * term.weight or dtype == "float32"
            bias = float(arrays["bias_values"][out.channel]) if layer.bias else 0.0
            total = bias + sum(t.product for t in terms)
            assert total == pytest.approx(naive[cell], rel=tolerance, abs=tolerance)
            assert value == pytest.approx(naive[cell], rel=tolerance, abs=tolerance)
            seen[cell] = True
    assert seen.all()


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
@settings(max_examples=40, deadline=None)
@given(args=layer_args(), dtype=st.sampled_from(DTYPES), seed=st.integers(0, 2**16))
def test_trace_values_match_torch(args: dict[str, Any], dtype: str, seed: int) -> None:
    import torch

    layer = convgif.Conv2d(**args)
    arrays = arrays_for(layer, dtype, seed)
    values = values_for(layer, **arrays)
    assert values is not None
    module = torch.nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                             layer.stride, layer.padding, layer.dilation, layer.groups,
                             layer.bias, layer.padding_mode, dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.asarray(arrays["weights"], np.float64)))
        if layer.bias:
            module.bias.copy_(torch.from_numpy(np.asarray(arrays["bias_values"], np.float64)))
        reference = module(torch.from_numpy(np.asarray(arrays["input"], np.float64))).numpy()
    tolerance = 1e-4 if dtype == "float32" else 1e-9
    for step in convgif.trace(layer, values):
        for out in step.outputs:
            assert step.value(out) == pytest.approx(
                reference[out.channel, out.row, out.col], rel=tolerance, abs=tolerance)


NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


@settings(max_examples=40, deadline=None)
@given(args=layer_args(max_groups=2), dtype=st.sampled_from(DTYPES),
       seed=st.integers(0, 2**16), decimals=st.integers(0, 4))
def test_the_formula_is_built_from_the_trace_numbers(args: dict[str, Any], dtype: str,
                                                     seed: int, decimals: int) -> None:
    layer = convgif.Conv2d(**args)
    values = values_for(layer, **arrays_for(layer, dtype, seed))
    assert values is not None
    step = next(convgif.trace(layer, values))
    for out in step.outputs:
        def text(v: float) -> str:
            return number_text(v, decimals, values.integral)

        full, *_, short = formula_forms(step, out, decimals)
        head = f"output[{out.channel}, {out.row}, {out.col}] = "
        assert full.startswith(head) and short.startswith(head)
        result = text(step.value(out))
        for form in (full, short):
            assert form.endswith((f" = {result}", f" = {result}{ROUNDED}"))
        products = re.findall(rf"\(?({NUMBER})\)?\*\(?({NUMBER})\)?", full)
        terms = step.terms(out)
        assert products == [(text(t.input), text(t.weight)) for t in terms]
        if layer.bias:
            bias = text(float(values.bias[out.channel]))
            assert full[len(head):].startswith(bias)
        assert f"({len(terms)} products: " in short


def test_the_formula_falls_back_to_what_fits() -> None:
    layer = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
    values = values_for(layer, values=True)
    step = next(convgif.trace(layer, values))
    out = step.outputs[0]
    full, values_only, per_channel, short = formula_forms(step, out, 2)
    assert formula_text(step, out, 2, 10_000, 14) == full
    assert formula_text(step, out, 2, 600, 14) == per_channel
    assert values_only.count(" + ") + values_only.count(" - ") == 27
    assert per_channel.count("(ch ") == 3
    assert formula_text(step, out, 2, 10, 14) == short
    sums = [float(v) for v in re.findall(rf"({NUMBER}) \(ch", per_channel)]
    signs = re.findall(r"([+-]) \d+ \(ch", per_channel)
    terms = step.terms(out)
    for channel in range(3):
        assert sum(t.product for t in terms if t.channel == channel) in (
            sums[channel], -sums[channel])
    assert len(signs) >= 2


@settings(max_examples=25, deadline=None)
@given(args=layer_args(max_groups=2, max_per_group=2), seed=st.integers(0, 99),
       theme=st.sampled_from(["light", "dark"]))
def test_formula_lines_stay_on_the_canvas(args: dict[str, Any], seed: int, theme: str
                                         ) -> None:
    from convgif.font import text_width

    layer = convgif.Conv2d(**args)
    painter = Painter(layer, RenderOptions(theme=theme), values_for(layer, values=True,
                                                                    seed=seed))
    left, _, right, _ = painter.layout.slots.formula
    assert right <= painter.layout.width
    for step in convgif.trace(layer, painter.values):
        for out in step.outputs:
            text = formula_text(step, out, 2, right - left, painter.layout.font_size)
            assert text_width(text, painter.layout.font_size) <= right - left


def ink(frame: np.ndarray, box: tuple[int, int, int, int], painter: Painter) -> np.ndarray:
    """Where text is drawn inside ``box``: pixels of the text colour's ramp."""
    left, top, right, bottom = box
    ramp = np.array(painter.palette.ramps["text"])
    return np.isin(frame[top:bottom, left:right], ramp)


def test_a_number_is_drawn_inside_its_cell_and_nowhere_else() -> None:
    layer = convgif.Conv2d(1, 1, 3, 5, padding=1)
    base = np.zeros((1, 5, 5), dtype=np.int64)
    base[0, 0, 0] = 3  # fixes the tint scale
    changed = base.copy()
    changed[0, 2, 3] = 2
    weights = np.ones((1, 1, 3, 3), dtype=np.int64)
    frames = []
    for x in (base, changed):
        painter = Painter(layer, RenderOptions(), values_for(layer, input=x, weights=weights,
                                                             bias_values=[0]))
        frames.append(painter.scene.background())
    cell = painter.layout.inputs[0].cell_box(2 + 1, 3 + 1)
    differs = np.argwhere(frames[0] != frames[1])
    assert len(differs)
    left, top, right, bottom = cell
    assert all(top <= y < bottom and left <= x < right for y, x in differs)
    assert ink(frames[1], cell, painter).any() and ink(frames[0], cell, painter).any()
    assert painter.layout.number_size is not None


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_cells_hold_their_source_cells_values(mode: str) -> None:
    layer = convgif.Conv2d(1, 1, 3, 4, padding=2, padding_mode=mode)
    x = np.arange(16, dtype=np.int64).reshape(1, 4, 4) % 7
    values = values_for(layer, input=x)
    assert values is not None
    painter = Painter(layer, RenderOptions(), values)
    frame = painter.scene.background()
    grid = painter.layout.inputs[0]
    for row in range(grid.rows):
        for col in range(grid.cols):
            source = values.source(row, col)
            assert source is not None
            assert values.padded[0, row, col] == x[0, source[0], source[1]]
            source_box = grid.cell_box(source[0] + 2, source[1] + 2)
            assert (ink(frame, grid.cell_box(row, col), painter)
                    == ink(frame, source_box, painter)).all()


def test_a_reflected_tap_marks_the_cell_it_copies() -> None:
    layer = convgif.Conv2d(1, 1, 3, 4, padding=1, padding_mode="reflect")
    painter = Painter(layer, RenderOptions(), values_for(layer, values=True))
    first = next(painter.frames())
    copied = painter.palette.index["copied"]
    grid = painter.layout.inputs[0]
    marked = {(r, c) for r in range(grid.rows) for c in range(grid.cols)
              if (frame_box := grid.cell_box(r, c))
              and (first[frame_box[1]:frame_box[3], frame_box[0]:frame_box[2]] == copied).any()}
    # The first window reads padded row 0 and column 0: reflect copies input row/col 1.
    assert marked == {(2, 1), (2, 2), (1, 2)}
    assert "copied" in {s.colour for s in painter.layout.swatches}


def test_every_colour_of_a_frame_has_a_legend_entry() -> None:
    layer = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
    painter = Painter(layer, RenderOptions(), values_for(layer, values=True))
    names = {s.colour for s in painter.layout.swatches}
    assert {"output", "current", "tap", "tap_padding", "footprint", "kernel_active",
            "padding"} <= names
    assert "copied" not in names  # zeros padding copies nothing
    ramps = {s.colour for s in painter.layout.swatches if s.style == "ramp"}
    assert ramps == {"diverging", "sequential"}  # weights/outputs signed, inputs not


def test_trace_json_with_values_gives_value_bias_terms(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code, out, _ = run(["trace", "--json", "--values", "--seed", "3"], capsys)
    assert code == 0
    layer = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
    values = values_for(layer, values=True, seed=3)
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == layer.n_steps
    for line, step in zip(lines, convgif.trace(layer, values), strict=True):
        assert line == json.loads(json.dumps(step.to_dict()))
        for cell in line["outputs"]:
            assert set(cell) >= {"value", "bias", "terms"}
            assert cell["value"] == float(values.output[cell["channel"], cell["row"],
                                                         cell["col"]])
            assert cell["value"] == cell["bias"] + sum(t["product"] for t in cell["terms"])
    plain = run(["trace", "--json"], capsys)[1]
    assert "value" not in plain


def test_input_files_set_channels_and_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    rgb = np.zeros((6, 8, 3), dtype=np.uint8)
    rgb[..., 0], rgb[2:4, 2:6, 1] = 200, 99
    Image.fromarray(rgb).save(tmp_path / "rgb.png")
    Image.fromarray(rgb[..., 0]).save(tmp_path / "grey.png")
    np.save(tmp_path / "x.npy", np.arange(20.0).reshape(4, 5) / 4)
    cases = [(["--input", str(tmp_path / "rgb.png")], (3, 6, 8)),
             (["--input", str(tmp_path / "grey.png")], (1, 6, 8)),
             (["--input", str(tmp_path / "rgb.png"), "--size", "4x5"], (3, 4, 5)),
             (["--input", str(tmp_path / "x.npy")], (1, 4, 5))]
    for argv, shape in cases:
        code, out, err = run(["trace", "--json", "-p", "1", "-s", "1", "-d", "1",
                              "--out-channels", "1", *argv], capsys)
        assert code == 0, err
        first = json.loads(out.splitlines()[0])
        assert len(first["outputs"][0]["terms"]) == shape[0] * 9
        code, out, err = run(["render", "-q", "-p", "1", "-s", "1", "-d", "1",
                              "--out-channels", "1", *argv, "-o", str(tmp_path / "a.gif")],
                             capsys)
        assert code == 0, err
        assert f"in{shape[0]}x{shape[1]}x{shape[2]}" in convgif.Conv2d(
            shape[0], 1, 3, shape[1:], 1, 1, 1).slug
    reference = np.asarray(Image.open(tmp_path / "grey.png"), dtype=np.int64)
    layer = convgif.Conv2d(1, 1, 3, (6, 8), 1, 1, 1)
    values = values_for(layer, input=convgif.read_input(tmp_path / "grey.png"))
    assert values is not None and (values.input[0] == reference).all()


def test_weights_and_bias_values_reach_the_numbers(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    weights = np.arange(2 * 3 * 3 * 3, dtype=np.float64).reshape(2, 3, 3, 3) / 10 - 2
    np.save(tmp_path / "w.npy", weights)
    np.save(tmp_path / "b.npy", np.array([0.5, -1.0]))
    for bias, expected in (("1,-2", [1, -2]), (str(tmp_path / "b.npy"), [0.5, -1.0])):
        code, out, err = run(["trace", "--json", "--weights", str(tmp_path / "w.npy"),
                              "--bias-values", bias], capsys)
        assert code == 0, err
        first = json.loads(out.splitlines()[0])
        assert [o["bias"] for o in first["outputs"]] == expected[:1]
        weights_read = [t["weight"] for t in first["outputs"][0]["terms"]]
        assert weights_read == [float(v) for v in weights[0].reshape(-1)]


@pytest.mark.parametrize(("make", "argv", "words"), [
    (None, ["--input", "{d}/missing.npy"], "--input "),
    ("junk.npy", ["--input", "{d}/junk.npy"], "--input "),
    ("junk.png", ["--input", "{d}/junk.png"], "--input "),
    ("shape4.npy", ["--input", "{d}/shape4.npy"], "input"),
    ("object.npy", ["--input", "{d}/object.npy"], "--input "),
    ("complex.npy", ["--input", "{d}/complex.npy"], "real numbers"),
    ("strings.npy", ["--input", "{d}/strings.npy"], "real numbers"),
    ("nan.npy", ["--input", "{d}/nan.npy"], "NaN"),
    ("inf.npy", ["--input", "{d}/inf.npy"], "infinite"),
    ("rgb.png", ["--input", "{d}/rgb.png", "--in-channels", "2"], "--in-channels 2"),
    ("x.npy", ["--input", "{d}/x.npy", "--size", "3"], "only images are resized"),
    ("x.npy", ["--weights", "{d}/x.npy"], "weights must have shape (2, 3, 3, 3)"),
    (None, ["--bias-values", "1,2,3"], "--bias-values must have shape (2,)"),
    (None, ["--bias-values", "one,two"], "--bias-values "),
    (None, ["--bias-values", "1,0", "--no-bias"], "--no-bias"),
    (None, ["--values", "--decimals", "7"], "--decimals 7"),
    (None, ["--values", "--decimals", "-1"], "--decimals -1"),
    (None, ["--values", "--seed", "-1"], "--seed -1"),
])
def test_bad_value_input_is_one_line_and_writes_nothing(
        make: str | None, argv: list[str], words: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "junk.npy": lambda p: p.write_bytes(b"not numpy"),
        "junk.png": lambda p: p.write_bytes(b"not a picture"),
        "shape4.npy": lambda p: np.save(p, np.zeros((1, 1, 2, 2))),
        "object.npy": lambda p: np.save(p, np.array([1, "a"], dtype=object), allow_pickle=True),
        "complex.npy": lambda p: np.save(p, np.ones((3, 7, 7), complex)),
        "strings.npy": lambda p: np.save(p, np.array([["a"]])),
        "nan.npy": lambda p: np.save(p, np.full((3, 7, 7), np.nan)),
        "inf.npy": lambda p: np.save(p, np.full((3, 7, 7), np.inf)),
        "rgb.png": lambda p: Image.new("RGB", (4, 4)).save(p),
        "x.npy": lambda p: np.save(p, np.ones((7, 7))),
    }
    if make is not None:
        files[make](folder / make)
    out = tmp_path / "out"
    for command in (["render", "-q", "-o", str(out / "x.gif")], ["trace", "--json"]):
        if command[0] == "trace" and "--decimals" in argv:
            continue
        code, _, err = run([*command, *[a.format(d=folder) for a in argv]], capsys)
        assert code == 2, err
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("convgif: error: "), err
        assert words in lines[0], lines[0]
        assert not out.exists()


def test_library_value_errors_name_the_argument() -> None:
    layer = convgif.Conv2d(1, 1, 3, 4)
    for kwargs, name in [({"input": np.ones((2, 4, 4))}, "input"),
                         ({"input": [[np.nan] * 4] * 4}, "input"),
                         ({"weights": np.ones((1, 1, 2, 2))}, "weights"),
                         ({"bias_values": "x"}, "bias_values"),
                         ({"values": "yes"}, "values"),
                         ({"seed": 1.5, "values": True}, "seed"),
                         ({"colour": 1}, "colour")]:
        with pytest.raises(ValueError, match=name):
            values_for(layer, **kwargs)
    with pytest.raises(ValueError, match="decimals"):
        convgif.render(layer, Path("never.gif"), values=True, decimals=9)
    assert not Path("never.gif").exists()


def test_values_render_is_deterministic_and_plain_is_default(tmp_path: Path) -> None:
    layer = convgif.Conv2d(2, 2, 3, 5, padding=1, padding_mode="reflect")
    a = convgif.render(layer, tmp_path / "a.gif", values=True, seed=5)
    b = convgif.render(layer, tmp_path / "b.gif", values=True, seed=5)
    c = convgif.render(layer, tmp_path / "c.gif", values=True, seed=6)
    plain = convgif.render(layer, tmp_path / "p.gif")
    data = {p: (tmp_path / p).read_bytes() for p in ("a.gif", "b.gif", "c.gif", "p.gif")}
    assert data["a.gif"] == data["b.gif"] != data["c.gif"]
    assert data["p.gif"] != data["a.gif"]
    assert a.frames == b.frames == c.frames == plain.frames == layer.n_steps


def _luminance(rgb: np.ndarray) -> float:
    """WCAG relative luminance of an sRGB colour (0..255)."""
    c = rgb / 255.0
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_numbers_contrast_with_every_tint(theme: str) -> None:
    from convgif.theme import THEMES, palette

    colours = palette(THEMES[theme], values=True)
    rgb = np.frombuffer(colours.rgb, np.uint8).reshape(-1, 3).astype(float)
    text = _luminance(rgb[colours.ramps["text"][-1]])
    fills = [i for ramp in colours.value_ramps.values() for i in ramp]
    fills.append(colours.index["padding"])
    for index in fills:
        fill = _luminance(rgb[index])
        ratio = (max(text, fill) + 0.05) / (min(text, fill) + 0.05)
        assert ratio >= 4.0, (theme, index, rgb[index])


# -- numbers that do not mislead (issue 23, item 4) ------------------------------------------


def test_a_non_zero_number_never_reads_as_zero_and_large_ones_are_compact() -> None:
    assert number_text(-0.0025, 2, False) == "-0.0025"
    assert number_text(0.00001234, 2, False) == "1.2e-5"  # shorter than 0.000012
    assert number_text(0.3, 0, False) == "0.3"
    assert number_text(1e-30, 2, False) == "1e-30"
    assert number_text(1e30, 2, True) == "1e30"
    assert number_text(-1234567.0, 2, True) == "-1.23e6"
    assert number_text(999999.0, 2, True) == "999999"
    assert (number_text(0.0, 2, False), number_text(-0.0, 2, False)) == ("0", "0")
    assert (number_text(-1.25, 2, False), number_text(0.004, 2, False)) == ("-1.25", "0.004")


@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False), decimals=st.integers(0, 6),
       integral=st.booleans())
def test_any_number_reads_as_itself_in_a_few_characters(value: float, decimals: int,
                                                        integral: bool) -> None:
    if integral:
        value = float(round(value))
    text = number_text(value, decimals, integral)
    shown, exact = Decimal(text), Decimal(value)
    assert len(text) <= 14, text
    assert (shown == 0) == (value == 0) and (shown < 0) == (value < 0), text
    if abs(value) >= 1e6:  # three significant digits
        assert abs(shown - exact) <= abs(exact) * Decimal("0.005"), text
    elif value != 0 and abs(value) < 0.5 * 10 ** -decimals:  # max(1, decimals) of them
        assert abs(shown - exact) <= abs(exact) * Decimal(5) / 10 ** max(1, decimals), text
    else:  # rounded to the places shown
        places = 0 if integral else decimals
        assert abs(shown - exact) <= Decimal(5) / 10 ** (places + 1), text


def _two_products(weights: list[float]) -> str:
    """The full formula of a 1x2 kernel over an input of ones."""
    layer = convgif.Conv2d(1, 1, (1, 2), (1, 2), bias=False)
    values = values_for(layer, input=np.ones((1, 1, 2)),
                        weights=np.array(weights).reshape(1, 1, 1, 2))
    assert values is not None
    step = next(convgif.trace(layer, values))
    return formula_forms(step, step.outputs[0], 2)[1]  # every product's value


def test_a_formula_whose_rounded_terms_miss_its_result_says_so() -> None:
    """-0.444 - 0.434 = -0.878: shown as -0.44 - 0.43, which makes -0.87, not -0.88."""
    assert _two_products([-0.444, -0.434]) == (
        f"output[0, 0, 0] = (-0.44 - 0.43) = -0.88{ROUNDED}")
    assert _two_products([-0.5, -0.25]) == "output[0, 0, 0] = (-0.5 - 0.25) = -0.75"
    assert _two_products([-0.0025, 0.5]) == "output[0, 0, 0] = (-0.0025 + 0.5) = 0.5"


def test_a_tiny_weight_is_drawn_as_itself(tmp_path: Path) -> None:
    """The frames' texts (and the widest number cells make room for) hold -0.0025."""
    layer = convgif.Conv2d(1, 1, (1, 2), (1, 2), bias=False)
    painter = Painter.of(layer, {"input": np.ones((1, 1, 2)),
                                 "weights": np.array([-0.0025, 0.5]).reshape(1, 1, 1, 2)})
    (_, texts), = painter.frames_with_texts()
    assert "(1*(-0.0025) + 1*0.5)" in texts[1]
    assert painter.scene.value_text().widest == "-0.0025"  # type: ignore[attr-defined]
