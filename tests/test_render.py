"""convgif.render: the GIF decodes everywhere, shows the right cells, and is written safely."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from convgif import ConvSpec, OptionError, frames, render, trace
from convgif.layout import Box, layout
from convgif.theme import THEMES, Theme

# The article's GIFs and those of its original scripts; the keywords not given are
# PyTorch's defaults (P0 S1 D1 G1).
SPECS = [
    ConvSpec(1, 1, 3, 9),
    ConvSpec(1, 4, 3, 7),
    ConvSpec(3, 4, 3, 7),
    ConvSpec(3, 2, (5, 2), (7, 9)),
    ConvSpec(3, 2, (5, 1), (7, 9)),
    ConvSpec(3, 2, 3, 9, stride=(1, 3)),
    ConvSpec(2, 1, 3, 7, padding=1),
    ConvSpec(2, 1, 3, 7, padding=1, dilation=(4, 2)),
    ConvSpec(2, 1, 3, 9, padding=2, dilation=(4, 2)),
    ConvSpec(2, 4, 3, 7, padding=2, stride=2, groups=2),
    ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2),
    ConvSpec(3, 2, 3, 7, padding=1),
]
DURATION, HOLD, CELL = 120, 880, 16


def slug(spec: ConvSpec) -> str:
    """Test id of a spec."""
    return spec.slug


def tool(name: str) -> str:
    """The path of a command-line tool (the system's own first), or skip the test."""
    found = shutil.which(name, path="/usr/bin") or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def run(*args: str) -> str:
    """Run a tool; it must succeed without a word on stderr. Returns its stdout."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""
    return done.stdout


def expected_delays_ms(spec: ConvSpec) -> list[int]:
    """Every frame shows for DURATION ms; the last one HOLD ms longer."""
    return [DURATION] * (spec.n_steps - 1) + [DURATION + HOLD]


@pytest.fixture(scope="module")
def gifs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, tuple[int, int]]]:
    """Every spec rendered once: slug -> (path, (width, height))."""
    folder = tmp_path_factory.mktemp("gifs")
    out = {}
    for spec in SPECS:
        done = render(spec, folder / f"{spec.slug}.gif", duration=DURATION, hold=HOLD,
                      cell_size=CELL)
        assert done.frames == spec.n_steps
        assert done.bytes == done.path.stat().st_size
        out[spec.slug] = (done.path, (done.width, done.height))
    return out


# -- every decoder reads every GIF --------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=slug)
def test_pillow_decodes(spec: ConvSpec, gifs: dict[str, tuple[Path, tuple[int, int]]]) -> None:
    path, size = gifs[spec.slug]
    with Image.open(path) as image:
        assert image.format == "GIF"
        assert image.n_frames == spec.n_steps
        assert image.size == size
        assert image.info["loop"] == 0
        delays = []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()
            delays.append(image.info["duration"])
    assert delays == expected_delays_ms(spec)


@pytest.mark.parametrize("spec", SPECS, ids=slug)
def test_imageio_decodes(spec: ConvSpec, gifs: dict[str, tuple[Path, tuple[int, int]]]) -> None:
    path, (width, height) = gifs[spec.slug]
    pixels = iio.imread(path, index=None)
    assert pixels.shape[:3] == (spec.n_steps, height, width)
    with iio.imopen(path, "r", plugin="pillow") as file:
        assert file.metadata(index=0)["loop"] == 0
        delays = [file.metadata(index=i)["duration"] for i in range(spec.n_steps)]
    assert delays == expected_delays_ms(spec)


@pytest.mark.parametrize("spec", SPECS, ids=slug)
def test_ffprobe_decodes(spec: ConvSpec, gifs: dict[str, tuple[Path, tuple[int, int]]]) -> None:
    path, (width, height) = gifs[spec.slug]
    out = json.loads(run(tool("ffprobe"), "-v", "error", "-select_streams", "v:0",
                         "-count_frames", "-show_entries",
                         "stream=codec_name,width,height,nb_read_frames",
                         "-show_entries", "frame=pkt_duration_time", "-of", "json", str(path)))
    (stream,) = out["streams"]
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("gif", width, height)
    assert int(stream["nb_read_frames"]) == spec.n_steps
    delays = [round(float(f["pkt_duration_time"]) * 1000) for f in out["frames"]]
    assert delays == expected_delays_ms(spec)


@pytest.mark.parametrize("spec", SPECS, ids=slug)
def test_imagemagick_decodes(spec: ConvSpec,
                             gifs: dict[str, tuple[Path, tuple[int, int]]]) -> None:
    path, (width, height) = gifs[spec.slug]
    identify = tool("identify")
    lines = run(identify, "-regard-warnings", "-format", "%m %W %H %T\n", str(path)).split()
    rows = [lines[i:i + 4] for i in range(0, len(lines), 4)]
    assert len(rows) == spec.n_steps
    assert {tuple(row[:3]) for row in rows} == {("GIF", str(width), str(height))}
    assert [int(row[3]) * 10 for row in rows] == expected_delays_ms(spec)  # centiseconds
    verbose = run(identify, "-verbose", f"{path}[0]")
    assert "Iterations: 0" in verbose


@pytest.mark.parametrize("spec", SPECS, ids=slug)
def test_gifsicle_decodes(spec: ConvSpec, gifs: dict[str, tuple[Path, tuple[int, int]]],
                          tmp_path: Path) -> None:
    path, (width, height) = gifs[spec.slug]
    gifsicle = tool("gifsicle")
    info = run(gifsicle, "--info", str(path))
    assert f"{spec.n_steps} images" in info
    assert f"logical screen {width}x{height}" in info
    assert "loop forever" in info
    delays = [round(float(line.split("delay ")[1].split()[0].rstrip("s")) * 1000)
              for line in info.splitlines() if "delay " in line]
    assert delays == expected_delays_ms(spec)
    run(gifsicle, "--unoptimize", str(path), "-o", str(tmp_path / "plain.gif"))
    with Image.open(tmp_path / "plain.gif") as plain:
        assert plain.n_frames == spec.n_steps


# -- pixels: the cells each frame highlights ---------------------------------------------------

PIXEL_SPECS = [
    ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2),
    ConvSpec(2, 4, 3, 7, padding=2, stride=2, groups=2),
    ConvSpec(2, 1, 3, 9, padding=2, dilation=(4, 2)),
    ConvSpec(3, 2, 3, 9, stride=(1, 3)),
    ConvSpec(4, 4, (3, 2), (6, 7), padding=(1, 2), stride=(2, 1), dilation=(1, 3), groups=2),
]
PIXEL_CASES = [(spec, "light", 20) for spec in PIXEL_SPECS] + [
    (PIXEL_SPECS[0], "dark", 12),
    (PIXEL_SPECS[1], "dark", 15),
    (PIXEL_SPECS[4], "dark", 17),
]


def majority(rgb: np.ndarray, box: Box) -> tuple[int, int, int]:
    """The colour of more than half of the pixels in ``box`` (1 px lines may cross a cell)."""
    left, top, right, bottom = box
    pixels = rgb[top:bottom, left:right].reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    best = counts.argmax()
    assert counts[best] * 2 > len(pixels), f"no colour covers most of cell {box}"
    return (int(colours[best][0]), int(colours[best][1]), int(colours[best][2]))


def frame_indices(spec: ConvSpec) -> list[int]:
    """A few frames: the first, the second, one in the middle, the last, a channel switch."""
    per_channel = spec.output_size[0] * spec.output_size[1]
    picked = {0, min(1, spec.n_steps - 1), spec.n_steps // 2, spec.n_steps - 1}
    if spec.out_per_group > 1:
        picked.add(per_channel)
    return sorted(picked)


def check_frame(spec: ConvSpec, rgb: np.ndarray, index: int, cell: int, theme: Theme) -> None:
    """Every input, kernel and output cell of frame ``index`` has the colour its role needs."""
    lay = layout(spec, cell)
    step = list(trace(spec))[index]
    taps = {(tap.row, tap.col): tap.padding for tap in step.taps}
    top, _, left, _ = spec.pads
    height, width = spec.input_size
    for grid in lay.inputs:
        for r in range(grid.rows):
            for c in range(grid.cols):
                inside = top <= r < top + height and left <= c < left + width
                if (r, c) in taps:
                    assert taps[r, c] == (not inside)
                    want = theme.tap_padding if taps[r, c] else theme.tap
                else:
                    want = theme.cell if inside else theme.padding
                assert majority(rgb, grid.cell_box(r, c)) == want, ("input", r, c)
    active = {out.channel for out in step.outputs}
    for channel, bank in enumerate(lay.kernels):
        want = theme.kernel_active if channel in active else theme.kernel
        for grid in bank:
            for r in range(grid.rows):
                for c in range(grid.cols):
                    assert majority(rgb, grid.cell_box(r, c)) == want, ("kernel", channel, r, c)
    oh, ow = spec.output_size
    for channel, grid in enumerate(lay.outputs):
        for r in range(oh):
            for c in range(ow):
                computed_at = (channel % spec.out_per_group) * oh * ow + r * ow + c
                want = (theme.current if computed_at == index else
                        theme.done if computed_at < index else theme.output)
                assert majority(rgb, grid.cell_box(r, c)) == want, ("output", channel, r, c)


@pytest.mark.parametrize(("spec", "theme", "cell"), PIXEL_CASES,
                         ids=[f"{s.slug}-{t}-{c}" for s, t, c in PIXEL_CASES])
def test_frames_show_taps_kernels_and_outputs(spec: ConvSpec, theme: str, cell: int,
                                              tmp_path: Path) -> None:
    done = render(spec, tmp_path / "pixels.gif", cell_size=cell, theme=theme)
    lay = layout(spec, cell)
    assert (done.width, done.height) == (lay.width, lay.height)
    with Image.open(done.path) as image:
        for index in frame_indices(spec):
            image.seek(index)
            rgb = np.asarray(image.convert("RGB"))
            check_frame(spec, rgb, index, cell, THEMES[theme])


def test_themes_tell_the_roles_apart() -> None:
    # The pixel test can only tell roles apart if their colours differ.
    for theme in THEMES.values():
        assert len({theme.cell, theme.padding, theme.tap, theme.tap_padding}) == 4
        assert len({theme.kernel, theme.kernel_active}) == 2
        assert len({theme.output, theme.done, theme.current}) == 3


# -- determinism, atomicity, folders ------------------------------------------------------------

HEADLINE = ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2)


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    first = render(HEADLINE, tmp_path / "a.gif", duration=150, hold=500, theme="dark")
    second = render(HEADLINE, tmp_path / "b.gif", duration=150, hold=500, theme="dark")
    assert first.path.read_bytes() == second.path.read_bytes()
    other = render(HEADLINE, tmp_path / "c.gif", duration=160, hold=500, theme="dark")
    assert other.path.read_bytes() != first.path.read_bytes()


class Boom(Exception):
    """Raised by a progress callback to break a render part-way."""


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_an_error_mid_write_keeps_the_earlier_file(tmp_path: Path,
                                                   error: type[BaseException]) -> None:
    target = tmp_path / "out.gif"
    earlier = render(HEADLINE, target, duration=200).path.read_bytes()
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 3:
            raise error("stop")

    with pytest.raises(error):
        render(HEADLINE, target, duration=100, progress=progress)
    assert seen == [1, 2, 3]
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gif"]
    assert list(tmp_path.glob(".out.gif.*.tmp")) == []


def test_an_error_mid_write_leaves_no_file(tmp_path: Path) -> None:
    def progress(done: int, total: int) -> None:
        raise Boom(done)

    with pytest.raises(Boom):
        render(HEADLINE, tmp_path / "new.gif", progress=progress)
    assert list(tmp_path.iterdir()) == []


def test_missing_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "out.gif"
    done = render(HEADLINE, target)
    assert done.path == target
    with Image.open(target) as image:
        assert image.n_frames == HEADLINE.n_steps
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.gif"]


def test_progress_counts_every_frame(tmp_path: Path) -> None:
    seen: list[int] = []
    render(HEADLINE, tmp_path / "x.gif", progress=lambda done, total: seen.append(done))
    assert seen == list(range(1, HEADLINE.n_steps + 1))


def test_bad_options_fail_before_any_file(tmp_path: Path) -> None:
    for kwargs in ({"duration": -1}, {"hold": -10}, {"loop": -1}, {"cell_size": 2},
                   {"theme": "sepia"}, {"max_frames": HEADLINE.n_steps - 1, "every_step": True}):
        with pytest.raises(OptionError):
            render(HEADLINE, tmp_path / "sub" / "x.gif", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match=r"\.gif"):
        render(HEADLINE, tmp_path / "x.bmp")
    (tmp_path / "dir.gif").mkdir()
    with pytest.raises(OptionError, match="folder"):
        render(HEADLINE, tmp_path / "dir.gif")
    assert [p.name for p in tmp_path.iterdir()] == ["dir.gif"]
    assert list((tmp_path / "dir.gif").iterdir()) == []


# -- Python API: frames ------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS[::3], ids=slug)
def test_frames_match_the_layout(spec: ConvSpec) -> None:
    lay = layout(spec)
    images = list(frames(spec))
    assert len(images) == spec.n_steps
    assert {(image.mode, image.size) for image in images} == {("P", (lay.width, lay.height))}
    assert images[0].tobytes() != images[-1].tobytes()


def test_frames_match_the_gif(tmp_path: Path) -> None:
    spec = ConvSpec(2, 4, 3, 7, padding=2, stride=2, groups=2)
    images = list(frames(spec, cell_size=11, theme="dark"))
    done = render(spec, tmp_path / "x.gif", cell_size=11, theme="dark")
    with Image.open(done.path) as gif:
        for index, image in enumerate(images):
            gif.seek(index)
            assert np.array_equal(np.asarray(gif.convert("RGB")),
                                  np.asarray(image.convert("RGB"))), index


def test_frames_checks_options_at_once() -> None:
    with pytest.raises(OptionError):
        frames(HEADLINE, max_frames=1)
