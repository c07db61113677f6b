"""Build the clean tables in ``data/clean`` from the raw tables.

Each builder is a pure function: raw DataFrames in (as returned by :func:`zonestudy.io.load_raw`),
a tidy DataFrame out, plus a report of every row that could not be fully cleaned — nothing is dropped
without being counted. ``notebooks/02_clean.ipynb`` calls them and writes the results with
:func:`zonestudy.io.write_clean`.

Conventions of the clean tables
-------------------------------
* One row per raw fact, its ``fact_id`` and ``source_id`` kept.
* Numeric columns carry their unit in the name: ``value_cny`` (yuan), ``value_count``,
  ``value_ratio`` (a fraction: 83% → 0.83), ``value_m2``, ``value_m``, ``value_t``, ``value_mw``,
  ``value_mwh``, ``value_degc``, ``value_usd``; a row fills the one column of its unit. Bounds of a
  printed range or an "over"/"under" figure are in ``low_<unit>`` / ``high_<unit>`` beside it.
* ``value_text`` stays exactly as printed; ``qualifier`` says whether the figure is exact, a lower
  bound (余, 多, 超 …), approximate (约), nearly (近), a range, or vague (数十, 十几: bounds only, no
  value) — one of :data:`zonestudy.clean.QUALIFIERS`, coded in ``data/clean_schema.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zonestudy import clean, dedup, io, sources, zones

__all__ = [
    "UNIT_COLUMNS",
    "OVERLAP_PHRASES",
    "value_columns",
    "transcribed_quantity",
    "double_entry",
    "with_transcribed_units",
    "read_unparsed",
    "page_reference_date",
    "clean_campaign_facts",
    "checked_notes",
    "dated_rounds",
    "project_names",
    "clean_article_facts",
    "article_projects",
]

UNIT_COLUMNS = {
    "CNY": "cny", "USD": "usd", "count": "count", "ratio": "ratio", "m2": "m2", "m": "m",
    "t": "t", "MW": "mw", "MWh": "mwh", "degC": "degc",
}
OVERLAP_PHRASES = ("alternative grouping", "subset of", "the categories overlap")
_EXPLAINED_UNITS = {"other": "the transcriber kept the number in the unit printed inside the text "
                             "(e.g. 1.8 for 1.8万亿元, 622 for 622万元/亩) and marked the unit 'other'"}


def value_columns(parsed: pd.DataFrame, units: list[str] | None = None) -> pd.DataFrame:
    """Spread parsed quantities into unit-named columns.

    Parameters
    ----------
    parsed : DataFrame
        Output of :func:`zonestudy.clean.parse_quantity` (``value``, ``unit``, ``low``, ``high``).
    units : list of str, optional
        Canonical units to give a column each (default: those present in ``parsed``), so that
        tables built from different inputs share columns.

    Returns
    -------
    DataFrame
        ``value_<u>`` for each unit, and ``low_<u>`` / ``high_<u>`` for units where some row's bounds
        differ from its value; aligned with ``parsed``.

    Examples
    --------
    >>> p = clean.parse_quantity(["3.44亿元", "1700余个", "3-5亿元"])
    >>> value_columns(p).columns.tolist()
    ['value_cny', 'low_cny', 'high_cny', 'value_count', 'low_count', 'high_count']
    >>> value_columns(p)["value_cny"].tolist()
    [344000000.0, nan, 400000000.0]
    """
    present = [u for u in UNIT_COLUMNS if u in set(parsed["unit"].dropna())] if units is None else units
    out = pd.DataFrame(index=parsed.index)
    for unit in present:
        suffix = UNIT_COLUMNS[unit]
        mine = parsed["unit"] == unit
        out[f"value_{suffix}"] = parsed["value"].where(mine)
        low, high = parsed["low"].where(mine), parsed["high"].where(mine)
        value = out[f"value_{suffix}"]
        if not (low.fillna(-1).eq(value.fillna(-1)) & high.fillna(-1).eq(value.fillna(-1))).all():
            out[f"low_{suffix}"] = low
            out[f"high_{suffix}"] = high
    return out


def transcribed_quantity(values: pd.Series, units: pd.Series) -> pd.DataFrame:
    """Read the transcriber's ``value`` in its ``unit`` into canonical units.

    The number and its unit are joined as text and parsed like a printed figure, so 92.04 亿元
    becomes 9.204e9 CNY and 83 % becomes 0.83. Units the parser does not know (``other``,
    ``date``, empty) come back with ``parsed = False``.

    Examples
    --------
    >>> transcribed_quantity(pd.Series([92.04, 83.0, 14.9, 4.0]),
    ...                      pd.Series(["亿元", "%", "billion yuan", "other"]))[["value", "unit", "parsed"]]
              value   unit  parsed
    0  9.204000e+09    CNY    True
    1  8.300000e-01  ratio    True
    2  1.490000e+10    CNY    True
    3           NaN    NaN   False
    """
    known = units.notna() & ~units.isin(["other", "date", ""]) & values.notna()
    text = pd.Series(pd.NA, index=values.index, dtype="object")
    text[known] = values[known].map(lambda v: format(v, ".12g")).astype(str) + " " + units[known].astype(str)
    return clean.parse_quantity(text, errors="coerce")


def double_entry(frame: pd.DataFrame, parsed: pd.DataFrame, *, rtol: float = 1e-9) -> pd.DataFrame:
    """Rows where the parsed ``value_text`` and the transcribed ``value`` disagree, with the reason.

    Parameters
    ----------
    frame : DataFrame
        Raw facts with ``fact_id``, ``value_text``, ``value`` and ``unit``.
    parsed : DataFrame
        :func:`zonestudy.clean.parse_quantity` of ``frame["value_text"]`` (same index).
    rtol : float
        Relative tolerance for equal values.

    Returns
    -------
    DataFrame
        ``fact_id``, ``value_text``, ``value``, ``unit``, ``parsed_value``, ``parsed_unit``,
        ``transcribed_value``, ``transcribed_unit``, ``explanation``; one row per disagreement.
    """
    transcribed = transcribed_quantity(frame["value"], frame["unit"])
    both = parsed["parsed"] & parsed["value"].notna()
    same_unit = parsed["unit"].fillna("") == transcribed["unit"].fillna("")
    close = np.isclose(parsed["value"].fillna(np.inf), transcribed["value"].fillna(-np.inf), rtol=rtol, atol=0)
    differs = both & ~(same_unit & close)
    rows = frame.loc[differs, ["fact_id", "value_text", "value", "unit"]].copy()
    rows["parsed_value"] = parsed.loc[differs, "value"]
    rows["parsed_unit"] = parsed.loc[differs, "unit"]
    rows["transcribed_value"] = transcribed.loc[differs, "value"]
    rows["transcribed_unit"] = transcribed.loc[differs, "unit"]
    rows["explanation"] = [
        _explain(r) for r in rows.itertuples(index=False)
    ]
    return rows.reset_index(drop=True)


def _explain(row) -> str:
    if row.unit in _EXPLAINED_UNITS:
        return _EXPLAINED_UNITS[row.unit]
    if pd.isna(row.transcribed_unit):
        return f"the transcribed unit {row.unit!r} is not a unit of measurement; the printed figure is used"
    if row.parsed_unit != row.transcribed_unit:
        return (f"the printed figure is in {row.parsed_unit}, the transcription in {row.transcribed_unit}: "
                "the transcriber recorded a different quantity of the same text")
    ratio = row.parsed_value / row.transcribed_value if row.transcribed_value else np.nan
    if np.isfinite(ratio) and any(np.isclose(ratio, 10.0**k) for k in (-8, -4, 4, 8)):
        return f"the same number at a different scale (×{ratio:g}): the transcriber dropped or added 万/亿"
    return "the printed figure and the transcription differ: check the source"


def with_transcribed_units(parsed: pd.DataFrame, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Give a unit to printed bare numbers (``"263"``, ``"four"``) from the transcribed unit.

    Only where the printed number has no unit of its own and equals the transcribed number; the
    second return value marks the rows that took their unit this way.

    Examples
    --------
    >>> frame = pd.DataFrame({"value": [263.0, 5.0], "unit": ["projects", "个"]})
    >>> parsed, filled = with_transcribed_units(clean.parse_quantity(["263", "5个"]), frame)
    >>> parsed["unit"].tolist(), filled.tolist()
    (['count', 'count'], [True, False])
    """
    transcribed = transcribed_quantity(frame["value"], frame["unit"])
    bare = parsed["parsed"] & parsed["unit"].isna() & transcribed["parsed"]
    factor = transcribed["value"] / frame["value"]
    fill = bare & np.isclose(parsed["value"].fillna(np.nan), frame["value"], rtol=1e-12, atol=0)
    out = parsed.copy()
    for column in ("value", "low", "high"):
        out[column] = out[column].where(~fill, out[column] * factor)
    for column in ("unit", "dimension"):
        out[column] = out[column].where(~fill, transcribed[column])
    return out, fill


def read_unparsed(frame: pd.DataFrame) -> pd.DataFrame:
    """Read the texts that are not a single quantity: ranks, and texts with several figures.

    For each row of ``frame`` (raw facts with ``fact_id``, ``value_text``, ``value``, ``unit``),
    a rank (全省第1位) is read with :func:`zonestudy.clean.parse_rank`; otherwise every figure in the
    text is listed with :func:`zonestudy.clean.extract_quantities`, and the one equal to the
    transcribed ``value`` (in the text's own unit) is named — double entry for multi-figure texts.

    Returns
    -------
    DataFrame
        ``fact_id``, ``value_text``, ``kind`` (``rank``, ``several figures`` or ``no figure``),
        ``rank``, ``figures`` (the printed figures, ``; ``-joined), ``transcribed_value``,
        ``transcribed_figure`` (the printed figure the transcription matches, empty if none).

    Examples
    --------
    >>> frame = pd.DataFrame({"fact_id": ["a", "b"], "value_text": ["综合评价全省排名第9位", "131个计划新开工项目有112个实现开工"],
    ...                       "value": [9.0, 112.0], "unit": ["other", "个"]})
    >>> read_unparsed(frame)[["kind", "rank", "figures", "transcribed_figure"]].to_dict(orient="records")
    [{'kind': 'rank', 'rank': 9, 'figures': '', 'transcribed_figure': ''}, {'kind': 'several figures', 'rank': None, 'figures': '131个; 112个', 'transcribed_figure': '112个'}]
    """
    ranks = clean.parse_rank(frame["value_text"], errors="coerce")
    figures = clean.extract_quantities(frame["value_text"].where(~ranks["parsed"]), errors="coerce")
    transcribed = transcribed_quantity(frame["value"], frame["unit"])
    rows = []
    for label, row in frame.iterrows():
        found = figures[figures["input"] == label]
        same = np.isclose(found["value"].astype(float), transcribed.loc[label, "value"], rtol=1e-9, atol=0)
        kind = "rank" if ranks.loc[label, "parsed"] else "several figures" if len(found) > 1 else "no figure"
        rows.append({
            "fact_id": row["fact_id"], "value_text": row["value_text"], "kind": kind,
            "rank": ranks.loc[label, "rank"], "figures": "; ".join(found["text"]),
            "transcribed_value": row["value"], "transcribed_figure": "; ".join(found.loc[same, "text"]),
        })
    out = pd.DataFrame(rows, index=frame.index)
    out["rank"] = out["rank"].astype("Int64")
    return out


def _rounds(frame: pd.DataFrame) -> pd.DataFrame:
    return clean.parse_round_labels(frame["round_label"], frame["event_date"], errors="coerce")


def clean_campaign_facts(facts: pd.DataFrame, *, corrections: pd.DataFrame | None = None,
                         round_dates: pd.DataFrame | None = None,
                         projects: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean campaign facts: canonical units, round year and number, normalised places.

    Parameters
    ----------
    facts : DataFrame
        Stacked campaign facts (:func:`zonestudy.io.load_family` of ``"campaign_facts"``).
    corrections : DataFrame, optional
        Source-checked notes (family ``note_corrections``, e.g. ``note_corrections_peers.csv``):
        see :func:`checked_notes`. Values are never changed; the notes go to ``checked_note`` and
        the file's ``overlaps_main_split`` overrides the flag read from the notes.
    round_dates : DataFrame, optional
        Event dates of rounds whose facts print none (family ``round_dates``): see
        :func:`dated_rounds`.
    projects : DataFrame, optional
        Named projects (family ``campaign_projects``): ``project_id`` and ``project_name`` of each
        fact with ``scope == "project"``.

    Returns
    -------
    clean : DataFrame
        One row per fact: ids and source, ``province`` and ``province_en``, ``campaign``,
        ``round_label``, ``year`` and ``round_no`` (missing where the label names no numbered
        round), ``event_date``, ``scope``, ``geography``, ``city`` (normalised, for city rows),
        ``stage``, ``breakdown``, ``category``, ``measure``, ``value_text``, ``qualifier``,
        ``dimension``, the unit-named value columns, ``overlaps_main_split`` (the row is an
        alternative grouping or a subset of its source's main split — never add it to that split:
        set by the source-checked ``corrections`` where they give it, else read from the notes,
        :data:`OVERLAP_PHRASES`), ``parsed``, ``notes``, ``checked_note`` and
        ``checked_note_source_ids`` (the source-checked note and the sources quoted as its
        evidence; empty where the row was not checked), ``event_date_from`` (``"fact"`` where the
        fact prints the date, else the resource that dates its round, e.g. ``round_dates_henan``),
        ``year_inferred`` (True where that date's year is inferred, not printed: state it with the
        year), ``project_id`` and ``project_name`` (for ``scope == "project"``);
        then the duplicates marks of :func:`zonestudy.dedup.mark_distinct`: ``distinct_fact_id``
        (the canonical copy's fact id), ``is_canonical``, ``n_sources`` and ``source_ids_all`` — the
        same figure printed by several sources is one distinct fact, so sum over ``is_canonical`` rows.
    report : DataFrame
        One row per problem: ``fact_id``, ``column`` (``value_text`` or ``round_label``), ``value``,
        ``problem``.
    """
    parsed, unit_from_transcription = with_transcribed_units(
        clean.parse_quantity(facts["value_text"], errors="coerce"), facts)
    dating = dated_rounds(facts, round_dates)
    facts = facts.assign(event_date=dating["event_date"])
    rounds = _rounds(facts)
    province = facts["province"].map(_province_or_missing)
    out = pd.DataFrame({
        "fact_id": facts["fact_id"],
        "source_id": facts["source_id"],
        "resource": facts["resource"] if "resource" in facts else pd.NA,
        "province": facts["province"],
        "province_en": province.map(lambda p: zones.english_name(p) if isinstance(p, str) else pd.NA),
        "campaign": facts["campaign"],
        "round_label": facts["round_label"],
        "year": rounds["year"].astype("Int64"),
        "round_no": rounds["round_no"].astype("Int64"),
        "event_date": facts["event_date"],
        "scope": facts["scope"],
        "geography": facts["geography"],
        "city": [_city_or_missing(g) if s == "city" else pd.NA
                 for g, s in zip(facts["geography"], facts["scope"])],
        "stage": facts["stage"],
        "breakdown": facts["breakdown"],
        "category": facts["category"],
        "measure": facts["measure"],
        "value_text": facts["value_text"],
        "qualifier": parsed["qualifier"],
        "dimension": parsed["dimension"],
        "currency": parsed["currency"],
    })
    out = pd.concat([out, value_columns(parsed)], axis=1)
    notes = facts["notes"].fillna("")
    out["unit_from_transcription"] = unit_from_transcription
    checked = checked_notes(facts, corrections)
    from_notes = notes.str.contains("|".join(OVERLAP_PHRASES), regex=True)
    out["overlaps_main_split"] = checked["overlaps_main_split"].astype("boolean").fillna(from_notes).astype(bool)
    out["parsed"] = parsed["parsed"]
    out["notes"] = facts["notes"]
    out["checked_note"] = checked["checked_note"]
    out["checked_note_source_ids"] = checked["checked_note_source_ids"]
    out["event_date_from"] = dating["event_date_from"]
    out["year_inferred"] = dating["year_inferred"]
    named = project_names(facts, projects)
    out["project_id"] = named["project_id"]
    out["project_name"] = named["project_name"]
    unread = facts["round_label"].notna() & ~rounds["parsed"]
    numbered = clean.parse_round_labels(facts["round_label"].where(unread),
                                        pd.Series(pd.Timestamp("2000-01-01"), index=facts.index),
                                        errors="coerce")["parsed"]
    unknown_city = (facts["scope"] == "city") & out["city"].isna().to_numpy()
    unknown_province = out["province_en"].isna().to_numpy()
    report = pd.concat([
        _problems(facts, ~parsed["parsed"], "value_text", "not a single quantity: kept with empty value columns"),
        _problems(facts, unknown_city, "geography",
                  "not a city known to zonestudy.zones (a county, district or unnamed place): city left empty"),
        _problems(facts, unknown_province, "province",
                  "not a province known to zonestudy.zones: province_en left empty"),
        _problems(facts, unread & ~numbered, "round_label",
                  "names no numbered round (cumulative, annual or launch event): year and round_no left empty"),
        _problems(facts, unread & numbered, "round_label",
                  "a numbered round, but neither the label nor an event date gives its year: year and round_no left empty"),
    ], ignore_index=True)
    return dedup.mark_distinct(out.reset_index(drop=True)), report


def checked_notes(facts: pd.DataFrame, corrections: pd.DataFrame | None) -> pd.DataFrame:
    """The source-checked note, its evidence's sources and its overlap flag for each fact.

    Parameters
    ----------
    facts : DataFrame
        Campaign facts with ``fact_id``.
    corrections : DataFrame or None
        Rows of a ``note_corrections`` file: ``record_id``, ``table``, ``field`` (``notes``),
        ``new`` (the note), ``evidence_source_id``, ``other_source_id`` (may be empty),
        ``overlaps_main_split`` (may be empty).
        Only rows with ``table == "campaign_facts"`` apply here.

    Returns
    -------
    DataFrame
        Aligned with ``facts``: ``checked_note``, ``checked_note_source_ids`` (missing where the
        fact was not checked) and ``overlaps_main_split`` (nullable boolean; missing where the check
        does not say).

    Raises
    ------
    zonestudy.io.DataValidationError
        If a correction names a fact that is not in ``facts`` (naming the file and the id).

    Examples
    --------
    >>> facts = pd.DataFrame({"fact_id": ["F1", "F2"]})
    >>> fixes = pd.DataFrame({"record_id": ["F2"], "table": ["campaign_facts"], "field": ["notes"],
    ...                       "new": ["subset of X"], "evidence_source_id": ["S1"], "other_source_id": ["S2"],
    ...                       "overlaps_main_split": [True]})
    >>> checked = checked_notes(facts, fixes)
    >>> checked["overlaps_main_split"].tolist(), checked["checked_note_source_ids"].tolist()
    ([<NA>, True], [nan, 'S1;S2'])
    """
    out = pd.DataFrame({"checked_note": pd.Series(pd.NA, index=facts.index, dtype="str"),
                        "checked_note_source_ids": pd.Series(pd.NA, index=facts.index, dtype="str"),
                        "overlaps_main_split": pd.Series(pd.NA, index=facts.index, dtype="boolean")})
    if corrections is None or corrections.empty:
        return out
    mine = corrections[(corrections["table"] == "campaign_facts") & (corrections["field"] == "notes")]
    position = pd.Series(facts.index, index=facts["fact_id"].to_numpy())
    unknown = mine[~mine["record_id"].isin(position.index)]
    if len(unknown):
        raise io.DataValidationError([
            io.Problem(f"{r.get('resource', 'note_corrections')}.csv", None, "record_id", r["record_id"],
                       "corrects a fact that is in no campaign-facts file")
            for _, r in unknown.iterrows()])
    at = position[mine["record_id"]].to_numpy()
    out.loc[at, "checked_note"] = mine["new"].to_numpy()
    ids = [sources.join_ids([a, b]) for a, b in zip(mine["evidence_source_id"], mine["other_source_id"])]
    out.loc[at, "checked_note_source_ids"] = ids
    out.loc[at, "overlaps_main_split"] = mine["overlaps_main_split"].astype("boolean").to_numpy()
    return out


def dated_rounds(facts: pd.DataFrame, round_dates: pd.DataFrame | None) -> pd.DataFrame:
    """Event dates for facts whose round is dated elsewhere, and whether the year is inferred.

    A fact that prints no ``event_date`` takes the date of its round (same ``province``,
    ``campaign`` and ``round_label``) from ``round_dates``; a fact's own date is never replaced.

    Returns
    -------
    DataFrame
        Aligned with ``facts``: ``event_date`` (the fact's own, else the round's), ``event_date_from``
        (``"fact"``, the dating file's resource name, or missing where there is no date) and
        ``year_inferred`` (bool; True only for dates whose year the dating file marks inferred).

    Examples
    --------
    >>> facts = pd.DataFrame({"province": "河南省", "campaign": "三个一批", "round_label": ["第十五期", "第四期"],
    ...                       "event_date": [pd.NaT, pd.Timestamp("2022-04-06")]})
    >>> dates = pd.DataFrame({"resource": ["round_dates_henan"], "province": ["河南省"], "campaign": ["三个一批"],
    ...                       "round_label": ["第十五期"], "event_date": [pd.Timestamp("2025-01-05")],
    ...                       "year_inferred": [True]})
    >>> dated_rounds(facts, dates)[["event_date_from", "year_inferred"]].to_dict("list")
    {'event_date_from': ['round_dates_henan', 'fact'], 'year_inferred': [True, False]}
    """
    own = facts["event_date"]
    out = pd.DataFrame({"event_date": own,
                        "event_date_from": pd.Series("fact", index=facts.index, dtype="str").where(own.notna()),
                        "year_inferred": pd.Series(False, index=facts.index)})
    if round_dates is None or round_dates.empty:
        return out
    keys = ["province", "campaign", "round_label"]
    table = round_dates.assign(resource=round_dates["resource"] if "resource" in round_dates else "round_dates")
    merged = facts[keys].merge(table[[*keys, "event_date", "year_inferred", "resource"]], on=keys, how="left")
    merged.index = facts.index
    fill = own.isna() & merged["event_date"].notna()
    out.loc[fill, "event_date"] = merged.loc[fill, "event_date"]
    out.loc[fill, "event_date_from"] = merged.loc[fill, "resource"]
    out.loc[fill, "year_inferred"] = merged.loc[fill, "year_inferred"].astype(bool)
    out["year_inferred"] = out["year_inferred"].astype(bool)
    return out


def project_names(facts: pd.DataFrame, projects: pd.DataFrame | None) -> pd.DataFrame:
    """``project_id`` and ``project_name`` of the facts with ``scope == "project"``.

    Raises
    ------
    zonestudy.io.DataValidationError
        If a project fact has no row in ``projects``, or a row in ``projects`` names a fact
        whose scope is not ``project``.

    Examples
    --------
    >>> facts = pd.DataFrame({"fact_id": ["F1", "F2"], "scope": ["zone", "project"]})
    >>> named = project_names(facts, pd.DataFrame({"fact_id": ["F2"], "project_id": ["P-1"], "project_name": ["X项目"]}))
    >>> named["project_name"].tolist()
    [nan, 'X项目']
    """
    out = pd.DataFrame({"project_id": pd.Series(pd.NA, index=facts.index, dtype="str"),
                        "project_name": pd.Series(pd.NA, index=facts.index, dtype="str")})
    is_project = facts["scope"] == "project"
    table = projects if projects is not None else pd.DataFrame(columns=["fact_id", "project_id", "project_name"])
    names = table.set_index("fact_id")
    problems = [
        io.Problem(f"{r['resource']}.csv" if "resource" in facts else "campaign_facts", None, "scope",
                   r["fact_id"], "a fact with scope 'project' has no row in a campaign_projects file "
                   "(give its project_id and project_name there)")
        for _, r in facts[is_project & ~facts["fact_id"].isin(names.index)].iterrows()
    ]
    scope = facts.set_index("fact_id")["scope"]
    for _, r in table.iterrows():
        if scope.get(r["fact_id"]) != "project":
            problems.append(io.Problem(f"{r.get('resource', 'campaign_projects')}.csv", None, "fact_id",
                                       r["fact_id"], "names a fact whose scope is not 'project'"))
    if problems:
        raise io.DataValidationError(problems)
    ids = facts["fact_id"].where(is_project)
    out["project_id"] = ids.map(names["project_id"]).astype("str").where(is_project)
    out["project_name"] = ids.map(names["project_name"]).astype("str").where(is_project)
    return out


def _problems(frame, mask, column, problem) -> pd.DataFrame:
    return pd.DataFrame({"fact_id": frame.loc[mask, "fact_id"], "column": column,
                         "value": frame.loc[mask, column], "problem": problem})


def _province_or_missing(name):
    try:
        return zones.normalize_province(name)
    except (LookupError, ValueError, TypeError):
        return pd.NA


def _city_or_missing(name):
    try:
        return zones.normalize_city(name)
    except (LookupError, ValueError, TypeError):
        return pd.NA


def clean_article_facts(facts: pd.DataFrame, registry: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean the 科学导报 page's facts: OCR repairs, quantities, periods and zone ids.

    Only rows with a transcribed ``value`` are quantities; names, lists and dates are kept with
    empty value columns. Printed dates (``unit == "date"``) are resolved against the page's date.

    Returns
    -------
    clean : DataFrame
        One row per fact, with ``value_text`` as printed, ``value_text_repaired`` where an OCR
        repair applied, ``zone_id`` / ``zone_en`` (empty with ``zone_match`` = ``ambiguous`` or
        ``unknown`` where the name cannot be resolved without guessing), ``city``, unit-named value
        columns, ``period``, ``period_start``, ``period_end`` and ``date``.
    report : DataFrame
        Problems: unparsed quantities, unmatched zone names.
    repairs : DataFrame
        Every OCR repair: ``fact_id``, ``original``, ``repaired``, ``reason``.
    """
    repaired, repairs = clean.repair_ocr(facts["value_text"])
    repairs = repairs.assign(fact_id=facts.loc[repairs.index, "fact_id"])[["fact_id", "original", "repaired", "reason"]]
    quantitative = facts["value"].notna() & (facts["unit"] != "date")
    parsed = clean.parse_quantity(repaired.where(quantitative), errors="coerce")
    page_date = page_reference_date(facts)
    matches = zones.match_zones(facts["zone"], registry=registry, errors="coerce")
    names_en = registry.set_index("zone_id")["name_en"]
    periods = clean.parse_periods(facts["period"], reference=page_date, errors="coerce")
    is_date = facts["unit"] == "date"
    out = pd.DataFrame({
        "fact_id": facts["fact_id"],
        "source_id": facts["source_id"],
        "article_section": facts["article_section"],
        "zone": facts["zone"],
        "zone_id": matches["zone_id"],
        "zone_match": matches["matched_by"],
        "zone_en": matches["zone_id"].map(names_en),
        "city": facts["city"].map(lambda c: _city_or_missing(c) if isinstance(c, str) else pd.NA),
        "entity": facts["entity"],
        "entity_origin": facts["entity_origin"],
        "subject": facts["subject"],
        "industry": facts["industry"],
        "stage": facts["stage"],
        "value_text": facts["value_text"],
        "value_text_repaired": repaired.where(repaired != facts["value_text"]),
        "qualifier": parsed["qualifier"],
        "dimension": parsed["dimension"],
        "currency": parsed["currency"],
    })
    out = pd.concat([out, value_columns(parsed)], axis=1)
    out["date"] = [_date_or_missing(t, page_date) if d else pd.NaT for t, d in zip(facts["value_text"], is_date)]
    out["period"] = facts["period"]
    out["period_start"] = periods["start"]
    out["period_end"] = periods["end"]
    out["parsed"] = parsed["parsed"] | ~quantitative
    out["notes"] = facts["notes"]
    unmatched = facts["zone"].notna() & matches["zone_id"].isna()
    report = pd.concat([
        _problems(facts, quantitative & ~parsed["parsed"], "value_text", "not a single quantity"),
        pd.DataFrame({"fact_id": facts.loc[unmatched, "fact_id"], "column": "zone",
                      "value": facts.loc[unmatched, "zone"],
                      "problem": "zone name " + matches.loc[unmatched, "matched_by"].astype(str)
                                 + ": " + matches.loc[unmatched, "candidates"].astype(str)}),
        _problems(facts, is_date & out["date"].isna(), "value_text",
                  "printed date is not a calendar date (e.g. 立秋后): date left empty"),
        _problems(facts, facts["period"].notna() & periods["start"].isna() & periods["end"].isna(),
                  "period", "not a date or period (e.g. 建成后): period_start/end left empty"),
    ], ignore_index=True)
    return out.reset_index(drop=True), report, repairs.reset_index(drop=True)


def _date_or_missing(text, reference):
    try:
        return clean.resolve_date(text, reference=reference)
    except clean.ParseError:
        return pd.NaT


def page_reference_date(facts: pd.DataFrame) -> pd.Timestamp:
    """The date printed dates on a newspaper page are resolved against: its latest full date.

    The 科学导报 page prints the years it reports on in its text ("2024 年…", "2023 年以来…"), but its
    issue date and some dates (8月19日) without a year; the transcription dates each fact in its
    ``period`` column (see the notes). The page cannot be older than
    the latest event it reports, so that date is the reference.

    Examples
    --------
    >>> page_reference_date(pd.DataFrame({"period": ["2024-08-19", "2024年8月", "2024-08-28", None]}))
    Timestamp('2024-08-28 00:00:00')
    """
    dates = pd.to_datetime(facts["period"].where(facts["period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}", na=False)))
    if dates.isna().all():
        raise ValueError("no fact carries a full date (YYYY-MM-DD) in its period column")
    return dates.max()


def article_projects(article: pd.DataFrame) -> pd.DataFrame:
    """The page's named projects with an investment amount: company, origin, zone, industry, stage.

    Parameters
    ----------
    article : DataFrame
        Output of :func:`clean_article_facts`.

    Returns
    -------
    DataFrame
        ``fact_id``, ``source_id``, ``zone``, ``zone_id``, ``zone_en``, ``city``, ``company``,
        ``origin``, ``industry``, ``stage``, ``investment_cny`` — one row per project whose
        investment (项目投资额 / 项目总投资) is printed; an infrastructure project with no company
        keeps an empty ``company``.
    """
    is_project = article["subject"].isin(["项目投资额", "项目总投资"]) & article["value_cny"].notna()
    rows = article.loc[is_project]
    return pd.DataFrame({
        "fact_id": rows["fact_id"],
        "source_id": rows["source_id"],
        "zone": rows["zone"],
        "zone_id": rows["zone_id"],
        "zone_en": rows["zone_en"],
        "city": rows["city"],
        "company": rows["entity"],
        "origin": rows["entity_origin"],
        "industry": rows["industry"],
        "stage": rows["stage"],
        "investment_cny": rows["value_cny"],
    }).reset_index(drop=True)
