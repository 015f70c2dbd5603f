"""Explain a grouped layer as text: shapes, formulas, parameters and its first sliding steps.

Usage: ``python examples/explain_layer.py [OUT_DIR]`` (default: the current folder);
prints the text and writes it to ``OUT_DIR/explain.txt``.
"""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path

import numpy as np

import convgif


def explain(spec: convgif.ConvSpec, steps: int = 3) -> str:
    """A few lines on what ``spec`` computes, checked by running :func:`convgif.conv2d`."""
    lines = [
        spec.torch_repr(),
        f"input {spec.input_shape} -> output {spec.output_shape}",
        spec.formula(0),
        spec.formula(1),
        f"weights {spec.weight_shape}: {spec.n_weights} + {spec.n_bias} bias = "
        f"{spec.n_params} parameters",
        f"{spec.macs:,} multiply-accumulates, {spec.n_steps} frames",
    ]
    for step in islice(convgif.trace(spec), steps):
        cells = ", ".join(f"out[{o.channel},{o.row},{o.col}]" for o in step.outputs)
        padding = sum(tap.padding for tap in step.taps)
        lines.append(f"step {step.index + 1}: {cells} read {len(step.taps)} taps per input "
                     f"channel, {padding} of them padding")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, *spec.input_shape), dtype=np.float32)
    w = rng.standard_normal(spec.weight_shape, dtype=np.float32)
    y = convgif.conv2d(x, w, stride=spec.stride, padding=spec.padding,
                       dilation=spec.dilation, groups=spec.groups)
    lines.append(f"convgif.conv2d on random data gives shape {tuple(y.shape[1:])}")
    return "\n".join(lines)


def main(out_dir: Path) -> Path:
    """Print the explanation of the article's groups layer and write ``explain.txt``."""
    spec = convgif.ConvSpec(in_channels=2, out_channels=4, kernel_size=3, input_size=7,
                            stride=2, padding=2, groups=2)
    text = explain(spec)
    print(text)
    path = out_dir / "explain.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
