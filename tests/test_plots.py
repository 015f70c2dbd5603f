"""convgif.plots and ``convgif plot``: sweeps, measurements, CSV and figures."""

from __future__ import annotations

import dataclasses
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from convgif import plots
from convgif.cli import main
from convgif.layers import ConvSpec, SpecError

REQUIRED = [
    "in_channels", "out_channels", "kernel_h", "kernel_w", "stride_h", "stride_w",
    "padding_h", "padding_w", "dilation_h", "dilation_w", "groups", "bias", "height", "width",
    "params", "out_height", "out_width", "time_ms_median", "time_ms_min", "time_ms_max",
    "backend",
]


def fake_backend(spec: ConvSpec, batch: int) -> plots.Prepared:
    """No arithmetic: reports the layer's own shape and parameter count."""
    return plots.Prepared(lambda: (batch, *spec.output_shape), spec.n_params, "fake")


def out_size(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    """PyTorch's documented output-size formula, written out independently of ConvSpec."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def check_formulas(row: plots.Measurement) -> None:
    weights = row.out_channels * (row.in_channels // row.groups) * row.kernel_h * row.kernel_w
    assert row.params == weights + (row.out_channels if row.bias else 0)
    assert row.out_height == out_size(row.height, row.kernel_h, row.stride_h, row.padding_h,
                                      row.dilation_h)
    assert row.out_width == out_size(row.width, row.kernel_w, row.stride_w, row.padding_w,
                                     row.dilation_w)


# The column each default figure varies across its series, and the article-like values.
SERIES: dict[str, tuple[tuple[str, ...], list[tuple[int, ...]]]] = {
    "in-channels": (("in_channels",), [(16,), (32,), (64,), (128,)]),
    "out-channels": (("height", "width"), [(64, 64), (128, 128), (256, 256)]),
    "kernel-size": (("kernel_h", "kernel_w"), [(1, 1), (3, 1), (3, 3), (5, 5)]),
    "stride": (("stride_h",), [(1,), (2,), (3,), (4,)]),
    "padding": (("padding_h",), [(0,), (1,), (2,), (3,)]),
    "dilation": (("dilation_h",), [(1,), (2,), (3,), (4,)]),
    "groups": (("groups",), [(1,), (2,), (4,), (8,)]),
}


@pytest.mark.parametrize("argument", plots.ARGUMENTS)
def test_default_sweeps_follow_the_formulas(argument: str) -> None:
    rows = plots.sweep(argument, repeats=1, warmup=0, backend=fake_backend)
    columns, values = SERIES[argument]
    first_x = 8 if argument == "groups" else 1
    expected_x = [2**i for i in range(9) if 2**i >= first_x]
    assert [row.out_channels for row in rows] == expected_x * len(values)
    assert [tuple(getattr(row, c) for c in columns) for row in rows[:: len(expected_x)]] == values
    for row in rows:
        check_formulas(row)
        assert row.batch == 1
    if argument == "kernel-size":
        assert {(row.in_channels, row.height) for row in rows} == {(1, 256)}


@pytest.mark.parametrize("argument", plots.ARGUMENTS)
def test_numpy_backend_measures_the_formula_shapes(argument: str) -> None:
    small = plots.plan(argument, x="8,16")
    small = dataclasses.replace(small, input_size=(21, 19), in_channels=min(small.in_channels, 8))
    if argument == "out-channels":
        small = dataclasses.replace(small, series=(12, (9, 14)))
    if argument == "in-channels":
        small = dataclasses.replace(small, series=(1, 3))
    rows = plots.sweep(small, repeats=1, warmup=0)
    assert len(rows) == len(small.series) * 2
    for row in rows:
        check_formulas(row)
        assert row.backend == "numpy" and row.chunks == 1 and row.time_ms_median > 0


def test_timing_counts_only_runs_after_warm_up() -> None:
    runs: list[int] = []

    def backend(spec: ConvSpec, batch: int) -> plots.Prepared:
        def run() -> tuple[int, ...]:
            runs.append(1)
            return (batch, *spec.output_shape)

        return plots.Prepared(run, 7, "fake")

    # Each run reads the clock twice: durations 0.004 s, 0.001 s, 0.003 s.
    ticks = iter([10.0, 10.004, 20.0, 20.001, 30.0, 30.003])
    small = plots.plan("stride", x=[4], values=[2])
    (row,) = plots.sweep(small, repeats=3, warmup=2, backend=backend, clock=lambda: next(ticks))
    assert len(runs) == 5
    assert row.time_ms_median == pytest.approx(3.0)
    assert row.time_ms_min == pytest.approx(1.0)
    assert row.time_ms_max == pytest.approx(4.0)
    assert (row.repeats, row.params, row.backend) == (3, 7, "fake")


def test_progress_advances_once_per_configuration() -> None:
    seen: list[tuple[int, int]] = []
    small = plots.plan("dilation", x="1,2,4", values="1,2")
    plots.sweep(small, repeats=1, backend=fake_backend,
                progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, 6) for done in range(1, 7)]


def test_plan_parses_and_checks_values() -> None:
    assert plots.plan("kernel_size", values="1x1, 3x1,5").series == ((1, 1), (3, 1), (5, 5))
    assert plots.plan("out-channels", values="2,4", series="32,16x8").x == (2, 4)
    assert plots.plan("out-channels", series="32,16x8").series == ((32, 32), (16, 8))
    assert plots.plan("stride", size=64, batch=3).input_size == (64, 64)
    with pytest.raises(plots.PlotError, match="give one"):
        plots.plan("stride", values="1", series="2")
    with pytest.raises(plots.PlotError, match="give one"):
        plots.plan("out-channels", values="1", x="2")
    with pytest.raises(plots.PlotError, match="input size"):
        plots.plan("out-channels", size=32)
    with pytest.raises(plots.PlotError, match="NxM"):
        plots.plan("stride", values="1,two")
    with pytest.raises(plots.PlotError, match="must be one of"):
        plots.plan("bias")
    with pytest.raises(SpecError, match="groups=3 must divide in_channels=16"):
        plots.plan("groups", values="3")
    with pytest.raises(SpecError, match="groups=8 must divide out_channels=4"):
        plots.plan("groups", x="4,8")


def test_numpy_backend_splits_large_calls() -> None:
    spec = ConvSpec(in_channels=8, out_channels=12, kernel_size=3, input_size=20, groups=4,
                    stride=2)
    whole = plots.numpy_backend(spec, 3)
    assert whole.chunks == 1
    split = plots.numpy_backend(spec, 3, memory_budget=70_000)
    assert split.chunks > 3  # by input, then by groups
    assert split.run() == whole.run() == (3, *spec.output_shape)
    plain = dataclasses.replace(spec, groups=1)
    assert plots.numpy_backend(plain, 2, memory_budget=70_000).run() == (2, *plain.output_shape)
    with pytest.raises(plots.PlotError, match="smaller input"):
        plots.numpy_backend(spec, 1, memory_budget=1_000)


def test_csv_round_trip(tmp_path: Path) -> None:
    rows = plots.sweep(plots.plan("padding", x="1,16"), repeats=2, backend=fake_backend)
    rows[0] = dataclasses.replace(rows[0], bias=False, time_ms_median=0.1 + 0.2)
    path = plots.write_csv(rows, tmp_path / "m.csv")
    header = path.read_text().splitlines()[0].split(",")
    assert header[: len(REQUIRED)] == REQUIRED
    assert plots.read_csv(path) == rows


def test_read_csv_reports_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("in_channels,out_channels\n1,2\n")
    with pytest.raises(plots.PlotError, match="missing CSV columns: kernel_h"):
        plots.read_csv(path)
    row = ",".join(["1"] * 11 + ["maybe"] + ["1"] * 8 + ["numpy"])
    path.write_text(",".join(REQUIRED) + "\n" + row + "\n")
    with pytest.raises(plots.PlotError, match="line 2: bias='maybe'"):
        plots.read_csv(path)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_draw_is_readable_and_deterministic(tmp_path: Path) -> None:
    rows = plots.sweep("kernel-size", repeats=1, backend=fake_backend)
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    plots.draw(rows, first)
    plots.draw(rows, second)
    width, _ = png_size(first)
    assert 800 <= width <= 1000
    assert first.read_bytes() == second.read_bytes()
    assert b"matplotlib" not in first.read_bytes()
    svg = plots.draw(rows, tmp_path / "a.svg").read_text()
    assert plots.draw(rows, tmp_path / "b.svg").read_text() == svg
    for text in ("kernel 3×1", "Output channels (C_out)", "Forward time (ms)", "Trainable"):
        assert text in svg


def test_draw_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Figure, "savefig", fail)
    rows = plots.sweep(plots.plan("stride", x="1"), repeats=1, backend=fake_backend)
    with pytest.raises(RuntimeError):
        plots.draw(rows, tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_measures_writes_csv_and_redraws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    csv, png = tmp_path / "m.csv", tmp_path / "m.png"
    code, out, err = run_cli(["plot", "kernel-size", "--x", "1,2", "--values", "1x1,3x1",
                              "--size", "16x12", "--repeats", "2", "--batch", "2",
                              "--csv", str(csv), "-o", str(png)], capsys)
    assert (code, err) == (0, "measuring kernel-size\n")
    assert out.split() == [str(csv), str(png)]
    rows = plots.read_csv(csv)
    assert [(r.kernel_h, r.kernel_w, r.out_channels) for r in rows] == [
        (1, 1, 1), (1, 1, 2), (3, 1, 1), (3, 1, 2)]
    assert {(r.height, r.width, r.batch, r.repeats) for r in rows} == {(16, 12, 2, 2)}
    for row in rows:
        check_formulas(row)

    redrawn = tmp_path / "again.svg"
    code, out, err = run_cli(["plot", "kernel-size", "--from-csv", str(csv), "-o",
                              str(redrawn)], capsys)
    assert (code, out, err) == (0, f"{redrawn}\n", "")
    assert "kernel 3×1" in redrawn.read_text()
    code, out, err = run_cli(["plot", "stride", "--from-csv", str(csv), "-q"], capsys)
    assert (code, out, err) == (0, "plot-stride.png\n", "")
    assert png_size(tmp_path / "plot-stride.png")[0] == 900


@pytest.mark.parametrize("args", [
    ["plot", "bias"],
    ["plot", "stride", "--values", "0,1"],
    ["plot", "stride", "--values", "1,two"],
    ["plot", "groups", "--values", "3"],
    ["plot", "groups", "--x", "1,2"],
    ["plot", "out-channels", "--size", "64"],
    ["plot", "stride", "--values", "1", "--series", "2"],
    ["plot", "stride", "-o", "x.bmp"],  # .pdf is a figure since issue 22
    ["plot", "stride", "--repeats", "0"],
    ["plot", "stride", "--from-csv", "missing.csv"],
    ["plot", "stride", "--from-csv", __file__, "--x", "1"],
])
def test_cli_bad_arguments_exit_2_with_one_line(args: list[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(args, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("convgif: error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_torch_backend_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    code, _, err = run_cli(["plot", "stride", "--x", "1", "--backend", "torch", "-o",
                              str(tmp_path / "t.png")], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "needs PyTorch" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_torch_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    csv, png = tmp_path / "t.csv", tmp_path / "t.png"
    code, _, _ = run_cli(["plot", "groups", "--x", "8,16", "--size", "20", "--repeats", "2",
                          "--backend", "torch", "--csv", str(csv), "-o", str(png), "-q"],
                         capsys)
    assert code == 0
    rows = plots.read_csv(csv)
    assert len(rows) == 8
    for row in rows:
        check_formulas(row)  # params counted by torch.nn.Conv2d, shapes from its output
        assert row.backend.startswith("torch-")
    assert png_size(png)[0] == 900


def test_shape_loads_neither_matplotlib_nor_torch() -> None:
    code = (
        "import sys\n"
        "from convgif.cli import main\n"
        "import convgif.plots\n"
        "main(['shape'])\n"
        "assert not {'matplotlib', 'torch'} & set(sys.modules), 'heavy import'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "output" in result.stdout
