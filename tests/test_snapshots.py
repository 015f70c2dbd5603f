"""What a user already has stays byte for byte: GIFs (light, dark), trace --json, shape --json.

The hashes in tests/fixtures/snapshots.json were taken from the code before the
restructuring into layers, scenes and writers; ``make_snapshots.py`` beside them
rewrites them when an issue asks for these bytes to change.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from convgif.cli import cli

SNAPSHOTS = Path(__file__).resolve().parent / "fixtures" / "snapshots.json"

# The article's layers as command-line options (unset ones are the headline layer's).
_ARTICLE = [
    "--in-channels 1 --size 9 --out-channels 1 -k 3 -p 0 -s 1 -d 1",
    "--in-channels 1 --size 7 --out-channels 4 -k 3 -p 0 -s 1 -d 1",
    "--in-channels 3 --size 7 --out-channels 4 -k 3 -p 0 -s 1 -d 1",
    "--in-channels 3 --size 7x9 --out-channels 2 -k 5x2 -p 0 -s 1 -d 1",
    "--in-channels 3 --size 7x9 --out-channels 2 -k 5x1 -p 0 -s 1 -d 1",
    "--in-channels 3 --size 9 --out-channels 2 -k 3 -p 0 -s 1x3 -d 1",
    "--in-channels 2 --size 7 --out-channels 1 -k 3 -p 1 -s 1 -d 1",
    "--in-channels 2 --size 7 --out-channels 1 -k 3 -p 1 -s 1 -d 4x2",
    "--in-channels 2 --size 9 --out-channels 1 -k 3 -p 2 -s 1 -d 4x2",
    "--in-channels 2 --size 7 --out-channels 4 -k 3 -p 2 -s 2 -d 1 -g 2",
    "--in-channels 3 --size 7 --out-channels 2 -k 3 -p 1 -s 2 -d 2",
    "--in-channels 3 --size 7 --out-channels 2 -k 3 -p 1 -s 1 -d 1",
    # Beyond the article: every padding mode, no bias, asymmetric 'same'.
    "--in-channels 2 --size 6x5 --out-channels 2 -k 3x2 -p 1x2 -s 2x1 -d 1x2"
    " --padding-mode reflect",
    "--in-channels 2 --size 5 --out-channels 2 -k 3 -p 2 -s 1 -d 1"
    " --padding-mode circular --no-bias",
    "--in-channels 1 --size 6 --out-channels 1 -k 4 -p same -s 1 -d 1 --padding-mode replicate",
]
LAYERS: list[tuple[str, ...]] = [tuple(line.split()) for line in _ARTICLE]


def _run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, list(args), prog_name="convgif")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def outputs(layer: tuple[str, ...]) -> dict[str, bytes]:
    """The bytes a user gets for ``layer``: each theme's GIF, trace --json, shape --json."""
    made: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        for theme in ("light", "dark"):
            path = Path(folder, f"{theme}.gif")
            _run("render", *layer, "--theme", theme, "-o", str(path), "-q")
            made[f"render --theme {theme}"] = path.read_bytes()
    made["trace --json"] = _run("trace", *layer, "--json")
    made["shape --json"] = _run("shape", *layer, "--json")
    return made


@pytest.mark.parametrize("layer", LAYERS, ids=" ".join)
def test_bytes_are_unchanged(layer: tuple[str, ...]) -> None:
    expected = json.loads(SNAPSHOTS.read_text(encoding="utf-8"))
    for name, data in outputs(layer).items():
        key = f"{' '.join(layer)} | {name}"
        assert hashlib.sha256(data).hexdigest() == expected[key], key
