"""Investment structure of development-zone campaigns: by stage, city, sector and investor origin.

Four questions, one group of functions each:

* **Stage structure** of Shanxi's "三个一批" rounds (签约一批 sign, 开工一批 start, 投产一批
  produce): :func:`stage_amounts_table` (projects, investment and average project size per stage, one
  row per group and stage, duplicate reports of one figure merged), :func:`stage_shares` (stage
  shares that sum to 1 where all three stages are printed, and an explicit list of the missing
  stages elsewhere), :func:`stage_summary` (project and investment shares side by side) and
  :func:`stage_total_check` (printed all-stage totals against the sum of the stages).
* **Sector structure** of campaign reports: :data:`SECTOR_MAP` (every printed sector name in the
  project's data, mapped to a small set of broad classes), :func:`harmonise_sector`,
  :func:`sector_table` (sector rows against the report's printed total, with the gap reported
  and an explicit "not in the listed sectors" remainder) and :func:`sector_shares` (share vectors
  for :func:`zonestudy.metrics.similarity`).
* **Named projects** (company, investor origin, industry): :func:`origin_province` and
  :func:`project_summary`.
* **Fund partners** of a guidance fund (母基金) signing: :func:`fund_partners`.

The ``plot_*`` functions draw on axes the caller creates (for example with
:func:`zonestudy.figures.paper_style`); they take colours from the active style's colour cycle.
The ``*_figure`` functions lay out the figures of ``notebooks/04_investment_structure.ipynb`` from
them, in English or Chinese, for :func:`zonestudy.figures.save_figure_languages`. Stage words come
from :func:`zonestudy.figures.label`, round labels from :func:`zonestudy.study.vocabulary.round_label`
and id lists from :mod:`zonestudy.sources`.

Units: counts are numbers of projects; money is yuan (``*_cny`` columns); shares are fractions
(0.25 = 25 %). A list's "investment" is the total (planned or contracted) investment of the
projects on that list, as printed — not money spent in the round.

References
----------
``docs/metrics_spec.md`` §0 (a round's stage lists are different projects), §1.1
(intent agreements inflate count-based signing numerators), §4 (structure shares and the
similarity indices; shares must cover the same categories), §5 (guidance funds).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from zonestudy import figures, metrics
from zonestudy.study import reference
from zonestudy.study.pipeline import stage_rows
from zonestudy.study.vocabulary import STAGES, check_columns, check_lang, round_label
from zonestudy.sources import join_ids
from zonestudy.zones import UnknownPlaceError, english_name, normalize_province

__all__ = [
    "ROUND_KEYS",
    "SPLIT_KEYS",
    "MEASURE_COLUMNS",
    "SECTOR_CLASSES",
    "SECTOR_CLASS_ORDER",
    "SECTOR_MAP",
    "REMAINDER",
    "SHARE_STATUSES",
    "PARTNER_KINDS",
    "ORIGIN_PLACES",
    "ARTICLE_INDUSTRIES",
    "FundPartners",
    "stage_amounts_table",
    "stage_shares",
    "stage_total_check",
    "stage_summary",
    "sector_mapping",
    "harmonise_sector",
    "printed_resolution",
    "sector_table",
    "sector_shares",
    "sector_report_table",
    "report_labels",
    "origin_province",
    "project_summary",
    "fund_partners",
    "plot_stage_shares",
    "plot_stage_amounts",
    "plot_named_projects",
    "plot_sector_shares",
    "stage_shares_figure",
    "stage_amounts_figure",
    "named_projects_figure",
    "sector_shares_figure",
]

# --- constants ---------------------------------------------------------------------------------

ROUND_KEYS: tuple[str, ...] = ("scope", "year", "round_no", "geography")
"""Columns that identify one round's report for one place (default grouping of the stage
functions)."""

SPLIT_KEYS: tuple[str, ...] = ("source_id", "scope", "geography", "stage")
"""Columns that identify one sector split: one source, one place, one stage list."""

MEASURE_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "projects": ("value_count", "projects"),
    "investment": ("value_cny", "investment_cny"),
    "annual_output": ("value_cny", "annual_output_cny"),
})
"""``measure`` → (value column of ``campaign_facts``, column name in the stage tables)."""

SECTOR_CLASSES: Mapping[str, Mapping[str, str]] = reference.LazyMapping(
    lambda: {row.sector_class: MappingProxyType({"en": row.en, "zh": row.zh})
             for row in reference.load("sector_classes").itertuples()})
"""Broad sector classes with English and Chinese labels (``data/reference/sector_classes.csv``).

``other`` holds the printed category 其他 and categories that span two or more classes;
``unlisted`` is never printed: it is the remainder :func:`sector_table` adds when a report's
listed sectors do not add up to its printed total."""

SECTOR_CLASS_ORDER: Sequence[str] = reference.LazySequence(lambda: tuple(SECTOR_CLASSES))
"""Fixed order of the classes (use it as the category list when comparing reports)."""

REMAINDER = "not in the listed sectors"
"""``category`` of the remainder row added by :func:`sector_table` (class ``unlisted``)."""

SECTOR_MAP: Mapping[str, str] = reference.LazyMapping(
    lambda: dict(reference.load("sector_map")[["printed", "sector_class"]].itertuples(index=False)))
"""Printed sector name → broad class (a key of :data:`SECTOR_CLASSES`); ``data/reference/sector_map.csv``.

The names are exactly as printed. Choices that are not obvious, each with a note in
:func:`sector_mapping`: strategic emerging industries are folded into ``industry`` because most
reports count them inside their industrial category (several print them as a subset of it);
agro-processing stays with ``agriculture``; new (digital) infrastructure is ``infrastructure``;
categories that span classes are ``other``."""

SHARE_STATUSES: tuple[str, ...] = ("complete", "rounding", "remainder")
"""Statuses of :func:`sector_table` whose reports have shares of a known whole."""

PARTNER_KINDS: Mapping[str, str] = reference.LazyMapping(
    lambda: dict(reference.load("partner_kinds")[["printed", "en"]].itertuples(index=False)))
"""English names of the partner kinds printed on the 科学导报 page's fund signing
(``data/reference/partner_kinds.csv``)."""

ORIGIN_PLACES: Mapping[str, str] = reference.LazyMapping(
    lambda: dict(reference.load("origin_places")[["printed", "province"]].itertuples(index=False)))
"""Cities printed as an investor's origin → their province (provinces are recognised by
:func:`zonestudy.zones.normalize_province`); ``data/reference/origin_places.csv``."""

ARTICLE_INDUSTRIES: Mapping[str, Mapping[str, str]] = reference.LazyMapping(
    lambda: {row.printed: MappingProxyType({"en": row.en, "zh": row.printed})
             for row in reference.load("article_industries").itertuples()})
"""Labels of the industries assigned by the transcriber to the 科学导报 page's projects
(``data/reference/article_industries.csv``)."""

_MAX_LISTED = 10

_WORDS: Mapping[str, Mapping[str, str]] = reference.LazyMapping(lambda: reference.words("structure"))
"""Words of this module's figures (``data/reference/figure_words.csv``, module ``structure``)."""


def _word(key: str, lang: str) -> str:
    """:func:`zonestudy.figures.label` with this module's words."""
    return figures.label(key, lang, labels=_WORDS)


# --- helpers ------------------------------------------------------------------------------------


def _figure_legend(*axes: Any, ncols: int | None = 3, fontsize: float = 7) -> None:
    """One legend above the whole figure (outside the axes, kept clear by constrained layout).

    It lists the entries of the first axes, then those of the other axes whose label is not yet
    listed; ``ncols=None`` puts every entry on one row.
    """
    handles, texts = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:
        for handle, text in zip(*ax.get_legend_handles_labels()):
            if text not in texts:
                handles.append(handle)
                texts.append(text)
    axes[0].get_figure().legend(handles, texts, loc="outside upper center",
                                ncols=len(texts) if ncols is None else ncols, frameon=False,
                                fontsize=fontsize)


def _palette() -> list[str]:
    import matplotlib as mpl

    return list(mpl.rcParams["axes.prop_cycle"].by_key()["color"])


def _stacked_bars(n: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Set-up of ``n`` horizontal stacked bars: the style's colours, the bars' y positions (the
    first bar on top) and their left edges (all 0 before the first segment)."""
    return _palette(), np.arange(n)[::-1], np.zeros(n)


def _share_axes(ax: Any, y: np.ndarray, labels: Sequence[str], xlabel: str, ylabel: str) -> None:
    """Row labels at ``y`` and an x axis of shares from 0 to 1, ticked in per cent."""
    ax.set_yticks(y, labels=list(labels))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _measure_title(ax: Any, measure: str, lang: str) -> None:
    """Title of a panel: the measure's label without its unit ("Investment", not "… (CNY …)")."""
    ax.set_title(figures.label(measure, lang).split("(")[0].strip(), fontsize=8)


# --- stage structure ----------------------------------------------------------------------------


def stage_amounts_table(
    facts: pd.DataFrame,
    by: Sequence[str] = ROUND_KEYS,
    measures: Sequence[str] = ("projects", "investment"),
) -> pd.DataFrame:
    r"""Projects, investment and average project size per stage list, one row per group × stage.

    .. math::

        \bar I_{gs} = \frac{I_{gs}}{N_{gs}}

    where :math:`N_{gs}` is the number of projects on stage list :math:`s` (sign, start,
    produce) of group :math:`g` and :math:`I_{gs}` their printed total investment. The average
    is computed only where both are printed (:func:`zonestudy.metrics.average_size`).

    The same figure is often printed by several sources (the 2021 round 1 province totals by
    four); such rows are merged into one, keeping every ``source_id`` and ``fact_id``. Rows of
    one group, stage and measure that disagree raise an error instead of being averaged.

    Parameters
    ----------
    facts : pandas.DataFrame
        Rows of ``campaign_facts`` (columns ``stage``, ``measure``, ``value_count``,
        ``value_cny``, ``parsed``, ``breakdown``, ``overlaps_main_split``, ``source_id``,
        ``fact_id`` and the ``by`` columns). Only whole stage lists are used
        (:func:`zonestudy.study.pipeline.stage_rows`: no ``all`` totals, no sector or other split, no
        row flagged as a subset or alternative grouping); rows of other measures are ignored; the ``by`` columns must be filled for the
        rest (select numbered rounds first, e.g. ``facts[facts["round_no"].notna()]``).
    by : sequence of str, default :data:`ROUND_KEYS`
        Columns that identify a group.
    measures : sequence of str, default ("projects", "investment")
        Keys of :data:`MEASURE_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``stage`` (ordered sign, start, produce), one column per measure
        (``projects`` as a float count, ``investment_cny`` and ``annual_output_cny`` in yuan;
        NaN where not printed), ``average_size_cny`` (yuan per project, when both projects and
        investment are asked for), ``source_ids`` and ``fact_ids`` (';'-joined). Stage lists
        with no figure printed have no row.

    Raises
    ------
    ValueError
        For missing columns, an unknown measure, missing ``by`` values or conflicting figures.

    References
    ----------
    metrics_spec §0 (the three lists of a round are different projects) and §1.3 (average size).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "scope": "city", "year": 2023, "round_no": 4, "geography": "晋城市",
    ...     "stage": ["sign", "sign", "start", "all"],
    ...     "measure": ["projects", "investment", "projects", "projects"],
    ...     "value_count": [19, None, 17, 48], "value_cny": [None, 57.11e8, None, None],
    ...     "parsed": True, "breakdown": "none", "overlaps_main_split": False,
    ...     "source_id": "SX-S001", "fact_id": ["F1", "F2", "F3", "F4"]})
    >>> t = stage_amounts_table(facts)
    >>> t[["stage", "projects", "investment_cny", "average_size_cny"]]
       stage  projects  investment_cny  average_size_cny
    0   sign      19.0    5.711000e+09      3.005789e+08
    1  start      17.0             NaN               NaN
    """
    by = list(by)
    unknown = [m for m in measures if m not in MEASURE_COLUMNS]
    if unknown or not measures:
        raise ValueError(f"measures must be among {list(MEASURE_COLUMNS)}, got {list(measures)}")
    check_columns(facts, [*by, "stage", "measure", "value_count", "value_cny", "parsed",
                           "breakdown", "overlaps_main_split", "source_id", "fact_id"], "facts")
    rows = stage_rows(facts, measures)
    na_keys = rows[by].isna().any(axis=1)
    if na_keys.any():
        raise ValueError(
            f"rows with missing {by} values: {list(rows.loc[na_keys, 'fact_id'])[:_MAX_LISTED]}; "
            "select the rows with a complete key first")
    rows["_value"] = np.where(rows["measure"] == "projects", rows["value_count"],
                              rows["value_cny"]).astype(float)
    rows = rows[rows["_value"].notna()]
    keys = [*by, "stage", "measure"]
    spread = rows.groupby(keys, sort=True)["_value"].agg(["min", "max"])
    conflicts = spread[~np.isclose(spread["min"], spread["max"], rtol=1e-9, atol=0)]
    if len(conflicts):
        raise ValueError(f"conflicting figures for {list(conflicts.index)[:_MAX_LISTED]}")
    merged = rows.groupby(keys, sort=True).agg(
        value=("_value", "first"), source_ids=("source_id", join_ids), fact_ids=("fact_id", join_ids))
    wide = merged["value"].unstack("measure")
    wide = wide.reindex(columns=list(measures))
    wide.columns = [MEASURE_COLUMNS[m][1] for m in measures]
    ids = merged.groupby([*by, "stage"], sort=True).agg(
        source_ids=("source_ids", join_ids), fact_ids=("fact_ids", join_ids))
    out = wide.join(ids).reset_index()
    if {"projects", "investment"} <= set(measures):
        both = out["projects"].notna() & out["investment_cny"].notna()
        out["average_size_cny"] = np.nan
        if both.any():
            out.loc[both, "average_size_cny"] = metrics.average_size(
                out.loc[both, "investment_cny"], out.loc[both, "projects"]).to_numpy()
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    out = out.sort_values([*by, "stage"], kind="mergesort").reset_index(drop=True)
    cols = [*by, "stage", *wide.columns]
    if "average_size_cny" in out:
        cols.append("average_size_cny")
    return out[[*cols, "source_ids", "fact_ids"]]


def stage_shares(
    facts: pd.DataFrame,
    measure: str = "projects",
    by: Sequence[str] = ROUND_KEYS,
) -> pd.DataFrame:
    r"""Stage shares of projects or investment within each group, where all three are printed.

    .. math::

        s_{gs} = \frac{x_{gs}}{x_{g,\mathrm{sign}} + x_{g,\mathrm{start}} + x_{g,\mathrm{produce}}}

    with :math:`x_{gs}` the number of projects (or their investment, yuan) on stage list
    :math:`s` of group :math:`g`, computed with :func:`zonestudy.metrics.structure_shares`. The
    three lists of a round hold different projects (metrics_spec §0), so a share describes the
    round's activity mix, not a conversion rate. Groups with a stage missing get no shares
    (NaN): a missing stage is not printed, not zero, and ``missing`` names it.

    Parameters
    ----------
    facts : pandas.DataFrame
        ``campaign_facts`` rows, as for :func:`stage_amounts_table`.
    measure : {"projects", "investment", "annual_output"}
    by : sequence of str, default :data:`ROUND_KEYS`

    Returns
    -------
    pandas.DataFrame
        One row per group with any stage printed: the ``by`` columns, ``sign``, ``start``,
        ``produce`` (shares 0–1 summing to 1, or NaN), ``total_projects`` /
        ``total_investment_cny`` (sum over the three stages; NaN when incomplete),
        ``stages_printed`` and ``missing`` (comma-separated stage names, "" when complete) and
        ``source_ids``.

    References
    ----------
    metrics_spec §0 and §4 (notation :math:`s_{ik}`).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "scope": "province", "year": 2023, "round_no": [4, 4, 4, 3, 3],
    ...     "geography": "山西省", "stage": ["sign", "start", "produce", "sign", "start"],
    ...     "measure": "projects", "value_count": [233, 225, 225, 263, 231],
    ...     "value_cny": None, "parsed": True, "breakdown": "none", "overlaps_main_split": False,
    ...     "source_id": "S", "fact_id": list("abcde")})
    >>> s = stage_shares(facts)
    >>> s[["round_no", "sign", "start", "produce"]].round(3)
       round_no   sign  start  produce
    0         3    NaN    NaN      NaN
    1         4  0.341  0.329    0.329
    >>> s["missing"].tolist()
    ['produce', '']
    """
    by = list(by)
    if measure not in MEASURE_COLUMNS:
        raise ValueError(f"measure must be one of {list(MEASURE_COLUMNS)}, got {measure!r}")
    column = MEASURE_COLUMNS[measure][1]
    table = stage_amounts_table(facts, by, (measure,))
    table = table[table[column].notna()]
    if table.empty:
        raise ValueError(f"no {measure!r} figures for the stages {STAGES}")
    table = table.assign(stage=table["stage"].astype(str))
    grouped = table.groupby(by, sort=True)
    printed = grouped["stage"].agg(lambda s: [st for st in STAGES if st in set(s)])
    complete_keys = printed[printed.map(len) == len(STAGES)].index
    info = pd.DataFrame({
        "stages_printed": printed.map(", ".join),
        "missing": printed.map(lambda p: ", ".join(st for st in STAGES if st not in p)),
        "source_ids": grouped["source_ids"].agg(join_ids),
    })
    shares = pd.DataFrame(np.nan, index=printed.index, columns=list(STAGES))
    totals = pd.Series(np.nan, index=printed.index, name=f"total_{column}")
    if len(complete_keys):
        index = table.set_index(by).index
        rows = table[index.isin(complete_keys)]
        computed = metrics.structure_shares(rows, by, "stage", weight=column,
                                            categories=list(STAGES))
        shares.loc[computed.index, list(STAGES)] = computed.to_numpy()
        totals.loc[computed.index] = rows.groupby(by, sort=True)[column].sum().loc[
            computed.index].to_numpy()
    out = pd.concat([shares, totals, info], axis=1).reset_index()
    out.columns.name = None
    out.attrs = {"measure": measure,
                 "definition": f"stage shares of {column} among the three stage lists"}
    return out


def stage_total_check(
    facts: pd.DataFrame,
    by: Sequence[str] = ROUND_KEYS,
    measures: Sequence[str] = ("projects", "investment"),
) -> pd.DataFrame:
    r"""Compare printed all-stage totals (``stage == "all"``) with the sum of the three stages.

    .. math::

        \mathrm{gap}_g = x_{g,\mathrm{all}} - \sum_{s} x_{gs}

    ``all`` rows are totals over the three stage lists and must never be added to them; this
    check shows whether a source's total is the plain sum of its stage figures (a project on two
    lists would make the sum exceed the number of distinct projects).

    Parameters
    ----------
    facts : pandas.DataFrame
        ``campaign_facts`` rows (as for :func:`stage_amounts_table`, including the ``all`` rows).
    by : sequence of str, default :data:`ROUND_KEYS`
    measures : sequence of str, default ("projects", "investment")

    Returns
    -------
    pandas.DataFrame
        One row per group and measure with a printed total and all three stages printed: the
        ``by`` columns, ``measure``, ``printed_total``, ``stage_sum``, ``gap`` (projects or
        yuan) and ``fact_id`` of the total.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "scope": "city", "year": 2023, "round_no": 4, "geography": "大同市",
    ...     "stage": ["all", "sign", "start", "produce"], "measure": "projects",
    ...     "value_count": [58, 20, 19, 19], "value_cny": None, "parsed": True,
    ...     "breakdown": "none", "overlaps_main_split": False,
    ...     "source_id": "SX-S001", "fact_id": ["F4", "F7", "F8", "F9"]})
    >>> stage_total_check(facts)[["geography", "printed_total", "stage_sum", "gap"]]
      geography  printed_total  stage_sum  gap
    0       大同市           58.0       58.0  0.0
    """
    by = list(by)
    check_columns(facts, [*by, "stage", "measure", "value_count", "value_cny", "parsed", "fact_id"],
                   "facts")
    out = []
    for measure in measures:
        value_col, column = MEASURE_COLUMNS[measure]
        totals = stage_rows(facts, measure, include_all=True)
        totals = totals[(totals["stage"] == "all") & totals[value_col].notna()]
        totals = totals.dropna(subset=by)
        if totals.empty:
            continue
        stages = stage_amounts_table(facts, by, (measure,))
        stages = stages[stages[column].notna()]
        sums = stages.groupby(by, sort=True).agg(stage_sum=(column, "sum"),
                                                 n=("stage", "count"))
        merged = totals[[*by, value_col, "fact_id"]].merge(
            sums.reset_index(), on=by, how="inner")
        merged = merged[merged["n"] == len(STAGES)]
        out.append(pd.DataFrame({
            **{key: merged[key] for key in by},
            "measure": measure,
            "printed_total": merged[value_col].astype(float),
            "stage_sum": merged["stage_sum"].astype(float),
            "gap": merged[value_col].astype(float) - merged["stage_sum"].astype(float),
            "fact_id": merged["fact_id"],
        }))
    columns = [*by, "measure", "printed_total", "stage_sum", "gap", "fact_id"]
    if not out:
        return pd.DataFrame(columns=columns)
    result = pd.concat(out, ignore_index=True)
    return result.sort_values([*by, "measure"], kind="mergesort").reset_index(drop=True)[columns]


def stage_summary(facts: pd.DataFrame, by: Sequence[str] = ROUND_KEYS) -> pd.DataFrame:
    """Stage shares of projects and of investment side by side, one row per group.

    Combines :func:`stage_shares` for ``"projects"`` and ``"investment"``; a group with no
    investment printed at all gets ``investment_missing = "sign, start, produce"``.

    Parameters
    ----------
    facts : pandas.DataFrame
        ``campaign_facts`` rows, as for :func:`stage_amounts_table`.
    by : sequence of str, default :data:`ROUND_KEYS`

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns; ``projects_sign``, ``projects_start``, ``projects_produce``,
        ``total_projects``, ``projects_missing``; ``investment_sign``, ``investment_start``,
        ``investment_produce``, ``total_investment_cny`` (yuan), ``investment_missing``; and
        ``source_ids``.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "scope": "city", "year": 2023, "round_no": 4, "geography": "大同市",
    ...     "stage": ["sign", "start", "produce"], "measure": "projects",
    ...     "value_count": [20, 19, 19], "value_cny": None, "parsed": True,
    ...     "breakdown": "none", "overlaps_main_split": False,
    ...     "source_id": "SX-S001", "fact_id": ["F7", "F8", "F9"]})
    >>> row = stage_summary(facts).iloc[0]
    >>> round(float(row["projects_sign"]), 3), row["investment_missing"]
    (0.345, 'sign, start, produce')
    """
    by = list(by)
    parts = []
    for measure in ("projects", "investment"):
        try:
            part = stage_shares(facts, measure, by)
        except ValueError as err:
            if not str(err).startswith(f"no {measure!r} figures"):
                raise
            continue
        part = part.rename(columns={**{st: f"{measure}_{st}" for st in STAGES},
                                    "missing": f"{measure}_missing"})
        parts.append(part.drop(columns=["stages_printed"]))
    if not parts:
        raise ValueError("no projects or investment figures for the stage lists")
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=by, how="outer", suffixes=("", "_2"))
        out["source_ids"] = [join_ids([a, b]) for a, b in zip(out["source_ids"],
                                                              out.pop("source_ids_2"))]
    all_stages = ", ".join(STAGES)
    for measure, total in (("projects", "total_projects"),
                           ("investment", "total_investment_cny")):
        for st in STAGES:
            if f"{measure}_{st}" not in out:
                out[f"{measure}_{st}"] = np.nan
        if total not in out:
            out[total] = np.nan
        missing = f"{measure}_missing"
        out[missing] = out[missing].where(out[missing].notna(), all_stages) \
            if missing in out else all_stages
    columns = [*by,
               *[f"projects_{st}" for st in STAGES], "total_projects", "projects_missing",
               *[f"investment_{st}" for st in STAGES], "total_investment_cny",
               "investment_missing", "source_ids"]
    out = out.sort_values(by, kind="mergesort").reset_index(drop=True)
    return out[columns]


# --- sector structure ---------------------------------------------------------------------------


def sector_mapping() -> pd.DataFrame:
    """The harmonised sector mapping as a table: printed name, class, labels and note.

    Returns
    -------
    pandas.DataFrame
        Columns ``printed``, ``sector_class``, ``class_en``, ``class_zh``, ``note``; one row per
        entry of :data:`SECTOR_MAP`, sorted by class (in :data:`SECTOR_CLASS_ORDER`) and name.

    Examples
    --------
    >>> m = sector_mapping()
    >>> m.loc[m["printed"] == "第一产业", ["sector_class", "class_en"]].iloc[0].tolist()
    ['agriculture', 'Agriculture and agro-processing']
    """
    table = reference.load("sector_map")
    table["class_en"] = table["sector_class"].map(lambda c: SECTOR_CLASSES[c]["en"])
    table["class_zh"] = table["sector_class"].map(lambda c: SECTOR_CLASSES[c]["zh"])
    order = {c: i for i, c in enumerate(SECTOR_CLASS_ORDER)}
    table = table.assign(_o=table["sector_class"].map(order)).sort_values(
        ["_o", "printed"], kind="mergesort")
    return table[["printed", "sector_class", "class_en", "class_zh", "note"]].reset_index(
        drop=True)


def harmonise_sector(names: Any, *, unknown: str = "raise") -> Any:
    """Map printed sector names to the broad classes of :data:`SECTOR_CLASSES`.

    Lookup is exact on the printed name (after trimming surrounding white space), in
    :data:`SECTOR_MAP`; the remainder label :data:`REMAINDER` maps to ``"unlisted"``.

    Parameters
    ----------
    names : str, pandas.Series or iterable of str
        Printed sector (or industry) names.
    unknown : {"raise", "other"}, default "raise"
        What to do with a name not in the mapping: raise (so that new names are classified on
        purpose — add them to the mapping), or map it to ``"other"``.

    Returns
    -------
    str or pandas.Series
        The class of each name (a Series aligned on ``names``' index, named ``sector_class``);
        missing names stay missing.

    Raises
    ------
    ValueError
        With ``unknown="raise"``, listing the names not in the mapping.

    Examples
    --------
    >>> harmonise_sector("先进制造业")
    'industry'
    >>> harmonise_sector(pd.Series(["基础设施项目", "其他", "第三产业"])).tolist()
    ['infrastructure', 'other', 'services']
    >>> harmonise_sector("飞行汽车", unknown="other")
    'other'
    """
    if unknown not in ("raise", "other"):
        raise ValueError(f"unknown must be 'raise' or 'other', not {unknown!r}")
    scalar = isinstance(names, str)
    series = pd.Series([names]) if scalar else (
        names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object))
    lookup = {**SECTOR_MAP, REMAINDER: "unlisted"}
    stripped = series.map(lambda v: v.strip() if isinstance(v, str) else v)
    out = stripped.map(lambda v: lookup.get(v) if isinstance(v, str) else None)
    missing = stripped.notna() & out.isna()
    if missing.any():
        if unknown == "raise":
            raise ValueError(
                "sector names not in SECTOR_MAP (add them with a class, or pass "
                f"unknown='other'): {sorted(set(stripped[missing]))[:_MAX_LISTED]}")
        out[missing] = "other"
    out = out.astype(object).where(stripped.notna(), None)
    if scalar:
        return out.iloc[0]
    return out.rename("sector_class")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def printed_resolution(value_text: Any, value: float) -> float:
    r"""Resolution of a printed figure: one unit of its last printed digit, in ``value``'s unit.

    .. math::

        r = \frac{v}{t} \times 10^{-d}

    where :math:`t` is the Arabic number printed in ``value_text`` (spaces and thousands
    separators removed), :math:`d` its number of decimals and :math:`v` the parsed value, so
    :math:`v/t` is the multiplier (1e8 for 亿元, 1e12 for 万亿元, 1e9 for "billion"). A rounded
    figure can be off by up to :math:`r/2`.

    Parameters
    ----------
    value_text : str
        The figure as printed.
    value : float
        The parsed value (e.g. ``value_cny``).

    Returns
    -------
    float
        The resolution, or NaN when no printed Arabic number matches ``value`` (Chinese
        numerals, missing text).

    Examples
    --------
    >>> printed_resolution("计划总投资1.33万亿元", 1.33e12) / 1e8  # 100 亿元
    100.0
    >>> printed_resolution("总投资7 362.1 亿元", 7362.1e8) / 1e8
    0.1
    >>> printed_resolution("两个", 2.0)
    nan
    """
    if not isinstance(value_text, str) or value is None or not np.isfinite(value) or value == 0:
        return float("nan")
    text = re.sub(r"(?<=\d)[\s,，](?=\d)", "", value_text)
    for token in _NUMBER.findall(text):
        number = float(token)
        if number == 0:
            continue
        multiplier = value / number
        exponent = np.log10(abs(multiplier))
        if abs(exponent - round(exponent)) < 1e-9:
            decimals = len(token.split(".")[1]) if "." in token else 0
            return float(10.0 ** round(exponent) * 10.0 ** (-decimals))
    return float("nan")


def _suffix(measure: str) -> str:
    if measure == "projects":
        return "count"
    if measure == "investment":
        return "cny"
    raise ValueError(f"measure must be 'projects' or 'investment', not {measure!r}")


def sector_table(facts: pd.DataFrame, measure: str = "projects", *,
                 remainder: bool = True) -> pd.DataFrame:
    r"""Sector splits of campaign reports, set against each report's printed total.

    A *report* is one sector split: one source, scope, place and stage list
    (:data:`SPLIT_KEYS`). Its sector rows (``breakdown == "sector"``, without the rows flagged
    ``overlaps_main_split``) are compared with the report's printed total (the
    ``breakdown == "none"`` row of the same report and measure):

    .. math::

        \mathrm{gap} = T - \sum_k x_k, \qquad
        \mathrm{share}_k = x_k / T, \qquad
        \mathrm{tol} = \tfrac12 \Bigl(r_T + \sum_k r_k\Bigr)

    where :math:`r` is the :func:`printed_resolution` of each amount (0 for project counts,
    which are printed exactly). ``status`` says what the gap means:

    * ``complete`` — the sectors add up to the total exactly;
    * ``rounding`` — they differ by no more than rounding of the printed figures explains;
    * ``remainder`` — they fall short: the rest of the total is in no listed sector, and (with
      ``remainder=True``) a row with ``category`` :data:`REMAINDER` and class ``unlisted``
      carries it, so the shares of the total sum to 1;
    * ``exceeds_total`` — they exceed the total (overlapping categories not flagged as such);
    * ``approximate`` — they differ, but a figure involved is printed as a bound or an
      approximation (超, 约, 近 …: ``qualifier`` not ``exact``), so the gap can be read neither
      as a remainder nor as an excess;
    * ``no_total`` — no total is printed; ``several_totals`` — several different ones are.

    Shares of the total (``share_of_total``) are given for the first three statuses only;
    nothing is rescaled to force a sum of 1.

    Parameters
    ----------
    facts : pandas.DataFrame
        ``campaign_facts`` rows (columns ``source_id``, ``scope``, ``geography``, ``stage``,
        ``breakdown``, ``category``, ``measure``, ``value_text``, ``qualifier``,
        ``value_count``, ``value_cny``, ``value_ratio``, ``overlaps_main_split``, ``parsed``,
        ``fact_id``, ``province``, ``province_en``, ``city``, ``round_label``).
    measure : {"projects", "investment"}
    remainder : bool, default True
        Add the remainder row for ``remainder`` reports.

    Returns
    -------
    pandas.DataFrame
        One row per report and printed category (plus remainder rows): ``report`` (a stable key
        ``source_id/scope/geography/stage``), the report's descriptive columns, ``category``
        (as printed), ``sector_class`` (:func:`harmonise_sector`), ``value_{s}``,
        ``share_of_total``, ``printed_share`` (the source's own share for that category, where
        printed — its base may differ, e.g. a share of the year's planned investment: see the
        share row's ``notes``), ``fact_ids``, and per report ``total_{s}``, ``sector_sum_{s}``,
        ``gap_{s}``,
        ``tol_{s}``, ``status`` and ``qualified`` (True if a figure involved is not exact, e.g.
        "超…" or "约…"). ``{s}`` is ``count`` for projects and ``cny`` (yuan) for investment;
        ``attrs["value"]`` names the value column.

    Raises
    ------
    ValueError
        For an unknown measure, missing columns, or a printed sector name not in
        :data:`SECTOR_MAP`.

    References
    ----------
    metrics_spec §4 (shares :math:`s_{ik}` must cover the same whole to be compared).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "source_id": "P1", "scope": "province", "geography": "A省", "stage": "start",
    ...     "breakdown": ["none", "sector", "sector"], "category": [None, "制造业", "基础设施"],
    ...     "measure": "projects", "value_text": ["100个", "60个", "30个"],
    ...     "qualifier": "exact", "value_count": [100, 60, 30], "value_cny": None,
    ...     "value_ratio": None, "overlaps_main_split": False, "parsed": True,
    ...     "fact_id": ["F1", "F2", "F3"], "province": "A省", "province_en": "A",
    ...     "city": None, "round_label": "2023年"})
    >>> t = sector_table(facts)
    >>> t[["category", "sector_class", "value_count", "share_of_total"]].to_dict("split")["data"]
    ... # doctest: +NORMALIZE_WHITESPACE
    [['制造业', 'industry', 60.0, 0.6], ['基础设施', 'infrastructure', 30.0, 0.3],
     ['not in the listed sectors', 'unlisted', 10.0, 0.1]]
    >>> t.loc[0, ["total_count", "sector_sum_count", "gap_count", "status"]].to_dict()
    {'total_count': 100.0, 'sector_sum_count': 90.0, 'gap_count': 10.0, 'status': 'remainder'}
    """
    suffix = _suffix(measure)
    value_col = MEASURE_COLUMNS[measure][0]
    keys = list(SPLIT_KEYS)
    check_columns(facts, [*keys, "breakdown", "category", "measure", "value_text", "qualifier",
                     "value_count", "value_cny", "value_ratio", "overlaps_main_split", "parsed",
                     "fact_id", "province", "province_en", "city", "round_label"], "facts")
    describe = ["province", "province_en", "city", "round_label"] + [
        c for c in ("campaign", "year", "round_no", "event_date") if c in facts.columns]
    ok = facts["parsed"].astype(bool) & ~facts["overlaps_main_split"].astype(bool)
    base = facts[ok & (facts["measure"] == measure) & facts[value_col].notna()]
    sectors = base[base["breakdown"] == "sector"].copy()
    columns = ["report", *keys, *describe, "measure", "category", "sector_class",
               f"value_{suffix}", "share_of_total", "printed_share", "fact_ids",
               f"total_{suffix}", f"sector_sum_{suffix}", f"gap_{suffix}", f"tol_{suffix}",
               "status", "qualified"]
    if sectors.empty:
        out = pd.DataFrame(columns=columns)
        out.attrs = {"measure": measure, "value": f"value_{suffix}"}
        return out
    sectors["sector_class"] = harmonise_sector(sectors["category"]).to_numpy()
    money = measure == "investment"

    def resolution(frame: pd.DataFrame) -> pd.Series:
        if not money:
            return pd.Series(0.0, index=frame.index)
        return pd.Series([printed_resolution(t, v) for t, v in
                          zip(frame["value_text"], frame[value_col])], index=frame.index)

    sectors["_res"] = resolution(sectors)
    totals = base[base["breakdown"] == "none"].copy()
    totals["_res"] = resolution(totals)
    share_measure = "share_projects" if measure == "projects" else "share_investment"
    printed_shares = facts[ok & (facts["measure"] == share_measure)
                           & (facts["breakdown"] == "sector") & facts["value_ratio"].notna()]
    printed_shares = printed_shares.groupby([*keys, "category"], sort=True)["value_ratio"].first()

    records = []
    for key, group in sectors.groupby(keys, sort=True):
        group = group.sort_values(["category", "fact_id"], kind="mergesort")
        dup = group["category"].duplicated(keep=False)
        if dup.any():
            repeated = sorted(set(group.loc[dup, "category"]))
            raise ValueError(f"report {key} prints category {repeated} more than once")
        total_rows = totals[(totals[keys] == pd.Series(key, index=keys)).all(axis=1)]
        sector_sum = float(group[value_col].sum())
        qualified = bool((group["qualifier"] != "exact").any()
                         or (total_rows["qualifier"] != "exact").any())
        distinct = sorted(set(total_rows[value_col].astype(float)))
        total = tol = gap = float("nan")
        if len(distinct) == 0:
            status = "no_total"
        elif len(distinct) > 1:
            status = "several_totals"
        else:
            total = distinct[0]
            res = [*group["_res"], *total_rows["_res"].iloc[:1]]
            tol = 0.5 * float(np.nansum(res)) if money else 0.0
            gap = total - sector_sum
            if abs(gap) <= 1e-9 * max(abs(total), 1.0):
                status = "complete"
            elif abs(gap) <= tol:
                status = "rounding"
            elif qualified:
                status = "approximate"
            elif gap > 0:
                status = "remainder"
            else:
                status = "exceeds_total"
        head = group.iloc[0]
        common = {"report": "/".join(str(k) for k in key), **dict(zip(keys, key)),
                  **{c: head[c] for c in describe}, "measure": measure,
                  f"total_{suffix}": total, f"sector_sum_{suffix}": sector_sum,
                  f"gap_{suffix}": gap, f"tol_{suffix}": tol, "status": status,
                  "qualified": qualified}
        with_share = status in SHARE_STATUSES
        for _, row in group.iterrows():
            value = float(row[value_col])
            records.append({**common, "category": row["category"],
                            "sector_class": row["sector_class"], f"value_{suffix}": value,
                            "share_of_total": value / total if with_share else float("nan"),
                            "printed_share": printed_shares.get((*key, row["category"]),
                                                                float("nan")),
                            "fact_ids": row["fact_id"]})
        if remainder and status == "remainder":
            records.append({**common, "category": REMAINDER, "sector_class": "unlisted",
                            f"value_{suffix}": gap, "share_of_total": gap / total,
                            "printed_share": float("nan"),
                            "fact_ids": join_ids([*group["fact_id"], *total_rows["fact_id"]])})
    out = pd.DataFrame.from_records(records)[columns]
    out.attrs = {"measure": measure, "value": f"value_{suffix}"}
    return out


def sector_shares(table: pd.DataFrame, *, by: str = "sector_class",
                  classes: Sequence[str] | None = None,
                  statuses: Sequence[str] = SHARE_STATUSES) -> pd.DataFrame:
    r"""Share vectors of each report (rows sum to 1), ready for similarity indices.

    .. math::

        s_{rk} = \frac{\sum_{c \in k} x_{rc}}{\sum_{c} x_{rc}}

    over the categories :math:`c` of report :math:`r` in :func:`sector_table` (including the
    remainder row), grouped by ``by``; computed with :func:`zonestudy.metrics.structure_shares`.
    For ``complete`` and ``remainder`` reports the denominator is the printed total; for
    ``rounding`` reports it is the sum of the sectors, which differs from the printed total by
    less than the rounding tolerance. Reports of other statuses are left out: their sectors do
    not cover a known whole.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sector_table`.
    by : str, default "sector_class"
        ``"sector_class"`` for the harmonised classes, ``"category"`` for the printed names.
    classes : sequence of str, optional
        Column order (absent classes become 0). Defaults to :data:`SECTOR_CLASS_ORDER` for
        ``by="sector_class"``; fix it when comparing reports (HHI and entropy depend on it).
    statuses : sequence of str, default :data:`SHARE_STATUSES`

    Returns
    -------
    pandas.DataFrame
        Index ``report``, one column per class, float shares summing to 1 per row;
        ``attrs["measure"]`` from the table.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "report": ["P1/province/A/start"] * 3, "status": "remainder",
    ...     "sector_class": ["industry", "infrastructure", "unlisted"],
    ...     "value_count": [60.0, 30.0, 10.0]})
    >>> table.attrs = {"measure": "projects", "value": "value_count"}
    >>> s = sector_shares(table, classes=["industry", "infrastructure", "unlisted"])
    >>> s.round(2).to_dict("records")
    [{'industry': 0.6, 'infrastructure': 0.3, 'unlisted': 0.1}]
    """
    check_columns(table, ["report", "status", by], "table")
    value = table.attrs.get("value") or next(
        (c for c in ("value_count", "value_cny") if c in table.columns), None)
    if value is None or value not in table.columns:
        raise ValueError("table has no value column; pass the output of sector_table")
    if classes is None and by == "sector_class":
        classes = list(SECTOR_CLASS_ORDER)
    rows = table[table["status"].isin(list(statuses))]
    if rows.empty:
        raise ValueError(f"no report has a status in {list(statuses)}")
    shares = metrics.structure_shares(rows, "report", by, weight=value, categories=classes)
    shares.columns = pd.Index(list(shares.columns), name=by)
    shares.attrs = {"measure": table.attrs.get("measure"), "kind": "shares",
                    "definition": f"share of {value} by {by} within each report"}
    return shares


def sector_report_table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per report and measure: printed total, listed sum, gap, status and class shares.

    Assembles the citable sector table (notebook 04's ``tab06``) from :func:`sector_table`
    outputs. For each measure's table the report-level columns are taken from the report's first
    row; the shares of the printed total (``share_of_total``) are summed per harmonised class
    (:data:`SECTOR_CLASS_ORDER`) for the reports whose status is in :data:`SHARE_STATUSES`
    (absent classes 0); reports of other statuses keep empty shares.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``{"projects": sector_table(facts, "projects"), "investment": sector_table(facts,
        "investment")}`` (either may be missing), in the order the rows should appear.

    Returns
    -------
    DataFrame
        Columns ``report``, ``source_id``, ``province``, ``round_label``, ``scope``,
        ``geography``, ``stage``, ``measure``, ``printed_total``, ``listed_sum``, ``gap``
        (projects or yuan; total minus listed sum), ``status``, ``unit`` (``"projects"`` or
        ``"CNY"``) and one share column per class of :data:`SECTOR_CLASS_ORDER`.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "source_id": "P1", "scope": "province", "geography": "A省", "stage": "start",
    ...     "breakdown": ["none", "sector", "sector"], "category": [None, "制造业", "基础设施"],
    ...     "measure": "projects", "value_text": ["100个", "60个", "30个"],
    ...     "qualifier": "exact", "value_count": [100, 60, 30], "value_cny": None,
    ...     "value_ratio": None, "overlaps_main_split": False, "parsed": True,
    ...     "fact_id": ["F1", "F2", "F3"], "province": "A省", "province_en": "A",
    ...     "city": None, "round_label": "2023年"})
    >>> t = sector_report_table({"projects": sector_table(facts)})
    >>> t[["printed_total", "listed_sum", "gap", "status", "industry", "unlisted"]].to_dict("records")
    [{'printed_total': 100.0, 'listed_sum': 90.0, 'gap': 10.0, 'status': 'remainder', 'industry': 0.6, 'unlisted': 0.1}]
    """
    blocks = []
    for measure, table in tables.items():
        sfx = _suffix(measure)
        info = table.drop_duplicates("report").set_index("report")
        block = info[["source_id", "province", "round_label", "scope", "geography", "stage", "measure",
                      f"total_{sfx}", f"sector_sum_{sfx}", f"gap_{sfx}", "status"]].rename(
            columns={f"total_{sfx}": "printed_total", f"sector_sum_{sfx}": "listed_sum",
                     f"gap_{sfx}": "gap"})
        block["unit"] = "projects" if measure == "projects" else "CNY"
        of_total = table[table["status"].isin(SHARE_STATUSES)].pivot_table(
            index="report", columns="sector_class", values="share_of_total", aggfunc="sum")
        of_total = of_total.reindex(columns=list(SECTOR_CLASS_ORDER)).fillna(0.0)
        blocks.append(block.join(of_total))
    if not blocks:
        raise ValueError("tables is empty: pass sector_table outputs by measure")
    return pd.concat(blocks).reset_index()


def report_labels(table: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Readable labels of the reports of :func:`sector_table`, one per ``report``.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sector_table` (columns ``report``, ``source_id``, ``scope``,
        ``province``, ``province_en``, ``city``, ``stage``).
    lang : {"en", "zh"}

    When ``table`` has ``year``, ``event_date`` or ``round_label``, the label carries the report's
    year instead of its source id (``"Henan · 2022 · Started"``; "year not printed" where none
    is known), and the source id is added only to tell apart two reports with the same label.

    Returns
    -------
    pandas.Series
        Indexed by ``report``: ``"Henan · PC-P008 · Started"`` (province-wide reports),
        ``"Luoyang (Henan) · PC-P020 · Started"`` (city reports) or the Chinese
        ``"河南省 · PC-P008 · 开工"``; a place that is not named stays unnamed.

    Examples
    --------
    >>> t = pd.DataFrame({"report": ["a", "b"], "source_id": ["P1", "P2"],
    ...                   "scope": ["province", "city"], "province": ["河南省", "河南省"],
    ...                   "province_en": ["Henan", "Henan"], "city": [None, "洛阳市"],
    ...                   "stage": ["start", "all"]})
    >>> report_labels(t).tolist()
    ['Henan · P1 · Started', 'Luoyang (Henan) · P2 · All stages']
    """
    check_lang(lang)
    check_columns(table, ["report", "source_id", "scope", "province", "province_en", "city",
                     "stage"], "table")
    first = table.drop_duplicates("report").set_index("report")

    def one(row: pd.Series) -> str:
        named = isinstance(row["province_en"], str) and row["province_en"].strip()
        if lang == "zh":
            place = row["province"] if named else "未具名城市"
            if isinstance(row["city"], str):
                place = f"{row['city']}({row['province']})"
            elif row["scope"] not in ("province", "cumulative") and named:
                place = f"{row['province']}(部分地区)"
        else:
            place = row["province_en"] if named else "Unnamed city"
            if isinstance(row["city"], str):
                place = f"{english_name(row['city'])} ({row['province_en']})"
            elif row["scope"] not in ("province", "cumulative") and named:
                place = f"{row['province_en']} (part)"
        middle = _report_year(row, lang) if dated else row["source_id"]
        return f"{place} · {middle} · {figures.label(row['stage'], lang)}"

    dated = bool({"year", "event_date", "round_label"} & set(first.columns))
    labels = first.apply(one, axis=1).rename("label")
    repeated = labels.duplicated(keep=False)
    if dated and repeated.any():
        labels[repeated] = [f"{text} ({first.loc[r, 'source_id']})" for r, text in labels[repeated].items()]
    return labels


def _report_year(row: pd.Series, lang: str) -> str:
    """The year of a report: its year, else its event date's, else one printed in its label."""
    year = row.get("year")
    if year is None or pd.isna(year):
        date = row.get("event_date")
        year = pd.Timestamp(date).year if date is not None and not pd.isna(date) else None
    if year is None:
        m = re.search(r"(?<!\d)(20[0-4]\d)(?!\d)", str(row.get("round_label") or ""))
        year = int(m.group(1)) if m else None
    if year is None:
        return "年份未印" if lang == "zh" else "year not printed"
    return str(int(year))


# --- named projects -----------------------------------------------------------------------------


def origin_province(origins: Any) -> pd.Series:
    """Province of each printed investor origin (a province or a city name).

    Parameters
    ----------
    origins : pandas.Series or iterable of str
        Origins as printed (``安徽``, ``深圳市``, ``北京`` …); missing values stay missing.

    Returns
    -------
    pandas.Series
        Full province names (``安徽省``, ``广东省``, ``北京市``), aligned on ``origins``,
        named ``origin_province``. Cities are looked up in :data:`ORIGIN_PLACES`, provinces with
        :func:`zonestudy.zones.normalize_province`.

    Raises
    ------
    ValueError
        For an origin that is neither (add the city to :data:`ORIGIN_PLACES`).

    Examples
    --------
    >>> origin_province(pd.Series(["安徽", "深圳市", None, "北京"])).tolist()
    ['安徽省', '广东省', None, '北京市']
    """
    series = origins if isinstance(origins, pd.Series) else pd.Series(list(origins), dtype=object)

    def one(value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return None
        value = value.strip()
        if value in ORIGIN_PLACES:
            return ORIGIN_PLACES[value]
        try:
            return normalize_province(value)
        except UnknownPlaceError:
            raise ValueError(f"origin {value!r} is neither a province nor a city in "
                             "ORIGIN_PLACES") from None

    out = series.map(one).astype(object)
    return out.where(out.notna(), None).rename("origin_province")


def project_summary(projects: pd.DataFrame, by: str | Sequence[str],
                    value: str = "investment_cny") -> pd.DataFrame:
    r"""Number of projects and their investment by group, with each group's share.

    .. math::

        n_g = \#\{p \in g\}, \qquad I_g = \sum_{p \in g} I_p, \qquad
        s_g = I_g / \sum_{g'} I_{g'}

    Parameters
    ----------
    projects : pandas.DataFrame
        One row per project (e.g. ``article_projects``), with ``fact_id`` and ``value``.
    by : str or sequence of str
        Grouping column(s); missing values form their own group, labelled "not printed".
    value : str, default "investment_cny"
        Amount column (yuan).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``projects`` (int), ``investment_cny`` (sum, yuan),
        ``share_of_investment`` (of the whole table) and ``fact_ids``; sorted by investment,
        largest first, then by the ``by`` columns.

    Examples
    --------
    >>> p = pd.DataFrame({"fact_id": ["a", "b", "c"], "industry": ["新能源", "新能源", None],
    ...                   "investment_cny": [5e8, 1e8, 4e8]})
    >>> project_summary(p, "industry").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'industry': '新能源', 'projects': 2, 'investment_cny': 600000000.0,
      'share_of_investment': 0.6, 'fact_ids': 'a;b'},
     {'industry': 'not printed', 'projects': 1, 'investment_cny': 400000000.0,
      'share_of_investment': 0.4, 'fact_ids': 'c'}]
    """
    keys = [by] if isinstance(by, str) else list(by)
    check_columns(projects, [*keys, value, "fact_id"], "projects")
    work = projects.copy()
    for key in keys:
        work[key] = work[key].astype(object).where(work[key].notna(), "not printed")
    out = work.groupby(keys, sort=True).agg(
        projects=("fact_id", "size"), investment_cny=(value, "sum"),
        fact_ids=("fact_id", join_ids)).reset_index()
    total = float(out["investment_cny"].sum())
    out["investment_cny"] = out["investment_cny"].astype(float)
    out.insert(len(keys) + 2, "share_of_investment",
               out["investment_cny"] / total if total > 0 else np.nan)
    out = out.sort_values(["investment_cny", *keys], ascending=[False, *[True] * len(keys)],
                          kind="mergesort")
    return out.reset_index(drop=True)


# --- fund partners ------------------------------------------------------------------------------


class FundPartners(NamedTuple):
    """Result of :func:`fund_partners`.

    Attributes
    ----------
    fund_cny : float
        Announced total size of the fund (yuan).
    fund_fact_id : str
        Fact id of the fund size.
    kinds : pandas.DataFrame
        One row per partner kind: ``kind`` (as printed), ``kind_en``, ``counterparty`` (who
        signed with them), ``partners`` (count), ``named`` (number named on the page),
        ``named_partners`` (';'-joined) and ``fact_id``.
    named : pandas.DataFrame
        The partners named on the page: ``kind``, ``partner``, ``origin`` (as printed),
        ``origin_province`` and ``fact_id``.
    """

    fund_cny: float
    fund_fact_id: str
    kinds: pd.DataFrame
    named: pd.DataFrame


_KIND_COUNT = re.compile(r"^签约(?P<kind>.+)数$")
_KIND_NAMED = re.compile(r"^签约(?P<kind>.+)（列举）$")


def fund_partners(article: pd.DataFrame, section: str = "阳泉高新区母基金") -> FundPartners:
    r"""A fund signing's size and partners, by kind, from the 科学导报 page's facts.

    Partner counts are read from the ``subject`` of each fact: "签约{kind}数" rows carry the
    number of partners of a kind (``value_count``), "签约{kind}（列举）" rows name one of them
    (``entity``, ``entity_origin``); the fund size is the "母基金总规模" row (``value_cny``).
    The total number of partners is :math:`\sum_{k} n_k` over the kinds.

    The page calls these agreements partner and project *intentions* (意向签约), not contracts:
    counted with a zone's signed projects they would inflate a count-based 签约 numerator
    (metrics_spec §1.1).

    Parameters
    ----------
    article : pandas.DataFrame
        ``article_facts`` (columns ``article_section``, ``subject``, ``entity``,
        ``entity_origin``, ``value_cny``, ``value_count``, ``fact_id``).
    section : str, default "阳泉高新区母基金"
        The ``article_section`` of the signing.

    Returns
    -------
    FundPartners

    Raises
    ------
    ValueError
        If the section has no fund size, or no partner counts.

    References
    ----------
    metrics_spec §1.1 (intent agreements) and §5 (a 母基金's announced size is a target, not
    paid-in capital).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "article_section": "S", "fact_id": ["A1", "A2", "A3", "A4"],
    ...     "subject": ["母基金总规模", "签约金融机构数", "签约金融机构（列举）", "签约公司数"],
    ...     "entity": ["基金", "管委会", "某银行太原分行", "管委会"],
    ...     "entity_origin": [None, None, "太原", None],
    ...     "value_cny": [3e9, None, None, None], "value_count": [None, 14, None, 10]})
    >>> fp = fund_partners(facts, "S")
    >>> fp.fund_cny, fp.kinds[["kind", "partners", "named"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    (3000000000.0, [{'kind': '金融机构', 'partners': 14, 'named': 1},
                    {'kind': '公司', 'partners': 10, 'named': 0}])
    >>> fp.named[["partner", "origin_province"]].to_dict("records")
    [{'partner': '某银行太原分行', 'origin_province': '山西省'}]
    """
    check_columns(article, ["article_section", "subject", "entity", "entity_origin", "value_cny",
                       "value_count", "fact_id"], "article")
    rows = article[article["article_section"] == section].sort_values("fact_id", kind="mergesort")
    size = rows[(rows["subject"] == "母基金总规模") & rows["value_cny"].notna()]
    if size.empty:
        raise ValueError(f"section {section!r} has no fund size (subject 母基金总规模)")
    subjects = rows["subject"].astype(str)
    counts = rows[subjects.str.match(_KIND_COUNT) & rows["value_count"].notna()]
    if counts.empty:
        raise ValueError(f"section {section!r} has no partner counts (subject 签约…数)")
    named_rows = rows[subjects.str.match(_KIND_NAMED)]
    named = pd.DataFrame({
        "kind": named_rows["subject"].str.extract(_KIND_NAMED)["kind"].to_numpy(),
        "partner": named_rows["entity"].to_numpy(),
        "origin": named_rows["entity_origin"].to_numpy(),
        "fact_id": named_rows["fact_id"].to_numpy(),
    })
    named.insert(3, "origin_province", origin_province(named["origin"]).to_numpy())
    kind = counts["subject"].str.extract(_KIND_COUNT)["kind"]
    kinds = pd.DataFrame({
        "kind": kind.to_numpy(),
        "kind_en": kind.map(lambda k: PARTNER_KINDS.get(k, "")).to_numpy(),
        "counterparty": counts["entity"].to_numpy(),
        "partners": counts["value_count"].astype(int).to_numpy(),
        "fact_id": counts["fact_id"].to_numpy(),
    })
    kinds.insert(4, "named", kinds["kind"].map(named["kind"].value_counts()).fillna(0)
                 .astype(int))
    kinds.insert(5, "named_partners", kinds["kind"].map(
        lambda k: "; ".join(named.loc[named["kind"] == k, "partner"])))
    return FundPartners(float(size["value_cny"].iloc[0]), str(size["fact_id"].iloc[0]),
                        kinds, named)


# --- figures ------------------------------------------------------------------------------------


def plot_stage_shares(shares: pd.DataFrame, ax: Any, *, labels: Sequence[str],
                      lang: str = "en", legend: bool = True, min_label: float = 0.12,
                      ylabel: Mapping[str, str] | None = None) -> Any:
    """Horizontal stacked bars of stage shares; incomplete groups say which stage is missing.

    Parameters
    ----------
    shares : pandas.DataFrame
        Rows of :func:`stage_shares` (columns ``sign``, ``start``, ``produce``, ``missing``),
        drawn top to bottom. Rows with a share missing are drawn as text: "not printed", with
        the missing stages when ``missing`` names some but not all of them.
    ax : matplotlib.axes.Axes
    labels : sequence of str
        One label per row of ``shares``.
    lang : {"en", "zh"}
    legend : bool, default True
        Draw the stages' legend above the figure (once per figure).
    min_label : float, default 0.12
        Segments at least this wide are labelled with their percentage.
    ylabel : mapping, optional
        ``{"en": ..., "zh": ...}`` label of the y axis; default "Place and round".

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> s = pd.DataFrame({"sign": [0.5, np.nan], "start": [0.3, np.nan],
    ...                   "produce": [0.2, np.nan], "missing": ["", "produce"]})
    >>> ax = plot_stage_shares(s, Figure().subplots(), labels=["A", "B"])
    >>> ax.get_xlabel(), len(ax.patches)
    ('Share of the three stage lists', 3)
    """
    check_lang(lang)
    if len(labels) != len(shares):
        raise ValueError("labels must have one entry per row of shares")
    colors, y, left = _stacked_bars(len(shares))
    values = shares[list(STAGES)].to_numpy(dtype=float)
    complete = ~np.isnan(values).any(axis=1)
    for i, stage in enumerate(STAGES):
        width = np.where(complete, values[:, i], 0.0)
        bars = ax.barh(y[complete], width[complete], left=left[complete], color=colors[i],
                       label=figures.label(stage, lang), height=0.7, edgecolor="white",
                       linewidth=0.5)
        for bar, w in zip(bars, width[complete]):
            if w >= min_label:
                ax.text(bar.get_x() + w / 2, bar.get_y() + bar.get_height() / 2,
                        f"{100 * w:.0f}%", ha="center", va="center", fontsize=6.5,
                        color="white")
        left = left + width
    words = _word("not_printed", lang)
    for missing, yy, full in zip(shares["missing"], y, complete):
        if full:
            continue
        text = words
        if isinstance(missing, str) and missing and missing != ", ".join(STAGES):
            names = ", ".join(figures.label(s.strip(), lang) for s in missing.split(","))
            text = f"{words}: {names}" if lang == "en" else f"{words}:{names}"
        ax.text(0.01, yy, f"({text})", va="center", ha="left", fontsize=6.5, color="0.35")
    _share_axes(ax, y, labels, _word("stage_list_share", lang),
                figures.label(ylabel or "place_round", lang, labels=_WORDS))
    if legend:
        _figure_legend(ax)
    return ax


def plot_stage_amounts(table: pd.DataFrame, axes: Sequence[Any], *, labels: Mapping[Any, str],
                       by: Sequence[str] = ROUND_KEYS, lang: str = "en") -> Sequence[Any]:
    """Grouped bars per group: investment by stage list (left) and average project size (right).

    A stage whose figure is not printed is marked "not printed" instead of a bar. The stages'
    legend is drawn above the figure.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`stage_amounts_table` with ``investment_cny`` and ``average_size_cny``.
    axes : pair of matplotlib.axes.Axes
    labels : mapping
        Group key (tuple of the ``by`` values) → label; the groups are drawn in this order, top
        to bottom.
    by : sequence of str, default :data:`ROUND_KEYS`
    lang : {"en", "zh"}

    Returns
    -------
    the two axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> t = pd.DataFrame({"g": ["A", "A"], "stage": ["sign", "start"],
    ...                   "investment_cny": [5e9, 2e9], "average_size_cny": [5e8, np.nan]})
    >>> axes = plot_stage_amounts(t, Figure().subplots(1, 2), labels={("A",): "A"}, by=["g"])
    >>> axes[0].get_xlabel()
    'Investment (CNY 100 million)'
    """
    check_lang(lang)
    by = list(by)
    colors = _palette()
    keys = list(labels)
    n = len(keys)
    y = np.arange(n)[::-1].astype(float)
    height = 0.26
    index = {tuple(k) if isinstance(k, tuple) else (k,): i for i, k in enumerate(keys)}
    for column, ax in zip(("investment_cny", "average_size_cny"), axes):
        for j, stage in enumerate(STAGES):
            rows = table[table["stage"].astype(str) == stage]
            values = {tuple(row[c] for c in by): row[column] for _, row in rows.iterrows()}
            pos, vals = [], []
            for key, i in index.items():
                offset = y[i] + (1 - j) * height
                if pd.notna(values.get(key, np.nan)):
                    pos.append(offset)
                    vals.append(values[key] / 1e8)
                else:
                    ax.text(0, offset, " " + _word("not_printed", lang),
                            va="center", ha="left", fontsize=5.5, color="0.35")
            ax.barh(pos, vals, height=height, color=colors[j], label=figures.label(stage, lang))
        ax.set_yticks(y, labels=[labels[k] for k in keys])
        ax.grid(axis="x", linewidth=0.4, alpha=0.5)
    axes[0].set_ylabel(_word("city_round", lang))
    axes[0].set_xlabel(figures.label("investment", lang))
    axes[1].set_xlabel(_word("size_per_project", lang))
    _figure_legend(axes[0])
    return axes


def plot_named_projects(summary: pd.DataFrame, ax: Any, *, category: str, stack: str,
                        category_labels: Mapping[str, str], stack_labels: Mapping[str, str],
                        lang: str = "en") -> Any:
    """Horizontal bars of investment (亿元) by ``category``, stacked by ``stack``, with counts.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`project_summary` grouped by ``[stack, category]``.
    ax : matplotlib.axes.Axes
    category, stack : str
        Column names: bars and stacked segments.
    category_labels, stack_labels : mapping
        Value → displayed label; bars and segments are drawn in the mappings' order.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> s = pd.DataFrame({"zone": ["Z", "Z"], "industry": ["a", "b"], "projects": [2, 1],
    ...                   "investment_cny": [3e8, 1e8]})
    >>> ax = plot_named_projects(s, Figure().subplots(), category="industry", stack="zone",
    ...                          category_labels={"a": "A", "b": "B"}, stack_labels={"Z": "Z"})
    >>> [t.get_text() for t in ax.texts]
    ['n = 2', 'n = 1']
    """
    check_lang(lang)
    cats = list(category_labels)
    colors, y, left = _stacked_bars(len(cats))
    for i, group in enumerate(stack_labels):
        rows = summary[summary[stack] == group].set_index(category)
        width = np.array([float(rows["investment_cny"].get(c, 0.0)) / 1e8 for c in cats])
        ax.barh(y, width, left=left, color=colors[(i + 3) % len(colors)],
                label=stack_labels[group], height=0.65)
        left = left + width
    counts = summary.groupby(category)["projects"].sum()
    for yy, cat, end in zip(y, cats, left):
        ax.annotate(f"n = {int(counts.get(cat, 0))}", (end, yy), xytext=(3, 0),
                    textcoords="offset points", va="center", ha="left", fontsize=6.5)
    ax.set_yticks(y, labels=[category_labels[c] for c in cats])
    ax.set_xlim(0, left.max() * 1.25 if len(left) else 1)
    ax.set_xlabel(figures.label("investment", lang))
    return ax


def plot_sector_shares(shares: pd.DataFrame, ax: Any, *, labels: Mapping[str, str],
                       lang: str = "en", legend: bool = True) -> Any:
    """Horizontal stacked bars of harmonised sector shares, one bar per report.

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`sector_shares` (columns in :data:`SECTOR_CLASS_ORDER`).
    ax : matplotlib.axes.Axes
    labels : mapping
        ``report`` → label; the reports are drawn in this order, top to bottom.
    lang : {"en", "zh"}
    legend : bool, default True
        Draw the classes' legend above the figure; pass False and build one legend from all
        panels when the panels show different classes.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> s = pd.DataFrame({"industry": [0.6], "unlisted": [0.4]}, index=pd.Index(["r"],
    ...                  name="report"))
    >>> ax = plot_sector_shares(s, Figure().subplots(), labels={"r": "R"})
    >>> len(ax.patches), ax.get_xlabel()
    (2, 'Share of the printed total')
    """
    check_lang(lang)
    reports = list(labels)
    colors, y, left = _stacked_bars(len(reports))
    for i, cls in enumerate(SECTOR_CLASS_ORDER):
        if cls not in shares.columns:
            continue
        width = shares[cls].reindex(reports).fillna(0.0).to_numpy(dtype=float)
        if not (width > 0).any():
            continue
        color = "0.82" if cls == "unlisted" else colors[i % len(colors)]
        ax.barh(y, width, left=left, color=color, height=0.7, edgecolor="white", linewidth=0.4,
                label=SECTOR_CLASSES[cls][lang], hatch="///" if cls == "unlisted" else None)
        left = left + width
    _share_axes(ax, y, [labels[r] for r in reports], _word("printed_share", lang),
                _word("report_row", lang))
    if legend:
        _figure_legend(ax, fontsize=6.5)
    return ax


# --- figures of notebook 04 ---------------------------------------------------------------------


def _round_keys_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    """:func:`zonestudy.study.vocabulary.round_label` with the place, for each row of ``frame``."""
    return [round_label(year, number, lang, place=place) for place, year, number in
            zip(frame["geography"], frame["year"], frame["round_no"])]


def stage_shares_figure(summary: pd.DataFrame, lang: str = "en") -> Any:
    """Stage shares of projects (left) and of investment (right), one bar per round and place.

    Parameters
    ----------
    summary : pandas.DataFrame
        Rows of :func:`stage_summary` (with ``geography``, ``year``, ``round_no``), drawn top to
        bottom and labelled with :func:`zonestudy.study.vocabulary.round_label` and the place.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels drawn with :func:`plot_stage_shares`; rows whose shares are not printed say
        so.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> facts = pd.DataFrame({
    ...     "scope": "city", "year": 2023, "round_no": 4, "geography": "大同市",
    ...     "stage": ["sign", "start", "produce"], "measure": "projects",
    ...     "value_count": [20, 19, 19], "value_cny": None, "parsed": True,
    ...     "breakdown": "none", "overlaps_main_split": False,
    ...     "source_id": "SX-S001", "fact_id": ["F7", "F8", "F9"]})
    >>> fig = stage_shares_figure(stage_summary(facts))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.axes[1].get_title()
    (['Datong 2023-4'], 'Investment')
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    fig, axes = plt.subplots(1, 2, figsize=(6.5, 5.4), sharey=True)
    labels = _round_keys_labels(summary, lang)
    for ax, measure in zip(axes, ["projects", "investment"]):
        panel = summary.rename(columns={**{f"{measure}_{s}": s for s in STAGES},
                                        f"{measure}_missing": "missing"})
        plot_stage_shares(panel, ax, labels=labels, lang=lang, legend=measure == "projects")
        _measure_title(ax, measure, lang)
    axes[1].set_ylabel("")
    return fig


def stage_amounts_figure(table: pd.DataFrame, lang: str = "en") -> Any:
    """Investment (left) and average project size (right) by stage list, one group per round.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`stage_amounts_table` grouped by :data:`ROUND_KEYS`; the groups are drawn top to
        bottom in order of first appearance, labelled with :func:`zonestudy.study.vocabulary.round_label`
        and the place.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure
        Drawn with :func:`plot_stage_amounts`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"scope": "city", "year": 2023, "round_no": 4, "geography": "晋城市",
    ...                   "stage": ["sign", "start"], "investment_cny": [57.11e8, 43.55e8],
    ...                   "average_size_cny": [57.11e8 / 19, np.nan]})
    >>> fig = stage_amounts_figure(t, "zh")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['晋城市 2023年第4次']
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    keys = list(dict.fromkeys(zip(*(table[c] for c in ROUND_KEYS))))
    fig, axes = plt.subplots(1, 2, figsize=(6.5, 4.6), sharey=True)
    key_frame = pd.DataFrame(keys, columns=list(ROUND_KEYS))
    labels = dict(zip(keys, _round_keys_labels(key_frame, lang)))
    plot_stage_amounts(table, axes, labels=labels, lang=lang)
    return fig


def named_projects_figure(by_industry: pd.DataFrame, by_origin: pd.DataFrame,
                          lang: str = "en") -> Any:
    """Investment of named projects by industry (left) and by investor origin (right), per zone.

    Bars are ordered by total investment (largest on top) and stacked by zone; industries are
    labelled with :data:`ARTICLE_INDUSTRIES`, zones and provinces with
    :func:`zonestudy.zones.english_name` in English.

    Parameters
    ----------
    by_industry : pandas.DataFrame
        :func:`project_summary` by ``["zone", "industry"]``.
    by_origin : pandas.DataFrame
        :func:`project_summary` by ``["zone", "origin_province"]``.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure
        Two panels drawn with :func:`plot_named_projects`, one x label (亿元) for both.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"fact_id": ["a", "b"], "zone": "运城经开区", "industry": "新能源",
    ...                   "origin_province": ["广东省", None], "investment_cny": [5e8, 1e8]})
    >>> fig = named_projects_figure(project_summary(p, ["zone", "industry"]),
    ...                             project_summary(p, ["zone", "origin_province"]))
    >>> [t.get_text() for t in fig.axes[1].get_yticklabels()]
    ['Guangdong', 'Not printed']
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    zone_order = list(by_industry.groupby("zone")["investment_cny"].sum()
                      .sort_values(ascending=False).index)
    industry_order = list(by_industry.groupby("industry")["investment_cny"].sum()
                          .sort_values(ascending=False, kind="mergesort").index)
    origin_order = list(by_origin.groupby("origin_province")["investment_cny"].sum()
                        .sort_values(ascending=False, kind="mergesort").index)
    fig, axes = plt.subplots(1, 2, figsize=(6.5, 3.4))
    zone_labels = {z: (z if lang == "zh" else english_name(z)) for z in zone_order}
    industry_labels = {i: ARTICLE_INDUSTRIES[i][lang] for i in industry_order}
    not_printed = _word("origin_not_printed", lang)
    origin_labels = {o: (not_printed if o == "not printed" else
                         (o if lang == "zh" else english_name(o))) for o in origin_order}
    plot_named_projects(by_industry, axes[0], category="industry", stack="zone",
                        category_labels=industry_labels, stack_labels=zone_labels, lang=lang)
    plot_named_projects(by_origin, axes[1], category="origin_province", stack="zone",
                        category_labels=origin_labels, stack_labels=zone_labels, lang=lang)
    axes[0].set_ylabel(figures.label("industry", lang))
    axes[1].set_ylabel(_word("home_province", lang))
    for ax in axes:
        ax.set_xlabel("")
    fig.supxlabel(figures.label("investment", lang), fontsize=9)
    _figure_legend(axes[0], ncols=None)
    return fig


def sector_shares_figure(tables: Mapping[str, pd.DataFrame], lang: str = "en", *,
                         no_shares: Mapping[str, str] | None = None) -> Any:
    """Harmonised sector shares of projects (left) and investment (right), one bar per report.

    Every report with shares for either measure (:func:`sector_shares`) gets a row, ordered by
    province, source and stage and labelled with :func:`report_labels`; where a panel has no
    shares for it, a note says whether the split is not printed or has no shares.

    Parameters
    ----------
    tables : mapping
        ``{"projects": sector_table(facts, "projects"), "investment": sector_table(facts,
        "investment")}`` (:func:`sector_table`).
    lang : {"en", "zh"}
    no_shares : mapping, optional
        ``{"en": ..., "zh": ...}`` note for a printed split without shares; default
        "(no shares)".

    Returns
    -------
    matplotlib.figure.Figure
        Two panels drawn with :func:`plot_sector_shares`, one legend of the classes above them.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> facts = pd.DataFrame({
    ...     "source_id": "P1", "scope": "province", "geography": "A省", "stage": "start",
    ...     "breakdown": ["none", "sector", "sector"], "category": [None, "制造业", "基础设施"],
    ...     "measure": "projects", "value_text": ["100个", "60个", "30个"],
    ...     "qualifier": "exact", "value_count": [100, 60, 30], "value_cny": None,
    ...     "value_ratio": None, "overlaps_main_split": False, "parsed": True,
    ...     "fact_id": ["F1", "F2", "F3"], "province": "A省", "province_en": "A",
    ...     "city": None, "round_label": "2023年"})
    >>> fig = sector_shares_figure({m: sector_table(facts, m) for m in ("projects", "investment")})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], [t.get_text() for t in fig.axes[1].texts]
    (['A · 2023 · Started'], ['(not printed)'])
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    no_shares = no_shares or _WORDS["no_shares"]
    measures = ["projects", "investment"]
    share_tables = {m: sector_shares(tables[m]) if (tables[m]["status"].isin(SHARE_STATUSES)).any()
                    else pd.DataFrame(columns=list(SECTOR_CLASS_ORDER)) for m in measures}
    shown = sorted(set(share_tables["projects"].index) | set(share_tables["investment"].index))
    first = pd.concat([tables[m] for m in measures]).drop_duplicates("report")
    first = first.set_index("report").loc[shown]
    first = first.assign(_year=[_report_year(r, "en") for _, r in first.iterrows()])
    order = first.sort_values(["province_en", "_year", "stage", "source_id"], kind="mergesort").index.tolist()
    fig, axes = plt.subplots(1, 2, figsize=(6.5, 8.6), sharey=True)
    labels = report_labels(first.reset_index(), lang).loc[order].to_dict()
    for ax, measure in zip(axes, measures):
        panel = share_tables[measure].reindex(order)
        plot_sector_shares(panel, ax, labels=labels, lang=lang, legend=False)
        printed_reports = set(tables[measure]["report"])
        for position, report in enumerate(order):
            if report in share_tables[measure].index:
                continue
            note = no_shares[lang] if report in printed_reports else (
                f"({_word('not_printed', lang)})")
            ax.text(0.01, len(order) - 1 - position, note, va="center", fontsize=5.5,
                    color="0.35")
        _measure_title(ax, measure, lang)
        ax.tick_params(axis="y", labelsize=5.5)
    axes[1].set_ylabel("")
    _figure_legend(*axes, fontsize=6.5)
    return fig
