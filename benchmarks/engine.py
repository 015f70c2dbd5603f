"""Time convgif's engine against torch on the CPU (float32) on a few common layer shapes.

Run ``python benchmarks/engine.py [--runs 7] [--rounds 9]``. Each round times
every NumPy case, pauses, then times every torch case (imported only then), so the
two BLAS thread pools never compete for the cores. This machine's speed drifts by
up to 2x within seconds, so rounds are short and many, and a case's ratio is the
median over rounds of (numpy median / torch median in that round): each ratio
compares blocks timed seconds apart. Prints the median and min milliseconds per
case over all rounds' calls (each block after two warm-up calls), that ratio with
the range of the rounds' ratios, and the geometric mean of the conv2d ratios.
Targets: dense conv2d layers within 1.5x of torch, depthwise within 4x, their
geometric mean within 2x; conv_transpose2d, max_pool2d and avg_pool2d within 3x.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import convgif

DENSE_TARGET, DEPTHWISE_TARGET, MEAN_TARGET, KINDS_TARGET = 1.5, 4.0, 2.0, 3.0
PAUSE_S = 0.5


@dataclass(frozen=True)
class Case:
    """One call: ``function`` (a name in both convgif and torch.nn.functional) on a
    random input of ``shape`` (and a weight of ``weight`` shape, with a bias)."""

    name: str
    function: str
    shape: tuple[int, int, int, int]
    weight: tuple[int, int, int, int] | None
    options: dict[str, object]
    target: float


CASES: list[Case] = [
    Case("(1,64,56,56)->64 K3 P1", "conv2d", (1, 64, 56, 56), (64, 64, 3, 3),
         {"padding": 1}, DENSE_TARGET),
    Case("(1,3,224,224)->64 K7 S2 P3", "conv2d", (1, 3, 224, 224), (64, 3, 7, 7),
         {"stride": 2, "padding": 3}, DENSE_TARGET),
    Case("(1,64,56,56)->64 K3 P2 D2", "conv2d", (1, 64, 56, 56), (64, 64, 3, 3),
         {"padding": 2, "dilation": 2}, DENSE_TARGET),
    Case("(1,128,56,56)->128 K3 P1 G128", "conv2d", (1, 128, 56, 56), (128, 1, 3, 3),
         {"padding": 1, "groups": 128}, DEPTHWISE_TARGET),
    Case("T (1,64,56,56)->32 K3 S2 P1 OP1", "conv_transpose2d", (1, 64, 56, 56),
         (64, 32, 3, 3), {"stride": 2, "padding": 1, "output_padding": 1}, KINDS_TARGET),
    Case("T (1,64,56,56)->64 K3 P1", "conv_transpose2d", (1, 64, 56, 56), (64, 64, 3, 3),
         {"padding": 1}, KINDS_TARGET),
    Case("max (1,64,112,112) K3 S2 P1", "max_pool2d", (1, 64, 112, 112), None,
         {"kernel_size": 3, "stride": 2, "padding": 1}, KINDS_TARGET),
    Case("max (1,64,56,56) K2", "max_pool2d", (1, 64, 56, 56), None, {"kernel_size": 2},
         KINDS_TARGET),
    Case("avg (1,64,56,56) K3 S1 P1", "avg_pool2d", (1, 64, 56, 56), None,
         {"kernel_size": 3, "stride": 1, "padding": 1, "count_include_pad": False},
         KINDS_TARGET),
    Case("avg (1,64,56,56) K2", "avg_pool2d", (1, 64, 56, 56), None, {"kernel_size": 2},
         KINDS_TARGET),
]


def arrays(case: Case) -> list[np.ndarray]:
    """Random float32 input, and weight and bias when the case has them."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(case.shape, dtype=np.float32)
    if case.weight is None:
        return [x]
    out = case.weight[0] if case.function == "conv2d" else (
        case.weight[1] * int(case.options.get("groups", 1)))  # type: ignore[call-overload]
    return [x, rng.standard_normal(case.weight, dtype=np.float32),
            rng.standard_normal(out, dtype=np.float32)]


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
    """Times in ms of convgif's function for every case."""
    results = []
    for case in CASES:
        function, operands = getattr(convgif, case.function), arrays(case)
        results.append(timed(lambda f=function, a=operands, o=case.options: f(*a, **o), runs))
    return results


def time_torch(runs: int) -> tuple[list[list[float]], str]:
    """Times in ms of torch.nn.functional's function (no grad) for every case, and a label."""
    import torch

    results = []
    with torch.no_grad():
        for case in CASES:
            function = getattr(torch.nn.functional, case.function)
            operands = [torch.from_numpy(a) for a in arrays(case)]
            results.append(timed(lambda f=function, a=operands, o=case.options: f(*a, **o),
                                 runs))
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
        for index, (numpy_case, torch_case) in enumerate(zip(numpy_round, torch_round,
                                                             strict=True)):
            numpy_times[index] += numpy_case
            torch_times[index] += torch_case
            round_ratios[index].append(statistics.median(numpy_case)
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
    for case, numpy_case, torch_case, case_ratios in zip(
            CASES, numpy_times, torch_times, round_ratios, strict=True):
        ratio = statistics.median(case_ratios)
        if case.function == "conv2d":
            ratios.append(ratio)
        print(f"{case.name:32} {statistics.median(numpy_case):7.2f} {min(numpy_case):7.2f} "
              f"{statistics.median(torch_case):7.2f} {min(torch_case):7.2f} "
              f"{ratio:6.2f} {min(case_ratios):5.2f}-{max(case_ratios):<5.2f}  <= "
              f"{case.target} {'ok' if ratio <= case.target else 'MISSED'}")
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"geometric mean ratio of conv2d: {geomean:.2f}  <= {MEAN_TARGET} "
          f"{'ok' if geomean <= MEAN_TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
