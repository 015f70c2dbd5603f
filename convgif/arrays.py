"""Arrays from what a user gives: images, tensor files, number lists, NumPy arrays, tensors.

Every reader checks what it reads (real numbers, finite, the dimensions asked
for) and raises :class:`~convgif.layers.OptionError` naming the argument and
the rule, so a bad file never reaches a picture.

Photos are prepared as torchvision prepares them: one size resizes the shorter
side and cuts the centre (``Resize(n)`` then ``CenterCrop(n)``), ``H x W``
resizes to exactly that, bilinear with antialiasing (Pillow's); a colour photo
on a one-channel layer becomes grey by ITU-R BT.601 luma (``0.299 R + 0.587 G +
0.114 B``, as Pillow's ``convert("L")`` and torchvision's ``Grayscale``); and
``normalize`` gives the values a network sees (``ToTensor`` then ``Normalize``:
photos and uint8 arrays divided by 255, then ``(x - mean) / std``, in float32).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Union

import numpy as np

from .checkpoints import pick_tensor, split_source
from .layers import OptionError, Pair, as_pair, is_int

Source = Union[str, os.PathLike, np.ndarray, list, tuple]  # noqa: UP007 (a runtime alias)
Size = Union[int, Pair]  # noqa: UP007
Normalize = Union[str, tuple]  # noqa: UP007
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
LAYOUTS = ("chw", "hwc")
COLOUR_CHANNELS = (3, 4)  # RGB, RGBA: what a channels-last array's last axis holds
# torchvision's ImageNet statistics (the ones its pretrained models were trained with).
NORMALIZE: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "imagenet": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))}
# Pillow's integer BT.601 luma: (R*19595 + G*38470 + B*7471 + 2**15) >> 16.
_LUMA = (19595, 38470, 7471)


def plain(data: object) -> object:
    """A torch tensor as a NumPy array (any device, no grad; bfloat16 as float32)."""
    if hasattr(data, "detach") and hasattr(data, "numpy"):
        tensor: Any = data.detach().cpu()
        if str(tensor.dtype) == "torch.bfloat16":
            tensor = tensor.float()
        return tensor.numpy()
    return data


def is_picture(source: object) -> bool:
    """Whether ``source`` names an image file (a photo, drawn as one in the image look)."""
    return isinstance(source, (str, os.PathLike)) and Path(source).suffix.lower() in (
        IMAGE_SUFFIXES)


def real_array(name: str, data: object) -> np.ndarray:
    """``data`` as an array of finite real numbers, else an :class:`OptionError` naming ``name``.

    Integers and booleans are kept as they are; floats keep their precision; a
    torch tensor is read as its NumPy array.
    """
    try:
        array = np.asarray(plain(data))
    except (TypeError, ValueError) as error:
        raise OptionError(f"{name} must be an array of numbers ({error})") from None
    if array.dtype.kind not in "biuf":
        raise OptionError(f"{name} must hold real numbers (bool, int or float), "
                          f"not dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "infinite values"
        raise OptionError(f"{name} holds {bad}; every value must be a finite number")
    return array


def normalization(name: str, normalize: Normalize) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) per channel, float32, from ``'imagenet'``, ``'MEAN,STD'``, means then
    stds (``'0.5,0.4,0.3,0.2,0.2,0.2'``), or a ``(mean, std)`` pair of numbers or lists."""
    if isinstance(normalize, str):
        text = normalize.strip().lower()
        if text in NORMALIZE:
            return (np.array(NORMALIZE[text][0], np.float32),
                    np.array(NORMALIZE[text][1], np.float32))
        try:
            numbers = [float(part) for part in text.split(",")]
        except ValueError:
            numbers = []
        if not numbers or len(numbers) % 2:
            raise OptionError(f"{name}={normalize!r} must be imagenet, MEAN,STD or C means "
                              f"then C standard deviations, separated by commas")
        half = len(numbers) // 2
        pair: tuple[object, object] = (numbers[:half], numbers[half:])
    elif isinstance(normalize, (tuple, list)) and len(normalize) == 2:
        pair = (normalize[0], normalize[1])
    else:
        raise OptionError(f"{name}={normalize!r:.60} must be 'imagenet', 'MEAN,STD' or a "
                          f"(mean, std) pair")
    mean, std = (real_array(name, item).astype(np.float32).reshape(-1) for item in pair)
    if mean.size != std.size or not mean.size or (std <= 0).any():
        raise OptionError(f"{name}={normalize!r}: as many means as standard deviations, "
                          f"each deviation > 0")
    return mean, std


def _normalized(name: str, array: np.ndarray, normalize: Normalize | None, pixels: bool
                ) -> np.ndarray:
    """``array`` (C, ...) as a network sees it: divided by 255 when it holds ``pixels``
    (a photo's or a uint8 array's), then ``(x - mean) / std`` per channel, float32."""
    if normalize is None:
        return array
    mean, std = normalization("normalize", normalize)
    channels = array.shape[0]
    if mean.size not in (1, channels):
        raise OptionError(f"normalize={normalize!r} gives {mean.size} means, but {name} "
                          f"has {channels} channel{'s' * (channels != 1)}")
    x = array.astype(np.float32)
    if pixels:
        x = x / np.float32(255)
    shape = (-1,) + (1,) * (array.ndim - 1)
    return (x - mean.reshape(shape)) / std.reshape(shape)


def _grey(array: np.ndarray) -> np.ndarray:
    """A (3|4, H, W) colour array as one channel of BT.601 luma (alpha dropped):
    integers rounded as Pillow rounds them, floats exact."""
    r, g, b = array[0], array[1], array[2]
    if array.dtype.kind in "biu":
        luma = (r.astype(np.int64) * _LUMA[0] + g.astype(np.int64) * _LUMA[1]
                + b.astype(np.int64) * _LUMA[2] + (1 << 15)) >> 16
        return luma.astype(array.dtype)[None]
    return (0.299 * r + 0.587 * g + 0.114 * b)[None]


def _resized(height: int, width: int, size: int) -> tuple[int, int]:
    """torchvision's Resize(size): the shorter side to ``size``, the longer in
    proportion (truncated); returns the resized (height, width)."""
    if height <= width:
        return size, int(size * width / height)
    return int(size * height / width), size


def _load_image(name: str, path: Path, size: Size | None, channels: int | None
                ) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            grey = image.mode in ("1", "L", "LA", "I", "I;16", "F") or channels == 1
            picture = image.convert("L" if grey else "RGB")
    except (UnidentifiedImageError, OSError) as error:
        reason = getattr(error, "strerror", None) or "not an image Pillow can read"
        raise OptionError(f"{name}={str(path)!r} cannot be read: {reason}") from None
    if is_int(size):  # torchvision's Resize(size) then CenterCrop(size)
        height, width = _resized(picture.height, picture.width, size)
        if (height, width) != (picture.height, picture.width):
            picture = picture.resize((width, height), Image.Resampling.BILINEAR)
        top, left = round((height - size) / 2), round((width - size) / 2)
        picture = picture.crop((left, top, left + size, top + size))
    elif size is not None:
        wanted = as_pair("input_size", size)
        if (picture.height, picture.width) != wanted:
            picture = picture.resize((wanted[1], wanted[0]), Image.Resampling.BILINEAR)
    array = np.asarray(picture, dtype=np.uint8).astype(np.int64)
    return array[None] if array.ndim == 2 else np.moveaxis(array, 2, 0)


def _channels_first(name: str, array: np.ndarray, layout: str | None, channels: int | None
                    ) -> tuple[np.ndarray, bool]:
    """A 3-D array as (C, H, W), and whether it was channels-last (a photo's layout).

    An (H, W, 3|4) array could be either: ``channels`` picks the reading whose
    channels it matches; else the array is channels-last when its first axis is too
    long to be colour channels (more than 4); else ``layout`` must say.
    """
    if layout is not None and layout not in LAYOUTS:
        raise OptionError(f"input_layout={layout!r} must be chw or hwc")
    first, last = array.shape[0], array.shape[-1]
    if layout is None:
        if last not in COLOUR_CHANNELS:
            layout = "chw"
        elif channels is not None and (channels == first) != (channels == last):
            layout = "chw" if channels == first else "hwc"
        elif first > max(COLOUR_CHANNELS):
            layout = "hwc"
        else:
            raise OptionError(
                f"{name} of shape {array.shape} could be {first} channel{'s' * (first != 1)} "
                f"of {array.shape[1]}x{last} or a {first}x{array.shape[1]} picture of {last} "
                f"channels: give input_layout='chw' or 'hwc' (--input-layout)")
    if layout == "hwc":
        return np.moveaxis(array, -1, 0), True
    return array, False


def _as_input(name: str, array: np.ndarray, dims: int, layout: str | None,
              channels: int | None) -> np.ndarray:
    """An array as an input of ``dims`` spatial axes, channels first: a batch of one
    loses its batch axis; one channel gains its axis; channels-last colour is moved
    (and made grey for one channel, or loses alpha for three)."""
    if array.ndim == dims + 2:
        if array.shape[0] != 1:
            raise OptionError(f"{name} of shape {array.shape} is a batch of "
                              f"{array.shape[0]}: give one item of it, such as x[0]")
        array = array[0]
    forms = "(C, L) or (L,)" if dims == 1 else "(C, H, W), (H, W) or (H, W, 3|4)"
    if array.ndim == dims:
        return array[None]
    if array.ndim != dims + 1 or 0 in array.shape:
        raise OptionError(f"{name} must have shape {forms}, not {array.shape}")
    if dims == 2:
        array, photo = _channels_first(name, array, layout, channels)
        if photo and channels == 1:
            array = _grey(array)
        elif photo and channels == 3 and array.shape[0] == 4:
            array = array[:3]
    return array


def read_input(source: Source, size: Size | None = None, name: str = "input", *,
               channels: int | None = None, dims: int = 2, layout: str | None = None,
               normalize: Normalize | None = None) -> np.ndarray:
    """An input, channels first ((C, H, W); (C, L) for ``dims=1``), from an image, a
    tensor file (``.npy``, ``.npz``, ``.pt``, ``.safetensors``; ``FILE:KEY`` names
    one of its tensors), an array or a tensor.

    An image gives its pixel values 0..255: grey images one channel, colour images
    three (RGB, alpha dropped), or one (grey) when ``channels`` is 1. ``size``
    resizes an image: one number resizes its shorter side and cuts the centre
    square, as torchvision's ``Resize(n)`` + ``CenterCrop(n)``; ``(H, W)`` resizes
    to exactly that; None keeps the image's own size. An array must already have
    its size: (H, W) is one channel, (1, C, H, W) a batch of one; (H, W, 3|4) is
    read channels-last (``layout`` 'chw' or 'hwc' decides a shape that could be
    either). ``normalize`` ('imagenet', 'MEAN,STD' or (mean, std)) gives the values a
    network sees, in float32: images and uint8 arrays are divided by 255 first.
    """
    if isinstance(source, (str, os.PathLike)) and split_source(source) is not None:
        array = real_array(f"{name}={os.fspath(source)!r}", pick_tensor(
            source, name, lambda shape: dims <= len(shape) <= dims + 2,
            f"{dims} to {dims + 2} dimensions"))
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise OptionError(f"{name}={str(path)!r} is not a file")
        if dims != 2:
            raise OptionError(f"{name}={str(path)!r}: this layer's input is (C, L), from a "
                              f"tensor file (.npy, .npz, .pt, .safetensors), not an image")
        array = _load_image(name, path, size, channels)
        return _normalized(name, array, normalize, pixels=True)
    else:
        array = real_array(name, source)
    pixels = array.dtype == np.uint8
    array = _as_input(name, array, dims, layout, channels)
    if size is not None:
        wanted = (size,) if is_int(size) and dims == 1 else as_pair("input_size", size)
        if array.shape[1:] != wanted:
            got, asked = ("x".join(map(str, shape)) for shape in (array.shape[1:], wanted))
            raise OptionError(f"{name} has size {got}, not the input_size {asked} asked "
                              f"for: only images are resized, not arrays")
    return _normalized(name, array, normalize, pixels)


def read_array(source: Source, shape: tuple[int, ...], name: str,
               member: str | None = None) -> np.ndarray:
    """An array of exactly ``shape``: from a tensor file (``.npy``, ``.npz``, ``.pt``,
    ``.safetensors``; ``FILE:KEY`` names one of its tensors, a module's name its
    ``member`` such as ``weight``; without a key, its one tensor of ``shape``), an
    array or tensor, or numbers ``"1,0"``.

    Numbers are given in row-major order (the last axis fastest), as many as the
    shape holds: ``"-1,0,1,-2,0,2,-1,0,1"`` is a (1, 1, 3, 3) kernel.
    """
    if isinstance(source, (str, os.PathLike)) and split_source(source) is not None:
        array = real_array(f"{name}={os.fspath(source)!r}", pick_tensor(
            source, name, lambda found: found == shape, f"shape {shape}", member))
    elif isinstance(source, str):
        try:
            numbers = [float(part) for part in source.replace(" ", "").split(",") if part]
        except ValueError:
            raise OptionError(f"{name}={source!r} must be a tensor file (.npy, .npz, .pt, "
                              f".safetensors; FILE:KEY for one of its tensors) or numbers "
                              f"separated by commas (e.g. 1,0)") from None
        array = real_array(name, numbers)
        if (array == np.round(array)).all():
            array = array.astype(np.int64)
        if array.size == int(np.prod(shape)):
            array = array.reshape(shape)
    elif isinstance(source, os.PathLike):
        raise OptionError(f"{name}={os.fspath(source)!r} must be a tensor file: .npy, .npz, "
                          f".pt, .pth or .safetensors")
    else:
        array = real_array(name, source)
    if array.shape != shape:
        raise OptionError(f"{name} must have shape {shape} for this layer, not {array.shape}")
    return array
