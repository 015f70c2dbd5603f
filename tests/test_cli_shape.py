"""``convgif shape`` and ``convgif trace``: output, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convgif import ConvSpec, trace
from convgif.cli import cli, main

README = Path(__file__).resolve().parent.parent / "README.md"
HEADLINE = ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=7, stride=2,
                    padding=1, dilation=2)


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m convgif ARGS`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "convgif", *args], capture_output=True,
                          text=True, timeout=60)


def test_shape_defaults_to_the_headline_layer() -> None:
    """Without options, shape describes the article's headline layer."""
    result = CliRunner().invoke(cli, ["shape"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == f"output       {HEADLINE.output_shape}"
    assert f"caption      {HEADLINE.caption}" in lines
    assert f"torch        {HEADLINE.torch_repr()}" in lines
    assert f"steps        {HEADLINE.n_steps:,}" in lines


def test_shape_json_is_the_summary() -> None:
    """--json prints the spec's summary as one JSON object."""
    args = ["shape", "--json", "--in-channels", "2", "--size", "7", "--out-channels", "4",
            "-k", "3", "-p", "2", "-s", "2", "-d", "1", "-g", "2", "--no-bias",
            "--padding-mode", "circular"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    spec = ConvSpec(in_channels=2, out_channels=4, kernel_size=3, input_size=7, stride=2,
                    padding=2, groups=2, bias=False, padding_mode="circular")
    assert json.loads(result.output) == json.loads(json.dumps(spec.summary()))
    assert len(result.output.strip().splitlines()) == 1


def test_option_forms() -> None:
    """Pairs are accepted as N, N,M and NxM; padding also as 'same' and 'valid'."""
    runner = CliRunner()
    outputs = []
    for kernel in ("5,2", "5x2", " 5X2 "):
        result = runner.invoke(cli, ["shape", "--json", "--size", "7x9", "-k", kernel,
                                     "-p", "valid", "-s", "1", "-d", "1"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0]["output_shape"] == [2, 3, 8]
    same = runner.invoke(cli, ["shape", "--json", "-p", "SAME", "-s", "1"])
    assert json.loads(same.output)["padding"] == "same"


def test_readme_shape_example() -> None:
    """The README's ``convgif shape`` console example is what the command prints."""
    match = re.search(r"```console\n\$ convgif (shape[^\n]*)\n(.*?)```", README.read_text(),
                      re.DOTALL)
    assert match, "README has no convgif shape example"
    result = CliRunner().invoke(cli, shlex.split(match.group(1)))
    assert result.exit_code == 0, result.output
    assert result.output == match.group(2)


def test_trace_json_lines() -> None:
    """trace --json prints one JSON object per step, equal to the library's steps."""
    result = CliRunner().invoke(cli, ["trace", "--json", "-g", "1", "--size", "6x5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    spec = ConvSpec(in_channels=3, out_channels=2, kernel_size=3, input_size=(6, 5))
    assert len(lines) == spec.n_steps
    for line, step in zip(lines, trace(spec), strict=True):
        assert json.loads(line) == json.loads(json.dumps(step.to_dict()))


def test_trace_text() -> None:
    """trace prints one line per step naming the output cell of every group."""
    result = CliRunner().invoke(cli, ["trace", "--in-channels", "2", "--out-channels", "4",
                                      "-g", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == ConvSpec(in_channels=2, out_channels=4, kernel_size=3, input_size=7,
                                  groups=2).n_steps
    # Counted from 1, as frames are (the JSON's "index" counts from 0).
    assert lines[0].startswith("step 1: out[0,0,0] out[2,0,0] <- rows 0..2, cols 0..2")
    assert lines[-1].startswith(f"step {len(lines)}: ")


INVALID = [
    ["shape", "--groups", "2"],
    ["shape", "--size", "1"],
    ["shape", "--size", "abc"],
    ["shape", "--size", ""],
    ["shape", "-k", "3,2,1"],
    ["shape", "-k", "0"],
    ["shape", "-s", "-1"],
    ["shape", "-d", "2x"],
    ["shape", "-p", "same", "-s", "2"],
    ["shape", "-p", "-1"],
    ["shape", "-p", "full"],
    ["shape", "-p", "7", "--padding-mode", "reflect"],
    ["shape", "-p", "8", "--padding-mode", "circular"],
    ["shape", "--padding-mode", "mirror"],
    ["shape", "--in-channels", "x"],
    ["shape", "--out-channels", "0"],
    ["shape", "--bogus"],
    ["shape", "--size"],
    ["shape", "extra"],
    ["trace", "--groups", "3", "--out-channels", "4"],
    ["nosuch"],
]


@pytest.mark.parametrize("args", INVALID, ids=" ".join)
def test_invalid_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """main() exits 2 with one 'convgif: error:' line on stderr, nothing on stdout."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    assert exit_info.value.code == 2
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("convgif: error: ")


@pytest.mark.parametrize("args", [INVALID[0], INVALID[2], INVALID[9], INVALID[13], INVALID[16]],
                         ids=" ".join)
def test_invalid_exit_code_of_the_module(args: list[str]) -> None:
    """``python -m convgif`` exits 2 with exactly one stderr line and no traceback."""
    result = run_module(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_valid_exit_code_of_the_module() -> None:
    """A valid call exits 0 and prints to stdout only."""
    result = run_module("shape", "--json")
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["output_shape"] == list(HEADLINE.output_shape)


# option -> words of which an error about it must contain one
OPTIONS = {
    "--kernel-size": ("--kernel-size", "kernel_size"),
    "--stride": ("--stride", "stride"),
    "--padding": ("--padding", "padding"),
    "--dilation": ("--dilation", "dilation"),
    "--size": ("--size", "input_size"),
    "--groups": ("--groups", "groups"),
    "--in-channels": ("--in-channels", "in_channels"),
    "--out-channels": ("--out-channels", "out_channels"),
    "--padding-mode": ("--padding-mode", "padding_mode"),
}

VALUES = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\s*-?[0-9]{1,3}\s*([,xX]\s*-?[0-9]{1,3})?\s*", fullmatch=True),
    st.sampled_from(["same", "valid", "Same", "zeros", "reflect", "replicate", "circular",
                     "1,", ",1", "1x", "x", "0x0", "99999999999999999999", "--help", "-h",
                     "1_0", "\N{ARABIC-INDIC DIGIT THREE}", "3\n", "\x00"]),
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(sorted(OPTIONS)), value=VALUES,
       command=st.sampled_from(["shape", "shape --json"]))
def test_random_option_values(option: str, value: str, command: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """Any string for any option: exit 0 with output, or 2 with one line naming the option."""
    capsys.readouterr()
    try:
        main([*command.split(), option, value])
        code = 0
    except SystemExit as error:
        code = error.code if isinstance(error.code, int) else 1
    captured = capsys.readouterr()
    assert code in (0, 2), captured.err
    assert "Traceback" not in captured.err
    if code == 0:
        assert captured.out and not captured.err
    else:
        assert len(captured.err.splitlines()) == 1, captured.err
        assert any(word in captured.err for word in OPTIONS[option]), captured.err


def test_shape_imports_neither_torch_nor_matplotlib() -> None:
    """`convgif shape` stays light: torch and matplotlib are never imported."""
    code = (
        "import sys\n"
        "from convgif.cli import main\n"
        "try:\n"
        "    main(['shape', '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('torch' in sys.modules, 'matplotlib' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["slug"] == HEADLINE.slug
    assert result.stderr.split() == ["False", "False"]
