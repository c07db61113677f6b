"""The next group's kernels start while a group runs; they run nothing before their notebook's first cell."""

import nbformat
import pytest

from zonestudy import paths
from zonestudy.study import build


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


# each notebook records when its kernel process started and when its first cell ran
STAMP = ("import os, time, psutil\n"
         "from pathlib import Path\n"
         "started = psutil.Process(os.getpid()).create_time()\n"
         "Path('{name}.txt').write_text(f'{{started}} {{time.time()}} {{len(Out)}} {{len(In)}}')")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / paths.MARKER_FILE).write_text("[build]\nside_by_side = [[1, 2]]\n")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook(folder / "01_a.ipynb", "import time\ntime.sleep(2)", STAMP.format(name="a"))
    notebook(folder / "02_b.ipynb", "import time\ntime.sleep(2)", STAMP.format(name="b"))
    notebook(folder / "03_c.ipynb", STAMP.format(name="c"), "print('c done')")
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path))
    return folder


def stamps(folder, name):
    started, first_cell, outputs, inputs = (folder / f"{name}.txt").read_text().split()
    return float(started), float(first_cell), int(outputs), int(inputs)


@pytest.mark.parametrize("prestart", [True, False])
def test_the_next_kernel_starts_during_the_group_before_it_only_when_asked(project, prestart):
    build.build(progress=False, prestart=prestart)
    a_started, a_cell, _, _ = stamps(project, "a")
    c_started, c_cell, c_outputs, c_inputs = stamps(project, "c")
    # 03 runs after 01 and 02 finished; its kernel started with theirs, or after their 2 s sleep
    # (kernel start times are compared with each other: same clock)
    assert c_cell > a_cell
    assert (c_started - a_started < 1) is prestart
    # nothing ran in 03's kernel before its first cell: no earlier input, no output
    assert (c_inputs, c_outputs) == (2, 0)
    executed = nbformat.read(project / "03_c.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells] == [1, 2]
    assert executed.cells[1].outputs[0]["text"] == "c done\n"


def test_a_failure_stops_the_kernels_started_for_the_next_group(project):
    notebook(project / "02_b.ipynb", "raise ValueError('stop')")
    import psutil

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(build.NotebookFailed, match="stop"):
        build.build(progress=False)
    left = {p.pid for p in psutil.Process().children(recursive=True) if p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE} - before
    assert not left
    assert not (project / "c.txt").exists()
