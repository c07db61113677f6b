r"""Designs for the size comparisons: paired by place and round, fixed effects, like for like.

Average project size (investment ÷ projects of one printed list) differs between places, rounds
and campaigns far more than between stages, so a comparison of stage medians across different
places confounds the two. The designs here compare stages *within* one place and round:

* :func:`paired_sizes` — one row per place and round printing at least two stage lists, sizes
  side by side (亿元 per project);
* :func:`sign_tests` — for each pair of stages, in how many place-rounds the first is larger, and
  the exact two-sided binomial sign test :math:`p = \min\{1, 2\,P(X \ge \max(m, n-m))\}`,
  :math:`X \sim \mathrm{Bin}(n, 1/2)` (ties dropped);
* :func:`fe_regression` — :math:`\log \bar I_{grs} = \alpha_{gr} + \beta_s + \varepsilon_{grs}`
  with place-round effects :math:`\alpha_{gr}` and stage effects :math:`\beta_s` (production is
  the base), OLS in statsmodels with cluster-robust (CR1) standard errors by place-round. With so
  few clusters (about ten) CR1 errors are too small and their t-tests over-reject, so
  :func:`randomization_pvalues` adds randomization inference: under the sharp null that a stage
  and the base do not differ in log size within a place-round, their labels can be swapped inside
  each place-round; the p-value is the share of the :math:`2^G` swaps (all enumerated) whose
  coefficient is at least as large in absolute value as the observed one;
* :func:`like_for_like` — Shanxi against Henan by stage and level (province lists against
  province lists, city lists against city lists), each list with its year, medians side by side.

The lists are the complete printed lists of the reports in the data, not samples: the tests ask
whether the stage labels look exchangeable within place-rounds, not what a population mean is.

References
----------
Cameron, Gelbach & Miller (2008), *Bootstrap-based improvements for inference with clustered
errors*, REStat 90(3) (few clusters); Young (2019), *Channeling Fisher*, QJE 134(2)
(randomization inference); metrics_spec §1.3 (average size).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from zonestudy.study import peers

__all__ = [
    "STAGES",
    "STAGE_PAIRS",
    "campaign_sizes",
    "paired_sizes",
    "sign_tests",
    "fe_regression",
    "randomization_pvalues",
    "regression_table",
    "like_for_like",
]

STAGES: tuple[str, ...] = ("sign", "start", "produce")
STAGE_PAIRS: tuple[tuple[str, str], ...] = (("sign", "produce"), ("sign", "start"), ("start", "produce"))
"""Stage comparisons reported by :func:`sign_tests`: (first, second)."""


def campaign_sizes(facts: pd.DataFrame, provinces: Sequence[str] = ("山西省",)) -> pd.DataFrame:
    """Average size of every per-stage list of a campaign round, province and city reports.

    Rows of :func:`zonestudy.study.peers.size_by_report` (each printed fact counted once, whatever the
    number of sources printing it) of kind "campaign round", scope province or city, for the given
    provinces, with ``place_round`` (``province|place|event``), ``level`` and ``size_yi``
    (亿元 per project).
    """
    keyed = facts if {"place", "event"} <= set(facts.columns) else peers.with_report_keys(facts)
    keyed = keyed[keyed["province"].isin(list(provinces))]
    parts = [peers.size_by_report(keyed, scope=scope).assign(level=scope) for scope in ("province", "city")
             if (keyed["scope"] == scope).any()]
    sizes = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    sizes = sizes[sizes["kind"] == "campaign round"].copy()
    sizes["place_round"] = sizes["province"] + "|" + sizes["place"] + "|" + sizes["event"].astype(str)
    sizes["size_yi"] = sizes["average_size_cny"] / 1e8
    return sizes.reset_index(drop=True)


def paired_sizes(sizes: pd.DataFrame) -> pd.DataFrame:
    """Sizes of the stage lists of one place and round side by side (place-rounds with ≥ 2 stages).

    Returns one row per place-round: ``province``, ``place``, ``event``, ``year``, ``level``,
    ``size_sign``, ``size_start``, ``size_produce`` (亿元 per project; missing where the stage is
    not printed), ``projects_<stage>`` (when ``sizes`` has ``projects``), ``n_stages`` and
    ``source_ids``.

    >>> sizes = pd.DataFrame({"province": "山西省", "place": "晋城市", "event": "2023-4",
    ...     "place_round": "a", "year": 2023, "level": "city", "stage": ["sign", "start", "produce"],
    ...     "size_yi": [3.01, 2.56, 4.35], "source_ids": "SX-S001"})
    >>> paired_sizes(sizes)[["size_sign", "size_produce", "n_stages"]].values.tolist()
    [[3.01, 4.35, 3.0]]
    """
    wide = sizes.pivot_table(index="place_round", columns="stage", values="size_yi", aggfunc="first")
    wide = wide.reindex(columns=list(STAGES))
    wide.columns = [f"size_{s}" for s in wide.columns]
    if "projects" in sizes.columns:
        counts = sizes.pivot_table(index="place_round", columns="stage", values="projects", aggfunc="first")
        counts = counts.reindex(columns=list(STAGES))
        counts.columns = [f"projects_{s}" for s in counts.columns]
        wide = wide.join(counts)
    first = sizes.groupby("place_round", sort=False).agg(
        province=("province", "first"), place=("place", "first"), event=("event", "first"),
        year=("year", "first"), level=("level", "first"),
        source_ids=("source_ids", lambda v: ";".join(sorted({i for s in v for i in str(s).split(";")}))))
    out = first.join(wide)
    out["n_stages"] = out[[f"size_{s}" for s in STAGES]].notna().sum(axis=1).astype(float)
    out = out[out["n_stages"] >= 2]
    return out.sort_values(["province", "level", "year", "event", "place"], kind="stable").reset_index()


def sign_tests(paired: pd.DataFrame, pairs: Sequence[tuple[str, str]] = STAGE_PAIRS) -> pd.DataFrame:
    r"""Paired comparisons of stage sizes within place-rounds, with exact sign tests.

    For stages (a, b): ``pairs`` (place-rounds printing both), ``first_larger`` (size_a > size_b),
    ``ties``, ``median_ratio`` (median of size_a / size_b), ``p_sign`` (exact two-sided binomial
    test of :math:`P(a > b) = 1/2`, ties dropped; ``scipy.stats.binomtest``).

    >>> paired = pd.DataFrame({"size_sign": [2.0, 3.0, 1.0], "size_start": np.nan,
    ...                        "size_produce": [1.0, 2.0, 2.0]})
    >>> sign_tests(paired, [("sign", "produce")])[["pairs", "first_larger", "p_sign"]].values.tolist()
    [['sign vs produce', 2, 1.0]]
    """
    rows = []
    for a, b in pairs:
        both = paired.dropna(subset=[f"size_{a}", f"size_{b}"])
        ratio = both[f"size_{a}"] / both[f"size_{b}"]
        larger, ties = int((ratio > 1).sum()), int((ratio == 1).sum())
        n = len(ratio) - ties
        p = float(stats.binomtest(larger, n, 0.5).pvalue) if n else np.nan
        rows.append({"comparison": f"{a} vs {b}", "first": a, "second": b, "n_pairs": len(ratio),
                     "first_larger": larger, "ties": ties,
                     "median_ratio": float(ratio.median()) if len(ratio) else np.nan, "p_sign": p})
    out = pd.DataFrame(rows)
    return out.rename(columns={"comparison": "pairs"}) if "pairs" not in out else out


def _design(frame: pd.DataFrame, base: str) -> tuple[np.ndarray, list[str]]:
    stages = [s for s in STAGES if s != base]
    x_stage = np.column_stack([(frame["stage"] == s).to_numpy(float) for s in stages])
    return x_stage, [f"stage[{s}]" for s in stages]


def _within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = values.astype(float).copy()
    for g in np.unique(groups):
        m = groups == g
        out[m] -= out[m].mean(axis=0)
    return out


def fe_regression(sizes: pd.DataFrame, *, base: str = "produce") -> Any:
    r"""OLS of log size on stage and place-round effects, cluster-robust (CR1) by place-round.

    .. math:: \log \bar I_{grs} = \alpha_{gr} + \beta_s + \varepsilon_{grs}

    Only place-rounds printing at least two stages identify :math:`\beta`; the others are dropped
    before fitting (``results.model.data.frame`` holds the rows used). Returns the statsmodels
    results; t-tests use :math:`G - 1` degrees of freedom (``use_t=True``).
    """
    multi = sizes.groupby("place_round")["stage"].transform("nunique") >= 2
    frame = sizes.loc[multi, ["place_round", "stage", "size_yi"]].copy()
    frame["log_size"] = np.log(frame["size_yi"])
    frame["stage"] = pd.Categorical(frame["stage"], categories=[s for s in STAGES if s in set(frame["stage"])])
    formula = f"log_size ~ C(stage, Treatment('{base}')) + C(place_round)"
    groups = pd.factorize(frame["place_round"])[0]
    return smf.ols(formula, data=frame).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def randomization_pvalues(
    sizes: pd.DataFrame, *, base: str = "produce", exact_limit: int = 12, draws: int = 1999,
    seed: int = 20240801,
) -> pd.Series:
    r"""Randomization-inference p-values of the stage effects of :func:`fe_regression`.

    For the effect of stage s against the base stage, the sharp null is that s and the base do
    not differ in log size within any place-round. Under it, the two labels can be swapped inside
    every place-round printing both, independently with probability 1/2 (the third stage keeps its
    label). The within (fixed-effects) estimate :math:`\hat\beta^{*}` is recomputed for every
    assignment, and

    .. math:: p = \#\{a : |\hat\beta^{*}_a| \ge |\hat\beta|\} \,/\, 2^{G_s}

    over all :math:`2^{G_s}` assignments when the number :math:`G_s` of such place-rounds is at most
    ``exact_limit`` (the observed assignment is one of them); otherwise over ``draws`` random
    assignments from ``numpy.random.default_rng(seed)``, :math:`p = (1 + \#) / (1 + B)`.
    """
    multi = sizes.groupby("place_round")["stage"].transform("nunique") >= 2
    frame = sizes.loc[multi].reset_index(drop=True)
    y = np.log(frame["size_yi"].to_numpy(float))
    groups = pd.factorize(frame["place_round"])[0]
    y_w = _within(y, groups)
    stage = frame["stage"].to_numpy()
    out = {}
    for s in (t for t in STAGES if t != base):
        def estimate(labels: np.ndarray) -> float:
            x = np.column_stack([(labels == t).astype(float) for t in STAGES if t != base])
            coef = np.linalg.lstsq(_within(x, groups), y_w, rcond=None)[0]
            return float(coef[[t for t in STAGES if t != base].index(s)])

        observed = estimate(stage)
        swappable = [g for g in np.unique(groups)
                     if {s, base} <= set(stage[groups == g])]
        rows = {g: (np.flatnonzero((groups == g) & (stage == s))[0],
                    np.flatnonzero((groups == g) & (stage == base))[0]) for g in swappable}

        def relabel(flips) -> np.ndarray:
            labels = stage.copy()
            for g, flip in zip(swappable, flips):
                if flip:
                    i, j = rows[g]
                    labels[i], labels[j] = labels[j], labels[i]
            return labels

        if len(swappable) <= exact_limit:
            grid = ((np.arange(2 ** len(swappable))[:, None] >> np.arange(len(swappable))) & 1).astype(bool)
            stats_ = np.array([estimate(relabel(f)) for f in grid])
            p = float(np.mean(np.abs(stats_) >= abs(observed) - 1e-12))
        else:
            rng = np.random.default_rng(seed)
            stats_ = np.array([estimate(relabel(rng.random(len(swappable)) < 0.5)) for _ in range(draws)])
            p = float((1 + np.sum(np.abs(stats_) >= abs(observed) - 1e-12)) / (1 + draws))
        out[f"stage[{s}]"] = p
    return pd.Series(out, name="p_randomization")


def regression_table(fits: dict[str, tuple[Any, pd.Series]], *, base: str = "produce") -> pd.DataFrame:
    """Tidy regression table: one row per stage coefficient and model, plus N and clusters.

    ``fits`` maps a model name to (statsmodels results, randomization p-values). Columns
    ``model``, ``term``, ``coef`` (log points), ``ratio`` (exp(coef): size relative to the base
    stage), ``se_cr1``, ``p_cr1`` (t with G − 1 df), ``p_randomization``, ``n_lists``,
    ``n_place_rounds``.
    """
    rows = []
    for model, (res, ri) in fits.items():
        groups = res.model.data.frame["place_round"].nunique()
        for stage in STAGES:
            term = f"C(stage, Treatment('{base}'))[T.{stage}]"
            if stage == base or term not in res.params:
                continue
            rows.append({"model": model, "term": f"{stage} vs {base}", "coef": float(res.params[term]),
                         "ratio": float(np.exp(res.params[term])), "se_cr1": float(res.bse[term]),
                         "p_cr1": float(res.pvalues[term]),
                         "p_randomization": float(ri[f"stage[{stage}]"]),
                         "n_lists": int(res.nobs), "n_place_rounds": int(groups)})
    return pd.DataFrame(rows)


def _year_text(year: Any, inferred: bool) -> str:
    if pd.isna(year):
        return "year not printed"
    return f"{int(year)}{' (inferred)' if inferred else ''}"


def like_for_like(
    facts: pd.DataFrame, *, round_dates: pd.DataFrame | None = None,
    provinces: tuple[str, str] = ("山西省", "河南省"),
) -> pd.DataFrame:
    """Shanxi against Henan by stage and level, each list with its year.

    Per stage list of campaign rounds (:func:`campaign_sizes`), province lists against province
    lists and city lists against city lists. A Henan round without a printed year takes the year
    of ``round_dates`` (columns ``round_label``, ``event_date``; marked "inferred") when given.

    Returns one row per level and stage with, for each province, ``n_<p>`` (lists),
    ``median_<p>``, ``min_<p>``, ``max_<p>`` (亿元 per project), ``lists_<p>`` (place, round and
    year of each list with its size), and ``ratio`` (median of the second province ÷ median of the
    first).
    """
    sizes = campaign_sizes(facts, provinces)
    sizes["year_inferred"] = False
    if round_dates is not None and len(round_dates):
        dates = round_dates.set_index("round_label")["event_date"]
        missing = sizes["year"].isna() & sizes["round_label"].isin(dates.index)
        years = pd.to_datetime(sizes.loc[missing, "round_label"].map(dates)).dt.year
        sizes["year"] = sizes["year"].astype("Float64")
        sizes.loc[missing, "year"] = years.to_numpy(float)
        sizes.loc[missing, "year_inferred"] = True
    sizes["list_text"] = [
        f"{r.place} {r.event} ({_year_text(r.year, r.year_inferred)}): {r.size_yi:.2f}"
        for r in sizes.itertuples()]
    rows = []
    short = {p: ("shanxi" if p == "山西省" else "henan" if p == "河南省" else p) for p in provinces}
    for level in ("province", "city"):
        for stage in STAGES:
            row: dict[str, Any] = {"level": level, "stage": stage}
            for p in provinces:
                part = sizes[(sizes["province"] == p) & (sizes["level"] == level) & (sizes["stage"] == stage)]
                s = short[p]
                row |= {f"n_{s}": len(part), f"median_{s}": part["size_yi"].median() if len(part) else np.nan,
                        f"min_{s}": part["size_yi"].min() if len(part) else np.nan,
                        f"max_{s}": part["size_yi"].max() if len(part) else np.nan,
                        f"years_{s}": ", ".join(dict.fromkeys(
                            _year_text(y, i) for y, i in zip(part["year"], part["year_inferred"]))),
                        f"lists_{s}": "; ".join(part["list_text"])}
            a, b = (short[p] for p in provinces)
            row["ratio"] = row[f"median_{b}"] / row[f"median_{a}"] if row[f"n_{a}"] and row[f"n_{b}"] else np.nan
            rows.append(row)
    return pd.DataFrame(rows)
