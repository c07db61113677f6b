"""Column-wise matching and place names resolve each distinct value once: same results as row by row.

`match_zones`, `normalize_city` and `normalize_province` on a Series factorize the column,
resolve every distinct value once and take the answers back. These tests compare the result
with resolving row by row, check that failures are reported per row in order, that the
closest-name suggestions are those of scoring every registry label with difflib, and that a
very long name costs time linear in its length.
"""

from __future__ import annotations

import difflib
import random

import numpy as np
import pandas as pd
import pytest

from zonestudy import zones as z
from zonestudy._fuzzy import closest
from zonestudy._uniques import factorize, rows_of, take


@pytest.fixture(scope="module")
def registry():
    return z.load_registry()


def _row_by_row(names, registry):
    """The column, resolved one row at a time (what match_zones must equal)."""
    index = z._ZoneIndex(registry)
    rows = []
    for name in names:
        if z.is_missing(name):
            rows.append((None, None, ()))
        else:
            zone_id, method, candidates, _ = index.resolve(name)
            rows.append((zone_id, method, candidates))
    return pd.DataFrame({
        "zone_id": pd.Series([r[0] for r in rows], index=names.index, dtype="str"),
        "matched_by": pd.Series([r[1] for r in rows], index=names.index, dtype="str"),
        "candidates": pd.Series([r[2] for r in rows], index=names.index, dtype="object"),
    })


def _names(registry, n, seed):
    rng = np.random.default_rng(seed)
    pool = (registry["zone_name"].tolist()[:60]
            + ["运城经开区", "大同经开区", "太谷经开区", "阳泉高新区", "甘亭工业园区", "山西太原经济技术开发区",
               " 太原经开区 ", "taiyuan_etdz", "", "某某某开发区", None, np.nan])
    picks = rng.integers(0, len(pool), n)
    return pd.Series([pool[i] for i in picks], index=[f"r{i}" for i in range(n)], dtype=object)


@pytest.mark.parametrize("seed", [0, 1])
def test_match_zones_equals_row_by_row(registry, seed):
    names = _names(registry, 400, seed)
    got = z.match_zones(names, registry, errors="coerce")
    pd.testing.assert_frame_equal(got, _row_by_row(names, registry))


def test_match_zones_on_a_string_column(registry):
    names = _names(registry, 200, 2).astype("str")
    got = z.match_zones(names, registry, errors="coerce")
    pd.testing.assert_frame_equal(got, _row_by_row(names, registry))


def test_match_zones_raise_lists_every_failing_row_in_order(registry):
    names = pd.Series(["甘亭工业园区", "运城经开区", "大同经开区", "甘亭工业园区", None, "大同经开区"],
                      index=[3, 1, 4, 1, 5, 9])
    with pytest.raises(z.ZoneMatchError) as info:
        z.match_zones(names, registry)
    lines = str(info.value).splitlines()
    assert lines[0] == "4 of 5 zone names could not be matched:"
    assert [line.split("]")[0] for line in lines[1:]] == ["  [3", "  [4", "  [1", "  [9"]
    assert "甘亭工业园区" in lines[1] and "大同经开区" in lines[2]
    pd.testing.assert_frame_equal(info.value.result, _row_by_row(names, registry))
    assert isinstance(info.value.failures[3], z.UnknownZoneError)
    assert isinstance(info.value.failures[9], z.AmbiguousZoneError)


def test_match_zones_non_text_names_are_refused(registry):
    with pytest.raises(TypeError, match="must be a string, got int: 7"):
        z.match_zones(pd.Series(["运城经开区", 7, 7.0]), registry)


def test_match_zones_empty_column(registry):
    got = z.match_zones(pd.Series([], dtype="str"), registry)
    assert got.empty and list(got.columns) == ["zone_id", "matched_by", "candidates"]


def test_a_million_character_name_is_unknown_without_suggestions():
    name = "太原" * 500_000 + "经济开发区"
    with pytest.raises(z.UnknownZoneError) as info:
        z.match_zone(name)
    assert info.value.candidates == ()


# --- suggestions ----------------------------------------------------------------------------


def _brute_force(queries, labels, items, n=3, cutoff=0.4):
    scores = {}
    for label, ids in zip(labels, items):
        best = max(difflib.SequenceMatcher(None, q, label, autojunk=False).ratio() for q in queries)
        for item in ids:
            scores[item] = max(scores.get(item, 0.0), best)
    return sorted((i for i, s in scores.items() if s >= cutoff), key=lambda i: (-scores[i], i))[:n]


def test_closest_equals_scoring_every_label(registry):
    index = z._default_index()
    labels = list(index.labels)
    items = [sorted(index.labels[label]) for label in labels]
    rnd = random.Random(11)
    names = list(index.name.values())
    alphabet = "".join(sorted(set("".join(names))))
    for _ in range(300):
        base = rnd.choice(names)
        kind = rnd.random()
        if kind < 0.3:
            text = base[: rnd.randint(1, len(base))] + rnd.choice(["开发区", "园区", ""])
        elif kind < 0.6:
            text = "".join(rnd.sample(base, len(base)))
        else:
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 25)))
        text = z._norm(text) or "区"
        queries = [key for key, _, _ in index._variants(text)] + [text]
        assert closest(queries, labels, items) == _brute_force(queries, labels, items), text


def test_closest_drops_only_queries_too_long_for_every_label():
    labels, items = ["ab", "abcdefghij"], [["short"], ["long"]]
    too_long = "abcdefghij" * 5  # 2 * 10 / (50 + 10) < 0.4 against every label
    assert closest([too_long], labels, items) == _brute_force([too_long], labels, items) == []
    fits = "abcdefghij" * 4  # 2 * 10 / (40 + 10) = 0.4
    assert closest([fits], labels, items) == _brute_force([fits], labels, items) == ["long"]
    assert closest(["abc"], labels, items) == _brute_force(["abc"], labels, items) == ["short", "long"]


# --- place names on a column ----------------------------------------------------------------


def _element_by_element(func, names):
    return pd.Series([None if z.is_missing(v) else func(v) for v in names], index=names.index,
                     name=names.name, dtype="str")


def test_normalize_city_on_a_series_equals_element_by_element():
    names = pd.Series(["大同", "大同市", None, "Lüliang", "大同", np.nan] * 50, name="city",
                      index=[f"r{i}" for i in range(300)])
    got = z.normalize_city(names)
    pd.testing.assert_series_equal(got, _element_by_element(z.normalize_city, names))
    assert got.tolist()[:2] == ["大同市", "大同市"] and got.iloc[3] == "吕梁市"


def test_normalize_province_on_a_series_equals_element_by_element():
    names = pd.Series(["山西", "陕西", "Inner Mongolia", "山西省", None] * 20, dtype="str")
    pd.testing.assert_series_equal(z.normalize_province(names),
                                   _element_by_element(z.normalize_province, names))


def test_normalize_on_a_series_lists_each_unknown_value_once():
    names = pd.Series(["大同", "火星", "大同", "火星", "月亮城"], index=[10, 11, 12, 13, 14])
    with pytest.raises(z.UnknownPlaceError) as info:
        z.normalize_city(names)
    lines = str(info.value).splitlines()
    assert lines[0] == "2 of 3 distinct city names could not be normalised:"
    assert lines[1].startswith("  '火星': ") and lines[2].startswith("  '月亮城': ")
    assert info.value.name == ["火星", "月亮城"]
    coerced = z.normalize_city(names, errors="coerce")
    assert coerced.isna().tolist() == [False, True, False, True, True]


# --- helpers --------------------------------------------------------------------------------


def test_factorize_and_take():
    series = pd.Series(["b", None, "a", "b", np.nan])
    codes, uniques = factorize(series)
    assert codes.tolist() == [0, -1, 1, 0, -1] and uniques.tolist() == ["b", "a"]
    out = take([("x",), ()], codes, missing=None)
    assert out.tolist() == [("x",), None, (), ("x",), None]
    assert rows_of(codes, [1]).tolist() == [2] and rows_of(codes, [0, 1]).tolist() == [0, 2, 3]


def test_leading_place_is_the_longest_known_prefix(registry):
    def by_scan(text, prefixes, names):
        for prefix in prefixes:  # longest first
            if text.startswith(prefix):
                return names[prefix], text[len(prefix):]
        return None

    texts = [z._norm(n) for n in registry["zone_name"]] + ["", "山", "内蒙古自治区呼和浩特", "太原市太原"]
    texts += [name + "经济开发区" for name in z._CITY_BY_NAME]
    for text in texts:
        assert z._leading_city(text) == by_scan(text, z._CITY_PREFIXES, z._CITY_BY_NAME), text
        assert z._leading_province(text) == by_scan(
            text, z._PROVINCE_PREFIXES, z._PROVINCE_BY_NAME), text
