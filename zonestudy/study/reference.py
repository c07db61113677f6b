"""The study's reference tables: ``data/reference/*.csv``, declared in ``data/reference/datapackage.json``.

Tables the project compiled, not facts from sources: the sector map and its classes, partner kinds,
origin places, the industries of the 科学导报 page, the zone-level count pairs and the words of the
study's figures. Each is read on first use (so ``import zonestudy.study`` works anywhere, for
example from the wheel) through :func:`zonestudy.io.load_raw`, which checks it against its
declaration (columns, types, required cells, unique keys, sha256 hash).

After editing a table, update its ``bytes`` and ``hash`` in ``datapackage.json``
(``python scripts/hash_reference.py`` does it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from zonestudy import io, paths

__all__ = ["ReferenceDataNotFound", "reference_dir", "load", "words", "LazyMapping", "LazySequence"]

FOLDER = ("data", "reference")
"""Where the tables live, relative to the project root."""


class ReferenceDataNotFound(FileNotFoundError):
    """The study's ``data/reference`` folder is not there (the study runs inside a clone)."""


def reference_dir() -> Path:
    """The project's ``data/reference`` folder.

    Raises
    ------
    ReferenceDataNotFound
        Outside a clone of the project (no project root), or when the folder is missing; the
        message names the folder.
    """
    where = "/".join(FOLDER)
    try:
        root = paths.project_root()
    except paths.ProjectRootNotFound as err:
        raise ReferenceDataNotFound(
            f"the study's reference tables live in {where}/ of a clone of the project, and no project "
            f"root was found ({err}); run inside the clone or set {paths.ROOT_ENV_VAR}"
        ) from None
    folder = root.joinpath(*FOLDER)
    if not (folder / io.DATAPACKAGE).is_file():
        raise ReferenceDataNotFound(
            f"the study's reference tables are missing: no {where}/{io.DATAPACKAGE} in {root}"
        )
    return folder


@cache
def _read(name: str) -> pd.DataFrame:
    table = io.load_raw(name, raw_dir=reference_dir())
    text = [c for c in table.columns if table[c].dtype == "str"]
    table[text] = table[text].fillna("")
    return table


def load(name: str) -> pd.DataFrame:
    """One reference table (strings; empty cells are ``""``), checked against its declaration.

    Parameters
    ----------
    name : str
        Resource name in ``data/reference/datapackage.json``, e.g. ``"sector_map"``.

    Raises
    ------
    ReferenceDataNotFound
        Outside a clone of the project.
    zonestudy.io.DataValidationError
        When the file does not match its declaration.
    """
    return _read(name).copy()


def words(module: str) -> Mapping[str, Mapping[str, str]]:
    """The figure words of one study module, ``{key: {"en": ..., "zh": ...}}`` (table ``figure_words``)."""
    table = _read("figure_words")
    rows = table[table["module"] == module]
    return MappingProxyType({key: MappingProxyType({"en": en, "zh": zh})
                             for key, en, zh in zip(rows["key"], rows["en"], rows["zh"])})


class LazyMapping(Mapping):
    """A read-only mapping built by ``build()`` on first use (so importing the study reads no file)."""

    def __init__(self, build: Callable[[], Mapping]):
        self._build = build
        self._data: Mapping | None = None

    def _mapping(self) -> Mapping:
        if self._data is None:
            self._data = MappingProxyType(dict(self._build()))
        return self._data

    def __getitem__(self, key: Any) -> Any:
        return self._mapping()[key]

    def __iter__(self) -> Iterator:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._mapping())!r})"


class LazySequence(Sequence):
    """A read-only tuple built by ``build()`` on first use."""

    def __init__(self, build: Callable[[], Sequence]):
        self._build = build
        self._data: tuple | None = None

    def _tuple(self) -> tuple:
        if self._data is None:
            self._data = tuple(self._build())
        return self._data

    def __getitem__(self, index: Any) -> Any:
        return self._tuple()[index]

    def __len__(self) -> int:
        return len(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())
