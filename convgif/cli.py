"""The ``convgif`` command line: parse options, call the library once, report.

Every command's work is a library call; this module only turns strings into
arguments and library errors into one-line usage errors (exit code 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from .spec import DEFAULTS, PADDING_MODES, ConvSpec, SpecError
from .trace import trace

EXIT_USAGE = 2


class PairType(click.ParamType):
    """An int or an (h, w) pair written ``3``, ``3,2`` or ``3x2``."""

    name = "pair"

    def __init__(self, minimum: int = 1, words: tuple[str, ...] = ()) -> None:
        self.minimum = minimum
        self.words = words

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        """Parse ``value`` into an int, an (h, w) tuple, or one of ``words``."""
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in self.words:
            return text
        parts = text.replace("x", ",").split(",")
        try:
            numbers = [int(p, 10) for p in parts]
        except ValueError:
            numbers = []
        if len(numbers) not in (1, 2) or any(n < self.minimum for n in numbers):
            rule = "positive integers" if self.minimum == 1 else f"integers >= {self.minimum}"
            extra = "".join(f", or '{w}'" for w in self.words)
            self.fail(f"{value!r} must be N, N,M or NxM with {rule}{extra}", param, ctx)
        return numbers[0] if len(numbers) == 1 else (numbers[0], numbers[1])


PAIR = PairType()
PADDING = PairType(minimum=0, words=("same", "valid"))


def _pair_default(value: object) -> str:
    return str(value) if not isinstance(value, tuple) else f"{value[0]}x{value[1]}"


def layer_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the nn.Conv2d options (article's headline layer as defaults) to a command."""
    options = [
        click.option("--in-channels", type=click.IntRange(min=1),
                     default=DEFAULTS["in_channels"], show_default=True,
                     help="Input channels (C_in)."),
        click.option("--size", "input_size", type=PAIR, metavar="HxW",
                     default=_pair_default(DEFAULTS["input_size"]), show_default=True,
                     help="Input height and width (one number for a square)."),
        click.option("--out-channels", type=click.IntRange(min=1),
                     default=DEFAULTS["out_channels"], show_default=True,
                     help="Output channels (C_out)."),
        click.option("-k", "--kernel-size", type=PAIR, metavar="K",
                     default=_pair_default(DEFAULTS["kernel_size"]), show_default=True,
                     help="Kernel size: 3, 3,2 or 3x2."),
        click.option("-s", "--stride", type=PAIR, metavar="S",
                     default=_pair_default(DEFAULTS["stride"]), show_default=True,
                     help="Stride: 2, 1,3 or 1x3."),
        click.option("-p", "--padding", type=PADDING, metavar="P",
                     default=_pair_default(DEFAULTS["padding"]), show_default=True,
                     help="Padding: 1, 1,2, 1x2, 'same' or 'valid'."),
        click.option("-d", "--dilation", type=PAIR, metavar="D",
                     default=_pair_default(DEFAULTS["dilation"]), show_default=True,
                     help="Dilation: 2, 4,2 or 4x2."),
        click.option("-g", "--groups", type=click.IntRange(min=1),
                     default=DEFAULTS["groups"], show_default=True,
                     help="Groups (must divide both channel counts)."),
        click.option("--bias/--no-bias", default=DEFAULTS["bias"], show_default=True,
                     help="Whether the layer has a bias."),
        click.option("--padding-mode", type=click.Choice(PADDING_MODES),
                     default=DEFAULTS["padding_mode"], show_default=True,
                     help="How padding cells are filled."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_spec(**layer: Any) -> ConvSpec:
    """A ConvSpec from parsed layer options; a SpecError becomes a usage error."""
    try:
        return ConvSpec(**layer)
    except SpecError as error:
        raise click.UsageError(str(error)) from None


def _shape_text(spec: ConvSpec) -> str:
    c, h, w = spec.input_shape
    ph, pw = spec.padded_size
    kh, kw = spec.kernel
    lines = [
        f"input        {spec.input_shape}, padded to {ph}x{pw} ({spec.padding_mode})",
        f"output       {spec.output_shape}",
        f"             {spec.formula(0)}",
        f"             {spec.formula(1)}",
        f"parameters   {spec.n_params:,} = {spec.n_weights:,} weights "
        f"({spec.out_channels} x {spec.groups_in} x {kh} x {kw}) + {spec.n_bias:,} bias",
        f"MACs         {spec.macs:,}",
        f"frames       {spec.n_steps:,}",
        f"caption      {spec.caption}",
        f"torch        {spec.torch_repr()}",
    ]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="convgif")
def cli() -> None:
    """See what a 2D convolution layer (torch.nn.Conv2d) does in the forward pass."""


@cli.command()
@layer_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def shape(as_json: bool, **layer: Any) -> None:
    """Print the output shape (with its formula), parameters, MACs and frame count."""
    spec = build_spec(**layer)
    if as_json:
        click.echo(json.dumps(spec.summary()))
    else:
        click.echo(_shape_text(spec))


@cli.command(name="trace")
@layer_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (JSON Lines).")
def trace_command(as_json: bool, **layer: Any) -> None:
    """Print the sliding steps: output cell per group and the input cell of every tap."""
    spec = build_spec(**layer)
    for step in trace(spec):
        if as_json:
            click.echo(json.dumps(step.to_dict()))
        else:
            cells = " ".join(f"out[{o.channel},{o.row},{o.col}]" for o in step.outputs)
            top, left, bottom, right = step.window
            click.echo(f"step {step.index}: {cells} <- rows {top}..{bottom - 1}, "
                       f"cols {left}..{right - 1} (padded)")


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"convgif: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error is one line on stderr and exit code 2, never a traceback."""
    try:
        cli.main(args=argv, prog_name="convgif", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.ClickException as error:
        _fail(error.format_message(), EXIT_USAGE)
    except (SpecError, OSError) as error:
        _fail(str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
