"""Checkpoints: a real CNN's weights from .pt, .pth, .safetensors and .npz give torch's output
for every cell of `convgif trace --json --values`; a pickle that would run code never runs;
every key, shape or file that does not fit is one line naming what would fit."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_run import run
from PIL import Image

import convgif
from convgif.checkpoints import read_tensors, split_source
from convgif.layers import OptionError

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "examples" / "inputs" / "grace_hopper.jpg"
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
IMAGENET = (np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225],
                                                                    np.float32))
FIRST_CONV = "nn.Conv2d(3, 4, kernel_size=3, padding=1)"


def cnn() -> Any:
    """A small real CNN with trained-looking (seeded) weights."""
    import torch

    torch.manual_seed(7)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, kernel_size=3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3), torch.nn.ReLU(),
        torch.nn.Conv2d(6, 2, 1))


def photo_as_torchvision_prepares_it(size: int) -> np.ndarray:
    """Resize(size) + CenterCrop(size) + ToTensor + Normalize(ImageNet), written out from
    torchvision's rules (its code is not a dependency): the reference for --size and
    --normalize."""
    with Image.open(PHOTO) as image:
        picture = image.convert("RGB")
    w, h = picture.size
    short, long = min(w, h), max(w, h)
    new = (size, int(size * long / short))
    new_w, new_h = new if w <= h else new[::-1]
    picture = picture.resize((new_w, new_h), Image.Resampling.BILINEAR)
    top, left = round((new_h - size) / 2.0), round((new_w - size) / 2.0)
    picture = picture.crop((left, top, left + size, top + size))
    x = np.asarray(picture).transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    return (x - IMAGENET[0][:, None, None]) / IMAGENET[1][:, None, None]


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The CNN saved as torch.save(state_dict), a dict holding one, .safetensors, .npz."""
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    folder = tmp_path_factory.mktemp("ckpt")
    state = cnn().state_dict()
    paths = {"pt": folder / "cnn.pt", "pth": folder / "trained.pth",
             "safetensors": folder / "cnn.safetensors", "npz": folder / "cnn.npz"}
    torch.save(state, paths["pt"])
    torch.save({"epoch": 12, "model": state, "optimizer": {"lr": 0.1}}, paths["pth"])
    save_file(dict(state), paths["safetensors"])
    np.savez(paths["npz"], **{key: value.numpy() for key, value in state.items()})
    return paths


@needs_torch
@pytest.mark.parametrize("form", ["pt", "pth", "safetensors", "npz"])
def test_a_real_cnn_from_any_checkpoint_gives_torchs_output_in_every_cell(
        form: str, checkpoints: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    path = checkpoints[form]
    # The .pth holds {"model": state_dict, ...}: its keys are found without the prefix.
    argv = ["trace", "--json", "--values", "--torch", FIRST_CONV,
            "--weights", f"{path}:0.weight", "--bias-values", f"{path}:0.bias",
            "--input", str(PHOTO), "--size", "12", "--normalize", "imagenet"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    x = photo_as_torchvision_prepares_it(12)
    with torch.no_grad():
        expected = cnn()[0](torch.from_numpy(x)[None])[0].numpy()
    seen = np.zeros(expected.shape, bool)
    for line in out.splitlines():
        for cell in json.loads(line)["outputs"]:
            where = (cell["channel"], cell["row"], cell["col"])
            assert cell["value"] == pytest.approx(float(expected[where]), rel=1e-5, abs=1e-5)
            seen[where] = True
    assert seen.all() and expected.shape == (4, 12, 12)


@needs_torch
def test_render_draws_the_checkpoints_layer_on_the_photo(
        checkpoints: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = checkpoints["pt"]
    target = tmp_path / "first.gif"
    code, _, err = run(["render", "-q", "--torch", FIRST_CONV, "--weights", f"{path}:0",
                          "--bias-values", f"{path}:0", "--input", str(PHOTO), "--size", "5",
                          "--normalize", "imagenet", "-o", str(target)], capsys)
    assert code == 0, err
    # A module's name stands for its weight and bias: the same numbers as the full keys.
    layer = convgif.layer_from_torch(FIRST_CONV, 5)
    by_module = convgif.values_for(layer, weights=f"{path}:0", bias_values=f"{path}:0",
                                   input=photo_as_torchvision_prepares_it(5))
    by_key = convgif.values_for(layer, weights=f"{path}:0.weight",
                                bias_values=f"{path}:0.bias",
                                input=photo_as_torchvision_prepares_it(5))
    assert by_module is not None and by_key is not None
    # The command line draws exactly what Python draws from the reference numbers.
    done = convgif.render(layer, tmp_path / "python.gif", values=by_key)
    assert target.read_bytes() == (tmp_path / "python.gif").read_bytes()
    with Image.open(target) as gif:
        assert gif.n_frames == done.frames >= 1
    assert np.array_equal(by_module.output, by_key.output)


@needs_torch
def test_without_a_key_the_one_tensor_of_the_right_shape_is_taken(
        checkpoints: dict[str, Path]) -> None:
    state = cnn().state_dict()
    layer = convgif.Conv2d(4, 6, 3, 5)  # only 3.weight is (6, 4, 3, 3), only 3.bias (6,)
    for path in checkpoints.values():
        values = convgif.values_for(layer, weights=str(path), bias_values=str(path))
        assert values is not None
        assert np.array_equal(values.weight, state["3.weight"].numpy())
        assert np.array_equal(values.bias, state["3.bias"].numpy())


# -- a pickle that would run code -----------------------------------------------------------


class Payload:
    """Unpickling this makes a directory: the proof that code ran."""

    marker = ""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.makedirs, (self.marker,))


def payload(marker: Path) -> Payload:
    bomb = Payload()
    bomb.marker = str(marker)
    return bomb


def test_a_pickle_that_would_run_code_is_refused_and_never_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    files = {"raw.pt": pickle.dumps({"0.weight": payload(marker)})}
    if HAS_TORCH:
        import torch

        torch.save({"0.weight": torch.ones(4, 3, 3, 3), "x": payload(marker)},
                   tmp_path / "saved.pt")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    np.savez(tmp_path / "objects.npz", w=np.array([payload(marker)], dtype=object))
    out = tmp_path / "out"
    for path in sorted(tmp_path.glob("*.*")):
        for argv in (["tensors", str(path)],
                     ["render", "-q", "--torch", FIRST_CONV, "--size", "5", "--weights",
                      f"{path}:0.weight", "-o", str(out / "x.gif")],
                     ["trace", "--json", "--torch", FIRST_CONV, "--size", "5", "--input",
                      str(path)]):
            code, stdout, err = run(argv, capsys)
            assert code == 2 and stdout == "", (argv, err)
            assert err.count("\n") == 1 and err.startswith("convgif: error: "), err
            assert "pickle" in err or "PyTorch" in err, err
        with pytest.raises(OptionError):
            read_tensors(path)
        # As a user runs it: one line on stderr (torch's own warnings silenced), exit 2.
        done = subprocess.run([sys.executable, "-m", "convgif", "tensors", str(path)],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert not marker.exists() and not out.exists()
    # The payload is real: unpickling it the unsafe way would have run it.
    pickle.loads(files["raw.pt"])  # the proof, in a temporary folder
    assert marker.is_dir()


# -- refusals -------------------------------------------------------------------------------


@needs_torch
@pytest.mark.parametrize(("flag", "source", "words"), [
    ("--weights", "{pt}:0.wieght", "no tensor '0.wieght' (did you mean 0.weight?); its "
                                    "tensors of shape (4, 3, 3, 3): 0.weight"),
    ("--weights", "{pt}:3.weight", "has shape (6, 4, 3, 3), not of shape (4, 3, 3, 3); its "
                                   "tensors of shape (4, 3, 3, 3): 0.weight"),
    ("--weights", "{pth}:weight", "'weight' names 3 tensors (model.0.weight (4, 3, 3, 3), "
                                  "model.3.weight (6, 4, 3, 3), model.5.weight"),
    ("--bias-values", "{npz}:5", "has shape (2,), not of shape (4,)"),
    ("--weights", "{npz}:conv1", "no tensor 'conv1'"),
    ("--input", "{npz}", "its tensors of 2 to 4 dimensions: 0.weight, 3.weight, 5.weight; "
                         "choose one with cnn.npz:KEY"),
    ("--input", "{npz}:0.bias", "has shape (4,), not of 2 to 4 dimensions"),
    ("--weights", "{missing}", "is not a file"),
    ("--weights", "{junk}", "is not a PyTorch file torch.load(weights_only=True) can read"),
    ("--weights", "{junk_st}", "is not a .safetensors file that can be read"),
    ("--weights", "{junk_npz}", "is not a plain .npy or .npz file"),
    ("--weights", "{folder}/w.tiff", "must be a tensor file"),
])
def test_a_source_that_does_not_fit_is_one_line_and_writes_nothing(
        flag: str, source: str, words: str, checkpoints: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("junk.pt", "junk.safetensors", "junk.npz"):
        (tmp_path / name).write_bytes(b"not a checkpoint at all")
    text = source.format(**{key: str(path) for key, path in checkpoints.items()},
                         missing=tmp_path / "missing.pt", junk=tmp_path / "junk.pt",
                         junk_st=tmp_path / "junk.safetensors", junk_npz=tmp_path / "junk.npz",
                         folder=tmp_path)
    target = tmp_path / "out" / "x.gif"
    code, out, err = run(["render", "-q", "--torch", FIRST_CONV, "--size", "5", flag, text,
                          "-o", str(target)], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert words in err, err
    assert not target.parent.exists()


def test_a_missing_extra_is_one_line_naming_it(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "w.pt").write_bytes(b"PK")
    (tmp_path / "w.safetensors").write_bytes(b"{}")
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails
    monkeypatch.setitem(sys.modules, "safetensors", None)
    for name, extra in (("w.pt", "convgif[torch]"), ("w.safetensors", "convgif[safetensors]")):
        code, _, err = run(["trace", "--weights", str(tmp_path / name)], capsys)
        assert code == 2 and err.count("\n") == 1 and f"pip install '{extra}'" in err, err


# -- listing --------------------------------------------------------------------------------


@needs_torch
@pytest.mark.parametrize("form", ["pt", "pth", "safetensors", "npz"])
def test_tensors_lists_every_tensor_with_its_shape(form: str, checkpoints: dict[str, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    prefix = "model." if form == "pth" else ""
    code, out, err = run(["tensors", str(checkpoints[form])], capsys)
    assert code == 0, err
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()]
    assert {name: (shape, dtype) for name, shape, dtype in rows} == {
        f"{prefix}{key}": (shape, "float32") for key, shape in (
            ("0.weight", "(4, 3, 3, 3)"), ("0.bias", "(4,)"), ("3.weight", "(6, 4, 3, 3)"),
            ("3.bias", "(6,)"), ("5.weight", "(2, 6, 1, 1)"), ("5.bias", "(2,)"))}
    # Columns line up: every shape starts, and every dtype ends, at one place.
    assert len({line.index(shape) for line, (_, shape, _) in
                zip(out.splitlines(), rows, strict=True)}) == 1
    assert len({len(line) for line in out.splitlines()}) == 1
    code, out, _ = run(["tensors", "--json", str(checkpoints[form])], capsys)
    listed = {row["name"]: (row["shape"], row["dtype"]) for row in map(json.loads,
                                                                      out.splitlines())}
    assert listed[f"{prefix}3.weight"] == ([6, 4, 3, 3], "float32") and len(listed) == 6


def test_a_npy_is_one_unnamed_array_and_bfloat16_reads_as_float32(tmp_path: Path) -> None:
    np.save(tmp_path / "a.npy", np.arange(6).reshape(2, 3))
    assert list(read_tensors(tmp_path / "a.npy")) == [""]
    assert split_source("model.pt:layer1.0.conv1.weight") == (
        Path("model.pt"), "layer1.0.conv1.weight")
    assert split_source("photo.jpg") is None and split_source("1,0,-1") is None
    if HAS_TORCH:
        import torch

        tensor = torch.tensor([1.5, -2.25, 3.0], dtype=torch.bfloat16)
        torch.save({"b": tensor}, tmp_path / "bf.pt")
        read = read_tensors(tmp_path / "bf.pt")["b"]
        assert read.dtype == np.float32 and read.tolist() == [1.5, -2.25, 3.0]
