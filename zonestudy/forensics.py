r"""Rate forensics: which definition of a printed rate reproduces it, and how likely a chance match is.

Chinese campaign reports print rates (开工率, 投产率, 履约率, 投资完成率, 达效率 …) without saying how
they were computed. The same word may mean a cohort rate, a ratio of list lengths or a plan
attainment (metrics_spec §0). Beside the rate, a report usually prints some counts and amounts. This
module tests, with exact arithmetic, which definitions built from those printed figures give the
printed rate *at its printed precision*, and says how often such a match would happen by chance.

Printed precision
-----------------
A percentage printed with :math:`d` decimals stands for every exact value in its *bin*. With
rounding half up (四舍五入) the bin of a printed :math:`p` is

.. math::

    B(p) = [\,p - u/2,\; p + u/2\,), \qquad u = 10^{-d} \text{ percentage points};

with truncation it is :math:`[p, p + u)`. A qualifier widens it: "70%以上" (``over`` or
``at_least``) is :math:`[p - u/2, \infty)`, "近3成" (``nearly``) is :math:`(-\infty, p + u/2)`.
A printed component (an amount such as 301.7 亿元, printed to :math:`e` decimals) is known only to
the interval :math:`[x - v/2, x + v/2]`, :math:`v = 10^{-e}`; counts are exact. A ratio
:math:`a/b` of two components is therefore known to the interval
:math:`[100\,a_{lo}/b_{hi},\ 100\,a_{hi}/b_{lo}]`, and it *reproduces* :math:`p` when that interval
meets :math:`B(p)`.

Definitions tried
-----------------
Each component has a ``role``; :data:`PAIR_DEFINITIONS` names the definition a (numerator role,
denominator role) pair stands for:

* **cohort rate k/n, k not printed**: for every printed count :math:`n`, the integers
  :math:`0 \le k \le n` with :math:`100k/n \in B(p)` (:func:`numerator_candidates`);
* **cohort rate k/n, k printed**: a ``reached`` count over a ``cohort`` count;
* **ratio of list lengths (flow ratio)**: one ``list`` count over another;
* **plan attainment**: a count or amount over a ``planned`` one;
* **investment- or output-weighted ratio**: an amount over an amount of the same kind;
* **count over an unprinted base**: the integers :math:`n` with :math:`100k/n \in B(p)` for a
  printed count :math:`k` (:func:`denominator_candidates`), e.g. the plan behind a rate above 100 %.

Chance matches
--------------
A match is evidence only if an unrelated definition would rarely match. Three probabilities, all
stated for a printed grid of step :math:`u` on :math:`[0, S]` percentage points (:math:`S = 100`
unless given):

* a ratio of printed components, treated as a value uniform on :math:`[0, S]` unrelated to
  :math:`p`, falls in the bin widened by its own uncertainty :math:`w = r_{hi} - r_{lo}` with
  probability :math:`\pi = \min\{1, (|B(p)| + w)/S\}` (:func:`chance_ratio`); :math:`m` tries give
  :math:`1 - (1 - \pi)^m`;
* a cohort rate with printed :math:`n` and unknown :math:`k` fits a printed value drawn uniformly
  from the :math:`S/u + 1` grid points with probability
  :math:`\pi_n = |\{\mathrm{print}(100k/n) : 0 \le k \le n\}| \,/\, (S/u + 1)`, about
  :math:`(n + 1)\,u / S` for :math:`n \ll S/u` (:func:`chance_cohort`);
* with :math:`n` not printed, the share of :math:`n` in a plausible range :math:`N` for which some
  :math:`k` fits: :math:`\pi_N = |\{n \in N : \exists k,\ 100k/n \in B(p)\}| / |N|`
  (:func:`chance_cohort_range`); and for a count :math:`k` over an unprinted base, the length of the
  interval of real :math:`n` that fit, :math:`\min\{1, 100k/B_{lo} - 100k/B_{hi}\}`, which is the
  probability that an interval of that length placed at random contains an integer.

References
----------
``docs/metrics_spec.md`` §0 (cohort rate vs flow ratio vs plan attainment), §1.2 (truncated
publication), §8 item 9 (recompute published figures). Taiyuan's 开工率 58.82 % is 40/68 (also
10/17, 20/34, 30/51), its 投产率 29.82 % is 17/57.

Examples
--------
>>> numerator_candidates(58.82, 2, 68)
[40]
>>> cohort_solutions(58.82, 2, n_max=68)
[(10, 17), (20, 34), (30, 51), (40, 68)]
>>> round(chance_cohort(2, 68), 4)
0.0069
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, Literal

import pandas as pd

__all__ = [
    "ROLES",
    "PAIR_DEFINITIONS",
    "QUALIFIERS",
    "printed_decimals",
    "printed_bin",
    "component_interval",
    "ratio_interval",
    "ratio_reproduces",
    "numerator_candidates",
    "denominator_candidates",
    "cohort_solutions",
    "chance_cohort",
    "chance_cohort_range",
    "chance_ratio",
    "explain_rate",
]

ROLES: dict[str, str] = {
    "cohort": "count of a set of projects whose members may reach a stage (a portfolio, a signed list)",
    "reached": "count of a cohort's members that reached the stage",
    "list": "length of one stage list (projects signed, started or producing in a period)",
    "planned": "planned number of projects (e.g. new starts planned for the year)",
    "investment": "investment carried by a list or portfolio (total or contracted)",
    "completed": "investment completed in the period",
    "planned_amount": "investment planned for the period",
    "output": "annual output actually reached",
    "output_expected": "annual output expected at full capacity",
    "funds": "funds actually in place",
}
"""Roles a printed component can play; counts are ``cohort``, ``reached``, ``list``, ``planned``."""

COUNT_ROLES = ("cohort", "reached", "list", "planned")

PAIR_DEFINITIONS: dict[tuple[str, str], str] = {
    ("reached", "cohort"): "cohort rate k/n (k printed)",
    ("reached", "list"): "cohort rate k/n (k printed)",
    ("reached", "planned"): "plan attainment (projects)",
    ("list", "planned"): "plan attainment (projects)",
    ("list", "list"): "ratio of stage counts (flow ratio unless the later count is a subset)",
    ("completed", "planned_amount"): "plan attainment (investment)",
    ("completed", "investment"): "investment-weighted completion",
    ("investment", "investment"): "investment-weighted ratio",
    ("output", "output_expected"): "output-weighted ratio",
    ("output_expected", "output_expected"): "output-weighted ratio",
    ("output", "output"): "output-weighted ratio",
    ("funds", "investment"): "funds in place ÷ contracted investment",
}
"""Definition a (numerator role, denominator role) pair stands for; other pairs are not tried."""

QUALIFIERS = ("exact", "approx", "over", "at_least", "nearly")
"""Qualifiers of a printed rate (as in :func:`zonestudy.clean.parse_quantity`)."""

_COHORT_K = "cohort rate k/n (k not printed)"
_UNPRINTED_BASE = "count over an unprinted base"


# --- printed precision --------------------------------------------------------------------------


def _exact(x: Any, name: str) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, (Real, Decimal, str)):
        raise TypeError(f"{name} must be a number, got {x!r}")
    try:
        value = Decimal(str(x))
    except ArithmeticError:
        raise ValueError(f"{name} is not a number: {x!r}") from None
    if not value.is_finite():
        raise ValueError(f"{name} must be finite, got {x!r}")
    return Fraction(value)


def _check_decimals(decimals: Any, name: str = "decimals") -> int:
    """Decimals must be an integer; a negative one means tens, hundreds … (``"3成"`` is 30 % to -1)."""
    if not isinstance(decimals, Integral) or isinstance(decimals, bool):
        raise ValueError(f"{name} must be an integer, got {decimals!r}")
    return int(decimals)


def printed_decimals(text: str) -> int:
    """Number of decimals a figure is printed with (``"58.82%"`` → 2, ``"104%"`` → 0).

    Reads the last number in the text, so ``"开工率达到87.50%"`` gives 2: a trailing zero is printed
    precision.

    >>> printed_decimals("开工率达到87.50%"), printed_decimals("竣工率104%"), printed_decimals("占年计划的125.6%")
    (2, 0, 1)
    """
    import re

    numbers = re.findall(r"\d+(?:\.(\d+))?", str(text))
    if not numbers:
        raise ValueError(f"no number printed in {text!r}")
    return len(numbers[-1])


def printed_bin(
    pct: Any, decimals: int, *, rule: Literal["round", "truncate"] = "round", qualifier: str = "exact"
) -> tuple[Fraction | None, Fraction | None]:
    r"""Exact values (in percent) that print as ``pct`` with ``decimals`` decimals.

    Round half up: :math:`[p - u/2, p + u/2)`; truncation: :math:`[p, p + u)`, :math:`u = 10^{-d}`.
    ``over``/``at_least`` (以上, 超) give :math:`[p - u/2, \infty)`, ``nearly`` (近) gives
    :math:`(-\infty, p + u/2)`; ``approx`` (约) is treated as rounding. ``None`` stands for an
    open end. The upper end is exclusive.

    >>> [float(v) for v in printed_bin(58.82, 2)]
    [58.815, 58.825]
    >>> printed_bin(70, 0, qualifier="over")
    (Fraction(139, 2), None)
    """
    d = _check_decimals(decimals)
    if rule not in ("round", "truncate"):
        raise ValueError(f"rule must be 'round' or 'truncate', got {rule!r}")
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier must be one of {QUALIFIERS}, got {qualifier!r}")
    p = _exact(pct, "pct")
    u = Fraction(10) ** -d
    if p / u != math.floor(p / u):
        raise ValueError(f"pct {pct!r} has more than {d} decimals; pass the printed precision")
    lo, hi = (p - u / 2, p + u / 2) if rule == "round" else (p, p + u)
    if qualifier in ("over", "at_least"):
        return lo, None
    if qualifier == "nearly":
        return None, hi
    return lo, hi


def component_interval(value: Any, decimals: int | None = None) -> tuple[Fraction, Fraction]:
    """Interval of exact values behind a printed component; ``decimals=None`` means exact (a count).

    >>> [float(v) for v in component_interval(301.7, 1)]
    [301.65, 301.75]
    >>> component_interval(68)
    (Fraction(68, 1), Fraction(68, 1))
    """
    x = _exact(value, "value")
    if x < 0:
        raise ValueError(f"a printed component must be non-negative, got {value!r}")
    if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)):
        return x, x
    half = Fraction(10) ** -_check_decimals(int(decimals)) / 2
    return max(Fraction(0), x - half), x + half


def ratio_interval(
    numerator: Any, denominator: Any, num_decimals: int | None = None, den_decimals: int | None = None
) -> tuple[Fraction, Fraction]:
    r"""Interval (percent) of :math:`100\,a/b` given the printed precision of a and b.

    .. math:: [100\,a_{lo}/b_{hi},\ 100\,a_{hi}/b_{lo}]

    >>> lo, hi = ratio_interval(301.7, 418.12, 1, 2)
    >>> round(float(lo), 3), round(float(hi), 3)
    (72.143, 72.169)
    """
    a_lo, a_hi = component_interval(numerator, num_decimals)
    b_lo, b_hi = component_interval(denominator, den_decimals)
    if b_lo <= 0:
        raise ValueError(f"denominator must be positive, got {denominator!r}")
    return 100 * a_lo / b_hi, 100 * a_hi / b_lo


def _meets(lo: Fraction, hi: Fraction, bin_: tuple[Fraction | None, Fraction | None]) -> bool:
    b_lo, b_hi = bin_
    above = b_lo is None or hi >= b_lo
    below = b_hi is None or (lo < b_hi)
    return bool(above and below)


def ratio_reproduces(
    pct: Any, decimals: int, numerator: Any, denominator: Any,
    num_decimals: int | None = None, den_decimals: int | None = None, *,
    rule: Literal["round", "truncate"] = "round", qualifier: str = "exact",
) -> bool:
    """Whether a/b, within the printed precision of a and b, can print as ``pct``.

    >>> ratio_reproduces(58.82, 2, 40, 68), ratio_reproduces(58.82, 2, 57, 68)
    (True, False)
    >>> ratio_reproduces(72.17, 2, 301.7, 418.12, 1, 2)  # 达效率: output-weighted at the edge
    True
    """
    lo, hi = ratio_interval(numerator, denominator, num_decimals, den_decimals)
    return _meets(lo, hi, printed_bin(pct, decimals, rule=rule, qualifier=qualifier))


# --- integer candidates ---------------------------------------------------------------------


def _count(n: Any, name: str, *, positive: bool) -> int:
    if isinstance(n, bool) or not isinstance(n, Real) or n != math.floor(n):
        raise ValueError(f"{name} must be a whole number, got {n!r}")
    if n < (1 if positive else 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}, got {n!r}")
    return int(n)


def numerator_candidates(
    pct: Any, decimals: int, n: int, *, rule: Literal["round", "truncate"] = "round",
    qualifier: str = "exact",
) -> list[int]:
    r"""Integers :math:`0 \le k \le n` with :math:`100k/n \in B(p)`.

    >>> numerator_candidates(58.82, 2, 68), numerator_candidates(29.82, 2, 57)
    ([40], [17])
    >>> numerator_candidates(47, 0, 270)
    [126, 127, 128]
    """
    n = _count(n, "n", positive=True)
    b_lo, b_hi = printed_bin(pct, decimals, rule=rule, qualifier=qualifier)
    k_lo = 0 if b_lo is None else max(0, math.ceil(b_lo * n / 100))
    k_hi = n if b_hi is None else min(n, math.ceil(b_hi * n / 100) - 1)
    return [k for k in range(k_lo, k_hi + 1) if _meets(Fraction(100 * k, n), Fraction(100 * k, n),
                                                        (b_lo, b_hi))]


def denominator_candidates(
    pct: Any, decimals: int, k: int, *, rule: Literal["round", "truncate"] = "round",
    qualifier: str = "exact", n_max: int | None = None,
) -> list[int]:
    r"""Integers :math:`n \ge 1` with :math:`100k/n \in B(p)`: the base behind a printed count.

    Henan's 2020 开工率 100.6 % beside 492 starts fits a plan of 489 starts only:

    >>> denominator_candidates(100.6, 1, 492)
    [489]
    >>> denominator_candidates(104, 0, 159)  # 竣工率 104 % beside 159 completions
    [153]
    """
    k = _count(k, "k", positive=True)
    b_lo, b_hi = printed_bin(pct, decimals, rule=rule, qualifier=qualifier)
    if b_hi is not None and b_hi <= 0:
        return []
    # 100k/n >= b_lo  <=>  n <= 100k/b_lo ;  100k/n < b_hi  <=>  n > 100k/b_hi
    upper = n_max if (b_lo is None or b_lo <= 0) else math.floor(100 * k / b_lo)
    if upper is None:
        raise ValueError("the printed bin has no lower end; pass n_max")
    if n_max is not None:
        upper = min(upper, n_max)
    lower = 1 if b_hi is None else math.floor(100 * k / b_hi) + 1
    return [n for n in range(max(1, lower), upper + 1)
            if _meets(Fraction(100 * k, n), Fraction(100 * k, n), (b_lo, b_hi))]


def cohort_solutions(
    pct: Any, decimals: int, *, n_max: int, n_min: int = 1, rule: Literal["round", "truncate"] = "round",
) -> list[tuple[int, int]]:
    """Every (k, n) with ``n_min ≤ n ≤ n_max`` whose k/n prints as ``pct``.

    >>> cohort_solutions(29.82, 2, n_max=60)
    [(17, 57)]
    """
    out = []
    for n in range(_count(n_min, "n_min", positive=True), _count(n_max, "n_max", positive=True) + 1):
        out.extend((k, n) for k in numerator_candidates(pct, decimals, n, rule=rule))
    return out


# --- chance matches ---------------------------------------------------------------------------


def chance_cohort(decimals: int, n: int, *, span: float = 100.0) -> float:
    r"""Probability that a printed value drawn at random from the grid fits some k/n.

    .. math:: \pi_n = \frac{|\{\mathrm{round}(100k/n, d) : 0 \le k \le n\}|}{S \cdot 10^{d} + 1}

    (:math:`S` = ``span`` percentage points; about :math:`(n+1)\,10^{-d}/S` when n is small).

    >>> round(chance_cohort(2, 68), 5)  # 69 of 10 001 two-decimal percentages
    0.0069
    >>> chance_cohort(0, 500)  # with whole percentages, every value fits some k/500
    1.0
    """
    d = _check_decimals(decimals)
    n = _count(n, "n", positive=True)
    scale = Fraction(10) ** d
    grid = int(span * scale) + 1
    printed = {math.floor(Fraction(100 * k, n) * scale + Fraction(1, 2)) for k in range(n + 1)}
    printed = {v for v in printed if v <= span * scale}
    return min(1.0, len(printed) / grid)


def chance_cohort_range(
    pct: Any, decimals: int, n_values: Iterable[int], *, rule: Literal["round", "truncate"] = "round",
) -> float:
    r"""Share of plausible cohort sizes n for which some k/n prints as ``pct``.

    .. math:: \pi_N = |\{n \in N : \exists k,\ 100k/n \in B(p)\}| \,/\, |N|

    >>> round(chance_cohort_range(58.82, 2, range(1, 101)), 2)  # 17, 34, 51, 68, 85 of 1..100
    0.05
    """
    values = [_count(n, "n", positive=True) for n in n_values]
    if not values:
        raise ValueError("n_values is empty")
    hits = sum(bool(numerator_candidates(pct, decimals, n, rule=rule)) for n in values)
    return hits / len(values)


def chance_ratio(
    decimals: int, *, width: float = 0.0, span: float = 100.0, tries: int = 1,
    bin_width: float | None = None,
) -> float:
    r"""Probability that an unrelated ratio lands in the printed bin by chance.

    .. math:: \pi = \min\{1, (|B| + w)/S\}, \qquad P = 1 - (1 - \pi)^m

    with :math:`|B| = 10^{-d}` (or ``bin_width`` for an open bin clipped to the span), :math:`w`
    the width of the ratio's own interval (``width``, percentage points), :math:`S` the span and
    :math:`m` the number of definitions tried (``tries``).

    >>> chance_ratio(2)
    0.0001
    >>> round(chance_ratio(0, tries=3), 4)  # three tries against a whole percentage
    0.0297
    """
    d = _check_decimals(decimals)
    if span <= 0 or width < 0:
        raise ValueError(f"span must be positive and width non-negative, got {span!r}, {width!r}")
    if not isinstance(tries, Integral) or tries < 1:
        raise ValueError(f"tries must be a positive integer, got {tries!r}")
    size = 10.0 ** -d if bin_width is None else float(bin_width)
    p = min(1.0, (size + width) / span)
    return float(1 - (1 - p) ** tries) if tries > 1 else p


def _open_bin_width(bin_: tuple, span: float) -> float:
    lo, hi = bin_
    lo = 0.0 if lo is None else float(lo)
    hi = float(span) if hi is None else float(hi)
    return max(0.0, min(hi, span) - max(lo, 0.0))


# --- the report -------------------------------------------------------------------------------

_COLUMNS = [
    "definition", "numerator", "denominator", "value_pct", "low_pct", "high_pct", "reproduces",
    "candidates", "chance",
]


def _components(components: Any) -> pd.DataFrame:
    if isinstance(components, Mapping):
        components = pd.DataFrame(
            [{"label": k, **(v if isinstance(v, Mapping) else dict(zip(("value", "role", "decimals"), v)))}
             for k, v in components.items()]
        )
    frame = pd.DataFrame(components).copy()
    missing = {"label", "value", "role"} - set(frame.columns)
    if missing:
        raise ValueError(f"components need columns label, value, role; missing {sorted(missing)}")
    if "decimals" not in frame:
        frame["decimals"] = pd.NA
    bad = sorted(set(frame["role"]) - set(ROLES))
    if bad:
        raise ValueError(f"unknown component roles {bad}; known: {sorted(ROLES)}")
    if frame["label"].duplicated().any():
        raise ValueError(f"component labels must be unique: {frame['label'][frame['label'].duplicated()].tolist()}")
    counts = frame["role"].isin(COUNT_ROLES)
    exact = frame["decimals"].isna()
    bad = frame[counts & ~(exact & (frame["value"] == frame["value"].round()))]
    if len(bad):
        raise ValueError(f"count components must be whole numbers without decimals: {bad['label'].tolist()}")
    return frame


def _listed(values: Sequence[int], most: int = 6) -> str:
    if len(values) <= most:
        return ";".join(map(str, values))
    return f"{values[0]}…{values[-1]} ({len(values)} values)"


def _dec(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def explain_rate(
    pct: Any, decimals: int, components: Any, *, rule: Literal["round", "truncate"] = "round",
    qualifier: str = "exact", span: float = 100.0, n_max: int | None = None,
) -> pd.DataFrame:
    r"""Every definition built from the printed components, and whether it reproduces the rate.

    Parameters
    ----------
    pct : float
        The printed rate in percent (``58.82`` for "58.82%").
    decimals : int
        Decimals it is printed with (:func:`printed_decimals`).
    components : DataFrame or mapping
        Figures printed beside the rate: columns ``label`` (unique), ``value`` (as printed, in any
        one unit per kind), ``role`` (one of :data:`ROLES`) and optionally ``decimals`` (printed
        decimals of an amount; missing = exact). A mapping ``label → (value, role[, decimals])``
        works too.
    rule : {"round", "truncate"}
        How the publisher printed the exact value.
    qualifier : str
        The rate's printed qualifier (:data:`QUALIFIERS`).
    span : float
        Range of plausible values, percentage points, for the chance probabilities.
    n_max : int, optional
        Largest base considered for a count over an unprinted base (needed only for open bins).

    Returns
    -------
    DataFrame
        One row per definition tried, columns ``definition``, ``numerator``, ``denominator``
        (component labels; ``"k"``/``"n"`` where inferred), ``value_pct`` (point value from the
        printed figures, percent), ``low_pct``, ``high_pct`` (its interval from their precision),
        ``reproduces`` (bool), ``candidates`` (``;``-joined k or n that fit, for the inferred
        definitions) and ``chance`` (probability of a chance match; formulas in the module
        docstring). Pairs whose roles are not in :data:`PAIR_DEFINITIONS` are not tried; a cohort
        rate with k not printed is tried only when the printed bin reaches below 100 %.

    Examples
    --------
    Taiyuan's 开工率 beside the three list lengths of its first four rounds:

    >>> t = explain_rate(58.82, 2, {"signed": (68, "list"), "started": (57, "list"),
    ...                             "producing": (41, "list")})
    >>> t.loc[t["reproduces"], ["definition", "denominator", "candidates"]]
                            definition denominator candidates
    0  cohort rate k/n (k not printed)      signed         40
    >>> bool(t.loc[t["definition"].str.startswith("ratio"), "reproduces"].any())
    False
    """
    d = _check_decimals(decimals)
    frame = _components(components)
    bin_ = printed_bin(pct, d, rule=rule, qualifier=qualifier)
    if bin_[1] is None and bin_[0] is not None and bin_[0] < span:
        bin_ = (bin_[0], Fraction(span))  # "70%以上" of a share: at most the whole
    open_width = _open_bin_width(bin_, span)
    rows: list[dict[str, Any]] = []
    counts = frame[frame["role"].isin(COUNT_ROLES)]
    below_100 = bin_[0] is None or bin_[0] < 100
    for comp in counts.itertuples(index=False):
        n = int(comp.value)
        if comp.role in ("cohort", "list", "planned") and below_100 and n > 0:
            ks = numerator_candidates(pct, d, n, rule=rule, qualifier=qualifier)
            rows.append({
                "definition": _COHORT_K, "numerator": "k", "denominator": comp.label,
                "value_pct": float(100 * Fraction(ks[0], n)) if len(ks) == 1 else float("nan"),
                "low_pct": float(100 * Fraction(ks[0], n)) if ks else float("nan"),
                "high_pct": float(100 * Fraction(ks[-1], n)) if ks else float("nan"),
                "reproduces": bool(ks), "candidates": _listed(ks),
                "chance": chance_cohort(d, n, span=span) if qualifier in ("exact", "approx")
                else min(1.0, open_width / span + 1 / n),
            })
    for comp in counts.itertuples(index=False):
        k = int(comp.value)
        if comp.role in ("reached", "list") and k > 0 and (bin_[0] is not None or n_max):
            ns = denominator_candidates(pct, d, k, rule=rule, qualifier=qualifier, n_max=n_max)
            if bin_[0] is not None and bin_[0] > 0 and bin_[1] is not None:
                length = float(100 * k / bin_[0] - 100 * k / bin_[1])
            else:
                length = float("inf")
            rows.append({
                "definition": _UNPRINTED_BASE, "numerator": comp.label, "denominator": "n",
                "value_pct": float(100 * Fraction(k, ns[0])) if len(ns) == 1 else float("nan"),
                "low_pct": float(100 * Fraction(k, ns[-1])) if ns else float("nan"),
                "high_pct": float(100 * Fraction(k, ns[0])) if ns else float("nan"),
                "reproduces": bool(ns),
                "candidates": _listed(ns),
                "chance": min(1.0, length),
            })
    for a in frame.itertuples(index=False):
        for b in frame.itertuples(index=False):
            if a.label == b.label or (a.role, b.role) not in PAIR_DEFINITIONS:
                continue
            if float(b.value) <= 0:
                continue
            lo, hi = ratio_interval(a.value, b.value, _dec(a.decimals), _dec(b.decimals))
            rows.append({
                "definition": PAIR_DEFINITIONS[(a.role, b.role)], "numerator": a.label,
                "denominator": b.label,
                "value_pct": float(100 * _exact(a.value, "value") / _exact(b.value, "value")),
                "low_pct": float(lo), "high_pct": float(hi), "reproduces": _meets(lo, hi, bin_),
                "candidates": "",
                "chance": chance_ratio(d, width=float(hi - lo), span=span,
                                       bin_width=None if qualifier in ("exact", "approx") else open_width),
            })
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["reproduces"] = out["reproduces"].astype(bool)
    out.attrs["printed_bin"] = tuple(None if v is None else float(v) for v in bin_)
    return out
