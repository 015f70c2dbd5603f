"""Link lines never cross (or graze) a grid they do not belong to: a kernel not in use, an
output channel the step does not compute. They go round it through the corridors."""

from __future__ import annotations

import numpy as np
import pytest

import convgif
from convgif.draw import Painter
from convgif.layout import Box
from convgif.layout.routes import crosses, first_clear

# The article's layers with more than one kernel in a row (lines had to pass them),
# groups, and values (lines pass behind numbers, not through foreign grids).
LAYERS = [
    (convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2), {}),
    (convgif.Conv2d(1, 4, 3, 7), {}),
    (convgif.Conv2d(3, 4, 3, 7), {}),
    (convgif.Conv2d(2, 4, 3, 7, stride=2, padding=2, groups=2), {}),
    (convgif.Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2), {"values": True}),
    (convgif.Conv2d(4, 4, 3, 5, stride=2, padding=1, groups=2), {"values": True}),
    (convgif.ConvTranspose2d(2, 3, 3, 3, stride=2, padding=1), {}),
]
ROOM = 2  # px a line keeps from a grid that is not its own


def around(box: Box, room: int) -> tuple[slice, slice]:
    left, top, right, bottom = box
    return slice(max(top - room, 0), bottom + room), slice(max(left - room, 0), right + room)


@pytest.mark.parametrize(("layer", "options"), LAYERS,
                         ids=lambda value: getattr(value, "slug", str(value)))
def test_no_line_touches_a_grid_it_does_not_belong_to(layer: convgif.Layer,
                                                      options: dict[str, object]) -> None:
    painter = Painter.of(layer, options)
    lay, link = painter.layout, painter.palette.index["link"]
    stepper = painter.scene.stepper
    for index, (frame, _) in enumerate(painter.frames_with_texts()):
        step = stepper.step(painter.schedule.frames[index].last)
        active = {out.channel for out in step.outputs}
        foreign = [kernel.box for channel, bank in zip(lay.shown.outputs, lay.kernels,
                                                       strict=True)
                   if channel not in active for kernel in bank]
        foreign += [lay.output_grid(c).box for c in lay.shown.outputs if c not in active]
        assert (frame == link).any()
        for box in foreign:
            rows, cols = around(box, ROOM)
            assert not (frame[rows, cols] == link).any(), (index, box)


def test_a_route_is_straight_when_nothing_is_in_the_way() -> None:
    straight, round_ = [(0, 0), (100, 0)], [(0, 0), (0, 20), (100, 20), (100, 0)]
    assert first_clear([straight, round_], [(40, 30, 60, 50)]) == straight
    assert first_clear([straight, round_], [(40, -5, 60, 5)]) == round_
    assert first_clear([straight, round_], [(40, 1, 60, 8)]) == round_  # it would graze it
    assert crosses((0, 0), (10, 10), (4, 4, 6, 6))
    assert not crosses((0, 0), (10, 0), (4, 2, 6, 6))
    assert not crosses((0, 10), (10, 0), (0, 0, 3, 3))
    assert np.isfinite(len(round_))
