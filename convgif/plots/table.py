"""Measurements as CSV files: :func:`write_csv` and :func:`read_csv` (columns :data:`COLUMNS`)."""

from __future__ import annotations

import csv as csv_module
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..writers import atomic_output
from .measure import COLUMNS, Measurement
from .plan import PlotError

PathLike = str | os.PathLike[str]
_REQUIRED = COLUMNS[: COLUMNS.index("backend") + 1]



def write_atomically(path: PathLike, write: Callable[[Any], None]) -> Path:
    """Write through ``write(binary_handle)`` with :func:`atomic_output`; a folder is refused."""
    target = Path(path)
    if target.is_dir():
        raise PlotError(f"{target} is a folder, not a file")
    with atomic_output(target) as handle:
        write(handle)
    return target


def write_csv(rows: Sequence[Measurement], path: PathLike) -> Path:
    """Write ``rows`` to a CSV file (header :data:`COLUMNS`), atomically; returns the path."""
    text = io.StringIO()
    writer = csv_module.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            str(v).lower() if isinstance(v, bool) else v
            for v in (getattr(row, name) for name in COLUMNS)
        )
    return write_atomically(path, lambda handle: handle.write(text.getvalue().encode()))


_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def _convert(kind: str, text: str) -> object:
    if kind == "bool":
        return _BOOLS[text.strip().lower()]
    return {"int": int, "float": float, "str": str}[kind](text)


def read_csv(path: PathLike) -> list[Measurement]:
    """Read rows written by :func:`write_csv` (or any CSV with the columns up to ``backend``).

    Columns after ``backend`` are optional; unknown columns are ignored. Raises
    :class:`PlotError` naming the line and column of a malformed value.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return _read_rows(csv_module.DictReader(handle), path)
    except (UnicodeDecodeError, csv_module.Error) as error:
        raise PlotError(f"{path}: not a readable CSV file ({error})") from None


def _read_rows(reader: csv_module.DictReader[str], path: PathLike) -> list[Measurement]:
    missing = [name for name in _REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise PlotError(f"{path}: missing CSV columns: " + ", ".join(missing))
    kinds = {f.name: str(f.type) for f in fields(Measurement)}
    rows = []
    for record in reader:
        values: dict[str, object] = {}
        for name, kind in kinds.items():
            text = record.get(name)
            if name in _REQUIRED and not text:
                raise PlotError(f"{path}: line {reader.line_num}: {name} is empty")
            if not text:
                continue
            try:
                values[name] = _convert(kind, text)
            except (KeyError, ValueError):
                raise PlotError(f"{path}: line {reader.line_num}: {name}={text!r} "
                                f"is not a valid {kind}") from None
        rows.append(Measurement(**values))  # type: ignore[arg-type]
    return rows
