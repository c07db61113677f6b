"""zonestudy.clean on the study's source facts (data/raw): every quantitative value_text is read,
and what it gives agrees with the transcribed value, unit and qualifier. The parser itself is tested on
small cases in tests/core/test_clean.py."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from zonestudy import io
from zonestudy.clean import extract_quantities, parse_quantity, parse_rank, repair_ocr


FACT_TABLES = ("campaign_facts_shanxi", "campaign_facts_peers", "article_facts")
FACT_COLUMNS = ["fact_id", "value_text", "value", "unit", "qualifier", "notes"]

# Rows with a transcribed value that are not one quantity in the sense of parse_quantity,
# by what reads them instead.
DESCRIPTIVE = {
    "KX-A003": "首支 ('the first fund'): an ordinal word",
    "KX-A033": "一年: a duration",
    "KX-A076": "“六个一”: a slogan in quotation marks",
    "KX-A122": "四大 ('the four major'): no unit",
}
RANKS = {
    "PC-F0028": "全省第1位: a rank",
    "PC-F0029": "全省第3位: a rank",
    "PC-F0105": "全省排名第9位: a rank",
}
SEVERAL = {
    "PC-F0463": "three growth rates in one cell",
    "PC-F0492": "two growth rates in one cell",
    "PC-F0627": "两批次共698个: two counts (batches, projects)",
    "PC-F0653": "131 planned, 112 started: two counts",
    "PC-F0941": "198 planned, 123 started: two counts",
    "PC-F1006": "6 planned, 3 started: two counts",
    "PC-F1011": "66 planned, 28 started: two counts",
    "PC-F1022": "176 planned, 150 started: two counts",
}
SKIP = DESCRIPTIVE | RANKS | SEVERAL
NON_QUANTITY_UNITS = {"date", "年"}


@pytest.fixture(scope="module")
def facts():
    d = pd.concat([io.load_raw(name)[FACT_COLUMNS] for name in FACT_TABLES], ignore_index=True)
    d.index = pd.Index(d["fact_id"], name="fact_id")
    assert d.index.is_unique
    return d


def quantitative(facts, skip=True):
    keep = facts["value"].notna() & facts["unit"].notna() & ~facts["unit"].isin(NON_QUANTITY_UNITS)
    if skip:
        keep &= ~facts.index.isin(list(SKIP))
    return facts[keep]


def test_skip_list_names_real_rows(facts):
    for fid in SKIP:
        assert fid in facts.index
    # ... and each skipped row is indeed unreadable as one quantity
    texts = facts.loc[list(SKIP), "value_text"]
    assert not parse_quantity(texts, errors="coerce")["parsed"].any()


def test_every_quantitative_source_figure_parses(facts):
    q = quantitative(facts)
    fixed, notes = repair_ocr(q["value_text"])
    assert notes.index.tolist() == ["KX-A042"]  # 2050益 -> 2050℃
    parsed = parse_quantity(fixed)  # raises, listing every failure, if any does not parse
    assert parsed["parsed"].all()
    assert len(q) > 1100


def transcribed_unit(row) -> str | None:
    """Unit of the transcribed value; for 'other' it is given in the notes ('expressed in 万亿元')."""
    if row["unit"] != "other":
        return row["unit"]
    m = re.search(r"expressed in ([^;；,(（ ]+(?: yuan)?)", str(row["notes"]))
    return m.group(1) if m else None


def transcribed_factor(unit: str) -> tuple[float, str | None]:
    """(canonical units per transcribed unit, canonical unit) for a transcribed unit such as '亿元'."""
    sep = " " if unit[0].isascii() and unit[0].isalpha() else ""
    # '万元/亩', '次/季度': the figure is printed per mu / per quarter, compare the numerator
    r = parse_quantity("1" + sep + unit.split("/")[0]).iloc[0]
    return r["value"], r["unit"]


def test_parsed_values_match_transcribed_values(facts):
    q = quantitative(facts)
    fixed, _ = repair_ocr(q["value_text"])
    parsed = parse_quantity(fixed)
    units = q.apply(transcribed_unit, axis=1)
    factor = {u: transcribed_factor(u) for u in units.dropna().unique()}
    want = pd.Series([float(v) * factor.get(u, (1.0, None))[0] for v, u in zip(q["value"], units)], index=q.index)
    differ = ~np.isclose(parsed["value"], want, rtol=1e-9, atol=0)
    report = pd.DataFrame({"value_text": q["value_text"], "parsed": parsed["value"], "transcribed": want})[differ]
    print("\nparsed vs transcribed value disagreements:\n", report.to_string() if len(report) else "none")
    assert differ.sum() <= 3

    # Units agree wherever both sides name one (bare numbers such as "263" have none).
    want_unit = pd.Series([factor.get(u, (None, None))[1] for u in units], index=q.index, dtype="str")
    both = want_unit.notna() & parsed["unit"].notna()
    assert (parsed.loc[both, "unit"] == want_unit[both]).all()
    bare = parsed["unit"].isna()
    assert set(facts.loc[bare[bare].index, "unit"]) <= {"projects", "events"}


def test_parsed_qualifiers_against_transcribed_qualifiers(facts):
    q = quantitative(facts)
    fixed, _ = repair_ocr(q["value_text"])
    parsed = parse_quantity(fixed)
    differ = q["qualifier"].notna() & (q["qualifier"] != parsed["qualifier"])
    report = pd.DataFrame(
        {"value_text": q["value_text"], "parsed": parsed["qualifier"], "transcribed": q["qualifier"]}
    )
    print("\nparsed vs transcribed qualifier disagreements:\n", report[differ].to_string())
    # 以上 is at_least here (the transcriber wrote 'over'); 预计/利税 figures carry no
    # qualifier word but were marked approx by the transcriber.
    assert differ.sum() <= 3


def test_skipped_rows_are_read_by_extract_quantities_or_parse_rank(facts):
    rows = facts.loc[list(SKIP)]
    for fid, row in rows.iterrows():
        text, value = row["value_text"], row["value"]
        found = extract_quantities(text)
        rank = parse_rank(text, errors="coerce").iloc[0]
        if fid in SEVERAL:
            # several figures, and the transcribed one is among them
            assert len(found) >= 2 and found["parsed"].all(), (fid, text)
            scale, unit = transcribed_factor(transcribed_unit(row))
            assert (found["unit"] == unit).all(), (fid, text)
            assert np.isclose(found["value"], value * scale, rtol=1e-12).any(), (fid, text)
            assert not rank["parsed"], (fid, text)
        elif fid in RANKS:
            assert rank["parsed"] and rank["rank"] == value, (fid, text)
            assert found.empty, (fid, text)
        else:
            # descriptive words: neither a figure nor a rank
            assert fid in DESCRIPTIVE and text in {"首支", "一年", "“六个一”", "四大"}, (fid, text)
            assert found.empty and not rank["parsed"], (fid, text)


def test_every_quantitative_value_text_is_read_by_one_of_the_three_functions(facts):
    q = quantitative(facts, skip=False)
    fixed, _ = repair_ocr(q["value_text"])
    one_figure = parse_quantity(fixed, errors="coerce")["parsed"]
    found = extract_quantities(fixed, errors="coerce")
    several = found[found["parsed"]].groupby("input").size().reindex(q.index, fill_value=0) >= 2
    ranked = parse_rank(fixed, errors="coerce")["parsed"]
    read = one_figure | several | ranked
    # 一年 (KX-A033) is transcribed with unit 年, a duration, and is not among these rows
    assert set(q.index[~read]) == set(DESCRIPTIVE) - {"KX-A033"}
    # each text is read in exactly one way
    assert not (one_figure & ranked).any() and not (several & ranked).any()
    assert set(q.index[several & ~one_figure]) == set(SEVERAL)
    assert set(q.index[ranked]) == set(RANKS)


def test_extract_quantities_on_the_source_figures(facts):
    q = quantitative(facts)
    fixed, _ = repair_ocr(q["value_text"])
    single = parse_quantity(fixed)
    found = extract_quantities(fixed)  # raises if a figure that counts cannot be read
    assert [fixed[i][a:b] for i, a, b in zip(found["input"], found["start"], found["end"])] == found["text"].tolist()
    counted = found[~found["secondary"]]
    counted = pd.concat([counted, found[~found["input"].isin(counted["input"])]])
    assert counted["input"].is_unique and set(counted["input"]) == set(q.index)
    counted = counted.set_index("input").loc[q.index]
    assert np.array_equal(counted["value"], single["value"], equal_nan=True)
    assert (counted["qualifier"] == single["qualifier"]).all()
