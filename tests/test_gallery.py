"""convgif.gallery and ``convgif gallery``: the declaration, the committed folder, --check,
regeneration that rewrites only changed files, and the README's commands."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import convgif
from convgif import gallery, gallery_page
from convgif.cli import cli, main
from convgif.gallery_entries import SECTIONS, Animation, Figure, Section
from convgif.layers import ConvSpec, OptionError, SpecError
from convgif.plots import ARGUMENTS

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"

# The article's GIFs: (C_in, H, W) -> C_out, kernel, padding, stride, dilation, groups.
ARTICLE = [
    ((1, 9, 9), 1, (3, 3), (0, 0), (1, 1), (1, 1), 1),
    ((1, 7, 7), 4, (3, 3), (0, 0), (1, 1), (1, 1), 1),
    ((3, 7, 7), 4, (3, 3), (0, 0), (1, 1), (1, 1), 1),
    ((3, 7, 9), 2, (5, 2), (0, 0), (1, 1), (1, 1), 1),
    ((3, 7, 9), 2, (5, 1), (0, 0), (1, 1), (1, 1), 1),
    ((3, 9, 9), 2, (3, 3), (0, 0), (1, 3), (1, 1), 1),
    ((2, 7, 7), 1, (3, 3), (1, 1), (1, 1), (1, 1), 1),
    ((2, 7, 7), 1, (3, 3), (1, 1), (1, 1), (4, 2), 1),
    ((2, 9, 9), 1, (3, 3), (2, 2), (1, 1), (4, 2), 1),
    ((2, 7, 7), 4, (3, 3), (2, 2), (2, 2), (1, 1), 2),
    ((3, 7, 7), 2, (3, 3), (1, 1), (2, 2), (2, 2), 1),
    ((3, 7, 7), 2, (3, 3), (1, 1), (1, 1), (1, 1), 1),
]
HEADLINE = "in3x7x7_out2x3x3_k3_p1_s2_d2_g1"


def copy_gallery(folder: Path) -> None:
    """The committed gallery copied to ``folder``, with the README a folder there gets (it
    names the declaration without the repository's relative link)."""
    shutil.copytree(GALLERY, folder)
    (folder / "README.md").write_text(gallery.readme(source=None), encoding="utf-8")


def invoke(*args: str) -> tuple[int, str]:
    """Run ``convgif ARGS`` in process; return the exit code and stdout + stderr."""
    result = CliRunner().invoke(cli, list(args), prog_name="convgif")
    return result.exit_code, result.output


def key(spec: ConvSpec) -> tuple[object, ...]:
    return (spec.input_shape, spec.out_channels, spec.kernel_size, spec.padding, spec.stride,
            spec.dilation, spec.groups)


ARTICLE_SECTIONS = ["The headline layer", "Kernel", "Channels", "Kernel size", "Stride",
                    "Padding", "Dilation", "Groups", "Values", "Padding modes"]
KIND_SECTIONS = ["conv_arithmetic, labelled", "Pooling", "Conv1d"]
REAL_SECTIONS = ["Real layers"]


def animations() -> list[Animation]:
    """The article's animations (plain frames, no values)."""
    return [entry for section in SECTIONS if section.title in ARTICLE_SECTIONS
            for entry in section.entries if isinstance(entry, Animation) and not entry.values]


def value_animations() -> list[Animation]:
    """The article's animations with values."""
    return [entry for section in SECTIONS if section.title in ARTICLE_SECTIONS
            for entry in section.entries if isinstance(entry, Animation) and entry.values]


def tiny(dark: bool = False) -> tuple[Section, ...]:
    """A one-GIF, one-figure declaration: quick to render."""
    return (Section("Tiny", (
        Animation("Tiny", "One step.", dict(in_channels=1, out_channels=1, kernel_size=3,
                                            input_size=3), dark=dark),
        Figure("stride", "Stride", "A figure."),
    )),)


def fake_plot(argument: str, path: Path, from_csv: Path | None = None) -> list[Path]:
    """Stands in for convgif.plots.plot: a small PNG, no measuring."""
    Image.new("RGB", (40, 30), (200, 10, 10)).save(path)
    return [Path(path)]


# -- the declaration --------------------------------------------------------------------------


def test_every_gif_of_the_article_is_declared_in_the_articles_order_of_sections() -> None:
    assert sorted(key(a.spec) for a in animations()) == sorted(ARTICLE)
    assert [s.title for s in SECTIONS] == ARTICLE_SECTIONS + KIND_SECTIONS + REAL_SECTIONS
    assert key(SECTIONS[0].entries[0].spec) == ARTICLE[10]  # type: ignore[union-attr]


def test_each_argument_has_one_figure_and_headlines_have_dark_versions() -> None:
    figures = [e.argument for e in gallery.entries() if isinstance(e, Figure)]
    assert sorted(figures) == sorted(ARGUMENTS)
    dark = {a.spec.slug for a in animations() if a.dark}
    assert HEADLINE in dark and len(dark) >= 2


def test_file_names_are_slugs_unique_and_readme_last() -> None:
    names = gallery.files()
    # GIFs, dark, values GIFs in light and dark, the headline's WebP, player and PDF,
    # figures, CSVs; conv_arithmetic's 15, pooling's 2 and Conv1d's 1, in light and dark;
    # 2 real layers
    assert len(names) == len(set(names)) == 12 + 3 + 2 * 6 + 3 + 7 + 7 + 1 + 2 * (
        15 + 2 + 1) + 2 * 2
    assert names[-1] == "README.md"
    for animation in animations():
        assert animation.file() == f"{animation.spec.slug}.gif"
        assert re.fullmatch(r"[a-z0-9_]+(-dark)?\.gif", animation.file("dark"))
    for animation in value_animations():
        assert animation.file() == f"{animation.spec.slug}-values.gif"
        assert animation.file("dark") == f"{animation.spec.slug}-values-dark.gif"


def test_texts_are_one_or_two_sentences() -> None:
    for entry in gallery.entries():
        assert entry.text.endswith(".")
        assert len(re.findall(r"\.(?:\s|$)", entry.text)) in (1, 2), entry.text


def test_a_bad_declaration_fails_naming_the_problem() -> None:
    with pytest.raises(SpecError, match="groups=2 must divide in_channels=3"):
        Animation("x", "x.", dict(in_channels=3, out_channels=2, kernel_size=3,
                                  input_size=7, groups=2))
    with pytest.raises(OptionError, match="unknown render options theme"):
        Animation("x", "x.", dict(in_channels=1, out_channels=1, kernel_size=3,
                                  input_size=7), options={"theme": "dark"})
    with pytest.raises(OptionError, match="must be one of"):
        Figure("bias", "x", "x.")


# -- commands and README ----------------------------------------------------------------------


def test_commands_name_only_what_differs_from_the_defaults() -> None:
    by_slug = {a.spec.slug: a for a in animations()}
    assert gallery_page.command(by_slug[HEADLINE]) == "convgif render --hold 1500"
    assert gallery_page.command(by_slug[HEADLINE], "dark") == (
        f"convgif render --hold 1500 --theme dark -o {HEADLINE}-dark.gif")
    # Layer flags given: the others take PyTorch's defaults (stride 1, padding 0, dilation 1).
    assert gallery_page.command(by_slug["in3x7x9_out2x3x8_k5x2_p0_s1_d1_g1"]) == (
        "convgif render --size 7x9 -k 5x2 --hold 1500")
    assert gallery_page.command(by_slug["in2x9x9_out1x5x9_k3_p2_s1_d4x2_g1"]) == (
        "convgif render --in-channels 2 --size 9 --out-channels 1 -p 2 -d 4x2 --hold 1500")
    headline_values = next(a for a in value_animations() if a.spec.slug == HEADLINE)
    assert gallery_page.command(headline_values) == (
        "convgif render --hold 1500 --values")


def test_each_readme_command_makes_its_committed_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    text = (GALLERY / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"^```sh\n(.*?)^```$", text, re.M | re.S)
             for line in block.splitlines()]
    renders = [line for line in lines if line.startswith("convgif render")]
    assert len(renders) == 15 + 12 + 3 + 2 * (15 + 2 + 1) + 2 * 2
    runner = CliRunner()
    shutil.copytree(ROOT / "examples" / "inputs", tmp_path / "examples" / "inputs")
    monkeypatch.chdir(tmp_path)  # as from the repository's root, where the inputs are
    for line in renders:
        args = shlex.split(line)
        result = runner.invoke(cli, [*args[1:], "--quiet"])
        assert result.exit_code == 0, result.output
        name = args[-1] if "-o" in args else result.output.split()[0]
        assert Path(name).read_bytes() == (GALLERY / name).read_bytes(), line
    plots = sorted(line.split()[-1] for line in lines if line.startswith("convgif plot"))
    assert plots == sorted(ARGUMENTS)


def test_readme_shows_every_file_with_dark_versions_in_pictures() -> None:
    text = gallery_page.readme()
    for animation in animations():
        spec = animation.spec
        assert f"`{spec.caption}`" in text and spec.torch_repr() in text
        if animation.dark:
            assert (f'<source media="(prefers-color-scheme: dark)" '
                    f'srcset="{animation.file("dark")}">') in text
            assert f'<img src="{animation.file()}" alt="Animation of ' in text
        else:
            assert f"]({animation.file()})" in text
    for entry in gallery.entries():
        assert entry.title in text and entry.text in text
    assert text.startswith("<!-- Generated by `convgif gallery`")


# -- --check ----------------------------------------------------------------------------------


def test_the_committed_gallery_passes_check() -> None:
    code, output = invoke("gallery", "--check", "--quiet", "--out", str(GALLERY))
    assert code == 0, output
    assert f"all {len(gallery.files())} files match" in output


def test_check_fails_naming_a_gif_with_one_byte_changed(tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    copy_gallery(folder)
    name = "in2x7x7_out4x5x5_k3_p2_s2_d1_g2.gif"
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / name).write_bytes(bytes(data))
    code, output = invoke("gallery", "--check", "--quiet", "--out", str(folder))
    assert code == 1
    assert output.splitlines()[0] == f"{folder / name}: differs"
    assert sum(line.endswith(("differs", "missing", "not declared"))
               for line in output.splitlines()) == 1


def test_check_lists_missing_undeclared_and_changed_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gallery, "plot", fake_plot)
    sections = tiny(dark=True)
    gallery.build(tmp_path, jobs=1, sections=sections)
    assert gallery.check(tmp_path, jobs=1, sections=sections) == []
    (tmp_path / "README.md").write_text("edited by hand\n")
    (tmp_path / "in1x3x3_out1x1x1_k3_p0_s1_d1_g1-dark.gif").unlink()
    (tmp_path / "notes.txt").write_text("x")
    assert gallery.check(tmp_path, jobs=2, sections=sections) == [
        gallery.Problem("in1x3x3_out1x1x1_k3_p0_s1_d1_g1-dark.gif", "missing"),
        gallery.Problem("README.md", "differs"),
        gallery.Problem("notes.txt", "not declared"),
    ]


def test_check_asks_figures_only_to_be_present(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gallery, "plot", fake_plot)
    sections = tiny()
    gallery.build(tmp_path, jobs=1, sections=sections)
    (tmp_path / "plot-stride.png").write_bytes(b"other pixels")
    assert gallery.check(tmp_path, jobs=1, sections=sections) == []
    (tmp_path / "plot-stride.png").unlink()
    assert gallery.check(tmp_path, jobs=1, sections=sections) == [
        gallery.Problem("plot-stride.png", "missing")]


# -- regeneration -----------------------------------------------------------------------------


def test_regeneration_rewrites_only_changed_files_and_draws_missing_figures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def plot(argument: str, path: Path, from_csv: Path | None = None) -> list[Path]:
        calls.append(argument)
        return fake_plot(argument, path)

    monkeypatch.setattr(gallery, "plot", plot)
    folder = tmp_path / "gallery"
    copy_gallery(folder)
    changed = "in1x9x9_out1x7x7_k3_p0_s1_d1_g1.gif"
    (folder / changed).write_bytes(b"GIF89a")
    (folder / "plot-padding.png").unlink()
    (folder / "extra.gif").write_bytes(b"x")
    before = {p.name: p.stat().st_ino for p in folder.iterdir()}
    seen: list[tuple[int, int]] = []

    result = gallery.build(folder, jobs=2, progress=lambda done, total: seen.append((done, total)))

    assert result.written == (changed, "plot-padding.png")
    assert calls == ["padding"]
    assert len(result.unchanged) == len(gallery.files()) - 2
    assert result.undeclared == ("extra.gif",)
    assert (folder / changed).read_bytes() == (GALLERY / changed).read_bytes()
    with Image.open(folder / "plot-padding.png") as figure:
        assert figure.mode == "P" and figure.size == (40, 30)
    for name, inode in before.items():
        if name not in result.written:
            assert (folder / name).stat().st_ino == inode, name
    total = len([name for name in gallery.files()
                 if name.endswith((".gif", ".webp", ".html", ".pdf", ".png"))])
    assert seen == [(done, total) for done in range(1, total + 1)]  # animations, figures
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_remeasure_measures_and_redraws_every_figure(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    measured_sweeps: list[str] = []
    monkeypatch.setattr(gallery, "plot",
                        lambda a, p, from_csv=None: calls.append(a) or fake_plot(a, p))

    def measure(figure: Figure, path: Path) -> None:
        measured_sweeps.append(figure.argument)
        path.write_text((GALLERY / figure.csv).read_text() + "\n")

    monkeypatch.setattr(gallery, "_measure", measure)
    sections = tiny()
    first = gallery.build(tmp_path, jobs=1, sections=sections)
    copied = (tmp_path / "plot-stride.csv").read_bytes()
    again = gallery.build(tmp_path, jobs=1, sections=sections)
    measured = gallery.build(tmp_path, jobs=1, remeasure=True, sections=sections)
    assert first.written == ("in1x3x3_out1x1x1_k3_p0_s1_d1_g1.gif", "README.md",
                             "plot-stride.csv", "plot-stride.png")
    assert copied == (GALLERY / "plot-stride.csv").read_bytes()  # the committed measurements
    assert again.written == ()
    assert measured.written == ("plot-stride.csv",)  # same fake pixels: the PNG is unchanged
    assert calls == ["stride", "stride"] and measured_sweeps == ["stride"]


def test_usage_errors_are_one_line_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "file"
    afile.write_text("x")
    for args, message in (
        (["gallery", "--check", "--remeasure"], "--check compares without measuring"),
        (["gallery", "--out", str(afile), "-q"], "is a file"),
        (["gallery", "--jobs", "0"], "--jobs"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("convgif: error: ") and message in err
        assert err.count("\n") == 1
    with pytest.raises(gallery.GalleryError, match="jobs=0"):
        gallery.check(tmp_path, jobs=0)
    with pytest.raises(gallery.GalleryError, match="is a file, not a folder"):
        gallery.build(afile)


def test_the_gallery_stays_small() -> None:
    """The article's gallery with the headline's WebP and player under 4 MB (issue 13);
    the sections of the layer kinds beyond it (issue 12, about 1.1 MB in light and dark)
    within a budget of their own, and the real layers (issue 20, about 2.4 MB: two layers
    on a photo in light and dark, 48 frames each) within theirs."""
    from convgif.gallery_entries import SECTIONS

    sizes = {path.name: path.stat().st_size for path in GALLERY.iterdir()}

    def files_of(titles: list[str]) -> set[str]:
        return {name for section in SECTIONS if section.title in titles
                for entry in section.entries if isinstance(entry, Animation)
                for name, _, _ in entry.renders()}

    kinds, real = files_of(KIND_SECTIONS), files_of(REAL_SECTIONS)
    assert kinds and kinds <= set(sizes) and real and real <= set(sizes)
    assert sum(size for name, size in sizes.items() if name not in kinds | real) < 4_000_000
    assert sum(size for name, size in sizes.items() if name not in real) < 5_250_000
    assert sum(sizes[name] for name in real) < 2_600_000


# conv_arithmetic's animations: file name -> (kind, input, kernel, padding, stride, dilation or
# output padding, output); from its README's figures.
ARITHMETIC = {
    "no_padding_no_strides": ("conv2d", 4, 3, 0, 1, 1, 2),
    "arbitrary_padding_no_strides": ("conv2d", 5, 4, 2, 1, 1, 6),
    "same_padding_no_strides": ("conv2d", 5, 3, 1, 1, 1, 5),
    "full_padding_no_strides": ("conv2d", 5, 3, 2, 1, 1, 7),
    "no_padding_strides": ("conv2d", 5, 3, 0, 2, 1, 2),
    "padding_strides": ("conv2d", 5, 3, 1, 2, 1, 3),
    "padding_strides_odd": ("conv2d", 6, 3, 1, 2, 1, 3),
    "dilation": ("conv2d", 7, 3, 0, 1, 2, 3),
    "no_padding_no_strides_transposed": ("conv-transpose2d", 2, 3, 0, 1, 0, 4),
    "arbitrary_padding_no_strides_transposed": ("conv-transpose2d", 6, 4, 2, 1, 0, 5),
    "same_padding_no_strides_transposed": ("conv-transpose2d", 5, 3, 1, 1, 0, 5),
    "full_padding_no_strides_transposed": ("conv-transpose2d", 7, 3, 2, 1, 0, 5),
    "no_padding_strides_transposed": ("conv-transpose2d", 2, 3, 0, 2, 0, 5),
    "padding_strides_transposed": ("conv-transpose2d", 3, 3, 1, 2, 0, 5),
    "padding_strides_odd_transposed": ("conv-transpose2d", 3, 3, 1, 2, 1, 6),
}


def test_conv_arithmetic_is_redone_under_its_file_names_with_its_geometry() -> None:
    section = next(s for s in SECTIONS if s.title == "conv_arithmetic, labelled")
    seen = {}
    for entry in section.entries:
        assert isinstance(entry, Animation) and entry.dark and entry.name is not None
        layer = entry.spec
        seen[entry.name] = (
            layer.kind, layer.input_size[0], layer.kernel_size[0],  # type: ignore[attr-defined]
            layer.padding[0], layer.stride[0],  # type: ignore[attr-defined]
            getattr(layer, "output_padding", layer.dilation)[0],  # type: ignore[attr-defined]
            layer.output_size[0])
        assert entry.file() == f"{entry.name}.gif" and (GALLERY / entry.file()).is_file()
        assert entry.file("dark") == f"{entry.name}-dark.gif"
    assert seen == ARITHMETIC


def test_pooling_entries_show_conv_arithmetics_numbers() -> None:
    section = next(s for s in SECTIONS if s.title == "Pooling")
    outputs = {}
    for entry in section.entries:
        assert isinstance(entry, Animation)
        values = convgif.values_for(entry.spec, **entry.value_options(gallery.INPUTS))
        assert values is not None
        outputs[entry.spec.kind] = values.output[0].round(1).tolist()
    assert outputs == {"max-pool2d": [[3, 3, 3], [3, 3, 3], [3, 2, 3]],
                       "avg-pool2d": [[1.7, 1.7, 1.7], [1.0, 1.2, 1.8], [1.1, 0.8, 1.3]]}


def test_every_torch_line_of_the_gallery_is_taken_by_torch_flag() -> None:
    lines = re.findall(r"^(nn\.\w+\(.*\))$", (GALLERY / "README.md").read_text(), re.M)
    assert len(lines) >= 25
    for line in lines:
        code, output = invoke("shape", "--torch", line, "--size", "9", "--in-channels", "1")
        if "Conv2d(" in line or "Conv1d(" in line:  # channels are the line's own
            code, output = invoke("shape", "--torch", line, "--size", "9")
        assert code == 0, (line, output)
        assert output.splitlines()[-1] == f"torch        {line}"
