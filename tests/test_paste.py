"""Pasting real code: every form a layer is written in (assignments, trailing commas,
torch.nn./nn./bare, print(model) lines) gives the same layer on the command line and in
Python; one-element tuples, return_indices and forward's output_size as torch takes them
(checked live); near misses get a "did you mean"; every refusal is one line."""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_run import run
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convgif
from convgif.layers import SpecError, parse_torch

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")


PLAIN = "nn.Conv2d(3, 8, 3, padding=1)"
FORMS = [
    "torch.nn.Conv2d(3, 8, 3, padding=1)",
    "Conv2d(3, 8, 3, padding=1)",
    "self.conv1 = nn.Conv2d(3, 8, 3, padding=1)",
    "conv1 = nn.Conv2d(3, 8, 3, padding=1)",
    "self.conv1: nn.Module = nn.Conv2d(3, 8, 3, padding=1)",
    "nn.Conv2d(3, 8, 3, padding=1),",
    "        nn.Conv2d(3, 8, 3, padding=1),  # the stem",
    "nn.Conv2d(\n    3, 8, 3,\n    padding=1,\n)",
    "conv1=nn.Conv2d(3, 8, 3, padding=1),",
    "'conv1': nn.Conv2d(3, 8, 3, padding=1),",
    "(conv1): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
    "  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
    "nn.Conv2d(3, 8, kernel_size=(3,3), stride=[1, 1], padding=(1,))",
]


@pytest.mark.parametrize("line", FORMS)
def test_every_paste_form_is_the_same_layer(line: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert convgif.layer_from_torch(line, 7) == convgif.layer_from_torch(PLAIN, 7)
    code, out, err = run(["shape", "--json", "--torch", line, "--size", "7"], capsys)
    assert code == 0 and err == "", err
    assert json.loads(out)["torch"] == "nn.Conv2d(3, 8, kernel_size=3, padding=1)"


def test_print_model_lines_with_unquoted_strings_read_back(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = ("(conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same, "
            "dilation=(2, 2), bias=False, padding_mode=reflect)")
    layer = convgif.layer_from_torch(line, 9)
    assert layer == convgif.Conv2d(3, 8, 3, 9, padding="same", dilation=2, bias=False,
                                   padding_mode="reflect")
    code, out, err = run(["shape", "--torch", line, "--size", "9"], capsys)
    assert code == 0 and err == "", err
    assert "padding_mode='reflect'" in out.splitlines()[-1]
    with pytest.raises(SpecError, match="padding must be a literal"):
        parse_torch("Conv2d(3, 8, 3, padding=wide)")  # only the words torch prints


@pytest.mark.parametrize(("line", "assumed"), [
    ("(pool): AvgPool2d(kernel_size=2, stride=2, padding=0)",
     "AvgPool2d's ceil_mode, count_include_pad and divisor_override: assumed "
     "ceil_mode=False, count_include_pad=True, divisor_override=None"),
    ("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)",
     "MaxPool2d's return_indices: assumed return_indices=False"),
    ("AvgPool2d(kernel_size=2, stride=2, padding=0, ceil_mode=True)",
     "AvgPool2d's count_include_pad and divisor_override: assumed count_include_pad=True, "
     "divisor_override=None"),
])
def test_a_printout_says_what_it_assumed(line: str, assumed: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["shape", "--torch", line, "--size", "8"], capsys)
    assert code == 0 and out.startswith("input "), err
    assert err == f"note: print(model) leaves out {assumed} (PyTorch's defaults)\n"
    with pytest.warns(UserWarning, match="print\\(model\\) leaves out"):
        convgif.layer_from_torch(line, 8)
    code_line = "nn." + line.split(": ", 1)[-1]  # as code writes it: nothing assumed
    assert parse_torch(code_line).note is None


@pytest.mark.parametrize(("line", "words"), [
    ("nn.Conv2D(3, 8, 3)", "nn.Conv2D is not a layer convgif draws: did you mean nn.Conv2d?"),
    ("nn.conv2d(3, 8, 3)", "did you mean nn.Conv2d?"),
    ("nn.Maxpool2d(2)", "did you mean nn.MaxPool2d?"),
    ("nn.ConvTranspose2D(2, 1, 3)", "did you mean nn.ConvTranspose2d?"),
    ("nn.BatchNorm2d(3)", "nn.BatchNorm2d is not a layer convgif draws (use nn.Conv2d, "),
    ("nn.Conv2d(3, 8, kernal_size=3)", "takes no argument 'kernal_size': did you mean "
                                       "kernel_size?"),
    ("nn.Conv2d(3, 8, 3, paddding=1)", "did you mean padding?"),
    ("nn.MaxPool2d(2, ceilmode=True)", "did you mean ceil_mode?"),
    ("nn.Conv2d(3, 8, 3, colour=1)", "takes no argument 'colour'"),
    ("a = b = 1", "must be a call"),
    ("x = self.conv1(x)", "must be nn.X, torch.nn.X or X"),
    ("nn.Conv2d(3, 8, 3); nn.Conv2d(8, 8, 3)", "must be a call"),
])
def test_near_misses_and_non_layers_are_one_line(line: str, words: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "x.gif"
    code, out, err = run(["render", "--torch", line, "--size", "7", "-o", str(target)],
                         capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and words in err, err
    assert not target.parent.exists()


# -- one-element tuples, as torch takes them -------------------------------------------------

TUPLE_LINES = [
    ("nn.AvgPool2d((4, 4), stride=(2, 2), padding=(2,), ceil_mode=True)", (2, 6, 6)),
    ("nn.MaxPool2d(2, stride=())", (2, 6, 6)),
    ("nn.AvgPool2d(2, stride=[])", (2, 6, 6)),
    ("nn.MaxPool2d((2,))", (2, 6, 6)),
    ("nn.MaxPool2d(3, padding=(1,), dilation=(2,), stride=(1,))", (1, 7, 7)),
    ("nn.AvgPool2d((3,), stride=(1,), padding=[1])", (1, 5, 5)),
    ("nn.MaxPool2d(2, padding=())", (1, 6, 6)),
    ("nn.AvgPool2d(())", (1, 6, 6)),
    ("nn.MaxPool2d(2, stride=(1, 2, 3))", (1, 6, 6)),
    ("nn.Conv2d(2, 3, 3, stride=(2,))", (2, 7, 7)),
    ("nn.Conv2d(2, 3, 3, padding=(1,), dilation=(2,))", (2, 7, 7)),
    ("nn.Conv2d(2, 3, 3, padding=[1], padding_mode='zeros')", (2, 5, 5)),
    ("nn.Conv2d(2, 3, (3,))", (2, 6, 6)),
    ("nn.Conv2d(2, 3, 3, padding=(1,), padding_mode='reflect')", (2, 6, 6)),
    ("nn.Conv2d(2, 3, 3, padding=(1,), padding_mode='circular')", (2, 6, 6)),
    ("nn.Conv2d(2, 3, 3, stride=())", (2, 6, 6)),
    ("nn.ConvTranspose2d(2, 3, 3, stride=(2,), padding=(1,), output_padding=(1,), "
     "dilation=(1,))", (2, 3, 3)),
    ("nn.ConvTranspose2d(2, 3, (3,))", (2, 3, 3)),
    ("nn.Conv1d(2, 3, (3,), stride=(2,), padding=(1,), dilation=(1,))", (2, 10)),
    ("nn.Conv1d(2, 3, 3, stride=())", (2, 10)),
]


@needs_torch
@pytest.mark.parametrize(("line", "shape"), TUPLE_LINES)
def test_tuples_are_taken_exactly_where_torch_takes_them(line: str,
                                                         shape: tuple[int, ...]) -> None:
    import torch

    torch.manual_seed(0)
    x = torch.randn(*shape)
    try:  # on a batch, as models run (reflect padding=(1,) unbatched pads the width only)
        module = eval(line, {"nn": torch.nn})  # our own table's lines, in a test
        expected = module(x[None])[0]
    except (RuntimeError, ValueError, TypeError, NotImplementedError):
        expected = None
    size = shape[1] if len(shape) == 2 else shape[1:]
    pooling = "Pool" in line
    if expected is None:
        with pytest.raises(SpecError):
            convgif.layer_from_torch(line, size, in_channels=shape[0] if pooling else None)
        return
    layer = convgif.layer_from_torch(line, size, in_channels=shape[0] if pooling else None)
    assert layer.output_shape == tuple(expected.shape)
    values = convgif.values_from_torch(module, layer, input=x.numpy())
    assert np.allclose(values.output.reshape(expected.shape), expected.detach().numpy(),
                       atol=1e-5)


# -- print(module) reads back --------------------------------------------------------------


def torch_layers() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """(torch.nn class name, constructor keywords) of every kind convgif draws."""
    small = st.integers(1, 3)
    pair = st.one_of(small, st.tuples(small, small))
    conv = st.fixed_dictionaries({
        "in_channels": st.sampled_from([2, 4]), "out_channels": st.sampled_from([2, 4]),
        "kernel_size": pair, "stride": pair, "dilation": pair,
        "padding": st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2),
                                                          st.integers(0, 2))),
        "groups": st.sampled_from([1, 2]), "bias": st.booleans(),
        "padding_mode": st.sampled_from(["zeros", "reflect", "replicate", "circular"])})
    same = conv.map(lambda a: {**a, "stride": 1, "padding": "same"})
    transposed = conv.map(lambda a: {**{k: v for k, v in a.items() if k != "padding_mode"},
                                     "output_padding": 0})
    pool = st.fixed_dictionaries({"kernel_size": pair, "stride": st.one_of(st.none(), pair),
                                  "padding": st.integers(0, 1), "ceil_mode": st.booleans()})
    conv1d = conv.map(lambda a: {**a, **{k: v if isinstance(v, int) else v[0]
                                         for k, v in a.items() if k in (
                                             "kernel_size", "stride", "dilation", "padding")}})
    return st.one_of(
        st.tuples(st.just("Conv2d"), st.one_of(conv, same)),
        st.tuples(st.just("ConvTranspose2d"), transposed),
        st.tuples(st.just("MaxPool2d"), pool.map(lambda a: {**a, "dilation": 1})),
        st.tuples(st.just("AvgPool2d"), pool.map(lambda a: {**a, "ceil_mode": False})),
        st.tuples(st.just("Conv1d"), conv1d))


@needs_torch
@settings(max_examples=150, deadline=None)
@given(spec=torch_layers(), size=st.integers(5, 9))
def test_print_module_reads_back_as_the_module(spec: tuple[str, dict[str, Any]],
                                               size: int) -> None:
    import torch

    name, arguments = spec
    try:
        module = getattr(torch.nn, name)(**arguments)
        shape = (module.in_channels if hasattr(module, "in_channels") else 2, size, size)
        x = torch.zeros(shape[:2] if name == "Conv1d" else shape)
        with warnings.catch_warnings():  # torch's note on 'same' with even kernels
            warnings.simplefilter("ignore", UserWarning)
            expected = module(x).shape
    except (RuntimeError, ValueError, NotImplementedError):
        assume(False)
        return
    text = str(module)
    where = size if name == "Conv1d" else (size, size)
    channels = None if hasattr(module, "in_channels") else shape[0]
    with warnings.catch_warnings():  # a pooling printout's note: its own test reads it
        warnings.simplefilter("ignore", UserWarning)
        from_text = convgif.layer_from_torch(text, where, in_channels=channels)
    assert from_text == convgif.layer_from_torch(module, where, in_channels=channels), text
    assert from_text.output_shape == tuple(expected), text


# -- return_indices and output_size -----------------------------------------------------------


def test_return_indices_is_kept_in_the_line_and_the_caption(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = "nn.MaxPool2d(2, stride=1, return_indices=True)"
    layer = convgif.layer_from_torch(line, 5, in_channels=2)
    assert layer.torch_repr() == line and "return_indices : True" in layer.caption
    assert convgif.layer_from_torch(layer.torch_repr(), 5, in_channels=2) == layer
    code, out, err = run(["shape", "--torch", line, "--size", "5"], capsys)
    assert code == 0 and out.splitlines()[-1] == f"torch        {line}", err
    plain = convgif.layer_from_torch("nn.MaxPool2d(2, stride=1)", 5, in_channels=2)
    assert plain.torch_repr() == "nn.MaxPool2d(2, stride=1)" and plain.slug != layer.slug
    if HAS_TORCH:
        import torch

        module = torch.nn.MaxPool2d(2, stride=1, return_indices=True)
        assert convgif.layer_from_torch(module, 5, in_channels=2) == layer
        x = torch.randn(2, 5, 5)
        values = convgif.values_from_torch(module, layer, input=x.numpy())
        assert np.array_equal(values.output, module(x)[0].numpy())


@needs_torch
def test_output_size_picks_the_output_padding_as_torch_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    module = torch.nn.ConvTranspose2d(2, 1, 3, stride=(3, 2), padding=1)
    x = torch.randn(1, 2, 3, 4)
    line = "nn.ConvTranspose2d(2, 1, 3, stride=(3, 2), padding=1)"
    for height in range(5, 11):
        for width in range(5, 10):
            try:
                expected = module(x, output_size=(height, width))
            except ValueError:
                expected = None
            if expected is None:
                with pytest.raises(SpecError, match=r"output_size=\(\d+, \d+\) must be from "
                                                    r"7x7 to 9x8"):
                    convgif.layer_from_torch(line, (3, 4), output_size=(height, width))
                code, _, err = run(["shape", "--torch", line, "--size", "3x4",
                                    "--output-size", f"{height}x{width}"], capsys)
                assert code == 2 and err.count("\n") == 1 and "must be from 7x7 to 9x8" in err
                continue
            layer = convgif.layer_from_torch(line, (3, 4), output_size=(1, 2, height, width))
            assert layer.output_shape == tuple(expected.shape[1:])
            values = convgif.values_from_torch(module, layer, input=x[0].numpy())
            assert np.allclose(values.output, expected[0].detach().numpy(), atol=1e-6)
            code, out, err = run(["shape", "--json", "--layer", "conv-transpose2d",
                                  "--in-channels", "2", "--out-channels", "1", "-k", "3",
                                  "-s", "3x2", "-p", "1", "-d", "1", "--size", "3x4",
                                  "--output-size", f"{height}x{width}"], capsys)
            assert code == 0, err
            assert json.loads(out)["output_shape"] == [1, height, width]
    with pytest.raises(SpecError, match="an argument of ConvTranspose2d's forward"):
        convgif.layer_from_torch("nn.Conv2d(2, 1, 3)", 5, output_size=3)
