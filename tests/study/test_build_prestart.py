"""The next group's kernels start while a group runs, once a core is free; they run nothing before
their notebook's first cell."""

import nbformat
import psutil
import pytest

from zonestudy import paths
from zonestudy.study import build


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


# each notebook records when its kernel process started (one clock for all kernels) and how many
# inputs and outputs its kernel had seen
STAMP = ("import os, psutil\n"
         "from pathlib import Path\n"
         "started = psutil.Process(os.getpid()).create_time()\n"
         "Path('{name}.txt').write_text(f'{{started}} {{len(Out)}} {{len(In)}}')")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("[build]\nside_by_side = [[1, 2]]\n")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder / "01_a.ipynb", STAMP.format(name="a"))
    notebook(folder / "02_b.ipynb", STAMP.format(name="b"), "import time\ntime.sleep(3)")
    notebook(folder / "03_c.ipynb", STAMP.format(name="c"), "print('c done')")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    return folder


def started(folder, name):
    return float((folder / f"{name}.txt").read_text().split()[0])


@pytest.mark.parametrize("prestart", [True, False])
def test_the_next_kernel_starts_during_the_group_before_it_only_when_asked(project, monkeypatch, prestart):
    monkeypatch.setattr(build.os, "cpu_count", lambda: 8)  # a core free from the start
    build.build(progress=False, prestart=prestart)
    # 03's kernel starts with 01's and 02's, or only after 02 slept 3 s
    assert (started(project, "c") - started(project, "b") < 2) is prestart
    # nothing ran in 03's kernel before its first cell: one input, no output
    assert (project / "c.txt").read_text().split()[1:] == ["0", "2"]
    executed = nbformat.read(project / "03_c.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells] == [1, 2]
    assert executed.cells[1].outputs[0]["text"] == "c done\n"


def test_on_two_cores_the_next_kernel_starts_when_a_notebook_of_the_group_ends(project, monkeypatch):
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    build.build(progress=False)
    # after 01 ended (its kernel started before 03's), while 02 still slept
    assert started(project, "a") < started(project, "c") < started(project, "b") + 2


def test_a_failure_stops_the_kernels_started_for_the_next_group(project, monkeypatch):
    monkeypatch.setattr(build.os, "cpu_count", lambda: 8)
    notebook(project / "02_b.ipynb", "import time\ntime.sleep(1)", "raise ValueError('stop')")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(build.NotebookFailed, match="stop"):
        build.build(progress=False)
    left = {p.pid for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE} - before
    assert not left
    assert not (project / "c.txt").exists()
