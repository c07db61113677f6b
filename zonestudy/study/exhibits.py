"""The referee exhibits: the tables the findings cite, built from ``data/clean`` and saved by the notebooks.

Each exhibit has a builder (clean tables → DataFrame with a ``source_ids`` column or a list of
sources), a caption and the clean tables it reads (:data:`EXHIBITS`). A notebook makes one with
``exhibits.save(name, exhibits.build(name, clean), notebook=NOTEBOOK)`` and shows the frame
(``tab13_rate_verdicts`` from the ``tab12_published_rates`` frame: :func:`rate_verdicts`); the
findings (:mod:`zonestudy.study.findings`) read the saved CSV back, so no number is computed twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from zonestudy import figures, io, sources, zones
from zonestudy.study import designs, paper_tables, peers, series
from zonestudy.study import rates as rates_table

__all__ = ["Exhibit", "EXHIBITS", "SHANXI_CITIES", "clean_tables", "round_dates", "build", "save",
           "rate_verdicts"]

SHANXI_CITIES: tuple[str, ...] = tuple(zones.normalize_city(c) for c in (
    "太原", "大同", "朔州", "忻州", "吕梁", "晋中", "阳泉", "长治", "晋城", "临汾", "运城"))
"""Shanxi's eleven prefecture cities, north to south."""


def round_dates() -> pd.DataFrame | None:
    """Dates of rounds printed without a year (Henan), from ``data/raw`` when the file is there."""
    for name in io.resource_names():
        if "round_dates" in name:
            return io.load_raw(name)
    return None


def clean_tables() -> dict[str, pd.DataFrame]:
    """The clean tables the exhibits read (``campaign_facts``, ``published_rates``)."""
    return {name: io.load_clean(name) for name in ("campaign_facts", "published_rates")}


def _city(geography: Any) -> str:
    m = re.match(r"^(.{2,3}?市)", str(geography))
    return m.group(1) if m else str(geography)


def _fingerprint(frame: pd.DataFrame) -> tuple:
    """The contents of a table (values, index, column names and types), as a hashable key."""
    import hashlib

    values = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    return (tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)),
            hashlib.sha256(values.tobytes()).hexdigest())


#: The last rates table built, by the fingerprints of the tables it was built from: tab12 and
#: tab13 both read it, and building it takes seconds.
_RATES_BUILT: dict[tuple, pd.DataFrame] = {}


def _rates(t) -> pd.DataFrame:
    key = (_fingerprint(t["campaign_facts"]), _fingerprint(t["published_rates"]))
    if key not in _RATES_BUILT:
        table = rates_table.rates_table(t["campaign_facts"], t["published_rates"])
        table.insert(5, "city", [_city(g) for g in table["geography"]])
        _RATES_BUILT.clear()
        _RATES_BUILT[key] = table.rename(columns={"source_id": "source_ids"})
    return _RATES_BUILT[key].copy()


def rate_verdicts(rates: pd.DataFrame) -> pd.DataFrame:
    """``tab13_rate_verdicts`` from the ``tab12_published_rates`` frame, without building it again.

    Parameters
    ----------
    rates : DataFrame
        The published-rates exhibit (``build("tab12_published_rates", clean)``): one row per rate
        with ``rate_word``, ``verdict``, ``evidence``, ``exceeds_100`` and ``source_ids``.

    Returns
    -------
    DataFrame
        :func:`zonestudy.study.rates.verdict_counts` of the rates, with ``source_ids`` (every source
        of the rates table, ``;``-joined).

    Examples
    --------
    >>> rates = pd.DataFrame({"rate_word": ["开工率", "投产率", "k of n printed"],
    ...                       "verdict": ["cohort rate k/n (k printed)"] * 3,
    ...                       "evidence": ["decisive", "suggestive", "decisive"],
    ...                       "exceeds_100": False, "source_ids": ["S2", "S1", "S3"]})
    >>> rate_verdicts(rates)[["verdict", "rates", "decisive", "source_ids"]].to_dict("records")[0]
    {'verdict': 'cohort rate k/n (k printed)', 'rates': 2, 'decisive': 1, 'source_ids': 'S1;S2;S3'}
    """
    out = rates_table.verdict_counts(rates)
    out["source_ids"] = sources.join_ids(rates["source_ids"])
    return out


def _verdicts(t) -> pd.DataFrame:
    return rate_verdicts(_rates(t))


def _city_concentration(t) -> pd.DataFrame:
    facts = peers.with_report_keys(t["campaign_facts"])
    event = peers.focus_round(facts)
    shares = peers.city_shares(facts, event, "projects")
    out = peers.city_concentration(shares).reset_index()
    out.insert(0, "event", f"{event[0]}-{event[1]}")
    out["hhi_floor"] = 1 / out["n_cities"]
    out["cities"] = [", ".join(shares.loc[shares["stage"] == s, "city"]) for s in out["stage"]]
    out["source_ids"] = sources.join_ids(shares["source_ids"])
    return out


def _shanxi_sizes(t) -> pd.DataFrame:
    return designs.campaign_sizes(t["campaign_facts"], ("山西省",))


def _both_sizes(t) -> pd.DataFrame:
    return designs.campaign_sizes(t["campaign_facts"], ("山西省", "河南省"))


def _paired(t) -> pd.DataFrame:
    return designs.paired_sizes(_shanxi_sizes(t)).drop(columns="place_round")


def _sign_tests(t) -> pd.DataFrame:
    parts = []
    for model, sizes in (("Shanxi", _shanxi_sizes(t)), ("Shanxi and Henan", _both_sizes(t))):
        paired = designs.paired_sizes(sizes)
        parts.append(designs.sign_tests(paired).assign(
            model=model, source_ids=sources.join_ids(paired["source_ids"])))
    out = pd.concat(parts, ignore_index=True)
    return out[["model", *[c for c in out.columns if c not in ("model", "source_ids")], "source_ids"]]


def _regression(t) -> pd.DataFrame:
    fits, ids = {}, []
    for model, sizes in (("Shanxi", _shanxi_sizes(t)), ("Shanxi and Henan", _both_sizes(t))):
        fits[model] = (designs.fe_regression(sizes), designs.randomization_pvalues(sizes))
        ids.extend(sizes["source_ids"])
    out = designs.regression_table(fits)
    out["source_ids"] = sources.join_ids(ids)
    return out


def _like_for_like(t) -> pd.DataFrame:
    table = designs.like_for_like(t["campaign_facts"], round_dates=round_dates())
    sizes = _both_sizes(t)
    table["source_ids"] = [sources.join_ids(sizes.loc[(sizes["level"] == r.level) & (sizes["stage"] == r.stage),
                                                      "source_ids"]) for r in table.itertuples()]
    return table


def _series(t) -> pd.DataFrame:
    return series.province_series(t["campaign_facts"])


def _shrinkage(t) -> pd.DataFrame:
    s = _series(t)
    parts = [series.shrinkage(s, stage).assign(stage=stage) for stage in ("sign", "start", "produce")]
    out = pd.concat(parts, ignore_index=True)
    out["source_ids"] = sources.join_ids(s["source_ids"])
    return out[["stage", *[c for c in out.columns if c not in ("stage", "source_ids")], "source_ids"]]


def _summary(t) -> pd.DataFrame:
    return paper_tables.summary_statistics(t["campaign_facts"])


def _coverage(t) -> pd.DataFrame:
    return paper_tables.coverage_matrix(t["campaign_facts"], SHANXI_CITIES)


@dataclass(frozen=True)
class Exhibit:
    """One table: builder, caption, clean tables read, and how to find its sources."""

    builder: Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame]
    caption: str
    tables: tuple[str, ...] = ("campaign_facts",)
    province_sources: str | None = None  # for tables without a source_ids column
    float_format: str = "%.2f"


EXHIBITS: dict[str, Exhibit] = {
    "tab12_published_rates": Exhibit(
        _rates, "Every published rate in data/clean (and each printed 'k of n' pair), with the figures "
        "printed beside it, the definitions that reproduce it at its printed precision (zonestudy."
        "forensics), the verdict and the probability of a chance match", ("campaign_facts", "published_rates"),
        float_format="%.4g"),
    "tab13_rate_verdicts": Exhibit(
        _verdicts, "Published rates by verdict: which definition reproduces them, and how much a match "
        "says (decisive: chance of a match at most 1 %; suggestive: at most 10 %); printed 'k of n' "
        "pairs are not counted as rates", ("campaign_facts", "published_rates"), float_format="%.0f"),
    "tab14_province_series": Exhibit(
        _series, "Shanxi's province list lengths, 2020-2024: printed rounds, and totals derived from "
        "annual sums and from printed shares, with bounds (never interpolated)", float_format="%.1f"),
    "tab15_list_length_by_year": Exhibit(
        _shrinkage, "Per-round length of the province's lists by year and stage: range over printed and "
        "derived rows (tab14), and whether every list of a year is shorter than the first year's "
        "shortest", float_format="%.1f"),
    "tab16_paired_stage_sizes": Exhibit(
        _paired, "Average project size (亿元 per project) of the stage lists of one place and round, "
        "side by side: Shanxi's province and city rounds printing at least two stages"),
    "tab17_stage_sign_tests": Exhibit(
        _sign_tests, "Paired comparisons of stage sizes within place and round: lists compared, how "
        "often the first stage is larger, median size ratio and exact two-sided sign test",
        float_format="%.3f"),
    "tab18_size_regression": Exhibit(
        _regression, "Log average project size on stage with place-round fixed effects (OLS): "
        "coefficients relative to the production list, cluster-robust (CR1) standard errors by "
        "place-round, and randomization-inference p-values (all label swaps within place-rounds)",
        float_format="%.3f"),
    "tab19_shanxi_henan_by_stage": Exhibit(
        _like_for_like, "Average project size (亿元 per project), Shanxi against Henan, by level and "
        "stage: province lists against province lists, city lists against city lists, each with its "
        "year (inferred where the report prints none)"),
    "tab20_summary_statistics": Exhibit(
        _summary, "Summary statistics of the printed per-stage lists of the campaign rounds, by "
        "province, level and stage: N, mean, standard deviation and percentiles", float_format="%.2f",
        province_sources="all"),
    "tab22_city_concentration": Exhibit(
        _city_concentration, "Concentration of the focus round's project counts across the cities the "
        "report copy prints, by stage: Herfindahl index, its floor 1/N for N equal cities, equivalent "
        "number of cities and the share of the province total the printed cities hold",
        float_format="%.3f"),
    "tab21_coverage_matrix": Exhibit(
        _coverage, "What the sources print for Shanxi's province and each city, by round: P<k> = "
        "projects for k of the three stage lists, I<m> = investment for m; empty = nothing printed",
        province_sources="山西省"),
}
"""The exhibits, by name."""


def build(name: str, clean: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Build one exhibit from the clean tables (loaded from ``data/clean`` if not given)."""
    if name not in EXHIBITS:
        raise KeyError(f"unknown exhibit {name!r}; known: {sorted(EXHIBITS)}")
    return EXHIBITS[name].builder(clean if clean is not None else clean_tables())


def _sources_of(name: str, frame: pd.DataFrame, clean: Mapping[str, pd.DataFrame] | None) -> list[str]:
    if "source_ids" in frame.columns:
        return sources.split_ids(frame["source_ids"])
    facts = (clean or clean_tables())["campaign_facts"]
    which = EXHIBITS[name].province_sources
    if which and which != "all":
        facts = facts[facts["province"] == which]
    return sources.split_ids(facts["source_id"])


def save(name: str, frame: pd.DataFrame, *, notebook: str,
         clean: Mapping[str, pd.DataFrame] | None = None, directory=None) -> pd.DataFrame:
    """Write an exhibit as CSV and LaTeX (:func:`zonestudy.figures.save_table`); return the frame."""
    ex = EXHIBITS[name]
    figures.save_table(frame, name, notebook=notebook, sources=_sources_of(name, frame, clean),
                       tables=list(ex.tables), caption=ex.caption, float_format=ex.float_format,
                       index=name == "tab21_coverage_matrix", directory=directory)
    return frame
