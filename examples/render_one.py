"""Render one GIF of the article with the Python API: a stride of 1 down and 3 across.

Usage: ``python examples/render_one.py [OUT_DIR]`` (default: the current folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import convgif


def main(out_dir: Path) -> Path:
    """Write ``<slug>.gif`` of the layer into ``out_dir``; print and return its path."""
    spec = convgif.ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=9,
                            stride=(1, 3))
    done = convgif.render(spec, out_dir / f"{spec.slug}.gif", hold=1500)
    print(f"{done.path}: {done.frames} frames, {done.width}x{done.height} px, "
          f"{done.bytes:,} bytes")
    return done.path


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
