"""The one progress convention: a callback told ``(done, total)`` after each item."""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[int, int], None]
