"""convgif.from_model: a layer of a real model on the real photo. The input it captures is
the forward hook's tensor, every value is torch's, and the result renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif.layers import SpecError

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "examples" / "inputs" / "grace_hopper.jpg"


class ThreeLayers(torch.nn.Module):  # type: ignore[misc]
    """A small CNN as users write them: named attributes, a nested block."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 6, kernel_size=3, padding=1)
        self.pool = torch.nn.MaxPool2d(2)
        self.block = torch.nn.Sequential(torch.nn.Conv2d(6, 8, 3, padding=1, groups=2),
                                         torch.nn.BatchNorm2d(8), torch.nn.ReLU())
        self.up = torch.nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1)

    def forward(self, x: Any) -> Any:
        x = self.block(self.pool(torch.relu(self.stem(x))))
        return self.up(x, output_size=(x.shape[-2] * 2, x.shape[-1] * 2))


def trained() -> ThreeLayers:
    torch.manual_seed(11)
    model = ThreeLayers()
    model.block[1].running_mean.uniform_(-0.5, 0.5)  # eval mode uses these statistics
    model.block[1].running_var.uniform_(0.5, 2.0)
    return model.train()


def photo() -> Any:
    """The real photo, resized and normalised as a pretrained network takes it."""
    return torch.from_numpy(convgif.read_input(PHOTO, 16, normalize="imagenet"))[None]


def hooked(model: Any, name: str, x: Any) -> tuple[Any, Any]:
    """What a forward hook of our own sees at ``name`` (eval, no grad)."""
    seen: list[tuple[Any, Any]] = []
    module = dict(model.named_modules())[name]
    handle = module.register_forward_hook(lambda m, args, out: seen.append((args[0], out)))
    model.eval()
    with torch.no_grad():
        model(x)
    handle.remove()
    return seen[0]


@pytest.mark.parametrize("name", ["stem", "pool", "block.0", "up"])
def test_the_captured_input_is_the_hooks_and_every_value_is_torchs(name: str) -> None:
    model = trained()
    layer, values = convgif.from_model(model, name, photo())
    assert model.training  # its mode is given back
    received, produced = hooked(trained(), name, photo())
    assert np.array_equal(values.input, received[0].numpy())
    expected = produced[0].numpy()
    assert layer.output_shape == expected.shape
    assert np.allclose(values.output, expected, rtol=1e-5, atol=1e-5)
    steps = list(convgif.trace(layer, values))
    assert len(steps) == layer.n_steps
    for step in steps[:: max(1, len(steps) // 50)]:  # numbers in the frames are torch's too
        for out in step.outputs:
            where = (out.channel, out.row, out.col)
            assert step.value(out) == pytest.approx(float(expected[where]), abs=1e-5)
    module = dict(model.named_modules())[name]
    assert layer == convgif.layer_from_torch(
        module, tuple(received.shape[2:]), in_channels=received.shape[1],
        output_size=tuple(expected.shape[1:]) if name == "up" else None)


def test_the_layer_renders_with_its_real_numbers(tmp_path: Path) -> None:
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3), torch.nn.ReLU(),
                                torch.nn.Conv2d(2, 1, 3, padding=1))
    photo_small = torch.from_numpy(convgif.read_input(PHOTO, 8, normalize="imagenet"))[None]
    layer, values = convgif.from_model(model, "2", photo_small)
    done = convgif.render(layer, tmp_path / "layer2.gif", values=values)
    with Image.open(done.path) as gif:
        assert gif.n_frames == layer.n_steps == 36
    shown = convgif.show(layer, values=values)
    assert shown.data[:6] == b"GIF89a"


def test_batches_items_conv1d_and_arrays() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv1d(2, 3, 3), torch.nn.Tanh(),
                                torch.nn.Conv1d(3, 2, 2, stride=2))
    batch = np.random.default_rng(0).standard_normal((4, 2, 11)).astype(np.float32)
    layer, values = convgif.from_model(model, "2", batch, item=3)  # an array is taken too
    with torch.no_grad():
        expected = model(torch.from_numpy(batch))[3].numpy()
        received = torch.tanh(model[0](torch.from_numpy(batch)))[3].numpy()
    assert layer == convgif.Conv1d(3, 2, 2, 9, stride=2)
    assert np.array_equal(values.input, received)
    assert np.allclose(values.output[:, 0], expected, atol=1e-6)
    with pytest.raises(SpecError, match="item=4 is not in the batch of 4"):
        convgif.from_model(model, "2", batch, item=4)


def test_return_indices_and_a_model_left_in_eval_mode() -> None:
    pool = torch.nn.MaxPool2d(2, return_indices=True)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), pool).eval()
    x = torch.randn(1, 1, 7, 7)
    layer, values = convgif.from_model(model, "1", x)
    assert not model.training and "return_indices=True" in layer.torch_repr()
    with torch.no_grad():
        assert np.array_equal(values.output, model(x)[0][0].numpy())


@pytest.mark.parametrize(("name", "words"), [
    ("block.3", "no submodule 'block.3': did you mean 'block.0'? layers convgif draws in "
                "it: stem, pool, block.0, up"),
    ("conv1", "no submodule 'conv1': layers convgif draws in it: stem, pool, block.0, up"),
    ("block.1", "submodule 'block.1' is an nn.BatchNorm2d; convgif draws nn.Conv2d, "),
    ("block", "submodule 'block' is an nn.Sequential"),
])
def test_a_name_the_model_lacks_or_a_layer_convgif_does_not_draw(name: str, words: str
                                                                 ) -> None:
    with pytest.raises(SpecError, match=words.replace("(", r"\(").replace("?", r"\?")
                       .replace(".", r"\.")):
        convgif.from_model(trained(), name, photo())


def test_a_submodule_that_does_not_run_is_named() -> None:
    model = trained()
    model.spare = torch.nn.Conv2d(1, 1, 1)  # registered, never called by forward
    with pytest.raises(SpecError, match="did not run"):
        convgif.from_model(model, "spare", photo())


def test_the_command_line_draws_the_same_layer_from_the_checkpoint_and_the_activation(
        tmp_path: Path) -> None:
    from convgif.cli import main

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU(),
                                torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 2, 3))
    torch.save(model.state_dict(), tmp_path / "cnn.pt")
    x = torch.from_numpy(convgif.read_input(PHOTO, 12, normalize="imagenet"))[None]
    layer, values = convgif.from_model(model, "3", x)
    convgif.render(layer, tmp_path / "python.gif", values=values)
    torch.save({"x": torch.from_numpy(values.input)}, tmp_path / "activations.pt")
    main(["render", "-q", "--torch", "nn.Conv2d(4, 2, 3)", "--weights",
          f"{tmp_path / 'cnn.pt'}:3", "--bias-values", f"{tmp_path / 'cnn.pt'}:3",
          "--input", f"{tmp_path / 'activations.pt'}:x", "-o", str(tmp_path / "cli.gif")])
    assert (tmp_path / "cli.gif").read_bytes() == (tmp_path / "python.gif").read_bytes()
