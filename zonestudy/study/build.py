"""Rebuild the study: execute the numbered notebooks in order, in place.

``python -m zonestudy.study build`` runs ``notebooks/NN_*.ipynb`` in numeric order with nbclient, in the
``notebooks/`` folder, with an explicit kernel and a per-cell timeout, showing a progress bar. The
notebooks write ``data/clean/`` and ``figures/``; their outputs are saved back into the ``.ipynb``
files so they can be read on the web and compared by nbval. On the first failing cell the build stops
with the notebook, the cell index and the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zonestudy import paths

__all__ = ["NotebookFailed", "numbered_notebooks", "execute_notebook", "build"]

_NUMBERED = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.ipynb$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600


@dataclass
class NotebookFailed(RuntimeError):
    """A notebook cell raised during the build."""

    notebook: str
    cell_index: int
    error: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell_index}: {self.error}"


def numbered_notebooks(folder: Path | None = None, *, start: int | None = None,
                       only: int | None = None) -> list[Path]:
    """Return ``NN_*.ipynb`` in ``folder`` sorted by number, optionally from ``start`` or ``only`` one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for n in ["02_clean.ipynb", "01_load.ipynb", "scratch.ipynb", "10_x.ipynb"]:
    ...         _ = (pathlib.Path(tmp) / n).write_text("{}")
    ...     [p.name for p in numbered_notebooks(pathlib.Path(tmp), start=2)]
    ['02_clean.ipynb', '10_x.ipynb']
    """
    folder = folder or paths.notebooks_dir()
    found = []
    for path in folder.glob("*.ipynb"):
        match = _NUMBERED.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    numbers = [n for n, _ in found]
    duplicated = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicated:
        raise ValueError(f"more than one notebook numbered {duplicated} in {folder}")
    selected = [
        p for n, p in sorted(found)
        if (only is None or n == only) and (start is None or n >= start)
    ]
    if only is not None and not selected:
        raise ValueError(f"no notebook numbered {only:02d} in {folder}")
    return selected


def execute_notebook(path: Path, *, timeout: int = CELL_TIMEOUT_S, kernel_name: str = KERNEL_NAME) -> None:
    """Execute one notebook in place, in its own folder; raise :class:`NotebookFailed` on error.

    Volatile cell metadata (execution timings) is not stored, so rebuilding leaves the file unchanged
    when the results are unchanged. A notebook that fails is not written: the committed, executed
    version stays as it was, and the error names the cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    try:
        client.execute()
    except CellExecutionError as err:
        failed = [
            (i, output)
            for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for output in cell.get("outputs", []) if output.get("output_type") == "error"
        ]
        index, message = (failed[0][0], f"{failed[0][1]['ename']}: {failed[0][1]['evalue']}") if failed \
            else (-1, _ANSI.sub("", str(err)).strip().splitlines()[-1])
        raise NotebookFailed(path.name, index, message) from err
    notebook.metadata.pop("widgets", None)
    _coalesce_streams(notebook)
    nbformat.write(notebook, path)


def _coalesce_streams(notebook) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell.

    How a cell's printed text is split into messages depends on the kernel's flush timing; merging
    makes the saved notebook the same on every run.
    """
    for cell in notebook.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous["name"] == output["name"]):
                previous["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def build(*, start: int | None = None, only: int | None = None, progress: bool = True) -> list[Path]:
    """Execute the numbered notebooks in order; return the paths executed.

    Parameters
    ----------
    start : int, optional
        First notebook number to run (``--from``).
    only : int, optional
        Run just this notebook (``--only``).
    progress : bool
        Show a tqdm progress bar on stderr.
    """
    import sys

    from tqdm import tqdm

    from zonestudy.figures import missing_cjk_font_message

    notebooks = numbered_notebooks(start=start, only=only)
    message = missing_cjk_font_message()
    if message:
        print(message, file=sys.stderr)
    bar = tqdm(notebooks, unit="notebook", disable=not progress)
    for path in bar:
        bar.set_description(path.name)
        execute_notebook(path)
    return notebooks
