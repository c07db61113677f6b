"""Share measures over the rows of a matrix: one pass for many groups.

Each kernel gives, for every row of a matrix, exactly the value the one-vector function gives
for that row (same floating-point operations in the same order): row sums over a C-contiguous
matrix use NumPy's pairwise summation per row, as ``np.sum`` does for one vector, and dot
products use ``np.vecdot``, which calls the same BLAS ``ddot`` as ``a @ b``. Validation runs
on the whole matrix at once; when any row fails, the caller takes the rows one by one so the
error names the first bad row.

Private to :mod:`zonestudy.metrics`; names without underscores so that the family modules
import public names only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype
from scipy.special import xlogy


def numeric_dtype(dtype: Any) -> bool:
    """Integer or float dtype (NumPy, nullable or Arrow), not boolean."""
    return getattr(dtype, "kind", None) in ("i", "u", "f") and not is_bool_dtype(dtype)


def share_rows(frame: pd.DataFrame, tol: float) -> np.ndarray | None:
    """The rows of ``frame`` as a C-contiguous float matrix if every row is a valid share vector.

    Valid: numeric columns with unique labels, finite, non-negative, each row summing to 1
    within ``tol``. Returns None otherwise (the caller then validates row by row, which
    raises the message naming the first bad row).
    """
    if frame.columns.has_duplicates or not all(numeric_dtype(d) for d in frame.dtypes):
        return None
    values = np.ascontiguousarray(frame.to_numpy(dtype=float, na_value=np.nan))
    if not np.isfinite(values).all() or (values < 0).any():
        return None
    totals = values.sum(axis=1)
    if not (np.abs(totals - 1.0) <= tol).all():
        return None
    return values


def hhi_rows(values: np.ndarray, normalized: bool, n: int | None) -> np.ndarray:
    """``_hhi`` of every row; ``n`` already validated on one row."""
    h = (values**2).sum(axis=1)
    if not normalized:
        return h
    big_n = values.shape[1] if n is None else int(n)
    return (h - 1 / big_n) / (1 - 1 / big_n)


def entropy_rows(values: np.ndarray, normalized: bool, n: int | None) -> np.ndarray:
    """``_entropy`` of every row; ``n`` already validated on one row."""
    e = -xlogy(values, values).sum(axis=1)
    e = np.maximum(e, 0.0) + 0.0
    if not normalized:
        return e
    big_n = values.shape[1] if n is None else int(n)
    return e / math.log(big_n)


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of matching rows, as ``similarity(..., "cosine")`` computes it."""
    value = _dot_rows(a, b) / np.sqrt(_dot_rows(a, a) * _dot_rows(b, b))
    return np.minimum(np.maximum(value, 0.0), 1.0)


def _dot_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a[i] @ b[i]`` for every row (``np.vecdot`` where NumPy has it, >= 2.0)."""
    if hasattr(np, "vecdot"):
        return np.vecdot(a, b)
    return np.array([x @ y for x, y in zip(a, b)], dtype=float)


def krugman_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Krugman dissimilarity of matching rows."""
    return np.abs(a - b).sum(axis=1)
