"""The ``convgif`` command line: parse options, call the library once, report.

Every command's work is a library call; this module only turns strings into
arguments and library errors into one-line usage errors (exit code 2).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import click
from click.core import ParameterSource

from . import animate
from .arrays import is_picture
from .checkpoints import read_tensors, shape_text
from .flags import Flag, pair_text
from .layers import (
    KINDS,
    ConvgifError,
    OptionError,
    WindowLayer,
    layer_from_torch,
    make_layer,
    parse_pair,
    parse_torch,
)
from .options import FLAGS as RENDER_FLAGS
from .options import NAMES as RENDER_OPTIONS
from .trace import trace
from .values import FLAGS as VALUE_FLAGS
from .values import NAMES as VALUE_NAMES
from .values import Values, fit_input, values_for
from .writers import WRITERS

EXIT_USAGE = 2
STDOUT = "-"  # -o -: the animation on standard output
FORMATS = tuple(extension[1:] for extension in WRITERS)  # --format's names: gif, webp...
PROGRESS_MIN_FRAMES = 100  # shorter renders finish before a bar would help
GIF_SITE_LIMIT = 500  # dev.to refuses GIFs of more frames


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
        try:
            parsed = parse_pair(text)
        except ValueError:
            parsed = -1
        numbers = parsed if isinstance(parsed, tuple) else (parsed,)
        if min(numbers) < self.minimum:
            rule = "positive integers" if self.minimum == 1 else f"integers >= {self.minimum}"
            extra = "".join(f", or '{w}'" for w in self.words)
            self.fail(f"{value!r} must be N, N,M or NxM with {rule}{extra}", param, ctx)
        return parsed


PAIR = PairType()
PADDING = PairType(minimum=0, words=("same", "valid"))


class Progress:
    """A progress bar on stderr that appears only once work has started (not before errors)."""

    def __init__(self, label: str, hidden: bool) -> None:
        self.label, self.length, self.hidden = label, 0, hidden
        self.bar: Any = None

    def update(self, done: int, total: int) -> None:
        """Show that ``done`` items of ``total`` are finished (the progress convention)."""
        if self.hidden:
            return
        self.length = total
        if self.bar is None:
            self.bar = click.progressbar(length=self.length, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


_TYPES: dict[str, Any] = {"count": click.IntRange(min=1), "int": int, "pair": PAIR,
                         "padding": PADDING, "cell": int, "text": str,
                         "offset": PairType(minimum=0)}


def _option(flag: Flag) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The Click option of a declared flag."""
    if flag.kind == "switch":
        name = flag.names[0]
        return click.option(f"{name}/--no-{name[2:]}", flag.field, default=flag.default,
                            show_default=flag.show_default, help=flag.help)
    kind = click.Choice(flag.choices) if flag.kind == "choice" else _TYPES[flag.kind]
    return click.option(*flag.names, flag.field, type=kind, default=flag.default,
                        show_default=flag.show_default, metavar=flag.metavar, help=flag.help)


def flag_options(flags: tuple[Flag, ...]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the options of ``flags`` to a command, in their order."""
    def add(command: Callable[..., Any]) -> Callable[..., Any]:
        for flag in reversed(flags):
            command = _option(flag)(command)
        return command
    return add


# Every kind's flags, once each, in the kinds' order (a flag two kinds share is Conv2d's).
_BY_FIELD: dict[str, Flag] = {}
for _kind in KINDS.values():
    for _flag in _kind.flags:
        _BY_FIELD.setdefault(_flag.field, _flag)
LAYER_FLAGS: tuple[Flag, ...] = tuple(_BY_FIELD.values())
LAYER_FIELDS = tuple(_BY_FIELD)


def layer_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--layer``, ``--torch`` and every kind's flags."""
    command = flag_options(LAYER_FLAGS)(command)
    command = click.option(
        "--torch", "torch", metavar="'nn.X(...)'",
        help="The layer as PyTorch writes it, e.g. 'nn.ConvTranspose2d(2, 1, 3, stride=2)' "
             "(nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d, nn.Conv1d; "
             "literals only), on an input of --size (and --in-channels for pooling).")(command)
    return click.option(
        "--layer", "layer", type=click.Choice(list(KINDS)), default="conv2d",
        show_default=True,
        help="The layer kind. Without layer flags, its example layer (conv2d: the "
             "article's headline, nn.Conv2d(3, 2, kernel_size=3, stride=2, padding=1, "
             "dilation=2) on a (3, 7, 7) input); with any, flags not given take PyTorch's "
             "defaults (shown; channels, kernel and size: conv2d's shown).")(command)


def _given(names: tuple[str, ...]) -> set[str]:
    """The options of ``names`` the command line gives (not left at their defaults)."""
    ctx = click.get_current_context()
    return {name for name in names
            if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT}


value_options = flag_options(VALUE_FLAGS)
INPUT_FIELDS = ("input", "normalize", "input_layout")  # how an input is read: shape's too


def _layer(arguments: dict[str, Any], given: set[str] | None = None) -> WindowLayer:
    """The layer the command line describes (its layer options are popped): ``--torch``'s
    line, else the ``--layer`` kind from the flags given (``given``: those the command
    line gives, by default), its own defaults for the others."""
    kind, line = arguments.pop("layer"), arguments.pop("torch")
    values = {name: arguments.pop(name) for name in LAYER_FIELDS}
    given = _given(LAYER_FIELDS) if given is None else given
    if line is None:
        return make_layer(kind, **{name: values[name] for name in given})
    extra = sorted(given - {"input_size", "in_channels", "output_size"})
    if extra:
        raise click.UsageError(f"--torch gives the layer: drop --{extra[0].replace('_', '-')} "
                               f"(only --size, --in-channels and --output-size go with it)")
    try:
        parsed = parse_torch(line)
        kind_class = parsed.kind
        if kind_class.kind != kind and _given(("layer",)):
            raise click.UsageError(f"--layer {kind} disagrees with --torch's "
                                   f"nn.{kind_class.torch_name}: drop --layer")
        if parsed.note:
            click.echo(f"note: {parsed.note}", err=True)
        size = values["input_size"] if "input_size" in given else kind_class.defaults[
            "input_size"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the note above says it
            return layer_from_torch(line, size, values["in_channels"] if "in_channels" in given
                                    else None, values["output_size"])
    except ConvgifError as error:
        raise _line_error(error) from None


def _line_error(error: ConvgifError) -> click.UsageError:
    """An error about a ``--torch`` line, in the line's own argument names (as the user
    typed them) and the flags that go with it."""
    params = click.get_current_context().command.params
    return click.UsageError(command_line_words(
        str(error), params,
        keep=frozenset(LAYER_FIELDS) - {"in_channels", "input_size", "output_size"}))


def _layer_of_input(arguments: dict[str, Any], values: dict[str, Any]) -> WindowLayer:
    """The layer from the options; ``--input`` (read into ``values["input"]``) sets the
    channels and size the command line does not give."""
    given = _given(LAYER_FIELDS)
    if values["input"] is not None:
        line = arguments["torch"]
        try:
            parsed = parse_torch(line) if line else None
        except ConvgifError as error:
            raise _line_error(error) from None
        kind = parsed.kind if parsed is not None else KINDS[arguments["layer"]]
        channels = parsed.arguments.get("in_channels") if parsed is not None else None
        from_line = channels is not None and "in_channels" not in given
        if from_line:  # the line's own
            arguments["in_channels"] = channels
            given.add("in_channels")
        try:
            fitted, values["input"] = fit_input(
                arguments, given, values["input"], kind.spatial_dims,
                values.pop("normalize"), values.pop("input_layout"))
        except OptionError as error:
            if not from_line or "in_channels" not in str(error):
                raise
            raise click.UsageError(
                f"--input does not fit the --torch line's layer, which takes {channels} input "
                f"channel{'s' * (channels != 1)}: give an input of that many, or change the "
                f"line") from None
        arguments.update(fitted)
        given |= {"in_channels", "input_size"}
    return _layer(arguments, given)


def _layer_and_values(arguments: dict[str, Any], values: dict[str, Any]
                      ) -> tuple[WindowLayer, Values | None]:
    """The layer and its values from the options."""
    picture = is_picture(values["input"]) and values["normalize"] is None  # pixels 0..255
    spec = _layer_of_input(arguments, values)
    numbers = values_for(spec, **values)
    return spec, replace(numbers, picture=True) if numbers is not None and picture else numbers


# ``name=value`` in a library message: a value is a bracketed or quoted literal, or a word.
_NAMED = re.compile(r"""\b([a-z][a-z_]*)=(\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\]"""
                    r"""|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s,:;()]+)""")


def _flag_value(option: click.Option, text: str) -> str:
    """``option`` with a value as a library message writes it (``(5, 2)``, ``'reflect'``,
    ``False``), as a command line writes it: ``--kernel-size 5x2``, ``--padding-mode
    reflect``, ``--no-bias``."""
    name = max(option.opts, key=len)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return f"{name} {text}"
    if isinstance(value, bool) and option.secondary_opts:
        return name if value else option.secondary_opts[0]
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{name} {pair_text(value)}"
    if isinstance(value, str) and shlex.quote(value) != value:
        return f"{name} {text}"  # quoted and escaped as the message has it
    return f"{name} {value}"


def command_line_words(message: str, params: list[click.Parameter],
                       keep: frozenset[str] = frozenset()) -> str:
    """A library message in the words of the command line: the Python name of each
    option of ``params`` (but those in ``keep``) becomes the flag that sets it
    (``max_frames=100`` -> ``--max-frames 100``, a bare ``cell_size`` -> ``--cell-size``)."""
    options = {param.name: param for param in params if isinstance(param, click.Option)
               and param.name is not None and param.name not in keep}

    def named(match: re.Match[str]) -> str:
        option = options.get(match[1])
        return match[0] if option is None else _flag_value(option, match[2])

    message = _NAMED.sub(named, message)
    for name, option in options.items():
        if "_" in name:  # a Python name: never an English word of the message
            message = re.sub(rf"(?<![-\w]){name}\b", max(option.opts, key=len), message)
    # A hint naming a flag the message now names already: "(--input-layout)".
    return re.sub(r" \((--[a-z-]+)\)", lambda hint: "" if message.count(hint[1]) > 1
                  else hint[0], message)


class Commands(click.Group):
    """The command group: a library error in any command becomes a usage error (exit 2)
    naming the flags the user typed."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning a :class:`ConvgifError` into a one-line usage error."""
        try:
            return super().invoke(ctx)
        except ConvgifError as error:
            command = self.get_command(ctx, ctx.invoked_subcommand or "")
            params = command.params if command is not None else []
            raise click.UsageError(command_line_words(str(error), params)) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="convgif")
def cli() -> None:
    """See what a 2D convolution layer (torch.nn.Conv2d) does in the forward pass."""


@cli.command()
@layer_options
@flag_options(tuple(flag for flag in VALUE_FLAGS if flag.field in INPUT_FIELDS))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def shape(as_json: bool, **arguments: Any) -> None:
    """Print the output shape (with its formula), parameters, MACs and frame count."""
    spec = _layer_of_input(arguments, {name: arguments.pop(name) for name in INPUT_FIELDS})
    if as_json:
        click.echo(json.dumps(spec.summary()))
    else:
        click.echo(spec.describe())


@cli.command(name="trace")
@layer_options
@value_options
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per line (JSON Lines); with values, each output "
                   "also gives its value, bias and terms.")
def trace_command(as_json: bool, **arguments: Any) -> None:
    """Print the sliding steps: output cell per group and the input cell of every tap."""
    values = {name: arguments.pop(name) for name in VALUE_NAMES}
    spec, numbers = _layer_and_values(arguments, values)
    for step in trace(spec, numbers):
        click.echo(json.dumps(step.to_dict()) if as_json else step.describe())


@cli.command()
@layer_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              metavar="PATH",
              help="The file to write, its format from the extension: .gif, .webp, "
                   ".png/.apng, .mp4 (pip install 'convgif[video]'), .html (a player "
                   "page), .pdf (a page per frame), .svg (one frame: with --frame); missing "
                   "folders are created; - writes the animation to standard output, for a "
                   "pipe [default: <slug>.gif, <slug>-values.gif with values].")
@click.option("--format", "format", type=click.Choice(FORMATS), metavar="FORMAT",
              help=f"The animation's format ({', '.join(FORMATS)}) for -o - or without -o; "
                   "a file's extension names it [default: gif].")
@click.option("--frame", "frame", multiple=True, metavar="N|A:B",
              help="Write only these frames, as PNG images, or SVG or PDF as -o ends "
                   "(1-based, -1 the last; A:B a range, ends included; repeatable): -o's "
                   "file for one frame, else <stem>-N.<ext> beside it [default: "
                   "<slug>-N.png].")
@flag_options(RENDER_FLAGS)
@value_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def render(output: str | None, format: str | None, frame: tuple[str, ...], quiet: bool,
           **arguments: Any) -> None:
    """Write an animation of the forward pass, one frame per sliding step (GIF, WebP,
    APNG, MP4 or an HTML player), or chosen frames as PNG images."""
    options = {name: arguments.pop(name) for name in RENDER_OPTIONS}
    values = {name: arguments.pop(name) for name in VALUE_NAMES}
    target = _target(output, format, bool(frame))
    spec, numbers = _layer_and_values(arguments, values)
    hidden = quiet or spec.n_steps < PROGRESS_MIN_FRAMES
    if output is None and format is not None:
        output = str(Path(animate.default_name(spec, numbers is not None)).with_suffix(
            f".{format}"))
    if target is not None:  # standard output: the report goes to stderr
        with Progress("rendering", hidden) as bar:
            done = animate.render(spec, target, format=format or "gif", progress=bar.update,
                                  values=numbers or False, **options)
        click.echo(f"standard output ({done.frames} frames, {done.width}x{done.height} px, "
                   f"{done.bytes:,} bytes)", err=True)
        return
    if frame:
        with Progress("drawing", hidden) as bar:
            stills = animate.stills(spec, frame, output, progress=bar.update,
                                    values=numbers or False, **options)
        for still in stills:
            click.echo(f"{still.path} ({still.width}x{still.height} px, {still.bytes:,} bytes)")
        if stills:
            _note_width(options.get("width"), stills[0].width, options.get("scale") or 1)
        return
    with Progress("rendering", hidden) as bar:
        done = animate.render(spec, output, progress=bar.update, values=numbers or False,
                              **options)
    click.echo(f"{done.path} ({done.frames} frames, {done.width}x{done.height} px, "
               f"{done.bytes:,} bytes)")
    if done.path is not None and done.path.suffix.lower() == ".gif" and (
            done.frames > GIF_SITE_LIMIT):
        click.echo(f"note: {done.frames} frames; some sites (dev.to) refuse GIFs of more than "
                   f"{GIF_SITE_LIMIT} frames: write .webp or .mp4 instead", err=True)
    _note_width(options.get("width"), done.width, options.get("scale") or 1)


def _note_width(asked: int | None, drawn: int, scale: int) -> None:
    """Say on stderr when frames are wider than ``--width`` asked: the narrowest the layer
    allows (its grids and texts need that much)."""
    if asked is not None and drawn > asked * scale:
        click.echo(f"note: frames are {drawn} px wide, more than --width {asked}: the "
                   f"narrowest this layer's grids and texts allow", err=True)


@cli.command(name="tensors")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per line: name, shape and dtype.")
def tensors_command(file: str, as_json: bool) -> None:
    """List the tensors in a model or array file (.pt, .pth, .safetensors, .npz, .npy).

    One line each: the name that --weights, --bias-values and --input take after
    FILE: (model.pt:conv1.weight), its shape and dtype. PyTorch files are read with
    torch.load(weights_only=True): no pickled object is ever run.
    """
    tensors = read_tensors(file)
    names = [name or "(the array)" for name in tensors]
    shapes = [shape_text(array.shape) for array in tensors.values()]
    for key, name, shape, array in zip(tensors, names, shapes, tensors.values(),
                                       strict=True):
        if as_json:
            click.echo(json.dumps({"name": key, "shape": list(array.shape),
                                   "dtype": str(array.dtype)}))
        else:
            click.echo(f"{name:<{max(map(len, names))}}  {shape:<{max(map(len, shapes))}}  "
                       f"{array.dtype}")


@cli.command(name="plot")
@click.argument("argument")
@click.option("--x", metavar="N,N,...",
              help="Output channels on the x axis [default: 1,2,4,...,256; groups: 8,...,256].")
@click.option("--values", metavar="V,V,...",
              help="ARGUMENT's values: the series (for out-channels: the x axis). "
                   "Pairs as HxW, e.g. 1x1,3x1,3x3.")
@click.option("--series", metavar="V,V,...",
              help="The series' values: ARGUMENT's (for out-channels: input sizes, e.g. 64,128).")
@click.option("--size", type=PAIR, metavar="HxW",
              help="Input height and width (not for out-channels) [default: 256x256].")
@click.option("--batch", type=click.IntRange(min=1), help="Inputs per forward pass [default: 1].")
@click.option("--repeats", type=click.IntRange(min=1),
              help="Timed forward passes per configuration, after one uncounted warm-up "
                   "[default: 5].")
@click.option("--backend", type=click.Choice(["numpy", "torch"]),
              help="Time convgif.conv2d (numpy) or torch.nn.Conv2d (torch: CUDA when "
                   "available, else CPU) [default: numpy].")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
              help="Also write the measurements to this CSV file.")
@click.option("--from-csv", type=click.Path(exists=True, dir_okay=False),
              help="Redraw from this CSV file without measuring.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The figure: .png, .svg or .pdf [default: plot-ARGUMENT.png].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def plot_command(argument: str, x: str | None, values: str | None, series: str | None,
                 size: Any, batch: int | None, repeats: int | None, backend: str | None,
                 csv_path: str | None, from_csv: str | None, output: str | None,
                 quiet: bool) -> None:
    """Plot parameters, forward time and output size against ARGUMENT.

    ARGUMENT is one of in-channels, out-channels, kernel-size, stride, padding,
    dilation, groups. The x axis is the number of output channels and ARGUMENT
    varies across the series, as in the article's figures; prints the files written.
    """
    from . import plots  # matplotlib and torch load only when a figure is drawn or timed

    with Progress(f"measuring {argument}", quiet) as bar:
        written = plots.plot(
            argument, output, csv=csv_path, from_csv=from_csv, repeats=repeats,
            backend=backend, x=x, values=values, series=series, size=size, batch=batch,
            progress=bar.update,
        )
    for path in written:
        click.echo(path)


@cli.command(name="gallery")
@click.option("--out", "folder", type=click.Path(file_okay=False), default="gallery",
              show_default=True, metavar="DIR", help="The gallery folder.")
@click.option("--check", is_flag=True,
              help="Render in memory and compare with the folder, writing nothing: exit 1 "
                   "listing each file that differs, is missing or is not declared.")
@click.option("--remeasure", is_flag=True,
              help="Measure every figure's sweep again (a minute or two); otherwise figures "
                   "are drawn from the committed measurements (plot-ARGUMENT.csv).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes rendering in parallel [default: one per core].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def gallery_command(folder: str, check: bool, remeasure: bool, jobs: int | None,
                    quiet: bool) -> None:
    """Regenerate the gallery: every GIF of the article, a figure per argument, README.md.

    Everything comes from one declaration, convgif/gallery_entries.py. Only files
    whose bytes changed are rewritten; files it does not declare are listed, never
    removed. Prints the files written.
    """
    from . import gallery  # loads the plots module: only for this command

    if check and remeasure:
        raise click.UsageError("--check compares without measuring: drop --remeasure")
    with Progress("gallery", quiet) as bar:
        if check:
            problems = gallery.check(folder, jobs=jobs, progress=bar.update)
        else:
            result = gallery.build(folder, jobs=jobs, remeasure=remeasure,
                                   progress=bar.update)
    if check:
        for problem in problems:
            click.echo(f"{Path(folder, problem.file)}: {problem.reason}")
        if problems:
            click.echo(f"{folder} does not match its declaration: run convgif gallery "
                       f"--out {folder}", err=True)
            sys.exit(1)
        click.echo(f"{folder}: all {len(gallery.files())} files match the declaration")
        return
    for name in result.written:
        click.echo(Path(folder, name))
    for name in result.undeclared:
        click.echo(f"{Path(folder, name)}: not declared (left alone)")
    click.echo(f"{len(result.written)} written, {len(result.unchanged)} unchanged")


def _target(output: str | None, format: str | None, frames: bool) -> BinaryIO | None:
    """Standard output when ``-o -`` asks for it (refused at a terminal), else None;
    checks that ``--format`` agrees with ``-o``'s extension."""
    if output != STDOUT:
        suffix = Path(output or "").suffix.lower()
        if format is not None and suffix in WRITERS and (
                WRITERS[suffix] is not WRITERS["." + format]):
            raise click.UsageError(f"--format {format} disagrees with -o {output}: the "
                                   f"extension names the format, drop one")
        return None
    if frames:
        raise click.UsageError("--frame writes image files (PNG, SVG, PDF): give -o a file "
                               "name, not -")
    stream = click.get_binary_stream("stdout")
    if stream.isatty():
        raise click.UsageError("-o - writes binary data to standard output, here a "
                               "terminal: redirect it to a file or a pipe (-o - | ...)")
    return stream


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"convgif: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


class Terminated(BaseException):
    """SIGTERM arrived: raised like KeyboardInterrupt, so that writers clean up."""


def _on_sigterm(pid: int) -> Callable[[int, Any], None]:
    """A SIGTERM handler for process ``pid``: it raises :class:`Terminated` there; a
    process forked from it (the gallery's workers) dies as it would by default."""
    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated
    return handler


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error is one line on stderr and exit code 2, never a traceback.

    Ctrl-C (SIGINT) and ``kill`` (SIGTERM) stop a command in one line (exit 130 and
    143) after the writers remove what they were writing.
    """
    installed = threading.current_thread() is threading.main_thread()  # only it can
    previous = signal.signal(signal.SIGTERM, _on_sigterm(os.getpid())) if installed else None
    try:
        cli.main(args=argv, prog_name="convgif", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else error.format_message())
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.ClickException as error:
        _fail(error.format_message(), EXIT_USAGE)
    except OSError as error:
        _fail(str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Terminated:
        _fail("terminated", 128 + signal.SIGTERM)
    finally:
        if installed:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
