"""Jupyter: an animation that displays itself inline, in the notebook's output.

:func:`show` renders a layer's animation in memory and returns an
:class:`Inline`, which Jupyter (and IPython, VS Code, Colab) displays through its
``_repr_html_`` and ``_repr_mimebundle_`` methods: an ``<img>`` holding the GIF,
WebP or APNG, or the HTML player in an ``<iframe>`` (step back and
forth). The file is embedded in the notebook, so it shows without the kernel
and without network. Layers display themselves as their shape summary (see
:meth:`convgif.layers.Layer._repr_html_`).
"""

from __future__ import annotations

import base64
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .animate import render
from .layers import OptionError, WindowLayer
from .writers import atomic_output

# Formats a notebook shows inline, and their MIME types.
INLINE: dict[str, str] = {"gif": "image/gif", "webp": "image/webp", "apng": "image/apng",
                          "html": "text/html"}


@dataclass(frozen=True)
class Inline:
    """An animation held in memory: ``data`` in ``format`` (see :data:`INLINE`),
    ``width`` x ``height`` px, ``frames`` frames, described by ``caption``;
    drawn ``scale`` times larger than it is displayed."""

    data: bytes
    format: str
    width: int
    height: int
    frames: int
    caption: str
    scale: int = 1

    @property
    def shown(self) -> tuple[int, int]:
        """The size it is displayed at, in CSS px: the scale-1 size (``scale=2`` is
        sharper, not larger)."""
        return self.width // self.scale, self.height // self.scale

    @property
    def mime(self) -> str:
        """The MIME type of :attr:`data`."""
        return INLINE[self.format]

    def _repr_html_(self) -> str:
        """An ``<img>`` with the animation as a data URL, or the player in an iframe."""
        alt = html.escape(self.caption, quote=True)
        width, height = self.shown
        if self.format == "html":
            page = html.escape(self.data.decode("utf-8"), quote=True)
            # Not sandboxed: an opaque origin stalls the player's DecompressionStream in
            # Chromium, and Jupyter runs HTML outputs in the notebook's origin anyway.
            return (f'<iframe srcdoc="{page}" title="{alt}" style="border:0;width:100%;'
                    f'max-width:{width + 40}px;height:{height + 220}px">'
                    f'</iframe>')
        encoded = base64.b64encode(self.data).decode("ascii")
        return (f'<img src="data:{self.mime};base64,{encoded}" alt="{alt}" '
                f'width="{width}" height="{height}" style="max-width:100%;'
                f'height:auto">')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> dict[str, str]:
        """The HTML above and a line of plain text: the animation is stored once in the
        notebook (Jupyter's front ends show the HTML rather than an image; it carries
        the alt text and the displayed size)."""
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (f"<convgif {self.format}: {self.frames} frames, {self.width}x{self.height} "
                f"px, {len(self.data):,} bytes>")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the animation to ``path`` (atomically) and return the path."""
        target = Path(path)
        with atomic_output(target) as handle:
            handle.write(self.data)
        return target


def show(layer: WindowLayer, format: str = "gif", **options: Any) -> Inline:
    """The animation of ``layer`` as an object Jupyter displays inline.

    ``format`` is ``"gif"`` (default), ``"webp"`` (a third of the bytes),
    ``"apng"`` or ``"html"`` (the player, with a slider and step buttons);
    ``options`` are :func:`convgif.render`'s (``values=True``, ``theme``,
    ``scale``...); ``scale=2`` draws twice as many pixels, displayed at the scale-1
    size (sharper on high-density screens). Raises :class:`OptionError` for another
    format or a bad option.
    """
    if not isinstance(format, str) or format.lower() not in INLINE:
        raise OptionError(f"format={format!r} must be one of {', '.join(INLINE)} to show "
                          f"inline")
    stream = io.BytesIO()
    done = render(layer, stream, format=format.lower(), **options)
    return Inline(stream.getvalue(), format.lower(), done.width, done.height, done.frames,
                  layer.caption, options.get("scale", 1))
