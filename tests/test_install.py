"""What a user gets from ``pip install .`` (not an editable install): the package carries
everything its commands read, so ``convgif gallery`` works from any folder."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from convgif import gallery

ROOT = Path(__file__).resolve().parents[1]


def test_the_packages_gallery_data_are_the_repositorys_files() -> None:
    inputs = sorted(path.name for path in (ROOT / "examples" / "inputs").iterdir()
                    if path.name != "README.md")  # where the files come from
    assert sorted(path.name for path in gallery.INPUTS.iterdir()) == inputs
    for name in inputs:
        assert filecmp.cmp(ROOT / "examples" / "inputs" / name, gallery.INPUTS / name,
                           shallow=False), name
    measured = sorted(path.name for path in (ROOT / "gallery").glob("plot-*.csv"))
    assert sorted(path.name for path in gallery.COMMITTED.iterdir()) == measured
    for name in measured:
        assert filecmp.cmp(ROOT / "gallery" / name, gallery.COMMITTED / name, shallow=False)


def test_a_gallery_elsewhere_names_the_declaration_without_a_dead_link(tmp_path: Path) -> None:
    assert gallery.source_link(ROOT / "gallery") == "../convgif/gallery_entries.py"
    assert (ROOT / "gallery" / "../convgif/gallery_entries.py").is_file()
    assert gallery.source_link(tmp_path / "new") is None
    beside = tmp_path / "tree"
    (beside / "convgif").mkdir(parents=True)
    (beside / "convgif" / "gallery_entries.py").write_text("")
    assert gallery.source_link(beside / "gallery") == "../convgif/gallery_entries.py"
    text = gallery.readme(source=None)
    assert "](../convgif" not in text and "`convgif/gallery_entries.py` (in the convgif" in text


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with convgif installed from a copy of the sources, not
    editable (its dependencies are this interpreter's: the venv sees its site-packages)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "convgif", source / "convgif",
                    ignore=shutil.ignore_patterns("__pycache__"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", str(source)], check=True,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    shutil.rmtree(source)  # nothing may be read from the sources once installed
    return venv


def test_gallery_runs_from_a_non_editable_install(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import convgif; print(convgif.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed)
    convgif = str(installed / "bin" / "convgif")
    made = subprocess.run([convgif, "gallery", "--out", "new", "-q"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([convgif, "gallery", "--out", "new", "--check", "-q"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    new = tmp_path / "new"
    for name in gallery.files():
        if name.endswith((".gif", ".webp", ".html", ".pdf", ".csv")):
            assert filecmp.cmp(new / name, ROOT / "gallery" / name, shallow=False), name
    text = (new / "README.md").read_text(encoding="utf-8")
    assert "](../convgif/gallery_entries.py)" not in text
    assert text.replace(gallery.readme(source=None), "") == ""


def test_a_non_editable_install_finds_the_repository_gallery_unchanged(installed: Path,
                                                                       tmp_path: Path) -> None:
    """The repository's gallery links its declaration, whichever copy of convgif checks it."""
    checked = subprocess.run([str(installed / "bin" / "convgif"), "gallery", "--check", "-q",
                              "--out", str(ROOT / "gallery")],
                             capture_output=True, text=True, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_installed_package_declares_its_licence(installed: Path) -> None:
    """Issue 22, item 4: MIT as an SPDX expression, and the LICENSE file in the package."""
    shown = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "from importlib.metadata import files, metadata; m = metadata('convgif'); "
         "print(m['License-Expression']); print(m.get_all('License-File')); "
         "print([f.read_text().splitlines()[0] for f in files('convgif') "
         "if f.name == 'LICENSE'])"],
        capture_output=True, text=True, check=True)
    assert shown.stdout.splitlines() == ["MIT", "['LICENSE']", "['MIT License']"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) ")


def test_the_readme_and_the_gallery_say_how_the_images_may_be_used() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Using the images\n", 1)[1].split("\n## ", 1)[0].split())
    assert "What convgif makes from your input is yours" in section
    assert "CC0 1.0" in section and "CC BY 4.0, because" in section  # chosen, and why
    assert "[LICENSE](LICENSE)" in section and (ROOT / "LICENSE").is_file()
    for text in (gallery.readme(), gallery.readme(source=None)):
        assert "dedicated to the public domain under [CC0 1.0](" in text
