"""Turn printed Chinese-language figures into numbers, units, dates and rounds.

The sources behind zonestudy print figures the way Chinese news copy does:
``"总投资约11408亿元"``, ``"1700余个"``, ``"占年计划的125.6%"``, ``"近3.78万平方米"``,
``"628.1 billion yuan"``. This module parses such text into analysable columns
without ever dropping a figure silently: a value that cannot be read either
raises :class:`ParseError` (naming the value and its index label) or, on request,
comes back flagged ``parsed=False``.

Grammar of printed amounts
--------------------------
The full grammar, with an example of each form, is ``docs/printed_amounts.md``;
in short (every example is a test case):

- **Characters**: format characters (U+200B, U+FEFF, U+2060, U+00AD) are
  deleted; other control characters are refused; NFKC (full-width digits, ℃);
  digits of any script read as their value (``"٣٠亿元"``); a superscript digit
  after a digit (``"10²"``) is refused, not turned into 102; ½ ¼ ¾ … become
  decimals (``"1½亿元"`` = 1.5亿), ⅓ is refused; traditional and capital (大写)
  characters read as the standard ones (壹 → 一, 萬 → 万, 億 → 亿, 兩 → 两,
  個 → 个; package data ``zonestudy/data/numeral_characters.csv``).
- **Numerals**: Arabic (``30``, ``1,133``, ``7 362.1``), Chinese
  (``两千零五十``, ``三点五``, ``零点零零零一``), capital (``玖仟陆佰陆拾伍``),
  mixed (``一千2百万``, ``1千2百万``, ``9佰``), English (``four``). Powers
  千 > 百 > 十 fall strictly within a section below 万; 零 marks a skipped
  place; ``一百五`` = 150, ``三万五`` = 35000. Malformed numerals
  (``一百一百一``) and ambiguous ones (``三五``, ``一亿五千``) are refused.
- **Multipliers** 十 百 千 万 亿 (thousand … trillion) after a number multiply
  it and stack: ``"3千万亿日元"`` = 3×10¹⁵ JPY; colloquial ``两个亿`` = 2亿.
- **Currencies**: money stays in the printed currency; ``unit`` is its ISO
  4217 code and ``currency`` repeats it for money rows (missing otherwise):
  元/人民币/RMB/¥ CNY, 美元/USD/$ USD, 港元/港币/HK$ HKD, 欧元 EUR, 日元 JPY,
  英镑 GBP, 新台币 TWD, 澳元 AUD, 韩元 KRW, 卢布 RUB … (package data
  ``zonestudy/data/currencies.csv``, :func:`currency_table`). 元 names no
  currency of its own: ``"港币两千九百六十元"`` is HKD, ``"三万元欧元"`` EUR,
  ``"500万元人民币"`` CNY. Conversion is a separate step with a stated rate and
  date: :func:`convert_currency`.
- **元角分**: ``"123元1角1分"`` = 123.11, ``"十块三毛"`` = 10.3,
  ``"肆佰叁拾萬圆整"`` = 4,300,000.
- **Ranges** (``-`` ``~`` 至 到 ``–`` …): the first end shares the second's
  multiplier when it has none of its own: ``"3至5千万元"``, ``"50到100亿元"``,
  ``"一百二十到一百五十万元"`` (1.2×10⁶ to 1.5×10⁶); value = midpoint.
- **Vague amounts** (qualifier ``vague``, value missing, low/high bound it):
  ``十几个`` 11-19, ``二三十亿元`` 2×10⁹-3×10⁹, ``八九亿元``, ``三四个`` 3-4,
  ``数十亿元`` / ``几十万`` / ``几个``: 2·P to 10·P for the place P.
- **Signs**: ``-``, U+2212, U+2010/2011/2013 before a digit, 负 and 负增长
  before a number: ``"负5亿元"`` = -5×10⁸, ``"负增长5%"`` = -0.05.

Canonical units (the ``unit`` column of :func:`parse_quantity`), by dimension:

- money: the ISO 4217 code of the printed currency (``CNY`` for 元, 万元,
  亿元, 万亿元, yuan, million/billion/trillion yuan; ``USD`` for 美元;
  ``HKD`` for 港元 …), never converted;
- area, ``m2``: 平方米, 平米, 万平方米, 亩 (= 10000/15 m²), 万亩, 公顷, 平方公里;
- length, ``m``: 米, 公里, 千米;
- mass, ``t``: 吨, 万吨;
- power, ``MW``: 千瓦, 万千瓦, 兆瓦, kW, MW, GW;
- energy, ``MWh``: 千瓦时, 度 (= 1 kWh), 万千瓦时, 亿千瓦时, kWh, MWh, GWh;
- count, ``count``: 个 项 家 人 架 次 所 批 支 条 名 户 座 张 期 辆 台,
  projects, companies, events, rounds;
- ratio, ``ratio`` (a fraction: 83% -> 0.83): %, ‰, 百分之…, 千分之…,
  成 (四成 = 0.4), 个百分点 (a difference of shares: 2.3个百分点 -> 0.023);
- temperature, ``degC``: ℃, °C.

A number with 万/亿 followed by a character that is not a unit
(``"3.78万平方英尺"``) is refused rather than read as a bare number.

Qualifiers (the values of :data:`QUALIFIERS`), the words that print them, and
the bounds (``low``, ``high``) they imply:

- ``exact`` (a plain figure, 整): low = high = value;
- ``over`` (余, 多, 超, 超过, 逾, 多于, 高于, 大于, more than, over,
  以上(不含)): low = value, high = NaN;
- ``at_least`` (以上, (含)以上, 不低于, 不少于, 至少, at least, or more):
  low = value, high = NaN;
- ``at_most`` (以下, 以内, 不超过, 不高于, 不多于, up to): low = NaN,
  high = value;
- ``under`` (不到, 不足, 不满, 低于, 少于, 小于, less than, under, 以下(不含)):
  low = NaN, high = value;
- ``nearly`` (近, 将近, 接近, nearly, almost): low = high = value;
- ``approx`` (约, 大约, 左右, about, around, approximately): low = high = value;
- ``range`` (3-5亿元, 3至5亿元, 5亿至8亿元, 3~5亿元): low and high as
  printed, value = midpoint;
- ``vague`` (十几, 二三十, 数十, 几百): low and high as above, value = NaN.

``nearly`` and ``approx`` keep ``low == high == value``: the source gives no
width, and inventing one would put a number in the data that nobody printed. For
a range, ``value`` is the midpoint; ``约3-5亿元`` is still a ``range``. Agreeing
qualifiers combine (至少…以上); disagreeing ones make the figure unreadable.

Time
----
Every parser takes time linear in the length of its text. No pattern is
searched on the text before or after a figure: prefix words (qualifiers, 第,
currency words) are matched on a window of 24 characters before it, and only
when the last character there can end such a word; suffixes are matched in
place; bracket spans are found by bisection; quotation classes exclude their
own opening mark (``“[^“”]*”``), so an unclosed “ costs one scan to the next “
rather than to the end of the text. ``benchmarks/README.md`` shows the growth.

Which number is the quantity
----------------------------
Label words around the figure are allowed (``"开工率达90.58 %"``), but exactly
one quantity must be found. Numbers that are *not* quantities are set aside
first:

* dates and durations -- a number followed by 年, 月, 日, 号, 季度, 个月, 天,
  周年, or written as an ISO date (``2024-08-28``); ``"2023年1-7月完成投资500亿元"``
  is 500亿元;
* ordinals -- a number after 第 (第3位, 第二批) or after 前 (前三批);
* names in quotation marks (“三个一批”, “1158”工作矩阵) and a few fixed words
  that contain numerals (唯一, 统一, 一体化, 进一步 …);
* codes such as ``5G`` or ``PM2.5`` (digits touching Latin letters that are
  not a unit);
* Chinese numerals without a unit inside a longer text (十大, 四大) -- a bare
  Chinese numeral is read only when it is the whole text (``"两千零五十"``).

Chinese digit strings without 十/百/千/万/亿 are read digit by digit only with
〇/零 (二〇二四); two adjacent digits are vague (三四个 is "three or four",
not 34), others are unreadable (三五个). ``十几`` and ``二十几`` are vague
(11-19, 21-29).

Some numbers are *secondary*: a figure in brackets, a threshold that describes
a class of items (``"5000万元以上项目718个"``), or a bare four-digit integer
between 1900 and 2099 (probably a year). A secondary number is taken only when
no other number is present. Two or more remaining numbers make the text
unparseable (``"131个计划新开工项目有112个实现开工"`` is ambiguous by design).

A number with no unit at all (``"263"``, ``"four"``, ``"1,144"``) is parsed
with ``unit``/``dimension`` missing; the caller knows the unit from elsewhere.
A number followed directly by a character that is not a known unit
(``"3倍"``, or the OCR misreading ``"2050益"``) is *not* read as a bare number:
it is unreadable, so nothing is dropped silently. Rates such as ``"622万元/亩"``
are unreadable too; a per-unit label (``"亩均投资622万元"``) is not interpreted
and gives the amount.

Texts with several figures, and ranks
-------------------------------------
:func:`extract_quantities` applies the same rules but returns every figure
found, in reading order and in long form, with its character offsets and a
``secondary`` flag: ``"131个计划新开工项目有112个实现开工"`` gives 131 and 112,
``"两批次共698个"`` gives 2 (两批, the rounds) and 698 (the projects). A
Chinese numeral with a count word is a count wherever it stands, here as in
:func:`parse_quantity`.

Ranks (``"全省第1位"``, ``"综合评价全省排名第9位"``) are ordinals, so neither
function reads them as quantities; :func:`parse_rank` reads them.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import csv
import decimal
import functools
import gc
import math
import re
import unicodedata
from importlib import resources
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ParseError",
    "QUANTITY_COLUMNS",
    "OCR_REPAIRS",
    "PeriodSpan",
    "unit_table",
    "parse_quantity",
    "extract_quantities",
    "convert_currency",
    "currency_table",
    "QUALIFIERS",
    "YEAR_RANGE",
    "parse_rank",
    "parse_round_label",
    "parse_round_labels",
    "resolve_date",
    "parse_period",
    "parse_periods",
    "repair_ocr",
    "format_cny",
]


class ParseError(ValueError):
    """A printed figure, date or label could not be read.

    Attributes
    ----------
    failures : pandas.DataFrame
        One row per unreadable input, indexed by the input's index label, with
        columns ``text`` (the value as given) and ``reason``.
    """

    def __init__(self, message: str, failures: pd.DataFrame | None = None):
        super().__init__(message)
        if failures is None:
            failures = pd.DataFrame({"text": pd.Series([], dtype="str"), "reason": pd.Series([], dtype="str")})
        self.failures = failures


class _Unreadable(Exception):
    """Internal: one string could not be read; the message is the reason."""


QUANTITY_COLUMNS = ("value", "unit", "currency", "qualifier", "low", "high", "dimension", "parsed")
"""Columns returned by :func:`parse_quantity`, in order."""

QUALIFIERS = ("exact", "over", "at_least", "at_most", "under", "nearly", "approx", "range", "vague")
"""Every value of the ``qualifier`` column, in the order the module docstring explains them."""


# ---------------------------------------------------------------------------
# Package data: currencies and numeral characters
# ---------------------------------------------------------------------------


def _package_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV shipped in ``zonestudy/data`` (read from the installed package, not a clone)."""
    text = resources.files("zonestudy").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


_CURRENCY_ROWS = _package_csv("currencies.csv")
_CHARACTER_ROWS = _package_csv("numeral_characters.csv")


def currency_table() -> pd.DataFrame:
    """Every printed currency name, code and sign that :func:`parse_quantity` recognises.

    Read from the package data file ``zonestudy/data/currencies.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the printed form, with columns ``currency`` (ISO 4217 code),
        ``position`` (``prefix``: printed before the number, ``US$5``;
        ``suffix``: after it, ``5港元``; ``both``) and ``note``.

    Examples
    --------
    >>> t = currency_table()
    >>> t.loc[["港币", "新台币", "卢布", "元"], "currency"].tolist()
    ['HKD', 'TWD', 'RUB', 'CNY']
    """
    out = pd.DataFrame(_CURRENCY_ROWS).set_index("printed")
    return out.astype("str")


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


class _Unit(NamedTuple):
    canonical: str
    dimension: str
    exp10: int  # power of ten to the canonical unit
    mul: int = 1  # remaining exact factor mul/div (only 亩 needs one)
    div: int = 1


_COUNT_WORDS = "个 项 家 人 架 次 所 批 支 条 名 户 座 张 期 辆 台".split()
# Printed money units that name no currency of their own: after a currency word printed
# before the number (港币5元) they are that currency's unit; alone they are yuan.
_GENERIC_MONEY = ("元", "圆", "块", "块钱")

_UNITS: dict[str, _Unit] = {
    # money (every currency word of currencies.csv printed after the number is added below)
    "元": _Unit("CNY", "money", 0),
    "圆": _Unit("CNY", "money", 0),
    "块": _Unit("CNY", "money", 0),
    "块钱": _Unit("CNY", "money", 0),
    "yuan": _Unit("CNY", "money", 0),
    # area
    "平方米": _Unit("m2", "area", 0),
    "平米": _Unit("m2", "area", 0),
    "m2": _Unit("m2", "area", 0),
    "平方公里": _Unit("m2", "area", 6),
    "平方千米": _Unit("m2", "area", 6),
    "km2": _Unit("m2", "area", 6),
    "公顷": _Unit("m2", "area", 4),
    "亩": _Unit("m2", "area", 4, 1, 15),
    # length
    "米": _Unit("m", "length", 0),
    "公里": _Unit("m", "length", 3),
    "千米": _Unit("m", "length", 3),
    "km": _Unit("m", "length", 3),
    # mass
    "吨": _Unit("t", "mass", 0),
    # power
    "千瓦": _Unit("MW", "power", -3),
    "kW": _Unit("MW", "power", -3),
    "兆瓦": _Unit("MW", "power", 0),
    "MW": _Unit("MW", "power", 0),
    "GW": _Unit("MW", "power", 3),
    # energy
    "千瓦时": _Unit("MWh", "energy", -3),
    "度": _Unit("MWh", "energy", -3),
    "kWh": _Unit("MWh", "energy", -3),
    "兆瓦时": _Unit("MWh", "energy", 0),
    "MWh": _Unit("MWh", "energy", 0),
    "GWh": _Unit("MWh", "energy", 3),
    # ratio
    "%": _Unit("ratio", "ratio", -2),
    "‰": _Unit("ratio", "ratio", -3),
    "成": _Unit("ratio", "ratio", -1),
    "个百分点": _Unit("ratio", "ratio", -2),
    "percent": _Unit("ratio", "ratio", -2),
    "per cent": _Unit("ratio", "ratio", -2),
    # temperature (NFKC turns ℃ into °C)
    "°C": _Unit("degC", "temperature", 0),
}
for _row in _CURRENCY_ROWS:
    if _row["position"] in ("suffix", "both"):
        _UNITS.setdefault(_row["printed"], _Unit(_row["currency"], "money", 0))
_UNITS.update({w: _Unit("count", "count", 0) for w in _COUNT_WORDS})
_UNITS.update(
    {
        w: _Unit("count", "count", 0)
        for w in ("projects", "project", "companies", "company", "events", "event", "rounds", "round")
    }
)
# Currency words that may follow 元 (三万元欧元, 500万元人民币): they name its currency.
_CURRENCY_AFTER_YUAN = sorted(
    (r["printed"] for r in _CURRENCY_ROWS if r["position"] == "both"), key=len, reverse=True
)
# Currency words, codes and signs printed before the number (人民币3亿元, US$5, 港币两千九百六十元).
_CURRENCY_BEFORE = {r["printed"]: r["currency"] for r in _CURRENCY_ROWS if r["position"] in ("prefix", "both")}

# Time words: a number followed by one of these is a date or a duration.
_TIME_UNITS = ("年度", "年底", "年末", "年", "个月", "月份", "月底", "月末", "月", "日", "号", "季度", "周年", "天")

_ENGLISH_WORD_UNITS = {k for k in _UNITS if k.isascii() and k.isalpha() and k.islower()} | {"per cent"}


def unit_table() -> pd.DataFrame:
    """Every printed unit that :func:`parse_quantity` recognises.

    Multipliers (十 百 千 万 亿, thousand, million, billion, trillion) combine
    with these, so 万元, 亿千瓦时 and "billion yuan" are covered without rows of
    their own. Money units are in their own currency (``unit`` is the ISO 4217
    code): 港元 is HKD, never CNY.

    Returns
    -------
    pandas.DataFrame
        Indexed by the printed unit, with columns ``unit`` (canonical),
        ``dimension`` and ``factor`` (canonical units per printed unit).

    Examples
    --------
    >>> t = unit_table()
    >>> t.loc["亩", "unit"], float(t.loc["亩", "factor"])
    ('m2', 666.6666666666666)
    >>> t.loc["%", "factor"]
    np.float64(0.01)
    >>> t.loc["港元", ["unit", "dimension"]].tolist()
    ['HKD', 'money']
    """
    rows = {
        k: (u.canonical, u.dimension, _scale("1", u.exp10, u.mul, u.div)) for k, u in _UNITS.items()
    }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["unit", "dimension", "factor"])
    out.index.name = "printed"
    return out.astype({"unit": "str", "dimension": "str", "factor": "float64"})


# ---------------------------------------------------------------------------
# Normalisation: one printed character at a time
# ---------------------------------------------------------------------------

# Traditional and capital (大写) forms read as the standard character (壹 -> 一, 萬 -> 万, 兩 -> 两).
_CHAR_TABLE = str.maketrans({r["printed"]: r["reads_as"] for r in _CHARACTER_ROWS})
# Control characters that are not white space: a figure containing one is corrupt.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# A superscript or subscript digit right after a digit: "10²" is not 102 (NFKC would make it so).
_SUPERSCRIPT_AFTER_DIGIT = re.compile(r"[0-9\uff10-\uff19][\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089]")
_VULGAR = re.compile(r"([0-9\uff10-\uff19]?)([\u00bc-\u00be\u2150-\u215e\u2189])")
_UNICODE_DIGIT = re.compile(r"(?!(?a:\d))\d")
_SPACE = re.compile(r"\s+")


@contextlib.contextmanager
def _no_gc():
    """Pause the cyclic garbage collector: parsing makes millions of short-lived tuples and
    strings, none in reference cycles, and each collection would rescan every live object
    (time growing with the square of the input)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@functools.cache
def _format_chars() -> dict[int, None]:
    """Every format character (Unicode category Cf: U+200B, U+FEFF, U+2060, U+00AD, …), to delete."""
    # Every Cf character lies below U+20000 or in the tag block U+E0000-U+E0FFF.
    planes = (range(0x80, 0x20000), range(0xE0000, 0xE1000))
    return {cp: None for r in planes for cp in r if unicodedata.category(chr(cp)) == "Cf"}


def _vulgar(m: re.Match) -> str:
    whole, frac = m.groups()
    q = unicodedata.numeric(frac)
    dec = repr(q)
    if float(dec) * 1000 != round(q * 1000):  # ⅓, ⅙ …: no exact decimal
        raise _Unreadable(f"fraction {frac!r} has no exact decimal value")
    return (whole or "0") + dec[dec.index("."):]


def _prepare(text: str) -> str:
    """Character-level normalisation before the grammar is applied; raise _Unreadable.

    Format characters are deleted, control characters refused, vulgar fractions
    written as decimals, then NFKC (full-width digits, ℃), then Unicode digits of
    any script as ASCII digits and traditional/capital numeral characters as the
    standard ones.
    """
    if _CONTROL.search(text):
        c = _CONTROL.search(text).group()
        raise _Unreadable(f"control character U+{ord(c):04X} in the text")
    if _SUPERSCRIPT_AFTER_DIGIT.search(text):
        raise _Unreadable(
            f"superscript or subscript digit after a number ({_SUPERSCRIPT_AFTER_DIGIT.search(text).group()!r}):"
            " a power, a footnote mark or a unit?"
        )
    if not text.isascii():
        text = text.translate(_format_chars())
        if _VULGAR.search(text):
            text = _VULGAR.sub(_vulgar, text)
        text = unicodedata.normalize("NFKC", text)
        if "\u2044" in text:
            raise _Unreadable("fraction slash (⁄) in a number")
        if _UNICODE_DIGIT.search(text):
            text = _UNICODE_DIGIT.sub(lambda d: str(unicodedata.digit(d.group())), text)
        text = text.translate(_CHAR_TABLE)
    return text


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", _prepare(text)).strip()


# ---------------------------------------------------------------------------
# Chinese numerals: a strict reader
# ---------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九两"
_CN_POWERS = "十百千万亿"
_CN_CHARS = _CN_DIGITS + _CN_POWERS
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2} | {str(i): i for i in range(10)}
_SMALL_POWER = {"十": 1, "百": 2, "千": 3}
_MULT_EXP = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
_MAX_EXP = 308  # beyond this a float overflows


def _section(s: str, text: str, *, leading: bool) -> int:
    """Value of a section below 10⁴ (一千零五十, 3千5百, 十二, 一百五); raise _Unreadable.

    Powers 千 百 十 must fall strictly; 零 marks a skipped place; a last digit
    after a power without 零 is one place lower (一百五 = 150, colloquial).
    A power may lack its digit only at the start of the whole numeral (十二, 百万).
    """
    if s.isdigit() and s.isascii():  # 12万: Arabic digits before 万/亿
        return int(s)
    total, last, zero, i, n = 0, 4, False, 0, len(s)
    while i < n:
        c = s[i]
        if c == "零":
            if zero or i == 0 and not leading:
                raise _Unreadable(f"malformed Chinese numeral {text!r} (misplaced 零)")
            zero, i = True, i + 1
            continue
        if c in _DIGIT_VALUE:
            d, i = _DIGIT_VALUE[c], i + 1
            if i < n and s[i] in _SMALL_POWER:
                p = _SMALL_POWER[s[i]]
                if p >= last:
                    raise _Unreadable(f"malformed Chinese numeral {text!r} ({s[i]} after a power not above it)")
                total, last, zero, i = total + d * 10**p, p, False, i + 1
                continue
            if i != n:
                raise _Unreadable(f"malformed Chinese numeral {text!r} (two digits in a row)")
            place = 0 if (zero or last == 4) else last - 1
            return total + d * 10**place
        if c in _SMALL_POWER:
            if i != 0 or not leading:
                raise _Unreadable(f"malformed Chinese numeral {text!r} ({c} without its digit)")
            total, last, i = total + 10 ** _SMALL_POWER[c], _SMALL_POWER[c], i + 1
            continue
        raise _Unreadable(f"malformed Chinese numeral {text!r} (unexpected {c!r})")
    if zero:
        raise _Unreadable(f"malformed Chinese numeral {text!r} (ends in 零)")
    return total


def _below(s: str, big: int, text: str) -> int:
    """Value of the part after 万 (big=4) or 亿 (big=8); below 10**big."""
    if not s:
        return 0
    zero = s[0] == "零"
    if zero:
        s = s[1:]
        if not s:
            raise _Unreadable(f"malformed Chinese numeral {text!r} (ends in 零)")
        if s[0] == "零":
            raise _Unreadable(f"malformed Chinese numeral {text!r} (零零)")
    elif len(s) == 1 and s in _DIGIT_VALUE:
        return _DIGIT_VALUE[s] * 10 ** (big - 1)  # 三万五 = 35000, 一亿五 = 1.5亿
    if big == 8 and "万" in s:
        hi, _, lo = s.rpartition("万")
        v = _section(hi, text, leading=False) * 10**4 + _below(lo, 4, text)
    elif big == 8 and not zero:
        # 一亿五千: 1亿5千万 in speech, 100005000 as written; refuse rather than guess
        raise _Unreadable(f"ambiguous Chinese numeral {text!r} (a section after 亿 without 万 or 零)")
    else:
        v = _section(s, text, leading=False)
    if v >= 10**big:
        raise _Unreadable(f"malformed Chinese numeral {text!r} (part after {'万' if big == 4 else '亿'} too large)")
    return v


def _cn_int(s: str, text: str, leading: bool = True) -> int:
    """Integer value of a Chinese (or mixed 一千2百) numeral without a decimal point."""
    if not s:
        raise _Unreadable(f"malformed Chinese numeral {text!r} (a power without a number)")
    if all(c in _DIGIT_VALUE for c in s):
        if len(s) == 1:
            return _DIGIT_VALUE[s]
        if "零" in s and all(not c.isascii() for c in s):  # 二〇二四: digit by digit
            return int("".join(str(_DIGIT_VALUE[c]) for c in s))
        if s.isascii():
            return int(s)
        raise _Unreadable(f"ambiguous Chinese numeral {text!r} (a digit string or 'N or N+1')")
    if "亿" in s:
        hi, _, lo = s.rpartition("亿")
        return _cn_int(hi, text, leading) * 10**8 + _below(lo, 8, text)
    if "万" in s:
        hi, _, lo = s.rpartition("万")
        return _section(hi, text, leading=leading) * 10**4 + _below(lo, 4, text) if hi else _raise_bare(text)
    return _section(s, text, leading=leading)


def _raise_bare(text):
    raise _Unreadable(f"malformed Chinese numeral {text!r} (万 without a number)")


@functools.lru_cache(maxsize=65536)
def _chinese_digits(text: str) -> str:
    """Chinese numeral (standard characters; Arabic digits may stand for digits) -> decimal string.

    >>> _chinese_digits("一千2百万"), _chinese_digits("零点零零零一"), _chinese_digits("两千零五十")
    ('12000000', '0.0001', '2050')
    """
    if "点" in text:
        whole, _, frac = text.partition("点")
        if not whole or not frac or any(c not in _DIGIT_VALUE for c in frac):
            raise _Unreadable(f"malformed Chinese numeral {text!r} (decimal point)")
        return f"{_cn_int(whole, text)}." + "".join(str(_DIGIT_VALUE[c]) for c in frac)
    return str(_cn_int(text, text))


@functools.lru_cache(maxsize=256)
def _mult_exp(mult: str) -> int:
    return sum(_MULT_EXP[c] for c in mult)


def _scale(digits: str, exp: int, mul: int = 1, div: int = 1) -> float:
    """``digits`` × 10**exp (× mul / div), correctly rounded; raise _Unreadable past a float's range.

    Shifting the decimal exponent in the text keeps 78.34亿 exactly 7834000000.0
    and 83% exactly 0.83 (no 0.8300000000000001).
    """
    v = float(f"{digits}e{exp}")
    if mul != 1 or div != 1:
        v = v * mul / div
    if not math.isfinite(v):
        raise _Unreadable(f"{digits}e{exp} is beyond the range of a float")
    if v == 0 and digits.strip("-0.") != "":
        raise _Unreadable(f"{digits}e{exp} is too small for a float")
    return v


# ---------------------------------------------------------------------------
# Regular expressions (compiled once)
# ---------------------------------------------------------------------------
#
# How they are kept linear in the length of the text: every pattern is a sequence
# of character classes and bounded alternations without nested unbounded
# repetition, so one attempt at a position costs O(length of what it reads); a
# class that can run on (labels, quoted names) excludes its own opening
# character (“[^“”]*”), so a failed attempt stops at the next opening quote
# instead of rescanning to the end; no pattern is searched on the text before or
# after a figure: prefixes (qualifier words, 第, currency words) are matched on a
# fixed window of _WINDOW characters before the figure, suffixes are matched in
# place with ``pattern.match(s, pos)``, and "is there any word after this" is
# one precomputed position per text.

_EN_MULT_EXP = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_EN_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})

# 千 before 瓦/米/克 belongs to the unit (千瓦, 千米), not to the number.
_NO_UNIT_PREFIX = "(?![瓦米克])"
_CN_CHAR = rf"(?:[{_CN_DIGITS}十百万亿]|千{_NO_UNIT_PREFIX})"
_DIG = r"[0-9零一二三四五六七八九两]"
_ARABIC = r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}(?:[, ][0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?)"
# A Chinese numeral; an Arabic digit may stand for a digit after a power (一千2百万).
_CHINESE = rf"(?![万亿])(?:{_CN_CHAR}|(?<=[十百千万亿])[0-9])+(?:点[{_CN_DIGITS}]+)?"
# Arabic digits, a power, then more digits: 1千2百万, 1万2千 (3千万 alone is a number and multipliers).
_MIXED = rf"(?<![0-9A-Za-z.])[0-9]+(?:[十百万亿]|千{_NO_UNIT_PREFIX})+(?=[0-9{_CN_DIGITS}])(?:{_CN_CHAR}|(?<=[十百千万亿])[0-9])+"
_FEW = r"[一二三四五六七八九]?十几"  # 十几 11-19, 二十几 21-29
_PAIR = r"[一二两三四五六七八九][二三四五六七八九]"  # 二三十 20-30, 八九亿 8-9亿
_SEVERAL = rf"数(?=[十百千万亿])|几(?=[十百千万亿]|[{''.join(_COUNT_WORDS)}])"  # 数十亿, 几十万, 几个
_SIGN = r"(?<![0-9A-Za-z.])[-‐‒–—−](?=[0-9])|负(?:增长(?:了|达|为)?)? ?"
_ENGLISH = r"(?i:\b(?:" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + r")\b)"
_MULT = rf"(?:[十百万亿]|千{_NO_UNIT_PREFIX})*"
_EN_MULT = r"(?: +(?i:thousand|million|billion|trillion)\b)?"
_WINDOW = 24  # characters before a figure in which its qualifier, 第 or currency word may stand


def _unit_alternation(units) -> str:
    """Alternation of printed units, longest first, with the guards each needs.

    The literal units are written as a trie (``美(?:元|金)|港(?:元|币)|…``): the
    regex engine tries alternatives one by one, so a flat list of 150 units would
    cost 150 comparisons at every position where no unit stands.
    """
    english, trie = [], {}
    for u in sorted(units, key=len, reverse=True):
        guard = ""
        if u in _ENGLISH_WORD_UNITS:
            # "16,800 major projects": one adjective may sit between number and noun.
            english.append(r"(?i:(?:[a-z]+ )?" + re.escape(u) + r")(?![A-Za-z])")
            continue
        if u.isascii() and u[-1].isalpha():
            guard = "(?![A-Za-z])"
        elif u == "块":  # money only in 十块三毛; 3块地 is three plots
            guard = "(?=[0-9一二两三四五六七八九][毛角])"
        node = trie
        for ch in u:
            node = node.setdefault(ch, {})
        node[""] = guard

    def emit(node: dict) -> str:
        parts = [re.escape(ch) + emit(child) for ch, child in node.items() if ch != ""]
        if "" in node:  # a unit ends here: tried after the longer ones
            parts.append(node[""])
        if len(parts) == 1:
            return parts[0]
        return "(?:" + "|".join(parts) + ")"

    return "(?:" + "|".join(english + [emit(trie)]) + ")"


_UNIT_ALT = _unit_alternation(list(_UNITS) + list(_TIME_UNITS))
_RANGE_SEP = r"(?:-|~|〜|至|到|—|–|‐|‒|−)"
_CUR_AFTER_ALT = "|".join(re.escape(w) for w in _CURRENCY_AFTER_YUAN)

_TOKEN = re.compile(
    # 百分之八十三 / 千分之二
    rf"(?P<pct>百分之|千分之)(?P<pnum>{_ARABIC}|{_CHINESE})"
    "|"
    # sign, number, multipliers, optional second end of a range, 余/多, unit, 角/分, currency
    rf"(?P<neg>{_SIGN})?"
    rf"(?:(?P<vp>{_PAIR})|(?P<f1>{_FEW})|(?P<sev>{_SEVERAL})|(?P<x1>{_MIXED})|(?P<a1>{_ARABIC})"
    rf"|(?P<c1>{_CHINESE})(?P<ge>个(?=[万亿]))?|(?P<e1>{_ENGLISH}))"  # 两个亿: colloquial 2亿
    rf"(?P<m1>{_MULT})(?P<em1>{_EN_MULT})"
    rf"(?: *(?P<u1>{_UNIT_ALT})? *{_RANGE_SEP} *"
    rf"(?:(?P<x2>{_MIXED})|(?P<a2>{_ARABIC})|(?P<c2>{_CHINESE}))(?P<m2>{_MULT})(?P<em2>{_EN_MULT}))?"
    rf" *(?P<yu>余|多)?(?P<mult2>[万亿]*) *(?P<unit>{_UNIT_ALT})?"
    rf"(?:(?<=[元圆块钱])(?:(?P<jiao>{_DIG})[角毛])?(?:零?(?P<fen>{_DIG})分)?(?P<zheng>整)?"
    rf"(?P<cur2>{_CUR_AFTER_ALT})?)?"
)

_QUAL_PREFIX_WORDS = [
    ("不超过", "at_most"), ("不高于", "at_most"), ("不多于", "at_most"),
    ("不低于", "at_least"), ("不少于", "at_least"), ("至少", "at_least"),
    ("不到", "under"), ("不足", "under"), ("不满", "under"), ("低于", "under"), ("少于", "under"),
    ("小于", "under"),
    ("超过", "over"), ("多于", "over"), ("高于", "over"), ("大于", "over"), ("超", "over"), ("逾", "over"),
    ("将近", "nearly"), ("接近", "nearly"), ("近", "nearly"),
    ("大约", "approx"), ("约", "approx"),
]
_QUAL_PREFIX_EN = [
    ("no more than", "at_most"), ("not more than", "at_most"), ("up to", "at_most"),
    ("not less than", "at_least"), ("at least", "at_least"),
    ("less than", "under"), ("fewer than", "under"), ("under", "under"),
    ("more than", "over"), ("over", "over"),
    ("nearly", "nearly"), ("almost", "nearly"),
    ("approximately", "approx"), ("about", "approx"), ("around", "approx"), ("roughly", "approx"),
]
_QUAL_PREFIX_MAP = dict(_QUAL_PREFIX_WORDS) | dict(_QUAL_PREFIX_EN)


def _prefix_alt() -> str:
    cn = []
    for w, _ in _QUAL_PREFIX_WORDS:
        if w == "近":  # 附近, 最近, 临近 … are words, not "nearly"
            cn.append("(?<![附最邻靠临就亲贴远新浅])近")
        elif w == "约":  # 签约, 履约, 节约 … are words, not "about"
            cn.append("(?<![签履预合制节公条契邀违特集简相赴如守解续毁立缔践婚誓纽隐])约")
        else:
            cn.append(re.escape(w))
    en = [r"\b" + re.escape(w) for w, _ in _QUAL_PREFIX_EN]
    return "(?P<q>" + "|".join(cn) + "|(?i:" + "|".join(en) + "))"


# A short verb may sit between the qualifier and the number: 约占30%, 超达…
_QUAL_PRE = re.compile(_prefix_alt() + r"(?:占|达到|达|为|合|共|计)? *$")
_QUAL_ONLY = re.compile(r" *(?:" + _prefix_alt() + r")? *")
# 以上/以下 may carry (含) or (不含): "including" or "excluding" the number itself.
_QUAL_POST = re.compile(
    r" *(?:\((?P<inc1>不?含)\) *)?"
    r"(?P<q>以上|以下|以内|左右|(?i:or more|or above|and above|or less|or below|and below)\b)"
    r"(?: *\((?P<inc2>不?含)(?:本数)?\))?"
)
_QUAL_POST_MAP = {
    "以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "approx",
    "or more": "at_least", "or above": "at_least", "and above": "at_least",
    "or less": "at_most", "or below": "at_most", "and below": "at_most",
}
_EXCLUSIVE = {"at_least": "over", "at_most": "under"}  # 以上(不含): more than
_ORDINAL_PRE = re.compile(r"(?:第|(?<![目之以提当此日年月事])前) *$")
_WORDY = re.compile(r"\w")


def _currency_before_alt() -> str:
    parts = []
    for w in sorted(_CURRENCY_BEFORE, key=len, reverse=True):
        pat = re.escape(w)
        if w[0].isascii() and w[0].isalpha():
            pat = r"(?<![A-Za-z])" + pat
        parts.append(pat)
    return "(?P<cur>" + "|".join(parts) + ")"


_CURRENCY_PRE = re.compile(_currency_before_alt() + r" *$")

# The prefix patterns end with " *$": searched on the window before a figure they try
# every position of it. A figure is preceded by one of their words only if the last
# non-space character before it can end one, so that character is checked first.
_CURRENCY_LAST = {w[-1] for w in _CURRENCY_BEFORE}
_QUAL_LAST = {w[-1] for w, _ in _QUAL_PREFIX_WORDS} | set("占到达为合共计") | {
    c for w, _ in _QUAL_PREFIX_EN for c in (w[-1].lower(), w[-1].upper())}


def _last_char(pre: str) -> str:
    return pre.rstrip(" ")[-1:]


def _currency_pre(pre: str) -> re.Match | None:
    return _CURRENCY_PRE.search(pre) if _last_char(pre) in _CURRENCY_LAST else None


def _qual_pre(pre: str) -> re.Match | None:
    return _QUAL_PRE.search(pre) if _last_char(pre) in _QUAL_LAST else None
_CJK = re.compile(r"[\u4e00-\u9fff]")
# After 30亿 with no unit these may follow without being a unit (30亿的项目, 30亿和5亿).
_AFTER_SCALE_OK = set("以左的和与及或等是为了")
_DOTTED = re.compile(r"\.[0-9]")

# Names and fixed words whose numerals are not quantities. Each bracket class excludes
# its opening character, so an unclosed “ costs one scan to the next “, not to the end.
_QUOTED = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^「」]*」|『[^『』]*』|《[^《》]*》|\"[^\"]*\"")
_FIXED_WORD_LIST = ["唯一", "统一", "一体化", "一体", "进一步", "三个一批", "一带一路", "一些", "一起",
    "一流", "一般", "一致", "同一", "一线", "一次性", "一系列", "一站式", "一揽子", "一大批",
    "一把手", "一定", "一直", "一是", "二是", "三是", "四是", "五是"]
_FIXED_WORDS = re.compile("|".join(re.escape(w) for w in sorted(_FIXED_WORD_LIST, key=len, reverse=True)))
_ISO_DATE = re.compile(r"(?<![0-9])[0-9]{4}(?:[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[-/][0-9]{1,2})(?![0-9])")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_PLACEHOLDER = "\u25a1"  # □ stands in for a masked name; it is not a numeral or unit



# ---------------------------------------------------------------------------
# Scalar helpers
# ---------------------------------------------------------------------------


def _digits(arabic: str | None, chinese: str | None, english: str | None) -> str:
    if arabic is not None:
        return arabic.replace(",", "").replace(" ", "")
    if chinese is not None:
        return _chinese_digits(chinese)
    return str(_EN_NUMBERS[english.lower()])


@functools.lru_cache(maxsize=8192)
def _qualifier_of(pre: str, yu: str | None, post: str) -> tuple[str | None, bool, str | None]:
    """Qualifier from the text around a number (``pre``: a window before it, ``post``: what follows).

    Returns (qualifier or None, is_threshold, conflict message or None).
    """
    found = []
    cur = _currency_pre(pre)
    m = _qual_pre(pre[: cur.start()] if cur else pre)  # 约人民币3亿元, about USD 5 million
    if m:
        found.append(_QUAL_PREFIX_MAP.get(m.group("q"), None) or _QUAL_PREFIX_MAP[m.group("q").lower()])
    if yu:
        found.append("over")
    threshold = False
    m = _QUAL_POST.match(post)
    if m:
        q = _QUAL_POST_MAP[m.group("q").lower()]
        inc = {m.group("inc1"), m.group("inc2")} - {None}
        if inc and q not in _EXCLUSIVE:
            return None, False, f"(含)/(不含) with {m.group('q')!r}"
        if len(inc) > 1:
            return None, False, "both (含) and (不含)"
        if inc == {"不含"}:
            q = _EXCLUSIVE[q]
        found.append(q)
        # "5000万元以上项目718个": 以上 followed by a noun describes a class of items.
        threshold = q in ("at_least", "at_most", "over", "under") and bool(_WORDY.search(post, m.end()))
    kinds = set(found)
    if len(kinds) > 1:
        return None, threshold, "conflicting qualifiers " + "/".join(sorted(kinds))
    return (found[0] if found else None), threshold, None


def _bounds(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier in ("over", "at_least"):
        return value, np.nan
    if qualifier in ("at_most", "under"):
        return np.nan, value
    return value, value


class _Candidate(NamedTuple):
    row: tuple  # (value, unit, qualifier, low, high, dimension)
    secondary: bool
    problem: str | None
    text: str
    # For a single number read as value = sign · digits × 10**exp × mul / div:
    # ((start, end) of the number, sign, exp, mul, div); None for ranges, vague amounts, 元角分.
    scale: tuple | None = None


class _Context(NamedTuple):
    """Per-text facts computed once, so each figure costs O(its own length)."""

    s: str
    bracket_starts: list[int]
    bracket_ends: list[int]


def _context(s: str) -> _Context:
    spans = [m.span() for m in _BRACKETS.finditer(s)]
    return _Context(s, [a for a, _ in spans], [b for _, b in spans])


def _inside(pos: int, ctx: _Context) -> bool:
    k = bisect.bisect_right(ctx.bracket_starts, pos) - 1
    return k >= 0 and pos < ctx.bracket_ends[k]


def _blank(m: re.Match) -> str:
    return _PLACEHOLDER * len(m.group())


def _mask(s: str) -> str:
    # Each masked character becomes one placeholder, so positions in the masked
    # text are positions in the normalised text (extract_quantities reports them).
    s = _QUOTED.sub(_blank, s)
    s = _FIXED_WORDS.sub(_blank, s)
    return _ISO_DATE.sub(_blank, s)


def _split_chain(run: str, first_simple: bool) -> tuple[str, str]:
    """(core, multiplier chain) of a Chinese numeral that ends a range: 一百五十万 -> (一百五十, 万).

    After a first end that is one digit (三至五千万, 三到五百万), every power after the
    second end's digit is shared when it begins with 百 or 千: (五, 千万).
    """
    if (first_simple and len(run) > 2 and run[0] in _DIGIT_VALUE and run[1] in "百千"
            and all(c in _CN_POWERS for c in run[1:])):
        return run[0], run[1:]
    k = len(run)
    while k > 1 and run[k - 1] in "万亿":
        k -= 1
    return run[:k], run[k:]


def _money(unit_text, unit, cur_before, cur_after) -> tuple[_Unit | None, str | None]:
    """The money unit after currency words before and after the number; (unit, problem)."""
    codes = []
    if cur_before:
        codes.append(_CURRENCY_BEFORE[cur_before])
    if cur_after:
        codes.append(_UNITS[cur_after].canonical)
    if unit is not None and unit.dimension == "money" and unit_text not in _GENERIC_MONEY:
        codes.append(unit.canonical)
    if not codes:
        return unit, None
    if len(set(codes)) > 1:
        return None, "conflicting currencies " + "/".join(dict.fromkeys(codes))
    if unit is not None and unit.dimension != "money":
        return unit, f"currency word {cur_before!r} before a {unit.dimension} figure"
    return _Unit(codes[0], "money", 0), None


def _candidate(m: re.Match, ctx: _Context) -> _Candidate | None:
    """Interpret one token match; None if it is a date, ordinal, name or code."""
    s = ctx.s
    g = m.groupdict()
    start, end = m.span()
    pre = s[max(0, start - _WINDOW):start]
    post = s[end:end + _WINDOW]
    if _last_char(pre) in ("第", "前") and _ORDINAL_PRE.search(pre):
        return None
    if g["pct"]:
        p = g["pnum"]
        digits = _digits(p, None, None) if p[0].isdigit() else _digits(None, p, None)
        exp = -2 if g["pct"] == "百分之" else -3
        value = _scale(digits, exp)
        q, thr, problem = _qualifier_of(pre, None, post)
        q = q or "exact"
        low, high = _bounds(value, q)
        return _Candidate((value, "ratio", q, low, high, "ratio"), thr, problem, m.group(),
                          (m.span("pnum"), "", exp, 1, 1))

    unit_text = g["unit"]
    if unit_text in _TIME_UNITS or g["u1"] in _TIME_UNITS:
        return None
    if unit_text is not None and unit_text not in _UNITS:  # english unit with an adjective
        unit_text = unit_text.lower().split(" ")[-1]
    arabic = g["a1"] is not None or g["x1"] is not None
    has_scale = bool(g["m1"] or g["em1"] or g["mult2"] or g["m2"] or g["em2"] or g["ge"])
    if arabic and unit_text is None and not has_scale and re.match(r"[A-Za-z]", post):
        return None  # a code such as 5G
    unit = _UNITS.get(unit_text) if unit_text else None
    cur = _currency_pre(pre)
    unit, problem = _money(unit_text, unit, cur.group("cur") if cur else None, g["cur2"])
    bare = unit is None
    whole = end >= len(s) and start <= 3 * _WINDOW and bool(
        _QUAL_ONLY.fullmatch(_CURRENCY_PRE.sub("", s[:start])))
    if bare and not arabic and g["a2"] is None and g["x2"] is None and not whole:
        return None  # 十大, 四大, 几乎: a Chinese or English numeral inside words
    exp_u = unit.exp10 if unit else 0
    mul, div = (unit.mul, unit.div) if unit else (1, 1)
    canon, dim = (unit.canonical, unit.dimension) if unit else (None, None)
    sign = "-" if g["neg"] else ""

    def exp_of(mult: str, en: str) -> int:
        return _mult_exp(mult) + (_EN_MULT_EXP[en.strip().lower()] if en else 0)

    q, threshold, qproblem = _qualifier_of(pre, g["yu"], post)
    problem = problem or qproblem
    if bare and _CJK.match(s, end) and not (
            has_scale and (s[end] in _AFTER_SCALE_OK or _QUAL_POST.match(s, end))):
        # "3倍", "5万辆" before 辆 was a unit, "2050益": a character we do not know as a unit.
        # Reading the bare number would drop it silently, so the figure is unreadable if chosen.
        problem = problem or f"unknown unit {s[end]!r} after {m.group().strip()!r}"
    if _DOTTED.match(s, end):
        problem = problem or f"malformed number {m.group() + s[end:end + 2]!r}…"
    if not bare and s.startswith("/", end):
        problem = problem or f"a rate ({unit_text}/…) is not a single quantity"
    secondary = threshold or _inside(start, ctx)
    if bare and g["a1"] is not None and not has_scale and re.fullmatch(r"(19|20)\d\d", g["a1"]):
        secondary = True  # a bare 2023 is more likely a year than a count
    tail_exp = _mult_exp(g["mult2"]) + exp_u

    if g["jiao"] or g["fen"]:
        if unit_text not in _GENERIC_MONEY or has_scale or g["a2"] or g["c2"] or g["x2"] or not (
                g["a1"] or g["c1"]):
            problem = problem or "角/分 after an amount that is not a plain number of 元"
    if g["vp"] or g["f1"] or g["sev"]:
        e = exp_of(g["m1"], g["em1"]) + tail_exp
        if g["vp"]:
            d1, d2 = _DIGIT_VALUE[g["vp"][0]], _DIGIT_VALUE[g["vp"][1]]
            if not (g["m1"] or unit is not None):
                return None  # 一二 inside words
            if d2 != d1 + 1:
                problem = problem or f"ambiguous Chinese numeral {g['vp']!r} (a digit string or 'N or N+1')"
            lo_d, hi_d = str(d1), str(d2)
        elif g["f1"]:  # 十几 / 二十几: a range over the unit digit
            tens = 1 if g["f1"][0] == "十" else _DIGIT_VALUE[g["f1"][0]]
            lo_d, hi_d = str(tens * 10 + 1), str(tens * 10 + 9)
        else:  # 数十亿, 几十万, 几个: at least two of the place, fewer than ten
            lo_d, hi_d = "2", "10"
        if g["a2"] or g["c2"] or g["x2"] or g["yu"]:
            problem = problem or f"a vague amount {m.group()!r} with a range or 余/多"
        if q not in (None, "approx"):
            problem = problem or f"qualifier {q!r} on a vague amount"
        if problem:
            return _Candidate(_MISSING_ROW, secondary, problem, m.group())
        low, high = _scale(sign + lo_d, e, mul, div), _scale(sign + hi_d, e, mul, div)
        if sign:
            low, high = high, low
        row = (np.nan, canon, "vague", low, high, dim)
        return _Candidate(row, secondary, problem, m.group())

    if problem:
        return _Candidate(_MISSING_ROW, secondary, problem, m.group())
    d1 = _digits(g["a1"], g["c1"] if g["c1"] is not None else g["x1"], g["e1"])
    if g["a2"] is not None or g["c2"] is not None or g["x2"] is not None:
        first_own = bool(g["m1"] or g["em1"] or g["ge"]) or bool(
            (g["c1"] or g["x1"] or "") and any(c in "万亿" for c in (g["c1"] or g["x1"])))
        if g["a2"] is not None:
            d2, chain = _digits(g["a2"], None, None), ""
        else:
            run = g["c2"] if g["c2"] is not None else g["x2"]
            first_simple = (g["a1"] is not None and not first_own) or (
                g["c1"] is not None and len(g["c1"]) == 1)
            core, chain = _split_chain(run, first_simple and "点" not in run)
            d2 = _chinese_digits(core)
        e2 = _mult_exp(chain) + exp_of(g["m2"], g["em2"]) + tail_exp
        own = exp_of(g["m1"], g["em1"]) + tail_exp
        if g["u1"]:
            u1 = _UNITS.get(g["u1"]) or _UNITS.get(g["u1"].lower().split(" ")[-1])
            if unit is None or u1.canonical != unit.canonical:
                return _Candidate(_MISSING_ROW, secondary, "range ends have different units", m.group())
            e1 = exp_of(g["m1"], g["em1"]) + u1.exp10
        elif first_own:
            e1 = own
        else:
            e1 = e2  # 3至5亿元, 一百二十到一百五十万元: the first end shares the second's multiplier
        low = _scale(sign + d1, e1, mul, div)
        high = _scale(d2, e2, mul, div)
        if low > high:
            problem = problem or "range runs backwards"
        if q not in (None, "approx"):
            problem = problem or f"qualifier {q!r} on a range"
        if problem:
            return _Candidate(_MISSING_ROW, secondary, problem, m.group())
        value = (low + high) / 2
        return _Candidate((value, canon, "range", low, high, dim), secondary, problem, m.group())

    e = exp_of(g["m1"], g["em1"]) + tail_exp
    scale = None
    if g["jiao"] or g["fen"]:
        amount = decimal.Decimal(d1) + decimal.Decimal(_DIGIT_VALUE[g["jiao"]] if g["jiao"] else 0) / 10 + (
            decimal.Decimal(_DIGIT_VALUE[g["fen"]] if g["fen"] else 0) / 100)
        d1 = str(amount)
    else:
        number = next(k for k in ("a1", "c1", "x1", "e1") if g[k] is not None)
        scale = (m.span(number), sign, e, mul, div)
    value = _scale(sign + d1, e, mul, div)
    q = q or "exact"
    low, high = _bounds(value, q)
    row = (value, canon, q, low, high, dim)
    return _Candidate(row, secondary, problem, m.group(), scale)


_MISSING_ROW = (np.nan, None, None, np.nan, np.nan, None)


def _parse_text(text: str) -> tuple:
    """Parse one printed figure; raise _Unreadable with the reason."""
    c, _n = _choose(text)
    if c.problem:
        raise _Unreadable(c.problem)
    return c.row


def _choose(text: str) -> tuple[_Candidate, int]:
    """The figure a printed text stands for, and how many candidate figures it had; raise _Unreadable."""
    s = _mask(_normalise(text))
    if not s:
        raise _Unreadable("empty text")
    if dotted := re.search(r"[0-9]+\.[0-9]+\.[0-9]", s):
        raise _Unreadable(f"malformed number {dotted.group()!r}…")
    ctx = _context(s)
    cands = []
    for m in _TOKEN.finditer(s):
        if m.group():
            c = _candidate(m, ctx)
            if c is not None:
                cands.append(c)
    primary = [c for c in cands if not c.secondary]
    chosen = primary if primary else cands
    if not chosen:
        raise _Unreadable("no quantity found")
    if len(chosen) > 1:
        shown = ", ".join(repr(c.text) for c in chosen[:5]) + (", …" if len(chosen) > 5 else "")
        raise _Unreadable(f"{len(chosen)} quantities found ({shown})")
    return chosen[0], len(cands)


# Exceptions a bug in reading one text may raise; caught so that a string input never
# escapes with anything but ParseError (the reason names what went wrong).
_INTERNAL = (ValueError, ArithmeticError, KeyError, IndexError, TypeError, RecursionError, decimal.DecimalException)


def _parse_scalar(x) -> tuple[tuple, bool, str | None]:
    """(row, parsed, reason) for any scalar; used by parse_quantity and the benchmark."""
    if isinstance(x, str):
        try:
            return _parse_text(x), True, None
        except _Unreadable as exc:
            return _MISSING_ROW, False, str(exc)
        except _INTERNAL as exc:  # pragma: no cover - a reader bug, reported rather than raised
            return _MISSING_ROW, False, f"cannot be read ({type(exc).__name__}: {exc})"
    if x is None or (pd.api.types.is_scalar(x) and pd.isna(x)):
        return _MISSING_ROW, False, None
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_)):
        v = float(x)
        if not math.isfinite(v):
            return _MISSING_ROW, False, f"not a finite number ({x!r})"
        return (v, None, "exact", v, v, None), True, None
    return _MISSING_ROW, False, f"not text ({type(x).__name__})"


# ---------------------------------------------------------------------------
# parse_quantity
# ---------------------------------------------------------------------------


def _as_series(values, name: str = "values") -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, str) or values is None or np.ndim(values) == 0:
        return pd.Series([values], index=[0], dtype=object)
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} must be a str, a list or a Series, not a DataFrame")
    return pd.Series(list(values), dtype=object)


_FAST_UNIT_LIST = sorted({(u.canonical, u.dimension) for u in _UNITS.values()})
_FAST_UNIT_CODE = {cd: i for i, cd in enumerate(_FAST_UNIT_LIST)}


_FAST_CHUNK = 1 << 18  # distinct texts per pass: bounds the memory of the per-byte arrays
_QUAL_CODE = {q: i for i, q in enumerate(QUALIFIERS)}
_POW10 = 10.0 ** np.arange(23)
_EXACT_INT = 2**53  # integers below this are exact floats

# One run of Chinese numeral characters (万/亿 only inside or after it), no ASCII digit, no other numeral.
_RUN_CHARS = "零一二三四五六七八九两十百千"
_SPLIT_CHINESE = (
    rf"^(?P<pre>[^0-9{_RUN_CHARS}]*)(?P<run>[{_RUN_CHARS}][{_RUN_CHARS}万亿]*)"
    rf"(?P<post>(?:[^0-9{_RUN_CHARS}万亿][^0-9{_RUN_CHARS}]*)?)$"
)
_NONZERO_DIGITS = "[二三四五六七八九两]"  # replaced by 一 to give a numeral's shape


def _fixed_word_neighbours() -> tuple[frozenset, frozenset]:
    """Characters that stand after / before the one numeral of a fixed word (一是, 唯一).

    A Chinese-numeral template is read with every digit set to 一; a text whose own
    digit would form a fixed word the template does not (or the reverse) is left to
    the full parser.
    """
    after, before = set(), set()
    for w in _FIXED_WORD_LIST:
        pos = [i for i, c in enumerate(w) if c in _CN_CHARS]
        if len(pos) == 1:
            i = pos[0]
            if i + 1 < len(w):
                after.add(w[i + 1])
            if i > 0:
                before.add(w[i - 1])
    return frozenset(after), frozenset(before)


_FIXED_AFTER, _FIXED_BEFORE = _fixed_word_neighbours()


class _Template(NamedTuple):
    """How every text of one template reads: value = sign · number × 10**exp × mul / div."""

    qualifier: int  # index into QUALIFIERS
    unit: int  # index into _FAST_UNIT_LIST (its last slot: a bare number)
    negative: bool
    exp: int
    mul: int
    div: int


@functools.lru_cache(maxsize=1 << 16)
def _read_template(pre: str, probe: str, post: str) -> _Template | None:
    """Read ``pre + probe + post`` with the full parser; None unless the figure is the probe itself.

    The words around a number decide its unit, multipliers, qualifier, currency
    and whether it is a figure at all (ordinals, dates, names), so one reading
    of the template serves every number in the probe's place. It does not serve
    when the text is changed by normalisation, when the chosen figure is not
    exactly the probe (a range, a vague amount, 元角分, a numeral that runs into
    the words), or when a bare number competes with other candidates (a bare
    2023 counts as a year, a bare 1 does not).
    """
    text = pre + probe + post
    try:
        if _normalise(text) != text:
            return None
        c, n_candidates = _choose(text)
    except _Unreadable:
        return None
    if c.problem or c.scale is None:
        return None
    span, sign, exp, mul, div = c.scale
    if span != (len(pre), len(pre) + len(probe)):
        return None
    _value, unit, qualifier, _low, _high, dim = c.row
    if unit is None and n_candidates != 1:
        return None
    code = len(_FAST_UNIT_LIST) if unit is None else _FAST_UNIT_CODE.get((unit, dim))
    if code is None:
        return None
    return _Template(_QUAL_CODE[qualifier], code, sign == "-", exp, mul, div)


@functools.lru_cache(maxsize=4096)
def _numeral_places(shape: str) -> tuple[int, ...] | None:
    """Place value of each character of a Chinese numeral shape (digits written as 一); None if not linear.

    ``_numeral_places("一千一百零一")`` -> (1000, 0, 100, 0, 0, 1): the numeral's
    value is the sum of digit × place. Found by reading the shape with one digit
    raised to 二 at a time, and checked on all-二 and all-九 readings; a shape the
    strict reader refuses, or one it does not read positionally, gives None.
    """
    digit_pos = [i for i, ch in enumerate(shape) if ch == "一"]
    if not digit_pos:
        return None
    try:
        base = int(_chinese_digits(shape))
        places = [0] * len(shape)
        for i in digit_pos:
            places[i] = int(_chinese_digits(shape[:i] + "二" + shape[i + 1:])) - base
        total = sum(places)
        if total != base or any(places[i] <= 0 for i in digit_pos):
            return None
        for d, ch in ((2, "二"), (9, "九")):
            if int(_chinese_digits(shape.replace("一", ch))) != d * total:
                return None
    except _Unreadable:
        return None
    if 9 * total >= _EXACT_INT:
        return None
    return tuple(places)


_DIGIT_OF_CODEPOINT = np.zeros(0xA000, dtype=np.float64)
for _c, _d in _DIGIT_VALUE.items():
    if not _c.isascii():
        _DIGIT_OF_CODEPOINT[ord(_c)] = _d


def _string_buffers(arr) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, UTF-8 bytes) of an Arrow string array, without copying."""
    offsets_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _validity, off_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(off_buf, dtype=offsets_type)[arr.offset:arr.offset + len(arr) + 1].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return offsets, data


def _numeral_values(runs, places: np.ndarray, tcode: np.ndarray) -> np.ndarray:
    """Value of each Chinese numeral run: Σ digit × place over its characters (all 3-byte UTF-8)."""
    offsets, data = _string_buffers(runs)
    n = len(runs)
    nchar = (offsets[1:] - offsets[:-1]) // 3
    row = np.repeat(np.arange(n), nchar)
    first = offsets[:-1][row] + 3 * (np.arange(len(row)) - np.repeat(np.cumsum(nchar) - nchar, nchar))
    b0, b1, b2 = data[first].astype(np.int64), data[first + 1].astype(np.int64), data[first + 2].astype(np.int64)
    cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F)
    col = np.arange(len(row)) - np.repeat(np.cumsum(nchar) - nchar, nchar)
    return np.bincount(row, weights=_DIGIT_OF_CODEPOINT[cp] * places[tcode[row], col], minlength=n)


def _split(texts, pattern: str, number: list[str]):
    """Split texts on ``pattern``; return (rows that match, pre, post, number pieces) as Arrow arrays."""
    parts = pc.extract_regex(texts, pattern)
    hit = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(hit)
    if not len(rows):
        return rows, None, None, []
    parts = parts.filter(pa.array(hit))
    return rows, parts.field("pre"), parts.field("post"), [parts.field(k) for k in number]


def _codes(arr) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes and distinct values of an Arrow string array."""
    d = pc.dictionary_encode(arr)
    return d.indices.to_numpy(zero_copy_only=False).astype(np.int64), d.dictionary.to_pylist()


def _template_codes(*pieces) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Code of each row's template (the tuple of its pieces) and the distinct templates, in code order."""
    codes, values = zip(*(_codes(p) for p in pieces))
    combined = codes[0]
    for c, v in zip(codes[1:], values[1:]):
        combined = combined * len(v) + c
    tcode, keys = pd.factorize(combined)
    templates = []
    for key in keys.tolist():
        parts = []
        for v in reversed(values[1:]):
            key, r = divmod(key, len(v))
            parts.append(v[r])
        parts.append(values[0][key])
        templates.append(tuple(reversed(parts)))
    return tcode, templates


def _fast_rows(uniques, value: np.ndarray, qcode: np.ndarray, ucode: np.ndarray) -> np.ndarray:
    """Read the distinct texts with one number through their templates, into ``value``, ``qcode``, ``ucode``.

    Returns the mask of the texts read; the three arrays (one slot per distinct
    text) are written in place there: the value, the index into
    :data:`QUALIFIERS` and the index into the unit table.

    Texts with one Arabic number are found on their UTF-8 bytes in NumPy
    (:func:`_arabic_pieces`), the others with one Chinese numeral by one RE2
    pattern (Arrow's ``extract_regex``). Each text becomes a template -- the
    words before and after its number, and for a Chinese numeral the numeral's
    shape -- and each distinct template is read once by the full parser
    (:func:`_read_template`). The numbers are converted in array arithmetic
    (Arabic digits as Σ digit × 10**place, Chinese numerals as Σ digit × place
    from :func:`_numeral_places`), and the value is mantissa × 10**k (× mul /
    div), correctly rounded like the full parser's ``float(f"{digits}e{exp}")``
    because mantissa and 10**k are exact. Texts
    with any other shape are left to the full parser.
    """
    handled = np.zeros(len(uniques), dtype=bool)
    for lo in range(0, len(uniques), _FAST_CHUNK):
        pos, texts = _as_arrow_text(uniques[lo:lo + _FAST_CHUNK])
        if not len(pos):
            continue
        rows, v, q, u, no_digit = _fast_arabic(texts)
        pieces = [(pos[rows] + lo, v, q, u)]
        others = np.flatnonzero(no_digit)  # Chinese numerals are looked for only where no digit stands
        chinese = _fast_chinese(texts.take(pa.array(others))) if len(others) else None
        if chinese is not None:
            rows, v, q, u = chinese
            pieces.append((pos[others[rows]] + lo, v, q, u))
        for i, v, q, u in pieces:
            handled[i], value[i], qcode[i], ucode[i] = True, v, q, u
    return handled


def _as_arrow_text(values) -> tuple[np.ndarray, "pa.Array"]:
    """(positions of the str values, those values as one Arrow string array)."""
    arr = getattr(values, "array", None)
    if isinstance(arr, pd.arrays.ArrowStringArray):
        a = pa.array(arr)
        a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
        return np.arange(len(a)), a
    obj = np.asarray(values, dtype=object)
    pos = np.flatnonzero([type(x) is str for x in obj])
    texts = obj[pos].tolist()
    try:
        return pos, pa.array(texts, type=pa.large_string())
    except UnicodeEncodeError:  # lone surrogates ("\ud800"): left to the full parser, which names them
        keep = [i for i, x in enumerate(texts) if _encodes(x)]
        return pos[keep], pa.array([texts[i] for i in keep], type=pa.large_string())


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finish(rows, tcode, templates, mant, k_digits):
    """Rows whose template reads, and their (value, qualifier code, unit code)."""
    good = np.array([t is not None for t in templates], dtype=bool)[tcode]
    safe = [t or _Template(0, 0, False, 0, 1, 1) for t in templates]
    exp = np.array([t.exp for t in safe], dtype=np.int64)[tcode]
    k = exp - k_digits
    good &= np.abs(k) <= 22
    kk = np.abs(np.clip(k, -22, 22))
    value = np.where(k >= 0, mant * _POW10[kk], mant / _POW10[kk])
    neg = np.array([t.negative for t in safe], dtype=bool)[tcode]
    value = np.where(neg, -value, value)
    mul = np.array([t.mul for t in safe], dtype=np.float64)[tcode]
    div = np.array([t.div for t in safe], dtype=np.float64)[tcode]
    scaled = (mul != 1) | (div != 1)
    value = np.where(scaled, value * mul / div, value)
    q = np.array([t.qualifier for t in safe], dtype=np.int64)[tcode]
    u = np.array([t.unit for t in safe], dtype=np.int64)[tcode]
    sel = np.flatnonzero(good)
    return rows[sel], value[sel], q[sel], u[sel]


def _arabic_pieces(texts) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
    """Find the one Arabic number of each text on its UTF-8 bytes, without a Python loop.

    A number is a run of ASCII digits with at most one decimal point between
    digits; a text qualifies when it has exactly one such run, of at most 15
    digits, and no NUL byte (UTF-8 never uses ASCII bytes inside other
    characters, so the bytes can be read directly). Returns the qualifying
    rows, the code of each one's template (the text with its number replaced
    by NUL), the templates as (words before, words after), the integer
    mantissa of each number (exact: below 10**15), its digits after the point,
    and a mask of the texts without any ASCII digit.
    """
    offsets, data = _string_buffers(texts)
    data = data[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    n, size = len(texts), len(data)
    first = np.zeros(size + 1, dtype=bool)
    first[offsets[:-1]] = True  # the first byte of each text (and, past the end, a stop)
    digit = (data >= 48) & (data <= 57)
    # A point belongs to the number when digits stand on both sides of it within the text.
    prev_digit = np.concatenate(([False], digit[:-1])) & ~first[:-1]
    next_digit = np.concatenate((digit[1:], [False])) & ~first[1:]
    point = (data == 46) & prev_digit & next_digit
    num = digit | point
    start = num & ~(np.concatenate(([False], num[:-1])) & ~first[:-1])

    def per_text(mask):  # count of True bytes in each text, by one running sum
        running = np.zeros(size + 1, dtype=np.int32)
        np.cumsum(mask, dtype=np.int32, out=running[1:])
        return running, (running[offsets[1:]] - running[offsets[:-1]]).astype(np.int64)

    digits_before, ndig = per_text(digit)
    _, runs = per_text(start)
    point_at = np.flatnonzero(point)
    point_row = np.searchsorted(offsets, point_at, side="right") - 1
    points = np.bincount(point_row, minlength=n)
    ok = (runs == 1) & (points <= 1) & (ndig <= 15)
    if not data.all():  # a NUL byte would make the template ambiguous
        nul = np.flatnonzero(data == 0)
        ok[np.searchsorted(offsets, nul, side="right") - 1] = False
    # Place of each digit: how many digits follow it in its text.
    dig_row = np.repeat(np.arange(n), ndig)
    rank = np.arange(len(dig_row)) - (np.cumsum(ndig) - ndig)[dig_row]
    place = np.minimum(ndig[dig_row] - rank - 1, 22)
    mant = np.bincount(dig_row, weights=(data[digit] - 48) * _POW10[place], minlength=n)
    frac = np.zeros(n, dtype=np.int64)
    frac[point_row] = ndig[point_row] - (digits_before[point_at] - digits_before[offsets[point_row]])
    # The template: the number's first byte becomes NUL and the rest of it is dropped.
    keep = ~num | start
    tdata = np.where(start, 0, data)[keep].astype(np.uint8)
    toff = offsets - np.concatenate(([0], np.cumsum(ndig + points - runs)))  # bytes dropped before each text
    templates = pa.LargeStringArray.from_buffers(n, pa.py_buffer(toff), pa.py_buffer(tdata))
    rows = np.flatnonzero(ok)
    tcode, keys = _template_codes(templates.take(pa.array(rows)))
    pieces = [tuple(k.split("\x00")) for (k,) in keys]
    return rows, tcode, pieces, mant[rows], frac[rows], ndig == 0


def _fast_arabic(texts):
    """Texts with one Arabic number: (rows, values, qualifier codes, unit codes, texts without digits)."""
    rows, tcode, pieces, mant, frac, no_digit = _arabic_pieces(texts)
    templates = [_read_template(pre, "1", post) for pre, post in pieces]
    r, v, q, u = _finish(np.arange(len(rows)), tcode, templates, mant, frac)
    return rows[r], v, q, u, no_digit


def _fast_chinese(texts):
    rows, pre, post, numbers = _split(texts, _SPLIT_CHINESE, ["run"])
    if not len(rows):
        return None
    (run,) = numbers
    shape = pc.replace_substring_regex(run, _NONZERO_DIGITS, "一")
    tcode, keys = _template_codes(pre, post, shape)
    templates, places = [], []
    for p, q, sh in keys:
        pl = _numeral_places(sh)
        t = None
        if pl is not None and q[:1] not in _FIXED_AFTER and p[-1:] not in _FIXED_BEFORE:
            t = _read_template(p, sh, q)
        templates.append(t)
        places.append(pl if t is not None else (0,) * len(sh))
    if all(t is None for t in templates):
        return None
    width = max(len(pl) for pl in places)
    table = np.zeros((len(places), width))
    for i, pl in enumerate(places):
        table[i, :len(pl)] = pl
    mant = _numeral_values(run, table, tcode)
    r, v, q, u = _finish(np.arange(len(rows)), tcode, templates, mant, np.zeros(len(rows), dtype=np.int64))
    return rows[r], v, q, u


def parse_quantity(values, errors: str = "raise") -> pd.DataFrame:
    """Parse printed figures into value, canonical unit, qualifier and bounds.

    Parameters
    ----------
    values : str, list of str or pandas.Series
        Figures as printed, e.g. ``"总投资约11408亿元"``, ``"1700余个"``,
        ``"628.1 billion yuan"``. Full-width digits, spaces inside numbers,
        thousands separators (``1,133``, ``7 362.1``), Chinese numerals
        (``三十亿``, ``两千零五十``) and label words are accepted; see the module
        docstring for units, qualifiers and which number counts. Numbers
        (int/float) are taken as bare figures without a unit.
    errors : {"raise", "coerce"}, default "raise"
        ``"raise"``: raise :class:`ParseError` listing every unreadable value
        with its index label. ``"coerce"``: return those rows with
        ``parsed=False`` and everything else missing.

    Returns
    -------
    pandas.DataFrame
        Same index as ``values`` (a str gives index ``[0]``), columns

        - ``value`` (float): the figure in the canonical unit; CNY in yuan,
          USD in dollars, ratios as fractions (83% -> 0.83); a range's midpoint;
        - ``unit`` (str): for money the ISO 4217 code of the printed
          currency (``CNY``, ``USD``, ``HKD`` …), else ``m2``, ``m``, ``t``,
          ``MW``, ``MWh``, ``count``, ``ratio``, ``degC``, or missing for a
          bare number;
        - ``currency`` (str): the ISO 4217 code for money rows, missing
          otherwise; amounts are never converted (see :func:`convert_currency`);
        - ``qualifier`` (str): ``exact``, ``over``, ``at_least``, ``at_most``,
          ``under``, ``nearly``, ``approx``, ``range`` or ``vague`` (value
          missing, low/high bound the amount);
        - ``low``, ``high`` (float): bounds implied by the qualifier (NaN where
          open-ended);
        - ``dimension`` (str): ``money``, ``area``, ``length``, ``mass``,
          ``power``, ``energy``, ``count``, ``ratio``, ``temperature``;
        - ``parsed`` (bool): False for missing input and, with
          ``errors="coerce"``, for unreadable text.

        Missing input (None, NaN, ``pd.NA``) gives an all-missing row with
        ``parsed=False`` and never raises.

    Raises
    ------
    ParseError
        With ``errors="raise"``, if any non-missing value has no quantity,
        more than one, or a contradictory qualifier. The message lists each
        such value with its index label; ``err.failures`` holds them as a frame.
    ValueError
        If ``errors`` is not ``"raise"`` or ``"coerce"``.

    Notes
    -----
    Each distinct string is parsed once and the result mapped back, so long
    columns with repeated figures cost little. A distinct string with one
    number is read through its template: the words around the number decide
    unit, multipliers, qualifier and currency, so the full parser reads each
    distinct template once (with a probe number in place) and the numbers
    themselves are converted by array arithmetic to the same floats. Only the
    other strings (ranges, vague amounts, 元角分, several numbers) go through
    the full parser one by one. OCR repairs are *not* applied
    here: run :func:`repair_ocr` first and keep its notes.

    Examples
    --------
    >>> parse_quantity("总投资约11408亿元")[["value", "unit", "qualifier"]]
              value unit qualifier
    0  1.140800e+12  CNY    approx
    >>> df = parse_quantity(pd.Series(["1700余个", "占年计划的125.6%", "3至5亿元"], index=["a", "b", "c"]))
    >>> df[["value", "unit", "qualifier", "parsed"]]
              value   unit qualifier  parsed
    a  1.700000e+03  count      over    True
    b  1.256000e+00  ratio     exact    True
    c  4.000000e+08    CNY     range    True
    >>> df.loc["c", ["low", "high"]].tolist()
    [300000000.0, 500000000.0]
    >>> parse_quantity(["30亿元", "建信天然", None], errors="coerce")["parsed"].tolist()
    [True, False, False]
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    s = _as_series(values)
    with _no_gc():
        return _parse_quantity(s, errors)


def _parse_quantity(s: pd.Series, errors: str) -> pd.DataFrame:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    n_u = len(uniques)
    # Per distinct text: value, bounds, and codes into the unit and qualifier tables, so
    # the text columns are built from small tables. One more slot, left missing, stands
    # for missing input (code -1).
    units = _FAST_UNIT_LIST + [(None, None)]
    unit_code = {u: i for i, u in enumerate(units)}
    quals = list(QUALIFIERS) + [None]
    value = np.full(n_u + 1, np.nan)
    ucode = np.full(n_u + 1, len(units) - 1, dtype=np.int32)
    qcode = np.full(n_u + 1, len(quals) - 1, dtype=np.int32)
    reasons: dict[int, str] = {}

    ok = np.append(_fast_rows(uniques, value[:n_u], qcode[:n_u], ucode[:n_u]), False)
    # Bounds of the texts read so far: open on the side the qualifier leaves open.
    low = np.where(np.isin(qcode, [_QUAL_CODE["at_most"], _QUAL_CODE["under"]]), np.nan, value)
    high = np.where(np.isin(qcode, [_QUAL_CODE["over"], _QUAL_CODE["at_least"]]), np.nan, value)
    rest = np.flatnonzero(~ok[:n_u])
    for i, x in zip(rest.tolist(), uniques.take(rest).tolist()):
        row, parsed, reason = _parse_scalar(x)
        value[i], u, q, low[i], high[i], d = row
        if (u, d) not in unit_code:
            unit_code[(u, d)] = len(units)
            units.append((u, d))
        ucode[i], qcode[i] = unit_code[(u, d)], quals.index(q)
        ok[i] = parsed
        if reason is not None:
            reasons[i] = reason

    if reasons and errors == "raise":
        raise _quantity_error(s, codes, uniques, reasons, "could not be read as a single quantity")

    take = codes
    take[codes < 0] = n_u
    row_unit = ucode[take]
    unit_col = _take_str([u for u, _d in units], row_unit)
    money = np.array([d == "money" for _u, d in units])[row_unit]
    out = pd.DataFrame(
        {
            "value": value[take],
            "unit": _str_array(unit_col),
            "currency": _str_array(_masked(unit_col, money)),
            "qualifier": _str_array(_take_str(quals, qcode[take])),
            "low": low[take],
            "high": high[take],
            "dimension": _str_array(_take_str([d for _u, d in units], row_unit)),
            "parsed": ok[take],
        },
        index=s.index,
        copy=False,
    )
    return out


def _take_str(table: list, codes: np.ndarray) -> "pa.Array":
    """Arrow strings ``table[code]`` for each row (codes are valid positions of the small table)."""
    return pc.take(pa.array(table, type=pa.large_string()), pa.array(codes))


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # the "str" dtype, whose missing value is NaN


def _str_array(strings: "pa.Array") -> pd.api.extensions.ExtensionArray:
    """Arrow strings as a pandas ``str`` array, without a copy."""
    return pd.arrays.ArrowStringArray(strings, dtype=_STR)


def _masked(strings: "pa.Array", keep: np.ndarray) -> "pa.Array":
    """The same strings, missing where ``keep`` is False: the offsets and bytes are shared, not copied."""
    validity, offsets, data = strings.buffers()
    valid = keep if validity is None else keep & strings.is_valid().to_numpy(zero_copy_only=False)
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(len(strings), offsets, data, bitmap, offset=strings.offset)


def _quantity_error(s: pd.Series, codes: np.ndarray, uniques, reasons: dict[int, str], what: str) -> ParseError:
    """ParseError naming every unreadable value with its index labels, in linear time.

    The positions of the bad values are sorted by code once (a stable sort, so
    labels keep their order) and split into one group per distinct text, instead
    of one scan of the whole column per distinct bad text.
    """
    bad_codes = np.fromiter(reasons, dtype=np.intp, count=len(reasons))
    is_bad = np.zeros(len(uniques) + 1, dtype=bool)
    is_bad[bad_codes] = True
    pos = np.flatnonzero(is_bad[codes])  # codes of missing input are -1: the last slot, never bad
    pos_codes = codes[pos]
    labels = s.index.take(pos)
    failures = pd.DataFrame(
        {
            "text": pd.array([str(uniques[c]) for c in pos_codes], dtype="str"),
            "reason": pd.array([reasons[c] for c in pos_codes], dtype="str"),
        },
        index=labels,
    )
    order = np.argsort(pos_codes, kind="stable")
    sorted_codes = pos_codes[order]
    cuts = np.flatnonzero(np.diff(sorted_codes)) + 1
    label_list = labels.take(order).tolist()
    lines = []
    for a, b in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(order)]))):
        c = sorted_codes[a]
        where = ", ".join(repr(lab) for lab in label_list[a:b])
        lines.append(f"  index {where}: {uniques[c]!r} -- {reasons[c]}")
    msg = f"{len(pos)} value(s) {what}:\n" + "\n".join(lines)
    return ParseError(msg, failures)


# ---------------------------------------------------------------------------
# Currency conversion: explicit, with a stated rate and date
# ---------------------------------------------------------------------------


def convert_currency(parsed: pd.DataFrame, rates: pd.DataFrame, target: str = "CNY") -> pd.DataFrame:
    """Convert parsed money amounts into one currency with a rate table the user supplies.

    :func:`parse_quantity` never converts: a 港元 amount stays HKD. This is the
    separate, explicit step, so every converted number names its rate and date.

    Parameters
    ----------
    parsed : pandas.DataFrame
        Output of :func:`parse_quantity` (``currency``, ``value``, ``low``, ``high``).
    rates : pandas.DataFrame
        One row per currency: ``currency`` (ISO 4217), ``rate`` (units of
        ``target`` per unit of that currency, > 0) and ``date`` (the date the
        rate is for). ``target`` itself needs no row (rate 1).
    target : str, default "CNY"
        ISO 4217 code to convert into.

    Returns
    -------
    pandas.DataFrame
        ``parsed`` with ``value_<target>``, ``low_<target>``, ``high_<target>``
        (lower-case code; value × rate), ``rate`` and ``rate_date`` added; rows
        that are not money keep them missing.

    Raises
    ------
    ParseError
        If a money row's currency has no rate; the message names the currency
        and the index labels.
    ValueError
        If the rate table lacks a column, lists a currency twice, or a rate is
        not a positive finite number or a date is not a date.

    Examples
    --------
    >>> rates = pd.DataFrame({"currency": ["HKD"], "rate": [0.92], "date": ["2024-08-28"]})
    >>> out = convert_currency(parse_quantity(["100港元", "30亿元"]), rates)
    >>> out[["value", "currency", "value_cny", "rate"]]
              value currency     value_cny  rate
    0  1.000000e+02      HKD  9.200000e+01  0.92
    1  3.000000e+09      CNY  3.000000e+09  1.00
    """
    missing = {"currency", "rate", "date"} - set(rates.columns)
    if missing:
        raise ValueError(f"rates lacks column(s) {sorted(missing)}")
    if rates["currency"].duplicated().any():
        dup = rates.loc[rates["currency"].duplicated(), "currency"].tolist()
        raise ValueError(f"rates lists currency {dup} more than once: give one rate per currency")
    rate = pd.to_numeric(rates["rate"], errors="coerce")
    if not (np.isfinite(rate) & (rate > 0)).all():
        raise ValueError(f"rates must be positive finite numbers: {rates['rate'].tolist()}")
    dates = pd.to_datetime(rates["date"], errors="coerce")
    if dates.isna().any():
        raise ValueError(f"rates has a date that is not a date: {rates['date'].tolist()}")
    table = pd.DataFrame({"rate": rate.to_numpy(), "date": dates.to_numpy()}, index=rates["currency"].to_numpy())
    if target not in table.index:
        table.loc[target] = (1.0, pd.NaT)
    money = parsed["currency"].notna()
    known = parsed["currency"].isin(table.index)
    if (money & ~known).any():
        bad = parsed.loc[money & ~known, "currency"]
        lines = [f"  {cur}: index {', '.join(repr(x) for x in idx)}" for cur, idx in bad.groupby(bad).groups.items()]
        raise ParseError(f"no rate into {target} for currency(ies):\n" + "\n".join(lines),
                         pd.DataFrame({"text": bad.astype("str"), "reason": f"no rate into {target}"}))
    r = parsed["currency"].map(table["rate"]).astype(float)
    out = parsed.copy()
    suffix = target.lower()
    for col in ("value", "low", "high"):
        out[f"{col}_{suffix}"] = parsed[col] * r
    out["rate"] = r
    out["rate_date"] = parsed["currency"].map(table["date"]).astype("datetime64[ns]")
    return out


# ---------------------------------------------------------------------------
# extract_quantities: every figure in a text
# ---------------------------------------------------------------------------


def _normalise_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """:func:`_normalise` plus, for each character of the result, its span in ``text``.

    NFKC can turn one printed character into several (℃ -> °C), a format
    character (U+200B) disappears and a run of spaces becomes one space; each
    resulting character points back at the characters it came from, so offsets
    refer to the text as given. Raises _Unreadable like :func:`_normalise`.
    """
    whole = _normalise(text)  # raises for control characters, 10², ⅓
    pieces = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1  # a base character with its combining marks normalises as one
        piece = text[i:j]
        if _VULGAR.match(piece) and i > 0 and ("0" <= text[i - 1] <= "9" or "０" <= text[i - 1] <= "９"):
            out = _prepare(piece)[1:]  # 1½: the 1 is already out; ½ adds ".5"
        else:
            out = _prepare(piece)
        pieces.append((i, j, out))
        i = j
    chars = [(ch, a, b) for a, b, p in pieces for ch in p]
    flat = "".join(ch for ch, _, _ in chars)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SPACE.finditer(flat):
        for ch, a, b in chars[pos:m.start()]:
            out.append(ch), spans.append((a, b))
        out.append(" "), spans.append((chars[m.start()][1], chars[m.end() - 1][2]))
        pos = m.end()
    for ch, a, b in chars[pos:]:
        out.append(ch), spans.append((a, b))
    lo, hi = 0, len(out)
    while lo < hi and out[lo] == " ":
        lo += 1
    while hi > lo and out[hi - 1] == " ":
        hi -= 1
    s = "".join(out[lo:hi])
    spans = spans[lo:hi]
    if s != whole:  # characters that compose across pieces: no finer map, never mislocate
        s = whole
        spans = [(0, n)] * len(s)
    return s, spans


def _figure_span(s: str, m: re.Match) -> tuple[int, int]:
    """Span of a figure in the masked text: the number with its unit and qualifier words.

    The qualifier words (约, 超过 … 以上, 左右) and a currency word before the
    number (人民币, USD) are included, so the printed figure read on its own by
    :func:`parse_quantity` gives the same value, unit and qualifier.
    """
    a, b = m.span()
    while b > a and s[b - 1] == " ":
        b -= 1
    w0 = max(0, a - _WINDOW)
    pre = s[w0:a]
    cur = _currency_pre(pre)
    head = pre[: cur.start()] if cur else pre
    if q := _qual_pre(head):
        a = w0 + q.start()
    elif cur:
        a = w0 + cur.start()
    if q := _QUAL_POST.match(s, m.end()):
        b = q.end()
    return a, b


def _extract_text(text: str) -> tuple[list[tuple], list[str]]:
    """Every figure in one text, as (start, end, printed, row, secondary, problem), and the problems.

    The problems returned are those of figures that count: every primary figure,
    or, when all are secondary, every figure. An unreadable secondary figure next
    to a primary one (``"2017贵州省…总投资3815.6亿元"``: 2017 is a year) is kept
    with its problem but does not make the text unreadable, as in parse_quantity.
    """
    try:
        s_norm, spans = _normalise_with_offsets(text)
    except _Unreadable as exc:
        return [(0, len(text), text, _MISSING_ROW, False, str(exc))], [f"{text!r}: {exc}"]
    s = _mask(s_norm)
    ctx = _context(s)
    found = []
    for m in _TOKEN.finditer(s):
        if not m.group():
            continue
        try:
            c = _candidate(m, ctx)
        except _INTERNAL as exc:  # pragma: no cover - a reader bug, reported rather than raised
            c = _Candidate(_MISSING_ROW, False, f"cannot be read ({type(exc).__name__}: {exc})", m.group())
        except _Unreadable as exc:
            c = _Candidate(_MISSING_ROW, False, str(exc), m.group())
        if c is None:
            continue
        a, b = _figure_span(s, m)
        start, end = spans[a][0], spans[b - 1][1]
        printed = text[start:end]
        found.append((start, end, printed, _MISSING_ROW if c.problem else c.row, c.secondary, c.problem))
    counted = [f for f in found if not f[4]] or found
    return found, [f"{f[2]!r}: {f[5]}" for f in counted if f[5]]


def extract_quantities(values, errors: str = "raise") -> pd.DataFrame:
    """Every figure printed in each text, in reading order, one row per figure.

    :func:`parse_quantity` insists on one quantity per text. Texts such as
    ``"131个计划新开工项目有112个实现开工"`` (131 planned, 112 started) or
    ``"比第一批分别增长41.2%、56.1%、27.6%"`` print several; this function
    returns them all, in long form, with where each was printed.

    Parameters
    ----------
    values : str, list of str or pandas.Series
        Texts as printed. The rules of :func:`parse_quantity` decide what is a
        figure: dates and durations, ordinals (第3位, 第二批, 前三批), names in
        quotation marks, fixed words (唯一, 一体化) and codes (5G) are not
        figures; a Chinese numeral counts only with a unit (两批, 一张) or as
        the whole text. Numbers (int/float) are taken as one bare figure each.
    errors : {"raise", "coerce"}, default "raise"
        What to do with a figure that is found but cannot be read (``"3倍"``,
        the rate ``"622万元/亩"``, a backwards range, contradictory qualifiers,
        ``"三四个"``) and with input that is not text. ``"raise"``: raise
        :class:`ParseError` listing every such input with its index label.
        ``"coerce"``: keep the figure as a row with ``parsed=False`` and the
        value columns missing.

    Returns
    -------
    pandas.DataFrame
        One row per figure, numbered 0, 1, … , inputs in their given order
        and figures in reading order, with columns

        - ``input``: index label of the text the figure comes from;
        - ``position`` (int): 0 for the first figure of that text, 1 for the
          next, …;
        - ``start``, ``end`` (Int64): character offsets in the text as given,
          so ``text[start:end]`` is the printed figure (missing for a number
          given as a number);
        - ``text`` (str): the printed figure: the number with its unit and
          its qualifier words (``"约11408亿元"``, ``"5000万元以上"``); read on
          its own by :func:`parse_quantity` it gives the same value, unit and
          qualifier;
        - ``value``, ``unit``, ``qualifier``, ``low``, ``high``,
          ``dimension``: as in :func:`parse_quantity`;
        - ``secondary`` (bool): True for a figure that describes or
          qualifies rather than reports -- a threshold defining a class of
          items (``"5000万元以上项目"``), a figure in brackets, a bare
          four-digit integer between 1900 and 2099 (probably a year).
          :func:`parse_quantity` would take it only if the text had no other
          figure;
        - ``parsed`` (bool): False for a figure that cannot be read. With
          ``errors="raise"`` only a secondary figure beside a primary one can
          be such (``"2017贵州省…总投资3815.6亿元"``: 2017, probably a year, is
          followed by a character that is no unit); it is kept, flagged, and
          does not make the text unreadable, as in :func:`parse_quantity`.

        A text with no figure, an empty text and missing input (None, NaN,
        ``pd.NA``) give no rows and never raise.

    Raises
    ------
    ParseError
        With ``errors="raise"``, if a figure cannot be read or an input is
        not text; the message lists each such input with its index label,
        ``err.failures`` holds them as a frame (``text``, ``reason``).
    ValueError
        If ``errors`` is not ``"raise"`` or ``"coerce"``.

    See Also
    --------
    parse_quantity : exactly one figure per text, aligned on the input index.
    parse_rank : ranks such as 全省第3位, which are not figures here.

    Notes
    -----
    A Chinese numeral with a count word is a count even inside a longer
    text, as in :func:`parse_quantity` (``"唯一一张"`` is 1 张): so
    ``"两批次共698个"`` gives two counts, 2 (两批, the number of rounds)
    and 698 (the projects). Drop the figures you do not need by ``position``
    or ``text``; nothing is dropped for you.

    Wherever :func:`parse_quantity` reads a text, the figure it returns is
    the text's only figure with ``secondary=False`` here, or, if every figure
    is secondary, the only figure.

    Examples
    --------
    >>> texts = pd.Series(["131个计划新开工项目有112个实现开工",
    ...                    "开工投资5000万元以上项目718个", "建信天然"], index=["F1", "F2", "F3"])
    >>> df = extract_quantities(texts)
    >>> df[["input", "position", "start", "end", "unit", "qualifier", "secondary"]]
      input  position  start  end   unit qualifier  secondary
    0    F1         0      0    4  count     exact      False
    1    F1         1     12   16  count     exact      False
    2    F2         0      4   12    CNY  at_least       True
    3    F2         1     14   18  count     exact      False
    >>> df["text"].tolist()
    ['131个', '112个', '5000万元以上', '718个']
    >>> df["value"].tolist()
    [131.0, 112.0, 50000000.0, 718.0]
    >>> extract_quantities("比第一批分别增长41.2%、56.1%、27.6%")["value"].tolist()
    [0.412, 0.561, 0.276]
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    s = _as_series(values)
    with _no_gc():
        return _extract_quantities(s, errors)


def _extract_quantities(s: pd.Series, errors: str) -> pd.DataFrame:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)

    per_unique: list[list[tuple]] = []
    reasons: dict[int, str] = {}
    for i, x in enumerate(uniques):
        if isinstance(x, str):
            found, problems = _extract_text(x)
            if problems:
                reasons[i] = "; ".join(problems)
        else:  # a number is one bare figure; anything else is not text
            row, parsed, reason = _parse_scalar(x)
            found = [(None, None, None, row, False, reason)]
            if reason is not None:
                reasons[i] = reason
        per_unique.append(found)

    if reasons and errors == "raise":
        bad = np.isin(codes, np.fromiter(reasons, dtype=np.intp))
        labels = s.index[bad]
        failures = pd.DataFrame(
            {
                "text": pd.array([str(uniques[c]) for c in codes[bad]], dtype="str"),
                "reason": pd.array([reasons[c] for c in codes[bad]], dtype="str"),
            },
            index=labels,
        )
        lines = [f"  index {lab!r}: {uniques[c]!r} -- {reasons[c]}" for lab, c in zip(labels, codes[bad])]
        raise ParseError(
            f"{len(labels)} value(s) contain a figure that could not be read:\n" + "\n".join(lines), failures
        )

    # Rows: each input row repeated once per figure of its text, without a loop over the rows.
    counts = np.array([len(f) for f in per_unique] + [0], dtype=np.int64)  # last: missing input
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    c = np.where(codes < 0, len(per_unique), codes)
    per_row = counts[c]
    take = np.repeat(np.arange(len(c)), per_row)
    positions = np.arange(len(take)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    figures = [figure for found in per_unique for figure in found]
    k = first[c[take]] + positions  # each output row's figure
    starts, ends, printed, quantity, secondary, problem = zip(*figures) if figures else ((),) * 6
    value, unit, qual, low, high, dim = zip(*quantity) if figures else ((),) * 6

    def col(values, dtype):
        return np.array(values, dtype=dtype)[k] if figures else np.array([], dtype=dtype)

    def text(values):
        return _str_array(_take_str(list(values), k)) if figures else pd.array([], dtype="str")

    def ints(values):
        return pd.array(values, dtype="Int64").take(k) if figures else pd.array([], dtype="Int64")

    return pd.DataFrame(
        {
            "input": s.index.take(take),
            "position": positions,
            "start": ints(starts),
            "end": ints(ends),
            "text": text(printed),
            "value": col(value, float),
            "unit": text(unit),
            "currency": text(u if d == "money" else None for u, d in zip(unit, dim)),
            "qualifier": text(qual),
            "low": col(low, float),
            "high": col(high, float),
            "dimension": text(dim),
            "secondary": col(secondary, bool),
            "parsed": col([p is None for p in problem], bool),
        }
    )


# ---------------------------------------------------------------------------
# Round labels
# ---------------------------------------------------------------------------

_ROUND_CN = re.compile(rf"第 *(\d+|[{_CN_CHARS}]+) *(?:次|期|批|轮)")
_YEAR_CN = re.compile(r"([0-9]+) *年")
YEAR_RANGE = (1900, 2100)
"""Printed years outside this range (inclusive) are refused by every parser: 0, 3023, 12023."""
_MAX_ORDINAL = 9999  # a round number or rank above this is a misprint, not a round
_EN_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
_ROUND_EN = re.compile(r"(?i)\b(" + "|".join(_EN_ORDINALS) + r"|\d+(?:st|nd|rd|th))\b")
_YEAR_EN = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _event_year(event_date) -> int | None:
    if event_date is None or (np.ndim(event_date) == 0 and pd.isna(event_date)):
        return None
    try:
        ts = pd.Timestamp(event_date)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"cannot read event date {event_date!r}") from exc
    if ts is pd.NaT:
        raise ParseError(f"cannot read event date {event_date!r}: not a date")
    return ts.year


def _round_of(label) -> tuple[int | None, int]:
    """(year printed in the label or None, round number); raise _Unreadable."""
    if not isinstance(label, str):
        raise _Unreadable(f"not text ({type(label).__name__})")
    s = _normalise(label)
    if not s:
        raise _Unreadable("empty label")
    rounds = _ROUND_CN.findall(s)
    if rounds:
        if len(rounds) > 1:
            raise _Unreadable(f"{len(rounds)} round numbers in the label")
        r = rounds[0]
        round_no = int(r) if r.isdigit() else int(_chinese_digits(r))
        years = set(_YEAR_CN.findall(s))
    else:
        words = _ROUND_EN.findall(s)
        if len(words) != 1:
            raise _Unreadable("no round number in the label" if not words else "several round numbers in the label")
        w = words[0].lower()
        round_no = _EN_ORDINALS[w] if w in _EN_ORDINALS else int(w[:-2])
        years = set(_YEAR_EN.findall(s))
    if len(years) > 1:
        raise _Unreadable("several years in the label")
    if round_no < 1:
        raise _Unreadable("round number below 1")
    if round_no > _MAX_ORDINAL:
        raise _Unreadable(f"round number {round_no} is implausibly large (above {_MAX_ORDINAL})")
    for y in years:
        _check_year(int(y), label)
    return (int(years.pop()) if years else None), round_no


def parse_round_label(label: str, event_date=None) -> tuple[int, int]:
    """Read a campaign round label as (year, round number).

    Parameters
    ----------
    label : str
        The round as printed: ``"2023年第四次"``, ``"2021年第一期"``,
        ``"第十五期"``, ``"全省开发区2023年第三次“三个一批”活动"``,
        ``"this year's first events"``, ``"the third time this year"``,
        ``"The second events"``. Exactly one ordinal (第N次/期/批/轮, or an
        English ordinal) must appear.
    event_date : str, datetime-like or None, optional
        Date of the event. Its year is used when the label prints no year; a
        year printed in the label takes precedence over it.

    Returns
    -------
    tuple of (int, int)
        ``(year, round_no)``.

    Raises
    ------
    ParseError
        If the label has no round number or several (``"2022年以来五次"``,
        ``"2024年第一、二批"``), several years, is empty, or prints no year
        and no ``event_date`` is given. The message names the label.

    Examples
    --------
    >>> parse_round_label("2023年第四次")
    (2023, 4)
    >>> parse_round_label("第十五期", event_date="2023-09-26")
    (2023, 15)
    >>> parse_round_label("the third time this year", event_date="2023-08-31")
    (2023, 3)
    """
    try:
        year, round_no = _round_of(label)
    except _Unreadable as exc:
        raise ParseError(f"cannot read round label {label!r}: {exc}") from None
    if year is None:
        year = _event_year(event_date)
        if year is None:
            raise ParseError(f"round label {label!r} prints no year and no event_date was given")
    return year, round_no


def _aligned(other, index: pd.Index, name: str) -> pd.Series:
    if other is None or isinstance(other, (str, pd.Timestamp)) or np.ndim(other) == 0:
        return pd.Series([other] * len(index), index=index, dtype=object)
    if isinstance(other, pd.Series):
        return other.reindex(index)
    other = list(other)
    if len(other) != len(index):
        raise ValueError(f"{name} has {len(other)} entries for {len(index)} labels")
    return pd.Series(other, index=index, dtype=object)


def _raise_failures(what: str, failures: list[tuple]) -> None:
    labels, texts, reasons = zip(*failures)
    frame = pd.DataFrame(
        {"text": pd.array([str(t) for t in texts], dtype="str"), "reason": pd.array(reasons, dtype="str")},
        index=pd.Index(labels),
    )
    lines = [f"  index {lab!r}: {t!r} -- {r}" for lab, t, r in failures]
    raise ParseError(f"{len(failures)} {what} could not be read:\n" + "\n".join(lines), frame)


def parse_round_labels(labels: pd.Series, event_dates=None, errors: str = "raise") -> pd.DataFrame:
    """Vectorised :func:`parse_round_label`.

    Parameters
    ----------
    labels : pandas.Series
        Round labels as printed.
    event_dates : pandas.Series, list-like, scalar or None, optional
        Event dates; a Series is aligned on ``labels``' index, a list by
        position. Used for labels that print no year.
    errors : {"raise", "coerce"}, default "raise"
        ``"coerce"`` returns unreadable labels with ``parsed=False``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``labels``, columns ``year`` and ``round_no`` (Int64) and
        ``parsed`` (bool). Missing labels give missing rows, never an error.

    Raises
    ------
    ParseError
        With ``errors="raise"``, listing every unreadable label with its
        index label.

    Examples
    --------
    >>> labels = pd.Series(["2023年第四次", "第八期", "This year (2021)"], index=[10, 11, 12])
    >>> parse_round_labels(labels, ["2023-12-01", "2021-06-01", None], errors="coerce")
        year  round_no  parsed
    10  2023         4    True
    11  2021         8    True
    12  <NA>      <NA>   False
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    labels = _as_series(labels, "labels")
    dates = _aligned(event_dates, labels.index, "event_dates")
    years, rounds, ok, failures = [], [], [], []
    for lab, text, date in zip(labels.index, labels.array, dates.array):
        if text is None or (np.ndim(text) == 0 and pd.isna(text)):
            years.append(None), rounds.append(None), ok.append(False)
            continue
        try:
            y, r = parse_round_label(text, date)
        except ParseError as exc:
            years.append(None), rounds.append(None), ok.append(False)
            failures.append((lab, text, str(exc)))
            continue
        years.append(y), rounds.append(r), ok.append(True)
    if failures and errors == "raise":
        _raise_failures("round label(s)", failures)
    return pd.DataFrame(
        {
            "year": pd.array(years, dtype="Int64"),
            "round_no": pd.array(rounds, dtype="Int64"),
            "parsed": np.array(ok, dtype=bool),
        },
        index=labels.index,
    )


# ---------------------------------------------------------------------------
# Ranks
# ---------------------------------------------------------------------------

_RANK_NUM = rf"(?:\d+|[{_CN_CHARS}]+)"
# 排第N without 位/名 must not be 安排第二批 ("arrange the second round"): the
# number may not be followed by a round, count or time word.
_RANK = re.compile(
    rf"(?:排名|(?<![安编])排) *第 *(?P<a>{_RANK_NUM})(?: *(?:位|名)|(?! *[批次期轮届季年月日号天周个项家条]))"
    rf"|第 *(?P<b>{_RANK_NUM}) *(?:位|名)"
)


def _rank_of(text) -> int:
    """The one rank printed in a text; raise _Unreadable."""
    if not isinstance(text, str):
        raise _Unreadable(f"not text ({type(text).__name__})")
    s = _mask(_normalise(text))
    if not s:
        raise _Unreadable("empty text")
    found = [m.group("a") or m.group("b") for m in _RANK.finditer(s)]
    if not found:
        raise _Unreadable("no rank found (第N位, 第N名, 排名第N, 排第N)")
    if len(found) > 1:
        raise _Unreadable(f"{len(found)} ranks found")
    n = found[0]
    rank = int(n) if n.isdigit() else int(_chinese_digits(n))
    if rank < 1:
        raise _Unreadable("rank below 1")
    if rank > 10**9:
        raise _Unreadable(f"rank {rank} is implausibly large")
    return rank


def parse_rank(values, errors: str = "raise") -> pd.DataFrame:
    """Read printed ranks such as ``"全省第1位"`` or ``"综合评价全省排名第9位"``.

    A rank is an ordinal -- a place in a league table -- not a quantity, so
    :func:`parse_quantity` does not read it. This function does.

    Parameters
    ----------
    values : str, list of str or pandas.Series
        Texts as printed. Exactly one rank must appear, in one of the forms
        第N位, 第N名, 排名第N, 排第N (``"全省第3位"``, ``"排名第九"``,
        ``"“投产一批”项目达效率 全省第3位"``), with Arabic, full-width or
        Chinese numerals. Label words around it are allowed; names in
        quotation marks are skipped. 第N alone (第二批, 第3次) is a round,
        not a rank, and 前三名 ("top three") is not one rank.
    errors : {"raise", "coerce"}, default "raise"
        ``"raise"``: raise :class:`ParseError` listing every unreadable value
        with its index label. ``"coerce"``: return those rows with
        ``parsed=False`` and the rank missing.

    Returns
    -------
    pandas.DataFrame
        Same index as ``values`` (a str gives index ``[0]``), columns
        ``rank`` (Int64; 1 is first) and ``parsed`` (bool). Missing input
        (None, NaN, ``pd.NA``) gives a missing rank with ``parsed=False`` and
        never raises.

    Raises
    ------
    ParseError
        With ``errors="raise"``, if any non-missing value has no rank,
        several, a rank below 1, or is not text; ``err.failures`` holds them
        as a frame (``text``, ``reason``).
    ValueError
        If ``errors`` is not ``"raise"`` or ``"coerce"``.

    Examples
    --------
    >>> parse_rank(pd.Series(["全省第1位", "综合评价全省排名第9位", "“投产一批”项目达效率 全省第3位"],
    ...                      index=["PC-F0028", "PC-F0105", "PC-F0029"]))
              rank  parsed
    PC-F0028     1    True
    PC-F0105     9    True
    PC-F0029     3    True
    >>> parse_rank(["排名第十二", "第二批", None], errors="coerce")
       rank  parsed
    0    12    True
    1  <NA>   False
    2  <NA>   False
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    s = _as_series(values)
    ranks, ok, failures = [], [], []
    cache: dict[str, int | str] = {}
    for lab, text in zip(s.index, s.array):
        if text is None or (np.ndim(text) == 0 and pd.isna(text)):
            ranks.append(None), ok.append(False)
            continue
        key = text if isinstance(text, str) else None
        if key is not None and key in cache:
            got = cache[key]
        else:
            try:
                got = _rank_of(text)
            except _Unreadable as exc:
                got = str(exc)
            if key is not None:
                cache[key] = got
        if isinstance(got, str):
            ranks.append(None), ok.append(False)
            failures.append((lab, text, got))
        else:
            ranks.append(got), ok.append(True)
    if failures and errors == "raise":
        _raise_failures("rank(s)", failures)
    return pd.DataFrame(
        {"rank": pd.array(ranks, dtype="Int64"), "parsed": np.array(ok, dtype=bool)},
        index=s.index,
    )


# ---------------------------------------------------------------------------
# Dates and periods
# ---------------------------------------------------------------------------

_NUM = rf"(?:\d{{1,2}}|[{_CN_DIGITS}十]+)"
_YEAR = r"(?:(?P<y>\d{4})年|(?P<rel>今年|去年|明年))"
_TIME_OF_DAY = r"(?:上午|下午|中午|晚上|晚间|早上|凌晨|晚)?"
_ISO_DAY = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})")
_CN_DATE = re.compile(rf"{_YEAR}?(?P<m>{_NUM})月份?(?:(?P<d>{_NUM})[日号]{_TIME_OF_DAY})?")
_P_YEAR = re.compile(r"(?P<y>\d{4})(?:年(?:全年|度)?)?|(?P<rel>今年|去年|明年)(?:全年)?")
_P_MONTHS = re.compile(rf"{_YEAR}?(?P<m1>{_NUM})月?(?:-|~|〜|至|到|—|–)(?P<m2>{_NUM})月份?")
_P_UNTIL = re.compile(
    rf"截[至止]到?(?:(?P<now>目前|现在)"
    rf"|{_YEAR}?(?:(?P<m>{_NUM})月(?:底|末|份)?(?:(?P<d>{_NUM})[日号])?|底|末))"
)
_P_SINCE = re.compile(rf"{_YEAR}(?:(?P<m>{_NUM})月份?)?以来")
_P_QUARTER = re.compile(rf"{_YEAR}?第?(?P<q>[一二三四1-4])季度")
_P_QUARTERS_TO = re.compile(rf"{_YEAR}?前(?P<q>[一二三四1-4])(?:个)?季度")
_P_HALF = re.compile(rf"{_YEAR}?(?P<h>上|下)半年")


class PeriodSpan(NamedTuple):
    """A reporting period, both ends inclusive, at day precision."""

    start: pd.Timestamp
    end: pd.Timestamp


def _small_int(text: str) -> int:
    return int(text) if text.isdigit() else int(_chinese_digits(text))


def _check_year(year: int, text) -> int:
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise _Unreadable(f"year {year} in {text!r} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    return year


def _checked_year(year: int, text) -> int:
    try:
        return _check_year(year, text)
    except _Unreadable as exc:
        raise ParseError(str(exc)) from None


def _normalised_date_text(text: str, what: str) -> str:
    try:
        return _normalise(text).replace(" ", "")
    except _Unreadable as exc:
        raise ParseError(f"cannot read {what} {text!r}: {exc}") from None


def _reference(reference) -> pd.Timestamp | None:
    if reference is None or (np.ndim(reference) == 0 and pd.isna(reference)):
        return None
    try:
        ts = pd.Timestamp(reference)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"cannot read reference date {reference!r}") from exc
    if ts is pd.NaT:
        raise ParseError(f"cannot read reference date {reference!r}: not a date")
    return ts.normalize()


def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])


def _year_of(m: re.Match, ref: pd.Timestamp | None, text: str, month: int | None = None) -> int:
    """Year printed in a match, or inferred from the reference date.

    Without a printed year the reference's year is used, unless the month
    would then lie more than six months after the reference, in which case
    the previous year is used (a text published in January about "11月"
    means last November).
    """
    if m.group("y"):
        return _checked_year(int(m.group("y")), text)
    if ref is None:
        raise ParseError(f"{text!r} prints no year: a reference date is needed")
    rel = m.group("rel")
    if rel:
        return ref.year + {"今年": 0, "去年": -1, "明年": 1}[rel]
    if month is None:
        return ref.year
    if pd.Timestamp(ref.year, month, 1) > ref + pd.DateOffset(months=6):
        return ref.year - 1
    return ref.year


def _checked(fn, text):
    try:
        return fn()
    except ValueError as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"{text!r} is not a valid date: {exc}") from None


def resolve_date(text: str, reference=None) -> pd.Timestamp:
    """Turn a printed date into a Timestamp, supplying the year if missing.

    Parameters
    ----------
    text : str
        ``"8月28日"``, ``"8 月 19 日"``, ``"8月27日下午"`` (time of day is
        dropped), ``"12月份"`` (a month: its first day), ``"2024年8月28日"``,
        ``"2024-08-28"``, ``"2024/8/28"``, ``"2024-08"``; 今年/去年/明年 count
        from the reference.
    reference : str or datetime-like, optional
        Date of the text (e.g. its publication date). Needed only when the
        year is not printed.

    Returns
    -------
    pandas.Timestamp
        Midnight of the day.

    Raises
    ------
    ParseError
        If the text is not one of these date forms, the date does not exist,
        or the year is not printed and no ``reference`` is given.

    Notes
    -----
    Rule for a missing year: take the reference's year, unless the date would
    then fall more than six months after the reference; then take the year
    before. News copy speaks of recent days and of plans for the coming
    months, rarely of dates more than half a year ahead.

    Examples
    --------
    >>> resolve_date("8月28日", reference="2024-08-30")
    Timestamp('2024-08-28 00:00:00')
    >>> resolve_date("12月份", reference="2024-08-30")
    Timestamp('2024-12-01 00:00:00')
    >>> resolve_date("11月5日", reference="2024-01-10")
    Timestamp('2023-11-05 00:00:00')
    >>> resolve_date("2024-08-28")
    Timestamp('2024-08-28 00:00:00')
    """
    if not isinstance(text, str):
        raise ParseError(f"cannot read date {text!r}: not text")
    s = _normalised_date_text(text, "date")
    ref = _reference(reference)
    for rx in (_ISO_DAY, _ISO_MONTH):
        m = rx.fullmatch(s)
        if m:
            d = int(m.groupdict().get("d") or 1)
            y = _checked_year(int(m.group("y")), text)
            return _checked(lambda: pd.Timestamp(y, int(m.group("m")), d), text)
    m = _CN_DATE.fullmatch(s)
    if not m:
        raise ParseError(f"cannot read date {text!r}")
    month = _small_int(m.group("m"))
    day = _small_int(m.group("d")) if m.group("d") else 1
    if not 1 <= month <= 12:
        raise ParseError(f"{text!r} is not a valid date: month {month}")
    year = _year_of(m, ref, text, month)
    return _checked(lambda: pd.Timestamp(year, month, day), text)


def _period(text: str, reference=None) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """(start, end, start_assumed); raise ParseError."""
    if not isinstance(text, str):
        raise ParseError(f"cannot read period {text!r}: not text")
    s = _normalised_date_text(text, "period")
    ref = _reference(reference)
    if _ISO_DAY.fullmatch(s) or (_CN_DATE.fullmatch(s) and _CN_DATE.fullmatch(s).group("d")):
        d = resolve_date(s, ref)
        return d, d, False
    if m := _ISO_MONTH.fullmatch(s):
        y, mo = _checked_year(int(m.group("y")), text), int(m.group("m"))
        return _checked(lambda: (pd.Timestamp(y, mo, 1), _month_end(y, mo), False), text)
    if m := _P_YEAR.fullmatch(s):
        y = _year_of(m, ref, text)
        return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31), False
    if m := _P_MONTHS.fullmatch(s):
        m1, m2 = _small_int(m.group("m1")), _small_int(m.group("m2"))
        if not 1 <= m1 <= m2 <= 12:
            raise ParseError(f"{text!r} is not a valid month range")
        y = _year_of(m, ref, text, m2)
        return pd.Timestamp(y, m1, 1), _month_end(y, m2), False
    if m := _CN_DATE.fullmatch(s):
        mo = _small_int(m.group("m"))
        if not 1 <= mo <= 12:
            raise ParseError(f"{text!r} is not a valid month")
        y = _year_of(m, ref, text, mo)
        return pd.Timestamp(y, mo, 1), _month_end(y, mo), False
    if m := _P_UNTIL.fullmatch(s):
        if m.group("now"):
            if ref is None:
                raise ParseError(f"{text!r} needs a reference date")
            return pd.Timestamp(ref.year, 1, 1), ref, True
        if m.group("m"):
            mo = _small_int(m.group("m"))
            if not 1 <= mo <= 12:
                raise ParseError(f"{text!r} is not a valid month")
            y = _year_of(m, ref, text, mo)
            if m.group("d"):
                end = _checked(lambda: pd.Timestamp(y, mo, _small_int(m.group("d"))), text)
            else:
                end = _month_end(y, mo)
        else:  # 截至2024年底
            if not (m.group("y") or m.group("rel")):
                raise ParseError(f"cannot read period {text!r}")
            y = _year_of(m, ref, text)
            end = pd.Timestamp(y, 12, 31)
        return pd.Timestamp(end.year, 1, 1), end, True
    if m := _P_SINCE.fullmatch(s):
        if ref is None:
            raise ParseError(f"{text!r} runs up to the reference date: a reference date is needed")
        y = _year_of(m, ref, text)
        mo = _small_int(m.group("m")) if m.group("m") else 1
        start = _checked(lambda: pd.Timestamp(y, mo, 1), text)
        if start > ref:
            raise ParseError(f"{text!r} starts after the reference date {ref.date()}")
        return start, ref, False
    if m := _P_QUARTER.fullmatch(s):
        q = _small_int(m.group("q"))
        y = _year_of(m, ref, text, 3 * q)
        return pd.Timestamp(y, 3 * q - 2, 1), _month_end(y, 3 * q), False
    if m := _P_QUARTERS_TO.fullmatch(s):
        q = _small_int(m.group("q"))
        y = _year_of(m, ref, text, 3 * q)
        return pd.Timestamp(y, 1, 1), _month_end(y, 3 * q), False
    if m := _P_HALF.fullmatch(s):
        first = m.group("h") == "上"
        y = _year_of(m, ref, text, 6 if first else 12)
        return (pd.Timestamp(y, 1, 1), pd.Timestamp(y, 6, 30), False) if first else (
            pd.Timestamp(y, 7, 1), pd.Timestamp(y, 12, 31), False)
    raise ParseError(f"cannot read period {text!r}")


def parse_period(text: str, reference=None) -> PeriodSpan:
    """Read a printed reporting period as (start, end), both inclusive.

    Parameters
    ----------
    text : str
        One of: a year (``"2024年"``, ``"2024年全年"``, ``"2024"``); a month
        (``"2024年8月"``, ``"2024-08"``, ``"5月份"``); a day (``"2024-08-28"``,
        ``"2024年8月28日"``); a month range (``"2024年1-5月"``,
        ``"今年1月至5月"``); a quarter or half (``"2023年二季度"``,
        ``"2020年前三季度"``, ``"2022年上半年"``); a cumulative figure
        (``"截至8月"``, ``"截至2024年8月底"``, ``"截至2019年5月31日"``,
        ``"截至2024年底"``); or a period up to the reference date
        (``"2023年以来"``, ``"今年以来"``).
    reference : str or datetime-like, optional
        Date of the text. Required for ``…以来``, 今年/去年, and whenever the
        year is not printed (same rule as :func:`resolve_date`, applied to
        the period's last month).

    Returns
    -------
    PeriodSpan
        Named tuple ``(start, end)`` of Timestamps at midnight; ``end`` is the
        last day included.

    Raises
    ------
    ParseError
        For any other text, an impossible date, or a missing reference.

    Notes
    -----
    ``截至…`` prints only the end. Campaign statistics cumulate from the start
    of the calendar year, so ``start`` is set to 1 January of the end's year;
    this is an assumption, and :func:`parse_periods` flags such rows with
    ``start_assumed=True``.

    Examples
    --------
    >>> parse_period("2024年1-5月")
    PeriodSpan(start=Timestamp('2024-01-01 00:00:00'), end=Timestamp('2024-05-31 00:00:00'))
    >>> parse_period("2023年以来", reference="2023-09-15").end
    Timestamp('2023-09-15 00:00:00')
    >>> parse_period("截至8月", reference="2024-09-10")
    PeriodSpan(start=Timestamp('2024-01-01 00:00:00'), end=Timestamp('2024-08-31 00:00:00'))
    """
    start, end, _ = _period(text, reference)
    return PeriodSpan(start, end)


def parse_periods(texts: pd.Series, reference=None, errors: str = "raise") -> pd.DataFrame:
    """Vectorised :func:`parse_period`, with a flag for assumed starts.

    Parameters
    ----------
    texts : pandas.Series
        Printed periods.
    reference : pandas.Series, list-like, scalar or None, optional
        Reference dates; a Series is aligned on ``texts``' index.
    errors : {"raise", "coerce"}, default "raise"
        ``"coerce"`` returns unreadable periods with ``parsed=False``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``texts``: ``start``, ``end`` (datetime64), ``start_assumed``
        (bool; True for ``截至…`` where the start is taken as 1 January) and
        ``parsed`` (bool). Missing texts give missing rows, never an error.

    Raises
    ------
    ParseError
        With ``errors="raise"``, listing every unreadable text with its
        index label.

    Examples
    --------
    >>> parse_periods(pd.Series(["2024年1-5月", "截至2021年7月底"]))
           start        end  start_assumed  parsed
    0 2024-01-01 2024-05-31          False    True
    1 2021-01-01 2021-07-31           True    True
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    texts = _as_series(texts, "texts")
    refs = _aligned(reference, texts.index, "reference")
    starts, ends, assumed, ok, failures = [], [], [], [], []
    for lab, text, ref in zip(texts.index, texts.array, refs.array):
        if text is None or (np.ndim(text) == 0 and pd.isna(text)):
            starts.append(pd.NaT), ends.append(pd.NaT), assumed.append(False), ok.append(False)
            continue
        try:
            a, b, flag = _period(text, ref)
        except ParseError as exc:
            starts.append(pd.NaT), ends.append(pd.NaT), assumed.append(False), ok.append(False)
            failures.append((lab, text, str(exc)))
            continue
        starts.append(a), ends.append(b), assumed.append(flag), ok.append(True)
    if failures and errors == "raise":
        _raise_failures("period(s)", failures)
    return pd.DataFrame(
        {
            "start": pd.to_datetime(pd.Series(starts, index=texts.index, dtype="datetime64[ns]")),
            "end": pd.to_datetime(pd.Series(ends, index=texts.index, dtype="datetime64[ns]")),
            "start_assumed": np.array(assumed, dtype=bool),
            "parsed": np.array(ok, dtype=bool),
        },
        index=texts.index,
    )


# ---------------------------------------------------------------------------
# OCR repairs
# ---------------------------------------------------------------------------


class _Repair(NamedTuple):
    pattern: str
    replacement: str
    reason: str


OCR_REPAIRS: tuple[_Repair, ...] = (
    _Repair(
        pattern=r"(?<=\d)益",
        replacement="℃",
        reason=(
            "科学导报 page (late August 2024) prints '益' after a number where the original has '℃' "
            "(2050℃: sapphire crystal growth temperature); OCR misreading of the degree sign"
        ),
    ),
)
"""Known misreadings in the transcribed sources, as (pattern, replacement, reason).

Each pattern is a regular expression; :func:`repair_ocr` applies them in order
and records every change.
"""

_OCR_COMPILED = tuple((re.compile(r.pattern), r) for r in OCR_REPAIRS)


def repair_ocr(values) -> tuple[pd.Series, pd.DataFrame]:
    """Undo known OCR misreadings, recording each change.

    Parameters
    ----------
    values : str, list of str or pandas.Series
        Text as transcribed.

    Returns
    -------
    repaired : pandas.Series
        Same index as ``values`` (string dtype); unchanged where no rule applies.
    notes : pandas.DataFrame
        One row per repair made, indexed by the index label of the repaired
        value, with columns ``original``, ``repaired`` and ``reason``. Empty if
        nothing was repaired. Keep it with the data: a repair is never silent.

    Examples
    --------
    >>> fixed, notes = repair_ocr(pd.Series(["2050益", "30亿元"], index=["A042", "A002"]))
    >>> fixed.tolist()
    ['2050℃', '30亿元']
    >>> notes[["original", "repaired"]]
         original repaired
    A042    2050益    2050℃
    """
    s = _as_series(values)
    texts = list(s.array)
    labels, originals, repaired, reasons = [], [], [], []
    for pos, (lab, text) in enumerate(zip(s.index, texts)):
        if not isinstance(text, str):
            continue
        for rx, rule in _OCR_COMPILED:
            changed = rx.sub(rule.replacement, text)
            if changed != text:
                labels.append(lab), originals.append(text), repaired.append(changed), reasons.append(rule.reason)
                text = changed
        texts[pos] = text
    out = pd.Series(pd.array(texts, dtype="str"), index=s.index, name=s.name)
    notes = pd.DataFrame(
        {
            "original": pd.array(originals, dtype="str"),
            "repaired": pd.array(repaired, dtype="str"),
            "reason": pd.array(reasons, dtype="str"),
        },
        index=pd.Index(labels, dtype=s.index.dtype if labels else object, name=s.index.name),
    )
    return out, notes


# ---------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------

_CNY_DISPLAY_EXP = {"元": 0, "万元": 4, "亿元": 8, "万亿元": 12}


def format_cny(value_cny, unit: str = "亿元", decimals: int = 2):
    """Format an amount in yuan the way Chinese sources print it.

    Parameters
    ----------
    value_cny : float or pandas.Series
        Amount in yuan (the ``value`` of a ``CNY`` row of :func:`parse_quantity`).
    unit : {"亿元", "万元", "元", "万亿元"}, default "亿元"
        Display unit; 1 亿元 = 1e8 yuan, 1 万元 = 1e4 yuan.
    decimals : int, default 2
        Digits after the decimal point.

    Returns
    -------
    str or pandas.Series
        ``"78.34亿元"``; missing values stay missing (``pd.NA`` for a scalar).

    Raises
    ------
    ValueError
        For an unknown unit or a negative ``decimals``.

    Examples
    --------
    >>> format_cny(7834000000.0)
    '78.34亿元'
    >>> format_cny(32824e4, unit="万元", decimals=0)
    '32824万元'
    >>> format_cny(pd.Series([1.2e9, None]), decimals=1).tolist()
    ['12.0亿元', nan]
    """
    if unit not in _CNY_DISPLAY_EXP:
        raise ValueError(f"unit must be one of {sorted(_CNY_DISPLAY_EXP)}, not {unit!r}")
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    scale = 10.0 ** _CNY_DISPLAY_EXP[unit]

    def one(v):
        # + 0.0 turns -0.0 into 0.0 so rounding never prints "-0.00".
        return f"{round(v / scale, decimals) + 0.0:.{decimals}f}{unit}"

    if isinstance(value_cny, pd.Series):
        v = pd.to_numeric(value_cny)
        return pd.Series(
            pd.array([None if pd.isna(x) else one(x) for x in v.array], dtype="str"), index=v.index
        )
    if value_cny is None or pd.isna(value_cny):
        return pd.NA
    return one(float(value_cny))
