"""zonestudy.zones on the project's registries (data/raw): the full registry, matching every listed zone
and the names printed in the study's facts. The same functions on small in-memory registries are
tested in tests/core/test_zones.py."""

import sys
import types

import pandas as pd
import pytest

import zonestudy
from zonestudy import io
from zonestudy import zones as z

SHANXI_CITIES = ["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]



def _shuffle(frame, seed):
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


# Short names of the Shanxi registry that are (correctly) not resolved.
SHORT_NAME_EXCEPTIONS = {
    # 大同经开区 is the short form of both 大同经济技术开发区 and (山西)大同经济开发区
    "大同经开区": {"datong_edz", "datong_etdz"},
    # the registry records a designation conflict for 太谷经济开发区
    "太谷经开区": {"taigu_edz"},
}

# Every zone name of the 科学导报 page (seed_article_facts.csv, column zone).
SEED_MATCHES = {
    "运城经开区": "yuncheng_etdz",
    "阳泉高新区": "yangquan_hitech",
    "山西转型综改示范区": "shanxi_reform",
    "临猗现代农业产业示范区": "linyi_agri",
    "武乡农业示范区": "wuxiang_agri",
    "风陵渡经济开发区": "fenglingdu_edz",
    "大同经济开发区": "datong_edz",
    "临汾经济开发区": "linfen_edz",
}

SEED_AMBIGUOUS = {
    # registry: 太谷经济开发区, type '经济开发区 (conflict: also 经济技术开发区)'
    "太谷经开区": ("taigu_edz",),
}

SEED_UNKNOWN = {
    # a park inside 临汾经济开发区 (registry notes), not a zone of its own in the registry
    "甘亭工业园区",
}

ALL_PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
]


# The project's raw tables under the names of the transcription files they were built from.
RAW_OF = {
    "registry_national_etdz.csv": ("zones_national_etdz", {"zone_name": "name", "source_ids": "source_url"}),
    "registry_national_hitech.csv": ("zones_national_hitech", {"zone_name": "name", "source_ids": "source_url"}),
    "registry_shanxi_zones.csv": (
        "zones_shanxi", {"zone_name": "name", "zone_type": "type", "source_ids": "source_url"}),
    "etdz_evaluation_rankings.csv": ("etdz_rankings", {"zone_name": "name", "source_ids": "source_url"}),
    "seed_article_facts.csv": ("article_facts", {}),
    "shanxi_sangeyipi_facts.csv": ("campaign_facts_shanxi", {}),
    "peer_campaigns_facts.csv": ("campaign_facts_peers", {}),
}

# Layout of data/raw: the shared files with renamed columns.
RENAMES = {
    "etdz": ("registry_national_etdz.csv", {"name": "zone_name", "source_url": "source_ids"}),
    "hitech": ("registry_national_hitech.csv", {"name": "zone_name", "source_url": "source_ids"}),
    "shanxi": (
        "registry_shanxi_zones.csv",
        {"name": "zone_name", "type": "zone_type", "source_url": "source_ids"},
    ),
}


def _shared(filename):
    name, renames = RAW_OF[filename]
    return io.load_raw(name).rename(columns=renames)


@pytest.fixture(scope="module")
def frames():
    """The three registries in the data/raw layout."""
    out = {}
    for key, (filename, renames) in RENAMES.items():
        out[key] = _shared(filename).rename(columns=renames)
    return out


@pytest.fixture(scope="module")
def registry(frames):
    return z.build_registry(frames["etdz"], frames["hitech"], frames["shanxi"])


def test_full_registry_rows_and_ids(registry, frames):
    assert registry["zone_id"].is_unique
    assert registry["zone_id"].str.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*").all()
    # 232 ETDZs + 174 hi-tech zones - 1 on both lists (苏州工业园区)
    # + 51 Shanxi zones - 6 of them on a national list
    assert len(registry) == 232 + 174 - 1 + 51 - 6
    assert registry["national_etdz"].sum() == len(frames["etdz"]) == 232
    assert registry["national_hitech"].sum() == len(frames["hitech"]) == 174
    shanxi = registry[registry["province"] == "山西省"]
    assert len(shanxi) == 51
    assert set(shanxi["city"]) <= {c + "市" for c in SHANXI_CITIES}
    assert set(registry.loc[registry["national_etdz"] & (registry["province"] == "山西省"), "zone_id"]) == {
        "taiyuan_etdz", "datong_etdz", "jincheng_etdz", "jinzhong_etdz",
    }
    assert set(registry.loc[registry["national_hitech"] & (registry["province"] == "山西省"), "zone_id"]) == {
        "taiyuan_hitech", "changzhi_hitech",
    }
    assert registry.loc[registry["level"] == "national", "zone_id"].size == 405 + 1  # + 晋中国家农高区
    assert registry["province"].isin(z.admin_divisions().query("level == 'province'")["name"]).all()


def test_full_registry_example_ids(registry):
    ids = set(registry["zone_id"])
    assert {
        "taiyuan_etdz", "taiyuan_hitech", "yuncheng_etdz", "datong_etdz", "datong_edz",
        "shanxi_reform", "yangquan_hitech", "taigu_edz", "changzhi_hitech", "lvliang_dz",
        "jinzhong_agri_hitech", "guangxi_dongmeng_etdz", "fujian_fuzhou_hitech", "jiangxi_fuzhou_hitech",
    } <= ids


def test_full_registry_ids_stable_under_shuffle(registry, frames):
    for seed in (1, 2):
        shuffled = z.build_registry(*(_shuffle(frames[k], seed) for k in ("etdz", "hitech", "shanxi")))
        pd.testing.assert_frame_equal(shuffled, registry)


def test_full_registry_english_names(registry):
    assert registry["name_en"].notna().all()
    assert not registry["name_en"].str.contains("[\u3400-\u9fff]").any()
    non_ascii = {c for name in registry["name_en"] for c in name if ord(c) > 127}
    assert non_ascii <= {"ü"}
    assert set(registry.loc[registry["province"] == "陕西省", "province_en"]) == {"Shaanxi"}
    assert set(registry.loc[registry["province"] == "山西省", "province_en"]) == {"Shanxi"}


def test_every_registry_name_and_id_resolves_to_itself(registry):
    by_name = z.match_zones(registry["zone_name"], registry)
    assert (by_name["zone_id"] == registry["zone_id"]).all()
    assert set(by_name["matched_by"]) == {"name"}
    by_id = z.match_zones(registry["zone_id"], registry)
    assert (by_id["zone_id"] == registry["zone_id"]).all()


def test_every_shanxi_zone_matches_by_full_name(registry, frames):
    names = frames["shanxi"]["zone_name"]
    result = z.match_zones(names, registry)
    assert result["zone_id"].notna().all()
    assert result["zone_id"].is_unique
    assert (registry.set_index("zone_id").loc[result["zone_id"], "province"] == "山西省").all()


def test_every_shanxi_zone_matches_by_short_name(registry, frames):
    shanxi = frames["shanxi"]
    expected = dict(zip(shanxi["zone_name"], z.match_zones(shanxi["zone_name"], registry)["zone_id"]))
    checked = 0
    for full, shorts in zip(shanxi["zone_name"], shanxi["short_name"]):
        if pd.isna(shorts):
            continue
        for short in (s.strip() for s in shorts.split("/")):
            checked += 1
            if short in SHORT_NAME_EXCEPTIONS:
                with pytest.raises(z.AmbiguousZoneError) as info:
                    z.match_zone(short, registry)
                assert set(info.value.candidates) == SHORT_NAME_EXCEPTIONS[short]
                assert expected[full] in info.value.candidates
            else:
                assert z.match_zone(short, registry) == expected[full], short
    assert checked == 41


def test_seed_article_zones(registry):
    seed = _shared("seed_article_facts.csv")
    names = set(seed["zone"].dropna())
    assert names == set(SEED_MATCHES) | set(SEED_AMBIGUOUS) | SEED_UNKNOWN
    for name, zone_id in SEED_MATCHES.items():
        assert z.match_zone(name, registry) == zone_id
    for name, candidates in SEED_AMBIGUOUS.items():
        with pytest.raises(z.AmbiguousZoneError) as info:
            z.match_zone(name, registry)
        assert info.value.candidates == candidates
    for name in SEED_UNKNOWN:
        with pytest.raises(z.UnknownZoneError):
            z.match_zone(name, registry)


def test_seed_article_cities_agree_with_registry(registry):
    seed = _shared("seed_article_facts.csv").dropna(subset=["zone", "city"])
    for name, city in seed[["zone", "city"]].drop_duplicates().itertuples(index=False):
        if name in SEED_MATCHES:
            assert z.city_of_zone(SEED_MATCHES[name], registry) == z.normalize_city(city)


def test_ranked_zones_are_national_etdzs(registry):
    ranks = _shared("etdz_evaluation_rankings.csv")
    result = z.match_zones(ranks["name"], registry)
    assert result["zone_id"].notna().all()
    flags = registry.set_index("zone_id").loc[result["zone_id"], "national_etdz"]
    assert flags.all()


@pytest.mark.parametrize(
    "name, zone_id, matched_by",
    [
        ("太原经济技术开发区", "taiyuan_etdz", "name"),
        ("山西太原经济技术开发区", "taiyuan_etdz", "name"),
        ("太原市经济技术开发区", "taiyuan_etdz", "name"),
        ("山西省太原市经济技术开发区", "taiyuan_etdz", "name"),
        (" 太原　经济技术开发区 ", "taiyuan_etdz", "name"),
        ("太原经济技术开发区（山西转型综改示范区太原区域）", "taiyuan_etdz", "name"),
        ("山西转型综改示范区太原区域", "taiyuan_etdz", "alias"),
        ("太原经开区", "taiyuan_etdz", "short_name"),
        ("taiyuan_etdz", "taiyuan_etdz", "zone_id"),
        ("山西转型综合改革示范区", "shanxi_reform", "name"),
        ("山西综改示范区", "shanxi_reform", "short_name"),
        ("转型综改示范区", "shanxi_reform", "short_name"),
        ("综改示范区", "shanxi_reform", "short_name"),
        ("山西省综改示范区", "shanxi_reform", "short_name"),
        ("临猗农业示范区", "linyi_agri", "short_form"),
        ("武乡现代农业产业示范区", "wuxiang_agri", "designation_variant"),
        ("晋中国家农高区", "jinzhong_agri_hitech", "short_name"),
        ("晋中农业示范区", "jinzhong_agri_hitech", "short_form"),
        ("晋中农业高新技术产业示范区", "jinzhong_agri_hitech", "name"),
        ("尧都高新技术产业开发区", "yaodu_hitech", "designation_variant"),
        ("襄垣经济开发区", "xiangyuan_edz", "name"),
        ("晋中市太谷经济开发区", "taigu_edz", "name"),
        ("大同经济开发区", "datong_edz", "name"),
        ("山西大同经济开发区", "datong_edz", "name"),
        ("大同经济技术开发区", "datong_etdz", "name"),
        ("太谷经济开发区", "taigu_edz", "name"),
        ("吕梁经开区", "lvliang_dz", "name"),
        ("西安高新区", "xian_hitech", "short_form"),
        ("深圳高新区", "shenzhen_hitech", "short_form"),
        ("天津滨海高新区", "binhai_hitech", "short_form"),
        ("风陵渡开发区", "fenglingdu_edz", "short_name"),
    ],
)
def test_name_variants(registry, name, zone_id, matched_by):
    assert z.match_zone(name, registry) == zone_id
    result = z.match_zones(pd.Series([name]), registry)
    assert result.loc[0, "matched_by"] == matched_by


@pytest.mark.parametrize(
    "name, candidates",
    [
        ("大同经开区", ("datong_edz", "datong_etdz")),
        ("太谷经开区", ("taigu_edz",)),
        ("太谷经济技术开发区", ("taigu_edz",)),
        ("吕梁经济技术开发区", ("lvliang_dz",)),
        ("吕梁经济开发区", ("lvliang_dz",)),
    ],
)
def test_ambiguous_names_raise(registry, name, candidates):
    with pytest.raises(z.AmbiguousZoneError) as info:
        z.match_zone(name, registry)
    assert info.value.candidates == candidates
    assert info.value.name == name
    message = str(info.value)
    assert name in message and all(c in message for c in candidates)
    assert isinstance(info.value, ValueError) and isinstance(info.value, LookupError)


@pytest.mark.parametrize(
    "name, first_suggestion",
    [
        ("太原经济技朮开发区", "taiyuan_etdz"),  # typo
        ("陕西太原经济技术开发区", "taiyuan_etdz"),  # wrong province prefix: not matched
        ("山西航空经济技术开发区", "hangkong_etdz"),  # 陕西航空…, not in Shanxi
        ("晋城经济开发区", "jincheng_etdz"),  # a different designation: not matched
        ("中关村", "zhongguancun_sci_park"),
    ],
)
def test_unknown_names_raise_with_suggestions(registry, name, first_suggestion):
    with pytest.raises(z.UnknownZoneError) as info:
        z.match_zone(name, registry)
    assert info.value.candidates[0] == first_suggestion
    assert 1 <= len(info.value.candidates) <= 3
    message = str(info.value)
    assert repr(name) in message and first_suggestion in message
    with pytest.raises(ValueError):
        z.match_zone(name, registry)
    with pytest.raises(LookupError):
        z.match_zone(name, registry)


def test_unknown_name_without_close_match(registry):
    with pytest.raises(z.UnknownZoneError, match="'xyz'"):
        z.match_zone("xyz", registry)


def test_match_zone_rejects_non_strings(registry):
    with pytest.raises(TypeError):
        z.match_zone(None, registry)


def test_shanxi_sangeyipi_geography(registry):
    facts = _shared("shanxi_sangeyipi_facts.csv")
    result = z.match_zones(facts["geography"].drop_duplicates(), registry, errors="coerce")
    matched = dict(zip(facts["geography"].drop_duplicates(), result["zone_id"]))
    assert matched["山西省综改示范区"] == "shanxi_reform"
    # parts of a zone and cities are not zones
    assert pd.isna(matched["山西综改示范区太原片区"]) and pd.isna(matched["太原市"])


def test_match_zones_raise_reports_every_failure(registry):
    names = pd.Series(["运城经开区", "甘亭工业园区", None, "大同经开区", "阳泉高新区"], index=list("abcde"))
    with pytest.raises(z.ZoneMatchError) as info:
        z.match_zones(names, registry)
    message = str(info.value)
    assert message.startswith("2 of 4 zone names could not be matched")
    assert "['b']" in message and "甘亭工业园区" in message
    assert "['d']" in message and "datong_etdz" in message
    assert set(info.value.failures) == {"b", "d"}
    assert isinstance(info.value.failures["b"], z.UnknownZoneError)
    assert isinstance(info.value.failures["d"], z.AmbiguousZoneError)
    assert info.value.result.loc["a", "zone_id"] == "yuncheng_etdz"
    with pytest.raises(ValueError):
        z.match_zones(names, registry)


def test_match_zones_coerce(registry):
    names = pd.Series(["运城经开区", "甘亭工业园区", None, "大同经开区"], index=[5, 6, 7, 8])
    result = z.match_zones(names, registry, errors="coerce")
    assert list(result.columns) == ["zone_id", "matched_by", "candidates"]
    assert result.index.tolist() == [5, 6, 7, 8]
    assert result["zone_id"].tolist()[0] == "yuncheng_etdz"
    assert result["zone_id"].isna().tolist() == [False, True, True, True]
    assert result.loc[5, "matched_by"] == "short_name"
    assert result.loc[6, "matched_by"] == "unknown" and len(result.loc[6, "candidates"]) == 3
    assert pd.isna(result.loc[7, "matched_by"]) and result.loc[7, "candidates"] == ()
    assert result.loc[8, "matched_by"] == "ambiguous"
    assert result.loc[8, "candidates"] == ("datong_edz", "datong_etdz")


def test_match_zones_accepts_lists_and_checks_errors(registry):
    assert z.match_zones(["太原高新区"], registry)["zone_id"].tolist() == ["taiyuan_hitech"]
    with pytest.raises(ValueError, match="errors"):
        z.match_zones(["太原高新区"], registry, errors="ignore")


def test_city_of_zone(registry):
    assert z.city_of_zone("taigu_edz", registry) == "晋中市"
    assert z.city_of_zone("beijing_etdz", registry) == "北京市"
    assert z.city_of_zone("xian_hitech", registry) is None  # cities are known for Shanxi and municipalities
    with pytest.raises(z.UnknownZoneError, match="taiyuan_etdz"):
        z.city_of_zone("taiyuan_etz", registry)


def test_default_registry_comes_from_io_load_raw(frames, monkeypatch):
    calls = []

    def load_raw(name):
        calls.append(name)
        key = {"zones_national_etdz": "etdz", "zones_national_hitech": "hitech", "zones_shanxi": "shanxi"}[name]
        return frames[key]

    fake_io = types.ModuleType("zonestudy.io")
    fake_io.load_raw = load_raw
    monkeypatch.setitem(sys.modules, "zonestudy.io", fake_io)
    monkeypatch.setattr(zonestudy, "io", fake_io, raising=False)
    try:
        registry = z.load_registry(refresh=True)
        assert sorted(calls) == ["zones_national_etdz", "zones_national_hitech", "zones_shanxi"]
        assert len(registry) == 450
        assert z.match_zone("运城经开区") == "yuncheng_etdz"
        assert z.city_of_zone("yuncheng_etdz") == "运城市"
        z.load_registry()
        assert len(calls) == 3  # built once per session
        registry.loc[0, "zone_name"] = "changed"  # a copy: the cache is unaffected
        assert z.load_registry().loc[0, "zone_name"] != "changed"
    finally:
        z._cached_registry.cache_clear()
        z._default_index.cache_clear()


def test_fact_provinces_normalise(registry):
    peers = _shared("peer_campaigns_facts.csv")
    provinces = set(peers["province"]) - {"(not named)"}
    assert {z.normalize_province(p) for p in provinces} == provinces
    etdz = _shared("registry_national_etdz.csv")
    assert {z.normalize_province(p) for p in etdz["province"]} <= set(ALL_PROVINCES)


def test_fact_cities_normalise():
    shanxi_facts = _shared("shanxi_sangeyipi_facts.csv")
    cities = [g for g in shanxi_facts["geography"].unique() if g.endswith("市") and len(g) <= 4]
    assert len(cities) == 10  # all but 运城市
    assert {z.normalize_city(c) for c in cities} == set(cities) < {c + "市" for c in SHANXI_CITIES}
    peers = _shared("peer_campaigns_facts.csv")
    peer_cities = [g for g in peers["geography"].unique() if g.endswith("市") and len(g) <= 5 and g != "我市"]
    for city in peer_cities:
        assert z.normalize_city(city) == city


def test_zone_types_cover_registry(registry):
    assert set(registry["zone_type"]) <= set(z.ZONE_TYPES)


def test_curated_seed_names_agree_with_the_rule():
    # the curated names differ from the rule only where the rule cannot know
    # 太谷经开区: the page uses both designations, so its English name names neither
    rule_differs = {"运城经开区", "山西综改示范区", "综改示范区", "太谷经开区"}
    for key, english in z._ENGLISH.items():
        if key in SEED_MATCHES or key in SEED_AMBIGUOUS or key in SEED_UNKNOWN:
            if key not in rule_differs:
                place, designation = z._split_designation(key)
                assert f"{z._place_words(place, admin_words=False)} {designation.english}" == english
