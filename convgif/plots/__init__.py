"""Plots of each ``nn.Conv2d`` argument's impact on parameters, forward time and output size.

As in the article's figures, the x axis is the number of output channels and the
argument studied varies across the series (``out-channels`` is on the x axis, so
its series vary the input size instead). Measuring and drawing are separate steps:

- :func:`plan` declares a sweep, a :class:`Plan` (:data:`DEFAULT_PLANS` are the
  article's seven figures); change any field with :func:`dataclasses.replace`;
- :func:`sweep` measures a plan into :class:`Measurement` rows with a backend:
  :func:`numpy_backend` (``convgif.conv2d``), :func:`torch_backend`, or any callable
  returning a :class:`Prepared`; the clock can be injected too;
- :func:`write_csv` and :func:`read_csv` store rows (columns :data:`COLUMNS`);
- :func:`draw` draws rows to a PNG or SVG; :func:`plot` does all of it, as
  ``convgif plot`` does.

One module per job: :mod:`.plan`, :mod:`.measure`, :mod:`.table` (CSV), :mod:`.figure`.

matplotlib is imported only inside :func:`draw`, torch only inside :func:`torch_backend`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..progress import ProgressCallback
from .figure import draw, image_format
from .measure import (
    COLUMNS,
    DEFAULT_REPEATS,
    Backend,
    Clock,
    Measurement,
    Prepared,
    numpy_backend,
    sweep,
    torch_backend,
)
from .plan import ARGUMENTS, DEFAULT_PLANS, Plan, PlotError, plan
from .table import PathLike, read_csv, write_csv


def plot(
    plan_or_argument: Plan | str,
    output: PathLike | None = None,
    *,
    csv: PathLike | None = None,
    from_csv: PathLike | None = None,
    repeats: int | None = None,
    backend: str | Backend | None = None,
    clock: Clock = time.perf_counter,
    progress: ProgressCallback | None = None,
    **changes: Any,
) -> list[Path]:
    """What ``convgif plot`` does: measure (or read ``from_csv``), write ``csv``, draw ``output``.

    ``plan_or_argument`` is a :class:`Plan` or an argument name, whose sweep
    ``changes`` (the keywords of :func:`plan`) adjust. ``repeats`` defaults to
    :data:`DEFAULT_REPEATS` and ``backend`` to ``"numpy"``; ``from_csv`` redraws
    without measuring, so it takes none of these. ``output`` defaults to
    ``plot-<argument>.png`` in the current folder. Returns the paths written, the
    CSV first. Paths are checked before anything is measured.
    """
    measuring = {"repeats": repeats, "backend": backend, **changes}
    given = sorted(name for name, value in measuring.items() if value is not None)
    if from_csv is not None and given:
        raise PlotError("from_csv redraws without measuring: drop " + ", ".join(given))
    if isinstance(plan_or_argument, str):
        the_plan = plan(plan_or_argument, **changes)
    elif changes:
        raise PlotError("changes apply to an argument name, not to a Plan: use "
                        "dataclasses.replace")
    else:
        the_plan = plan_or_argument
    figure = Path(f"plot-{the_plan.argument}.png" if output is None else output)
    image_format(figure)
    for path in (figure, csv):
        if path is not None and Path(path).is_dir():
            raise PlotError(f"{path} is a folder, not a file")
    if from_csv is not None:
        rows = read_csv(from_csv)
    else:
        rows = sweep(the_plan, repeats=repeats or DEFAULT_REPEATS, backend=backend or "numpy",
                     clock=clock, progress=progress)
    written = [] if csv is None else [write_csv(rows, csv)]
    written.append(draw(rows, figure))
    return written


__all__ = ["ARGUMENTS", "COLUMNS", "DEFAULT_PLANS", "DEFAULT_REPEATS", "Measurement", "Plan",
           "PlotError", "Prepared", "draw", "numpy_backend", "plan", "plot", "read_csv", "sweep",
           "torch_backend", "write_csv"]
