"""convgif's errors about its arguments: each message names the argument and the rule."""

from __future__ import annotations


class ConvgifError(ValueError):
    """Base of convgif's errors about its arguments; the message names the argument and rule."""


class SpecError(ConvgifError):
    """A layer or input that PyTorch would refuse; the message names the argument and rule."""


class OptionError(ConvgifError):
    """A picture or file option out of its range (frame count, canvas size, duration, ...)."""
