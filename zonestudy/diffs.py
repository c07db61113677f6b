"""What changed: two versions of a table compared row by row on a key, and files against git.

:func:`diff_tables` compares an old and a new table (for example a clean table as committed and as
rebuilt) on its key columns and lists the rows added, removed and changed, with the columns that
changed. :func:`committed_text` reads a file as committed in git (``git show REV:path``) and
:func:`changed_files` lists the files under some folders that differ from a commit. Nothing here
knows the study: which files are exhibits or findings is the study's business.
"""

from __future__ import annotations

import io as _stdio
import subprocess
from pathlib import Path
from typing import Sequence

import pandas as pd

__all__ = ["diff_tables", "committed_text", "committed_table", "changed_files", "NotAGitCheckout"]


class NotAGitCheckout(RuntimeError):
    """The folder is not inside a git checkout (or git is not installed), so there is no committed version."""


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def diff_tables(old: pd.DataFrame | None, new: pd.DataFrame | None, key: Sequence[str]) -> pd.DataFrame:
    """Rows added, removed or changed between two versions of a table, matched on ``key``.

    Cells are compared as text (as written in the CSV file), so ``1.0`` and ``1`` differ only if
    the file's text differs. A missing table (``None``) counts as empty.

    Parameters
    ----------
    old, new : DataFrame or None
        The two versions (e.g. read with ``dtype=str``).
    key : sequence of str
        Columns that identify a row in both (e.g. ``["fact_id"]``); must be unique in each.

    Returns
    -------
    DataFrame
        One row per difference: the key columns, ``change`` (``added``, ``removed`` or ``changed``)
        and ``columns`` (the changed columns among those in both versions, ``;``-joined), sorted
        by key. ``attrs["columns_added"]`` and ``attrs["columns_removed"]`` list the columns in one
        version only.

    Raises
    ------
    ValueError
        If a key column is missing or a key is repeated in one version.

    Examples
    --------
    >>> old = pd.DataFrame({"id": ["a", "b", "c"], "x": ["1", "2", "3"], "y": ["p", "q", "r"]})
    >>> new = pd.DataFrame({"id": ["a", "c", "d"], "x": ["1", "30", "4"], "y": ["p", "r", "s"]})
    >>> diff_tables(old, new, ["id"]).values.tolist()
    [['b', 'removed', ''], ['c', 'changed', 'x'], ['d', 'added', '']]
    >>> diff_tables(old, new.assign(z="1"), ["id"]).attrs["columns_added"]
    ['z']
    """
    key = list(key)
    frames = []
    for name, frame in (("old", old), ("new", new)):
        frame = pd.DataFrame(columns=key) if frame is None else frame
        missing = [k for k in key if k not in frame.columns]
        if missing:
            raise ValueError(f"the {name} table has no key column {missing}")
        text = frame.map(_cell) if len(frame) else frame.astype(str)
        repeated = text[text.duplicated(key, keep=False)]
        if len(repeated):
            raise ValueError(f"key {key} is repeated in the {name} table: "
                             f"{repeated[key].head(3).values.tolist()}")
        frames.append(text.set_index(key))
    before, after = frames
    common = [c for c in after.columns if c in before.columns]
    rows = []
    for k in sorted(set(before.index) | set(after.index), key=lambda v: tuple(map(str, v if isinstance(v, tuple) else (v,)))):
        values = list(k) if isinstance(k, tuple) else [k]
        if k not in after.index:
            rows.append([*values, "removed", ""])
        elif k not in before.index:
            rows.append([*values, "added", ""])
        else:
            a, b = before.loc[k], after.loc[k]
            columns = [c for c in common if a[c] != b[c]]
            if columns:
                rows.append([*values, "changed", ";".join(columns)])
    out = pd.DataFrame(rows, columns=[*key, "change", "columns"])
    out.attrs["columns_added"] = [c for c in after.columns if c not in before.columns] if old is not None else []
    out.attrs["columns_removed"] = [c for c in before.columns if c not in after.columns]
    return out


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8")
    except FileNotFoundError as err:
        raise NotAGitCheckout("git is not installed") from err
    if result.returncode != 0:
        raise NotAGitCheckout(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def committed_text(path: str | Path, *, root: str | Path, rev: str = "HEAD") -> str | None:
    """A file's text as committed at ``rev`` (``None`` if the file is not in that commit).

    ``path`` is relative to ``root``, a folder inside a git checkout. Raises
    :class:`NotAGitCheckout` when there is none.
    """
    root = Path(root)
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    rel = (root.resolve() / path).relative_to(top.resolve()).as_posix()
    listed = _git(root, "ls-tree", "--name-only", rev, "--", rel).strip()
    if not listed:
        return None
    return _git(root, "show", f"{rev}:{rel}")


def committed_table(path: str | Path, *, root: str | Path, rev: str = "HEAD") -> pd.DataFrame | None:
    """A CSV file as committed at ``rev``, read as text (``None`` if not committed)."""
    text = committed_text(path, root=root, rev=rev)
    if text is None:
        return None
    return pd.read_csv(_stdio.StringIO(text), dtype=str, keep_default_na=False)


def changed_files(folders: Sequence[str | Path], *, root: str | Path, rev: str = "HEAD") -> list[str]:
    """Files under ``folders`` (relative to ``root``) that differ from ``rev``: changed, new or removed.

    Paths are returned relative to ``root``, sorted. Raises :class:`NotAGitCheckout` outside a
    git checkout.
    """
    root = Path(root)
    specs = [str(Path(f)) for f in folders]
    names = set(_git(root, "diff", "--name-only", "--relative", rev, "--", *specs).split())
    names |= set(_git(root, "ls-files", "--others", "--exclude-standard", "--", *specs).split())
    return sorted(names)

