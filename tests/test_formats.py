"""WebP, APNG and MP4: each decodes with independent decoders with the right frames and timing.

Pillow and ffmpeg (imageio-ffmpeg's, which decodes animated WebP; and Debian's
ffprobe where installed) read the files; the same arguments give the same
bytes (MP4 included: x264 runs on a fixed thread count); bad input fails in one line.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif.cli import main

HEADLINE = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
HAS_FFMPEG = importlib.util.find_spec("imageio_ffmpeg") is not None


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def ffmpeg_frames_and_seconds(path: Path) -> tuple[int, float]:
    """Frames decoded and the stream's length, as ffmpeg reports them."""
    done = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(path), "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    frames = int(re.findall(r"frame=\s*(\d+)", done.stderr)[-1])
    hours, minutes, seconds = re.findall(r"time=(\d+):(\d+):([\d.]+)", done.stderr)[-1]
    return frames, int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def pillow_frames(path: Path) -> tuple[list[np.ndarray], list[int]]:
    with Image.open(path) as image:
        frames, durations = [], []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()
            frames.append(np.asarray(image.convert("RGB")))
            durations.append(int(image.info["duration"]))
        return frames, durations


@pytest.mark.parametrize("suffix", [".webp", ".png", ".apng"])
def test_webp_and_apng_hold_every_frame_exactly(suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"a{suffix}"
    done = convgif.render(HEADLINE, target, hold=1500, loop=2)
    expected = [np.asarray(f.convert("RGB")) for f in convgif.frames(HEADLINE)]
    frames, durations = pillow_frames(target)
    assert done.frames == len(frames) == HEADLINE.n_steps
    assert all((a == b).all() for a, b in zip(frames, expected, strict=True))  # lossless
    assert durations == [300] * 17 + [1800]
    with Image.open(target) as image:
        assert image.info.get("loop") == 2


@pytest.mark.skipif(not HAS_FFMPEG, reason="imageio-ffmpeg is not installed")
@pytest.mark.parametrize("suffix", [".webp", ".png"])
def test_ffmpeg_decodes_webp_and_apng(suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"a{suffix}"
    convgif.render(HEADLINE, target, hold=1500)
    frames, seconds = ffmpeg_frames_and_seconds(target)
    assert frames == HEADLINE.n_steps
    assert seconds == pytest.approx(17 * 0.3 + 1.8, abs=0.05)


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is not installed")
def test_ffprobe_reads_the_apng(tmp_path: Path) -> None:
    convgif.render(HEADLINE, tmp_path / "a.png")
    probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                            "stream=codec_name,nb_read_frames", "-of", "csv=p=0",
                            str(tmp_path / "a.png")], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == f"apng,{HEADLINE.n_steps}"


@pytest.mark.skipif(not HAS_FFMPEG or shutil.which("ffprobe") is None,
                    reason="needs imageio-ffmpeg and ffprobe")
@pytest.mark.parametrize(("duration", "hold"), [(300, 1500), (250, 100), (70, 1000)])
def test_mp4_keeps_every_frames_time_exactly(duration: int, hold: int, tmp_path: Path) -> None:
    convgif.render(HEADLINE, tmp_path / "a.mp4", duration=duration, hold=hold)
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                            "packet=pts_time,duration_time", "-of", "csv=p=0",
                            str(tmp_path / "a.mp4")], capture_output=True, text=True,
                           check=True).stdout
    packets = sorted((float(a), float(b)) for a, b in
                     (line.split(",") for line in probe.split()))
    assert packets[-1][0] + packets[-1][1] == pytest.approx(
        (HEADLINE.n_steps * duration + hold) / 1000, abs=1e-3)


def test_mp4_keeps_the_gifs_time(tmp_path: Path) -> None:
    done = convgif.render(HEADLINE, tmp_path / "a.mp4", hold=1500)
    assert done.frames == HEADLINE.n_steps
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                            "stream=codec_name,pix_fmt,width,height:format=duration",
                            "-of", "default=nw=1", str(tmp_path / "a.mp4")],
                           capture_output=True, text=True, check=True).stdout
    fields = dict(line.split("=") for line in probe.split())
    assert fields["codec_name"] == "h264" and fields["pix_fmt"] == "yuv420p"
    assert int(fields["width"]) % 2 == 0 and int(fields["height"]) % 2 == 0
    assert float(fields["duration"]) == pytest.approx(17 * 0.3 + 1.8, abs=0.3)  # one frame


@pytest.mark.parametrize("suffix", [".webp", ".png", ".html", *([".mp4"] if HAS_FFMPEG else [])])
def test_same_arguments_same_bytes(suffix: str, tmp_path: Path) -> None:
    layer = convgif.Conv2d(2, 2, 3, 5, padding=1)
    convgif.render(layer, tmp_path / f"a{suffix}", values=True)
    convgif.render(layer, tmp_path / f"b{suffix}", values=True)
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


def test_streams_take_webp_and_apng_but_not_mp4() -> None:
    for name in ("webp", "png"):
        buffer = io.BytesIO()
        convgif.render(HEADLINE, buffer, format=name)
        with Image.open(io.BytesIO(buffer.getvalue())) as image:
            assert image.n_frames == HEADLINE.n_steps
    if HAS_FFMPEG:
        with pytest.raises(convgif.OptionError, match="file name"):
            convgif.render(HEADLINE, io.BytesIO(), format="mp4")


def test_mp4_without_the_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "imageio_ffmpeg" else real(name, *a))
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "-o", str(tmp_path / "a.mp4")])
    assert exit_info.value.code == 2
    line = capsys.readouterr().err.strip()
    assert line == ("convgif: error: writing .mp4 needs the video extra: "
                    "pip install 'convgif[video]'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("argv", "words"), [
    (["-o", "x.bmp"], "must end in"),
    (["-o", "x.webp", "--duration", "0"], "--duration 0"),
    (["-o", "x.png", "--hold", "70000"], "--hold 70000"),
])
def test_bad_format_input_is_one_line(argv: list[str], words: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "-q", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and words in err[0]
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_drawing_stops_the_webp_encoder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from convgif.draw import Painter

    real = Painter.draw
    calls = {"n": 0}

    def failing(self: Painter, step: object) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt
        return real(self, step)  # type: ignore[arg-type]

    monkeypatch.setattr(Painter, "draw", failing)
    (tmp_path / "a.webp").write_bytes(b"earlier")
    with pytest.raises(KeyboardInterrupt):
        convgif.render(HEADLINE, tmp_path / "a.webp")
    assert (tmp_path / "a.webp").read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["a.webp"]
