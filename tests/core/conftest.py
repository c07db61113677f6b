"""The core's tests run without the project's data.

While a test of this folder runs (its fixtures included), ``ZONESTUDY_ROOT`` points at an empty
folder (no marker file, no ``data/``), ``ZONESTUDY_OUTPUT_ROOT`` is unset (so the outputs' folders
follow the root), and the default zone registry is not cached, so any read of
``data/raw`` or ``data/clean`` (direct, or through the default registry) fails with
``ProjectRootNotFound`` instead of passing on the study's data. Tests of the study's data live in
``tests/study``.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from zonestudy import paths, zones

# the default registry's caches (zones.load_registry reads through them)
_CACHES = [getattr(zones, name) for name in ("_cached_registry", "_default_index") if hasattr(zones, name)]
_EMPTY = tempfile.TemporaryDirectory(prefix="zonestudy-no-project-")
_VARIABLES = [paths.ROOT_ENV_VAR, paths.OUTPUT_ROOT_ENV_VAR]
_SAVED: list[dict[str, str | None]] = []


def _clear_caches() -> None:
    for cache in _CACHES:
        cache.cache_clear()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _SAVED.append({name: os.environ.get(name) for name in _VARIABLES})
    os.environ[paths.ROOT_ENV_VAR] = _EMPTY.name
    os.environ.pop(paths.OUTPUT_ROOT_ENV_VAR, None)
    _clear_caches()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    saved = _SAVED.pop() if _SAVED else {}
    for name in _VARIABLES:
        if saved.get(name) is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved[name]
    _clear_caches()
