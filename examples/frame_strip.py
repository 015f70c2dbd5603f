"""Save the first, middle and last frames of the headline layer side by side as one PNG.

Usage: ``python examples/frame_strip.py [OUT_DIR]`` (default: the current folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

import convgif

GAP = 8  # px of white between frames


def main(out_dir: Path) -> Path:
    """Write ``frame-strip.png`` into ``out_dir``; print and return its path."""
    spec = convgif.ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=7,
                            stride=2, padding=1, dilation=2)
    wanted = {0, spec.n_steps // 2, spec.n_steps - 1}
    picked = [frame.convert("RGB") for index, frame in enumerate(convgif.frames(spec))
              if index in wanted]
    width, height = picked[0].size
    strip = Image.new("RGB", (len(picked) * (width + GAP) - GAP, height), "white")
    for position, frame in enumerate(picked):
        strip.paste(frame, (position * (width + GAP), 0))
    path = out_dir / "frame-strip.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    strip.save(path)
    print(f"{path}: frames {sorted(wanted)} of {spec.n_steps}, {strip.width}x{strip.height} px")
    return path


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
