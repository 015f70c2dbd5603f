"""Mutation testing of convgif's newer modules: does the suite catch the bugs a developer
really writes?

Run ``python benchmarks/mutation.py [--jobs 1] [--only NAME ...] [--tests-at REV]``.

:data:`MUTANTS` is a table of realistic one-line bugs in the modules added since the
values (the engine kinds, the layer kinds, values, the formula builder, the writers,
the player page, stills and ``--scale``): each is a file, the exact text it replaces
(found exactly once), the replacement and what a user would see. Each mutant is
applied to a copy of the package in a temporary folder (the working tree is never
touched); then, with that copy first on ``PYTHONPATH``, the mutant's test files
(:data:`TESTS`, by module) run in a subprocess (``pytest -x``, a fixed hypothesis
seed, a timeout). A mutant the tests miss is then given to ruff and to the golden
tests (:data:`GOLDEN`: byte snapshots, the gallery's ``--check`` and the
per-frame pixel hashes), which fail for many reasons besides the one that matters.

Prints one row per mutant (killed or survived, and the first test that failed) and
the kill rate without the golden tests and the linter (the target: at least 90%),
and with them. ``--tests-at REV`` runs the test files as they were at a git
revision (``--tests-at c1465b1``: the suite before issue 24's tests), against
today's code. A mutant whose text is no longer in its file is listed as stale and
left out of the rates. The mutants marked held out were written after the tests,
to see whether they catch bugs they were not written for: their rate is printed
apart too.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90  # kill rate without golden tests and linter
TIMEOUT_S = 600
# What the tests read besides the package and the tests themselves (copied: the gallery's
# --check links its README to the package beside it).
SHARED = ("README.md", "pyproject.toml", "gallery", "examples", "docs", "benchmarks")


@dataclass(frozen=True)
class Mutant:
    """One realistic bug: in ``file`` (under convgif/), ``original`` becomes ``replacement``."""

    name: str
    kind: str  # the kind of weakness it probes (issue 24's list)
    file: str
    original: str
    replacement: str
    sees: str  # what a user would see
    held_out: bool = False  # written after the tests, to see whether they catch bugs unseen


def _m(name: str, kind: str, file: str, original: str, replacement: str, sees: str,
       held_out: bool = False) -> Mutant:
    return Mutant(name, kind, file, original, replacement, sees, held_out)


MUTANTS: tuple[Mutant, ...] = (
    # -- engine kinds -------------------------------------------------------------------------
    _m("transposed-crop-swapped", "non-square", "engine/transposed.py",
       "out = full[:, :, ph:, pw:]", "out = full[:, :, pw:, ph:]",
       "ConvTranspose2d with padding=(1, 0): outputs cut from the wrong rows and columns"),
    _m("transposed-dilation-h-for-w", "non-square", "engine/transposed.py",
       "top, left = ky * dh, kx * dw", "top, left = ky * dh, kx * dh",
       "ConvTranspose2d with dilation=(2, 1): wrong outputs"),
    _m("transposed-keep-stride-h", "non-square", "engine/transposed.py",
       "keep_w = min(wd, (full.shape[3] - 1 - left) // sw + 1)",
       "keep_w = min(wd, (full.shape[3] - 1 - left) // sh + 1)",
       "ConvTranspose2d with stride=(1, 2) and output cut: a crash or wrong outputs"),
    _m("maxpool-int-fill-zero", "engine", "engine/pooling.py",
       "fill = int(np.iinfo(x.dtype).min)", "fill = 0",
       "max pooling of negative integers with padding returns 0 from the padding"),
    _m("avgpool-divisors-transposed", "non-square", "engine/pooling.py",
       "out /= np.outer(rows, cols).astype(dtype)", "out /= np.outer(cols, rows).astype(dtype)",
       "average pooling of a non-square input: wrong divisors or a crash"),
    _m("pool-taps-stride-h-for-w", "non-square", "engine/pooling.py",
       "left:left + (ow - 1) * width.stride + 1:width.stride]",
       "left:left + (ow - 1) * width.stride + 1:height.stride]",
       "pooling with stride=(1, 2): wrong outputs or a crash"),
    # -- layer kinds: printed output-size formulas --------------------------------------------
    _m("formula-uneven-padding-as-2p", "formula arithmetic", "layers/geometry.py",
       'pad = f"2*{self.before}" if self.before == self.after else '
       'f"{self.before} + {self.after}"',
       'pad = f"2*{self.before}"',
       "'same' with an even kernel prints 2*1 where the padding is 1 + 2: the printed "
       "arithmetic is not the size it claims"),
    _m("formula-ceil-printed-as-floor", "formula arithmetic", "layers/geometry.py",
       'rounding = "ceil" if self.ceil else "floor"', 'rounding = "floor"',
       "a ceil_mode pooling formula says floor(...) = 3 where floor gives 2"),
    _m("formula-kernel-dilation-swapped", "formula arithmetic", "layers/geometry.py",
       'f"{self.name} = {rounding}(({self.size} + {pad} - {self.dilation}*({self.kernel}-1)"',
       'f"{self.name} = {rounding}(({self.size} + {pad} - {self.kernel}*({self.dilation}-1)"',
       "dilation 2, kernel 3: the formula subtracts 3*(2-1) where the footprint takes 2*(3-1)"),
    _m("transposed-formula-drops-output-padding", "formula arithmetic",
       "layers/conv_transpose2d.py",
       'f"{name} = ({size}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out}"',
       'f"{name} = ({size}-1)*{s} - 2*{p} + {d}*({k}-1) + 1 = {out}"',
       "with output_padding=1 the printed sum is one less than the size it claims"),
    # -- layer kinds: positional parameter order ----------------------------------------------
    _m("convt-positional-padding-output-padding", "positional order",
       "layers/conv_transpose2d.py",
       '"in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding",',
       '"in_channels", "out_channels", "kernel_size", "stride", "output_padding", "padding",',
       "nn.ConvTranspose2d(2, 1, 3, 2, 1, 1) pasted with padding and output_padding swapped"),
    _m("maxpool-positional-ceil-mode", "positional order", "layers/pooling.py",
       '"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")',
       '"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices")',
       "nn.MaxPool2d(3, 2, 1, 1, False, True) pasted without its ceil_mode"),
    _m("avgpool-positional-count-include-pad", "positional order", "layers/pooling.py",
       '"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",',
       '"kernel_size", "stride", "padding", "count_include_pad", "ceil_mode",',
       "nn.AvgPool2d(3, 2, 1, True, False) pasted with ceil_mode and count_include_pad swapped"),
    _m("conv1d-positional-dilation-padding", "positional order", "layers/conv1d.py",
       '"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",',
       '"in_channels", "out_channels", "kernel_size", "stride", "dilation", "padding",',
       "nn.Conv1d(2, 4, 3, 1, 1, 2) pasted with padding and dilation swapped"),
    _m("values-convt-groups-dilation-swapped", "positional order", "values.py",
       "layer.groups, layer.dilation)", "layer.dilation, layer.groups)",
       "ConvTranspose2d with groups=2 or dilation=2 and values: wrong numbers or a refusal"),
    # -- 'same' padding's side, uneven padding's sources -----------------------------------
    _m("conv1d-same-extra-on-left", "same side", "layers/conv1d.py",
       "return (total // 2, total - total // 2)", "return (total - total // 2, total // 2)",
       "Conv1d padding='same', kernel 4: the extra cell drawn on the left, caption P : (2, 1), "
       "taps reading other cells than the numbers came from"),
    _m("conv2d-same-extra-on-top-left", "same side", "layers/conv2d.py",
       "return (th // 2, th - th // 2, tw // 2, tw - tw // 2)",
       "return (th - th // 2, th // 2, tw - tw // 2, tw // 2)",
       "Conv2d padding='same', kernel 4: the extra row on top: pictures and numbers shifted"),
    _m("values-sources-before-after-swapped", "padding sources", "values.py",
       "rows = source_indices(height.size, height.before, height.after, mode)",
       "rows = source_indices(height.size, height.after, height.before, mode)",
       "'same' reflect with an even kernel: padding rows hold and mark the wrong source rows"),
    _m("copied-mark-column-uses-top-padding", "padding sources", "draw/conv2d_values.py",
       'source[1] + width.before), c["copied"])', 'source[1] + height.before), c["copied"])',
       "padding=(1, 2) reflect: the copied-from marks one column off"),
    # -- pooling's divisor --------------------------------------------------------------------
    _m("divisor-cols-indexed-by-row", "pooling divisor", "layers/pooling.py",
       "return rows[row] * cols[col]", "return rows[row] * cols[row]",
       "the average pooling formula divides by another cell's divisor than the engine"),
    _m("formula-divisor-row-col-swapped", "pooling divisor", "layout/numbers.py",
       "lambda r, c: 1)(output.row, output.col)", "lambda r, c: 1)(output.col, output.row)",
       "non-square average pooling: the formula's divisor is the transposed cell's"),
    # -- caption fields -----------------------------------------------------------------------
    _m("caption-op-shows-padding", "caption field", "layers/conv_transpose2d.py",
       '("OP", str(self.output_padding))', '("OP", str(self.padding))',
       "ConvTranspose2d's caption says OP : (1, 1) for output_padding=0"),
    _m("caption-pool-stride-shows-kernel", "caption field", "layers/pooling.py",
       '("P", str(self.padding)), ("S", str(self.stride))]',
       '("P", str(self.padding)), ("S", str(self.kernel_size))]',
       "MaxPool2d(3, stride=1)'s caption says S : (3, 3)"),
    _m("caption-conv1d-dilation-shows-stride", "caption field", "layers/conv1d.py",
       '("D", str(self.dilation))', '("D", str(self.stride))',
       "Conv1d's caption says D : 1 for dilation=2"),
    _m("caption-count-include-pad-inverted", "caption field", "layers/pooling.py",
       '*([("count_include_pad", "False")] if not self.count_include_pad else []),',
       '*([("count_include_pad", "False")] if self.count_include_pad else []),',
       "AvgPool2d's caption says count_include_pad : False for a layer that counts padding"),
    # -- torch lines that drop a default -----------------------------------------------------
    _m("pool-stride-default-1", "torch_repr default", "layers/pooling.py",
       '("stride", torch_pair(self.stride), torch_pair(self.kernel_size)),',
       '("stride", torch_pair(self.stride), "1"),',
       "MaxPool2d(3, stride=1) printed as nn.MaxPool2d(3), which is stride 3"),
    _m("avgpool-count-include-pad-default-false", "torch_repr default", "layers/pooling.py",
       '("count_include_pad", str(self.count_include_pad), "True"),',
       '("count_include_pad", str(self.count_include_pad), "False"),',
       "count_include_pad=False dropped from the nn. line, which rebuilds another layer"),
    _m("conv1d-padding-str-not-repr", "torch_repr default", "layers/conv1d.py",
       '("padding", repr(self.padding), "0")', '("padding", str(self.padding), "0")',
       "nn.Conv1d(..., padding=same): the printed line is not a literal, --torch refuses it"),
    # -- formula strings ----------------------------------------------------------------------
    _m("factor-without-parentheses", "formula string", "layout/numbers.py",
       'return f"({text})" if text.startswith("-") else text', "return text",
       "products print as 1*-1 instead of 1*(-1)"),
    _m("minus-zero-shown", "formula string", "layout/numbers.py",
       'if text not in ("0", "-0"):', 'if text != "0":',
       "a tiny negative number shows as -0"),
    _m("signed-double-minus", "formula string", "layout/numbers.py",
       'out += f" - {part[1:]}"', 'out += f" - {part}"',
       "sums print 1 - -2 instead of 1 - 2"),
    _m("average-joined-with-plus", "formula string", "layout/numbers.py",
       'f"{head}({_signed(inputs)}) / {divisor}"', "f\"{head}({' + '.join(inputs)}) / {divisor}\"",
       "average pooling prints (1 + -2) / 2"),
    _m("decimals-fixed-at-2", "formula string", "layout/numbers.py",
       'if integral else f"{value:.{decimals}f}")', 'if integral else f"{value:.2f}")',
       "--decimals 3 still shows 2 decimals"),
    _m("integral-ignores-outputs", "formula string", "values.py",
       "for a in (x, w, b, finite_out))", "for a in (x, w, b))",
       "an average of integers shown rounded: = 2 for = 1.67"),
    _m("transposed-kernel-not-flipped", "formula string", "layers/conv_transpose2d.py",
       "kh - 1 - tap[0], kw - 1 - tap[1])", "tap[0], tap[1])",
       "the transposed convolution's formula multiplies by the unflipped kernel: its products "
       "do not add up to the output shown"),
    _m("max-picked-in-channel-0", "formula string", "draw/conv2d_values.py",
       "if padded[out.group, tap.row, tap.col] == target),",
       "if padded[0, tap.row, tap.col] == target),",
       "max pooling on 2 channels marks channel 0's maximum in every channel"),
    _m("formula-longest-when-nothing-fits", "formula string", "layout/numbers.py",
       "for form in forms if text_width(form, size) <= width), forms[-1])",
       "for form in forms if text_width(form, size) <= width), forms[0])",
       "a formula too long for any form runs off the canvas"),
    # -- player and writers' timings ----------------------------------------------------------
    _m("html-hold-is-last-frame-time", "player timing", "writers/html.py",
       '"hold": str(header.hold)', '"hold": str(header.duration + header.hold)',
       "the HTML player holds the last frame one frame time too long"),
    _m("player-last-off-by-one", "player timing", "writers/player.html",
       "const last = shown === N - 1;", "const last = shown === N;",
       "the HTML player never holds the last frame"),
    _m("player-speed-multiplies", "player timing", "writers/player.html",
       "(DURATION + (last ? HOLD : 0)) / Number(speed.value)",
       "(DURATION + (last ? HOLD : 0)) * Number(speed.value)",
       "the player's 2x speed plays at half speed"),
    _m("player-loop-one-more", "player timing", "writers/player.html",
       "if (LOOP > 0 && plays >= LOOP)", "if (LOOP > 0 && plays > LOOP)",
       "--loop 2 plays twice in the GIF, three times in the player"),
    _m("webp-no-hold", "writer timing", "writers/webp.py",
       "durations = [h.duration] * (h.frames - 1) + [h.duration + h.hold]",
       "durations = [h.duration] * h.frames",
       "the WebP does not hold its last frame"),
    _m("apng-no-loop", "writer timing", "writers/apng.py",
       'struct.pack(">II", header.frames, header.loop)', 'struct.pack(">II", header.frames, 0)',
       "the APNG loops forever whatever --loop says"),
    _m("apng-centiseconds", "writer timing", "writers/apng.py",
       "left, top, delay, 1000, 0, 0)", "left, top, delay, 100, 0, 0)",
       "the APNG plays ten times too slowly"),
    _m("mp4-tick-is-duration", "writer timing", "writers/mp4.py",
       "self.tick = math.gcd(header.duration, header.duration + header.hold)",
       "self.tick = header.duration",
       "an MP4 with --duration 250 --hold 100 loses the hold"),
    _m("mp4-close-without-hold", "writer timing", "writers/mp4.py",
       "        self._flush(self.header.duration + self.header.hold)\n"
       "        self._video.close()",
       "        self._flush(self.header.duration)\n        self._video.close()",
       "the MP4 does not hold its last frame"),
    # -- interrupts ---------------------------------------------------------------------------
    _m("atomic-path-keeps-temp-on-ctrl-c", "interrupt temp file", "writers/atomic.py",
       "    except BaseException:\n        temp.unlink(missing_ok=True)",
       "    except Exception:\n        temp.unlink(missing_ok=True)",
       "Ctrl-C during an MP4 render leaves .out.mp4.<pid>.tmp.mp4 behind"),
    # -- stills and --scale -------------------------------------------------------------------
    _m("frame-skipping-ahead-keeps-state", "stills order", "draw/frames.py",
       "if planned.start != self.done:", "if planned.start < self.done:",
       "--frame 5 (or 2 then 5) shows the outputs of the steps it skipped as not computed"),
    _m("stills-in-drawing-order", "stills order", "animate.py",
       "return [written[index] for index in indices]", "return list(written.values())",
       "stills([5, 2]) reports its files in drawing order, not the order asked"),
    _m("scale-number-size", "--scale text", "layout/parts.py",
       "None if self.number_size is None else self.number_size * scale,",
       "None if self.number_size is None else self.number_size,",
       "--scale 2 draws the numbers in cells at the 1x size"),
    _m("scale-font-size", "--scale text", "layout/parts.py",
       "self.layer, self.cell * scale, self.font_size * scale, self.width * scale,",
       "self.layer, self.cell * scale, self.font_size, self.width * scale,",
       "--scale 2 draws the status and formula lines at the 1x size"),
    # -- held out: written after the tests, to see whether they catch bugs not aimed at -----
    _m("convt-macs-all-output-channels", "counts", "layers/conv_transpose2d.py",
       "return self.in_channels * h * w * self.out_per_group * kh * kw",
       "return self.in_channels * h * w * self.out_channels * kh * kw",
       "convgif shape reports groups times the MACs of a grouped ConvTranspose2d",
       held_out=True),
    _m("copied-marks-only-for-reflect", "padding sources", "values.py",
       'if mode != "zeros":', 'if mode == "reflect":',
       "replicate and circular padding show no copied-from marks", held_out=True),
    _m("live-module-bias-inverted", "torch lines", "layers/build.py",
       'arguments[name] = getattr(module, "bias", None) is not None',
       'arguments[name] = getattr(module, "bias", None) is None',
       "a live module with a bias becomes a layer without one, and the other way round",
       held_out=True),
    _m("avgpool-divisor-counts-right-padding", "pooling divisor", "layers/pooling.py",
       "start, end = max(start, 0), min(end, axis.size)", "start, end = max(start, 0), end",
       "count_include_pad=False still counts the padding after the input", held_out=True),
    _m("player-step-label-zero-based", "player", "writers/player.html",
       "stepLabel.textContent = `${i + 1} / ${N}`;", "stepLabel.textContent = `${i} / ${N}`;",
       "the player's step counter says 0 / 18 on the first step", held_out=True),
    _m("short-form-counts-channels", "formula string", "layout/numbers.py",
       'with_bias(f"({len(terms)} products: {total})")',
       'with_bias(f"({len(channels)} products: {total})")',
       "the shortest formula says 3 products where it sums 27", held_out=True),
    _m("player-frame-count-one-short", "player", "writers/html.py",
       '"frames": str(header.frames)', '"frames": str(header.frames - 1)',
       "the player never shows the last frame", held_out=True),
)

# The test files each module's mutants run against (golden tests apart), fastest first.
NEW_KINDS = ("tests/test_layer_lines.py", "tests/test_size_formulas.py")
TESTS: dict[str, tuple[str, ...]] = {
    "engine/": ("tests/test_engine_kinds.py", "tests/test_house.py", "tests/test_kinds.py",
                "tests/test_step_numbers.py"),
    "layers/": (*NEW_KINDS, "tests/test_house.py", "tests/test_kinds.py",
                "tests/test_engine_kinds.py", "tests/test_spec.py", "tests/test_cli_shape.py",
                "tests/test_step_numbers.py", "tests/test_padding.py"),
    "values.py": ("tests/test_step_numbers.py", "tests/test_padding.py",
                  "tests/test_formula_strings.py", "tests/test_values.py", "tests/test_kinds.py",
                  "tests/test_house.py"),
    "layout/numbers.py": ("tests/test_formula_strings.py", "tests/test_step_numbers.py",
                          "tests/test_values.py", "tests/test_kinds.py"),
    "layout/parts.py": ("tests/test_stills.py", "tests/test_layout.py", "tests/test_render.py"),
    "draw/": ("tests/test_padding.py", "tests/test_step_numbers.py", "tests/test_stills.py",
              "tests/test_values.py", "tests/test_kinds.py", "tests/test_render.py"),
    "writers/": ("tests/test_timings.py", "tests/test_formats.py", "tests/test_player.py",
                 "tests/test_writers.py", "tests/test_interrupts.py", "tests/test_hostile.py"),
    "animate.py": ("tests/test_stills.py", "tests/test_render.py", "tests/test_interrupts.py",
                   "tests/test_hostile.py"),
}
GOLDEN = ("tests/test_golden_pixels.py", "tests/test_snapshots.py", "tests/test_gallery.py")


def tests_for(mutant: Mutant) -> tuple[str, ...]:
    """The test files a mutant's module runs against."""
    for prefix, files in TESTS.items():
        if mutant.file.startswith(prefix):
            return files
    raise KeyError(f"no tests for {mutant.file}: add its module to TESTS")


@dataclass
class Result:
    """What became of one mutant."""

    mutant: Mutant
    verdict: str  # "killed", "survived", "stale"
    by_tests: str = ""  # the first failing test, "" if none
    by_golden: str = ""  # ruff or the first failing golden test, "" if none (or not run)
    seconds: float = 0.0


def _tests_tree(rev: str | None, into: Path) -> None:
    """The tests folder of the working tree, or of git revision ``rev``."""
    if rev is None:
        shutil.copytree(ROOT / "tests", into / "tests",
                        ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        return
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "tests"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def workspace(rev: str | None) -> Path:
    """A folder with a copy of the package, the tests and what they read."""
    work = Path(tempfile.mkdtemp(prefix="convgif-mutation-"))
    shutil.copytree(ROOT / "convgif", work / "convgif",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _tests_tree(rev, work)
    for name in SHARED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, work / name)
    return work


def _environment(work: Path) -> dict[str, str]:
    # No bytecode: a mutant the same size as the original must not reuse a stale .pyc.
    return {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}


FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)


def run_tests(work: Path, files: tuple[str, ...], timeout: float) -> tuple[bool, str]:
    """Run ``files`` (those present) with pytest -x; (passed, first failure)."""
    present = [f for f in files if (work / f).exists()]
    if not present:
        return True, ""
    shutil.rmtree(work / ".hypothesis", ignore_errors=True)  # no examples from other mutants
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
               "--no-header", "-rfE", "--hypothesis-seed=0", *present]
    try:
        done = subprocess.run(command, cwd=work, env=_environment(work), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timeout ({timeout:.0f} s)"
    if done.returncode == 0:
        return True, ""
    if done.returncode == 5:
        raise RuntimeError(f"no tests collected from {present}")
    found = FAILED.search(done.stdout)
    return False, found.group(1) if found else f"pytest exit {done.returncode}"


def run_ruff(work: Path, file: str) -> bool:
    """Whether ruff passes the mutated file (a Python file; line length aside: a
    replacement's length is this table's formatting, not the bug)."""
    if not file.endswith(".py"):
        return True
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "--extend-ignore",
                           "E501", f"convgif/{file}"], cwd=work, capture_output=True, text=True)
    return done.returncode == 0


def apply(work: Path, mutant: Mutant) -> str | None:
    """Write the mutant into ``work``; the original text, or None when it is stale."""
    path = work / "convgif" / mutant.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.original) != 1:
        return None
    path.write_text(text.replace(mutant.original, mutant.replacement), encoding="utf-8")
    return text


def judge(work: Path, mutant: Mutant, timeout: float) -> Result:
    """Apply ``mutant`` in ``work``, run its tests (then ruff and the golden tests if they
    pass), and put the file back."""
    start = time.perf_counter()
    original = apply(work, mutant)
    if original is None:
        return Result(mutant, "stale")
    try:
        passed, failure = run_tests(work, tests_for(mutant), timeout)
        result = Result(mutant, "survived" if passed else "killed", failure)
        if passed:
            if not run_ruff(work, mutant.file):
                result.by_golden = "ruff"
            else:
                golden_passed, golden_failure = run_tests(work, GOLDEN, timeout)
                result.by_golden = "" if golden_passed else golden_failure
    finally:
        (work / "convgif" / mutant.file).write_text(original, encoding="utf-8")
    result.seconds = time.perf_counter() - start
    return result


def baseline(work: Path, mutants: list[Mutant], timeout: float) -> None:
    """Fail unless every test file the mutants use passes on the unmutated code."""
    files = sorted({f for m in mutants for f in tests_for(m)} | set(GOLDEN))
    passed, failure = run_tests(work, tuple(files), timeout)
    if not passed:
        raise SystemExit(f"the tests fail without any mutant ({failure}): fix that first")


def _short(test: str) -> str:
    return test.removeprefix("tests/")[:70]


def report(results: list[Result], seconds: float) -> None:
    """The table and the kill rates (the held-out mutants' too)."""
    print("| mutant | kind | file | by the tests | by ruff or golden | s |\n"
          "|---|---|---|---|---|---|")
    for r in results:
        tests = _short(r.by_tests) if r.verdict == "killed" else r.verdict.upper()
        golden = "" if r.verdict != "survived" else (_short(r.by_golden) or "SURVIVED")
        name = f"{r.mutant.name} (held out)" if r.mutant.held_out else r.mutant.name
        print(f"| {name} | {r.mutant.kind} | {r.mutant.file} | {tests} | {golden} "
              f"| {r.seconds:.0f} |")
    live = [r for r in results if r.verdict != "stale"]
    stale = len(results) - len(live)
    killed = sum(r.verdict == "killed" for r in live)
    with_golden = killed + sum(r.verdict == "survived" and bool(r.by_golden) for r in live)
    total = max(1, len(live))
    verdict = "ok" if killed / total >= TARGET else "MISSED"
    print(f"\nkill rate without golden tests and linter: {killed}/{len(live)} "
          f"({100 * killed / total:.0f}%; target {100 * TARGET:.0f}%: {verdict})")
    print(f"kill rate with golden tests and linter:    {with_golden}/{len(live)} "
          f"({100 * with_golden / total:.0f}%)")
    held = [r for r in live if r.mutant.held_out]
    if held:
        print(f"of which held out (written after the tests): "
              f"{sum(r.verdict == 'killed' for r in held)}/{len(held)} killed without golden "
              f"tests and linter")
    if stale:
        print(f"stale (text no longer in its file, left out): {stale}")
    for r in live:
        if r.verdict == "survived":
            print(f"survived without golden tests: {r.mutant.name}: {r.mutant.sees}")
    print(f"{seconds:.0f} s")


def main() -> None:
    """Run the chosen mutants and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME",
                        help="run only these mutants (names or parts of names)")
    parser.add_argument("--tests-at", default=None, metavar="REV",
                        help="run the tests as they were at this git revision")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S,
                        help="seconds one pytest run may take (a timeout kills the mutant)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the check that the tests pass without mutants")
    args = parser.parse_args()
    mutants = [m for m in MUTANTS
               if args.only is None or any(part in m.name for part in args.only)]
    names = [m.name for m in MUTANTS]
    if len(set(names)) != len(names):
        raise SystemExit("mutant names must be unique")
    if args.list:
        for m in mutants:
            print(f"{m.name} ({m.kind}, {m.file}): {m.sees}")
        return
    start = time.perf_counter()
    workspaces: queue.Queue[Path] = queue.Queue()
    folders = [workspace(args.tests_at) for _ in range(max(1, args.jobs))]
    for folder in folders:
        workspaces.put(folder)
    try:
        if not args.no_baseline:
            baseline(folders[0], mutants, args.timeout)

        def one(mutant: Mutant) -> Result:
            work = workspaces.get()
            try:
                result = judge(work, mutant, args.timeout)
            finally:
                workspaces.put(work)
            print(f"{result.verdict:>8} {mutant.name} ({result.seconds:.0f} s)",
                  file=sys.stderr, flush=True)
            return result

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(one, mutants))
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    report(results, time.perf_counter() - start)


if __name__ == "__main__":
    main()
