"""What the data cover: sources by year and kind, campaign rounds and their stages, registry sizes.

Pure functions on the raw or clean tables, used by ``notebooks/01_load_sources.ipynb`` and
``notebooks/06_findings.ipynb`` to show coverage and state the gaps.
"""

from __future__ import annotations

import pandas as pd

from zonestudy.study.vocabulary import STAGES

__all__ = [
    "source_year",
    "sources_by_year_and_family",
    "round_coverage",
    "peer_coverage",
    "registry_sizes",
    "missing_stage_measures",
    "city_coverage",
]


def _joined(values: pd.Series) -> str:
    return ", ".join(sorted({str(v) for v in values.dropna()}))


def source_year(sources: pd.DataFrame, facts: pd.DataFrame) -> pd.Series:
    """Year of each source: its publication year, else the latest event year of the facts citing it.

    Parameters
    ----------
    sources : DataFrame
        Columns ``source_id`` and ``pub_date`` (datetime).
    facts : DataFrame
        Columns ``source_id`` and ``event_date`` (datetime), all fact tables stacked.

    Returns
    -------
    Series
        Nullable integer year indexed by ``source_id``; missing where neither date is known.

    Examples
    --------
    >>> sources = pd.DataFrame({"source_id": ["A", "B", "C"],
    ...                         "pub_date": pd.to_datetime(["2021-01-03", None, None])})
    >>> facts = pd.DataFrame({"source_id": ["B", "B"], "event_date": pd.to_datetime(["2022-02-26", "2023-01-01"])})
    >>> source_year(sources, facts).tolist()
    [2021, 2023, <NA>]
    """
    event_year = facts.dropna(subset=["event_date"]).groupby("source_id")["event_date"].max().dt.year
    published = sources.set_index("source_id")["pub_date"].dt.year
    year = published.fillna(event_year.reindex(published.index))
    return year.astype("Int64").rename("year")


def sources_by_year_and_family(sources: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Count sources by year (see :func:`source_year`) and family; unknown years in a column ``unknown``.

    Returns a table with families as rows, years as columns and a ``total`` column.
    """
    year = source_year(sources, facts)
    frame = sources.assign(year=sources["source_id"].map(year).astype("string").fillna("unknown"))
    table = pd.crosstab(frame["family"], frame["year"])
    ordered = sorted(c for c in table.columns if c != "unknown") + (["unknown"] if "unknown" in table else [])
    table = table[ordered]
    table["total"] = table.sum(axis=1)
    table.columns.name = "year"
    return table


def round_coverage(facts: pd.DataFrame, rounds: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per campaign event: facts, stages, measures and places each event has figures for.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts (``event_date``, ``round_label``, ``stage``, ``measure``, ``scope``,
        ``geography``, ``source_id``).
    rounds : DataFrame, optional
        Parsed rounds aligned with ``facts`` (columns ``year`` and ``round_no``), used for grouping
        when given.

    Returns
    -------
    DataFrame
        Columns ``facts``, ``stages`` (of sign/start/produce/all), ``measures``,
        ``province_totals`` (measures with a province-level figure), ``cities``, ``sources``.
    """
    frame = facts.copy()
    if rounds is not None:
        keys = ["year", "round_no"]
        frame[keys] = rounds[keys]
    else:
        keys = ["event_date", "round_label"]
    grouped = frame.groupby(keys, dropna=False, sort=True)
    table = grouped.agg(
        facts=("fact_id", "size"),
        stages=("stage", _joined),
        measures=("measure", _joined),
        cities=("geography", lambda g: len(set(g[frame.loc[g.index, "scope"] == "city"]))),
        sources=("source_id", _joined),
    )
    province = frame[frame["scope"] == "province"]
    table["province_totals"] = (
        province.groupby(keys, dropna=False)["measure"].agg(_joined).reindex(table.index).fillna("")
    )
    return table[["facts", "stages", "measures", "province_totals", "cities", "sources"]]


def peer_coverage(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per province: sources, facts, first and last event year, stages and breakdowns."""
    frame = facts.assign(year=facts["event_date"].dt.year)
    table = frame.groupby("province").agg(
        sources=("source_id", "nunique"),
        facts=("fact_id", "size"),
        first_year=("year", "min"),
        last_year=("year", "max"),
        stages=("stage", _joined),
        breakdowns=("breakdown", lambda s: _joined(s[s != "none"])),
    )
    table[["first_year", "last_year"]] = table[["first_year", "last_year"]].astype("Int64")
    return table.sort_values("facts", ascending=False)


def registry_sizes(registries: dict[str, pd.DataFrame], province_column: str = "province",
                   focus: str = "山西") -> pd.DataFrame:
    """Size of each registry, zones in the focus province, and how many rows carry an approval year.

    Examples
    --------
    >>> etdz = pd.DataFrame({"zone_name": ["a", "b", "c"], "province": ["山西", "江苏", "山西"],
    ...                      "approval_year": pd.array([2010, None, None], dtype="Int64")})
    >>> registry_sizes({"national ETDZ": etdz}).loc["national ETDZ"].to_dict()
    {'zones': 3, 'in 山西': 2, 'with approval year': 1}
    """
    rows = {}
    for name, frame in registries.items():
        row = {"zones": len(frame)}
        if province_column in frame:
            row[f"in {focus}"] = int(frame[province_column].str.startswith(focus).sum())
        if "approval_year" in frame:
            row["with approval year"] = int(frame["approval_year"].notna().sum())
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("registry")
    return table.astype("Int64")


def missing_stage_measures(facts: pd.DataFrame, keys: list[str], *, scope: str = "province",
                           measures: tuple[str, ...] = ("projects", "investment")) -> pd.DataFrame:
    """For each event, which stage × measure cells have no figure at the given scope.

    Returns one row per event with a column per measure listing the stages (of sign/start/produce)
    that lack a figure; an empty string means complete.

    Examples
    --------
    >>> facts = pd.DataFrame({"r": [1, 1, 2], "scope": "province", "stage": ["sign", "start", "sign"],
    ...                       "measure": ["projects", "projects", "investment"]})
    >>> missing_stage_measures(facts, ["r"]).to_dict(orient="index")
    {1: {'projects': 'produce', 'investment': 'sign, start, produce'}, 2: {'projects': 'sign, start, produce', 'investment': 'start, produce'}}
    """
    events = facts[keys].drop_duplicates().set_index(keys).index
    present = facts[facts["scope"] == scope].groupby(keys)[["stage", "measure"]].apply(
        lambda g: set(zip(g["stage"], g["measure"]))
    )
    table = pd.DataFrame(index=events)
    for measure in measures:
        table[measure] = [
            ", ".join(s for s in STAGES if (s, measure) not in present.get(key, set()))
            for key in events
        ]
    return table.sort_index()


def city_coverage(facts: pd.DataFrame, cities: list[str]) -> pd.DataFrame:
    """For each numbered round, which cities print figures of their own (✓) and which do not.

    Parameters
    ----------
    facts : DataFrame
        Clean campaign facts with ``year``, ``round_no``, ``scope`` and ``city``.
    cities : list of str
        The cities expected (e.g. Shanxi's eleven prefecture cities).

    Returns
    -------
    DataFrame
        One row per (year, round_no); one column per city holding the number of facts printed for
        it (0 where none), plus ``cities_printed`` and ``cities_missing``.

    Examples
    --------
    >>> facts = pd.DataFrame({"year": [2023, 2023, 2024], "round_no": [4, 4, 3],
    ...                       "scope": "city", "city": ["大同市", "大同市", "阳泉市"]})
    >>> city_coverage(facts, ["大同市", "阳泉市"]).to_dict(orient="index")
    {(2023, 4): {'大同市': 2, '阳泉市': 0, 'cities_printed': 1, 'cities_missing': '阳泉市'}, (2024, 3): {'大同市': 0, '阳泉市': 1, 'cities_printed': 1, 'cities_missing': '大同市'}}
    """
    rounds = facts.dropna(subset=["round_no"])
    city_rows = rounds[(rounds["scope"] == "city") & rounds["city"].isin(cities)]
    table = pd.crosstab([city_rows["year"], city_rows["round_no"]], city_rows["city"])
    index = pd.MultiIndex.from_frame(rounds[["year", "round_no"]].drop_duplicates().sort_values(["year", "round_no"]))
    table = table.reindex(index=index, columns=cities, fill_value=0)
    table.columns.name = None
    table["cities_printed"] = (table[cities] > 0).sum(axis=1)
    table["cities_missing"] = [", ".join(c for c in cities if row[c] == 0) for _, row in table.iterrows()]
    return table
