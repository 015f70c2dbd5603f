"""README.md stays true: each ``$ convgif ...`` console block is what the command prints
(at a terminal 100 columns wide), every command's ``--help`` is there, and the Python runs.

After changing the CLI, rewrite the console blocks with ``python tests/test_readme.py --update``.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from convgif.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
WIDTH = 100
CONSOLE = re.compile(r"^```console\n\$ (convgif[^\n]*)\n(.*?)^```$", re.M | re.S)
PYTHON = re.compile(r"^```python\n(.*?)^```$", re.M | re.S)
TEXT = README.read_text(encoding="utf-8")
BLOCKS = {match[1]: match[2] for match in CONSOLE.finditer(TEXT)}


def printed(command_line: str) -> str:
    """What ``command_line`` (``convgif ...``) prints on stdout at a terminal WIDTH wide."""
    result = CliRunner().invoke(cli, shlex.split(command_line)[1:], prog_name="convgif",
                                terminal_width=WIDTH)
    assert result.exit_code == 0, result.output
    return result.stdout


def updated(text: str) -> str:
    """``text`` with every console block's output replaced by what its command prints now."""
    return CONSOLE.sub(lambda match: f"```console\n$ {match[1]}\n{printed(match[1])}```", text)


@pytest.mark.parametrize("command_line", list(BLOCKS))
def test_console_block_is_what_the_command_prints(command_line: str) -> None:
    assert BLOCKS[command_line] == printed(command_line), (
        f"README.md's block for {command_line!r} is out of date: "
        "run python tests/test_readme.py --update"
    )


def test_every_command_has_its_help_in_the_readme() -> None:
    wanted = {"convgif --help", *(f"convgif {name} --help" for name in cli.commands)}
    assert {"shape", "trace", "render", "plot", "gallery"} <= set(cli.commands)
    assert wanted <= set(BLOCKS), sorted(wanted - set(BLOCKS))


def test_the_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the blocks write files into the current folder
    (tmp_path / "examples").symlink_to(README.parent / "examples")  # and read its inputs
    blocks = PYTHON.findall(TEXT)
    assert blocks
    for code in blocks:
        if "import torch" in code and importlib.util.find_spec("torch") is None:
            continue  # torch is an optional extra
        exec(compile(code, str(README), "exec"), {})


def test_the_set_up_commands_stay() -> None:
    assert "```sh\npip install . && convgif render\n```" in TEXT
    assert ('<!-- test-command -->\n```sh\npip install -e ".[test]" && python -m pytest -q\n'
            '```\n<!-- /test-command -->') in TEXT


def test_the_headline_gif_is_at_the_top_in_both_themes() -> None:
    top = TEXT[:TEXT.index("## ")]
    for name in ("in3x7x7_out2x3x3_k3_p1_s2_d2_g1.gif", "in3x7x7_out2x3x3_k3_p1_s2_d2_g1-dark.gif"):
        assert f"gallery/{name}" in top
        assert (README.parent / "gallery" / name).is_file()
    assert "(gallery/README.md)" in top


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_readme.py --update")
    README.write_text(updated(TEXT), encoding="utf-8")
    print(f"{README}: console blocks updated")
