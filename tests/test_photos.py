"""Photos and arrays as users have them: torchvision's Resize + CenterCrop, an exact HxW,
a photo's own size; grey by BT.601 luma; the values a network sees (--normalize);
channels-last arrays, batches of one, ambiguous shapes refused; Conv1d's own input.
Each form on the command line (read back through a 1x1 max pooling, whose output is its
input) and in Python; every refusal one line, exit 2, nothing written."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from cli_run import run
from PIL import Image

import convgif
from convgif.layers import OptionError

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "examples" / "inputs" / "grace_hopper.jpg"  # 256x300 (W x H), RGB
HAS_TORCH = importlib.util.find_spec("torch") is not None


def cli_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> np.ndarray:
    """The input the command line reads from ``argv`` (--input ...): a 1x1 max pooling's
    output, which is its input, rebuilt from ``trace --json --values``."""
    code, out, err = run(["trace", "--json", "--values", "--layer", "max-pool2d", "-k", "1",
                          "-s", "1", *argv], capsys)
    assert code == 0, err
    cells = {(c["channel"], c["row"], c["col"]): c["value"]
             for line in out.splitlines() for c in json.loads(line)["outputs"]}
    shape = tuple(n + 1 for n in map(max, zip(*cells, strict=True)))
    array = np.zeros(shape)
    for where, value in cells.items():
        array[where] = value
    return array


def photo(size: tuple[int, int] | None = None, mode: str = "RGB") -> np.ndarray:
    """The photo as Pillow reads it, channels first; resized to (W, H) ``size``."""
    with Image.open(PHOTO) as image:
        picture = image.convert(mode)
    if size is not None:
        picture = picture.resize(size, Image.Resampling.BILINEAR)
    array = np.asarray(picture).astype(np.int64)
    return array[None] if array.ndim == 2 else array.transpose(2, 0, 1)


# -- sizes ----------------------------------------------------------------------------------


def test_one_size_resizes_the_shorter_side_and_cuts_the_centre(
        capsys: pytest.CaptureFixture[str]) -> None:
    # torchvision's Resize(32) on 256x300 (W x H): 32 x int(32 * 300 / 256) = 32 x 37;
    # CenterCrop(32): top round((37 - 32) / 2) = 2 (round half to even), left 0.
    resized = photo((32, 37))
    expected = resized[:, 2:34, :]
    assert np.array_equal(convgif.read_input(PHOTO, 32), expected)
    assert np.array_equal(cli_input(["--input", str(PHOTO), "--size", "32"], capsys), expected)
    # A size the photo's shorter side already has: not resized, only cut (top 22).
    assert np.array_equal(convgif.read_input(PHOTO, 256), photo()[:, 22:278, :])


def test_hxw_is_exact_and_no_size_keeps_the_photos_own(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert np.array_equal(convgif.read_input(PHOTO, (20, 30)), photo((30, 20)))
    assert np.array_equal(cli_input(["--input", str(PHOTO), "--size", "20x30"], capsys),
                          photo((30, 20)))
    own = convgif.read_input(PHOTO)
    assert own.shape == (3, 300, 256) and np.array_equal(own, photo())
    # On the command line: a 2x2 max pooling of the photo's own 300x256 ends at (149, 127).
    code, out, err = run(["trace", "--json", "--layer", "max-pool2d", "-k", "2", "--input",
                          str(PHOTO)], capsys)
    assert code == 0, err
    last = json.loads(out.splitlines()[-1])
    assert len(out.splitlines()) == 150 * 128
    assert [(o["channel"], o["row"], o["col"]) for o in last["outputs"]] == [
        (channel, 149, 127) for channel in range(3)]


# -- grey -----------------------------------------------------------------------------------


def test_a_colour_photo_on_one_channel_is_bt601_grey(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    grey = convgif.read_input(PHOTO, channels=1)
    assert grey.shape == (1, 300, 256) and np.array_equal(grey, photo(mode="L"))
    r, g, b = photo().astype(float)
    assert np.abs(grey[0] - (0.299 * r + 0.587 * g + 0.114 * b)).max() <= 0.5 + 1e-9
    by_cli = cli_input(["--input", str(PHOTO), "--in-channels", "1", "--size", "16"], capsys)
    assert np.array_equal(by_cli, convgif.read_input(PHOTO, 16, channels=1))
    # Its pixels as an (H, W, 3) uint8 array give the same grey, to the unit.
    pixels = photo().transpose(1, 2, 0).astype(np.uint8)
    assert np.array_equal(convgif.read_input(pixels, channels=1), grey.astype(np.uint8))
    floats = convgif.read_input(pixels.astype(np.float64) / 255, channels=1)
    assert np.allclose(floats[0], (0.299 * r + 0.587 * g + 0.114 * b) / 255)
    # A layer of one input channel makes the photo grey in Python too.
    layer = convgif.Conv2d(1, 1, 3, (300, 256))
    values = convgif.values_for(layer, input=str(PHOTO))
    assert values is not None and np.array_equal(values.input, grey)


# -- the values a network sees --------------------------------------------------------------


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
def test_normalize_gives_torchvisions_tensor_bit_for_bit(
        capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    # torchvision's ToTensor (uint8 to float32, / 255) and Normalize (sub_ then div_).
    pixels = torch.from_numpy(photo((16, 18))[:, 1:17, :].astype(np.uint8))
    tensor = pixels.to(torch.float32).div(255)
    mean = torch.as_tensor([0.485, 0.456, 0.406], dtype=torch.float32)[:, None, None]
    std = torch.as_tensor([0.229, 0.224, 0.225], dtype=torch.float32)[:, None, None]
    expected = tensor.sub(mean).div(std).numpy()
    got = convgif.read_input(PHOTO, 16, normalize="imagenet")
    assert got.dtype == np.float32 and np.array_equal(got, expected)
    by_cli = cli_input(["--input", str(PHOTO), "--size", "16", "--normalize", "imagenet"],
                       capsys)
    assert np.array_equal(by_cli.astype(np.float32), expected)
    spelled = convgif.read_input(PHOTO, 16, normalize="0.485,0.456,0.406,0.229,0.224,0.225")
    assert np.array_equal(spelled, expected)
    half = tensor.sub(0.5).div(0.5).numpy()
    assert np.array_equal(convgif.read_input(PHOTO, 16, normalize="0.5,0.5"), half)
    assert np.array_equal(convgif.read_input(PHOTO, 16, normalize=(0.5, 0.5)), half)


def test_normalize_divides_only_pixels_by_255() -> None:
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    assert np.allclose(convgif.read_input(pixels, normalize="0,1"), pixels[None] / 255)
    floats = pixels.astype(np.float32)
    assert np.allclose(convgif.read_input(floats, normalize="10,2"), (floats[None] - 10) / 2)
    with pytest.raises(OptionError, match="gives 3 means, but input has 1 channel"):
        convgif.read_input(pixels, normalize="imagenet")


# -- array forms ----------------------------------------------------------------------------


ARRAY = np.arange(5 * 6 * 3).reshape(5, 6, 3)  # an (H, W, 3) picture


@pytest.mark.parametrize(("array", "extra", "expected"), [
    (ARRAY[:, :, 0], [], ARRAY[None, :, :, 0]),  # (H, W): one channel
    (ARRAY.transpose(2, 0, 1), [], ARRAY.transpose(2, 0, 1)),  # (C, H, W)
    (ARRAY, [], ARRAY.transpose(2, 0, 1)),  # (H, W, 3): channels-last
    (np.dstack([ARRAY, ARRAY[:, :, :1]]), [], np.dstack([ARRAY, ARRAY[:, :, :1]]
                                                         ).transpose(2, 0, 1)),  # RGBA
    (np.dstack([ARRAY, ARRAY[:, :, :1]]), ["--in-channels", "3"],
     ARRAY.transpose(2, 0, 1)),  # alpha dropped for three channels
    (ARRAY.transpose(2, 0, 1)[None], [], ARRAY.transpose(2, 0, 1)),  # a batch of one
    (ARRAY[None], [], ARRAY.transpose(2, 0, 1)),  # a channels-last batch of one
    (ARRAY[:3], [], ARRAY[:3].transpose(2, 0, 1)),  # (3, 6, 3) with... see below
])
def test_every_array_form_on_the_command_line_and_in_python(
        array: np.ndarray, extra: list[str], expected: np.ndarray, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    if array.shape == (3, 6, 3):  # ambiguous: says how to choose, then takes the choice
        with pytest.raises(OptionError, match="--input-layout"):
            convgif.read_input(array)
        extra = ["--input-layout", "hwc"]
    np.save(tmp_path / "x.npy", array)
    by_cli = cli_input(["--input", str(tmp_path / "x.npy"), *extra], capsys)
    assert np.array_equal(by_cli, expected)
    channels = int(extra[1]) if extra[:1] == ["--in-channels"] else None
    layout = extra[1] if extra[:1] == ["--input-layout"] else None
    assert np.array_equal(convgif.read_input(array, channels=channels, layout=layout),
                          expected)
    layer = convgif.MaxPool2d(1, expected.shape[1:], expected.shape[0])
    values = convgif.values_for(layer, input=array, input_layout=layout)
    assert values is not None and np.array_equal(values.input, expected)


@pytest.mark.parametrize(("shape", "channels", "layout"), [
    ((3, 5, 3), 3, None), ((1, 5, 3), None, None), ((4, 4, 4), None, None),
    ((3, 5, 3), None, "chw"), ((2, 7, 4), 2, None), ((2, 7, 4), 4, None),
])
def test_a_shape_that_could_be_either_is_refused_unless_something_chooses(
        shape: tuple[int, ...], channels: int | None, layout: str | None) -> None:
    array = np.zeros(shape)
    chooses = layout is not None or (channels is not None and
                                     (channels == shape[0]) != (channels == shape[-1]))
    if not chooses:
        with pytest.raises(OptionError, match=r"could be .* channels? of .*give "
                                              r"input_layout='chw' or 'hwc'"):
            convgif.read_input(array, channels=channels)
        return
    read = convgif.read_input(array, channels=channels, layout=layout)
    first = layout == "chw" or channels == shape[0]
    assert read.shape == (shape if first else (shape[-1], *shape[:-1]))


# -- Conv1d with its own input --------------------------------------------------------------


@pytest.mark.parametrize("form", ["(C, L)", "(L,)", "(1, C, L)"])
def test_conv1d_takes_its_own_input_on_the_command_line_and_in_python(
        form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signal = np.arange(40).reshape(4, 10) % 7 - 3
    array = {"(C, L)": signal, "(L,)": signal[0], "(1, C, L)": signal[None]}[form]
    channels = 1 if form == "(L,)" else 4
    np.save(tmp_path / "x.npy", array)
    line = f"nn.Conv1d({channels}, 5, 3, padding=1)"
    rng = np.random.default_rng(3)
    weights, bias = rng.integers(-2, 3, (5, channels, 3)), rng.integers(-2, 3, 5)
    np.save(tmp_path / "w.npy", weights)
    np.save(tmp_path / "b.npy", bias)
    code, out, err = run(["trace", "--json", "--values", "--torch", line, "--input",
                          str(tmp_path / "x.npy"), "--weights", str(tmp_path / "w.npy"),
                          "--bias-values", str(tmp_path / "b.npy")], capsys)
    assert code == 0, err
    expected = convgif.conv1d(signal[:channels], weights, bias, padding=1)
    cells = {(c["channel"], c["col"]): c["value"] for row in out.splitlines()
             for c in json.loads(row)["outputs"]}
    assert len(cells) == expected.size
    assert all(cells[where] == expected[where] for where in np.ndindex(*expected.shape))
    layer = convgif.layer_from_torch(line, 10)
    values = convgif.values_for(layer, input=array, weights=weights, bias_values=bias)
    assert values is not None and np.array_equal(values.output[:, 0], expected)
    target = tmp_path / "c.gif"
    code, _, err = run(["render", "-q", "--torch", line, "--input", str(tmp_path / "x.npy"),
                        "-o", str(target)], capsys)
    assert code == 0 and target.is_file(), err


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
def test_conv1d_with_its_own_input_agrees_with_torch() -> None:
    import torch

    torch.manual_seed(0)
    module = torch.nn.Conv1d(4, 5, 3)
    x = np.random.default_rng(1).standard_normal((4, 10)).astype(np.float32)
    layer = convgif.layer_from_torch(module, 10)
    values = convgif.values_from_torch(module, layer, input=x)
    with torch.no_grad():
        expected = module(torch.from_numpy(x)).numpy()
    assert values.output.shape == (5, 1, 8)
    assert np.allclose(values.output[:, 0], expected, atol=1e-6)
    # The issue's own call: float64 zeros on a float32 module (computed in float64).
    zeros = convgif.values_from_torch(module, layer, input=np.zeros((4, 10)))
    assert np.allclose(zeros.output[:, 0], module.bias.detach().numpy()[:, None])


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "argv", "words"), [
    ("batch.npy", ["--input", "{d}/batch.npy"], "is a batch of 2: give one item of it"),
    ("ambiguous.npy", ["--input", "{d}/ambiguous.npy"],
     "could be 3 channels of 5x3 or a 3x5 picture of 3 channels: give --input-layout chw "
     "or 'hwc'"),
    ("five.npy", ["--input", "{d}/five.npy"], "must have shape (C, H, W), (H, W) or "
                                               "(H, W, 3|4), not (1, 2, 3, 4, 5)"),
    (None, ["--input", "{photo}", "--normalize", "imagenet", "--in-channels", "1"],
     "--normalize imagenet gives 3 means, but input has 1 channel"),
    (None, ["--input", "{photo}", "--normalize", "0.5"], "--normalize 0.5 must be imagenet"),
    (None, ["--input", "{photo}", "--normalize", "0.5,0"], "each deviation > 0"),
    (None, ["--normalize", "imagenet"], "--normalize imagenet applies to an input: give "
                                        "--input FILE too"),
    (None, ["--input", "{photo}", "--in-channels", "2"], "input has 3 channels, but "
                                                         "--in-channels 2"),
    (None, ["--layer", "conv1d", "--input", "{photo}"], "this layer's input is (C, L)"),
    ("row.npy", ["--layer", "conv1d", "--input", "{d}/row.npy", "--size", "9"],
     "input has size 10, not the --size 9"),
    ("grid.npy", ["--layer", "conv1d", "--input", "{d}/grid.npy"],
     "must have shape (C, L) or (L,), not (2, 3, 4, 5)"),
])
def test_bad_photos_and_arrays_are_one_line_and_write_nothing(
        make: str | None, argv: list[str], words: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    files = {"batch.npy": np.zeros((2, 3, 5, 5)), "ambiguous.npy": np.zeros((3, 5, 3)),
             "five.npy": np.zeros((1, 2, 3, 4, 5)), "row.npy": np.zeros((2, 10)),
             "grid.npy": np.zeros((2, 3, 4, 5))}
    if make is not None:
        np.save(tmp_path / make, files[make])
    target = tmp_path / "out" / "x.gif"
    argv = [a.format(d=tmp_path, photo=PHOTO) for a in argv]
    code, out, err = run(["render", "-q", *argv, "-o", str(target)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith("convgif: error: ") and words in err, err
    assert not target.parent.exists()
