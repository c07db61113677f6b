"""Strict checks: stop on data problems unless each one is acknowledged, with a reason, in a file.

A *problem table* has one row per problem, in the columns :data:`PROBLEM_COLUMNS`:

``file``
    the raw file (``campaign_facts_shanxi.csv``);
``row``
    the row's id (``SX-F0001``; empty for a problem with the whole file);
``column``
    the column (empty for a whole row or file);
``value``
    the offending value, as in the file;
``why``
    what is wrong, in words.

An *acknowledgement* is a reviewed row of ``data/raw/known_issues.csv`` (family ``known_issues``)
naming the same ``file``, ``row``, ``column`` and ``value``, with a ``reason``, ``reviewed_by`` and
``reviewed_on``. :func:`enforce` raises :class:`DataQualityError` — whose message is a short table
naming file, row, column and value — when any problem is not acknowledged; an acknowledgement
matches only that exact row, so a changed value is a new problem. :func:`undeclared_files` lists
files in ``data/raw`` that ``datapackage.json`` does not declare (a file there is either data or a
mistake).

Nothing here knows the study: the study decides which problems block (see its cleaning step).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zonestudy import io, paths

__all__ = [
    "PROBLEM_COLUMNS",
    "KEY_COLUMNS",
    "DataQualityError",
    "problem_table",
    "acknowledge",
    "enforce",
    "format_problems",
    "undeclared_files",
]

PROBLEM_COLUMNS = ("file", "row", "column", "value", "why")
"""Columns of a problem table."""
KEY_COLUMNS = ("file", "row", "column", "value")
"""Columns that must all match for an acknowledgement to apply."""
_MAX_SHOWN = 25
_WIDTH = {"file": 40, "row": 14, "column": 14, "value": 40, "why": 240}


def problem_table(rows=None) -> pd.DataFrame:
    """A problem table (strings, empty where not applicable) from records or a DataFrame.

    Examples
    --------
    >>> problem_table([{"file": "a.csv", "row": "F1", "column": "value_text", "value": "约五十来个",
    ...                 "why": "not a quantity"}]).iloc[0].tolist()
    ['a.csv', 'F1', 'value_text', '约五十来个', 'not a quantity']
    """
    frame = pd.DataFrame(rows if rows is not None else [], columns=list(PROBLEM_COLUMNS))
    missing = [c for c in PROBLEM_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"a problem table needs the columns {list(PROBLEM_COLUMNS)}; missing {missing}")
    out = frame[list(PROBLEM_COLUMNS)].copy()
    for column in PROBLEM_COLUMNS:
        out[column] = out[column].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v))
                                      else str(v)).astype(str)
    return out.reset_index(drop=True)


def acknowledge(problems: pd.DataFrame, known: pd.DataFrame | None) -> pd.DataFrame:
    """Mark each problem acknowledged or not, and list acknowledgements that match nothing.

    Parameters
    ----------
    problems : DataFrame
        A problem table (:data:`PROBLEM_COLUMNS`).
    known : DataFrame or None
        Acknowledgements with :data:`KEY_COLUMNS` and ``reason`` (e.g. ``io.load_raw("known_issues")``).

    Returns
    -------
    DataFrame
        The problems with ``acknowledged`` (bool) and ``reason`` (empty where not acknowledged);
        ``attrs["stale"]`` holds the acknowledgements that match no problem (fixed problems whose
        acknowledgement can go).

    Raises
    ------
    ValueError
        If an acknowledgement has no reason.

    Examples
    --------
    >>> p = problem_table([{"file": "a.csv", "row": "F1", "column": "unit", "value": "x", "why": "bad"},
    ...                    {"file": "a.csv", "row": "F2", "column": "unit", "value": "y", "why": "bad"}])
    >>> k = pd.DataFrame({"file": ["a.csv", "a.csv"], "row": ["F1", "F9"], "column": "unit",
    ...                   "value": ["x", "z"], "reason": ["checked: printed so", "old"]})
    >>> out = acknowledge(p, k)
    >>> out["acknowledged"].tolist(), out.attrs["stale"]["row"].tolist()
    ([True, False], ['F9'])
    """
    problems = problem_table(problems)
    if known is None or len(known) == 0:
        known = pd.DataFrame(columns=[*KEY_COLUMNS, "reason"])
    known = known.copy()
    for column in (*KEY_COLUMNS, "reason"):
        if column not in known.columns:
            raise ValueError(f"acknowledgements need the columns {[*KEY_COLUMNS, 'reason']}; missing {column!r}")
        known[column] = known[column].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v))
                                          else str(v))
    blank = known[known["reason"].str.strip() == ""]
    if len(blank):
        first = blank.iloc[0]
        raise ValueError(f"acknowledgement of {first['file']}, row {first['row']!r}, column "
                         f"{first['column']!r}, value {first['value']!r} gives no reason")
    keys = list(KEY_COLUMNS)
    reasons = known.drop_duplicates(keys).set_index(keys)["reason"]
    index = pd.MultiIndex.from_frame(problems[keys])
    out = problems.copy()
    out["acknowledged"] = index.isin(reasons.index)
    out["reason"] = [reasons.get(tuple(k), "") if a else "" for k, a in zip(index, out["acknowledged"])]
    stale = ~pd.MultiIndex.from_frame(known[keys]).isin(index)
    out.attrs["stale"] = known.loc[stale].reset_index(drop=True)
    return out


class DataQualityError(ValueError):
    """Data problems that no acknowledgement covers; the message is a short table of them.

    Attributes
    ----------
    problems : DataFrame
        The unacknowledged problems (:data:`PROBLEM_COLUMNS`).
    """

    def __init__(self, problems: pd.DataFrame, hint: str = ""):
        self.problems = problem_table(problems)
        n = len(self.problems)
        text = (f"{n} data problem(s) stop the build (acknowledge a row only after checking its "
                f"source: add it, with a reason, to data/raw/known_issues.csv):\n"
                f"{format_problems(self.problems)}")
        super().__init__(text + (f"\n{hint}" if hint else ""))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_problems(problems: pd.DataFrame, max_rows: int = _MAX_SHOWN) -> str:
    """A short plain-text table of problems: file, row, column, value, why.

    Examples
    --------
    >>> print(format_problems(problem_table([{"file": "a.csv", "row": "F1", "column": "unit",
    ...                                       "value": "x", "why": "bad"}])))
    file   row  column  value  why
    a.csv  F1   unit    x      bad
    """
    problems = problem_table(problems)
    shown = problems.head(max_rows)
    cells = [[_cut(str(r[c]), _WIDTH[c]) for c in PROBLEM_COLUMNS] for _, r in shown.iterrows()]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(PROBLEM_COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(PROBLEM_COLUMNS, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    if len(problems) > max_rows:
        lines.append(f"… and {len(problems) - max_rows} more")
    return "\n".join(lines)


def enforce(problems: pd.DataFrame, known: pd.DataFrame | None, *, hint: str = "") -> pd.DataFrame:
    """Raise :class:`DataQualityError` unless every problem is acknowledged; else return them marked.

    Parameters
    ----------
    problems : DataFrame
        A problem table.
    known : DataFrame or None
        The acknowledgements (see :func:`acknowledge`).
    hint : str, optional
        A line added to the error message (e.g. what command fixes the most likely cause).

    Returns
    -------
    DataFrame
        :func:`acknowledge`'s result (all acknowledged).

    Examples
    --------
    >>> p = problem_table([{"file": "a.csv", "row": "F1", "column": "unit", "value": "x", "why": "bad"}])
    >>> enforce(p, None)
    Traceback (most recent call last):
    ...
    zonestudy.checks.DataQualityError: 1 data problem(s) stop the build ...
    file   row  column  value  why
    a.csv  F1   unit    x      bad
    >>> k = pd.DataFrame({"file": ["a.csv"], "row": ["F1"], "column": ["unit"], "value": ["x"],
    ...                   "reason": ["printed so"]})
    >>> enforce(p, k)["acknowledged"].all()
    np.True_
    """
    marked = acknowledge(problems, known)
    open_ = marked[~marked["acknowledged"]]
    if len(open_):
        raise DataQualityError(open_[list(PROBLEM_COLUMNS)], hint=hint)
    return marked


def undeclared_files(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Files under ``data/raw`` that ``datapackage.json`` does not declare, as a problem table.

    Declared are the data package itself, every resource's path(s) and every schema file a resource
    refers to. Hidden files (``.gitkeep``) and ``README*`` files are allowed. An undeclared CSV whose
    name starts with a declared family (``sources_x.csv``) is named with the command that declares it;
    an undeclared sources file gets the hint that the ids it defines resolve to nothing until then.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = pathlib.Path(tmp)
    ...     _ = (root / "datapackage.json").write_text(json.dumps({"resources": [
    ...         {"name": "sources", "path": "sources.csv", "schema": {"fields": []},
    ...          "zonestudy": {"family": "sources"}}]}))
    ...     _ = (root / "sources.csv").write_text("source_id\\n")
    ...     _ = (root / "sources_x.csv").write_text("source_id\\n")
    ...     undeclared_files(root)[["file", "why"]].iloc[0].tolist()  # doctest: +ELLIPSIS
    ['sources_x.csv', 'not declared in datapackage.json: a sources file ... make add FILES=data/raw/sources_x.csv']
    """
    root = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    import json

    descriptor = json.loads((root / io.DATAPACKAGE).read_text(encoding="utf-8"))
    declared = {io.DATAPACKAGE}
    families = set()
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        declared |= set(path if isinstance(path, list) else [path])
        if isinstance(resource.get("schema"), str):
            declared.add(resource["schema"])
        family = resource.get("zonestudy", {}).get("family")
        if family:
            families.add(family)
    rows = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in declared or any(part.startswith(".") for part in path.relative_to(root).parts) \
                or path.name.upper().startswith("README"):
            continue
        family = next((f for f in sorted(families, key=len, reverse=True)
                       if path.stem == f or path.stem.startswith(f + "_")), None)
        why = "not declared in datapackage.json: "
        if family == "sources":
            why += ("a sources file that is not declared, so the source ids it defines resolve to nothing; "
                    f"declare it with: make add FILES=data/raw/{rel}")
        elif path.suffix == ".csv":
            why += f"declare it with: make add FILES=data/raw/{rel}, or move it out of data/raw"
        else:
            why += "data/raw holds only declared data files; move it out"
        rows.append({"file": rel, "row": "", "column": "", "value": "", "why": why})
    return problem_table(rows)
