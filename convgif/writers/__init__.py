"""Writers: animation files from frames of palette indices (one module per format)."""

from .atomic import atomic_output
from .gif import DEFAULT_DURATION_MS, GifWriter, check_timing

__all__ = ["DEFAULT_DURATION_MS", "GifWriter", "atomic_output", "check_timing"]
