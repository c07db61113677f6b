"""Comparisons: Shanxi's cities, Shanxi against peer provinces, Shanxi in the national registries.

The campaign facts (``data/clean/campaign_facts.csv``) are *reported aggregates*: a news report
prints, for one event (a round of Shanxi's development-zone "三个一批" campaign, a Henan 期, a
province's concentrated-start event …), the number of projects and their investment by stage
(签约 sign / 开工 start / 投产 produce), sometimes by city or sector. This module turns those
rows into comparable tables:

* **reports** — :func:`with_report_keys` gives every fact a report key (province, campaign,
  scope, place, event); :func:`collapse_duplicates` merges the same figure printed by several
  sources (keeping every fact and source id) and refuses figures that disagree;
* **cities** — :func:`city_shares` (city shares of a round's province total, by stage) and
  :func:`city_concentration` (HHI of the city distribution);
* **structure** — :func:`stage_mix` (shares signed / started / producing where all three stage
  counts are printed) and :func:`similarity_matrix` (cosine or Krugman between share vectors).
  Sector splits are harmonised by :mod:`zonestudy.study.structure` (:func:`~zonestudy.study.structure.sector_table`,
  :func:`~zonestudy.study.structure.sector_shares`), whose share vectors feed :func:`similarity_matrix`;
* **size** — :func:`size_by_report` (average project size = investment ÷ projects) and
  :func:`comparison_group` (row labels of the comparison);
* **tests** — :func:`count_table_from` (printed counts as a count table) and
  :func:`homogeneity_table` (several chi-square tests of homogeneity, counts only);
* **registries** — :func:`province_counts` (national ETDZs and high-tech zones per province, with
  ranks) and :func:`rankings_with_province` (national ETDZ evaluation ranks matched to provinces);
* **labels and figures** — :func:`event_label` (an event's printed label in English or Chinese)
  and :func:`report_label`; ``plot_*`` functions drawing the comparison figures in English or
  Chinese (save them with :func:`zonestudy.figures.save_figure_languages`). Stage words come from
  :func:`zonestudy.figures.label`, numbered rounds from :func:`zonestudy.study.vocabulary.round_label`, id
  lists from :mod:`zonestudy.sources`.

All figures are self-reported by governments and copied by news outlets; a report's "projects"
are the projects on that event's list, not a census of a province's investment. Nothing here
reads files: every function takes DataFrames (the clean tables' columns) and returns new ones.

Units: money in yuan (``investment_cny``, ``average_size_cny``); counts are project counts;
shares are fractions (0–1).

References
----------
``docs/metrics_spec.md`` §0 (rates are not shares), §4 (shares, HHI, similarity),
§6.2–6.3 (chi-square on counts only); README.md (data provenance) (the facts and the registries).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from zonestudy import compare, figures, metrics
from zonestudy.sources import is_missing, join_ids, split_ids
from zonestudy.study import reference
from zonestudy.study.pipeline import stage_rows
from zonestudy.study.vocabulary import STAGES, round_label

__all__ = [
    "REPORT_KEYS",
    "with_report_keys",
    "collapse_duplicates",
    "event_label",
    "report_label",
    "campaign_kind",
    "comparison_group",
    "focus_round",
    "city_shares",
    "city_concentration",
    "stage_mix",
    "similarity_matrix",
    "matrix_pairs",
    "size_by_report",
    "size_comparison",
    "mix_similarity",
    "count_table_from",
    "homogeneity_table",
    "province_counts",
    "rankings_with_province",
    "plot_city_shares",
    "plot_similarity",
    "plot_size_comparison",
    "plot_stage_mix",
    "plot_province_counts",
]

REPORT_KEYS: tuple[str, ...] = ("province", "province_en", "campaign", "scope", "place", "event")
"""Columns that identify one report (one event's figures for one place), see :func:`with_report_keys`."""

_VALUE_COLUMN = {"projects": "projects", "investment": "investment_cny"}


# --- ids and keys -------------------------------------------------------------------------------


def with_report_keys(facts: pd.DataFrame) -> pd.DataFrame:
    """Add the report key columns ``place`` and ``event`` to campaign facts.

    * ``place`` — the city for ``scope == "city"`` rows (the printed geography when the city
      is missing), else the printed geography (province, zone or area).
    * ``event`` — :func:`zonestudy.study.vocabulary.round_label` where the clean table has a year and a
      round number (``"2023-4"`` is Shanxi's 2023 round 4, ``"2022-4"`` Henan's 第四期), else
      the printed ``round_label`` (``"2021年四季度"``, ``"第十五期"``), else ``"(no label)"``.

    Missing ``province``/``province_en`` become ``""`` so that the keys can be grouped.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts with columns ``province``, ``province_en``, ``scope``, ``city``,
        ``geography``, ``year``, ``round_no``, ``round_label``.

    Returns
    -------
    DataFrame
        A copy with ``place`` and ``event`` added.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "province": ["山西省", "河南省"], "province_en": ["Shanxi", "Henan"],
    ...     "scope": ["city", "province"], "city": ["大同市", None],
    ...     "geography": ["大同市", "河南省"], "year": pd.array([2023, None], dtype="Int64"),
    ...     "round_no": pd.array([4, None], dtype="Int64"), "round_label": ["2023年第四次", "第十五期"]})
    >>> with_report_keys(facts)[["place", "event"]].values.tolist()
    [['大同市', '2023-4'], ['河南省', '第十五期']]
    """
    out = facts.copy()
    for column in ("province", "province_en", "campaign", "geography"):
        if column in out:
            out[column] = out[column].astype("object").where(out[column].notna(), "")
    city = out["city"].astype("object")
    geography = out["geography"].astype("object")
    out["place"] = np.where((out["scope"] == "city") & city.notna(), city, geography)
    out["event"] = [
        round_label(y, r) if not is_missing(y) and not is_missing(r)
        else (str(label) if not is_missing(label) else "(no label)")
        for y, r, label in zip(out["year"], out["round_no"], out["round_label"])
    ]
    return out


def _values(rows: pd.DataFrame) -> pd.Series:
    """The number a row carries: ``value_count`` for projects, ``value_cny`` otherwise."""
    return pd.Series(
        np.where(rows["measure"] == "projects", rows["value_count"], rows["value_cny"]),
        index=rows.index, dtype=float,
    )


def _joined_unique(values: Iterable[Any]) -> str:
    return ";".join(sorted({str(v) for v in values if not is_missing(v)}))


def _qualifiers(values: Iterable[Any]) -> str:
    """``"exact"`` if every figure is exact, else the other qualifiers (``"over"``, ``"approx"``)."""
    found = set(split_ids(values))
    return ";".join(sorted(found - {"exact"})) or ("exact" if found else "")


def _paired_ids(frame: pd.DataFrame, first: str, second: str) -> dict[str, list[str]]:
    """``fact_ids`` and ``source_ids`` of rows that set two printed figures side by side.

    Each row's ids are those of columns ``fact_ids{first}`` and ``fact_ids{second}`` (likewise
    ``source_ids…``), joined with :func:`zonestudy.sources.join_ids`.
    """
    return {ids: [join_ids([a, b]) for a, b in zip(frame[f"{ids}{first}"], frame[f"{ids}{second}"])]
            for ids in ("fact_ids", "source_ids")}


def _stage_order(stages: pd.Series, order: Sequence[str] = STAGES) -> pd.Series:
    """Position of each stage in ``order`` (sign, start, produce by default): a sort key."""
    return stages.map({s: i for i, s in enumerate(order)})


def collapse_duplicates(rows: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per key: the same figure printed by several sources becomes one row.

    Shanxi's 2021 round 1 totals, for example, are printed identically by four sources; they
    are one observation, not four. The value is kept once and the fact and source ids of all
    copies are joined. Figures that *disagree* under the same key are not averaged or chosen
    between: a ``ValueError`` names them.

    Parameters
    ----------
    rows : DataFrame
        Campaign facts with ``measure``, ``value_count``, ``value_cny``, ``qualifier``,
        ``fact_id``, ``source_id`` and the ``keys`` columns.
    keys : sequence of str
        Columns identifying one figure (e.g. :data:`REPORT_KEYS` + ``("stage", "measure")``).

    Returns
    -------
    DataFrame
        ``keys`` + ``value`` (float: count or yuan), ``qualifier`` (joined unique qualifiers),
        ``n_copies``, ``fact_ids``, ``source_ids`` (``;``-joined), sorted by ``keys``.

    Raises
    ------
    ValueError
        If two rows with the same key carry different values.

    Examples
    --------
    >>> rows = pd.DataFrame({"stage": ["sign", "sign", "start"], "measure": "projects",
    ...     "value_count": [413.0, 413.0, 268.0], "value_cny": np.nan, "qualifier": "exact",
    ...     "fact_id": ["F1", "F7", "F2"], "source_id": ["S2", "S9", "S2"]})
    >>> collapse_duplicates(rows, ["stage"])[["stage", "value", "n_copies", "source_ids"]]
       stage  value  n_copies source_ids
    0   sign  413.0         2      S2;S9
    1  start  268.0         1         S2
    """
    keys = list(keys)
    work = rows.assign(_value=_values(rows))
    if work.empty:
        return pd.DataFrame(columns=[*keys, "value", "qualifier", "n_copies", "fact_ids", "source_ids"])
    grouped = work.groupby(keys, dropna=False, sort=True)
    out = grouped.agg(
        value=("_value", "first"),
        n_values=("_value", "nunique"),
        qualifier=("qualifier", _joined_unique),
        n_copies=("_value", "size"),
        fact_ids=("fact_id", join_ids),
        source_ids=("source_id", join_ids),
    ).reset_index()
    conflicts = out[out["n_values"] > 1]
    if len(conflicts):
        listed = "; ".join(
            f"{dict(zip(keys, row[keys]))} (facts {row['fact_ids']})"
            for _, row in conflicts.head(10).iterrows()
        )
        raise ValueError(f"{len(conflicts)} figure(s) printed with different values under one key: {listed}")
    return out.drop(columns="n_values")


# --- labels -------------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEASONS = {"春季": "spring", "夏季": "summer", "秋季": "autumn", "冬季": "winter"}
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")


def _cn_int(text: str) -> int:
    """Arabic or Chinese numeral (一 … 九十九) as int."""
    if text.isdigit():
        return int(text)
    import cn2an

    return int(cn2an.cn2an(text, "smart"))


def _round_word(label: str) -> tuple[str, str]:
    if "批" in label:
        return "batch", "批"
    if "期" in label:
        return "round", "期"
    return "round", "次"


def event_label(round_label: Any, year: Any = None, round_no: Any = None, lang: str = "en") -> str:
    """A short English or Chinese label for a campaign event.

    English labels are built from the printed ``round_label`` by rules (numbered rounds, quarters,
    seasons, half-years, month ranges, years); an English label never contains Chinese
    characters (the fallback is ``"unlabelled report"``). Chinese labels are the printed label
    with English remarks removed, or ``<year>年第<n>次/期/批`` for numbered rounds.

    Parameters
    ----------
    round_label : str
        The label as printed (``"2023年第四次"``, ``"第四期"``, ``"2021年四季度"``).
    year, round_no : int, optional
        The clean table's year and round number, when known.
    lang : {"en", "zh"}

    Returns
    -------
    str

    Examples
    --------
    >>> event_label("2023年第四次", 2023, 4), event_label("第四期", 2022, 4)
    ('2023 round 4', 'round 4 (2022)')
    >>> event_label("第十五期"), event_label("2021年四季度"), event_label("2023年第二批", 2023, 2)
    ('round 15', '2021 Q4', '2023 batch 2')
    >>> event_label("2025年春季"), event_label("二季度 (year not printed)"), event_label("2024年1-11月")
    ('2025 spring', 'Q2 (year not printed)', '2024 Jan–Nov')
    >>> event_label("第四期", 2022, 4, lang="zh"), event_label("2023年第四次", 2023, 4, lang="zh")
    ('第4期(2022年)', '2023年第4次')
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    label = "" if is_missing(round_label) else " ".join(str(round_label).split())
    if not is_missing(year) and not is_missing(round_no):
        y, n = int(year), int(round_no)
        word, word_zh = _round_word(label)
        if lang == "zh":
            if word_zh == "期" and not label.startswith(str(y)):
                return f"第{n}期({y}年)"
            return f"{y}年第{n}{word_zh}"
        if word == "round" and "期" in label and not label.startswith(str(y)):
            return f"round {n} ({y})"
        return f"{y} {word} {n}"
    if lang == "zh":
        text = re.sub(r"\s*\([^)]*[A-Za-z][^)]*\)", "", label).strip()
        return text or "未标明"
    if label and not _CJK.search(label):
        return label
    note = " (year not printed)" if "year not printed" in label else ""
    patterns: list[tuple[str, Callable[[re.Match], str]]] = [
        (r"前([一二三四五六七八九十\d]+)期", lambda m: f"rounds 1–{_cn_int(m.group(1))}"),
        (r"第([一二三四五六七八九十百\d]+)期", lambda m: f"round {_cn_int(m.group(1))}"),
        (r"(\d{4})年第?([一二三四1-4])季度", lambda m: f"{m.group(1)} Q{_cn_int(m.group(2))}"),
        (r"^第?([一二三四1-4])季度", lambda m: f"Q{_cn_int(m.group(1))}{note}"),
        (r"(\d{4})年(春季|夏季|秋季|冬季)", lambda m: f"{m.group(1)} {_SEASONS[m.group(2)]}"),
        (r"(\d{4})年上半年", lambda m: f"{m.group(1)} H1"),
        (r"(\d{4})年下半年", lambda m: f"{m.group(1)} H2"),
        (r"(\d{4})年(\d{1,2})-(\d{1,2})月",
         lambda m: f"{m.group(1)} {_MONTHS[int(m.group(2)) - 1]}–{_MONTHS[int(m.group(3)) - 1]}"),
        (r"(\d{4})年第([一二三四五六七八九十\d]+)(次|批)",
         lambda m: f"{m.group(1)} {'batch' if m.group(3) == '批' else 'round'} {_cn_int(m.group(2))}"),
        (r"(\d{4})年.*启动", lambda m: f"{m.group(1)} launch event"),
        (r"(\d{4})年", lambda m: m.group(1)),
    ]
    for pattern, build in patterns:
        match = re.search(pattern, label)
        if match:
            return build(match)
    return "unlabelled report"


def report_label(row: Any, lang: str = "en", *, place: bool = False, stage: bool = False) -> str:
    """Label of one report: province (and place), event (and stage).

    Parameters
    ----------
    row : mapping or Series
        With ``province``, ``province_en``, ``round_label``, ``year``, ``round_no`` and, if
        used, ``place`` and ``stage``.
    lang : {"en", "zh"}
    place : bool
        Add the place (English name via :func:`zonestudy.zones.english_name`).
    stage : bool
        Add the stage (:func:`zonestudy.figures.label`: Signed / Started / In production /
        All stages).

    Returns
    -------
    str

    Examples
    --------
    >>> row = {"province": "河南省", "province_en": "Henan", "round_label": "第四期",
    ...        "year": 2022, "round_no": 4, "place": "河南省", "stage": "start"}
    >>> report_label(row), report_label(row, stage=True), report_label(row, "zh")
    ('Henan, round 4 (2022)', 'Henan, round 4 (2022), Started', '河南省 第4期(2022年)')
    """
    from zonestudy import zones

    event = event_label(row["round_label"], row.get("year"), row.get("round_no"), lang)
    if lang == "zh":
        parts = [row["province"] or "(未标明省份)"]
        if place and row.get("place") and row["place"] != row["province"]:
            parts.append(str(row["place"]))
        text = " ".join(parts) + " " + event
        if stage:
            text += " " + figures.label(row["stage"], "zh")
        return text
    parts = [row["province_en"] or "(province not named)"]
    if place and row.get("place") and row["place"] != row["province"]:
        parts.append(zones.english_name(row["place"]))
    parts.append(event)
    if stage:
        parts.append(figures.label(row["stage"], "en"))
    return ", ".join(parts)


def campaign_kind(campaign: Any) -> str:
    """Classify a campaign name: campaign round, concentrated event, or list / period total.

    * ``"campaign round"`` — a "三个一批" round (Shanxi's zones, Henan);
    * ``"concentrated event"`` — a one-day concentrated start / completion / signing event
      (集中开工, 集中开竣工, 联动开工, 开工动员, 现场推进会 (集中开工), 集中开工周 …);
    * ``"list or period total"`` — anything else: annual key-project lists (重点项目, 年度清单),
      signing totals over a period, programme totals. Their averages mix projects of every
      vintage and are not comparable with an event's list.

    Examples
    --------
    >>> [campaign_kind(c) for c in ["三个一批 (全省开发区)", "重大项目集中开工 (开工动员)",
    ...                             "省重点建设项目", "高质量发展重大项目建设现场推进会 (集中开工)"]]
    ['campaign round', 'concentrated event', 'list or period total', 'concentrated event']
    """
    text = "" if is_missing(campaign) else str(campaign)
    if "三个一批" in text:
        return "campaign round"
    if re.search(r"集中开|联动.*开工|开工动员|集中签约|开工周", text):
        return "concentrated event"
    return "list or period total"


def comparison_group(row: Any, lang: str = "en") -> str:
    """Row label of the size comparison: Shanxi (province / pooled cities), Henan (rounds /
    other events), or the province; totals over several rounds or a year (``scope ==
    "cumulative"``) get a group of their own, never pooled with per-round lists.

    Parameters
    ----------
    row : mapping or Series
        With ``province``, ``province_en``, ``scope`` and ``kind`` (:func:`campaign_kind`).
    lang : {"en", "zh"}

    Returns
    -------
    str

    Examples
    --------
    >>> comparison_group({"province": "山西省", "province_en": "Shanxi", "scope": "city",
    ...                   "kind": "campaign round"})
    'Shanxi, reporting cities (pooled)'
    >>> comparison_group({"province": "河南省", "province_en": "Henan", "scope": "province",
    ...                   "kind": "campaign round"}, "zh")
    '河南(三个一批各期)'
    >>> comparison_group({"province": "山西省", "province_en": "Shanxi", "scope": "cumulative",
    ...                   "kind": "list or period total"})
    'Shanxi, totals over several rounds or a year'
    """
    zh = lang == "zh"
    if row["scope"] == "cumulative":
        name = row["province"] if zh else row["province_en"]
        return f"{name}(多批次或全年累计)" if zh else f"{name}, totals over several rounds or a year"
    if row["province"] == "山西省":
        if row["scope"] == "city":
            return "山西(报道城市合计)" if zh else "Shanxi, reporting cities (pooled)"
        return "山西(全省)" if zh else "Shanxi, province"
    if row["province"] == "河南省":
        if row["kind"] == "campaign round":
            return "河南(三个一批各期)" if zh else "Henan, campaign rounds"
        return "河南(其他集中活动)" if zh else "Henan, other events"
    if zh:
        return row["province"] or "(未标明省份)"
    return row["province_en"] or "(province not named)"


# --- 1. cities -----------------------------------------------------------------------------------


def _base(facts: pd.DataFrame, measures: Iterable[str], stages: Iterable[str]) -> pd.DataFrame:
    """Whole stage lists (:func:`zonestudy.study.pipeline.stage_rows`) of ``measures`` and ``stages``,
    with the report keys; ``"all"`` totals only when ``stages`` names them."""
    keyed = facts if {"place", "event"} <= set(facts.columns) else with_report_keys(facts)
    stages = list(stages)
    rows = stage_rows(keyed, list(measures), include_all="all" in stages)
    return rows[rows["stage"].isin(stages)]


def focus_round(facts: pd.DataFrame, province: str = "山西省") -> tuple[int, int]:
    """The numbered round compared in detail: most cities with counts of their own, and a province count.

    Among the numbered rounds (year and round number known) in which ``province`` prints a project
    count for at least one stage list, the round in which the most of its cities print per-stage
    project counts of their own (:func:`zonestudy.study.pipeline.stage_rows`: whole lists only, no
    all-stage totals, no splits or subsets). Ties go to the latest round.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts: ``province``, ``scope``, ``city``, ``geography``, ``year``, ``round_no``,
        ``value_count`` and the :func:`zonestudy.study.pipeline.stage_rows` columns.
    province : str, default "山西省"
        Full Chinese name of the province.

    Returns
    -------
    tuple of int
        ``(year, round_no)``.

    Raises
    ------
    ValueError
        If no numbered round has both a province project count and a city project count.

    Examples
    --------
    Two rounds with a province count; 2023-3 and 2023-4 both have two cities (tie → the later),
    2024-1 has three cities but no province count:

    >>> facts = pd.DataFrame({
    ...     "province": "山西省", "scope": ["province", "city", "city", "province", "city", "city",
    ...                                     "city", "city", "city"],
    ...     "city": [None, "大同市", "朔州市", None, "大同市", "晋城市", "大同市", "朔州市", "晋城市"],
    ...     "geography": ["山西省", "大同市", "朔州市", "山西省", "大同市", "晋城市", "大同市", "朔州市",
    ...                   "晋城市"],
    ...     "year": 2023, "round_no": [3, 3, 3, 4, 4, 4, 1, 1, 1], "stage": "sign",
    ...     "measure": "projects", "breakdown": "none", "parsed": True, "overlaps_main_split": False,
    ...     "value_count": [100.0, 20, 10, 90, 30, 5, 1, 2, 3]})
    >>> facts.loc[6:, "year"] = 2024
    >>> focus_round(facts)
    (2023, 4)
    """
    rows = stage_rows(facts, "projects", ["province", "city"])
    rows = rows[(rows["province"] == province) & rows["value_count"].notna()
                & rows["year"].notna() & rows["round_no"].notna()]
    keys = ["year", "round_no"]
    with_total = set(rows.loc[rows["scope"] == "province", keys].itertuples(index=False, name=None))
    cities = rows[rows["scope"] == "city"]
    place = cities["city"].where(cities["city"].notna(), cities["geography"])
    n_cities = place.groupby([cities["year"], cities["round_no"]]).nunique()
    candidates = sorted((int(n), int(y), int(r)) for (y, r), n in n_cities.items() if (y, r) in with_total)
    if not candidates:
        raise ValueError(f"no numbered round of {province} prints both a province and a city project count")
    _, year, round_no = candidates[-1]
    return year, round_no


def city_shares(
    facts: pd.DataFrame,
    event: tuple[int, int],
    measure: str = "projects",
    *,
    province: str = "山西省",
) -> pd.DataFrame:
    r"""City shares of one round's figures, by stage.

    For city c and stage s of the round:

    .. math::

        \text{share of province}_{cs} = \frac{x_{cs}}{X_s}, \qquad
        \text{share of reported}_{cs} = \frac{x_{cs}}{\sum_{c'} x_{c's}}

    where :math:`x_{cs}` is the city's printed figure and :math:`X_s` the province total printed
    for the same round (empty when no province total is printed — e.g. investment in 2023
    round 4). The second share is over the cities that print the figure, so it describes the
    distribution *among reporting cities*, not across the province.

    Only per-stage rows (sign/start/produce, breakdown "none", ``measure`` exactly as asked) are
    used: ``all`` rows are totals over the stages, and rows with measure ``other`` (e.g. 忻州's
    on-site signings only) are not comparable counts.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts (clean table columns).
    event : (year, round_no)
        The round, e.g. ``(2023, 4)``.
    measure : {"projects", "investment"}
    province : str
        Province (full Chinese name) whose cities are compared.

    Returns
    -------
    DataFrame
        One row per city × stage: ``event``, ``city``, ``city_en``, ``stage``, the value
        (``projects``, Int64, or ``investment_cny``, float), the province total (``province_projects`` /
        ``province_investment_cny``), ``share_of_province``, ``share_of_reported``,
        ``qualifier``, ``fact_ids``, ``source_ids`` (the city row's and the total's).
        Sorted by stage (sign, start, produce) and city.

    References
    ----------
    metrics_spec §4 (shares :math:`s_{ik} = x_{ik} / x_{i\cdot}`); the city paragraphs of the
    2023 round 4 report (source SX-S001) are the main use.

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "province": "山西省", "province_en": "Shanxi", "campaign": "三个一批",
    ...     "scope": ["province", "city", "city"], "city": [None, "大同市", "长治市"],
    ...     "geography": ["山西省", "大同市", "长治市"], "year": 2023, "round_no": 4,
    ...     "round_label": "2023年第四次", "stage": "sign", "breakdown": "none",
    ...     "measure": "projects", "value_count": [100.0, 20.0, 30.0], "value_cny": np.nan,
    ...     "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
    ...     "fact_id": ["F1", "F2", "F3"], "source_id": "S1"})
    >>> city_shares(facts, (2023, 4))[["city_en", "share_of_province", "share_of_reported"]]
        city_en  share_of_province  share_of_reported
    0    Datong                0.2                0.4
    1  Changzhi                0.3                0.6
    """
    from zonestudy import zones

    if measure not in _VALUE_COLUMN:
        raise ValueError(f"measure must be 'projects' or 'investment', got {measure!r}")
    year, round_no = event
    rows = _base(facts, [measure], STAGES)
    in_round = (rows["province"] == province) & (rows["year"] == year) & (rows["round_no"] == round_no)
    rows = rows[in_round.fillna(False).astype(bool)]
    column = _VALUE_COLUMN[measure]
    cities = collapse_duplicates(rows[rows["scope"] == "city"], ["place", "stage"])
    totals = collapse_duplicates(rows[rows["scope"] == "province"], ["stage"])
    out = cities.rename(columns={"place": "city", "value": column})
    totals = totals.rename(columns={"value": f"province_{column}", "fact_ids": "fact_ids_total",
                                    "source_ids": "source_ids_total"})
    out = out.merge(totals[["stage", f"province_{column}", "fact_ids_total", "source_ids_total"]],
                    on="stage", how="left")
    out["share_of_province"] = out[column] / out[f"province_{column}"]
    out["share_of_reported"] = out[column] / out.groupby("stage")[column].transform("sum")
    out = out.assign(**_paired_ids(out, "", "_total"))
    if measure == "projects":
        out[column] = out[column].round().astype("Int64")
        out[f"province_{column}"] = out[f"province_{column}"].round().astype("Int64")
    out["event"] = round_label(year, round_no)
    out["city_en"] = [zones.english_name(c) for c in out["city"]]
    out["_order"] = _stage_order(out["stage"])
    out = out.sort_values(["_order", "city"], kind="stable").reset_index(drop=True)
    return out[["event", "city", "city_en", "stage", column, f"province_{column}",
                "share_of_province", "share_of_reported", "qualifier", "fact_ids", "source_ids"]]


def city_concentration(shares: pd.DataFrame) -> pd.DataFrame:
    r"""Concentration of a round's figures across the cities that print them, by stage.

    With :math:`s_c` the share of reporting city c (``share_of_reported`` of
    :func:`city_shares`) and N the number of reporting cities:

    .. math::

        H = \sum_c s_c^2, \qquad H^* = \frac{H - 1/N}{1 - 1/N}, \qquad N_{eq} = 1/H

    (:func:`zonestudy.metrics.hhi`). :math:`N_{eq}` is the number of equal-sized cities that
    would give the same H. ``itemised`` is the sum of ``share_of_province``: the part of the
    province total that the reporting cities account for (empty without a province total).
    With few cities and an unknown remainder, H describes the reporting cities only.

    Parameters
    ----------
    shares : DataFrame
        Output of :func:`city_shares`.

    Returns
    -------
    DataFrame
        One row per stage (in :data:`STAGES` order): ``n_cities``, ``itemised``, ``hhi``,
        ``hhi_normalised`` (empty for one city), ``equivalent_cities``.

    References
    ----------
    metrics_spec §4.4 (HHI and its normalisation).

    Examples
    --------
    >>> shares = pd.DataFrame({"stage": ["sign", "sign", "start"],
    ...     "share_of_reported": [0.5, 0.5, 1.0], "share_of_province": [0.2, 0.2, 0.1]})
    >>> city_concentration(shares).round(2)  # doctest: +NORMALIZE_WHITESPACE
           n_cities  itemised  hhi  hhi_normalised  equivalent_cities
    stage
    sign          2       0.4  0.5             0.0                2.0
    start         1       0.1  1.0             NaN                1.0
    """
    rows = []
    for stage in [s for s in STAGES if s in set(shares["stage"])]:
        part = shares[shares["stage"] == stage]
        s = part["share_of_reported"].to_numpy(dtype=float)
        h = float(metrics.hhi(s))
        itemised = part["share_of_province"].sum(min_count=1)
        rows.append({
            "stage": stage,
            "n_cities": len(part),
            "itemised": float(itemised) if pd.notna(itemised) else np.nan,
            "hhi": h,
            "hhi_normalised": float(metrics.hhi(s, normalized=True)) if len(part) > 1 else np.nan,
            "equivalent_cities": 1.0 / h,
        })
    return pd.DataFrame(rows).set_index("stage")


# --- 2. structure --------------------------------------------------------------------------------


def _first_labels(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The printed round label, year and round number of each report (first fact id)."""
    cols = [c for c in ("round_label", "year", "round_no") if c in rows]
    return rows.sort_values("fact_id").groupby(keys, dropna=False, sort=True)[cols].first().reset_index()


def stage_mix(
    facts: pd.DataFrame, *, scope: str = "province", province: str | None = None
) -> pd.DataFrame:
    r"""Stage mix of each report that prints project counts for all three stages.

    .. math::

        m_{rs} = \frac{n_{rs}}{n_{r,\text{sign}} + n_{r,\text{start}} + n_{r,\text{produce}}}

    The three lists of a round hold *different* projects (most projects started in a round were
    signed earlier), so the mix describes the composition of the round's activity; it is not a
    conversion rate (metrics_spec §0). A printed all-stage total (``printed_total``) is kept
    for comparison with the sum of the stages.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts.
    scope : {"province", "city", "zone", "cumulative"}
    province : str, optional
        Keep one province (full Chinese name).

    Returns
    -------
    DataFrame
        One row per report: the :data:`REPORT_KEYS`, ``round_label``, ``year``, ``round_no``,
        ``sign``, ``start``, ``produce`` (int64 counts), ``total``, ``printed_total``
        (Int64, empty when not printed), ``share_sign``, ``share_start``, ``share_produce``,
        ``fact_ids``, ``source_ids``.

    References
    ----------
    metrics_spec §0 (lists of one round are flows, not cohorts) and §4 (shares).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "province": "山西省", "province_en": "Shanxi", "campaign": "三个一批",
    ...     "scope": "province", "city": None, "geography": "山西省", "year": 2021,
    ...     "round_no": 1, "round_label": "2021年第一期", "stage": ["sign", "start", "produce"],
    ...     "breakdown": "none", "measure": "projects", "value_count": [413.0, 268.0, 245.0],
    ...     "value_cny": np.nan, "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
    ...     "fact_id": ["F1", "F2", "F3"], "source_id": "S2"})
    >>> stage_mix(facts)[["sign", "start", "produce", "total", "share_sign"]].round(3)
       sign  start  produce  total  share_sign
    0   413    268      245    926       0.446
    """
    rows = _base(facts, ["projects"], (*STAGES, "all"))
    rows = rows[rows["scope"] == scope]
    if province is not None:
        rows = rows[rows["province"] == province]
    keys = list(REPORT_KEYS)
    collapsed = collapse_duplicates(rows, [*keys, "stage"])
    wide = collapsed.pivot_table(index=keys, columns="stage", values="value", aggfunc="first")
    for stage in (*STAGES, "all"):
        if stage not in wide:
            wide[stage] = np.nan
    wide = wide.dropna(subset=list(STAGES)).reset_index()
    ids = collapsed.groupby(keys, dropna=False).agg(
        fact_ids=("fact_ids", join_ids), source_ids=("source_ids", join_ids)).reset_index()
    out = wide.merge(_first_labels(rows, keys), on=keys, how="left").merge(ids, on=keys, how="left")
    for stage in STAGES:
        out[stage] = out[stage].astype("int64")
    out["total"] = out[list(STAGES)].sum(axis=1).astype("int64")
    out["printed_total"] = out["all"].astype("Int64")
    for stage in STAGES:
        out[f"share_{stage}"] = out[stage] / out["total"]
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[[*keys, "round_label", "year", "round_no", *STAGES, "total", "printed_total",
                *(f"share_{s}" for s in STAGES), "fact_ids", "source_ids"]]


def similarity_matrix(shares: pd.DataFrame, method: str = "cosine") -> pd.DataFrame:
    r"""Pairwise similarity (cosine) or dissimilarity (Krugman) of share vectors.

    Entry (i, j) is :func:`zonestudy.metrics.similarity` of rows i and j, computed for all pairs
    i ≤ j in one call of its frame-against-frame form and mirrored:
    cosine :math:`\sum_k a_k b_k / \sqrt{\sum a_k^2 \sum b_k^2}` (1 = same structure) or Krugman
    :math:`\sum_k |a_k - b_k|` (0 = same structure, 2 = nothing in common).

    Parameters
    ----------
    shares : DataFrame
        Rows = units (cities, reports), columns = categories; each row sums to 1. The index
        must be unique.
    method : {"cosine", "krugman"}

    Returns
    -------
    DataFrame
        Square and symmetric, indexed and columned by ``shares.index``.

    References
    ----------
    metrics_spec §4.1 (UNIDO cosine coefficient) and §4.2 (Krugman index).

    Examples
    --------
    >>> shares = pd.DataFrame({"sign": [0.5, 0.2], "start": [0.3, 0.3], "produce": [0.2, 0.5]},
    ...                       index=["A", "B"])
    >>> similarity_matrix(shares).round(3)
           A      B
    A  1.000  0.763
    B  0.763  1.000
    >>> similarity_matrix(shares, "krugman").round(2).loc["A", "B"]
    np.float64(0.6)
    """
    if not isinstance(shares, pd.DataFrame) or shares.empty:
        raise ValueError("shares must be a non-empty DataFrame (rows = units, columns = categories)")
    if shares.index.has_duplicates:
        raise ValueError("shares has duplicate row labels")
    # every pair i <= j in one call (rows of `first` against the same rows of `second`), mirrored
    first, second = np.triu_indices(len(shares))
    pairs = pd.MultiIndex.from_arrays([shares.index[first], shares.index[second]])
    upper = metrics.similarity(shares.iloc[first].set_axis(pairs),
                               shares.iloc[second].set_axis(pairs), method).to_numpy()
    values = np.empty((len(shares), len(shares)))
    values[first, second] = upper
    values[second, first] = upper
    return pd.DataFrame(values, index=shares.index, columns=shares.index)


def matrix_pairs(matrix: pd.DataFrame) -> pd.Series:
    """The distinct off-diagonal pairs (i < j) of a square matrix, as a Series.

    Parameters
    ----------
    matrix : DataFrame
        Square, e.g. from :func:`similarity_matrix`.

    Returns
    -------
    Series
        Indexed by (row label, column label), in row order.

    Examples
    --------
    >>> m = pd.DataFrame([[0, 1, 2], [1, 0, 3], [2, 3, 0]], index=list("abc"), columns=list("abc"))
    >>> matrix_pairs(m).to_dict()
    {('a', 'b'): 1, ('a', 'c'): 2, ('b', 'c'): 3}
    """
    labels = list(matrix.index)
    if labels != list(matrix.columns):
        raise ValueError("matrix must be square with the same row and column labels")
    keys = [(labels[i], labels[j]) for i in range(len(labels)) for j in range(i + 1, len(labels))]
    values = [matrix.iloc[i, j] for i in range(len(labels)) for j in range(i + 1, len(labels))]
    return pd.Series(values, index=pd.MultiIndex.from_tuples(keys) if keys else None, dtype=matrix.dtypes.iloc[0])


# --- 2b. size ------------------------------------------------------------------------------------


def size_by_report(
    facts: pd.DataFrame,
    *,
    scope: str = "province",
    pool_places: bool = False,
    stages: Sequence[str] = STAGES,
) -> pd.DataFrame:
    r"""Average project size of each report and stage where projects and investment are printed.

    .. math::

        \bar I_{rs} = \frac{I_{rs}}{N_{rs}} \quad \text{(yuan per project;}
        \div 10^8 \text{ for 亿元)}

    with :math:`I_{rs}` the investment printed for report r and stage s (signed amount for
    签约, planned total investment for 开工 / 投产 lists, as printed) and :math:`N_{rs}` the
    number of projects (:func:`zonestudy.metrics.average_size`). A figure printed as a lower
    bound (``qualifier`` "over") gives a lower bound on the size.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts.
    scope : {"province", "city", "zone", "cumulative"}
    pool_places : bool
        Pool the places of one event (e.g. the Shanxi cities that print both figures for a
        round): :math:`\sum_c I_{cs} / \sum_c N_{cs}` over cities c printing both; adds
        ``n_places`` and ``places``.
    stages : sequence of str, default :data:`zonestudy.study.vocabulary.STAGES`
        Stages to keep. Per-stage lists only by default; ``"all"`` (printed all-stage totals)
        only when named — never compare such a total with the per-stage rows.

    Returns
    -------
    DataFrame
        One row per report (or pooled event) × stage: the :data:`REPORT_KEYS` (``place`` is
        empty when pooled), ``round_label``, ``year``, ``round_no``, ``stage``, ``kind``
        (:func:`campaign_kind`), ``projects`` (int64), ``investment_cny``,
        ``average_size_cny``, ``qualifier``, ``fact_ids``, ``source_ids``.

    References
    ----------
    metrics_spec §1.3 and §4.6 (average size as investment / projects).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "province": "河南省", "province_en": "Henan", "campaign": "三个一批",
    ...     "scope": "province", "city": None, "geography": "河南省", "year": 2022, "round_no": 4,
    ...     "round_label": "第四期", "stage": "sign", "breakdown": "none",
    ...     "measure": ["projects", "investment"], "value_count": [560.0, np.nan],
    ...     "value_cny": [np.nan, 4364e8], "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
    ...     "fact_id": ["F3", "F4"], "source_id": "P1"})
    >>> out = size_by_report(facts)
    >>> round(float(out.loc[0, "average_size_cny"]) / 1e8, 2), out.loc[0, "kind"]
    (7.79, 'campaign round')
    """
    rows = _base(facts, ["projects", "investment"], stages)
    rows = rows[rows["scope"] == scope]
    keys = list(REPORT_KEYS)
    collapsed = collapse_duplicates(rows, [*keys, "stage", "measure"])
    projects = collapsed[collapsed["measure"] == "projects"].drop(columns=["measure", "n_copies"])
    money = collapsed[collapsed["measure"] == "investment"].drop(columns=["measure", "n_copies"])
    both = projects.merge(money, on=[*keys, "stage"], suffixes=("_p", "_i"))
    both = both[both["value_p"] > 0]
    both = both.assign(
        projects=both["value_p"],
        investment_cny=both["value_i"],
        qualifier=[_qualifiers([a, b]) for a, b in zip(both["qualifier_p"], both["qualifier_i"])],
        **_paired_ids(both, "_p", "_i"),
    )
    labels = _first_labels(rows, keys)
    if pool_places:
        pooled_keys = [k for k in keys if k != "place"]
        both = both.groupby([*pooled_keys, "stage"], dropna=False, sort=True).agg(
            projects=("projects", "sum"), investment_cny=("investment_cny", "sum"),
            n_places=("place", "size"), places=("place", _joined_unique),
            qualifier=("qualifier", _qualifiers), fact_ids=("fact_ids", join_ids),
            source_ids=("source_ids", join_ids)).reset_index()
        both["place"] = ""
        labels = labels.sort_values(pooled_keys, kind="stable").groupby(
            pooled_keys, dropna=False).first().reset_index().drop(columns="place")
        out = both.merge(labels, on=pooled_keys, how="left")
        extra = ["n_places", "places"]
    else:
        out = both.merge(labels, on=keys, how="left")
        extra = []
    out["projects"] = out["projects"].astype("int64")
    out["average_size_cny"] = metrics.average_size(out["investment_cny"], out["projects"]).to_numpy()
    out["kind"] = [campaign_kind(c) for c in out["campaign"]]
    out["_order"] = _stage_order(out["stage"], (*STAGES, "all"))
    out = out.sort_values([*keys, "_order"], kind="stable").reset_index(drop=True)
    return out[[*keys, "round_label", "year", "round_no", "stage", "kind", "projects",
                "investment_cny", "average_size_cny", *extra, "qualifier", "fact_ids", "source_ids"]]


_FIRST_GROUPS: tuple[str, ...] = ("Shanxi, province", "Shanxi, reporting cities (pooled)",
                                  "Henan, campaign rounds", "Henan, other events")
"""Order of the named groups at the top of :func:`size_comparison` (the rest follow by name)."""


def size_comparison(facts: pd.DataFrame, *, province: str = "山西省") -> pd.DataFrame:
    """Average project size per report and stage list, for the cross-province comparison.

    Per-stage lists only (:func:`size_by_report` with its default stages: no all-stage totals, no
    cumulative or annual totals): every province's province-level reports, plus ``province``'s
    cities pooled per round (Σ investment ÷ Σ projects over the cities printing both). Reports that
    are annual lists or period totals (:func:`campaign_kind` ``"list or period total"``) are left
    out. Rows are labelled with :func:`comparison_group` and :func:`report_label` in English and
    Chinese and ordered: Shanxi province, Shanxi cities, Henan rounds, Henan other events, then
    the other groups by name; within a group by level, year, round, event and stage.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts (with or without the :func:`with_report_keys` columns).
    province : str, default "山西省"
        Province whose cities are pooled per round.

    Returns
    -------
    DataFrame
        :func:`size_by_report` columns plus ``n_places``/``places`` (pooled rows), ``level``
        (``"province"`` or ``"cities, pooled"``), ``group_en``, ``group_zh``, ``report_en``,
        ``report_zh`` and ``size_yi`` (average size in 亿元 = 1e8 yuan per project).

    References
    ----------
    metrics_spec §1.3 and §4.6 (average size as investment / projects).

    Examples
    --------
    >>> facts = pd.DataFrame({
    ...     "province": "河南省", "province_en": "Henan", "campaign": "三个一批",
    ...     "scope": "province", "city": None, "geography": "河南省", "year": 2022, "round_no": 4,
    ...     "round_label": "第四期", "stage": ["sign", "sign", "all", "all"], "breakdown": "none",
    ...     "measure": ["projects", "investment"] * 2, "value_count": [560.0, np.nan, 900, np.nan],
    ...     "value_cny": [np.nan, 4364e8, np.nan, 9000e8], "qualifier": "exact", "parsed": True,
    ...     "overlaps_main_split": False, "fact_id": ["F3", "F4", "F5", "F6"], "source_id": "P1"})
    >>> out = size_comparison(facts)
    >>> out[["group_en", "stage", "level"]].values.tolist(), round(float(out["size_yi"].iloc[0]), 2)
    ([['Henan, campaign rounds', 'sign', 'province']], 7.79)
    """
    keyed = facts if {"place", "event"} <= set(facts.columns) else with_report_keys(facts)
    parts = [size_by_report(keyed, scope="province").assign(level="province")]
    cities = keyed[keyed["province"] == province]
    if (cities["scope"] == "city").any():
        parts.append(size_by_report(cities, scope="city", pool_places=True).assign(level="cities, pooled"))
    sizes = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    sizes = sizes[sizes["kind"] != "list or period total"].copy()
    for lang in ("en", "zh"):
        sizes[f"group_{lang}"] = [comparison_group(r, lang) for _, r in sizes.iterrows()]
        sizes[f"report_{lang}"] = [report_label(r, lang) for _, r in sizes.iterrows()]
    order = list(_FIRST_GROUPS) + sorted(set(sizes["group_en"]) - set(_FIRST_GROUPS))
    sizes["_group"] = sizes["group_en"].map({g: i for i, g in enumerate(order)})
    sizes["_stage"] = _stage_order(sizes["stage"])
    sizes = sizes.sort_values(["_group", "level", "year", "round_no", "event", "_stage"],
                              kind="stable").reset_index(drop=True)
    sizes["size_yi"] = sizes["average_size_cny"] / 1e8
    return sizes.drop(columns=["_group", "_stage"])


def mix_similarity(
    mix: pd.DataFrame, label_col: str, methods: Sequence[str] = ("cosine", "krugman")
) -> dict[str, pd.DataFrame]:
    r"""Similarity matrices of the stage mixes of :func:`stage_mix` rows, one per method.

    Each row's share vector (``share_sign``, ``share_start``, ``share_produce``) is compared with
    every other by :func:`similarity_matrix` (cosine: 1 = same mix; Krugman
    :math:`\sum_s |a_s - b_s|`: 0 = same mix, 2 = nothing in common).

    Parameters
    ----------
    mix : DataFrame
        :func:`stage_mix` output with a display column ``label_col`` (unique labels).
    label_col : str
        Column whose values label the matrices' rows and columns.
    methods : sequence of str, default ("cosine", "krugman")

    Returns
    -------
    dict of str to DataFrame
        ``{method: square matrix}`` in the order of ``methods``.

    Examples
    --------
    >>> mix = pd.DataFrame({"lbl": ["A", "B"], "share_sign": [0.5, 0.2],
    ...                     "share_start": [0.3, 0.3], "share_produce": [0.2, 0.5]})
    >>> m = mix_similarity(mix, "lbl")
    >>> round(float(m["cosine"].loc["A", "B"]), 3), round(float(m["krugman"].loc["A", "B"]), 2)
    (0.763, 0.6)
    """
    shares = mix.set_index(label_col)[[f"share_{s}" for s in STAGES]]
    return {method: similarity_matrix(shares, method) for method in methods}


def count_table_from(frame: pd.DataFrame, columns: Sequence[str], index: str | None = None) -> pd.DataFrame:
    """A table of project counts (int64, marked as counts) from columns of reported counts.

    Reported aggregates are not project-level rows, so :func:`zonestudy.metrics.count_table`
    cannot build their table; this takes the printed counts as they are and marks the result
    ``attrs["kind"] = "count"`` for :func:`zonestudy.compare.share_homogeneity_test`.

    Parameters
    ----------
    frame : DataFrame
        One row per group (report, city …).
    columns : sequence of str
        Count columns (categories), e.g. :data:`STAGES`. Values must be whole numbers.
    index : str, optional
        Column holding the row labels (default: the frame's index).

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        If a value is missing or not a whole number.
    TypeError
        If ``frame`` is marked as amounts or shares (``attrs["weight"]`` set, or ``attrs["kind"]``
        other than ``"count"``), or a column is an amount (``*_cny``): whole-number amounts are
        still not counts of projects.

    Examples
    --------
    >>> mix = pd.DataFrame({"label": ["A", "B"], "sign": [10, 3], "start": [6, 5]})
    >>> t = count_table_from(mix, ["sign", "start"], index="label")
    >>> t.attrs["kind"], t.loc["B"].tolist()
    ('count', [3, 5])
    """
    marked = frame.attrs.get("weight") or frame.attrs.get("kind", "count") != "count"
    amounts = [c for c in columns if str(c).endswith("_cny")]
    if marked or amounts:
        raise TypeError("count_table_from takes counts of projects; this input holds amounts or shares "
                        f"({amounts or frame.attrs}), which a chi-square test must not treat as counts")
    table = frame.set_index(index) if index is not None else frame
    table = table[list(columns)]
    values = table.to_numpy(dtype=float)
    if np.isnan(values).any() or (values != np.round(values)).any():
        raise ValueError("count columns must hold whole numbers without missing values")
    out = table.astype("int64")
    out.columns.name = None
    out.attrs.update(kind="count", weight=None)
    return out


def homogeneity_table(tables: Mapping[str, pd.DataFrame], *, min_expected: float = 5.0) -> pd.DataFrame:
    r"""Chi-square tests of homogeneity on several count tables, one row per test.

    Runs :func:`zonestudy.compare.share_homogeneity_test` (Pearson's
    :math:`X^2 = \sum (O - E)^2 / E` on project counts) on each table. The small-expected-count
    warning is captured and reported as ``cells_below_min`` rather than printed.

    Parameters
    ----------
    tables : mapping
        ``{name: count table}`` (rows = groups, columns = categories, int64 counts).
    min_expected : float
        Threshold for the small expected count rule (5).

    Returns
    -------
    DataFrame
        Indexed by test name: ``groups``, ``categories``, ``projects`` (n), ``chi2``, ``dof``,
        ``p_value``, ``min_expected``, ``cells_below_min``.

    Examples
    --------
    >>> table = pd.DataFrame({"coal": [10, 3], "chem": [6, 5], "food": [4, 12]}, index=["A", "B"])
    >>> homogeneity_table({"spec": table}).round(3).loc["spec"].tolist()
    [2.0, 3.0, 40.0, 7.86, 2.0, 0.02, 5.5, 0.0]
    """
    rows = []
    for name, table in tables.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", compare.SmallExpectedCountWarning)
            result = compare.share_homogeneity_test(table, min_expected=min_expected)
        rows.append({
            "test": name,
            "groups": result.observed.shape[0],
            "categories": result.observed.shape[1],
            "projects": result.n,
            "chi2": result.statistic,
            "dof": result.dof,
            "p_value": result.pvalue,
            "min_expected": result.min_expected,
            "cells_below_min": int((result.expected.to_numpy() < min_expected).sum()),
        })
    return pd.DataFrame(rows).set_index("test")


# --- 3. registries -------------------------------------------------------------------------------


def province_counts(registry: pd.DataFrame) -> pd.DataFrame:
    r"""National ETDZs and national high-tech zones per province, with ranks.

    .. math::

        n^{ETDZ}_p = \#\{z : \text{province}(z) = p,\ \text{national\_etdz}(z)\}, \qquad
        \text{rank}_p = 1 + \#\{q : n_q > n_p\}

    (ties share the best rank, "min" method). The same for high-tech zones.

    Parameters
    ----------
    registry : DataFrame
        The zone registry (``data/clean/zones.csv``): ``province``, ``province_en``,
        ``national_etdz``, ``national_hitech`` (bool), ``source_ids``.

    Returns
    -------
    DataFrame
        Indexed by province (full Chinese name): ``province_en``, ``etdz``, ``hitech`` (int64),
        ``rank_etdz``, ``rank_hitech`` (int64), ``tied_etdz``, ``tied_hitech`` (number of
        other provinces with the same count), ``source_ids`` (of the counted zones).
        Sorted by ``etdz``, then ``hitech`` (descending), then ``province_en``.

    Notes
    -----
    The project's national lists are secondary compilations (sources REG-ETDZ-LIST and
    REG-HITECH-LIST); the high-tech list's provinces were assigned from the zones' cities by
    its compiler (README.md (data provenance)).

    Examples
    --------
    >>> reg = pd.DataFrame({"province": ["山西省", "山西省", "江苏省", "江苏省", "河南省"],
    ...     "province_en": ["Shanxi", "Shanxi", "Jiangsu", "Jiangsu", "Henan"],
    ...     "national_etdz": [True, False, True, True, True],
    ...     "national_hitech": [False, False, True, False, False],
    ...     "source_ids": ["E", "S", "E; W-1", "E", "E"]})
    >>> province_counts(reg)[["etdz", "hitech", "rank_etdz", "tied_etdz", "rank_hitech"]]  # doctest: +NORMALIZE_WHITESPACE
              etdz  hitech  rank_etdz  tied_etdz  rank_hitech
    province
    江苏省          2       1          1          0            1
    河南省          1       0          2          1            2
    山西省          1       0          2          1            2
    """
    national = registry[registry["national_etdz"].astype(bool) | registry["national_hitech"].astype(bool)]
    out = registry.groupby("province", sort=True).agg(
        province_en=("province_en", "first"),
        etdz=("national_etdz", "sum"),
        hitech=("national_hitech", "sum"),
    )
    out[["etdz", "hitech"]] = out[["etdz", "hitech"]].astype("int64")
    ids = national.groupby("province")["source_ids"].agg(join_ids)
    out["source_ids"] = ids.reindex(out.index).fillna("")
    for kind in ("etdz", "hitech"):
        out[f"rank_{kind}"] = out[kind].rank(method="min", ascending=False).astype("int64")
        out[f"tied_{kind}"] = (out.groupby(kind)[kind].transform("size") - 1).astype("int64")
    out = out.sort_values(["etdz", "hitech", "province_en"], ascending=[False, False, True], kind="stable")
    return out[["province_en", "etdz", "hitech", "rank_etdz", "rank_hitech", "tied_etdz",
                "tied_hitech", "source_ids"]]


def rankings_with_province(rankings: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """ETDZ evaluation ranks with the province checked two ways.

    Each ranked zone gets (a) the printed province, normalised to its full name, and (b) the
    province of the registry zone its name matches (:func:`zonestudy.zones.match_zones`;
    names that match no zone, or several, stay empty). A zone belongs to a province when
    either says so.

    Parameters
    ----------
    rankings : DataFrame
        Raw ``etdz_rankings``: ``year``, ``rank``, ``zone_name``, ``province`` (short form).
    registry : DataFrame
        The zone registry.

    Returns
    -------
    DataFrame
        ``rankings`` plus ``province_full``, ``zone_id``, ``matched_by``, ``zone_province``.

    Examples
    --------
    >>> from zonestudy.zones import example_registry
    >>> ranks = pd.DataFrame({"year": [2021], "rank": ["1"], "zone_name": ["苏州工业园区"],
    ...                       "province": ["江苏"], "source_ids": ["W-1"]})
    >>> rankings_with_province(ranks, example_registry())[["province_full", "zone_id"]]
      province_full zone_id
    0           江苏省     NaN
    """
    from zonestudy import zones

    out = rankings.copy()
    out["province_full"] = zones.normalize_province(out["province"])
    matched = zones.match_zones(out["zone_name"], registry, errors="coerce")
    out["zone_id"] = matched["zone_id"]
    out["matched_by"] = matched["matched_by"]
    lookup = registry.drop_duplicates("zone_id").set_index("zone_id")["province"]
    out["zone_province"] = out["zone_id"].map(lookup)
    return out


# --- figures -------------------------------------------------------------------------------------

#: Words of this module's figures, read on first use from ``data/reference/figure_words.csv``
#: (module ``peers``).
_CITY_WORDS: Mapping[str, Mapping[str, str]] = reference.LazyMapping(lambda: reference.words("peers"))


_word = partial(figures.label, labels=_CITY_WORDS)
"""``_word(key, lang)``: :func:`zonestudy.figures.label` with this module's words."""


def _palette(n: int) -> list:
    import seaborn as sns

    return list(sns.color_palette("colorblind", n))


def _stage_legend(ax: Any, lang: str, *, outside: bool = True) -> None:
    """The stages' legend, titled, without a frame: right of the axes, or inside at lower right."""
    where = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0)} if outside else {"loc": "lower right"}
    ax.legend(title=_word("stage", lang), frameon=False, **where)


def plot_city_shares(shares: pd.DataFrame, lang: str = "en"):
    """Horizontal bars: each city's share of the province's projects, by stage.

    Parameters
    ----------
    shares : DataFrame
        :func:`city_shares` output for one round (``measure="projects"``), with a province
        total.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> shares = pd.DataFrame({"city": ["大同市", "大同市"], "city_en": ["Datong", "Datong"],
    ...     "stage": ["sign", "start"], "share_of_province": [0.1, 0.2]})
    >>> fig = plot_city_shares(shares)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Datong']
    >>> shares.loc[1, "share_of_province"] = float("nan")  # not printed: no bar, a note instead
    >>> fig2 = plot_city_shares(shares)
    >>> len(fig2.axes[0].patches), [t.get_text() for t in fig2.axes[0].texts]
    (1, ['not printed'])
    >>> import matplotlib.pyplot as plt; plt.close(fig2)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    name = "city_en" if lang == "en" else "city"
    wide = shares.groupby([name, "stage"])["share_of_province"].first().unstack("stage")
    wide = wide.reindex(columns=[s for s in STAGES if s in wide.columns])
    wide = wide.loc[wide.max(axis=1).sort_values(kind="stable").index]
    fig, ax = plt.subplots()
    height = 0.8 / max(len(wide.columns), 1)
    colours = _palette(len(STAGES))
    positions = np.arange(len(wide))
    for i, stage in enumerate(wide.columns):
        ys = positions + (i - (len(wide.columns) - 1) / 2) * height
        printed = wide[stage].notna().to_numpy()
        ax.barh(ys[printed], 100 * wide[stage].to_numpy(dtype=float)[printed],
                height=height, color=colours[STAGES.index(stage)], label=_word(stage, lang))
        for y in ys[~printed]:  # a stage the city does not print: no bar, said so
            ax.text(0.3, y, {"en": "not printed", "zh": "未公布"}[lang], va="center", fontsize=6,
                    color="0.35")
    ax.set_yticks(positions, list(wide.index))
    ax.set_xlabel(_word("share_of_province", lang))
    ax.set_ylabel(_word("city", lang))
    _stage_legend(ax, lang, outside=False)
    return fig


def plot_similarity(matrices: dict[str, pd.DataFrame], lang: str = "en"):
    """Heatmaps of similarity matrices side by side (e.g. cosine and Krugman).

    Parameters
    ----------
    matrices : dict
        ``{"cosine": DataFrame, "krugman": DataFrame}`` from :func:`similarity_matrix`, with
        display labels as index and columns.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = pd.DataFrame([[1.0, 0.9], [0.9, 1.0]], index=["A", "B"], columns=["A", "B"])
    >>> fig = plot_similarity({"cosine": m})
    >>> fig.axes[0].get_xlabel()
    'City and round'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(matrices), figsize=(6.5, 3.4), squeeze=False)
    for ax, (method, matrix) in zip(axes[0], matrices.items()):
        cmap = "viridis" if method == "cosine" else "viridis_r"
        # each index on its full range (cosine 0-1, Krugman 0-2), so near-identical mixes look alike
        vmin, vmax = (0.0, 1.0) if method == "cosine" else (0.0, 2.0)
        image = ax.imshow(matrix.to_numpy(), cmap=cmap, vmin=vmin, vmax=vmax)
        n = len(matrix)
        ax.set_xticks(range(n), list(matrix.columns), rotation=90, fontsize=6)
        ax.set_yticks(range(n), list(matrix.index), fontsize=6)
        ax.set_xlabel(_word("city_event", lang), fontsize=7)
        ax.set_ylabel(_word("city_event", lang), fontsize=7)
        bar = fig.colorbar(image, ax=ax, shrink=0.6)
        bar.set_label(_word(method, lang), fontsize=7)
        bar.ax.tick_params(labelsize=6)
    return fig


def plot_size_comparison(sizes: pd.DataFrame, group_col: str, lang: str = "en"):
    """Dot plot of average project size (亿元, log scale), one row per group, colour = stage.

    Parameters
    ----------
    sizes : DataFrame
        :func:`size_by_report` rows with a display column ``group_col`` (row label, in the
        order of first appearance from top to bottom).
    group_col : str
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> sizes = pd.DataFrame({"g": ["Shanxi", "Henan"], "stage": ["sign", "start"],
    ...                       "average_size_cny": [6.8e8, 6.3e8]})
    >>> fig = plot_size_comparison(sizes, "g")
    >>> fig.axes[0].get_xscale()
    'log'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if "year" in sizes.columns:  # each row says which years it covers
        sizes = sizes.assign(**{group_col: [f"{g} ({_years_text(sizes.loc[sizes[group_col] == g, 'year'], lang)})"
                                            for g in sizes[group_col]]})
    order = list(dict.fromkeys(sizes[group_col]))
    position = {g: i for i, g in enumerate(order)}
    fig, ax = plt.subplots(figsize=(6.5, 0.28 * len(order) + 1.4))
    stages = (*STAGES, "all")
    colours = _palette(len(stages))
    markers = {"sign": "o", "start": "s", "produce": "^", "all": "D"}
    offsets = {"sign": -0.18, "start": -0.06, "produce": 0.06, "all": 0.18}
    for i, stage in enumerate(stages):
        part = sizes[sizes["stage"] == stage]
        if part.empty:
            continue
        ax.scatter(part["average_size_cny"] / 1e8, [position[g] + offsets[stage] for g in part[group_col]],
                   color=colours[i], marker=markers[stage], s=18, label=_word(stage, lang),
                   alpha=0.9, linewidths=0)
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullFormatter

    ax.set_xscale("log")
    values = sizes["average_size_cny"].to_numpy(dtype=float) / 1e8
    ticks = [t for t in (0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if values.min() / 2 <= t <= values.max() * 2]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set_xlabel(_word("avg_project_size", lang) + (" — log scale" if lang == "en" else "(对数坐标)"))
    ax.set_ylabel(_word("province_or_group", lang))
    ax.grid(axis="x", which="both", linewidth=0.3, alpha=0.5)
    _stage_legend(ax, lang)
    return fig


def _years_text(years: pd.Series, lang: str = "en") -> str:
    """"2021–2023", "2022", plus how many lists print no year.

    >>> _years_text(pd.Series([2023, 2021, None]))
    '2021–2023, 1 undated'
    """
    known = pd.to_numeric(years, errors="coerce").dropna().astype(int)
    undated = int(pd.to_numeric(years, errors="coerce").isna().sum())
    text = "" if known.empty else (f"{known.min()}" if known.min() == known.max()
                                   else f"{known.min()}–{known.max()}")
    if undated:
        extra = f"{undated} undated" if lang == "en" else f"{undated}项未注年份"
        text = f"{text}, {extra}" if text else extra
    return text


def plot_stage_mix(mix: pd.DataFrame, label_col: str, lang: str = "en"):
    """Stacked horizontal bars: share of a report's projects signed / started / producing.

    Parameters
    ----------
    mix : DataFrame
        :func:`stage_mix` output with a display column ``label_col`` (top to bottom).
    label_col : str
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> mix = pd.DataFrame({"lbl": ["A"], "share_sign": [0.4], "share_start": [0.3],
    ...                     "share_produce": [0.3]})
    >>> fig = plot_stage_mix(mix, "lbl")
    >>> len(fig.axes[0].patches)
    3
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(mix) + 1.5))
    colours = _palette(len(STAGES))
    left = np.zeros(len(mix))
    positions = np.arange(len(mix))
    for i, stage in enumerate(STAGES):
        values = 100 * mix[f"share_{stage}"].to_numpy(dtype=float)
        ax.barh(positions, values, left=left, color=colours[i], label=_word(stage, lang), height=0.7)
        for y, x0, v in zip(positions, left, values):
            ax.text(x0 + v / 2, y, f"{v:.0f}", ha="center", va="center", fontsize=6, color="white")
        left += values
    ax.set_yticks(positions, list(mix[label_col]))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(_word("share_projects", lang))
    ax.set_ylabel(_word("report", lang))
    _stage_legend(ax, lang)
    return fig


def plot_province_counts(counts: pd.DataFrame, highlight: str = "山西省", lang: str = "en"):
    """Two panels of horizontal bars: national ETDZs and high-tech zones per province.

    Parameters
    ----------
    counts : DataFrame
        :func:`province_counts` output (index = province, Chinese).
    highlight : str
        Province drawn in a contrasting colour.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> counts = pd.DataFrame({"province_en": ["Jiangsu", "Shanxi"], "etdz": [27, 4],
    ...                        "hitech": [18, 2]}, index=["江苏省", "山西省"])
    >>> fig = plot_province_counts(counts)
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['Number of zones', 'Number of zones']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(6.5, 0.16 * len(counts) + 1.4))
    base, accent = _palette(2)
    for ax, kind in zip(axes, ("etdz", "hitech")):
        ordered = counts.sort_values([kind, "province_en"], ascending=[True, False], kind="stable")
        names = list(ordered["province_en"]) if lang == "en" else list(ordered.index)
        colours = [accent if p == highlight else base for p in ordered.index]
        ax.barh(range(len(ordered)), ordered[kind], color=colours, height=0.7)
        ax.set_yticks(range(len(ordered)), names, fontsize=6)
        ax.set_xlabel(_word("n_zones", lang))
        ax.set_ylabel(_word("province", lang))
        ax.set_title(_word(kind, lang), fontsize=8)
        for tick, p in zip(ax.get_yticklabels(), ordered.index):
            if p == highlight:
                tick.set_color(accent)
    return fig
