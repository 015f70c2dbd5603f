"""A layer of a real model on a real input: :func:`from_model`.

The model runs once, in eval mode and without gradients, while a forward hook
on the chosen submodule keeps what it received; the layer is built from the
submodule's own arguments on that input, and its values are the submodule's
weight and bias applied to it by the engine. torch is needed only by the model
itself: nothing here imports it before a model is given.
"""

from __future__ import annotations

import difflib
from typing import Any, NamedTuple

import numpy as np

from .arrays import plain
from .layers import KINDS, SpecError, WindowLayer, layer_from_torch
from .values import Values, values_from_torch

DRAWN = tuple(cls.torch_name for cls in KINDS.values())


class ModelLayer(NamedTuple):
    """A submodule as convgif draws it: ``layer`` (its arguments on the input it
    received) and ``values`` (that input, its weights and bias, the engine's
    output); ``render(layer, path, values=values)`` and ``show`` take them."""

    layer: WindowLayer
    values: Values


def _submodule(model: Any, name: str) -> Any:
    """The submodule called ``name``, or a :class:`SpecError` with the names that exist."""
    modules = dict(model.named_modules())
    if name in modules:
        return modules[name]
    drawn = [key for key, module in modules.items() if type(module).__name__ in DRAWN]
    close = difflib.get_close_matches(name, drawn, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    listed = ", ".join(drawn[:8]) + (f" and {len(drawn) - 8} more" if len(drawn) > 8 else "")
    raise SpecError(f"the model has no submodule {name!r}: {hint}layers convgif draws in it: "
                    f"{listed or 'none'}")


def _run(model: Any, module: Any, example_input: Any) -> tuple[Any, Any]:
    """Run ``model`` once (eval, no grad) and return the first input and output of
    ``module``; the model's training mode is restored and the hook removed."""
    import torch

    seen: list[tuple[Any, Any]] = []

    def keep(_: Any, args: tuple[Any, ...], kwargs: dict[str, Any], output: Any) -> None:
        if not seen:
            received = args[0] if args else kwargs["input"]
            seen.append((received.detach().clone(), output))

    arguments = example_input if isinstance(example_input, tuple) else (example_input,)
    arguments = tuple(torch.as_tensor(a) if isinstance(a, np.ndarray) else a
                      for a in arguments)
    hook = module.register_forward_hook(keep, with_kwargs=True)
    training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(*arguments)
    finally:
        hook.remove()
        model.train(training)
    if not seen:
        raise SpecError("the submodule did not run when the model ran on example_input")
    return seen[0]


def from_model(model: Any, name: str, example_input: Any, item: int = 0) -> ModelLayer:
    """The submodule ``name`` of ``model`` (``"layer1.0.conv1"``, a name of
    ``model.named_modules()``) on what it receives when ``model`` runs on
    ``example_input`` (a tensor or array, or a tuple of the model's arguments).

    The model runs once in eval mode without gradients (its training mode is
    restored), and a forward hook keeps the submodule's first input: item ``item``
    of the batch. The layer has the submodule's arguments on that input's size (a
    ConvTranspose2d the output size it gave); the values are that input and the
    submodule's weight and bias. Raises :class:`SpecError` for a name the model
    lacks (with the names it has) or a submodule convgif does not draw.
    """
    module = _submodule(model, name)
    kind = type(module).__name__
    if kind not in DRAWN:
        raise SpecError(f"submodule {name!r} is an nn.{kind}; convgif draws "
                        f"{', '.join(f'nn.{k}' for k in DRAWN)}")
    received, output = _run(model, module, example_input)
    dims = next(cls.spatial_dims for cls in KINDS.values() if cls.torch_name == kind)
    batched = received.dim() == dims + 2
    if batched and not 0 <= item < received.shape[0]:
        raise SpecError(f"item={item} is not in the batch of {received.shape[0]}")
    x = np.asarray(plain(received[item] if batched else received))
    produced = output[0] if isinstance(output, tuple) else output  # return_indices
    size = x.shape[1] if dims == 1 else x.shape[1:]
    layer = layer_from_torch(module, size, in_channels=x.shape[0],
                             output_size=tuple(produced.shape[-2:]) if kind ==
                             "ConvTranspose2d" else None)
    return ModelLayer(layer, values_from_torch(module, layer, input=x))
