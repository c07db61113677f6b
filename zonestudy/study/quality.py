"""The study's strict build: which cleaning problems stop it, and the check of ``data/raw``.

The cleaning step (``notebooks/02_clean.ipynb``) reports every row it could not fully clean. Of
those, these *block* the build unless the exact row is acknowledged in ``data/raw/known_issues.csv``
(checked by :func:`zonestudy.checks.enforce`):

* a value that cannot be read: a ``value_text`` that is not one quantity, a printed date or period
  that is not a date;
* a place or zone that is not known: a city that is not in :mod:`zonestudy.zones` and is not
  recognisably county-level or unnamed (see :func:`place_is_accounted_for`), a province that is not
  known (other than the marker ``(not named)``), a zone name that matches no registry zone or
  several;
* a round label that cannot be placed: a numbered round with no year, or a label that is neither a
  numbered round nor a recognised period, span or launch event (:func:`label_is_placeable`);
* a double-entry difference: the printed text and the transcribed number disagree.

Labels that name a period (``2023年二季度``, ``截至7月底``), a span of rounds (``前六期``) or a launch
event are not problems of placement: they are kept with an empty round number, as before, and listed
in the cleaning report. :func:`check_raw_folder` stops the build on any undeclared file in
``data/raw``, before the notebooks run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from zonestudy import checks, clean, io, paths, zones
from zonestudy.study import tables

__all__ = [
    "KNOWN_ISSUES",
    "label_is_placeable",
    "place_is_accounted_for",
    "cleaning_problems",
    "known_issues",
    "check_cleaning",
    "check_raw_folder",
    "clean_and_check",
]

KNOWN_ISSUES = "known_issues"
"""Resource (and family) of the reviewed acknowledgements, ``data/raw/known_issues.csv``."""

_NUM = r"[0-9一二三四五六七八九十两]+"
_PERIOD = (rf"(?:全年|上半年|下半年|前三季度|第?[一二三四1-4]季度|[春夏秋冬]季|\d+(?:-\d+)?月份?|签约"
           rf"|以来{_NUM}次|{_NUM}次|前{_NUM}[批期]|第{_NUM}(?:、{_NUM})+[批期]|{_NUM}期)")
_PERIOD_LABEL = re.compile(rf"(?:(?:\d{{4}}年)?(?:[\u4e00-\u9fff]{{1,6}}?)?{_PERIOD}|\d{{4}}年)")
_NOTE = re.compile(r"\s*\([^)]*\)\s*")
_CAMPAIGN_SUFFIX = re.compile(r"“[^”]*”活动$")


def label_is_placeable(label) -> bool:
    """Whether a round label that names no numbered round is still a known kind of label.

    Known kinds, after dropping notes in brackets and a trailing “…”活动: a year (``2017年``,
    ``2024年全年``); a period of a year, optionally with a place (``2023年二季度``, ``2019年1-9月``,
    ``2022年中部区县二季度``, ``2022年春季``, ``上半年``); cumulative to a date (``截至…``); a span of
    rounds (``前六期``, ``2023年前三批``, ``2024年第一、二批``, ``2022年以来五次``, ``四期``); a launch
    event (``…启动…``, ``…仪式``); ``This year``; or no label at all (only a bracketed note).

    Examples
    --------
    >>> [label_is_placeable(t) for t in ["2023年二季度", "截至7月底 (year not printed)", "四期“三个一批”活动",
    ...                                  "2024年冬季批次", "第几批"]]
    [True, True, True, False, False]
    """
    if not isinstance(label, str):
        return True
    text = _CAMPAIGN_SUFFIX.sub("", _NOTE.sub("", label).strip()).strip()
    if text == "" or text.startswith("截至") or text.startswith("This year"):
        return True
    if "启动" in text or text.endswith("仪式"):
        return True
    return _PERIOD_LABEL.fullmatch(text) is not None


def _known_city(name: str) -> bool:
    try:
        zones.normalize_city(name)
        return True
    except (LookupError, ValueError, TypeError):
        return False


def place_is_accounted_for(name) -> bool:
    """Whether a place that is not a known city is still a known kind of place.

    County-level places (ending in 县, 区 or 旗), places inside a known city (``西安市14个市级部门``)
    and places the source does not name (a note saying ``not named`` / ``not printed``) are; any other
    name — ``某某市`` — is not: it is a city the project does not know, or a typing error.

    Examples
    --------
    >>> [place_is_accounted_for(t) for t in ["罗山县", "鄂托克前旗", "廊坊市中部区县", "西安市14个市级部门",
    ...                                      "我市 (city not named)", "某某市"]]
    [True, True, True, True, True, False]
    """
    if not isinstance(name, str):
        return False
    if "not named" in name or "not printed" in name:
        return True
    if re.search(r"[县区旗]$", name.strip()):
        return True
    head = name.split("市")[0] + "市" if "市" in name else ""
    return bool(head) and head != name.strip() and _known_city(head)


def _fmt(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return format(value, ".12g") if isinstance(value, float) else str(value)


def cleaning_problems(raw_campaign: pd.DataFrame, campaign_report: pd.DataFrame,
                      campaign_double_entry: pd.DataFrame, article_report: pd.DataFrame,
                      article_double_entry: pd.DataFrame, article_file: str = "article_facts.csv") -> pd.DataFrame:
    """The cleaning problems that block the build, as a :mod:`zonestudy.checks` problem table.

    Parameters
    ----------
    raw_campaign : DataFrame
        The stacked raw campaign facts (with ``resource``, ``fact_id``).
    campaign_report, article_report : DataFrame
        Reports of :func:`zonestudy.study.tables.clean_campaign_facts` and
        :func:`~zonestudy.study.tables.clean_article_facts`.
    campaign_double_entry, article_double_entry : DataFrame
        :func:`zonestudy.study.tables.double_entry` of each.
    article_file : str
        File of the article facts.

    Returns
    -------
    DataFrame
        ``file``, ``row`` (the fact id), ``column``, ``value``, ``why``, sorted by file and row.
    """
    files = dict(zip(raw_campaign["fact_id"], raw_campaign["resource"].astype(str) + ".csv"))
    rows = []
    for r in campaign_report.itertuples(index=False):
        blocking = True
        if r.column == "geography":
            blocking = not place_is_accounted_for(r.value)
        elif r.column == "province":
            blocking = not (isinstance(r.value, str) and "not named" in r.value)
        elif r.column == "round_label" and r.problem.startswith("names no numbered round"):
            blocking = not label_is_placeable(r.value)
        if blocking:
            why = r.problem
            if r.column == "round_label" and r.problem.startswith("names no numbered round"):
                why = ("round label that cannot be placed: neither a numbered round nor a known period, "
                       "span or launch event")
            rows.append({"file": files.get(r.fact_id, "campaign_facts"), "row": r.fact_id,
                         "column": r.column, "value": _fmt(r.value), "why": why})
    for r in article_report.itertuples(index=False):
        rows.append({"file": article_file, "row": r.fact_id, "column": r.column, "value": _fmt(r.value),
                     "why": r.problem})
    for frame, file_of in ((campaign_double_entry, files.get), (article_double_entry, lambda _: article_file)):
        for r in frame.itertuples(index=False):
            rows.append({"file": file_of(r.fact_id), "row": r.fact_id, "column": "value", "value": _fmt(r.value),
                         "why": f"double entry: the text {r.value_text!r} reads {_fmt(r.parsed_value)} "
                                f"{_fmt(r.parsed_unit)}, the transcription {_fmt(r.value)} {_fmt(r.unit)} "
                                f"({r.explanation})"})
    out = checks.problem_table(rows)
    return out.sort_values(["file", "row", "column"], kind="mergesort").reset_index(drop=True)


def known_issues(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The reviewed acknowledgements (``data/raw/known_issues.csv``), empty if none is declared."""
    if KNOWN_ISSUES not in io.resource_names(raw_dir=raw_dir):
        return pd.DataFrame(columns=[*checks.KEY_COLUMNS, "reason", "reviewed_by", "reviewed_on"])
    return io.load_raw(KNOWN_ISSUES, raw_dir=raw_dir)


def check_cleaning(problems: pd.DataFrame, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Stop (:class:`zonestudy.checks.DataQualityError`) on unacknowledged problems; else mark them."""
    return checks.enforce(problems, known_issues(raw_dir))


def check_raw_folder(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Stop on files in ``data/raw`` that ``datapackage.json`` does not declare (unless acknowledged)."""
    return checks.enforce(checks.undeclared_files(raw_dir), known_issues(raw_dir))


def clean_and_check(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Run the cleaning step's checks on a ``data/raw`` folder without writing anything.

    The same steps as ``notebooks/02_clean.ipynb`` up to the check: the raw folder, the campaign
    facts with their corrections, round dates and projects, the article facts and both double
    entries. Returns the marked problems (all acknowledged) or raises
    :class:`zonestudy.checks.DataQualityError`.
    """
    root = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    check_raw_folder(root)
    raw_campaign = io.load_family("campaign_facts", raw_dir=root)
    names = io.resource_names(raw_dir=root)
    optional = {arg: io.load_family(fam, raw_dir=root) if any(
        r.get("zonestudy", {}).get("family") == fam for r in io.read_datapackage(root)["resources"]) else None
        for arg, fam in (("corrections", "note_corrections"), ("round_dates", "round_dates"),
                         ("projects", "campaign_projects"))}
    _, campaign_report = tables.clean_campaign_facts(raw_campaign, **optional)
    parsed, _ = tables.with_transcribed_units(clean.parse_quantity(raw_campaign["value_text"], errors="coerce"),
                                              raw_campaign)
    campaign_double = tables.double_entry(raw_campaign, parsed)
    registry = zones.build_registry(*(io.load_raw(n, raw_dir=root) for n in
                                      ("zones_national_etdz", "zones_national_hitech", "zones_shanxi")))
    raw_article = io.load_raw("article_facts", raw_dir=root) if "article_facts" in names else None
    article_report = pd.DataFrame(columns=["fact_id", "column", "value", "problem"])
    article_double = pd.DataFrame(columns=["fact_id", "value_text", "value", "unit", "parsed_value",
                                           "parsed_unit", "explanation"])
    if raw_article is not None:
        article, article_report, _ = tables.clean_article_facts(raw_article, registry)
        quantities = raw_article["value"].notna() & (raw_article["unit"] != "date")
        text = article["value_text_repaired"].fillna(article["value_text"])
        article_double = tables.double_entry(raw_article.assign(value_text=text),
                                             clean.parse_quantity(text.where(quantities), errors="coerce"))
    problems = cleaning_problems(raw_campaign, campaign_report, campaign_double, article_report, article_double)
    return check_cleaning(problems, root)
