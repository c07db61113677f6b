"""The build is all or nothing: outputs change only when every notebook succeeded.

Small projects with tiny notebooks check what moves into place, what is removed and what is put back;
one test runs the study itself on a copy of the project with a failing cell injected into notebook 03.
"""

import hashlib
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from zonestudy import paths
from zonestudy.study import build

ROOT = paths.project_root()


def digests(root, folders=("data", "figures", "notebooks")):
    """sha256 of every file under ``folders`` of ``root``, by path relative to ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders for path in sorted((root / folder).rglob("*")) if path.is_file()
    }


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


WRITE_CLEAN = ("from zonestudy import paths\n"
               "paths.clean_dir().mkdir(parents=True, exist_ok=True)\n"
               "(paths.clean_dir() / 'table.csv').write_text('a\\n{value}\\n')")
WRITE_FIGURE = ("from zonestudy import paths\n"
                "paths.figures_dir().mkdir(parents=True, exist_ok=True)\n"
                "(paths.figures_dir() / 'fig01_x.png').write_bytes(b'{value}')\n"
                "(paths.figures_dir() / 'catalogue.csv').write_text('kind,name,files\\nfigure,fig01_x,fig01_x.png\\n')")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project whose outputs were built once: data/clean/table.csv, figures/fig01_x.png, a catalogue."""
    (tmp_path / paths.MARKER_FILE).write_text("")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "facts.csv").write_text("x\n1\n")
    (tmp_path / "notebooks").mkdir()
    notebook(tmp_path / "notebooks" / "01_clean.ipynb", WRITE_CLEAN.replace("{value}", "1"))
    notebook(tmp_path / "notebooks" / "02_figures.ipynb", WRITE_FIGURE.replace("{value}", "old"),
             "print('figures done')")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    monkeypatch.delenv(paths.OUTPUT_ROOT_ENV_VAR, raising=False)
    # the outputs of an earlier build, as the notebooks above write them
    (tmp_path / "data" / "clean").mkdir()
    (tmp_path / "data" / "clean" / "table.csv").write_text("a\n1\n")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "fig01_x.png").write_bytes(b"old")
    (tmp_path / "figures" / "catalogue.csv").write_text("kind,name,files\nfigure,fig01_x,fig01_x.png\n")
    return tmp_path


def test_outputs_are_written_through_the_staging_folder(project):
    (project / "figures" / "fig01_x.png").write_bytes(b"older")
    build.build(progress=False)
    assert (project / "data" / "clean" / "table.csv").read_text() == "a\n1\n"
    assert (project / "figures" / "fig01_x.png").read_bytes() == b"old"
    executed = nbformat.read(project / "notebooks" / "02_figures.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "figures done\n"
    assert not list(project.glob(build.STAGING_PREFIX + "*"))
    assert paths.OUTPUT_ROOT_ENV_VAR not in os.environ


def test_a_failing_notebook_changes_nothing(project, capsys):
    before = digests(project)
    notebook(project / "notebooks" / "01_clean.ipynb", WRITE_CLEAN.replace("{value}", "2"))
    notebook(project / "notebooks" / "02_figures.ipynb", WRITE_FIGURE.replace("{value}", "new"),
             "raise ValueError('broken on purpose')")
    edited = digests(project)
    with pytest.raises(build.NotebookFailed) as excinfo:
        build.build(progress=False)
    assert (excinfo.value.notebook, excinfo.value.cell_index) == ("02_figures.ipynb", 1)
    assert digests(project) == edited
    assert {k: v for k, v in edited.items() if not k.startswith("notebooks/")} == \
        {k: v for k, v in before.items() if not k.startswith("notebooks/")}
    assert not list(project.glob(build.STAGING_PREFIX + "*"))


def test_unchanged_files_are_not_rewritten(project):
    target = project / "data" / "clean" / "table.csv"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    build.build(progress=False)
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_full_build_removes_only_the_outputs_it_owns(project):
    (project / "figures" / "notes.txt").write_text("kept: not in the catalogue")
    (project / "data" / "clean" / "notes.txt").write_text("kept: not a clean table")
    (project / "data" / "clean" / "dropped.csv").write_text("a\n")
    (project / "figures" / "catalogue.csv").write_text(
        "kind,name,files\nfigure,fig01_x,fig01_x.png\nfigure,fig02_gone,fig02_gone.png;fig02_gone.pdf\n")
    (project / "figures" / "fig02_gone.png").write_bytes(b"stale")
    build.build(progress=False)
    assert not (project / "figures" / "fig02_gone.png").exists()
    assert not (project / "data" / "clean" / "dropped.csv").exists()
    assert (project / "figures" / "notes.txt").exists()
    assert (project / "data" / "clean" / "notes.txt").exists()
    assert (project / "data" / "raw" / "facts.csv").read_text() == "x\n1\n"


def test_partial_build_keeps_the_other_outputs(project):
    (project / "data" / "clean" / "other.csv").write_text("b\n")
    notebook(project / "notebooks" / "02_figures.ipynb", WRITE_FIGURE.replace("{value}", "new"))
    build.build(only=2, progress=False)
    assert (project / "figures" / "fig01_x.png").read_bytes() == b"new"
    assert (project / "data" / "clean" / "other.csv").read_text() == "b\n"


def test_failure_while_moving_into_place_puts_the_old_files_back(project, monkeypatch):
    notebook(project / "notebooks" / "01_clean.ipynb", WRITE_CLEAN.replace("{value}", "2"))
    notebook(project / "notebooks" / "02_figures.ipynb", WRITE_FIGURE.replace("{value}", "new"))
    before = {k: v for k, v in digests(project).items() if not k.startswith("notebooks/")}
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        return real_replace(src, dst)

    monkeypatch.setattr(build.os, "replace", failing_replace)
    with pytest.raises(build.BuildFailed, match="put back"):
        build.build(progress=False)
    monkeypatch.setattr(build.os, "replace", real_replace)
    assert {k: v for k, v in digests(project).items() if not k.startswith("notebooks/")} == before


def test_a_failure_stops_the_notebooks_running_beside_it(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("[build]\nside_by_side = [[3, 4, 5]]\n")
    (tmp_path / "notebooks").mkdir()
    notebook(tmp_path / "notebooks" / "03_a.ipynb", "import time\ntime.sleep(120)")
    notebook(tmp_path / "notebooks" / "04_b.ipynb", "raise KeyError('four')")
    notebook(tmp_path / "notebooks" / "05_c.ipynb", "print('five')")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    with pytest.raises(build.NotebookFailed) as excinfo:
        build.build(progress=False)
    # 03 is still sleeping when 04 fails: it is stopped, and the failure reported is 04's
    assert (excinfo.value.notebook, excinfo.value.error) == ("04_b.ipynb", "KeyError: 'four'")
    assert not (tmp_path / "notebooks" / "05_c.ipynb").read_text().count("five\\n")


def copy_project(destination):
    """The project without .git, .venv and caches: marker file, data, notebooks, figures."""
    shutil.copy(ROOT / paths.MARKER_FILE, destination)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", build.STAGING_PREFIX + "*")
    for folder in ("data", "notebooks", "figures"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=ignore)


@pytest.mark.slow
def test_study_with_a_failing_cell_in_notebook_03_leaves_every_output_as_it_was(tmp_path):
    copy_project(tmp_path)
    # Make the current outputs differ from what a rebuild writes, so that any file the build
    # rewrote before the failure would show.
    clean = tmp_path / "data" / "clean" / "campaign_facts.csv"
    clean.write_bytes(clean.read_bytes() + b"stale,row\n")
    figure = tmp_path / "figures" / "fig01_province_lists_by_round.png"
    figure.write_bytes(figure.read_bytes() + b"stale")
    first = tmp_path / "notebooks" / "01_load_sources.ipynb"
    nb = nbformat.read(first, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("stale output"))
    nbformat.write(nb, first)
    third = tmp_path / "notebooks" / "03_campaign_pipeline.ipynb"
    nb = nbformat.read(third, as_version=4)
    after = next(i for i, c in enumerate(nb.cells) if "save_figure_languages" in c.source)
    nb.cells.insert(after + 1, nbformat.v4.new_code_cell("raise RuntimeError('injected failure')"))
    nbformat.write(nb, third)
    before = digests(tmp_path)

    result = subprocess.run([sys.executable, "-m", "zonestudy.study", "build"], cwd=tmp_path,
                            env={**os.environ, paths.ROOT_ENV_VAR: str(tmp_path)},
                            capture_output=True, text=True, timeout=900)

    assert result.returncode != 0
    assert f"build failed: 03_campaign_pipeline.ipynb, cell {after + 1}: RuntimeError: injected failure" \
        in result.stderr
    assert "nothing was changed" in result.stderr
    assert digests(tmp_path) == before
    assert not list(tmp_path.glob(build.STAGING_PREFIX + "*"))


def test_side_by_side_groups_come_from_the_project_file(tmp_path):
    (tmp_path / paths.MARKER_FILE).write_text("")
    assert build.side_by_side(tmp_path) == ()
    (tmp_path / paths.MARKER_FILE).write_text("[build]\nside_by_side = [3, 4]\n")
    with pytest.raises(ValueError, match="side_by_side"):
        build.side_by_side(tmp_path)
    assert build.side_by_side(ROOT) == (frozenset({1, 2}), frozenset({3, 4, 5}))
