"""Lists of source and fact ids, as kept in the clean tables' ``;``-joined id columns.

A row of a derived table often rests on several facts and sources: a figure printed identically by
four outlets, a ratio of two printed lists, a city share and the province total it divides by. The
clean and derived tables keep such ids in one text cell, sorted, unique and joined with ``;``
(``"SX-S002;SX-S009"``); a few registry cells carry a space after the ``;``
(``"REG-HITECH-LIST; W-45a05160"``). Two functions read and write that form:

* :func:`split_ids` — sorted unique ids from any number of such cells, ready for the ``sources=``
  argument of :func:`zonestudy.figures.save_figure` and :func:`zonestudy.figures.save_table`, so
  that an exhibit's sources are computed from the rows it shows;
* :func:`join_ids` — the same ids joined back into one cell (use it as a ``groupby`` aggregation).

Nothing here reads files or changes anything at import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["SEPARATOR", "is_missing", "split_ids", "join_ids"]

SEPARATOR = ";"
"""Separator of the ids within one cell."""


def is_missing(value: Any) -> bool:
    """True for None and NaN-like scalars (NaN, NA, NaT); strings and array-likes are never missing.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(""), is_missing("nan")
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # array-likes have no single truth value
        return False


def split_ids(values: str | Iterable[Any]) -> list[str]:
    """Sorted unique ids from cells that may each hold several ids joined by ``;``.

    Parameters
    ----------
    values : str or iterable
        One cell, or cells (a Series, list …) such as ``"SX-S002"``, ``"SX-S009;SX-S002"`` or
        ``"REG-ETDZ-LIST; W-1"``. Missing values (None, NaN, ``pd.NA``) and empty parts are
        skipped; white space around an id is removed. To combine several columns, pass their
        values together, e.g. ``[*a["source_ids"], *b["source_ids"]]``.

    Returns
    -------
    list of str
        The ids, sorted and unique.

    Raises
    ------
    TypeError
        If ``values`` is a DataFrame (iterating it would give its column names): pass a column.

    Examples
    --------
    >>> split_ids(["SX-S002;SX-S004", "REG-ETDZ-LIST; W-1", None, float("nan"), "", "SX-S002"])
    ['REG-ETDZ-LIST', 'SX-S002', 'SX-S004', 'W-1']
    >>> split_ids("SX-S009;SX-S002")
    ['SX-S002', 'SX-S009']
    """
    if isinstance(values, pd.DataFrame):
        raise TypeError("pass a column (Series) of ids, not a DataFrame")
    if isinstance(values, str):
        values = [values]
    ids: set[str] = set()
    for value in values:
        if is_missing(value):
            continue
        ids.update(part.strip() for part in str(value).split(SEPARATOR) if part.strip())
    return sorted(ids)


def join_ids(values: str | Iterable[Any]) -> str:
    """The ids of :func:`split_ids`, joined with ``;`` into one cell.

    Parameters
    ----------
    values : str or iterable
        As for :func:`split_ids`.

    Returns
    -------
    str
        ``""`` when there are no ids.

    Examples
    --------
    >>> join_ids(["SX-F0041", "SX-F0047;SX-F0041", None])
    'SX-F0041;SX-F0047'
    >>> frame = pd.DataFrame({"round": [1, 1, 2], "source_id": ["S2", "S1", "S2"]})
    >>> frame.groupby("round")["source_id"].agg(join_ids).tolist()
    ['S1;S2', 'S2']
    """
    return SEPARATOR.join(split_ids(values))
