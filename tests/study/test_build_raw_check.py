"""An undeclared file in data/raw stops the build before any notebook runs, kernels and all."""

import shutil

import nbformat
import psutil
import pytest

from zonestudy import checks, paths
from zonestudy.study import build


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("[build]\nside_by_side = [[1, 2]]\n")
    shutil.copytree(paths.project_root() / "data" / "raw", tmp_path / "data" / "raw")  # a declared folder
    (tmp_path / "notebooks").mkdir()
    for name in ("01_a", "02_b"):
        notebook(tmp_path / "notebooks" / f"{name}.ipynb", f"open('{name}.ran', 'w').close()")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    return tmp_path


def test_a_declared_folder_lets_the_build_run(project):
    build.build(progress=False)
    assert sorted(p.name for p in (project / "notebooks").glob("*.ran")) == ["01_a.ran", "02_b.ran"]


def test_an_undeclared_file_stops_it_before_any_cell(project):
    (project / "data" / "raw" / "facts_winter.csv").write_text("fact_id\nX-1\n", encoding="utf-8")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(checks.DataQualityError, match="facts_winter.csv"):
        build.build(progress=False)
    assert not list((project / "notebooks").glob("*.ran"))
    assert not list(project.glob(build.STAGING_PREFIX + "*"))
    left = {p.pid for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE} - before
    assert not left
