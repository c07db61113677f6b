"""Property-based tests for zonestudy.clean.parse_quantity and extract_quantities.

Print a number the way the sources do -- with a unit, a qualifier word and label
words -- and check that parsing gives the number back in the canonical unit; print
several such figures in one text and check that extraction gives them all back.
"""

from __future__ import annotations

import cn2an
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonestudy import clean
from zonestudy.clean import extract_quantities, parse_quantity

# printed unit -> (canonical unit, canonical units per printed unit)
CN_UNITS = {
    "元": ("CNY", 1.0),
    "万元": ("CNY", 1e4),
    "亿元": ("CNY", 1e8),
    "万亿元": ("CNY", 1e12),
    "美元": ("USD", 1.0),
    "万美元": ("USD", 1e4),
    "亿美元": ("USD", 1e8),
    "平方米": ("m2", 1.0),
    "万平方米": ("m2", 1e4),
    "亩": ("m2", 10000 / 15),
    "万亩": ("m2", 1e4 * 10000 / 15),
    "公顷": ("m2", 1e4),
    "平方公里": ("m2", 1e6),
    "米": ("m", 1.0),
    "公里": ("m", 1e3),
    "千米": ("m", 1e3),
    "吨": ("t", 1.0),
    "万吨": ("t", 1e4),
    "千瓦": ("MW", 1e-3),
    "万千瓦": ("MW", 10.0),
    "兆瓦": ("MW", 1.0),
    "MW": ("MW", 1.0),
    "GW": ("MW", 1e3),
    "kW": ("MW", 1e-3),
    "千瓦时": ("MWh", 1e-3),
    "度": ("MWh", 1e-3),
    "万千瓦时": ("MWh", 10.0),
    "亿千瓦时": ("MWh", 1e5),
    "MWh": ("MWh", 1.0),
    "GWh": ("MWh", 1e3),
    "kWh": ("MWh", 1e-3),
    "%": ("ratio", 0.01),
    "‰": ("ratio", 0.001),
    "℃": ("degC", 1.0),
    **{w: ("count", 1.0) for w in "个项家人架次所批支条名户座张期"},
}
EN_UNITS = {
    "yuan": ("CNY", 1.0),
    "million yuan": ("CNY", 1e6),
    "billion yuan": ("CNY", 1e9),
    "trillion yuan": ("CNY", 1e12),
    "projects": ("count", 1.0),
    "companies": ("count", 1.0),
    "events": ("count", 1.0),
    "rounds": ("count", 1.0),
    "percent": ("ratio", 0.01),
}

# (prefix, between number and unit, suffix, qualifier)
CN_QUALIFIERS = [
    ("", "", "", "exact"),
    ("", "余", "", "over"),
    ("", "多", "", "over"),
    ("超", "", "", "over"),
    ("超过", "", "", "over"),
    ("逾", "", "", "over"),
    ("", "", "以上", "at_least"),
    ("不低于", "", "", "at_least"),
    ("不少于", "", "", "at_least"),
    ("至少", "", "", "at_least"),
    ("", "", "以下", "at_most"),
    ("", "", "以内", "at_most"),
    ("不超过", "", "", "at_most"),
    ("不到", "", "", "under"),
    ("不足", "", "", "under"),
    ("近", "", "", "nearly"),
    ("将近", "", "", "nearly"),
    ("接近", "", "", "nearly"),
    ("约", "", "", "approx"),
    ("大约", "", "", "approx"),
    ("", "", "左右", "approx"),
]
EN_QUALIFIERS = [
    ("", "exact"),
    ("more than ", "over"),
    ("over ", "over"),
    ("at least ", "at_least"),
    ("nearly ", "nearly"),
    ("almost ", "nearly"),
    ("about ", "approx"),
    ("around ", "approx"),
]
CN_LABELS = ["", "总投资", "开工率达", "占年计划的", "年度计划投资", "完成投资", "签约项目", "资金到位率"]
CN_TAILS = ["", "。"]
FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


@st.composite
def printed_numbers(draw):
    """(text, value): a non-negative decimal as printed, with or without separators."""
    integer = draw(st.integers(min_value=0, max_value=9_999_999))
    decimals = draw(st.integers(min_value=0, max_value=3))
    frac = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    sep = draw(st.sampled_from(["", ",", " "])) if integer >= 1000 else ""
    head = f"{integer:,}".replace(",", sep) if sep else str(integer)
    text = head + (f".{frac:0{decimals}d}" if decimals else "")
    return text, float(f"{integer}.{frac:0{decimals}d}" if decimals else integer)


@st.composite
def chinese_figures(draw):
    num, value = draw(printed_numbers())
    unit = draw(st.sampled_from(sorted(CN_UNITS)))
    pre, mid, post, qualifier = draw(st.sampled_from(CN_QUALIFIERS))
    label = draw(st.sampled_from(CN_LABELS))
    space = draw(st.sampled_from(["", " "]))
    if mid and unit[0] in "万亿":  # 30余万平方米, 4300多亿元
        text = f"{label}{pre}{num}{mid}{unit}{post}"
    else:
        text = f"{label}{pre}{num}{mid}{space}{unit}{post}"
    text += draw(st.sampled_from(CN_TAILS))
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    canonical, factor = CN_UNITS[unit]
    return text, value * factor, canonical, qualifier


@st.composite
def english_figures(draw):
    num, value = draw(printed_numbers())
    unit = draw(st.sampled_from(sorted(EN_UNITS)))
    pre, qualifier = draw(st.sampled_from(EN_QUALIFIERS))
    canonical, factor = EN_UNITS[unit]
    return f"{pre}{num} {unit}", value * factor, canonical, qualifier


def check(text, value, unit, qualifier):
    got = parse_quantity(text).iloc[0]
    assert got["parsed"], text
    assert got["value"] == pytest.approx(value, rel=1e-12, abs=1e-12), text
    assert got["unit"] == unit, text
    assert got["qualifier"] == qualifier, text
    # the bounds follow the qualifier
    if qualifier in ("over", "at_least"):
        assert got["low"] == got["value"] and pd.isna(got["high"])
    elif qualifier in ("at_most", "under"):
        assert got["high"] == got["value"] and pd.isna(got["low"])
    else:
        assert got["low"] == got["high"] == got["value"]


@settings(max_examples=400, deadline=None)
@given(chinese_figures())
def test_chinese_figures_round_trip(case):
    check(*case)


@settings(max_examples=200, deadline=None)
@given(english_figures())
def test_english_figures_round_trip(case):
    check(*case)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["个", "亿元", "吨", ""]))
def test_chinese_numerals_round_trip(n, unit):
    text = cn2an.an2cn(n) + unit
    got = parse_quantity(text).iloc[0]
    factor = {"个": 1, "亿元": 1e8, "吨": 1, "": 1}[unit]
    assert got["value"] == n * factor, text


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["-", "至", "~", "到"]),
)
def test_ranges_round_trip(a, b, sep):
    low, high = min(a, b), max(a, b)
    got = parse_quantity(f"{low}{sep}{high}亿元").iloc[0]
    assert got["qualifier"] == "range"
    assert (got["low"], got["high"]) == (low * 1e8, high * 1e8)
    assert got["value"] == pytest.approx((low + high) / 2 * 1e8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(chinese_figures(), min_size=1, max_size=30))
def test_fast_path_matches_full_parser(cases):
    texts = [c[0] for c in cases]
    df = parse_quantity(pd.Series(texts))
    for text, (_, row) in zip(texts, df.iterrows()):
        (value, unit, qualifier, *_), parsed, _reason = clean._parse_scalar(text)
        assert parsed and row["parsed"]
        assert (value, unit, qualifier) == (row["value"], row["unit"], row["qualifier"]), text


@settings(max_examples=100, deadline=None)
@given(st.lists(chinese_figures(), min_size=1, max_size=20), st.randoms())
def test_result_aligns_with_any_index(cases, rnd):
    texts = [c[0] for c in cases]
    labels = [f"F{i:04d}" for i in range(len(texts))]
    rnd.shuffle(labels)
    df = parse_quantity(pd.Series(texts, index=labels))
    assert df.index.tolist() == labels
    for label, (_text, value, unit, _q) in zip(labels, cases):
        assert df.loc[label, "value"] == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert df.loc[label, "unit"] == unit


# Words printed between two figures. None ends in a character that changes the next
# figure's qualifier (签 before 约, 附 before 近) or starts with one that extends the
# previous figure (月 after 个, 以上), and none holds a numeral.
JOINERS = ["，其中", "；完成投资", "，同比增长", "，占比", "和", "、", "，实际开工", "；签约项目", " 及 "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(chinese_figures(), min_size=1, max_size=5), st.data())
def test_extract_quantities_returns_every_joined_figure_in_order(cases, data):
    text = cases[0][0]
    for case in cases[1:]:
        text += data.draw(st.sampled_from(JOINERS)) + case[0]
    got = extract_quantities(text)
    assert len(got) == len(cases), text
    assert got["position"].tolist() == list(range(len(cases)))
    assert got["parsed"].all()
    for (_printed, value, unit, qualifier), (_, row) in zip(cases, got.iterrows()):
        assert row["value"] == pytest.approx(value, rel=1e-12, abs=1e-12), text
        assert row["unit"] == unit, text
        assert row["qualifier"] == qualifier, text
        assert text[row["start"]:row["end"]] == row["text"], text
    starts, ends = got["start"].tolist(), got["end"].tolist()
    assert all(e <= s for e, s in zip(ends, starts[1:])), text  # in reading order, no overlap
    # each printed figure, read on its own, gives the same quantity
    alone = parse_quantity(got["text"])
    assert alone["value"].tolist() == got["value"].tolist(), text
    assert alone["qualifier"].tolist() == got["qualifier"].tolist(), text
