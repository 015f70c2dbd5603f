"""Colours of the pictures, in one place: the light and dark themes and their palette.

Frames are drawn in palette mode with one fixed global palette, so every colour a
frame can hold is listed here, with a short ramp per text colour for antialiased
text. Writers get just these entries (at most :data:`MAX_COLOURS`); a format's
own needs, such as GIF's power-of-two table with a transparent entry, are the
writer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

RGB = tuple[int, int, int]

TEXT_LEVELS = 6  # ramp steps from the background to a text colour (index 0 is background)
MAX_COLOURS = 255  # palette entries a theme may use (a byte per pixel, one entry to spare)


@dataclass(frozen=True)
class Theme:
    """Named colours of one theme. Field order is palette order."""

    background: RGB
    grid: RGB  # lines between cells
    cell: RGB  # an input cell
    padding: RGB  # a padding cell
    tap: RGB  # an input cell read by the current kernel tap
    tap_padding: RGB  # a padding cell read by the current kernel tap
    footprint: RGB  # the outline of the dilated kernel's extent
    kernel: RGB  # a kernel not in use
    kernel_active: RGB  # a kernel in use
    output: RGB  # an output cell not computed yet
    done: RGB  # an output cell already computed
    current: RGB  # the output cell being computed
    link: RGB  # lines from footprint to kernel to output
    text: RGB
    muted: RGB  # secondary text
    # Colours of frames with values only (after the others in the palette):
    copied: RGB  # marks the input cell a padding cell copies
    negative: RGB  # the diverging ramp's end for the most negative value
    positive: RGB  # its end for the largest value
    sequential: RGB  # the sequential ramp's end (non-negative data)
    # Colours of some layer kinds only (last in the palette, when a scene asks for them):
    inserted: RGB  # a zero inserted between input cells (transposed convolution)
    beyond: RGB  # past the padded input, where a ceil_mode window hangs off it
    chosen: RGB  # the input cell a max pooling window picks

    def colours(self, values: bool = False) -> dict[str, RGB]:
        """The named colours in palette order; those of values only when ``values``
        (the kinds' own colours are never among them: see :func:`palette`)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if (values or f.name not in VALUE_COLOURS) and f.name not in KIND_COLOURS}


VALUE_COLOURS = frozenset({"copied", "negative", "positive", "sequential"})
KIND_COLOURS = ("inserted", "beyond", "chosen")
RAMP_LEVELS = 12  # tints per side of a value ramp (0 is the plain cell colour)
# The strongest tint's mix of the ramp's colour into the cell colour: text stays readable.
RAMP_STRENGTH = {"diverging": 0.62, "sequential": 0.8}


LIGHT = Theme(
    background=(255, 255, 255),
    grid=(40, 40, 48),
    cell=(255, 255, 255),
    padding=(212, 190, 245),
    tap=(26, 150, 145),
    tap_padding=(124, 84, 200),
    footprint=(232, 110, 30),
    kernel=(255, 255, 255),
    kernel_active=(26, 150, 145),
    output=(232, 232, 250),
    done=(168, 218, 214),
    current=(26, 150, 145),
    link=(110, 110, 120),
    text=(20, 20, 28),
    muted=(96, 96, 110),
    copied=(214, 40, 110),
    negative=(40, 100, 210),
    positive=(215, 48, 39),
    sequential=(105, 120, 160),
    inserted=(250, 232, 180),
    beyond=(232, 232, 236),
    chosen=(214, 40, 110),
)

DARK = Theme(
    background=(13, 17, 23),
    grid=(139, 148, 158),
    cell=(22, 27, 34),
    padding=(72, 52, 112),
    tap=(46, 196, 182),
    tap_padding=(176, 132, 255),
    footprint=(255, 150, 60),
    kernel=(22, 27, 34),
    kernel_active=(46, 196, 182),
    output=(38, 44, 66),
    done=(30, 88, 84),
    current=(46, 196, 182),
    link=(150, 158, 170),
    text=(230, 237, 243),
    muted=(150, 160, 172),
    copied=(255, 92, 160),
    negative=(70, 140, 255),
    positive=(255, 96, 80),
    sequential=(100, 115, 150),
    inserted=(84, 68, 30),
    beyond=(44, 48, 56),
    chosen=(255, 92, 160),
)

THEMES: dict[str, Theme] = {"light": LIGHT, "dark": DARK}


IMAGE_LEVELS = 48  # levels of the grey ramp of grids drawn as images (a photo stays a photo)
HEAT_LEVELS = 24  # levels per side of the diverging ramp of feature maps drawn as images
PHOTO_COLOURS = 64  # colours a colour photo is drawn with


@dataclass(frozen=True)
class ImageColours:
    """What grids drawn as images need in the palette: ``ramps`` among ``"grey"`` (black
    to white, for photos and non-negative maps) and ``"heat"`` (diverging around 0), and
    the ``photo`` colours of a colour picture (at most :data:`PHOTO_COLOURS`)."""

    ramps: tuple[str, ...] = ()
    photo: tuple[RGB, ...] = ()


@dataclass(frozen=True)
class Palette:
    """A theme laid out as a fixed palette: ``index[name]`` and text ``ramps``."""

    index: dict[str, int]
    ramps: dict[str, tuple[int, ...]]  # per text colour: indices from faint to full
    rgb: bytes  # the RGB entries, in index order
    # Value ramps (frames with values): "diverging" from most negative through the
    # cell colour to most positive (2 * RAMP_LEVELS + 1), "sequential" from the
    # cell colour up (RAMP_LEVELS + 1).
    value_ramps: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Image ramps (grids drawn as images): "grey" (IMAGE_LEVELS, black to white) and
    # "heat" (2 * HEAT_LEVELS + 1, most negative through the cell colour to most
    # positive); ``photo``: the indices of a colour picture's colours, in its order.
    image_ramps: dict[str, tuple[int, ...]] = field(default_factory=dict)
    photo: tuple[int, ...] = ()

    def shades(self, ramp: str, values: np.ndarray, scale: float) -> np.ndarray:
        """The indices of ``values``' shades on image ramp ``ramp`` (``grey`` from 0 to
        ``scale``, ``heat`` from -``scale`` to ``scale``), as uint8."""
        levels = np.asarray(self.image_ramps[ramp], dtype=np.uint8)
        share = np.clip(values / scale, -1, 1) if scale > 0 else np.zeros_like(values)
        if ramp == "grey":
            return levels[np.rint(np.clip(share, 0, 1) * (len(levels) - 1)).astype(np.intp)]
        return levels[HEAT_LEVELS + np.rint(share * HEAT_LEVELS).astype(np.intp)]

    def tint(self, ramp: str, value: float, scale: float) -> int:
        """The index of ``value``'s tint on ``ramp`` for values up to ``scale`` in size."""
        levels = self.value_ramps[ramp]
        step = round(RAMP_LEVELS * min(abs(value) / scale, 1.0)) if scale > 0 else 0
        if ramp == "sequential":
            return levels[step]
        return levels[RAMP_LEVELS + (step if value > 0 else -step)]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def palette(theme: Theme, values: bool = False, extra: tuple[str, ...] = (),
            images: ImageColours | None = None) -> Palette:
    """Lay ``theme`` out as a fixed palette (the same theme always gives the same bytes).

    With ``values``, the value colours and ramps follow the plain palette's
    entries, which keep their indices; ``extra`` kind colours (of
    :data:`KIND_COLOURS`) come next, so that kinds without them keep their bytes,
    and last what ``images`` asks for.
    """
    colours = list(theme.colours().items())
    index = {name: i for i, (name, _) in enumerate(colours)}
    entries = [rgb for _, rgb in colours]
    ramps: dict[str, tuple[int, ...]] = {}
    for name in ("text", "muted"):
        target = theme.colours()[name]
        ramp = []
        for level in range(1, TEXT_LEVELS):
            ramp.append(len(entries))
            entries.append(_mix(theme.background, target, level / (TEXT_LEVELS - 1)))
        ramps[name] = tuple(ramp)
    value_ramps: dict[str, tuple[int, ...]] = {}
    if values:
        index["copied"] = len(entries)
        entries.append(theme.copied)

        def tints(end: RGB, strength: float) -> list[int]:
            start = len(entries)
            entries.extend(_mix(theme.cell, end, strength * level / RAMP_LEVELS)
                           for level in range(1, RAMP_LEVELS + 1))
            return list(range(start, len(entries)))

        cell, signed = index["cell"], RAMP_STRENGTH["diverging"]
        negative, positive = tints(theme.negative, signed), tints(theme.positive, signed)
        value_ramps["diverging"] = (*reversed(negative), cell, *positive)
        value_ramps["sequential"] = (cell, *tints(theme.sequential, RAMP_STRENGTH["sequential"]))
    for name in extra:
        index[name] = len(entries)
        entries.append(getattr(theme, name))
    image_ramps: dict[str, tuple[int, ...]] = {}
    photo: tuple[int, ...] = ()
    if images is not None:
        for kind in images.ramps:
            start = len(entries)
            if kind == "grey":
                entries.extend(_mix((0, 0, 0), (255, 255, 255), level / (IMAGE_LEVELS - 1))
                               for level in range(IMAGE_LEVELS))
            else:
                entries.extend(_mix(theme.cell, theme.negative, level / HEAT_LEVELS)
                               for level in range(HEAT_LEVELS, 0, -1))
                entries.append(theme.cell)
                entries.extend(_mix(theme.cell, theme.positive, level / HEAT_LEVELS)
                               for level in range(1, HEAT_LEVELS + 1))
            image_ramps[kind] = tuple(range(start, len(entries)))
        photo = tuple(range(len(entries), len(entries) + len(images.photo)))
        entries.extend(images.photo)
    if len(entries) > MAX_COLOURS:
        raise ValueError(f"a theme needs at most {MAX_COLOURS} colours, not {len(entries)}")
    return Palette(index, ramps, b"".join(bytes(rgb) for rgb in entries), value_ramps,
                   image_ramps, photo)
