"""convgif.writers: the delta GIF writer round-trips any frames; atomic output is atomic."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from convgif.layers import OptionError
from convgif.writers import atomic_output
from convgif.writers.gif import MAX_DURATION_MS, MIN_DURATION_MS, GifWriter, check_timing


def palette(entries: int) -> bytes:
    """``entries`` distinct RGB colours."""
    rng = np.random.default_rng(entries)
    colours = rng.choice(256 ** 3, size=entries, replace=False)
    return b"".join(int(c).to_bytes(3, "big") for c in colours)


def frame_sequence(height: int, width: int, colours: int, count: int) -> list[np.ndarray]:
    """Frames that change a little, not at all, in one pixel, or everywhere."""
    rng = np.random.default_rng(height * 1000 + width)
    frames = [rng.integers(0, colours, (height, width), dtype=np.uint8)]
    for i in range(1, count):
        frame = frames[-1].copy()
        kind = i % 4
        if kind == 0:
            frame = rng.integers(0, colours, (height, width), dtype=np.uint8)
        elif kind == 1:
            top, left = rng.integers(0, height), rng.integers(0, width)
            frame[top:top + 3, left:left + 5] = rng.integers(0, colours)
        elif kind == 2:
            frame[rng.integers(0, height), rng.integers(0, width)] ^= 1
        frames.append(frame)  # kind 3: unchanged
    return frames


def write(frames: list[np.ndarray], table: bytes, **timing: int) -> bytes:
    """The GIF of ``frames`` in memory."""
    buffer = io.BytesIO()
    writer = GifWriter(buffer, (frames[0].shape[1], frames[0].shape[0]), table, **timing)
    for frame in frames:
        writer.add(frame)
    writer.close()
    assert writer.count == len(frames)
    return buffer.getvalue()


@pytest.mark.parametrize(("height", "width", "entries"), [(1, 1, 4), (7, 13, 32), (40, 3, 256)])
def test_frames_round_trip_through_pillow(height: int, width: int, entries: int) -> None:
    table = palette(entries)
    frames = frame_sequence(height, width, entries - 1, 13)  # the last entry is transparent
    rgb = np.frombuffer(table, np.uint8).reshape(-1, 3)
    with Image.open(io.BytesIO(write(frames, table, duration=40, hold=60, loop=2))) as image:
        assert image.n_frames == len(frames)
        assert image.info["loop"] == 1  # plays twice: one repeat after the first play
        for index, frame in enumerate(frames):
            image.seek(index)
            assert image.info["duration"] == (100 if index == len(frames) - 1 else 40)
            assert np.array_equal(np.asarray(image.convert("RGB")), rgb[frame]), index


def test_later_frames_store_only_what_changed() -> None:
    table = palette(32)
    still = [np.zeros((200, 200), np.uint8)] * 20
    moving = frame_sequence(200, 200, 31, 20)
    assert len(write(still, table)) * 10 < len(write(moving, table))


def test_bad_frames_and_palettes_are_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        GifWriter(io.BytesIO(), (4, 3), palette(4)).add(np.zeros((4, 3), np.uint8))
    for entries in (1, 3, 33):
        with pytest.raises(ValueError, match="palette"):
            GifWriter(io.BytesIO(), (4, 3), palette(entries))


def test_timing_limits() -> None:
    check_timing(MIN_DURATION_MS, 0, 0)
    check_timing(MAX_DURATION_MS, 0, 65_535)
    check_timing(MAX_DURATION_MS - 10, 10, 0)
    for duration, hold, loop in [(-1, 0, 0), (0, 0, 0), (MIN_DURATION_MS - 1, 0, 0),
                                 (MAX_DURATION_MS + 1, 0, 0), (100, -1, 0),
                                 (MAX_DURATION_MS, 10, 0), (100, 0, -1), (100, 0, 65_536)]:
        with pytest.raises(OptionError):
            check_timing(duration, hold, loop)


@pytest.mark.parametrize(("duration", "hold", "delays"),
                         [(25, 0, (3, 3)), (34, 11, (3, 5)), (20, 4, (2, 2)), (125, 0, (13, 13))])
def test_delays_round_to_centiseconds_halves_up(duration: int, hold: int,
                                                delays: tuple[int, int]) -> None:
    buffer = io.BytesIO()
    writer = GifWriter(buffer, (2, 1), bytes(12), duration, hold)
    writer.add(np.zeros((1, 2), np.uint8))
    writer.add(np.ones((1, 2), np.uint8))
    writer.close()
    data = buffer.getvalue()
    found = []
    start = data.find(b"!\xf9\x04")
    while start != -1:
        found.append(int.from_bytes(data[start + 4:start + 6], "little"))
        start = data.find(b"!\xf9\x04", start + 1)
    assert tuple(found) == delays


def test_atomic_output_replaces_the_file_on_success(tmp_path: Path) -> None:
    target = tmp_path / "new" / "x.gif"
    with atomic_output(target) as handle:
        handle.write(b"first")
        assert not target.exists()
    with atomic_output(target) as handle:
        handle.write(b"second")
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["x.gif"]


def test_atomic_output_keeps_the_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "x.gif"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as handle:
        handle.write(b"partial")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.gif"]
