"""Tensors from the files models are saved in: PyTorch ``.pt``/``.pth``, ``.safetensors``,
``.npz`` and ``.npy``.

A source ``model.pt:conv1.weight`` names a file and, after the last colon, a tensor
in it; :func:`pick_tensor` finds it (a key may leave out leading names, such as a
state dict's ``model.`` prefix, and a module's name stands for its ``weight`` or
``bias``), or, without a key, the one tensor of the shape asked for. PyTorch files
are read with ``torch.load(weights_only=True)``: tensors and plain containers
only, so no pickled object is ever run. torch and safetensors are optional
(``pip install 'convgif[torch]'``, ``'convgif[safetensors]'``); a missing one is a
one-line :class:`~convgif.layers.OptionError` naming it, as is every file that
cannot be read.
"""

from __future__ import annotations

import difflib
import os
import pickle
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .layers import OptionError

TORCH_SUFFIXES = (".pt", ".pth", ".ckpt", ".bin")
TENSOR_SUFFIXES = (*TORCH_SUFFIXES, ".safetensors", ".npz", ".npy")
LISTED = 6  # tensors a message lists before "and N more"


def split_source(source: object) -> tuple[Path, str | None] | None:
    """``(file, key)`` when ``source`` names a tensor file, ``model.pt`` or
    ``model.pt:conv1.weight``; None for anything else (an image, numbers, an array)."""
    if not isinstance(source, (str, os.PathLike)):
        return None
    text = os.fspath(source)
    if Path(text).suffix.lower() in TENSOR_SUFFIXES:
        return Path(text), None
    head, colon, key = text.rpartition(":")
    if colon and Path(head).suffix.lower() in TENSOR_SUFFIXES:
        return Path(head), key
    return None


def _flatten(data: object, prefix: str, tensor: type, into: dict[str, np.ndarray]) -> None:
    """The tensors in nested dicts, lists and tuples, named by their dotted path."""
    if isinstance(data, tensor):
        array: Any = data.detach().cpu()  # type: ignore[attr-defined]
        if str(array.dtype) == "torch.bfloat16":  # NumPy has no bfloat16; float32 is exact
            array = array.float()
        into[prefix] = array.numpy()
    elif isinstance(data, dict):
        for key, value in data.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), tensor, into)
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            _flatten(value, f"{prefix}.{index}" if prefix else str(index), tensor, into)


def _torch_tensors(path: Path, name: str) -> dict[str, np.ndarray]:
    try:
        import torch
    except ImportError:
        raise OptionError(f"{name}: reading {path.name} needs PyTorch: "
                          f"pip install 'convgif[torch]'") from None
    try:
        with warnings.catch_warnings():  # its notes on odd pickles: the error says it
            warnings.simplefilter("ignore")
            data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "Unsupported global" in str(error):
            raise OptionError(
                f"{name}={str(path)!r} holds pickled Python objects, not only tensors: "
                f"convgif never runs them (torch.load(weights_only=True) refused the file); "
                f"save model.state_dict() or a .safetensors file instead") from None
        raise OptionError(f"{name}={str(path)!r} is not a PyTorch file "
                          f"torch.load(weights_only=True) can read: not a checkpoint, or a "
                          f"pickle it refuses (convgif never runs one)") from None
    except Exception as error:  # a file torch cannot read raises anything
        raise OptionError(f"{name}={str(path)!r} is not a PyTorch file "
                          f"torch.load(weights_only=True) can read "
                          f"({type(error).__name__})") from None
    tensors: dict[str, np.ndarray] = {}
    _flatten(data, "", torch.Tensor, tensors)
    return tensors


def _safetensors(path: Path, name: str) -> dict[str, np.ndarray]:
    try:
        from safetensors import safe_open
    except ImportError:
        raise OptionError(f"{name}: reading {path.name} needs safetensors: "
                          f"pip install 'convgif[safetensors]'") from None
    try:
        with safe_open(path, framework="numpy") as file:
            return {key: file.get_tensor(key) for key in file.keys()}
    except TypeError:  # bfloat16, which NumPy lacks
        return _bfloat16_safetensors(path, name)
    except Exception as error:  # SafetensorError and OSError alike
        raise OptionError(f"{name}={str(path)!r} is not a .safetensors file that can be "
                          f"read ({' '.join(str(error).split())[:80]})") from None


def _bfloat16_safetensors(path: Path, name: str) -> dict[str, np.ndarray]:
    """A .safetensors file with bfloat16 tensors, through torch (as float32: exact)."""
    try:
        import torch
        from safetensors.torch import load_file
    except ImportError:
        raise OptionError(f"{name}: {path.name} holds bfloat16 tensors, which need PyTorch: "
                          f"pip install 'convgif[torch]'") from None
    tensors: dict[str, np.ndarray] = {}
    _flatten(load_file(path), "", torch.Tensor, tensors)
    return tensors


def _numpy_arrays(path: Path, name: str) -> dict[str, np.ndarray]:
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return {"": loaded}
        with loaded:
            return {key: loaded[key] for key in loaded.files}
    except ValueError:  # object arrays, or not NumPy's format: pickle is never allowed
        raise OptionError(f"{name}={str(path)!r} is not a plain .npy or .npz file (reading "
                          f"it would need pickle, which convgif never allows)") from None
    except (OSError, EOFError) as error:
        raise OptionError(f"{name}={str(path)!r} cannot be read: "
                          f"{getattr(error, 'strerror', None) or error}") from None


def read_tensors(path: str | os.PathLike, name: str = "file") -> dict[str, np.ndarray]:
    """Every tensor in the file ``path``, by name (``''`` for a ``.npy``'s one array).

    Names are dotted paths through the file's dicts and lists (``model.conv1.weight``
    in ``{"model": state_dict}``). Raises :class:`OptionError` naming ``name`` for a
    file that cannot be read, or holds pickled objects.
    """
    path = Path(path)
    if not path.is_file():
        raise OptionError(f"{name}={str(path)!r} is not a file")
    suffix = path.suffix.lower()
    if suffix not in TENSOR_SUFFIXES:
        raise OptionError(f"{name}={str(path)!r} must be a tensor file: "
                          f"{', '.join(TENSOR_SUFFIXES)}")
    if suffix in TORCH_SUFFIXES:
        return _torch_tensors(path, name)
    if suffix == ".safetensors":
        return _safetensors(path, name)
    return _numpy_arrays(path, name)


def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as Python writes a tuple: ``(8, 3, 3, 3)``, ``(8,)``."""
    return str(tuple(shape))


def listing(tensors: dict[str, np.ndarray], names: list[str] | None = None) -> str:
    """``a (8, 3, 3, 3), b (8,)`` for ``names`` (all by default), the first few."""
    names = list(tensors) if names is None else names
    shown = [f"{key or '(the array)'} {shape_text(tensors[key].shape)}"
             for key in names[:LISTED]]
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(shown) + more


def _matches(tensors: dict[str, np.ndarray], key: str, member: str | None) -> list[str]:
    """The names ``key`` stands for: itself, or a name ending in ``.key``; then
    ``key.member`` the same way (a module's ``weight``)."""
    for wanted in (key, f"{key}.{member}" if member else None):
        if wanted is None:
            continue
        found = [n for n in tensors if n == wanted or n.endswith("." + wanted)]
        if found:
            return [wanted] if wanted in found else found
    return []


def pick_tensor(source: str | os.PathLike, name: str,
                fits: Callable[[tuple[int, ...]], bool], wanted: str,
                member: str | None = None) -> np.ndarray:
    """The tensor ``source`` (``FILE`` or ``FILE:KEY``, see :func:`split_source`) names.

    Without a key, the file's only tensor, else its one tensor for which
    ``fits(shape)`` holds. ``wanted``
    says what fits (``shape (2, 3, 3, 3)``) in messages; ``member`` (``weight``) is
    what a module's name stands for. Raises :class:`OptionError` naming ``name`` and
    listing the tensors that would fit, with their shapes.
    """
    split = split_source(source)
    if split is None:
        raise OptionError(f"{name}={os.fspath(source)!r} must be a tensor file: "
                          f"{', '.join(TENSOR_SUFFIXES)}")
    path, key = split
    tensors = read_tensors(path, name)
    fitting = [n for n, array in tensors.items() if fits(array.shape)]
    those = (f"its tensors of {wanted}: {', '.join(fitting[:LISTED])}"
             + (f" and {len(fitting) - LISTED} more" if len(fitting) > LISTED else "")
             if fitting else f"none is of {wanted}; it holds {listing(tensors)}" if tensors
             else "it holds no tensor")
    label = f"{name}={os.fspath(source)!r}"
    if key is None:
        if len(tensors) == 1:  # a .npy, or a file of one tensor: the caller checks it
            return next(iter(tensors.values()))
        if len(fitting) == 1:
            return tensors[fitting[0]]
        if not fitting:
            raise OptionError(f"{label}: {those}")
        raise OptionError(f"{label}: {those}; choose one with {path.name}:KEY")
    found = _matches(tensors, key, member)
    if not found:
        close = difflib.get_close_matches(key, list(tensors), n=1, cutoff=0.7)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise OptionError(f"{label}: {path.name} has no tensor {key!r}{hint}; {those}")
    if len(found) > 1:
        raise OptionError(f"{label}: {key!r} names {len(found)} tensors "
                          f"({listing(tensors, found)}): give the whole name")
    array = tensors[found[0]]
    if not fits(array.shape):
        raise OptionError(f"{label} has shape {shape_text(array.shape)}, not of {wanted}; "
                          f"{those}")
    return array
