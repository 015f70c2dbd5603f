"""Writers: animation files from frames of palette indices (one module per format)."""

from .atomic import atomic_output
from .gif import GifWriter, check_timing

__all__ = ["GifWriter", "atomic_output", "check_timing"]
