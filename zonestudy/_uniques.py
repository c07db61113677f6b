"""Apply a per-value function once per distinct value of a column, then take the results back.

A ledger of ten million rows usually holds a few hundred distinct zone or place names, so
resolving each distinct value once and indexing the answers by the factorisation codes costs
one hash lookup per row (`pandas.factorize`) plus the per-value work on the uniques.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, uniques)`` of ``series``; missing values (None, NaN, NA) get code -1.

    Uniques are in order of first appearance, as objects, so the per-value function sees
    the values it would see row by row.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object)


def take(per_unique: list, codes: np.ndarray, missing: Any = None) -> np.ndarray:
    """Object array with ``per_unique[code]`` for each row and ``missing`` where code is -1.

    Elements are stored one by one, so tuples stay tuples (never turned into a 2-D array).
    """
    table = np.empty(len(per_unique) + 1, dtype=object)
    for i, value in enumerate(per_unique):
        table[i] = value
    table[-1] = missing  # code -1 takes the last slot
    return table[codes]


def take_str(per_unique: list, codes: np.ndarray):
    """Text array (dtype ``"str"``) with ``per_unique[code]`` per row, missing where code is -1.

    Equals ``pd.array(take(per_unique, codes), dtype="str")`` but takes from the small array
    of distinct answers instead of converting one Python string per row.
    """
    return pd.array(list(per_unique), dtype="str").take(codes, allow_fill=True)


def rows_of(codes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Row positions (ascending) whose code is one of the unique positions in ``wanted``."""
    flag = np.zeros(int(codes.max(initial=-1)) + 2, dtype=bool)
    flag[np.asarray(wanted, dtype=np.intp)] = True
    return np.flatnonzero(flag[codes])


def map_uniques(series: pd.Series, func: Callable[[Any], Any]) -> tuple[np.ndarray, list]:
    """``(codes, [func(u) for u in uniques])`` for a Series."""
    codes, uniques = factorize(series)
    return codes, [func(u) for u in uniques]
