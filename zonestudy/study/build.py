"""Rebuild the study: execute the numbered notebooks, all or nothing.

``python -m zonestudy.study build`` runs ``notebooks/NN_*.ipynb`` in numeric order with nbclient, with an
explicit kernel and a per-cell timeout, and prints one line per finished notebook. Notebooks that do
not depend on each other run side by side, one kernel each (``[build] side_by_side`` in
``zonestudy.toml``): 01 with 02 (both read only ``data/raw``), then 03–05 (they read only
``data/clean``), then 06. While one group runs, the kernels of the next start, so that its
notebooks begin as soon as their inputs are written (once a core is free); nothing runs in a
kernel before its notebook's first cell.

The build is all or nothing. The notebooks run on copies in a staging folder inside the project
(``.zonestudy-build-*``), and ``ZONESTUDY_OUTPUT_ROOT`` (:func:`zonestudy.paths.output_root`) sends
their ``data/clean`` and ``figures`` there. Only when every notebook has succeeded are the new files
moved into ``data/clean/``, ``figures/`` and ``notebooks/``, one rename per changed file (files whose
bytes are unchanged are left untouched); a failure while moving puts the old files back. On the first
failing cell the build stops with the notebook, the cell index and the error, and the project's
folders are byte-identical to before. ``data/raw`` is only read.

A full build also removes the outputs that it owns and no longer makes: the ``.csv`` and ``.dta``
tables of ``data/clean`` and the files listed in the previous ``figures/catalogue.csv``. Other files
in those folders are left alone.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from zonestudy import paths

__all__ = [
    "side_by_side",
    "STAGING_PREFIX",
    "BuildFailed",
    "NotebookFailed",
    "numbered_notebooks",
    "stages",
    "execute_notebook",
    "build",
]

_NUMBERED = re.compile(r"^(\d{2})_[A-Za-z0-9_]+\.ipynb$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600

def side_by_side(root: Path) -> tuple[frozenset[int], ...]:
    """Groups of notebooks that may run side by side, from ``[build] side_by_side`` in ``zonestudy.toml``.

    A project that declares none runs its notebooks one by one. The study declares 01 with 02 (both
    read only ``data/raw``; 01 writes nothing) and 03–05 (they read only ``data/clean`` and write their
    own figures and tables; the catalogue they share is locked while it is rewritten, see
    :mod:`zonestudy.figures`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     marker = pathlib.Path(tmp) / "zonestudy.toml"
    ...     _ = marker.write_text("[build]\\nside_by_side = [[3, 4, 5]]\\n")
    ...     [sorted(g) for g in side_by_side(pathlib.Path(tmp))]
    [[3, 4, 5]]
    """
    import tomllib

    marker = root / paths.MARKER_FILE
    config = tomllib.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else {}
    groups = config.get("build", {}).get("side_by_side", [])
    if not (isinstance(groups, list) and all(
            isinstance(g, list) and all(isinstance(n, int) for n in g) for g in groups)):
        raise ValueError(f"{marker}: [build] side_by_side must be a list of lists of notebook numbers, "
                         f"not {groups!r}")
    return tuple(frozenset(g) for g in groups)


#: Name prefix of the staging folder made inside the project root (ignored by git).
STAGING_PREFIX = ".zonestudy-build-"

#: Output folders, relative to the project root, that a build writes (``notebooks`` too).
_OUTPUT_FOLDERS = (Path("data") / "clean", Path("figures"))
#: File types of ``data/clean`` that the build owns (written by :func:`zonestudy.io.write_clean`).
_CLEAN_SUFFIXES = {".csv", ".dta"}


@dataclass
class NotebookFailed(RuntimeError):
    """A notebook cell raised during the build."""

    notebook: str
    cell_index: int
    error: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell_index}: {self.error}"


class BuildFailed(RuntimeError):
    """The new outputs could not be moved into place; the old ones were put back."""


def numbered_notebooks(folder: Path | None = None, *, start: int | None = None,
                       only: int | Iterable[int] | None = None) -> list[Path]:
    """Return ``NN_*.ipynb`` in ``folder`` sorted by number, optionally from ``start`` or ``only`` some.

    ``only`` is one number or several; each must name a notebook.

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
    wanted = None if only is None else {only} if isinstance(only, int) else set(only)
    selected = [
        p for n, p in sorted(found)
        if (wanted is None or n in wanted) and (start is None or n >= start)
    ]
    missing = sorted((wanted or set()) - set(numbers))
    if missing:
        raise ValueError(f"no notebook numbered {', '.join(f'{n:02d}' for n in missing)} in {folder}")
    return selected


def _number(path: Path) -> int:
    return int(path.name[:2])


def stages(notebooks: list[Path], parallel: tuple[frozenset[int], ...]) -> list[list[Path]]:
    """Split notebooks (in order) into stages: consecutive members of one ``parallel`` group share one.

    Examples
    --------
    >>> from pathlib import Path
    >>> names = ["01_a.ipynb", "02_b.ipynb", "03_c.ipynb", "04_d.ipynb", "05_e.ipynb", "06_f.ipynb"]
    >>> groups = (frozenset({1, 2}), frozenset({3, 4, 5}))
    >>> [[p.name[:2] for p in s] for s in stages([Path(n) for n in names], groups)]
    [['01', '02'], ['03', '04', '05'], ['06']]
    >>> [[p.name[:2] for p in s] for s in stages([Path("04_d.ipynb"), Path("06_f.ipynb")], groups)]
    [['04'], ['06']]
    """
    result: list[list[Path]] = []
    group_of_last = None
    for path in notebooks:
        group = next((g for g in parallel if _number(path) in g), None)
        if result and group is not None and group is group_of_last:
            result[-1].append(path)
        else:
            result.append([path])
        group_of_last = group
    return result


def _client(notebook, path: Path, timeout: int, kernel_name: str, sockets: Path):
    from nbclient import NotebookClient
    from traitlets.config import Config

    # The kernel talks to the build over local IPC sockets in a private folder, not over unencrypted
    # TCP ports (which the kernel warns about on every start).
    ipc = Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")}})
    return NotebookClient(
        notebook,
        config=ipc,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        shutdown_kernel="immediate",
    )


class _Run:
    """One notebook's kernel and execution: the kernel can be started ahead of the notebook's turn.

    Starting a kernel takes most of a second (a new Python process, ipykernel, the connection);
    :func:`_run_stages` starts the next stage's kernels while the current stage runs, so that the
    next notebooks begin as soon as their inputs are there. A kernel only starts; nothing runs in
    it before the notebook's first cell.
    """

    def __init__(self, path: Path, timeout: int = CELL_TIMEOUT_S, kernel_name: str = KERNEL_NAME):
        import nbformat

        self.path = path
        self.notebook = nbformat.read(path, as_version=4)
        self._sockets = tempfile.TemporaryDirectory(prefix="zonestudy-kernel-")
        self.client = _client(self.notebook, path, timeout, kernel_name, Path(self._sockets.name))
        self._started: asyncio.Future | None = None

    def start(self) -> asyncio.Future:
        """Start the kernel in the background (once); the returned future is done when it is ready."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())
        return self._started

    async def _start(self) -> None:
        # the client owns this kernel manager: it shuts the kernel down after the last cell
        self.client.km = self.client.create_kernel_manager()
        await self.client.async_start_new_kernel()
        await self.client.async_start_new_kernel_client()

    async def execute(self) -> None:
        """Run every cell (starting the kernel if it is not started); write the notebook on success."""
        import nbformat
        from nbclient.exceptions import CellExecutionError, DeadKernelError

        notebook = self.notebook
        try:
            await self.start()
            await self.client.async_execute()
        except DeadKernelError as err:
            raise NotebookFailed(self.path.name, -1, f"the kernel died ({err}); out of memory?") from err
        except CellExecutionError as err:
            failed = [
                (i, output)
                for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
                for output in cell.get("outputs", []) if output.get("output_type") == "error"
            ]
            index, message = (failed[0][0], f"{failed[0][1]['ename']}: {failed[0][1]['evalue']}") \
                if failed else (-1, _ANSI.sub("", str(err)).strip().splitlines()[-1])
            raise NotebookFailed(self.path.name, index, message) from err
        finally:
            await self.close()
        notebook.metadata.pop("widgets", None)
        _coalesce_streams(notebook)
        nbformat.write(notebook, self.path)

    async def close(self) -> None:
        """Stop the kernel if it still runs (a notebook not run, or stopped part way); idempotent."""
        if self._started is not None:
            if not self._started.done():
                self._started.cancel()
            await asyncio.gather(self._started, return_exceptions=True)
            if self.client.km is not None:
                with contextlib.suppress(Exception):
                    await self.client._async_cleanup_kernel()
        # nbclient registers a clean-up at exit that fails (with a traceback on stderr) once the
        # kernel is gone, e.g. after a cancelled notebook
        atexit.unregister(self.client._cleanup_kernel)
        self._sockets.cleanup()


async def _execute_async(path: Path, timeout: int = CELL_TIMEOUT_S, kernel_name: str = KERNEL_NAME) -> None:
    await _Run(path, timeout, kernel_name).execute()


def execute_notebook(path: Path, *, timeout: int = CELL_TIMEOUT_S, kernel_name: str = KERNEL_NAME) -> None:
    """Execute one notebook in place, in its own folder; raise :class:`NotebookFailed` on error.

    Volatile cell metadata (execution timings) is not stored, so rebuilding leaves the file unchanged
    when the results are unchanged. A notebook that fails is not written, and the error names the
    cell. The notebook's outputs go where :mod:`zonestudy.paths` says; :func:`build` is the
    all-or-nothing way to run the study.
    """
    asyncio.run(_execute_async(path, timeout, kernel_name))


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


async def _run_stages(planned: list[list[Path]], report: Callable[[Path, float], None], *,
                      prestart: bool = True, cores: int | None = None,
                      before: Callable[[], object] | None = None) -> None:
    """Run the stages in order, the notebooks of a stage side by side; stop at the first failure.

    ``before`` (the check of ``data/raw``) runs in a thread while the first stage's kernels start;
    when it raises, no notebook runs and the kernels are shut down.

    The kernels of the next stage start as soon as a core is free: when fewer notebooks of the
    current stage are still running than there are ``cores`` (:class:`_Run`; not with
    ``prestart=False``). When a notebook of a stage fails, the others of that stage are cancelled
    (their kernels shut down), as are the kernels started for the next stage, and the failure of
    the lowest-numbered failing notebook is raised.
    """
    cores = cores or os.cpu_count() or 1
    runs = [[_Run(path) for path in stage] for stage in planned]
    try:
        if before is not None:
            for run in runs[0] if runs else []:
                run.start()
            await asyncio.to_thread(before)
        for number, stage in enumerate(runs):
            following = runs[number + 1] if prestart and number + 1 < len(runs) else []
            running = len(stage)

            def start_following() -> None:
                if running < cores:
                    for run in following:
                        run.start()

            async def one(run: _Run) -> None:
                nonlocal running
                begun = time.perf_counter()
                try:
                    await run.execute()
                finally:
                    running -= 1
                report(run.path, time.perf_counter() - begun)
                start_following()

            for run in stage:
                run.start()
            start_following()
            tasks = [asyncio.ensure_future(one(run)) for run in stage]
            finished: set = set()
            try:
                finished, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            finally:
                for task in tasks:
                    task.cancel()
                # a cancelled notebook may end with its kernel's death rather than the cancellation
                await asyncio.gather(*tasks, return_exceptions=True)
            for task in tasks:
                if task in finished and task.exception() is not None:
                    raise task.exception()
    finally:
        await asyncio.gather(*(run.close() for stage in runs for run in stage), return_exceptions=True)


def _files(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder``, relative to it, skipping ``.ipynb_checkpoints``."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and ".ipynb_checkpoints" not in relative.parts:
            yield relative


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _catalogued_files(figures: Path) -> set[Path]:
    """Files (relative to ``figures``) that the catalogue says a build wrote, and the catalogue."""
    import csv

    owned = {Path("catalogue.csv"), Path("README.md")}
    catalogue = figures / "catalogue.csv"
    if catalogue.is_file():
        with catalogue.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                owned.update(Path(f) for f in (row.get("files") or "").split(";") if f)
    return owned


def _plan_commit(staging: Path, root: Path, *, full: bool) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """What moving the staged build into place does: (staged file, target) pairs and targets to remove."""
    moves: list[tuple[Path, Path]] = []
    removals: list[Path] = []
    for folder in (*_OUTPUT_FOLDERS, Path("notebooks")):
        produced = set(_files(staging / folder))
        for relative in sorted(produced):
            source, target = staging / folder / relative, root / folder / relative
            if not (target.is_file() and _same_bytes(source, target)):
                moves.append((source, target))
        if not full or folder == Path("notebooks"):
            continue
        existing = set(_files(root / folder))
        if folder == Path("figures"):
            owned = existing & _catalogued_files(root / folder)
        else:
            owned = {f for f in existing if f.suffix in _CLEAN_SUFFIXES}
        removals.extend(root / folder / f for f in sorted(owned - produced))
    return moves, removals


def _set_aside(target: Path, aside: Path) -> None:
    """Keep the current version of ``target`` at ``aside`` (a hard link where possible), in place."""
    aside.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, aside)
    except OSError:
        shutil.copy2(target, aside)


def _commit(staging: Path, root: Path, *, full: bool) -> int:
    """Move the staged outputs into the project; on any error put every old file back.

    Each changed file is one ``os.replace`` (atomic on POSIX, so a reader sees the old file or the
    new one, never a part); the version it replaces is kept aside in the staging folder first, so a
    failure part way puts the project back as it was. Returns the number of files changed.
    """
    moves, removals = _plan_commit(staging, root, full=full)
    aside = staging / ".replaced"
    done: list[tuple[Path, Path | None]] = []  # (target, its old version, or None when it is new)
    try:
        for number, (source, target) in enumerate(moves):
            old = None
            if target.exists():
                old = aside / str(number)
                _set_aside(target, old)
            target.parent.mkdir(parents=True, exist_ok=True)
            done.append((target, old))
            os.replace(source, target)
        for number, target in enumerate(removals, start=len(moves)):
            old = aside / str(number)
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, old)
            done.append((target, old))
    except BaseException as err:
        for target, old in reversed(done):
            if old is not None and old.exists():
                os.replace(old, target)
            elif old is None:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
        raise BuildFailed(f"could not move the new outputs into place ({err}); the old ones were put back") \
            from err
    return len(moves) + len(removals)


@contextlib.contextmanager
def _staging_area(root: Path, *, full: bool) -> Iterator[Path]:
    """A staging copy of the project's outputs, used as ``ZONESTUDY_OUTPUT_ROOT``; removed afterwards.

    It holds a copy of ``notebooks/`` and, for a partial build (``--from``/``--only``), copies of
    ``data/clean`` and ``figures`` for the later notebooks to read; a full build starts them empty.
    """
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    saved = {name: os.environ.get(name) for name in (paths.ROOT_ENV_VAR, paths.OUTPUT_ROOT_ENV_VAR)}
    try:
        ignore = shutil.ignore_patterns(".ipynb_checkpoints")
        shutil.copytree(root / "notebooks", staging / "notebooks", ignore=ignore)
        for folder in _OUTPUT_FOLDERS:
            if not full and (root / folder).is_dir():
                shutil.copytree(root / folder, staging / folder, ignore=ignore)
            else:
                (staging / folder).mkdir(parents=True, exist_ok=True)
        # the kernels inherit these: raw data from the project, outputs into the staging folder
        os.environ[paths.ROOT_ENV_VAR] = str(root)
        os.environ[paths.OUTPUT_ROOT_ENV_VAR] = str(staging)
        yield staging
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(staging, ignore_errors=True)


def _print_done(path: Path, seconds: float) -> None:
    print(f"{path.name} done in {seconds:.1f} s", flush=True)


def build(*, start: int | None = None, only: int | Iterable[int] | None = None, progress: bool = True,
          parallel: bool = True, prestart: bool = True) -> list[Path]:
    """Execute the numbered notebooks, all or nothing; return the project's notebook paths executed.

    Parameters
    ----------
    start : int, optional
        First notebook number to run (``--from``).
    only : int or iterable of int, optional
        Run just this notebook, or these (``--only NN [NN ...]``), in order.
    progress : bool
        Print one line per finished notebook.
    parallel : bool
        Run the notebooks of a group declared in ``zonestudy.toml`` (:func:`side_by_side`) side by
        side (POSIX only; on other systems, or when ``False``, one by one).
    prestart : bool
        Start the kernels of the next group while a group runs, as soon as a core is free, so that
        its notebooks begin as soon as their inputs are written (a kernel takes most of a second to
        start). Nothing runs in a kernel before its notebook's first cell.

    Raises
    ------
    zonestudy.checks.DataQualityError
        Before any notebook runs, when ``data/raw`` holds a file that ``datapackage.json`` does not
        declare (and ``data/raw/known_issues.csv`` does not acknowledge).
    NotebookFailed
        When a cell fails — among them the cleaning step's strict check (``02_clean.ipynb``), which
        stops on any value, place or round label it cannot read unless acknowledged. Nothing in
        ``data/clean``, ``figures`` or ``notebooks`` was changed.
    BuildFailed
        The outputs could not be moved into place; the old files were put back.
    """
    from zonestudy.figures import missing_cjk_font_message

    root = paths.project_root()
    notebooks = numbered_notebooks(paths.notebooks_dir(), start=start, only=only)
    check = None
    if (paths.raw_dir() / "datapackage.json").is_file():
        from zonestudy.study import quality

        # an undeclared file in data/raw stops the build before any notebook runs (checked while
        # the first kernels start)
        check = quality.check_raw_folder
    message = missing_cjk_font_message()
    if message:
        print(message, file=sys.stderr)
    full = start is None and only is None
    groups = side_by_side(root) if parallel and os.name == "posix" else ()
    report = _print_done if progress else (lambda path, seconds: None)
    with _staging_area(root, full=full) as staging:
        staged = [staging / "notebooks" / path.name for path in notebooks]
        asyncio.run(_run_stages(stages(staged, groups), report, prestart=prestart, before=check))
        _commit(staging, root, full=full)
    return notebooks
