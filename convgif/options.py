"""The render options, declared once: the Python API, the CLI's flags and the gallery read them.

:class:`RenderOptions` holds how an animation looks and plays. Each field's
metadata carries its command-line :class:`~convgif.flags.Flag`, from which
``convgif render`` builds its options and the gallery writes its command
lines; adding an option is one field here plus what draws or writes it. A
format's own limits (GIF's frame time, for one) are its writer's to check.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .flags import Flag, flag_field
from .layers import Layer, OptionError, is_int, positive_int
from .theme import THEMES

DEFAULT_DURATION_MS = 300
DEFAULT_MAX_FRAMES = 2000
MIN_CELL, MAX_CELL = 4, 120
DEFAULT_DECIMALS, MAX_DECIMALS = 2, 6
MAX_SCALE = 4


@dataclass(frozen=True)
class RenderOptions:
    """How an animation looks and plays; the defaults are ``convgif render``'s."""

    duration: int = flag_field(DEFAULT_DURATION_MS, Flag(
        "duration", ("--duration",), "int",
        "Time per frame in ms, at least 20 (GIF rounds it to 10 ms).", DEFAULT_DURATION_MS,
        "MS"))
    hold: int = flag_field(0, Flag("hold", ("--hold",), "int",
                                "Extra time on the last frame in ms.", 0, "MS"))
    loop: int = flag_field(0, Flag("loop", ("--loop",), "int",
                                "Times the GIF loops; 0 loops forever.", 0, "N"))
    cell_size: int | None = flag_field(None, Flag(
        "cell_size", ("--cell-size",), "cell",
        "Side of one cell in px [default: 14, or as large as numbers need with --values; "
        "smaller for large layers].", None, "PX",
        show_default=False))
    scale: int = flag_field(1, Flag(
        "scale", ("--scale",), "int",
        f"Draw everything N times larger (1 to {MAX_SCALE}): cells, lines and text drawn at "
        "the larger size, for high-density screens.", 1, "N"))
    theme: str = flag_field("light", Flag("theme", ("--theme",), "choice", "Colours.", "light",
                                       choices=tuple(sorted(THEMES))))
    decimals: int = flag_field(DEFAULT_DECIMALS, Flag(
        "decimals", ("--decimals",), "int",
        f"Decimal places of non-integer values (0 to {MAX_DECIMALS}), with --values.",
        DEFAULT_DECIMALS, "N"))
    max_frames: int = flag_field(DEFAULT_MAX_FRAMES, Flag(
        "max_frames", ("--max-frames",), "int",
        "Refuse layers that take more frames than this.", DEFAULT_MAX_FRAMES, "N"))

    @classmethod
    def of(cls, options: dict[str, Any]) -> RenderOptions:
        """Options from keyword arguments, an unknown name being an :class:`OptionError`."""
        unknown = sorted(set(options) - set(NAMES))
        if unknown:
            raise OptionError(f"unknown render option {', '.join(map(repr, unknown))} "
                              f"(use {', '.join(NAMES)})")
        return cls(**options)

    def check(self, layer: Layer) -> None:
        """Raise :class:`OptionError` when an option is out of range for ``layer``'s frames."""
        for name in ("duration", "hold", "loop"):
            if not is_int(getattr(self, name)):
                raise OptionError(f"{name}={getattr(self, name)!r} must be an integer")
        if self.cell_size is not None and positive_int(
            "cell_size", self.cell_size, OptionError
        ) not in range(MIN_CELL, MAX_CELL + 1):
            raise OptionError(f"cell_size={self.cell_size} must be between {MIN_CELL} and "
                              f"{MAX_CELL} px")
        if not is_int(self.scale) or not 1 <= self.scale <= MAX_SCALE:
            raise OptionError(f"scale={self.scale!r} must be an integer from 1 to {MAX_SCALE}")
        if not isinstance(self.theme, str) or self.theme not in THEMES:
            raise OptionError(f"theme={self.theme!r} must be one of {', '.join(THEMES)}")
        if not is_int(self.decimals) or not 0 <= self.decimals <= MAX_DECIMALS:
            raise OptionError(f"decimals={self.decimals!r} must be an integer from 0 to "
                              f"{MAX_DECIMALS}")
        positive_int("max_frames", self.max_frames, OptionError)
        if layer.n_steps > self.max_frames:
            raise OptionError(
                f"this layer takes {layer.n_steps} frames, more than max_frames="
                f"{self.max_frames}: raise max_frames, or use a smaller input, a larger "
                f"stride or fewer output channels"
            )

    def changed(self) -> dict[str, Any]:
        """The options that differ from the defaults, in declaration order."""
        default = RenderOptions()
        return {name: getattr(self, name) for name in NAMES
                if getattr(self, name) != getattr(default, name)}


NAMES: tuple[str, ...] = tuple(f.name for f in fields(RenderOptions))
FLAGS: tuple[Flag, ...] = tuple(f.metadata["flag"] for f in fields(RenderOptions))
