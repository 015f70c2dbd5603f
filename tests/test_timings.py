"""Every format's timings, read back from what it wrote: frame times, the hold, the loops.

The GIF, WebP and APNG are decoded by Pillow; the HTML player's timings are read
from its page and then watched in headless Chromium: with the page's timers
replaced by a recorder, the player is stepped through its whole play, and each
frame's time (the hold on the last), the number of plays and the speed control
are what it asked the browser for; its step counter names each step. (The MP4's
packet times are in tests/test_formats.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import Browser, executable
from PIL import Image

import convgif

LAYER = convgif.Conv2d(1, 1, 2, 3)  # 4 frames
DURATION, HOLD, LOOP = 70, 35, 3
needs_chromium = pytest.mark.skipif(executable() is None, reason="no Chromium here")


def pillow_timings(path: Path) -> tuple[list[int], int]:
    """Each frame's duration (ms) and the loop count, as Pillow reads them."""
    with Image.open(path) as image:
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()  # WebP frames say their duration once decoded
            durations.append(int(image.info["duration"]))
        return durations, int(image.info.get("loop", -1))


@pytest.mark.parametrize(("suffix", "last"), [
    (".gif", 110),  # a GIF holds centiseconds: 105 ms rounds, half up, to 11
    (".webp", DURATION + HOLD), (".png", DURATION + HOLD), (".apng", DURATION + HOLD)])
def test_frame_times_hold_and_loops_read_back(suffix: str, last: int, tmp_path: Path) -> None:
    target = tmp_path / f"a{suffix}"
    convgif.render(LAYER, target, duration=DURATION, hold=HOLD, loop=LOOP)
    durations, loop = pillow_timings(target)
    assert durations == [DURATION] * (LAYER.n_steps - 1) + [last]
    # --loop is the times it plays: a GIF stores the repeats after the first play.
    assert loop == (LOOP - 1 if suffix == ".gif" else LOOP)


PAGE_TIMINGS = re.compile(r"const W = (\d+), H = (\d+), N = (\d+), DURATION = (\d+), "
                          r"HOLD = (\d+), LOOP = (\d+);")


def test_the_player_page_holds_the_timings(tmp_path: Path) -> None:
    done = convgif.render(LAYER, tmp_path / "a.html", duration=DURATION, hold=HOLD, loop=LOOP)
    found = PAGE_TIMINGS.search((tmp_path / "a.html").read_text("utf-8"))
    assert found is not None
    assert tuple(int(v) for v in found.groups()) == (
        done.width, done.height, LAYER.n_steps, DURATION, HOLD, LOOP)


# Replaces the page's timers before its script runs: each timer asked for is recorded
# with the step shown, and runs only when the test says.
RECORDER = """
window.__delays = [];
window.__labels = [];
window.__next = null;
window.setTimeout = (callback, ms) => {
  window.__delays.push([Number(document.querySelector('input[type=range]').value), ms]);
  window.__labels.push(document.querySelector('.step').textContent);
  window.__next = callback;
  return 1;
};
window.clearTimeout = () => { window.__next = null; };
"""
RUN_NEXT = ("(() => { const next = window.__next; window.__next = null; if (next) next();"
            " return next !== null; })()")


@needs_chromium
def test_the_player_plays_each_frame_for_its_time_and_stops_after_its_loops(
        tmp_path: Path) -> None:
    duration, hold, loop = 100, 250, 2
    target = tmp_path / "player.html"
    convgif.render(LAYER, target, duration=duration, hold=hold, loop=loop)
    with Browser() as browser:
        browser.page("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
        browser.open(target.as_uri())
        browser.wait_for("document.querySelector('figure').dataset.state === 'ready'")
        for _ in range(10 * LAYER.n_steps * loop):
            if not browser.evaluate(RUN_NEXT):
                break
        played = browser.evaluate("window.__delays")
        # It plays `loop` times, and stops.
        one_play = [[step, duration] for step in range(1, LAYER.n_steps)] + [
            [LAYER.n_steps, duration + hold]]
        assert played == one_play * loop
        # The step counter says the step shown, 1-based.
        assert browser.evaluate("window.__labels") == [
            f"{step} / {LAYER.n_steps}" for step, _ in played]
        assert browser.evaluate("document.querySelector('[data-action=play]').textContent") \
            == "Play"
        # The speed control divides the times.
        browser.press("Home", 36)
        browser.evaluate("(() => { const s = document.querySelector('select'); s.value = '2';"
                         " s.dispatchEvent(new Event('change')); })()")
        browser.evaluate("document.querySelector('[data-action=play]').click()")
        assert browser.evaluate("window.__delays.at(-1)") == [1, duration / 2]
        browser.evaluate("(() => { const s = document.querySelector('select');"
                         " s.value = '0.5'; s.dispatchEvent(new Event('change')); })()")
        assert browser.evaluate("window.__delays.at(-1)") == [1, duration * 2]
        browser.press("End", 35)
        browser.evaluate("document.querySelector('[data-action=play]').click()")
        assert browser.evaluate("window.__delays.at(-1)") == [LAYER.n_steps,
                                                              (duration + hold) * 2]
