"""Time convgif.conv2d against torch on the CPU (float32) on a few common layer shapes.

Run ``python benchmarks/engine.py [--runs 15]``. Every NumPy case runs first; torch
is imported and timed only afterwards, so the two BLAS thread pools never compete
for the cores. Prints the median and min milliseconds per case over ``--runs``
calls (after two warm-up calls), the ratio of the medians (numpy / torch) and the
geometric mean of the ratios. Targets: dense layers within 1.5x of torch,
depthwise within 4x, geometric mean within 2x.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

import convgif

# name, input shape, output channels, kernel size, other conv2d arguments.
CASES: list[tuple[str, tuple[int, int, int, int], int, int, dict[str, int]]] = [
    ("(1,64,56,56)->64 K3 P1", (1, 64, 56, 56), 64, 3, {"padding": 1}),
    ("(1,3,224,224)->64 K7 S2 P3", (1, 3, 224, 224), 64, 7, {"stride": 2, "padding": 3}),
    ("(1,64,56,56)->64 K3 P2 D2", (1, 64, 56, 56), 64, 3, {"padding": 2, "dilation": 2}),
    ("(1,128,56,56)->128 K3 P1 G128", (1, 128, 56, 56), 128, 3, {"padding": 1, "groups": 128}),
]


def arrays(
    shape: tuple[int, int, int, int], out_channels: int, kernel: int, groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random float32 input, weight and bias for one case."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((out_channels, shape[1] // groups, kernel, kernel), dtype=np.float32)
    b = rng.standard_normal(out_channels, dtype=np.float32)
    return x, w, b


def timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and min wall time of ``run`` in ms, after two warm-up calls."""
    run()
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def time_numpy(runs: int) -> list[tuple[float, float]]:
    """(median, min) ms of convgif.conv2d for every case."""
    results = []
    for _, shape, out_channels, kernel, options in CASES:
        x, w, b = arrays(shape, out_channels, kernel, options.get("groups", 1))
        results.append(timed(lambda x=x, w=w, b=b, o=options: convgif.conv2d(x, w, b, **o), runs))
    return results


def time_torch(runs: int) -> tuple[list[tuple[float, float]], str]:
    """(median, min) ms of torch.nn.functional.conv2d (no grad) for every case, and a label."""
    import torch

    results = []
    with torch.no_grad():
        for _, shape, out_channels, kernel, options in CASES:
            x, w, b = (torch.from_numpy(a) for a in
                       arrays(shape, out_channels, kernel, options.get("groups", 1)))
            results.append(timed(
                lambda x=x, w=w, b=b, o=options: torch.nn.functional.conv2d(x, w, b, **o), runs))
    return results, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def main() -> None:
    """Time every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed calls per case")
    runs = parser.parse_args().runs
    numpy_times = time_numpy(runs)
    torch_times, torch_label = time_torch(runs)
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                       "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
            if k in os.environ}
    print(f"numpy {np.__version__}, {torch_label}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}, env {blas or 'no OPENBLAS_/OMP_ variables'}")
    print(f"{'case':32} {'numpy ms':>15} {'torch ms':>15} {'ratio':>6}")
    print(f"{'':32} {'median   min':>15} {'median   min':>15}")
    ratios = []
    rows = zip(CASES, numpy_times, torch_times, strict=True)
    for (name, *_), (n_med, n_min), (t_med, t_min) in rows:
        ratios.append(n_med / t_med)
        print(f"{name:32} {n_med:7.2f} {n_min:7.2f} {t_med:7.2f} {t_min:7.2f} {ratios[-1]:6.2f}")
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"geometric mean ratio: {geomean:.2f}")


if __name__ == "__main__":
    main()
