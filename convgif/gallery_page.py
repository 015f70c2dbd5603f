"""The gallery's README page, written from its declaration (:func:`readme`, :func:`command`)."""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Sequence

from .animate import default_name
from .flags import pair_text
from .gallery_entries import ALSO, SECTIONS, Animation, Figure, Section
from .layers import Pool2d, layer_arguments
from .options import FLAGS as OPTION_FLAGS
from .options import RenderOptions
from .plots import DEFAULT_PLANS
from .values import FLAGS as VALUE_FLAGS

README = "README.md"


def command(animation: Animation, theme: str = "light", format: str = "gif") -> str:
    """The ``convgif render ...`` line writing ``animation.file(theme, format)`` in the
    current folder.

    It holds every option that differs from the command's defaults (no layer flag for
    the headline layer, else those that differ from PyTorch's defaults, see
    :func:`convgif.layers.layer_arguments`; light theme, output ``<slug>.gif``); a kind
    other than Conv2d is given as its ``nn.`` line (``--torch``) on its input (``--size``).
    """
    spec = animation.spec
    words = ["convgif", "render"]
    if spec.kind == "conv2d":
        arguments = layer_arguments(spec)
        for flag in spec.flags:
            if flag.field in arguments:
                words += flag.words(arguments[flag.field])
    else:  # the layer as PyTorch writes it, on its input
        words += ["--torch", spec.torch_repr()]
        if "input" not in animation.values:
            size = spec.input_shape[1:]
            words += ["--size", pair_text(size) if len(size) == 2 else str(size[0])]
            if isinstance(spec, Pool2d) and spec.in_channels != 1:  # its line has none
                words += ["--in-channels", str(spec.in_channels)]
    changed = RenderOptions.of({**animation.options, "theme": theme}).changed()
    for flag in OPTION_FLAGS:
        if flag.field in changed:
            words += flag.words(changed[flag.field])
    for flag in VALUE_FLAGS:
        if flag.field in animation.values:
            words += flag.words(animation.values[flag.field])
    if animation.file(theme, format) != default_name(spec, bool(animation.values)):
        words += ["-o", animation.file(theme, format)]
    return shlex.join(words)


def _anchor(title: str) -> str:
    """GitHub's anchor of a heading."""
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")


def _picture(animation: Animation, html_only: bool = False) -> list[str]:
    """The animation's picture (with its dark copy for dark screens) as Markdown/HTML."""
    spec = animation.spec
    numbers = " with its numbers" if animation.values else ""
    alt = html.escape(
        f"Animation of {spec.torch_repr()} on a {spec.input_shape} input{numbers}: "
        f"{spec.n_steps} steps of the kernel, to a {spec.output_shape} output", quote=True)
    light = animation.file("light")
    if animation.dark:
        return [
            "<picture>",
            '  <source media="(prefers-color-scheme: dark)" '
            f'srcset="{animation.file("dark")}">',
            f'  <img src="{light}" alt="{alt}">',
            "</picture>",
        ]
    return [f'<img src="{light}" alt="{alt}">'] if html_only else [f"![{alt}]({light})"]


def _details(animation: Animation) -> list[str]:
    """The animation's caption, text, command lines and ``nn.`` line."""
    spec = animation.spec
    return [
        f"`{spec.caption}`", "", animation.text, "",
        "```sh", *(command(animation, theme, format)
                   for _, theme, format in animation.renders()), "```", "",
        "```python", spec.torch_repr(), "```", "",
    ]


def _also(animation: Animation) -> list[str]:
    """Links to the animation's other formats, if it has any."""
    if not animation.also:
        return []
    links = " · ".join(f"[{ALSO[format]}]({animation.file('light', format)})"
                       for format in animation.also)
    return [f"Also as {links}.", ""]


def _animation_lines(animation: Animation) -> list[str]:
    return [f"### {animation.title}", "", *_picture(animation), "", *_also(animation),
            *_details(animation)]


def _row_lines(animations: Sequence[Animation]) -> list[str]:
    """Animations side by side in one table row, then each one's details."""
    cells = []
    for animation in animations:
        cells += ["<td>", "", f"**{animation.title}**", "", *_picture(animation, True), "",
                  "</td>"]
    lines = ["<table><tr>", *cells, "</tr></table>", ""]
    for animation in animations:
        lines += [f"### {animation.title}", "", *_details(animation)]
    return lines


def _figure_lines(figure: Figure) -> list[str]:
    varied = DEFAULT_PLANS[figure.argument].series_field.replace("_", " ")
    alt = ("Plot of parameters, forward time and output size against output channels, "
           f"one series per value of {varied}")
    return [
        f"### {figure.title}", "", f"![{alt}]({figure.file})", "", figure.text, "",
        "```sh", f"convgif plot {figure.argument}", "```", "",
    ]


def readme(sections: Sequence[Section] = SECTIONS,
           source: str | None = "../convgif/gallery_entries.py") -> str:
    """The folder's ``README.md``: every entry with its picture, caption, text and command.

    ``source`` is the link to the declaration from the folder (None: named, not linked,
    as for a folder made by an installed convgif).
    """
    declaration = ("[`convgif/gallery_entries.py`](" + source + ")" if source is not None
                   else "`convgif/gallery_entries.py` (in the convgif package)")
    lines = [
        "<!-- Generated by `convgif gallery` from convgif/gallery_entries.py: "
        "do not edit by hand. -->",
        "",
        "# Gallery",
        "",
        "Every animation of the article, in its order, and the figure of each `nn.Conv2d` "
        "argument; then conv_arithmetic's animations labelled, pooling and a 1D "
        "convolution. Everything in this folder is made by `convgif gallery` from one "
        f"declaration, {declaration}; "
        "`convgif gallery --check` (run by the tests) fails when the folder and the code "
        "disagree. Each command below writes its file into the current folder (run those "
        "with `--input` from the repository's root, where their input files are). The figures' "
        "times are those of the machine that measured them, kept beside each figure as "
        "`plot-ARGUMENT.csv`: `convgif gallery --remeasure` measures them again.",
        "",
        "The images of this folder are dedicated to the public domain under "
        "[CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/): use them anywhere, "
        "in papers, slides or Wikimedia Commons, without asking or crediting.",
        "",
        " · ".join(f"[{section.title}](#{_anchor(section.title)})" for section in sections),
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", ""]
        if section.text:
            lines += [section.text, ""]
        if section.side_by_side:
            lines += _row_lines([e for e in section.entries if isinstance(e, Animation)])
            continue
        for entry in section.entries:
            lines += (_animation_lines(entry) if isinstance(entry, Animation)
                      else _figure_lines(entry))
    return "\n".join(lines[:-1]) + "\n"
