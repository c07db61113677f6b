"""Printed money and numbers as Chinese documents print them (issue 15): currencies, 元角分,
capital and traditional numerals, shared multipliers, vague amounts, negatives, qualifiers,
explicit currency conversion, and a comparison with cn2an for numerals."""

from __future__ import annotations

import math

import cn2an
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonestudy import clean
from zonestudy.clean import ParseError, convert_currency, extract_quantities, parse_quantity

NAN = float("nan")


def one(text):
    return parse_quantity(text).iloc[0].to_dict()


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)


# (text, value, unit, currency, qualifier, low, high), every value checked by hand
MONEY = [
    # currencies: the printed currency, never CNY for a foreign amount
    ("港币两千九百六十元", 2960, "HKD", "HKD", "exact", 2960, 2960),
    ("新台币 177.1 亿元", 1.771e10, "TWD", "TWD", "exact", 1.771e10, 1.771e10),
    ("三万元欧元", 3e4, "EUR", "EUR", "exact", 3e4, 3e4),
    ("两个亿卢布", 2e8, "RUB", "RUB", "exact", 2e8, 2e8),
    ("25481港元", 25481, "HKD", "HKD", "exact", 25481, 25481),
    ("3千万亿日元", 3e15, "JPY", "JPY", "exact", 3e15, 3e15),
    ("5亿港元", 5e8, "HKD", "HKD", "exact", 5e8, 5e8),
    ("5亿欧元", 5e8, "EUR", "EUR", "exact", 5e8, 5e8),
    ("2亿美元", 2e8, "USD", "USD", "exact", 2e8, 2e8),
    ("120万英镑", 1.2e6, "GBP", "GBP", "exact", 1.2e6, 1.2e6),
    ("3000万澳元", 3e7, "AUD", "AUD", "exact", 3e7, 3e7),
    ("50亿韩元", 5e9, "KRW", "KRW", "exact", 5e9, 5e9),
    ("500万元人民币", 5e6, "CNY", "CNY", "exact", 5e6, 5e6),
    ("人民币3亿元", 3e8, "CNY", "CNY", "exact", 3e8, 3e8),
    ("HK$5 million", 5e6, "HKD", "HKD", "exact", 5e6, 5e6),
    ("USD 2 billion", 2e9, "USD", "USD", "exact", 2e9, 2e9),
    # 元角分 and colloquial forms
    ("123元1角1分", 123.11, "CNY", "CNY", "exact", 123.11, 123.11),
    ("十块三毛", 10.3, "CNY", "CNY", "exact", 10.3, 10.3),
    ("壹拾壹元壹角", 11.1, "CNY", "CNY", "exact", 11.1, 11.1),
    ("玖仟陆佰陆拾伍圆壹角捌分", 9665.18, "CNY", "CNY", "exact", 9665.18, 9665.18),
    ("肆佰叁拾萬圆整", 4.3e6, "CNY", "CNY", "exact", 4.3e6, 4.3e6),
    ("9佰元", 900, "CNY", "CNY", "exact", 900, 900),
    ("三元零五分", 3.05, "CNY", "CNY", "exact", 3.05, 3.05),
    ("十块钱", 10, "CNY", "CNY", "exact", 10, 10),
    # shared multipliers: both ends scaled
    ("一百二十到一百五十万元", 1.35e6, "CNY", "CNY", "range", 1.2e6, 1.5e6),
    ("七千到九千亿元", 8e11, "CNY", "CNY", "range", 7e11, 9e11),
    ("50到100亿元", 7.5e9, "CNY", "CNY", "range", 5e9, 1e10),
    ("3至5千万元", 4e7, "CNY", "CNY", "range", 3e7, 5e7),
    ("三至五千万元", 4e7, "CNY", "CNY", "range", 3e7, 5e7),
    ("5亿至8亿元", 6.5e8, "CNY", "CNY", "range", 5e8, 8e8),
    ("3-5亿美元", 4e8, "USD", "USD", "range", 3e8, 5e8),
    # vague amounts: bounds, never a point value
    ("数十亿元", NAN, "CNY", "CNY", "vague", 2e9, 1e10),
    ("几十万", NAN, None, None, "vague", 2e5, 1e6),
    ("十几个", NAN, "count", None, "vague", 11, 19),
    ("二十几家", NAN, "count", None, "vague", 21, 29),
    ("二三十亿元", NAN, "CNY", "CNY", "vague", 2e9, 3e9),
    ("八九亿元", NAN, "CNY", "CNY", "vague", 8e8, 9e8),
    ("三四个", NAN, "count", None, "vague", 3, 4),
    ("几个", NAN, "count", None, "vague", 2, 10),
    ("约数十亿元", NAN, "CNY", "CNY", "vague", 2e9, 1e10),
    # 多/余 stay a lower bound (as in 4300多亿元 of the study's data)
    ("3000多万元", 3e7, "CNY", "CNY", "over", 3e7, NAN),
    # negatives and small decimals in Chinese numerals
    ("负十一", -11, None, None, "exact", -11, -11),
    ("零点零零零一", 1e-4, None, None, "exact", 1e-4, 1e-4),
    ("三点五亿元", 3.5e8, "CNY", "CNY", "exact", 3.5e8, 3.5e8),
    ("负5亿元", -5e8, "CNY", "CNY", "exact", -5e8, -5e8),
    ("利润−3000万元", -3e7, "CNY", "CNY", "exact", -3e7, -3e7),
    ("负增长5%", -0.05, "ratio", None, "exact", -0.05, -0.05),
    # qualifiers
    ("小于40万", 4e5, None, None, "under", NAN, 4e5),
    ("大于3亿元", 3e8, "CNY", "CNY", "over", 3e8, NAN),
    ("不到5000万元", 5e7, "CNY", "CNY", "under", NAN, 5e7),
    ("至少5亿元以上", 5e8, "CNY", "CNY", "at_least", 5e8, NAN),
    ("5000万元(含)以上", 5e7, "CNY", "CNY", "at_least", 5e7, NAN),
    ("5000万元以上(含)", 5e7, "CNY", "CNY", "at_least", 5e7, NAN),
    ("5000万元以上(不含)", 5e7, "CNY", "CNY", "over", 5e7, NAN),
    ("1亿元(不含)以下", 1e8, "CNY", "CNY", "under", NAN, 1e8),
]


@pytest.mark.parametrize("text, value, unit, currency, qualifier, low, high", MONEY)
def test_printed_money_and_numbers(text, value, unit, currency, qualifier, low, high):
    got = one(text)
    assert got["parsed"], text
    assert same(got["value"], value), (text, got["value"])
    assert (pd.isna(got["unit"]) if unit is None else got["unit"] == unit), (text, got["unit"])
    assert (pd.isna(got["currency"]) if currency is None else got["currency"] == currency), text
    assert got["qualifier"] == qualifier, (text, got["qualifier"])
    assert same(got["low"], low) and same(got["high"], high), (text, got["low"], got["high"])


REFUSED = [
    ("三五个", "ambiguous"),  # not 35, not "3 or 4"
    ("人民币5港元", "conflicting currencies"),
    ("超过数十亿元", "vague"),
    ("约5亿元以上(不含)", "conflicting"),
    ("左右(含)", "no quantity"),
    ("8-3亿元", "backwards"),
    ("一亿五千元", "ambiguous"),  # 1.5亿 in speech, 100005000 as written
    ("5万元3角", "角/分"),
]


@pytest.mark.parametrize("text, reason", REFUSED)
def test_refused_forms_name_the_value(text, reason):
    with pytest.raises(ParseError) as exc:
        parse_quantity(pd.Series([text], index=["r7"]))
    assert f"index 'r7': {text!r}" in str(exc.value)
    assert reason in exc.value.failures.loc["r7", "reason"]


def test_currency_column_only_for_money():
    df = parse_quantity(["30亿元", "5个", "83%", "2亿美元", None])
    assert df["currency"].tolist()[:4] == ["CNY", None, None, "USD"] or (
        df["currency"].iloc[0] == "CNY" and df["currency"].iloc[1:3].isna().all() and df["currency"].iloc[3] == "USD")
    assert pd.isna(df["currency"].iloc[4])
    assert pd.api.types.is_string_dtype(df["currency"].dtype)
    assert tuple(df.columns) == clean.QUANTITY_COLUMNS


def test_currency_table_is_package_data_with_iso_codes():
    t = clean.currency_table()
    assert t["currency"].str.fullmatch(r"[A-Z]{3}").all()
    assert {"人民币", "美元", "港元", "港币", "欧元", "日元", "英镑", "新台币", "澳元", "韩元", "卢布"} <= set(t.index)
    assert t.loc["港币", "currency"] == "HKD" and t.loc["新台币", "currency"] == "TWD"
    # no foreign currency word reads as yuan
    foreign = t[t["currency"] != "CNY"].index
    parsed = parse_quantity(pd.Series([f"5{w}" for w in foreign if not w.isascii() and w not in ("$",)]))
    assert (parsed["currency"] != "CNY").all()


# ---------------------------------------------------------------------------
# conversion is explicit
# ---------------------------------------------------------------------------

RATES = pd.DataFrame({"currency": ["HKD", "USD"], "rate": [0.92, 7.1], "date": ["2024-08-28", "2024-08-28"]})


def test_convert_currency_uses_the_stated_rate_and_date():
    df = parse_quantity(["100港元", "2亿美元", "30亿元", "5个"])
    out = convert_currency(df, RATES)
    assert out["value_cny"].tolist()[:3] == [pytest.approx(92.0), pytest.approx(1.42e9), 3e9]
    assert pd.isna(out["value_cny"].iloc[3])
    assert out["rate"].tolist()[:3] == [0.92, 7.1, 1.0]
    assert out["rate_date"].iloc[0] == pd.Timestamp("2024-08-28")
    # the parsed columns are untouched: no implicit conversion
    assert df["unit"].tolist()[:2] == ["HKD", "USD"]


def test_convert_currency_refuses_a_missing_rate_naming_it():
    df = parse_quantity(pd.Series(["100欧元", "3亿元"], index=["a", "b"]))
    with pytest.raises(ParseError, match="EUR"):
        convert_currency(df, RATES)


@pytest.mark.parametrize("bad", [
    RATES.drop(columns="date"),
    pd.DataFrame({"currency": ["HKD", "HKD"], "rate": [0.9, 0.92], "date": ["2024-01-01"] * 2}),
    pd.DataFrame({"currency": ["HKD"], "rate": [-1.0], "date": ["2024-01-01"]}),
])
def test_convert_currency_checks_the_rate_table(bad):
    with pytest.raises(ValueError):
        convert_currency(parse_quantity(["100港元"]), bad)


# ---------------------------------------------------------------------------
# running text: every amount once, with offsets
# ---------------------------------------------------------------------------


def test_extract_finds_each_new_form_once_with_offsets():
    text = "外资2亿美元、港币两千九百六十元，另有数十亿元投资，规模一百二十到一百五十万元，亏损负5亿元"
    df = extract_quantities(text)
    assert df["text"].tolist() == ["2亿美元", "港币两千九百六十元", "数十亿元", "一百二十到一百五十万元", "负5亿元"]
    for _, row in df.iterrows():
        assert text[row["start"]:row["end"]] == row["text"]
    assert df["currency"].tolist() == ["USD", "HKD", "CNY", "CNY", "CNY"]
    assert df["qualifier"].tolist() == ["exact", "exact", "vague", "range", "exact"]


def test_extract_offsets_survive_zero_width_characters():
    text = "总投资\u200b30亿元，签约\ufeff5个"
    df = extract_quantities(text)
    assert df["value"].tolist() == [3e9, 5.0]
    assert [text[a:b] for a, b in zip(df["start"], df["end"])] == ["30亿元", "5个"]


# ---------------------------------------------------------------------------
# round trips (format -> parse)
# ---------------------------------------------------------------------------

CN = "零一二三四五六七八九"
CAPITAL = "零壹贰叁肆伍陆柒捌玖"


def chinese(n: int, digits: str = CN, powers: str = "十百千") -> str:
    """An integer in [1, 10**8) as a Chinese numeral, written by hand (三千零五, 壹万贰仟)."""
    def section(k):
        out, zero = "", False
        for p, w in ((1000, powers[2]), (100, powers[1]), (10, powers[0]), (1, "")):
            d = k // p % 10
            if d:
                out += (digits[0] if zero and out else "") + digits[d] + w
                zero = False
            elif out:
                zero = True
        return out
    hi, lo = divmod(n, 10_000)
    if not hi:
        return section(lo)
    return section(hi) + "万" + (digits[0] if 0 < lo < 1000 else "") + section(lo)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 99_999_999))
def test_chinese_and_capital_numerals_round_trip(n):
    assert parse_quantity(chinese(n) + "元")["value"].item() == n
    assert parse_quantity(chinese(n, CAPITAL, "拾佰仟") + "元")["value"].item() == n
    assert parse_quantity(chinese(n, CAPITAL, "拾佰仟").replace("万", "萬") + "圆整")["value"].item() == n


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 999_999), st.integers(0, 9), st.integers(0, 9))
def test_yuan_jiao_fen_round_trip(yuan, jiao, fen):
    text = f"{yuan}元" + (f"{jiao}角" if jiao else "") + (f"{fen}分" if fen else "")
    want = float(f"{yuan}.{jiao}{fen}")
    assert parse_quantity(text)["value"].item() == want
    if yuan:
        cn = chinese(yuan, CAPITAL, "拾佰仟") + "圆" + (CAPITAL[jiao] + "角" if jiao else "") + (
            CAPITAL[fen] + "分" if fen else "")
        assert parse_quantity(cn)["value"].item() == want


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9999), st.integers(0, 9999), st.sampled_from(["万", "亿", "千万", "万亿"]),
       st.sampled_from(["到", "至", "-", "~"]), st.booleans())
def test_shared_multiplier_ranges_round_trip(a, extra, mult, sep, as_chinese):
    b = a + extra
    exp = {"万": 4, "亿": 8, "千万": 7, "万亿": 12}[mult]
    lo, hi = (chinese(a), chinese(b)) if as_chinese else (str(a), str(b))
    if as_chinese and mult == "千万":
        mult = "万"  # 一百到二百千万 is not written; 千万 after Chinese ends is covered by 三至五千万元
        exp = 4
    got = parse_quantity(f"{lo}{sep}{hi}{mult}元").iloc[0]
    assert got["qualifier"] == "range"
    assert got["low"] == float(f"{a}e{exp}") and got["high"] == float(f"{b}e{exp}")


# ---------------------------------------------------------------------------
# cn2an, the peer parser for numerals: where zonestudy agrees and where it differs
# ---------------------------------------------------------------------------

AGREE = ["两千零五十", "一千五", "三万五", "一百五", "十二", "壹拾壹", "九佰", "一万零五百", "零点零零零一",
         "二〇二四", "负十一", "一千2百万", "三千零五亿"]
# zonestudy refuses what cn2an reads wrongly or by guessing:
DIFFER = {
    "一百一百一": "cn2an reads 210; two 百 in one section is malformed",
    "三千三千一": "cn2an reads 6100; malformed",
    "三四": "cn2an reads 34; printed before a unit it means 'three or four' (zonestudy: vague 3-4)",
}


@pytest.mark.parametrize("text", AGREE)
def test_numerals_agree_with_cn2an(text):
    mine = float(clean._chinese_digits(clean._normalise(text.replace("负", "")))) * (-1 if text.startswith("负") else 1)
    assert mine == float(cn2an.cn2an(text, "smart"))


@pytest.mark.parametrize("text", DIFFER)
def test_numerals_where_zonestudy_refuses_what_cn2an_reads(text):
    cn2an.cn2an(text, "smart")  # cn2an gives a number ...
    with pytest.raises(ParseError):  # ... zonestudy refuses it as a bare figure
        parse_quantity(text)


def test_cn2an_refuses_what_zonestudy_reads_with_a_unit():
    # 两个亿 (colloquial 2亿) and 9佰元 mixed forms
    assert one("两个亿元")["value"] == 2e8
    with pytest.raises(ValueError):
        cn2an.cn2an("两个亿", "smart")


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 99_999_999))
def test_numerals_agree_with_cn2an_on_regular_forms(n):
    text = chinese(n)
    assert int(clean._chinese_digits(text)) == n == int(cn2an.cn2an(text, "smart"))
