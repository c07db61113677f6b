"""The build's console: one line per notebook and nothing else on success."""

import os
import re
import subprocess
import sys

import nbformat

from zonestudy import paths


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_build_prints_one_line_per_notebook_and_no_kernel_warning(tmp_path):
    (tmp_path / paths.MARKER_FILE).write_text("")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder / "01_first.ipynb", "x = 1")
    notebook(folder / "02_second.ipynb", "print('in the notebook, not on the console')")
    env = {**os.environ, paths.ROOT_ENV_VAR: str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "zonestudy.study", "build"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 2 and all(re.fullmatch(r"0[12]_(first|second)\.ipynb done in \d+\.\d s", line)
                                   for line in lines), run.stdout
    # no "Kernel is running over TCP without encryption", no progress bar, nothing else
    assert run.stderr == ""
    # the kernel's IPC sockets live in a temporary folder, not beside the notebooks
    assert sorted(p.name for p in folder.iterdir()) == ["01_first.ipynb", "02_second.ipynb"]


def test_makefile_hides_the_editable_install_banner_and_says_what_it_installs():
    makefile = (paths.project_root() / "Makefile").read_text(encoding="utf-8")
    assert 'PYTHONWARNINGS="ignore:Editable installation"' in makefile
    assert '@echo "Installing zonestudy' in makefile
