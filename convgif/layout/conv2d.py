"""The layout of a Conv2d scene.

Left to right: the padded input channels, the kernels, the output channels.
Top to bottom: column headers, one block per group (input channels stacked, the
kernels of each input channel beside it, one column per output channel of the
group, and the group's output channels), then the text slots: status line,
formula line (none in plain frames), legend and caption.
"""

from __future__ import annotations

from collections import Counter

from ..font import line_height, text_width
from ..layers import WindowLayer
from ..layers.channels import Channels
from ..trace import OutputCell
from .parts import (
    Grid,
    Layout,
    Slots,
    Swatch,
    Text,
    ValueText,
    channel_list,
    font_size,
    more,
    number_fits,
    number_size,
    stack,
    status_text,
)

# Legend entries: (colour, label, style); see Swatch for the styles.
LEGEND = (
    ("padding", "padding", "fill"),
    ("tap", "read by the kernel", "fill"),
    ("tap_padding", "padding read by the kernel", "fill"),
    ("footprint", "kernel footprint", "outline"),
    ("kernel_active", "kernels in use", "fill"),
    ("done", "computed", "fill"),
    ("current", "being computed", "fill"),
)
# With values, cells are tinted by value, so what a step marks is drawn as borders.
VALUE_LEGEND = (
    ("diverging", "negative … 0 … positive", "ramp"),
    ("sequential", "0 … largest", "ramp"),
    ("padding", "padding", "fill"),
    ("tap", "read by the kernel", "border"),
    ("tap_padding", "padding read by the kernel", "border"),
    ("copied", "copied from (padding source)", "corner"),
    ("footprint", "kernel footprint", "outline"),
    ("kernel_active", "kernels in use", "outline"),
    ("output", "not computed yet", "fill"),
    ("current", "being computed", "border"),
)
PADDING_ONLY = frozenset({"padding", "tap_padding", "copied"})  # shown only with padding
RAMP_SWATCHES = 4  # a ramp's bar is this many swatches wide


def _legend(layer: WindowLayer, text: ValueText | None) -> list[tuple[str, str, str]]:
    """The legend entries this layer's frames show."""
    padded = any(axis.before > 0 or axis.after > 0 for axis in layer.axes)
    copies = getattr(layer, "padding_mode", "zeros") != "zeros"
    pooled = layer.weight_shape is None
    fill = getattr(layer, "padding_value", "zeros")
    entries = []
    kinds = [entry for entry, wanted in (
        (("inserted", "zero inserted between input cells", "fill"),
         any(axis.spread > 1 for axis in layer.axes)),
        (("beyond", "past the input (ceil_mode)", "fill"),
         any(axis.reach > axis.padded for axis in layer.axes)),
        (("chosen", "the maximum, picked", "border"),
         text is not None and getattr(layer, "operation", "") == "max"),
    ) if wanted]
    for colour, label, style in (LEGEND if text is None else VALUE_LEGEND):
        if colour in PADDING_ONLY and not padded:
            entries += kinds if colour == "padding" else []  # where padding would stand
            continue
        if (colour == "copied" and not copies) or (style == "ramp" and text is not None
                                                   and colour not in text.ramps):
            continue
        if colour == "padding" and fill != "zeros":
            label = f"padding ({fill})"
        if pooled:  # a window, no kernel
            label = "in use" if colour == "kernel_active" else label.replace("kernel", "window")
        if colour == "tap_padding" and any(axis.spread > 1 for axis in layer.axes):
            label = "padding or inserted zero read by the kernel"
        entries.append((colour, label, style))
        if colour == "padding":  # the kind's own cells stand beside the padding
            entries += kinds
    return entries


def kind_colours(layer: WindowLayer, values: bool) -> tuple[str, ...]:
    """The kind colours (``theme.KIND_COLOURS``) this layer's frames use, in palette order."""
    used = {"inserted": any(axis.spread > 1 for axis in layer.axes),
            "beyond": any(axis.reach > axis.padded for axis in layer.axes),
            "chosen": values and getattr(layer, "operation", "") == "max"}
    return tuple(name for name, wanted in used.items() if wanted)


def hidden_notes(layer: WindowLayer, shown: Channels) -> tuple[str, str, str]:
    """The notes under the input, kernel and output columns naming what is not shown
    (empty where everything is)."""
    hidden_in, hidden_out = shown.hidden_inputs(layer), shown.hidden_outputs(layer)
    ins = Counter(i // layer.in_per_group for i in shown.inputs)
    kernels = (layer.out_channels * layer.in_per_group
               - sum(ins[o // layer.out_per_group] for o in shown.outputs))
    return (more(hidden_in, "input channel") if hidden_in else "",
            more(kernels, "kernel") if kernels and layer.weight_shape is not None else "",
            more(hidden_out, "output channel") if hidden_out else "")


def place(layer: WindowLayer, cell: int, text: ValueText | None = None,
          channels: Channels | None = None, status: str | None = None) -> Layout:
    """Place a Conv2d-like layer's frames with cells of ``cell`` px.

    With ``text``, the frames show values: numbers in the cells when they fit,
    a formula line per group and the values' legend. ``channels`` are those
    shown (default all; the others are named under their columns); ``status``
    is the widest status line (default the last step's).
    """
    shown = channels if channels is not None else Channels.every(layer)
    size = font_size(cell)
    lh = line_height(size)
    margin = max(16, cell)
    (hp, wp), (oh, ow) = (axis.reach for axis in layer.axes), layer.output_size
    kh, kw = (axis.kernel for axis in layer.axes)
    operation = getattr(layer, "operation", None)  # pooling: no kernels, the operation
    g, cg, og = layer.groups, layer.in_per_group, layer.out_per_group
    groups = shown.groups(layer)
    ins = {gi: [c for c in shown.inputs if c // cg == gi] for gi in groups}
    outs = {gi: [c for c in shown.outputs if c // og == gi] for gi in groups}
    most_out = max(len(outs[gi]) for gi in groups)
    channel_gap = max(cell // 2, 8)
    kernel_gap = max(cell // 2, 6)
    in_w, in_h = wp * cell + 1, hp * cell + 1
    if operation is not None:
        side = max(2 * cell, text_width(operation, size) + 12)
        k_w = k_h = side + 1
    else:
        k_w, k_h = kw * cell + 1, kh * cell + 1
    out_w, out_h = ow * cell + 1, oh * cell + 1
    bank_w = most_out * k_w + (most_out - 1) * kernel_gap

    headers = [
        ("input", str(layer.input_shape)),
        ("kernels", str(layer.weight_shape)) if operation is None else
        ("operation", f"{operation} of {kh}x{kw}"),
        ("output", str(layer.output_shape)),
    ]
    if any(axis.spread > 1 for axis in layer.axes):
        inside = "x".join(str(axis.inside) for axis in layer.axes)
        headers[0] = ("input", f"{layer.input_shape}, zeros inserted: {inside}")
        headers[1] = ("kernels (flipped)", str(layer.weight_shape))
    notes = hidden_notes(layer, shown)
    header_w = [max(text_width(a, size), text_width(b, size), text_width(note, size))
                for (a, b), note in zip(headers, notes, strict=True)]
    base_gap = max(3 * cell, 48)
    gap1 = max(base_gap, header_w[0] - in_w + 16)
    gap2 = max(base_gap, header_w[1] - bank_w + 16)
    x_in = 0
    x_k = x_in + in_w + gap1
    x_out = x_k + bank_w + gap2
    grids_w = max(x_out + out_w, x_out + header_w[2])

    group_labels = {
        gi: f"group {gi + 1} of {g}: {channel_list('input', ins[gi])} -> "
            f"{channel_list('output', outs[gi])}"
        for gi in groups
    } if g > 1 else {}
    content_w = max(grids_w, text_need(layer, text, size, status),
                    *(text_width(t, size) for t in group_labels.values()))
    width = content_w + 2 * margin
    ox = margin + (content_w - grids_w) // 2  # grids are centred on the canvas

    texts: list[Text] = []
    y = margin
    for (name, shape), x in zip(headers, (x_in, x_k, x_out), strict=True):
        texts.append(Text(name, ox + x, y, size, "text"))
        texts.append(Text(shape, ox + x, y + lh, size, "muted"))
    y += 2 * lh + max(cell // 2, 8)

    inputs: list[Grid] = []
    kernels: dict[int, list[Grid]] = {c: [] for c in shown.outputs}
    outputs: list[Grid] = []
    block = max(max(stack([in_h] * len(ins[gi]), channel_gap)[1],
                    stack([out_h] * len(outs[gi]), channel_gap)[1]) for gi in groups)
    for gi in groups:
        in_offsets, in_stack = stack([in_h] * len(ins[gi]), channel_gap)
        out_offsets, out_stack = stack([out_h] * len(outs[gi]), channel_gap)
        if group_labels:
            texts.append(Text(group_labels[gi], margin, y, size, "muted"))
            y += lh + 4
        in_top = y + (block - in_stack) // 2
        out_top = y + (block - out_stack) // 2
        for i in range(len(ins[gi])):
            gy = in_top + in_offsets[i]
            inputs.append(Grid(ox + x_in, gy, hp, wp, cell))
            ky = gy + (in_h - k_h) // 2
            for j, channel in enumerate(outs[gi]):
                kx = ox + x_k + j * (k_w + kernel_gap)
                if operation is None:
                    kernels[channel].append(Grid(kx, ky, kh, kw, cell))
                else:
                    kernels[channel].append(Grid(kx, ky, 1, 1, k_w - 1))
                    texts.append(Text(operation, kx + (k_w - text_width(operation, size)) // 2,
                                      ky + (k_h - lh) // 2, size, "text"))
        for j in range(len(outs[gi])):
            outputs.append(Grid(ox + x_out, out_top + out_offsets[j], oh, ow, cell))
        y += block + (2 * cell + 8 if gi != groups[-1] else 0)
    if any(notes):
        y += max(cell // 2, 8)
        for note, x in zip(notes, (x_in, x_k, x_out), strict=True):
            if note:
                texts.append(Text(note, ox + x, y, size, "muted"))
        y += lh

    swatches, slots, height = below(layer, text, cell, margin, content_w, y, texts,
                                    len(groups))
    return Layout(layer, cell, size, width, height, tuple(inputs),
                  tuple(tuple(kernels[c]) for c in shown.outputs), tuple(outputs),
                  tuple(texts), tuple(swatches), slots,
                  number_size(cell) if text is not None and number_fits(text.widest, cell)
                  else None, channels=None if shown.is_every(layer) else shown)


def text_need(layer: WindowLayer, text: ValueText | None, size: int,
              status: str | None = None) -> int:
    """The width the texts under the grids need: caption, the widest status line
    (``status``; by default the last step's) and, with values, the widest formula line."""
    if status is None:
        og, (oh, ow) = layer.out_per_group, layer.output_size
        # The last step's status line is the widest: its numbers have the most digits.
        last = [OutputCell(i, i * og + og - 1, oh - 1, ow - 1) for i in range(layer.groups)]
        status = status_text(layer, layer.n_steps - 1, last)
    return max(text_width(layer.caption, size), text_width(status, size),
               text_width(text.formula, size) if text is not None else 0)


def below(layer: WindowLayer, text: ValueText | None, cell: int, margin: int,
          content_w: int, y: int, texts: list[Text], groups: int | None = None
          ) -> tuple[list[Swatch], Slots, int]:
    """The status, formula, legend and caption slots under grids that end at ``y``: the
    legend's swatches (wrapped into rows of ``content_w``), the slots and the canvas's
    height. The caption is added to ``texts``."""
    size = font_size(cell)
    lh = line_height(size)
    swatch = max(12, min(cell, lh))
    legend_items = [(colour, label, style, text_width(label, size)
                     + (swatch * (RAMP_SWATCHES - 1) if style == "ramp" else 0))
                    for colour, label, style in _legend(layer, text)]
    legend_rows: list[list[tuple[str, str, str, int]]] = [[]]
    row_w = 0
    for item in legend_items:
        need = swatch + 6 + item[3] + (18 if legend_rows[-1] else 0)
        if legend_rows[-1] and row_w + need > content_w:
            legend_rows.append([])
            row_w, need = 0, swatch + 6 + item[3]
        legend_rows[-1].append(item)
        row_w += need
    y += max(cell, 14)
    status = (margin, y, margin + content_w, y + lh)
    y += lh
    formula_lines = (layer.groups if groups is None else groups) if text is not None else 0
    formula = (margin, y, margin + content_w, y + formula_lines * lh)
    y += formula_lines * lh
    y += max(cell // 2, 10)
    legend_top = y
    swatches: list[Swatch] = []
    for row in legend_rows:
        x = margin
        for colour, label, style, w in row:
            top = y + (lh - swatch) // 2
            side = swatch * (RAMP_SWATCHES if style == "ramp" else 1)
            swatches.append(Swatch(colour, (x, top, x + side, top + swatch),
                                   Text(label, x + side + 6, y, size, "muted"), style))
            x += swatch + 6 + w + 18
        y += lh + 6
    legend = (margin, legend_top, margin + content_w, y - 6)
    y += max(cell // 2, 6)
    caption_w = text_width(layer.caption, size)
    caption_x = margin + (content_w - caption_w) // 2
    texts.append(Text(layer.caption, caption_x, y, size, "text"))
    caption = (caption_x, y, caption_x + caption_w, y + lh)
    return swatches, Slots(status, formula, legend, caption), y + lh + margin
