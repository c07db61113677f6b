"""The README's Dask example runs as written (needs the dask extra, which make setup installs)."""

import re
import subprocess
import sys

import pytest

from zonestudy import paths

pytest.importorskip("dask.dataframe")

ROOT = paths.project_root()
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_dask_example_runs_from_the_project_root():
    [example] = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S)
                 if "zonestudy.dask" in b]
    result = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "yuncheng_etdz" in result.stdout
