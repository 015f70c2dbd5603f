"""Arrays from what a user gives: ``.npy`` files, images, number lists, NumPy arrays.

Every reader checks what it reads (real numbers, finite, the dimensions asked
for) and raises :class:`~convgif.layers.OptionError` naming the argument and
the rule, so a bad file never reaches a picture.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

import numpy as np

from .layers import OptionError, Pair

Source = Union[str, os.PathLike, np.ndarray, list, tuple]  # noqa: UP007 (a runtime alias)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def is_picture(source: object) -> bool:
    """Whether ``source`` names an image file (a photo, drawn as one in the image look)."""
    return isinstance(source, (str, os.PathLike)) and Path(source).suffix.lower() in (
        IMAGE_SUFFIXES)


def real_array(name: str, data: object) -> np.ndarray:
    """``data`` as an array of finite real numbers, else an :class:`OptionError` naming ``name``.

    Integers and booleans are kept as they are; floats keep their precision.
    """
    try:
        array = np.asarray(data)
    except (TypeError, ValueError) as error:
        raise OptionError(f"{name} must be an array of numbers ({error})") from None
    if array.dtype.kind not in "biuf":
        raise OptionError(f"{name} must hold real numbers (bool, int or float), "
                          f"not dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "infinite values"
        raise OptionError(f"{name} holds {bad}; every value must be a finite number")
    return array


def _load_npy(name: str, path: Path) -> np.ndarray:
    try:
        loaded = np.load(path, allow_pickle=False)
    except ValueError as error:  # object arrays need pickle, which is never allowed
        raise OptionError(f"{name}={str(path)!r} is not a plain .npy array ({error})") from None
    except OSError as error:
        raise OptionError(f"{name}={str(path)!r} cannot be read: "
                          f"{error.strerror or error}") from None
    if not isinstance(loaded, np.ndarray):
        raise OptionError(f"{name}={str(path)!r} must hold one array, not an archive")
    return real_array(f"{name}={str(path)!r}", loaded)


def _load_image(name: str, path: Path, size: Pair | None) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            grey = image.mode in ("1", "L", "LA", "I", "I;16", "F")
            picture = image.convert("L" if grey else "RGB")
    except (UnidentifiedImageError, OSError) as error:
        reason = getattr(error, "strerror", None) or "not an image Pillow can read"
        raise OptionError(f"{name}={str(path)!r} cannot be read: {reason}") from None
    if size is not None and (picture.height, picture.width) != tuple(size):
        picture = picture.resize((size[1], size[0]), Image.Resampling.BILINEAR)
    array = np.asarray(picture, dtype=np.uint8).astype(np.int64)
    return array[None] if array.ndim == 2 else np.moveaxis(array, 2, 0)


def read_input(source: Source, size: Pair | None = None, name: str = "input") -> np.ndarray:
    """An input as a (C, H, W) array: from a ``.npy`` file, an image or an array.

    A ``.npy`` or array of shape (H, W) is one channel. An image is read as its
    pixel values 0..255: grey images give one channel, colour images three (RGB,
    alpha dropped); ``size`` (H, W) resizes an image, while an array or ``.npy``
    must already have that size.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise OptionError(f"{name}={str(path)!r} is not a file")
        if path.suffix.lower() == ".npy":
            array = _load_npy(name, path)
        else:
            return _load_image(name, path, size)
    else:
        array = real_array(name, source)
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3 or 0 in array.shape:
        raise OptionError(f"{name} must have shape (C, H, W) or (H, W), not {array.shape}")
    if size is not None and array.shape[1:] != tuple(size):
        raise OptionError(
            f"{name} has size {array.shape[1]}x{array.shape[2]}, not the input_size "
            f"{size[0]}x{size[1]} asked for: only images are resized, not arrays")
    return array


def read_array(source: Source, shape: tuple[int, ...], name: str) -> np.ndarray:
    """An array of exactly ``shape``: from a ``.npy`` file, an array, or numbers ``"1,0"``.

    Numbers are given in row-major order (the last axis fastest), as many as the
    shape holds: ``"-1,0,1,-2,0,2,-1,0,1"`` is a (1, 1, 3, 3) kernel.
    """
    if isinstance(source, str) and not source.lower().endswith(".npy"):
        try:
            numbers = [float(part) for part in source.replace(" ", "").split(",") if part]
        except ValueError:
            raise OptionError(f"{name}={source!r} must be a .npy file or numbers "
                              f"separated by commas (e.g. 1,0)") from None
        array = real_array(name, numbers)
        if (array == np.round(array)).all():
            array = array.astype(np.int64)
        if array.size == int(np.prod(shape)):
            array = array.reshape(shape)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise OptionError(f"{name}={str(path)!r} is not a file")
        array = _load_npy(name, path)
    else:
        array = real_array(name, source)
    if array.shape != shape:
        raise OptionError(f"{name} must have shape {shape} for this layer, not {array.shape}")
    return array
