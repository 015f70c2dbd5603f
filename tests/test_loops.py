"""--loop N plays the animation N times in every format, as browsers play it (issue 23,
item 5): headless Chromium shows GIF, WebP and APNG images and the HTML player, and
the frames it shows over time are counted. Without Chromium the browser tests skip;
what each file stores is checked anyway."""

from __future__ import annotations

import base64
import io
import time
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from browser import Browser, executable
from PIL import Image

import convgif

LAYER = convgif.Conv2d(1, 1, 1, (1, 3))  # three frames
DURATION_MS = 500  # long enough for screenshots to see every frame
PLAYER_MS = 200  # the player's steps are read from its page, not seen
IMAGES = ("gif", "webp", "apng")
needs_chromium = pytest.mark.skipif(executable() is None, reason="no Chromium here")


def _written(folder: Path, plays: int, format: str, duration: int = DURATION_MS) -> Path:
    target = folder / f"plays{plays}.{format}"
    convgif.render(LAYER, target, duration=duration, loop=plays)
    return target


def test_a_gif_stores_the_repeats_after_its_first_play(tmp_path: Path) -> None:
    """A GIF's NETSCAPE count is the repeats after the first play; one play stores none,
    and the default (forever) keeps its count of 0."""
    blocks = {plays: _written(tmp_path, plays, "gif").read_bytes() for plays in (0, 1, 2, 3)}
    assert b"NETSCAPE2.0\x03\x01\x00\x00\x00" in blocks[0]
    assert b"NETSCAPE" not in blocks[1]
    assert b"NETSCAPE2.0\x03\x01\x01\x00\x00" in blocks[2]
    assert b"NETSCAPE2.0\x03\x01\x02\x00\x00" in blocks[3]
    with Image.open(io.BytesIO(blocks[3])) as image:
        assert image.info["loop"] == 2
    assert len(blocks[1]) == len(blocks[0]) - 19  # only the block differs


def _restarts(seen: list[int]) -> int:
    """How many times a sequence of frame indices goes back (a new play starts)."""
    return sum(later < earlier for earlier, later in pairwise(seen))


@needs_chromium
def test_chromium_plays_each_image_format_as_many_times_as_loop_says(tmp_path: Path) -> None:
    expected = [np.asarray(frame.convert("RGB")) for frame in convgif.frames(LAYER)]
    height, width = expected[0].shape[:2]
    plays_of = {_written(tmp_path, plays, format).name: plays
                for plays in (1, 2) for format in IMAGES}
    names = list(plays_of)
    page = tmp_path / "images.html"
    page.write_text("<!DOCTYPE html><body style='margin:0'>" + "".join(
        f'<img src="{name}" style="position:absolute;left:0;top:{i * (height + 10)}px">'
        for i, name in enumerate(names)) + "</body>")
    seen: dict[str, list[int]] = {name: [] for name in names}
    with Browser() as browser:
        browser.open(page.as_uri())
        start = time.monotonic()
        # Two plays take 3 s; look a while longer for a third.
        while time.monotonic() - start < 3 * DURATION_MS * 3 / 1000:
            shot = browser.screenshot({"x": 0, "y": 0, "width": width,
                                       "height": len(names) * (height + 10)},
                                      tmp_path / "shot.png")
            pixels = np.asarray(Image.open(shot).convert("RGB"))
            for i, name in enumerate(names):
                part = pixels[i * (height + 10):i * (height + 10) + height]
                shown = next(k for k, frame in enumerate(expected)
                             if np.array_equal(part, frame))
                if not seen[name] or seen[name][-1] != shown:
                    seen[name].append(shown)
        # What Chromium's own decoder reads (in a secure context: the page), the repeats
        # after the first play.
        for name in names:
            data = base64.b64encode((tmp_path / name).read_bytes()).decode()
            mime = {"gif": "image/gif", "webp": "image/webp", "apng": "image/png"}[
                name.split(".")[1]]
            repeats = browser.evaluate(
                f"(async () => {{ const data = Uint8Array.from(atob('{data}'), c => "
                f"c.charCodeAt(0)); const d = new ImageDecoder({{data, type: '{mime}'}}); "
                f"await d.tracks.ready; return d.tracks.selectedTrack.repetitionCount; }})()")
            assert repeats == plays_of[name] - 1, name
    for name in names:
        assert _restarts(seen[name]) == plays_of[name] - 1, (name, seen[name])
        assert seen[name][-1] == len(expected) - 1, (name, seen[name])  # stopped on the last


@needs_chromium
@pytest.mark.parametrize("plays", [1, 2])
def test_chromium_plays_the_html_player_as_many_times_as_loop_says(plays: int,
                                                                   tmp_path: Path) -> None:
    target = _written(tmp_path, plays, "html", PLAYER_MS)
    with Browser() as browser:
        browser.open(target.as_uri())
        browser.wait_for("document.querySelector('figure').dataset.state === 'ready'")
        browser.evaluate(
            "(() => { window.seen = ['1']; const s = document.querySelector('input[type=range]');"
            " new MutationObserver(() => window.seen.push(s.value)).observe("
            "document.querySelector('.step'), {childList: true, characterData: true,"
            " subtree: true}); })()")
        time.sleep(3 * PLAYER_MS * 3 / 1000)
        seen = [int(v) for v in browser.evaluate("window.seen")]
        button = browser.evaluate("document.querySelector('[data-action=play]').textContent")
    assert seen == [1, 2, 3] * plays
    assert button == "Play"  # it stopped, on the last step
