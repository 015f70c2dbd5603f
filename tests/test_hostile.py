"""A hostile user: random and broken arguments, awkward paths, signals, concurrent renders.

Whatever comes in, ``convgif`` exits 0 with a valid file or 2 with one line on
stderr, never with a traceback, and never leaves a partial or temporary file:
an earlier file at the target survives every failure, Ctrl-C and SIGKILL.
The library raises TypeError or ValueError naming the argument.
"""

from __future__ import annotations

import io
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_run import run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

import convgif
from convgif.writers.atomic import remove_stale_temps

# HOSTILE_EXAMPLES=800 runs a longer search locally; the suite runs 60.
HYPOTHESIS = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "60")),
                      deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("convgif: error: "), err
    return lines[0]


def leftovers(folder: Path) -> list[Path]:
    """Temporary files anywhere under ``folder``."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def option_value(options: list[str], name: str, default: str) -> str:
    """The value of option ``name`` among ``options`` (the last one given wins)."""
    values = [options[i + 1] for i, word in enumerate(options[:-1]) if word == name]
    return values[-1] if values else default


def gif_frames(path: Path) -> int:
    with Image.open(path) as image:
        assert image.format == "GIF"
        count = 0
        for count in range(1, image.n_frames + 1):
            image.seek(count - 1)
            image.load()
        return count


# Values a hostile user types: valid ones, edges, junk, unicode, huge numbers.
JUNK = st.sampled_from(["", " ", "-1", "0", "1.5", "nan", "inf", "-inf", "1e9", "3x", "x3",
                        "3,,3", "3x3x3", "٣", "１", "99999999999999999999", "--", "None",
                        "same", "valid", "zeros", "dark", "\x00", "3\n", "0x3"])
def mostly(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``valid`` values, with junk one time in six."""
    return st.integers(0, 5).flatmap(lambda n: JUNK if n == 5 else valid)


PAIRS = st.tuples(st.integers(0, 5), st.integers(0, 5)).map(
    lambda p: f"{p[0]}{'x' if sum(p) % 2 else ','}{p[1]}")
LAYER_FLAGS: dict[str, st.SearchStrategy[str]] = {
    "--in-channels": mostly(st.integers(1, 4).map(str)),
    "--out-channels": mostly(st.integers(1, 4).map(str)),
    "--size": mostly(st.one_of(st.integers(1, 12).map(str), PAIRS)),
    "-k": mostly(st.one_of(st.integers(1, 5).map(str), PAIRS)),
    "-p": mostly(st.one_of(st.integers(0, 3).map(str), PAIRS,
                           st.sampled_from(["same", "valid"]))),
    "-s": mostly(st.one_of(st.integers(1, 9).map(str), PAIRS)),
    "-d": mostly(st.one_of(st.integers(1, 3).map(str), PAIRS)),
    "-g": mostly(st.integers(1, 4).map(str)),
    "--padding-mode": mostly(st.sampled_from(["zeros", "reflect", "replicate", "circular"])),
    "--layer": mostly(st.sampled_from(["conv2d", "conv-transpose2d", "max-pool2d",
                                       "avg-pool2d", "conv1d"])),
    "--output-padding": mostly(st.sampled_from(["0", "1", "1x0", "2"])),
    "--divisor-override": mostly(st.sampled_from(["1", "4", "0", "-2"])),
}
RENDER_FLAGS: dict[str, st.SearchStrategy[str]] = {
    "--max-frames": mostly(st.sampled_from(["150", "100", "40", "18", "17", "1"])),
    "--duration": mostly(st.sampled_from(["20", "100", "655350", "19", "655351"])),
    "--hold": mostly(st.sampled_from(["0", "500", "-1"])),
    "--loop": mostly(st.sampled_from(["0", "1", "65535", "65536"])),
    "--cell-size": mostly(st.sampled_from(["4", "9", "3", "121"])),
    "--theme": mostly(st.sampled_from(["light", "dark"])),
    "--budget": mostly(st.sampled_from(["2", "5", "40", "120", "1"])),
    "--steps": mostly(st.sampled_from(["1:5", "3", "2:", ":4", "0:3", "5:2", "1:99999"])),
    "--show-out": mostly(st.sampled_from(["0", "0:2", "1,0", "3", "0:0", "9"])),
    "--show-in": mostly(st.sampled_from(["0", "0:2", "1", "5"])),
    "--width": mostly(st.sampled_from(["300", "900", "2000", "199"])),
}
SWITCHES = st.lists(st.sampled_from(["--bias", "--no-bias", "--ceil-mode", "--no-ceil-mode",
                                     "--count-include-pad", "--no-count-include-pad"]),
                   max_size=2, unique=True)
GOOD_PATHS = ["out.gif", "with space/out put.gif", "ünï cødé/动画.GIF", "a/b/c/d.gif",
              "x.gif.gif", "-dash.gif"]
BAD_PATHS = ["blocker/x.gif", "out.bmp", "out", "folder", "blocker"]
PATHS = st.integers(0, 3).flatmap(
    lambda n: st.sampled_from(BAD_PATHS if n == 3 else GOOD_PATHS))


@st.composite
def flag_values(draw: st.DrawFn, flags: dict[str, st.SearchStrategy[str]]) -> list[str]:
    """Some of ``flags`` with drawn values, flattened into argv order."""
    chosen = draw(st.lists(st.sampled_from(sorted(flags)), unique=True))
    argv: list[str] = []
    for name in chosen:
        argv += [name, draw(flags[name])]
    return argv


def prepare(folder: Path) -> bytes:
    """A folder with a file in the way, a folder named like a file, and an earlier GIF."""
    folder.mkdir()
    (folder / "blocker").write_text("a file, not a folder")
    (folder / "folder").mkdir()
    earlier = io.BytesIO()
    convgif.render(convgif.Conv2d(1, 1, 1, 1), earlier, format="gif")
    (folder / "out.gif").write_bytes(earlier.getvalue())
    return earlier.getvalue()


@HYPOTHESIS
@given(layer=flag_values(LAYER_FLAGS), switches=SWITCHES, options=flag_values(RENDER_FLAGS),
       path=PATHS, data=st.data())
def test_render_exits_0_with_a_gif_or_2_with_one_line(
        layer: list[str], switches: list[str], options: list[str], path: str,
        data: st.DataObject, tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path_factory.mktemp("hostile") / "work"
    earlier = prepare(folder)
    if "--max-frames" not in options:  # keep valid renders short
        options += ["--max-frames", data.draw(st.sampled_from(["150", "60", "18"]))]
    target = folder / path
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, out, err = run(["render", *layer, *switches, *options, "-q", "-o", str(target)],
                         capsys)
    event(f"exit {code}")
    assert not leftovers(folder)
    if code == 0:
        assert all(line.startswith("note: ") for line in err.splitlines())  # notes only
        shape_code, shape_out, _ = run(["shape", "--json", *layer, *switches], capsys)
        assert shape_code == 0
        steps = json.loads(shape_out)["n_steps"]
        frames = gif_frames(target)
        assert f"({frames} frames" in out
        budget = min(int(option_value(options, "--budget", "120")),
                     int(option_value(options, "--max-frames", "2000")))
        if "--every-step" in options:
            assert frames == steps  # one per step, within --max-frames
        elif not {"--steps", "--show-out", "--show-in", "--width"} & set(options):
            # One per step when they fit the budget; else sped up within it, the
            # complete output last.
            assert frames == steps if steps <= budget else 2 <= frames <= budget
        else:  # a range of steps, or fewer channels to fit a narrower page: their steps
            assert 1 <= frames <= budget
        assert all(p.read_bytes() == content for p, content in before.items() if p != target)
    else:
        assert_one_line_error(code, err)
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
        assert (folder / "out.gif").read_bytes() == earlier


@HYPOTHESIS
@given(layer=flag_values(LAYER_FLAGS), switches=SWITCHES, command=st.sampled_from(
    [["shape"], ["shape", "--json"], ["trace"], ["trace", "--json"]]))
def test_shape_and_trace_exit_0_or_2_with_one_line(
        layer: list[str], switches: list[str], command: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*command, *layer, *switches], capsys)
    if code == 0:
        assert err == "" and out
    else:
        assert_one_line_error(code, err)


@pytest.mark.parametrize("name", ["with space/out file.gif", "ünïcødé/动画.gif",
                                  "missing/folders/all/the/way.gif", "-leading-dash.gif",
                                  "UPPER.GIF"])
def test_awkward_paths_are_written(name: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / name
    code, out, err = run(["render", "--size", "4", "-o", str(target)], capsys)
    assert (code, err) == (0, "")
    assert str(target) in out
    assert gif_frames(target) == convgif.Conv2d(3, 2, 3, 4).n_steps
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("name", ["blocker/x.gif", "blocker/deeper/x.gif", "folder"])
def test_paths_that_cannot_be_files_fail_in_one_line(name: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "work"
    prepare(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    line = assert_one_line_error(*run(["render", "-o", str(folder / name)], capsys)[::2])
    assert "output=" in line or "--output" in line
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind (not root)")
def test_an_unwritable_folder_fails_in_one_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        line = assert_one_line_error(*run(["render", "-o", str(locked / "x.gif")], capsys)[::2])
        assert "cannot be written" in line
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


# A render of 784 frames: a few seconds, long enough to be interrupted mid-way.
LONG_RENDER = ["render", "--in-channels", "1", "--out-channels", "1", "--size", "28", "-k",
               "3", "-p", "1", "-s", "1", "-d", "1", "--max-frames", "1000", "--every-step"]


def start(argv: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "convgif", *argv], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_killed_render_leaves_the_earlier_file_and_nothing_else(
        sent: signal.Signals, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    earlier = prepare(folder)
    process = start([*LONG_RENDER, "-o", "out.gif"], folder)
    assert process.stderr is not None
    # The progress bar's label is written once the first frame is done.
    assert "rendering" in process.stderr.readline()
    process.send_signal(sent)
    _, err = process.communicate(timeout=30)
    if sent == signal.SIGINT:
        assert process.returncode == 130
        assert err.strip().splitlines()[-1] == "convgif: error: interrupted"
        assert "Traceback" not in err
    else:
        assert process.returncode == -signal.SIGKILL
    assert (folder / "out.gif").read_bytes() == earlier
    assert sorted(p.name for p in folder.iterdir()) == ["blocker", "folder", "out.gif"]


def test_temp_files_of_dead_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".out.gif.{gone.stdout.strip()}.k2j3h4g5.tmp"
    alive = tmp_path / f".out.gif.{os.getpid()}.a1b2c3d4.tmp"
    other = tmp_path / f".other.gif.{gone.stdout.strip()}.k2j3h4g5.tmp"
    for path in (stale, alive, other):
        path.write_bytes(b"half a GIF")
    convgif.render(convgif.Conv2d(1, 1, 1, 1), tmp_path / "out.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.gif", alive.name, other.name])
    assert remove_stale_temps(tmp_path / "other.gif") == [other]


def expected_gif(out_channels: int) -> bytes:
    stream = io.BytesIO()
    convgif.render(convgif.Conv2d(1, out_channels, 3, 9, padding=1), stream, format="gif")
    return stream.getvalue()


def concurrent_argv(out_channels: int, target: str) -> list[str]:
    return ["render", "--in-channels", "1", "--out-channels", str(out_channels), "--size",
            "9", "-k", "3", "-p", "1", "-s", "1", "-d", "1", "-q", "-o", target]


def test_four_renders_to_one_target_leave_one_whole_gif(tmp_path: Path) -> None:
    processes = [start(concurrent_argv(n, "same.gif"), tmp_path) for n in (1, 2, 3, 4)]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert (process.returncode, err) == (0, "")
    written = (tmp_path / "same.gif").read_bytes()
    assert written in [expected_gif(n) for n in (1, 2, 3, 4)]
    assert [p.name for p in tmp_path.iterdir()] == ["same.gif"]


def test_eight_renders_to_eight_targets_are_all_whole(tmp_path: Path) -> None:
    processes = {n: start(concurrent_argv(1 + n % 4, f"r{n}.gif"), tmp_path) for n in range(8)}
    for process in processes.values():
        _, err = process.communicate(timeout=60)
        assert (process.returncode, err) == (0, "")
    for n in processes:
        assert (tmp_path / f"r{n}.gif").read_bytes() == expected_gif(1 + n % 4)
    assert len(list(tmp_path.iterdir())) == 8


# The library: every hostile value raises TypeError or ValueError naming its argument.
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 0), st.integers(10**6, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([math.nan, math.inf, 3.0]),
    st.text(max_size=4), st.lists(st.integers(-2, 4), max_size=3).map(tuple),
    st.tuples(st.floats(), st.floats()), st.just(object()), st.just(np.int64(3)),
    st.just(b"3"), st.just([3, 3]), st.just({"h": 3}),
)
LAYER_ARGUMENTS = {"in_channels": 3, "out_channels": 2, "kernel_size": 3, "input_size": 7,
                   "stride": 2, "padding": 1, "dilation": 2, "groups": 1, "bias": True,
                   "padding_mode": "zeros"}


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(LAYER_ARGUMENTS)), value=HOSTILE)
def test_a_hostile_layer_argument_is_named(name: str, value: Any) -> None:
    try:
        layer = convgif.Conv2d(**{**LAYER_ARGUMENTS, name: value})
    except (TypeError, ValueError) as error:
        assert name in str(error)
    else:  # accepted: then it is a layer PyTorch accepts, with sane numbers
        assert layer.n_steps > 0 and all(n > 0 for n in layer.output_shape)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(["duration", "hold", "loop", "cell_size", "theme", "max_frames"]),
       value=HOSTILE)
def test_a_hostile_render_option_is_named(name: str, value: Any) -> None:
    try:
        convgif.render(convgif.Conv2d(1, 1, 1, 2), io.BytesIO(), format="gif", **{name: value})
    except (TypeError, ValueError) as error:
        assert name in str(error)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: convgif.render("conv2d", io.BytesIO(), format="gif"), "layer"),
    (lambda: convgif.render(convgif.Conv2d(1, 1, 1, 2), 5), "target"),
    (lambda: convgif.render(convgif.Conv2d(1, 1, 1, 2), io.BytesIO()), "format"),
    (lambda: convgif.render(convgif.Conv2d(1, 1, 1, 2), io.BytesIO(), format="bmp"),
     "format"),
    (lambda: convgif.render(convgif.Conv2d(1, 1, 1, 2), io.BytesIO(), format="gif", fps=3),
     "fps"),
    (lambda: convgif.frames(None), "layer"),
    (lambda: next(convgif.trace(3)), "layer"),  # type: ignore[arg-type]
    (lambda: convgif.conv2d(np.ones(5), np.ones((1, 1, 1, 1))), "input"),
    (lambda: convgif.conv2d("abc", np.ones((1, 1, 1, 1))), "input"),
    (lambda: convgif.conv2d(np.array([[[[object()]]]]), np.ones((1, 1, 1, 1))), "input"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.array([[[["w"]]]])), "weight"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1))), "weight"),
    (lambda: convgif.conv2d(np.ones((1, 2, 3, 3)), np.ones((1, 1, 1, 1))), "input"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1)), bias=np.ones(3)),
     "bias"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1)), stride=math.nan),
     "stride"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1)), padding=math.inf),
     "padding"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1)), dilation=-math.inf),
     "dilation"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1)), groups=1.0),
     "groups"),
    (lambda: convgif.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 5, 5))), "kernel_size"),
])
def test_library_refusals_name_the_argument(call: Any, name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=name):
        call()


def test_nan_and_inf_data_flow_through_as_in_pytorch() -> None:
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 0, 0], x[0, 0, 3, 3] = math.nan, math.inf
    out = convgif.conv2d(x, np.ones((1, 1, 2, 2)))
    assert math.isnan(out[0, 0, 0, 0]) and math.isinf(out[0, 0, 2, 2])
    assert np.isfinite(out[0, 0, 1, :]).all()
