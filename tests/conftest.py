"""Shared test settings: a non-interactive matplotlib backend and the project's data folders."""

import matplotlib

matplotlib.use("Agg")


# ---------------------------------------------------------------------------
# nbval: the notebooks write into a copy of the project's outputs
# ---------------------------------------------------------------------------
# nbval re-executes every notebook. Its kernels get ZONESTUDY_OUTPUT_ROOT pointing at a per-process copy
# of data/clean and figures, so `make test` never rewrites the project's files, and each notebook reads
# the committed data/clean instead of the one an earlier notebook is rewriting. The notebooks are then
# independent of each other and can run in different pytest-xdist workers (`make test` uses -n 2).

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

_NBVAL_OUTPUTS: list[Path] = []


def _nbval_output_root() -> Path:
    if not _NBVAL_OUTPUTS:
        from zonestudy import paths

        root = paths.project_root()
        staging = Path(tempfile.mkdtemp(prefix="zonestudy-nbval-"))
        for folder in (Path("data") / "clean", Path("figures")):
            shutil.copytree(root / folder, staging / folder)
        _NBVAL_OUTPUTS.append(staging)
    return _NBVAL_OUTPUTS[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Start nbval's kernel (during a notebook's first cell's setup) with the copied output folders."""
    if type(item).__name__ != "IPyNbCell":
        yield
        return
    from zonestudy import paths

    saved = os.environ.get(paths.OUTPUT_ROOT_ENV_VAR)
    os.environ[paths.OUTPUT_ROOT_ENV_VAR] = str(_nbval_output_root())
    try:
        yield
    finally:
        if saved is None:
            del os.environ[paths.OUTPUT_ROOT_ENV_VAR]
        else:
            os.environ[paths.OUTPUT_ROOT_ENV_VAR] = saved


def pytest_sessionfinish(session):
    for staging in _NBVAL_OUTPUTS:
        shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------------------
# Order: the longest files first, so that two workers finish together
# ---------------------------------------------------------------------------
# `make test` hands whole files to its workers (--dist loadfile) in collection order
# (--no-loadscope-reorder). Files that rebuild the study (marked slow) go first, then the notebooks
# (nbval; the ones with more code cells first), then the files that start other processes (builds of
# tiny notebooks, command lines, a browser, a wheel), then the rest; the larger files first within
# each group. A long file handed out last would leave one worker running it alone at the end.

import re  # noqa: E402

_STARTS_PROCESSES = re.compile(r"\bsubprocess\b|\bplaywright\b|\bbuild\.build\(")


def _file_of(item) -> str:
    return item.nodeid.split("::", 1)[0]


def _starts_processes(item) -> bool:
    path = Path(str(item.fspath))
    if path.suffix != ".py" or not path.name.startswith("test_"):
        return False
    try:
        return bool(_STARTS_PROCESSES.search(path.read_text(encoding="utf-8")))
    except OSError:
        return False


def pytest_collection_modifyitems(session, config, items):
    counts: dict[str, int] = {}
    slow: set[str] = set()
    processes: dict[str, bool] = {}
    for item in items:
        name = _file_of(item)
        counts[name] = counts.get(name, 0) + 1
        if item.get_closest_marker("slow") is not None:
            slow.add(name)
        if name not in processes:
            processes[name] = _starts_processes(item)
    first_seen = {name: i for i, name in enumerate(counts)}

    def rank(name: str) -> tuple:
        group = 0 if name in slow else 1 if name.endswith(".ipynb") else 2 if processes[name] else 3
        return group, -counts[name], first_seen[name]

    items.sort(key=lambda item: rank(_file_of(item)))  # stable: each file's own order is kept
