"""The CLI run in the test's own process, for tests that read its exit code and streams."""

from __future__ import annotations

import pytest

from convgif.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``convgif ARGV`` in this process: (exit code, stdout, stderr)."""
    try:
        main(argv)
        code = 0
    except SystemExit as exit_info:
        code = 0 if exit_info.code is None else int(exit_info.code)  # type: ignore[arg-type]
    captured = capsys.readouterr()
    return code, captured.out, captured.err
