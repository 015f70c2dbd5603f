"""Layers from what users write: a kind's name and its arguments, or a ``torch.nn`` line.

:func:`make_layer` builds a kind from arguments that may be missing (the kind's
defaults fill them), refusing arguments the kind does not take.
:func:`layer_from_torch` reads a line such as ``nn.ConvTranspose2d(2, 1, 3,
stride=2)`` (``torch.nn.`` and a bare class name too) with :mod:`ast`: only
literals are taken, nothing is evaluated. It also reads a live ``torch.nn``
module's arguments (without importing torch).
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

from .base import WindowLayer
from .conv1d import Conv1d
from .conv2d import Conv2d
from .conv_transpose2d import ConvTranspose2d
from .errors import SpecError
from .pooling import AvgPool2d, MaxPool2d, Pool2d

KINDS: dict[str, type[WindowLayer]] = {
    kind.kind: kind for kind in (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, Conv1d)}
IGNORED = ("device", "dtype")  # torch.nn arguments that change nothing convgif shows


def make_layer(kind: str, **arguments: Any) -> WindowLayer:
    """The layer of kind ``kind`` (a name of :data:`KINDS`) from ``arguments``; those
    that are None or missing take the kind's defaults. Raises :class:`SpecError`
    for an unknown kind, an argument the kind does not take, or a layer PyTorch
    refuses."""
    if kind not in KINDS:
        raise SpecError(f"layer={kind!r} must be one of {', '.join(KINDS)}")
    cls = KINDS[kind]
    fields = {flag.field for flag in cls.flags}
    given = {name: value for name, value in arguments.items() if value is not None}
    foreign = [name for name in given if name not in fields]
    if foreign:
        owners = [other for other, kind_class in KINDS.items()
                  if foreign[0] in {flag.field for flag in kind_class.flags}]
        where = f" (an argument of {', '.join(owners)})" if owners else ""
        raise SpecError(f"{foreign[0]}={given[foreign[0]]!r} does not apply to {kind}{where}")
    values = {name: cls.defaults[name] for name in fields if name in cls.defaults}
    return cls(**{**values, **given})


def _torch_class(name: str) -> type[WindowLayer]:
    for cls in KINDS.values():
        if cls.torch_name == name:
            return cls
    known = ", ".join(f"nn.{cls.torch_name}" for cls in KINDS.values())
    raise SpecError(f"torch=nn.{name} is not a layer convgif draws (use {known})")


def _callee(node: ast.expr) -> str:
    """``nn.Conv2d`` / ``torch.nn.Conv2d`` / ``Conv2d`` -> ``Conv2d``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise SpecError("torch= must call a torch.nn layer by name, such as nn.Conv2d(...)")
    parts.append(node.id)
    dotted = list(reversed(parts))
    if dotted[:-1] not in ([], ["nn"], ["torch", "nn"]):
        raise SpecError(f"torch={'.'.join(dotted)} must be nn.X, torch.nn.X or X")
    return dotted[-1]


def _literal(node: ast.expr, what: str) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise SpecError(f"torch: {what} must be a literal (a number, string, tuple, True, "
                        f"False or None), not {ast.unparse(node)!r}") from None


def parse_torch(text: str) -> tuple[type[WindowLayer], dict[str, object]]:
    """The kind and the named arguments of a ``torch.nn`` layer line."""
    if not isinstance(text, str):
        raise SpecError(f"torch={text!r:.60} must be a layer line such as nn.Conv2d(3, 2, 3)")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise SpecError(f"torch={text!r} is not a layer line such as "
                        f"nn.Conv2d(3, 2, 3)") from None
    call = tree.body
    if not isinstance(call, ast.Call):
        raise SpecError(f"torch={text!r} must be a call such as nn.Conv2d(3, 2, 3)")
    cls = _torch_class(_callee(call.func))
    names = cls.torch_parameters
    if len(call.args) > len(names):
        raise SpecError(f"torch: nn.{cls.torch_name} takes at most {len(names)} positional "
                        f"arguments, not {len(call.args)}")
    arguments: dict[str, object] = {}
    for name, node in zip(names, call.args, strict=False):
        if isinstance(node, ast.Starred):
            raise SpecError("torch: *arguments are not taken; write each argument")
        arguments[name] = _literal(node, name)
    for keyword in call.keywords:
        if keyword.arg is None:
            raise SpecError("torch: **arguments are not taken; write each argument")
        if keyword.arg not in names and keyword.arg not in IGNORED:
            raise SpecError(f"torch: nn.{cls.torch_name} takes no argument {keyword.arg!r}")
        if keyword.arg in arguments:
            raise SpecError(f"torch: {keyword.arg} is given twice")
        value = _literal(keyword.value, keyword.arg)
        if keyword.arg not in IGNORED:
            arguments[keyword.arg] = value
    return cls, arguments


def _module_arguments(module: Any) -> tuple[type[WindowLayer], dict[str, object]]:
    """The kind and the arguments of a live ``torch.nn`` module."""
    cls = _torch_class(type(module).__name__)
    arguments: dict[str, object] = {}
    for name in cls.torch_parameters:
        if name == "bias":
            arguments[name] = getattr(module, "bias", None) is not None
        elif hasattr(module, name):
            value = getattr(module, name)
            arguments[name] = tuple(value) if isinstance(value, list) else value
    return cls, arguments


def layer_from_torch(layer: Any, input_size: object, in_channels: int | None = None
                     ) -> WindowLayer:
    """The layer a ``torch.nn`` line (``"nn.Conv2d(3, 2, 3, padding=1)"``) or a live
    ``torch.nn`` module builds, on an input of ``input_size`` (``(H, W)`` or ``H``;
    ``L`` for Conv1d). Pooling layers take no channel count: ``in_channels``
    (default 1) gives it. Raises :class:`SpecError` naming what cannot be taken.
    """
    cls, arguments = (parse_torch(layer) if isinstance(layer, str)
                      else _module_arguments(layer))
    if issubclass(cls, Pool2d):
        arguments["in_channels"] = 1 if in_channels is None else in_channels
    elif in_channels is not None and in_channels != arguments.get("in_channels"):
        raise SpecError(f"in_channels={in_channels} disagrees with the layer's "
                        f"{arguments.get('in_channels')}")
    required = [name for name, parameter in inspect.signature(cls).parameters.items()
                if parameter.default is inspect.Parameter.empty and name != "input_size"]
    missing = [name for name in required if name not in arguments]
    if missing:
        raise SpecError(f"torch: nn.{cls.torch_name} needs {', '.join(missing)}")
    return cls(**arguments, input_size=input_size)  # type: ignore[call-arg]
