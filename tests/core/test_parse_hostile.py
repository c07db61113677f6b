"""Hostile printed figures (issue 11): every parser returns the right value or raises a
ParseError naming the value and its index; no other exception escapes for string input."""

from __future__ import annotations

import math
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonestudy import clean
from zonestudy.clean import (
    ParseError,
    extract_quantities,
    parse_period,
    parse_quantity,
    parse_rank,
    parse_round_label,
    parse_round_labels,
    resolve_date,
)


def value_of(text):
    return parse_quantity(text).iloc[0]


def refused(text, reason=None):
    """parse_quantity raises a ParseError naming the text and its index label."""
    with pytest.raises(ParseError) as exc:
        parse_quantity(pd.Series([text], index=["h1"]))
    assert f"index 'h1': {text!r}" in str(exc.value)
    assert exc.value.failures.index.tolist() == ["h1"]
    if reason:
        assert reason in exc.value.failures.loc["h1", "reason"], exc.value.failures.loc["h1", "reason"]


# (text, value, unit): read right
READ = [
    ("一千2百万元", 1.2e7, "CNY"),
    ("1千2百万元", 1.2e7, "CNY"),
    ("1万2千个", 12_000, "count"),
    ("−5亿元", -5e8, "CNY"),  # U+2212
    ("\u20105亿元", -5e8, "CNY"),
    ("\u20115亿元", -5e8, "CNY"),
    ("\u20135亿元", -5e8, "CNY"),
    ("负5亿元", -5e8, "CNY"),
    ("负增长5%", -0.05, "ratio"),
    ("30\u200b亿元", 3e9, "CNY"),
    ("30\ufeff亿元", 3e9, "CNY"),
    ("30\u2060亿元", 3e9, "CNY"),
    ("30\u00ad亿元", 3e9, "CNY"),
    ("5\u200b%", 0.05, "ratio"),
    ("5亿港元", 5e8, "HKD"),
    ("5亿欧元", 5e8, "EUR"),
    ("5港元", 5.0, "HKD"),
    ("5万辆", 5e4, "count"),
    ("2万台", 2e4, "count"),
    ("1½亿元", 1.5e8, "CNY"),
    ("¾亿元", 7.5e7, "CNY"),
    ("兩億元", 2e8, "CNY"),
    ("五萬個", 5e4, "count"),
    ("總投資約30億元", 3e9, "CNY"),
    ("１２３亿元", 1.23e10, "CNY"),  # full-width digits
    ("٣٠亿元", 3e9, "CNY"),  # Arabic-Indic digits
    ("३० %", 0.3, "ratio"),  # Devanagari digits
    ("120m²", 120.0, "m2"),  # a superscript after a letter is the unit's exponent
]


@pytest.mark.parametrize("text, value, unit", READ)
def test_hostile_figures_read_right(text, value, unit):
    got = value_of(text)
    assert got["parsed"] and got["value"] == pytest.approx(value, rel=1e-12), (text, got["value"])
    assert got["unit"] == unit, (text, got["unit"])


def test_hostile_qualifier_survives_a_zero_width_space():
    assert value_of("约\u200b30亿元")["qualifier"] == "approx"


REFUSE = [
    ("一百一百一个", "malformed"),
    ("三千三千一个", "malformed"),
    ("3.78万平方英尺", "unknown unit"),
    ("1" + "0" * 400 + "元", "range of a float"),
    ("5" + "亿" * 50 + "元", "range of a float"),
    ("0." + "0" * 400 + "1元", "too small"),
    ("10²平方米", "superscript"),
    ("10₂个", "superscript"),
    ("1.2.3亿元", "malformed number"),
    ("1⅓亿元", "no exact decimal"),
    ("3\x00亿元", "control character U+0000"),
    ("3\x07亿元", "control character U+0007"),
    ("3倍", "unknown unit"),
    ("一亿五千元", "ambiguous"),
    ("=SUM(A1:A3)", "no quantity"),
    ("", "empty"),
]


@pytest.mark.parametrize("text, reason", REFUSE)
def test_hostile_figures_refused_naming_the_value(text, reason):
    refused(text, reason)


def test_overflow_is_not_parsed_as_inf():
    df = parse_quantity(["1" + "0" * 400 + "元"], errors="coerce")
    assert not df["parsed"].item() and math.isnan(df["value"].item())


def test_infinite_number_given_as_number_is_refused():
    with pytest.raises(ParseError, match="finite"):
        parse_quantity(pd.Series([float("inf")], dtype=object))


# ---------------------------------------------------------------------------
# other parsers
# ---------------------------------------------------------------------------


def test_round_label_reads_through_zero_width_characters():
    assert parse_round_label("2023\u200b年第四次", event_date="2024-05-01") == (2023, 4)


@pytest.mark.parametrize("label", ["12023年第一次", "0年第一次", "0000年第一次", "3023年第一次", "1899年第一次"])
def test_round_label_refuses_impossible_years(label):
    with pytest.raises(ParseError, match="outside 1900-2100") as exc:
        parse_round_label(label, event_date="2024-05-01")
    assert repr(label) in str(exc.value)


def test_round_labels_name_a_huge_round_number():
    label = "第" + "9" * 30 + "次"
    with pytest.raises(ParseError) as exc:
        parse_round_labels(pd.Series([label], index=["L9"]), ["2023-01-01"])
    assert "index 'L9'" in str(exc.value) and "implausibly large" in str(exc.value)


@pytest.mark.parametrize("reference", ["", "not a date"])
def test_resolve_date_refuses_a_bad_reference(reference):
    with pytest.raises(ParseError, match="reference date"):
        resolve_date("8月28日", reference=reference)


@pytest.mark.parametrize("text", ["2024-08-28\x07", "截至9999年8月", "0年"])
def test_dates_and_periods_refuse_hostile_text(text):
    with pytest.raises(ParseError):
        parse_period(text, reference="2024-09-01")


def test_rank_refuses_a_huge_rank_naming_it():
    text = "第" + "9" * 30 + "位"
    with pytest.raises(ParseError) as exc:
        parse_rank(pd.Series([text], index=["K1"]))
    assert "index 'K1'" in str(exc.value)


# ---------------------------------------------------------------------------
# property-based: nothing but ParseError escapes, and the right value comes back
# ---------------------------------------------------------------------------

ZERO_WIDTH = ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u200c", "\u200d"]
SIGNS = ["-", "−", "\u2010", "\u2011", "\u2013", "负"]
UNICODE_ZEROS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0x1D7CE]  # digit zero of nine scripts
TRADITIONAL = {"亿": "億", "万": "萬", "两": "兩", "个": "個"}
HOSTILE_ALPHABET = st.sampled_from(
    list("0123456789.,-−‐–—~至到余多约近超以上下左右第前几数负十百千万亿萬億兩個零〇一二三四五六七八九壹贰拾佰仟元角分块毛整港币美欧日个家项%‰²½⅓()（）“”《》年月日 ")
    + ZERO_WIDTH + ["\x00", "\x07", "\t", "\n", "٣", "３"]
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(HOSTILE_ALPHABET, max_size=30))
def test_only_parse_error_escapes(text):
    for fn in (parse_quantity, extract_quantities, parse_rank):
        try:
            fn(text)
        except ParseError:
            pass
    for fn in (lambda t: resolve_date(t, reference="2024-08-30"), lambda t: parse_period(t, reference="2024-08-30"),
               lambda t: parse_round_label(t, event_date="2024-08-30")):
        try:
            fn(text)
        except ParseError:
            pass


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=20))
def test_only_parse_error_escapes_on_any_unicode(text):
    try:
        parse_quantity(text)
    except ParseError:
        pass
    try:
        extract_quantities(text)
    except ParseError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from(UNICODE_ZEROS), st.sampled_from(["亿元", "个", "%", "万平方米"]))
def test_digits_of_any_script_read_as_their_value(n, zero, unit):
    digits = "".join(chr(zero + int(d)) for d in str(n))
    want = {"亿元": 1e8, "个": 1, "%": 0.01, "万平方米": 1e4}[unit]
    assert value_of(digits + unit)["value"] == pytest.approx(float(f"{n}") * want, rel=1e-12)


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 10**6), st.sampled_from(SIGNS), st.sampled_from(["亿元", "个", "%"]))
def test_signs_are_never_dropped(n, sign, unit):
    got = value_of(f"{sign}{n}{unit}")
    assert got["value"] < 0


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 10**6), st.lists(st.sampled_from(ZERO_WIDTH), min_size=1, max_size=3),
       st.integers(0, 3), st.sampled_from(["约", "近", ""]))
def test_zero_width_characters_change_nothing(n, marks, where, qual):
    plain = f"{qual}{n}亿元"
    cut = {0: 0, 1: len(qual), 2: len(qual) + len(str(n)), 3: len(plain)}[where]
    noisy = plain[:cut] + "".join(marks) + plain[cut:]
    a, b = value_of(plain), value_of(noisy)
    assert (a["value"], a["unit"], a["qualifier"]) == (b["value"], b["unit"], b["qualifier"])


CN = "零一二三四五六七八九"


def chinese(n):
    out, zero = "", False
    for p, w in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // p % 10
        if d:
            out += ("零" if zero and out else "") + CN[d] + w
            zero = False
        elif out:
            zero = True
    return out


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 9999), st.sampled_from(["亿元", "万个", "个"]), st.sets(st.sampled_from(list(TRADITIONAL))))
def test_traditional_forms_read_like_simplified(n, unit, swap):
    text = chinese(n) + unit
    trad = "".join(TRADITIONAL[c] if c in swap else c for c in text)
    a, b = value_of(text), value_of(trad)
    assert a["value"] == b["value"] and a["unit"] == b["unit"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**6), st.sampled_from(["个", "亿元", "%"])), min_size=1, max_size=6))
def test_extract_finds_every_amount_once(figures):
    text = "，".join(f"{n}{u}" for n, u in figures)
    df = extract_quantities(text)
    assert len(df) == len(figures)
    assert df["text"].tolist() == [f"{n}{u}" for n, u in figures]


def test_printable_ascii_only_raises_parse_error():
    for ch in string.printable:
        try:
            parse_quantity(ch * 3)
        except ParseError:
            pass
