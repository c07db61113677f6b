"""The vectorised reading of printed amounts gives exactly the full parser's rows.

``parse_quantity`` reads a distinct text with one number through its template
(the words around the number, read once by the full parser) and converts the
numbers in array arithmetic. These tests draw texts from a wide grammar -- labels,
qualifiers, ordinals, quotes, brackets, English words, units with factors (亩),
bare numbers and years, Chinese numerals with 两 and 零, fixed words such as 一是
-- and check every column of every row against the full parser, one text at a time.
"""

from __future__ import annotations

import math

import cn2an
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonestudy import clean
from zonestudy.clean import parse_quantity

PREFIXES = [
    "", "总投资", "约", "超过", "近", "不足", "共计", "第", "前", "占第三批开工项目年度计划投资的", "唯", "进", "统",
    "“", "(", "新台币", "港币", "USD ", "about ", "more than ", "-", "负", "项目数", "2024年", "累计完成", "年产",
    "三个一批", "亿元以上项目", "签约“三个一批”项目", "第十二期",
]
SUFFIXES = [
    "", "亿元", "万元", "元", "个", "个项目", "%", "％", "亩", "万亩", "千瓦", "万千瓦时", "吨", "平方米", "家",
    "余个", "多万元", "亿元以上", "个以上", " billion yuan", " projects", " major projects", "亿美元", "年", "个月",
    "是", "体", "大", "号", "期", "批", "”", ")", "余", "万", "亿", "元整", "元5角", "至5亿元", "-8个", "个”项目",
    "千米", "千克", "倍", "G", "½", "²", "\n", "\x00", "　万元",
]


@st.composite
def arabic_numbers(draw):
    kind = draw(st.sampled_from(["int", "decimal", "year", "zero", "long", "grouped"]))
    if kind == "int":
        return str(draw(st.integers(min_value=1, max_value=10**9)))
    if kind == "decimal":
        whole = draw(st.integers(min_value=0, max_value=10**6))
        frac = draw(st.text(alphabet="0123456789", min_size=1, max_size=6))
        return f"{whole}.{frac}"
    if kind == "year":
        return str(draw(st.integers(min_value=1990, max_value=2030)))
    if kind == "zero":
        return draw(st.sampled_from(["0", "00", "05", "0.0", "0.05"]))
    if kind == "long":
        return draw(st.text(alphabet="0123456789", min_size=14, max_size=18))
    return f"{draw(st.integers(min_value=1, max_value=999))},{draw(st.integers(min_value=0, max_value=999)):03d}"


DIGITS = "一二三四五六七八九两"


@st.composite
def chinese_numbers(draw):
    n = draw(st.integers(min_value=0, max_value=10**12))
    text = cn_numeral(n)
    if draw(st.booleans()):
        text = text.replace("二", "两")
    if draw(st.integers(min_value=0, max_value=4)) == 0:  # a cut numeral, often malformed
        text = text[: draw(st.integers(min_value=1, max_value=len(text)))]
    if draw(st.integers(min_value=0, max_value=6)) == 0:  # two digits in a row
        text += draw(st.sampled_from(DIGITS))
    return text


def cn_numeral(n: int) -> str:
    return cn2an.an2cn(n)


def rows_equal(fast: pd.Series, full: tuple) -> bool:
    (value, unit, qualifier, low, high, dim), parsed, _reason = full
    if bool(fast["parsed"]) != parsed:
        return False

    def same(a, b):
        if a is None or (isinstance(a, float) and math.isnan(a)):
            return pd.isna(b)
        return not pd.isna(b) and a == b

    return all(same(a, fast[k]) for a, k in (
        (value, "value"), (unit, "unit"), (qualifier, "qualifier"), (low, "low"), (high, "high"), (dim, "dimension"),
    ))


def check_against_full_parser(texts: list[str]) -> None:
    got = parse_quantity(pd.Series(texts, dtype="str"), errors="coerce")
    for text, (_, row) in zip(texts, got.iterrows()):
        full = clean._parse_scalar(text)
        assert rows_equal(row, full), (text, row.to_dict(), full)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PREFIXES), arabic_numbers(), st.sampled_from(SUFFIXES)),
                min_size=1, max_size=40))
def test_arabic_templates_match_full_parser(cases):
    check_against_full_parser([p + n + s for p, n, s in cases])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PREFIXES), chinese_numbers(), st.sampled_from(SUFFIXES)),
                min_size=1, max_size=40))
def test_chinese_templates_match_full_parser(cases):
    check_against_full_parser([p + n + s for p, n, s in cases])


def test_one_template_many_numbers():
    # One template, read once, serves every number; each value is the full parser's float.
    texts = [f"总投资{n / 100:.2f}亿元" for n in range(1, 5001)] + [f"{cn_numeral(n)}个项目" for n in range(1, 3001)]
    check_against_full_parser(texts)
    got = parse_quantity(pd.Series(texts, dtype="str"))
    assert got["value"].iloc[0] == 1e6 and got["value"].iloc[4999] == 5e9
    assert got["value"].iloc[5000 + 2049] == 2050 and got["unit"].iloc[-1] == "count"


@pytest.mark.parametrize("text", ["2023", "2023个", "第3批", "前3批", "“3个”", "(3个)", "5G", "5亩", "3千瓦",
                                  "一是3个", "唯一", "两个亿元", "三十几个", "一一", "二三十亿元", "十一是"])
def test_edge_templates(text):
    check_against_full_parser([text, text + "。", "约" + text])


def test_numeral_places():
    assert clean._numeral_places("一千一百零一") == (1000, 0, 100, 0, 0, 1)
    assert clean._numeral_places("一万一") == (10000, 0, 1000)  # 三万五 = 35000
    assert clean._numeral_places("一一") is None  # a digit string or "N or N+1": refused
    assert clean._numeral_places("十") is None  # no digit to vary


def test_object_input_with_numbers_and_missing():
    values = ["30亿元", 3.5, None, np.nan, "三十个", 7, "建信天然"]
    got = parse_quantity(pd.Series(values, dtype=object), errors="coerce")
    assert got["value"].iloc[[0, 1, 4, 5]].tolist() == [3e9, 3.5, 30.0, 7.0]
    assert got["parsed"].tolist() == [True, True, False, False, True, True, False]
    assert str(got["unit"].dtype) == "str" and str(got["currency"].dtype) == "str"
    assert got["currency"].iloc[0] == "CNY" and pd.isna(got["currency"].iloc[4])


def test_texts_arrow_cannot_hold_go_to_the_full_parser():
    # A lone surrogate cannot be encoded as UTF-8 (Arrow's strings): such texts are read one by one,
    # exactly as the full parser reads them, and the other texts still take the template path.
    texts = ["\ud800 5个", "30亿元", "5个\udfff"]
    got = parse_quantity(pd.Series(texts, dtype=object), errors="coerce")
    for text, (_, row) in zip(texts, got.iterrows()):
        assert rows_equal(row, clean._parse_scalar(text)), text
