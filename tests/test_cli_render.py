"""``convgif render``: the default file, and one-line errors (exit 2) for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from convgif import ConvSpec, OptionError
from convgif.cli import main

HEADLINE_FILE = "in3x7x7_out2x3x3_k3_p1_s2_d2_g1.gif"


def fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the CLI expecting a usage error; return its single stderr line."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("convgif: error: ")
    return lines[0]


def test_render_defaults_write_the_headline_gif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    main(["render"])
    out = capsys.readouterr().out
    frames = ConvSpec(3, 2, 3, 7, stride=2, padding=1, dilation=2).n_steps
    assert HEADLINE_FILE in out
    assert f"({frames} frames" in out
    assert [p.name for p in tmp_path.iterdir()] == [HEADLINE_FILE]
    with Image.open(tmp_path / HEADLINE_FILE) as image:
        assert image.n_frames == frames
        assert image.info["duration"] == 300


def test_render_options_reach_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    target = tmp_path / "deep" / "er" / "x.gif"
    main(["render", "--in-channels", "2", "--out-channels", "4", "-g", "2", "-p", "2", "-s",
          "2", "-d", "1", "--duration", "70", "--hold", "930", "--loop", "3", "--theme",
          "dark", "--cell-size", "9", "-q", "-o", str(target)])
    assert str(target) in capsys.readouterr().out
    with Image.open(target) as image:
        assert image.n_frames == 50
        assert image.info["loop"] == 2  # plays 3 times: the first, then 2 repeats
        assert image.info["duration"] == 70
        image.seek(49)
        assert image.info["duration"] == 1000


@pytest.mark.parametrize(("argv", "words"), [
    (["--in-channels", "3", "-g", "2"], "--groups 2"),
    (["--size", "3", "-k", "5", "-p", "0", "-d", "1"], "--kernel-size 5"),
    (["-k", "0"], "'0'"),
    (["-p", "same", "-s", "2"], "stride"),
    (["--size", "20", "-s", "1", "--max-frames", "100", "--every-step"], "--max-frames 100"),
    (["--cell-size", "120", "--size", "64", "-s", "2"], "px"),
    (["--cell-size", "2"], "--cell-size 2"),
    (["--theme", "sepia"], "sepia"),
    (["--duration", "-5"], "--duration -5"),
    (["--duration", "fast"], "fast"),
    (["--hold", "-1"], "--hold -1"),
    (["--loop", "-1"], "--loop -1"),
    (["--loop", "70000"], "--loop 70000"),
    (["--loop", "often"], "often"),
    (["-o", "/proc/convgif-test/x.gif"], "cannot be written"),
    (["-o", "out.bmp"], ".gif, .webp, .png"),
    (["--no-such-option"], "no-such-option"),
])
def test_render_bad_input_is_one_line(argv: list[str], words: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert words in fails(["render", "-q", *argv], capsys)
    assert list(tmp_path.iterdir()) == []


def test_render_under_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    line = fails(["render", "-o", str(blocker / "x.gif")], capsys)
    assert "cannot be written" in line
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_render_to_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    (tmp_path / "x.gif").mkdir()
    assert "folder" in fails(["render", "-o", str(tmp_path / "x.gif")], capsys)


# -- layer flags not given (issue 23, item 2) --------------------------------------------------


def test_layer_flags_given_take_pytorchs_defaults_for_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A user who gives layer flags gets nn.Conv2d's defaults for the others (stride 1,
    padding 0, dilation 1), not the headline's: the Sobel layer of the issue is 3x3 on 5x5."""
    target = tmp_path / "sobel.gif"
    main(["render", "--in-channels", "1", "--out-channels", "1", "--size", "5", "--weights",
          "-1,0,1,-2,0,2,-1,0,1", "-q", "-o", str(target)])
    assert "(9 frames" in capsys.readouterr().out
    with Image.open(target) as image:
        assert image.n_frames == 9
    main(["shape", "--json", "--input", str(Path(__file__).parents[1] / "examples" / "inputs"
                                                / "square.png")])
    summary = json.loads(capsys.readouterr().out)  # --input gives the channels and the size
    assert (summary["stride"], summary["padding"], summary["dilation"]) == ([1, 1], [0, 0],
                                                                             [1, 1])
    main(["shape", "--json"])  # no layer flag: the article's headline layer
    assert json.loads(capsys.readouterr().out)["torch"] == (
        "nn.Conv2d(3, 2, kernel_size=3, stride=2, padding=1, dilation=2)")


def test_an_error_names_no_value_the_user_did_not_give(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    line = fails(["render", "--size", "3", "-k", "5", "-p", "0"], capsys)
    assert "5x5" in line and "3x3" in line  # the kernel the user gave, on the input given
    assert "(2, 2)" not in line and "dilation 2" not in line and "dilation=2" not in line


# -- words (issue 23, item 9) ---------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "words", "python"), [
    (["--size", "20", "--max-frames", "100", "--every-step"],
     ["--max-frames 100", "raise --max-frames"], "max_frames"),
    (["--cell-size", "2"], ["--cell-size 2 must be"], "cell_size"),
    (["--bias-values", "1,0", "--no-bias"], ["--bias-values 1,0 is given", "--no-bias"],
     "bias_values"),
    (["--in-channels", "3", "-g", "2"], ["--groups 2 must divide --in-channels 3"], "groups="),
    (["-p", "2", "--padding-mode", "reflect", "--size", "2"],
     ["--padding 2", "--padding-mode reflect"], "padding_mode"),
    (["--size", "3", "-k", "5x3", "-d", "1x2"],
     ["--kernel-size 5x3 with --dilation 1x2", "--size 3, --padding 0"], "kernel_size"),
    (["--loop", "-1"], ["--loop -1 must be"], "loop="),
])
def test_command_line_errors_name_the_flags_typed(argv: list[str], words: list[str],
                                                  python: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    line = fails(["render", "-q", *argv], capsys)
    assert all(word in line for word in words), line
    assert python not in line and "=" not in line.split("error: ", 1)[1], line


def test_the_python_api_keeps_python_names(tmp_path: Path) -> None:
    import convgif

    with pytest.raises(convgif.OptionError, match=r"more than max_frames=100: raise max_frames"):
        convgif.render(ConvSpec(3, 2, 3, 20), tmp_path / "x.gif", max_frames=100,
                       every_step=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [
    ["--size", "120", "-s", "4", "--cell-size", "40"],  # too large at 40 px: 10 fits
    ["--size", "500", "-s", "16", "--cell-size", "10"],  # 8 fits, above the smallest (4)
    ["--size", "60", "-s", "3", "--cell-size", "16", "--scale", "4"],  # 4 fits at scale 4
])
def test_the_canvas_error_advises_a_cell_size_that_is_allowed_and_fits(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from convgif.draw import Painter
    from convgif.options import MIN_CELL

    line = fails(["render", "-q", *argv], capsys)
    advice = re.search(r"set (?:--scale (\d+) \(now \d+\) and )?--cell-size (\d+) or less", line)
    assert advice is not None, line
    flags = dict(zip(argv[::2], argv[1::2], strict=True))
    scale, cell = int(advice[1] or flags.get("--scale", 1)), int(advice[2])
    assert cell >= MIN_CELL
    layer = ConvSpec(3, 2, 3, int(flags["--size"]), stride=int(flags["-s"]))
    Painter.of(layer, {"cell_size": cell, "scale": scale})  # fits
    with pytest.raises(OptionError, match="canvas"):
        Painter.of(layer, {"cell_size": cell + 1, "scale": scale})  # the largest that does


# -- small gaps (issue 23, item 10) ---------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_shape_takes_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["shape", "--input", str(ROOT / "examples" / "inputs" / "square.png")])
    assert capsys.readouterr().out.startswith("input        (1, 9, 9), padded to 9x9")
    array = tmp_path / "x.npy"
    np.save(array, np.zeros((2, 5, 6)))
    main(["shape", "--json", "--input", str(array), "-k", "3", "-p", "1"])
    summary = json.loads(capsys.readouterr().out)
    assert (summary["input_shape"], summary["output_shape"]) == ([2, 5, 6], [2, 5, 6])


def _convgif(*args: str, **run: object) -> subprocess.CompletedProcess[bytes]:
    """``python -m convgif ARGS``, its stdout and stderr captured unless ``run`` says."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **run}
    return subprocess.run([sys.executable, "-m", "convgif", *args], timeout=120,
                          **streams)  # type: ignore[call-overload]


@pytest.mark.parametrize("format", [None, "webp", "html"])
def test_render_writes_the_animation_to_standard_output(format: str | None,
                                                        tmp_path: Path) -> None:
    flags = [] if format is None else ["--format", format]
    piped = _convgif("render", "-o", "-", *flags, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.decode().splitlines() == [
        f"standard output (18 frames, 527x570 px, {len(piped.stdout):,} bytes)"]
    written = _convgif("render", *flags, "-q", cwd=tmp_path)  # the default name's format
    name = written.stdout.decode().split()[0]
    assert name == f"in3x7x7_out2x3x3_k3_p1_s2_d2_g1.{format or 'gif'}"
    assert (tmp_path / name).read_bytes() == piped.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_render_refuses_binary_data_to_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    terminal, other_end = pty.openpty()
    try:
        refused = _convgif("render", "-o", "-", cwd=tmp_path, stdout=other_end)
    finally:
        os.close(other_end)
        os.close(terminal)
    assert refused.returncode == 2
    lines = refused.stderr.decode().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and "-o -" in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("argv", "words"), [
    (["--format", "webp", "-o", "x.gif"], "--format webp disagrees with -o x.gif"),
    (["--frame", "1", "-o", "-"], "--frame writes image files"),
    (["--format", "bmp"], "--format"),
])
def test_standard_output_and_format_mistakes_are_one_line(
        argv: list[str], words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert words in fails(["render", "-q", *argv], capsys)
    assert list(tmp_path.iterdir()) == []
