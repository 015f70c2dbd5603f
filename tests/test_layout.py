"""convgif.layout: pure geometry. Nothing overlaps, everything is on the canvas, in order."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convgif import ConvSpec, SpecError, trace
from convgif.font import line_height, text_width
from convgif.layout import Box, Layout, Text, layout, status_text


def text_box(item: Text) -> Box:
    """The rectangle a line of text covers."""
    return (item.x, item.y, item.x + text_width(item.text, item.size),
            item.y + line_height(item.size))


def placed(lay: Layout) -> list[tuple[str, Box]]:
    """Every grid, text, legend swatch and the status line, named, with its rectangle."""
    items = [(f"input {i}", grid.box) for i, grid in enumerate(lay.inputs)]
    items += [(f"kernel {o},{i}", grid.box) for o, bank in enumerate(lay.kernels)
              for i, grid in enumerate(bank)]
    items += [(f"output {o}", grid.box) for o, grid in enumerate(lay.outputs)]
    items += [(f"text {item.text!r}", text_box(item)) for item in lay.texts]
    for swatch in lay.swatches:
        items += [(f"swatch {swatch.colour}", swatch.box),
                  (f"label {swatch.label.text!r}", text_box(swatch.label))]
    items.append(("status", lay.slots.status))
    return items


def overlap(a: Box, b: Box) -> bool:
    """Whether two rectangles (right and bottom exclusive) share a pixel."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_layout(spec: ConvSpec, lay: Layout) -> None:
    """The layout's promises: sizes, no overlap, on the canvas, left to right, status fits."""
    (hp, wp), (kh, kw), (oh, ow) = spec.padded_size, spec.kernel_size, spec.output_size
    assert len(lay.inputs) == spec.in_channels
    assert len(lay.outputs) == spec.out_channels
    assert [len(bank) for bank in lay.kernels] == [spec.in_per_group] * spec.out_channels
    assert {(g.rows, g.cols, g.cell) for g in lay.inputs} == {(hp, wp, lay.cell)}
    assert {(g.rows, g.cols) for bank in lay.kernels for g in bank} == {(kh, kw)}
    assert {(g.rows, g.cols) for g in lay.outputs} == {(oh, ow)}

    items = placed(lay)
    for name, (left, top, right, bottom) in items:
        assert 0 <= left < right <= lay.width, name
        assert 0 <= top < bottom <= lay.height, name
    for (name_a, a), (name_b, b) in combinations(items, 2):
        assert not overlap(a, b), (name_a, a, name_b, b)

    kernels = [grid for bank in lay.kernels for grid in bank]
    assert max(g.box[2] for g in lay.inputs) < min(g.box[0] for g in kernels)
    assert max(g.box[2] for g in kernels) < min(g.box[0] for g in lay.outputs)
    og = spec.out_per_group
    for channel in range(spec.out_channels):
        if channel % og:  # banks of one group: output channels left to right, rows aligned
            for before, after in zip(lay.kernels[channel - 1], lay.kernels[channel],
                                     strict=True):
                assert before.box[2] < after.box[0] and before.y == after.y
    for before, after in zip(lay.inputs, lay.inputs[1:], strict=False):
        assert before.box[3] < after.box[1]
    for before, after in zip(lay.outputs, lay.outputs[1:], strict=False):
        assert before.box[3] < after.box[1]
    for channel, bank in enumerate(lay.kernels):  # each kernel sits beside its input channel
        group = channel // og
        for i, grid in enumerate(bank):
            beside = lay.inputs[group * spec.in_per_group + i]
            assert beside.box[1] <= grid.box[1] and grid.box[3] <= beside.box[3]

    steps = list(trace(spec))
    status_w = lay.slots.status[2] - lay.slots.status[0]
    for step in (steps[0], steps[-1]):
        assert text_width(status_text(spec, step.index, step.outputs), lay.font_size) <= status_w


@st.composite
def specs(draw: st.DrawFn) -> ConvSpec:
    """Small valid layers of every kind (invalid draws are rejected)."""
    groups = draw(st.integers(1, 3))
    padding = draw(st.one_of(st.tuples(st.integers(0, 3), st.integers(0, 3)),
                             st.sampled_from(["valid", "same"])))
    try:
        return ConvSpec(
            in_channels=groups * draw(st.integers(1, 3)),
            out_channels=groups * draw(st.integers(1, 3)),
            kernel_size=(draw(st.integers(1, 5)), draw(st.integers(1, 5))),
            input_size=(draw(st.integers(1, 20)), draw(st.integers(1, 20))),
            stride=(1, 1) if padding == "same" else (draw(st.integers(1, 3)),
                                                     draw(st.integers(1, 3))),
            padding=padding,
            dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
            groups=groups,
        )
    except SpecError:
        assume(False)
        raise


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(spec=specs(), cell=st.one_of(st.none(), st.integers(4, 40)))
def test_random_layers_lay_out_cleanly(spec: ConvSpec, cell: int | None) -> None:
    lay = layout(spec, cell)
    if cell is not None:
        assert lay.cell == cell
    check_layout(spec, lay)


@pytest.mark.parametrize("spec", [
    ConvSpec(1, 1, 3, (5, 40)),  # wide input
    ConvSpec(3, 2, 3, (40, 5), padding=2),  # tall input
    ConvSpec(12, 6, 3, 7, groups=3, padding=1),  # many channels
    ConvSpec(6, 6, 1, 12, groups=6),  # many groups: the longest status line
    ConvSpec(3, 2, (5, 1), (7, 9)),  # thin kernel
    ConvSpec(2, 3, (1, 5), (7, 9), dilation=(1, 2)),  # flat kernel
    ConvSpec(2, 2, 3, (3, 9)),  # one-row output
    ConvSpec(2, 2, 3, (9, 3)),  # one-column output
    ConvSpec(1, 1, 1, 1),  # the smallest layer
    ConvSpec(3, 8, 3, 64, padding=1),  # large input
    ConvSpec(4, 8, 3, 64, padding="same", dilation=3, groups=2),  # large, dilated, grouped
], ids=lambda spec: spec.slug)
@pytest.mark.parametrize("cell", [None, 6, 20])
def test_awkward_layers_lay_out_cleanly(spec: ConvSpec, cell: int | None) -> None:
    check_layout(spec, layout(spec, cell))


def test_automatic_cell_size_shrinks_for_large_layers() -> None:
    small = layout(ConvSpec(3, 2, 3, 7, padding=1, stride=2, dilation=2))
    large = layout(ConvSpec(3, 8, 3, 64, padding=1))
    assert small.cell == 14
    assert large.cell < small.cell
    assert max(large.width, large.height) <= 1400 or large.cell == 6


def test_cells_are_between_grid_lines() -> None:
    grid = layout(ConvSpec(1, 1, 3, 5), 10).inputs[0]
    left, top, right, bottom = grid.cell_box(1, 2)
    assert (right - left, bottom - top) == (9, 9)
    assert (left - grid.x, top - grid.y) == (2 * 10 + 1, 1 * 10 + 1)
    assert grid.span_box(1, 2, 2, 3) == (left - 1, top - 1, right + 1, bottom + 1)
