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
DEFAULT_BUDGET = 120  # frames: 36 s at the default 300 ms a frame
SPED_HOLD_MS = 2000  # the complete output's time on screen when frames are sped up
PAGE_WIDTH = 900  # px: a blog column; frames of real layers fit it
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
    hold: int | None = flag_field(None, Flag(
        "hold", ("--hold",), "cell",
        f"Extra time on the last frame in ms [default: 0, or {SPED_HOLD_MS} when frames are "
        "sped up].", None, "MS", show_default=False))
    loop: int = flag_field(0, Flag(
        "loop", ("--loop",), "int",
        "Times the animation plays: 1 plays it once, 2 twice...; 0 loops forever. Every "
        "format (GIF, WebP, APNG, the HTML player) plays it as many times.", 0, "N"))
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
        "Refuse animations of more frames than this.", DEFAULT_MAX_FRAMES, "N"))
    budget: int = flag_field(DEFAULT_BUDGET, Flag(
        "budget", ("--budget",), "int",
        "At most N frames (and no more than --max-frames): a layer of more steps shows its "
        "first steps one per frame, then more and more per frame, and ends on the complete "
        "output.", DEFAULT_BUDGET, "N"))
    every_step: bool = flag_field(False, Flag(
        "every_step", ("--every-step",), "switch",
        "One frame per step, however many (up to --max-frames).", False))
    steps: str | None = flag_field(None, Flag(
        "steps", ("--steps",), "text",
        "Animate only steps A to B (1-based, ends included; A: or :B), or one step N.",
        None, "A:B", show_default=False))
    show_out: str | None = flag_field(None, Flag(
        "show_out", ("--show-out",), "text",
        "Output channels shown, e.g. 0:4 (0 to 3, as a Python slice) or 0,5,9 [default: "
        "all that fit]; the steps are theirs.", None, "C", show_default=False))
    show_in: str | None = flag_field(None, Flag(
        "show_in", ("--show-in",), "text",
        "Input channels shown, as --show-out [default: those of the shown output channels' "
        "groups that fit].", None, "C", show_default=False))
    width: int | None = flag_field(None, Flag(
        "width", ("--width",), "cell",
        f"Fit frames in PX px wide [default: {PAGE_WIDTH}, a blog column; small layers keep "
        "their own size].", None, "PX", show_default=False))

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
        for name in ("duration", "loop"):
            if not is_int(getattr(self, name)):
                raise OptionError(f"{name}={getattr(self, name)!r} must be an integer")
        if self.hold is not None and not is_int(self.hold):
            raise OptionError(f"hold={self.hold!r} must be an integer")
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
        positive_int("budget", self.budget, OptionError)
        if not isinstance(self.every_step, bool):
            raise OptionError(f"every_step={self.every_step!r} must be True or False")
        for name in ("steps", "show_out", "show_in"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise OptionError(f"{name}={getattr(self, name)!r:.40} must be a string such "
                                  f"as '0:4'")
        if self.width is not None and positive_int("width", self.width, OptionError) < 200:
            raise OptionError(f"width={self.width} px must be at least 200")

    @property
    def frame_budget(self) -> int:
        """The frames a sped-up animation may take: ``budget``, or ``max_frames`` if fewer."""
        return min(self.budget, self.max_frames)

    def hold_for(self, sped: bool) -> int:
        """The hold in ms: as given, else 0, or :data:`SPED_HOLD_MS` when frames are sped up
        (the complete output stays on screen)."""
        if self.hold is not None:
            return self.hold
        return SPED_HOLD_MS if sped else 0

    def check_frames(self, frames: int, steps: int) -> None:
        """Raise :class:`OptionError` when an animation of ``frames`` frames (of ``steps``
        steps) is more than ``max_frames``."""
        if frames > self.max_frames:
            raise OptionError(
                f"this animation takes {frames:,} frames (one per step of {steps:,}), more "
                f"than max_frames={self.max_frames}: raise max_frames, or drop every_step "
                f"(frames then speed up to fit budget={self.budget})")

    def changed(self) -> dict[str, Any]:
        """The options that differ from the defaults, in declaration order."""
        default = RenderOptions()
        return {name: getattr(self, name) for name in NAMES
                if getattr(self, name) != getattr(default, name)}


NAMES: tuple[str, ...] = tuple(f.name for f in fields(RenderOptions))
FLAGS: tuple[Flag, ...] = tuple(f.metadata["flag"] for f in fields(RenderOptions))
