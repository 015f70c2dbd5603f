"""Drawing: a scene per layer kind (:data:`SCENES`) on shared primitives, one frame loop."""

from .frames import SCENES, Painter, as_image, frames
from .scene import Scene

__all__ = ["SCENES", "Painter", "Scene", "as_image", "frames"]
