"""Command-line flags declared beside what they set (layer fields, render options).

A :class:`Flag` says how one field is written on the command line: its names,
the kind of value, its default there, a metavar and a help text. ``convgif.cli``
turns each into a Click option, and the gallery writes command lines from the
same declarations, so a field and its flag are declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Kinds of value a flag takes:
#   "count"  an integer >= 1          "int"     any integer
#   "pair"   3, 3,2 or 3x2 (>= 1)     "padding" like pair (>= 0), or 'same'/'valid'
#   "switch" --name/--no-name         "choice"  one of ``choices``
#   "cell"   an integer, or unset        "text"    a string (a file name, a list)
#   "offset" like pair, >= 0
KINDS = ("count", "int", "pair", "padding", "switch", "choice", "cell", "text", "offset")


@dataclass(frozen=True)
class Flag:
    """How the field ``field`` is set from the command line.

    ``names`` are the option's names, the first one the form command lines use
    (``-k`` for ``-k, --kernel-size``); a ``switch`` has one name, ``--bias``,
    and ``--no-bias`` is derived. ``default`` is the command line's default
    (None: unset). ``show_default`` False leaves the default to ``help``.
    """

    field: str
    names: tuple[str, ...]
    kind: str
    help: str
    default: object = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    show_default: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"flag kind {self.kind!r} must be one of {', '.join(KINDS)}")

    def words(self, value: object) -> list[str]:
        """The command-line words that set ``value`` (``['-k', '5x2']``, ``['--no-bias']``)."""
        if self.kind == "switch":
            return [self.names[0] if value else "--no-" + self.names[0][2:]]
        return [self.names[0], pair_text(value)]


def pair_text(value: object) -> str:
    """A value as the command line writes it: ``3`` for (3, 3), ``5x2``, ``same``."""
    if isinstance(value, (tuple, list)):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"
    return str(value)


def flag_field(default: Any, flag: Flag) -> Any:
    """A dataclass field with ``default`` whose metadata carries its command-line ``flag``."""
    return field(default=default, metadata={"flag": flag})
