"""Where the project's folders are.

The project root is the nearest folder, upwards from the working directory, that holds the marker file
``zonestudy.toml`` next to ``data/raw/datapackage.json``; the environment variable ``ZONESTUDY_ROOT``
overrides the search. Library functions that read or write project files call these helpers, so a
notebook run from any folder (or a test pointing ``ZONESTUDY_ROOT`` at a temporary copy) finds the same
data.

Examples
--------
>>> import tempfile, pathlib, os
>>> with tempfile.TemporaryDirectory() as tmp:
...     root = pathlib.Path(tmp)
...     _ = (root / MARKER_FILE).write_text("")
...     os.environ[ROOT_ENV_VAR] = tmp
...     try:
...         print(raw_dir().relative_to(root).as_posix())
...     finally:
...         del os.environ[ROOT_ENV_VAR]
data/raw
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "MARKER_FILE",
    "ROOT_ENV_VAR",
    "OUTPUT_ROOT_ENV_VAR",
    "ProjectRootNotFound",
    "project_root",
    "output_root",
    "raw_dir",
    "clean_dir",
    "figures_dir",
    "notebooks_dir",
]

MARKER_FILE = "zonestudy.toml"
ROOT_ENV_VAR = "ZONESTUDY_ROOT"
OUTPUT_ROOT_ENV_VAR = "ZONESTUDY_OUTPUT_ROOT"


class ProjectRootNotFound(FileNotFoundError):
    """No zonestudy project folder was found."""


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the project root folder.

    Parameters
    ----------
    start : path-like, optional
        Folder to search upwards from; defaults to the working directory, then to the installed
        package's parent folder (an editable install of a clone).

    Returns
    -------
    pathlib.Path
        ``$ZONESTUDY_ROOT`` when set (it must contain the marker file), otherwise the first folder
        holding ``zonestudy.toml``.

    Raises
    ------
    ProjectRootNotFound
        When neither the environment variable nor the search finds the marker file.
    """
    env = os.environ.get(ROOT_ENV_VAR)
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / MARKER_FILE).is_file():
            raise ProjectRootNotFound(
                f"{ROOT_ENV_VAR}={env!r} does not contain the marker file {MARKER_FILE}"
            )
        return root
    candidates = [Path(start) if start is not None else Path.cwd(), Path(__file__).resolve().parent]
    for first in candidates:
        for folder in (first.resolve(), *first.resolve().parents):
            if (folder / MARKER_FILE).is_file():
                return folder
    raise ProjectRootNotFound(
        f"no folder above {candidates[0]} holds {MARKER_FILE}; run from inside a zonestudy clone "
        f"or set {ROOT_ENV_VAR} to its path"
    )


def output_root() -> Path:
    """Return the folder that holds the generated ``data/clean`` and ``figures``.

    ``$ZONESTUDY_OUTPUT_ROOT`` when set, otherwise :func:`project_root`. ``python -m zonestudy.study build``
    points it at a staging folder, so that the notebooks write their outputs there and the project's
    own folders change only once every notebook has succeeded. ``data/raw`` and ``notebooks`` are
    always those of the project.
    """
    env = os.environ.get(OUTPUT_ROOT_ENV_VAR)
    return Path(env).expanduser().resolve() if env else project_root()


def raw_dir() -> Path:
    """``data/raw``: the transcribed source facts and their data package (read-only for code)."""
    return project_root() / "data" / "raw"


def clean_dir() -> Path:
    """``data/clean``: tidy tables rebuilt from ``data/raw`` by the notebooks."""
    return output_root() / "data" / "clean"


def figures_dir() -> Path:
    """``figures``: every figure as PDF and PNG, tables under ``figures/tables``, and the catalogue."""
    return output_root() / "figures"


def notebooks_dir() -> Path:
    """``notebooks``: the numbered notebooks 01–06."""
    return project_root() / "notebooks"
