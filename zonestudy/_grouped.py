"""Vectorised kernels for the share-vector measures (draft, to be folded into the metrics).

Each kernel gives, for every row of a matrix, exactly the value the one-vector function gives
for that row (same floating-point operations in the same order): row sums over a C-contiguous
matrix use NumPy's pairwise summation per row, as ``np.sum`` does for one vector, and dot
products use ``np.vecdot``, which calls the same BLAS ``ddot`` as ``a @ b``. Validation runs
on the whole matrix at once; when any row fails, the caller falls back to the row loop so
the error message is the one the row loop has always given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype
from scipy.special import xlogy

# dtypes inferred for an object array that ``astype(float)`` converts exactly as ``float(v)``
_SAFE_INFERRED = frozenset({"floating", "integer", "mixed-integer-float", "decimal", "empty"})


def _flat(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=object).reshape(-1)


def _numeric_kind(dtype: Any) -> bool:
    return getattr(dtype, "kind", None) in ("i", "u", "f") and not is_bool_dtype(dtype)


def to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert a 1-D numeric input to float; reject booleans, text and DataFrames.

    Numeric dtypes convert in one NumPy call (no copy for float64); object arrays are
    classified in one pass (``pandas.api.types.infer_dtype``) and converted in one call
    when they hold only numbers and missing values. Anything else goes through the
    element-by-element path, which names the offending value.
    """
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be a scalar, a Series or a 1-D array-like, not a DataFrame")
    dtype = getattr(x, "dtype", None)
    if dtype is not None and is_bool_dtype(dtype):
        raise TypeError(f"{name} is boolean; sum the flags into counts first")
    if isinstance(x, (pd.Series, pd.Index, np.ndarray)) and _numeric_kind(dtype):
        if isinstance(dtype, np.dtype):
            return np.asarray(x, dtype=float).reshape(-1)
        return np.asarray(x.to_numpy(dtype=float, na_value=np.nan), dtype=float).reshape(-1)
    values = x.to_numpy(dtype=object) if isinstance(x, pd.Series) else _flat(x)
    if infer_dtype(values, skipna=True) in _SAFE_INFERRED:
        try:
            missing = pd.isna(values)
            if missing.any():
                values = values.copy()
                values[missing] = [
                    np.nan if v is None or v is pd.NA else float(v) for v in values[missing]
                ]
            return values.astype(float)
        except (TypeError, ValueError, OverflowError):
            pass  # the element path below raises the message it always gave
    return _to_float_array_slow(values, name)


def _to_float_array_slow(values: np.ndarray, name: str) -> np.ndarray:
    if any(isinstance(v, (bool, np.bool_)) for v in values):
        raise TypeError(f"{name} is boolean; sum the flags into counts first")
    text = [v for v in values if isinstance(v, (str, bytes))]
    if text:
        raise ValueError(
            f"{name} must be numeric, got text such as {text[0]!r}; parse printed figures first "
            "(zonestudy.clean)"
        )
    try:
        return np.array(
            [np.nan if v is None or v is pd.NA else float(v) for v in values], dtype=float
        )
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric: {err}") from None


def share_rows(frame: pd.DataFrame, tol: float) -> np.ndarray | None:
    """The rows of ``frame`` as a C-contiguous float matrix if every row is a valid share vector.

    Valid: numeric columns with unique labels, finite, non-negative, each row summing to 1
    within ``tol``. Returns None otherwise (the caller then validates row by row, which
    raises the message naming the first bad row).
    """
    if frame.columns.has_duplicates or not all(_numeric_kind(d) for d in frame.dtypes):
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
    value = np.vecdot(a, b) / np.sqrt(np.vecdot(a, a) * np.vecdot(b, b))
    return np.minimum(np.maximum(value, 0.0), 1.0)


def krugman_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Krugman dissimilarity of matching rows."""
    return np.abs(a - b).sum(axis=1)
