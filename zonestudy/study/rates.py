r"""Every published rate in the data, with the definition that reproduces it (the rates table).

For each rate printed in ``campaign_facts`` (开复工率, 开工率, 投产率, 履约率, 资金到位率, 投资完成率,
达效率, plan shares such as 占年计划的125.6% …), in ``published_rates`` (Taiyuan), and for each
printed "k of n" pair (131个计划新开工项目有112个实现开工), this module collects the counts and amounts
printed beside it — the facts of the same source, round, place and category — gives each a role
(:data:`zonestudy.forensics.ROLES`) and asks :func:`zonestudy.forensics.explain_rate` which
definitions reproduce the rate at its printed precision, and how likely a chance match is.

Roles of the printed figures (rules, in order):

* a project count at stage ``all`` is the ``cohort`` (the portfolio the rate is about);
* if the group has such a cohort, every other project count is ``reached`` (members of the
  portfolio at a stage); otherwise, of two or more counts at the same stage the largest is the
  cohort and the rest are reached; a count alone at its stage is a ``list`` (one stage list);
* a "k of n" text gives its larger number as ``planned`` and its smaller as ``reached``;
* ``investment`` is ``investment``; an amount whose notes say *completed* is ``completed``, *planned*
  is ``planned_amount``, *in place* is ``funds``; expected annual output (预计年产值, measure
  ``annual_output``) is ``output_expected``, actual annual output (实际年产值) is ``output``.

Amounts are compared in 亿元 with the precision they are printed with (1.48万亿元 is known to the
nearest 100 亿元). The verdict prefers a definition built from two printed figures; then a cohort
rate whose numerator is inferred; then a count over a base that is not printed. ``chance`` is the
probability of a chance match of the verdict's definition (formulas in :mod:`zonestudy.forensics`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from zonestudy import forensics
from zonestudy.clean import extract_quantities

__all__ = ["RATE_WORD", "RATE_STAGES", "EVIDENCE", "evidence", "rate_rows", "pair_rows", "components_for", "rates_table", "verdict_counts"]

RATE_WORD = re.compile(r"(?:开复工率|开工率|复工率|投产率|达效率|达产率|履约率|落地率|竣工率|资金到位率|投资完成率|到位率)")
"""Rate words that mark a printed ratio as a rate of the campaign."""

_PLAN_SHARE = re.compile(r"(占[^0-9]*计划|完成[^0-9]*计划)")
_UNIT_DECIMALS = {"万亿元": -4, "亿元": 0, "万元": 4, "元": 8}
_GROUP = ["source_id", "round_label", "geography", "category"]
_PROJECT_COUNTER = re.compile(r"[个项]$")

_OUT_COLUMNS = [
    "rate_id", "source_id", "province", "round_label", "geography", "category", "stage",
    "rate_word", "value_text", "pct", "decimals", "qualifier", "exceeds_100", "components",
    "n_tried", "n_reproducing", "reproducing", "verdict", "detail", "chance", "chance_any",
    "evidence", "k", "n", "value_pct", "same_rate_smaller_n", "share_of_n_fitting",
]

EVIDENCE = ((0.01, "decisive"), (0.1, "suggestive"))
"""Chance-match thresholds: ≤ 1 % decisive, ≤ 10 % suggestive, above that uninformative."""


def evidence(chance: float) -> str:
    """How much a match says, from its chance probability (:data:`EVIDENCE`).

    >>> evidence(0.0069), evidence(0.05), evidence(0.49), evidence(float("nan"))
    ('decisive', 'suggestive', 'uninformative', '')
    """
    if chance is None or np.isnan(chance):
        return ""
    for bound, word in EVIDENCE:
        if chance <= bound:
            return word
    return "uninformative"


def _key(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in _GROUP:
        out[col] = out[col].astype("string").fillna("")
    return out


def _rate_word(row: Any) -> str:
    for text in (row.get("value_text"), row.get("notes")):
        m = RATE_WORD.search(str(text)) if isinstance(text, str) else None
        if m:
            return m.group(0)
    if isinstance(row.get("value_text"), str) and _PLAN_SHARE.search(row["value_text"]):
        return "占计划 (plan share)"
    return ""


def rate_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """The printed rates in ``campaign_facts``: measure ``rate``, or a ratio named by a rate word.

    >>> facts = pd.DataFrame({"fact_id": ["F1", "F2", "F3"], "measure": ["rate", "other", "other"],
    ...     "dimension": "ratio", "value_text": ["开工率100.6%", "72.17%", "12%"],
    ...     "notes": ["", "达效率 (share reaching designed output)", "share of the province"]})
    >>> rate_rows(facts)["fact_id"].tolist()
    ['F1', 'F2']
    """
    named = facts["value_text"].astype("string").str.contains(RATE_WORD, na=False) | facts[
        "notes"].astype("string").str.contains(RATE_WORD, na=False)
    keep = (facts["measure"] == "rate") | ((facts["dimension"] == "ratio") & named)
    return facts[keep].copy()


def _pair_counts(text: str) -> list[float]:
    found = extract_quantities(pd.Series([text]), errors="coerce")
    found = found[(found["dimension"] == "count") & found["parsed"]
                  & found["text"].str.contains(_PROJECT_COUNTER)]
    return found["value"].tolist()


def pair_rows(facts: pd.DataFrame) -> pd.DataFrame:
    """Project counts printed as "k of n" in one text, with k and n (``k_printed``, ``n_printed``).

    >>> facts = pd.DataFrame({"fact_id": ["F1"], "measure": ["projects"],
    ...     "value_text": ["131个计划新开工项目有112个实现开工"], "value_count": [np.nan]})
    >>> pair_rows(facts)[["k_printed", "n_printed"]].values.tolist()
    [[112, 131]]
    """
    rows = facts[(facts["measure"] == "projects") & facts["value_count"].isna()]
    out = []
    for idx, row in rows.iterrows():
        counts = _pair_counts(row["value_text"])
        if len(counts) == 2:
            out.append((idx, int(min(counts)), int(max(counts))))
    pairs = facts.loc[[i for i, *_ in out]].copy()
    pairs["k_printed"] = [k for _, k, _ in out]
    pairs["n_printed"] = [n for _, _, n in out]
    return pairs


def _amount(row: Any) -> tuple[float, int] | None:
    text = str(row["value_text"])
    unit = next((u for u in _UNIT_DECIMALS if u in text), None)
    if unit is None or pd.isna(row["value_cny"]):
        return None
    decimals = forensics.printed_decimals(text) + _UNIT_DECIMALS[unit]
    value = float(row["value_cny"]) / 1e8
    return (round(value, decimals) if decimals >= 0 else value), decimals


def _amount_role(row: Any) -> str | None:
    notes = str(row.get("notes", "")).lower()
    text = str(row["value_text"])
    if row["measure"] == "investment":
        return "investment"
    if row["measure"] == "annual_output":
        return "output_expected"
    if "实际年产值" in notes or "actual annual output" in notes:
        return "output"
    if "in place" in notes or "到位" in text:
        return "funds"
    if "planned" in notes or "计划" in text:
        return "planned_amount"
    if "completed" in notes or "完成" in text:
        return "completed"
    return None


RATE_STAGES: dict[str, tuple[tuple[str, ...], str]] = {
    "开工率": (("sign",), "start"), "开复工率": (("sign",), "start"), "复工率": (("sign",), "start"),
    "投产率": (("sign", "start"), "produce"), "竣工率": (("sign", "start"), "produce"),
    "达效率": (("produce",), "beyond"), "达产率": (("produce",), "beyond"),
    "履约率": (("sign",), "sign"), "落地率": (("sign",), "sign"), "资金到位率": (("sign",), "sign"),
    "到位率": (("sign",), "sign"),
}
"""Rate word → (stages a cohort may come from, stage reached). Unnamed rates use their row's stage."""

_PREVIOUS = {"start": ("sign",), "produce": ("sign", "start"), "sign": ("sign",), "all": ("all",)}
_AMOUNT_ONLY = ("投资完成率", "资金到位率", "到位率", "占计划 (plan share)")


def _stages(word: str, stage: str) -> tuple[tuple[str, ...], str]:
    return RATE_STAGES.get(word, (_PREVIOUS.get(stage, (stage,)), stage))


def _counts(group: pd.DataFrame) -> pd.DataFrame:
    """Project counts of a group, with the one count of texts such as "两批次共698个" read too."""
    counts = group[(group["measure"] == "projects")].copy()
    for idx in counts.index[counts["value_count"].isna()]:
        found = _pair_counts(counts.at[idx, "value_text"])
        if len(found) == 1:
            counts.at[idx, "value_count"] = found[0]
    return counts[counts["value_count"].notna()]


def components_for(group: pd.DataFrame, pairs: pd.DataFrame | None = None, *,
                   rate_word: str = "", stage: str = "all") -> pd.DataFrame:
    """The printed figures of one group (same source, round, place, category) with their roles.

    Project counts play a role by stage (see the module docstring): at stage ``all`` the
    ``cohort``; at the rate's cohort stage a ``list`` (or the cohort of a portfolio); at the stage
    reached ``reached`` when an ``all`` portfolio is printed, else a ``list``; counts at other stages
    are left out. A rate of investment (投资完成率, 资金到位率, 占年计划 …) gets amounts only.

    Returns
    -------
    DataFrame
        ``label`` (fact id and printed text), ``value`` (projects, or 亿元), ``role``,
        ``decimals`` (printed decimals in 亿元; missing for counts) and ``fact_id``.
    """
    rows = []
    cohort_stages, reached_stage = _stages(rate_word, stage)
    amounts_only = rate_word in _AMOUNT_ONLY and stage == "all" or rate_word in _AMOUNT_ONLY[:3]
    counts = _counts(group)
    if amounts_only:
        counts = counts.iloc[0:0]
    portfolio = (counts["stage"] == "all").any()
    for row in counts.itertuples(index=False):
        if row.stage == "all":
            role = "cohort"
        elif row.stage == reached_stage:
            same = counts[counts["stage"] == row.stage]
            if portfolio:
                role = "reached"
            elif len(same) > 1:
                role = "cohort" if row.value_count == same["value_count"].max() else "reached"
            else:
                role = "list"
        elif row.stage in cohort_stages:
            role = "cohort" if portfolio else "list"
        else:
            continue
        rows.append({"label": f"{row.fact_id} {row.value_text}", "value": float(row.value_count),
                     "role": role, "decimals": np.nan, "fact_id": row.fact_id})
    if pairs is not None and len(pairs) and not amounts_only:
        for row in pairs[pairs["fact_id"].isin(group["fact_id"])].itertuples(index=False):
            rows.append({"label": f"{row.fact_id} n={row.n_printed}", "value": float(row.n_printed),
                         "role": "planned", "decimals": np.nan, "fact_id": row.fact_id})
            rows.append({"label": f"{row.fact_id} k={row.k_printed}", "value": float(row.k_printed),
                         "role": "reached", "decimals": np.nan, "fact_id": row.fact_id})
    for _, row in group[group["dimension"] == "money"].iterrows():
        amount, role = _amount(row), _amount_role(row)
        if amount is None or role is None:
            continue
        rows.append({"label": f"{row['fact_id']} {row['value_text']}", "value": amount[0],
                     "role": role, "decimals": amount[1], "fact_id": row["fact_id"]})
    out = pd.DataFrame(rows, columns=["label", "value", "role", "decimals", "fact_id"])
    return out.drop_duplicates("label")


def _printed_pct(text: str, ratio: float) -> tuple[Any, int]:
    tenths = re.search(r"(\d+)成", str(text))
    if tenths:  # "近3成": three tenths, printed to the nearest ten points
        return int(tenths.group(1)) * 10, -1
    decimals = forensics.printed_decimals(text)
    numbers = re.findall(r"\d+(?:\.\d+)?", str(text))
    return numbers[-1], decimals


_QUALIFIER = {"exact": "exact", "approx": "approx", "over": "over", "at_least": "at_least",
              "nearly": "nearly"}


def _kn(row: Any, comps: pd.DataFrame) -> tuple[float, float, float]:
    """(k, n, value in percent) of the verdict's match, where they are single numbers."""
    values = comps.set_index("label")["value"] if len(comps) else pd.Series(dtype=float)
    k = values.get(row.numerator, np.nan)
    n = values.get(row.denominator, np.nan)
    cands = str(row.candidates)
    if row.numerator == "k" and cands.isdigit():
        k = float(cands)
    if row.denominator == "n" and cands.isdigit():
        n = float(cands)
    return float(k), float(n), float(row.value_pct)


def _best(result: pd.DataFrame) -> Any:
    hits = result.loc[result["reproduces"].astype(bool)]
    for kind in ("printed", "cohort rate k/n (k not printed)", "count over an unprinted base"):
        part = hits[~hits["definition"].isin(["cohort rate k/n (k not printed)", "count over an unprinted base"])] \
            if kind == "printed" else hits[hits["definition"] == kind]
        if len(part):
            return part.sort_values("chance", kind="stable").iloc[0]
    return None


def _verdict(result: pd.DataFrame) -> tuple[str, str, float]:
    hits = result.loc[result["reproduces"].astype(bool)]
    printed = hits[~hits["definition"].isin(["cohort rate k/n (k not printed)",
                                             "count over an unprinted base"])]
    if len(printed):
        best = printed.sort_values("chance").iloc[0]
        detail = "; ".join(f"{r.numerator} ÷ {r.denominator} = {r.value_pct:.2f}%"
                           for r in printed.itertuples() if r.value_pct <= 100 or r.numerator == best.numerator)
        return " / ".join(dict.fromkeys(printed["definition"])), detail, float(best["chance"])
    inferred = hits[hits["definition"] == "cohort rate k/n (k not printed)"]
    failing = result.loc[(result["definition"] == "cohort rate k/n (k printed)")
                         & ~result["reproduces"].astype(bool)]
    against = "".join(f"; printed {r.numerator} ÷ {r.denominator} = {r.value_pct:.2f}% does not fit"
                      for r in failing.itertuples())
    if len(inferred):
        best = inferred.sort_values("chance").iloc[0]
        detail = "; ".join(f"k = {r.candidates} of {r.denominator}" for r in inferred.itertuples())
        detail += against + "".join(f"; or {r.numerator} over an unprinted n = {r.candidates}"
                                    for r in hits[hits["definition"] == "count over an unprinted base"].itertuples())
        return "cohort rate k/n (n printed, k inferred)", detail, float(best["chance"])
    base = hits[hits["definition"] == "count over an unprinted base"]
    if len(base):
        best = base.sort_values("chance").iloc[0]
        detail = "; ".join(f"{r.numerator} over n = {r.candidates}" for r in base.itertuples())
        return "count over an unprinted base (plan not printed)", detail, float(best["chance"])
    if len(result):
        return "not reproduced by the printed figures", "", np.nan
    return "cannot be checked: one side of the ratio not printed", "", np.nan


def _explain(pct, decimals, qualifier, comps) -> pd.DataFrame:
    if comps.empty:
        return pd.DataFrame({"definition": pd.Series(dtype=str), "reproduces": pd.Series(dtype=bool),
                             "chance": pd.Series(dtype=float)})
    return forensics.explain_rate(pct, decimals, comps, qualifier=qualifier)


def _record(base: dict, pct, decimals, qualifier, comps: pd.DataFrame) -> dict:
    result = _explain(pct, decimals, qualifier, comps)
    verdict, detail, chance = _verdict(result)
    if comps.empty:
        verdict = "nothing printed beside it"
    best = _best(result) if len(result) else None
    k, n, value = _kn(best, comps) if best is not None else (np.nan, np.nan, np.nan)
    smaller, share = "", np.nan
    inferred = result.loc[result["reproduces"].astype(bool)
                          & (result["definition"] == "cohort rate k/n (k not printed)")]
    if verdict.startswith("cohort rate k/n (n printed") and len(inferred) == 1:
        n = int(comps.set_index("label").loc[inferred["denominator"].iloc[0], "value"])
        fits = forensics.cohort_solutions(pct, decimals, n_max=n)
        smaller = "; ".join(f"{k}/{m}" for k, m in fits if m < n)
        share = len({m for _, m in fits}) / n
    tried = len(result)
    family = 1 - (1 - chance) ** tried if tried and not np.isnan(chance) else np.nan
    return {**base, "chance_any": family, "evidence": evidence(chance),
            "same_rate_smaller_n": smaller, "share_of_n_fitting": share, "k": k, "n": n,
            "value_pct": value, "pct": float(pct), "decimals": decimals, "qualifier": qualifier,
            "exceeds_100": float(pct) > 100,
            "components": "; ".join(f"{r.label} [{r.role}]" for r in comps.itertuples()),
            "n_tried": len(result), "n_reproducing": int(result["reproduces"].sum()) if len(result) else 0,
            "reproducing": " / ".join(dict.fromkeys(result.loc[result["reproduces"], "definition"]))
            if len(result) else "",
            "verdict": verdict, "detail": detail, "chance": chance}


def _published_components(row: Any) -> pd.DataFrame:
    names = {"开工率": ("signed list", "start list"), "投产率": ("start list", "production list")}
    first, second = names.get(row["rate_name"], ("earlier list", "later list"))
    return pd.DataFrame([
        {"label": f"{first} {int(row['from_list_total'])}", "value": float(row["from_list_total"]),
         "role": "list", "decimals": np.nan, "fact_id": row["rate_id"]},
        {"label": f"{second} {int(row['to_list_total'])}", "value": float(row["to_list_total"]),
         "role": "list", "decimals": np.nan, "fact_id": row["rate_id"]},
    ])


def rates_table(facts: pd.DataFrame, published_rates: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per published rate and per printed "k of n" pair, with its verdict.

    Parameters
    ----------
    facts : DataFrame
        The clean ``campaign_facts`` table (all provinces).
    published_rates : DataFrame, optional
        The clean ``published_rates`` table; a rate also printed in ``facts`` (same printed text,
        same city) is taken from ``facts`` only, so no rate is counted twice.

    Returns
    -------
    DataFrame
        Columns ``rate_id`` (fact or rate id), ``source_id``, ``province``, ``round_label``,
        ``geography``, ``category``, ``stage``, ``rate_word``, ``value_text``, ``pct`` (percent),
        ``decimals``, ``qualifier``, ``exceeds_100``, ``components`` (the printed figures used,
        with roles), ``n_tried``, ``n_reproducing``, ``reproducing`` (every definition that fits),
        ``verdict``, ``detail``, ``chance``, ``chance_any`` (at least one of the definitions tried
        matching by chance), ``evidence``, ``k``, ``n`` and ``value_pct`` (numerator, denominator
        and value of the verdict's match, where single numbers; amounts in 亿元). Pairs have ``rate_word`` "k of n printed" and the
        rate k/n they imply. For a cohort rate with an inferred numerator,
        ``same_rate_smaller_n`` lists the smaller k/n printing the same rate and
        ``share_of_n_fitting`` the share of the cohort sizes 1…n for which some k fits
        (:func:`zonestudy.forensics.chance_cohort_range`): the evidence is that n is printed.
    """
    keyed = _key(facts)
    rates = rate_rows(keyed)
    pairs = pair_rows(keyed)
    groups = dict(list(keyed.groupby(_GROUP, sort=False)))
    records = []
    for _, row in rates.iterrows():
        group = groups[tuple(row[c] for c in _GROUP)]
        group = group[group["dimension"] != "ratio"]
        word = _rate_word(row)
        comps = components_for(group, pairs, rate_word=word, stage=row["stage"])
        pct, decimals = _printed_pct(row["value_text"], row["value_ratio"])
        qualifier = _QUALIFIER.get(str(row["qualifier"]), "exact")
        base = {c: row[c] for c in ["source_id", "province", "round_label", "geography", "category",
                                     "stage", "value_text"]}
        base |= {"rate_id": row["fact_id"], "rate_word": word}
        records.append(_record(base, pct, decimals, qualifier, comps))
    for _, row in pairs.iterrows():
        comps = pd.DataFrame([
            {"label": f"n={row['n_printed']}", "value": float(row["n_printed"]), "role": "planned",
             "decimals": np.nan, "fact_id": row["fact_id"]},
            {"label": f"k={row['k_printed']}", "value": float(row["k_printed"]), "role": "reached",
             "decimals": np.nan, "fact_id": row["fact_id"]}])
        pct = round(100 * row["k_printed"] / row["n_printed"], 2)
        base = {c: row[c] for c in ["source_id", "province", "round_label", "geography", "category",
                                     "stage", "value_text"]}
        base |= {"rate_id": row["fact_id"], "rate_word": "k of n printed"}
        record = _record(base, f"{pct:.2f}", 2, "exact", comps.iloc[[]])
        record |= {"components": f"k={row['k_printed']} [reached]; n={row['n_printed']} [planned]",
                   "verdict": "k and n printed (plan attainment in projects)",
                   "detail": f"{row['k_printed']} of {row['n_printed']} = {pct:.2f}%", "chance": np.nan,
                   "chance_any": np.nan, "evidence": "", "same_rate_smaller_n": "",
                   "share_of_n_fitting": np.nan, "k": float(row["k_printed"]),
                   "n": float(row["n_printed"]), "value_pct": pct}
        records.append(record)
    if published_rates is not None and len(published_rates):
        printed = {(r["value_text"], str(r["geography"])[:2]) for r in records}
        for _, row in published_rates.iterrows():
            if (row["value_text"], str(row["geography"])[:2]) in printed:
                continue
            pct, decimals = _printed_pct(row["value_text"], row["value"] / 100)
            base = {"rate_id": row["rate_id"], "source_id": row["source_id"], "province": "山西省",
                    "round_label": row["period"], "geography": row["geography"], "category": "",
                    "stage": row["stage_reached"], "value_text": row["value_text"],
                    "rate_word": row["rate_name"]}
            records.append(_record(base, pct, decimals, "exact", _published_components(row)))
    out = pd.DataFrame.from_records(records, columns=_OUT_COLUMNS)
    return out.sort_values("rate_id", kind="stable").reset_index(drop=True)


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many published rates each verdict covers, and how decisive the matches are.

    Printed "k of n" pairs are left out (they are components, not rates). One row per verdict with
    ``rates``, ``decisive``, ``suggestive``, ``uninformative`` (:func:`evidence`), ``above_100``;
    then a row ``all published rates`` and a row ``checkable`` (rates with the figures printed to
    check them: neither "nothing printed beside it" nor "cannot be checked").
    """
    rates = table[table["rate_word"] != "k of n printed"]
    rows = []
    for verdict, g in rates.groupby("verdict", sort=False):
        rows.append({"verdict": verdict, "rates": len(g),
                     **{w: int((g["evidence"] == w).sum()) for w in ("decisive", "suggestive", "uninformative")},
                     "above_100": int(g["exceeds_100"].sum())})
    out = pd.DataFrame(rows).sort_values(["rates", "verdict"], ascending=[False, True], kind="stable")
    unchecked = rates["verdict"].isin(["nothing printed beside it",
                                       "cannot be checked: one side of the ratio not printed"])
    for name, g in (("all published rates", rates), ("checkable", rates[~unchecked])):
        out = pd.concat([out, pd.DataFrame([{
            "verdict": name, "rates": len(g),
            **{w: int((g["evidence"] == w).sum()) for w in ("decisive", "suggestive", "uninformative")},
            "above_100": int(g["exceeds_100"].sum())}])], ignore_index=True)
    return out.reset_index(drop=True)
