"""``python -m zonestudy.study build``: order, selection, and a clear stop on a failing cell."""

import subprocess
import sys

import nbformat
import pytest

from zonestudy import paths
from zonestudy.study import build


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder / "01_first.ipynb", "from pathlib import Path\nPath('order.txt').open('a').write('1')")
    notebook(folder / "02_second.ipynb", "from pathlib import Path\nPath('order.txt').open('a').write('2')",
             "print('done')")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    return tmp_path


def test_runs_in_numeric_order_in_the_notebooks_folder_and_saves_outputs(project):
    done = build.build(progress=False)
    assert [p.name for p in done] == ["01_first.ipynb", "02_second.ipynb"]
    assert (project / "notebooks" / "order.txt").read_text() == "12"
    second = nbformat.read(project / "notebooks" / "02_second.ipynb", as_version=4)
    assert second.cells[1].outputs[0]["text"] == "done\n"
    assert "execution" not in second.cells[1].metadata


def test_from_and_only(project):
    assert [p.name for p in build.build(start=2, progress=False)] == ["02_second.ipynb"]
    assert [p.name for p in build.build(only=1, progress=False)] == ["01_first.ipynb"]
    with pytest.raises(ValueError, match="no notebook numbered 07"):
        build.build(only=7, progress=False)


def test_failure_names_notebook_cell_and_error(project):
    notebook(project / "notebooks" / "03_broken.ipynb", "x = 1", "raise ValueError('bad input on purpose')")
    with pytest.raises(build.NotebookFailed) as excinfo:
        build.build(progress=False)
    assert (excinfo.value.notebook, excinfo.value.cell_index) == ("03_broken.ipynb", 1)
    assert "bad input on purpose" in str(excinfo.value)


def test_command_line_exit_code_and_message(project):
    notebook(project / "notebooks" / "03_broken.ipynb", "raise RuntimeError('stop here')")
    result = subprocess.run([sys.executable, "-m", "zonestudy.study", "build", "--from", "3"],
                            capture_output=True, text=True, cwd=project)
    assert result.returncode == 1
    assert "build failed: 03_broken.ipynb, cell 0: RuntimeError: stop here" in result.stderr


def test_printed_text_is_saved_as_one_output_per_stream(project):
    notebook(project / "notebooks" / "01_first.ipynb",
             "import sys\nfor i in range(50):\n    print(i)\n    sys.stdout.flush()")
    build.build(only=1, progress=False)
    outputs = nbformat.read(project / "notebooks" / "01_first.ipynb", as_version=4).cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["stream"]
    assert outputs[0]["text"] == "".join(f"{i}\n" for i in range(50))
