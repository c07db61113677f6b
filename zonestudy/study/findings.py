"""The study's written findings, every number computed from ``data/clean``.

Each finding is a :class:`Finding`: a text template whose numbers are placeholders, the values
computed for them, the exhibits (figures and tables in ``figures/``) that show them, the source ids
behind them and the caveats a reader needs. ``notebooks/06_findings.ipynb`` renders them;
``tests/test_findings.py`` recomputes them from ``data/clean`` and compares with the committed
notebook, so a finding can never silently go stale.

Templates contain no digits of their own: every number a reader sees is a computed value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zonestudy import io, metrics
from zonestudy.study import peers, pipeline, structure
from zonestudy.study.vocabulary import STAGES

__all__ = ["Finding", "compute_findings", "render_markdown", "findings_table", "CI_ALPHA"]

CI_ALPHA = 0.05
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)(?::[^}]*)?\}")


@dataclass(frozen=True)
class Finding:
    """One numbered finding.

    Attributes
    ----------
    key : str
        Stable identifier (``cohort_vs_flow`` …).
    title : str
        One-line statement.
    template : str
        Text with ``{name:format}`` placeholders for every number; no other digits.
    values : dict
        Name → computed value (numbers or short strings such as round labels).
    exhibits : tuple of str
        Figure and table names in ``figures/`` that show the numbers.
    sources : tuple of str
        Source ids (``data/raw/sources.csv``) behind the numbers.
    caveat : str
        What a reader must keep in mind; may contain placeholders too.
    """

    key: str
    title: str
    template: str
    values: dict = field(default_factory=dict)
    exhibits: tuple = ()
    sources: tuple = ()
    caveat: str = ""

    def text(self) -> str:
        """The finding's paragraph with its values filled in."""
        return self.template.format(**self.values)

    def caveat_text(self) -> str:
        """The caveat with its values filled in."""
        return self.caveat.format(**self.values)


def _ids(*values) -> tuple:
    ids = set()
    for value in values:
        if value is None:
            continue
        items = [value] if isinstance(value, str) else list(value)
        for item in items:
            if isinstance(item, str):
                ids.update(s.strip() for s in item.split(";") if s.strip())
    return tuple(sorted(ids))


def _round_name(year, round_no) -> str:
    return f"{int(year)} round {int(round_no)}"


def _load(clean_dir) -> dict:
    names = ["campaign_facts", "article_facts", "article_projects", "zones", "published_rates"]
    return {name: io.load_clean(name, clean_dir=clean_dir) for name in names}


def _cohort_vs_flow(t) -> Finding:
    table = pipeline.published_vs_flow(t["published_rates"]).set_index("rate_name")
    values = {"level": 1 - CI_ALPHA}
    for name, prefix in (("开工率", "start"), ("投产率", "produce")):
        row = table.loc[name]
        values |= {
            f"{prefix}_published": row["published_pct"] / 100, f"{prefix}_k": int(row["numerator"]),
            f"{prefix}_n": int(row["cohort_size"]), f"{prefix}_low": row["ci_low"],
            f"{prefix}_high": row["ci_high"], f"{prefix}_flow": row["flow_ratio"],
            f"{prefix}_to": int(row["flow_numerator"]), f"{prefix}_from": int(row["flow_denominator"]),
            f"gap_{prefix}": row["gap_pts"],
        }
    return Finding(
        key="cohort_vs_flow",
        title="Published pipeline rates are cohort rates, not ratios of list lengths",
        template=(
            "Taiyuan's published 开工率 of {start_published:.2%} is reproduced only as {start_k} of the "
            "{start_n} signed projects having started ({level:.0%} Wilson interval {start_low:.1%}–"
            "{start_high:.1%}), and its 投产率 of {produce_published:.2%} only as {produce_k} of the "
            "{produce_n} started projects producing ({produce_low:.1%}–{produce_high:.1%}). The ratios of "
            "the list lengths — {start_to} on the start lists over {start_from} on the signing lists, "
            "{produce_to} on the production lists over {produce_from} on the start lists — would give "
            "{start_flow:.2%} and "
            "{produce_flow:.2%}, higher by {gap_start:.1f} and {gap_produce:.1f} percentage points."
        ),
        values=values,
        exhibits=("fig04_taiyuan_cohort_rate_vs_flow_ratio", "tab03_taiyuan_cohort_rate_vs_flow_ratio"),
        sources=_ids(t["published_rates"]["source_id"]),
        caveat=(
            "The numerators are inferred as the unique counts that reproduce the printed percentages; "
            "the source is a mirror of a municipal news item, and what counts as 开工 is not defined there."
        ),
    )


def _province_lists(t) -> Finding:
    shanxi = t["campaign_facts"][t["campaign_facts"]["province"] == "山西省"]
    counts = pipeline.stage_table(shanxi, "projects")
    complete = counts.dropna(subset=list(STAGES))
    flows = pipeline.round_flow_ratios(complete)
    start_sign = flows.xs("start/sign", level="flow")["value"]
    numbered = shanxi.dropna(subset=["round_no"])[["year", "round_no"]].drop_duplicates()
    investment = pipeline.stage_table(shanxi, "investment").dropna(subset=list(STAGES))
    values = {
        "rounds_numbered": len(numbered), "rounds_complete": len(complete),
        "rounds_investment": len(investment),
        "signed_min": int(complete["sign"].min()), "signed_max": int(complete["sign"].max()),
        "flow_min": start_sign.min(), "flow_max": start_sign.max(),
        "flow_above_one": int((flows["value"] > 1).sum()), "flows": len(flows),
    }
    return Finding(
        key="province_lists",
        title="Each Shanxi round publishes a signing, a start and a production list; their lengths are flow ratios, not rates",
        template=(
            "Of the {rounds_numbered} numbered Shanxi rounds in the data, {rounds_complete} print the "
            "province's three lists in full. Those rounds signed between {signed_min} and {signed_max} "
            "projects, and the start list was {flow_min:.0%} to {flow_max:.0%} as long as the signed "
            "list of the same round; flow ratios above one: {flow_above_one} of {flows}. Province "
            "investment for all three stages is printed for {rounds_investment} of the rounds."
        ),
        values=values,
        exhibits=("fig01_province_lists_by_round", "fig03_flow_ratios_by_round",
                  "tab01_province_lists_and_flow_ratios"),
        sources=_ids(complete["source_ids"], investment["source_ids"]),
        caveat=(
            "These are flow ratios: the projects started in a round are mostly not those signed in it, "
            "so they measure the mix of a round's activity, not conversion. Most rounds are missing, "
            "and the figures are self-reported by the provincial government and repeated by reposts."
        ),
    )


def _sizes_by_stage(t) -> Finding:
    shanxi = t["campaign_facts"][t["campaign_facts"]["province"] == "山西省"]
    sizes = pipeline.sizes_by_stage(shanxi)
    province = sizes[sizes["scope"] == "province"].reset_index()
    complete = province.groupby(["year", "round_no"])["stage"].nunique()
    complete = complete[complete == len(STAGES)].index
    latest = complete.max()
    row = province[(province["year"] == latest[0]) & (province["round_no"] == latest[1])].set_index("stage")
    median = sizes.groupby(level="stage")["average_size_cny"].median() / 1e8
    values = {
        "round": _round_name(*latest), "rounds_complete": len(complete),
        "sign_size": row.loc["sign", "average_size_cny"] / 1e8,
        "start_size": row.loc["start", "average_size_cny"] / 1e8,
        "produce_size": row.loc["produce", "average_size_cny"] / 1e8,
        "ratio": row.loc["sign", "average_size_cny"] / row.loc["produce", "average_size_cny"],
        "lists": len(sizes), "median_sign": median["sign"], "median_produce": median["produce"],
        "n_sign": int((sizes.index.get_level_values("stage") == "sign").sum()),
        "n_produce": int((sizes.index.get_level_values("stage") == "produce").sum()),
    }
    falls = values["sign_size"] > values["produce_size"] and values["median_sign"] > values["median_produce"]
    return Finding(
        key="sizes_by_stage",
        title=("The average project is announced larger at signing than at production" if falls
               else "Average project size does not fall consistently from signing to production"),
        template=(
            "Province investment for all three lists is printed for {rounds_complete} round(s); in the "
            "latest, {round}, the average signed "
            "project was {sign_size:.2f} 亿元, the average started project {start_size:.2f} 亿元 and the "
            "average project entering production {produce_size:.2f} 亿元 — the signed ones {ratio:.1f} "
            "times the producing ones. Across the {lists} province and city lists that print both figures, "
            "the median size is {median_sign:.2f} 亿元 over {n_sign} signing lists and "
            "{median_produce:.2f} 亿元 over {n_produce} production lists."
        ),
        values=values,
        exhibits=("fig02_investment_and_size_by_stage", "tab02_average_size_by_stage"),
        sources=_ids(sizes["source_ids"]),
        caveat=(
            "Investment at signing is a contracted or planned total (签约投资额, 计划总投资), at production "
            "a project's total investment (总投资): the labels differ between sources, so part of the gap may be "
            "definitional; phased projects also enter production in parts, and the signing and production "
            "lists are different projects."
        ),
    )


def _linyi(t) -> Finding:
    article = t["article_facts"]
    zone = article[article["zone"] == "临猗现代农业产业示范区"]
    listed = zone[zone["subject"].str.contains("重点项目", na=False) & zone["value_count"].notna()].iloc[0]
    producing = zone[zone["subject"] == "已建成投产项目数"].iloc[0]
    rate = metrics.cohort_rate(int(producing["value_count"]), int(listed["value_count"]), alpha=CI_ALPHA).iloc[0]
    values = {"k": int(rate["numerator"]), "n": int(rate["denominator"]), "rate": rate["value"],
              "low": rate["ci_low"], "high": rate["ci_high"], "level": 1 - CI_ALPHA,
              "year": int(producing["period_end"].year)}
    return Finding(
        key="linyi_small_counts",
        title="On the zone level, counts are small and the uncertainty is wide",
        template=(
            "临猗现代农业产业示范区 reports {k} of its {n} key projects built and in production: "
            "{rate:.1%}, with a {level:.0%} Wilson interval from {low:.1%} to {high:.1%}. A single zone's "
            "rate cannot be compared with another's to within a few points."
        ),
        values=values,
        exhibits=("tab10_zone_level_count_pairs",),
        sources=_ids([listed["source_id"], producing["source_id"]]),
        caveat=(
            "The key projects are a work list that includes continuing projects and projects not due to "
            "finish this year, not a cohort; the interval describes the zone's propensity, not sampling "
            "error. The year ({year}) is inferred: the page prints none."
        ),
    )


def _yuncheng_projects(t) -> Finding:
    projects = t["article_projects"]
    signed = projects[(projects["zone"] == "运城经开区") & (projects["stage"] == "签约")]
    by_industry = signed.groupby("industry")["investment_cny"].sum().sort_values(ascending=False)
    shares = by_industry / by_industry.sum()
    province = structure.origin_province(signed["origin"])
    outside = province.notna() & (province != "山西省")
    unknown = province.isna()
    largest = signed.sort_values("investment_cny", ascending=False).iloc[0]
    values = {
        "projects": len(signed), "total": signed["investment_cny"].sum() / 1e8,
        "top_industry": by_industry.index[0], "top_share": shares.iloc[0],
        "outside_share": signed.loc[outside, "investment_cny"].sum() / signed["investment_cny"].sum(),
        "largest": largest["investment_cny"] / 1e8, "largest_share": largest["investment_cny"] / signed["investment_cny"].sum(),
        "hhi": metrics.hhi(shares.to_numpy()), "unknown_origin": int(unknown.sum()),
    }
    return Finding(
        key="yuncheng_projects",
        title="运城经开区's named signings are concentrated in a few large projects from outside Shanxi",
        template=(
            "The {projects} projects the page names as signed by 运城经开区 total {total:.1f} 亿元. "
            "{top_industry} takes {top_share:.0%} of it, the largest single project {largest:.0f} 亿元 "
            "({largest_share:.0%}), and investors named from outside Shanxi {outside_share:.0%} "
            "(the origin of {unknown_origin} project is not printed); the Herfindahl index over "
            "industries is {hhi:.2f}."
        ),
        values=values,
        exhibits=("fig07_named_projects",),
        sources=_ids(signed["source_id"]),
        caveat=(
            "The industry classes are the transcriber's, not the page's; the page names only some of "
            "the zone's signed projects; amounts are planned totals at signing."
        ),
    )


def _yangquan_fund(t) -> Finding:
    fund = structure.fund_partners(t["article_facts"])
    values = {"fund": fund.fund_cny / 1e8, "partners": int(fund.kinds["partners"].sum()),
              "groups": len(fund.kinds), "named": int(fund.kinds["named"].sum())}
    section = t["article_facts"][t["article_facts"]["fact_id"].isin([fund.fund_fact_id, *fund.kinds["fact_id"]])]
    return Finding(
        key="yangquan_fund",
        title="阳泉高新区's parent fund signs many partners, but as intentions",
        template=(
            "阳泉高新区 set up a parent fund of {fund:.0f} 亿元 and signed partner and project intent "
            "agreements with {partners} counterparties in {groups} groups, of which the page names {named}."
        ),
        values=values,
        exhibits=("tab05_yangquan_fund_partners",),
        sources=_ids(section["source_id"]),
        caveat=(
            "Intent agreements (意向签约) are not contracts: counted as signings they would inflate a "
            "count-based 签约 numerator. The fund size is a total commitment, not paid-in capital."
        ),
    )


def _project_size_vs_peers(t) -> Finding:
    facts = peers.with_report_keys(t["campaign_facts"])
    sizes = peers.size_by_report(facts, scope="province")
    rounds = sizes[(sizes["kind"] == "campaign round") & (sizes["stage"] == "sign")]
    shanxi = rounds[rounds["province"] == "山西省"]
    henan = rounds[rounds["province"] == "河南省"]
    values = {
        "shanxi_size": shanxi["average_size_cny"].median() / 1e8, "shanxi_n": len(shanxi),
        "henan_size": henan["average_size_cny"].median() / 1e8, "henan_n": len(henan),
        "henan_min": henan["average_size_cny"].min() / 1e8, "henan_max": henan["average_size_cny"].max() / 1e8,
    }
    values["ratio"] = values["henan_size"] / values["shanxi_size"]
    similar = 2 / 3 < values["ratio"] < 3 / 2
    title = ("In the few rounds that print both figures, Shanxi's and Henan's signed projects are of "
             "comparable announced size" if similar
             else "In the few rounds that print both figures, Shanxi's and Henan's signed projects differ "
                  "in announced size")
    return Finding(
        key="project_size_vs_henan",
        title=title,
        template=(
            "Where a round prints both the signed projects and their investment, the average signed "
            "project is {shanxi_size:.2f} 亿元 in Shanxi (median of {shanxi_n} province list) and "
            "{henan_size:.2f} 亿元 in Henan (median of {henan_n} rounds, from {henan_min:.2f} to "
            "{henan_max:.2f}): a ratio of {ratio:.2f}."
        ),
        values=values,
        exhibits=("fig11_project_size", "tab08_project_size"),
        sources=_ids(shanxi["source_ids"], henan["source_ids"]),
        caveat=(
            "Very few rounds print both figures, so this rests on a handful of lists; the provinces may "
            "count projects differently (Henan's rounds include provincial key projects), so this "
            "compares announced sizes, not the same population of projects."
        ),
    )


def _registries(t) -> Finding:
    counts = peers.province_counts(t["zones"])
    shanxi = counts.loc["山西省"]
    values = {
        "etdz": int(shanxi["etdz"]), "etdz_total": int(counts["etdz"].sum()),
        "hitech": int(shanxi["hitech"]), "hitech_total": int(counts["hitech"].sum()),
        "etdz_rank": int(shanxi["rank_etdz"]), "hitech_rank": int(shanxi["rank_hitech"]),
        "provinces": len(counts),
        "shanxi_registry": int((t["zones"]["province"] == "山西省").sum()),
        "shanxi_national": int(((t["zones"]["province"] == "山西省")
                                & (t["zones"]["national_etdz"] | t["zones"]["national_hitech"])).sum()),
    }
    return Finding(
        key="national_registries",
        title="Few of Shanxi's zones are national",
        template=(
            "Shanxi holds {etdz} of the {etdz_total} national economic and technological development "
            "zones and {hitech} of the {hitech_total} national high-tech zones, ranking {etdz_rank} and "
            "{hitech_rank} of {provinces} provinces. Of the {shanxi_registry} Shanxi zones in the registry, "
            "{shanxi_national} are on a national list: the campaign's zones are mostly provincial."
        ),
        values=values,
        exhibits=("fig13_national_zones", "tab09_national_zones_by_province"),
        sources=_ids(t["zones"].loc[(t["zones"]["province"] == "山西省")
                                    & (t["zones"]["national_etdz"] | t["zones"]["national_hitech"]),
                                    "source_ids"]),
        caveat=(
            "The national lists are secondary compilations without an official URL, and the provinces "
            "of high-tech zones were assigned from their cities by the compiler; ranks are shared with "
            "provinces holding the same count."
        ),
    )


def _city_concentration(t) -> Finding:
    facts = peers.with_report_keys(t["campaign_facts"])
    event = peers.focus_round(facts)
    shares = peers.city_shares(facts, event, "projects")
    concentration = peers.city_concentration(shares)
    stage = concentration["hhi"].idxmax()
    row = concentration.loc[stage]
    values = {"round": _round_name(*event), "stage": {"sign": "signed", "start": "started",
                                                        "produce": "production"}[stage],
              "hhi": row["hhi"], "equivalent": row["equivalent_cities"], "cities": int(row["n_cities"]),
              "covered": row["itemised"]}
    return Finding(
        key="city_concentration",
        title="The printed city lists are spread over several cities, not one",
        template=(
            "In {round}, the round in which the most cities print project counts of their own beside a "
            "province count, those cities account for {covered:.0%} of the "
            "province's {stage} list. Over those {cities} cities the Herfindahl index of the shares is "
            "{hhi:.2f} for the most concentrated stage ({stage}), as if {equivalent:.1f} equal cities "
            "held the projects."
        ),
        values=values,
        exhibits=("fig09_city_shares", "tab07_city_shares"),
        sources=_ids(shares["source_ids"]),
        caveat=(
            "Only some cities' paragraphs survive in the copy of the round report, so the shares are of "
            "the printed cities, not of all the province's cities; the rest of the province total is "
            "unassigned."
        ),
    )


_BUILDERS = (
    _cohort_vs_flow, _province_lists, _sizes_by_stage, _linyi, _yuncheng_projects, _yangquan_fund,
    _project_size_vs_peers, _city_concentration, _registries,
)


def compute_findings(clean_dir: str | Path | None = None) -> list[Finding]:
    """Compute every finding from the clean tables.

    Parameters
    ----------
    clean_dir : path-like, optional
        Folder of the clean tables; defaults to the project's ``data/clean``.

    Returns
    -------
    list of Finding
        In the order they are numbered in ``notebooks/06_findings.ipynb``.
    """
    tables = _load(clean_dir)
    return [build(tables) for build in _BUILDERS]


def render_markdown(findings: list[Finding]) -> str:
    """Numbered Markdown paragraphs: title, text, caveat, exhibits and sources."""
    parts = []
    for number, finding in enumerate(findings, start=1):
        parts.append(
            f"**{number}. {finding.title}.** {finding.text()}\n\n"
            f"*Caveat.* {finding.caveat_text()}\n\n"
            f"*Exhibits:* {', '.join(f'`{e}`' for e in finding.exhibits)}. "
            f"*Sources:* {', '.join(finding.sources)}."
        )
    return "\n\n".join(parts) + "\n"


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """Every value stated in the findings, one row each: finding number and key, name, value."""
    rows = []
    for number, finding in enumerate(findings, start=1):
        for name, value in finding.values.items():
            rows.append({"finding": number, "key": finding.key, "name": name, "value": value})
    return pd.DataFrame(rows)


def template_digits(finding: Finding) -> list[str]:
    """Digits written into a finding's template or caveat outside the placeholders (should be none)."""
    text = _PLACEHOLDER.sub("", finding.template + " " + finding.caveat)
    return re.findall(r"\d+", text)
