"""Real layers: the default ``convgif render`` of layers from well-known networks, measured.

For each layer (ResNet-18's first layer, a CIFAR layer, MobileNet's depthwise layer,
U-Net's up-convolution, max pooling of 64 channels, a speech model's first Conv1d;
the photo as ``--input`` where the layer takes 1 or 3 channels), in one run:

- the whole ``convgif render`` process's time (median of ``--runs``), and its ratio to
  the headline layer's ``convgif render`` measured in the same runs;
- frames, playback seconds (frames x duration + hold), frame size, GIF and WebP bytes;
- how recognisable the photo is: the correlation of the input image's luminance in the
  first frame with the photo resized to the drawn size;
- the last frame: the share of the shown output channels' pixels whose colour is the
  engine's value on the ramp;
- the time of a still of the last step of ResNet's 802,816 steps (every channel).

Usage: ``python benchmarks/real_layers.py [--runs N]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

import convgif
from convgif.draw import Painter
from convgif.draw.images import ImageScene

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "examples" / "inputs" / "grace_hopper.jpg"
LAYERS = [
    ("ResNet-18 conv1", "nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)",
     "--size 224", True),
    ("CIFAR conv", "nn.Conv2d(3, 16, 3, padding=1)", "--size 32", True),
    ("MobileNet depthwise", "nn.Conv2d(32, 32, 3, padding=1, groups=32)", "--size 112", False),
    ("U-Net up-convolution", "nn.ConvTranspose2d(64, 32, 2, stride=2)", "--size 28", False),
    ("max pooling", "nn.MaxPool2d(2, 2)", "--in-channels 64 --size 224", False),
    ("speech Conv1d", "nn.Conv1d(1, 512, 10, stride=5)", "--size 16000", False),
]
STILL = ("nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)",
         "--size 224 --show-out 0:64 --every-step --frame -1")


def arguments(line: str, flags: str, photo: bool) -> list[str]:
    """The ``convgif render`` arguments of one layer."""
    return ["--torch", line, *shlex.split(flags), *(["--input", str(PHOTO)] if photo else [])]


def run(args: list[str], folder: Path) -> float:
    """Seconds one ``convgif`` process takes."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "convgif", *args, "-q"], check=True, cwd=folder,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def painter_of(line: str, flags: str, photo: bool) -> Painter:
    """The painter of one layer's default render, as the command line builds it."""
    words = shlex.split(flags)
    given = dict(zip(words[::2], words[1::2], strict=True))
    size = int(given["--size"])
    channels = int(given["--in-channels"]) if "--in-channels" in given else None
    layer = convgif.layer_from_torch(line, size, channels)
    if not photo:
        return Painter.of(layer, {})
    picture = convgif.read_input(str(PHOTO), size)  # --size N: Resize(N) + CenterCrop(N)
    values = convgif.values_for(layer, input=picture)
    assert values is not None
    return Painter.of(layer, {"values": replace(values, picture=True)})


def photo_correlation(painter: Painter, first: np.ndarray) -> float:
    """The correlation of the drawn input image's luminance with the photo's, resized."""
    values = painter.values
    assert values is not None
    height, width = painter.layer.axes
    area = painter.layout.inputs[0]
    left, top, _, _ = area.cell_box(height.before, width.before)
    _, _, right, bottom = area.cell_box(height.before + height.size - 1,
                                        width.before + width.size - 1)
    drawn = first[top:bottom, left:right].astype(float) @ [0.299, 0.587, 0.114]
    rgb = np.moveaxis(values.input, 0, 2) if values.input.shape[0] == 3 else values.input[0]
    photo = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).convert("L").resize(
        (right - left, bottom - top), Image.Resampling.BILINEAR)
    return float(np.corrcoef(drawn.ravel(), np.asarray(photo, float).ravel())[0, 1])


def last_frame_share(painter: Painter, last: np.ndarray) -> float:
    """The share of shown output pixels whose colour is the engine's value on the ramp."""
    scene = painter.scene
    assert isinstance(scene, ImageScene)
    rgb = np.frombuffer(painter.palette.rgb, np.uint8).reshape(-1, 3)
    right = total = 0
    for channel, (heat, _) in scene.feature_maps.items():
        left, top, r, b = painter.layout.output_grid(channel).box
        right += int((last[top:b, left:r] == rgb[heat]).all(axis=2).sum())
        total += heat.size
    return right / total


def measure(runs: int) -> None:
    """Print the table."""
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        times: dict[str, list[float]] = {name: [] for name, *_ in LAYERS}
        headline: list[float] = []
        ratios: dict[str, list[float]] = {name: [] for name, *_ in LAYERS}
        for _ in range(runs):
            base = run(["render", "-o", "headline.gif"], folder)
            headline.append(base)
            for name, line, flags, photo in LAYERS:
                seconds = run(["render", *arguments(line, flags, photo), "-o", "a.gif"], folder)
                times[name].append(seconds)
                ratios[name].append(seconds / base)
        still = statistics.median(run(["render", "--torch", STILL[0], *shlex.split(STILL[1]),
                                       "--input", str(PHOTO), "-o", "still.png"], folder)
                                  for _ in range(runs))
        for name, line, flags, photo in LAYERS:
            gif = folder / f"{name}.gif"
            webp = folder / f"{name}.webp"
            run(["render", *arguments(line, flags, photo), "-o", str(gif)], folder)
            run(["render", *arguments(line, flags, photo), "-o", str(webp)], folder)
            painter = painter_of(line, flags, photo)
            with Image.open(gif) as image:
                frames, size = image.n_frames, image.size
                durations = []
                for index in range(frames):
                    image.seek(index)
                    durations.append(image.info["duration"])
                    if index == 0:
                        first = np.asarray(image.convert("RGB"))
                last = np.asarray(image.convert("RGB"))
            correlation = f"{photo_correlation(painter, first):.3f}" if photo else "-"
            rows.append((name, f"{painter.schedule.count:,}",
                         f"{statistics.median(times[name]):.2f}",
                         f"{statistics.median(ratios[name]):.1f}x", str(frames),
                         f"{sum(durations) / 1000:.1f}", f"{size[0]}x{size[1]}",
                         f"{gif.stat().st_size:,}", f"{webp.stat().st_size:,}", correlation,
                         f"{last_frame_share(painter, last):.3f}"))
    print(f"headline `convgif render`: {statistics.median(headline):.2f} s (median of {runs})")
    print(f"still of the last of 802,816 steps (every channel): {still:.2f} s\n")
    head = ("layer", "steps shown", "process s", "vs headline", "frames", "playback s",
            "frame px", "GIF bytes", "WebP bytes", "photo r", "last frame on ramp")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    """Parse the options and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each process (median)")
    measure(parser.parse_args().runs)


if __name__ == "__main__":
    main()
