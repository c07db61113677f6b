"""The study's findings, each read from the exhibit tables it cites (``figures/tables/*.csv``).

Each :class:`Finding` states its *design* (how the claim is supported), a text whose numbers are
all placeholders, the *cells* of the exhibit tables the numbers come from (:class:`Cell`), the
exhibits, the source ids of the rows read, and its caveats. Nothing is computed here: a value is a
cell of a saved table (or, where said, a count or extreme of a column of one), so a finding can
never disagree with the table it cites. ``tests/study/test_findings.py`` reads every cell again
and checks the text.

:func:`descriptive_note` covers single-page and registry facts that are descriptions, not
findings: the 临猗 work list, 阳泉高新区's fund, and the national registries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zonestudy import paths

__all__ = ["Cell", "Finding", "Reader", "compute_findings", "descriptive_note", "render_markdown",
           "findings_table", "template_digits"]

_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)(?::[^}]*)?\}")


@dataclass(frozen=True)
class Cell:
    """A value read from a saved exhibit: ``table``, ``column``, the rows matching ``where``.

    ``how`` is ``"value"`` (exactly one row must match), ``"min"``, ``"max"`` or ``"count"``
    (number of matching rows).
    """

    table: str
    column: str
    where: tuple[tuple[str, Any], ...] = ()
    how: str = "value"

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        mask = pd.Series(True, index=frame.index)
        for col, value in self.where:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                mask &= pd.to_numeric(frame[col], errors="coerce") == float(value)
            else:
                mask &= frame[col].astype(str) == str(value)
        return frame[mask]

    def read(self, frame: pd.DataFrame) -> Any:
        rows = self.rows(frame)
        if self.how == "count":
            return int(len(rows))
        if rows.empty:
            raise KeyError(f"{self.table}: no row with {dict(self.where)}")
        if self.how == "value":
            if len(rows) != 1:
                raise KeyError(f"{self.table}: {len(rows)} rows with {dict(self.where)}, expected one")
            value = rows[self.column].iloc[0]
        elif self.how in ("min", "max"):
            value = getattr(rows[self.column], self.how)()
        else:
            raise ValueError(f"unknown how={self.how!r}")
        return value.item() if hasattr(value, "item") else value


class Reader:
    """Reads exhibit cells from ``figures/tables`` and records which cells and sources were read."""

    def __init__(self, tables_dir: str | Path | None = None):
        self.dir = Path(tables_dir) if tables_dir is not None else paths.figures_dir() / "tables"
        self._frames: dict[str, pd.DataFrame] = {}
        self.values: dict[str, Any] = {}
        self.cells: dict[str, Cell] = {}
        self.sources: set[str] = set()

    def frame(self, table: str) -> pd.DataFrame:
        if table not in self._frames:
            path = self.dir / f"{table}.csv"
            if not path.exists():
                raise FileNotFoundError(f"exhibit {path} is missing: run the notebook that makes it")
            self._frames[table] = pd.read_csv(path, keep_default_na=False, na_values=[""])
        return self._frames[table]

    def has(self, table: str, **where) -> bool:
        return bool(len(Cell(table, "", tuple(where.items())).rows(self.frame(table))))

    def get(self, name: str, table: str, column: str, how: str = "value", **where) -> Any:
        """Read one cell (:class:`Cell` ``table``, ``column``, ``where``, ``how``) as ``name``.

        The value, the cell and the source ids of the rows read are recorded.
        """
        cell = Cell(table, column, tuple(where.items()), how)
        frame = self.frame(table)
        value = cell.read(frame)
        self.values[name], self.cells[name] = value, cell
        for col in ("source_ids", "source_id"):
            if col in frame.columns:
                for ids in cell.rows(frame)[col].dropna():
                    self.sources.update(s for s in str(ids).split(";") if s)
        return value

    def read(self, table: str, columns: Mapping[str, str], how: str = "value", **where) -> dict[str, Any]:
        """Read several columns of ``table`` at the rows matching ``where``.

        ``columns`` maps each value's name to its column; every cell is read and recorded as by
        :meth:`get`, in the order of ``columns``. Returns ``{name: value}``.
        """
        return {name: self.get(name, table, column, how, **where) for name, column in columns.items()}


@dataclass(frozen=True)
class Finding:
    """One numbered finding: design, text with placeholders, the cells behind it, caveat."""

    key: str
    title: str
    design: str
    template: str
    values: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    exhibits: tuple = ()
    sources: tuple = ()
    caveat: str = ""

    def text(self) -> str:
        return self.template.format(**self.values)

    def caveat_text(self) -> str:
        return self.caveat.format(**self.values)


def _finding(reader: Reader, **kwargs) -> Finding:
    return Finding(values=dict(reader.values), cells=dict(reader.cells),
                   sources=tuple(sorted(reader.sources)), **kwargs)


# --- the findings -------------------------------------------------------------------------------


def _taiyuan(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab12_published_rates"
    words = (("开工率", "start"), ("投产率", "produce"))
    for word, p in words:
        r.read(t, {f"{p}_pct": "pct", f"{p}_k": "k", f"{p}_n": "n", f"{p}_chance": "chance",
                    f"{p}_share_n": "share_of_n_fitting"}, city="太原市", rate_word=word)
    r.get("start_smaller", t, "same_rate_smaller_n", city="太原市", rate_word="开工率")
    for word, p in words:
        r.read("tab03_taiyuan_cohort_rate_vs_flow_ratio", {
            f"{p}_flow": "flow_ratio", f"{p}_flow_num": "flow_numerator",
            f"{p}_flow_den": "flow_denominator"}, rate_name=word)
    template = (
        "Taiyuan's development zones print a 开工率 of {start_pct:.2f}% beside {start_n:.0f} signed projects. "
        "Of the numerators k ≤ {start_n:.0f}, only k = {start_k:.0f} reproduces it at two decimals; "
        "the same rate arises as {start_smaller}, so the reading rests on the printed n. A "
        "two-decimal percentage drawn at random would fit some k/{start_n:.0f} with probability "
        "{start_chance:.2%}, and of the cohort sizes up to {start_n:.0f} only {start_share_n:.1%} admit "
        "any k. The 投产率 of {produce_pct:.2f}% is {produce_k:.0f}/{produce_n:.0f} of the started "
        "projects (chance {produce_chance:.2%}). The ratios of the list lengths — "
        "{start_flow_num:.0f}/{start_flow_den:.0f} = {start_flow:.2%} and "
        "{produce_flow_num:.0f}/{produce_flow_den:.0f} = {produce_flow:.2%} — reproduce neither: the "
        "published rates are cohort rates."
    )
    if r.has(t, city="太原市", rate_word="达效率"):
        r.read(t, {"eff_pct": "pct", "eff_verdict": "verdict", "eff_value": "value_pct",
                    "eff_chance": "chance"}, city="太原市", rate_word="达效率")
        template += (
            " The 达效率 of {eff_pct:.2f}% is reproduced only as an {eff_verdict}: actual over "
            "expected annual output of the producing projects, {eff_value:.3f}% at the printed "
            "figures and within their printed precision (chance {eff_chance:.2%}); no count k/n of "
            "the printed lists gives it."
        )
    return _finding(
        r, key="taiyuan_cohort_rates",
        title="Taiyuan's published 开工率 and 投产率 are cohort rates of the printed lists, not flow ratios",
        design=("Rate forensics (zonestudy.forensics): every definition built from the printed counts "
                "and amounts is tested at the printed precision with exact arithmetic; the chance of "
                "a match is stated."),
        template=template,
        exhibits=("tab12_published_rates", "tab03_taiyuan_cohort_rate_vs_flow_ratio"),
        caveat=(
            "The page does not say which four rounds the totals cover, nor what counts as 开工. The "
            "numerators are inferred, not printed. The published_rates row cites a research note "
            "whose wording was not re-checked against the page; the page's own figures are now in "
            "the additions file. Projects signed in the last of the four rounds had only weeks to "
            "start (right-censoring), so a cohort rate of this kind understates eventual conversion "
            "and cannot be compared across cohorts of different age."
        ),
    )


def _campaign_rates(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab13_rate_verdicts"
    r.get("n_all", t, "rates", verdict="all published rates")
    r.get("n_check", t, "rates", verdict="checkable")
    r.get("n_above", t, "above_100", verdict="all published rates")
    r.read(t, {"n_cohort": "rates", "n_cohort_decisive": "decisive"},
            verdict="cohort rate k/n (k printed)")
    r.get("n_plan_projects", t, "rates", verdict="plan attainment (projects)")
    r.get("n_plan_investment", t, "rates", verdict="plan attainment (investment)")
    r.read(t, {"n_inferred": "rates", "n_inferred_uninformative": "uninformative"},
            verdict="cohort rate k/n (n printed, k inferred)")
    r.get("n_base", t, "rates", verdict="count over an unprinted base (plan not printed)")
    r.get("n_not", t, "rates", verdict="not reproduced by the printed figures")
    r.get("n_unchecked", t, "rates", verdict="cannot be checked: one side of the ratio not printed")
    r.get("n_nothing", t, "rates", verdict="nothing printed beside it")
    return _finding(
        r, key="campaign_rates",
        title="Where a campaign report prints the figures behind a rate, the rate is a share of a "
              "portfolio or of a plan",
        design=("The rate forensics applied to every published rate in data/clean: the figures printed "
                "beside each rate (same source, round, place and category) are given roles, every "
                "definition is tried, and a match is graded by its chance probability."),
        template=(
            "Of the {n_all} published rates in the data, {n_check} print the figures needed to check "
            "them ({n_nothing} print nothing beside them, {n_unchecked} only one side of a ratio). "
            "{n_cohort} reproduce as the share of a printed portfolio that reached the stage, with "
            "k and n both printed ({n_cohort_decisive} of them decisively); {n_plan_projects} as the "
            "share of the planned new starts that started and {n_plan_investment} as completed over "
            "planned investment. {n_inferred} fit only with a numerator that is not printed — "
            "{n_inferred_uninformative} of them so loosely that a chance fit is likely — and "
            "{n_base} only over a base that is not printed. {n_not} are reproduced by nothing printed "
            "beside them. {n_above} of the rates exceed one hundred per cent, so whatever they "
            "measure is not a share of a cohort."
        ),
        exhibits=("tab13_rate_verdicts", "tab12_published_rates"),
        caveat=(
            "Roles are assigned to the printed figures by rules (the rates table lists them), so a rate whose "
            "figures were split over sentences may be misread. The chance probabilities treat an "
            "unrelated value as uniform over zero to one hundred per cent; several definitions are "
            "tried for each rate (the rates table's column chance_any). Whole-percent rates over large lists fit "
            "many numerators and prove little."
        ),
    )


def _province_lists(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab15_list_length_by_year"
    years = sorted(int(y) for y in r.frame(t).loc[r.frame(t)["stage"] == "sign", "year"])
    first, middle, last = years[0], years[1], years[-1]
    for tag, year in (("first", first), ("middle", middle), ("last", last)):
        r.get(f"year_{tag}", t, "year", stage="sign", year=year)
        for stage in ("sign", "start", "produce"):
            r.read(t, {f"{stage}_{tag}_low": "low", f"{stage}_{tag}_high": "high"},
                    stage=stage, year=year)
    r.get("sign_last_below", t, "below_first_year", stage="sign", year=last)
    r.get("produce_last_below", t, "below_first_year", stage="produce", year=last)
    s = "tab14_province_series"
    r.get("rounds_first", s, "rounds", year=first, stage="sign", kind="derived: from a printed share")
    r.get("rounds_middle", s, "rounds", year=middle, stage="sign", kind="derived: annual sum")
    f = "tab01_province_lists_and_flow_ratios"
    r.get("flow_min", f, "flow ratio start/sign", how="min")
    r.get("flow_max", f, "flow ratio start/sign", how="max")
    r.get("rounds_printed", f, "year", how="count")
    shrink = bool(r.values["sign_last_below"]) and not bool(r.values["produce_last_below"])
    return _finding(
        r, key="province_lists",
        title=("The province's signing lists shrink over the years the data cover, while its "
               "production lists do not" if shrink
               else "The province's list lengths do not shrink beyond their bounds"),
        design=("A series of per-round list lengths built only from printed totals and from totals "
                "implied by printed annual sums and shares, with bounds from the printed precision; "
                "rounds no source covers are left empty, never interpolated."),
        template=(
            "The signing list averaged {sign_first_low:.0f}–{sign_first_high:.0f} projects per round over "
            "the {rounds_first:.0f} rounds of {year_first} (bounds implied by a printed share), "
            "{sign_middle_low:.0f}–{sign_middle_high:.0f} in {year_middle} (the printed first round and "
            "the annual sum over {rounds_middle:.0f} rounds) and {sign_last_low:.0f}–{sign_last_high:.0f} "
            "in the rounds of {year_last} that print it; the start list went from "
            "{start_first_low:.0f}–{start_first_high:.0f} to {start_last_low:.0f}–{start_last_high:.0f}, "
            "while the production list grew from {produce_first_low:.0f}–{produce_first_high:.0f} to "
            "{produce_last_low:.0f}–{produce_last_high:.0f}. In the {rounds_printed} rounds printing "
            "all three lists, the start list was {flow_min:.0%} to {flow_max:.0%} as long as the "
            "signing list of the same round: a flow ratio of different projects, not a conversion rate."
        ),
        exhibits=("tab14_province_series", "tab15_list_length_by_year",
                  "tab01_province_lists_and_flow_ratios", "fig01_province_lists_by_round"),
        caveat=(
            "Years with no printed or derived province count are absent from the series, not zero, and "
            "the first year's figures are implied by one zone's printed shares of the province's "
            "running total. The lists are self-reported by the provincial government and repeated by "
            "reposts; shorter lists may mean fewer projects or a narrower definition of what is listed."
        ),
    )


def _sizes_by_stage(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab17_stage_sign_tests"
    for pair, p in (("sign vs produce", "sp"), ("sign vs start", "ss"), ("start vs produce", "tp")):
        r.read(t, {f"{p}_n": "n_pairs", f"{p}_larger": "first_larger", f"{p}_p": "p_sign"},
                model="Shanxi", pairs=pair)
    g = "tab18_size_regression"
    r.read(g, {"fe_ratio": "ratio", "fe_p_cr1": "p_cr1", "fe_p_ri": "p_randomization",
                "fe_clusters": "n_place_rounds"}, model="Shanxi", term="sign vs produce")
    r.get("fe_start_ratio", g, "ratio", model="Shanxi", term="start vs produce")
    r.read(g, {"both_ratio": "ratio", "both_p_ri": "p_randomization", "both_clusters": "n_place_rounds"},
            model="Shanxi and Henan", term="sign vs produce")
    return _finding(
        r, key="sizes_by_stage",
        title="Within a place and round, signed projects are larger than started ones, but not "
              "clearly larger than those entering production",
        design=("Paired comparison of the stage lists of the same place and round (exact sign tests), "
                "and a fixed-effects regression of log average size on stage with place-round effects, "
                "cluster-robust errors and randomization inference over all label swaps."),
        template=(
            "In {ss_larger} of {ss_n} place-rounds the average signed project is larger than the "
            "average started one (sign test p = {ss_p:.3f}), but it is larger than the average "
            "project entering production in only {sp_larger} of {sp_n} (p = {sp_p:.2f}); the started "
            "project is the larger of the two later stages in {tp_larger} of {tp_n}. With place-round "
            "effects, signed projects are {fe_ratio:.2f} times the size of producing ones "
            "(cluster-robust p = {fe_p_cr1:.2f}, randomization p = {fe_p_ri:.3f}, {fe_clusters} "
            "place-rounds) and started projects {fe_start_ratio:.2f} times; adding Henan's rounds "
            "({both_clusters} place-rounds) gives {both_ratio:.2f} (randomization p = "
            "{both_p_ri:.3f})."
        ),
        exhibits=("tab16_paired_stage_sizes", "tab17_stage_sign_tests", "tab18_size_regression",
                  "fig02_investment_and_size_by_stage"),
        caveat=(
            "Investment at signing is a contracted or planned total, at the later stages a total "
            "investment; the labels differ between sources, so part of any gap is definitional. The "
            "lists of one round hold different projects. The tests treat the printed lists as the "
            "population and ask whether stage labels look exchangeable within place-rounds; with "
            "about ten place-rounds the cluster-robust errors are unreliable and the randomization "
            "p-values are the ones to read. Only one round prints province investment for all three "
            "lists."
        ),
    )


def _shanxi_henan(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab19_shanxi_henan_by_stage"
    for level in ("province", "city"):
        for stage in ("sign", "start", "produce"):
            p = f"{level[:4]}_{stage}"
            r.read(t, {f"{p}_ratio": "ratio", f"{p}_sx": "median_shanxi", f"{p}_hn": "median_henan"},
                    level=level, stage=stage)
    r.read(t, {"prov_sign_sx_years": "years_shanxi", "prov_sign_hn_years": "years_henan"},
            level="province", stage="sign")
    r.get("prov_prod_hn_n", t, "n_henan", level="province", stage="produce")
    r.read(t, {"city_sign_sx_n": "n_shanxi", "city_sign_hn_n": "n_henan"}, level="city", stage="sign")
    return _finding(
        r, key="shanxi_vs_henan_size",
        title="Shanxi's and Henan's announced projects are of comparable size only on the province "
              "signing lists; at every later stage and on every city list Henan's are larger",
        design=("Like for like: the same stage, province lists against province lists and city lists "
                "against city lists, each list with its year; medians side by side, no pooling of "
                "stages or levels."),
        template=(
            "On the province signing lists the average project is {prov_sign_sx:.2f} 亿元 in Shanxi "
            "({prov_sign_sx_years}) and a median {prov_sign_hn:.2f} 亿元 in Henan "
            "({prov_sign_hn_years}), a ratio of {prov_sign_ratio:.2f}. On the start lists Henan's "
            "projects are {prov_start_ratio:.2f} times Shanxi's ({prov_start_hn:.2f} against "
            "{prov_start_sx:.2f}) and on the production lists {prov_produce_ratio:.2f} times "
            "({prov_produce_hn:.2f}, median of {prov_prod_hn_n} rounds, against "
            "{prov_produce_sx:.2f}). City lists differ more: Henan's city medians are "
            "{city_sign_ratio:.1f}, {city_start_ratio:.1f} and {city_produce_ratio:.1f} times Shanxi's "
            "at signing, start and production ({city_sign_hn_n} against {city_sign_sx_n} signing lists)."
        ),
        exhibits=("tab19_shanxi_henan_by_stage", "fig11_project_size"),
        caveat=(
            "Shanxi's province comparison rests on its only round printing province investment "
            "against Henan rounds of other years; one Henan round is dated without a year, which "
            "is inferred from a city report of the same day. Henan's rounds include provincial key "
            "projects, and the provinces may count projects differently, so this compares announced "
            "sizes, not the same population of projects."
        ),
    )


def _cities(tables_dir) -> Finding:
    r = Reader(tables_dir)
    t = "tab22_city_concentration"
    r.read(t, {"event": "event", "n_cities": "n_cities", "hhi_sign": "hhi"}, stage="sign")
    r.get("hhi_start", t, "hhi", stage="start")
    r.read(t, {"floor": "hhi_floor", "itemised": "itemised"}, stage="sign")
    p = "tab16_paired_stage_sizes"
    yq = r.frame(p)
    yq = yq[yq["place"] == "阳泉市"].sort_values("event")
    for event, tag in zip(yq["event"], "ab"):
        r.values[f"yq_event_{tag}"] = event
        r.read(p, {f"yq_sign_{tag}": "projects_sign", f"yq_start_{tag}": "projects_start"},
                place="阳泉市", event=event)
    return _finding(
        r, key="city_lists",
        title="The surviving city paragraphs spread the projects almost evenly; Yangquan's start lists "
              "are several times its signing lists",
        design=("Descriptive, on the one round whose report copy prints most cities: Herfindahl index "
                "of the printed cities' shares set against its floor for equal shares."),
        template=(
            "In {event} the report copy prints {n_cities} cities, which hold {itemised:.0%} of the "
            "province's signed projects. Over them the Herfindahl index of the signing shares is "
            "{hhi_sign:.3f}, against a floor of {floor:.3f} for equal shares — the cities sign "
            "almost equal numbers — and {hhi_start:.3f} for the start lists, raised by Yangquan, "
            "whose start list ({yq_start_b:.0f} projects) is several times its signing list "
            "({yq_sign_b:.0f}), as in its {yq_event_a} round ({yq_start_a:.0f} against {yq_sign_a:.0f}). "
            "Start lists that long cannot come from the same round's signings: they count projects "
            "signed earlier, or starts outside the campaign."
        ),
        exhibits=("tab22_city_concentration", "tab07_city_shares", "tab16_paired_stage_sizes",
                  "fig09_city_shares"),
        caveat=(
            "The copy of the round report breaks off where the 晋中市 paragraph begins (see its "
            "source's notes in sources.csv), so 晋中, 太原, 临汾, 运城 and the 综改示范区 are missing; the "
            "index describes the printed cities only, and with so few of them it cannot fall far "
            "below its floor."
        ),
    )


_BUILDERS = (_taiyuan, _campaign_rates, _province_lists, _sizes_by_stage, _shanxi_henan, _cities)


def compute_findings(tables_dir: str | Path | None = None) -> list[Finding]:
    """Read every finding from the saved exhibits (``figures/tables`` by default)."""
    return [build(tables_dir) for build in _BUILDERS]


def descriptive_note(tables_dir: str | Path | None = None) -> Finding:
    """Single-page and registry facts, described with the population each number refers to."""
    r = Reader(tables_dir)
    r.read("tab10_zone_level_count_pairs", {"linyi_k": "numerator", "linyi_n": "denominator"},
            zone="临猗现代农业产业示范区", kind="cohort")
    r.read("tab05_yangquan_fund_partners", {"fund_partners": "partners", "fund_named": "named"}, kind="合计")
    t = "tab09_national_zones_by_province"
    shanxi = r.read(t, {"etdz": "etdz", "hitech": "hitech", "rank_etdz": "rank_etdz",
                         "rank_hitech": "rank_hitech"}, province="山西省")
    r.get("tied_etdz", t, "province", how="count", etdz=shanxi["etdz"])
    r.get("tied_hitech", t, "province", how="count", hitech=shanxi["hitech"])
    r.get("provinces", t, "province", how="count")
    r.values["last_etdz"] = r.values["rank_etdz"] + r.values["tied_etdz"] - 1
    r.values["last_hitech"] = r.values["rank_hitech"] + r.values["tied_hitech"] - 1
    return _finding(
        r, key="descriptive_note", title="Descriptive note: single pages and registries",
        design="Description of complete lists; no sampling, so no intervals.",
        template=(
            "临猗现代农业产业示范区 reports {linyi_k} of its {linyi_n} key projects built and in "
            "production; the list is the zone's whole work list (including continuing projects and "
            "projects not due this year), so the share describes that list and carries no sampling "
            "interval. 阳泉高新区's parent fund signed intent agreements with {fund_partners} "
            "counterparties, of which the page names {fund_named}; intentions are not contracts. "
            "Shanxi holds {etdz} national economic and technological development zones, sharing ranks "
            "{rank_etdz}–{last_etdz} with the provinces of equal count ({tied_etdz} of "
            "{provinces}), and {hitech} national high-tech zones (ranks {rank_hitech}–{last_hitech}). "
            "The data hold no provincial GDP or population, so the counts are not scaled."
        ),
        exhibits=("tab10_zone_level_count_pairs", "tab05_yangquan_fund_partners",
                  "tab09_national_zones_by_province", "fig07_named_projects"),
        caveat=(
            "The national lists are secondary compilations without an official URL; the provinces of "
            "high-tech zones were assigned from their cities by the compiler. The 科学导报 page prints "
            "the years it reports in its text; only its issue date lacks a year."
        ),
    )


def render_markdown(findings: list[Finding], note: Finding | None = None) -> str:
    """Numbered Markdown paragraphs: title, design, text, caveat, exhibits and sources."""
    parts = []
    for number, f in enumerate(findings, start=1):
        parts.append(
            f"**{number}. {f.title}.** *Design:* {f.design}\n\n{f.text()}\n\n"
            f"*Caveat.* {f.caveat_text()}\n\n"
            f"*Exhibits:* {', '.join(f'`{e}`' for e in f.exhibits)}. *Sources:* {', '.join(f.sources)}."
        )
    if note is not None:
        parts.append(f"**{note.title}.** {note.text()}\n\n*Caveat.* {note.caveat_text()}\n\n"
                     f"*Exhibits:* {', '.join(f'`{e}`' for e in note.exhibits)}. "
                     f"*Sources:* {', '.join(note.sources)}.")
    return "\n\n".join(parts) + "\n"


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """Every value stated, with the exhibit cell it is read from."""
    rows = []
    for number, f in enumerate(findings, start=1):
        for name, value in f.values.items():
            cell = f.cells.get(name)
            rows.append({"finding": number, "key": f.key, "name": name, "value": value,
                         "table": cell.table if cell else "", "column": cell.column if cell else "",
                         "row": "; ".join(f"{k}={v}" for k, v in cell.where) if cell else "",
                         "how": cell.how if cell else "derived from the cells above"})
    return pd.DataFrame(rows)


def template_digits(finding: Finding) -> list[str]:
    """Digits written into a finding's template or caveat outside the placeholders (should be none)."""
    text = _PLACEHOLDER.sub("", finding.template + " " + finding.caveat)
    return re.findall(r"\d+", text)
