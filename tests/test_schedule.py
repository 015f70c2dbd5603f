"""convgif.schedule: which steps each frame covers; and the channels a picture shows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convgif
from convgif.layers.channels import Channels, channels_for, parse_channels
from convgif.schedule import Frame, plan, steps_range


def test_steps_within_the_budget_get_a_frame_each() -> None:
    schedule = plan(100, 10, 100, 120)
    assert not schedule.sped and len(schedule) == 100
    assert list(schedule.frames) == [Frame(i, i + 1) for i in range(100)]
    assert plan(5000, 10, 100, 120, every_step=True).frames[-1] == Frame(4999, 5000)


@settings(max_examples=300, deadline=None)
@given(count=st.integers(1, 3_000_000), row=st.integers(1, 5000), budget=st.integers(2, 400),
       rows=st.integers(1, 300))
def test_sped_frames_cover_every_step_once_within_the_budget(count: int, row: int,
                                                             budget: int, rows: int) -> None:
    plane = row * rows
    schedule = plan(count, row, plane, budget)
    frames = list(schedule.frames)
    assert frames[0].start == 0
    assert all(a.stop == b.start for a, b in itertools.pairwise(frames))
    if count <= budget:
        assert not schedule.sped and len(frames) == count
        return
    assert schedule.sped and len(frames) <= budget
    assert frames[-1] == Frame(count, count, marks=False)  # the complete output, last
    assert all(frame.size >= 1 and frame.marks for frame in frames[:-1])
    singles = min(max(1, budget // 6), row)
    equal_parts = frames[0].size > 1
    if not equal_parts:  # first the window slides one step a frame
        assert [f.size for f in frames[:singles]] == [1] * singles
        growing = frames[singles:-2]  # the last covering frame may be cut short
        for before, after in itertools.pairwise(growing):
            # Growing, or once shorter to end on a row (channel) boundary.
            assert after.size >= before.size or after.stop % row == 0
        for frame in frames[singles:-2]:
            if frame.size >= plane > 1:
                assert frame.stop % plane == 0  # whole channels
            elif frame.size >= row > 1:
                assert frame.stop % row == 0  # whole output rows


def test_a_real_layer_slides_then_speeds_up_to_whole_rows_and_ends_complete() -> None:
    schedule = plan(802_816, 112, 12_544, 120)
    sizes = [frame.size for frame in schedule.frames]
    assert len(sizes) == 120 and sizes[:20] == [1] * 20 and sizes[20:25] == [2, 3, 4, 6, 8]
    assert max(sizes) >= 112 * 80  # dozens of rows a frame at the end
    assert sizes[-1] == 0 and not schedule.frames[-1].marks


@pytest.mark.parametrize(("text", "expected"), [
    ("1:5", (0, 5)), ("3", (2, 3)), ("2:", (1, 10)), (":4", (0, 4)), (None, (0, 10)),
    ("10:10", (9, 10))])
def test_steps_ranges_count_from_one_ends_included(text: str | None,
                                                   expected: tuple[int, int]) -> None:
    assert steps_range(text, 10) == expected


@pytest.mark.parametrize("text", ["0:3", "5:2", "1:11", "x", "", "1:2:3", "-1"])
def test_bad_steps_ranges_name_the_rule(text: str) -> None:
    with pytest.raises(convgif.OptionError, match=r"steps=.*1 <= A <= B <= 10"):
        steps_range(text, 10)


def test_a_range_of_steps_is_animated_alone() -> None:
    schedule = plan(1000, 10, 100, 120, steps="101:150")
    assert [f.start for f in schedule.frames] == list(range(100, 150))
    sped = plan(1000, 10, 100, 120, steps="101:1000")
    assert sped.sped and sped.frames[0].start == 100 and sped.frames[-1].stop == 1000


@pytest.mark.parametrize(("text", "expected"), [
    ("0:4", (0, 1, 2, 3)), ("0,5,9", (0, 5, 9)), ("3", (3,)), ("0:2,7", (0, 1, 7)),
    (":2", (0, 1)), ("8:", (8, 9)), ([2, 1, 2], (1, 2))])
def test_channels_as_users_write_them(text: str | list[int],
                                      expected: tuple[int, ...]) -> None:
    assert parse_channels(text, 10, "show_out") == expected


@pytest.mark.parametrize("text", ["", "10", "0:11", "4:2", "a", "1;2", "-1", [True]])
def test_bad_channels_name_the_option_and_the_range(text: str | list[bool]) -> None:
    with pytest.raises(convgif.OptionError, match=r"show_out=.*from 0 to 9"):
        parse_channels(text, 10, "show_out")


def test_shown_channels_of_groups() -> None:
    layer = convgif.Conv2d(4, 6, 3, 5, groups=2)  # 2 inputs and 3 outputs a group
    every = channels_for(layer)
    assert every == Channels.every(layer) and every.is_every(layer)
    shown = channels_for(layer, "4")
    assert shown == Channels((4,), (2, 3)) and shown.groups(layer) == (1,)
    assert shown.in_group(layer) == (1,)
    assert (shown.hidden_outputs(layer), shown.hidden_inputs(layer)) == (5, 2)
    with pytest.raises(convgif.OptionError, match="show_in: input channel 0 feeds none"):
        channels_for(layer, "4", "0")
    assert channels_for(layer, "0,4", "0,3").inputs == (0, 3)


def test_steps_are_those_of_the_shown_channels() -> None:
    layer = convgif.Conv2d(2, 4, 3, 5, groups=2)  # 2 outputs a group, 3x3 output
    shown = channels_for(layer, "1,2")  # channel 1 of group 0, channel 0 of group 1
    steps = list(convgif.trace(layer, channels=shown))
    assert len(steps) == 2 * 9
    assert [[o.channel for o in s.outputs] for s in steps[::9]] == [[2], [1]]
    stepper = convgif.trace.__globals__["Stepper"](layer, None, shown)
    for index, step in enumerate(steps):
        assert stepper.step(index) == step  # any step, made directly
