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
