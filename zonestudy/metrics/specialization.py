"""Specialisation: similarity of two structures (cosine, Krugman dissimilarity) and location quotients.

References
----------
``docs/metrics_spec.md`` (the project's metric specification), sections cited in each
function's docstring.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from zonestudy.metrics._input import (
    SHARE_TOL,
    MAX_LISTED as _MAX_LISTED,
    flat as _flat,
    share_vector as _share_vector,
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
    a, b : Series or array-like
        Share vectors. Series are aligned on their labels; plain arrays positionally (and must
        then have equal length). Do not mix a Series with a plain array.
    method : {"cosine", "krugman"}
    tol : float
        Absolute tolerance on the sum of each vector.

    Returns
    -------
    float

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
    """
    if method not in ("cosine", "krugman"):
        raise ValueError(f"method must be 'cosine' or 'krugman', got {method!r}")
    if isinstance(a, pd.Series) != isinstance(b, pd.Series):
        raise TypeError("pass both share vectors as Series (aligned on labels) or both as arrays")
    if not isinstance(a, pd.Series):
        if len(_flat(a)) != len(_flat(b)):
            raise ValueError("array share vectors must have equal length; use labelled Series")
    sa = _share_vector(a, "a", tol)
    sb = _share_vector(b, "b", tol)
    for s, name in ((sa, "a"), (sb, "b")):
        if s.index.has_duplicates:
            raise ValueError(f"{name} has duplicate category labels")
    union = sa.index.union(sb.index, sort=False)
    va = sa.reindex(union, fill_value=0.0).to_numpy()
    vb = sb.reindex(union, fill_value=0.0).to_numpy()
    if method == "krugman":
        return float(np.abs(va - vb).sum())
    value = float(va @ vb / math.sqrt(float(va @ va) * float(vb @ vb)))
    return min(max(value, 0.0), 1.0)


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
        region as a Series.
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
    rows = [_share_vector(row, f"shares row {label!r}", tol) for label, row in frame.iterrows()]
    union = pd.Index(frame.columns).union(ref.index, sort=False)
    ref_u = ref.reindex(union, fill_value=0.0)
    zero = ref_u <= 0
    if zero.any():
        raise ValueError(
            f"reference share is zero for {list(union[zero.to_numpy()])[:_MAX_LISTED]}; "
            "the location quotient is undefined there (drop or merge those categories)"
        )
    values = np.vstack([r.reindex(union, fill_value=0.0).to_numpy() for r in rows])
    out = pd.DataFrame(values / ref_u.to_numpy(), index=frame.index, columns=union)
    if single:
        return out.iloc[0].rename(shares.name)
    return out
