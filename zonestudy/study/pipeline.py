"""Project pipelines of the 三个一批 rounds: stage tables, flow ratios, sizes, published cohort rates.

Shanxi's development zones hold quarterly "三个一批" rounds: one list of projects signed (签约一批,
stage ``sign``), one of projects starting construction (开工一批, ``start``) and one of projects
entering production (投产一批, ``produce``). Sources print the length of each list and often the
investment it carries, for the province, for cities and for single zones. This module turns those
printed facts (the clean ``campaign_facts`` table) into per-round tables and the quantities
``notebooks/03_campaign_pipeline.ipynb`` reports:

* :func:`stage_table` — one row per round and place, one column per stage, with the fact and source
  ids behind every value; stages not printed stay empty (nothing is interpolated);
* :func:`round_flow_ratios` — started ÷ signed and producing ÷ started within each round's lists.
  These are **flow ratios** (:func:`zonestudy.metrics.flow_ratio`): the lists hold different
  projects, so a ratio can exceed 1 and is not a 开工率 or 投产率;
* :func:`sizes_by_stage` — average project size (investment ÷ projects) where both are printed;
* :func:`published_vs_flow` — published cohort rates (Taiyuan's 开工率 and 投产率) reproduced as
  k/n with Wilson intervals, beside the flow ratios the same article's list totals give;
* :func:`count_pair_rates` — count pairs printed for one zone (the 科学导报 page), turned into a
  cohort-type rate only where the numerator is a subset of the denominator.

The ``plot_*`` functions draw the notebook's figures from these tables, in English or Chinese.

Every function takes DataFrames and returns new ones; nothing is read from disk and nothing happens
at import. Source ids travel with every row (``source_ids``, ``;``-joined) so that a figure's
``sources=`` can be computed with :func:`zonestudy.sources.split_ids`. :func:`round_label` is the
project's short label of a numbered round (``"2023-4"``, ``"2023年第4次"``, optionally after its
place); :mod:`zonestudy.study.structure` and :mod:`zonestudy.study.peers` use it too.

References
----------
``docs/metrics_spec.md`` §0 (cohort rate vs flow ratio vs plan attainment), §1.2–1.3
(开工率, 投产率; the 临猗 work list), §6.1 (intervals).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from zonestudy import figures, metrics
from zonestudy.sources import join_ids
from zonestudy.study import reference
from zonestudy.study.vocabulary import STAGES, check_columns, round_label
from zonestudy.zones import english_name

__all__ = [
    "STAGE_ROW_COLUMNS",
    "FLOWS",
    "DEFAULT_INDEX",
    "stage_rows",
    "stage_table",
    "round_flow_ratios",
    "sizes_by_stage",
    "published_vs_flow",
    "count_pairs",
    "published_amount_rates",
    "count_pair_rates",
    "plot_stage_rounds",
    "plot_stage_sizes",
    "plot_flow_ratios",
]

FLOWS: tuple[tuple[str, str], ...] = (("start", "sign"), ("produce", "start"))
"""Flow ratios computed by :func:`round_flow_ratios`: (later list, earlier list)."""

DEFAULT_INDEX: tuple[str, ...] = ("year", "round_no", "geography")
"""Columns identifying one round's lists for one place in ``campaign_facts``."""

_VALUE_COLUMN = {"projects": "value_count", "investment": "value_cny", "annual_output": "value_cny"}
_UNIT = {"projects": "projects", "investment": "yuan", "annual_output": "yuan"}
_FACT_COLUMNS = (
    "fact_id", "source_id", "scope", "stage", "measure", "breakdown", "qualifier", "parsed",
    "overlaps_main_split",
)

#: Words used on the figures, in English and Chinese (on top of :data:`zonestudy.figures.LABELS`),
#: read on first use from ``data/reference/figure_words.csv`` (module ``pipeline``).
_WORDS: Mapping[str, Mapping[str, str]] = reference.LazyMapping(lambda: reference.words("pipeline"))


_word = partial(figures.label, labels=_WORDS)
"""``_word(key, lang)``: :func:`zonestudy.figures.label` with this module's words."""


# --- tables -------------------------------------------------------------------------------------


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _pipeline_order(level: pd.Index) -> pd.Index:
    """Sort key: stages and flows in pipeline order, other index levels as they are."""
    if level.name == "stage":
        return level.map({s: i for i, s in enumerate(STAGES)})
    if level.name == "flow":
        return level.map({f"{a}/{b}": i for i, (a, b) in enumerate(FLOWS)})
    return level


STAGE_ROW_COLUMNS: tuple[str, ...] = ("stage", "measure", "scope", "breakdown", "parsed",
                                      "overlaps_main_split")
"""Columns :func:`stage_rows` needs."""


def stage_rows(
    facts: pd.DataFrame,
    measure: str | Sequence[str] | None = None,
    scope: str | Sequence[str] | None = None,
    include_all: bool = False,
) -> pd.DataFrame:
    """The campaign facts that print one stage's whole list: the one row selector for stage figures.

    Keeps the rows with ``breakdown == "none"`` (no sector, size-class or city split), ``parsed``
    (the text held one quantity), not ``overlaps_main_split`` (no "subset of" / alternative
    grouping), not a single named project (``scope == "project"``: one project's figure is never a
    stage list's total) and ``stage`` in :data:`STAGES` — plus the all-stage totals (``stage == "all"``)
    only when ``include_all`` is true. :func:`stage_table`, :func:`zonestudy.study.structure.stage_amounts_table`
    and the :mod:`zonestudy.study.peers` comparisons all select their rows here, so a subset or sector
    row is never read as a whole list anywhere.

    Parameters
    ----------
    facts : DataFrame
        Rows of the clean ``campaign_facts`` table with the columns :data:`STAGE_ROW_COLUMNS`.
    measure : str or sequence of str, optional
        ``measure`` values to keep (e.g. ``"projects"``); all when None.
    scope : str or sequence of str, optional
        ``scope`` values to keep (``"province"``, ``"city"``, ``"zone"``, ``"cumulative"``);
        all when None. Rows with ``scope == "project"`` are never kept.
    include_all : bool, default False
        Keep the printed all-stage totals too. They are totals over the three lists: never add
        them to per-stage rows.

    Returns
    -------
    DataFrame
        The selected rows (a copy), in their original order and with their original index.

    Raises
    ------
    ValueError
        If a needed column is missing.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "fact_id": ["F1", "F2", "F3", "F4", "F5"], "scope": "province",
    ...     "stage": ["sign", "sign", "sign", "all", "start"], "measure": "projects",
    ...     "breakdown": ["none", "sector", "none", "none", "none"], "parsed": True,
    ...     "overlaps_main_split": [False, False, True, False, False]})
    >>> stage_rows(facts)["fact_id"].tolist()
    ['F1', 'F5']
    >>> stage_rows(facts, "projects", "province", include_all=True)["fact_id"].tolist()
    ['F1', 'F4', 'F5']
    """
    check_columns(facts, STAGE_ROW_COLUMNS, "facts")
    stages = [*STAGES, "all"] if include_all else list(STAGES)
    keep = (
        facts["stage"].isin(stages)
        & facts["breakdown"].eq("none")
        & ~facts["scope"].eq("project")
        & facts["parsed"].eq(True)
        & ~facts["overlaps_main_split"].eq(True)
    )
    if measure is not None:
        keep &= facts["measure"].isin(_as_list(measure))
    if scope is not None:
        keep &= facts["scope"].isin(_as_list(scope))
    return facts.loc[keep].copy()


def stage_table(
    facts: pd.DataFrame,
    measure: str,
    scope: str | Sequence[str] = "province",
    *,
    index: Sequence[str] = DEFAULT_INDEX,
) -> pd.DataFrame:
    """One row per round and place, one column per stage, for one measure as printed.

    Keeps the campaign facts that print one stage's whole list (:func:`stage_rows`: ``stage`` in
    sign/start/produce — never the ``all`` totals —, ``breakdown == "none"``, parsed, not flagged
    as overlapping a split) for the requested ``measure`` and ``scope``. Several sources printing the same figure
    for the same round, place and stage count once; their fact and source ids are all kept.
    Stages that no source prints stay empty: nothing is interpolated or summed.

    Parameters
    ----------
    facts : DataFrame
        The clean ``campaign_facts`` table (or rows of it): columns ``fact_id``, ``source_id``,
        ``scope``, ``stage``, ``measure``, ``breakdown``, ``qualifier``, ``parsed``,
        ``overlaps_main_split``, ``value_count`` / ``value_cny`` and the ``index`` columns.
    measure : {"projects", "investment", "annual_output"}
        ``projects`` takes ``value_count`` (number of projects); the money measures take
        ``value_cny`` (yuan).
    scope : str or sequence of str
        ``scope`` values to keep: ``"province"``, ``"city"``, ``"zone"``, ``"cumulative"``.
    index : sequence of str
        Columns identifying a row; facts with a missing key (e.g. no round number) are left out.

    Returns
    -------
    DataFrame
        Indexed by ``index``, sorted. Columns: ``scope``; ``sign``, ``start``, ``produce`` (float:
        project counts, or yuan; NaN where not printed); ``not_printed`` (stages without a figure,
        ``;``-joined); ``inexact`` (stages printed with a qualifier such as 余/近); ``sign_sources``,
        ``start_sources``, ``produce_sources`` (source ids per stage); ``fact_ids`` and
        ``source_ids`` (all ids of the row, ``;``-joined). ``attrs`` holds ``measure`` and
        ``unit``.

    Raises
    ------
    ValueError
        If ``measure`` is not a count or money measure, columns are missing, two facts give
        different values for the same row and stage (the message names them), or one row mixes
        scopes.

    References
    ----------
    metrics_spec §0 (the three lists of a round). Data: ``data/clean/campaign_facts.csv``.

    Examples
    --------
    Two sources print the same signed count; the produce list is not printed:

    >>> facts = pd.DataFrame({
    ...     "fact_id": ["F1", "F2", "F3"], "source_id": ["S1", "S2", "S1"],
    ...     "scope": "province", "year": 2021, "round_no": 1, "geography": "Shanxi",
    ...     "stage": ["sign", "sign", "start"], "measure": "projects", "breakdown": "none",
    ...     "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
    ...     "value_count": [413.0, 413.0, 268.0], "value_cny": np.nan})
    >>> t = stage_table(facts, "projects")
    >>> t[["sign", "start", "produce"]].iloc[0].tolist()
    [413.0, 268.0, nan]
    >>> t.loc[(2021, 1, "Shanxi"), ["not_printed", "source_ids"]].tolist()
    ['produce', 'S1;S2']
    """
    if measure not in _VALUE_COLUMN:
        raise ValueError(
            f"measure must be one of {sorted(_VALUE_COLUMN)} (counts or money), got {measure!r}"
        )
    keys = list(index)
    value_col = _VALUE_COLUMN[measure]
    check_columns(facts, [*_FACT_COLUMNS, value_col, *keys], "facts")
    rows = stage_rows(facts, measure, scope).dropna(subset=[*keys, value_col])
    columns = ["scope", *STAGES, "not_printed", "inexact",
               *(f"{s}_sources" for s in STAGES), "fact_ids", "source_ids"]
    if rows.empty:
        empty = pd.DataFrame(columns=columns, index=pd.MultiIndex.from_tuples([], names=keys))
        empty.attrs.update(measure=measure, unit=_UNIT[measure])
        return empty

    grouped = rows.groupby([*keys, "stage"], sort=True)
    distinct = grouped[value_col].nunique()
    if (distinct > 1).any():
        clashes = []
        for key in distinct.index[distinct > 1]:
            part = grouped.get_group(key)
            clashes.append(", ".join(f"{f}={v:g}" for f, v in zip(part["fact_id"], part[value_col])))
        raise ValueError(f"facts disagree for the same row and stage: {'; '.join(clashes)}")
    long = grouped.agg(
        value=(value_col, "first"),
        fact_ids=("fact_id", join_ids),
        source_ids=("source_id", join_ids),
        scope=("scope", join_ids),
        inexact=("qualifier", lambda q: bool((q.fillna("exact") != "exact").any())),
    )
    by_key = long.groupby(level=keys, sort=True)
    mixed = by_key["scope"].nunique()
    if (mixed > 1).any():
        raise ValueError(f"rows mix scopes: {list(mixed.index[mixed > 1])}")

    wide = long["value"].unstack("stage").reindex(columns=list(STAGES)).astype(float)
    sources = long["source_ids"].unstack("stage", fill_value="").reindex(
        columns=list(STAGES), fill_value="")
    inexact = long["inexact"].unstack("stage", fill_value=False).reindex(
        columns=list(STAGES), fill_value=False)
    out = pd.DataFrame(index=wide.index)
    out["scope"] = by_key["scope"].first()
    for stage in STAGES:
        out[stage] = wide[stage]
    out["not_printed"] = [";".join(s for s in STAGES if pd.isna(row[s])) for _, row in wide.iterrows()]
    out["inexact"] = [";".join(s for s in STAGES if row[s]) for _, row in inexact.iterrows()]
    for stage in STAGES:
        out[f"{stage}_sources"] = sources[stage]
    out["fact_ids"] = by_key["fact_ids"].agg(join_ids)
    out["source_ids"] = by_key["source_ids"].agg(join_ids)
    out.columns.name = None
    out.attrs.update(measure=measure, unit=_UNIT[measure])
    return out


def round_flow_ratios(stage_counts: pd.DataFrame) -> pd.DataFrame:
    """Flow ratios within each round: started ÷ signed and producing ÷ started.

    .. math::

        \\text{flow}_{\\text{start/sign}} = \\frac{N_{\\text{start list}}}{N_{\\text{sign list}}},
        \\qquad
        \\text{flow}_{\\text{produce/start}} = \\frac{N_{\\text{produce list}}}{N_{\\text{start list}}}

    computed with :func:`zonestudy.metrics.flow_ratio` for every row where both lists are printed.
    The lists of one round hold **different projects** (most projects started in a round were
    signed in earlier rounds, or in no round), so these are flow ratios — descriptions of a
    round's activity mix — not cohort rates (开工率, 投产率); they can exceed 1 and have no
    confidence interval.

    Parameters
    ----------
    stage_counts : DataFrame
        Output of :func:`stage_table` for ``measure="projects"``: columns ``sign``, ``start``,
        ``produce`` (project counts) and ``sign_sources``, ``start_sources``,
        ``produce_sources``.

    Returns
    -------
    DataFrame
        Indexed by the input's index plus a level ``flow`` (``"start/sign"``,
        ``"produce/start"``), sorted. Columns ``value`` (ratio; may exceed 1), ``numerator``,
        ``denominator`` (int), ``kind`` (``"flow"``), ``label`` (``"flow ratio"``) and
        ``source_ids`` (sources of the two lists). Rows lacking either list are left out.

    Raises
    ------
    ValueError
        If the table holds money rather than project counts, or counts are not whole numbers.

    References
    ----------
    metrics_spec §0: Shanxi's 2021 round 1 lists 413 signed, 268 started, 245 producing.

    Examples
    --------
    >>> counts = pd.DataFrame(
    ...     {"sign": [413.0, 303.0], "start": [268.0, 310.0], "produce": [245.0, np.nan],
    ...      "sign_sources": ["S2", "S20"], "start_sources": ["S2", "S20"],
    ...      "produce_sources": ["S2", ""]},
    ...     index=pd.Index(["2021-1", "2023-1"], name="round"))
    >>> r = round_flow_ratios(counts)
    >>> r["value"].round(3)
    round   flow         
    2021-1  start/sign       0.649
            produce/start    0.914
    2023-1  start/sign       1.023
    Name: value, dtype: float64
    """
    check_columns(stage_counts, [*STAGES, *(f"{s}_sources" for s in STAGES)], "stage_counts")
    if stage_counts.attrs.get("measure", "projects") != "projects":
        raise ValueError("flow ratios compare project counts; pass stage_table(..., 'projects')")
    parts = []
    for later, earlier in FLOWS:
        both = stage_counts[[later, earlier]].notna().all(axis=1)
        part = stage_counts.loc[both]
        if part.empty:
            continue
        ratio = metrics.flow_ratio(part[later], part[earlier])
        ratio["label"] = "flow ratio"
        ratio["source_ids"] = [
            join_ids([a, b]) for a, b in zip(part[f"{later}_sources"], part[f"{earlier}_sources"])
        ]
        ratio["flow"] = f"{later}/{earlier}"
        parts.append(ratio.set_index("flow", append=True))
    if not parts:
        names = [*stage_counts.index.names, "flow"]
        return pd.DataFrame(
            columns=["value", "numerator", "denominator", "kind", "label", "source_ids"],
            index=pd.MultiIndex.from_tuples([], names=names),
        )
    out = pd.concat(parts).sort_index(key=_pipeline_order)
    out.attrs = {}
    return out


def sizes_by_stage(
    facts: pd.DataFrame,
    scope: str | Sequence[str] = ("province", "city"),
    *,
    index: Sequence[str] = DEFAULT_INDEX,
) -> pd.DataFrame:
    """Average project size per stage list, where projects and investment are both printed.

    .. math::

        \\bar I_{r,g,s} = \\frac{I_{r,g,s}}{N_{r,g,s}}

    for round r, place g and stage s, with :func:`zonestudy.metrics.average_size`; I and N come
    from :func:`stage_table` for the same round, scope and place, so a size is never formed from
    figures of different lists.

    Parameters
    ----------
    facts : DataFrame
        The clean ``campaign_facts`` table (see :func:`stage_table`).
    scope : str or sequence of str
        Scopes to include (default province and city).
    index : sequence of str
        Row keys, as in :func:`stage_table`.

    Returns
    -------
    DataFrame
        Indexed by ``index`` plus ``stage`` (in pipeline order within each row). Columns
        ``scope``, ``projects``, ``investment_cny`` (yuan), ``average_size_cny`` (yuan per
        project), ``source_ids`` (sources of both figures). Divide by 1e8 for 亿元.

    References
    ----------
    metrics_spec §1.3 worked example (临猗: 78.34 亿元 over 39 projects, mean 2.01 亿元).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "fact_id": ["F1", "F2", "F3"], "source_id": "S1", "scope": "city",
    ...     "year": 2023, "round_no": 4, "geography": "晋城市",
    ...     "stage": ["sign", "sign", "start"],
    ...     "measure": ["projects", "investment", "projects"], "breakdown": "none",
    ...     "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
    ...     "value_count": [19.0, np.nan, 17.0], "value_cny": [np.nan, 57.11e8, np.nan]})
    >>> s = sizes_by_stage(facts)
    >>> (s["average_size_cny"] / 1e8).round(4).tolist()  # 57.11 亿元 / 19 projects
    [3.0058]
    """
    keys = list(index)
    counts = stage_table(facts, "projects", scope, index=keys)
    money = stage_table(facts, "investment", scope, index=keys)
    columns = ["scope", "projects", "investment_cny", "average_size_cny", "source_ids"]
    common = counts.index.intersection(money.index)
    parts = []
    for stage in STAGES:
        n = counts.loc[common, stage]
        inv = money.loc[common, stage]
        both = n.notna() & inv.notna()
        if not both.any():
            continue
        n, inv = n[both], inv[both]
        part = pd.DataFrame({
            "scope": counts.loc[n.index, "scope"],
            "projects": n,
            "investment_cny": inv,
            "average_size_cny": metrics.average_size(inv, n),
            "source_ids": [
                join_ids([a, b]) for a, b in zip(counts.loc[n.index, f"{stage}_sources"],
                                                  money.loc[n.index, f"{stage}_sources"])
            ],
        })
        part["stage"] = stage
        parts.append(part.set_index("stage", append=True))
    if not parts:
        return pd.DataFrame(
            columns=columns, index=pd.MultiIndex.from_tuples([], names=[*keys, "stage"])
        )
    out = pd.concat(parts).sort_index(key=_pipeline_order)
    return out[columns]


_PERCENT = re.compile(r"^\s*(\d+)(?:\.(\d+))?\s*%\s*$")


def _printed_decimals(text: str) -> int:
    match = _PERCENT.match(str(text))
    if match is None:
        raise ValueError(f"cannot read a percentage from the printed text {text!r}")
    return len(match.group(2) or "")


def published_vs_flow(published_rates: pd.DataFrame) -> pd.DataFrame:
    """Published rates reproduced as cohort rates k/n, beside the flow ratios of the list totals.

    For each published percentage p (printed with d decimals) and its cohort size n:

    1. the numerators k with round(100k/n, d) = p are found with
       :func:`zonestudy.metrics.infer_cohort_numerator` (exact arithmetic, round half up);
    2. if exactly one k fits, the cohort rate k/n is computed with
       :func:`zonestudy.metrics.cohort_rate` and its Wilson 95 % interval;
    3. the flow ratio of the article's list totals, to_list_total ÷ from_list_total, is
       computed with :func:`zonestudy.metrics.flow_ratio`, and checked against p with
       :func:`zonestudy.metrics.reproduces`.

    Parameters
    ----------
    published_rates : DataFrame
        The raw ``published_rates`` table: ``rate_id``, ``source_id``, ``geography``,
        ``period``, ``rate_name``, ``value_text`` (e.g. ``"58.82%"``), ``value`` (percent),
        ``cohort``, ``cohort_size``, ``stage_reached``, ``reached`` (the transcriber's
        numerator, may be empty), ``from_list_total``, ``to_list_total``; optional ``basis``:
        only rates on the basis ``projects`` (counts) are read here — rates of amounts (e.g.
        达效率, ``basis == "annual_output"``) are reproduced by :func:`published_amount_rates`.

    Returns
    -------
    DataFrame
        Indexed by ``rate_id``. Columns ``source_id``, ``geography``, ``rate_name``,
        ``published_pct``, ``decimals``, ``cohort``, ``cohort_size``, ``candidates``
        (all fitting k, ``;``-joined), ``numerator`` (the unique k, else missing),
        ``matches_transcribed`` (k equals ``reached``), ``cohort_rate``, ``ci_low``,
        ``ci_high`` (proportions), ``cohort_reproduces``, ``flow_numerator``,
        ``flow_denominator``, ``flow_ratio`` (proportion, may exceed 1),
        ``flow_reproduces``, ``gap_pts`` (flow ratio − cohort rate, percentage points).

    Raises
    ------
    ValueError
        If ``value_text`` is not a percentage or a count is invalid.

    References
    ----------
    metrics_spec §0 (Taiyuan: 58.82 % = 40/68 and 29.82 % = 17/57 reproduce only as cohort
    rates; the flow ratios 57/68 and 41/57 are 83.8 % and 71.9 %).

    Examples
    --------
    >>> rates = pd.DataFrame({
    ...     "rate_id": ["R1"], "source_id": ["S1"], "geography": ["太原市开发区"],
    ...     "period": ["four rounds"], "rate_name": ["开工率"], "value_text": ["58.82%"],
    ...     "value": [58.82], "cohort": ["signed"], "cohort_size": [68],
    ...     "stage_reached": ["started"], "reached": [40], "from_list_total": [68],
    ...     "to_list_total": [57]})
    >>> t = published_vs_flow(rates)
    >>> r = t.loc["R1"]
    >>> int(r["numerator"]), bool(r["cohort_reproduces"]), bool(r["flow_reproduces"])
    (40, True, False)
    >>> round(100 * float(r["flow_ratio"]), 2), round(float(r["gap_pts"]), 2)
    (83.82, 25.0)
    """
    check_columns(
        published_rates,
        ["rate_id", "source_id", "geography", "rate_name", "value_text", "value", "cohort",
         "cohort_size", "reached", "from_list_total", "to_list_total"],
        "published_rates",
    )
    if "basis" in published_rates.columns:
        published_rates = published_rates[published_rates["basis"].fillna("projects") == "projects"]
    records = []
    for row in published_rates.sort_values("rate_id").itertuples(index=False):
        decimals = _printed_decimals(row.value_text)
        n = int(row.cohort_size)
        fits = metrics.infer_cohort_numerator(row.value, n, decimals)
        record: dict[str, Any] = {
            "rate_id": row.rate_id, "source_id": row.source_id, "geography": row.geography,
            "rate_name": row.rate_name, "published_pct": float(row.value), "decimals": decimals,
            "cohort": row.cohort, "cohort_size": n,
            "candidates": ";".join(str(k) for k in fits),
            "numerator": fits[0] if len(fits) == 1 else pd.NA,
        }
        if len(fits) == 1:
            cohort = metrics.cohort_rate(fits[0], n).iloc[0]
            record.update(
                matches_transcribed=bool(pd.notna(row.reached) and int(row.reached) == fits[0]),
                cohort_rate=float(cohort["value"]), ci_low=float(cohort["ci_low"]),
                ci_high=float(cohort["ci_high"]),
                cohort_reproduces=metrics.reproduces(row.value, fits[0], n, decimals),
            )
        else:
            record.update(matches_transcribed=False, cohort_rate=np.nan, ci_low=np.nan,
                          ci_high=np.nan, cohort_reproduces=False)
        flow = metrics.flow_ratio(int(row.to_list_total), int(row.from_list_total)).iloc[0]
        record.update(
            flow_numerator=int(flow["numerator"]), flow_denominator=int(flow["denominator"]),
            flow_ratio=float(flow["value"]),
            flow_reproduces=metrics.reproduces(
                row.value, int(row.to_list_total), int(row.from_list_total), decimals),
        )
        record["gap_pts"] = 100 * (record["flow_ratio"] - record["cohort_rate"])
        records.append(record)
    out = pd.DataFrame.from_records(records).set_index("rate_id")
    out["numerator"] = out["numerator"].astype("Int64")
    return out


def published_amount_rates(published_rates: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    r"""Published rates of amounts (e.g. 达效率) reproduced from the printed amounts.

    For a rate with ``basis`` other than ``projects``, the numerator and denominator are the
    amounts of the campaign facts ``numerator_fact_id`` and ``denominator_fact_id`` (``value_cny``,
    yuan). Each printed amount :math:`a` is known only to its printed resolution :math:`r`
    (:func:`zonestudy.study.structure.printed_resolution`: 301.7亿元 lies in [301.65, 301.75)亿元), so

    .. math::

        q = \frac{a_n}{a_d}, \qquad
        q_{\min} = \frac{a_n - r_n/2}{a_d + r_d/2}, \qquad
        q_{\max} = \frac{a_n + r_n/2}{a_d - r_d/2},

    and the published percentage :math:`p` (printed with :math:`d` decimals) *reproduces* when
    some :math:`q \in [q_{\min}, q_{\max}]` rounds to :math:`p`, i.e. when
    :math:`[q_{\min}, q_{\max}]` meets :math:`[p - h, p + h)` with :math:`h = \tfrac12 10^{-d}`
    (in percent).

    Parameters
    ----------
    published_rates : DataFrame
        The raw ``published_rates`` table (``rate_id``, ``source_id``, ``geography``,
        ``rate_name``, ``value_text``, ``value``, ``basis``, ``numerator_fact_id``,
        ``denominator_fact_id``).
    facts : DataFrame
        Clean campaign facts (``fact_id``, ``value_text``, ``value_cny``).

    Returns
    -------
    DataFrame
        Indexed by ``rate_id``: ``source_id``, ``geography``, ``rate_name``, ``basis``,
        ``published_pct``, ``numerator_fact_id``, ``denominator_fact_id``, ``numerator_cny``,
        ``denominator_cny``, ``ratio_pct`` (at face value), ``ratio_low_pct``,
        ``ratio_high_pct`` (the range the printed rounding allows) and ``reproduces``.

    Raises
    ------
    ValueError
        If a fact id is unknown or its amount is missing.

    Examples
    --------
    >>> rates = pd.DataFrame({"rate_id": ["R3"], "source_id": ["S1"], "geography": ["太原市开发区"],
    ...     "rate_name": ["达效率"], "value_text": ["72.17%"], "value": [72.17], "basis": ["annual_output"],
    ...     "numerator_fact_id": ["F12"], "denominator_fact_id": ["F13"]})
    >>> facts = pd.DataFrame({"fact_id": ["F12", "F13"], "value_text": ["301.7亿元", "418.12亿元"],
    ...                       "value_cny": [301.7e8, 418.12e8]})
    >>> r = published_amount_rates(rates, facts).loc["R3"]
    >>> round(float(r["ratio_pct"]), 2), round(float(r["ratio_high_pct"]), 3), bool(r["reproduces"])
    (72.16, 72.169, True)
    """
    from zonestudy.study.structure import printed_resolution

    check_columns(published_rates, ["rate_id", "source_id", "geography", "rate_name", "value_text",
                                     "value", "basis", "numerator_fact_id", "denominator_fact_id"],
                   "published_rates")
    check_columns(facts, ["fact_id", "value_text", "value_cny"], "facts")
    amounts = facts.set_index("fact_id")
    columns = ["rate_id", "source_id", "geography", "rate_name", "basis", "published_pct",
               "numerator_fact_id", "denominator_fact_id", "numerator_cny", "denominator_cny",
               "ratio_pct", "ratio_low_pct", "ratio_high_pct", "reproduces"]
    records = []
    for row in published_rates[published_rates["basis"] != "projects"].sort_values("rate_id").itertuples(index=False):
        decimals = _printed_decimals(row.value_text)
        ends = []
        for fact_id in (row.numerator_fact_id, row.denominator_fact_id):
            if not isinstance(fact_id, str) or fact_id not in amounts.index or pd.isna(amounts.loc[fact_id, "value_cny"]):
                raise ValueError(f"published rate {row.rate_id}: fact {fact_id!r} has no amount in yuan")
            value = float(amounts.loc[fact_id, "value_cny"])
            ends.append((value, printed_resolution(amounts.loc[fact_id, "value_text"], value) / 2))
        (num, hn), (den, hd) = ends
        low, high = 100 * (num - hn) / (den + hd), 100 * (num + hn) / (den - hd)
        half = 0.5 * 10.0 ** (-decimals)
        records.append({
            "rate_id": row.rate_id, "source_id": row.source_id, "geography": row.geography,
            "rate_name": row.rate_name, "basis": row.basis, "published_pct": float(row.value),
            "numerator_fact_id": row.numerator_fact_id, "denominator_fact_id": row.denominator_fact_id,
            "numerator_cny": num, "denominator_cny": den, "ratio_pct": 100 * num / den,
            "ratio_low_pct": low, "ratio_high_pct": high,
            "reproduces": bool(low < float(row.value) + half and high >= float(row.value) - half),
        })
    return pd.DataFrame.from_records(records, columns=columns).set_index("rate_id")


_PAIR_KINDS = ("cohort", "flow", "none")


def _one_count(facts: pd.DataFrame, zone: str, subject: str) -> pd.Series:
    rows = facts[(facts["zone"] == zone) & (facts["subject"] == subject)]
    rows = rows[rows["value_count"].notna()]
    if len(rows) != 1:
        raise ValueError(
            f"expected one counted fact for zone {zone!r}, subject {subject!r}; "
            f"found {len(rows)}: {rows['fact_id'].tolist()}"
        )
    return rows.iloc[0]


def count_pairs() -> pd.DataFrame:
    """The zone-level count pairs of the 科学导报 page and the kind of ratio each forms.

    Read from ``data/reference/count_pairs.csv`` (compiled by the project from the page's wording;
    declared in ``data/reference/datapackage.json``): one row per pair with ``zone``, ``numerator``
    and ``denominator`` (printed subjects of ``article_facts``), ``kind`` (``cohort``, ``flow`` or
    ``none``) and ``population`` (what the denominator counts). Pass it to :func:`count_pair_rates`.

    Examples
    --------
    >>> sorted(count_pairs()["kind"].unique())
    ['cohort', 'none']
    """
    return reference.load("count_pairs")


def count_pair_rates(article_facts: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Turn count pairs printed for one zone into a rate only where the pair forms one.

    Each pair names a zone, a numerator subject and a denominator subject of the clean
    ``article_facts`` table, and the caller's judgement of what the pair is:

    * ``"cohort"`` — the numerator's projects are a subset of the denominator's (e.g. 2 of
      the 39 key projects built and in production): k/n with
      :func:`zonestudy.metrics.cohort_rate` and a Wilson 95 % interval;
    * ``"flow"`` — two lists of the same period, different projects:
      :func:`zonestudy.metrics.flow_ratio`, no interval;
    * ``"none"`` — neither: the two counts are shown side by side and no ratio is formed.

    Parameters
    ----------
    article_facts : DataFrame
        Clean ``article_facts``: ``fact_id``, ``source_id``, ``zone``, ``subject``,
        ``value_count``, ``qualifier``, ``period``.
    pairs : DataFrame
        Columns ``zone``, ``numerator`` and ``denominator`` (subjects as printed in
        ``article_facts``), ``kind`` (cohort/flow/none) and ``population`` (a description of
        the denominator, kept in the output).

    Returns
    -------
    DataFrame
        One row per pair: ``zone``, ``kind``, ``population``, ``numerator_subject``,
        ``numerator``, ``numerator_fact``, ``denominator_subject``, ``denominator``,
        ``denominator_fact``, ``value`` (proportion; missing for ``"none"``), ``ci_low``,
        ``ci_high`` (cohort only), ``qualifiers``, ``periods`` and ``source_ids``.

    Raises
    ------
    ValueError
        If a subject does not match exactly one counted fact of its zone, a kind is unknown,
        or the counts are invalid for the kind (e.g. k > n for a cohort).

    References
    ----------
    metrics_spec §1.3 worked example: 临猗 2/39 = 5.1 %, Wilson 1.4 %–16.9 %; the 39 are a
    work list (continuing projects included), not a signing cohort.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "fact_id": ["A1", "A2"], "source_id": "K1", "zone": "临猗现代农业产业示范区",
    ...     "subject": ["承担重点项目数", "已建成投产项目数"], "value_count": [39.0, 2.0],
    ...     "qualifier": "exact", "period": ["2024年", "截至2024年8月"]})
    >>> pairs = pd.DataFrame({"zone": ["临猗现代农业产业示范区"], "numerator": ["已建成投产项目数"],
    ...                       "denominator": ["承担重点项目数"], "kind": ["cohort"],
    ...                       "population": ["key-project work list"]})
    >>> r = count_pair_rates(facts, pairs)
    >>> r[["numerator", "denominator"]].values.tolist(), r[["value", "ci_low", "ci_high"]].round(3).values.tolist()
    ([[2, 39]], [[0.051, 0.014, 0.169]])
    """
    check_columns(article_facts, ["fact_id", "source_id", "zone", "subject", "value_count",
                                   "qualifier", "period"], "article_facts")
    check_columns(pairs, ["zone", "numerator", "denominator", "kind", "population"], "pairs")
    records = []
    for pair in pairs.itertuples(index=False):
        if pair.kind not in _PAIR_KINDS:
            raise ValueError(f"kind must be one of {_PAIR_KINDS}, got {pair.kind!r}")
        num = _one_count(article_facts, pair.zone, pair.numerator)
        den = _one_count(article_facts, pair.zone, pair.denominator)
        k, n = int(num["value_count"]), int(den["value_count"])
        value = low = high = np.nan
        if pair.kind == "cohort":
            rate = metrics.cohort_rate(k, n).iloc[0]
            value, low, high = float(rate["value"]), float(rate["ci_low"]), float(rate["ci_high"])
        elif pair.kind == "flow":
            value = float(metrics.flow_ratio(k, n)["value"].iloc[0])
        records.append({
            "zone": pair.zone, "kind": pair.kind, "population": pair.population,
            "numerator_subject": pair.numerator, "numerator": k, "numerator_fact": num["fact_id"],
            "denominator_subject": pair.denominator, "denominator": n,
            "denominator_fact": den["fact_id"], "value": value, "ci_low": low, "ci_high": high,
            "qualifiers": join_ids([num["qualifier"], den["qualifier"]]),
            "periods": " / ".join([str(num["period"]), str(den["period"])]),
            "source_ids": join_ids([num["source_id"], den["source_id"]]),
        })
    return pd.DataFrame.from_records(records)


# --- figures ------------------------------------------------------------------------------------


def _stage_colours() -> dict[str, Any]:
    import seaborn as sns

    palette = sns.color_palette("colorblind")
    return {stage: palette[i] for i, stage in enumerate(STAGES)}


def plot_stage_rounds(
    tables: Sequence[pd.DataFrame],
    rounds: Sequence[tuple[int, int]],
    *,
    ylabels: Sequence[str],
    scales: Sequence[float] | None = None,
    lang: str = "en",
) -> Any:
    """Grouped bars per round (one bar per stage), one panel per table, gaps shown as gaps.

    Every round in ``rounds`` gets a slot, whether or not the table has a row for it. A round
    the table has no row for is shaded and labelled "no source"; a stage missing from a printed
    round gets no bar and a small "n.p." (not printed), so no mark reads like a value.

    Parameters
    ----------
    tables : sequence of DataFrame
        :func:`stage_table` outputs for a single place each (one panel per table).
    rounds : sequence of (year, round_no)
        The round slots on the x axis, in order.
    ylabels : sequence of {"projects", "investment"}
        Key of each panel's y-axis label (units included).
    scales : sequence of float, optional
        Divisor of each table's values (1e8 turns yuan into 亿元); default 1.
    lang : {"en", "zh"}
        Language of the text (use the value returned by ``figures.paper_style``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"sign": [413.0], "start": [268.0], "produce": [np.nan]},
    ...                  index=pd.MultiIndex.from_tuples([(2021, 1, "山西省")],
    ...                                                  names=list(DEFAULT_INDEX)))
    >>> fig = plot_stage_rounds([t], [(2021, 1), (2021, 2)], ylabels=["projects"])
    >>> [float(b.get_height()) for c in fig.axes[0].containers for b in c]
    [413.0, 268.0]
    >>> [t.get_text() for t in fig.axes[0].texts]  # bar labels; 2021-1 lacks produce, 2021-2 all
    ['no source', '413', '268', 'n.p.']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if len(tables) != len(ylabels):
        raise ValueError("give one y label per table")
    scales = [1.0] * len(tables) if scales is None else list(scales)
    colours = _stage_colours()
    fig, axes = plt.subplots(len(tables), 1, sharex=True, squeeze=False,
                             figsize=(6.5, 2.4 * len(tables) + 0.8))
    width = 0.26
    x = np.arange(len(rounds))
    for ax, table, key, scale in zip(axes[:, 0], tables, ylabels, scales):
        places = table.index.get_level_values("geography").unique()
        if len(places) > 1:
            raise ValueError(f"one place per table, got {list(places)}")
        by_round = table.droplevel("geography") if len(places) else table
        top = np.nanmax(by_round[list(STAGES)].to_numpy(dtype=float)) / scale if len(by_round) else 1
        covered = set(by_round.index) if len(by_round) else set()
        for i, rnd in enumerate(rounds):  # a round no source prints: a shaded gap, not a mark
            if rnd not in covered:
                ax.axvspan(x[i] - 0.45, x[i] + 0.45, color="0.92", zorder=0, linewidth=0)
                ax.text(x[i], 0.5 * top, _word("no_figure", lang), rotation=90, ha="center",
                        va="center", fontsize=6.5, color="0.45")
        for j, stage in enumerate(STAGES):
            offset = (j - 1) * width
            for i, rnd in enumerate(rounds):
                value = by_round[stage].get(rnd, np.nan) if len(by_round) else np.nan
                if pd.isna(value):
                    if rnd in covered:  # the round is printed, this list is not
                        ax.text(x[i] + offset, 0.02 * top, "n.p.", ha="center", va="bottom",
                                color="0.45", fontsize=5, rotation=90)
                    continue
                bar = ax.bar(x[i] + offset, value / scale, width, color=colours[stage],
                             label=figures.label(stage, lang) if i == 0 else None)
                ax.bar_label(bar, fmt="%.0f", fontsize=6, padding=1)
        handles = [plt.Rectangle((0, 0), 1, 1, color=colours[s]) for s in STAGES]
        names = [figures.label(s, lang) for s in STAGES]
        handles.append(plt.Rectangle((0, 0), 1, 1, color="0.92"))
        names.append(_word("no_figure_legend", lang))
        ax.legend(handles, names, fontsize=7, ncols=4, loc="upper left", frameon=False)
        ax.set_ylim(0, top * 1.3)
        ax.set_ylabel(_word(key, lang))
    axes[-1, 0].set_xticks(x, [round_label(y, r, lang) for y, r in rounds], rotation=30)
    axes[-1, 0].set_xlim(-0.6, len(rounds) - 0.4)
    axes[-1, 0].set_xlabel(_word("round", lang))
    return fig


def plot_stage_sizes(sizes: pd.DataFrame, *, lang: str = "en") -> Any:
    """Investment and average project size per stage, one row per round and place (dot plot).

    Parameters
    ----------
    sizes : DataFrame
        Output of :func:`sizes_by_stage` (index year, round_no, geography, stage).
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the rows: investment (亿元) and average size (亿元), log scales.

    Examples
    --------
    >>> s = pd.DataFrame({"scope": "city", "projects": [19.0, 17.0],
    ...                   "investment_cny": [57.11e8, 43.55e8],
    ...                   "average_size_cny": [57.11e8 / 19, 43.55e8 / 17], "source_ids": "S1"},
    ...                  index=pd.MultiIndex.from_tuples(
    ...                      [(2023, 4, "晋城市", "sign"), (2023, 4, "晋城市", "start")],
    ...                      names=[*DEFAULT_INDEX, "stage"]))
    >>> fig = plot_stage_sizes(s)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['2023-4 Jincheng']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    colours = _stage_colours()
    rows = sizes.index.droplevel("stage").unique().sort_values()
    y = {key: i for i, key in enumerate(rows)}
    fig, axes = plt.subplots(1, 2, sharey=True, figsize=(6.5, 0.28 * len(rows) + 1.6))
    offsets = {s: (j - 1) * 0.18 for j, s in enumerate(STAGES)}
    for ax, column, key in zip(axes, ["investment_cny", "average_size_cny"],
                               ["investment_log", "size_log"]):
        for stage in STAGES:
            part = sizes.xs(stage, level="stage") if stage in sizes.index.get_level_values("stage") else None
            if part is None or part.empty:
                continue
            ax.scatter(part[column] / 1e8, [y[k] + offsets[stage] for k in part.index],
                       color=colours[stage], s=16, label=figures.label(stage, lang), zorder=3)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlabel(_word(key, lang))
        ax.grid(axis="x", which="major", linewidth=0.4, alpha=0.5)
    labels = []
    for year, rnd, place in rows:
        name = place if lang == "zh" else english_name(place)
        labels.append(f"{round_label(year, rnd, lang)} {name}")
    axes[0].set_yticks(range(len(rows)), labels, fontsize=7)
    axes[0].set_ylim(len(rows) - 0.5, -0.5)
    axes[0].set_ylabel(_word("place_row", lang))
    axes[1].legend(fontsize=7, loc="lower right", frameon=False)
    return fig


def plot_flow_ratios(
    province: pd.DataFrame, cities: pd.DataFrame | None = None, *, lang: str = "en"
) -> Any:
    """Flow ratios per round: province values as large markers, city values as small ones.

    Parameters
    ----------
    province : DataFrame
        :func:`round_flow_ratios` of the province table (index year, round_no, geography, flow).
    cities : DataFrame, optional
        :func:`round_flow_ratios` of the city table, drawn as small open markers.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure
        One panel per flow (started ÷ signed, producing ÷ started), a dashed line at 1.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([(2021, 1, "山西省", "start/sign")],
    ...                                 names=[*DEFAULT_INDEX, "flow"])
    >>> p = pd.DataFrame({"value": [268 / 413]}, index=idx)
    >>> fig = plot_flow_ratios(p)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['2021-1']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    frames = [province] + ([cities] if cities is not None else [])
    rounds = sorted({(int(y), int(r)) for f in frames
                     for y, r in zip(f.index.get_level_values("year"),
                                     f.index.get_level_values("round_no"))})
    x = {rnd: i for i, rnd in enumerate(rounds)}
    colours = _stage_colours()
    fig, axes = plt.subplots(1, len(FLOWS), sharey=True, figsize=(6.5, 3.6))
    for ax, (later, earlier) in zip(axes, FLOWS):
        flow = f"{later}/{earlier}"
        colour = colours[later]
        if cities is not None:
            part = cities[cities.index.get_level_values("flow") == flow]
            ax.scatter([x[(int(y), int(r))] for y, r, *_ in part.index], part["value"],
                       s=14, facecolors="none", edgecolors=colour, linewidths=0.8,
                       label=_word("cities", lang), zorder=2)
        part = province[province.index.get_level_values("flow") == flow]
        ax.scatter([x[(int(y), int(r))] for y, r, *_ in part.index], part["value"],
                   s=48, color=colour, marker="D", label=_word("province", lang), zorder=3)
        ax.axhline(1.0, color="0.4", linestyle="--", linewidth=0.8, label=_word("equal", lang))
        ax.set_title(_word(flow, lang), fontsize=9)
        ax.set_xticks(range(len(rounds)), [round_label(y, r, lang) for y, r in rounds],
                      rotation=30)
        ax.set_xlim(-0.6, len(rounds) - 0.4)
        ax.set_xlabel(_word("round", lang))
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    axes[0].set_ylabel(_word("flow", lang))
    axes[0].set_ylim(bottom=0)
    return fig
