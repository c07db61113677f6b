"""Specialisation: similarity of two structures (cosine, Krugman dissimilarity) and location quotients.

References
----------
``docs/metrics_spec.md`` (the project's metric specification), sections cited in each
function's docstring.
"""

from __future__ import annotations

import math
from numbers import Number
from typing import Any, Literal

import numpy as np
import pandas as pd

from zonestudy.metrics._input import (
    SHARE_TOL,
    MAX_LISTED as _MAX_LISTED,
    flat as _flat,
    share_vector as _share_vector,
)
from zonestudy.metrics._rows import cosine_rows as _cosine_rows
from zonestudy.metrics._rows import krugman_rows as _krugman_rows
from zonestudy.metrics._rows import share_rows as _share_rows


def _label_kind(label: Any) -> str:
    if isinstance(label, str):
        return "text"
    if isinstance(label, Number) and not isinstance(label, (bool, np.bool_)):
        return "number"
    return type(label).__name__


def _check_label_types(indexes: list) -> None:
    """Refuse category labels of different kinds (1 and "1" would never be aligned)."""
    kinds = {}
    for index, name in indexes:
        for label in index:
            kinds.setdefault(_label_kind(label), (label, name))
    if len(kinds) > 1:
        examples = "; ".join(f"{label!r} ({kind}) in {name}" for kind, (label, name) in kinds.items())
        raise ValueError(
            f"category labels mix kinds: {examples}. Labels of different kinds never match "
            "(1 is not '1'): give every vector labels of one kind, e.g. .rename(index=str)"
        )

__all__ = [
    "similarity",
    "location_quotient",
]

def similarity(
    a: Any, b: Any, method: Literal["cosine", "krugman"] = "cosine", *, tol: float = SHARE_TOL
) -> float:
    r"""Similarity (cosine) or dissimilarity (Krugman) of two share vectors.

    The vectors are aligned on the union of their categories; a category missing from one
    vector counts as share 0 there. Both must already be shares (sum 1 within ``tol``);
    nothing is renormalised.

    * ``"cosine"`` — structural similarity coefficient (产业结构相似系数, UNIDO):

      .. math:: S_{ab} = \frac{\sum_k a_k b_k}{\sqrt{\sum_k a_k^2 \sum_k b_k^2}} \in [0, 1]

      (1 = identical structure, 0 = no common category).
    * ``"krugman"`` — Krugman specialisation (dissimilarity) index:

      .. math:: K_{ab} = \sum_k |a_k - b_k| \in [0, 2]

      (0 = identical, 2 = no common category). Some authors halve it to 0–1, the share of
      activity that would have to move; divide by 2 for that version.

    Parameters
    ----------
    a, b : Series, array-like or DataFrame
        Share vectors. Series are aligned on their labels, which must be unique and of one
        kind (all text or all numbers: 1 and "1" are refused rather than treated as two
        categories); plain arrays positionally (and must then have equal length). Do not mix
        a Series with a plain array. A DataFrame ``a`` holds one group per row (e.g. from
        :func:`zonestudy.metrics.structure_shares`); ``b`` is then one Series compared with
        every row, or a DataFrame with the same row labels compared row by row.
    method : {"cosine", "krugman"}
    tol : float
        Absolute tolerance on the sum of each vector.

    Returns
    -------
    float, or Series (one value per row of ``a``, named after the method) when ``a`` is a
    DataFrame.

    References
    ----------
    metrics_spec §4.1 (UNIDO cosine) and §4.2 (Krugman 1991, *Geography and Trade*, p. 76;
    http://fmwww.bc.edu/repec/bocode/k/ksi.hlp ;
    https://search.r-project.org/CRAN/refmans/EconGeo/html/krugman_index.html).

    Examples
    --------
    >>> a = pd.Series({"coal": 0.5, "chem": 0.3, "food": 0.2})
    >>> b = pd.Series({"coal": 0.2, "chem": 0.3, "food": 0.5})
    >>> round(similarity(a, b), 3), round(similarity(a, b, "krugman"), 2)
    (0.763, 0.6)
    >>> similarity(pd.Series({"coal": 1.0}), pd.Series({"food": 1.0}), "krugman")
    2.0

    Many groups at once: each row of a DataFrame against one vector (or against the same row
    of another DataFrame), exactly as one pair at a time.

    >>> zones = pd.DataFrame([a, b], index=["zone A", "zone B"])
    >>> similarity(zones, a).round(3).to_dict()
    {'zone A': 1.0, 'zone B': 0.763}
    """
    if method not in ("cosine", "krugman"):
        raise ValueError(f"method must be 'cosine' or 'krugman', got {method!r}")
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return _similarity_rows(a, b, method, tol)
    if isinstance(a, pd.Series) != isinstance(b, pd.Series):
        raise TypeError("pass both share vectors as Series (aligned on labels) or both as arrays")
    if not isinstance(a, pd.Series):
        if len(_flat(a)) != len(_flat(b)):
            raise ValueError("array share vectors must have equal length; use labelled Series")
    sa = _share_vector(a, "a", tol)
    sb = _share_vector(b, "b", tol)
    _check_label_types([(sa.index, "a"), (sb.index, "b")])
    union = sa.index.union(sb.index, sort=False)
    va = sa.reindex(union, fill_value=0.0).to_numpy()
    vb = sb.reindex(union, fill_value=0.0).to_numpy()
    if method == "krugman":
        return float(np.abs(va - vb).sum())
    value = float(va @ vb / math.sqrt(float(va @ va) * float(vb @ vb)))
    return min(max(value, 0.0), 1.0)


def _expand(matrix: np.ndarray, columns: pd.Index, union: pd.Index) -> np.ndarray:
    """Rows of ``matrix`` (over ``columns``) laid out over ``union``, zeros elsewhere."""
    if union.equals(columns):
        return matrix
    out = np.zeros((len(matrix), len(union)))
    out[:, union.get_indexer(columns)] = matrix
    return out


def _similarity_rows(a: Any, b: Any, method: str, tol: float) -> pd.Series:
    """`similarity` of each row of ``a`` with ``b`` (one vector, or the same row of a frame)."""
    if not isinstance(a, pd.DataFrame) or not isinstance(b, (pd.Series, pd.DataFrame)):
        raise TypeError(
            "for many groups pass a as a DataFrame (rows = groups, columns = categories) and b "
            "as a Series of shares or a DataFrame with the same rows"
        )
    paired = isinstance(b, pd.DataFrame)
    if paired and not a.index.equals(b.index):
        raise ValueError("a and b must have the same row labels in the same order")
    if a.empty or b.empty:
        raise ValueError("a is empty" if a.empty else "b is empty")
    ma = _share_rows(a, tol)
    mb = _share_rows(b, tol) if paired else _share_rows(b.to_frame().T, tol)
    if ma is None or mb is None:  # name the first bad row
        rows = []
        for i, (label, row) in enumerate(a.iterrows()):
            other = b.iloc[i] if paired else b
            _share_vector(row, f"a row {label!r}", tol)
            if paired:
                _share_vector(other, f"b row {label!r}", tol)
            rows.append(similarity(row, other, method, tol=tol))
        return pd.Series(rows, index=a.index, name=method, dtype="float64")
    b_labels = b.columns if paired else b.index
    _check_label_types([(a.columns, "a"), (b_labels, "b")])
    union = pd.Index(a.columns).union(b_labels, sort=False)
    va = _expand(ma, a.columns, union)
    vb = _expand(mb, b_labels, union)
    if not paired:
        vb = np.broadcast_to(vb[0], va.shape)
    out = _krugman_rows(va, vb) if method == "krugman" else _cosine_rows(va, vb)
    return pd.Series(out, index=a.index, name=method, dtype="float64")


def location_quotient(shares: Any, reference: Any, *, tol: float = SHARE_TOL) -> Any:
    r"""Location quotient (区位熵) of regional shares against a reference economy.

    .. math::

        LQ_{ik} = \frac{s_{ik}}{s_{rk}} = \frac{x_{ik}/x_{i\cdot}}{x_{rk}/x_{r\cdot}}

    > 1: category k is over-represented in region i relative to the reference r. With project
    counts of 1–3 per category an LQ is noise; state the reference (and whether it contains
    the region).

    Parameters
    ----------
    shares : DataFrame or Series
        Regional shares, rows = regions, columns = categories (each row sums to 1), or one
        region as a Series. Category labels must be unique and of one kind with the
        reference's (as in :func:`similarity`).
    reference : Series
        Reference shares by category (sums to 1). Categories are aligned on the union; a
        category missing from a region has share 0 there.
    tol : float
        Absolute tolerance on sums of shares.

    Returns
    -------
    DataFrame or Series
        Location quotients (dimensionless), same shape as ``shares`` over the union of
        categories.

    Raises
    ------
    ValueError
        If the reference share of any category is zero (LQ undefined) or shares are invalid.

    References
    ----------
    metrics_spec §4.3; https://www.bea.gov/help/faq/478 ;
    https://support.implan.com/hc/en-us/articles/360051560773-Location-Quotient

    Examples
    --------
    >>> zone = pd.Series({"coal": 30, "chem": 50, "food": 20}) / 100
    >>> province = pd.Series({"coal": 200, "chem": 1000, "food": 800}) / 2000
    >>> location_quotient(zone, province).round(2).to_dict()
    {'coal': 3.0, 'chem': 1.0, 'food': 0.5}
    """
    if not isinstance(reference, pd.Series):
        raise TypeError("reference must be a Series of shares labelled by category")
    ref = _share_vector(reference, "reference", tol)
    if isinstance(shares, pd.Series):
        frame, single = shares.to_frame().T, True
    elif isinstance(shares, pd.DataFrame):
        frame, single = shares, False
    else:
        raise TypeError("shares must be a DataFrame (rows = regions) or a Series")
    if frame.empty:
        raise ValueError("shares is empty")
    matrix = _share_rows(frame, tol)
    if matrix is None:  # name the first bad row
        rows = [_share_vector(row, f"shares row {label!r}", tol) for label, row in frame.iterrows()]
    _check_label_types([(frame.columns, "shares"), (ref.index, "reference")])
    union = pd.Index(frame.columns).union(ref.index, sort=False)
    ref_u = ref.reindex(union, fill_value=0.0)
    zero = ref_u <= 0
    if zero.any():
        raise ValueError(
            f"reference share is zero for {list(union[zero.to_numpy()])[:_MAX_LISTED]}; "
            "the location quotient is undefined there (drop or merge those categories)"
        )
    if matrix is None:
        values = np.vstack([r.reindex(union, fill_value=0.0).to_numpy() for r in rows])
    elif union.equals(frame.columns):
        values = matrix
    else:  # categories only the reference has: share 0 in every region
        values = np.zeros((len(frame), len(union)))
        values[:, union.get_indexer(frame.columns)] = matrix
    out = pd.DataFrame(values / ref_u.to_numpy(), index=frame.index, columns=union, copy=False)
    if single:
        return out.iloc[0].rename(shares.name)
    return out
