"""Chosen frames as PNG images (``--frame``) and drawings at 2x-4x (``--scale``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif.cli import main
from convgif.draw import Painter
from convgif.layers import OptionError

HEADLINE = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)  # 18 frames


def rgb_frames(layer: convgif.Conv2d, **options: object) -> list[np.ndarray]:
    return [np.asarray(f.convert("RGB")) for f in convgif.frames(layer, **options)]


@pytest.mark.parametrize(("choice", "expected"), [
    (1, [0]),
    (-1, [17]),
    ("3", [2]),
    ("3:5", [2, 3, 4]),
    ("16:", [15, 16, 17]),
    (":2", [0, 1]),
    ("-2:-1", [16, 17]),
    (["5", 2, "1:3"], [4, 1, 0, 2]),  # in the order asked, each once
])
def test_frame_indices_read_numbers_ranges_and_lists(choice: object, expected: list[int]
                                                     ) -> None:
    assert convgif.frame_indices(choice, 18) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("choice", "words"), [
    (0, "out of range"), (19, "out of range"), (-19, "out of range"), ("x", "frame number"),
    ("5:3", "empty range"), ([], "at least one"), (True, "frame number"), ("1:99", "out of"),
    (2.0, "frame number"),
])
def test_frame_indices_refuse_what_names_no_frame(choice: object, words: str) -> None:
    with pytest.raises(OptionError, match=words):
        convgif.frame_indices(choice, 18)  # type: ignore[arg-type]


def test_stills_are_the_animation_frames(tmp_path: Path) -> None:
    expected = rgb_frames(HEADLINE, theme="dark")
    written = convgif.stills(HEADLINE, ["2:3", -1], tmp_path / "f.png", theme="dark")
    assert [w.path for w in written] == [tmp_path / n for n in ("f-02.png", "f-03.png",
                                                                "f-18.png")]
    for done, index in zip(written, (1, 2, 17), strict=True):
        assert done.path is not None
        with Image.open(done.path) as image:
            assert image.format == "PNG" and getattr(image, "n_frames", 1) == 1
            assert np.array_equal(np.asarray(image.convert("RGB")), expected[index])
        assert done.bytes == done.path.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f-02.png", "f-03.png", "f-18.png"]


def test_one_still_is_written_under_the_name_given(tmp_path: Path) -> None:
    (done,) = convgif.stills(HEADLINE, 4, tmp_path / "four.png", values=True)
    assert done.path == tmp_path / "four.png"
    expected = rgb_frames(HEADLINE, values=True)[3]
    with Image.open(done.path) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), expected)


def test_stills_default_names_come_from_the_slug(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--frame", "1", "--frame", "18", "-q"]) is None
    slug = HEADLINE.slug
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{slug}-01.png", f"{slug}-18.png"]


@pytest.mark.parametrize(("arguments", "words"), [
    (["--frame", "19"], "out of range"),
    (["--frame", "0"], "out of range"),
    (["--frame", "a:b"], "frame number"),
    (["--frame", "1", "-o", "x.gif"], "must end in .png"),
    (["--frame", "1", "--scale", "5"], "--scale 5"),
])
def test_bad_frames_fail_in_one_line_and_write_nothing(
        arguments: list[str], words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["render", *arguments])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and words in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scale", [0, 5, 1.5, "2", True])
def test_scale_out_of_range_is_refused(scale: object) -> None:
    with pytest.raises(OptionError, match="scale="):
        Painter.of(HEADLINE, {"scale": scale})


@pytest.mark.parametrize("values", [False, True])
def test_scale_2_draws_every_cell_twice_as_large_in_its_colour(values: bool) -> None:
    one, two = (Painter.of(HEADLINE, {"scale": s, "values": values}) for s in (1, 2))
    assert (two.layout.width, two.layout.height) == (2 * one.layout.width,
                                                     2 * one.layout.height)
    small, large = (next(p.frames()) for p in (one, two))
    grids = [(a, b) for a, b in zip(one.layout.inputs, two.layout.inputs, strict=True)]
    grids += [(a, b) for bank_a, bank_b in zip(one.layout.kernels, two.layout.kernels,
                                               strict=True)
              for a, b in zip(bank_a, bank_b, strict=True)]
    for a, b in grids:
        assert b.box == tuple(2 * v for v in a.box)
        for row in range(a.rows):
            for col in range(a.cols):
                left, top, right, _ = b.cell_box(row, col)
                l1, t1, _, _ = a.cell_box(row, col)
                # The cell's fill, near its corner (numbers sit in the middle; outlines
                # centred on a grid line may cover the cell's outermost pixel), is the same.
                assert large[top + 2, left + 2] == small[t1 + 1, l1 + 1]
                assert right - left == 2 * (a.cell - 1)


def test_scale_2_text_is_drawn_at_the_larger_size_not_upscaled() -> None:
    one, two = (Painter.of(HEADLINE, {"scale": s}) for s in (1, 2))
    small, large = next(one.frames()), next(two.frames())
    left, top, right, bottom = one.layout.slots.caption
    caption_small = small[top:bottom, left:right]
    caption_large = large[2 * top:2 * bottom, 2 * left:2 * right]
    upscaled = caption_small.repeat(2, axis=0).repeat(2, axis=1)
    assert caption_large.shape == upscaled.shape
    # Same ink roughly (4x the pixels), but not the blocky copy of the small text.
    ink_small = (caption_small != small[0, 0]).sum()
    ink_large = (caption_large != large[0, 0]).sum()
    assert 2.5 * ink_small < ink_large < 5.5 * ink_small
    assert not np.array_equal(caption_large, upscaled)


def test_scale_keeps_frame_count_and_renders_every_format_it_takes(tmp_path: Path) -> None:
    done = convgif.render(HEADLINE, tmp_path / "two.gif", scale=2)
    assert done.frames == HEADLINE.n_steps
    assert (done.width, done.height) == (1054, 1140)
    with Image.open(tmp_path / "two.gif") as image:
        assert image.n_frames == HEADLINE.n_steps and image.size == (1054, 1140)


def test_stills_come_in_the_order_asked(tmp_path: Path) -> None:
    expected = rgb_frames(HEADLINE)
    written = convgif.stills(HEADLINE, [5, 2, -1, "3:4"], tmp_path / "f.png")
    assert [w.path for w in written] == [tmp_path / f"f-{n:02d}.png" for n in (5, 2, 18, 3, 4)]
    for done, index in zip(written, (4, 1, 17, 2, 3), strict=True):
        assert done.path is not None
        with Image.open(done.path) as image:
            assert np.array_equal(np.asarray(image.convert("RGB")), expected[index])


def test_frames_asked_out_of_order_on_the_command_line(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--frame", "5", "--frame", "2", "-q", "-o", "s.png"]) is None
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["s-05.png", "s-02.png"]
    expected = rgb_frames(HEADLINE)
    for name, index in (("s-05.png", 4), ("s-02.png", 1)):
        with Image.open(tmp_path / name) as image:
            assert np.array_equal(np.asarray(image.convert("RGB")), expected[index])


def ink_extent(frame: np.ndarray, box: tuple[int, int, int, int], painter: Painter
               ) -> tuple[int, int]:
    """The width and height of the text drawn inside ``box``."""
    left, top, right, bottom = box
    rows, cols = np.nonzero(np.isin(frame[top:bottom, left:right],
                                    painter.palette.ramps["text"]))
    assert rows.size, box
    return int(cols.max() - cols.min() + 1), int(rows.max() - rows.min() + 1)


@pytest.mark.parametrize("scale", [2, 3])
def test_scale_draws_every_text_larger(scale: int) -> None:
    one, big = (Painter.of(HEADLINE, {"values": True, "scale": s}) for s in (1, scale))
    assert (big.layout.font_size, big.layout.number_size) == (
        scale * one.layout.font_size, scale * (one.layout.number_size or 0))
    small_frame, big_frame = next(one.frames()), next(big.frames())

    def texts(painter: Painter) -> dict[str, tuple[int, int, int, int]]:
        lay = painter.layout
        return {"status": lay.slots.status, "formula": lay.slots.formula,
                "caption": lay.slots.caption, "input number": lay.inputs[0].cell_box(2, 2),
                "weight": lay.kernels[0][0].cell_box(0, 0)}

    for (name, small_box), big_box in zip(texts(one).items(), texts(big).values(),
                                          strict=True):
        small = ink_extent(small_frame, small_box, one)
        large = ink_extent(big_frame, big_box, big)
        for a, b in zip(small, large, strict=True):
            # Drawn at the larger size: about `scale` times the ink (hinting and crisp
            # numbers make it a little less), not the size of scale 1.
            assert 0.75 * scale * a <= b <= 1.25 * scale * a + 2, (name, small, large)
