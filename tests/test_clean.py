"""Tests for zonestudy.clean: printed figures, round labels, dates, OCR repairs."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zonestudy import clean
from zonestudy.clean import (
    OCR_REPAIRS,
    QUANTITY_COLUMNS,
    ParseError,
    PeriodSpan,
    format_cny,
    parse_period,
    parse_periods,
    parse_quantity,
    parse_round_label,
    parse_round_labels,
    repair_ocr,
    resolve_date,
    unit_table,
)

T = pd.Timestamp


def one(text):
    """parse_quantity on one string, as a plain dict."""
    return parse_quantity(text).iloc[0].to_dict()


def assert_quantity(text, value, unit, qualifier="exact", dimension=None):
    got = one(text)
    assert got["parsed"] is True or got["parsed"] == True  # noqa: E712 (numpy bool)
    assert got["value"] == pytest.approx(value, rel=1e-12), text
    if unit is None:
        assert pd.isna(got["unit"]) and pd.isna(got["dimension"]), text
    else:
        assert got["unit"] == unit, text
    assert got["qualifier"] == qualifier, text
    if dimension is not None:
        assert got["dimension"] == dimension, text
    return got


# ---------------------------------------------------------------------------
# parse_quantity: units
# ---------------------------------------------------------------------------

UNIT_CASES = [
    # money: yuan, kept exact in yuan
    ("30亿元", 3e9, "CNY", "money"),
    ("5元", 5.0, "CNY", "money"),
    ("32824万元", 328_240_000.0, "CNY", "money"),
    ("1.8万亿元", 1.8e12, "CNY", "money"),
    ("628.1 billion yuan", 6.281e11, "CNY", "money"),
    ("1.5 trillion yuan", 1.5e12, "CNY", "money"),
    ("20 million yuan", 2e7, "CNY", "money"),
    ("300 yuan", 300.0, "CNY", "money"),
    # money: dollars stay dollars
    ("2亿美元", 2e8, "USD", "money"),
    ("500万美元", 5e6, "USD", "money"),
    ("8美元", 8.0, "USD", "money"),
    # area in m2; 1 亩 = 10000/15 m2
    ("120平方米", 120.0, "m2", "area"),
    ("3.78万平方米", 37_800.0, "m2", "area"),
    ("15亩", 10_000.0, "m2", "area"),
    ("3万亩", 2e7, "m2", "area"),  # 30000 亩 x 10000/15
    ("3公顷", 30_000.0, "m2", "area"),
    ("2平方公里", 2e6, "m2", "area"),
    # length in m
    ("2275米", 2275.0, "m", "length"),
    ("5公里", 5000.0, "m", "length"),
    ("3千米", 3000.0, "m", "length"),
    # mass in t
    ("3000吨", 3000.0, "t", "mass"),
    ("12万吨", 120_000.0, "t", "mass"),
    # power in MW
    ("200MW", 200.0, "MW", "power"),
    ("500千瓦", 0.5, "MW", "power"),
    ("3万千瓦", 30.0, "MW", "power"),
    ("100兆瓦", 100.0, "MW", "power"),
    ("2GW", 2000.0, "MW", "power"),
    ("750kW", 0.75, "MW", "power"),
    # energy in MWh; 度 is a kWh
    ("9MWh", 9.0, "MWh", "energy"),
    ("1000千瓦时", 1.0, "MWh", "energy"),
    ("100度", 0.1, "MWh", "energy"),
    ("5万千瓦时", 50.0, "MWh", "energy"),
    ("2亿千瓦时", 200_000.0, "MWh", "energy"),
    ("3GWh", 3000.0, "MWh", "energy"),
    ("450kWh", 0.45, "MWh", "energy"),
    # counts
    *[(f"7{w}", 7.0, "count", "count") for w in "个项家人架次所批支条名户座张期"],
    ("73 projects", 73.0, "count", "count"),
    ("12 companies", 12.0, "count", "count"),
    ("3 events", 3.0, "count", "count"),
    ("2 rounds", 2.0, "count", "count"),
    ("16,800 major projects", 16_800.0, "count", "count"),
    # ratios as fractions
    ("83%", 0.83, "ratio", "ratio"),
    ("2‰", 0.002, "ratio", "ratio"),
    ("百分之八十三", 0.83, "ratio", "ratio"),
    ("百分之12.5", 0.125, "ratio", "ratio"),
    ("千分之二", 0.002, "ratio", "ratio"),
    ("四成", 0.4, "ratio", "ratio"),
    ("3成", 0.3, "ratio", "ratio"),
    ("增长2.3个百分点", 0.023, "ratio", "ratio"),
    ("45 percent", 0.45, "ratio", "ratio"),
    # temperature
    ("2050℃", 2050.0, "degC", "temperature"),
    ("20°C", 20.0, "degC", "temperature"),
]


@pytest.mark.parametrize("text, value, unit, dimension", UNIT_CASES)
def test_units(text, value, unit, dimension):
    assert_quantity(text, value, unit, "exact", dimension)


def test_ratio_values_are_exact_fractions():
    # 83% must be 0.83, not 0.8300000000000001; 78.34亿元 exactly 7834000000.
    assert one("83%")["value"] == 0.83
    assert one("78.34亿元")["value"] == 7_834_000_000.0
    assert one("1.1%")["value"] == 0.011


def test_unit_table_lists_every_canonical_unit():
    t = unit_table()
    assert set(t["unit"]) == {"CNY", "USD", "m2", "m", "t", "MW", "MWh", "count", "ratio", "degC"}
    assert t.loc["公顷", "factor"] == 10_000.0
    assert t.loc["千瓦时", "factor"] == 0.001


# ---------------------------------------------------------------------------
# parse_quantity: numbers
# ---------------------------------------------------------------------------

NUMBER_CASES = [
    ("78.34 亿元", 7.834e9, "CNY"),
    ("90.58 %", 0.9058, "ratio"),
    ("1,133", 1133.0, None),
    ("1,144 projects", 1144.0, "count"),
    ("总投资7 362.1 亿元", 7.3621e11, "CNY"),
    ("1 069 个", 1069.0, "count"),
    ("１２３．５％", 1.235, "ratio"),
    ("３０亿元", 3e9, "CNY"),
    ("三十亿", 3e9, None),
    ("两千零五十", 2050.0, None),
    ("十二", 12.0, None),
    ("百万", 1e6, None),
    ("两个", 2.0, "count"),
    ("三次", 3.0, "count"),
    ("二期", 2.0, "count"),
    ("3.78万", 37_800.0, None),
    ("5千万元", 5e7, "CNY"),
    ("合同引资超千亿元", 1e11, "CNY"),
    ("总投资逾五千亿元", 5e11, "CNY"),
    ("三点五亿元", 3.5e8, "CNY"),
    ("four", 4.0, None),
    ("263", 263.0, None),
    ("-2.5%", -0.025, "ratio"),
    ("二〇二四", 2024.0, None),
    ("USD 5 million", 5e6, "USD"),
    ("$2 billion", 2e9, "USD"),
    ("RMB 5 billion", 5e9, "CNY"),
    ("人民币三十亿", 3e9, "CNY"),
    ("¥30", 30.0, "CNY"),
]


@pytest.mark.parametrize("text, value, unit", NUMBER_CASES)
def test_number_forms(text, value, unit):
    q = "over" if ("超" in text or "逾" in text) else "exact"
    assert_quantity(text, value, unit, q)


def test_numbers_given_as_numbers_are_bare_figures():
    df = parse_quantity(pd.Series([2354, 3.5], dtype=object))
    assert df["value"].tolist() == [2354.0, 3.5]
    assert df["unit"].isna().all() and df["parsed"].all()


# ---------------------------------------------------------------------------
# parse_quantity: qualifiers and bounds
# ---------------------------------------------------------------------------

NAN = float("nan")
QUALIFIER_CASES = [
    ("30亿元", "exact", 3e9, 3e9, 3e9),
    ("1700余个", "over", 1700, 1700, NAN),
    ("40多家", "over", 40, 40, NAN),
    ("30余万平方米", "over", 3e5, 3e5, NAN),
    ("4300多亿元", "over", 4.3e11, 4.3e11, NAN),
    ("均超200亿元", "over", 2e10, 2e10, NAN),
    ("总投资超过8370亿元", "over", 8.37e11, 8.37e11, NAN),
    ("总投资逾五千亿元", "over", 5e11, 5e11, NAN),
    ("more than 300 projects", "over", 300, 300, NAN),
    ("over 5 billion yuan", "over", 5e9, 5e9, NAN),
    ("占签约项目的70%以上", "at_least", 0.7, 0.7, NAN),
    ("不低于5亿元", "at_least", 5e8, 5e8, NAN),
    ("不少于10个", "at_least", 10, 10, NAN),
    ("至少3家", "at_least", 3, 3, NAN),
    ("at least 12 projects", "at_least", 12, 12, NAN),
    ("5%以下", "at_most", 0.05, NAN, 0.05),
    ("3个以内", "at_most", 3, NAN, 3),
    ("不超过5%", "at_most", 0.05, NAN, 0.05),
    ("不到10个", "under", 10, NAN, 10),
    ("不足1亿元", "under", 1e8, NAN, 1e8),
    ("近3.78万平方米", "nearly", 37_800, 37_800, 37_800),
    ("将近200家", "nearly", 200, 200, 200),
    ("接近90%", "nearly", 0.9, 0.9, 0.9),
    ("nearly 80 percent", "nearly", 0.8, 0.8, 0.8),
    ("almost 20 companies", "nearly", 20, 20, 20),
    ("总投资约11408亿元", "approx", 1.1408e12, 1.1408e12, 1.1408e12),
    ("约占30%", "approx", 0.3, 0.3, 0.3),
    ("大约5亿元", "approx", 5e8, 5e8, 5e8),
    ("5亿元左右", "approx", 5e8, 5e8, 5e8),
    ("about 5 billion yuan", "approx", 5e9, 5e9, 5e9),
    ("约人民币3亿元", "approx", 3e8, 3e8, 3e8),
    ("about USD 5 million", "approx", 5e6, 5e6, 5e6),
    ("around 40 companies", "approx", 40, 40, 40),
    ("3-5亿元", "range", 4e8, 3e8, 5e8),
    ("3至5亿元", "range", 4e8, 3e8, 5e8),
    ("5亿至8亿元", "range", 6.5e8, 5e8, 8e8),
    ("5亿元至8亿元", "range", 6.5e8, 5e8, 8e8),
    ("3~5亿元", "range", 4e8, 3e8, 5e8),
    ("3～5亿元", "range", 4e8, 3e8, 5e8),
    ("约3-5亿元", "range", 4e8, 3e8, 5e8),
    ("十几米", "range", 15, 11, 19),
]


@pytest.mark.parametrize("text, qualifier, value, low, high", QUALIFIER_CASES)
def test_qualifiers_and_bounds(text, qualifier, value, low, high):
    got = one(text)
    assert got["qualifier"] == qualifier
    for key, want in (("value", value), ("low", low), ("high", high)):
        if math.isnan(want):
            assert math.isnan(got[key]), (text, key)
        else:
            assert got[key] == pytest.approx(want, rel=1e-12), (text, key)


@pytest.mark.parametrize("text", ["签约360个项目", "已履约1054个", "附近3个", "节约5%"])
def test_words_containing_qualifier_characters_are_not_qualifiers(text):
    assert one(text)["qualifier"] == "exact"


@pytest.mark.parametrize("text", ["近5亿元以上", "超过3-5亿元"])
def test_contradictory_qualifiers_are_unreadable(text):
    with pytest.raises(ParseError):
        parse_quantity(text)


# ---------------------------------------------------------------------------
# parse_quantity: which number is the quantity
# ---------------------------------------------------------------------------

LABEL_CASES = [
    ("开工率达90.58 %", 0.9058, "ratio"),
    ("开复工率83%", 0.83, "ratio"),
    ("占年计划的125.6%", 1.256, "ratio"),
    ("新开工建设114个项目", 114, "count"),
    ("99个重大项目全部开复工", 99, "count"),
    ("2023年1-7月完成投资500亿元", 5e10, "CNY"),  # year and month range are dates
    ("8月完成投资30亿元", 3e9, "CNY"),
    ("8 月 19 日签约12个", 12, "count"),
    ("2024-08-28签约12个", 12, "count"),  # ISO date
    ("占第二批开工项目年度计划投资的67.3%", 0.673, "ratio"),  # ordinal
    ("全省第3位共5家", 5, "count"),
    ("前三批开工动员项目共3212个", 3212, "count"),  # 前三批 = the first three rounds
    ("举办3期“三个一批”项目建设活动", 3, "count"),  # quoted name
    ("“1158”工作矩阵覆盖12家", 12, "count"),
    ("唯一一张", 1, "count"),  # 唯一 is a word
    ("5G基站3000个", 3000, "count"),  # code
    ("新开、复工亿元以上工业项目801项", 801, "count"),  # 亿元 without a number
    ("开工投资5000万元以上项目718个", 718, "count"),  # threshold of a class
    ("完成规模以上(500万元口径)工业总产值4765亿元", 4.765e11, "CNY"),  # bracketed
    ("in 2023, 348 projects", 348, "count"),  # bare year is secondary
    ("2050", 2050, None),  # ... but taken when alone
    ("每季度开展一次", 1, "count"),
]


@pytest.mark.parametrize("text, value, unit", LABEL_CASES)
def test_label_words_and_non_quantities(text, value, unit):
    assert_quantity(text, value, unit, one(text)["qualifier"])
    assert one(text)["value"] == pytest.approx(value)


UNREADABLE = [
    ("建信天然", "no quantity"),
    ("", "empty"),
    ("8月28日", "no quantity"),  # a date is not a quantity: use resolve_date
    ("一年", "no quantity"),  # a duration
    ("3个月", "no quantity"),
    ("“六个一”", "no quantity"),
    ("综合评价全省排名第9位", "no quantity"),
    ("198个重点新开工项目已开工123个", "2 quantities"),
    ("比第一批分别增长41.2%、56.1%、27.6%", "3 quantities"),
    ("两批次共698个", "2 quantities"),
    ("3倍", "unknown unit"),
    ("2050益", "unknown unit"),  # OCR misreading: repair_ocr first
    ("622万元/亩", "rate"),
    ("8-3亿元", "backwards"),
    ("三四个", "ambiguous Chinese numeral"),  # "three or four", not 34
]


@pytest.mark.parametrize("text, reason", UNREADABLE)
def test_unreadable_values_raise_with_reason(text, reason):
    with pytest.raises(ParseError) as exc:
        parse_quantity(text)
    assert reason in str(exc.value)
    assert repr(text) in str(exc.value)


# ---------------------------------------------------------------------------
# parse_quantity: errors, coerce, missing values, alignment
# ---------------------------------------------------------------------------


def test_error_lists_every_bad_value_with_its_index_label():
    s = pd.Series(["30亿元", "建信天然", "两批次共698个", "建信天然", "12个"], index=["a", "b", "c", "d", "e"])
    with pytest.raises(ParseError) as exc:
        parse_quantity(s)
    msg = str(exc.value)
    assert msg.startswith("3 value(s)")
    assert "index 'b', 'd': '建信天然' -- no quantity found" in msg
    assert "index 'c': '两批次共698个'" in msg
    assert "'a'" not in msg and "'e'" not in msg
    f = exc.value.failures
    assert f.index.tolist() == ["b", "c", "d"]
    assert f["text"].tolist() == ["建信天然", "两批次共698个", "建信天然"]
    assert isinstance(exc.value, ValueError)


def test_coerce_returns_unreadable_rows_flagged():
    s = pd.Series(["30亿元", "建信天然", "12个"], index=[7, 3, 5])
    df = parse_quantity(s, errors="coerce")
    assert df.index.tolist() == [7, 3, 5]
    assert df["parsed"].tolist() == [True, False, True]
    row = df.loc[3]
    assert math.isnan(row["value"]) and pd.isna(row["unit"]) and pd.isna(row["qualifier"])
    assert pd.isna(row["dimension"]) and math.isnan(row["low"]) and math.isnan(row["high"])


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_missing_input_stays_missing_and_never_raises(missing):
    s = pd.Series(["30亿元", missing], index=["x", "y"], dtype=object)
    df = parse_quantity(s)  # errors="raise" by default: still no error
    assert df.loc["y", "parsed"] == False  # noqa: E712
    assert math.isnan(df.loc["y", "value"]) and pd.isna(df.loc["y", "unit"])
    assert df.loc["x", "value"] == 3e9


def test_string_dtype_series_with_missing():
    s = pd.Series(["30亿元", None, "30亿元"], dtype="str")
    df = parse_quantity(s)
    assert df["parsed"].tolist() == [True, False, True]


def test_output_layout_and_dtypes():
    df = parse_quantity(["30亿元", "1700余个"])
    assert tuple(df.columns) == QUANTITY_COLUMNS
    assert df.index.equals(pd.RangeIndex(2))
    assert df["value"].dtype == "float64" and df["low"].dtype == "float64" and df["high"].dtype == "float64"
    assert df["parsed"].dtype == bool
    for col in ("unit", "qualifier", "dimension"):
        assert pd.api.types.is_string_dtype(df[col].dtype)


def test_str_input_gives_one_row_with_index_0():
    df = parse_quantity("30亿元")
    assert df.index.tolist() == [0]


def test_non_default_index_is_kept_with_repeats_and_order():
    idx = pd.Index(["F0003", "F0001", "F0002", "F0004"], name="fact_id")
    s = pd.Series(["225个", "233个", "225个", "78.93亿元"], index=idx)
    df = parse_quantity(s)
    assert df.index.equals(idx)
    assert df["value"].tolist() == [225.0, 233.0, 225.0, 7.893e9]


def test_empty_input():
    df = parse_quantity(pd.Series([], dtype="str"))
    assert len(df) == 0 and tuple(df.columns) == QUANTITY_COLUMNS


def test_bad_arguments():
    with pytest.raises(ValueError, match="errors"):
        parse_quantity("30亿元", errors="ignore")
    with pytest.raises(TypeError):
        parse_quantity(pd.DataFrame({"a": ["30亿元"]}))


def test_non_text_objects_are_reported():
    with pytest.raises(ParseError, match="not text"):
        parse_quantity(pd.Series([b"30", "30亿元"], dtype=object))


def test_no_repair_inside_parse_quantity():
    # The caller applies repair_ocr; parse_quantity must not guess.
    assert parse_quantity("2050益", errors="coerce")["parsed"].item() is False
    fixed, _ = repair_ocr("2050益")
    assert_quantity(fixed.iloc[0], 2050, "degC")


def test_fast_path_agrees_with_full_parser():
    texts = [t for t, *_ in UNIT_CASES + NUMBER_CASES + QUALIFIER_CASES + LABEL_CASES]
    texts += ["总投资约11408亿元", "5个月份", "5个项目", "占18.6 %", "3个以上项目", "附近3个", "签约3个"]
    df = parse_quantity(pd.Series(texts), errors="coerce")
    for text, (_, row) in zip(texts, df.iterrows()):
        (value, unit, qualifier, low, high, dim), parsed, _reason = clean._parse_scalar(text)
        assert parsed == row["parsed"], text
        if parsed:
            assert value == row["value"] and qualifier == row["qualifier"], text
            assert (unit is None and pd.isna(row["unit"])) or unit == row["unit"], text


# ---------------------------------------------------------------------------
# Source facts: every quantitative value_text parses
# ---------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FACT_FILES = ("shanxi_sangeyipi_facts.csv", "peer_campaigns_facts.csv", "seed_article_facts.csv")

# Rows with a transcribed value that are not one quantity in the sense of parse_quantity.
SKIP = {
    ("seed", "A003"): "首支 ('the first fund'): an ordinal word",
    ("seed", "A033"): "一年: a duration",
    ("seed", "A076"): "“六个一”: a slogan in quotation marks",
    ("seed", "A122"): "四大 ('the four major'): no unit",
    ("peer", "F0028"): "全省第1位: a rank",
    ("peer", "F0029"): "全省第3位: a rank",
    ("peer", "F0105"): "全省排名第9位: a rank",
    ("peer", "F0463"): "three growth rates in one cell",
    ("peer", "F0492"): "two growth rates in one cell",
    ("peer", "F0627"): "两批次共698个: two counts (batches, projects)",
    ("peer", "F0653"): "131 planned, 112 started: two counts",
    ("peer", "F0941"): "198 planned, 123 started: two counts",
    ("peer", "F1006"): "6 planned, 3 started: two counts",
    ("peer", "F1011"): "66 planned, 28 started: two counts",
    ("peer", "F1022"): "176 planned, 150 started: two counts",
}
NON_QUANTITY_UNITS = {"date", "年"}


@pytest.fixture(scope="module")
def facts():
    if not DATA.is_dir():
        pytest.skip(f"source facts not found at {DATA}")
    frames = []
    for f in FACT_FILES:
        d = pd.read_csv(DATA / f, dtype="str")
        d["file"] = f.split("_")[0]
        frames.append(d[["file", "fact_id", "value_text", "value", "unit", "qualifier", "notes"]])
    d = pd.concat(frames, ignore_index=True)
    d.index = d["file"] + ":" + d["fact_id"]
    return d


def quantitative(facts):
    keep = facts["value"].notna() & facts["unit"].notna() & ~facts["unit"].isin(NON_QUANTITY_UNITS)
    skip = pd.Index([f"{a}:{b}" for a, b in SKIP])
    return facts[keep & ~facts.index.isin(skip)]


def test_skip_list_names_real_rows(facts):
    for file, fid in SKIP:
        assert f"{file}:{fid}" in facts.index
    # ... and each skipped row is indeed unreadable as one quantity
    texts = facts.loc[[f"{a}:{b}" for a, b in SKIP], "value_text"]
    assert not parse_quantity(texts, errors="coerce")["parsed"].any()


def test_every_quantitative_source_figure_parses(facts):
    q = quantitative(facts)
    fixed, notes = repair_ocr(q["value_text"])
    assert notes.index.tolist() == ["seed:A042"]  # 2050益 -> 2050℃
    parsed = parse_quantity(fixed)  # raises, listing every failure, if any does not parse
    assert parsed["parsed"].all()
    assert len(q) > 1100


def transcribed_unit(row) -> str | None:
    """Unit of the transcribed value; for 'other' it is given in the notes ('unit 万亿元')."""
    if row["unit"] != "other":
        return row["unit"]
    m = re.search(r"unit ([^;；,(（ ]+(?: yuan)?)", str(row["notes"]))
    return m.group(1) if m else None


def test_parsed_values_match_transcribed_values(facts):
    q = quantitative(facts)
    fixed, _ = repair_ocr(q["value_text"])
    parsed = parse_quantity(fixed)
    units = q.apply(transcribed_unit, axis=1)
    factor = {}
    for u in units.dropna().unique():
        sep = " " if u[0].isascii() and u[0].isalpha() else ""
        # '万元/亩', '次/季度': the figure is printed per mu / per quarter, compare the numerator
        r = parse_quantity("1" + sep + u.split("/")[0]).iloc[0]
        factor[u] = (r["value"], r["unit"])
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


# ---------------------------------------------------------------------------
# Round labels
# ---------------------------------------------------------------------------

ROUND_CASES = [
    ("2023年第四次", None, (2023, 4)),
    ("2021年第一期", None, (2021, 1)),
    ("2020年第二期", "2020-10-10", (2020, 2)),
    ("第十五期", "2023-09-26", (2023, 15)),
    ("第八期", pd.Timestamp("2021-06-01"), (2021, 8)),
    ("全省开发区2023年第三次“三个一批”活动", "2023-08-31", (2023, 3)),
    ("2024年第三次 (12月)", None, (2024, 3)),
    ("2017年第一批", None, (2017, 1)),
    ("this year's first events", "2023-02-22", (2023, 1)),
    ("the third time this year", "2023-08-31", (2023, 3)),
    ("The second events", "2023-05-29", (2023, 2)),
    ("the 4th round", "2022-12-01", (2022, 4)),
    ("第２期", "2022-01-01", (2022, 2)),
]


@pytest.mark.parametrize("label, date, want", ROUND_CASES)
def test_parse_round_label(label, date, want):
    assert parse_round_label(label, date) == want


@pytest.mark.parametrize(
    "label, date",
    [
        ("2022年以来五次", None),
        ("This year (2021)", "2021-06-01"),
        ("", None),
        ("2024年第一、二批", None),
        ("2021年两次 (第一期、第二期)", None),
        ("全省开发区2020年“三个一批”活动启动暨项目集中签约仪式", "2020-08-08"),
        ("第十五期", None),  # no year anywhere
    ],
)
def test_parse_round_label_errors_name_the_label(label, date):
    with pytest.raises(ParseError) as exc:
        parse_round_label(label, date)
    assert repr(label) in str(exc.value)


def test_parse_round_labels_vectorised():
    labels = pd.Series(["2023年第四次", None, "第十五期", "2022年以来五次"], index=["a", "b", "c", "d"])
    dates = pd.Series(["2023-09-26", "2023-01-01", "2023-09-26", None], index=["d", "b", "c", "a"])
    df = parse_round_labels(labels, dates, errors="coerce")
    assert df.index.tolist() == ["a", "b", "c", "d"]
    assert df["year"].dtype == "Int64" and df["round_no"].dtype == "Int64"
    assert df["year"].tolist() == [2023, pd.NA, 2023, pd.NA]
    assert df["round_no"].tolist() == [4, pd.NA, 15, pd.NA]
    assert df["parsed"].tolist() == [True, False, True, False]
    with pytest.raises(ParseError) as exc:
        parse_round_labels(labels, dates)
    assert "index 'd'" in str(exc.value) and "2022年以来五次" in str(exc.value)
    assert exc.value.failures.index.tolist() == ["d"]


def test_parse_round_labels_positional_dates_and_length_check():
    labels = pd.Series(["第一期", "第二期"], index=[5, 6])
    assert parse_round_labels(labels, ["2021-01-01", "2022-01-01"])["year"].tolist() == [2021, 2022]
    with pytest.raises(ValueError):
        parse_round_labels(labels, ["2021-01-01"])


# ---------------------------------------------------------------------------
# Dates and periods
# ---------------------------------------------------------------------------

DATE_CASES = [
    ("8月28日", "2024-08-30", T("2024-08-28")),
    ("8 月 19 日", "2024-08-30", T("2024-08-19")),
    ("8月27日下午", "2024-08-30", T("2024-08-27")),
    ("12月份", "2024-08-30", T("2024-12-01")),  # within six months ahead: same year
    ("6月21日", "2024-08-30", T("2024-06-21")),
    ("11月5日", "2024-01-10", T("2023-11-05")),  # would be ten months ahead: previous year
    ("2月1日", "2024-08-30", T("2024-02-01")),
    ("八月二十八日", "2024-08-30", T("2024-08-28")),
    ("今年8月", "2024-10-01", T("2024-08-01")),
    ("去年12月", "2024-10-01", T("2023-12-01")),
    ("2024年8月28日", None, T("2024-08-28")),
    ("2024-08-28", None, T("2024-08-28")),
    ("2024/8/28", None, T("2024-08-28")),
    ("2024-08", None, T("2024-08-01")),
    ("２０２４年８月２８日", None, T("2024-08-28")),
]


@pytest.mark.parametrize("text, ref, want", DATE_CASES)
def test_resolve_date(text, ref, want):
    assert resolve_date(text, ref) == want


@pytest.mark.parametrize(
    "text, ref",
    [
        ("8月28日", None),
        ("立秋后", "2024-08-30"),
        ("2025年底", None),
        ("2月30日", "2024-08-30"),
        ("13月1日", "2024-01-01"),
        (None, None),
    ],
)
def test_resolve_date_errors(text, ref):
    with pytest.raises(ParseError):
        resolve_date(text, ref)


PERIOD_CASES = [
    ("2024年1-5月", None, ("2024-01-01", "2024-05-31")),
    ("2024年1-5月份", None, ("2024-01-01", "2024-05-31")),
    ("2024年1月至5月", None, ("2024-01-01", "2024-05-31")),
    ("今年1月至5月", "2024-06-15", ("2024-01-01", "2024-05-31")),
    ("1-11月", "2025-01-10", ("2024-01-01", "2024-11-30")),
    ("2024年2月", None, ("2024-02-01", "2024-02-29")),
    ("2024-08", None, ("2024-08-01", "2024-08-31")),
    ("2024-08-28", None, ("2024-08-28", "2024-08-28")),
    ("2024年8月28日", None, ("2024-08-28", "2024-08-28")),
    ("2024年", None, ("2024-01-01", "2024-12-31")),
    ("2024年全年", None, ("2024-01-01", "2024-12-31")),
    ("2024", None, ("2024-01-01", "2024-12-31")),
    ("截至8月", "2024-09-10", ("2024-01-01", "2024-08-31")),
    ("截至2024年8月", None, ("2024-01-01", "2024-08-31")),
    ("截至2021年7月底", None, ("2021-01-01", "2021-07-31")),
    ("截至2019年5月31日", None, ("2019-01-01", "2019-05-31")),
    ("截至2024年底", None, ("2024-01-01", "2024-12-31")),
    ("2023年以来", "2023-09-15", ("2023-01-01", "2023-09-15")),
    ("今年以来", "2024-08-28", ("2024-01-01", "2024-08-28")),
    ("2023年二季度", None, ("2023-04-01", "2023-06-30")),
    ("2021年第四季度", None, ("2021-10-01", "2021-12-31")),
    ("2020年前三季度", None, ("2020-01-01", "2020-09-30")),
    ("2022年上半年", None, ("2022-01-01", "2022-06-30")),
    ("2022年下半年", None, ("2022-07-01", "2022-12-31")),
]


@pytest.mark.parametrize("text, ref, want", PERIOD_CASES)
def test_parse_period(text, ref, want):
    got = parse_period(text, ref)
    assert isinstance(got, PeriodSpan)
    assert got == (T(want[0]), T(want[1]))
    start, end = got  # unpacks as a plain pair
    assert start <= end


@pytest.mark.parametrize(
    "text, ref",
    [
        ("2023年以来", None),
        ("1-5月", None),
        ("2025年春季", None),
        ("立秋后", "2024-08-30"),
        ("2024年5-1月", None),
        ("2024年13月", None),
        ("2025年以来", "2024-08-01"),
        ("", None),
    ],
)
def test_parse_period_errors(text, ref):
    with pytest.raises(ParseError):
        parse_period(text, ref)


def test_parse_periods_flags_assumed_starts():
    s = pd.Series(["2024年1-5月", "截至2021年7月底", None, "2025年春季"], index=list("wxyz"))
    df = parse_periods(s, reference="2024-08-28", errors="coerce")
    assert df["start_assumed"].tolist() == [False, True, False, False]
    assert df["parsed"].tolist() == [True, True, False, False]
    assert df.loc["x", "start"] == T("2021-01-01") and df.loc["x", "end"] == T("2021-07-31")
    assert pd.isna(df.loc["z", "start"])
    with pytest.raises(ParseError, match="index 'z'"):
        parse_periods(s, reference="2024-08-28")


# ---------------------------------------------------------------------------
# OCR repairs
# ---------------------------------------------------------------------------


def test_repair_ocr_records_each_repair():
    s = pd.Series(["2050益", "30亿元", None, "效益3亿元"], index=["A042", "A002", "A000", "A999"])
    fixed, notes = repair_ocr(s)
    assert fixed.index.equals(s.index)
    assert fixed.tolist()[:2] == ["2050℃", "30亿元"] and pd.isna(fixed["A000"])
    assert fixed["A999"] == "效益3亿元"  # 益 not after a digit is left alone
    assert notes.index.tolist() == ["A042"]
    assert notes.columns.tolist() == ["original", "repaired", "reason"]
    assert notes.loc["A042", "original"] == "2050益" and notes.loc["A042", "repaired"] == "2050℃"
    assert "科学导报" in notes.loc["A042", "reason"]


def test_repair_ocr_nothing_to_repair():
    fixed, notes = repair_ocr(["30亿元"])
    assert fixed.tolist() == ["30亿元"] and notes.empty


def test_repair_table_is_documented():
    for rule in OCR_REPAIRS:
        assert rule.pattern and rule.replacement and rule.reason
        re.compile(rule.pattern)


# ---------------------------------------------------------------------------
# format_cny
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, decimals, want",
    [
        (7_834_000_000.0, "亿元", 2, "78.34亿元"),
        (328_240_000.0, "万元", 0, "32824万元"),
        (1.8e12, "万亿元", 1, "1.8万亿元"),
        (1234.5, "元", 2, "1234.50元"),
        (-1e-9, "亿元", 2, "0.00亿元"),
    ],
)
def test_format_cny(value, unit, decimals, want):
    assert format_cny(value, unit, decimals) == want


def test_format_cny_series_and_missing():
    out = format_cny(pd.Series([7.834e9, None], index=["a", "b"]))
    assert out["a"] == "78.34亿元" and pd.isna(out["b"]) and out.index.tolist() == ["a", "b"]
    assert format_cny(None) is pd.NA
    with pytest.raises(ValueError):
        format_cny(1.0, unit="千元")


def test_parse_then_format_round_trip():
    assert format_cny(one("总投资7 362.1 亿元")["value"], decimals=1) == "7362.1亿元"
