"""The numbers of a forward pass: input, weights, bias, and the outputs the engine computes.

:class:`ValueOptions` declares where the numbers come from (each field carries
its command-line flag); :func:`values_for` turns them into :class:`Values` for
one layer: seeded small integers by default, or arrays and files the user
gives. The outputs and the padded input are the engine's, so every number a
picture or a trace shows is the number ``convgif.conv2d`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .arrays import LAYOUTS, Normalize, Size, Source, is_picture, plain, read_array, read_input
from .engine import (
    avg_pool2d,
    conv1d,
    conv2d,
    conv_transpose2d,
    max_pool2d,
    pad_input,
    source_indices,
)
from .flags import Flag, flag_field
from .kernels import read_weights
from .layers import (
    AvgPool2d,
    Conv1d,
    Conv2d,
    ConvTranspose2d,
    MaxPool2d,
    OptionError,
    WindowLayer,
    is_int,
)

SEEDED_INPUT = (0, 3)  # seeded values: integers in these ranges, inclusive
SEEDED_WEIGHT = (-1, 1)
SEEDED_BIAS = (-1, 1)


@dataclass(frozen=True)
class ValueOptions:
    """Where a picture's or a trace's numbers come from; giving any source turns values on."""

    values: bool | Values = flag_field(False, Flag(
        "values", ("--values",), "switch",
        "Show the numbers: input, weights, products, sum, bias and outputs (seeded small "
        "integers unless --input/--weights/--bias-values give them).", False))
    seed: int = flag_field(0, Flag("seed", ("--seed",), "int",
                                "Seed of the generated values.", 0, "N"))
    input: Source | None = flag_field(None, Flag(
        "input", ("--input",), "text",
        "Input values: an image (grey: 1 channel, RGB: 3, or grey with --in-channels 1), "
        "or a tensor of shape (C, H, W), (H, W), (H, W, 3) or (1, C, H, W) ((C, L) for "
        "Conv1d) in a .npy, .npz, .pt or .safetensors file (FILE:KEY names one); sets "
        "--in-channels and --size unless they are given (--size N resizes an image's "
        "shorter side and cuts the centre, HxW resizes to that).", None, "FILE[:KEY]",
        show_default=False))
    normalize: Normalize | None = flag_field(None, Flag(
        "normalize", ("--normalize",), "text",
        "The input as a network sees it: divided by 255 (images, uint8 arrays), then "
        "(x - mean) / std per channel: imagenet, MEAN,STD or C means then C deviations.",
        None, "imagenet|MEAN,STD", show_default=False))
    input_layout: str | None = flag_field(None, Flag(
        "input_layout", ("--input-layout",), "choice",
        "How a 3-D input array is laid out, when its shape could be either: channels "
        "first or last.", None, choices=LAYOUTS, show_default=False))
    weights: Source | None = flag_field(None, Flag(
        "weights", ("--weights",), "text",
        "Weights: a kernel's name for every output channel, or one name each (identity, "
        "box, gaussian, sobel-x, sobel-y, laplacian, sharpen, outline, emboss; README), a "
        "tensor of the layer's weight shape in a .npy, .npz, .pt or .safetensors file "
        "(FILE:KEY names one, such as model.pt:conv1.weight or model.pt:conv1), or its "
        "numbers row by row such as -1,0,1,-2,0,2,-1,0,1.", None, "NAME|FILE[:KEY]|V,V",
        show_default=False))
    bias_values: Source | None = flag_field(None, Flag(
        "bias_values", ("--bias-values",), "text",
        "Bias values: a tensor of shape (out_channels,) in a tensor file (FILE:KEY, as "
        "--weights), or numbers such as 1,0.", None, "FILE[:KEY]|V,V", show_default=False))

    @classmethod
    def of(cls, options: dict[str, Any]) -> ValueOptions:
        """Options from keyword arguments, an unknown name being an :class:`OptionError`."""
        unknown = sorted(set(options) - set(NAMES))
        if unknown:
            raise OptionError(f"unknown value option {', '.join(map(repr, unknown))} "
                              f"(use {', '.join(NAMES)})")
        return cls(**options)

    @property
    def wanted(self) -> bool:
        """Whether values are asked for: ``values`` or any source given."""
        if not isinstance(self.values, (bool, Values)):
            raise OptionError(f"values={self.values!r:.40} must be True, False or Values")
        if self.input is None and (self.normalize is not None or
                                   self.input_layout is not None):
            given = [f"{name}={value!r}" for name, value in (
                ("normalize", self.normalize), ("input_layout", self.input_layout))
                if value is not None]
            verb = "apply" if len(given) > 1 else "applies"
            raise OptionError(f"{' and '.join(given)} {verb} to an input: give input=FILE too")
        return bool(self.values) or any(source is not None for source in
                                  (self.input, self.weights, self.bias_values))


NAMES: tuple[str, ...] = tuple(f.name for f in fields(ValueOptions))
FLAGS: tuple[Flag, ...] = tuple(f.metadata["flag"] for f in fields(ValueOptions))


@dataclass(frozen=True, eq=False)
class Values:
    """A layer's numbers: ``input`` (C, H, W), ``weight``, ``bias`` (zeros without bias),
    the engine's ``output`` (C_out, H_out, W_out) and ``padded`` input (C, Hp, Wp).

    ``rows``/``cols`` give, for each padded row/column, the input row/column it
    copies (None for zero padding). ``integral`` is whether every number given
    is an integer, so that numbers are shown as integers; ``picture`` whether the
    input is a photo (read from an image file), drawn as one where grids are images.
    """

    layer: WindowLayer
    input: np.ndarray
    weight: np.ndarray
    bias: np.ndarray
    output: np.ndarray
    padded: np.ndarray
    rows: np.ndarray | None
    cols: np.ndarray | None
    integral: bool
    picture: bool = False

    def source(self, row: int, col: int) -> tuple[int, int] | None:
        """The input cell a padding cell (padded coordinates) copies; None for zeros."""
        if self.rows is None or self.cols is None:
            return None
        return int(self.rows[row]), int(self.cols[col])


def _one_dtype(x: np.ndarray, w: np.ndarray, b: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The arrays in the one dtype the engine (as PyTorch) needs: the widest float among
    them (integer pixels meet float32 weights as float32), else their integer type."""
    given = [a.dtype for a in (x, w, b) if a is not None]
    floats = [dtype for dtype in given if dtype.kind in "fc"]
    dtype = np.result_type(*(floats or given))
    return (x.astype(dtype, copy=False), w.astype(dtype, copy=False),
            None if b is None else b.astype(dtype, copy=False))


def _conv2d(layer: Conv2d, x: np.ndarray, w: np.ndarray, b: np.ndarray | None
            ) -> tuple[np.ndarray, np.ndarray]:
    out = conv2d(*_one_dtype(x, w, b), layer.stride, layer.padding, layer.dilation,
                 layer.groups, layer.padding_mode)
    return out, pad_input(x[None], layer)[0]


def _conv1d(layer: Conv1d, x: np.ndarray, w: np.ndarray, b: np.ndarray | None
            ) -> tuple[np.ndarray, np.ndarray]:
    out = conv1d(*_one_dtype(x, w, b), layer.stride, layer.padding, layer.dilation,
                 layer.groups, layer.padding_mode)
    padding = layer.padding if isinstance(layer.padding, str) else (0, layer.padding)
    plane = Conv2d(layer.in_channels, layer.out_channels, (1, layer.kernel_size),
                   (1, layer.input_size), (1, layer.stride), padding, (1, layer.dilation),
                   layer.groups, layer.bias, layer.padding_mode)
    return out[:, None, :], pad_input(x[None, :, None, :], plane)[0]


def _spread(layer: WindowLayer, x: np.ndarray, fill: float) -> np.ndarray:
    """The input as the window reads it: zeros inserted between cells (``spread``),
    padded (or cut) as the axes say, ``fill`` outside."""
    height, width = layer.axes
    padded = np.full((x.shape[0], height.reach, width.reach), fill,
                     np.result_type(x.dtype, np.float64) if fill != 0 else x.dtype)
    rows = [y for y in range(height.reach) if height.is_input(y)]
    cols = [c for c in range(width.reach) if width.is_input(c)]
    if not rows or not cols:  # padding cut every input cell off
        return padded
    first_row, first_col = rows[0] - height.before, cols[0] - width.before
    padded[:, rows[0]:rows[-1] + 1:height.spread, cols[0]:cols[-1] + 1:width.spread] = x[
        :, first_row // height.spread:first_row // height.spread + len(rows),
        first_col // width.spread:first_col // width.spread + len(cols)]
    return padded


def _conv_transpose2d(layer: ConvTranspose2d, x: np.ndarray, w: np.ndarray,
                      b: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    out = conv_transpose2d(*_one_dtype(x, w, b), layer.stride, layer.padding,
                           layer.output_padding, layer.groups, layer.dilation)
    return out, _spread(layer, x, 0)


def _max_pool2d(layer: MaxPool2d, x: np.ndarray, w: np.ndarray, b: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray]:
    out = max_pool2d(x, layer.kernel_size, layer.stride, layer.padding, layer.dilation,
                     layer.ceil_mode)
    return out, _spread(layer, x, -np.inf)


def _avg_pool2d(layer: AvgPool2d, x: np.ndarray, w: np.ndarray, b: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray]:
    out = avg_pool2d(x, layer.kernel_size, layer.stride, layer.padding, layer.ceil_mode,
                     layer.count_include_pad, layer.divisor_override)
    return out, _spread(layer, x, 0)


# Each layer kind's forward pass: (layer, input, weight, bias) -> (output, the input as
# the window reads it: padded, with inserted zeros).
FORWARD: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "conv2d": _conv2d, "conv1d": _conv1d, "conv-transpose2d": _conv_transpose2d,
    "max-pool2d": _max_pool2d, "avg-pool2d": _avg_pool2d}


def _seeded(rng: np.random.Generator, bounds: tuple[int, int], shape: tuple[int, ...]
            ) -> np.ndarray:
    return rng.integers(bounds[0], bounds[1] + 1, size=shape).astype(np.int64)


def values_for(layer: WindowLayer, options: ValueOptions | None = None, **given: Any
               ) -> Values | None:
    """The numbers of ``layer`` from ``options`` (or keyword :class:`ValueOptions` fields).

    None when values are not asked for; ``values`` may also be :class:`Values`
    already made for ``layer``. Arrays not given are seeded small
    integers (``seed``): input 0..3, weights -1..1, bias -1..1. Raises
    :class:`OptionError` naming the argument for a source that does not fit.
    """
    settings = options if options is not None else ValueOptions.of(given)
    if isinstance(settings.values, Values):
        if settings.values.layer != layer:
            raise OptionError("values were made for another layer: values_for(layer, ...) "
                              "makes them for this one")
        return settings.values
    if not settings.wanted:
        return None
    if not is_int(settings.seed) or settings.seed < 0:
        raise OptionError(f"seed={settings.seed!r} must be an integer >= 0")
    rng = np.random.default_rng(settings.seed)
    seeded_x = _seeded(rng, SEEDED_INPUT, layer.input_shape)
    weight_shape = layer.weight_shape or (0,)  # a kind without weights has none to seed
    seeded_w = _seeded(rng, SEEDED_WEIGHT, weight_shape)
    seeded_b = _seeded(rng, SEEDED_BIAS, (layer.n_bias,))
    layout = settings.input_layout
    if layout is None and np.shape(settings.input) == layer.input_shape:  # type: ignore[arg-type]
        layout = "chw"  # already the layer's (C, H, W): nothing to guess
    size: Size | None = None
    if is_picture(settings.input) and layer.spatial_dims == 2:  # a photo takes the layer's size
        high, wide = layer.input_shape[1:]
        size = high if high == wide else (high, wide)
    x = seeded_x if settings.input is None else read_input(
        settings.input, size, channels=layer.in_channels, dims=layer.spatial_dims,
        layout=layout, normalize=settings.normalize)
    if x.shape != layer.input_shape:
        raise OptionError(f"input has shape {x.shape}, but the layer takes "
                          f"{layer.input_shape}: set in_channels and input_size to match "
                          f"(read_input(..., size=N) resizes and crops an image)")
    w = seeded_w if settings.weights is None else read_weights(settings.weights, layer)
    if settings.bias_values is not None and not layer.n_bias:
        shown = settings.bias_values if isinstance(settings.bias_values, str) else "an array"
        raise OptionError(f"bias_values={shown!r:.60} is given, but the layer has "
                          f"bias=False")
    b = seeded_b if settings.bias_values is None else read_array(
        settings.bias_values, (layer.n_bias,), "bias_values", "bias")
    output, padded = FORWARD[layer.kind](layer, x, w, b if layer.n_bias else None)
    n_out = layer.output_shape[0]
    bias = b.astype(output.dtype) if layer.n_bias else np.zeros(n_out, output.dtype)
    # Shown as integers only when every number is one (an average of integers is not).
    finite_out = output[np.isfinite(output)]
    integral = all(bool((a == np.round(a)).all()) for a in (x, w, b, finite_out))
    mode = getattr(layer, "padding_mode", "zeros")
    rows = cols = None
    if mode != "zeros":
        (height, width) = layer.axes
        rows = source_indices(height.size, height.before, height.after, mode)
        cols = source_indices(width.size, width.before, width.after, mode)
    return Values(layer, x, w, bias, output, padded, rows, cols, integral,
                  is_picture(settings.input) and settings.normalize is None)


def fit_input(arguments: dict[str, Any], given: Collection[str], source: Source,
              dims: int = 2, normalize: Normalize | None = None,
              input_layout: str | None = None) -> tuple[dict[str, Any], np.ndarray]:
    """Layer ``arguments`` that take their input's channels and size, and the input.

    ``in_channels`` and ``input_size`` come from ``source`` (see
    :func:`convgif.arrays.read_input`; ``dims`` spatial axes, 1 for Conv1d) unless
    named in ``given``: a given ``input_size`` resizes an image (one number: its
    shorter side, then the centre is cut), a given ``in_channels`` of 1 makes a
    colour image grey, else must match. ``normalize`` and ``input_layout`` are
    :func:`~convgif.arrays.read_input`'s.
    """
    size = arguments["input_size"] if "input_size" in given else None
    wanted = arguments["in_channels"] if "in_channels" in given else None
    array = read_input(source, size, channels=wanted, dims=dims, layout=input_layout,
                       normalize=normalize)
    channels = array.shape[0]
    if wanted is not None and wanted != channels:
        raise OptionError(f"input has {channels} channel{'s' * (channels != 1)}, but "
                          f"in_channels={wanted}: drop in_channels or give an input with "
                          f"that many (a colour picture becomes grey for 1)")
    spatial = array.shape[1] if dims == 1 else array.shape[1:]
    return {**arguments, "in_channels": channels, "input_size": spatial}, array


def values_from_torch(module: Any, layer: WindowLayer, **options: Any) -> Values:
    """``layer``'s values with a live ``torch.nn`` module's weight and bias (see
    :func:`convgif.layer_from_torch`); the input is seeded, or given by ``options``
    (:class:`ValueOptions` fields such as ``input`` or ``seed``)."""
    given: dict[str, Any] = {}
    for name, field_name in (("weight", "weights"), ("bias", "bias_values")):
        tensor = getattr(module, name, None)
        if tensor is not None:
            given[field_name] = plain(tensor)
    values = values_for(layer, values=True, **given, **options)
    assert values is not None  # values=True asks for them
    return values
