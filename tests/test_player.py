"""The HTML player: a self-contained page that plays, steps and shows the frames exactly.

Headless Chromium (Debian's package, which ``.ci/run`` installs) loads the page
from disk and inside an iframe; a test reads the slider, steps with the arrow
keys and compares a screenshot of the canvas with the frame's own pixels.
Without Chromium those tests skip; the page's structure is checked anyway.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from browser import Browser, executable
from PIL import Image

import convgif
from convgif.draw import Painter

HEADLINE = convgif.Conv2d(3, 2, 3, 7, 2, 1, 2)
needs_chromium = pytest.mark.skipif(executable() is None, reason="no Chromium here")


def rgb_frames(layer: convgif.Conv2d, **options: object) -> list[np.ndarray]:
    return [np.asarray(f.convert("RGB")) for f in convgif.frames(layer, **options)]


def page_parts(path: Path) -> tuple[bytes, list[list[str]]]:
    """The page's inflated frame records and its texts, read as the page's script reads them."""
    page = path.read_text("utf-8")
    packed = re.search(r'id="convgif-frames">(.*?)</script>', page, re.S)
    texts = re.search(r'id="convgif-texts">(.*?)</script>', page, re.S)
    assert packed is not None and texts is not None
    data = zlib.decompress(base64.b64decode("".join(packed.group(1).split())))
    return data, json.loads(texts.group(1))


def decode(data: bytes, width: int, height: int, frames: int) -> list[np.ndarray]:
    """Frames of palette indices from the records, as the player's ``apply`` builds them."""
    canvas = np.zeros((height, width), np.uint8)
    out, p = [], 0
    for _ in range(frames):
        left, top, w, h = struct.unpack_from("<4H", data, p)
        p += 8
        canvas[top:top + h, left:left + w] = np.frombuffer(data, np.uint8, w * h, p).reshape(h, w)
        p += w * h
        out.append(canvas.copy())
    assert p == len(data)
    return out


def test_the_page_holds_every_frame_and_text(tmp_path: Path) -> None:
    target = tmp_path / "a.html"
    done = convgif.render(HEADLINE, target, values=True)
    data, texts = page_parts(target)
    indices = decode(data, done.width, done.height, done.frames)
    painter = Painter.of(HEADLINE, {"values": True})
    expected = list(painter.frames_with_texts())
    assert len(indices) == len(texts) == HEADLINE.n_steps
    for got, text, (frame, lines) in zip(indices, texts, expected, strict=True):
        assert np.array_equal(got, frame)
        assert tuple(text) == lines
    assert texts[0][0].startswith("step 1 of 18")
    assert any("=" in line for line in texts[0][1:])  # the formula, as text


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    target = tmp_path / "a.html"
    convgif.render(HEADLINE, target)
    page = target.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=|https?://|@import|fetch\(""", page)
    assert f"<title>{HEADLINE.caption}</title>" in page
    assert 'max="18"' in page


def test_texts_cannot_end_their_script(tmp_path: Path) -> None:
    from convgif.writers import Header
    from convgif.writers.html import HtmlWriter

    with open(tmp_path / "a.html", "wb") as fp:
        writer = HtmlWriter.open(fp, Header((4, 4), bytes(6), 100, 0, 0, 1, "<b>&"))
        writer.add(np.zeros((4, 4), np.uint8), ("</script><script>alert(1)</script>",))
        writer.close()
    page = (tmp_path / "a.html").read_text()
    assert "</script><script>alert" not in page
    assert "<title>&lt;b&gt;&amp;</title>" in page
    assert page_parts(tmp_path / "a.html")[1] == [["</script><script>alert(1)</script>"]]


def _canvas_clip(browser: Browser) -> dict[str, float]:
    box = browser.evaluate("(() => { const r = document.querySelector('canvas')"
                           ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()")
    return dict(zip(("x", "y", "width", "height"), box, strict=True))


def _frame_index(browser: Browser) -> int:
    return int(browser.evaluate("document.querySelector('input[type=range]').value")) - 1


@needs_chromium
def test_chromium_plays_steps_and_shows_the_frames_exactly(tmp_path: Path) -> None:
    target = tmp_path / "player.html"
    done = convgif.render(HEADLINE, target, values=True, theme="dark")
    expected = rgb_frames(HEADLINE, values=True, theme="dark")
    with Browser() as browser:
        browser.open(target.as_uri())
        browser.wait_for("document.querySelector('figure').dataset.state === 'ready'")
        slider = browser.evaluate(
            "(() => { const s = document.querySelector('input[type=range]');"
            " return [Number(s.min), Number(s.max), Number(s.step)]; })()")
        assert slider[1] - slider[0] + 1 == HEADLINE.n_steps and slider[2] == 1
        # It plays on its own: the step moves.
        browser.wait_for("document.querySelector('input[type=range]').value !== '1'")
        browser.press(" ", 32)  # pause
        assert browser.evaluate("document.querySelector('[data-action=play]').textContent") \
            == "Play"
        browser.press("Home", 36)
        assert _frame_index(browser) == 0
        for _ in range(3):
            browser.press("ArrowRight", 39)
        browser.press("ArrowLeft", 37)
        assert _frame_index(browser) == 2
        shot = browser.screenshot(_canvas_clip(browser), tmp_path / "shot.png")
        text = browser.evaluate("document.querySelector('.text').innerText")
        browser.press("End", 35)
        assert _frame_index(browser) == HEADLINE.n_steps - 1
        last = browser.screenshot(_canvas_clip(browser), tmp_path / "last.png")
        browser.press("ArrowLeft", 37)  # back from the end: seeking replays from a keyframe
        back = browser.screenshot(_canvas_clip(browser), tmp_path / "back.png")
    assert np.array_equal(np.asarray(Image.open(shot).convert("RGB")), expected[2])
    assert np.array_equal(np.asarray(Image.open(last).convert("RGB")), expected[-1])
    assert np.array_equal(np.asarray(Image.open(back).convert("RGB")), expected[-2])
    assert text.splitlines()[0] == f"step 3 of {HEADLINE.n_steps}: computing output[0, 0, 2]"
    assert (done.width, done.height) == expected[0].shape[1::-1]


@needs_chromium
def test_chromium_plays_the_page_inside_an_iframe_and_seeks_past_keyframes(
        tmp_path: Path) -> None:
    layer = convgif.Conv2d(1, 1, 3, (5, 20))  # 54 frames: two keyframes
    target = tmp_path / "player.html"
    convgif.render(layer, target, duration=1000)
    expected = rgb_frames(layer)
    host = tmp_path / "host.html"
    host.write_text(f'<!DOCTYPE html><iframe src="{target.name}" width="900" height="700" '
                    'style="border:0;position:absolute;left:0;top:0"></iframe>')
    with Browser() as browser:
        browser.open(host.as_uri())
        inside = browser.child_frame()
        browser.wait_for("document.querySelector('figure').dataset.state === 'ready'", inside)
        browser.evaluate("document.querySelector('[data-action=play]').click()", inside)
        browser.evaluate("(() => { const s = document.querySelector('input[type=range]');"
                         " s.value = '40'; s.dispatchEvent(new Event('input')); })()", inside)
        browser.evaluate("document.querySelector('[data-action=next]').click()", inside)
        assert browser.evaluate("document.querySelector('input[type=range]').value",
                                inside) == "41"
        box = browser.evaluate("(() => { const r = document.querySelector('canvas')"
                               ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height];"
                               " })()", inside)
        shot = browser.screenshot(dict(zip(("x", "y", "width", "height"), box, strict=True)),
                                  tmp_path / "shot.png")
    assert np.array_equal(np.asarray(Image.open(shot).convert("RGB")), expected[40])


# -- shrunk smooth, enlarged crisp (issue 23, item 7) ---------------------------------------------


def _rendering(browser: Browser, context: int | None = None) -> tuple[str, float]:
    """The canvas's computed image-rendering and its width on the page (CSS px)."""
    return tuple(browser.evaluate(
        "(() => { const c = document.querySelector('canvas'); return "
        "[getComputedStyle(c).imageRendering, c.getBoundingClientRect().width]; })()",
        context))  # type: ignore[return-value]


def _off_palette(shot: Path, palette: np.ndarray) -> float:
    """The share of a screenshot's pixels that are no palette colour (blended ones)."""
    pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3)
    known = (pixels[:, None, :] == palette[None, :, :]).all(axis=2).any(axis=1)
    return float(1 - known.mean())


@needs_chromium
def test_chromium_smooths_a_shrunk_player_and_keeps_an_enlarged_one_crisp(tmp_path: Path
                                                                           ) -> None:
    plain = tmp_path / "player.html"
    done = convgif.render(HEADLINE, plain, values=True)
    sharp = tmp_path / "sharp.html"
    convgif.render(HEADLINE, sharp, values=True, scale=2)
    palette = Painter.of(HEADLINE, {"values": True}).palette.rgb
    colours = np.frombuffer(palette, np.uint8).reshape(-1, 3)
    host = tmp_path / "narrow.html"
    host.write_text(f'<!DOCTYPE html><body style="margin:0"><iframe src="{plain.name}" '
                    'width="300" height="900" style="border:0;display:block"></iframe>')
    ready = "document.querySelector('figure').dataset.state === 'ready'"
    with Browser() as browser:
        browser.open(host.as_uri())  # shrunk into a narrow column
        inside = browser.child_frame()
        browser.wait_for(ready, inside)
        browser.evaluate("document.querySelector('[data-action=play]').click()", inside)
        rendering, width = _rendering(browser, inside)
        box = browser.evaluate("(() => { const r = document.querySelector('canvas')"
                               ".getBoundingClientRect(); return [r.x, r.y, r.width, r.height];"
                               " })()", inside)
        shrunk = browser.screenshot(dict(zip(("x", "y", "width", "height"), box, strict=True)),
                                    tmp_path / "shrunk.png")
        assert width < done.width and rendering == "auto"
        assert _off_palette(shrunk, colours) > 0.05  # lines and digits blended, not dropped

        browser.page("Emulation.setDeviceMetricsOverride", width=1400, height=1400,
                     deviceScaleFactor=2, mobile=False)
        browser.open(plain.as_uri())  # a high-density screen: each pixel drawn 2x2
        browser.wait_for(ready)
        assert _rendering(browser) == ("pixelated", done.width)
        browser.open(sharp.as_uri())  # --scale 2: its pixels at the scale-1 width
        browser.wait_for(ready)
        assert _rendering(browser) == ("pixelated", done.width)
        browser.page("Emulation.setDeviceMetricsOverride", width=1400, height=1400,
                     deviceScaleFactor=1, mobile=False)
        browser.open(sharp.as_uri())  # --scale 2 on a plain screen: shown at half its pixels
        browser.wait_for(ready)
        assert _rendering(browser) == ("auto", done.width)
