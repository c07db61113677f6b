r"""The province series of list lengths, 2020–2024: printed where printed, derived with bounds, never interpolated.

Only four Shanxi rounds print the province's three list lengths. Two other kinds of figure imply
province totals:

* **annual or running sums** (``scope == "cumulative"`` at province level): "four massive signing
  events … a total of 1,144 projects" in 2021. Its mean per round is :math:`S/R` for R rounds, and
  with a round of the same year printed, the other rounds hold :math:`S - \sum \text{printed}`;
* **shares of the province total** printed beside a part's count: 山西综改示范区太原片区's 132
  signed projects were "占全省的12%" of the three 2020 rounds. A share printed as :math:`q` with
  :math:`d` decimals lies in :math:`[q - u/2, q + u/2)` (:func:`zonestudy.forensics.printed_bin`),
  so the total :math:`T = c / q` lies in :math:`(c / q_{hi},\ c / q_{lo}]`, and its integer values
  in :math:`[\lfloor c/q_{hi} \rfloor + 1,\ \lfloor c / q_{lo} \rfloor]`.

Every derived row is marked (``kind``), carries its bounds and the fact ids it is derived from.
Nothing is filled in for rounds no source covers.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from zonestudy import forensics
from zonestudy.study import pipeline

__all__ = ["province_series", "shrinkage"]

_YEAR = re.compile(r"(20[12]\d)")
_ROUNDS = re.compile(r"(\d+)\s*期")


def _year(row: pd.Series) -> float:
    for text in (row.get("round_label"), row.get("notes")):
        m = _YEAR.search(str(text)) if isinstance(text, str) else None
        if m:
            return float(m.group(1))
    return np.nan


def _rounds(group: pd.DataFrame) -> float:
    counted = group[(group["stage"] == "all") & (group["measure"] == "other") & group["value_count"].notna()]
    if len(counted):
        return float(counted["value_count"].iloc[0])
    for note in group["notes"].dropna():
        m = _ROUNDS.search(note)
        if m:
            return float(m.group(1))
    return np.nan


def province_series(facts: pd.DataFrame, province: str = "山西省") -> pd.DataFrame:
    """Province list lengths by year and stage: printed rounds, annual sums, share-implied totals.

    Returns
    -------
    DataFrame
        Columns ``year``, ``round_no`` (printed rounds; missing for sums), ``rounds`` (number of
        rounds a row covers), ``stage``, ``kind`` (``printed``, ``derived: annual sum``,
        ``derived: annual sum minus printed rounds``, ``derived: from a printed share``),
        ``total``, ``total_low``, ``total_high``, ``per_round``, ``per_round_low``,
        ``per_round_high`` (projects), ``fact_ids``, ``source_ids``.
    """
    rows = facts[facts["province"] == province]
    out = []
    printed = pipeline.stage_table(rows, "projects", "province", index=["year", "round_no"])
    for (year, rnd), rec in printed.iterrows():
        for stage in pipeline.STAGES:
            if pd.isna(rec[stage]):
                continue
            v = float(rec[stage])
            out.append({"year": float(year), "round_no": float(rnd), "rounds": 1.0, "stage": stage,
                        "kind": "printed", "total": v, "total_low": v, "total_high": v,
                        "fact_ids": rec["fact_ids"], "source_ids": rec[f"{stage}_sources"]})
    cumulative = rows[rows["scope"] == "cumulative"]
    for _, group in cumulative.groupby(["source_id", "geography"], dropna=False):
        n_rounds = _rounds(group)
        counts = group[(group["measure"] == "projects") & group["value_count"].notna()
                       & group["stage"].isin(pipeline.STAGES)]
        shares = group[(group["measure"] == "other") & group["value_ratio"].notna()
                       & group["notes"].str.contains("share of the province total", na=False)
                       & group["notes"].str.contains("project count", na=False)]
        for _, c in counts.iterrows():
            year = _year(c)
            if c["geography"] == province:
                v = float(c["value_count"])
                out.append({"year": year, "round_no": np.nan, "rounds": n_rounds, "stage": c["stage"],
                            "kind": "derived: annual sum", "total": v, "total_low": v, "total_high": v,
                            "fact_ids": c["fact_id"], "source_ids": c["source_id"]})
                same = [r for r in out if r["kind"] == "printed" and r["year"] == year and r["stage"] == c["stage"]]
                if same and not np.isnan(n_rounds) and n_rounds > len(same):
                    rest = v - sum(r["total"] for r in same)
                    out.append({"year": year, "round_no": np.nan, "rounds": n_rounds - len(same),
                                "stage": c["stage"], "kind": "derived: annual sum minus printed rounds",
                                "total": rest, "total_low": rest, "total_high": rest,
                                "fact_ids": ";".join([c["fact_id"], *(r["fact_ids"] for r in same)]),
                                "source_ids": ";".join(sorted({c["source_id"], *(s for r in same
                                                                                 for s in r["source_ids"].split(";"))}))})
                continue
            share = shares[shares["stage"] == c["stage"]]
            if share.empty:
                continue
            s = share.iloc[0]
            pct, decimals = re.findall(r"\d+(?:\.\d+)?", s["value_text"])[-1], forensics.printed_decimals(s["value_text"])
            lo, hi = forensics.printed_bin(pct, decimals)
            count = float(c["value_count"])
            t_low = math.floor(100 * count / float(hi)) + 1
            t_high = math.floor(100 * count / float(lo))
            out.append({"year": year, "round_no": np.nan, "rounds": n_rounds, "stage": c["stage"],
                        "kind": "derived: from a printed share", "total": np.nan,
                        "total_low": float(t_low), "total_high": float(t_high),
                        "fact_ids": f"{c['fact_id']};{s['fact_id']}", "source_ids": c["source_id"]})
    table = pd.DataFrame(out)
    for col in ("", "_low", "_high"):
        table[f"per_round{col}"] = table[f"total{col}"] / table["rounds"]
    table["_s"] = table["stage"].map({s: i for i, s in enumerate(pipeline.STAGES)})
    table = table.sort_values(["year", "round_no", "kind", "_s"], na_position="last", kind="stable")
    table = table.drop(columns="_s").reset_index(drop=True)
    return table.astype({"year": "Int64", "round_no": "Int64"})


def shrinkage(series: pd.DataFrame, stage: str = "sign") -> pd.DataFrame:
    """Per-round list length of one stage by year: the range over every printed or derived row.

    One row per year with ``low`` and ``high`` (the smallest lower and the largest upper bound of
    the per-round lengths that year), ``printed`` (printed rounds, ``;``-joined), and ``kinds``.
    ``below_first_year`` is True when every per-round length of the year (its ``high``) is below
    the lowest of the first year (its ``low``): only then do the lists shrink beyond the bounds.

    >>> s = pd.DataFrame({"year": [2020, 2023, 2023], "round_no": [np.nan, 1, 3], "stage": "sign",
    ...     "kind": ["derived: from a printed share", "printed", "printed"], "total": [np.nan, 303, 263],
    ...     "per_round_low": [352.3, 303, 263], "per_round_high": [382.3, 303, 263]})
    >>> shrinkage(s)[["year", "low", "high", "below_first_year"]].values.tolist()
    [[2020, 352.3, 382.3, False], [2023, 263.0, 303.0, True]]
    """
    part = series[series["stage"] == stage]
    rows = []
    for year, g in part.groupby("year"):
        rows.append({"year": int(year), "low": float(g["per_round_low"].min()),
                     "high": float(g["per_round_high"].max()),
                     "printed": "; ".join(f"{int(r.round_no)}: {int(r.total)}" for r in g.itertuples()
                                          if r.kind == "printed"),
                     "kinds": "; ".join(dict.fromkeys(g["kind"]))})
    out = pd.DataFrame(rows)
    first_low = out["low"].iloc[0] if len(out) else np.nan
    out["below_first_year"] = [bool(i and h < first_low) for i, h in enumerate(out["high"])]
    return out
