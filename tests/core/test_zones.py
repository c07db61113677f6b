"""Tests for zonestudy.zones: registry builder, zone-name matching, place names (on small in-memory
registries and the bundled tables; the project's registries are tested in tests/study/test_zones_registry.py)."""

import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

import zonestudy
from zonestudy import zones as z

SHANXI_CITIES = ["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]
SHANXI_CITIES_EN = [
    "Taiyuan", "Datong", "Yangquan", "Changzhi", "Jincheng", "Shuozhou",
    "Jinzhong", "Yuncheng", "Xinzhou", "Linfen", "Lüliang",
]


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------


@pytest.fixture
def small():
    """A few zones covering merging, both national lists and the Shanxi list."""
    etdz = pd.DataFrame({
        "zone_name": ["太原经济技术开发区（山西转型综改示范区太原区域）", "苏州工业园区", "北京经济技术开发区"],
        "province": ["山西", "江苏", "北京"],
        "approval_year": [None, 1994, None],
        "source_ids": ["REG-ETDZ-LIST", "REG-ETDZ-LIST", "REG-ETDZ-LIST"],
    })
    hitech = pd.DataFrame({
        "zone_name": ["太原高新技术产业开发区", "苏州工业园区"],
        "province": ["山西", "江苏"],
        "approval_year": [1992, 2006],
        "source_ids": ["REG-HITECH-LIST; W-1", "REG-HITECH-LIST"],
    })
    shanxi = pd.DataFrame({
        "zone_name": ["太原经济技术开发区", "山西大同经济开发区", "运城经济技术开发区", "太谷经济开发区"],
        "short_name": ["太原经开区", "大同经济开发区", "运城经开区", "太谷经开区"],
        "city": ["太原市", "大同", "运城市", "晋中市"],
        "level": ["national", "unknown", "provincial (inferred)", "provincial (inferred)"],
        "zone_type": ["经济技术开发区", "经济开发区", "经济技术开发区", "经济开发区 (conflict: also 经济技术开发区)"],
        "source_ids": ["REG-ETDZ-LIST; W-2", "KX-2024-08", "KX-2024-08", "KX-2024-08"],
    })
    return etdz, hitech, shanxi


def _shuffle(frame, seed):
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


# --------------------------------------------------------------------------
# build_registry on small fixtures
# --------------------------------------------------------------------------


def test_small_registry_schema(small):
    reg = z.build_registry(*small)
    assert list(reg.columns) == list(z.REGISTRY_COLUMNS)
    assert reg["zone_id"].is_monotonic_increasing
    assert reg["national_etdz"].dtype == bool and reg["national_hitech"].dtype == bool
    assert str(reg["approval_year"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(reg["zone_name"])
    assert reg["zone_id"].tolist() == [
        "beijing_etdz", "datong_edz", "suzhou_park", "taigu_edz",
        "taiyuan_etdz", "taiyuan_hitech", "yuncheng_etdz",
    ]


def test_shanxi_zone_on_national_list_is_one_row(small):
    reg = z.build_registry(*small).set_index("zone_id")
    row = reg.loc["taiyuan_etdz"]
    assert row["zone_name"] == "太原经济技术开发区"
    assert row["short_name"] == "太原经开区"
    assert row["aliases"] == "山西转型综改示范区太原区域"
    assert row["city"] == "太原市"
    assert row["level"] == "national" and pd.isna(row["level_note"])
    assert bool(row["national_etdz"]) and not bool(row["national_hitech"])
    assert row["source_ids"] == "REG-ETDZ-LIST; W-2"
    assert (reg["zone_name"] == "太原经济技术开发区").sum() == 1


def test_zone_on_both_national_lists_is_one_row(small):
    reg = z.build_registry(*small).set_index("zone_id")
    row = reg.loc["suzhou_park"]
    assert bool(row["national_etdz"]) and bool(row["national_hitech"])
    assert row["approval_year"] == 1994  # earliest of the two lists
    assert row["province"] == "江苏省" and row["province_en"] == "Jiangsu"
    assert row["source_ids"] == "REG-ETDZ-LIST; REG-HITECH-LIST"


def test_columns_normalised(small):
    reg = z.build_registry(*small).set_index("zone_id")
    assert reg.loc["datong_edz", "city"] == "大同市"  # '大同' in the input
    assert reg.loc["beijing_etdz", "city"] == "北京市"  # a municipality is its own city
    assert reg.loc["beijing_etdz", "province"] == "北京市"
    assert reg.loc["yuncheng_etdz", ["level", "level_note"]].tolist() == ["provincial", "inferred"]
    assert reg.loc["taigu_edz", "zone_type"] == "edz"
    assert reg.loc["taigu_edz", "zone_type_zh"] == "经济开发区 (conflict: also 经济技术开发区)"
    assert reg.loc["taiyuan_hitech", "zone_type_zh"] == "高新技术产业开发区"
    assert reg.loc["taiyuan_hitech", "source_ids"] == "REG-HITECH-LIST; W-1"
    assert reg.loc["yuncheng_etdz", "name_en"] == "Yuncheng Economic and Technological Development Zone"
    assert pd.isna(reg.loc["yuncheng_etdz", "approval_year"])


def test_ids_do_not_depend_on_row_order(small):
    reg = z.build_registry(*small)
    for seed in range(5):
        shuffled = z.build_registry(*(_shuffle(f, seed) for f in small))
        pd.testing.assert_frame_equal(shuffled, reg)


def test_id_does_not_depend_on_other_rows(small):
    etdz, hitech, shanxi = small
    full = dict(zip(z.build_registry(*small)["zone_name"], z.build_registry(*small)["zone_id"]))
    part = z.build_registry(etdz.iloc[:1], hitech.iloc[:0], shanxi.iloc[2:3])
    for name, zone_id in zip(part["zone_name"], part["zone_id"]):
        assert full[name] == zone_id


def test_id_collisions_are_resolved_deterministically():
    # 福州 (Fujian) and 抚州 (Jiangxi) are both romanised 'fuzhou'
    hitech = pd.DataFrame({
        "zone_name": ["福州高新技术产业开发区", "抚州高新技术产业开发区", "莆田高新技术产业开发区"],
        "province": ["福建", "江西", "福建"],
    })
    empty = pd.DataFrame(columns=["zone_name", "province"])
    shanxi = pd.DataFrame(columns=["zone_name", "city", "level", "zone_type"])
    reg = z.build_registry(empty, hitech, shanxi)
    assert sorted(reg["zone_id"]) == ["fujian_fuzhou_hitech", "jiangxi_fuzhou_hitech", "putian_hitech"]
    # same province and same romanisation: a hash of the name is appended
    hitech2 = pd.DataFrame({"zone_name": ["福州高新技术产业开发区", "抚州高新技术产业开发区"], "province": ["福建", "福建"]})
    ids = z.build_registry(empty, hitech2, shanxi)["zone_id"].tolist()
    ids_shuffled = z.build_registry(empty, hitech2.iloc[::-1], shanxi)["zone_id"].tolist()
    assert ids == ids_shuffled
    assert len(set(ids)) == 2
    assert all(i.startswith("fujian_fuzhou_hitech_") and len(i) == len("fujian_fuzhou_hitech_") + 6 for i in ids)


def test_different_designations_are_not_merged(small):
    etdz, hitech, shanxi = small
    etdz = pd.concat([etdz, pd.DataFrame({"zone_name": ["大同经济技术开发区"], "province": ["山西"]})])
    reg = z.build_registry(etdz, hitech, shanxi).set_index("zone_id")
    assert {"datong_edz", "datong_etdz"} <= set(reg.index)
    assert not reg.loc["datong_edz", "national_etdz"]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda e, h, s: (e.drop(columns="province"), h, s), "lacks column"),
        (lambda e, h, s: (pd.concat([e, e.iloc[:1]]), h, s), "listed twice"),
        (lambda e, h, s: (e.assign(province=["陕西", "江苏", "北京"]), h, s), "is in"),
        (lambda e, h, s: (e, h.assign(province=["山西", "浙江"]), s), "same zone"),
        (lambda e, h, s: (e, h, s.assign(city=["太原市", "大同市", "运城市", "不存在市"])), "unknown city"),
        (lambda e, h, s: (e, h, s.assign(city=["太原市", "大同市", "运城市", "西安市"])), "its city"),
        (lambda e, h, s: (e.assign(province=["山西", "江苏", "北平"]), h, s), "unknown province"),
    ],
)
def test_build_registry_rejects_bad_input(small, mutate, message):
    with pytest.raises(ValueError, match=message):
        z.build_registry(*mutate(*small))


# --------------------------------------------------------------------------
# match_zones
# --------------------------------------------------------------------------


def test_example_registry_matches():
    reg = z.example_registry()
    assert z.match_zone("运城经开区", reg) == "yuncheng_etdz"
    with pytest.raises(z.AmbiguousZoneError):
        z.match_zone("大同经开区", reg)
    assert z.city_of_zone("yangquan_hitech", reg) == "阳泉市"


# --------------------------------------------------------------------------
# default registry and import behaviour
# --------------------------------------------------------------------------


def test_import_has_no_side_effects():
    code = (
        "import sys, builtins\n"
        "opened = []\n"
        "real_open = builtins.open\n"
        "builtins.open = lambda *a, **k: opened.append(a[0]) or real_open(*a, **k)\n"
        "import zonestudy.zones\n"
        "builtins.open = real_open\n"
        "assert 'zonestudy.io' not in sys.modules, 'io imported'\n"
        "assert not [p for p in opened if str(p).endswith('.csv')], opened\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


# --------------------------------------------------------------------------
# provinces and cities
# --------------------------------------------------------------------------

ALL_PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
]


def test_all_31_provinces_short_and_full():
    assert len(ALL_PROVINCES) == 31
    for full in ALL_PROVINCES:
        assert z.normalize_province(full) == full
        short = full.removesuffix("省").removesuffix("市")
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区"):
            short = short.removesuffix(suffix)
        assert z.normalize_province(short) == full


@pytest.mark.parametrize(
    "name, full",
    [
        ("北京", "北京市"), ("江苏", "江苏省"), ("广西", "广西壮族自治区"), ("内蒙古", "内蒙古自治区"),
        ("宁夏", "宁夏回族自治区"), ("新疆", "新疆维吾尔自治区"), ("西藏", "西藏自治区"),
        ("广西自治区", "广西壮族自治区"), ("山西", "山西省"), ("陕西", "陕西省"), (" 山西省 ", "山西省"),
        ("Shanxi", "山西省"), ("Shaanxi", "陕西省"), ("shaanxi", "陕西省"), ("Inner Mongolia", "内蒙古自治区"),
        ("Tibet", "西藏自治区"),
    ],
)
def test_normalize_province(name, full):
    assert z.normalize_province(name) == full


def test_shanxi_and_shaanxi_never_confused():
    assert z.normalize_province("山西") != z.normalize_province("陕西")
    assert z.english_name("山西") == "Shanxi"
    assert z.english_name("陕西") == "Shaanxi"
    assert z.english_name("山西省") == "Shanxi"
    assert z.english_name("陕西省") == "Shaanxi"
    with pytest.raises(z.UnknownPlaceError):
        z.normalize_province("陝西")  # traditional form: not guessed


def test_unknown_province_suggests():
    with pytest.raises(z.UnknownPlaceError) as info:
        z.normalize_province("山西X")
    assert "山西" in info.value.suggestions and "'山西X'" in str(info.value)
    with pytest.raises(ValueError):
        z.normalize_province("(not named)")


def test_normalize_city_shanxi():
    for short in SHANXI_CITIES:
        assert z.normalize_city(short) == short + "市"
        assert z.normalize_city(short + "市") == short + "市"
    assert z.normalize_city("大同") == "大同市"
    assert z.normalize_city("Taiyuan") == "太原市"
    assert z.normalize_city("北京") == "北京市"


def test_normalize_city_unknown_suggests():
    with pytest.raises(z.UnknownPlaceError) as info:
        z.normalize_city("大同县")
    assert "大同" in info.value.suggestions or "大同市" in info.value.suggestions
    assert "'大同县'" in str(info.value)
    with pytest.raises(ValueError):
        z.normalize_city("山西")


# --------------------------------------------------------------------------
# English names
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, english",
    [
        ("内蒙古", "Inner Mongolia"), ("广西壮族自治区", "Guangxi"), ("宁夏", "Ningxia"),
        ("新疆", "Xinjiang"), ("西藏", "Tibet"), ("北京市", "Beijing"),
    ],
)
def test_english_province_names(name, english):
    assert z.english_name(name) == english


def test_english_city_names():
    for short, english in zip(SHANXI_CITIES, SHANXI_CITIES_EN):
        assert z.english_name(short) == english
        assert z.english_name(short + "市") == english
    assert z.english_name("西安") == "Xi'an"


@pytest.mark.parametrize(
    "name, english",
    [
        ("阳泉高新区", "Yangquan High-tech Zone"),
        ("运城经开区", "Yuncheng Economic and Technological Development Zone"),
        ("山西转型综改示范区", "Shanxi Transformation and Comprehensive Reform Demonstration Zone"),
        ("山西转型综合改革示范区", "Shanxi Transformation and Comprehensive Reform Demonstration Zone"),
        ("太谷经开区", "Taigu Development Zone"),
        ("大同经济开发区", "Datong Economic Development Zone"),
        ("临猗现代农业产业示范区", "Linyi Modern Agricultural Industry Demonstration Zone"),
        ("武乡农业示范区", "Wuxiang Agricultural Demonstration Zone"),
        ("风陵渡经济开发区", "Fenglingdu Economic Development Zone"),
        ("临汾经济开发区", "Linfen Economic Development Zone"),
        ("甘亭工业园区", "Ganting Industrial Park"),
    ],
)
def test_english_names_of_seed_zones(name, english):
    assert z.english_name(name) == english


@pytest.mark.parametrize(
    "name, english",
    [
        ("太原经济技术开发区", "Taiyuan Economic and Technological Development Zone"),
        ("太原高新技术产业开发区", "Taiyuan High-tech Industrial Development Zone"),
        ("山西大同经济开发区", "Shanxi Datong Economic Development Zone"),
        ("长治高新技术产业开发区", "Changzhi High-tech Industrial Development Zone"),
        ("吕梁经开区", "Lüliang Economic Development Zone"),
        ("太原不锈钢产业园区", "Taiyuan Buxiugang Industrial Park"),
        ("陕西航空经济技术开发区", "Shaanxi Hangkong Economic and Technological Development Zone"),
        ("漯河经济技术开发区", "Luohe Economic and Technological Development Zone"),
        ("雅安经济技术开发区", "Ya'an Economic and Technological Development Zone"),
        ("襄垣县经济开发区", "Xiangyuan County Economic Development Zone"),
        ("兴县经济开发区", "Xingxian Economic Development Zone"),
        ("奎屯-独山子经济技术开发区", "Kuytun-Dushanzi Economic and Technological Development Zone"),
        ("中关村科技园区", "Zhongguancun Science Park"),
        ("苏州工业园区", "Suzhou Industrial Park"),
        ("甘亭", "Ganting"),
        ("武乡县", "Wuxiang County"),
    ],
)
def test_english_names_by_rule(name, english):
    assert z.english_name(name) == english


def test_zone_without_known_designation():
    empty = pd.DataFrame(columns=["zone_name", "province"])
    shanxi = pd.DataFrame({
        "zone_name": ["太原某某"], "short_name": ["某某"], "city": ["太原"],
        "level": ["unknown"], "zone_type": ["其他"],
    })
    reg = z.build_registry(empty, empty, shanxi)
    assert reg["zone_id"].tolist() == ["taiyuanmoumou_other"]
    assert reg["zone_type"].tolist() == ["other"]
    assert z.match_zone("太原某某", reg) == z.match_zone("某某", reg) == "taiyuanmoumou_other"
