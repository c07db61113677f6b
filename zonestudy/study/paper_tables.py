r"""Paper tables: summary statistics by stage and level, and the coverage matrix of cities × rounds.

* :func:`summary_statistics` — for every per-stage list of the campaign rounds (each printed figure
  counted once, however many sources print it): N, mean, standard deviation and the 10th, 25th,
  50th, 75th and 90th percentiles of projects per list, investment per list (亿元) and average
  project size (亿元 per project), by province, level (province lists, city lists) and stage.
  The statistics describe the printed lists; they are not estimates of a population.
* :func:`coverage_matrix` — one row per Shanxi city (and the province), one column per numbered
  round, holding what the sources print for that place and round: ``P`` projects, ``I``
  investment, for how many of the three stages (``P3 I3`` = both measures for all three lists);
  an empty cell means no source prints anything. The columns are every round implied by the
  numbering of the printed rounds (a printed fourth round of a year implies its first three);
  rounds of years no source mentions are not added.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zonestudy.study import designs, pipeline

__all__ = ["PERCENTILES", "VARIABLES", "summary_statistics", "implied_rounds", "coverage_matrix"]

PERCENTILES: tuple[float, ...] = (0.10, 0.25, 0.50, 0.75, 0.90)
VARIABLES: dict[str, str] = {
    "projects": "projects per list",
    "investment_yi": "investment per list (亿元)",
    "size_yi": "average size (亿元 per project)",
}


def _lists(facts: pd.DataFrame, province: str) -> pd.DataFrame:
    """Per-stage lists of one province's campaign rounds, one row per round, place and stage."""
    rows = facts[facts["province"] == province]
    parts = []
    for scope in ("province", "city"):
        counts = pipeline.stage_table(rows, "projects", scope)
        money = pipeline.stage_table(rows, "investment", scope)
        for stage in pipeline.STAGES:
            part = pd.DataFrame({"projects": counts[stage]}) if stage in counts else pd.DataFrame()
            if part.empty:
                continue
            part["investment_yi"] = (money[stage] / 1e8).reindex(part.index) if stage in money else np.nan
            part["level"], part["stage"] = scope, stage
            parts.append(part.reset_index())
    lists = pd.concat(parts, ignore_index=True)
    lists = lists[lists["projects"].notna() | lists["investment_yi"].notna()].copy()
    lists["size_yi"] = lists["investment_yi"] / lists["projects"]
    lists["province"] = province
    return lists


def summary_statistics(facts: pd.DataFrame, provinces: Sequence[str] = ("山西省",),
                       henan_sizes: bool = True) -> pd.DataFrame:
    """Summary statistics of the printed lists by province, level and stage.

    Parameters
    ----------
    facts : DataFrame
        The clean ``campaign_facts`` table.
    provinces : sequence of str
        Provinces whose numbered rounds give all three variables (Shanxi by default).
    henan_sizes : bool
        Add Henan's campaign-round lists (from :func:`zonestudy.study.designs.campaign_sizes`, which
        also covers rounds without a printed year) for the three variables.

    Returns
    -------
    DataFrame
        Columns ``province``, ``variable``, ``level``, ``stage``, ``N``, ``mean``, ``sd``
        (sample standard deviation, ddof = 1; missing for N = 1), ``p10``, ``p25``, ``p50``,
        ``p75``, ``p90``.

    Examples
    --------
    >>> lists = pd.DataFrame({"province": "X", "level": "city", "stage": "sign",
    ...                       "projects": [10.0, 20.0, 30.0], "investment_yi": np.nan, "size_yi": np.nan})
    >>> [float(v) for v in _describe(lists).loc[0, ["N", "mean", "sd", "p50"]]]
    [3.0, 20.0, 10.0, 20.0]
    """
    parts = [_lists(facts, p) for p in provinces]
    if henan_sizes:
        s = designs.campaign_sizes(facts, ("河南省",))
        parts.append(pd.DataFrame({"province": s["province"], "level": s["level"], "stage": s["stage"],
                                   "projects": s["projects"].astype(float),
                                   "investment_yi": s["investment_cny"] / 1e8, "size_yi": s["size_yi"]}))
    return _describe(pd.concat(parts, ignore_index=True))


def _describe(lists: pd.DataFrame) -> pd.DataFrame:
    rows = []
    stage_order = {s: i for i, s in enumerate(pipeline.STAGES)}
    for (province, level, stage), group in lists.groupby(["province", "level", "stage"], sort=False):
        for variable, name in VARIABLES.items():
            values = group[variable].dropna().astype(float)
            if values.empty:
                continue
            row = {"province": province, "variable": name, "level": level, "stage": stage,
                   "N": int(len(values)), "mean": float(values.mean()),
                   "sd": float(values.std(ddof=1)) if len(values) > 1 else np.nan}
            row |= {f"p{int(q * 100)}": float(values.quantile(q)) for q in PERCENTILES}
            rows.append(row)
    out = pd.DataFrame(rows)
    out["_v"] = out["variable"].map({v: i for i, v in enumerate(VARIABLES.values())})
    out["_s"] = out["stage"].map(stage_order)
    out["_l"] = out["level"].map({"province": 0, "city": 1})
    out = out.sort_values(["province", "_v", "_l", "_s"], kind="stable", ascending=[False, True, True, True])
    return out.drop(columns=["_v", "_s", "_l"]).reset_index(drop=True)


def implied_rounds(facts: pd.DataFrame) -> list[tuple[int, int]]:
    """Every (year, round) implied by the numbering of the printed rounds: a printed round k of a
    year implies rounds 1 … k of that year. Years no fact names are not added.

    >>> implied_rounds(pd.DataFrame({"year": [2023, 2021], "round_no": [3, 1]}))
    [(2021, 1), (2023, 1), (2023, 2), (2023, 3)]
    """
    rows = facts.dropna(subset=["year", "round_no"])
    last = rows.groupby("year")["round_no"].max()
    return [(int(y), r) for y, n in last.items() for r in range(1, int(n) + 1)]


def coverage_matrix(facts: pd.DataFrame, cities: Sequence[str], province: str = "山西省") -> pd.DataFrame:
    """What the sources print for each place (province, then cities) and numbered round.

    Cell text ``P<k> I<m>``: projects printed for k of the three stage lists, investment for m
    (``P3 I3`` is complete); ``all`` is added when only all-stage totals are printed; an empty
    string means no source prints a figure for that place and round.

    Examples
    --------
    >>> facts = pd.DataFrame({"province": "山西省", "year": 2023, "round_no": 4, "scope": "city",
    ...     "city": "晋城市", "geography": "晋城市", "stage": ["sign", "start", "sign"],
    ...     "measure": ["projects", "projects", "investment"]})
    >>> coverage_matrix(facts, ["晋城市", "大同市"]).loc["晋城市", "2023-4"]
    'P2 I1'
    >>> coverage_matrix(facts, ["晋城市", "大同市"]).loc["大同市", "2023-4"]
    ''
    """
    rows = facts[(facts["province"] == province) & facts["round_no"].notna()].copy()
    rows["round"] = [f"{int(y)}-{int(r)}" for y, r in zip(rows["year"], rows["round_no"])]
    rows["place"] = np.where(rows["scope"] == "province", province, rows["city"])
    rows = rows[rows["scope"].isin(["province", "city"]) & rows["place"].notna()]
    # every round implied by the numbering (a printed round 4 means rounds 1-3 were held that year)
    order = [f"{y}-{r}" for y, r in implied_rounds(rows)]
    places = [province, *cities]
    table = pd.DataFrame("", index=pd.Index(places, name="place"), columns=order)
    for (place, rnd), group in rows.groupby(["place", "round"]):
        if place not in table.index:
            continue
        staged = group[group["stage"].isin(pipeline.STAGES)]
        p = staged.loc[staged["measure"] == "projects", "stage"].nunique()
        i = staged.loc[staged["measure"] == "investment", "stage"].nunique()
        parts = [f"P{p}" if p else "", f"I{i}" if i else ""]
        if not p and not i and (group["stage"] == "all").any():
            parts = ["all"]
        table.loc[place, rnd] = " ".join(x for x in parts if x)
    table.columns.name = "round"
    return table
