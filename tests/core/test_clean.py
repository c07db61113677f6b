"""Tests for zonestudy.clean: printed figures, ranks, round labels, dates, OCR repairs."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from zonestudy import clean, io
from zonestudy.clean import (
    OCR_REPAIRS,
    QUANTITY_COLUMNS,
    ParseError,
    PeriodSpan,
    extract_quantities,
    format_cny,
    parse_period,
    parse_periods,
    parse_quantity,
    parse_rank,
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
# extract_quantities: every figure in a text
# ---------------------------------------------------------------------------

EXTRACT_COLUMNS = (
    "input", "position", "start", "end", "text", "value", "unit", "qualifier",
    "low", "high", "dimension", "secondary", "parsed",
)


def figures(text):
    """extract_quantities on one string, as a list of dicts."""
    return extract_quantities(text).to_dict("records")


def test_extract_two_counts_with_offsets():
    got = figures("131个计划新开工项目有112个实现开工")
    # 131个 is characters 0-3; 计划新开工项目有 is 8 characters; 112个 is 12-15
    assert [(f["position"], f["start"], f["end"], f["text"]) for f in got] == [
        (0, 0, 4, "131个"),
        (1, 12, 16, "112个"),
    ]
    assert [f["value"] for f in got] == [131.0, 112.0]
    assert all(f["unit"] == "count" and f["qualifier"] == "exact" for f in got)
    assert not any(f["secondary"] for f in got) and all(f["parsed"] for f in got)


def test_extract_three_growth_rates_skips_the_ordinal():
    text = "比第一批分别增长41.2%、56.1%、27.6%"
    got = figures(text)
    # 第一批 is an ordinal; 比第一批分别增长 is 8 characters, each rate 5, each 、 1
    assert [(f["start"], f["end"]) for f in got] == [(8, 13), (14, 19), (20, 25)]
    assert [f["value"] for f in got] == [0.412, 0.561, 0.276]
    assert {f["unit"] for f in got} == {"ratio"}
    assert [text[f["start"]:f["end"]] for f in got] == ["41.2%", "56.1%", "27.6%"]


def test_extract_two_batches_is_a_count():
    # 两批 is a Chinese numeral with a count word: a count, as in parse_quantity ("唯一一张" is 1 张)
    got = figures("两批次共698个")
    assert [(f["text"], f["value"], f["unit"], f["start"], f["end"]) for f in got] == [
        ("两批", 2.0, "count", 0, 2),
        ("698个", 698.0, "count", 4, 8),
    ]


def test_extract_qualifiers_and_bounds_are_part_of_the_figure():
    text = "总投资约11408亿元，其中超过5000万元的项目1700余个，占比70%以上"
    got = figures(text)
    assert [f["text"] for f in got] == ["约11408亿元", "超过5000万元", "1700余个", "70%以上"]
    assert [f["qualifier"] for f in got] == ["approx", "over", "over", "at_least"]
    assert [f["value"] for f in got] == [1.1408e12, 5e7, 1700.0, 0.7]
    assert got[0]["low"] == got[0]["high"] == 1.1408e12
    assert got[1]["low"] == 5e7 and math.isnan(got[1]["high"])
    assert [f["dimension"] for f in got] == ["money", "money", "count", "ratio"]
    assert not any(f["secondary"] for f in got)
    assert [f["start"] for f in got] == [3, 14, 25, 34]
    for f in got:
        assert text[f["start"]:f["end"]] == f["text"]


def test_extract_range_is_one_figure():
    got = figures("计划投资3至5亿元，建设2-3年")  # 2-3年 is a duration
    assert len(got) == 1
    assert (got[0]["text"], got[0]["qualifier"], got[0]["low"], got[0]["high"]) == ("3至5亿元", "range", 3e8, 5e8)


@pytest.mark.parametrize(
    "text, secondary",
    [
        ("开工投资5000万元以上项目718个", [True, False]),  # a threshold describing a class
        ("完成规模以上(500万元口径)工业总产值4765亿元", [True, False]),  # in brackets
        ("in 2023, 348 projects", [True, False]),  # a bare year
        ("2050", [True]),  # secondary, though parse_quantity takes it when alone
    ],
)
def test_extract_flags_secondary_figures(text, secondary):
    got = figures(text)
    assert [f["secondary"] for f in got] == secondary
    assert all(f["parsed"] for f in got)


def test_extract_threshold_values():
    got = figures("开工投资5000万元以上项目718个")
    assert [(f["text"], f["value"], f["qualifier"]) for f in got] == [
        ("5000万元以上", 5e7, "at_least"),
        ("718个", 718.0, "exact"),
    ]


@pytest.mark.parametrize(
    "text, want",
    [
        ("2023年1-7月完成投资500亿元", ["500亿元"]),  # dates
        ("全省第3位共5家", ["5家"]),  # a rank is an ordinal
        ("前三批开工动员项目共3212个", ["3212个"]),
        ("“1158”工作矩阵覆盖12家", ["12家"]),  # quoted name
        ("5G基站3000个", ["3000个"]),  # code
        ("唯一一张", ["一张"]),  # fixed word
        ("项目中有十大工程、四大基地", []),  # Chinese numerals without a unit inside a text
        ("新开工一批项目", ["一批"]),  # ... but 批 is a count word, as in parse_quantity
        ("全省第1位", []),
        ("建信天然", []),
        ("一年", []),
        ("", []),
        ("   ", []),
    ],
)
def test_extract_follows_parse_quantity_rules(text, want):
    assert [f["text"] for f in figures(text)] == want


def test_extract_offsets_refer_to_the_text_as_given():
    text = "  总投资 ３０ 亿元，温度2050℃，共12  个"
    got = figures(text)
    assert [f["value"] for f in got] == [3e9, 2050.0, 12.0]
    # full-width digits, ℃ (two characters once normalised) and a run of spaces
    assert [(f["start"], f["end"]) for f in got] == [(6, 11), (14, 19), (21, 26)]
    assert [f["text"] for f in got] == ["３０ 亿元", "2050℃", "12  个"]
    assert [text[f["start"]:f["end"]] for f in got] == [f["text"] for f in got]


def test_extract_currency_before_the_number_belongs_to_the_figure():
    got = figures("about USD 5 million and 约人民币3亿元")
    assert [(f["text"], f["value"], f["unit"]) for f in got] == [
        ("about USD 5 million", 5e6, "USD"),
        ("约人民币3亿元", 3e8, "CNY"),
    ]


def test_extract_missing_input_and_no_figure_give_no_rows():
    s = pd.Series([None, "12个、30亿元", np.nan, "建信天然", pd.NA, "5家"], index=list("abcdef"), dtype=object)
    df = extract_quantities(s)
    assert df["input"].tolist() == ["b", "b", "f"]
    assert df["position"].tolist() == [0, 1, 0]
    assert df["value"].tolist() == [12.0, 3e9, 5.0]
    assert df.index.equals(pd.RangeIndex(3))


def test_extract_keeps_input_order_and_repeats():
    s = pd.Series(["3个和4个", "5家", "3个和4个"], index=[30, 10, 20])
    df = extract_quantities(s)
    assert df["input"].tolist() == [30, 30, 10, 20, 20]
    assert df["position"].tolist() == [0, 1, 0, 0, 1]
    assert df["value"].tolist() == [3.0, 4.0, 5.0, 3.0, 4.0]


def test_extract_layout_and_dtypes():
    df = extract_quantities(["30亿元，12个", 7])
    assert tuple(df.columns) == EXTRACT_COLUMNS
    assert df["position"].dtype == "int64"
    assert df["start"].dtype == "Int64" and df["end"].dtype == "Int64"
    for col in ("value", "low", "high"):
        assert df[col].dtype == "float64"
    for col in ("text", "unit", "qualifier", "dimension"):
        assert pd.api.types.is_string_dtype(df[col].dtype)
    assert df["secondary"].dtype == bool and df["parsed"].dtype == bool
    # a number given as a number is one bare figure, with no printed text to point at
    last = df.iloc[-1]
    assert last["value"] == 7.0 and pd.isna(last["start"]) and pd.isna(last["text"]) and pd.isna(last["unit"])


@pytest.mark.parametrize("values", [pd.Series([], dtype="str"), [], [None], "建信天然"])
def test_extract_empty_result_has_the_full_layout(values):
    df = extract_quantities(values)
    assert len(df) == 0 and tuple(df.columns) == EXTRACT_COLUMNS
    assert df["start"].dtype == "Int64" and df["value"].dtype == "float64" and df["secondary"].dtype == bool


def test_extract_unreadable_figures_raise_naming_each_input():
    s = pd.Series(["增长3倍", "12个", "三四个", None, "622万元/亩"], index=["x", "y", "z", "w", "v"])
    with pytest.raises(ParseError) as exc:
        extract_quantities(s)
    msg = str(exc.value)
    assert msg.startswith("3 value(s)")
    assert "index 'x': '增长3倍'" in msg and "unknown unit" in msg
    assert "index 'z': '三四个'" in msg and "ambiguous" in msg
    assert "index 'v'" in msg and "rate" in msg
    assert "'y'" not in msg and "'w'" not in msg
    assert exc.value.failures.index.tolist() == ["x", "z", "v"]
    assert exc.value.failures["text"].tolist() == ["增长3倍", "三四个", "622万元/亩"]


def test_extract_coerce_keeps_unreadable_figures_flagged():
    df = extract_quantities(pd.Series(["增长3倍，共12个", b"30"], index=["x", "y"]), errors="coerce")
    assert df["input"].tolist() == ["x", "x", "y"]
    assert df["parsed"].tolist() == [False, True, False]
    assert df.loc[0, "text"] == "3" and (df.loc[0, "start"], df.loc[0, "end"]) == (2, 3)
    assert math.isnan(df.loc[0, "value"]) and pd.isna(df.loc[0, "unit"])
    assert df.loc[1, "value"] == 12.0
    with pytest.raises(ParseError, match="not text"):
        extract_quantities(pd.Series([b"30"]))


def test_extract_unreadable_secondary_figure_beside_a_primary_one_does_not_raise():
    # parse_quantity reads this text (2017 is probably a year); so must extract_quantities
    text = "2017贵州省第一批重大项目集中开工 总投资3815.6亿元"
    assert one(text)["value"] == 3.8156e11
    got = figures(text)
    assert [(f["text"], f["secondary"], f["parsed"]) for f in got] == [("2017", True, False), ("3815.6亿元", False, True)]


def test_extract_bad_arguments():
    with pytest.raises(ValueError, match="errors"):
        extract_quantities("30亿元", errors="ignore")
    with pytest.raises(TypeError):
        extract_quantities(pd.DataFrame({"a": ["30亿元"]}))


def test_extract_agrees_with_parse_quantity_wherever_it_reads_a_text():
    texts = [t for t, *_ in UNIT_CASES + NUMBER_CASES + QUALIFIER_CASES + LABEL_CASES]
    texts += [t for t, _ in UNREADABLE]
    s = pd.Series(texts)
    single = parse_quantity(s, errors="coerce")
    many = extract_quantities(s, errors="coerce")
    for i, text in s.items():
        rows = many[many["input"] == i]
        counted = rows[~rows["secondary"]] if (~rows["secondary"]).any() else rows
        if single.loc[i, "parsed"]:
            assert len(counted) == 1 and counted["parsed"].all(), text
            r = counted.iloc[0]
            for col in ("value", "low", "high"):
                assert r[col] == single.loc[i, col] or (math.isnan(r[col]) and math.isnan(single.loc[i, col])), text
            for col in ("unit", "qualifier", "dimension"):
                assert r[col] == single.loc[i, col] or (pd.isna(r[col]) and pd.isna(single.loc[i, col])), text
        else:
            assert len(counted) != 1 or not counted["parsed"].all(), text


def test_extracted_figures_read_alone_give_the_same_quantity():
    texts = [t for t, *_ in QUALIFIER_CASES + LABEL_CASES] + ["总投资约11408亿元，其中超过5000万元的项目1700余个，占比70%以上"]
    df = extract_quantities(pd.Series(texts))
    again = parse_quantity(df["text"])
    assert again["parsed"].all()
    assert (again["value"] == df["value"]).all()
    assert (again["qualifier"] == df["qualifier"]).all()


# ---------------------------------------------------------------------------
# parse_rank
# ---------------------------------------------------------------------------

RANK_CASES = [
    ("全省第1位", 1),
    ("综合评价全省排名第9位", 9),
    ("“投产一批”项目达效率 全省第3位", 3),  # 一 inside the quoted name is not read
    ("“开工一批”项目投产率 全省第1位", 1),
    ("第2名", 2),
    ("排名第九", 9),
    ("排第３", 3),
    ("全国排名第十二位", 12),
    ("排名第 4 位", 4),
    ("第１２位", 12),
    ("全省第3位共5家", 3),  # a count beside the rank is not a rank
]


@pytest.mark.parametrize("text, rank", RANK_CASES)
def test_parse_rank(text, rank):
    df = parse_rank(text)
    assert df["rank"].tolist() == [rank] and df["parsed"].tolist() == [True]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("第二批", "no rank"),  # a round, not a rank
        ("安排第二批项目", "no rank"),  # 安排 ('arrange') is not 排
        ("前三名", "no rank"),  # 'top three' is not one rank
        ("30亿元", "no rank"),
        ("第2名和第5名", "2 ranks"),
        ("第三四名", "ambiguous"),
        ("第0位", "below 1"),
        ("", "empty"),
    ],
)
def test_parse_rank_unreadable(text, reason):
    with pytest.raises(ParseError) as exc:
        parse_rank(text)
    assert reason in str(exc.value) and repr(text) in str(exc.value)


def test_parse_rank_lists_every_bad_value_and_coerces():
    s = pd.Series(["全省第1位", "第二批", None, "前三名", "排名第9位"], index=["a", "b", "c", "d", "e"])
    with pytest.raises(ParseError) as exc:
        parse_rank(s)
    msg = str(exc.value)
    assert msg.startswith("2 rank(s)")
    assert "index 'b': '第二批'" in msg and "index 'd': '前三名'" in msg
    assert exc.value.failures.index.tolist() == ["b", "d"]
    df = parse_rank(s, errors="coerce")
    assert df.index.equals(s.index)
    assert df["rank"].dtype == "Int64" and df["parsed"].dtype == bool
    assert df["rank"].tolist() == [1, pd.NA, pd.NA, pd.NA, 9]
    assert df["parsed"].tolist() == [True, False, False, False, True]


def test_parse_rank_missing_input_never_raises_and_bad_arguments():
    df = parse_rank(pd.Series([None, np.nan, pd.NA], dtype=object))
    assert df["rank"].isna().all() and not df["parsed"].any()
    with pytest.raises(ParseError, match="not text"):
        parse_rank([3])
    with pytest.raises(ValueError, match="errors"):
        parse_rank("第1位", errors="ignore")
    assert list(parse_rank([]).columns) == ["rank", "parsed"]


@pytest.mark.parametrize("text", ["全省第1位", "综合评价全省排名第9位", "“投产一批”项目达效率 全省第3位"])
def test_ranks_stay_unreadable_as_quantities(text):
    with pytest.raises(ParseError, match="no quantity found"):
        parse_quantity(text)
    assert extract_quantities(text).empty


# ---------------------------------------------------------------------------
# Source facts: every quantitative value_text is read
# ---------------------------------------------------------------------------

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
