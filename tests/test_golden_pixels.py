"""Golden pixels beside the golden bytes: every frame's decoded pixels, hashed.

tests/test_snapshots.py pins the bytes of the article's GIFs, which change
whenever an encoder does. Here each frame of every kind's animation (plain and
with values, both themes, padding modes, ``--scale``) is decoded and its RGB
pixels hashed (manim's frame comparison): a drawing change fails, naming the
first frame that differs, and an encoder change does not (the same hashes come
out of the GIF, the APNG and the WebP). ``tests/fixtures/make_pixels.py``
rewrites ``tests/fixtures/pixels.json`` when a drawing is meant to change.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif.layers import WindowLayer

PIXELS = Path(__file__).resolve().parent / "fixtures" / "pixels.json"
HEADLINE = convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2)
# (name, layer, render options)
CASES: list[tuple[str, WindowLayer, dict[str, Any]]] = [
    ("headline", HEADLINE, {}),
    ("headline dark", HEADLINE, {"theme": "dark"}),
    ("headline values", HEADLINE, {"values": True}),
    ("conv2d reflect values", convgif.Conv2d(2, 2, 3, 5, padding=(1, 2),
                                             padding_mode="reflect"), {"values": True}),
    ("conv2d same even kernel values", convgif.Conv2d(1, 1, 4, 5, padding="same",
                                                      padding_mode="replicate"),
     {"values": True, "seed": 2}),
    ("conv2d scale 2 values", convgif.Conv2d(1, 1, 3, 4, padding=1), {"values": True,
                                                                      "scale": 2}),
    ("conv-transpose2d", convgif.ConvTranspose2d(2, 1, 3, 3, stride=2, padding=1), {}),
    ("conv-transpose2d values", convgif.ConvTranspose2d(2, 4, (2, 3), (3, 2), stride=(1, 2),
                                                        output_padding=(0, 1), groups=2,
                                                        dilation=2), {"values": True}),
    ("max-pool2d ceil", convgif.MaxPool2d(3, 6, 2, stride=2, padding=1, ceil_mode=True), {}),
    ("max-pool2d values", convgif.MaxPool2d(3, 5, 2, stride=2, padding=1),
     {"values": True, "theme": "dark"}),
    ("avg-pool2d values", convgif.AvgPool2d(3, 5, 1, stride=2, padding=1,
                                            count_include_pad=False), {"values": True}),
    ("conv1d", convgif.Conv1d(2, 2, 3, 12, stride=2, padding=1), {}),
    ("conv1d same circular values", convgif.Conv1d(1, 2, 4, 9, padding="same",
                                                   padding_mode="circular"), {"values": True}),
]


def frame_hashes(data: bytes) -> list[str]:
    """Each frame of an animation file, decoded to RGB: its size and the SHA-256 of its
    pixels (16 hex digits)."""
    hashes = []
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            rgb = np.ascontiguousarray(np.asarray(image.convert("RGB")))
            digest = hashlib.sha256(f"{rgb.shape}".encode() + rgb.tobytes()).hexdigest()
            hashes.append(digest[:16])
    return hashes


def rendered(layer: WindowLayer, options: dict[str, Any], format: str = "gif") -> bytes:
    """The animation's bytes in ``format``."""
    buffer = io.BytesIO()
    convgif.render(layer, buffer, format=format, **options)
    return buffer.getvalue()


def golden() -> dict[str, list[str]]:
    return json.loads(PIXELS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_case_has_golden_pixels() -> None:
    assert sorted(golden()) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize(("name", "layer", "options"), CASES, ids=[c[0] for c in CASES])
def test_every_frame_is_drawn_as_before(name: str, layer: WindowLayer,
                                        options: dict[str, Any]) -> None:
    expected = golden()[name]
    hashes = frame_hashes(rendered(layer, options))
    assert len(hashes) == len(expected) == layer.n_steps
    differ = [index + 1 for index, (a, b) in enumerate(zip(hashes, expected, strict=True))
              if a != b]
    assert not differ, f"{name}: frames {differ[:10]} are drawn differently"


@pytest.mark.parametrize("format", ["png", "webp"])
def test_another_encoder_gives_the_same_pixels(format: str) -> None:
    name, layer, options = CASES[2]
    assert frame_hashes(rendered(layer, options, format)) == golden()[name]
