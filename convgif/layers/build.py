"""Layers from what users write: a kind's name and its arguments, or a ``torch.nn`` line.

:func:`make_layer` builds a kind from arguments that may be missing (none given: the
kind's example layer; else PyTorch's defaults fill them), refusing arguments the kind
does not take; :func:`layer_arguments` is its inverse, for command lines.
:func:`layer_from_torch` reads a line such as ``nn.ConvTranspose2d(2, 1, 3,
stride=2)`` (``torch.nn.`` and a bare class name too) with :mod:`ast`: only
literals are taken, nothing is evaluated. It also reads a live ``torch.nn``
module's arguments (without importing torch).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import re
import warnings
from dataclasses import dataclass
from typing import Any

from .base import WindowLayer
from .conv1d import Conv1d
from .conv2d import PADDING_MODES, PADDING_STRINGS, Conv2d
from .conv_transpose2d import ConvTranspose2d
from .errors import SpecError
from .pooling import AvgPool2d, MaxPool2d, Pool2d

KINDS: dict[str, type[WindowLayer]] = {
    kind.kind: kind for kind in (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, Conv1d)}
IGNORED = ("device", "dtype")  # torch.nn arguments that change nothing convgif shows


def _required(cls: type[WindowLayer]) -> list[str]:
    """The constructor's arguments without a default (those PyTorch requires, and the
    input's size)."""
    return [name for name, parameter in inspect.signature(cls).parameters.items()
            if parameter.default is inspect.Parameter.empty]


def make_layer(kind: str, **arguments: Any) -> WindowLayer:
    """The layer of kind ``kind`` (a name of :data:`KINDS`) from ``arguments``.

    With no argument given (all None or missing), the kind's example layer (its
    ``defaults``: for conv2d the article's headline layer). Otherwise arguments not
    given take PyTorch's defaults (the constructor's: stride 1, padding 0, ...), and
    those PyTorch requires (channels, kernel size) and the input's size take the
    example's. Raises :class:`SpecError` for an unknown kind, an argument the kind
    does not take, or a layer PyTorch refuses."""
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
    filled = fields if not given else set(_required(cls))
    values = {name: cls.defaults[name] for name in filled if name in cls.defaults}
    return cls(**{**values, **given})


def layer_arguments(layer: WindowLayer) -> dict[str, object]:
    """The fewest arguments from which :func:`make_layer` builds ``layer`` again, in
    its kind's flag order: none for the kind's example layer, else those that differ
    from what :func:`make_layer` fills in (one required argument when none does)."""
    cls = KINDS[layer.kind]
    if layer == make_layer(layer.kind):
        return {}
    first = _required(cls)[0]
    filled = make_layer(layer.kind, **{first: cls.defaults[first]})
    differing = {flag.field: getattr(layer, flag.field) for flag in cls.flags
                 if getattr(layer, flag.field) != getattr(filled, flag.field)}
    return differing or {first: getattr(layer, first)}


# What print(model) shows before a layer: ``(conv1): `` or ``(0): ``; a dict entry's key.
_PREFIX = re.compile(r"""^\s*(?:\([^()]*\)|(["'])[\w.]*\1)\s*:\s*""")
# Strings print(model) writes unquoted (padding=same), by argument.
_WORDS: dict[str, tuple[str, ...]] = {"padding": PADDING_STRINGS, "padding_mode": PADDING_MODES}


@dataclass(frozen=True)
class TorchLine:
    """A layer line read: its kind, its arguments as given, and ``assumed``: the
    arguments a ``print(model)`` line leaves out, as taken (``ceil_mode=False``)."""

    kind: type[WindowLayer]
    arguments: dict[str, object]
    assumed: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """What was assumed, in a sentence; None when nothing was."""
        if not self.assumed:
            return None
        names = [item.split("=")[0] for item in self.assumed]
        return (f"print(model) leaves out {self.kind.torch_name}'s {_words(names)}: assumed "
                f"{', '.join(self.assumed)} (PyTorch's defaults)")


def _words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _near_miss(word: str, choices: list[str]) -> str | None:
    """The choice ``word`` was probably meant to be (another case, a typo), or None; a
    word that differs only in its digits (``Conv3d``, ``MaxPool1d``) is another layer,
    not a typo."""
    folded = {choice.lower(): choice for choice in choices}
    close = folded.get(word.lower()) or next(iter(difflib.get_close_matches(
        word, choices, n=1, cutoff=0.75)), None)
    if close is not None and re.sub(r"\D", "", close) != re.sub(r"\D", "", word) and (
            re.sub(r"\d", "", close).lower() == re.sub(r"\d", "", word).lower()):
        return None
    return close


def _torch_class(name: str) -> type[WindowLayer]:
    for cls in KINDS.values():
        if cls.torch_name == name:
            return cls
    names = [cls.torch_name for cls in KINDS.values()]
    close = _near_miss(name, names)
    if close:
        raise SpecError(f"torch=nn.{name} is not a layer convgif draws: did you mean "
                        f"nn.{close}?")
    known = ", ".join(f"nn.{name}" for name in names)
    raise SpecError(f"torch=nn.{name} is not a layer convgif draws (use {known})")


def _callee(node: ast.expr) -> tuple[str, bool]:
    """``nn.Conv2d`` / ``torch.nn.Conv2d`` / ``Conv2d`` -> (``Conv2d``, whether bare)."""
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
    return dotted[-1], len(dotted) == 1


def _literal(node: ast.expr, what: str) -> object:
    if isinstance(node, ast.Name) and node.id in _WORDS.get(what, ()):
        return node.id  # print(model) writes padding=same, padding_mode=reflect
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise SpecError(f"torch: {what} must be a literal (a number, string, tuple, True, "
                        f"False or None), not {ast.unparse(node)!r}") from None


def _call(text: str) -> tuple[ast.Call, bool]:
    """The layer's call in a pasted line, and whether the line is as ``print(model)``
    shows it (its ``(name): `` prefix). Takes an expression, an assignment (``self.conv1
    = nn.Conv2d(...)``), an annotated one, a trailing comma and a dict entry's key."""
    source = text.strip()
    printout = _PREFIX.match(source)
    if printout:
        source = source[printout.end():]
    try:
        statements = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: NUL bytes
        raise SpecError(f"torch={text!r} is not a layer line such as "
                        f"nn.Conv2d(3, 2, 3)") from None
    value = statements[0].value if len(statements) == 1 and isinstance(
        statements[0], (ast.Expr, ast.Assign, ast.AnnAssign)) else None
    if isinstance(value, ast.Tuple) and len(value.elts) == 1:  # a trailing comma
        value = value.elts[0]
    if not isinstance(value, ast.Call):
        raise SpecError(f"torch={text!r} must be a call such as nn.Conv2d(3, 2, 3)")
    return value, printout is not None


def parse_torch(text: str) -> TorchLine:
    """The kind and the named arguments of a ``torch.nn`` layer line, as code writes
    it (``nn.Conv2d(3, 2, 3)``, ``self.conv1 = nn.Conv2d(...)``, ``Conv2d(...),``) or
    as ``print(model)`` shows it (``(conv1): Conv2d(3, 2, kernel_size=(3, 3),
    stride=(1, 1), padding=same)``). Only literals are read; nothing is run."""
    if not isinstance(text, str):
        raise SpecError(f"torch={text!r:.60} must be a layer line such as nn.Conv2d(3, 2, 3)")
    call, printout = _call(text)
    name, bare = _callee(call.func)
    cls = _torch_class(name)
    names = cls.torch_parameters
    if len(call.args) > len(names):
        raise SpecError(f"torch: nn.{cls.torch_name} takes at most {len(names)} positional "
                        f"arguments, not {len(call.args)}")
    arguments: dict[str, object] = {}
    for parameter, node in zip(names, call.args, strict=False):
        if isinstance(node, ast.Starred):
            raise SpecError("torch: *arguments are not taken; write each argument")
        arguments[parameter] = _literal(node, parameter)
    for keyword in call.keywords:
        if keyword.arg is None:
            raise SpecError("torch: **arguments are not taken; write each argument")
        if keyword.arg not in names and keyword.arg not in IGNORED:
            close = _near_miss(keyword.arg, [*names, *IGNORED])
            raise SpecError(f"torch: nn.{cls.torch_name} takes no argument {keyword.arg!r}"
                            + (f": did you mean {close}?" if close else ""))
        if keyword.arg in arguments:
            raise SpecError(f"torch: {keyword.arg} is given twice")
        if keyword.arg not in IGNORED:  # dtype=torch.float16, device=device: not read
            arguments[keyword.arg] = _literal(keyword.value, keyword.arg)
    assumed: tuple[str, ...] = ()
    if printout or bare:
        defaults = inspect.signature(cls).parameters
        assumed = tuple(f"{name}={defaults[name].default!r}" for name in cls.printout_omits
                        if name not in arguments)
    return TorchLine(cls, arguments, assumed)


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


def layer_from_torch(layer: Any, input_size: object, in_channels: int | None = None,
                     output_size: object = None) -> WindowLayer:
    """The layer a ``torch.nn`` line (``"nn.Conv2d(3, 2, 3, padding=1)"``, see
    :func:`parse_torch`) or a live ``torch.nn`` module builds, on an input of
    ``input_size`` (``(H, W)`` or ``H``; ``L`` for Conv1d). Pooling layers take no
    channel count: ``in_channels`` (default 1) gives it. ``output_size`` is
    ``ConvTranspose2d.forward``'s. A line as ``print(model)`` shows it warns what it
    assumed (:attr:`TorchLine.note`). Raises :class:`SpecError` naming what cannot be
    taken.
    """
    if isinstance(layer, str):
        line = parse_torch(layer)
        if line.note:
            warnings.warn(line.note, UserWarning, stacklevel=2)
        cls, arguments = line.kind, dict(line.arguments)
    else:
        cls, arguments = _module_arguments(layer)
    if output_size is not None:
        if "output_size" not in inspect.signature(cls).parameters:
            raise SpecError(f"output_size={output_size!r} is an argument of "
                            f"ConvTranspose2d's forward, not of nn.{cls.torch_name}'s")
        arguments["output_size"] = output_size
    if issubclass(cls, Pool2d):
        arguments["in_channels"] = 1 if in_channels is None else in_channels
    elif in_channels is not None and in_channels != arguments.get("in_channels"):
        raise SpecError(f"in_channels={in_channels} disagrees with the layer's "
                        f"{arguments.get('in_channels')}")
    missing = [name for name in _required(cls)
               if name != "input_size" and name not in arguments]
    if missing:
        raise SpecError(f"torch: nn.{cls.torch_name} needs {', '.join(missing)}")
    return cls(**arguments, input_size=input_size)  # type: ignore[call-arg]
