"""Time ``convgif gallery --out FRESH``: a whole gallery regenerated in an empty folder.

Run ``python benchmarks/gallery.py [--runs 3]``. Prints each run's wall time, the
median and the target (under 10 s on 2 cores); figures are drawn from the
committed measurements, so nothing is re-measured.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 10.0


def main() -> None:
    """Regenerate the gallery in fresh folders and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh regenerations to time")
    args = parser.parse_args()
    times = []
    print("| run | files | seconds |\n|---|---|---|")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp) / "gallery"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "convgif", "gallery", "--out", str(folder),
                            "-q"], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            print(f"| {run} | {len(list(folder.iterdir()))} | {times[-1]:.2f} |")
    median = statistics.median(times)
    verdict = "ok" if median < TARGET_S else "MISSED"
    print(f"median of {len(times)}: {median:.2f} s (target < {TARGET_S:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
