"""Named kernels for --weights (issue 23, item 3): the classic kernels by name, for any
channel count and every kernel size they are defined for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif.cli import main
from convgif.engine import conv2d
from convgif.kernels import KERNELS, kernel, named_weights
from convgif.layers import OptionError

SQUARE = Path(__file__).resolve().parents[1] / "examples" / "inputs" / "square.png"

CLASSIC_3X3 = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sobel-x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel-y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}


@pytest.mark.parametrize("name", sorted(CLASSIC_3X3))
def test_integer_kernels_are_the_classic_3x3_ones(name: str) -> None:
    made = kernel(name, (3, 3))
    assert made.dtype == np.int64
    assert made.tolist() == CLASSIC_3X3[name]


def test_blurs_are_means_whose_weights_sum_to_one() -> None:
    assert np.array_equal(kernel("box", (3, 3)), np.full((3, 3), 1 / 9))
    assert np.array_equal(kernel("gaussian", (3, 3)) * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    five = np.array([1, 4, 6, 4, 1])
    assert np.array_equal(kernel("gaussian", (5, 5)) * 256, np.outer(five, five))
    for size in [(1, 1), (2, 4), (4, 4), (7, 3)]:
        for name in ("box", "gaussian"):
            assert kernel(name, size).sum() == pytest.approx(1.0)


def test_larger_kernels_are_defined_as_the_module_says() -> None:
    # OpenCV's 5x5 Sobel (cv2.getDerivKernels(1, 0, 5)): binomial rows, differences across.
    assert kernel("sobel-x", (5, 5)).tolist() == [
        [-1, -2, 0, 2, 1], [-4, -8, 0, 8, 4], [-6, -12, 0, 12, 6], [-4, -8, 0, 8, 4],
        [-1, -2, 0, 2, 1]]
    assert np.array_equal(kernel("sobel-y", (5, 3)), kernel("sobel-x", (3, 5)).T)
    laplacian = kernel("laplacian", (5, 5))
    assert np.array_equal(laplacian[1:4, 1:4], CLASSIC_3X3["laplacian"])
    assert not laplacian[[0, 4]].any() and not laplacian[:, [0, 4]].any()
    assert kernel("laplacian", (1, 3)).tolist() == [[1, -2, 1]]  # a Conv1d's
    assert kernel("sharpen", (1, 3)).tolist() == [[-1, 3, -1]]
    assert kernel("outline", (5, 5)).sum() == 0 and kernel("outline", (5, 5))[2, 2] == 24
    assert kernel("emboss", (5, 5))[0, 0] == -4 and kernel("emboss", (5, 5))[4, 4] == 4
    assert kernel("identity", (5, 3)).sum() == 1 and kernel("identity", (5, 3))[2, 1] == 1
    for name in ("sobel-x", "sobel-y", "laplacian", "outline", "emboss"):
        for size in [(3, 3), (5, 5), (3, 7), (7, 5)]:
            if name != "emboss":
                assert kernel(name, size).sum() == 0, (name, size)  # flat areas give 0


@pytest.mark.parametrize(("name", "size", "words"), [
    ("identity", (4, 4), "needs odd kernel sizes"),
    ("sobel-x", (3, 1), "at least 3 wide"),
    ("sobel-y", (1, 5), "at least 3 tall"),
    ("laplacian", (1, 1), "at least 3 tall or wide"),
    ("sobel", (3, 3), "is not a kernel name"),
])
def test_a_kernel_a_size_does_not_have_is_refused(name: str, size: tuple[int, int],
                                                   words: str) -> None:
    with pytest.raises(OptionError, match=words):
        kernel(name, size)


def test_an_rgb_layer_applies_the_kernel_to_the_sum_of_its_channels() -> None:
    layer = convgif.Conv2d(3, 1, 3, 6, bias=False)
    rgb = np.random.default_rng(0).integers(0, 256, (3, 6, 6))
    values = convgif.values_for(layer, input=rgb, weights="sobel-x")
    assert values is not None and values.integral
    assert values.weight.shape == (1, 3, 3, 3)
    assert all(np.array_equal(values.weight[0, c], CLASSIC_3X3["sobel-x"]) for c in range(3))
    expected = conv2d(rgb.sum(axis=0)[None, None], np.array(CLASSIC_3X3["sobel-x"])[None, None])
    assert np.array_equal(values.output, expected[0])


def test_one_name_per_output_channel_and_groups_for_one_filter_per_channel() -> None:
    layer = convgif.Conv2d(3, 6, 3, 5, groups=3)  # depthwise: each channel on its own
    weights = named_weights(layer, ["sobel-x", "sobel-y"] * 3)
    assert weights.shape == (6, 1, 3, 3)
    assert [w[0].tolist() for w in weights[:2]] == [CLASSIC_3X3["sobel-x"],
                                                   CLASSIC_3X3["sobel-y"]]
    with pytest.raises(OptionError, match="names 2 kernels: give one, or one per output "
                                          r"channel \(3\)"):
        named_weights(convgif.Conv2d(1, 3, 3, 5), ["box", "gaussian"])


def test_a_transposed_convolution_draws_the_kernel_named() -> None:
    layer = convgif.ConvTranspose2d(2, 2, 3, 3, stride=2)
    weights = named_weights(layer, "emboss")
    values = convgif.values_for(layer, weights="emboss")
    assert values is not None and np.array_equal(values.weight, weights)
    step = next(convgif.trace(layer, values))
    for out in step.outputs:
        drawn = {(t.ky, t.kx): t.weight for t in step.terms(out) if t.channel == 0}
        assert drawn == {(y, x): CLASSIC_3X3["emboss"][y][x] for y in range(3)
                         for x in range(3)}


def test_conv1d_takes_names_too() -> None:
    layer = convgif.Conv1d(1, 2, 3, 8)
    assert named_weights(layer, "laplacian,sobel-x")[:, 0].tolist() == [[1, -2, 1],
                                                                        [-1, 0, 1]]
    with pytest.raises(OptionError, match="at least 3 tall"):
        named_weights(layer, "sobel-y")


def test_the_command_line_takes_a_name_on_an_image(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    by_name, by_numbers = tmp_path / "name.gif", tmp_path / "numbers.gif"
    for weights, target in (("sobel-x", by_name), ("-1,0,1,-2,0,2,-1,0,1", by_numbers)):
        main(["render", "--input", str(SQUARE), "--weights", weights, "--bias-values", "0",
              "--out-channels", "1", "-q", "-o", str(target)])
    assert by_name.read_bytes() == by_numbers.read_bytes()
    with Image.open(by_name) as image:
        assert image.n_frames == 49
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "--weights", "sobel-x", "--layer", "max-pool2d", "-q"])
    assert exit_info.value.code == 2
    assert "--weights sobel-x is given, but a MaxPool2d has no weights" in (
        capsys.readouterr().err)
    with pytest.raises(SystemExit):
        main(["render", "--weights", "sobel", "-q", "-o", str(tmp_path / "x.gif")])
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and "--weights sobel is not a kernel name" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["name.gif", "numbers.gif"]


def test_every_name_is_documented() -> None:
    import convgif.kernels as module
    from convgif.values import FLAGS

    help_text = next(flag.help for flag in FLAGS if flag.field == "weights")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name in KERNELS:
        assert f"\n{name} " in module.__doc__  # type: ignore[operator]
        assert name in help_text and f"`{name}`" in readme


def test_the_readmes_photo_is_what_its_command_makes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """README's named kernel on a photo: docs/sobel-photo.png, remade byte for byte."""
    root = SQUARE.parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in readme.splitlines() if "-o docs/sobel-photo.png" in line)
    args = line.split()[2:]  # after "convgif render"
    args[args.index("-o") + 1] = str(tmp_path / "photo.png")
    monkeypatch.chdir(root)
    main(["render", *args, "-q"])
    assert (tmp_path / "photo.png").read_bytes() == (root / "docs" / "sobel-photo.png").read_bytes()
    assert "](docs/sobel-photo.png)" in readme
