"""Notebooks that run side by side record their exhibits in one catalogue: no entry may be lost."""

import multiprocessing
import sys

import pandas as pd
import pytest

from zonestudy import figures


def save_tables(directory, worker, count):
    for i in range(count):
        figures.save_table(pd.DataFrame({"Projects": [i]}), f"tab{worker:02d}_part_{i:02d}",
                           notebook=f"notebooks/0{worker}_x.ipynb", sources="SX-S001", directory=directory)
        figures.write_catalogue_markdown(directory)


@pytest.mark.skipif(sys.platform == "win32", reason="the catalogue is locked with fcntl (POSIX)")
def test_catalogue_keeps_every_entry_written_by_processes_side_by_side(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=save_tables, args=(tmp_path, w, 15)) for w in (3, 4, 5)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    assert [p.exitcode for p in workers] == [0, 0, 0]
    catalogue = figures.read_catalogue(tmp_path)
    assert len(catalogue) == 45
    assert sorted(catalogue["name"]) == sorted(f"tab{w:02d}_part_{i:02d}" for w in (3, 4, 5) for i in range(15))
    figures.write_catalogue_markdown(tmp_path)
    assert (tmp_path / "README.md").read_text(encoding="utf-8").count(".csv](tables/") == 45
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
