"""Padding as the pictures draw it is torch's ``F.pad``, and every copied-from mark names
the cell whose value the padding holds.

For every padding mode, odd and even kernels (``padding='same'`` puts the odd
extra cell after the input), different padding on the two axes and uneven
padding: the padded input the frames draw (the numbers, and which cells are
padding) equals ``torch.nn.functional.pad`` of the input with the padding the
torch module itself resolves (NumPy's ``np.pad`` with PyTorch's documented rule
where torch is not installed); the number drawn in a padding cell is the number
drawn in its source cell; and in every frame the cells marked "copied from"
are exactly the sources of the padding cells the window reads.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pytest
from kind_strategies import MODES, pair, same_pads

import convgif
from convgif.draw import Painter
from convgif.layers import WindowLayer

HAS_TORCH = importlib.util.find_spec("torch") is not None
NUMPY_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
               "circular": "wrap"}

# (kernel, padding, dilation, input size, input channels) of a Conv2d, then of a Conv1d.
CONV2D = [
    (3, 1, 1, (4, 5), 1),  # odd kernel
    (3, (1, 2), 1, (4, 5), 2),  # more padding on the left and right than on top and bottom
    (4, "same", 1, (5, 6), 1),  # even kernel: one more row below, one more column right
    ((2, 3), "same", (3, 1), (5, 4), 1),  # uneven on one axis only, by dilation
    (2, "same", 1, (3, 4), 1),  # nothing before, one cell after
]
CONV1D = [
    (3, 2, 1, 5, 1),
    (4, "same", 1, 6, 2),  # one cell before, two after
    (2, "same", 3, 5, 1),  # by dilation: one before, two after
]


def conv2d(case: tuple[Any, ...], mode: str) -> convgif.Conv2d:
    kernel, padding, dilation, size, channels = case
    return convgif.Conv2d(channels, 1, kernel, size, padding=padding, dilation=dilation,
                          padding_mode=mode)


def conv1d(case: tuple[Any, ...], mode: str) -> convgif.Conv1d:
    kernel, padding, dilation, size, channels = case
    return convgif.Conv1d(channels, 1, kernel, size, padding=padding, dilation=dilation,
                          padding_mode=mode)


LAYERS = [conv2d(case, mode) for case in CONV2D for mode in MODES] + [
    conv1d(case, mode) for case in CONV1D for mode in MODES]


def pads_of(layer: WindowLayer) -> list[tuple[int, int]]:
    """(before, after) per spatial axis as torch resolves them (PyTorch's documented rule
    where torch is not installed): 'same' puts the odd extra cell after the input."""
    is_1d = isinstance(layer, convgif.Conv1d)
    kernels = [layer.kernel_size] if is_1d else list(pair(layer.kernel_size))
    dilations = [layer.dilation] if is_1d else list(pair(layer.dilation))
    if layer.padding == "same":
        ours = [same_pads(k, d) for k, d in zip(kernels, dilations, strict=True)]
    else:
        amounts = [layer.padding] if is_1d else list(pair(layer.padding))
        ours = [(p, p) for p in amounts]
    if HAS_TORCH:
        import torch

        module_class = torch.nn.Conv1d if is_1d else torch.nn.Conv2d
        module = module_class(layer.in_channels, 1, layer.kernel_size, padding=layer.padding,
                              dilation=layer.dilation, padding_mode=layer.padding_mode)
        # What nn.ConvNd hands F.pad: (left, right) for the last axis first.
        flat = list(module._reversed_padding_repeated_twice)
        theirs = [(flat[i], flat[i + 1]) for i in range(len(flat) - 2, -1, -2)]
        assert theirs == ours
    return ours


def padded_reference(x: np.ndarray, pads: list[tuple[int, int]], mode: str) -> np.ndarray:
    """``x`` (C, *spatial) padded by torch's F.pad (np.pad without torch)."""
    if HAS_TORCH:
        import torch
        import torch.nn.functional as F

        flat = [amount for before_after in reversed(pads) for amount in before_after]
        tensor = torch.from_numpy(np.asarray(x, np.float64))[None]
        return F.pad(tensor, flat, mode="constant" if mode == "zeros" else mode)[0].numpy()
    return np.pad(np.asarray(x, np.float64), [(0, 0), *pads], mode=NUMPY_MODES[mode])


def input_of(layer: WindowLayer) -> dict[str, Any]:
    """Values with every input cell's number its own."""
    shape = layer.input_shape
    return {"input": np.arange(1, int(np.prod(shape)) + 1).reshape(shape)}


def ink(frame: np.ndarray, box: tuple[int, int, int, int], painter: Painter) -> np.ndarray:
    left, top, right, bottom = box
    return np.isin(frame[top:bottom, left:right], painter.palette.ramps["text"])


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.slug)
def test_the_drawn_padding_is_torchs_and_marks_name_their_sources(layer: WindowLayer) -> None:
    painter = Painter.of(layer, input_of(layer))
    values = painter.values
    assert values is not None
    pads = pads_of(layer)
    as_2d = (lambda a: a[:, None, :]) if isinstance(layer, convgif.Conv1d) else (lambda a: a)
    expected = as_2d(padded_reference(values.input, pads, layer.padding_mode))
    assert np.array_equal(values.padded, expected)
    # Where each padded cell's value comes from: an input cell's index, or -1 (zeros).
    spatial = values.input.shape[1:]
    index = np.arange(int(np.prod(spatial)), dtype=np.float64).reshape(1, *spatial)
    source = as_2d(padded_reference(index + 1, pads, layer.padding_mode))[0].astype(int) - 1
    inside = as_2d(padded_reference(np.ones((1, *spatial)), pads, "zeros"))[0] == 1
    if layer.padding_mode == "zeros":
        source[~inside] = -1
    top, left = (0, pads[0][0]) if len(pads) == 1 else (pads[0][0], pads[1][0])
    width = spatial[-1]

    def origin(row: int, col: int) -> tuple[int, int]:
        """The padded cell whose number padded cell (row, col) shows."""
        k = source[row, col]
        return (k // width + top, k % width + left)

    background, colour = painter.scene.background(), painter.palette.index
    assert painter.layout.number_size is not None  # the cells show their numbers
    for channel, cells in enumerate(painter.layout.inputs):
        for (row, col), is_input in np.ndenumerate(inside):
            box = cells.cell_box(row, col)
            is_padding = background[box[1] + 1, box[0] + 1] == colour["padding"]
            assert is_padding == (not is_input), (channel, row, col)
            if not is_input and source[row, col] >= 0:
                assert (ink(background, box, painter)
                        == ink(background, cells.cell_box(*origin(row, col)), painter)).all()
    copied, marks = colour["copied"], 0
    for step, frame in zip(convgif.trace(layer, values), painter.frames(), strict=True):
        wanted = {origin(t.row, t.col) for t in step.taps
                  if not inside[t.row, t.col] and source[t.row, t.col] >= 0}
        for cells in painter.layout.inputs:
            marked = {(row, col) for row in range(cells.rows) for col in range(cells.cols)
                      if (frame[cells.cell_box(row, col)[1]:cells.cell_box(row, col)[3],
                                cells.cell_box(row, col)[0]:cells.cell_box(row, col)[2]]
                          == copied).any()}
            assert marked == wanted, step.index
            marks += len(marked)
    assert (marks > 0) == (layer.padding_mode != "zeros" and not inside.all())
