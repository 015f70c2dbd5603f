"""The house's seams: every layer kind keeps the contract, imports run one way, and a new
kind or a new format is one module plus a registration (proved with test-only ones)."""

from __future__ import annotations

import ast
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, ClassVar

import numpy as np
import pytest
from PIL import Image

import convgif
from convgif import draw, layout, writers
from convgif.draw.conv2d import Conv2dScene
from convgif.flags import Flag
from convgif.layers import (
    KINDS,
    AvgPool2d,
    Axis,
    Conv1d,
    Conv2d,
    ConvTranspose2d,
    Layer,
    MaxPool2d,
    WindowLayer,
)
from convgif.layers.base import TorchArgument
from convgif.writers.gif import check_timing

PACKAGE = Path(convgif.__file__).resolve().parent

# -- a test-only layer kind: sum over non-overlapping windows, channel by channel -----------


@dataclass(frozen=True)
class WindowSum(WindowLayer):
    """Sums each channel over K x K windows with stride K; no weights, no bias."""

    channels: int
    kernel: int
    size: int

    kind: ClassVar[str] = "window-sum"
    torch_name: ClassVar[str] = "LPPool2d"
    flags: ClassVar[tuple[Flag, ...]] = ()

    @property
    def in_channels(self) -> int:  # type: ignore[override]
        return self.channels

    @property
    def out_channels(self) -> int:  # type: ignore[override]
        return self.channels

    @property
    def groups(self) -> int:  # type: ignore[override]
        return self.channels

    @cached_property
    def axes(self) -> tuple[Axis, ...]:
        return tuple(Axis(name, self.size, 0, 0, self.kernel, self.kernel, 1)
                     for name in ("H_out", "W_out"))

    def weight_index(self, out_channel: int, channel_in_group: int,
                     tap: tuple[int, ...]) -> None:
        return None

    @property
    def input_shape(self) -> tuple[int, ...]:
        return (self.channels, self.size, self.size)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.channels, *self.output_size)

    @property
    def weight_shape(self) -> None:
        return None

    @property
    def n_bias(self) -> int:
        return 0

    @property
    def macs(self) -> int:
        return self.channels * math.prod(self.output_size) * self.kernel**2

    def caption_fields(self) -> list[tuple[str, str]]:
        return [("Input Shape", str(self.input_shape)), ("Output Shape", str(self.output_shape)),
                ("K", str(self.kernel))]

    def slug_parts(self) -> list[str]:
        return [f"sum{self.channels}x{self.size}", f"k{self.kernel}"]

    def torch_arguments(self) -> list[TorchArgument]:
        return [(None, "1", None), (None, str(self.kernel), None)]

    def summary_fields(self) -> dict[str, object]:
        return {"kernel_size": self.kernel}

    def input_text(self) -> str:
        return str(self.input_shape)


def window_sum(layer: WindowSum, x: np.ndarray) -> np.ndarray:
    """The toy kind's forward pass."""
    c, k = layer.channels, layer.kernel
    oh, ow = layer.output_size
    return x[:, : oh * k, : ow * k].reshape(c, oh, k, ow, k).sum(axis=(2, 4))


@pytest.fixture
def toy_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the toy kind the way a new kind registers: layer, layout, scene."""
    monkeypatch.setitem(KINDS, WindowSum.kind, WindowSum)
    monkeypatch.setitem(layout.LAYOUTS, WindowSum.kind, layout.LAYOUTS["conv2d"])
    monkeypatch.setitem(draw.SCENES, WindowSum.kind, Conv2dScene)


# -- the contract, for every kind -----------------------------------------------------------


def conv2d_forward(layer: Layer, rng: np.random.Generator) -> np.ndarray:
    assert isinstance(layer, Conv2d)
    x = rng.standard_normal(layer.input_shape)
    w = rng.standard_normal(layer.weight_shape)
    return convgif.conv2d(x, w, stride=layer.stride, padding=layer.padding,
                          dilation=layer.dilation, groups=layer.groups,
                          padding_mode=layer.padding_mode)


def values_forward(layer: Layer, rng: np.random.Generator) -> np.ndarray:
    """Any kind's output, from the engine function of its kind (through values_for)."""
    assert isinstance(layer, WindowLayer)
    values = convgif.values_for(layer, values=True, seed=int(rng.integers(1000)))
    assert values is not None
    # Values hold the output as drawn, (C, H, W): Conv1d's as one row, (C, 1, L).
    assert values.output.size == math.prod(layer.output_shape)
    return values.output.reshape(layer.output_shape)


def toy_forward(layer: Layer, rng: np.random.Generator) -> np.ndarray:
    assert isinstance(layer, WindowSum)
    return window_sum(layer, rng.standard_normal(layer.input_shape))


Forward = Callable[[Layer, np.random.Generator], np.ndarray]
CASES: list[tuple[str, list[Layer], Forward]] = [
    ("conv2d", [Conv2d(3, 2, 3, 7, stride=2, padding=1, dilation=2),
                Conv2d(4, 4, (3, 2), (6, 7), padding=(1, 2), stride=(2, 1), dilation=(1, 3),
                       groups=2),
                Conv2d(1, 1, 4, 6, padding="same", padding_mode="replicate", bias=False),
                Conv2d(2, 6, 1, 5, groups=2)], conv2d_forward),
    ("conv-transpose2d", [ConvTranspose2d(2, 1, 3, 3, stride=2, padding=1),
                          ConvTranspose2d(4, 6, (3, 2), (4, 3), stride=(2, 3), padding=(3, 0),
                                          output_padding=(1, 2), groups=2, dilation=(2, 1)),
                          ConvTranspose2d(1, 2, 4, 2, bias=False)], values_forward),
    ("max-pool2d", [MaxPool2d(2, 5), MaxPool2d(3, (6, 7), 2, 2, 1, (1, 2), ceil_mode=True)],
     values_forward),
    ("avg-pool2d", [AvgPool2d(2, 5), AvgPool2d(3, 6, 3, 2, 1, ceil_mode=True,
                                               count_include_pad=False, divisor_override=4)],
     values_forward),
    ("conv1d", [Conv1d(2, 2, 3, 12, padding=1), Conv1d(4, 2, 4, 9, 1, "same", 2, 2,
                                                      padding_mode="reflect")],
     values_forward),
    ("window-sum", [WindowSum(2, 2, 5), WindowSum(1, 3, 9)], toy_forward),
]


def kind_ids(case: tuple[str, list[Layer], Forward]) -> str:
    return case[0]


def test_every_registered_kind_has_a_contract_case() -> None:
    assert set(KINDS) <= {name for name, _, _ in CASES}


@pytest.mark.parametrize("case", CASES, ids=kind_ids)
def test_shapes_agree_with_the_engine(case: tuple[str, list[Layer], Forward]) -> None:
    _, layers, forward = case
    for layer in layers:
        assert forward(layer, np.random.default_rng(0)).shape == layer.output_shape


@pytest.mark.parametrize("case", CASES, ids=kind_ids)
def test_steps_match_the_step_count(case: tuple[str, list[Layer], Forward]) -> None:
    for layer in case[1]:
        assert isinstance(layer, WindowLayer)
        steps = list(convgif.trace(layer))
        assert len(steps) == layer.n_steps
        assert [step.index for step in steps] == list(range(layer.n_steps))
        reads = sum(len(list(step.reads(out))) for step in steps for out in step.outputs)
        if isinstance(layer, ConvTranspose2d):
            # Its MACs are PyTorch's (input cells times weights); the animation reads the
            # zero-inserted grid: the equivalent convolution's multiply-accumulates.
            assert reads == layer.out_channels * math.prod(layer.output_size) * \
                layer.in_per_group * math.prod(layer.kernel_size)
        else:
            assert reads == layer.macs  # every multiply-accumulate is one read


@pytest.mark.parametrize("case", CASES, ids=kind_ids)
def test_caption_slug_and_counts(case: tuple[str, list[Layer], Forward]) -> None:
    layers = case[1]
    for layer in layers:
        fields = layer.caption_fields()
        assert fields[:2] == [("Input Shape", str(layer.input_shape)),
                              ("Output Shape", str(layer.output_shape))]
        assert layer.caption == " - ".join(f"{k} : {v}" for k, v in fields)
        assert re.fullmatch(r"[a-z0-9._-]+", layer.slug)
        weights = 0 if layer.weight_shape is None else math.prod(layer.weight_shape)
        assert layer.n_params == weights + layer.n_bias
        summary = layer.summary()
        assert summary["caption"] == layer.caption and summary["slug"] == layer.slug
        assert layer.describe().splitlines()[-1] == f"torch        {layer.torch_repr()}"
    assert len({layer.slug for layer in layers}) == len(layers)


@pytest.mark.parametrize("case", CASES, ids=kind_ids)
def test_torch_repr_parses_back(case: tuple[str, list[Layer], Forward]) -> None:
    for layer in case[1]:
        call = ast.parse(layer.torch_repr(), mode="eval").body
        assert isinstance(call, ast.Call)
        assert ast.unparse(call.func) == f"nn.{layer.torch_name}"
        values = [ast.literal_eval(arg) for arg in call.args]
        keywords = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
        arguments = layer.torch_arguments()
        given = [ast.literal_eval(value) for key, value, _ in arguments if key is None]
        assert values == given
        for key, value, default in arguments:
            if key is not None:
                assert keywords.get(key, None if default is None else
                                    ast.literal_eval(default)) == ast.literal_eval(value)


def test_the_toy_kind_renders_through_the_same_path(toy_kind: None, tmp_path: Path) -> None:
    layer = WindowSum(2, 2, 5)
    done = convgif.render(layer, tmp_path / "toy.gif", hold=100)
    with Image.open(done.path) as gif:
        assert gif.n_frames == layer.n_steps == 4
    assert len(list(convgif.frames(layer))) == 4


# -- a test-only format ---------------------------------------------------------------------


class FrameCountWriter:
    """Writes ``<count> frames of WxH`` and a line per frame's checksum."""

    extensions: ClassVar[tuple[str, ...]] = (".frames",)
    mode: ClassVar[str] = "P"
    needs_path: ClassVar[bool] = False
    check_timing = staticmethod(check_timing)

    def __init__(self, fp: BinaryIO, size: tuple[int, int]) -> None:
        self.fp, self.size, self.count = fp, size, 0

    @staticmethod
    def missing() -> str | None:
        return None

    @classmethod
    def open(cls, fp: BinaryIO, header: writers.Header) -> FrameCountWriter:
        return cls(fp, header.size)

    def add(self, frame: np.ndarray, text: tuple[str, ...] = ()) -> None:
        self.count += 1
        self.fp.write(f"{int(frame.sum())}\n".encode())

    def abort(self) -> None:
        pass

    def close(self) -> None:
        self.fp.write(f"{self.count} frames of {self.size[0]}x{self.size[1]}\n".encode())


@pytest.fixture
def toy_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the toy format the way a new format registers (undone after the test)."""
    monkeypatch.setattr(writers.WRITERS, "_targets", dict(writers.WRITERS._targets))
    writers.register(".frames", FrameCountWriter)


def test_a_registered_writer_is_chosen_by_extension(toy_writer: None, tmp_path: Path) -> None:
    layer = Conv2d(1, 1, 3, 5)
    done = convgif.render(layer, tmp_path / "x.frames")
    lines = (tmp_path / "x.frames").read_text().splitlines()
    assert lines[-1] == f"{layer.n_steps} frames of {done.width}x{done.height}"
    assert len(lines) == layer.n_steps + 1
    assert writers.for_path("y.FRAMES") is FrameCountWriter
    assert writers.for_format("frames") is FrameCountWriter


def test_gif_is_imported_only_when_asked_for() -> None:
    assert ".gif" in writers.WRITERS
    assert writers.for_path("a.gif").extensions == (".gif",)
    with pytest.raises(convgif.OptionError, match=r"\.gif"):
        writers.for_path("a.bmp")


# -- streams --------------------------------------------------------------------------------


def test_a_render_to_a_stream_equals_the_file(tmp_path: Path) -> None:
    layer = Conv2d(2, 4, 3, 7, padding=2, stride=2, groups=2)
    done = convgif.render(layer, tmp_path / "a.gif", theme="dark", hold=500)
    buffer = io.BytesIO()
    streamed = convgif.render(layer, buffer, format="gif", theme="dark", hold=500)
    assert buffer.getvalue() == (tmp_path / "a.gif").read_bytes()
    assert streamed.path is None and streamed.bytes == done.bytes == len(buffer.getvalue())
    with pytest.raises(convgif.OptionError, match="format"):
        convgif.render(layer, io.BytesIO())
    with pytest.raises(convgif.OptionError, match="unknown render option"):
        convgif.render(layer, tmp_path / "b.gif", colour="red")


# -- imports run one way --------------------------------------------------------------------

# Each module (or package) of convgif, from the top of the house down; a module may
# import only from modules above it (and from within its own package).
HOUSE: list[set[str]] = [
    {"flags", "theme", "font", "progress"},
    {"layers"},
    {"options", "checkpoints"},
    {"arrays"},
    {"kernels"},
    {"engine"},
    {"values"},
    {"capture"},
    {"trace"},
    {"schedule"},
    {"layout"},
    {"draw"},
    {"writers"},
    {"animate"},
    {"notebook"},
    {"plots"},
    {"gallery_entries"},
    {"gallery_page"},
    {"gallery"},
    {"cli"},
    {"__init__", "__main__"},
]


def _rank(unit: str) -> int:
    return next(i for i, names in enumerate(HOUSE) if unit in names)


def _imports(path: Path) -> Iterator[str]:
    """The convgif units ``path`` imports (relative imports resolved)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names = [node.module or ""]
            else:
                base = list(parts[:len(parts) - node.level])
                if node.module:
                    names = [".".join([*base, node.module])]
                else:
                    names = [".".join([*base, alias.name]) for alias in node.names]
                names = ["convgif." + name if name else "convgif" for name in names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("convgif.") and name.split(".")[1]:
                yield name.split(".")[1]


def test_every_module_has_a_place_in_the_house() -> None:
    units = {path.relative_to(PACKAGE).parts[0].removesuffix(".py")
             for path in PACKAGE.rglob("*.py")}
    assert units == set().union(*HOUSE)


def test_imports_run_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for imported in _imports(path):
            if imported != unit and _rank(imported) >= _rank(unit):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert wrong == []


def test_the_import_check_sees_a_wrong_import() -> None:
    fake = PACKAGE / "layers" / "__house_probe__.py"
    assert not fake.exists()
    try:
        fake.write_text("from ..draw import frames\nfrom . import base\n", encoding="utf-8")
        seen = list(_imports(fake))
    finally:
        fake.unlink()
    assert seen == ["draw", "layers"]
