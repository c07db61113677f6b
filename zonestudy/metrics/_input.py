"""Input handling shared by the metric families: alignment, numeric conversion and checks.

Private to :mod:`zonestudy.metrics` (the module name starts with an underscore); its functions are
named without underscores so that the family modules import public names only.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "SHARE_TOL", "MAX_LISTED", "is_scalar", "describe", "flat", "to_float_array", "align",
    "check_finite", "check_counts", "check_alpha", "share_vector", "rowwise",
]

SHARE_TOL: float = 1e-6
"""Default absolute tolerance for a share vector's sum to differ from 1."""

MAX_LISTED = 10
"""At most this many offending values are listed in an error message."""

def is_scalar(x: Any) -> bool:
    return np.ndim(x) == 0 and not isinstance(x, (pd.Series, pd.DataFrame))


def describe(index: pd.Index, values: np.ndarray, mask: np.ndarray) -> str:
    """List offending ``label=value`` pairs (at most ``MAX_LISTED``)."""
    positions = np.flatnonzero(mask)
    parts = [f"{index[i]!r}={float(values[i]):g}" for i in positions[:MAX_LISTED]]
    if len(positions) > MAX_LISTED:
        parts.append(f"… ({len(positions) - MAX_LISTED} more)")
    return ", ".join(parts)


def flat(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=object).reshape(-1)


def to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert a 1-D numeric input to float; reject booleans, text and DataFrames.

    Missing values (None, NA, NaN) become NaN and are rejected later by the callers.
    """
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be a scalar, a Series or a 1-D array-like, not a DataFrame")
    dtype = getattr(x, "dtype", None)
    values = x.to_numpy(dtype=object) if isinstance(x, pd.Series) else flat(x)
    if (dtype is not None and pd.api.types.is_bool_dtype(dtype)) or any(
        isinstance(v, (bool, np.bool_)) for v in values
    ):
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


def align(
    a: Any, b: Any, names: tuple[str, str]
) -> tuple[pd.Index, np.ndarray, np.ndarray, bool]:
    """Broadcast two inputs (scalars, Series or array-likes) to a common index.

    Returns the index, both inputs as float arrays, and whether both inputs were scalars.
    Two Series must carry the same labels (order may differ); nothing is dropped or filled.
    """
    a_scalar, b_scalar = is_scalar(a), is_scalar(b)
    if a_scalar and b_scalar:
        index = pd.RangeIndex(1)
        return index, to_float_array([a], names[0]), to_float_array([b], names[1]), True

    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if not a.index.equals(b.index):
            only_a = a.index.difference(b.index)
            only_b = b.index.difference(a.index)
            if len(only_a) or len(only_b) or a.index.has_duplicates or b.index.has_duplicates:
                raise ValueError(
                    f"{names[0]} and {names[1]} have different index labels; "
                    f"only in {names[0]}: {list(only_a)[:MAX_LISTED]}, "
                    f"only in {names[1]}: {list(only_b)[:MAX_LISTED]}"
                )
            b = b.reindex(a.index)
        index = a.index
    elif isinstance(a, pd.Series):
        index = a.index
    elif isinstance(b, pd.Series):
        index = b.index
    else:
        index = pd.RangeIndex(len(flat(b if a_scalar else a)))

    n = len(index)
    if n == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty")
    arrays = [
        np.repeat(to_float_array([x], name), n) if is_scalar(x) else to_float_array(x, name)
        for x, name in zip((a, b), names)
    ]
    if len(arrays[0]) != len(arrays[1]):
        raise ValueError(
            f"{names[0]} and {names[1]} have different lengths "
            f"({len(arrays[0])} vs {len(arrays[1])})"
        )
    return index, arrays[0], arrays[1], False


def check_finite(values: np.ndarray, index: pd.Index, name: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{name} has missing or infinite values: {describe(index, values, bad)}")


def check_counts(values: np.ndarray, index: pd.Index, name: str, *, positive: bool) -> None:
    """Counts must be finite whole numbers, ≥ 0 (or > 0 if ``positive``)."""
    check_finite(values, index, name)
    bad = values != np.round(values)
    if bad.any():
        raise ValueError(f"{name} must be whole numbers (counts): {describe(index, values, bad)}")
    bad = values <= 0 if positive else values < 0
    if bad.any():
        rule = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be {rule}: {describe(index, values, bad)}")


def check_alpha(alpha: float) -> None:
    if not isinstance(alpha, Real) or not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")



def share_vector(shares: Any, name: str, tol: float) -> pd.Series:
    """Validate a share vector: 1-D, non-empty, finite, non-negative, sums to 1 within tol."""
    if isinstance(shares, pd.DataFrame):
        raise TypeError(f"{name} must be 1-D here, got a DataFrame")
    if not isinstance(shares, pd.Series):
        if is_scalar(shares):
            raise TypeError(f"{name} must be a Series or array-like of shares, got {shares!r}")
        shares = pd.Series(flat(shares))
    values = to_float_array(shares, name)
    if len(values) == 0:
        raise ValueError(f"{name} is empty")
    check_finite(values, shares.index, name)
    if (values < 0).any():
        bad = describe(shares.index, values, values < 0)
        raise ValueError(f"{name} has negative shares: {bad}")
    total = float(values.sum())
    if not abs(total - 1.0) <= tol:
        raise ValueError(
            f"{name} sums to {total!r}, not 1 (tol={tol:g}); pass shares (e.g. from "
            "structure_shares) or divide by the total explicitly — nothing is renormalised here"
        )
    return pd.Series(values, index=shares.index)


def rowwise(func, shares: Any, name: str, tol: float, **kwargs: Any) -> Any:
    if isinstance(shares, pd.DataFrame):
        if shares.empty:
            raise ValueError(f"{name} is empty")
        out = [func(share_vector(row, f"{name} row {label!r}", tol), **kwargs)
               for label, row in shares.iterrows()]
        return pd.Series(out, index=shares.index, name=func.__name__.strip("_"), dtype="float64")
    return func(share_vector(shares, name, tol), **kwargs)

