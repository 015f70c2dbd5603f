"""examples/: each script runs on the public API and writes what it says into a given folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

import convgif

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(script: str, out_dir: Path) -> str:
    """Run ``examples/<script>`` with ``out_dir`` from another folder; return its stdout."""
    done = subprocess.run([sys.executable, str(EXAMPLES / script), str(out_dir)],
                          capture_output=True, text=True, cwd=out_dir.parent, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_render_one_writes_one_gif_per_step(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stdout = run("render_one.py", out)
    spec = convgif.ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=9,
                            stride=(1, 3))
    path = out / f"{spec.slug}.gif"
    assert str(path) in stdout
    with Image.open(path) as gif:
        assert gif.n_frames == spec.n_steps == 42
    assert sorted(p.name for p in out.iterdir()) == [path.name]


def test_frame_strip_holds_the_first_middle_and_last_frames(tmp_path: Path) -> None:
    run("frame_strip.py", tmp_path)
    spec = convgif.ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=7,
                            stride=2, padding=1, dilation=2)
    frames = [frame.convert("RGB") for frame in convgif.frames(spec)]
    width, height = frames[0].size
    with Image.open(tmp_path / "frame-strip.png") as strip:
        assert strip.size == (3 * width + 2 * 8, height)
        for position, index in enumerate((0, 9, 17)):
            left = position * (width + 8)
            piece = strip.convert("RGB").crop((left, 0, left + width, height))
            assert np.array_equal(np.asarray(piece), np.asarray(frames[index]))


def test_explain_layer_prints_and_saves_the_same_text(tmp_path: Path) -> None:
    stdout = run("explain_layer.py", tmp_path)
    text = (tmp_path / "explain.txt").read_text(encoding="utf-8")
    assert text == stdout
    spec = convgif.ConvSpec(in_channels=2, out_channels=4, kernel_size=3, input_size=7,
                            stride=2, padding=2, groups=2)
    lines = text.splitlines()
    assert lines[0] == spec.torch_repr()
    assert spec.formula(0) in lines and spec.formula(1) in lines
    assert ("step 1: out[0,0,0], out[2,0,0] read 9 taps per input channel, 8 of them padding"
            in lines)
    assert lines[-1] == "convgif.conv2d on random data gives shape (4, 5, 5)"
