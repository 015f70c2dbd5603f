"""Time convgif.conv2d against torch on the CPU (float32) on a few common layer shapes.

Run ``python benchmarks/engine.py [--runs 7] [--rounds 9]``. Each round times
every NumPy case, pauses, then times every torch case (imported only then), so the
two BLAS thread pools never compete for the cores. This machine's speed drifts by
up to 2x within seconds, so rounds are short and many, and a case's ratio is the
median over rounds of (numpy median / torch median in that round): each ratio
compares blocks timed seconds apart. Prints the median and min milliseconds per
case over all rounds' calls (each block after two warm-up calls), that ratio with
the range of the rounds' ratios, and the geometric mean of the ratios. Targets:
dense layers within 1.5x of torch, depthwise within 4x, geometric mean within 2x.
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

DENSE_TARGET, DEPTHWISE_TARGET, MEAN_TARGET = 1.5, 4.0, 2.0
PAUSE_S = 0.5

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


def timed(run: Callable[[], object], runs: int) -> list[float]:
    """Wall times of ``run`` in ms, ``runs`` calls after two warm-up calls."""
    run()
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def time_numpy(runs: int) -> list[list[float]]:
    """Times in ms of convgif.conv2d for every case."""
    results = []
    for _, shape, out_channels, kernel, options in CASES:
        x, w, b = arrays(shape, out_channels, kernel, options.get("groups", 1))
        results.append(timed(lambda x=x, w=w, b=b, o=options: convgif.conv2d(x, w, b, **o), runs))
    return results


def time_torch(runs: int) -> tuple[list[list[float]], str]:
    """Times in ms of torch.nn.functional.conv2d (no grad) for every case, and a label."""
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
    parser.add_argument("--runs", type=int, default=7, help="timed calls per case and round")
    parser.add_argument("--rounds", type=int, default=9,
                        help="rounds of a numpy block then a torch block (this machine drifts)")
    args = parser.parse_args()
    numpy_times: list[list[float]] = [[] for _ in CASES]
    torch_times: list[list[float]] = [[] for _ in CASES]
    round_ratios: list[list[float]] = [[] for _ in CASES]
    for _ in range(args.rounds):
        numpy_round = time_numpy(args.runs)
        time.sleep(PAUSE_S)  # BLAS worker threads go idle before the other library runs
        torch_round, torch_label = time_torch(args.runs)
        time.sleep(PAUSE_S)
        for case, (numpy_case, torch_case) in enumerate(zip(numpy_round, torch_round,
                                                            strict=True)):
            numpy_times[case] += numpy_case
            torch_times[case] += torch_case
            round_ratios[case].append(statistics.median(numpy_case)
                                      / statistics.median(torch_case))
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                       "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
            if k in os.environ}
    print(f"numpy {np.__version__}, {torch_label}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}, env {blas or 'no OPENBLAS_/OMP_ variables'}; "
          f"{args.rounds} rounds x {args.runs} runs")
    print(f"{'case':32} {'numpy ms':>15} {'torch ms':>15} {'ratio':>6} {'rounds':>11}  target")
    print(f"{'':32} {'median   min':>15} {'median   min':>15}")
    ratios = []
    for (name, *_), numpy_case, torch_case, case_ratios in zip(
            CASES, numpy_times, torch_times, round_ratios, strict=True):
        ratios.append(statistics.median(case_ratios))
        target = DEPTHWISE_TARGET if "G128" in name else DENSE_TARGET
        print(f"{name:32} {statistics.median(numpy_case):7.2f} {min(numpy_case):7.2f} "
              f"{statistics.median(torch_case):7.2f} {min(torch_case):7.2f} "
              f"{ratios[-1]:6.2f} {min(case_ratios):5.2f}-{max(case_ratios):<5.2f}  <= {target} "
              f"{'ok' if ratios[-1] <= target else 'MISSED'}")
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"geometric mean ratio: {geomean:.2f}  <= {MEAN_TARGET} "
          f"{'ok' if geomean <= MEAN_TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
