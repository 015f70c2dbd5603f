"""convgif: see what a 2D convolution layer does in the forward pass.

The public API: :class:`ConvSpec` (a validated ``nn.Conv2d`` layer on an input,
also named :class:`Conv2d`) and the other layer kinds (:class:`ConvTranspose2d`,
:class:`MaxPool2d`, :class:`AvgPool2d`, :class:`Conv1d`; :func:`make_layer` by
kind name, :func:`layer_from_torch` from an ``nn.`` line or a live module),
:func:`conv2d` and its kin (NumPy functions with PyTorch's semantics),
:func:`trace` (the sliding steps), :func:`frames` (the animation's frames as PIL
images) and :func:`render` (the animation, written atomically to a file or to a
stream); :func:`stills` writes chosen frames as PNG images.
:class:`RenderOptions` declares the render options,
:class:`ValueOptions` where the numbers come from; :func:`values_for` gives a
layer's :class:`Values` (input, weights, bias, the engine's outputs) and
:func:`read_input` reads an input from an image (resized and normalised as
torchvision does), a tensor file or an array; :func:`read_tensors` lists a
checkpoint's tensors (``.pt``, ``.safetensors``, ``.npz``); :func:`kernel` and
:func:`named_weights` give the classic kernels by name (:data:`KERNELS`). In Jupyter,
:func:`show` displays an animation inline, and layers display their summary;
:func:`values_from_torch` takes a live module's weights as the values, and
:func:`from_model` a layer of a real model on what it receives from a real input.
"""

from .animate import Rendered, frame_indices, render, stills
from .arrays import read_input
from .capture import ModelLayer, from_model
from .checkpoints import read_tensors
from .draw import frames
from .engine import avg_pool2d, conv1d, conv2d, conv_transpose2d, max_pool2d
from .kernels import KERNELS, kernel, named_weights
from .layers import (
    AvgPool2d,
    Conv1d,
    Conv2d,
    ConvgifError,
    ConvSpec,
    ConvTranspose2d,
    Layer,
    MaxPool2d,
    OptionError,
    SpecError,
    layer_from_torch,
    make_layer,
)
from .notebook import Inline, show
from .options import RenderOptions
from .trace import OutputCell, Read, Step, Tap, Term, trace
from .values import ValueOptions, Values, fit_input, values_for, values_from_torch

__all__ = [
    "KERNELS",
    "AvgPool2d",
    "Conv1d",
    "Conv2d",
    "ConvSpec",
    "ConvTranspose2d",
    "ConvgifError",
    "Inline",
    "Layer",
    "MaxPool2d",
    "ModelLayer",
    "OptionError",
    "OutputCell",
    "Read",
    "RenderOptions",
    "Rendered",
    "SpecError",
    "Step",
    "Tap",
    "Term",
    "ValueOptions",
    "Values",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "fit_input",
    "frame_indices",
    "frames",
    "from_model",
    "kernel",
    "layer_from_torch",
    "make_layer",
    "max_pool2d",
    "named_weights",
    "read_input",
    "read_tensors",
    "render",
    "show",
    "stills",
    "trace",
    "values_for",
    "values_from_torch",
]
__version__ = "0.1.0"
